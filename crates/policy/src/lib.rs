//! The optimizer's policy and the rules every change obeys.
//!
//! decide and apply both read the same policy file and enforce the same guardrails — decide
//! on what the data says, apply again on what LinkedIn says at the moment of the change — so
//! an edited decisions file cannot bypass them. Both read the same action log.
//!
//! Reading order:
//! - [`policy`]: the policy file (TOML or JSON): `bayes` or `rules` mode, their settings, the
//!   guardrails; validation that names the field and the fix.
//! - [`guardrails`]: [`guardrails::screen`] marks each action a guardrail refuses, with the
//!   reason, given what is known of the account.
//! - [`action_log`]: `logs/optimizer_actions/YYYY-MM-DD.jsonl`, read and appended.
//! - [`source`]: the policy a step's input names — inline (`policy`), a policy file in the
//!   store (`policyKey`), or the default — checked and loaded the same way for every step.
//!
//! Deliberately not here: statistics and rule evaluation (the decide step), LinkedIn calls
//! (the apply step), and the steps' own inputs (each maps a [`LoadError`] into its error).

pub mod action_log;
pub mod guardrails;
pub mod policy;
pub mod source;

pub use guardrails::{AccountState, CampaignState, screen};
pub use policy::{Bayes, Guardrails, Policy, PolicyError};
pub use source::{LoadError, PolicySource};
