//! Executions kept in the store, one JSON file each: `executions/<machine>/<name>.json` —
//! the [`asl::Execution`] as data (status, input, output, the whole history, and the
//! checkpoint a callback or a redrive continues from). What the Step Functions console shows
//! of an execution, `adsctl executions` reads from here.

use ads::{ObjectStore, PortError};
use asl::{Execution, Status};
use bytes::Bytes;

use crate::machines::Machine;

/// Where executions live in the store.
pub const PREFIX: &str = "executions/";

/// Why an execution could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ExecutionsError {
    /// The store failed.
    #[error("the execution store failed: {0}")]
    Store(#[from] PortError),
    /// No execution has this name.
    #[error("no execution is named '{name}'; `adsctl executions` lists them")]
    NotFound {
        /// The name asked for.
        name: String,
    },
    /// A stored execution is not an execution (edited by hand, or from another version).
    #[error("{key} is not a readable execution: {reason}")]
    Unreadable {
        /// Its key.
        key: String,
        /// serde's words.
        reason: String,
    },
    /// No running execution waits for this token.
    #[error(
        "no running execution waits for the task token ending …{tail}; it was answered \
         already, timed out, or belongs to another data directory (`adsctl executions` lists \
         the running ones)"
    )]
    NoTaskWaiting {
        /// The token's last characters (the token itself approves: never printed whole).
        tail: String,
    },
}

/// The executions of a store.
#[derive(Clone, Copy)]
pub struct Executions<'a> {
    store: &'a dyn ObjectStore,
}

impl<'a> Executions<'a> {
    /// The executions kept in `store`.
    pub fn new(store: &'a dyn ObjectStore) -> Self {
        Executions { store }
    }

    /// The key of `machine`'s execution `name`.
    pub fn key(machine: Machine, name: &str) -> String {
        format!("{PREFIX}{}/{name}.json", machine.name())
    }

    /// Writes `execution` (replacing the previous version).
    pub async fn save(
        &self,
        machine: Machine,
        execution: &Execution,
    ) -> Result<(), ExecutionsError> {
        let body =
            serde_json::to_vec_pretty(execution).map_err(|e| ExecutionsError::Unreadable {
                key: Self::key(machine, &execution.name),
                reason: e.to_string(),
            })?;
        self.store
            .put(
                &Self::key(machine, &execution.name),
                Bytes::from(body),
                "application/json",
            )
            .await?;
        Ok(())
    }

    /// The execution called `name`, of whichever machine ran it.
    pub async fn find(&self, name: &str) -> Result<(Machine, Execution), ExecutionsError> {
        for machine in Machine::ALL {
            match self.load(machine, name).await {
                Ok(execution) => return Ok((machine, execution)),
                Err(ExecutionsError::Store(PortError::NotFound { .. })) => {}
                Err(other) => return Err(other),
            }
        }
        Err(ExecutionsError::NotFound {
            name: name.to_owned(),
        })
    }

    async fn load(&self, machine: Machine, name: &str) -> Result<Execution, ExecutionsError> {
        let key = Self::key(machine, name);
        let body = self.store.get(&key).await?;
        serde_json::from_slice(&body).map_err(|e| ExecutionsError::Unreadable {
            key,
            reason: e.to_string(),
        })
    }

    /// Every execution, newest first.
    pub async fn list(&self) -> Result<Vec<(Machine, Execution)>, ExecutionsError> {
        let mut all = Vec::new();
        for machine in Machine::ALL {
            let prefix = format!("{PREFIX}{}/", machine.name());
            for key in self.store.list(&prefix).await? {
                let Some(name) = key
                    .strip_prefix(&prefix)
                    .and_then(|rest| rest.strip_suffix(".json"))
                else {
                    continue;
                };
                all.push((machine, self.load(machine, name).await?));
            }
        }
        all.sort_by_key(|(_, execution)| std::cmp::Reverse(execution.start_date));
        Ok(all)
    }

    /// The running execution whose Task waits for `token`.
    pub async fn waiting_for(&self, token: &str) -> Result<(Machine, Execution), ExecutionsError> {
        self.list()
            .await?
            .into_iter()
            .find(|(_, execution)| {
                execution.status == Status::Running
                    && execution
                        .pending_callbacks()
                        .iter()
                        .any(|callback| callback.token == token)
            })
            .ok_or_else(|| ExecutionsError::NoTaskWaiting {
                tail: token_tail(token),
            })
    }
}

/// The last four characters of a task token: enough to tell tokens apart in a message,
/// never enough to answer one.
pub fn token_tail(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn execution(name: &str, started: &str) -> Execution {
        serde_json::from_value(serde_json::json!({
            "name": name, "executionArn": format!("arn:local:{name}"), "machine": "optimize",
            "status": "SUCCEEDED", "input": {}, "output": {}, "error": null, "cause": null,
            "startDate": started, "stopDate": started, "redriveCount": 0, "redriveDate": null,
            "history": []
        }))
        .expect("an execution")
    }

    #[tokio::test]
    async fn executions_are_kept_by_machine_and_name_and_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let executions = Executions::new(&store);
        let older = execution("daily-1", "2026-09-01T06:00:00Z");
        let newer = execution("daily-2", "2026-09-02T06:00:00Z");
        executions.save(Machine::Optimize, &older).await.unwrap();
        executions.save(Machine::Collect, &newer).await.unwrap();
        assert!(store.get("executions/optimize/daily-1.json").await.is_ok());
        let (machine, found) = executions.find("daily-2").await.unwrap();
        assert_eq!(
            (machine, found.name.as_str()),
            (Machine::Collect, "daily-2")
        );
        let names: Vec<String> = executions
            .list()
            .await
            .unwrap()
            .into_iter()
            .map(|(_, e)| e.name)
            .collect();
        assert_eq!(names, ["daily-2", "daily-1"]);
        assert!(matches!(
            executions.find("nope").await,
            Err(ExecutionsError::NotFound { .. })
        ));
    }

    #[tokio::test]
    async fn an_unknown_token_is_named_by_its_last_four_characters_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = local::DirStore::new(dir.path());
        let token = "secret-approval-token-1a2b";
        let error = Executions::new(&store)
            .waiting_for(token)
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(message.contains("…1a2b"), "{message}");
        assert!(!message.contains(token), "{message}");
    }
}
