//! How numbers read in a report, the same in Markdown and HTML: money with a dollar sign and
//! thousands separators, counts without decimals, rates as percentages, evidence to three
//! significant digits.

/// US dollars, two decimals: `$1,234.50`. The series' cost is `cost_in_usd`.
pub fn money(amount: f64) -> String {
    let cents = (amount * 100.0).round();
    let sign = if cents < 0.0 { "-" } else { "" };
    let cents = cents.abs();
    format!(
        "{sign}${}.{:02}",
        grouped((cents / 100.0).trunc()),
        (cents % 100.0) as u64
    )
}

/// A count: `1,234`, or one decimal when it is not whole (`12.5` conversions).
pub fn count(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        grouped(value.round())
    } else {
        let tenths = (value * 10.0).round();
        format!(
            "{}.{}",
            grouped((tenths / 10.0).trunc()),
            (tenths % 10.0).abs() as u64
        )
    }
}

/// A fraction as a percentage with two decimals: 0.01234 → `1.23%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.2}%", fraction * 100.0)
}

/// An evidence number: whole numbers grouped (`1,200`), others to three significant digits
/// without trailing zeros (`0.0123`, `6.5`, `0.000412`).
pub fn evidence(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if (value - value.round()).abs() < 1e-9 && value.abs() < 1e15 {
        return grouped(value.round());
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 12) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A whole number with `,` between thousands.
fn grouped(whole: f64) -> String {
    let digits = format!("{:.0}", whole.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if whole < 0.0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_a_dollar_sign_separators_and_cents() {
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(0.004), "$0.00");
        assert_eq!(money(1_000_000.0), "$1,000,000.00");
        assert_eq!(money(99.999), "$100.00");
    }

    #[test]
    fn counts_are_whole_unless_fractional() {
        assert_eq!(count(1234.0), "1,234");
        assert_eq!(count(12.5), "12.5");
        assert_eq!(count(0.0), "0");
    }

    #[test]
    fn rates_are_percentages_and_evidence_three_significant_digits() {
        assert_eq!(percent(0.012345), "1.23%");
        assert_eq!(evidence(1200.0), "1,200");
        assert_eq!(evidence(0.012345), "0.0123");
        assert_eq!(evidence(6.5), "6.5");
        assert_eq!(evidence(0.000412), "0.000412");
        assert_eq!(evidence(123.456), "123");
    }
}
