//! `adsctl bench lambda`: what each step's Lambda bootstrap costs to ship and to start, run
//! under the Lambda Runtime API emulator (`crates/lambda-emulator`) as the steps' runtime
//! tests run it.
//!
//! Per step:
//! - the zip's size: the bootstrap deflated at level 6 (Info-ZIP `zip`'s default) plus the
//!   zip records of its one entry named `bootstrap`, which is what Lambda's
//!   deployment-package limit counts. flate2's deflater lands a little above Info-ZIP's
//!   (decide: 7.52 MiB here, 7.34 MiB from `zip -6 -X`), so the figure errs high;
//! - init time: from just before the process is spawned to its first request for an event,
//!   the median (and range) of `--spawns` cold starts;
//! - peak RSS (`VmHWM`) after one invocation: the step's answered event against the
//!   emulator's fake AWS, or, for collect (which answers only with LinkedIn), its refused
//!   event.
//!
//! The bootstraps are the `lambda` profile's (LTO, one codegen unit, `panic = "abort"`),
//! built beforehand:
//!
//! ```text
//! cargo build --profile lambda -p fetch-token -p collect -p start-athena-query \
//!     -p poll-results -p decide -p apply -p report -p train
//! ```
//!
//! Figures are this machine's, not Lambda's: Lambda's init also counts the sandbox and the
//! download of the package, and a 128 MB function gets a fraction of a CPU.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use lambda_emulator::steps::{self, Step};

/// The bootstraps' init time target.
const INIT_TARGET: Duration = Duration::from_millis(20);
/// The bootstraps' peak RSS target, in MiB.
const RSS_TARGET_MIB: f64 = 30.0;

/// Where the bootstraps are and how many cold starts to time.
#[derive(Debug, Args)]
pub struct LambdaBench {
    /// The directory holding the step binaries; default `$CARGO_TARGET_DIR/lambda`, else
    /// `target/lambda` (the `lambda` profile's output).
    #[arg(long)]
    bin_dir: Option<PathBuf>,
    /// Cold starts per step; the table shows their median, fastest and slowest.
    #[arg(long, default_value_t = 20)]
    spawns: usize,
    /// Only these steps (by name); default all eight.
    #[arg(long = "step")]
    only: Vec<String>,
}

/// One step's figures.
struct Figures {
    binary_bytes: u64,
    zip_bytes: u64,
    /// Init times, sorted.
    inits: Vec<Duration>,
    peak_rss_kib: u64,
    /// What the measured invocation answered: `output`, or the error's type.
    answer: String,
}

impl LambdaBench {
    /// Measures every selected step and prints the table.
    pub async fn run(self) -> anyhow::Result<()> {
        anyhow::ensure!(self.spawns > 0, "--spawns must be at least 1");
        let bin_dir = self.bin_dir.clone().unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map_or_else(|| PathBuf::from("target"), PathBuf::from)
                .join("lambda")
        });
        let selected: Vec<&Step> = steps::ALL
            .iter()
            .filter(|step| self.only.is_empty() || self.only.iter().any(|n| n == step.name))
            .collect();
        anyhow::ensure!(
            !selected.is_empty(),
            "no step is named {:?}; the steps are {}",
            self.only,
            steps::ALL.map(|step| step.name).join(", ")
        );
        println!(
            "bootstraps from {}, {} cold starts each, memory size {} MB",
            bin_dir.display(),
            self.spawns,
            lambda_emulator::function::MEMORY_SIZE_MB
        );
        println!(
            "{:<20} {:>10} {:>9} {:>10} {:>17} {:>12}  invocation",
            "step", "binary MiB", "zip MiB", "init ms", "init range ms", "peak RSS MiB"
        );
        let mut within = true;
        for step in selected {
            let path = bin_dir.join(step.name);
            let figures = measure(step, &path, self.spawns)
                .await
                .with_context(|| format!("measuring {}", step.name))?;
            let init = figures.inits[figures.inits.len() / 2];
            let rss_mib = mib(figures.peak_rss_kib * 1024);
            within &= init <= INIT_TARGET && rss_mib <= RSS_TARGET_MIB;
            println!(
                "{:<20} {:>10.2} {:>9.2} {:>10.1} {:>17} {:>12.1}  {}",
                step.name,
                mib(figures.binary_bytes),
                mib(figures.zip_bytes),
                millis(init),
                format!(
                    "{:.1}–{:.1}",
                    millis(figures.inits[0]),
                    millis(figures.inits[figures.inits.len() - 1])
                ),
                rss_mib,
                figures.answer
            );
        }
        println!(
            "targets: init ≤ {} ms, peak RSS ≤ {RSS_TARGET_MIB} MiB — {}",
            INIT_TARGET.as_millis(),
            if within {
                "every step within"
            } else {
                "NOT every step within"
            }
        );
        Ok(())
    }
}

/// Sizes `step`'s bootstrap at `path`, times `spawns` cold starts and measures one
/// invocation.
async fn measure(step: &Step, path: &Path, spawns: usize) -> anyhow::Result<Figures> {
    let binary = std::fs::read(path).with_context(|| {
        format!(
            "reading {}; build the bootstraps first: cargo build --profile lambda -p {}",
            path.display(),
            step.name
        )
    })?;
    let zip_bytes = zip_size(&binary)?;
    let mut inits = Vec::with_capacity(spawns);
    for _ in 0..spawns {
        let (_aws, function) = step.start(path).await?;
        inits.push(function.init_time());
    }
    inits.sort();

    let (_aws, mut function) = step.start(path).await?;
    let event = step.answered().unwrap_or_else(|| step.refused());
    let answer = match function.invoke(event).await? {
        lambda_emulator::Outcome::Response(_) => "output".to_owned(),
        lambda_emulator::Outcome::Error { error_type, .. } => error_type,
    };
    Ok(Figures {
        binary_bytes: binary.len() as u64,
        zip_bytes,
        inits,
        peak_rss_kib: function.peak_rss_kib()?,
        answer,
    })
}

/// The size of a zip holding `binary` alone as `bootstrap`, deflated: the data plus the
/// local file header (30 bytes and the name), the central directory entry (46 and the name)
/// and the end of central directory record (22), per PKWARE's APPNOTE.TXT 4.3.7, 4.3.12
/// and 4.3.16, with no extra fields or comment.
fn zip_size(binary: &[u8]) -> anyhow::Result<u64> {
    const NAME: &str = "bootstrap";
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::new(6));
    encoder
        .write_all(binary)
        .context("deflating the bootstrap")?;
    let deflated = encoder.finish().context("deflating the bootstrap")?;
    Ok((deflated.len() + 30 + 46 + 22 + 2 * NAME.len()) as u64)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zip_is_the_deflated_data_and_one_entrys_records() {
        // GIVEN a highly compressible "binary"
        let binary = vec![0u8; 1 << 20];

        // WHEN its zip is sized
        let size = zip_size(&binary).unwrap();

        // THEN it is the records' 116 bytes and a deflate stream far smaller than the input
        assert!(size > 116, "{size}");
        assert!(size < 8 * 1024, "{size}");
    }
}
