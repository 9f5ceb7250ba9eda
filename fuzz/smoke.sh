#!/usr/bin/env bash
# A short deterministic run of every target from the seeds (fixed libFuzzer seed and number
# of runs, so CI gives the same answer each time), in a scratch corpus; fails on a finding.
#   fuzz/smoke.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-20000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
./seed.sh "$dir/corpus" >/dev/null
for t in auto raw script cloudwatch stream; do
  if ! cargo +nightly fuzz run -O -a -s none "$t" "$dir/corpus/$t" -- -runs="$runs" -seed=1 \
    -max_len=8192 -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$dir/" >"$dir/$t.log" 2>&1; then
    tail -60 "$dir/$t.log"
    exit 1
  fi
  echo "fuzz smoke: $t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$dir/$t.log")"
done
