#!/usr/bin/env bash
# Seeds each target's corpus (DIR/<target>/, fuzz/corpus/ by default) with the project's
# corpus files under 16 KiB; the stream target's seeds get a header choosing a format and
# chunk sizes.   fuzz/seed.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-corpus}
files=$(find ../corpus -type f -size -16k ! -name '*.sh' ! -name '*.md' ! -name '*.json' -o -type f -size -16k -name '*.json' ! -name 'truth.json' ! -name 'meta.json' | sort)
for t in auto raw script cloudwatch stream; do
  mkdir -p "$out/$t"
  i=0
  for f in $files; do
    i=$((i + 1))
    if [ "$t" = stream ]; then
      # format (i mod 4), no width, two chunk sizes: 8 bytes and 64.
      { printf "\\x$(printf %02x $((i % 4)))\\x00\\x02\\x07\\x80"; cat "$f"; } >"$out/$t/seed-$i"
    else
      cp "$f" "$out/$t/seed-$i"
    fi
  done
done
echo "seeded $(ls "$out/auto" | wc -l) inputs per target in $out"
