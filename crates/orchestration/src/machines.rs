//! The three state machines of `statemachines/`, built into the binary so `adsctl` runs them
//! from any directory, with their `${...FunctionArn}` placeholders resolved to the local step
//! names (`fetch-token`, `collect`, ...) as CDK resolves them to the deployed functions.

use asl::{DefinitionError, StateMachine};

/// One of the project's state machines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Machine {
    /// `statemachines/collect.asl.json`: every six hours.
    Collect,
    /// `statemachines/optimize.asl.json`: daily, per account.
    Optimize,
    /// `statemachines/train.asl.json`: weekly, over every account.
    Train,
}

impl Machine {
    /// All three: the two of every day, in the order they run, then the weekly one.
    pub const ALL: [Machine; 3] = [Machine::Collect, Machine::Optimize, Machine::Train];

    /// The name used on the command line and in the store (`executions/<name>/`).
    pub fn name(self) -> &'static str {
        match self {
            Machine::Collect => "collect",
            Machine::Optimize => "optimize",
            Machine::Train => "train",
        }
    }

    /// The machine called `name`, if any.
    pub fn from_name(name: &str) -> Option<Machine> {
        Machine::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The ASL text as written.
    pub fn definition(self) -> &'static str {
        match self {
            Machine::Collect => include_str!("../../../statemachines/collect.asl.json"),
            Machine::Optimize => include_str!("../../../statemachines/optimize.asl.json"),
            Machine::Train => include_str!("../../../statemachines/train.asl.json"),
        }
    }

    /// The definition parsed, its function placeholders resolved to the local steps.
    pub fn state_machine(self) -> Result<StateMachine, DefinitionError> {
        let text = self.definition();
        Ok(
            StateMachine::with_substitutions(text, &StateMachine::local_substitutions(text))?
                .named(self.name()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_machine_parses_with_every_task_resolved_to_a_local_step() {
        for machine in Machine::ALL {
            let parsed = machine.state_machine().expect("parses");
            assert_eq!(parsed.name(), Some(machine.name()));
            assert_eq!(Machine::from_name(machine.name()), Some(machine));
            for function in parsed.task_functions() {
                assert!(
                    crate::steps::STEP_NAMES.contains(&function.as_str()),
                    "{}: {function} is not a local step",
                    machine.name()
                );
            }
        }
    }
}
