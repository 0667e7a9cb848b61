#!/bin/sh
# Builds the eight step bootstraps for AWS Lambda (arm64, provided.al2023) into
# target/lambda/<step>/bootstrap, where the CDK app's `lambdaAssets` looks by default.
#
# Installs what it needs when missing: the aarch64 Rust target (rustup) and cargo-lambda
# (PyPI; it brings Zig, which cross-links for Amazon Linux without Docker).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

if ! rustup target list --installed | grep -qx aarch64-unknown-linux-gnu; then
    rustup target add aarch64-unknown-linux-gnu
fi
if ! command -v cargo-lambda >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check cargo-lambda
fi

cd "$root"
cargo lambda build --release --arm64 --lambda-dir target/lambda \
    -p fetch-token -p collect -p start-athena-query -p poll-results \
    -p decide -p apply -p report -p train
ls -l target/lambda/*/bootstrap
