//! `adsctl token status` and `adsctl token refresh`: the LinkedIn token, on one machine.
//!
//! `status` reads the credentials secret and shows when the tokens expire, whether LinkedIn
//! says the access token is active, and the warnings fetch-token would give
//! ([`fetch_token::warnings`]). `refresh` runs the fetch-token step itself over the local
//! adapters and prints its output. Neither prints a token.

use ads::error_names::StepError;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use linkedin::{OAuthClient, StoredCredentials};

use crate::config::{ConfigArgs, Resolved};

/// Token commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Show when the stored tokens expire, whether LinkedIn says the access token is
    /// active, and what to act on.
    Status(StatusArgs),
    /// Run the fetch-token step locally: refresh the access token in the secret if it
    /// needs it, and print the step's output.
    Refresh(RefreshArgs),
}

/// `adsctl token status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// `adsctl token refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub clock: ClockArgs,
    /// Refresh when the access token expires within this many days (0-59) [default: 7]
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    pub margin_days: Option<i64>,
}

/// The time the token commands judge expiries at.
#[derive(Debug, Args)]
pub struct ClockArgs {
    /// Judge expiries as of this time (RFC 3339) instead of the system clock, e.g. a
    /// simulator's virtual day: tokens it mints expire on its clock, not the wall clock
    #[arg(long, value_name = "TIME")]
    pub now: Option<DateTime<Utc>>,
}

impl ClockArgs {
    fn now(&self) -> DateTime<Utc> {
        self.now.unwrap_or_else(Utc::now)
    }
}

impl TokenCommand {
    /// Runs the command; a failure carries the step error's stable name and message.
    pub async fn run(self) -> anyhow::Result<()> {
        match self {
            TokenCommand::Status(args) => status(&args.config.resolve()?, args.clock.now()).await,
            TokenCommand::Refresh(args) => {
                let resolved = args.config.resolve()?;
                let output = refresh(&resolved, args.margin_days, args.clock.now()).await?;
                println!("{}", serde_json::to_string_pretty(&output)?);
                Ok(())
            }
        }
    }
}

/// Runs fetch-token over the local adapters of `resolved`.
pub async fn refresh(
    resolved: &Resolved,
    margin_days: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<fetch_token::Output> {
    let secrets = resolved.secrets();
    let input = fetch_token::Input {
        refresh_margin_days: margin_days,
    };
    fetch_token::run(
        input,
        &resolved.fetch_token_settings(),
        secrets.as_ref(),
        now,
    )
    .await
    .map_err(named)
}

/// Prints the status of the stored tokens at `now`; fails (after printing) when the secret
/// cannot be read or LinkedIn cannot be asked.
async fn status(resolved: &Resolved, now: DateTime<Utc>) -> anyhow::Result<()> {
    let name = &resolved.secret_name;
    let secret_failed = |action, reason: String| {
        named(fetch_token::Error::Secret {
            secret: name.clone(),
            action,
            reason,
        })
    };
    let value = resolved
        .secrets()
        .get(name)
        .await
        .map_err(|e| secret_failed("read", e.to_string()))?;
    let credentials =
        StoredCredentials::parse(&value).map_err(|e| secret_failed("parsed", e.to_string()))?;
    println!("secret '{name}' from {}", resolved.secrets_source());
    println!(
        "access token:  {}",
        expiry(credentials.access_token_expires_at, now)
    );
    let refresh = match &credentials.refresh_token {
        Some(_) => expiry(credentials.refresh_token_expires_at, now),
        None => "none stored".to_owned(),
    };
    println!("refresh token: {refresh}");
    let mut failure = None;
    let introspection = match &credentials.app {
        None => "not asked (no clientId/clientSecret in the secret)".to_owned(),
        Some(app) => match OAuthClient::new(resolved.linkedin.clone())
            .introspect(app, &credentials.access_token)
            .await
        {
            Ok(seen) if seen.active => format!(
                "active{}{}",
                seen.expires_at
                    .map(|at| format!(", expires {}", rfc3339(at)))
                    .unwrap_or_default(),
                seen.scope
                    .map(|scope| format!(", scopes {scope}"))
                    .unwrap_or_default()
            ),
            Ok(seen) => format!(
                "NOT active ({}); run `adsctl token refresh`",
                seen.status.as_deref().unwrap_or("no status")
            ),
            Err(error) => {
                let text = format!("could not ask: {}: {error}", error.name());
                failure = Some(named(fetch_token::Error::LinkedIn(error)));
                text
            }
        },
    };
    println!("LinkedIn says: {introspection}");
    let warnings = fetch_token::warnings(&credentials, resolved.linkedin.version, now);
    if warnings.is_empty() {
        println!("warnings:      none");
    } else {
        println!("warnings:");
        for warning in warnings {
            println!("  - {warning}");
        }
    }
    failure.map_or(Ok(()), Err)
}

/// "2026-10-02T00:00:00Z (45 days left)", "expired ...", "unknown".
fn expiry(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match at {
        None => "expiry unknown".to_owned(),
        Some(at) if at <= now => format!("EXPIRED {}", rfc3339(at)),
        Some(at) => format!(
            "expires {} ({} days left)",
            rfc3339(at),
            (at - now).num_days()
        ),
    }
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A step error as the command line reports it: `Name: message`.
fn named(error: fetch_token::Error) -> anyhow::Error {
    anyhow::anyhow!("{}: {error}", error.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refresh_runs_fetch_token_over_the_local_secrets_file() {
        // GIVEN a simulator and a data directory holding its token, expiring tomorrow
        let sim = sim::spawn(sim::Scenario::default()).await.unwrap();
        let seeded = sim.admin().credentials().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let today = sim.admin().clock().await.unwrap().today;
        let now = today.and_hms_opt(0, 0, 0).unwrap().and_utc();
        let document = serde_json::json!({
            "clientId": seeded.client_id, "clientSecret": seeded.client_secret,
            "accessToken": seeded.access_token, "refreshToken": seeded.refresh_token,
            "accessTokenExpiresAt": (now + chrono::Duration::days(1)).to_rfc3339(),
        });
        let args = ConfigArgs {
            config: None,
            data_dir: Some(dir.path().to_path_buf()),
        };
        let env = |name: &str| match name {
            "LINKEDIN_API_URL" => Some(sim.api_url()),
            "LINKEDIN_OAUTH_URL" => Some(sim.oauth_url()),
            _ => None,
        };
        let resolved = args.resolve_with(env).unwrap();
        ads::SecretStore::put(
            &local::SecretsFile::new(resolved.secrets_path()),
            "linkedin",
            secrecy::SecretString::from(document.to_string()),
        )
        .await
        .unwrap();

        // WHEN `token refresh` runs, then runs again with a bad margin
        let output = refresh(&resolved, None, now).await.unwrap();
        let error = refresh(&resolved, Some(60), now).await.unwrap_err();

        // THEN the first refreshed; the second names the error and the field
        assert!(output.refreshed);
        let message = error.to_string();
        assert!(message.starts_with("Input.Invalid: "), "{message}");
        assert!(message.contains("refreshMarginDays"), "{message}");
    }
}
