#!/usr/bin/env bash
# The CLI (`--format jsonl` to /dev/null) against vte 0.15 with a no-op Perform
# (examples/vte_nop.rs) on the same generated 64 MiB files, in the same run: best of N
# runs of each (alternating), MB/s and the ratio. `benches/cli.sh [RUNS] [KIND...]`
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
shift || true
kinds=("${@:-interactive coloured plain cloudwatch}")
cargo build --release -q --bin ttyscribe --example gen_input --example vte_nop
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
seconds() { # wall time of one run of the command, in seconds
    local s e
    s=$(date +%s.%N)
    "$@" > /dev/null
    e=$(date +%s.%N)
    echo "$e - $s" | bc -l
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }
printf '%-12s %10s %12s %12s %7s\n' input MiB "ttyscribe" "vte-nop" ratio
for kind in ${kinds[*]}; do
    ./target/release/examples/gen_input "$kind" 64 > "$tmp/in"
    mib=$(( $(stat -c %s "$tmp/in") / 1048576 ))
    # The two alternate, so a slower spell of this shared machine hits both alike.
    t=999 v=999
    for _ in $(seq "$runs"); do
        t=$(min "$t" "$(seconds ./target/release/ttyscribe --format jsonl "$tmp/in")")
        v=$(min "$v" "$(seconds ./target/release/examples/vte_nop "$tmp/in")")
    done
    awk -v k="$kind" -v m="$mib" -v t="$t" -v v="$v" -v s="$(stat -c %s "$tmp/in")" \
        'BEGIN { printf "%-12s %10d %8.0f MB/s %8.0f MB/s %7.2f\n", k, m, s/t/1e6, s/v/1e6, v/t }'
done
