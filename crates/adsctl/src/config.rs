//! The command line's configuration: where local data lives and how to reach LinkedIn.
//!
//! Sources, lowest precedence first: built-in defaults, the TOML file (`--config PATH`,
//! default `./adsctl.toml`; an absent default file is fine), environment variables, flags.
//!
//! ```toml
//! data_dir = "adsctl-data"      # relative paths are relative to this file's directory
//!
//! [linkedin]
//! api_url = "https://api.linkedin.com/rest"
//! oauth_url = "https://www.linkedin.com/oauth/v2"
//! version = "202607"
//! secret_name = "linkedin"
//! ```
//!
//! | setting | file | environment | flag |
//! |---|---|---|---|
//! | data directory | `data_dir` | `ADSCTL_DATA_DIR` | `--data-dir` |
//! | API base | `linkedin.api_url` | `LINKEDIN_API_URL` | |
//! | OAuth base | `linkedin.oauth_url` | `LINKEDIN_OAUTH_URL` | |
//! | `LinkedIn-Version` | `linkedin.version` | `LINKEDIN_VERSION` | |
//! | credentials secret | `linkedin.secret_name` | `LINKEDIN_SECRET_NAME` | |
//!
//! Every command takes [`ConfigArgs`] (flattened) and calls [`ConfigArgs::resolve`]; the
//! [`Resolved`] configuration builds the local adapters the steps run on.

use std::path::{Path, PathBuf};

use anyhow::Context;
use linkedin::StoredCredentials;
use linkedin::token::{AccessToken, ClientCredentials, ClientSecret, RefreshToken};
use serde::{Deserialize, Serialize};

/// The configuration file read when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "adsctl.toml";
/// The data directory when nothing sets one (relative to the configuration file's directory).
pub const DEFAULT_DATA_DIR: &str = "adsctl-data";
/// The secrets file, inside the data directory.
pub const SECRETS_FILE: &str = "secrets.json";
/// The metrics log, inside the data directory.
pub const METRICS_FILE: &str = "logs/metrics.jsonl";
/// Environment variable overriding the data directory.
pub const ENV_DATA_DIR: &str = "ADSCTL_DATA_DIR";
/// Environment variable overriding the credentials secret's name.
pub const ENV_SECRET_NAME: &str = linkedin::secret::ENV_SECRET_NAME;
/// Environment variable holding an access token, used when there is no secrets file.
pub const ENV_ACCESS_TOKEN: &str = "LINKEDIN_ACCESS_TOKEN";
/// Environment variable holding a refresh token (with [`ENV_ACCESS_TOKEN`]).
pub const ENV_REFRESH_TOKEN: &str = "LINKEDIN_REFRESH_TOKEN";
/// Environment variable holding the LinkedIn app's client id (with [`ENV_ACCESS_TOKEN`]).
pub const ENV_CLIENT_ID: &str = "LINKEDIN_CLIENT_ID";
/// Environment variable holding the LinkedIn app's client secret (with [`ENV_ACCESS_TOKEN`]).
pub const ENV_CLIENT_SECRET: &str = "LINKEDIN_CLIENT_SECRET";

/// The flags every command shares; flatten it into a command's arguments.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Configuration file (TOML) [default: ./adsctl.toml, which may be absent]
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Local data directory: the store, the secrets file, logs [default: $ADSCTL_DATA_DIR,
    /// else the file's data_dir, else ./adsctl-data]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// The configuration file's contents; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileConfig {
    /// The data directory; relative to the file's directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// How to reach LinkedIn.
    #[serde(default)]
    pub linkedin: LinkedInSection,
}

/// The `[linkedin]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkedInSection {
    /// Base of the REST API, e.g. `https://api.linkedin.com/rest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
    /// Base of the OAuth endpoints, e.g. `https://www.linkedin.com/oauth/v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_url: Option<String>,
    /// The `LinkedIn-Version`, `YYYYMM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The credentials secret's name (default `linkedin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
}

impl FileConfig {
    /// Reads the file at `path`; `None` when it does not exist.
    pub fn read(path: &Path) -> anyhow::Result<Option<FileConfig>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", path.display()));
            }
        };
        toml::from_str(&text)
            .map(Some)
            .with_context(|| format!("{} is not a valid adsctl configuration", path.display()))
    }

    /// The file's text.
    pub fn to_toml(&self) -> anyhow::Result<String> {
        Ok(toml::to_string(self)?)
    }
}

/// The configuration every command runs with, all sources applied.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The local data directory (store root; holds `secrets.json` and `logs/`).
    pub data_dir: PathBuf,
    /// How to reach LinkedIn.
    pub linkedin: linkedin::Config,
    /// The credentials secret's name.
    pub secret_name: String,
    /// Credentials from `LINKEDIN_ACCESS_TOKEN` and friends, for when there is no secrets
    /// file (`Debug` redacts them).
    env_credentials: Option<StoredCredentials>,
}

impl ConfigArgs {
    /// The configuration file's path: `--config`, else `./adsctl.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE))
    }

    /// Resolves the configuration from the file, the process environment and the flags.
    pub fn resolve(&self) -> anyhow::Result<Resolved> {
        self.resolve_with(|name| std::env::var(name).ok())
    }

    /// Like [`ConfigArgs::resolve`], reading environment variables through `env`.
    ///
    /// A `--config` file that does not exist is an error; the default file may be absent.
    pub fn resolve_with(&self, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Resolved> {
        let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());
        let path = self.config_path();
        let file = match FileConfig::read(&path)? {
            Some(file) => file,
            None if self.config.is_some() => {
                anyhow::bail!(
                    "the configuration file {} does not exist; create it with `adsctl init`",
                    path.display()
                )
            }
            None => FileConfig::default(),
        };
        let section = &file.linkedin;
        let from_file = |name: &str| match name {
            linkedin::config::ENV_API_URL => section.api_url.clone(),
            linkedin::config::ENV_OAUTH_URL => section.oauth_url.clone(),
            linkedin::config::ENV_VERSION => section.version.clone(),
            _ => None,
        };
        // Checked alone first, so a bad value is reported against the file it is in.
        linkedin::Config::from_lookup(from_file)
            .with_context(|| format!("in [linkedin] of {}", path.display()))?;
        let linkedin = linkedin::Config::from_lookup(|name| env(name).or_else(|| from_file(name)))?;

        let data_dir = match (&self.data_dir, env(ENV_DATA_DIR), &file.data_dir) {
            (Some(flag), _, _) => flag.clone(),
            (None, Some(variable), _) => PathBuf::from(variable),
            (None, None, Some(in_file)) => relative_to_file(&path, in_file),
            (None, None, None) => relative_to_file(&path, Path::new(DEFAULT_DATA_DIR)),
        };
        let secret_name = env(ENV_SECRET_NAME)
            .or_else(|| section.secret_name.clone())
            .unwrap_or_else(|| linkedin::secret::DEFAULT_SECRET_NAME.to_owned());
        Ok(Resolved {
            data_dir,
            linkedin,
            secret_name,
            env_credentials: credentials_from(&env),
        })
    }
}

impl Resolved {
    /// The object store: the data directory.
    pub fn store(&self) -> local::DirStore {
        local::DirStore::new(&self.data_dir)
    }

    /// The metrics log, `<data_dir>/logs/metrics.jsonl`.
    pub fn metrics(&self) -> local::MetricsLog {
        local::MetricsLog::new(self.data_dir.join(METRICS_FILE))
    }

    /// The secrets file's path, `<data_dir>/secrets.json`.
    pub fn secrets_path(&self) -> PathBuf {
        self.data_dir.join(SECRETS_FILE)
    }

    /// Whether [`Resolved::secrets`] serves credentials from the environment (no secrets
    /// file exists and `LINKEDIN_ACCESS_TOKEN` is set).
    pub fn secrets_from_env(&self) -> bool {
        self.env_credentials.is_some() && !self.secrets_path().exists()
    }

    /// Where [`Resolved::secrets`] reads from, for messages.
    pub fn secrets_source(&self) -> String {
        if self.secrets_from_env() {
            format!("the environment ({ENV_ACCESS_TOKEN}; kept in memory)")
        } else {
            self.secrets_path().display().to_string()
        }
    }

    /// The secret store: the secrets file, or — when it does not exist and
    /// `LINKEDIN_ACCESS_TOKEN` is set — the credentials from the environment held in memory
    /// under [`Resolved::secret_name`] (a refresh then lasts only as long as the process).
    pub fn secrets(&self) -> Box<dyn ads::SecretStore> {
        match &self.env_credentials {
            Some(credentials) if self.secrets_from_env() => Box::new(local::MemorySecrets::with(
                self.secret_name.clone(),
                credentials.to_secret(),
            )),
            _ => Box::new(local::SecretsFile::new(self.secrets_path())),
        }
    }

    /// The fetch-token step's settings for this configuration (7-day margin).
    pub fn fetch_token_settings(&self) -> fetch_token::Settings {
        fetch_token::Settings {
            secret_name: self.secret_name.clone(),
            ..fetch_token::Settings::new(self.linkedin.clone())
        }
    }
}

/// `path` read from the file at `file`: relative paths are relative to the file's directory.
fn relative_to_file(file: &Path, path: &Path) -> PathBuf {
    match file.parent() {
        Some(directory) if path.is_relative() => directory.join(path),
        _ => path.to_path_buf(),
    }
}

/// The credentials document from `LINKEDIN_ACCESS_TOKEN` (required), `LINKEDIN_REFRESH_TOKEN`,
/// `LINKEDIN_CLIENT_ID` and `LINKEDIN_CLIENT_SECRET`; expiries unknown.
fn credentials_from(env: &impl Fn(&str) -> Option<String>) -> Option<StoredCredentials> {
    let access_token = env(ENV_ACCESS_TOKEN)?;
    let app = match (env(ENV_CLIENT_ID), env(ENV_CLIENT_SECRET)) {
        (Some(client_id), Some(secret)) => Some(ClientCredentials {
            client_id,
            client_secret: ClientSecret::new(secret),
        }),
        _ => None,
    };
    Some(StoredCredentials {
        app,
        access_token: AccessToken::new(access_token),
        access_token_expires_at: None,
        refresh_token: env(ENV_REFRESH_TOKEN).map(RefreshToken::new),
        refresh_token_expires_at: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ads::SecretStore;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn write_config(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("adsctl.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    const FILE: &str = r#"
data_dir = "from-file"

[linkedin]
api_url = "http://127.0.0.1:1/rest"
oauth_url = "http://127.0.0.1:1/oauth/v2"
version = "202603"
secret_name = "file-secret"
"#;

    #[test]
    fn defaults_apply_when_there_is_no_file() {
        // GIVEN no file (none in the crate's directory), no environment, no flags
        let resolved = ConfigArgs::default().resolve_with(lookup(&[])).unwrap();
        // THEN LinkedIn's hosts, the default version, ./adsctl-data and the `linkedin` secret
        assert_eq!(resolved.data_dir, PathBuf::from("adsctl-data"));
        assert_eq!(resolved.linkedin, linkedin::Config::default());
        assert_eq!(resolved.secret_name, "linkedin");
    }

    #[test]
    fn the_file_overrides_defaults_with_paths_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let args = ConfigArgs {
            config: Some(write_config(dir.path(), FILE)),
            data_dir: None,
        };
        let resolved = args.resolve_with(lookup(&[])).unwrap();
        assert_eq!(resolved.data_dir, dir.path().join("from-file"));
        assert_eq!(resolved.linkedin.api_url, "http://127.0.0.1:1/rest");
        assert_eq!(resolved.linkedin.oauth_url, "http://127.0.0.1:1/oauth/v2");
        assert_eq!(resolved.linkedin.version.to_string(), "202603");
        assert_eq!(resolved.secret_name, "file-secret");
    }

    #[test]
    fn the_environment_overrides_the_file_and_flags_override_both() {
        // GIVEN a file, environment variables and a --data-dir flag
        let dir = tempfile::tempdir().unwrap();
        let env = lookup(&[
            ("ADSCTL_DATA_DIR", "/from/env"),
            ("LINKEDIN_API_URL", "http://127.0.0.1:2/rest"),
            ("LINKEDIN_VERSION", "202607"),
            ("LINKEDIN_SECRET_NAME", "env-secret"),
        ]);
        let mut args = ConfigArgs {
            config: Some(write_config(dir.path(), FILE)),
            data_dir: None,
        };
        // WHEN resolved without, then with the flag
        let from_env = args.resolve_with(&env).unwrap();
        args.data_dir = Some(PathBuf::from("/from/flag"));
        let from_flag = args.resolve_with(&env).unwrap();
        // THEN the environment wins over the file where set, the file elsewhere...
        assert_eq!(from_env.data_dir, PathBuf::from("/from/env"));
        assert_eq!(from_env.linkedin.api_url, "http://127.0.0.1:2/rest");
        assert_eq!(from_env.linkedin.oauth_url, "http://127.0.0.1:1/oauth/v2");
        assert_eq!(from_env.linkedin.version.to_string(), "202607");
        assert_eq!(from_env.secret_name, "env-secret");
        // ...and the flag wins over both
        assert_eq!(from_flag.data_dir, PathBuf::from("/from/flag"));
    }

    #[test]
    fn a_bad_value_in_the_file_names_the_file_and_an_explicit_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let bad = ConfigArgs {
            config: Some(write_config(
                dir.path(),
                "[linkedin]\nversion = \"2026-07\"\n",
            )),
            data_dir: None,
        };
        let error = format!("{:#}", bad.resolve_with(lookup(&[])).unwrap_err());
        assert!(error.contains("adsctl.toml"), "{error}");
        assert!(error.contains("YYYYMM"), "{error}");

        let typo = ConfigArgs {
            config: Some(write_config(dir.path(), "[linkedin]\napi_ulr = \"x\"\n")),
            data_dir: None,
        };
        assert!(typo.resolve_with(lookup(&[])).is_err());

        let missing = ConfigArgs {
            config: Some(dir.path().join("nope.toml")),
            data_dir: None,
        };
        let error = missing.resolve_with(lookup(&[])).unwrap_err().to_string();
        assert!(error.contains("adsctl init"), "{error}");
    }

    #[tokio::test]
    async fn with_no_secrets_file_the_access_token_comes_from_the_environment() {
        // GIVEN an empty data directory and LINKEDIN_ACCESS_TOKEN (+ app credentials)
        let dir = tempfile::tempdir().unwrap();
        let args = ConfigArgs {
            config: None,
            data_dir: Some(dir.path().to_path_buf()),
        };
        let resolved = args
            .resolve_with(lookup(&[
                ("LINKEDIN_ACCESS_TOKEN", "AQV-env"),
                ("LINKEDIN_REFRESH_TOKEN", "AQX-env"),
                ("LINKEDIN_CLIENT_ID", "app"),
                ("LINKEDIN_CLIENT_SECRET", "shh"),
            ]))
            .unwrap();
        // WHEN the secret store is built and read
        let value = resolved.secrets().get("linkedin").await.unwrap();
        // THEN it holds the credentials document, and nothing printable shows the token
        let credentials = StoredCredentials::parse(&value).unwrap();
        assert_eq!(credentials.access_token.expose(), "AQV-env");
        assert_eq!(credentials.refresh_token.unwrap().expose(), "AQX-env");
        assert!(credentials.app.is_some());
        assert!(resolved.secrets_from_env());
        let printed = format!("{resolved:?}");
        assert!(
            !printed.contains("AQV") && !printed.contains("shh"),
            "{printed}"
        );

        // AND once a secrets file exists, it wins
        local::SecretsFile::new(resolved.secrets_path())
            .put(
                "linkedin",
                secrecy::SecretString::from(r#"{"accessToken":"AQV-file"}"#),
            )
            .await
            .unwrap();
        let value = resolved.secrets().get("linkedin").await.unwrap();
        assert!(value.expose_secret().contains("AQV-file"));
    }

    #[test]
    fn adapters_live_in_the_data_directory() {
        let resolved = ConfigArgs {
            config: None,
            data_dir: Some(PathBuf::from("/data")),
        }
        .resolve_with(lookup(&[]))
        .unwrap();
        assert_eq!(resolved.store().root(), Path::new("/data"));
        assert_eq!(
            resolved.metrics().path(),
            Path::new("/data/logs/metrics.jsonl")
        );
        assert_eq!(resolved.secrets_path(), Path::new("/data/secrets.json"));
    }
}
