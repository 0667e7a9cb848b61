//! The report's charts as inline SVG: no script, no external reference, every text escaped.
//!
//! Each chart is one `<svg>` with an `id`, `role="img"` and a `<title>` first (what a
//! screen reader says, and what a test finds), drawn in a `viewBox` so it scales to the
//! page. Every data point is one element with a class naming its series — a bar
//! (`spend-bar`), a point (`conversions-point`, `ctr-point`), an interval (`ctr-interval`),
//! a status bar (`status-bar`) — carrying a `<title>` with its values as a tooltip.
//!
//! - [`spend_conversions`] (`chart-spend-conversions`): spend per day as bars on the left
//!   axis, conversions per day as a line with points on the right axis.
//! - [`ctr`] (`chart-ctr`): per creative, grouped by campaign, the posterior mean CTR as a
//!   point within its 90% credible interval, with the observed CTR and interval in words.
//! - [`actions`] (`chart-actions`): how many actions have each status.

use crate::html::escape;
use crate::model::{CreativeCtr, DayTotals, Report};
use crate::numbers;

/// The drawing's width in `viewBox` units; the page scales it.
const WIDTH: f64 = 1000.0;

/// Series colours, chosen to stay apart for colour-blind readers (Tableau 10).
const SPEND: &str = "#4e79a7";
const CONVERSIONS: &str = "#f28e2b";
const INTERVAL: &str = "#59a14f";
const AXIS: &str = "#6b7280";
const GRID: &str = "#e5e7eb";

/// The colour of an action status, shared with the HTML badges.
pub fn status_colour(word: &str) -> &'static str {
    match word {
        "applied" => "#2e7d32",
        "dryRun" => "#5c6bc0",
        "proposed" => "#1976d2",
        "blocked" => "#ef6c00",
        "refused" => "#8d6e63",
        "failed" => "#c62828",
        _ => "#757575",
    }
}

/// Opens an `<svg>` of `height` with its id and title.
fn open(id: &str, title: &str, height: f64) -> String {
    format!(
        "<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {WIDTH} \
         {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" \
         font-family=\"system-ui, sans-serif\" font-size=\"13\">\
         <title id=\"{id}-title\">{}</title>",
        escape(title)
    )
}

/// A text element; `anchor` is `start`, `middle` or `end`.
fn text(x: f64, y: f64, anchor: &str, fill: &str, words: &str) -> String {
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
        escape(words)
    )
}

/// Round axis ticks from 0 past `max`: steps of 1, 2 or 5 × 10ⁿ, about `count` of them.
fn ticks(max: f64, count: usize) -> Vec<f64> {
    let max = if max > 0.0 && max.is_finite() {
        max
    } else {
        1.0
    };
    let rough = max / count.max(1) as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// Spend (bars, left axis) and conversions (line and points, right axis) per day.
pub fn spend_conversions(days: &[DayTotals]) -> String {
    const HEIGHT: f64 = 340.0;
    const LEFT: f64 = 80.0;
    const RIGHT: f64 = 70.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 50.0;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let base = TOP + plot_h;
    let spend_ticks = ticks(days.iter().map(|d| d.spend).fold(0.0, f64::max), 5);
    let conv_ticks = ticks(days.iter().map(|d| d.conversions).fold(0.0, f64::max), 5);
    let spend_max = spend_ticks.last().copied().unwrap_or(1.0);
    let conv_max = conv_ticks.last().copied().unwrap_or(1.0);
    let step = plot_w / days.len().max(1) as f64;
    let x_mid = |i: usize| LEFT + step * (i as f64 + 0.5);
    let y_spend = |v: f64| base - v / spend_max * plot_h;
    let y_conv = |v: f64| base - v / conv_max * plot_h;

    let mut svg = open(
        "chart-spend-conversions",
        "Spend and conversions per day",
        HEIGHT,
    );
    // Legend.
    svg.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"12\" width=\"14\" height=\"14\" fill=\"{SPEND}\"/>"
    ));
    svg.push_str(&text(
        LEFT + 20.0,
        24.0,
        "start",
        "#111827",
        "Spend (USD, left axis)",
    ));
    svg.push_str(&format!(
        "<line x1=\"{x1}\" y1=\"19\" x2=\"{x2}\" y2=\"19\" stroke=\"{CONVERSIONS}\" stroke-width=\"2\"/>",
        x1 = LEFT + 220.0,
        x2 = LEFT + 244.0
    ));
    svg.push_str(&text(
        LEFT + 250.0,
        24.0,
        "start",
        "#111827",
        "Conversions (right axis)",
    ));
    // Grid and axes.
    for (i, tick) in spend_ticks.iter().enumerate() {
        let y = y_spend(*tick);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"{GRID}\"/>",
            x2 = WIDTH - RIGHT
        ));
        svg.push_str(&text(
            LEFT - 8.0,
            y + 4.0,
            "end",
            AXIS,
            &numbers::money(*tick),
        ));
        if let Some(conv) = conv_ticks.get(i) {
            let y = y_conv(*conv);
            svg.push_str(&text(
                WIDTH - RIGHT + 8.0,
                y + 4.0,
                "start",
                AXIS,
                &numbers::count(*conv),
            ));
        }
    }
    // Bars.
    let bar_w = (step * 0.7).max(1.0);
    for (i, day) in days.iter().enumerate() {
        let y = y_spend(day.spend);
        svg.push_str(&format!(
            "<rect class=\"spend-bar\" data-day=\"{d}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" \
             height=\"{h:.1}\" fill=\"{SPEND}\"><title>{d}: {spend} spend, {conv} conversions</title></rect>",
            d = day.day,
            x = x_mid(i) - bar_w / 2.0,
            h = base - y,
            spend = escape(&numbers::money(day.spend)),
            conv = numbers::count(day.conversions),
        ));
    }
    // Conversions line and points.
    let points: Vec<String> = days
        .iter()
        .enumerate()
        .map(|(i, day)| format!("{:.1},{:.1}", x_mid(i), y_conv(day.conversions)))
        .collect();
    svg.push_str(&format!(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{CONVERSIONS}\" stroke-width=\"2\"/>",
        points.join(" ")
    ));
    for (i, day) in days.iter().enumerate() {
        svg.push_str(&format!(
            "<circle class=\"conversions-point\" data-day=\"{d}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" \
             fill=\"{CONVERSIONS}\"><title>{d}: {conv} conversions</title></circle>",
            d = day.day,
            x = x_mid(i),
            y = y_conv(day.conversions),
            conv = numbers::count(day.conversions),
        ));
    }
    // Day labels: about ten, always the last.
    let every = days.len().div_ceil(10).max(1);
    for (i, day) in days.iter().enumerate() {
        if i % every == 0 || i + 1 == days.len() {
            svg.push_str(&text(
                x_mid(i),
                base + 20.0,
                "middle",
                AXIS,
                &day.day.format("%m-%d").to_string(),
            ));
        }
    }
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{x2}\" y2=\"{base}\" stroke=\"{AXIS}\"/>",
        x2 = WIDTH - RIGHT
    ));
    svg.push_str("</svg>");
    svg
}

/// The label of a creative's row: its headline (cut to 38 characters) or its id.
fn creative_label(creative: &CreativeCtr) -> String {
    match &creative.label {
        Some(label) if label.chars().count() > 38 => {
            format!("{}…", label.chars().take(37).collect::<String>())
        }
        Some(label) => label.clone(),
        None => format!("creative {}", creative.creative),
    }
}

/// Each creative's posterior mean CTR within its 90% credible interval, by campaign.
pub fn ctr(creatives: &[CreativeCtr]) -> String {
    const ROW: f64 = 30.0;
    const LEFT: f64 = 320.0;
    const RIGHT: f64 = 190.0;
    const TOP: f64 = 40.0;
    let plot_w = WIDTH - LEFT - RIGHT;
    let campaigns = creatives
        .windows(2)
        .filter(|pair| pair[0].campaign != pair[1].campaign)
        .count()
        + 1;
    let height = TOP + ROW * (creatives.len() + campaigns) as f64 + 40.0;
    let axis_ticks = ticks(
        creatives
            .iter()
            .map(|c| c.interval.high)
            .fold(0.0, f64::max),
        5,
    );
    let x_max = axis_ticks.last().copied().unwrap_or(1.0);
    let x = |rate: f64| LEFT + rate / x_max * plot_w;
    let bottom = height - 30.0;

    let mut svg = open(
        "chart-ctr",
        "CTR per creative with its 90% credible interval",
        height,
    );
    svg.push_str(&format!(
        "<circle cx=\"{LEFT}\" cy=\"19\" r=\"5\" fill=\"{INTERVAL}\"/>"
    ));
    svg.push_str(&text(
        LEFT + 12.0,
        24.0,
        "start",
        "#111827",
        "posterior mean CTR",
    ));
    svg.push_str(&format!(
        "<line x1=\"{x1}\" y1=\"19\" x2=\"{x2}\" y2=\"19\" stroke=\"{INTERVAL}\" stroke-width=\"4\" \
         stroke-opacity=\"0.45\"/>",
        x1 = LEFT + 160.0,
        x2 = LEFT + 190.0
    ));
    svg.push_str(&text(
        LEFT + 196.0,
        24.0,
        "start",
        "#111827",
        "90% credible interval",
    ));
    for tick in &axis_ticks {
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{bottom:.1}\" stroke=\"{GRID}\"/>",
            x = x(*tick)
        ));
        svg.push_str(&text(
            x(*tick),
            bottom + 18.0,
            "middle",
            AXIS,
            &numbers::percent(*tick),
        ));
    }
    let mut y = TOP;
    for (i, creative) in creatives.iter().enumerate() {
        if i == 0 || creatives[i - 1].campaign != creative.campaign {
            y += ROW;
            svg.push_str(&format!(
                "<text x=\"8\" y=\"{:.1}\" font-weight=\"600\" fill=\"#111827\">Campaign {}</text>",
                y - 8.0,
                creative.campaign
            ));
        }
        y += ROW;
        let mid = y - 12.0;
        let paused = creative.status.as_deref().is_some_and(|s| s != "ACTIVE");
        let ink = if paused { "#9ca3af" } else { "#111827" };
        let status = creative
            .status
            .as_deref()
            .map(|s| format!(" · {s}"))
            .unwrap_or_default();
        svg.push_str(&text(
            24.0,
            mid + 4.0,
            "start",
            ink,
            &format!(
                "{} ({}){status}",
                creative_label(creative),
                creative.creative
            ),
        ));
        let summary = format!(
            "{} observed, {} [{} – {}], {} clicks / {} impressions",
            numbers::percent(creative.observed()),
            numbers::percent(creative.interval.mean),
            numbers::percent(creative.interval.low),
            numbers::percent(creative.interval.high),
            numbers::count(creative.clicks as f64),
            numbers::count(creative.impressions as f64),
        );
        svg.push_str(&format!(
            "<line class=\"ctr-interval\" x1=\"{x1:.1}\" y1=\"{mid:.1}\" x2=\"{x2:.1}\" y2=\"{mid:.1}\" \
             stroke=\"{INTERVAL}\" stroke-width=\"6\" stroke-linecap=\"round\" stroke-opacity=\"0.45\">\
             <title>{t}</title></line>",
            x1 = x(creative.interval.low),
            x2 = x(creative.interval.high),
            t = escape(&summary),
        ));
        svg.push_str(&format!(
            "<circle class=\"ctr-point\" data-creative=\"{c}\" cx=\"{cx:.1}\" cy=\"{mid:.1}\" r=\"5\" \
             fill=\"{INTERVAL}\"><title>{t}</title></circle>",
            c = creative.creative,
            cx = x(creative.interval.mean),
            t = escape(&summary),
        ));
        svg.push_str(&text(
            WIDTH - RIGHT + 12.0,
            mid + 4.0,
            "start",
            ink,
            &format!(
                "{} [{}–{}]",
                numbers::percent(creative.observed()),
                numbers::percent(creative.interval.low),
                numbers::percent(creative.interval.high)
            ),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// How many actions have each status, as horizontal bars.
pub fn actions(report: &Report) -> String {
    const ROW: f64 = 28.0;
    const LEFT: f64 = 110.0;
    let counts = report.status_counts();
    let height = ROW * counts.len() as f64 + 16.0;
    let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let unit = (WIDTH - LEFT - 80.0) / most;
    let mut svg = open("chart-actions", "Actions by status", height);
    for (i, (word, n)) in counts.iter().enumerate() {
        let y = 8.0 + ROW * i as f64;
        svg.push_str(&text(LEFT - 10.0, y + 15.0, "end", "#111827", word));
        svg.push_str(&format!(
            "<rect class=\"status-bar\" data-status=\"{word}\" x=\"{LEFT}\" y=\"{y:.1}\" \
             width=\"{w:.1}\" height=\"20\" rx=\"3\" fill=\"{c}\"><title>{n} {word}</title></rect>",
            w = unit * *n as f64,
            c = status_colour(word),
        ));
        svg.push_str(&text(
            LEFT + unit * *n as f64 + 8.0,
            y + 15.0,
            "start",
            "#111827",
            &n.to_string(),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credible::ctr_interval;
    use ads::{CampaignId, CreativeId};
    use chrono::NaiveDate;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(93.0, 5), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 5).last(), Some(&1.0));
        let small = ticks(0.0169, 5);
        assert!(
            small.last().unwrap() >= &0.0169 && small.len() <= 7,
            "{small:?}"
        );
    }

    #[test]
    fn one_bar_and_one_point_per_day() {
        // GIVEN three days
        let days: Vec<DayTotals> = (1..=3)
            .map(|d| DayTotals {
                day: NaiveDate::from_ymd_opt(2026, 9, d).unwrap(),
                spend: 10.0 * f64::from(d),
                conversions: f64::from(d),
            })
            .collect();
        // WHEN charted
        let svg = spend_conversions(&days);
        // THEN three bars and three points, under the chart's id and title
        assert!(svg.starts_with("<svg id=\"chart-spend-conversions\""));
        assert!(svg.contains("<title id=\"chart-spend-conversions-title\">"));
        assert_eq!(svg.matches("class=\"spend-bar\"").count(), 3);
        assert_eq!(svg.matches("class=\"conversions-point\"").count(), 3);
    }

    #[test]
    fn creative_labels_are_escaped_and_every_creative_has_a_point_and_interval() {
        // GIVEN two creatives, one whose headline is markup
        let creative = |id: u64, label: &str| CreativeCtr {
            creative: CreativeId(id),
            campaign: CampaignId(7),
            label: Some(label.to_owned()),
            status: Some("ACTIVE".to_owned()),
            impressions: 1000,
            clicks: 10,
            interval: ctr_interval(10, 1000),
        };
        let svg = ctr(&[
            creative(1, "<script>alert(1)</script>"),
            creative(2, "Plain"),
        ]);
        // THEN the markup is text, and there is one point and one interval each
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert_eq!(svg.matches("class=\"ctr-point\"").count(), 2);
        assert_eq!(svg.matches("class=\"ctr-interval\"").count(), 2);
    }
}
