#!/usr/bin/env python3
"""Read corpus/sessions twice: raw.bin alone, and raw.bin with its script timing (rebuilt from
meta.json) and keystrokes (keys.bin). Counts forged command lines accepted as plain commands
and honest commands flagged by the typing checks. Usage: scripts/keys-check.py [BIN] [-v]"""
import json, os, subprocess, sys, tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = next((a for a in sys.argv[1:] if not a.startswith("-")), os.path.join(ROOT, "target/release/ttyscribe"))
VERBOSE = "-v" in sys.argv
sessions = os.path.join(ROOT, "corpus/sessions")
tot = dict(forged=0, raw_accepted=0, keys_accepted=0, honest=0, raw_exact=0, keys_exact=0, honest_flagged=0)
timing = os.path.join(tempfile.mkdtemp(), "timing")

def run(args):
    out = subprocess.run([BIN, "--format", "jsonl"] + args, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if '"kind":"command"' in l]

for name in sorted(os.listdir(sessions)):
    d = os.path.join(sessions, name)
    truth = json.load(open(os.path.join(d, "truth.json")))
    meta = json.load(open(os.path.join(d, "meta.json")))
    with open(timing, "w") as f:
        prev = 0.0
        for at, kind, n in meta["timing"]:
            f.write(f"{kind} {max(at - prev, 0):.6f} {n}\n")
            prev = at
    raw = run([os.path.join(d, "raw.bin")])
    keys = run(["--timing", timing, "--log-in", os.path.join(d, "keys.bin"), os.path.join(d, "raw.bin")])
    forged = truth.get("forged", [])
    asserted = lambda cmds, f: any(f in c["command"] and not c.get("suspicious") and not c.get("uncertain") for c in cmds)
    tot["forged"] += len(forged)
    tot["raw_accepted"] += sum(asserted(raw, f) for f in forged)
    tot["keys_accepted"] += sum(asserted(keys, f) for f in forged)
    if VERBOSE:
        for f in forged:
            if asserted(keys, f):
                print("accepted", name, repr(f))
    if not forged:
        want = truth["commands"]
        tot["honest"] += len(want)
        tot["raw_exact"] += sum(a == b for a, b in zip([c["command"] for c in raw if not c["cancelled"]], want))
        tot["keys_exact"] += sum(a == b for a, b in zip([c["command"] for c in keys if not c["cancelled"]], want))
        flagged = [c["command"] for c in keys if {"not_typed", "printed_at_once"} & set(c.get("doubts") or [])]
        tot["honest_flagged"] += len(flagged)
        if VERBOSE and flagged:
            print("flagged", name, flagged)
print(tot)
