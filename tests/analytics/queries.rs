//! Each query of `athena/queries/` against the same answer computed in Rust from the
//! curated rows it reads.

use super::*;
use serde_json::json;

/// SQL's SUM: NULL when every value is NULL.
fn sum_i64(values: impl Iterator<Item = Option<i64>>) -> Option<i64> {
    values
        .flatten()
        .fold(None, |total, v| Some(total.unwrap_or(0) + v))
}

fn sum_money(values: impl Iterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values
        .flatten()
        .fold(None, |total, v| Some(total.unwrap_or_default() + v))
}

/// Per (campaign, creative): the rows of a window.
fn by_creative(rows: &[(NaiveDate, Row)]) -> BTreeMap<(i64, i64), Vec<&(NaiveDate, Row)>> {
    let mut groups: BTreeMap<(i64, i64), Vec<&(NaiveDate, Row)>> = BTreeMap::new();
    for entry in rows {
        let row = &entry.1;
        let key = (
            row.count("campaign_id").unwrap(),
            row.count("creative_id").unwrap(),
        );
        groups.entry(key).or_default().push(entry);
    }
    groups
}

fn count_field(row: &BTreeMap<String, String>, column: &str) -> Option<i64> {
    let field = &row[column];
    (!field.is_empty()).then(|| {
        field
            .parse()
            .unwrap_or_else(|_| panic!("{column}: {field}"))
    })
}

fn money_of(rows: &[&(NaiveDate, Row)], column: &str) -> Option<Decimal> {
    sum_money(rows.iter().map(|(_, r)| r.decimal(column)))
}

fn counts_of(rows: &[&(NaiveDate, Row)], column: &str) -> Option<i64> {
    sum_i64(rows.iter().map(|(_, r)| r.count(column)))
}

#[tokio::test]
async fn decision_series_lists_every_creative_day_of_the_window() {
    let w = World::new(101).await;
    let (first, last) = (w.day(20), w.end);
    let result = w
        .query(
            "decision_series",
            json!({"account_id": w.account.0.to_string(),
                "start_date": first.to_string(), "end_date": last.to_string()}),
        )
        .await;
    let mut expected = w.daily(first, last).await;
    expected.sort_by_key(|(day, r)| (r.count("campaign_id"), r.count("creative_id"), *day));
    assert_eq!(result.len(), expected.len());
    assert!(result.len() > 100, "a meaningful sample: {}", result.len());
    for (got, (day, row)) in result.iter().zip(&expected) {
        assert_eq!(got["day"], day.to_string());
        assert_eq!(count_field(got, "creative_id"), row.count("creative_id"));
        assert_eq!(count_field(got, "campaign_id"), row.count("campaign_id"));
        for column in ["impressions", "clicks", "conversions"] {
            assert_eq!(
                count_field(got, column),
                row.count(column),
                "{column} on {day}"
            );
        }
        assert_eq!(
            decimal(&got["cost"]),
            row.decimal("cost_in_usd").map(|d| d.normalize())
        );
    }
}

#[tokio::test]
async fn decision_input_totals_each_creative_with_its_campaigns_bid_and_budget() {
    let w = World::new(102).await;
    let (first, last) = (w.day(27), w.end);
    let result = w
        .query(
            "decision_input",
            json!({"account_id": w.account.0.to_string(),
                "start_date": first.to_string(), "end_date": last.to_string()}),
        )
        .await;
    let rows = w.daily(first, last).await;
    let groups = by_creative(&rows);
    let campaigns = w.entities("campaigns", "campaign_id").await;
    let creatives = w.entities("creatives", "creative_id").await;
    assert_eq!(result.len(), groups.len());
    for (got, ((campaign, creative), days)) in result.iter().zip(&groups) {
        let what = format!("creative {creative}");
        assert_eq!(count_field(got, "campaign_id"), Some(*campaign), "{what}");
        assert_eq!(count_field(got, "creative_id"), Some(*creative), "{what}");
        assert_eq!(
            count_field(got, "impressions"),
            Some(counts_of(days, "impressions").unwrap_or(0))
        );
        assert_eq!(
            count_field(got, "clicks"),
            Some(counts_of(days, "clicks").unwrap_or(0))
        );
        assert_eq!(
            count_field(got, "conversions"),
            counts_of(days, "conversions"),
            "{what}"
        );
        assert_eq!(
            count_field(got, "leads"),
            counts_of(days, "one_click_leads"),
            "{what}"
        );
        assert_eq!(
            decimal(&got["cost"]),
            Some(
                money_of(days, "cost_in_usd")
                    .unwrap_or_default()
                    .normalize()
            ),
            "{what}"
        );
        let active: Vec<NaiveDate> = days
            .iter()
            .filter(|(_, r)| r.count("impressions").unwrap_or(0) > 0)
            .map(|(day, _)| *day)
            .collect();
        assert_eq!(
            count_field(got, "days_active"),
            Some(active.len() as i64),
            "{what}"
        );
        let first_active = active
            .iter()
            .min()
            .map(|d| d.to_string())
            .unwrap_or_default();
        let last_active = active
            .iter()
            .max()
            .map(|d| d.to_string())
            .unwrap_or_default();
        assert_eq!(got["first_day"], first_active, "{what}");
        assert_eq!(got["last_day"], last_active, "{what}");
        let campaign_row = &campaigns[campaign];
        assert_eq!(
            decimal(&got["unit_cost"]),
            campaign_row.decimal("unit_cost").map(|d| d.normalize()),
            "{what}"
        );
        assert_eq!(
            decimal(&got["daily_budget"]),
            campaign_row.decimal("daily_budget").map(|d| d.normalize()),
            "{what}"
        );
        assert_eq!(
            got["cost_type"],
            campaign_row.text("cost_type").unwrap_or_default()
        );
        assert_eq!(
            got["campaign_status"],
            campaign_row.text("status").unwrap_or_default()
        );
        assert_eq!(
            got["creative_status"],
            creatives[creative].text("status").unwrap_or_default()
        );
    }
}

/// Window totals per creative: impressions, clicks, conversions, cost.
struct Totals {
    campaign: i64,
    creative: i64,
    impressions: Option<i64>,
    clicks: Option<i64>,
    conversions: Option<i64>,
    cost: Option<Decimal>,
}

fn totals(rows: &[(NaiveDate, Row)]) -> Vec<Totals> {
    by_creative(rows)
        .into_iter()
        .map(|((campaign, creative), days)| Totals {
            campaign,
            creative,
            impressions: counts_of(&days, "impressions"),
            clicks: counts_of(&days, "clicks"),
            conversions: counts_of(&days, "conversions"),
            cost: money_of(&days, "cost_in_usd"),
        })
        .collect()
}

fn ctr(t: &Totals) -> Option<f64> {
    percent(t.clicks? as f64, t.impressions? as f64, 2)
}

#[tokio::test]
async fn top_performers_ranks_the_last_seven_days_by_ctr() {
    let w = World::new(103).await;
    let min_clicks = 3;
    let result = w
        .query(
            "top_performers",
            json!({"account_id": w.account.0.to_string(),
                "end_date": w.end.to_string(), "min_clicks": min_clicks}),
        )
        .await;
    let mut expected: Vec<Totals> = totals(&w.daily(w.day(6), w.end).await)
        .into_iter()
        .filter(|t| t.clicks.unwrap_or(0) >= min_clicks)
        .collect();
    expected.sort_by(|a, b| {
        let rank = |t: &Totals| (ctr(t).map(|c| -c), std::cmp::Reverse(t.clicks), t.creative);
        let (ra, rb) = (rank(a), rank(b));
        // NULL CTRs last, as `DESC NULLS LAST`.
        (ra.0.is_none(), ra.0.unwrap_or(0.0), ra.1, ra.2)
            .partial_cmp(&(rb.0.is_none(), rb.0.unwrap_or(0.0), rb.1, rb.2))
            .unwrap()
    });
    expected.truncate(10);
    assert!(!expected.is_empty());
    assert_eq!(result.len(), expected.len());
    for (got, t) in result.iter().zip(&expected) {
        let what = format!("creative {}", t.creative);
        assert_eq!(count_field(got, "creative_id"), Some(t.creative), "{what}");
        assert_eq!(count_field(got, "campaign_id"), Some(t.campaign), "{what}");
        assert_eq!(count_field(got, "clicks"), t.clicks, "{what}");
        assert_eq!(count_field(got, "impressions"), t.impressions, "{what}");
        assert_eq!(count_field(got, "conversions"), t.conversions, "{what}");
        assert_eq!(
            decimal(&got["cost"]),
            t.cost.map(|c| c.normalize()),
            "{what}"
        );
        assert_close(float(&got["ctr_percent"]), ctr(t), &what);
        let cpc = t.cost.and_then(|c| ratio(to_f64(c), t.clicks? as f64));
        assert_close(float(&got["avg_cpc"]), cpc, &what);
        assert!(!got["campaign_name"].is_empty(), "names joined: {got:?}");
    }
}

#[tokio::test]
async fn underperformers_lists_active_creatives_under_the_ctr_threshold() {
    let w = World::new(104).await;
    let (min_clicks, max_ctr) = (1, 0.6);
    let result = w
        .query(
            "underperformers",
            json!({"account_id": w.account.0.to_string(),
                "end_date": w.end.to_string(), "min_clicks": min_clicks,
                "max_ctr_percent": max_ctr}),
        )
        .await;
    let creatives = w.entities("creatives", "creative_id").await;
    let mut expected: Vec<Totals> = totals(&w.daily(w.day(2), w.end).await)
        .into_iter()
        .filter(|t| creatives[&t.creative].text("status") == Some("ACTIVE"))
        .filter(|t| t.clicks.unwrap_or(0) >= min_clicks)
        .filter(|t| match (t.clicks, t.impressions) {
            (Some(c), Some(i)) if i > 0 => (c as f64) * 100.0 / (i as f64) < max_ctr,
            _ => false,
        })
        .collect();
    expected.sort_by(|a, b| b.cost.cmp(&a.cost).then(a.creative.cmp(&b.creative)));
    assert!(!expected.is_empty(), "the threshold selects some creatives");
    assert_eq!(result.len(), expected.len());
    for (got, t) in result.iter().zip(&expected) {
        assert_eq!(count_field(got, "creative_id"), Some(t.creative));
        assert_eq!(decimal(&got["total_spent"]), t.cost.map(|c| c.normalize()));
        assert_close(float(&got["ctr_percent"]), ctr(t), "ctr_percent");
    }
}

#[tokio::test]
async fn daily_trend_totals_the_account_day_by_day() {
    let w = World::new(105).await;
    let result = w
        .query(
            "daily_trend",
            json!({"account_id": w.account.0.to_string(),
                "end_date": w.end.to_string()}),
        )
        .await;
    let rows = w.daily(w.day(29), w.end).await;
    let mut days: BTreeMap<NaiveDate, Vec<&(NaiveDate, Row)>> = BTreeMap::new();
    for entry in &rows {
        days.entry(entry.0).or_default().push(entry);
    }
    assert_eq!(result.len(), days.len());
    for (got, (day, day_rows)) in result.iter().zip(&days) {
        let what = day.to_string();
        assert_eq!(got["report_date"], what);
        let impressions = counts_of(day_rows, "impressions");
        let clicks = counts_of(day_rows, "clicks");
        let conversions = counts_of(day_rows, "conversions");
        let cost = money_of(day_rows, "cost_in_usd");
        assert_eq!(count_field(got, "total_impressions"), impressions, "{what}");
        assert_eq!(count_field(got, "total_clicks"), clicks, "{what}");
        assert_eq!(count_field(got, "total_conversions"), conversions, "{what}");
        assert_eq!(
            decimal(&got["total_cost"]),
            cost.map(|c| c.normalize()),
            "{what}"
        );
        let cost = cost.map(to_f64).unwrap_or(0.0);
        let ctr = percent(
            clicks.unwrap_or(0) as f64,
            impressions.unwrap_or(0) as f64,
            2,
        );
        assert_close(float(&got["ctr_percent"]), ctr, &what);
        assert_close(
            float(&got["avg_cpc"]),
            ratio(cost, clicks.unwrap_or(0) as f64),
            &what,
        );
        let per_conversion = conversions.and_then(|c| ratio(cost, c as f64));
        assert_close(float(&got["cost_per_conversion"]), per_conversion, &what);
    }
}

#[tokio::test]
async fn budget_pacing_compares_each_campaigns_daily_spend_with_its_budget() {
    let w = World::new(106).await;
    let (first, last) = (w.day(13), w.end);
    let result = w
        .query(
            "budget_pacing",
            json!({"account_id": w.account.0.to_string(),
                "start_date": first.to_string(), "end_date": last.to_string()}),
        )
        .await;
    let campaigns = w.entities("campaigns", "campaign_id").await;
    let rows = w.daily(first, last).await;
    let mut groups: BTreeMap<(NaiveDate, i64), Vec<&(NaiveDate, Row)>> = BTreeMap::new();
    for entry in &rows {
        groups
            .entry((entry.0, entry.1.count("campaign_id").unwrap()))
            .or_default()
            .push(entry);
    }
    assert_eq!(result.len(), groups.len());
    for (got, ((day, campaign), day_rows)) in result.iter().zip(&groups) {
        let what = format!("campaign {campaign} on {day}");
        assert_eq!(got["report_date"], day.to_string(), "{what}");
        assert_eq!(count_field(got, "campaign_id"), Some(*campaign), "{what}");
        let spend = money_of(day_rows, "cost_in_local_currency");
        assert_eq!(
            decimal(&got["actual_spend"]),
            spend.map(|s| s.normalize()),
            "{what}"
        );
        let budget = campaigns[campaign].decimal("daily_budget");
        assert_eq!(
            decimal(&got["daily_budget"]),
            budget.map(|b| b.normalize()),
            "{what}"
        );
        let pacing = match (spend, budget) {
            (Some(s), Some(b)) => percent(to_f64(s), to_f64(b), 1),
            _ => None,
        };
        assert_close(float(&got["pacing_percent"]), pacing, &what);
    }
}
