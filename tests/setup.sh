#!/bin/sh
# Installs the tools the test suite uses besides Rust, when they are missing:
# - sqlglot (PyPI): checks athena/ SQL against Trino's grammar;
# - Chromium (Debian's package): renders the HTML report headless, to prove it renders;
# - asl-validator (npm, the version pinned by statemachines/package-lock.json): checks
#   statemachines/*.asl.json against the Amazon States Language schema
#   (crates/asl/tests/statemachines.rs runs it). Needs Node.js and npm (Debian's packages
#   are installed when npm is missing).
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

if ! command -v chromium >/dev/null 2>&1; then
    apt_install chromium
fi

if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
# Exactly the lock file's versions, into statemachines/node_modules (git-ignored).
npm ci --prefix "$root/statemachines" --no-audit --no-fund --loglevel=error
