#!/usr/bin/env bash
# Peak resident memory of the CLI on 1 MiB, 64 MiB and 1 GiB of generated session traffic
# streamed on stdin (`benches/memory.sh [KIND]`, KIND: interactive (default), coloured,
# plain, cloudwatch). Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-interactive}"
cargo build --release -q --bin ttyscribe --example gen_input
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
./target/release/examples/gen_input "$kind" 1 > "$tmp/1"
./target/release/examples/gen_input "$kind" 64 > "$tmp/64"
printf '%-12s %-8s %12s %14s\n' input size "peak RSS" records
for size in 1MiB 64MiB 1GiB; do
    case "$size" in
        1MiB) feed() { cat "$tmp/1"; } ;;
        64MiB) feed() { cat "$tmp/64"; } ;;
        1GiB) feed() { for _ in $(seq 16); do cat "$tmp/64"; done; } ;;
    esac
    feed | /usr/bin/time -f '%M' -o "$tmp/rss" ./target/release/ttyscribe --format jsonl - \
        | wc -l > "$tmp/count"
    printf '%-12s %-8s %9s KiB %14s\n' "$kind" "$size" "$(cat "$tmp/rss")" "$(cat "$tmp/count")"
done
