//! fetch-token against the real simulator over loopback, with a secrets file on a tempdir.

use super::*;
use ads::error_names::{INPUT_INVALID, TOKEN_REAUTHORIZATION_REQUIRED};
use linkedin::{AccessToken, Client, RetryPolicy};
use local::{MemorySecrets, SecretsFile};
use serde_json::json;
use sim::{Credentials, Faults, RunningSim, Scenario};

const REFRESH_ROUTE: &str = "POST /oauth/v2/accessToken";
const INTROSPECT_ROUTE: &str = "POST /oauth/v2/introspectToken";

/// A simulator, its seeded credentials, a secrets file and settings pointing at them.
struct World {
    sim: RunningSim,
    credentials: Credentials,
    secrets: SecretsFile,
    settings: Settings,
    now: DateTime<Utc>,
    _dir: tempfile::TempDir,
}

impl World {
    async fn start() -> World {
        let sim = sim::spawn(Scenario {
            campaigns_per_account: 1,
            creatives_per_campaign: 1,
            ..Scenario::default()
        })
        .await
        .expect("the simulator starts");
        let credentials = sim.admin().credentials().await.expect("credentials");
        let today = sim.admin().clock().await.expect("clock").today;
        let dir = tempfile::tempdir().expect("a tempdir");
        let settings = Settings::new(linkedin::Config {
            api_url: sim.api_url(),
            oauth_url: sim.oauth_url(),
            retry: RetryPolicy::quick(),
            ..linkedin::Config::default()
        });
        World {
            secrets: SecretsFile::new(dir.path().join("secrets.json")),
            now: today.and_hms_opt(0, 0, 0).expect("midnight").and_utc(),
            sim,
            credentials,
            settings,
            _dir: dir,
        }
    }

    /// Stores the seeded tokens with the given expiries (and one field fetch-token does
    /// not know).
    async fn store(&self, access_expires_in: Option<Duration>, refresh_expires_at: DateTime<Utc>) {
        let mut document = json!({
            "clientId": self.credentials.client_id,
            "clientSecret": self.credentials.client_secret,
            "accessToken": self.credentials.access_token,
            "refreshToken": self.credentials.refresh_token,
            "refreshTokenExpiresAt": refresh_expires_at.to_rfc3339(),
            "note": "kept",
        });
        if let Some(left) = access_expires_in {
            document["accessTokenExpiresAt"] = json!((self.now + left).to_rfc3339());
        }
        self.secrets
            .put("linkedin", SecretString::from(document.to_string()))
            .await
            .expect("the secret is stored");
    }

    async fn stored(&self) -> Value {
        let value = self.secrets.get("linkedin").await.expect("the secret");
        serde_json::from_str(value.expose_secret()).expect("JSON")
    }

    async fn calls(&self, route: &str) -> u64 {
        let stats = self.sim.admin().stats().await.expect("stats");
        stats.by_route.get(route).copied().unwrap_or(0)
    }

    async fn run(&self, input: Input) -> Result<Output, Error> {
        run(input, &self.settings, &self.secrets, self.now).await
    }

    /// Asserts that no token or client secret appears in `text`.
    fn assert_no_secret(&self, text: &str) {
        for secret in [
            &self.credentials.access_token,
            &self.credentials.refresh_token,
            &self.credentials.client_secret,
        ] {
            assert!(!text.contains(secret.as_str()), "a secret leaked: {text}");
        }
        assert!(!text.contains("AQV"), "a token leaked: {text}");
    }
}

#[tokio::test]
async fn refreshes_a_token_near_expiry_through_oauth_and_stores_it_back() {
    // GIVEN a stored access token that expires in 3 days
    let world = World::start().await;
    let original_refresh_expiry = world.credentials.refresh_token_expires_at;
    world
        .store(Some(Duration::days(3)), original_refresh_expiry)
        .await;

    // WHEN the step runs
    let output = world
        .run(Input::default())
        .await
        .expect("the step succeeds");

    // THEN it refreshed once through the OAuth endpoint and reports the new 60-day expiry
    assert!(output.refreshed);
    assert_eq!(world.calls(REFRESH_ROUTE).await, 1);
    assert_eq!(
        output.access_token_expires_at,
        Some(world.now + Duration::days(60))
    );
    // AND the refresh token and its original expiry are kept
    assert_eq!(
        output.refresh_token_expires_at,
        Some(original_refresh_expiry)
    );
    let stored = world.stored().await;
    assert_eq!(stored["refreshToken"], world.credentials.refresh_token);
    assert_eq!(
        stored["refreshTokenExpiresAt"],
        original_refresh_expiry.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    assert_eq!(stored["note"], "kept");
    // AND the stored token is a new one that LinkedIn accepts
    let new_token = stored["accessToken"].as_str().expect("a token").to_owned();
    assert_ne!(new_token, world.credentials.access_token);
    let client = Client::new(world.settings.linkedin.clone(), AccessToken::new(new_token));
    let account =
        ads::AccountId(world.sim.admin().truth_creatives().await.expect("truth")[0].account_id);
    client
        .search_campaigns(account, &[])
        .await
        .expect("the new token works");
    // AND the output carries no token
    world.assert_no_secret(&serde_json::to_string(&output).unwrap());
    world.assert_no_secret(&format!("{output:?}"));
}

#[tokio::test]
async fn leaves_a_fresh_token_alone_without_calling_the_refresh_endpoint() {
    // GIVEN a stored access token with 60 days left that LinkedIn says is active
    let world = World::start().await;
    world
        .store(
            Some(Duration::days(60)),
            world.credentials.refresh_token_expires_at,
        )
        .await;
    let before = world.stored().await;

    // WHEN the step runs
    let output = world
        .run(Input::default())
        .await
        .expect("the step succeeds");

    // THEN it introspected but did not refresh, and the secret is unchanged
    assert!(!output.refreshed);
    assert_eq!(world.calls(REFRESH_ROUTE).await, 0);
    assert_eq!(world.calls(INTROSPECT_ROUTE).await, 1);
    assert_eq!(world.stored().await, before);
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[tokio::test]
async fn a_wider_margin_in_the_input_refreshes_earlier() {
    // GIVEN a stored access token with 20 days left
    let world = World::start().await;
    world
        .store(
            Some(Duration::days(20)),
            world.credentials.refresh_token_expires_at,
        )
        .await;

    // WHEN the step runs with the default margin, then with a 30-day one
    let default = world
        .run(Input::default())
        .await
        .expect("the step succeeds");
    let wider = world
        .run(Input {
            refresh_margin_days: Some(30),
        })
        .await
        .expect("the step succeeds");

    // THEN only the second refreshes
    assert!(!default.refreshed);
    assert!(wider.refreshed);
    assert_eq!(world.calls(REFRESH_ROUTE).await, 1);
}

#[tokio::test]
async fn refreshes_a_token_whose_expiry_is_unknown() {
    // GIVEN a stored access token without an expiry
    let world = World::start().await;
    world
        .store(None, world.credentials.refresh_token_expires_at)
        .await;

    // WHEN the step runs
    let output = world
        .run(Input::default())
        .await
        .expect("the step succeeds");

    // THEN it refreshed and now knows the expiry
    assert!(output.refreshed);
    assert_eq!(
        output.access_token_expires_at,
        Some(world.now + Duration::days(60))
    );
    assert!(world.stored().await["accessTokenExpiresAt"].is_string());
}

#[tokio::test]
async fn a_revoked_refresh_token_requires_reauthorization_and_leaves_the_secret_unchanged() {
    // GIVEN a token near expiry whose refresh token the member revoked
    let world = World::start().await;
    world
        .store(
            Some(Duration::days(1)),
            world.credentials.refresh_token_expires_at,
        )
        .await;
    let before = std::fs::read(world.secrets.path()).unwrap();
    world
        .sim
        .admin()
        .set_faults(&Faults {
            revoke_tokens: true,
            ..Faults::default()
        })
        .await
        .unwrap();

    // WHEN the step runs
    let error = world.run(Input::default()).await.unwrap_err();

    // THEN it fails as Token.ReauthorizationRequired, saying how to re-authorize
    assert_eq!(error.name(), TOKEN_REAUTHORIZATION_REQUIRED);
    let message = error.to_string();
    assert!(message.contains("invalid_grant"), "{message}");
    assert!(message.contains("authorization-code flow"), "{message}");
    assert!(
        message.contains("r_ads, rw_ads, r_ads_reporting"),
        "{message}"
    );
    assert!(message.contains("adsctl init"), "{message}");
    assert!(message.contains("Secrets Manager"), "{message}");
    world.assert_no_secret(&message);
    world.assert_no_secret(&format!("{error:?}"));
    // AND the secret is byte for byte what it was
    assert_eq!(std::fs::read(world.secrets.path()).unwrap(), before);
}

#[tokio::test]
async fn an_expired_refresh_token_requires_reauthorization_without_calling_linkedin() {
    // GIVEN a token near expiry and a refresh token that expired yesterday
    let world = World::start().await;
    world
        .store(Some(Duration::days(2)), world.now - Duration::days(1))
        .await;

    // WHEN the step runs
    let error = world.run(Input::default()).await.unwrap_err();

    // THEN it fails as Token.ReauthorizationRequired before any OAuth call
    assert_eq!(error.name(), TOKEN_REAUTHORIZATION_REQUIRED);
    assert!(
        error.to_string().contains("refresh token expired"),
        "{error}"
    );
    assert_eq!(world.calls(REFRESH_ROUTE).await, 0);
}

#[tokio::test]
async fn warns_when_the_refresh_token_expires_within_30_days() {
    // GIVEN a fresh access token and a refresh token with 20 days left
    let world = World::start().await;
    world
        .store(Some(Duration::days(50)), world.now + Duration::days(20))
        .await;

    // WHEN the step runs
    let output = world
        .run(Input::default())
        .await
        .expect("the step succeeds");

    // THEN one warning says how many days are left and how to re-authorize
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    let warning = &output.warnings[0];
    assert!(warning.contains("in 20 days"), "{warning}");
    assert!(warning.contains("authorization-code flow"), "{warning}");
    world.assert_no_secret(&serde_json::to_string(&output).unwrap());
}

fn offline_settings() -> Settings {
    // Nothing listens here: these tests must not reach LinkedIn.
    Settings::new(linkedin::Config {
        api_url: "http://127.0.0.1:9/rest".into(),
        oauth_url: "http://127.0.0.1:9/oauth/v2".into(),
        retry: RetryPolicy::quick(),
        ..linkedin::Config::default()
    })
}

fn now() -> DateTime<Utc> {
    "2026-08-03T00:00:00Z".parse().unwrap()
}

#[tokio::test]
async fn rejects_a_margin_outside_0_to_59_days_naming_the_field() {
    let secrets = MemorySecrets::new();
    for days in [-1, 60] {
        let input = Input {
            refresh_margin_days: Some(days),
        };
        let error = run(input, &offline_settings(), &secrets, now())
            .await
            .unwrap_err();
        assert_eq!(error.name(), INPUT_INVALID);
        assert!(error.to_string().contains("refreshMarginDays"), "{error}");
    }
}

#[tokio::test]
async fn a_pasted_token_without_expiry_or_refresh_token_is_kept_with_a_warning() {
    // GIVEN only an access token, as LinkedIn's token generator hands it out
    let secrets = MemorySecrets::with(
        "linkedin",
        SecretString::from(r#"{"accessToken":"AQV-pasted"}"#),
    );

    // WHEN the step runs
    let output = run(Input::default(), &offline_settings(), &secrets, now())
        .await
        .expect("the step succeeds");

    // THEN nothing is refreshed, and a warning says it cannot be kept alive automatically
    assert!(!output.refreshed);
    assert_eq!(output.access_token_expires_at, None);
    assert!(
        output.warnings[0].contains("cannot be refreshed automatically"),
        "{:?}",
        output.warnings
    );
}

#[tokio::test]
async fn a_token_near_expiry_without_a_refresh_token_requires_reauthorization() {
    let secrets = MemorySecrets::with(
        "linkedin",
        SecretString::from(
            r#"{"accessToken":"AQV-pasted","accessTokenExpiresAt":"2026-08-04T00:00:00Z"}"#,
        ),
    );
    let error = run(Input::default(), &offline_settings(), &secrets, now())
        .await
        .unwrap_err();
    assert_eq!(error.name(), TOKEN_REAUTHORIZATION_REQUIRED);
    assert!(error.to_string().contains("no refresh token"), "{error}");
    assert!(!error.to_string().contains("AQV"), "{error}");
}

#[tokio::test]
async fn a_missing_or_malformed_secret_fails_as_secret_failed_without_echoing_it() {
    let missing = run(
        Input::default(),
        &offline_settings(),
        &MemorySecrets::new(),
        now(),
    )
    .await
    .unwrap_err();
    assert_eq!(missing.name(), ads::error_names::SECRET_FAILED);
    assert!(missing.to_string().contains("adsctl init"), "{missing}");

    let malformed = MemorySecrets::with("linkedin", SecretString::from(r#"{"token":"AQV-x"}"#));
    let error = run(Input::default(), &offline_settings(), &malformed, now())
        .await
        .unwrap_err();
    assert_eq!(error.name(), ads::error_names::SECRET_FAILED);
    assert!(error.to_string().contains("accessToken"), "{error}");
    assert!(!error.to_string().contains("AQV"), "{error}");
}

#[test]
fn warns_about_a_linkedin_version_sunset_within_60_days() {
    // GIVEN a version sunset on 2026-11-16 and a day 45 days before
    let credentials = StoredCredentials::parse(&SecretString::from(
        r#"{"accessToken":"a","refreshToken":"r","clientId":"c","clientSecret":"s"}"#,
    ))
    .unwrap();
    let version: ApiVersion = "202511".parse().unwrap();
    let day = "2026-10-02T00:00:00Z".parse().unwrap();
    // WHEN the warnings are listed
    let warnings = warnings(&credentials, version, day);
    // THEN the sunset is among them, naming the variable to change
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("LINKEDIN_VERSION"), "{}", warnings[0]);
}

#[test]
fn output_fields_are_camel_case() {
    let output = Output {
        access_token_expires_at: Some(now()),
        refresh_token_expires_at: None,
        refreshed: true,
        warnings: vec![],
    };
    let value = serde_json::to_value(&output).unwrap();
    assert_eq!(
        value,
        json!({"accessTokenExpiresAt": "2026-08-03T00:00:00Z",
               "refreshTokenExpiresAt": null, "refreshed": true, "warnings": []})
    );
    let input: Input = serde_json::from_value(json!({"refreshMarginDays": 3})).unwrap();
    assert_eq!(input.refresh_margin_days, Some(3));
}
