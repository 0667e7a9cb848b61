//! Execution history: events with Step Functions' `GetExecutionHistory` types
//! (`ExecutionStarted`, `TaskStateEntered`, `TaskScheduled`, ...), numbered from 1.
//!
//! Details use the field names of AWS's `*EventDetails` structures (`name`, `input`,
//! `output`, `error`, `cause`, `resourceType`, `resource`, `index`, `length`,
//! `redriveCount`), with inputs and outputs as JSON values rather than JSON text.

use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::clock::Clock;

/// One event of an execution's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    /// Sequential from 1.
    pub id: u64,
    /// The event this one follows in its own flow (within a Parallel branch or Map
    /// iteration, the branch's previous event); 0 for `ExecutionStarted`.
    pub previous_event_id: u64,
    /// When it happened, by the executor's clock.
    pub timestamp: DateTime<Utc>,
    /// The AWS event type, e.g. `TaskStateEntered`.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The event's details, e.g. `{"name": "Apply", "input": {...}}`.
    pub details: Value,
}

impl HistoryEvent {
    /// The state the event is about, for state events.
    pub fn state_name(&self) -> Option<&str> {
        self.details.get("name").and_then(Value::as_str)
    }
}

/// A callback told of each event as it is recorded (to print states as they pass).
pub type Observer<'a> = dyn Fn(&HistoryEvent) + Send + Sync + 'a;

/// Appends events during a run; shared by concurrent branches.
pub(crate) struct Recorder<'a> {
    events: Mutex<Vec<HistoryEvent>>,
    clock: &'a dyn Clock,
    observer: Option<&'a Observer<'a>>,
}

impl<'a> Recorder<'a> {
    pub fn new(
        events: Vec<HistoryEvent>,
        clock: &'a dyn Clock,
        observer: Option<&'a Observer<'a>>,
    ) -> Self {
        Recorder {
            events: Mutex::new(events),
            clock,
            observer,
        }
    }

    /// Records an event after `previous` (which then points at the new event); returns its id.
    pub fn emit(&self, previous: &mut u64, kind: &str, details: Value) -> u64 {
        let event = {
            let mut events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
            let event = HistoryEvent {
                id: events.len() as u64 + 1,
                previous_event_id: *previous,
                timestamp: self.clock.now(),
                r#type: kind.to_string(),
                details,
            };
            events.push(event.clone());
            event
        };
        tracing::debug!(id = event.id, kind, details = %event.details, "history event");
        if let Some(observer) = self.observer {
            observer(&event);
        }
        *previous = event.id;
        event.id
    }

    /// The id of the latest event.
    pub fn last_id(&self) -> u64 {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len() as u64
    }

    pub fn into_events(self) -> Vec<HistoryEvent> {
        self.events
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VirtualClock;
    use serde_json::json;

    #[test]
    fn events_are_numbered_and_chained() {
        // GIVEN a recorder
        let clock = VirtualClock::new(Utc::now());
        let recorder = Recorder::new(Vec::new(), &clock, None);
        // WHEN two events follow each other
        let mut previous = 0;
        let first = recorder.emit(&mut previous, "ExecutionStarted", json!({"input": {}}));
        let second = recorder.emit(&mut previous, "PassStateEntered", json!({"name": "A"}));
        // THEN ids count from 1 and each points at the one before
        let events = recorder.into_events();
        assert_eq!((first, second), (1, 2));
        assert_eq!(events[1].previous_event_id, 1);
        assert_eq!(events[1].state_name(), Some("A"));
    }

    #[test]
    fn events_serialize_with_aws_field_names() {
        let event = HistoryEvent {
            id: 1,
            previous_event_id: 0,
            timestamp: Utc::now(),
            r#type: "ExecutionStarted".into(),
            details: json!({}),
        };
        let value = serde_json::to_value(&event).expect("serializes");
        assert_eq!(value["type"], "ExecutionStarted");
        assert_eq!(value["previousEventId"], 0);
    }
}
