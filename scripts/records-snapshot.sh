#!/usr/bin/env bash
# Writes the JSON Lines records of every corpus input (corpus/ and ../shared/corpus-dev) into
# DIR, one file each, so two builds can be compared with `diff -r`. Usage:
#   scripts/records-snapshot.sh DIR [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: records-snapshot.sh DIR [BINARY]}
bin=${2:-target/release/ttyscribe}
mkdir -p "$out"
find corpus ../shared/corpus-dev -type f \( -name '*.bin' -o -name '*.log' -o -name '*.json' -o -name '*.jsonl' -o -name '*.gz' -o -name '*.csv' -o -name '*.txt' \) \
  ! -name 'truth.json' ! -name 'meta.json' ! -name 'keys.bin' ! -name 'screen.txt' | sort |
while read -r f; do
  name=$(printf '%s' "$f" | tr '/' '_')
  "$bin" --format jsonl "$f" >"$out/$name" 2>/dev/null || true
done
echo "$(ls "$out" | wc -l) inputs written to $out"
