//! Reading what the input names, before anything else happens: the decisions file and the
//! approval (the policy is read before them, by [`policy::PolicySource`]). Any problem here
//! is `Input.Invalid` naming the field, and nothing has changed.

use std::collections::BTreeSet;

use ads::decision::ActionId;
use ads::{ObjectStore, PortError};
use bytes::Bytes;

use crate::decisions_file::{self, DecisionsFile};
use crate::{Error, Input, Mode};

/// Reads `key`; a missing object is invalid input naming `field` and `fix`.
async fn read(
    store: &dyn ObjectStore,
    key: &str,
    field: &'static str,
    fix: &str,
) -> Result<Bytes, Error> {
    match store.get(key).await {
        Ok(body) => Ok(body),
        Err(PortError::NotFound { .. }) => Err(Error::InvalidInput {
            field,
            message: format!("there is no object at {key}; {fix}"),
        }),
        Err(source) => Err(Error::Store {
            key: key.to_owned(),
            source,
        }),
    }
}

/// The decisions file at `key`, its head whole and each action read on its own.
pub(crate) async fn decisions(store: &dyn ObjectStore, key: &str) -> Result<DecisionsFile, Error> {
    if key.trim().is_empty() {
        return Err(Error::InvalidInput {
            field: "decisionsKey",
            message: "is required: the decisions file decide wrote, e.g. \
                      decisions/2026-09-01/<execution>.json"
                .into(),
        });
    }
    let body = read(
        store,
        key,
        "decisionsKey",
        "run decide first, or check the key",
    )
    .await?;
    decisions_file::parse(key, &body).map_err(|message| Error::InvalidInput {
        field: "decisionsKey",
        message,
    })
}

/// The approved ids in approve mode (`None`: every proposed action); refuses an approval
/// in another mode and an approved id that is not in the file.
pub(crate) fn approved_ids(
    input: &Input,
    file: &DecisionsFile,
) -> Result<Option<BTreeSet<ActionId>>, Error> {
    let approval = match (input.mode, &input.approval) {
        (Mode::Approve, None) => return Ok(Some(BTreeSet::new())),
        (Mode::Approve, Some(approval)) => approval,
        (_, None) => return Ok(None),
        (mode, Some(_)) => {
            return Err(Error::InvalidInput {
                field: "approval",
                message: format!(
                    "is read in approve mode only, and mode is {}; use mode approve to apply \
                     only the approved actions",
                    mode.as_str()
                ),
            });
        }
    };
    let Some(ids) = &approval.action_ids else {
        return Ok(None);
    };
    let known: BTreeSet<&ActionId> = file.ids().collect();
    if let Some(unknown) = ids.iter().find(|id| !known.contains(id)) {
        return Err(Error::InvalidInput {
            field: "approval.actionIds",
            message: format!(
                "{unknown} is not an action of {}; approve ids from that file",
                input.decisions_key
            ),
        });
    }
    Ok(Some(ids.iter().cloned().collect()))
}
