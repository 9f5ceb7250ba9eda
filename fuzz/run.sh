#!/usr/bin/env bash
# Fuzz one target for SECONDS in all, restarting after each finding (kept in
# artifacts/TARGET/), and print the executions run in all. Usage:
#   fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
set -uo pipefail
cd "$(dirname "$0")"
target=${1:?usage: run.sh TARGET SECONDS}
total=${2:?usage: run.sh TARGET SECONDS}
shift 2
mkdir -p "corpus/$target" logs
[ -n "$(ls -A "corpus/$target")" ] || ./seed.sh >/dev/null
cargo +nightly fuzz build -O -a -s none "$target" >/dev/null 2>&1 || { echo "build failed"; exit 1; }
end=$(($(date +%s) + total))
execs=0
runs=0
findings=0
while [ "$(date +%s)" -lt "$end" ]; do
  left=$((end - $(date +%s)))
  runs=$((runs + 1))
  log="logs/$target-$runs.log"
  cargo +nightly fuzz run -O -a -s none "$target" "corpus/$target" -- \
    -max_total_time="$left" -max_len=8192 -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 "$@" >"$log" 2>&1
  rc=$?
  n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  execs=$((execs + ${n:-0}))
  if [ $rc -ne 0 ]; then
    findings=$((findings + 1))
    grep -m1 -E 'panicked|ERROR: libFuzzer' "$log" || true
  fi
done
echo "$target: $execs executions in $runs runs, $findings findings"
