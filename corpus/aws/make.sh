#!/bin/sh
# Regenerates the inputs of tests/aws_shapes.rs (run from the project root:
# sh corpus/aws/make.sh). The copied files come from ../shared/corpus-dev; the rest is made
# with ../shared/tools/ssm_sim/ssm_sim.py and the small Python below. Deterministic.
set -eu
D=../shared/corpus-dev
S=../shared/tools/ssm_sim/ssm_sim.py
O=corpus/aws
for s in zsh_plain bash_tab_unique dash_plain; do
    mkdir -p $O/$s
    for f in cloudwatch.jsonl gle.json subscription.jsonl export.gz plain.json; do
        cp $D/$s/$f $O/$s/$f
    done
    chmod 644 $O/$s/*
done
# three sessions streamed at the same time, and filter-log-events over them (interleaved)
for s in zsh_plain bash_tab_unique dash_plain; do
    python3 $S stream $D/$s/raw.bin --ticks auto --tick-bytes 150 --seed 1 --start 2024-10-15T21:22:05.123Z \
        --session-id "$(echo $s | tr _ -)-0a1b2c3d4e5f6a7b8" --out $O/stream_$s.jsonl
done
python3 $S filter-log-events $O/stream_zsh_plain.jsonl $O/stream_bash_tab_unique.jsonl \
    $O/stream_dash_plain.jsonl --out $O/fle3.json
# subscription records: decoded, Python-style escaping, decoded Python-style
python3 $S subscription $O/zsh_plain/cloudwatch.jsonl --decoded --out $O/sub_decoded.jsonl
python3 $S subscription $O/bash_tab_unique/cloudwatch.jsonl --style python --batch-size 2 --out $O/sub_python.jsonl
python3 $S subscription $O/dash_plain/cloudwatch.jsonl --decoded --style python --out $O/sub_decoded_python.jsonl
# a stream with Go 1.22 escapes (\b) and the same stream with Go 1.19 escapes (\u0008)
python3 $S stream $D/ubuntu_history_edit/raw.bin --ticks auto --session-id bob-0123456789abcdef0 --seed 3 --tick-bytes 120 --go122 --out $O/go122.jsonl
python3 $S stream $D/ubuntu_history_edit/raw.bin --ticks auto --session-id bob-0123456789abcdef0 --seed 3 --tick-bytes 120 --out $O/go119.jsonl
# plain-text events (several per session) and their export, not gzipped
python3 $S plain $D/zsh_plain/s3.log --threshold 500 --out $O/plain_small.jsonl
python3 $S export $O/plain_small.jsonl --no-gzip --out $O/export_plain.txt
python3 $S subscription $O/plain_small.jsonl --decoded --out $O/sub_decoded_plain.jsonl
python3 - "$O" <<'PY'
import gzip, json, sys, datetime
o = sys.argv[1]
ev = [json.loads(l) for l in open(f"{o}/zsh_plain/cloudwatch.jsonl")]
ev2 = [json.loads(l) for l in open(f"{o}/bash_tab_unique/cloudwatch.jsonl")]
def ms(e):
    t = datetime.datetime.strptime(e["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000)
# pretty-printed events, concatenated
with open(f"{o}/pretty.json", "w") as f:
    for e in ev:
        f.write(json.dumps(e, indent=2, ensure_ascii=False) + "\n")
# a JSON array of events
with open(f"{o}/array.json", "w") as f:
    json.dump(ev2, f, indent=1)
# gzip of JSON Lines, and the same split into two members
raw = open(f"{o}/zsh_plain/cloudwatch.jsonl", "rb").read()
open(f"{o}/jsonl.gz", "wb").write(gzip.compress(raw, mtime=0))
lines = raw.splitlines(keepends=True)
half = len(lines) // 2
open(f"{o}/jsonl_2members.gz", "wb").write(
    gzip.compress(b"".join(lines[:half]), mtime=0) + gzip.compress(b"".join(lines[half:]), mtime=0))
# three members, the middle one damaged (a byte of its deflate data flipped)
thirds = [b"".join(lines[i::3]) for i in range(3)]
members = [gzip.compress(t, mtime=0) for t in thirds]
bad = bytearray(members[1]); bad[len(bad) // 2] ^= 0xff
open(f"{o}/jsonl_corrupt_member.gz", "wb").write(members[0] + bytes(bad) + members[2])
# Logs Insights: CSV (newest first, as the console exports) and JSON
rows = sorted(((ms(e) + i, e) for i, e in enumerate(ev)), key=lambda r: -r[0])
def its(t):
    d = datetime.datetime.fromtimestamp(t / 1000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t % 1000)
def q(s):
    return '"' + s.replace('"', '""') + '"'
with open(f"{o}/insights.csv", "w", newline="") as f:
    f.write("@timestamp,@message,@logStream,@log\r\n")
    for t, e in rows:
        f.write(",".join([its(t), q(json.dumps(e, ensure_ascii=False, separators=(",", ":"))),
                          e["sessionId"], "123456789012:/aws/ssm/sessions"]) + "\r\n")
with open(f"{o}/insights.json", "w") as f:
    json.dump([{"@timestamp": its(t), "@message": json.dumps(e, separators=(",", ":")),
                "@logStream": e["sessionId"]} for t, e in rows], f, indent=2)
# aws logs tail (detailed): <ISO µs +00:00> <stream> <message>
with open(f"{o}/tail.txt", "w") as f:
    for e in ev2:
        d = datetime.datetime.fromtimestamp(ms(e) / 1000, datetime.timezone.utc)
        f.write(f"{d.isoformat(timespec='microseconds')} {e['sessionId']} {json.dumps(e, separators=(',', ':'))}\n")
# one corrupt line in the middle of JSON Lines
with open(f"{o}/corrupt_line.jsonl", "wb") as f:
    for i, l in enumerate(lines):
        f.write(l[: len(l) // 2] + b"\n" if i == 3 else l)
# a Windows PowerShell transcript (the S3 log of a Windows session)
with open(f"{o}/powershell.txt", "w", newline="") as f:
    f.write("**********************\r\nWindows PowerShell transcript start\r\n"
            "Start time: 20241015212205\r\nUsername: EC2AMAZ-1A2B3C\\ssm-user\r\n"
            "RunAs User: EC2AMAZ-1A2B3C\\ssm-user\r\nMachine: EC2AMAZ-1A2B3C (Microsoft Windows NT 10.0.20348.0)\r\n"
            "Host Application: powershell\r\nProcess ID: 4242\r\nPSVersion: 5.1.20348.2227\r\n"
            "**********************\r\nTranscript started, output file is C:\\ProgramData\\Amazon\\SSM\\alice-0a1b2c3d4e5f6a7b8.log\r\n"
            "PS C:\\Windows\\system32> &'C:\\Program Files\\Amazon\\SSM\\ssm-session-logger.exe' 'C:\\ProgramData\\ipcTempFile.log' true\r\n"
            "PS C:\\Windows\\system32> dir\r\n")
PY
