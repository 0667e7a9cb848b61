//! [`Function`]: a step's bootstrap running as Lambda runs it — a process whose only
//! configuration is its environment, polling the [`RuntimeApi`] for events.
//!
//! The environment is cleared and rebuilt: what Lambda's runtime environment sets
//! (`AWS_LAMBDA_RUNTIME_API`, `AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`,
//! `AWS_LAMBDA_FUNCTION_VERSION`, the log group and stream, `AWS_REGION`, credentials
//! — fake ones here; <https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html>)
//! plus the step's own variables. Nothing of the caller's environment leaks in, so a
//! developer's AWS profile can never be picked up and a variable the step forgot to read
//! from its configuration shows up as a failure here.
//!
//! Two figures are measured, both Linux's view of the process:
//! - init time: from just before the process is spawned to its first `next` request, the
//!   moment Lambda would send the first event;
//! - peak RSS: `VmHWM` of `/proc/<pid>/status`, the resident set's high-water mark.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Error;
use crate::runtime_api::{Outcome, Phase, RuntimeApi};

/// How long the emulator waits for an init or an invocation before calling it a hang.
/// Generous: a debug build on a busy machine is slow, and a test must not fail on time.
const PATIENCE: Duration = Duration::from_secs(120);

/// How often the emulator checks whether the process exited while it waits.
const EXIT_CHECK: Duration = Duration::from_millis(5);

/// The memory size the function is configured with, in MB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`):
/// the CDK stack's size for every step.
pub const MEMORY_SIZE_MB: u32 = 128;

/// The region the function runs in (`AWS_REGION`).
pub const REGION: &str = "us-east-1";

/// A bootstrap to start: the executable, the function's name and the step's environment.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    path: PathBuf,
    name: String,
    env: Vec<(String, String)>,
}

impl Bootstrap {
    /// The executable at `path`, run as the function `name`, with no variables of its own yet.
    pub fn new(path: impl Into<PathBuf>, name: impl Into<String>) -> Bootstrap {
        Bootstrap {
            path: path.into(),
            name: name.into(),
            env: Vec::new(),
        }
    }

    /// The same bootstrap with the variable `key` set to `value` (a later value wins).
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Bootstrap {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The same bootstrap with every variable of `vars` set.
    pub fn envs<K: Into<String>, V: Into<String>>(
        self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Bootstrap {
        vars.into_iter()
            .fold(self, |bootstrap, (key, value)| bootstrap.env(key, value))
    }

    /// The function's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A running bootstrap and its Runtime API. Dropping it kills the process.
pub struct Function {
    name: String,
    child: Child,
    api: RuntimeApi,
    init_time: Duration,
    output: Output,
}

/// What the process printed on stdout and stderr (its JSON logs, a panic), interleaved.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<String>>);

impl Output {
    /// Copies `stream` into the output until it closes, on a thread of its own.
    fn drain(&self, mut stream: impl Read + Send + 'static) {
        let output = self.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read @ 1..) = stream.read(&mut buffer) {
                output
                    .lock()
                    .push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, String> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn text(&self) -> String {
        self.lock().clone()
    }
}

impl Function {
    /// Serves a Runtime API, spawns `bootstrap` against it and waits until it asks for its
    /// first event (its init is over).
    ///
    /// Fails when the executable is missing, or the process exits, reports an init error or
    /// hangs before its first `next`; the error carries what it printed.
    pub async fn start(bootstrap: Bootstrap) -> Result<Function, Error> {
        let api = RuntimeApi::start(&bootstrap.name).await?;
        let mut phase = api.phase();
        let mut command = Command::new(&bootstrap.path);
        command
            .env_clear()
            .envs(lambda_environment(&bootstrap.name, &api.address()))
            .envs(bootstrap.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let spawned = Instant::now();
        let mut child = command.spawn().map_err(|source| Error::Spawn {
            path: bootstrap.path.clone(),
            source,
        })?;
        let output = Output::default();
        if let Some(stdout) = child.stdout.take() {
            output.drain(stdout);
        }
        if let Some(stderr) = child.stderr.take() {
            output.drain(stderr);
        }
        let mut function = Function {
            name: bootstrap.name,
            child,
            api,
            init_time: Duration::ZERO,
            output,
        };
        let settled = async {
            phase
                .wait_for(|phase| *phase != Phase::Initializing)
                .await
                .ok()
                .map(|phase| phase.clone())
        };
        match function.guard("initializing", settled).await? {
            Phase::Ready(polled) => {
                function.init_time = polled.duration_since(spawned);
                Ok(function)
            }
            Phase::InitFailed {
                error_type,
                error_message,
            } => Err(Error::InitFailed {
                function: function.name.clone(),
                error_type,
                error_message,
                logs: function.logs(),
            }),
            Phase::Initializing => unreachable!("waited until the phase changed"),
        }
    }

    /// From just before the process was spawned to its first request for an event.
    pub fn init_time(&self) -> Duration {
        self.init_time
    }

    /// Sends `payload` as an event and waits for the bootstrap's response or error.
    ///
    /// Fails only when the bootstrap exits or hangs; a step's error is an
    /// [`Outcome::Error`].
    pub async fn invoke(&mut self, payload: Value) -> Result<Outcome, Error> {
        let outcome = self.api.invoke(payload);
        self.guard("handling an event", async { outcome.await.ok() })
            .await
    }

    /// The process's peak resident set so far, in KiB (`VmHWM`; Linux only).
    pub fn peak_rss_kib(&self) -> Result<u64, Error> {
        let failed = |source| Error::Process {
            function: self.name.clone(),
            source,
        };
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).map_err(failed)?;
        vm_hwm_kib(&status).ok_or_else(|| {
            failed(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "no VmHWM line in /proc/<pid>/status",
            ))
        })
    }

    /// What the process printed so far (its JSON log lines).
    pub fn logs(&self) -> String {
        self.output.text()
    }

    /// Waits for `answer`, failing if the process exits first or nothing comes within
    /// [`PATIENCE`]. `answer` yields `None` when it can never come.
    async fn guard<T>(
        &mut self,
        doing: &'static str,
        answer: impl Future<Output = Option<T>>,
    ) -> Result<T, Error> {
        let give_up = tokio::time::sleep(PATIENCE);
        tokio::pin!(answer, give_up);
        loop {
            tokio::select! {
                // An answer posted just before the process exits still counts.
                biased;
                Some(answer) = &mut answer => return Ok(answer),
                () = &mut give_up => {
                    return Err(Error::TimedOut {
                        function: self.name.clone(),
                        doing,
                        after: PATIENCE,
                        logs: self.logs(),
                    });
                }
                () = tokio::time::sleep(EXIT_CHECK) => {
                    let exited = self.child.try_wait().map_err(|source| Error::Process {
                        function: self.name.clone(),
                        source,
                    })?;
                    if let Some(status) = exited {
                        // Let the output threads catch the last lines.
                        tokio::time::sleep(EXIT_CHECK).await;
                        return Err(Error::Exited {
                            function: self.name.clone(),
                            doing,
                            status,
                            logs: self.logs(),
                        });
                    }
                }
            }
        }
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        // Already exited when it failed; either way it must not outlive the emulator.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `VmHWM` of a `/proc/<pid>/status`, in KiB (the kernel writes it as `VmHWM:  1234 kB`).
fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}

/// What Lambda's runtime environment sets for the function `name` with its Runtime API at
/// `runtime_api`, with fake credentials and no shared config files.
fn lambda_environment(name: &str, runtime_api: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_LAMBDA_RUNTIME_API", runtime_api.to_owned()),
        ("AWS_LAMBDA_FUNCTION_NAME", name.to_owned()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            MEMORY_SIZE_MB.to_string(),
        ),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}")),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "emulator".to_owned()),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_DEFAULT_REGION", REGION.to_owned()),
        // Credentials that sign requests no real AWS endpoint would accept.
        ("AWS_ACCESS_KEY_ID", "AKIDLAMBDAEMULATOR00".to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "lambda-emulator-fake-secret".to_owned(),
        ),
        // No profile files and no instance metadata: the environment is the whole config.
        ("AWS_CONFIG_FILE", "/dev/null".to_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("TZ", ":UTC".to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_rss_is_read_from_the_vm_hwm_line() {
        // GIVEN a process status as Linux writes it
        let status =
            "Name:\tdecide\nVmPeak:\t  812344 kB\nVmHWM:\t   14236 kB\nVmRSS:\t   14100 kB\n";

        // WHEN its peak resident set is read
        // THEN it is VmHWM's figure, not VmPeak's (virtual) nor VmRSS's (current)
        assert_eq!(vm_hwm_kib(status), Some(14236));
        assert_eq!(vm_hwm_kib("Name:\tdecide\n"), None);
    }

    #[tokio::test]
    async fn a_missing_bootstrap_is_a_spawn_error_naming_its_path() {
        // GIVEN a path where no binary was built
        let bootstrap = Bootstrap::new("/nonexistent/target/lambda/decide", "decide");

        // WHEN it is started
        let error = Function::start(bootstrap).await.err().expect("no process");

        // THEN the error names the path and how to build it
        assert!(matches!(error, Error::Spawn { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains("/nonexistent/target/lambda/decide"),
            "{error}"
        );
        assert!(error.to_string().contains("cargo build"), "{error}");
    }

    #[tokio::test]
    async fn a_bootstrap_that_exits_before_its_first_poll_is_an_init_failure() {
        // GIVEN an executable that exits at once, as a step whose environment lacks a
        // variable does
        let bootstrap = Bootstrap::new("/bin/false", "false");

        // WHEN it is started
        let error = Function::start(bootstrap).await.err().expect("no function");

        // THEN the emulator says it exited while initializing
        assert!(
            matches!(
                error,
                Error::Exited {
                    doing: "initializing",
                    ..
                }
            ),
            "{error}"
        );
    }
}
