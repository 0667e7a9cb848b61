//! The policy file: which mode decides (`bayes`, the default, or `rules`), its settings, and
//! the guardrails. TOML or JSON, snake_case keys; every field has a safe default, so an empty
//! file is the default policy. An unknown field, a negative threshold or an impossible cap is
//! refused with the field's path and the fix.
//!
//! ```toml
//! mode = "rules"
//!
//! [[rules]]
//! name = "pause low CTR"
//! level = "creative"
//! window_days = 14
//! match = "all"                      # all = AND, any = OR
//! conditions = [
//!   { metric = "ctr", op = "<", value = 0.01 },
//!   { metric = "clicks", op = ">", value = 100 },
//! ]
//! action = "pause"
//!
//! [guardrails]
//! max_pauses_per_campaign = 1
//! cooldown_days = 3
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A policy file that cannot be used: the field (a dotted path) and what it must be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy {field}: {message}")]
pub struct PolicyError {
    /// The field, e.g. `guardrails.max_bid_change_percent`, or `policy` for the whole file.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl PolicyError {
    fn new(field: impl Into<String>, message: impl Into<String>) -> PolicyError {
        PolicyError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The whole policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Which decides: `bayes` (default) or `rules`.
    pub mode: Mode,
    /// Settings of the `bayes` mode.
    pub bayes: Bayes,
    /// The rules of the `rules` mode, applied in order.
    pub rules: Vec<Rule>,
    /// Always on, in both modes.
    pub guardrails: Guardrails,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::Bayes,
            bayes: Bayes::default(),
            rules: Vec::new(),
            guardrails: Guardrails::default(),
        }
    }
}

/// The decision mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Empirical-Bayes comparison of creatives within each campaign.
    Bayes,
    /// Fixed conditions on metrics, as the policy's `rules` say.
    Rules,
}

impl Mode {
    /// `bayes` or `rules`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Bayes => "bayes",
            Mode::Rules => "rules",
        }
    }
}

/// Settings of the `bayes` mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bayes {
    /// Days of history the rates are estimated from (ending the day before `asOf`).
    pub window_days: u32,
    /// A creative is never paused before it has this many impressions in the window.
    pub min_impressions: u64,
    /// Pause when the creative is worse than the campaign's best by at least this share of
    /// the best's rate (0.10 = 10% worse)...
    pub pause_margin: f64,
    /// ... with at least this posterior probability.
    pub pause_confidence: f64,
    /// Create a variation of a creative whose probability of being best reaches this.
    pub variation_confidence: f64,
    /// Share of a day's conversions already reported, by the day's age in days (index 0 =
    /// the newest day collected); days older than the list are complete. Recent days'
    /// conversions are scaled up by it, and days below `lag_min_completeness` are left out.
    pub lag_completeness: Vec<f64>,
    /// Days whose completeness is below this are excluded from conversion rates.
    pub lag_min_completeness: f64,
    /// Extra whole days of reporting lag on top of `lag_completeness` (0 = none).
    pub lag_days: u32,
    /// Fatigue: a creative whose CTR over the last `fatigue_recent_days` fell below its own
    /// earlier baseline by this share is flagged fatigued (and may be paused).
    pub fatigue_drop: f64,
    /// Fatigue: days of the recent period.
    pub fatigue_recent_days: u32,
    /// Monte Carlo draws for the probability of being best.
    pub draws: u32,
    /// How far a bid moves in one decision, percent (capped by the guardrails).
    pub bid_step_percent: f64,
    /// How much budget moves between campaigns in one decision, percent of the donor's.
    pub budget_shift_percent: f64,
    /// Move budget only when the posterior probability that the receiving campaign's cost
    /// per conversion beats the donor's reaches this.
    pub budget_confidence: f64,
    /// Resume a creative the optimizer paused when its rate before the pause beats what the
    /// campaign's best delivers now (fatigue wears the active ones; a paused one keeps its
    /// rate) by `pause_margin` with `pause_confidence`. Creatives paused by anyone else are
    /// never resumed.
    pub resume_paused: bool,
    /// A creative stays paused at least this many days before it may be resumed.
    pub resume_after_days: u32,
    /// Use the latest creative scorer (`models/creative_scoring/`, when it beat the mean
    /// baseline on held-out creatives) for each creative's CTR prior — what its copy
    /// predicts, which matters while it has little data — and to rank candidate variations.
    pub creative_scorer: bool,
}

impl Default for Bayes {
    fn default() -> Self {
        Bayes {
            window_days: 28,
            min_impressions: 1_000,
            pause_margin: 0.10,
            pause_confidence: 0.70,
            variation_confidence: 0.95,
            lag_completeness: vec![0.5, 0.62, 0.72, 0.79, 0.84, 0.88, 0.91],
            lag_min_completeness: 0.5,
            lag_days: 0,
            fatigue_drop: 0.30,
            fatigue_recent_days: 7,
            draws: 4_000,
            bid_step_percent: 10.0,
            budget_shift_percent: 20.0,
            budget_confidence: 0.90,
            resume_paused: true,
            creative_scorer: true,
            resume_after_days: 7,
        }
    }
}

/// One rule: conditions on a level's metrics over a window, and the action when they hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A name for reports and reasons.
    pub name: String,
    /// What the conditions are evaluated on.
    pub level: Level,
    /// Days of history the metrics cover (ending the day before `asOf`).
    #[serde(default = "default_rule_window")]
    pub window_days: u32,
    /// `all` (AND, default) or `any` (OR).
    #[serde(default, rename = "match")]
    pub combine: Combine,
    /// The conditions; at least one.
    pub conditions: Vec<Condition>,
    /// What to do when they hold.
    pub action: RuleAction,
    /// For bid and budget actions: by how much, percent (default 10).
    #[serde(default)]
    pub change_percent: Option<f64>,
}

fn default_rule_window() -> u32 {
    14
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Each creative's metrics.
    Creative,
    /// Each campaign's metrics (its creatives summed).
    Campaign,
}

/// How conditions combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// Every condition holds (AND).
    #[default]
    All,
    /// At least one holds (OR).
    Any,
}

/// One comparison, e.g. `ctr < 0.01`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The metric.
    pub metric: Metric,
    /// The comparison.
    pub op: Op,
    /// The threshold, in the metric's unit (rates as fractions: 0.01 = 1%; money in the
    /// account's currency).
    pub value: f64,
}

/// Metrics a condition can test. A rate with a zero denominator has no value, and a
/// condition on it does not hold (no data is not zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Impressions.
    Impressions,
    /// Clicks.
    Clicks,
    /// Spend.
    Cost,
    /// Conversions (website conversions + leads).
    Conversions,
    /// Clicks per impression.
    Ctr,
    /// Cost per click.
    Cpc,
    /// Cost per thousand impressions.
    Cpm,
    /// Conversions per click.
    ConversionRate,
    /// Cost per conversion.
    CostPerConversion,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// At most.
    #[serde(rename = "<=")]
    Le,
    /// Greater than.
    #[serde(rename = ">")]
    Gt,
    /// At least.
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// Whether `left op right`.
    pub fn holds(&self, left: f64, right: f64) -> bool {
        match self {
            Op::Lt => left < right,
            Op::Le => left <= right,
            Op::Gt => left > right,
            Op::Ge => left >= right,
        }
    }
}

/// What a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Pause the creative (creative level only).
    Pause,
    /// Resume the creative (creative level only).
    Resume,
    /// Raise the campaign's bid by `change_percent` (at creative level: its campaign's).
    RaiseBid,
    /// Lower the campaign's bid by `change_percent`.
    LowerBid,
    /// Raise the campaign's daily budget by `change_percent`.
    RaiseBudget,
    /// Lower the campaign's daily budget by `change_percent`.
    LowerBudget,
    /// Create a variation of the creative (creative level only).
    CreateVariation,
}

/// The guardrails: always on, in both modes, in decide and again in apply. A decision one of
/// them blocks is kept, marked blocked with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Guardrails {
    /// At most this many pauses per campaign per run (never the last active creative).
    pub max_pauses_per_campaign: u32,
    /// A bid moves at most this many percent per day, up or down.
    pub max_bid_change_percent: f64,
    /// A daily budget moves at most this many percent per day, up or down.
    pub max_budget_change_percent: f64,
    /// No daily budget below this (LinkedIn's own minimum, about $10, also applies).
    pub min_daily_budget: Decimal,
    /// No daily budget above this; none when absent.
    pub max_daily_budget: Option<Decimal>,
    /// Days after an applied change before the same item may change again.
    pub cooldown_days: u32,
    /// The account's spend in a calendar month may not be planned above this; none when
    /// absent. Budget raises that would exceed it are blocked.
    pub monthly_spend_cap: Option<Decimal>,
    /// At most this many actions per run (the rest are blocked, lowest priority first).
    pub max_actions_per_run: u32,
    /// At most this many new creatives (variations) per run.
    pub max_variations_per_run: u32,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            max_pauses_per_campaign: 1,
            max_bid_change_percent: 20.0,
            max_budget_change_percent: 30.0,
            min_daily_budget: Decimal::TEN,
            max_daily_budget: None,
            cooldown_days: 3,
            monthly_spend_cap: None,
            max_actions_per_run: 10,
            max_variations_per_run: 1,
        }
    }
}

impl Policy {
    /// Parses and validates a TOML policy.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = toml::from_str(text).map_err(|e| {
            PolicyError::new("policy", format!("{} (TOML)", e.message().trim_end()))
        })?;
        policy.validated()
    }

    /// Parses and validates a JSON policy (as a step's inline `policy` carries it).
    pub fn from_json(value: &Value) -> Result<Policy, PolicyError> {
        let policy: Policy = serde_json::from_value(value.clone())
            .map_err(|e| PolicyError::new("policy", format!("{e} (JSON)")))?;
        policy.validated()
    }

    /// Parses a policy file by its name: `.json` as JSON, anything else as TOML.
    pub fn from_file_text(name: &str, text: &str) -> Result<Policy, PolicyError> {
        if name.ends_with(".json") {
            let value: Value = serde_json::from_str(text)
                .map_err(|e| PolicyError::new("policy", format!("{name} is not JSON: {e}")))?;
            Policy::from_json(&value)
        } else {
            Policy::from_toml(text)
        }
    }

    /// The seed's fixed thresholds as a `rules` policy: pause CTR < 1% with > 100 clicks,
    /// scale (raise the budget of) CTR > 3%, pause CPC > $8.
    pub fn seed_rules() -> Policy {
        Policy::from_toml(include_str!("../examples/seed-rules.toml"))
            .expect("the shipped example policy is valid")
    }

    /// Checks every value; the first problem found is returned.
    pub fn validated(self) -> Result<Policy, PolicyError> {
        self.bayes.validate()?;
        if self.mode == Mode::Rules && self.rules.is_empty() {
            return Err(PolicyError::new(
                "rules",
                "mode is \"rules\" but no [[rules]] are given; add one or use mode = \"bayes\"",
            ));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            rule.validate(&format!("rules[{i}]"))?;
        }
        self.guardrails.validate()?;
        Ok(self)
    }
}

fn fraction(field: &str, value: f64, low: f64, high: f64) -> Result<(), PolicyError> {
    if value.is_finite() && value >= low && value <= high {
        Ok(())
    } else {
        Err(PolicyError::new(
            field,
            format!("must be between {low} and {high} (got {value})"),
        ))
    }
}

fn at_least(field: &str, value: u64, low: u64) -> Result<(), PolicyError> {
    if value >= low {
        Ok(())
    } else {
        Err(PolicyError::new(
            field,
            format!("must be at least {low} (got {value})"),
        ))
    }
}

impl Bayes {
    fn validate(&self) -> Result<(), PolicyError> {
        at_least("bayes.window_days", self.window_days.into(), 1)?;
        fraction("bayes.pause_margin", self.pause_margin, 0.0, 0.99)?;
        fraction("bayes.pause_confidence", self.pause_confidence, 0.5, 0.9999)?;
        fraction(
            "bayes.variation_confidence",
            self.variation_confidence,
            0.5,
            1.0,
        )?;
        for (i, share) in self.lag_completeness.iter().enumerate() {
            fraction(&format!("bayes.lag_completeness[{i}]"), *share, 0.01, 1.0)?;
        }
        if self.lag_completeness.windows(2).any(|w| w[1] < w[0]) {
            return Err(PolicyError::new(
                "bayes.lag_completeness",
                "must not decrease with age: an older day has at least as many conversions reported",
            ));
        }
        fraction(
            "bayes.lag_min_completeness",
            self.lag_min_completeness,
            0.0,
            1.0,
        )?;
        fraction("bayes.fatigue_drop", self.fatigue_drop, 0.0, 0.99)?;
        at_least(
            "bayes.fatigue_recent_days",
            self.fatigue_recent_days.into(),
            1,
        )?;
        at_least("bayes.draws", self.draws.into(), 100)?;
        fraction("bayes.bid_step_percent", self.bid_step_percent, 0.0, 100.0)?;
        fraction(
            "bayes.budget_shift_percent",
            self.budget_shift_percent,
            0.0,
            90.0,
        )?;
        fraction("bayes.budget_confidence", self.budget_confidence, 0.5, 1.0)?;
        at_least("bayes.resume_after_days", self.resume_after_days.into(), 1)
    }
}

impl Rule {
    fn validate(&self, at: &str) -> Result<(), PolicyError> {
        if self.name.trim().is_empty() {
            return Err(PolicyError::new(
                format!("{at}.name"),
                "must not be empty; name the rule",
            ));
        }
        at_least(&format!("{at}.window_days"), self.window_days.into(), 1)?;
        if self.conditions.is_empty() {
            return Err(PolicyError::new(
                format!("{at}.conditions"),
                "needs at least one condition",
            ));
        }
        for (i, condition) in self.conditions.iter().enumerate() {
            if !condition.value.is_finite() || condition.value < 0.0 {
                return Err(PolicyError::new(
                    format!("{at}.conditions[{i}].value"),
                    format!(
                        "must be a number of at least 0 (got {}); metrics are never negative",
                        condition.value
                    ),
                ));
            }
        }
        let creative_only = matches!(
            self.action,
            RuleAction::Pause | RuleAction::Resume | RuleAction::CreateVariation
        );
        if creative_only && self.level == Level::Campaign {
            return Err(PolicyError::new(
                format!("{at}.action"),
                "pause, resume and create_variation act on creatives; use level = \"creative\"",
            ));
        }
        if let Some(percent) = self.change_percent {
            fraction(&format!("{at}.change_percent"), percent, 0.0, 100.0)?;
        }
        Ok(())
    }
}

impl Guardrails {
    fn validate(&self) -> Result<(), PolicyError> {
        fraction(
            "guardrails.max_bid_change_percent",
            self.max_bid_change_percent,
            0.0,
            100.0,
        )?;
        fraction(
            "guardrails.max_budget_change_percent",
            self.max_budget_change_percent,
            0.0,
            100.0,
        )?;
        if self.min_daily_budget < Decimal::ZERO {
            return Err(PolicyError::new(
                "guardrails.min_daily_budget",
                format!("must not be negative (got {})", self.min_daily_budget),
            ));
        }
        if let Some(max) = self.max_daily_budget
            && max < self.min_daily_budget
        {
            return Err(PolicyError::new(
                "guardrails.max_daily_budget",
                format!(
                    "{max} is below min_daily_budget {}: no budget could satisfy both",
                    self.min_daily_budget
                ),
            ));
        }
        if let Some(cap) = self.monthly_spend_cap
            && cap <= Decimal::ZERO
        {
            return Err(PolicyError::new(
                "guardrails.monthly_spend_cap",
                format!("must be above 0 (got {cap}); leave it out for no cap"),
            ));
        }
        at_least(
            "guardrails.max_actions_per_run",
            self.max_actions_per_run.into(),
            1,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_file_is_the_default_bayes_policy() {
        let policy = Policy::from_toml("").unwrap();
        assert_eq!(policy, Policy::default());
        assert_eq!(policy.mode, Mode::Bayes);
        assert_eq!(policy.guardrails.cooldown_days, 3);
    }

    #[test]
    fn the_seed_rules_ship_as_an_example() {
        // GIVEN the shipped example
        let policy = Policy::seed_rules();
        // THEN it is a rules policy with the seed's three thresholds
        assert_eq!(policy.mode, Mode::Rules);
        assert_eq!(policy.rules.len(), 3);
        let pause_ctr = &policy.rules[0];
        assert_eq!(pause_ctr.action, RuleAction::Pause);
        assert_eq!(pause_ctr.combine, Combine::All);
        assert_eq!(pause_ctr.conditions[0].metric, Metric::Ctr);
        assert_eq!(pause_ctr.conditions[0].value, 0.01);
    }

    #[test]
    fn an_unknown_field_is_named() {
        let error = Policy::from_toml("[guardrails]\nmax_pause_per_campaign = 2\n").unwrap_err();
        assert!(
            error.to_string().contains("max_pause_per_campaign"),
            "{error}"
        );
    }

    #[test]
    fn a_negative_threshold_is_named_with_its_path() {
        let error = Policy::from_toml(
            "mode = \"rules\"\n[[rules]]\nname = \"x\"\nlevel = \"creative\"\naction = \"pause\"\n\
             conditions = [{ metric = \"ctr\", op = \"<\", value = -0.01 }]\n",
        )
        .unwrap_err();
        assert_eq!(error.field, "rules[0].conditions[0].value");
    }

    #[test]
    fn an_impossible_cap_is_named() {
        let error = Policy::from_json(&json!({
            "guardrails": {"min_daily_budget": "50", "max_daily_budget": "20"}
        }))
        .unwrap_err();
        assert_eq!(error.field, "guardrails.max_daily_budget");
        let error =
            Policy::from_json(&json!({"guardrails": {"max_bid_change_percent": 250}})).unwrap_err();
        assert_eq!(error.field, "guardrails.max_bid_change_percent");
    }

    #[test]
    fn a_campaign_rule_cannot_pause() {
        let error = Policy::from_toml(
            "mode = \"rules\"\n[[rules]]\nname = \"x\"\nlevel = \"campaign\"\naction = \"pause\"\n\
             conditions = [{ metric = \"cpc\", op = \">\", value = 8 }]\n",
        )
        .unwrap_err();
        assert_eq!(error.field, "rules[0].action");
    }
}
