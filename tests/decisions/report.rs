//! The report renders: a real report from `report::run` over a data directory, opened by
//! headless Chromium (Debian's `chromium`, installed by `tests/setup.sh`), which must take a
//! screenshot without error and whose rendered DOM must hold both charts with one mark per
//! day and per creative, and every action's reason.
//!
//! Chromium missing is a failure with the command that installs it, never a silent skip.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use ads::decision::{Action, ActionId, ActionKind, Blocked, Decisions, LogEntry, Outcome};
use ads::{AccountId, AdCopy, CampaignId, CreativeId, ObjectStore};
use bytes::Bytes;
use chrono::{Days, NaiveDate, TimeZone, Utc};
use collect::curated::CreativeRecord;
use local::{DirStore, FileNotifier};
use serde_json::json;

const ACCOUNT: u64 = 500000001;
/// Days in the series.
const DAYS: u64 = 30;
/// How long Chromium may take for one page before the test gives up on it.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(120);

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 30).expect("a valid date")
}

/// The world's creatives: (campaign, creative, headline, true CTR, conversions per click).
const CREATIVES: [(u64, u64, &str, f64, f64); 5] = [
    (
        700000001,
        880000001,
        "Cut reporting time in half",
        0.0110,
        0.080,
    ),
    (
        700000001,
        880000002,
        "The <b>only</b> dashboard you need",
        0.0045,
        0.050,
    ),
    (
        700000001,
        880000003,
        "See what your pipeline is worth",
        0.0080,
        0.070,
    ),
    (
        700000002,
        880000004,
        "Forecasts your CFO will trust",
        0.0065,
        0.060,
    ),
    (
        700000002,
        880000005,
        "Close the quarter with confidence",
        0.0095,
        0.090,
    ),
];

/// Every creative's 30 days as decision_series rows, with a weekly rhythm so the chart is
/// not flat; counts are deterministic.
fn series_csv() -> String {
    let mut csv = String::from(
        "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\"conversions\",\
         \"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\
         \"campaign_status\",\"creative_status\"\n",
    );
    let first = as_of() - Days::new(DAYS - 1);
    for (i, (campaign, creative, _, ctr, cvr)) in CREATIVES.iter().enumerate() {
        for d in 0..DAYS {
            let day = first + Days::new(d);
            let weekday = 1.0 + 0.35 * ((d as f64 + i as f64) * std::f64::consts::TAU / 7.0).sin();
            let impressions = (1500.0 * weekday).round();
            let clicks = (impressions * ctr).round();
            let conversions = (clicks * cvr * 3.0).round();
            let cost = clicks * 6.4;
            let status = if *creative == 880000002 {
                "PAUSED"
            } else {
                "ACTIVE"
            };
            csv.push_str(&format!(
                "\"{campaign}\",\"{creative}\",\"{day}\",\"{impressions}\",\"{clicks}\",\
                 \"{conversions}\",\"{cost:.2}\",\"6.40\",\"150.00\",\"USD\",\"CPC\",\"ACTIVE\",\
                 \"{status}\"\n"
            ));
        }
    }
    csv
}

fn action(
    kind: ActionKind,
    campaign: u64,
    creative: Option<u64>,
    change: Option<(&str, &str)>,
    reason: &str,
    evidence: &[(&str, f64)],
) -> Action {
    Action {
        id: ActionId(String::new()),
        kind,
        account_id: AccountId(ACCOUNT),
        campaign_id: CampaignId(campaign),
        creative_id: creative.map(CreativeId),
        as_of: as_of(),
        from: change.map(|(from, _)| from.to_owned()),
        to: change.map(|(_, to)| to.to_owned()),
        currency: matches!(kind, ActionKind::SetBid | ActionKind::SetBudget)
            .then(|| "USD".to_owned()),
        variation: None,
        reason: reason.to_owned(),
        evidence: evidence
            .iter()
            .map(|(name, value)| ((*name).to_owned(), *value))
            .collect::<BTreeMap<_, _>>(),
        blocked: None,
    }
    .with_derived_id()
}

/// What decide proposed: a pause, a bid raise, a budget cut a guardrail blocked, and a
/// variation of the winner.
fn decisions() -> Decisions {
    let pause = action(
        ActionKind::Pause,
        700000001,
        Some(880000002),
        Some(("ACTIVE", "PAUSED")),
        "CTR 0.45% [0.38–0.53] is below the best 1.10% with 99.9% probability",
        &[
            ("clicks", 203.0),
            ("probBest", 0.0004),
            ("expectedLoss", 0.0061),
        ],
    );
    let bid = action(
        ActionKind::SetBid,
        700000002,
        None,
        Some(("6.40", "7.04")),
        "cost per conversion $80 is the best of the account; raise the bid 10%",
        &[("costPerConversion", 80.2), ("probBest", 0.83)],
    );
    let mut budget = action(
        ActionKind::SetBudget,
        700000001,
        None,
        Some(("150.00", "20.00")),
        "cost per conversion $96 trails campaign 700000002; move budget away",
        &[("costPerConversion", 96.4)],
    );
    budget.blocked = Some(Blocked {
        guardrail: "minDailyBudget".to_owned(),
        reason: "20.00 USD is under LinkedIn's minimum daily budget of 10 USD plus margin"
            .to_owned(),
    });
    let mut variation = action(
        ActionKind::CreateVariation,
        700000001,
        Some(880000001),
        None,
        "winner of campaign 700000001 with 97% probability of being best",
        &[("probBest", 0.97)],
    );
    variation.variation = Some(AdCopy {
        headline: Some("Halve your reporting time".to_owned()),
        call_to_action: Some("LEARN_MORE".to_owned()),
        ..AdCopy::default()
    });
    let variation = variation.with_derived_id();
    Decisions {
        account_id: AccountId(ACCOUNT),
        as_of: as_of(),
        execution: "exec-report-test".to_owned(),
        mode: "bayes".to_owned(),
        decided_at: Utc
            .with_ymd_and_hms(2026, 9, 30, 5, 0, 0)
            .single()
            .expect("a valid time"),
        actions: vec![pause, bid, budget, variation],
        notes: vec!["conversions of the last 3 days discounted for reporting lag".to_owned()],
    }
}

/// A data directory with the decisions, the series, the creatives' copy and apply's log
/// (the pause applied, the bid a dry run).
async fn data_dir(decisions: &Decisions) -> (tempfile::TempDir, DirStore) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = DirStore::new(dir.path().join("data"));
    let decisions_json = serde_json::to_vec(decisions).expect("decisions serialize");
    store
        .put(
            &Decisions::key(as_of(), &decisions.execution),
            Bytes::from(decisions_json),
            "application/json",
        )
        .await
        .expect("decisions stored");
    store
        .put(
            "query-results/series.csv",
            Bytes::from(series_csv()),
            "text/csv",
        )
        .await
        .expect("series stored");
    let records: Vec<CreativeRecord> = CREATIVES
        .iter()
        .map(|(campaign, creative, headline, _, _)| CreativeRecord {
            creative_id: CreativeId(*creative),
            campaign_id: CampaignId(*campaign),
            campaign_name: format!("Campaign {campaign}"),
            name: None,
            status: "ACTIVE".to_owned(),
            copy: AdCopy {
                headline: Some((*headline).to_owned()),
                ..AdCopy::default()
            },
            post_urn: None,
            created_at: None,
            last_modified_at: None,
            collected_at: Utc
                .with_ymd_and_hms(2026, 9, 30, 0, 0, 0)
                .single()
                .expect("a valid time"),
        })
        .collect();
    let creatives = collect::curated::creatives_file(&records).expect("creatives file");
    store
        .put(
            &collect::keys::creatives(AccountId(ACCOUNT)),
            creatives,
            "application/octet-stream",
        )
        .await
        .expect("creatives stored");
    let logged = |action: &Action, outcome: Outcome, after: &str| LogEntry {
        action: action.clone(),
        outcome,
        mode: "auto".to_owned(),
        at: Utc
            .with_ymd_and_hms(2026, 9, 30, 6, 0, 0)
            .single()
            .expect("a valid time"),
        before: action.from.clone(),
        after: Some(after.to_owned()),
        detail: None,
        error: None,
        undoes: None,
    };
    let entries = [
        logged(&decisions.actions[0], Outcome::Applied, "PAUSED"),
        logged(&decisions.actions[1], Outcome::DryRun, "7.04"),
    ];
    policy::action_log::append(&store, as_of(), &entries)
        .await
        .expect("action log written");
    (dir, store)
}

/// The Chromium binary: `$CHROMIUM`, else `chromium` as Debian installs it.
fn chromium() -> PathBuf {
    let candidate = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        candidate.exists(),
        "Chromium is not installed at {}: the report-rendering test needs it. Install \
         Debian's package (`apt-get install -y chromium`, or run tests/setup.sh), or set \
         CHROMIUM to its path.",
        candidate.display()
    );
    candidate
}

/// Runs headless Chromium on `page` with `extra` arguments, a fresh profile in `profile`,
/// no network beyond the file, and a time limit.
fn run_chromium(profile: &Path, page: &Path, extra: &[String]) -> Output {
    let mut command = Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().expect("Chromium starts");
    let id = child.id();
    let (done, waited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let started = Instant::now();
    match waited.recv_timeout(CHROMIUM_TIMEOUT) {
        Ok(output) => output.expect("Chromium's output is read"),
        Err(_) => {
            // Our own child, by its id.
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!(
                "Chromium did not finish within {:?} (started {:?} ago)",
                CHROMIUM_TIMEOUT,
                started.elapsed()
            );
        }
    }
}

/// A PNG's width and height, from its IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let word = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    (word(16), word(20))
}

#[tokio::test]
async fn the_html_report_renders_in_chromium_with_both_charts_and_every_reason() {
    // GIVEN a data directory with 30 days of five creatives in two campaigns, four decided
    // actions (one applied, one dry run, one blocked, one proposed) and the creatives' copy
    let decisions = decisions();
    let (dir, store) = data_dir(&decisions).await;
    let notifier = FileNotifier::new(dir.path().join("data/notifications.md"));

    // WHEN the report step runs
    let input: ::report::Input = serde_json::from_value(json!({
        "accountId": ACCOUNT.to_string(),
        "asOf": as_of().to_string(),
        "decisionsKey": Decisions::key(as_of(), &decisions.execution),
        "seriesKey": "query-results/series.csv",
        "apply": { "mode": "auto", "counts": { "applied": 1, "dryRun": 1 } },
    }))
    .expect("the input reads");
    let output = ::report::run(
        input,
        ::report::Ports {
            store: &store,
            notifier: &notifier,
        },
    )
    .await
    .expect("the report step succeeds");

    // THEN the notice went to the notifications file
    let sent = std::fs::read_to_string(notifier.path()).expect("the notifications file");
    assert!(sent.contains(&output.subject), "{sent}");

    // AND headless Chromium screenshots the HTML without error, at the window's size
    let page = dir.path().join("data").join(&output.html_key);
    let screenshot = dir.path().join("report.png");
    let shot = run_chromium(
        &dir.path().join("profile-shot"),
        &page,
        &[format!("--screenshot={}", screenshot.display())],
    );
    assert!(
        shot.status.success(),
        "Chromium failed to screenshot the report ({}): {}",
        shot.status,
        String::from_utf8_lossy(&shot.stderr)
    );
    let png = std::fs::read(&screenshot).expect("Chromium wrote the screenshot");
    assert_eq!(png_size(&png), (1200, 2400));
    assert!(
        png.len() > 50_000,
        "a {}-byte screenshot is too small to hold a rendered report",
        png.len()
    );
    if let Some(keep) = std::env::var_os("REPORT_SCREENSHOT") {
        std::fs::copy(&screenshot, keep).expect("the screenshot is kept");
    }

    // AND the DOM Chromium rendered holds both charts, titled, with one bar and one point per
    // day and one point and one interval per creative
    let dump = run_chromium(
        &dir.path().join("profile-dom"),
        &page,
        &["--dump-dom".to_owned()],
    );
    assert!(
        dump.status.success(),
        "Chromium failed to render the report ({}): {}",
        dump.status,
        String::from_utf8_lossy(&dump.stderr)
    );
    let dom = String::from_utf8_lossy(&dump.stdout);
    for (id, title) in [
        ("chart-spend-conversions", "Spend and conversions per day"),
        (
            "chart-ctr",
            "CTR per creative with its 90% credible interval",
        ),
        ("chart-actions", "Actions by status"),
    ] {
        assert!(
            dom.contains(&format!("<svg id=\"{id}\"")),
            "no {id} in the DOM"
        );
        assert!(
            dom.contains(&format!("<title id=\"{id}-title\">{title}</title>")),
            "{id} has no title"
        );
    }
    let count = |class: &str| dom.matches(&format!("class=\"{class}\"")).count();
    assert_eq!(count("spend-bar"), DAYS as usize, "a spend bar per day");
    assert_eq!(count("conversions-point"), DAYS as usize, "a point per day");
    assert_eq!(
        count("ctr-point"),
        CREATIVES.len(),
        "a CTR point per creative"
    );
    assert_eq!(
        count("ctr-interval"),
        CREATIVES.len(),
        "an interval per creative"
    );
    assert_eq!(
        count("status-bar"),
        4,
        "applied, dry run, proposed, blocked"
    );

    // AND every action's reason, the guardrail's, and the statuses are in the page
    for action in &decisions.actions {
        assert!(
            dom.contains(&action.reason),
            "missing reason: {}",
            action.reason
        );
    }
    assert!(dom.contains("Blocked by minDailyBudget:"));
    for word in ["applied", "dryRun", "blocked", "proposed"] {
        assert!(dom.contains(&format!(">{word}</span>")), "no {word} badge");
    }
    // AND markup in a headline stayed text
    assert!(dom.contains("The &lt;b&gt;only&lt;/b&gt; dashboard you need"));
    assert!(!dom.contains("<b>only</b>"));
    assert!(!dom.contains("<script"));
}
