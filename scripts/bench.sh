#!/usr/bin/env bash
# Benchmarks notes-lint: `cargo xtask bench` (whole runs on generated corpora beside
# jsonschema-cli and ajv, written to docs/performance.md), then the duplicate-claim
# micro-benchmark (cargo bench). Arguments go to `cargo xtask bench`, e.g. --quick.
# Usage: bash scripts/bench.sh [--quick] [--runs N] [--no-peers] [--timeout SECS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo xtask bench "$@"
cargo bench --quiet -p notes-lint --bench duplicate_claim
