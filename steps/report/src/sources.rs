//! What the report reads from the store, each source as its writer left it.
//!
//! The decisions file and the series are named by the input: a key that does not exist, or
//! a file that is not what it should be, is `Input.Invalid` naming the field. The day's
//! action log and the creatives' ad copy are looked up by convention and only enrich the
//! report: when they cannot be read, the report says so in its notes and goes on — a report
//! that fails for want of a headline would hide the failure it may be reporting.

use ads::decision::{Decisions, LogEntry};
use ads::{ObjectStore, PortError};
use collect::curated::CreativeRecord;

use crate::series::{self, SeriesRow};
use crate::{Error, Input};

/// Everything read for one report.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// The decisions file and its key, when the input names one.
    pub decisions: Option<(String, Decisions)>,
    /// The series' rows and its key, when the input names one.
    pub series: Option<(String, Vec<SeriesRow>)>,
    /// The entries of `logs/optimizer_actions/<asOf>.jsonl`, oldest first.
    pub log: Vec<LogEntry>,
    /// The account's creatives with their ad copy (`processed/creatives/...`), for labels.
    pub creatives: Vec<CreativeRecord>,
    /// What could not be read and was left out, in words for the report.
    pub notes: Vec<String>,
}

/// Reads every source `input` names or implies.
pub async fn read(input: &Input, store: &dyn ObjectStore) -> Result<Sources, Error> {
    let mut sources = Sources::default();
    if let Some(key) = decisions_key(input)? {
        let body = required(store, "decisionsKey", &key).await?;
        let decisions: Decisions =
            serde_json::from_slice(&body).map_err(|e| Error::InvalidInput {
                field: "decisionsKey",
                message: format!(
                    "{key} is not a decisions file ({e}); pass the key decide returned"
                ),
            })?;
        sources.decisions = Some((key, decisions));
    }
    if let Some(key) = &input.series_key {
        let body = required(store, "seriesKey", key).await?;
        let rows = series::parse(&body).map_err(|e| Error::InvalidInput {
            field: "seriesKey",
            message: format!("{key}: {e}"),
        })?;
        sources.series = Some((key.clone(), rows));
    }
    match policy::action_log::read_day(store, input.as_of).await {
        Ok(entries) => sources.log = entries,
        Err(error) => sources.notes.push(format!(
            "The action log of {} could not be read ({error}); what apply did is not shown.",
            input.as_of
        )),
    }
    let creatives_key = collect::keys::creatives(input.account_id);
    match store.get(&creatives_key).await {
        Ok(body) => match collect::curated::read_creatives(body) {
            Ok(records) => sources.creatives = records,
            Err(error) => sources.notes.push(format!(
                "The creatives' ad copy ({creatives_key}) could not be read ({error}); \
                 creatives are shown by id."
            )),
        },
        // Nothing collected yet: creatives are shown by id.
        Err(PortError::NotFound { .. }) => {}
        Err(error) => sources.notes.push(format!(
            "The creatives' ad copy could not be read ({error}); creatives are shown by id."
        )),
    }
    Ok(sources)
}

/// The decisions file to list: the approval's, else the input's. Both given and different
/// is a contradiction the state machine must not make.
fn decisions_key(input: &Input) -> Result<Option<String>, Error> {
    match (&input.approval, &input.decisions_key) {
        (Some(approval), Some(key)) if approval.decisions_key != *key => Err(Error::InvalidInput {
            field: "approval.decisionsKey",
            message: format!(
                "{} differs from decisionsKey {key}; an approval request lists the \
                     decisions it asks about — pass one key, or the same in both",
                approval.decisions_key
            ),
        }),
        (Some(approval), _) => Ok(Some(approval.decisions_key.clone())),
        (None, key) => Ok(key.clone()),
    }
}

/// The object under `key`, named by the input's `field`: absent is `Input.Invalid`.
async fn required(
    store: &dyn ObjectStore,
    field: &'static str,
    key: &str,
) -> Result<bytes::Bytes, Error> {
    store.get(key).await.map_err(|error| match error {
        PortError::NotFound { .. } => Error::InvalidInput {
            field,
            message: format!(
                "{key} does not exist in the store; pass the key the previous step returned"
            ),
        },
        other => Error::Store(other),
    })
}
