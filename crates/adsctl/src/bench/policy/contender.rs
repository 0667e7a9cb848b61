//! One simulation: a seeded market on its own simulator, a temporary data directory, and a
//! contender acting on it every simulated morning through the real steps.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use ads::decision::{Action, ActionId, ActionKind, Decisions};
use ads::{AccountId, CampaignId, CreativeId, ObjectStore, SecretStore};
use anyhow::Context;
use bytes::Bytes;
use chrono::{DateTime, Days, NaiveDate, Utc};
use policy::{Guardrails, Policy};
use rand::SeedableRng;
use rand::rngs::StdRng;
use secrecy::SecretString;
use sim::{CreativeTruth, RunningSim, Scenario};

use super::Job;
use super::scorecard::{self, RunScore};

/// A policy under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Contender {
    /// No changes at all.
    None,
    /// The seed's fixed thresholds.
    Rules,
    /// The default (empirical-Bayes) policy.
    Bayes,
    /// 14 days of even rotation, then each campaign's observed winner.
    AbTest,
    /// Knows the true rates.
    Oracle,
}

impl Contender {
    /// Every contender, in table order.
    pub const ALL: [Contender; 5] = [
        Contender::None,
        Contender::Rules,
        Contender::Bayes,
        Contender::AbTest,
        Contender::Oracle,
    ];

    /// The name in the table.
    pub fn name(&self) -> &'static str {
        match self {
            Contender::None => "none",
            Contender::Rules => "seed rules",
            Contender::Bayes => "bayes",
            Contender::AbTest => "A/B 14 days",
            Contender::Oracle => "oracle",
        }
    }
}

/// The days of even rotation before the A/B test picks its winners.
const AB_TEST_DAYS: u32 = 14;

/// The default guardrails, but for pausing several creatives of a campaign at once, which
/// the A/B test and the oracle do; the table still checks them against the defaults.
fn reference_guardrails() -> Guardrails {
    Guardrails {
        max_pauses_per_campaign: 100,
        max_actions_per_run: 1_000,
        ..Guardrails::default()
    }
}

/// Runs `job` and scores it.
pub async fn simulate(job: Job) -> anyhow::Result<RunScore> {
    let scenario = Scenario {
        seed: job.seed,
        campaigns_per_account: job.campaigns,
        creatives_per_campaign: job.creatives,
        calibration: sim::Calibration {
            conversion_reporting_lag_days: job.lag_days,
            ctr_noise_sd: job.ctr_noise_sd,
            ..sim::Calibration::default()
        },
        ..Scenario::default()
    };
    let running = sim::spawn(scenario).await.context("starting a simulator")?;
    let market = Market::open(&running).await?;
    for (key, body) in job.seeded.iter() {
        market
            .store
            .put(key, body.clone(), "application/json")
            .await?;
    }
    let first_day = running.admin().clock().await?.today;
    let mut snapshots = Vec::with_capacity(job.days as usize);
    let mut launches = Vec::new();
    for day in 0..job.days {
        let today = running.admin().advance(1).await?.today;
        let now = today.and_hms_opt(6, 0, 0).context("a morning")?.and_utc();
        let mut truth = running.admin().truth_creatives().await?;
        if job
            .launch_every
            .is_some_and(|every| day > 0 && day % every == 0)
        {
            launches.extend(market.launch(job.seed, day, today, &truth).await?);
            truth = running.admin().truth_creatives().await?;
        }
        market.act(&job, day, now, &truth).await?;
        snapshots.push((today, truth));
    }
    let last_day = first_day + Days::new(u64::from(job.days) - 1);
    let delivery = running.admin().truth_delivery(first_day, last_day).await?;
    let log = policy::action_log::read_all(&market.store).await?;
    let mut score = scorecard::score(&job, &delivery, &log, &snapshots);
    score.launches = scorecard::launches(&launches, &delivery);
    running.shutdown().await;
    Ok(score)
}

/// A secret store holding the simulator's credentials under the default secret name.
pub(crate) async fn simulator_secrets(
    running: &RunningSim,
) -> anyhow::Result<local::MemorySecrets> {
    let secrets = local::MemorySecrets::default();
    let credentials = running.admin().credentials().await?;
    secrets
        .put(
            linkedin::secret::DEFAULT_SECRET_NAME,
            SecretString::from(serde_json::to_string(&credentials)?),
        )
        .await?;
    Ok(secrets)
}

/// The simulated account as the steps see it: local adapters over a temporary directory.
struct Market {
    _dir: tempfile::TempDir,
    store: local::DirStore,
    secrets: local::MemorySecrets,
    metrics: local::MetricsLog,
    account: AccountId,
    linkedin: linkedin::Config,
}

impl Market {
    async fn open(running: &RunningSim) -> anyhow::Result<Market> {
        let dir = tempfile::tempdir().context("a temporary data directory")?;
        let secrets = simulator_secrets(running).await?;
        let truth = running.admin().truth_creatives().await?;
        let account = AccountId(truth.first().context("a seeded creative")?.account_id);
        Ok(Market {
            store: local::DirStore::new(dir.path().join("data")),
            metrics: local::MetricsLog::new(dir.path().join("metrics.jsonl")),
            _dir: dir,
            secrets,
            account,
            linkedin: linkedin::Config {
                api_url: running.api_url(),
                oauth_url: running.oauth_url(),
                retry: linkedin::RetryPolicy::quick(),
                ..linkedin::Config::default()
            },
        })
    }

    /// The advertiser's launch on `today`: one new ACTIVE creative with fresh copy (the
    /// simulator's templates, seeded by run, day and campaign) in each campaign with an
    /// active creative, made through the API as a person would. Returns the launches.
    async fn launch(
        &self,
        seed: u64,
        day: u32,
        today: NaiveDate,
        truth: &[CreativeTruth],
    ) -> anyhow::Result<Vec<scorecard::Launch>> {
        let client = linkedin::client_from_secret(
            &self.secrets,
            linkedin::secret::DEFAULT_SECRET_NAME,
            &self.linkedin,
            today,
        )
        .await?;
        let mut campaigns: BTreeMap<u64, &CreativeTruth> = BTreeMap::new();
        for creative in truth.iter().filter(|c| c.status == "ACTIVE") {
            campaigns.entry(creative.campaign_id).or_insert(creative);
        }
        let mut launches = Vec::new();
        for (campaign, sibling) in campaigns {
            let mut rng = StdRng::seed_from_u64(seed ^ (u64::from(day) << 32) ^ campaign);
            let copy = sim::copy::generate(&mut rng);
            let sibling_post: ads::PostUrn = sibling.post.parse()?;
            let author = client
                .post(&sibling_post)
                .await?
                .value
                .author
                .context("the sibling's post has an author")?;
            let post = client
                .create_dark_post(&linkedin::posts::DarkPost {
                    author,
                    account: self.account,
                    copy: ads::AdCopy {
                        commentary: Some(copy.commentary),
                        headline: Some(copy.headline),
                        description: Some(copy.description),
                        landing_page: Some(format!("https://example.com/launch/{day}")),
                        call_to_action: Some(copy.call_to_action),
                    },
                })
                .await?;
            let creative = client
                .create_creative(
                    self.account,
                    CampaignId(campaign),
                    &post,
                    ads::CreativeStatus::Active,
                )
                .await?;
            launches.push(scorecard::Launch {
                campaign,
                creative: creative.0,
                day: today,
            });
        }
        Ok(launches)
    }

    /// The contender's move on the morning of `now` (day number `day` of the run).
    async fn act(
        &self,
        job: &Job,
        day: u32,
        now: DateTime<Utc>,
        truth: &[CreativeTruth],
    ) -> anyhow::Result<()> {
        match job.contender {
            Contender::None => Ok(()),
            Contender::Rules => self.optimize(&Policy::seed_rules(), now).await,
            Contender::Bayes => self.optimize(&job.policy, now).await,
            Contender::AbTest if day == AB_TEST_DAYS => {
                self.refresh_token(now).await?;
                let result_key = self.collect_and_query(AB_TEST_DAYS, now).await?;
                let actions = self.ab_test_winners(&result_key, now.date_naive()).await?;
                self.apply_own(actions, now).await
            }
            Contender::AbTest => Ok(()),
            Contender::Oracle => self.oracle(&job.policy, truth, now).await,
        }
    }

    /// One morning of the optimize pipeline: fetch-token, collect, the decision query,
    /// decide, apply (auto).
    async fn optimize(&self, policy: &Policy, now: DateTime<Utc>) -> anyhow::Result<()> {
        let key = self.decide(policy, now).await?;
        self.apply(key, serde_json::to_value(policy)?, now).await
    }

    /// fetch-token, collect, the decision query and decide; returns the decisions key.
    async fn decide(&self, policy: &Policy, now: DateTime<Utc>) -> anyhow::Result<String> {
        self.refresh_token(now).await?;
        let today = now.date_naive();
        let window = crate::pipeline::decision_window(policy, today);
        let result_key = self.collect_and_query(window, now).await?;
        let decided = decide::run(
            decide::Input {
                result_key,
                account_id: self.account.0.to_string(),
                as_of: today,
                execution: format!("bench-{today}"),
                policy: Some(serde_json::to_value(policy)?),
                policy_key: None,
            },
            decide::Ports { store: &self.store },
        )
        .await
        .map_err(|e| anyhow::anyhow!("decide on {today}: {e}"))?;
        Ok(decided.decisions_key)
    }

    async fn refresh_token(&self, now: DateTime<Utc>) -> anyhow::Result<()> {
        let settings = fetch_token::Settings::new(self.linkedin.clone());
        fetch_token::run(fetch_token::Input::default(), &settings, &self.secrets, now)
            .await
            .map_err(|e| anyhow::anyhow!("fetch-token: {e}"))?;
        Ok(())
    }

    /// Collects the last 14 days (restated conversions included) and runs
    /// `decision_series` over the `window` days before `now`; returns the result's key.
    async fn collect_and_query(&self, window: u32, now: DateTime<Utc>) -> anyhow::Result<String> {
        let yesterday = now.date_naive() - Days::new(1);
        let settings = collect::Settings {
            linkedin: self.linkedin.clone(),
            ..collect::Settings::default()
        };
        let ports = collect::Ports {
            store: &self.store,
            secrets: &self.secrets,
            metrics: &self.metrics,
        };
        let input = collect::Input {
            account_id: self.account.0.to_string(),
            campaign_ids: None,
            end_date: Some(yesterday.to_string()),
            lookback_days: Some(14),
            metrics: None,
        };
        collect::run(input, &settings, ports, now)
            .await
            .map_err(|e| anyhow::anyhow!("collect: {e}"))?;
        crate::pipeline::decision_query(&self.store, self.account, now.date_naive(), window).await
    }

    /// apply in auto mode over the decisions at `decisions_key`.
    async fn apply(
        &self,
        decisions_key: String,
        policy: serde_json::Value,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let settings = apply::Settings {
            linkedin: self.linkedin.clone(),
            ..apply::Settings::default()
        };
        apply::run(
            apply::Input {
                decisions_key,
                mode: apply::Mode::Auto,
                approval: None,
                policy: Some(policy),
                policy_key: None,
                now: Some(now),
            },
            &settings,
            apply::Ports {
                store: &self.store,
                secrets: &self.secrets,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("apply on {}: {e}", now.date_naive()))?;
        Ok(())
    }

    /// The oracle's morning (see [`super::oracle`]): bayes's bid, budget and variation
    /// moves, and the choice among existing creatives made from the truth.
    async fn oracle(
        &self,
        policy: &Policy,
        truth: &[CreativeTruth],
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let key = self.decide(policy, now).await?;
        let decided: Decisions = serde_json::from_slice(&self.store.get(&key).await?)?;
        let mut actions = super::oracle::creative_choice(self.account, now.date_naive(), truth);
        actions.extend(decided.actions.into_iter().filter(|a| {
            a.blocked.is_none()
                && matches!(
                    a.kind,
                    ActionKind::SetBid | ActionKind::SetBudget | ActionKind::CreateVariation
                )
        }));
        self.apply_own(actions, now).await
    }

    /// Writes a reference contender's actions as a decisions file and applies them with
    /// the reference guardrails.
    async fn apply_own(&self, actions: Vec<Action>, now: DateTime<Utc>) -> anyhow::Result<()> {
        if actions.is_empty() {
            return Ok(());
        }
        let today = now.date_naive();
        let decisions = Decisions {
            account_id: self.account,
            as_of: today,
            execution: format!("reference-{today}"),
            mode: "reference".to_owned(),
            decided_at: now,
            actions,
            notes: Vec::new(),
        };
        let key = Decisions::key(today, &decisions.execution);
        self.store
            .put(
                &key,
                Bytes::from(serde_json::to_vec(&decisions)?),
                "application/json",
            )
            .await?;
        let policy = Policy {
            guardrails: reference_guardrails(),
            ..Policy::default()
        };
        self.apply(key, serde_json::to_value(&policy)?, now).await
    }

    /// The A/B test's end: in each campaign, the creative with the most conversions per
    /// impression over the test (clicks per impression breaking ties) stays; the rest pause.
    async fn ab_test_winners(
        &self,
        result_key: &str,
        today: NaiveDate,
    ) -> anyhow::Result<Vec<Action>> {
        let body = self.store.get(result_key).await?;
        let mut campaigns: BTreeMap<u64, BTreeMap<u64, Observed>> = BTreeMap::new();
        for record in csv::Reader::from_reader(body.as_ref()).deserialize() {
            let row: BTreeMap<String, String> = record?;
            let number = |column: &str| row[column].parse::<f64>().unwrap_or(0.0);
            let observed = campaigns
                .entry(row["campaign_id"].parse()?)
                .or_default()
                .entry(row["creative_id"].parse()?)
                .or_default();
            observed.impressions += number("impressions");
            observed.clicks += number("clicks");
            observed.conversions += number("conversions");
            observed.active = row["creative_status"] == "ACTIVE";
        }
        let mut actions = Vec::new();
        for (campaign, creatives) in campaigns {
            let Some(winner) = creatives
                .iter()
                .max_by(|a, b| {
                    a.1.score()
                        .partial_cmp(&b.1.score())
                        .unwrap_or(Ordering::Equal)
                })
                .map(|(id, _)| *id)
            else {
                continue;
            };
            for (creative, observed) in &creatives {
                if *creative != winner && observed.active {
                    actions.push(status_change(
                        self.account,
                        campaign,
                        *creative,
                        today,
                        ActionKind::Pause,
                        format!("A/B test after {AB_TEST_DAYS} days: creative {winner} won"),
                    ));
                }
            }
        }
        Ok(actions)
    }
}

/// What the A/B test saw of one creative.
#[derive(Debug, Default)]
struct Observed {
    impressions: f64,
    clicks: f64,
    conversions: f64,
    active: bool,
}

impl Observed {
    /// Conversions per impression, then clicks per impression.
    fn score(&self) -> (f64, f64) {
        let impressions = self.impressions.max(1.0);
        (self.conversions / impressions, self.clicks / impressions)
    }
}

/// A pause or resume of one creative, with its derived id.
pub(super) fn status_change(
    account: AccountId,
    campaign: u64,
    creative: u64,
    today: NaiveDate,
    kind: ActionKind,
    reason: String,
) -> Action {
    let (from, to) = match kind {
        ActionKind::Resume => ("PAUSED", "ACTIVE"),
        _ => ("ACTIVE", "PAUSED"),
    };
    Action {
        id: ActionId(String::new()),
        kind,
        account_id: account,
        campaign_id: CampaignId(campaign),
        creative_id: Some(CreativeId(creative)),
        as_of: today,
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
        currency: None,
        variation: None,
        reason,
        evidence: BTreeMap::new(),
        blocked: None,
    }
    .with_derived_id()
}
