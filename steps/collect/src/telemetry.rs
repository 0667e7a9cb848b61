//! The operational metrics a run reports through the `Metrics` port (CloudWatch namespace
//! `LinkedInAds` on AWS), each with the dimension `AccountId`.
//!
//! | name | unit | value |
//! |---|---|---|
//! | TotalImpressions, TotalClicks | Count | sums over the window's rows |
//! | TotalCost | None | sum of `costInUsd` over the window, USD |
//! | CTR | Percent | clicks / impressions × 100; left out when there were no impressions |
//! | CPC | None | cost / clicks, USD; left out when there were no clicks |
//! | CollectionFailure | Count | 0 on success, 1 when the run failed after validation |
//! | RowsWritten | Count | creative-day rows written to the curated files |
//! | ApiRequests | Count | LinkedIn requests sent, retries included |
//!
//! Reporting is best effort: a metric that cannot be sent is a warning, never the run's
//! failure.

use ads::{AccountId, CreativeDay, MetricDatum, Metrics, Unit};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// What a successful run reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Impressions over the window.
    pub impressions: u64,
    /// Clicks over the window.
    pub clicks: u64,
    /// `costInUsd` over the window.
    pub cost: Decimal,
    /// Rows written.
    pub rows: usize,
    /// LinkedIn requests sent, retries included.
    pub requests: u64,
}

impl Summary {
    /// Adds up `rows` (absent metrics count as nothing).
    pub fn of_rows<'a>(rows: impl IntoIterator<Item = &'a CreativeDay>, requests: u64) -> Summary {
        let mut summary = Summary {
            requests,
            ..Summary::default()
        };
        for row in rows {
            summary.impressions += row.impressions.unwrap_or(0);
            summary.clicks += row.clicks.unwrap_or(0);
            summary.cost += row.cost_in_usd.unwrap_or_default();
            summary.rows += 1;
        }
        summary
    }
}

fn datum(account: AccountId, name: &str, value: f64, unit: Unit) -> MetricDatum {
    MetricDatum {
        name: name.to_owned(),
        value,
        unit,
        dimensions: vec![("AccountId".to_owned(), account.to_string())],
    }
}

/// The data points of a successful run.
pub fn success(account: AccountId, summary: &Summary) -> Vec<MetricDatum> {
    let cost = summary.cost.to_f64().unwrap_or(0.0);
    let mut data = vec![
        datum(
            account,
            "TotalImpressions",
            summary.impressions as f64,
            Unit::Count,
        ),
        datum(account, "TotalClicks", summary.clicks as f64, Unit::Count),
        datum(account, "TotalCost", cost, Unit::None),
    ];
    if summary.impressions > 0 {
        let ctr = summary.clicks as f64 / summary.impressions as f64 * 100.0;
        data.push(datum(account, "CTR", ctr, Unit::Percent));
    }
    if summary.clicks > 0 {
        data.push(datum(
            account,
            "CPC",
            cost / summary.clicks as f64,
            Unit::None,
        ));
    }
    data.extend([
        datum(account, "CollectionFailure", 0.0, Unit::Count),
        datum(account, "RowsWritten", summary.rows as f64, Unit::Count),
        datum(account, "ApiRequests", summary.requests as f64, Unit::Count),
    ]);
    data
}

/// The data points of a run that failed after validation.
pub fn failure(account: AccountId, requests: u64) -> Vec<MetricDatum> {
    vec![
        datum(account, "CollectionFailure", 1.0, Unit::Count),
        datum(account, "ApiRequests", requests as f64, Unit::Count),
    ]
}

/// Sends `data`, logging a failure as a warning.
pub async fn emit(metrics: &dyn Metrics, data: &[MetricDatum]) {
    if let Err(error) = metrics.emit(data).await {
        tracing::warn!(%error, "could not emit the collection metrics; carrying on");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(data: &[MetricDatum], name: &str) -> Option<f64> {
        data.iter().find(|d| d.name == name).map(|d| d.value)
    }

    #[test]
    fn a_success_reports_totals_rates_and_no_failure() {
        // GIVEN 2,000 impressions, 10 clicks and $25 over the window
        let summary = Summary {
            impressions: 2_000,
            clicks: 10,
            cost: "25.00".parse().unwrap(),
            rows: 14,
            requests: 4,
        };
        // WHEN reported
        let data = success(AccountId(9), &summary);
        // THEN CTR is a percentage, CPC dollars per click, and every point names the account
        assert_eq!(value(&data, "CTR"), Some(0.5));
        assert_eq!(value(&data, "CPC"), Some(2.5));
        assert_eq!(value(&data, "TotalCost"), Some(25.0));
        assert_eq!(value(&data, "CollectionFailure"), Some(0.0));
        assert_eq!(value(&data, "RowsWritten"), Some(14.0));
        assert_eq!(value(&data, "ApiRequests"), Some(4.0));
        assert!(
            data.iter()
                .all(|d| d.dimensions == vec![("AccountId".to_owned(), "9".to_owned())])
        );
    }

    #[test]
    fn rates_are_left_out_rather_than_divided_by_zero() {
        let data = success(AccountId(9), &Summary::default());
        assert_eq!(value(&data, "CTR"), None);
        assert_eq!(value(&data, "CPC"), None);
        assert_eq!(value(&data, "TotalImpressions"), Some(0.0));
    }

    #[test]
    fn a_failure_reports_one() {
        let data = failure(AccountId(9), 3);
        assert_eq!(value(&data, "CollectionFailure"), Some(1.0));
        assert_eq!(value(&data, "ApiRequests"), Some(3.0));
    }
}
