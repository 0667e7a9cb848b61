//! The eight steps as the emulator runs them: each one's environment (the variables the
//! CDK stack sets on its function), the fake AWS state it needs, and two events — one it
//! answers with its output, one it refuses with its stable error name before any AWS call.
//!
//! The steps' runtime tests and `adsctl bench lambda` invoke the same events, so the
//! benchmark's figures are those of an invocation the tests prove works. `collect` answers
//! nothing without LinkedIn: its answered event needs the simulator, which its own test
//! starts (`steps/collect/tests/lambda.rs`); here it has only its refused event.
//!
//! The dates are fixed rather than today's: every step takes its day from the event (or,
//! for fetch-token, compares with a far-future expiry), so the outputs do not move.

use std::path::PathBuf;

use ads::error_names::INPUT_INVALID;
use serde_json::{Value, json};

use crate::Error;
use crate::fake_aws::{FakeAws, QueryExecution};
use crate::function::{Bootstrap, Function};

/// The data bucket (`BUCKET`).
pub const BUCKET: &str = "linkedin-ads-data";
/// The LinkedIn credentials secret (`LINKEDIN_SECRET_NAME`).
pub const SECRET_NAME: &str = "linkedin";
/// The Athena workgroup (`ATHENA_WORKGROUP`).
pub const WORKGROUP: &str = "linkedin-ads";
/// The Glue database (`ATHENA_DATABASE`).
pub const DATABASE: &str = "linkedin_ads";
/// The ad account every event is about (events carry it as a JSON number, which every
/// step accepts).
pub const ACCOUNT_ID: u64 = 500_000_001;
/// The day decided and reported for; the query window is the 14 days before it.
pub const AS_OF: &str = "2026-11-02";
/// The finished `decision_series` query poll-results finds and decide reads.
pub const QUERY_ID: &str = "4b1c5f0e-0000-4000-8000-emulated0001";
/// The execution that names the decisions file.
pub const EXECUTION: &str = "emulated-run";
/// The stored access token's expiry: far off, so fetch-token has nothing to refresh.
pub const ACCESS_TOKEN_EXPIRES_AT: &str = "2099-01-01T00:00:00Z";
/// A payload no step reads: a JSON string where every step expects an object.
pub const WRONG_SHAPE: &str = "an event of the wrong shape";

/// One step's bootstrap under the emulator.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// The step's name: its crate, its binary and its function.
    pub name: &'static str,
    /// The variables the step reads, as the CDK stack sets them.
    env: &'static [(&'static str, &'static str)],
    /// Puts what the answered event needs into the fake AWS.
    seed: fn(&FakeAws),
    /// An event the step answers with its output, given [`Step::seed`]; `None` when that
    /// needs LinkedIn.
    answered: Option<fn() -> Value>,
    /// An event the step refuses by its own validation, before any AWS call.
    refused: fn() -> Value,
    /// The `errorType` of the refusal.
    pub refused_as: &'static str,
}

/// The data bucket's variable, which most steps read.
const WITH_BUCKET: (&str, &str) = ("BUCKET", BUCKET);
/// The credentials secret's variable.
const WITH_SECRET: (&str, &str) = ("LINKEDIN_SECRET_NAME", SECRET_NAME);
/// The Athena variables.
const WITH_ATHENA: [(&str, &str); 2] = [
    ("ATHENA_WORKGROUP", WORKGROUP),
    ("ATHENA_DATABASE", DATABASE),
];

/// fetch-token: the stored token is fresh and has no refresh token, so it reports without
/// calling LinkedIn.
pub const FETCH_TOKEN: Step = Step {
    name: "fetch-token",
    env: &[WITH_SECRET],
    seed: seed_secret,
    answered: Some(|| json!({})),
    refused: || json!({ "refreshMarginDays": 60 }),
    refused_as: INPUT_INVALID,
};

/// collect: answers only with LinkedIn (see the module docs).
pub const COLLECT: Step = Step {
    name: "collect",
    env: &[WITH_BUCKET, WITH_SECRET],
    seed: seed_secret,
    answered: None,
    refused: || json!({ "accountId": "acct-1" }),
    refused_as: INPUT_INVALID,
};

/// start-athena-query: starts `decision_input` for the 14 days before [`AS_OF`].
pub const START_ATHENA_QUERY: Step = Step {
    name: "start-athena-query",
    env: &WITH_ATHENA,
    seed: |_| {},
    answered: Some(|| {
        json!({
            "query": "decision_input",
            "params": { "account_id": ACCOUNT_ID },
            "window": { "asOf": AS_OF, "days": 14 },
        })
    }),
    refused: || json!({ "query": "no_such_query", "params": {} }),
    refused_as: INPUT_INVALID,
};

/// poll-results: finds [`QUERY_ID`] succeeded, its CSV in the data bucket.
pub const POLL_RESULTS: Step = Step {
    name: "poll-results",
    env: &[WITH_ATHENA[0], WITH_ATHENA[1], WITH_BUCKET],
    seed: |aws| {
        aws.set_query(
            QUERY_ID,
            QueryExecution::Succeeded {
                output_location: format!("s3://{BUCKET}/{}", result_key()),
            },
        );
    },
    answered: Some(|| json!({ "queryId": QUERY_ID, "query": "decision_series" })),
    refused: || json!({ "queryId": "" }),
    refused_as: INPUT_INVALID,
};

/// decide: decides on a `decision_series` result of one campaign with two creatives.
pub const DECIDE: Step = Step {
    name: "decide",
    env: &[WITH_BUCKET],
    seed: |aws| aws.put_object(BUCKET, &result_key(), decision_series()),
    answered: Some(|| {
        json!({
            "resultKey": result_key(),
            "accountId": ACCOUNT_ID,
            "asOf": AS_OF,
            "execution": EXECUTION,
        })
    }),
    refused: || {
        json!({
            "resultKey": result_key(),
            "accountId": "acct-1",
            "asOf": AS_OF,
            "execution": EXECUTION,
        })
    },
    refused_as: INPUT_INVALID,
};

/// apply: a dry run of a decisions file with no actions, which needs no LinkedIn call.
pub const APPLY: Step = Step {
    name: "apply",
    env: &[WITH_BUCKET, WITH_SECRET],
    seed: |aws| {
        let decisions = json!({
            "accountId": ACCOUNT_ID,
            "asOf": AS_OF,
            "execution": EXECUTION,
            "mode": "bayes",
            "decidedAt": format!("{AS_OF}T06:00:00Z"),
            "actions": [],
            "notes": [],
        });
        aws.put_object(BUCKET, &decisions_key(), decisions.to_string());
    },
    answered: Some(|| {
        json!({
            "decisionsKey": decisions_key(),
            "mode": "dry-run",
            "now": format!("{AS_OF}T07:00:00Z"),
        })
    }),
    refused: || json!({ "decisionsKey": "" }),
    refused_as: INPUT_INVALID,
};

/// report: writes the day's report without sending it (no decisions or results yet).
pub const REPORT: Step = Step {
    name: "report",
    env: &[WITH_BUCKET, WITH_SECRET],
    seed: seed_secret,
    answered: Some(|| json!({ "accountId": ACCOUNT_ID, "asOf": AS_OF, "notify": false })),
    // A failed execution's status change event that does not carry the execution's input.
    refused: || {
        json!({
            "detail-type": "Step Functions Execution Status Change",
            "source": "aws.states",
            "detail": { "status": "FAILED", "name": EXECUTION },
        })
    },
    refused_as: INPUT_INVALID,
};

/// train: trains the creative scorer on a `creative_training` result of 60 creatives (the
/// event lowers the minimum to 20) and stores version 1.
pub const TRAIN: Step = Step {
    name: "train",
    env: &[WITH_BUCKET],
    seed: |aws| aws.put_object(BUCKET, &result_key(), creative_training()),
    answered: Some(|| {
        json!({
            "results": [{ "accountId": ACCOUNT_ID.to_string(), "resultKey": result_key() }],
            "minCreatives": 20,
        })
    }),
    refused: || json!({ "results": [] }),
    refused_as: INPUT_INVALID,
};

/// Every step, in pipeline order (the weekly train last).
pub const ALL: [Step; 8] = [
    FETCH_TOKEN,
    COLLECT,
    START_ATHENA_QUERY,
    POLL_RESULTS,
    DECIDE,
    APPLY,
    REPORT,
    TRAIN,
];

impl Step {
    /// The step's bootstrap at `path`, with its variables and those sending its SDK
    /// clients to `aws`.
    pub fn bootstrap(&self, path: impl Into<PathBuf>, aws: &FakeAws) -> Bootstrap {
        Bootstrap::new(path, self.name)
            .envs(aws.env())
            .envs(self.env.iter().copied())
    }

    /// Puts what [`Step::answered`] needs into `aws`.
    pub fn seed(&self, aws: &FakeAws) {
        (self.seed)(aws);
    }

    /// An event the step answers with its output once [`Step::seed`] ran; `None` for a
    /// step that needs LinkedIn to answer.
    pub fn answered(&self) -> Option<Value> {
        self.answered.map(|event| event())
    }

    /// An event the step refuses with [`Step::refused_as`] before any AWS call.
    pub fn refused(&self) -> Value {
        (self.refused)()
    }

    /// Starts a fake AWS seeded for the step and the bootstrap at `path` against it.
    pub async fn start(&self, path: impl Into<PathBuf>) -> Result<(FakeAws, Function), Error> {
        let aws = FakeAws::start().await?;
        self.seed(&aws);
        let function = Function::start(self.bootstrap(path, &aws)).await?;
        Ok((aws, function))
    }
}

/// The store key of [`QUERY_ID`]'s results, where Athena writes them.
pub fn result_key() -> String {
    format!("query-results/{QUERY_ID}.csv")
}

/// The decisions file decide writes for [`AS_OF`] and [`EXECUTION`], which apply reads.
pub fn decisions_key() -> String {
    format!("decisions/{AS_OF}/{EXECUTION}.json")
}

/// A secret holding an access token that expires at [`ACCESS_TOKEN_EXPIRES_AT`], with no
/// refresh token or app credentials (LinkedIn's token generator gives such a token).
pub fn fresh_token_secret() -> Value {
    json!({
        "accessToken": "emulated-access-token",
        "accessTokenExpiresAt": ACCESS_TOKEN_EXPIRES_AT,
    })
}

fn seed_secret(aws: &FakeAws) {
    aws.put_secret(SECRET_NAME, fresh_token_secret().to_string());
}

/// A `decision_series` result as Athena writes it (every value quoted): one CPC campaign,
/// two creatives, the 14 days before [`AS_OF`]; the second creative clicks half as often.
fn decision_series() -> String {
    let mut csv = String::from(
        "\"campaign_id\",\"creative_id\",\"day\",\"impressions\",\"clicks\",\"conversions\",\
         \"cost\",\"unit_cost\",\"daily_budget\",\"currency\",\"cost_type\",\
         \"campaign_status\",\"creative_status\"\n",
    );
    let days = (19..=31)
        .map(|day| format!("2026-10-{day}"))
        .chain(["2026-11-01".to_owned()]);
    for day in days {
        for (creative, clicks) in [("880000001", 12), ("880000002", 6)] {
            let cost = f64::from(clicks) * 6.5;
            csv.push_str(&format!(
                "\"700000001\",\"{creative}\",\"{day}\",\"1500\",\"{clicks}\",\"1\",\
                 \"{cost:.2}\",\"6.50\",\"200.00\",\"USD\",\"CPC\",\"ACTIVE\",\"ACTIVE\"\n"
            ));
        }
    }
    csv
}

/// A `creative_training` result as Athena writes it: 60 creatives of six campaigns over the
/// 28 days before [`AS_OF`]; a creative with a number in its headline clicks 1.5× as often.
fn creative_training() -> String {
    let mut csv = String::from(
        "\"account_id\",\"campaign_id\",\"creative_id\",\"impressions\",\"clicks\",\
         \"first_day\",\"last_day\",\"headline\",\"description\",\"commentary\",\
         \"call_to_action\"\n",
    );
    for i in 0..60u32 {
        let (headline, clicks) = if i % 2 == 0 {
            (format!("{} ways to cut cloud costs", i % 9 + 2), 150)
        } else {
            ("Ways to cut cloud costs".to_owned(), 100)
        };
        csv.push_str(&format!(
            "\"{ACCOUNT_ID}\",\"{}\",\"{}\",\"20000\",\"{clicks}\",\"2026-10-05\",\
             \"2026-11-01\",\"{headline}\",\"Download the guide\",\"Read it today.\",\
             \"DOWNLOAD\"\n",
            700_000_001 + i / 10,
            880_000_001 + i
        ));
    }
    csv
}
