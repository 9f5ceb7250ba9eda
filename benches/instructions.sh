#!/usr/bin/env bash
# Instructions per input byte of a ttyscribe binary (callgrind, exact and repeatable, unlike
# wall time on a shared VM), CLI to JSON Lines, on the first 4 MB of each generated bench
# input and on every raw corpus session concatenated. Usage:
#   benches/instructions.sh [BINARY]     (default target/release/ttyscribe)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/ttyscribe}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)"; exit 1; }
cargo build --release -q --example gen_input
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for kind in interactive coloured plain cloudwatch; do
  target/release/examples/gen_input "$kind" 8 | head -c 4000000 >"$dir/$kind" || true
done
# Whole JSON lines only, so that the CloudWatch input has no cut-off event to report.
sed '$d' "$dir/cloudwatch" >"$dir/cw" && mv "$dir/cw" "$dir/cloudwatch"
find corpus/sessions -name raw.bin | sort | xargs cat >"$dir/corpus"
for input in interactive coloured plain cloudwatch corpus; do
  f="$dir/$input"
  # A raw format for the corpus: its sessions are raw pty logs one after another.
  fmt=auto; [ "$input" = corpus ] && fmt=raw
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg" "$bin" --input "$fmt" --format jsonl "$f" \
    >/dev/null 2>"$dir/log" || true
  ir=$(grep -o 'Collected : [0-9]*' "$dir/log" | grep -o '[0-9]*$')
  printf '%-12s %10d bytes %6.2f instructions/byte\n' "$input" "$(stat -c %s "$f")" \
    "$(echo "$ir / $(stat -c %s "$f")" | bc -l)"
done
