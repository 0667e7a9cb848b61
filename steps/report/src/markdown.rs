//! The report as Markdown: the notice's text (SNS e-mail, chat) and `reports/*.md`. It reads
//! as plain text too, so numbers are in tables and lists rather than charts; the HTML has
//! the charts.
//!
//! Same order as the HTML: failure, approval, figures, actions, days, creatives, apply,
//! notes. Text from the data is kept on one line and `|` escaped in table cells, so a
//! reason or a headline cannot break the layout.

use crate::model::{ActionLine, Report, Status, Totals};
use crate::numbers;

/// The most recent days listed in the per-day table.
pub const DAYS_LISTED: usize = 14;

/// `text` on one line (line breaks as spaces).
fn inline(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as a table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// The whole Markdown report.
pub fn render(report: &Report) -> String {
    let mut md = format!("# {}\n\n", inline(&report.title));
    let mut meta = format!("Account {}", report.account);
    if let Some(decided) = &report.decided {
        meta.push_str(&format!(" · {decided}"));
    }
    md.push_str(&format!("{}\n\n", inline(&meta)));
    if let Some(failure) = &report.failure {
        md.push_str(&format!("## FAILED: {}\n\n", inline(&failure.error)));
        match &failure.cause {
            Some(cause) => md.push_str(&format!("{}\n\n", inline(cause))),
            None => md.push_str("No cause was given.\n\n"),
        }
        md.push_str("What follows is what was known when it failed.\n\n");
    }
    if let Some(approval) = &report.approval {
        let (s, verb) = if approval.pending == 1 {
            ("", "waits")
        } else {
            ("s", "wait")
        };
        md.push_str(&format!(
            "## Approval needed\n\n{} proposed action{s} below {verb} for your decision. \
             Nothing changes on LinkedIn until you approve.\n\nTo approve them all:\n\n    {}\n\n\
             To reject them:\n\n    {}\n\n",
            approval.pending,
            inline(&approval.approve),
            inline(&approval.reject)
        ));
    }
    figures(&mut md, report);
    actions(&mut md, report);
    days(&mut md, report);
    creatives(&mut md, report);
    if !report.apply.is_empty() {
        md.push_str("## Apply\n\n");
        for (name, value) in &report.apply {
            md.push_str(&format!("- {}: {}\n", inline(name), inline(value)));
        }
        md.push('\n');
    }
    if !report.notes.is_empty() {
        md.push_str("## Notes\n\n");
        for note in &report.notes {
            md.push_str(&format!("- {}\n", inline(note)));
        }
        md.push('\n');
    }
    md.push_str(&format!(
        "---\nThe full report with charts: {} (in the data store).\n",
        report.html_key
    ));
    md
}

fn figures(md: &mut String, report: &Report) {
    md.push_str("## Headline figures\n\n");
    let Some(figures) = &report.figures else {
        md.push_str(
            "No data yet: no performance series was available for this report. Figures \
             appear once collect has run and the series query has results.\n\n",
        );
        return;
    };
    let (recent, window) = (&figures.recent, &figures.window);
    let days = |t: &Totals| (t.last - t.first).num_days() + 1;
    let cpa = |t: &Totals| {
        t.cost_per_conversion()
            .map_or_else(|| "—".to_owned(), numbers::money)
    };
    let ctr = |t: &Totals| t.ctr().map_or_else(|| "—".to_owned(), numbers::percent);
    md.push_str(&format!(
        "| | Last {} days ({} – {}) | {} days ({} – {}) |\n|---|---:|---:|\n",
        days(recent),
        recent.first,
        recent.last,
        days(window),
        window.first,
        window.last
    ));
    let rows = [
        (
            "Spend",
            numbers::money(recent.spend),
            numbers::money(window.spend),
        ),
        (
            "Conversions",
            numbers::count(recent.conversions),
            numbers::count(window.conversions),
        ),
        ("Cost per conversion", cpa(recent), cpa(window)),
        ("CTR", ctr(recent), ctr(window)),
        (
            "Clicks",
            numbers::count(recent.clicks as f64),
            numbers::count(window.clicks as f64),
        ),
        (
            "Impressions",
            numbers::count(recent.impressions as f64),
            numbers::count(window.impressions as f64),
        ),
    ];
    for (name, recent, window) in rows {
        md.push_str(&format!("| {name} | {recent} | {window} |\n"));
    }
    md.push('\n');
}

fn actions(md: &mut String, report: &Report) {
    md.push_str(&format!("## Actions: {}\n\n", report.status_summary()));
    if report.actions.is_empty() {
        md.push_str("No actions were decided or applied.\n\n");
        return;
    }
    for (n, action) in report.actions.iter().enumerate() {
        md.push_str(&action_item(n + 1, action));
    }
    md.push('\n');
}

fn action_item(n: usize, action: &ActionLine) -> String {
    let mut head = format!(
        "{n}. **{}** · {} {}",
        action.status.word(),
        action.kind,
        action.target
    );
    if let Some(label) = &action.target_label {
        head.push_str(&format!(" “{}”", inline(label)));
    }
    if let Some(change) = &action.change {
        head.push_str(&format!(" · {}", inline(change)));
    }
    if let Some(observed) = &action.observed {
        head.push_str(&format!(" (seen: {})", inline(observed)));
    }
    let mut item = format!("{head}\n   - Why: {}\n", inline(&action.reason));
    if let Status::Blocked { guardrail, reason } = &action.status {
        item.push_str(&format!(
            "   - Blocked by {}: {}\n",
            inline(guardrail),
            inline(reason)
        ));
    }
    if let Some(detail) = &action.detail {
        item.push_str(&format!("   - Detail: {}\n", inline(detail)));
    }
    if !action.evidence.is_empty() {
        let evidence: Vec<String> = action
            .evidence
            .iter()
            .map(|(name, value)| format!("{} {value}", inline(name)))
            .collect();
        item.push_str(&format!("   - Evidence: {}\n", evidence.join(", ")));
    }
    item.push_str(&format!("   - Id: {}\n", action.id));
    item
}

fn days(md: &mut String, report: &Report) {
    if report.days.is_empty() {
        return;
    }
    let shown = &report.days[report.days.len().saturating_sub(DAYS_LISTED)..];
    md.push_str(&format!(
        "## Spend and conversions per day (last {} of {} days)\n\n| Day | Spend | Conversions |\n|---|---:|---:|\n",
        shown.len(),
        report.days.len()
    ));
    for day in shown {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            day.day,
            numbers::money(day.spend),
            numbers::count(day.conversions)
        ));
    }
    md.push('\n');
}

fn creatives(md: &mut String, report: &Report) {
    if report.creatives.is_empty() {
        return;
    }
    md.push_str(
        "## CTR per creative (90% credible interval)\n\n\
         | Campaign | Creative | Status | Impressions | Clicks | CTR | 90% interval |\n\
         |---|---|---|---:|---:|---:|---|\n",
    );
    for creative in &report.creatives {
        let name = match &creative.label {
            Some(label) => format!("{} “{}”", creative.creative, cell(label)),
            None => creative.creative.to_string(),
        };
        md.push_str(&format!(
            "| {} | {name} | {} | {} | {} | {} | {} – {} |\n",
            creative.campaign,
            cell(creative.status.as_deref().unwrap_or("—")),
            numbers::count(creative.impressions as f64),
            numbers::count(creative.clicks as f64),
            numbers::percent(creative.observed()),
            numbers::percent(creative.interval.low),
            numbers::percent(creative.interval.high),
        ));
    }
    if report.creatives_hidden > 0 {
        md.push_str(&format!(
            "\n{} more creatives with fewer impressions are not listed.\n",
            report.creatives_hidden
        ));
    }
    md.push('\n');
}
