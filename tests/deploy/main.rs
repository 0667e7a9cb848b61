//! The deploy: the CDK app in `cdk/` synthesizes, and its own tests pass — the functions,
//! their IAM, the bucket, the state machines against `statemachines/*.asl.json`, the Glue
//! tables against `athena/tables/*.sql`, schedules, alarms, cdk-nag's AwsSolutions checks and
//! cfn-lint over the template. They run with Node's test runner through `npm test`; this
//! target runs them from `cargo test` so README's one test command covers the stack too.
//!
//! No Lambda build is needed: the CDK tests point the functions at placeholder bootstraps.
//! The npm packages (`npm ci --prefix cdk`) or cfn-lint missing is a failure naming
//! `tests/setup.sh`, never a silent skip.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cdk")
}

#[test]
fn the_cdk_app_synthesizes_and_passes_its_tests_cdk_nag_and_cfn_lint() {
    let cdk = cdk_dir();
    let installed = cdk.join("node_modules/aws-cdk-lib");
    assert!(
        installed.exists(),
        "the CDK app's packages are not installed at {}: run tests/setup.sh first (it runs \
         `npm ci --prefix cdk`, which needs Node.js and npm, and installs cfn-lint)",
        installed.display()
    );
    let output = Command::new("npm")
        .args(["test", "--prefix"])
        .arg(&cdk)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run `npm test --prefix {}`: {error}; run tests/setup.sh first",
                cdk.display()
            )
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`npm test --prefix cdk` failed ({}):\n{stdout}{stderr}",
        output.status
    );
    // Node's runner closes with its counts; a run that ran nothing is no pass.
    let passed = stdout
        .lines()
        .find_map(|line| line.strip_prefix("# pass "))
        .and_then(|count| count.trim().parse::<u32>().ok());
    assert!(
        passed.is_some_and(|count| count > 0),
        "`npm test --prefix cdk` ran no test:\n{stdout}{stderr}"
    );
}
