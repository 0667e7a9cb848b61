//! Trino functions DataFusion lacks, registered under Trino's names with Trino's meaning, so
//! the `athena/` files run here unchanged.
//!
//! | function | Trino's meaning |
//! |---|---|
//! | `date_diff(unit, a, b)` | `b - a` in whole `unit`s; months and years count whole calendar units (Joda's rules) |
//! | `date_add(unit, n, x)` | `x` plus `n` `unit`s; a month-end day is clamped (Jan 31 + 1 month = Feb 28) |
//! | `count_if(x)` | the number of TRUE values |
//! | `arbitrary(x)` | any non-null value of `x` (here the first one seen) |
//! | `from_iso8601_timestamp(s)` | the instant an ISO 8601 text names, as a UTC timestamp(3) |
//!
//! Units are case-insensitive: millisecond, second, minute, hour, day, week, month, quarter,
//! year; a DATE takes only day and larger. Calendar arithmetic on a timestamp is done in UTC,
//! the zone of every timestamp in the store (and Athena's session zone).
//! Source: <https://trino.io/docs/current/functions/datetime.html> and
//! <https://trino.io/docs/current/functions/aggregate.html>.

use std::sync::Arc;

use chrono::{
    DateTime, Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike,
};
use datafusion::arrow::array::cast::AsArray;
use datafusion::arrow::array::{
    Array, ArrayRef, Date32Array, Int64Array, StringArray, TimestampMillisecondArray,
    TimestampNanosecondArray,
};
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Int64Type, TimeUnit, TimestampNanosecondType,
};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err, plan_err};
use datafusion::logical_expr::function::AccumulatorArgs;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF,
    ScalarUDFImpl, Signature, Volatility, create_udaf,
};
use datafusion::prelude::SessionContext;

/// Registers every function of this module in `context`.
pub fn register_trino_functions(context: &SessionContext) {
    context.register_udf(ScalarUDF::from(DateDiff::new()));
    context.register_udf(ScalarUDF::from(DateAdd::new()));
    context.register_udf(ScalarUDF::from(FromIso8601Timestamp::new()));
    context.register_udaf(count_if());
    context.register_udaf(AggregateUDF::from(Arbitrary::new()));
}

const NANOS_PER_DAY: i64 = 86_400_000_000_000;

/// A calendar or clock unit, as Trino spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Unit {
    /// The unit named `text`, if it applies to a DATE (`on_date`) or a TIMESTAMP.
    fn parse(text: &str, on_date: bool) -> Result<Unit> {
        let unit = match text.to_ascii_lowercase().as_str() {
            "millisecond" => Unit::Millisecond,
            "second" => Unit::Second,
            "minute" => Unit::Minute,
            "hour" => Unit::Hour,
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "quarter" => Unit::Quarter,
            "year" => Unit::Year,
            _ => return exec_err!("'{text}' is not a valid {} field", kind(on_date)),
        };
        if on_date && unit.nanos().is_some_and(|n| n < NANOS_PER_DAY) {
            return exec_err!("'{text}' is not a valid DATE field");
        }
        Ok(unit)
    }

    /// The fixed length of the unit, for the units that have one.
    fn nanos(self) -> Option<i64> {
        match self {
            Unit::Millisecond => Some(1_000_000),
            Unit::Second => Some(1_000_000_000),
            Unit::Minute => Some(60_000_000_000),
            Unit::Hour => Some(3_600_000_000_000),
            Unit::Day => Some(NANOS_PER_DAY),
            Unit::Week => Some(7 * NANOS_PER_DAY),
            Unit::Month | Unit::Quarter | Unit::Year => None,
        }
    }
}

fn kind(on_date: bool) -> &'static str {
    if on_date { "DATE" } else { "TIMESTAMP" }
}

fn is_string(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8 | DataType::Null
    )
}

fn is_date(t: &DataType) -> bool {
    matches!(t, DataType::Date32 | DataType::Date64 | DataType::Null)
}

fn is_temporal(t: &DataType) -> bool {
    is_date(t) || matches!(t, DataType::Timestamp(_, _))
}

fn epoch() -> NaiveDateTime {
    DateTime::UNIX_EPOCH.naive_utc()
}

/// The values of a Date32 or Timestamp(ns) array as UTC wall-clock times.
fn date_times(array: &ArrayRef) -> Result<Vec<Option<NaiveDateTime>>> {
    match array.data_type() {
        DataType::Date32 => Ok(array
            .as_primitive::<Date32Type>()
            .iter()
            .map(|days| days.map(|d| epoch() + TimeDelta::days(i64::from(d))))
            .collect()),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => Ok(array
            .as_primitive::<TimestampNanosecondType>()
            .iter()
            .map(|nanos| nanos.map(|n| DateTime::from_timestamp_nanos(n).naive_utc()))
            .collect()),
        other => exec_err!("expected a DATE or TIMESTAMP, got {other}"),
    }
}

/// The result as a scalar when every argument was one, else as an array.
fn columnar(args: &[ColumnarValue], result: ArrayRef) -> Result<ColumnarValue> {
    if args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
        Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(
            &result, 0,
        )?))
    } else {
        Ok(ColumnarValue::Array(result))
    }
}

/// `date_diff(unit, a, b)`: `b - a` in whole units, truncated toward zero.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DateDiff {
    signature: Signature,
}

impl DateDiff {
    fn new() -> Self {
        DateDiff {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for DateDiff {
    fn name(&self) -> &str {
        "date_diff"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let [unit, a, b] = types else {
            return plan_err!(
                "date_diff takes (unit, a, b), got {} arguments",
                types.len()
            );
        };
        if !is_string(unit) || !is_temporal(a) || !is_temporal(b) {
            return plan_err!(
                "date_diff takes (varchar, DATE or TIMESTAMP, DATE or TIMESTAMP), got ({unit}, {a}, {b})"
            );
        }
        let both = if is_date(a) && is_date(b) {
            DataType::Date32
        } else {
            DataType::Timestamp(TimeUnit::Nanosecond, None)
        };
        Ok(vec![DataType::Utf8, both.clone(), both])
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let on_date = arrays[1].data_type() == &DataType::Date32;
        let units = arrays[0].as_string::<i32>();
        let (a, b) = (date_times(&arrays[1])?, date_times(&arrays[2])?);
        let result = (0..units.len())
            .map(|i| match (units.is_valid(i), a[i], b[i]) {
                (true, Some(a), Some(b)) => {
                    Unit::parse(units.value(i), on_date).map(|unit| Some(difference(unit, a, b)))
                }
                _ => Ok(None),
            })
            .collect::<Result<Int64Array>>()?;
        columnar(&args.args, Arc::new(result))
    }
}

/// `b - a` in whole `unit`s, as Trino (through Joda-Time's `getDifferenceAsLong`) counts them.
fn difference(unit: Unit, a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    match unit {
        Unit::Month => months_between(a, b),
        Unit::Quarter => months_between(a, b) / 3,
        Unit::Year => years_between(a, b),
        fixed => {
            let nanos = (b - a).num_nanoseconds().unwrap_or(i64::MAX);
            nanos / fixed.nanos().expect("a fixed unit")
        }
    }
}

/// Whole calendar months from `a` to `b`: a month is complete when `b`'s day and time of
/// month reach `a`'s, a month-end `b` counting as reaching any later day (Jan 31 to Feb 28
/// is one month), so that `date_add('month', n, a) <= b` exactly for the n returned.
fn months_between(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    if b < a {
        return -months_between(b, a);
    }
    let mut months = (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month())
        - i64::from(a.month());
    let mut a_day = a.day();
    if b.day() == days_in_month(b.year(), b.month()) && a_day > b.day() {
        a_day = b.day();
    }
    if (b.day(), b.time()) < (a_day, a.time()) {
        months -= 1;
    }
    months
}

/// Whole years from `a` to `b`, with Joda's balancing of February 29.
fn years_between(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    if b < a {
        return -years_between(b, a);
    }
    let into_year = |t: NaiveDateTime| {
        i64::from(t.ordinal0()) * NANOS_PER_DAY
            + i64::from(t.num_seconds_from_midnight()) * 1_000_000_000
            + i64::from(t.nanosecond())
    };
    let feb_29 = 59 * NANOS_PER_DAY;
    let (mut b_rem, mut a_rem) = (into_year(b), into_year(a));
    if a_rem >= feb_29 {
        if is_leap(a.year()) {
            if !is_leap(b.year()) {
                a_rem -= NANOS_PER_DAY;
            }
        } else if b_rem >= feb_29 && is_leap(b.year()) {
            b_rem -= NANOS_PER_DAY;
        }
    }
    let mut years = i64::from(b.year()) - i64::from(a.year());
    if b_rem < a_rem {
        years -= 1;
    }
    years
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a valid month");
    let next = first
        .checked_add_months(Months::new(1))
        .expect("a representable month");
    u32::try_from((next - first).num_days()).expect("28 to 31 days")
}

/// `date_add(unit, n, x)`: `x` moved by `n` units, of `x`'s type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct DateAdd {
    signature: Signature,
}

impl DateAdd {
    fn new() -> Self {
        DateAdd {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for DateAdd {
    fn name(&self) -> &str {
        "date_add"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[2].clone())
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        let [unit, n, x] = types else {
            return plan_err!(
                "date_add takes (unit, value, x), got {} arguments",
                types.len()
            );
        };
        if !is_string(unit) || !(n.is_integer() || n == &DataType::Null) || !is_temporal(x) {
            return plan_err!(
                "date_add takes (varchar, bigint, DATE or TIMESTAMP), got ({unit}, {n}, {x})"
            );
        }
        let x = match x {
            DataType::Timestamp(_, zone) => DataType::Timestamp(TimeUnit::Nanosecond, zone.clone()),
            _ => DataType::Date32,
        };
        Ok(vec![DataType::Utf8, DataType::Int64, x])
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let on_date = arrays[2].data_type() == &DataType::Date32;
        let units = arrays[0].as_string::<i32>();
        let amounts = arrays[1].as_primitive::<Int64Type>();
        let xs = date_times(&arrays[2])?;
        let moved = (0..units.len())
            .map(|i| match (units.is_valid(i), amounts.is_valid(i), xs[i]) {
                (true, true, Some(x)) => {
                    let unit = Unit::parse(units.value(i), on_date)?;
                    add(unit, amounts.value(i), x).map(Some).ok_or_else(|| {
                        exec_datafusion_err!(
                            "date_add: {x} plus {} {unit:?} is out of range",
                            amounts.value(i)
                        )
                    })
                }
                _ => Ok(None),
            })
            .collect::<Result<Vec<Option<NaiveDateTime>>>>()?;
        let result: ArrayRef = match arrays[2].data_type() {
            DataType::Timestamp(_, zone) => Arc::new(
                moved
                    .iter()
                    .map(|t| t.and_then(|t| t.and_utc().timestamp_nanos_opt()))
                    .collect::<TimestampNanosecondArray>()
                    .with_timezone_opt(zone.clone()),
            ),
            _ => Arc::new(
                moved
                    .iter()
                    .map(|t| {
                        t.map(|t| i32::try_from((t - epoch()).num_days()))
                            .transpose()
                    })
                    .collect::<Result<Date32Array, _>>()
                    .map_err(|_| exec_datafusion_err!("date_add: the date is out of range"))?,
            ),
        };
        columnar(&args.args, result)
    }
}

/// `x` plus `n` units; months clamp to the last day of a shorter month, as Trino does.
fn add(unit: Unit, n: i64, x: NaiveDateTime) -> Option<NaiveDateTime> {
    let months = |count: i64| {
        let months = Months::new(u32::try_from(count.unsigned_abs()).ok()?);
        if count >= 0 {
            x.checked_add_months(months)
        } else {
            x.checked_sub_months(months)
        }
    };
    match unit {
        Unit::Month => months(n),
        Unit::Quarter => months(n.checked_mul(3)?),
        Unit::Year => months(n.checked_mul(12)?),
        fixed => x.checked_add_signed(TimeDelta::nanoseconds(
            n.checked_mul(fixed.nanos().expect("a fixed unit"))?,
        )),
    }
}

/// `from_iso8601_timestamp(text)`: the instant an ISO 8601 text names, as TIMESTAMP(3) UTC.
#[derive(Debug, PartialEq, Eq, Hash)]
struct FromIso8601Timestamp {
    signature: Signature,
}

impl FromIso8601Timestamp {
    fn new() -> Self {
        FromIso8601Timestamp {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for FromIso8601Timestamp {
    fn name(&self) -> &str {
        "from_iso8601_timestamp"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Timestamp(
            TimeUnit::Millisecond,
            Some("UTC".into()),
        ))
    }

    fn coerce_types(&self, types: &[DataType]) -> Result<Vec<DataType>> {
        match types {
            [t] if is_string(t) => Ok(vec![DataType::Utf8]),
            _ => plan_err!("from_iso8601_timestamp takes one varchar, got {types:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let texts: &StringArray = arrays[0].as_string::<i32>();
        let millis = texts
            .iter()
            .map(|text| {
                text.map(|text| {
                    parse_iso8601(text)
                        .map(|t| t.and_utc().timestamp_millis())
                        .ok_or_else(|| exec_datafusion_err!("Invalid format: \"{text}\""))
                })
                .transpose()
            })
            .collect::<Result<TimestampMillisecondArray>>()?
            .with_timezone("UTC");
        columnar(&args.args, Arc::new(millis))
    }
}

/// The UTC time an ISO 8601 date-time names: `YYYY-MM-DD`, optionally `T` and `HH[:MM[:SS[.f]]]`,
/// optionally `Z` or an offset `±HH[:MM]`/`±HHMM`. No offset means UTC, Athena's session
/// zone. Fractions finer than a millisecond are truncated, as Trino's timestamp(3) does.
fn parse_iso8601(text: &str) -> Option<NaiveDateTime> {
    let (date, rest) = match text.split_once('T') {
        Some((date, rest)) => (date, Some(rest)),
        None => (text, None),
    };
    if date.len() != 10 {
        return None;
    }
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let Some(rest) = rest else {
        return Some(date.and_time(NaiveTime::MIN));
    };
    let (time, offset_seconds) = if let Some(time) = rest.strip_suffix('Z') {
        (time, 0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        (&rest[..at], offset(&rest[at..])?)
    } else {
        (rest, 0)
    };
    let local = date.and_time(clock(time)?);
    let utc = local.checked_sub_signed(TimeDelta::seconds(offset_seconds))?;
    let truncated = utc.nanosecond() / 1_000_000 * 1_000_000;
    utc.with_nanosecond(truncated)
}

fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `HH`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 9 digits, `.` or `,`).
fn clock(text: &str) -> Option<NaiveTime> {
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let mut parts = whole.split(':');
    let hour = two_digits(parts.next()?)?;
    let minute = parts.next().map_or(Some(0), two_digits)?;
    let second = parts.next().map_or(Some(0), two_digits)?;
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(digits)
            if (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{digits:0<9}").parse().ok()?
        }
        Some(_) => return None,
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// `±HH`, `±HH:MM` or `±HHMM`, in seconds east of UTC.
fn offset(text: &str) -> Option<i64> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let (hours, minutes) = match digits.len() {
        2 => (two_digits(digits)?, 0),
        4 => (two_digits(&digits[..2])?, two_digits(&digits[2..])?),
        5 if &digits[2..3] == ":" => (two_digits(&digits[..2])?, two_digits(&digits[3..])?),
        _ => return None,
    };
    (hours <= 18 && minutes < 60).then(|| sign * i64::from(hours * 3600 + minutes * 60))
}

/// `count_if(x)`: the number of rows where `x` is TRUE (NULL and FALSE do not count).
fn count_if() -> AggregateUDF {
    create_udaf(
        "count_if",
        vec![DataType::Boolean],
        Arc::new(DataType::Int64),
        Volatility::Immutable,
        Arc::new(|_| Ok(Box::new(CountIf(0)))),
        Arc::new(vec![DataType::Int64]),
    )
}

#[derive(Debug)]
struct CountIf(i64);

impl Accumulator for CountIf {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let trues = values[0].as_boolean().true_count();
        self.0 += i64::try_from(trues).expect("a batch fits in i64");
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.0 += states[0]
            .as_primitive::<Int64Type>()
            .iter()
            .flatten()
            .sum::<i64>();
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Int64(Some(self.0))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(self.0)))
    }

    fn size(&self) -> usize {
        size_of_val(self)
    }
}

/// `arbitrary(x)`: a non-null value of `x` if there is one; here the first one seen.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Arbitrary {
    signature: Signature,
}

impl Arbitrary {
    fn new() -> Self {
        Arbitrary {
            signature: Signature::any(1, Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for Arbitrary {
    fn name(&self) -> &str {
        "arbitrary"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types[0].clone())
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(FirstNonNull(ScalarValue::try_from(
            args.return_field.data_type(),
        )?)))
    }
}

#[derive(Debug)]
struct FirstNonNull(ScalarValue);

impl FirstNonNull {
    fn take_first(&mut self, values: &ArrayRef) -> Result<()> {
        if self.0.is_null()
            && let Some(i) = (0..values.len()).find(|&i| values.is_valid(i))
        {
            self.0 = ScalarValue::try_from_array(values, i)?;
        }
        Ok(())
    }
}

impl Accumulator for FirstNonNull {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.take_first(&values[0])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.take_first(&states[0])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.0.clone()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.0.clone())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.0.size() - size_of_val(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};

    use super::*;

    /// Runs `sql` in a session with the Trino functions and renders its single row.
    async fn row(sql: &str) -> Vec<String> {
        let context = SessionContext::new();
        register_trino_functions(&context);
        let batches = context.sql(sql).await.unwrap().collect().await.unwrap();
        let batch = batches.iter().find(|b| b.num_rows() > 0).expect("a row");
        assert_eq!(batch.num_rows(), 1, "{sql}");
        let options = FormatOptions::new().with_null("NULL");
        batch
            .columns()
            .iter()
            .map(|c| {
                ArrayFormatter::try_new(c.as_ref(), &options)
                    .unwrap()
                    .value(0)
                    .to_string()
            })
            .collect()
    }

    async fn one(sql: &str) -> String {
        row(sql).await.remove(0)
    }

    async fn error(sql: &str) -> String {
        let context = SessionContext::new();
        register_trino_functions(&context);
        let outcome = match context.sql(sql).await {
            Ok(frame) => frame.collect().await.map(|_| ()),
            Err(error) => Err(error),
        };
        outcome.unwrap_err().to_string()
    }

    #[tokio::test]
    async fn date_diff_counts_whole_units_like_trino() {
        // GIVEN the examples of Trino's documentation, THEN the same answers
        assert_eq!(
            one("SELECT date_diff('day', DATE '2020-03-01', DATE '2020-03-02')").await,
            "1"
        );
        assert_eq!(
            one("SELECT date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')").await,
            "86400"
        );
        assert_eq!(
            one("SELECT date_diff('hour', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')").await,
            "24"
        );
        assert_eq!(
            one("SELECT date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')").await,
            "86400123"
        );
        // AND b before a is negative; partial units truncate toward zero
        assert_eq!(
            one("SELECT date_diff('day', DATE '2026-03-10', DATE '2026-03-01')").await,
            "-9"
        );
        assert_eq!(
            one("SELECT date_diff('week', DATE '2026-03-01', DATE '2026-03-14')").await,
            "1"
        );
        assert_eq!(
            one("SELECT date_diff('week', DATE '2026-03-14', DATE '2026-03-01')").await,
            "-1"
        );
        assert_eq!(
            one("SELECT date_diff('day', TIMESTAMP '2026-03-01 12:00:00', TIMESTAMP '2026-03-02 11:59:59')").await,
            "0"
        );
    }

    #[tokio::test]
    async fn date_diff_counts_calendar_months_and_years_as_joda_does() {
        // GIVEN month-ends: Jan 31 to Feb 28 is a whole month (date_add's inverse)
        assert_eq!(
            one("SELECT date_diff('month', DATE '2026-01-31', DATE '2026-02-28')").await,
            "1"
        );
        assert_eq!(
            one("SELECT date_diff('month', DATE '2026-01-31', DATE '2026-02-27')").await,
            "0"
        );
        assert_eq!(
            one("SELECT date_diff('month', DATE '2026-01-15', DATE '2026-03-14')").await,
            "1"
        );
        assert_eq!(
            one("SELECT date_diff('month', DATE '2026-03-14', DATE '2026-01-15')").await,
            "-1"
        );
        assert_eq!(
            one("SELECT date_diff('quarter', DATE '2026-01-01', DATE '2026-12-31')").await,
            "3"
        );
        // AND years: a leap day reaches its anniversary on Feb 28
        assert_eq!(
            one("SELECT date_diff('year', DATE '2024-02-29', DATE '2025-02-28')").await,
            "1"
        );
        assert_eq!(
            one("SELECT date_diff('year', DATE '2025-03-01', DATE '2026-02-28')").await,
            "0"
        );
        assert_eq!(
            one("SELECT date_diff('year', DATE '2020-06-01', DATE '2026-06-01')").await,
            "6"
        );
        // AND time of day counts within the month
        assert_eq!(
            one("SELECT date_diff('month', TIMESTAMP '2026-01-15 12:00:00', TIMESTAMP '2026-02-15 11:00:00')").await,
            "0"
        );
        // AND NULL in gives NULL out
        assert_eq!(
            one("SELECT date_diff('day', NULL, DATE '2026-01-01')").await,
            "NULL"
        );
    }

    #[tokio::test]
    async fn date_diff_works_on_columns_and_mixed_date_and_timestamp() {
        let context = SessionContext::new();
        register_trino_functions(&context);
        let batches = context
            .sql("SELECT date_diff('day', a, TIMESTAMP '2026-01-10 00:00:00') AS d \
                  FROM (VALUES (DATE '2026-01-01'), (DATE '2026-01-09'), (NULL)) AS t(a) ORDER BY d")
            .await
            .unwrap()
            .collect()
            .await
            .unwrap();
        let d = batches[0].column(0).as_primitive::<Int64Type>();
        assert_eq!(d.iter().collect::<Vec<_>>(), vec![Some(1), Some(9), None]);
    }

    #[tokio::test]
    async fn date_add_moves_by_calendar_units_clamping_month_ends() {
        // GIVEN Trino's documented examples
        assert_eq!(
            one("SELECT date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')").await,
            "2020-03-01T00:01:26"
        );
        assert_eq!(
            one("SELECT date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')").await,
            "2020-03-01T09:00:00"
        );
        assert_eq!(
            one("SELECT date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00')").await,
            "2020-02-29T00:00:00"
        );
        // AND a month from Jan 31 is the last day of February; a DATE stays a DATE
        assert_eq!(
            one("SELECT date_add('month', 1, DATE '2026-01-31')").await,
            "2026-02-28"
        );
        assert_eq!(
            one("SELECT date_add('month', -1, DATE '2026-03-31')").await,
            "2026-02-28"
        );
        assert_eq!(
            one("SELECT date_add('year', 1, DATE '2024-02-29')").await,
            "2025-02-28"
        );
        assert_eq!(
            one("SELECT date_add('quarter', 1, DATE '2026-01-31')").await,
            "2026-04-30"
        );
        assert_eq!(
            one("SELECT date_add('week', 2, DATE '2026-12-25')").await,
            "2027-01-08"
        );
        assert_eq!(
            one("SELECT date_add('day', -30, DATE '2026-11-30')").await,
            "2026-10-31"
        );
        assert_eq!(
            one("SELECT arrow_typeof(date_add('day', 1, DATE '2026-01-01'))").await,
            "Date32"
        );
        // AND a clock unit on a DATE is refused, as Trino refuses it
        assert!(
            error("SELECT date_add('hour', 1, DATE '2026-01-01')")
                .await
                .contains("'hour' is not a valid DATE field")
        );
    }

    #[tokio::test]
    async fn count_if_counts_true_values_only() {
        // GIVEN TRUE, FALSE and NULL values in two groups
        let sql = "SELECT g, count_if(x) AS n FROM (VALUES (1, true), (1, false), (1, NULL), (1, true), \
                   (2, false)) AS t(g, x) GROUP BY g ORDER BY g";
        let context = SessionContext::new();
        register_trino_functions(&context);
        let batches = context.sql(sql).await.unwrap().collect().await.unwrap();
        // THEN only TRUE counts, and a group with none counts 0
        let n = batches[0].column(1).as_primitive::<Int64Type>();
        assert_eq!(n.values().as_ref(), &[2, 0]);
        // AND over no rows at all it is 0, not NULL
        assert_eq!(
            one("SELECT count_if(x) FROM (VALUES (true)) AS t(x) WHERE false").await,
            "0"
        );
        assert_eq!(
            one("SELECT count_if(x > 1) FROM (VALUES (1), (2), (3)) AS t(x)").await,
            "2"
        );
    }

    #[tokio::test]
    async fn arbitrary_returns_a_non_null_value_of_the_group() {
        // GIVEN groups whose first values are NULL
        assert_eq!(
            row("SELECT arbitrary(s), arbitrary(n) FROM (VALUES (NULL, NULL), ('a', 7), ('a', 7)) AS t(s, n)").await,
            vec!["a", "7"]
        );
        // AND it keeps the input's type; all NULL gives NULL
        assert_eq!(
            row(
                "SELECT arrow_typeof(arbitrary(d)), arbitrary(CAST(NULL AS BIGINT)) \
                 FROM (VALUES (DATE '2026-01-01')) AS t(d)"
            )
            .await,
            vec!["Date32", "NULL"]
        );
    }

    #[tokio::test]
    async fn from_iso8601_timestamp_reads_zones_into_utc() {
        // GIVEN Trino's documented example, with an offset
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')").await,
            "2020-05-11T10:15:05.055Z"
        );
        // AND Z, no zone (UTC), a bare date, minutes-only and compact offsets
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2026-11-02T06:00:00Z')").await,
            "2026-11-02T06:00:00Z"
        );
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2026-11-02T06:00:00')").await,
            "2026-11-02T06:00:00Z"
        );
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2026-11-02')").await,
            "2026-11-02T00:00:00Z"
        );
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2026-11-02T06:30-0230')").await,
            "2026-11-02T09:00:00Z"
        );
        assert_eq!(
            one("SELECT from_iso8601_timestamp('2026-11-02T23:59:59.123456789Z')").await,
            "2026-11-02T23:59:59.123Z"
        );
        assert_eq!(
            one("SELECT arrow_typeof(from_iso8601_timestamp('2026-11-02'))").await,
            "Timestamp(ms, \"UTC\")"
        );
        // AND text that is not ISO 8601 is an error naming it
        assert!(
            error("SELECT from_iso8601_timestamp('02/11/2026')")
                .await
                .contains("Invalid format: \"02/11/2026\"")
        );
        assert_eq!(parse_iso8601("2026-11-02T25:00:00Z"), None);
        assert_eq!(parse_iso8601("2026-11-02T06:00:00+1"), None);
    }
}
