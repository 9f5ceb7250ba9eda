#!/usr/bin/env python3
"""Make the AWS-side shapes of every recorded session (Python 3.11, standard library only).

For every ``corpus/sessions/<name>/`` (which already holds raw.bin, s3.log and the streamed
events cloudwatch.jsonl made by ``ssm_sim.py stream``), this adds:

  gle.json            ``get-log-events --start-from-head`` over cloudwatch.jsonl
  subscription.jsonl  ``subscription`` over cloudwatch.jsonl (payloads of 8 events)
  export.gz           ``export`` (export-to-S3 object) over cloudwatch.jsonl
  plain.json          ``get-log-events --start-from-head`` over the plain-text events that
                      ``ssm_sim.py plain`` makes of s3.log (stamped at the session end)

and ``corpus/cloudwatch/filter_*.json``: ``filter-log-events`` over the cloudwatch.jsonl of 3-4
sessions of different shells recorded at overlapping times (so their events interleave), plus
``corpus/cloudwatch/README.md`` listing them.

Deterministic: every random choice of ssm_sim (eventId, ingestionTime, jitter) is seeded with
the CRC-32 of the session (or file) name, and times come from meta.json (``cloudwatch_start``
plus one second per tick of ``cloudwatch_ticks`` = the end of the recording). gzip members are
written with mtime 0 by ssm_sim. Re-running this script reproduces the files byte for byte.

Usage (from the project root):  python3 corpus/record/make_shapes.py [--sim PATH] [SESSION ...]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SESSIONS = os.path.join(ROOT, "corpus", "sessions")
CLOUDWATCH = os.path.join(ROOT, "corpus", "cloudwatch")
DEFAULT_SIM = os.path.join(os.path.dirname(ROOT), "shared", "tools", "ssm_sim", "ssm_sim.py")

# filter-log-events files: sessions of different shells whose recordings overlap in time, so
# their events really interleave in the output (see the README written below).
FILTERS: dict[str, list[str]] = {
    "filter_ubuntu_sh_dash": ["ubuntu_long_wrap_80", "sh_continuation_heredoc", "dash_heredoc_loop_read"],
    "filter_zsh_fish_mksh": ["zsh_rprompt_resize", "fish_blocks", "mksh_edit_keys"],
    "filter_wrap_four_shells": ["zsh_wrap_across_60", "mksh_multiline_ctrl_c", "fish_prefix_search", "sh_wrap_40"],
    "filter_ctrl_l_clear": ["bash_ctrl_l_clear", "zsh_ctrl_l_clear", "fish_ctrl_l_clear", "mksh_long_output_clear"],
    "filter_utf8": ["ubuntu_utf8_cd_minus", "sh_root_utf8_paste_tab", "dash_utf8_40", "mksh_up_ctrl_c"],
    "filter_paste_greeting": ["zsh_paste_three_lines", "nobp_paste_three_lines", "dash_top_cat_ctrl_d", "fish_greeting_words"],
    "filter_tab_small_screens": ["debian_tab_more_40", "fish_tab_pager_50", "zsh_tab_ask_40"],
}


def seed(name: str) -> str:
    return str(zlib.crc32(name.encode()))


def run(sim: str, *args: str) -> None:
    subprocess.run([sys.executable, sim, *args], check=True)


def session_end(meta: dict) -> str:
    """The recording end: streaming started one second per tick before it."""
    start = datetime.datetime.fromisoformat(meta["cloudwatch_start"].replace("Z", "+00:00"))
    end = start + datetime.timedelta(seconds=len(meta["cloudwatch_ticks"]))
    return end.strftime("%Y-%m-%dT%H:%M:%S.") + f"{end.microsecond // 1000:03d}Z"


def make_session(sim: str, name: str, tmp: str) -> None:
    d = os.path.join(SESSIONS, name)
    with open(os.path.join(d, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    cw = os.path.join(d, "cloudwatch.jsonl")
    s = seed(name)
    run(sim, "get-log-events", cw, "--start-from-head", "--seed", s, "--out", os.path.join(d, "gle.json"))
    run(sim, "subscription", cw, "--batch-size", "8", "--seed", s, "--out", os.path.join(d, "subscription.jsonl"))
    run(sim, "export", cw, "--out", os.path.join(d, "export.gz"))
    plain_events = os.path.join(tmp, f"{name}.plain.jsonl")
    run(sim, "plain", os.path.join(d, "s3.log"), "--start", session_end(meta), "--seed", s, "--out", plain_events)
    run(sim, "get-log-events", plain_events, "--start-from-head", "--stream-name", meta["ids"]["session_id"],
        "--seed", s, "--out", os.path.join(d, "plain.json"))


def make_filters(sim: str) -> None:
    os.makedirs(CLOUDWATCH, exist_ok=True)
    lines = [
        "# corpus/cloudwatch — filter-log-events over several sessions",
        "",
        "Made by `corpus/record/make_shapes.py` with `ssm_sim.py filter-log-events` over the",
        "`cloudwatch.jsonl` of each listed session of `corpus/sessions/`. The sessions of a file use",
        "different shells and were recorded at overlapping times, so their events interleave by",
        "timestamp. `tests/roundtrip.rs` groups the commands by `session_id` and compares each group",
        "with the raw shape of that session.",
        "",
        "| file | sessions (session id) |",
        "|---|---|",
    ]
    for fname, names in FILTERS.items():
        inputs = [os.path.join(SESSIONS, n, "cloudwatch.jsonl") for n in names]
        run(sim, "filter-log-events", *inputs, "--seed", seed(fname), "--out", os.path.join(CLOUDWATCH, fname + ".json"))
        desc = []
        for n in names:
            with open(os.path.join(SESSIONS, n, "meta.json"), encoding="utf-8") as f:
                sid = json.load(f)["ids"]["session_id"]
            desc.append(f"`{n}` ({sid})")
        lines.append(f"| `{fname}.json` | " + ", ".join(desc) + " |")
    with open(os.path.join(CLOUDWATCH, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sim", default=DEFAULT_SIM, help="path of ssm_sim.py")
    ap.add_argument("sessions", nargs="*", help="session names (default: all)")
    a = ap.parse_args()
    names = a.sessions or sorted(
        n for n in os.listdir(SESSIONS) if os.path.isfile(os.path.join(SESSIONS, n, "cloudwatch.jsonl"))
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in names:
            make_session(a.sim, n, tmp)
    if not a.sessions:
        make_filters(a.sim)
    return 0


if __name__ == "__main__":
    sys.exit(main())
