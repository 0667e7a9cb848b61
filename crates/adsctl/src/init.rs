//! `adsctl init`: writes the configuration file and the local secrets file.
//!
//! The credentials come from flags or from `LINKEDIN_ACCESS_TOKEN` (and optionally
//! `LINKEDIN_REFRESH_TOKEN`, `LINKEDIN_CLIENT_ID`, `LINKEDIN_CLIENT_SECRET`) — or, with
//! `--simulator URL` and no token, from the simulator's seeded credentials. The secrets file
//! is written 0600 through [`local::SecretsFile`]; nothing printed ever shows a token.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use linkedin::StoredCredentials;
use linkedin::token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};

use crate::config::{self, ConfigArgs, FileConfig, LinkedInSection};

/// Write `adsctl.toml` and the local secrets file.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// The member's access token (prefer the environment variable: flags show in `ps`)
    #[arg(long, env = config::ENV_ACCESS_TOKEN, hide_env_values = true)]
    pub access_token: Option<String>,
    /// The member's refresh token, for automatic refreshing
    #[arg(long, env = config::ENV_REFRESH_TOKEN, hide_env_values = true)]
    pub refresh_token: Option<String>,
    /// The LinkedIn app's client id (needed to refresh and introspect)
    #[arg(long, env = config::ENV_CLIENT_ID)]
    pub client_id: Option<String>,
    /// The LinkedIn app's client secret (needed to refresh and introspect)
    #[arg(long, env = config::ENV_CLIENT_SECRET, hide_env_values = true)]
    pub client_secret: Option<String>,
    /// When the access token expires (RFC 3339); unknown if not given, and then
    /// fetch-token refreshes it on its first run
    #[arg(long, value_name = "TIME")]
    pub access_token_expires_at: Option<DateTime<Utc>>,
    /// When the refresh token expires (RFC 3339; 365 days after authorization)
    #[arg(long, value_name = "TIME")]
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
    /// LinkedIn's REST base [default: https://api.linkedin.com/rest, or the simulator's]
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// LinkedIn's OAuth base [default: https://www.linkedin.com/oauth/v2, or the simulator's]
    #[arg(long, value_name = "URL")]
    pub oauth_url: Option<String>,
    /// The LinkedIn-Version to send (YYYYMM) [default: the client's current version]
    #[arg(long = "version", id = "linkedin_version", value_name = "YYYYMM")]
    pub version: Option<String>,
    /// The credentials secret's name [default: linkedin]
    #[arg(long, value_name = "NAME")]
    pub secret_name: Option<String>,
    /// Point at a simulator (e.g. http://127.0.0.1:8089, from `adsctl sim serve`) instead of
    /// LinkedIn; without a token, its seeded credentials are fetched
    #[arg(long, value_name = "URL")]
    pub simulator: Option<String>,
    /// Overwrite an existing configuration file and stored credentials
    #[arg(long)]
    pub force: bool,
}

/// What `init` wrote.
#[derive(Debug)]
pub struct Initialized {
    /// The configuration file.
    pub config_path: PathBuf,
    /// The secrets file.
    pub secrets_path: PathBuf,
    /// The configuration written.
    pub file: FileConfig,
    /// The credentials stored (`Debug` redacts them).
    pub credentials: StoredCredentials,
}

impl InitArgs {
    /// Runs the command and prints what it wrote.
    pub async fn run(self) -> anyhow::Result<()> {
        let done = self.execute_with(|name| std::env::var(name).ok()).await?;
        println!("{}", summary(&done));
        Ok(())
    }

    /// Writes both files, reading `ADSCTL_DATA_DIR` through `env` (the tokens' variables are
    /// read by clap into the flags).
    pub async fn execute_with(
        self,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Initialized> {
        let config_path = self.config.config_path();
        if config_path.exists() && !self.force {
            bail!(
                "{} already exists; pass --force to overwrite it (and the stored credentials)",
                config_path.display()
            );
        }
        let simulator = self
            .simulator
            .as_deref()
            .map(|url| url.trim().trim_end_matches('/').to_owned());
        let linkedin = LinkedInSection {
            api_url: self.api_url.clone().or_else(|| {
                simulator
                    .as_ref()
                    .map(|base| format!("{base}/rest"))
                    .or_else(|| Some(linkedin::config::DEFAULT_API_URL.to_owned()))
            }),
            oauth_url: self.oauth_url.clone().or_else(|| {
                simulator
                    .as_ref()
                    .map(|base| format!("{base}/oauth/v2"))
                    .or_else(|| Some(linkedin::config::DEFAULT_OAUTH_URL.to_owned()))
            }),
            version: Some(
                self.version
                    .clone()
                    .unwrap_or_else(|| linkedin::config::DEFAULT_VERSION.to_string()),
            ),
            secret_name: Some(
                self.secret_name
                    .clone()
                    .unwrap_or_else(|| linkedin::secret::DEFAULT_SECRET_NAME.to_owned()),
            ),
        };
        check(&linkedin)?;

        let (data_dir, data_dir_in_file) = data_dir(&self.config, &config_path, &env)?;
        let file = FileConfig {
            data_dir: Some(data_dir_in_file),
            linkedin,
        };
        let secret_name = file.linkedin.secret_name.clone().unwrap_or_default();
        let secrets_path = data_dir.join(config::SECRETS_FILE);
        let secrets = local::SecretsFile::new(&secrets_path);
        if secrets_path.exists() && !self.force {
            match ads::SecretStore::get(&secrets, &secret_name).await {
                Err(ads::PortError::NotFound { .. }) => {}
                Ok(_) => bail!(
                    "{} already holds the secret '{secret_name}'; pass --force to replace it",
                    secrets_path.display()
                ),
                Err(error) => return Err(error.into()),
            }
        }
        let credentials = self.credentials(simulator.as_deref()).await?;
        ads::SecretStore::put(&secrets, &secret_name, credentials.to_secret())
            .await
            .with_context(|| format!("writing {}", secrets_path.display()))?;
        if let Some(directory) = config_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(directory)
                .with_context(|| format!("creating {}", directory.display()))?;
        }
        std::fs::write(&config_path, file.to_toml()?)
            .with_context(|| format!("writing {}", config_path.display()))?;
        Ok(Initialized {
            config_path,
            secrets_path,
            file,
            credentials,
        })
    }

    /// The credentials from the flags (or their variables), else the simulator's.
    async fn credentials(&self, simulator: Option<&str>) -> anyhow::Result<StoredCredentials> {
        let app = match (&self.client_id, &self.client_secret) {
            (Some(client_id), Some(secret)) => Some(ClientCredentials {
                client_id: client_id.clone(),
                client_secret: ClientSecret::new(secret.clone()),
            }),
            (None, None) => None,
            _ => bail!(
                "give both --client-id and --client-secret (or {} and {}), or neither",
                config::ENV_CLIENT_ID,
                config::ENV_CLIENT_SECRET
            ),
        };
        if let Some(token) = self
            .access_token
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        {
            return Ok(StoredCredentials {
                app,
                access_token: AccessToken::new(token),
                access_token_expires_at: self.access_token_expires_at,
                refresh_token: self
                    .refresh_token
                    .as_deref()
                    .filter(|t| !t.trim().is_empty())
                    .map(RefreshToken::new),
                refresh_token_expires_at: self.refresh_token_expires_at,
            });
        }
        let Some(base) = simulator else {
            bail!(
                "no access token: pass --access-token or set {} (from LinkedIn's OAuth \
                 authorization-code flow for your app, scopes r_ads, rw_ads, r_ads_reporting, \
                 or its token generator), or use --simulator URL",
                config::ENV_ACCESS_TOKEN
            );
        };
        let seeded = sim::AdminClient::new(base)
            .credentials()
            .await
            .with_context(|| {
                format!("fetching the seeded credentials from {base}/_sim/credentials")
            })?;
        Ok(StoredCredentials {
            app: Some(ClientCredentials {
                client_id: seeded.client_id,
                client_secret: ClientSecret::new(seeded.client_secret),
            }),
            access_token: AccessToken::new(seeded.access_token),
            access_token_expires_at: Some(seeded.access_token_expires_at),
            refresh_token: Some(RefreshToken::new(seeded.refresh_token)),
            refresh_token_expires_at: Some(seeded.refresh_token_expires_at),
        })
    }
}

/// Refuses URLs and versions the client would refuse, naming the flag.
fn check(section: &LinkedInSection) -> anyhow::Result<()> {
    linkedin::Config::from_lookup(|name| match name {
        linkedin::config::ENV_API_URL => section.api_url.clone(),
        linkedin::config::ENV_OAUTH_URL => section.oauth_url.clone(),
        linkedin::config::ENV_VERSION => section.version.clone(),
        _ => None,
    })
    .context("check --api-url, --oauth-url, --simulator and --version")?;
    Ok(())
}

/// The data directory to write the secrets into, and how to name it in the file (whose
/// relative paths are relative to the file's directory): `--data-dir`, else
/// `ADSCTL_DATA_DIR`, else `adsctl-data` beside the file.
fn data_dir(
    args: &ConfigArgs,
    config_path: &Path,
    env: &impl Fn(&str) -> Option<String>,
) -> anyhow::Result<(PathBuf, PathBuf)> {
    let given = args.data_dir.clone().or_else(|| {
        env(config::ENV_DATA_DIR)
            .filter(|v| !v.trim().is_empty())
            .map(PathBuf::from)
    });
    let Some(given) = given else {
        let beside = config_path
            .parent()
            .unwrap_or(Path::new(""))
            .join(config::DEFAULT_DATA_DIR);
        return Ok((beside, PathBuf::from(config::DEFAULT_DATA_DIR)));
    };
    let file_in_cwd = config_path
        .parent()
        .is_none_or(|d| d.as_os_str().is_empty() || d == Path::new("."));
    let in_file = if given.is_absolute() || file_in_cwd {
        given.clone()
    } else {
        std::path::absolute(&given).with_context(|| format!("resolving {}", given.display()))?
    };
    Ok((given, in_file))
}

/// What was written, without any secret.
fn summary(done: &Initialized) -> String {
    let linkedin = &done.file.linkedin;
    let credentials = &done.credentials;
    let expiry = |at: Option<DateTime<Utc>>| match at {
        Some(at) => format!(
            "expires {}",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        None => "expiry unknown".to_owned(),
    };
    let access = match credentials.access_token_expires_at {
        Some(at) => expiry(Some(at)),
        None => "expiry unknown (the first `adsctl token refresh` or fetch-token run will \
                 refresh it)"
            .to_owned(),
    };
    let refresh = match (&credentials.refresh_token, &credentials.app) {
        (Some(_), Some(_)) => format!("stored, {}", expiry(credentials.refresh_token_expires_at)),
        (Some(_), None) => {
            "stored, but without --client-id/--client-secret it cannot be used".to_owned()
        }
        (None, _) => "none (the access token cannot be refreshed automatically)".to_owned(),
    };
    format!(
        "wrote {config}: LinkedIn at {api} (OAuth {oauth}), LinkedIn-Version {version}\n\
         wrote secret '{secret}' to {secrets} (mode 0600)\n\
         \x20 access token:  {access}\n\
         \x20 refresh token: {refresh}\n\
         next: adsctl token status",
        config = done.config_path.display(),
        api = linkedin.api_url.as_deref().unwrap_or_default(),
        oauth = linkedin.oauth_url.as_deref().unwrap_or_default(),
        version = linkedin.version.as_deref().unwrap_or_default(),
        secret = linkedin.secret_name.as_deref().unwrap_or_default(),
        secrets = done.secrets_path.display(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn args(dir: &Path) -> InitArgs {
        InitArgs {
            config: ConfigArgs {
                config: Some(dir.join("adsctl.toml")),
                data_dir: None,
            },
            access_token: Some("AQV-init-token".into()),
            refresh_token: Some("AQX-init-refresh".into()),
            client_id: Some("app1".into()),
            client_secret: Some("app-secret".into()),
            access_token_expires_at: None,
            refresh_token_expires_at: Some("2027-08-03T00:00:00Z".parse().unwrap()),
            api_url: None,
            oauth_url: None,
            version: None,
            secret_name: None,
            simulator: None,
            force: false,
        }
    }

    #[tokio::test]
    async fn writes_a_0600_secrets_file_and_a_config_that_resolves_back() {
        // GIVEN an empty directory and tokens given as flags
        let dir = tempfile::tempdir().unwrap();

        // WHEN init runs
        let done = args(dir.path()).execute_with(|_| None).await.unwrap();

        // THEN the secrets file is 0600 and holds the credentials, expiry unknown where not given
        let mode = std::fs::metadata(&done.secrets_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            done.secrets_path,
            dir.path().join("adsctl-data/secrets.json")
        );
        // AND the configuration resolves back to the same places and LinkedIn's hosts
        let resolved = ConfigArgs {
            config: Some(done.config_path.clone()),
            data_dir: None,
        }
        .resolve_with(|_| None)
        .unwrap();
        assert_eq!(resolved.data_dir, dir.path().join("adsctl-data"));
        assert_eq!(resolved.linkedin, linkedin::Config::default());
        assert_eq!(resolved.secret_name, "linkedin");
        let value = resolved.secrets().get("linkedin").await.unwrap();
        let stored = StoredCredentials::parse(&value).unwrap();
        assert_eq!(stored.access_token.expose(), "AQV-init-token");
        assert_eq!(stored.access_token_expires_at, None);
        assert_eq!(
            stored.refresh_token_expires_at,
            Some("2027-08-03T00:00:00Z".parse().unwrap())
        );
        assert_eq!(stored.app.unwrap().client_secret.expose(), "app-secret");
        // AND neither the config file nor the summary shows a secret
        let config_text = std::fs::read_to_string(&done.config_path).unwrap();
        let printed = summary(&done);
        for text in [&config_text, &printed] {
            assert!(!text.contains("AQV") && !text.contains("AQX"), "{text}");
            assert!(!text.contains("app-secret"), "{text}");
        }
        assert!(printed.contains("expiry unknown"), "{printed}");
    }

    #[tokio::test]
    async fn refuses_to_overwrite_without_force() {
        // GIVEN an initialized directory
        let dir = tempfile::tempdir().unwrap();
        args(dir.path()).execute_with(|_| None).await.unwrap();

        // WHEN init runs again, without and with --force
        let mut again = args(dir.path());
        again.access_token = Some("AQV-second".into());
        let refused = again.execute_with(|_| None).await.unwrap_err().to_string();
        let mut forced = args(dir.path());
        forced.access_token = Some("AQV-second".into());
        forced.force = true;
        let done = forced.execute_with(|_| None).await.unwrap();

        // THEN the first is refused naming --force, the second replaces the token
        assert!(refused.contains("--force"), "{refused}");
        let secrets = local::SecretsFile::new(&done.secrets_path);
        let value = ads::SecretStore::get(&secrets, "linkedin").await.unwrap();
        let stored = StoredCredentials::parse(&value).unwrap();
        assert_eq!(stored.access_token.expose(), "AQV-second");
    }

    #[tokio::test]
    async fn points_at_a_simulator_and_fetches_its_seeded_credentials() {
        // GIVEN a running simulator and no token
        let sim = sim::spawn(sim::Scenario::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut args = args(dir.path());
        args.access_token = None;
        args.refresh_token = None;
        args.client_id = None;
        args.client_secret = None;
        args.refresh_token_expires_at = None;
        args.simulator = Some(format!("{}/", sim.base_url()));
        args.config.data_dir = Some(dir.path().join("data"));

        // WHEN init runs
        let done = args.execute_with(|_| None).await.unwrap();

        // THEN the configuration points at the simulator and the secret holds its credentials
        let resolved = ConfigArgs {
            config: Some(done.config_path.clone()),
            data_dir: None,
        }
        .resolve_with(|_| None)
        .unwrap();
        assert_eq!(resolved.linkedin.api_url, sim.api_url());
        assert_eq!(resolved.linkedin.oauth_url, sim.oauth_url());
        assert_eq!(resolved.data_dir, dir.path().join("data"));
        let seeded = sim.admin().credentials().await.unwrap();
        let value = resolved.secrets().get("linkedin").await.unwrap();
        let stored = StoredCredentials::parse(&value).unwrap();
        assert_eq!(stored.access_token.expose(), seeded.access_token);
        assert_eq!(
            stored.refresh_token_expires_at,
            Some(seeded.refresh_token_expires_at)
        );
    }

    #[tokio::test]
    async fn without_a_token_or_simulator_it_says_where_to_get_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut args = args(dir.path());
        args.access_token = None;
        let error = args.execute_with(|_| None).await.unwrap_err().to_string();
        assert!(error.contains("LINKEDIN_ACCESS_TOKEN"), "{error}");
        assert!(!dir.path().join("adsctl.toml").exists());
    }
}
