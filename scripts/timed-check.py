#!/usr/bin/env python3
"""Score ttyscribe on corpus/timed: commands exact, every command timed, durations within 1 s
of truth, forged strings flagged, secrets absent. Usage: scripts/timed-check.py [BIN] [-v]"""
import json, os, subprocess, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = next((a for a in sys.argv[1:] if not a.startswith("-")), os.path.join(ROOT, "target/release/ttyscribe"))
VERBOSE = "-v" in sys.argv

def args_for(d, files):
    if "session.cast" in files: return [os.path.join(d, "session.cast")]
    if "session.ttyrec" in files: return [os.path.join(d, "session.ttyrec")]
    if "io.log" in files: return ["--timing", os.path.join(d, "timing"), os.path.join(d, "io.log")]
    a = ["--timing", os.path.join(d, "timing")]
    if "in.log" in files: a += ["--log-in", os.path.join(d, "in.log")]
    return a + [os.path.join(d, "typescript")]

tot = {}
for name in sorted(os.listdir(os.path.join(ROOT, "corpus/timed"))):
    d = os.path.join(ROOT, "corpus/timed", name)
    truth = json.load(open(os.path.join(d, "truth.json")))
    rec = truth["recorder"]
    p = subprocess.run([BIN, "--format", "jsonl"] + args_for(d, truth["files"]), capture_output=True, text=True)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    cmds = [r for r in recs if r["kind"] == "command" and not r.get("cancelled")]
    got = [c["command"] for c in cmds]
    t = tot.setdefault(rec, dict(sessions=0, exact=0, cmds=0, right=0, timed=0, dur_ok=0, dur_n=0, forged=0, forged_flagged=0, leaks=0))
    t["sessions"] += 1
    t["exact"] += got == truth["commands"]
    t["cmds"] += len(truth["commands"])
    t["right"] += sum(1 for a, b in zip(got, truth["commands"]) if a == b)
    t["timed"] += sum(1 for c in cmds if c.get("time") and "duration" in c)
    for want in truth.get("timed", []):
        m = [c for c in cmds if c["command"] == want["command"] and "duration" in c]
        t["dur_n"] += 1
        if any(abs(c["duration"] - want["duration"]) <= 1.0 for c in m): t["dur_ok"] += 1
    for f in truth.get("forged", []):
        t["forged"] += 1
        hit = [c for c in cmds if f in c["command"]]
        if hit and all(c.get("suspicious") or c.get("uncertain") for c in hit) or not hit: t["forged_flagged"] += 1
    for s in truth.get("secret", []):
        t["leaks"] += s in p.stdout
    if VERBOSE and (got != truth["commands"] or p.returncode not in (0,)):
        print(name, "rc", p.returncode, p.stderr.strip()[:200]); print("  want", truth["commands"]); print("  got ", got)
for rec, t in tot.items():
    print(f"{rec:20} sessions {t['exact']}/{t['sessions']} exact, commands {t['right']}/{t['cmds']}, "
          f"timed {t['timed']}/{t['cmds']}, durations ±1s {t['dur_ok']}/{t['dur_n']}, "
          f"forged flagged {t['forged_flagged']}/{t['forged']}, secret leaks {t['leaks']}")
