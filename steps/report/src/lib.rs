//! # report — say what the optimizer saw, did and proposes, and tell people
//!
//! The last step of the optimize state machine, and its `Catch` target: it writes a
//! Markdown and a standalone HTML report to `reports/YYYY-MM-DD.{md,html}` (for an approval
//! request `reports/YYYY-MM-DD-approval.{md,html}`) and sends the Markdown through the
//! [`Notifier`] port — an SNS topic and a Slack-compatible webhook on AWS, a file locally.
//!
//! A report says: the headline figures (spend, conversions, cost per conversion over the
//! series window and the last 7 days); every action decided, with its status (proposed,
//! blocked by a guardrail, or what apply did: applied, dry run, skipped, refused, failed,
//! with before → after), its reason and its evidence; spend and conversions per day; each
//! creative's CTR with its 90% credible interval; apply's summary; and, when the input
//! carries one, the failure of an earlier step at the top, or an approval request with the
//! commands that answer it.
//!
//! Reading order:
//! - this file: [`Input`] (with [`StepFailure`] and [`ApprovalRequest`]), [`Output`],
//!   [`Error`], [`Ports`] and [`run`]; [`event`]: the Lambda's payload, which may also be a
//!   failed execution's EventBridge status change, as a failure report's [`Input`].
//! - [`sources`]: reading the decisions file, the series, the day's action log and the
//!   creatives' ad copy from the store.
//! - [`series`] and [`credible`]: the decision_series CSV, and the Beta credible interval
//!   of a CTR.
//! - [`model`]: what the report says, computed once; [`numbers`]: how its numbers read.
//! - [`markdown`], [`html`] and [`charts`]: the two renderings of the model; the HTML
//!   embeds the charts as inline SVG.
//! - [`channels`]: [`FanOut`] (one notice to several notifiers) and the webhook notifier
//!   from the credentials secret, shared by `main.rs` and `adsctl`.
//!
//! The report is written before the notice is sent, so a notifier failure loses nothing:
//! the step then fails with `Notify.Failed`, naming the report's keys. Re-running it
//! rewrites the same keys.
//!
//! Deliberately not here: any decision or LinkedIn call (the report only reads what decide
//! and apply wrote), JavaScript or external URLs in the HTML, and any secret — the task
//! token of an approval request is an opaque handle, not a credential.

pub mod channels;
pub mod charts;
pub mod credible;
pub mod event;
pub mod html;
pub mod markdown;
pub mod model;
pub mod numbers;
pub mod series;
pub mod sources;

pub use channels::FanOut;

use ads::error_names::{self, StepError};
use ads::{AccountId, Notice, Notifier, ObjectStore, PortError};
use bytes::Bytes;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::Report;

/// The step's input. Everything but the account and the day is optional: a report with
/// only a failure, or with no series yet, is still a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Input {
    /// The ad account, digits (a string or a number).
    #[serde(deserialize_with = "account_id")]
    pub account_id: AccountId,
    /// The day reported on (UTC), `YYYY-MM-DD`: the decisions' `asOf`. Names the report's
    /// files and the action log day read (`logs/optimizer_actions/<asOf>.jsonl`).
    pub as_of: NaiveDate,
    /// The decisions file decide wrote (`decisions/YYYY-MM-DD/<execution>.json`); its
    /// actions are listed with their reasons. Absent: no actions decided (yet).
    #[serde(default)]
    pub decisions_key: Option<String>,
    /// The CSV result of the `decision_series` query (`query-results/<id>.csv`); figures
    /// and charts come from it. Absent: the report says there is no data yet.
    #[serde(default)]
    pub series_key: Option<String>,
    /// apply's output (its mode and counts), shown as given. Absent when apply did not run.
    #[serde(default)]
    pub apply: Option<serde_json::Value>,
    /// An earlier step's failure, as Step Functions' `Catch` passes it
    /// (`{"Error": ..., "Cause": ...}`); shown at the top of the report.
    #[serde(default)]
    pub error: Option<StepFailure>,
    /// An approval request: the report lists the proposed actions and the commands that
    /// approve or reject them, and is written as `reports/YYYY-MM-DD-approval.*`.
    #[serde(default)]
    pub approval: Option<ApprovalRequest>,
    /// The execution attempt whose failure this reports (`$$.Execution.Name` and
    /// `$$.Execution.RedriveCount`): a failure is reported once per attempt, so the status
    /// change event that follows a failure the state machine already reported is not
    /// reported again. Absent: no such check.
    #[serde(default)]
    pub execution: Option<ExecutionAttempt>,
    /// Whether to send the notice (default `true`); `false` writes the report only, e.g.
    /// to render it again.
    #[serde(default = "yes")]
    pub notify: bool,
}

fn yes() -> bool {
    true
}

/// One attempt of an execution: its name and how many times it had been redriven.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionAttempt {
    /// The execution's name.
    pub name: String,
    /// Its redrive count at the failure (0 before any redrive).
    #[serde(default)]
    pub redrive_count: u32,
}

impl ExecutionAttempt {
    /// Where a failure report of this attempt is recorded once sent.
    pub fn failure_key(&self) -> String {
        format!("reports/failures/{}-{}.json", self.name, self.redrive_count)
    }
}

/// A failure caught by the state machine: Step Functions' `Catch` output, whose keys are
/// capitalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepFailure {
    /// The error's stable name, e.g. `Query.Failed` or `States.Timeout`.
    #[serde(rename = "Error")]
    pub error: String,
    /// The cause: for a Lambda step a JSON string whose `errorMessage` is the step's
    /// message; otherwise free text.
    #[serde(rename = "Cause", default)]
    pub cause: Option<String>,
}

/// A person's decision is awaited (apply in `approve` mode, a `.waitForTaskToken` task).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRequest {
    /// The task token that `adsctl approve <token>` / `adsctl reject <token>` answer. An
    /// opaque handle for this one execution, not a credential.
    pub task_token: String,
    /// The decisions file awaiting approval; when the input's `decisionsKey` is also
    /// given, it must be the same.
    pub decisions_key: String,
}

/// Where the report went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The Markdown report's key, e.g. `reports/2026-09-01.md`.
    pub markdown_key: String,
    /// The standalone HTML report's key, e.g. `reports/2026-09-01.html`.
    pub html_key: String,
    /// The notice's subject.
    pub subject: String,
    /// Whether the notice was sent (`false` only when the input's `notify` was `false`).
    pub notified: bool,
}

/// Why the step failed. [`StepError::name`] gives the stable name the state machine matches.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field of the input is unusable: a decisions or series key that does not exist or
    /// is not what it should be, or an approval for another decisions file
    /// (`Input.Invalid`). Nothing was written.
    #[error("input {field}: {message}")]
    InvalidInput {
        /// The input field, as the state machine spells it (e.g. `decisionsKey`).
        field: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The store failed reading an input or writing the report (`Store.Failed`).
    #[error("store: {0}; re-run the step once the store is reachable")]
    Store(PortError),
    /// The report was written but the notice could not be sent (`Notify.Failed`).
    #[error(
        "the report was written to {markdown_key} and {html_key}, but the notice could not \
         be sent: {source}; check the notification channel (SNS topic policy, webhook URL)"
    )]
    Notify {
        /// The Markdown report's key.
        markdown_key: String,
        /// The HTML report's key.
        html_key: String,
        /// The notifier's error.
        source: PortError,
    },
}

impl StepError for Error {
    fn name(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => error_names::INPUT_INVALID,
            Error::Store(_) => error_names::STORE_FAILED,
            Error::Notify { .. } => error_names::NOTIFY_FAILED,
        }
    }
}

/// What the step talks to.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    /// Where the inputs are read and the report written.
    pub store: &'a dyn ObjectStore,
    /// Where the notice goes (several channels: [`FanOut`]).
    pub notifier: &'a dyn Notifier,
}

/// Reads the inputs, writes the Markdown and HTML reports, then sends the notice.
///
/// Idempotent: a re-run rewrites the same two keys (and sends the notice again).
pub async fn run(input: Input, ports: Ports<'_>) -> Result<Output, Error> {
    let sources = sources::read(&input, ports.store).await?;
    let report = Report::build(&input, sources);
    let once = input
        .execution
        .as_ref()
        .filter(|_| input.error.is_some())
        .map(ExecutionAttempt::failure_key);
    if let Some(key) = &once
        && reported(ports.store, key).await?
    {
        tracing::info!(%key, "this failure was reported already");
        return Ok(Output {
            markdown_key: report.markdown_key,
            html_key: report.html_key,
            subject: report.subject,
            notified: false,
        });
    }
    let markdown = markdown::render(&report);
    let html = html::render(&report);
    ports
        .store
        .put(
            &report.markdown_key,
            Bytes::from(markdown.clone()),
            "text/markdown; charset=utf-8",
        )
        .await
        .map_err(Error::Store)?;
    ports
        .store
        .put(
            &report.html_key,
            Bytes::from(html),
            "text/html; charset=utf-8",
        )
        .await
        .map_err(Error::Store)?;
    tracing::info!(markdown = %report.markdown_key, html = %report.html_key, "report written");
    if input.notify {
        let notice = Notice {
            subject: report.subject.clone(),
            text: markdown,
        };
        ports
            .notifier
            .notify(&notice)
            .await
            .map_err(|source| Error::Notify {
                markdown_key: report.markdown_key.clone(),
                html_key: report.html_key.clone(),
                source,
            })?;
    }
    if let Some(key) = &once {
        let record = serde_json::json!({"subject": report.subject});
        ports
            .store
            .put(key, Bytes::from(record.to_string()), "application/json")
            .await
            .map_err(Error::Store)?;
    }
    Ok(Output {
        markdown_key: report.markdown_key,
        html_key: report.html_key,
        subject: report.subject,
        notified: input.notify,
    })
}

/// Whether the failure record at `key` exists.
async fn reported(store: &dyn ObjectStore, key: &str) -> Result<bool, Error> {
    match store.get(key).await {
        Ok(_) => Ok(true),
        Err(PortError::NotFound { .. }) => Ok(false),
        Err(error) => Err(Error::Store(error)),
    }
}

/// Reads `accountId` from digits given as a string or a number.
fn account_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<AccountId, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Digits {
        Text(String),
        Number(u64),
    }
    match Digits::deserialize(deserializer)? {
        Digits::Number(id) => Ok(AccountId(id)),
        Digits::Text(text) => text.trim().parse().map_err(|_| {
            serde::de::Error::custom(format!(
                "accountId must be digits (got '{text}'); find it in Campaign Manager's URL"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::decision::{Action, ActionId, ActionKind, Blocked, Decisions, LogEntry, Outcome};
    use ads::{AdCopy, CampaignId, CreativeId};
    use async_trait::async_trait;
    use chrono::{TimeZone, Utc};
    use collect::curated::CreativeRecord;
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    const ACCOUNT: u64 = 500000001;
    const CAMPAIGN: u64 = 700000001;
    const DECISIONS: &str = "decisions/2026-09-10/exec-1.json";
    const SERIES: &str = "query-results/q-1.csv";

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 10).unwrap()
    }

    /// A notifier that records notices, or fails like an SNS topic that was deleted.
    #[derive(Default)]
    struct Inbox {
        notices: Mutex<Vec<Notice>>,
        broken: bool,
    }

    #[async_trait]
    impl Notifier for Inbox {
        async fn notify(&self, notice: &Notice) -> Result<(), PortError> {
            if self.broken {
                return Err(PortError::NotFound {
                    what: "SNS topic arn:aws:sns:eu-west-1:1:reports".into(),
                });
            }
            self.notices.lock().unwrap().push(notice.clone());
            Ok(())
        }
    }

    impl Inbox {
        fn only(&self) -> Notice {
            let notices = self.notices.lock().unwrap();
            assert_eq!(notices.len(), 1, "{notices:?}");
            notices[0].clone()
        }
    }

    fn action(
        kind: ActionKind,
        creative: Option<u64>,
        from: &str,
        to: &str,
        reason: &str,
    ) -> Action {
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: AccountId(ACCOUNT),
            campaign_id: CampaignId(CAMPAIGN),
            creative_id: creative.map(CreativeId),
            as_of: as_of(),
            from: Some(from.to_owned()),
            to: Some(to.to_owned()),
            currency: (kind == ActionKind::SetBid).then(|| "USD".to_owned()),
            variation: None,
            reason: reason.to_owned(),
            evidence: BTreeMap::from([
                ("clicks".to_owned(), 41.0),
                ("probBest".to_owned(), 0.0123),
            ]),
            blocked: None,
        }
        .with_derived_id()
    }

    /// A pause (applied), a bid raise (blocked), and a variation whose copy is markup.
    fn decisions() -> Decisions {
        let pause = action(
            ActionKind::Pause,
            Some(880000002),
            "ACTIVE",
            "PAUSED",
            "CTR 0.31% [0.22–0.42] is confidently below the best 0.62%",
        );
        let mut bid = action(
            ActionKind::SetBid,
            None,
            "6.50",
            "7.15",
            "cost per conversion $21 beats the account's $34",
        );
        bid.blocked = Some(Blocked {
            guardrail: "cooldownDays".to_owned(),
            reason: "the bid changed 1 day ago; cool-down is 3 days".to_owned(),
        });
        let mut variation = action(
            ActionKind::CreateVariation,
            Some(880000001),
            "",
            "",
            "winner <b>by</b> 99% probability",
        );
        variation.from = None;
        variation.to = None;
        variation.variation = Some(AdCopy {
            headline: Some("<script>alert('x')</script> Save 20%".to_owned()),
            call_to_action: Some("LEARN_MORE".to_owned()),
            ..AdCopy::default()
        });
        let variation = variation.with_derived_id();
        Decisions {
            account_id: AccountId(ACCOUNT),
            as_of: as_of(),
            execution: "exec-1".to_owned(),
            mode: "bayes".to_owned(),
            decided_at: Utc.with_ymd_and_hms(2026, 9, 10, 5, 0, 0).unwrap(),
            actions: vec![pause, bid, variation],
            notes: vec!["conversions of the last 3 days discounted for lag".to_owned()],
        }
    }

    /// Ten days of two creatives: 1,000 impressions a day each, 10 and 4 clicks, $20 and
    /// $10 a day, 1 conversion a day for the first.
    fn series_csv() -> String {
        let mut csv = "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\"conversions\",\"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\"campaign_status\",\"creative_status\"\n".to_owned();
        for (creative, clicks, cost, conversions) in
            [(880000001, 10, "20.00", "1"), (880000002, 4, "10.00", "0")]
        {
            for d in 1..=10 {
                csv.push_str(&format!(
                    "\"{CAMPAIGN}\",\"{creative}\",\"2026-09-{d:02}\",\"1000\",\"{clicks}\",\"{conversions}\",\"{cost}\",\"6.50\",\"100.00\",\"USD\",\"CPC\",\"ACTIVE\",\"ACTIVE\"\n"
                ));
            }
        }
        csv
    }

    /// A data directory holding the decisions, the series, the creatives' copy and the
    /// day's action log (the pause applied).
    async fn store() -> (tempfile::TempDir, local::DirStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let decisions = decisions();
        store
            .put(
                DECISIONS,
                Bytes::from(serde_json::to_vec(&decisions).unwrap()),
                "application/json",
            )
            .await
            .unwrap();
        store
            .put(SERIES, Bytes::from(series_csv()), "text/csv")
            .await
            .unwrap();
        let record = |id: u64, headline: &str| CreativeRecord {
            creative_id: CreativeId(id),
            campaign_id: CampaignId(CAMPAIGN),
            campaign_name: "Q3 demand".to_owned(),
            name: None,
            status: "ACTIVE".to_owned(),
            copy: AdCopy {
                headline: Some(headline.to_owned()),
                ..AdCopy::default()
            },
            post_urn: None,
            created_at: None,
            last_modified_at: None,
            collected_at: Utc.with_ymd_and_hms(2026, 9, 10, 0, 0, 0).unwrap(),
        };
        let creatives = collect::curated::creatives_file(&[
            record(880000001, "Cut reporting time in half"),
            record(880000002, "<img src=x onerror=alert(1)>"),
        ])
        .unwrap();
        store
            .put(
                &collect::keys::creatives(AccountId(ACCOUNT)),
                creatives,
                "application/octet-stream",
            )
            .await
            .unwrap();
        let applied = LogEntry {
            action: decisions.actions[0].clone(),
            outcome: Outcome::Applied,
            mode: "auto".to_owned(),
            at: Utc.with_ymd_and_hms(2026, 9, 10, 6, 0, 0).unwrap(),
            before: Some("ACTIVE".to_owned()),
            after: Some("PAUSED".to_owned()),
            detail: None,
            error: None,
            undoes: None,
        };
        policy::action_log::append(&store, as_of(), &[applied])
            .await
            .unwrap();
        (dir, store)
    }

    fn input(extra: serde_json::Value) -> Input {
        let mut value = json!({ "accountId": ACCOUNT.to_string(), "asOf": "2026-09-10" });
        for (k, v) in extra.as_object().unwrap() {
            value[k] = v.clone();
        }
        serde_json::from_value(value).unwrap()
    }

    async fn text(store: &local::DirStore, key: &str) -> String {
        String::from_utf8(store.get(key).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn the_markdown_has_the_figures_and_every_action_with_its_reason() {
        // GIVEN decisions, a series and an action log
        let (_dir, store) = store().await;
        let inbox = Inbox::default();
        let ports = Ports {
            store: &store,
            notifier: &inbox,
        };

        // WHEN the daily report runs
        let output = run(
            input(json!({ "decisionsKey": DECISIONS, "seriesKey": SERIES,
                          "apply": { "mode": "auto", "counts": { "applied": 1 } } })),
            ports,
        )
        .await
        .unwrap();

        // THEN both files exist under the day's keys and the notice is the Markdown
        assert_eq!(output.markdown_key, "reports/2026-09-10.md");
        assert_eq!(output.html_key, "reports/2026-09-10.html");
        assert!(output.notified);
        let md = text(&store, &output.markdown_key).await;
        let notice = inbox.only();
        assert_eq!(notice.text, md);
        assert_eq!(notice.subject, output.subject);
        // AND the figures: $300 spend and 10 conversions over 10 days ($30 each), $210 and
        // 7 over the last 7 days
        assert!(md.contains("| Spend | $210.00 | $300.00 |"), "{md}");
        assert!(md.contains("| Conversions | 7 | 10 |"), "{md}");
        assert!(
            md.contains("| Cost per conversion | $30.00 | $30.00 |"),
            "{md}"
        );
        // AND every action with its status and reason, the applied one with before → after
        for action in decisions().actions {
            assert!(md.contains(&action.reason), "{}\n{md}", action.reason);
            assert!(md.contains(&action.id.0), "{md}");
        }
        assert!(
            md.contains("1. **applied** · pause creative 880000002"),
            "{md}"
        );
        assert!(md.contains("(seen: ACTIVE → PAUSED)"), "{md}");
        assert!(
            md.contains("2. **blocked** · setBid campaign 700000001 · 6.50 → 7.15 USD"),
            "{md}"
        );
        assert!(
            md.contains("Blocked by cooldownDays: the bid changed 1 day ago"),
            "{md}"
        );
        assert!(md.contains("Evidence: clicks 41, probBest 0.0123"), "{md}");
        // AND the CTR table (100 clicks in 10,000 impressions: Beta(101, 9901)'s 5% and 95%
        // quantiles are 0.851% and 1.180%), apply's counts, and the decide run's note
        assert!(
            md.contains("| 10,000 | 100 | 1.00% | 0.85% – 1.18% |"),
            "{md}"
        );
        assert!(md.contains("- counts.applied: 1"), "{md}");
        assert!(md.contains("discounted for lag"), "{md}");
        assert!(
            output.subject.contains("1 applied, 1 proposed, 1 blocked"),
            "{}",
            output.subject
        );
    }

    #[tokio::test]
    async fn the_html_escapes_markup_from_headlines_and_reasons() {
        // GIVEN a variation headline with a <script>, a reason with <b>, a headline with <img>
        let (_dir, store) = store().await;
        let inbox = Inbox::default();

        // WHEN the report runs
        let output = run(
            input(json!({ "decisionsKey": DECISIONS, "seriesKey": SERIES })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap();

        // THEN the HTML shows them as text: no script, no injected element
        let html = text(&store, &output.html_key).await;
        assert!(!html.contains("<script"), "a script tag reached the HTML");
        assert!(!html.contains("<img"), "an img tag reached the HTML");
        assert!(!html.contains("<b>"), "a b tag reached the HTML");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Save 20%"));
        assert!(html.contains("winner &lt;b&gt;by&lt;/b&gt; 99% probability"));
        // AND it is standalone, with both charts titled
        assert!(
            !html.contains("http://") && !html.contains("https://") && !html.contains(" src=\"")
        );
        assert!(html.contains("<svg id=\"chart-spend-conversions\""));
        assert!(html.contains("<svg id=\"chart-ctr\""));
        assert!(html.contains("<title id=\"chart-ctr-title\">"));
    }

    #[tokio::test]
    async fn a_failure_report_names_the_error_and_the_cause_first() {
        // GIVEN only a failure caught from a Lambda step
        let (_dir, store) = store().await;
        let inbox = Inbox::default();
        let cause = json!({ "errorType": "Query.Failed",
                            "errorMessage": "query decision_series failed: table creative_daily is missing" });

        // WHEN the report runs
        let output = run(
            input(json!({ "error": { "Error": "Query.Failed", "Cause": cause.to_string() } })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap();

        // THEN the subject and the top of both files name the error and its message
        assert!(
            output.subject.starts_with("FAILED Query.Failed"),
            "{}",
            output.subject
        );
        let md = text(&store, &output.markdown_key).await;
        let failure = md.find("## FAILED: Query.Failed").expect("failure section");
        assert!(failure < md.find("## Headline figures").unwrap(), "{md}");
        assert!(md.contains("table creative_daily is missing"), "{md}");
        assert!(md.contains("No data yet"), "{md}");
        let html = text(&store, &output.html_key).await;
        assert!(html.contains("Failed: Query.Failed"));
        assert!(html.contains("table creative_daily is missing"));
        assert_eq!(inbox.only().subject, output.subject);
    }

    #[tokio::test]
    async fn a_failure_is_reported_once_per_execution_attempt() {
        // GIVEN a failure the state machine's Catch reports, naming the execution attempt
        let (_dir, store) = store().await;
        let inbox = Inbox::default();
        let failure = |attempt: u32| {
            input(
                json!({ "error": { "Error": "LinkedIn.Server", "Cause": "500" },
                          "execution": { "name": "daily", "redriveCount": attempt } }),
            )
        };
        let ports = || Ports {
            store: &store,
            notifier: &inbox,
        };
        let first = run(failure(0), ports()).await.unwrap();
        // WHEN the execution's status change reports the same attempt again
        let again = run(failure(0), ports()).await.unwrap();
        // THEN one notice went out, and the second run says it sent none
        assert!(first.notified);
        assert!(!again.notified);
        assert_eq!(inbox.notices.lock().unwrap().len(), 1);
        // AND a redriven attempt that fails is reported anew
        assert!(run(failure(1), ports()).await.unwrap().notified);
        assert_eq!(inbox.notices.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_approval_request_lists_the_actions_and_names_the_commands() {
        // GIVEN an approval request over the decisions file
        let (_dir, store) = store().await;
        let inbox = Inbox::default();
        let token = "AAAAKgAAAAIAAAAAAAAAAd2Y0Z";

        // WHEN the report runs
        let output = run(
            input(json!({ "seriesKey": SERIES,
                          "approval": { "taskToken": token, "decisionsKey": DECISIONS } })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap();

        // THEN it is written as the day's approval report, with both commands and the actions
        assert_eq!(output.markdown_key, "reports/2026-09-10-approval.md");
        assert_eq!(output.html_key, "reports/2026-09-10-approval.html");
        assert!(
            output.subject.starts_with("Approval needed: 1 action,"),
            "{}",
            output.subject
        );
        let md = text(&store, &output.markdown_key).await;
        assert!(
            md.contains(&format!("    adsctl approve {token}\n")),
            "{md}"
        );
        assert!(md.contains(&format!("    adsctl reject {token}\n")), "{md}");
        for action in decisions().actions {
            assert!(md.contains(&action.reason), "{md}");
        }
        let html = text(&store, &output.html_key).await;
        assert!(html.contains(&format!("<pre>adsctl approve {token}</pre>")));
    }

    #[tokio::test]
    async fn a_notifier_failure_is_notify_failed_and_the_report_is_kept() {
        // GIVEN a notifier whose topic is gone
        let (_dir, store) = store().await;
        let inbox = Inbox {
            broken: true,
            ..Inbox::default()
        };

        // WHEN the report runs
        let error = run(
            input(json!({ "decisionsKey": DECISIONS, "seriesKey": SERIES })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap_err();

        // THEN the step fails as Notify.Failed naming the keys, and both files are there
        assert_eq!(error.name(), "Notify.Failed");
        let message = error.to_string();
        assert!(message.contains("reports/2026-09-10.md"), "{message}");
        assert!(message.contains("SNS topic"), "{message}");
        assert!(
            text(&store, "reports/2026-09-10.md")
                .await
                .contains("# LinkedIn Ads report")
        );
        assert!(
            text(&store, "reports/2026-09-10.html")
                .await
                .starts_with("<!DOCTYPE html>")
        );
    }

    #[tokio::test]
    async fn a_decisions_key_that_does_not_exist_is_invalid_input_naming_it() {
        // GIVEN a key nothing was written under
        let (_dir, store) = store().await;
        let inbox = Inbox::default();

        // WHEN the report runs
        let error = run(
            input(json!({ "decisionsKey": "decisions/2026-09-10/nope.json" })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap_err();

        // THEN Input.Invalid names the field and the key, and nothing was written or sent
        assert_eq!(error.name(), "Input.Invalid");
        let message = error.to_string();
        assert!(message.contains("decisionsKey"), "{message}");
        assert!(
            message.contains("decisions/2026-09-10/nope.json"),
            "{message}"
        );
        assert!(store.list("reports/").await.unwrap().is_empty());
        assert!(inbox.notices.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_approval_for_other_decisions_than_the_input_names_is_invalid() {
        let (_dir, store) = store().await;
        let error = run(
            input(json!({ "decisionsKey": DECISIONS,
                          "approval": { "taskToken": "t", "decisionsKey": "decisions/other.json" } })),
            Ports { store: &store, notifier: &Inbox::default() },
        )
        .await
        .unwrap_err();
        assert_eq!(error.name(), "Input.Invalid");
        assert!(
            error.to_string().contains("approval.decisionsKey"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn without_a_series_the_report_says_no_data_yet_and_notify_false_sends_nothing() {
        // GIVEN nothing but the account and the day, and notify off
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let inbox = Inbox::default();

        // WHEN the report runs
        let output = run(
            input(json!({ "notify": false })),
            Ports {
                store: &store,
                notifier: &inbox,
            },
        )
        .await
        .unwrap();

        // THEN it says there is no data and no action, and sent nothing
        assert!(!output.notified);
        assert!(inbox.notices.lock().unwrap().is_empty());
        let md = text(&store, &output.markdown_key).await;
        assert!(md.contains("No data yet"), "{md}");
        assert!(md.contains("No actions were decided or applied."), "{md}");
        let html = text(&store, &output.html_key).await;
        assert!(!html.contains("<svg"), "no chart without data");
    }

    #[test]
    fn the_input_reads_the_state_machines_json() {
        // GIVEN the input as the state machine passes it, account id as a number
        let input: Input = serde_json::from_value(json!({
            "accountId": 500000001, "asOf": "2026-09-10",
            "error": { "Error": "States.Timeout", "Cause": "timed out" }
        }))
        .unwrap();
        // THEN the capitalised Catch keys are read and notify defaults to true
        assert_eq!(input.account_id, AccountId(500000001));
        assert_eq!(input.error.unwrap().error, "States.Timeout");
        assert!(input.notify);
        // AND an account id that is not digits says where to find it
        let error =
            serde_json::from_value::<Input>(json!({ "accountId": "abc", "asOf": "2026-09-10" }))
                .unwrap_err()
                .to_string();
        assert!(error.contains("accountId must be digits"), "{error}");
    }
}
