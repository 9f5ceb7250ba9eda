#!/usr/bin/env bash
# Memory and time on a fleet's worth of sessions in one input: N short sessions (the dash
# session of corpus/aws/stream_dash_plain.jsonl under N session ids) as a pretty-printed
# `filter-log-events` document and as JSON Lines. Prints peak RSS, seconds, and the counts of
# commands, errors and session records. Usage: benches/fleet.sh [N...] (default 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for n in "${@:-10000 100000}"; do
  for n1 in $n; do
    python3 - "$n1" "$dir" <<'PY'
import json, sys
n, d = int(sys.argv[1]), sys.argv[2]
t = json.loads(open('corpus/aws/stream_dash_plain.jsonl').read())
events = []
with open(f'{d}/fleet.jsonl', 'w') as jl:
    for i in range(n):
        sid = f"user{i}-{i:017x}"
        e = dict(t, sessionId=sid)
        m = json.dumps(e, separators=(',', ':'))
        jl.write(m + "\n")
        events.append({"logStreamName": sid, "timestamp": 1729027326000 + i, "message": m,
                       "ingestionTime": 1729027327000 + i, "eventId": str(i)})
json.dump({"events": events, "searchedLogStreams": []}, open(f'{d}/fleet.json', 'w'), indent=4)
PY
    for f in fleet.json fleet.jsonl; do
      /usr/bin/time -f "%M %e" -o "$dir/time" target/release/ttyscribe --format jsonl "$dir/$f" >"$dir/out"
      read -r rss secs <"$dir/time"
      printf '%7d sessions %-12s %6.1f MiB  %5.2f s  commands %d  errors %d  session records %d\n' \
        "$n1" "$f" "$(echo "$rss/1024" | bc -l)" "$secs" \
        "$(grep -c '"kind":"command"' "$dir/out")" "$(grep -c '"kind":"error"' "$dir/out" || true)" \
        "$(grep -c '"kind":"session"' "$dir/out")"
    done
  done
done
