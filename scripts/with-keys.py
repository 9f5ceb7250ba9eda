#!/usr/bin/env python3
"""Parser wrapper for score.py: reads corpus/sessions/<name>/raw.bin with the script timing
log its meta.json holds and its keystrokes (keys.bin), as `script -T -I -m advanced` kept them.
    python3 ../shared/tools/score.py --parser 'python3 scripts/with-keys.py {input}' \
        --corpus corpus/sessions --shape raw --forged"""
import json, os, subprocess, sys, tempfile

raw = sys.argv[1]
d = os.path.dirname(raw)
meta = json.load(open(os.path.join(d, "meta.json")))
with tempfile.NamedTemporaryFile("w", suffix=".timing", delete=False) as f:
    prev = 0.0
    for at, kind, n in meta["timing"]:
        f.write(f"{kind} {max(at - prev, 0):.6f} {n}\n")
        prev = at
binary = os.environ.get("TTYSCRIBE", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target/release/ttyscribe"))
try:
    p = subprocess.run([binary, "--format", "jsonl", "--timing", f.name, "--log-in", os.path.join(d, "keys.bin"), raw])
finally:
    os.unlink(f.name)
sys.exit(p.returncode)
