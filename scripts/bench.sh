#!/usr/bin/env bash
# Benchmarks notes-lint on a release build, side by side in one run:
#   1. the whole lint of a generated corpus (200 notes, ~100k claims, 16 MB of YAML)
#      on one thread and on every core, with wall time and peak memory;
#   2. the duplicate-claim rule alone on 100k synthetic claims (cargo bench).
# Usage: bash scripts/bench.sh [FILES] [CLAIMS_PER_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-200}"
claims="${2:-500}"

cargo build --quiet --release -p notes-lint
cargo xtask gen-corpus --out target/bench-corpus --files "$files" --claims "$claims" 2>/dev/null
size=$(du -sh target/bench-corpus | cut -f1)
echo "corpus: $files notes, ~$((files * claims)) claims, $size"

run() {
  local threads="$1"
  /usr/bin/time -f "%e %M" -o target/bench-time.txt env RAYON_NUM_THREADS="$threads" \
    ./target/release/notes-lint --format short --today 2026-11-27 target/bench-corpus \
    > "target/bench-out-$threads.txt" || true
  read -r seconds kib < target/bench-time.txt
  printf '%-10s %8s s %10s MiB peak  %6s findings\n' "threads=$threads" "$seconds" \
    "$((kib / 1024))" "$(wc -l < "target/bench-out-$threads.txt")"
}
run 1
run "$(nproc)"
if cmp -s target/bench-out-1.txt "target/bench-out-$(nproc).txt"; then
  echo "output identical on 1 and $(nproc) threads"
else
  echo "output differs between thread counts" >&2
  exit 1
fi

cargo bench --quiet -p notes-lint --bench duplicate_claim
