#!/usr/bin/env python3
"""Print the throughput table of the last `cargo bench --bench throughput` run (Markdown),
from criterion's estimates in target/criterion: median MB/s per engine and group, and
ttyscribe's ratio to each peer (above 1.0: ttyscribe is faster)."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
groups = ["plain", "coloured", "interactive", "cloudwatch", "corpus"]
engines = ["ttyscribe", "vte-0.15-nop", "strip-ansi-escapes", "vt100-24x80", "serde_json-events"]


def mbps(group, engine):
    d = root / group / engine / "new"
    try:
        bench = json.loads((d / "benchmark.json").read_text())
        est = json.loads((d / "estimates.json").read_text())
    except FileNotFoundError:
        return None
    return bench["throughput"]["Bytes"] / (est["median"]["point_estimate"] / 1e9) / 1e6


print("| input | " + " | ".join(engines) + " | ttyscribe ÷ each peer |")
print("|---|" + "---:|" * len(engines) + "---|")
for g in groups:
    row = {e: mbps(g, e) for e in engines}
    if row["ttyscribe"] is None:
        continue
    cells = [f"{row[e]:.0f}" if row[e] else "–" for e in engines]
    ratios = ", ".join(
        f"{e.split('-')[0]} {row['ttyscribe'] / row[e]:.2f}" for e in engines[1:] if row[e]
    )
    print(f"| {g} | " + " | ".join(cells) + f" | {ratios} |")
