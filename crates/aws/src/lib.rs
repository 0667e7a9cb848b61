//! The ports of `ads` over AWS, and the Lambda wiring every step's `main.rs` shares.
//!
//! A step's `lib.rs` sees only the traits of [`ads`]; its `main.rs` builds the adapters here
//! once, from one [`sdk_config`] (each adapter has `from_config`), and hands them to
//! [`run_step`]. `adsctl` picks these adapters when it is pointed at AWS.
//!
//! Reading order:
//! - [`s3`]: [`S3Store`], the object store as one S3 bucket. Keys are the store layout of
//!   DESIGN.md unchanged; a put is a single PutObject, which S3 makes atomic.
//! - [`secrets`]: [`SecretsManagerStore`], named secrets as Secrets Manager secrets whose
//!   value is a JSON string. Values never reach an error, a log line or a `Debug` print.
//! - [`metrics`]: [`CloudWatchMetrics`], metric data as CloudWatch custom metrics in one
//!   namespace, sent in batches CloudWatch accepts.
//! - [`athena`]: [`AthenaQueryEngine`], the query engine as Athena in one workgroup and
//!   database; a start is idempotent for 24 hours (a token derived from the request), and a
//!   succeeded query's results are reported as a store key when they are in the data bucket.
//! - [`sns`]: [`SnsNotifier`], notices published to one SNS topic, the subject made what
//!   SNS accepts (one ASCII line under 100 characters) and the text cut at 256 KB.
//! - [`lambda`]: [`sdk_config`], [`required_env`] and [`run_step`]: JSON logs, the event
//!   payload into the step's input type, and a step error into a Lambda error whose
//!   `errorType` is the error's stable name ([`ads::error_names`]).
//! - `sfn` (feature `sfn`, for `adsctl`): `StepFunctions`, the deployed state machine's
//!   executions started, read, redriven and their waiting tasks answered; tokens never shown.
//! - `service_error` (private): how an SDK error becomes a [`ads::PortError`], the same way
//!   for every service: missing → `NotFound`; denied, unauthenticated or malformed →
//!   `Refused` (naming the IAM action the function's role needs); anything else →
//!   `Unavailable`.
//!
//! A step error's message becomes the Lambda `errorMessage`, shown in the Step Functions
//! console and logged by [`run_step`]; it must never contain a secret, and the steps
//! guarantee it. The adapters here keep the same rule for their own errors.
//!
//! Deliberately not here: retries beyond the SDK's own standard retry policy (Step
//! Functions' `Retry` owns the rest), and any choice of bucket, workgroup, namespace or
//! secret name — those come from the environment the CDK stack sets, read with
//! [`required_env`].

pub mod athena;
pub mod lambda;
pub mod metrics;
pub mod s3;
pub mod secrets;
mod service_error;
#[cfg(feature = "sfn")]
pub mod sfn;
pub mod sns;

pub use athena::AthenaQueryEngine;
pub use lambda::{diagnostic, required_env, run_step, sdk_config};
pub use metrics::CloudWatchMetrics;
pub use s3::S3Store;
pub use secrets::SecretsManagerStore;
pub use sns::SnsNotifier;
