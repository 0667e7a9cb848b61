#!/bin/sh
# Installs the tools the test suite uses besides Rust, when they are missing:
# - sqlglot (PyPI): checks athena/ SQL against Trino's grammar;
# - Chromium (Debian's package): renders the HTML report headless, to prove it renders;
# - asl-validator (npm, the version pinned by statemachines/package-lock.json): checks
#   statemachines/*.asl.json against the Amazon States Language schema
#   (crates/asl/tests/statemachines.rs runs it). Needs Node.js and npm (Debian's packages
#   are installed when npm is missing);
# - cfn-lint (PyPI, pinned): lints the CDK app's synthesized template (cdk/test/cfn-lint.test.ts);
# - the CDK app's packages (npm, the versions pinned by cdk/package-lock.json: aws-cdk-lib,
#   cdk-nag, TypeScript): tests/deploy runs `npm test --prefix cdk`.
# README.md's test command runs this first; CI runs that command.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then
        apt_get="apt-get"
    else
        apt_get="sudo apt-get"
    fi
    DEBIAN_FRONTEND=noninteractive $apt_get update -qq
    DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

python3 -m pip install --quiet --disable-pip-version-check sqlglot

cfn_lint_version=1.58.0
installed_cfn_lint=$(python3 -c 'import importlib.metadata as m; print(m.version("cfn-lint"))' 2>/dev/null || true)
if [ "$installed_cfn_lint" != "$cfn_lint_version" ]; then
    python3 -m pip install --quiet --disable-pip-version-check "cfn-lint==$cfn_lint_version"
fi

if ! command -v chromium >/dev/null 2>&1; then
    apt_install chromium
fi

if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
# Exactly the lock file's versions, into statemachines/node_modules (git-ignored).
npm ci --prefix "$root/statemachines" --no-audit --no-fund --loglevel=error
# The same for the CDK app, but only when its lock file changed since the last install:
# npm ci starts from scratch, and aws-cdk-lib is large.
cdk_stamp="$root/cdk/node_modules/.installed-package-lock.json"
if ! cmp -s "$root/cdk/package-lock.json" "$cdk_stamp"; then
    npm ci --prefix "$root/cdk" --no-audit --no-fund --loglevel=error
    cp "$root/cdk/package-lock.json" "$cdk_stamp"
fi
