//! The report as one standalone HTML page: inline CSS, the charts as inline SVG
//! ([`crate::charts`]), no JavaScript and no external URL, so it opens the same from S3, a
//! mail attachment or a laptop. Every text from the data is escaped with [`escape`].
//!
//! Order: the failure (if any), the approval request (if any), the headline figures, the
//! actions (a status chart, then a table with reasons and evidence), spend and conversions
//! per day, CTR per creative, apply's summary, notes, and the inputs used.

use crate::charts;
use crate::model::{ActionLine, Report, Status, Totals};
use crate::numbers;

/// `text` safe inside HTML text and quoted attributes: `& < > " '` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #111827;
  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 12px; }
.meta { color: #4b5563; margin: 0 0 20px; }
section { background: #fff; border-radius: 10px; padding: 18px 20px; margin: 0 0 18px;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.failure { border-left: 6px solid #c62828; background: #fdecea; }
.failure h2 { color: #b71c1c; }
.approval { border-left: 6px solid #1976d2; background: #e8f1fb; }
pre, code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #111827; color: #f9fafb; padding: 10px 12px; border-radius: 6px;
  white-space: pre-wrap; word-break: break-all; margin: 8px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
.card { border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px 14px; }
.card .label { color: #4b5563; font-size: 13px; }
.card .value { font-size: 26px; font-weight: 650; }
.card .sub { color: #4b5563; font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 7px 8px; border-bottom: 1px solid #e5e7eb; }
th { color: #374151; font-weight: 600; background: #f9fafb; }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; color: #fff; border-radius: 999px; padding: 1px 9px;
  font-size: 12px; font-weight: 600; white-space: nowrap; }
.evidence { color: #374151; font-size: 13px; }
.muted { color: #6b7280; }
.empty { color: #4b5563; font-style: italic; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dt { color: #4b5563; }
dd { margin: 0; }
footer { color: #6b7280; font-size: 13px; }
";

/// The whole page.
pub fn render(report: &Report) -> String {
    let mut page = String::with_capacity(32 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    page.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    ));
    page.push_str(&format!("<h1>{}</h1>\n", escape(&report.title)));
    let mut meta = format!("Account {}", report.account);
    if let Some(decided) = &report.decided {
        meta.push_str(&format!(" · {decided}"));
    }
    page.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(&meta)));
    failure(&mut page, report);
    approval(&mut page, report);
    figures(&mut page, report);
    actions(&mut page, report);
    series(&mut page, report);
    apply_and_notes(&mut page, report);
    page.push_str("<footer>");
    let inputs: Vec<String> = report
        .inputs
        .iter()
        .map(|(what, key)| format!("{what}: <code>{}</code>", escape(key)))
        .collect();
    if !inputs.is_empty() {
        page.push_str(&format!("Made from {}. ", inputs.join(", ")));
    }
    page.push_str(&format!(
        "Markdown version: <code>{}</code>.</footer>\n</main>\n</body>\n</html>\n",
        escape(&report.markdown_key)
    ));
    page
}

fn failure(page: &mut String, report: &Report) {
    let Some(failure) = &report.failure else {
        return;
    };
    page.push_str(&format!(
        "<section class=\"failure\" id=\"failure\">\n<h2>Failed: {}</h2>\n",
        escape(&failure.error)
    ));
    match &failure.cause {
        Some(cause) => page.push_str(&format!("<p>{}</p>\n", escape(cause))),
        None => page.push_str("<p class=\"empty\">No cause was given.</p>\n"),
    }
    page.push_str(
        "<p class=\"muted\">What follows is what was known when it failed.</p>\n</section>\n",
    );
}

fn approval(page: &mut String, report: &Report) {
    let Some(approval) = &report.approval else {
        return;
    };
    let s = if approval.pending == 1 { "" } else { "s" };
    page.push_str(&format!(
        "<section class=\"approval\" id=\"approval\">\n<h2>Approval needed</h2>\n\
         <p>{} proposed action{s} below wait{} for your decision. Nothing changes on LinkedIn \
         until you approve. To approve them all:</p>\n<pre>{}</pre>\n<p>To reject them:</p>\n\
         <pre>{}</pre>\n</section>\n",
        approval.pending,
        if approval.pending == 1 { "s" } else { "" },
        escape(&approval.approve),
        escape(&approval.reject)
    ));
}

/// One figure card.
fn card(label: &str, value: &str, sub: &str) -> String {
    format!(
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
         <div class=\"sub\">{}</div></div>",
        escape(label),
        escape(value),
        escape(sub)
    )
}

/// A span's dates in words.
fn span(totals: &Totals) -> String {
    format!("{} – {}", totals.first, totals.last)
}

fn figures(page: &mut String, report: &Report) {
    page.push_str("<section id=\"figures\">\n<h2>Headline figures</h2>\n");
    let Some(figures) = &report.figures else {
        page.push_str(
            "<p class=\"empty\">No data yet: no performance series was available for this \
             report. Figures and charts appear once collect has run and the series query has \
             results.</p>\n</section>\n",
        );
        return;
    };
    let (window, recent) = (&figures.window, &figures.recent);
    let cpa = |t: &Totals| {
        t.cost_per_conversion()
            .map_or_else(|| "—".to_owned(), numbers::money)
    };
    let ctr = |t: &Totals| t.ctr().map_or_else(|| "—".to_owned(), numbers::percent);
    let days = (window.last - window.first).num_days() + 1;
    page.push_str("<div class=\"cards\">");
    page.push_str(&card(
        "Spend, last 7 days",
        &numbers::money(recent.spend),
        &format!(
            "{} over {days} days ({})",
            numbers::money(window.spend),
            span(window)
        ),
    ));
    page.push_str(&card(
        "Conversions, last 7 days",
        &numbers::count(recent.conversions),
        &format!("{} over {days} days", numbers::count(window.conversions)),
    ));
    page.push_str(&card(
        "Cost per conversion, last 7 days",
        &cpa(recent),
        &format!("{} over {days} days", cpa(window)),
    ));
    page.push_str(&card(
        "CTR, last 7 days",
        &ctr(recent),
        &format!(
            "{} clicks / {} impressions ({})",
            numbers::count(recent.clicks as f64),
            numbers::count(recent.impressions as f64),
            span(recent)
        ),
    ));
    page.push_str("</div>\n</section>\n");
}

fn actions(page: &mut String, report: &Report) {
    page.push_str(&format!(
        "<section id=\"actions\">\n<h2>Actions: {}</h2>\n",
        escape(&report.status_summary())
    ));
    if report.actions.is_empty() {
        page.push_str("<p class=\"empty\">No actions were decided or applied.</p>\n</section>\n");
        return;
    }
    page.push_str(&charts::actions(report));
    page.push_str(
        "\n<table>\n<thead><tr><th>Status</th><th>Action</th><th>Change</th>\
         <th>Why</th><th>Evidence</th></tr></thead>\n<tbody>\n",
    );
    for action in &report.actions {
        page.push_str(&action_row(action));
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn action_row(action: &ActionLine) -> String {
    let word = action.status.word();
    let mut why = escape(&action.reason);
    if let Status::Blocked { guardrail, reason } = &action.status {
        why.push_str(&format!(
            "<br><strong>Blocked by {}:</strong> {}",
            escape(guardrail),
            escape(reason)
        ));
    }
    if let Some(detail) = &action.detail {
        why.push_str(&format!(
            "<br><span class=\"muted\">{}</span>",
            escape(detail)
        ));
    }
    let mut what = format!(
        "<strong>{}</strong> {}",
        escape(action.kind.as_str()),
        escape(&action.target)
    );
    if let Some(label) = &action.target_label {
        what.push_str(&format!("<br>“{}”", escape(label)));
    }
    what.push_str(&format!(
        "<br><span class=\"muted\">id {}</span>",
        escape(&action.id.0)
    ));
    let mut change = action.change.as_deref().map(escape).unwrap_or_default();
    if let Some(observed) = &action.observed {
        change.push_str(&format!(
            "<br><span class=\"muted\">seen: {}</span>",
            escape(observed)
        ));
    }
    let evidence: Vec<String> = action
        .evidence
        .iter()
        .map(|(name, value)| format!("{} {}", escape(name), escape(value)))
        .collect();
    format!(
        "<tr><td><span class=\"badge\" style=\"background:{}\">{}</span></td><td>{what}</td>\
         <td>{change}</td><td>{why}</td><td class=\"evidence\">{}</td></tr>\n",
        charts::status_colour(word),
        escape(word),
        evidence.join("<br>")
    )
}

fn series(page: &mut String, report: &Report) {
    if report.days.is_empty() {
        return;
    }
    page.push_str("<section id=\"spend-conversions\">\n<h2>Spend and conversions per day</h2>\n");
    page.push_str(&charts::spend_conversions(&report.days));
    page.push_str("\n</section>\n");
    page.push_str(
        "<section id=\"ctr\">\n<h2>CTR per creative</h2>\n<p class=\"muted\">Each point is the \
         posterior mean click-through rate over the series window; the bar is its 90% \
         credible interval (Beta posterior with a uniform prior). A short bar means the rate \
         is well known; overlapping bars mean the creatives cannot yet be told apart.</p>\n",
    );
    if report.creatives.is_empty() {
        page.push_str("<p class=\"empty\">No creative had impressions.</p>\n");
    } else {
        page.push_str(&charts::ctr(&report.creatives));
    }
    if report.creatives_hidden > 0 {
        page.push_str(&format!(
            "\n<p class=\"muted\">{} more creatives with fewer impressions are not shown.</p>",
            report.creatives_hidden
        ));
    }
    page.push_str("\n</section>\n");
}

fn apply_and_notes(page: &mut String, report: &Report) {
    if !report.apply.is_empty() {
        page.push_str("<section id=\"apply\">\n<h2>Apply</h2>\n<dl>");
        for (name, value) in &report.apply {
            page.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>",
                escape(name),
                escape(value)
            ));
        }
        page.push_str("</dl>\n</section>\n");
    }
    if !report.notes.is_empty() {
        page.push_str("<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n");
        for note in &report.notes {
            page.push_str(&format!("<li>{}</li>\n", escape(note)));
        }
        page.push_str("</ul>\n</section>\n");
    }
}
