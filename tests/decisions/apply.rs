//! apply and undo against the real simulator over loopback HTTP: what LinkedIn ends up
//! showing (the simulator's ground truth), which requests were sent (its counters), and what
//! the action log says.
//!
//! Each test starts its own simulator (one account, two campaigns of three creatives, every
//! bid within LinkedIn's limits) and a workspace holding its credentials, writes a decisions
//! file built from the simulator's state, and runs the step at the simulator's "now".

use std::collections::BTreeMap;

use ads::decision::{Action, ActionId, ActionKind, Decisions, LogEntry, Outcome};
use ads::error_names::{self, StepError};
use ads::{AccountId, AdCopy, CampaignId, CreativeId, CreativeStatus, ObjectStore, PostUrn};
use apply::{Approval, Input, Mode, Output, Ports, Settings, UndoInput};
use chrono::{DateTime, NaiveDate, Utc};
use end_to_end::workspace::Workspace;
use end_to_end::{Harness, config, scenario};
use rust_decimal::Decimal;
use sim::{Calibration, CreativeTruth, Scenario};

/// A simulator and a client of it, a workspace with its credentials, and apply's settings.
struct World {
    h: Harness,
    ws: Workspace,
    settings: Settings,
    account: AccountId,
}

/// Two days delivered in a world of two campaigns of three creatives, every bid within
/// LinkedIn's limits; the request counters start from zero (the harness's token refresh is
/// not counted).
async fn world(seed: u64) -> World {
    let scenario = Scenario {
        calibration: Calibration {
            below_min_bid_share: 0.0,
            ..Calibration::default()
        },
        ..scenario(seed, 2, 3)
    };
    let h = Harness::start(scenario, 2).await;
    h.sim.admin().reset_stats().await.expect("stats reset");
    let ws = Workspace::new(&h).await;
    World {
        settings: Settings {
            linkedin: config(&h.sim),
            ..Settings::default()
        },
        account: h.account().await,
        ws,
        h,
    }
}

impl World {
    fn ports(&self) -> Ports<'_> {
        Ports {
            store: &self.ws.store,
            secrets: &self.ws.secrets,
        }
    }

    async fn now(&self) -> DateTime<Utc> {
        self.h.now().await
    }

    async fn today(&self) -> NaiveDate {
        self.now().await.date_naive()
    }

    /// The creatives of the account, by campaign, in id order.
    async fn creatives(&self) -> BTreeMap<u64, Vec<CreativeTruth>> {
        let mut by_campaign: BTreeMap<u64, Vec<CreativeTruth>> = BTreeMap::new();
        for creative in self.h.sim.admin().truth_creatives().await.expect("truth") {
            by_campaign
                .entry(creative.campaign_id)
                .or_default()
                .push(creative);
        }
        by_campaign
    }

    /// The first and second campaign's ids and their creatives.
    async fn campaigns(&self) -> (Vec<CreativeTruth>, Vec<CreativeTruth>) {
        let mut campaigns = self.creatives().await.into_values();
        let first = campaigns.next().expect("a first campaign");
        let second = campaigns.next().expect("a second campaign");
        (first, second)
    }

    async fn status(&self, creative: u64) -> String {
        self.h
            .sim
            .admin()
            .truth_creatives()
            .await
            .expect("truth")
            .into_iter()
            .find(|c| c.creative_id == creative)
            .expect("the creative exists")
            .status
    }

    async fn campaign(&self, campaign: u64) -> ads::Campaign {
        self.h
            .client
            .campaign(self.account, CampaignId(campaign))
            .await
            .expect("the campaign reads")
            .value
    }

    async fn bid(&self, campaign: u64) -> Decimal {
        self.campaign(campaign)
            .await
            .unit_cost
            .expect("a bid")
            .amount
    }

    async fn budget(&self, campaign: u64) -> Decimal {
        let campaign = self.campaign(campaign).await;
        campaign.daily_budget.expect("a daily budget").amount
    }

    /// Requests sent with POST (every change), by any client.
    async fn posts(&self) -> u64 {
        let stats = self.h.sim.admin().stats().await.expect("stats");
        stats
            .by_route
            .iter()
            .filter(|(route, _)| route.starts_with("POST "))
            .map(|(_, n)| n)
            .sum()
    }

    async fn route(&self, route: &str) -> u64 {
        let stats = self.h.sim.admin().stats().await.expect("stats");
        stats.by_route.get(route).copied().unwrap_or(0)
    }

    /// Stores a decisions file of `actions` (JSON values, so a test can break one) and
    /// returns its key.
    async fn decide(&self, actions: Vec<serde_json::Value>) -> String {
        let today = self.today().await;
        let file = Decisions {
            account_id: self.account,
            as_of: today,
            execution: "exec-1".into(),
            mode: "bayes".into(),
            decided_at: self.now().await,
            actions: Vec::new(),
            notes: Vec::new(),
        };
        let mut json = serde_json::to_value(file).expect("serializes");
        json["actions"] = serde_json::Value::Array(actions);
        let key = Decisions::key(today, "exec-1");
        let body = serde_json::to_vec(&json).expect("serializes");
        self.ws
            .store
            .put(&key, body.into(), "application/json")
            .await
            .expect("stored");
        key
    }

    async fn input(&self, key: &str, mode: Mode) -> Input {
        Input {
            decisions_key: key.to_owned(),
            mode,
            now: Some(self.now().await),
            ..Input::default()
        }
    }

    async fn apply(&self, input: Input) -> Result<Output, apply::Error> {
        apply::run(input, &self.settings, self.ports()).await
    }

    async fn log(&self) -> Vec<LogEntry> {
        policy::action_log::read_all(&self.ws.store)
            .await
            .expect("the log reads")
    }

    /// An action on the account, decided today, with its id derived.
    async fn action(
        &self,
        kind: ActionKind,
        campaign: u64,
        creative: Option<u64>,
        from_to: Option<(String, String)>,
    ) -> Action {
        let (from, to) = from_to.unzip();
        Action {
            id: ActionId(String::new()),
            kind,
            account_id: self.account,
            campaign_id: CampaignId(campaign),
            creative_id: creative.map(CreativeId),
            as_of: self.today().await,
            from,
            to,
            currency: matches!(kind, ActionKind::SetBid | ActionKind::SetBudget)
                .then(|| "USD".to_owned()),
            variation: None,
            reason: "test".into(),
            evidence: BTreeMap::new(),
            blocked: None,
        }
        .with_derived_id()
    }

    async fn pause(&self, creative: &CreativeTruth) -> Action {
        let from_to = Some(("ACTIVE".to_owned(), "PAUSED".to_owned()));
        self.action(
            ActionKind::Pause,
            creative.campaign_id,
            Some(creative.creative_id),
            from_to,
        )
        .await
    }

    /// A bid change of the campaign from its bid now to `factor` times it.
    async fn bid_change(&self, campaign: u64, factor: Decimal) -> Action {
        let from = self.bid(campaign).await;
        let to = (from * factor).round_dp(2);
        let from_to = Some((from.to_string(), to.to_string()));
        self.action(ActionKind::SetBid, campaign, None, from_to)
            .await
    }

    /// A daily budget change of the campaign from its budget now to `factor` times it.
    async fn budget_change(&self, campaign: u64, factor: Decimal) -> Action {
        let from = self.budget(campaign).await;
        let to = (from * factor).round_dp(2);
        let from_to = Some((from.to_string(), to.to_string()));
        self.action(ActionKind::SetBudget, campaign, None, from_to)
            .await
    }

    async fn variation(&self, winner: &CreativeTruth) -> Action {
        let mut action = self
            .action(
                ActionKind::CreateVariation,
                winner.campaign_id,
                Some(winner.creative_id),
                None,
            )
            .await;
        action.variation = Some(AdCopy {
            commentary: Some("Cut reporting time by 40% — see how".into()),
            headline: Some("Your data, ready today".into()),
            description: Some("A two-minute tour".into()),
            landing_page: Some("https://example.com/tour".into()),
            call_to_action: Some("LEARN_MORE".into()),
        });
        action.with_derived_id()
    }
}

fn json(action: &Action) -> serde_json::Value {
    serde_json::to_value(action).expect("serializes")
}

fn ten_percent() -> Decimal {
    Decimal::new(110, 2)
}

fn outcome_of(output: &Output, id: &ActionId) -> Outcome {
    output
        .results
        .iter()
        .find(|r| r.action_id.as_ref() == Some(id))
        .expect("a result for the action")
        .outcome
}

fn detail_of<'o>(results: &'o [apply::ActionResult], id: &ActionId) -> &'o str {
    results
        .iter()
        .find(|r| r.action_id.as_ref() == Some(id))
        .and_then(|r| r.detail.as_deref())
        .unwrap_or_default()
}

#[tokio::test]
async fn dry_run_sends_no_change_and_refuses_edited_and_malformed_actions() {
    // GIVEN a pause, a bid change and a variation, plus an edited and a malformed action
    let w = world(11).await;
    let (first, second) = w.campaigns().await;
    let pause = w.pause(&first[0]).await;
    let bid = w.bid_change(first[0].campaign_id, ten_percent()).await;
    let variation = w.variation(&second[0]).await;
    let mut edited = w.pause(&second[1]).await;
    edited.creative_id = Some(CreativeId(second[2].creative_id));
    let mut malformed = json(&w.pause(&first[1]).await);
    malformed["kind"] = serde_json::json!("delete");
    let key = w
        .decide(vec![
            json(&pause),
            json(&bid),
            json(&variation),
            json(&edited),
            malformed,
        ])
        .await;
    let bid_before = w.bid(first[0].campaign_id).await;
    w.h.sim.admin().reset_stats().await.expect("stats reset");
    // WHEN apply runs in its default mode
    let input = w.input(&key, Mode::default()).await;
    let output = w.apply(input).await.expect("a dry run succeeds");
    // THEN three would change, two are refused with their reasons
    assert_eq!((output.dry_run, output.refused, output.applied), (3, 2, 0));
    assert!(detail_of(&output.results, &edited.id).contains("id does not match its content"));
    let malformed_detail = &output.results[4].detail.as_deref().unwrap_or_default();
    assert!(
        malformed_detail.starts_with("actions[4].kind:"),
        "{malformed_detail}"
    );
    // AND LinkedIn received no POST at all, and shows what it showed before
    assert_eq!(w.posts().await, 0);
    assert_eq!(w.status(first[0].creative_id).await, "ACTIVE");
    assert_eq!(w.bid(first[0].campaign_id).await, bid_before);
    assert_eq!(w.creatives().await.values().map(Vec::len).sum::<usize>(), 6);
    // AND the log records each with the value read from LinkedIn
    let log = w.log().await;
    assert_eq!(log.len(), 4, "the malformed element has no action to log");
    let entry = log.iter().find(|e| e.action.id == bid.id).expect("logged");
    assert_eq!(entry.outcome, Outcome::DryRun);
    assert_eq!(entry.mode, "dry-run");
    assert_eq!(entry.before, Some(bid_before.to_string()));
    assert_eq!(entry.after, bid.to);
}

#[tokio::test]
async fn auto_pauses_a_creative_and_moves_a_bid_and_a_budget_on_linkedin() {
    let w = world(12).await;
    let (first, _) = w.campaigns().await;
    let pause = w.pause(&first[0]).await;
    let bid = w.bid_change(first[0].campaign_id, ten_percent()).await;
    let budget = w.budget_change(first[0].campaign_id, ten_percent()).await;
    let key = w
        .decide(vec![json(&pause), json(&bid), json(&budget)])
        .await;
    // WHEN applied in auto mode
    let output = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("applied");
    // THEN all three are applied, and LinkedIn shows them
    assert_eq!(output.applied, 3, "{output:?}");
    assert_eq!(w.status(first[0].creative_id).await, "PAUSED");
    let amount =
        |a: &Action| -> Decimal { a.to.as_deref().expect("to").parse().expect("an amount") };
    assert_eq!(w.bid(first[0].campaign_id).await, amount(&bid));
    assert_eq!(w.budget(first[0].campaign_id).await, amount(&budget));
    // AND the log holds before and after
    let log = w.log().await;
    let entry = log
        .iter()
        .find(|e| e.action.id == pause.id)
        .expect("logged");
    assert_eq!(
        (
            entry.outcome,
            entry.before.as_deref(),
            entry.after.as_deref()
        ),
        (Outcome::Applied, Some("ACTIVE"), Some("PAUSED"))
    );
    assert_eq!(output.log_key, LogEntry::key(w.today().await));
}

#[tokio::test]
async fn applying_twice_changes_linkedin_once() {
    let w = world(13).await;
    let (first, _) = w.campaigns().await;
    let pause = w.pause(&first[0]).await;
    let bid = w.bid_change(first[0].campaign_id, ten_percent()).await;
    let key = w.decide(vec![json(&pause), json(&bid)]).await;
    // WHEN apply runs twice
    let once = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("first run");
    let posts = w.posts().await;
    let twice = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("second run");
    // THEN the first changed two things, the second skipped both and sent no POST
    assert_eq!(once.applied, 2);
    assert_eq!(posts, 2);
    assert_eq!((twice.applied, twice.skipped), (0, 2));
    assert_eq!(w.posts().await, posts);
    let today = w.today().await;
    assert_eq!(
        detail_of(&twice.results, &pause.id),
        format!("applied on {today}")
    );
}

#[tokio::test]
async fn an_edited_bid_with_a_recomputed_id_is_blocked_by_the_guardrails_again() {
    // GIVEN a decisions file edited to triple one bid and cut another to a twentieth, their
    // ids recomputed so they are no tamper
    let w = world(14).await;
    let (first, second) = w.campaigns().await;
    let tripled = w.bid_change(first[0].campaign_id, Decimal::new(3, 0)).await;
    let slashed = w
        .bid_change(second[0].campaign_id, Decimal::new(5, 2))
        .await;
    let key = w.decide(vec![json(&tripled), json(&slashed)]).await;
    let bids = (
        w.bid(first[0].campaign_id).await,
        w.bid(second[0].campaign_id).await,
    );
    // WHEN applied with the default policy, then with the widest daily change a policy allows
    let output = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("runs");
    let mut permissive = w.input(&key, Mode::Auto).await;
    permissive.policy = Some(serde_json::json!({
        "guardrails": {"max_bid_change_percent": 100.0}
    }));
    let again = w.apply(permissive).await.expect("runs");
    // THEN the daily cap blocks both, and within it LinkedIn's minimum bid still holds
    assert_eq!(output.refused, 2);
    let detail = detail_of(&output.results, &tripled.id);
    assert!(
        detail.starts_with("guardrail max_bid_change_percent:"),
        "{detail}"
    );
    assert_eq!(outcome_of(&again, &slashed.id), Outcome::Refused);
    let detail = detail_of(&again.results, &slashed.id);
    assert!(detail.starts_with("guardrail bid_limits:"), "{detail}");
    // AND no bid moved
    assert_eq!(
        (
            w.bid(first[0].campaign_id).await,
            w.bid(second[0].campaign_id).await
        ),
        bids
    );
}

/// A dark post with `winner`'s author and copy, as the test's own client creates it.
async fn dark_post(w: &World, winner: &CreativeTruth) -> PostUrn {
    let post: PostUrn = winner.post.parse().expect("a post urn");
    let read = w.h.client.post(&post).await.expect("the post reads").value;
    let dark = linkedin::DarkPost {
        author: read.author.expect("an author"),
        account: w.account,
        copy: read.copy,
    };
    w.h.client.create_dark_post(&dark).await.expect("a post")
}

/// A new creative in the campaign of `winner`, still under review (LinkedIn refuses to
/// change its status until the next day).
async fn creative_under_review(w: &World, winner: &CreativeTruth) -> CreativeTruth {
    let new_post = dark_post(w, winner).await;
    let id =
        w.h.client
            .create_creative(
                w.account,
                CampaignId(winner.campaign_id),
                &new_post,
                CreativeStatus::Active,
            )
            .await
            .expect("a creative");
    let truth = w.h.sim.admin().truth_creatives().await.expect("truth");
    let created = truth
        .into_iter()
        .find(|c| c.creative_id == id.0)
        .expect("the new creative");
    assert_eq!(created.review_status, "PENDING");
    created
}

#[tokio::test]
async fn a_failed_action_does_not_stop_the_others_and_a_rerun_applies_it_once() {
    // GIVEN a pause LinkedIn will refuse (its creative is under review) between two it
    // accepts
    let w = world(15).await;
    let (first, second) = w.campaigns().await;
    let reviewing = creative_under_review(&w, &second[0]).await;
    let pause = w.pause(&first[0]).await;
    let refused_by_linkedin = w.pause(&reviewing).await;
    let bid = w.bid_change(first[0].campaign_id, ten_percent()).await;
    let key = w
        .decide(vec![json(&pause), json(&refused_by_linkedin), json(&bid)])
        .await;
    // WHEN applied
    let error = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect_err("one action fails");
    // THEN the step fails as Apply.ActionsFailed naming the action, the others are made
    assert_eq!(error.name(), error_names::APPLY_ACTIONS_FAILED);
    let message = error.to_string();
    assert!(message.contains(&refused_by_linkedin.id.0), "{message}");
    assert!(message.starts_with("1 of 3 action(s) failed"), "{message}");
    let apply::Error::ActionsFailed { results, .. } = &error else {
        panic!("not ActionsFailed: {error}");
    };
    assert_eq!(results.len(), 3);
    assert_eq!(w.status(first[0].creative_id).await, "PAUSED");
    assert_eq!(w.status(reviewing.creative_id).await, "ACTIVE");
    assert_eq!(
        w.bid(first[0].campaign_id).await.to_string(),
        bid.to.clone().expect("to")
    );
    // AND the log holds the failure with LinkedIn's error name
    let log = w.log().await;
    let failed = log
        .iter()
        .find(|e| e.action.id == refused_by_linkedin.id)
        .expect("logged");
    assert_eq!(failed.outcome, Outcome::Failed);
    assert_eq!(
        failed.error.as_deref(),
        Some(error_names::LINKEDIN_BAD_REQUEST)
    );
    // WHEN review completes overnight and the state machine runs apply again
    w.h.sim.admin().advance(1).await.expect("a day passes");
    w.h.sim.admin().reset_stats().await.expect("stats reset");
    let rerun = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("the rerun succeeds");
    // THEN only the failed action is made, with one POST
    assert_eq!((rerun.applied, rerun.skipped), (1, 2));
    assert_eq!(
        outcome_of(&rerun, &refused_by_linkedin.id),
        Outcome::Applied
    );
    assert_eq!(w.posts().await, 1);
    assert_eq!(w.status(reviewing.creative_id).await, "PAUSED");
}

#[tokio::test]
async fn undo_restores_linkedin_and_logs_what_it_undoes() {
    // GIVEN a pause and a bid change applied
    let w = world(16).await;
    let (first, _) = w.campaigns().await;
    let pause = w.pause(&first[0]).await;
    let bid = w.bid_change(first[0].campaign_id, ten_percent()).await;
    let bid_before = w.bid(first[0].campaign_id).await;
    let key = w.decide(vec![json(&pause), json(&bid)]).await;
    w.apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("applied");
    let now = w.now().await;
    // WHEN the pause is undone by its id
    let by_id = UndoInput {
        action_id: Some(pause.id.clone()),
        now: Some(now),
        ..UndoInput::default()
    };
    let undone = apply::undo(by_id.clone(), &w.settings, w.ports())
        .await
        .expect("undone");
    // THEN LinkedIn shows the creative ACTIVE again, and the log says what was undone
    assert_eq!(undone.applied, 1);
    assert_eq!(w.status(first[0].creative_id).await, "ACTIVE");
    let log = w.log().await;
    let entry = log
        .iter()
        .find(|e| e.undoes.as_ref() == Some(&pause.id))
        .expect("the undo is logged");
    assert_eq!(
        (entry.outcome, entry.mode.as_str()),
        (Outcome::Applied, "undo")
    );
    assert_eq!(entry.action.kind, ActionKind::Resume);
    assert_eq!(undone.results[0].undoes.as_ref(), Some(&pause.id));
    // WHEN the same day is undone: the bid goes back, the pause is already undone
    let by_day = UndoInput {
        date: Some(now.date_naive()),
        now: Some(now),
        ..UndoInput::default()
    };
    let day = apply::undo(by_day, &w.settings, w.ports())
        .await
        .expect("undone");
    assert_eq!((day.applied, day.skipped), (1, 1));
    assert_eq!(w.bid(first[0].campaign_id).await, bid_before);
    // AND an unknown id is invalid input that names the way to find one
    let unknown = UndoInput {
        action_id: Some(ActionId("0000000000000000".into())),
        now: Some(now),
        ..UndoInput::default()
    };
    let error = apply::undo(unknown, &w.settings, w.ports())
        .await
        .expect_err("unknown");
    assert_eq!(error.name(), error_names::INPUT_INVALID);
    assert!(error.to_string().contains("adsctl actions"), "{error}");
}

#[tokio::test]
async fn a_variation_creates_one_post_and_one_active_creative() {
    // GIVEN a variation of a winner
    let w = world(17).await;
    let (_, second) = w.campaigns().await;
    let winner = &second[0];
    let variation = w.variation(winner).await;
    let key = w.decide(vec![json(&variation)]).await;
    w.h.sim.admin().reset_stats().await.expect("stats reset");
    // WHEN applied
    let output = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("applied");
    // THEN one dark post and one creative were created, in the winner's campaign, ACTIVE
    assert_eq!(output.applied, 1);
    assert_eq!(w.route("POST /rest/posts").await, 1);
    assert_eq!(w.route("POST /rest/adAccounts/{id}/creatives").await, 1);
    let log = w.log().await;
    let created: u64 = log[0]
        .after
        .as_deref()
        .expect("after")
        .parse()
        .expect("an id");
    let campaign = &w.creatives().await[&winner.campaign_id];
    let new = campaign
        .iter()
        .find(|c| c.creative_id == created)
        .expect("the new creative is in the winner's campaign");
    assert_eq!(new.status, "ACTIVE");
    // AND its post carries the new copy, authored like the winner's
    let post: PostUrn = new.post.parse().expect("a post urn");
    let read = w.h.client.post(&post).await.expect("reads").value;
    let winner_post: PostUrn = winner.post.parse().expect("a post urn");
    let winners = w.h.client.post(&winner_post).await.expect("reads").value;
    assert_eq!(read.author, winners.author);
    assert_eq!(
        read.copy.headline.as_deref(),
        Some("Your data, ready today")
    );
}

#[tokio::test]
async fn approve_mode_applies_only_the_approved_actions() {
    let w = world(18).await;
    let (first, second) = w.campaigns().await;
    let approved = w.pause(&first[0]).await;
    let not_approved = w.pause(&second[0]).await;
    let key = w.decide(vec![json(&approved), json(&not_approved)]).await;
    let mut input = w.input(&key, Mode::Approve).await;
    input.approval = Some(Approval {
        approved_by: Some("dana@example.com".into()),
        action_ids: Some(vec![approved.id.clone()]),
    });
    // WHEN applied in approve mode
    let output = w.apply(input).await.expect("applied");
    // THEN only the approved one changed LinkedIn, and the log says who approved it
    assert_eq!(outcome_of(&output, &approved.id), Outcome::Applied);
    assert_eq!(outcome_of(&output, &not_approved.id), Outcome::Refused);
    assert_eq!(w.status(first[0].creative_id).await, "PAUSED");
    assert_eq!(w.status(second[0].creative_id).await, "ACTIVE");
    let log = w.log().await;
    let entry = log
        .iter()
        .find(|e| e.action.id == approved.id)
        .expect("logged");
    assert_eq!(
        entry.detail.as_deref(),
        Some("approved by dana@example.com")
    );
    assert_eq!(entry.mode, "approve");
}

#[tokio::test]
async fn a_rerun_of_a_half_made_variation_reuses_its_post_and_never_duplicates_the_creative() {
    // GIVEN two variations whose earlier run created the dark post and then failed: for the
    // first LinkedIn made no creative, for the second it made one but the answer was lost
    let w = world(19).await;
    let (first, second) = w.campaigns().await;
    let no_creative = w.variation(&second[0]).await;
    let lost_answer = w.variation(&first[0]).await;
    let post = dark_post(&w, &second[0]).await;
    let post_of_lost = dark_post(&w, &first[0]).await;
    let made =
        w.h.client
            .create_creative(
                w.account,
                CampaignId(first[0].campaign_id),
                &post_of_lost,
                CreativeStatus::Active,
            )
            .await
            .expect("a creative");
    let now = w.now().await;
    let failed = |action: &Action, post: &PostUrn| LogEntry {
        action: action.clone(),
        outcome: Outcome::Failed,
        mode: "auto".into(),
        at: now - chrono::Duration::hours(1),
        before: None,
        after: Some(post.as_str().to_owned()),
        detail: Some("LinkedIn failed (500)".into()),
        error: Some(error_names::LINKEDIN_SERVER.into()),
        undoes: None,
    };
    let earlier = [
        failed(&no_creative, &post),
        failed(&lost_answer, &post_of_lost),
    ];
    policy::action_log::append(&w.ws.store, now.date_naive(), &earlier)
        .await
        .expect("logged");
    let key = w.decide(vec![json(&no_creative), json(&lost_answer)]).await;
    let mut input = w.input(&key, Mode::Auto).await;
    input.policy = Some(serde_json::json!({"guardrails": {"max_variations_per_run": 2}}));
    w.h.sim.admin().reset_stats().await.expect("stats reset");
    // WHEN apply runs again
    let output = w.apply(input).await.expect("applied");
    // THEN no new post is made, one creative is made from the earlier post, and the creative
    // LinkedIn already made is found, not duplicated
    assert_eq!(output.applied, 2, "{output:?}");
    assert_eq!(w.route("POST /rest/posts").await, 0);
    assert_eq!(w.route("POST /rest/adAccounts/{id}/creatives").await, 1);
    let log = w.log().await;
    let after = |id: &ActionId| {
        log.iter()
            .find(|e| &e.action.id == id && e.outcome == Outcome::Applied)
            .and_then(|e| e.after.clone())
            .expect("applied")
    };
    assert_eq!(after(&lost_answer.id), made.0.to_string());
    let created: u64 = after(&no_creative.id).parse().expect("an id");
    let truth = w.h.sim.admin().truth_creatives().await.expect("truth");
    let new = truth
        .iter()
        .find(|c| c.creative_id == created)
        .expect("the new creative");
    assert_eq!(new.post, post.as_str());
}

#[tokio::test]
async fn an_action_added_to_an_applied_file_still_meets_the_per_run_limits() {
    // GIVEN a file whose pause was applied, then edited to add a second pause in the same
    // campaign (its id derived, so it is no tamper)
    let w = world(20).await;
    let (first, _) = w.campaigns().await;
    let pause = w.pause(&first[0]).await;
    let key = w.decide(vec![json(&pause)]).await;
    w.apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("applied");
    let added = w.pause(&first[1]).await;
    let key = w.decide(vec![json(&pause), json(&added)]).await;
    // WHEN apply runs again
    let output = w
        .apply(w.input(&key, Mode::Auto).await)
        .await
        .expect("runs");
    // THEN the first is skipped, and the second is refused: one pause per campaign per run
    assert_eq!(outcome_of(&output, &pause.id), Outcome::Skipped);
    let detail = detail_of(&output.results, &added.id);
    assert!(
        detail.starts_with("guardrail max_pauses_per_campaign:"),
        "{detail}"
    );
    assert_eq!(w.status(first[1].creative_id).await, "ACTIVE");
}
