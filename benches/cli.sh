#!/usr/bin/env bash
# The CLI (`--format jsonl` to /dev/null) against vte 0.15 with a no-op Perform
# (examples/vte_nop.rs) on the same generated 64 MiB files, in the same run: best of N
# runs of each, MB/s and the ratio. `benches/cli.sh [RUNS] [KIND...]`
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shift || true
kinds=("${@:-interactive coloured plain cloudwatch}")
cargo build --release -q --bin ttyscribe --example gen_input --example vte_nop
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
best() { # best wall time in seconds of N runs of the command
    local b=999
    for _ in $(seq "$runs"); do
        local s e
        s=$(date +%s.%N)
        "$@" > /dev/null
        e=$(date +%s.%N)
        b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{print ($1 < b) ? $1 : b}')
    done
    echo "$b"
}
printf '%-12s %10s %12s %12s %7s\n' input MiB "ttyscribe" "vte-nop" ratio
for kind in ${kinds[*]}; do
    ./target/release/examples/gen_input "$kind" 64 > "$tmp/in"
    mib=$(( $(stat -c %s "$tmp/in") / 1048576 ))
    t=$(best ./target/release/ttyscribe --format jsonl "$tmp/in")
    v=$(best ./target/release/examples/vte_nop "$tmp/in")
    awk -v k="$kind" -v m="$mib" -v t="$t" -v v="$v" -v s="$(stat -c %s "$tmp/in")" \
        'BEGIN { printf "%-12s %10d %8.0f MB/s %8.0f MB/s %7.2f\n", k, m, s/t/1e6, s/v/1e6, v/t }'
done
