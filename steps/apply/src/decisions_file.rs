//! Reading a decisions file: the whole first, then each action on its own.
//!
//! The file must be JSON with `accountId`, `asOf` and an `actions` array — otherwise it is
//! not a decisions file and nothing is applied. Each element of `actions` is then read
//! alone, so one bad element is refused with its index and field while the others go on.
//! (The file's other fields — `execution`, `mode`, `decidedAt`, `notes` — are decide's
//! record and not needed here.)

use ads::AccountId;
use ads::decision::{Action, ActionId};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value;

/// A decisions file as apply reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DecisionsFile {
    /// The file's account; an action of another is refused.
    pub account: AccountId,
    /// The day decided for.
    pub as_of: NaiveDate,
    /// Each element of `actions`, read on its own, in the file's order.
    pub elements: Vec<Result<Action, Unreadable>>,
}

/// An element of `actions` that is not an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable {
    /// Its `id`, when that at least is a string.
    pub id: Option<ActionId>,
    /// Which element, which field, what is wrong.
    pub detail: String,
}

impl DecisionsFile {
    /// The ids of every element that has one, readable or not.
    pub fn ids(&self) -> impl Iterator<Item = &ActionId> {
        self.elements.iter().filter_map(|element| match element {
            Ok(action) => Some(&action.id),
            Err(unreadable) => unreadable.id.as_ref(),
        })
    }
}

/// The part of the file that must be whole.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    account_id: AccountId,
    as_of: NaiveDate,
    actions: Vec<Value>,
}

/// Reads the file stored at `key`; the error is a message naming the problem and the fix.
pub(crate) fn parse(key: &str, body: &[u8]) -> Result<DecisionsFile, String> {
    let not_a_file = |at: String, problem: &dyn std::fmt::Display| {
        format!(
            "{key} is not a decisions file{at}: {problem}; it must be decide's JSON with \
             accountId, asOf and an actions array — run decide again"
        )
    };
    let mut json = serde_json::Deserializer::from_slice(body);
    let head: Head = serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let at = match e.path().to_string().as_str() {
            "." => String::new(),
            path => format!(" at {path}"),
        };
        not_a_file(at, e.inner())
    })?;
    json.end().map_err(|e| not_a_file(String::new(), &e))?;
    let elements = head
        .actions
        .into_iter()
        .enumerate()
        .map(|(i, element)| read_action(i, element))
        .collect();
    Ok(DecisionsFile {
        account: head.account_id,
        as_of: head.as_of,
        elements,
    })
}

/// Reads `actions[i]`.
fn read_action(i: usize, element: Value) -> Result<Action, Unreadable> {
    let id = element
        .get("id")
        .and_then(Value::as_str)
        .map(|id| ActionId(id.to_owned()));
    serde_path_to_error::deserialize::<_, Action>(element).map_err(|e| {
        let field = match e.path().to_string().as_str() {
            "." => String::new(),
            path => format!(".{path}"),
        };
        Unreadable {
            id,
            detail: format!(
                "actions[{i}]{field}: {}; the element is not an action — fix it or run \
                 decide again",
                e.inner()
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pause() -> Value {
        let action = Action {
            id: ActionId(String::new()),
            kind: ads::decision::ActionKind::Pause,
            account_id: AccountId(5),
            campaign_id: ads::CampaignId(7),
            creative_id: Some(ads::CreativeId(9)),
            as_of: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            from: Some("ACTIVE".into()),
            to: Some("PAUSED".into()),
            currency: None,
            variation: None,
            reason: "worse".into(),
            evidence: Default::default(),
            blocked: None,
        }
        .with_derived_id();
        serde_json::to_value(action).unwrap()
    }

    fn file(actions: Value) -> Vec<u8> {
        serde_json::to_vec(
            &json!({"accountId": 5, "asOf": "2026-09-01", "execution": "e",
            "actions": actions}),
        )
        .unwrap()
    }

    #[test]
    fn a_file_without_its_head_is_not_a_decisions_file() {
        // GIVEN text that is not JSON, JSON without asOf, and actions that are not an array
        let cases: [(&[u8], &str); 4] = [
            (b"not json", "expected"),
            (
                br#"{"accountId": 5, "asOf": "2026-09-01", "actions": []} trailing"#,
                "trailing",
            ),
            (br#"{"accountId": 5, "actions": []}"#, "asOf"),
            (
                br#"{"accountId": 5, "asOf": "2026-09-01", "actions": {}}"#,
                "actions",
            ),
        ];
        for (body, problem) in cases {
            // WHEN read
            let message = parse("decisions/x.json", body).unwrap_err();
            // THEN the message names the key and the problem
            assert!(message.contains("decisions/x.json"), "{message}");
            assert!(message.contains(problem), "{message}");
        }
    }

    #[test]
    fn a_bad_element_names_its_index_and_field_and_the_others_are_read() {
        // GIVEN a good pause, one whose creativeId is text, and one without a kind
        let mut wrong_type = pause();
        wrong_type["creativeId"] = json!("nine");
        let mut missing = pause();
        missing.as_object_mut().unwrap().remove("kind");
        let body = file(json!([pause(), wrong_type, missing]));
        // WHEN read
        let read = parse("k", &body).unwrap();
        // THEN the first is an action, the others are refused by index and field
        assert!(read.elements[0].is_ok());
        let second = read.elements[1].as_ref().unwrap_err();
        assert!(
            second.detail.starts_with("actions[1].creativeId:"),
            "{}",
            second.detail
        );
        let third = read.elements[2].as_ref().unwrap_err();
        assert!(third.detail.starts_with("actions[2]:"), "{}", third.detail);
        assert!(third.detail.contains("`kind`"), "{}", third.detail);
        // AND the unreadable elements' ids are still known
        assert_eq!(read.ids().count(), 3);
        assert_eq!(read.account, AccountId(5));
    }
}
