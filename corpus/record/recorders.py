"""Terminal recorders that log timing (and keystrokes), for record.py --recorder (corpus/timed/).

Each recorder runs where record.py's default `script` runs: inside tmux, under setpriv as uid 1000,
with SHELL=/bin/sh, wrapping `exec env SHELL=<shell> <shell> -i` (run through /bin/sh -c).  Its own
files are written to the scratch rec/ dir and copied unmodified into corpus/timed/<scenario>__<recorder>/.

This module also reads those files back (output and input byte streams with their times), so the
recorder can check every recording against the bytes tmux itself received from the pane.
Standard library only.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import struct
import subprocess

from profiles import first_line

# the cargo-installed asciinema 3.x (root's ~/.cargo/bin is not readable by uid 1000: it is copied
# into the scratch dir first); the Debian one is /usr/bin/asciinema (2.2.0, python, asciicast v2)
ASCIINEMA3 = os.environ.get("ASCIINEMA3", os.path.expanduser("~/.cargo/bin/asciinema"))
ASCIINEMA2 = "/usr/bin/asciinema"


def _q(s: str) -> str:
    return shlex.quote(s)


# name -> (files, the file whose creation marks the recording start, command template)
# {d} = the scratch rec/ dir, {cmd} = the command to record (quoted), {a3} = the asciinema 3 binary
RECORDERS: dict[str, dict] = {
    "asciinema2": dict(
        files=["session.cast"], start="session.cast",
        argv="{a2} rec --stdin -q -c {cmd} {d}/session.cast"),
    "asciinema2-noinput": dict(
        files=["session.cast"], start="session.cast",
        argv="{a2} rec -q -c {cmd} {d}/session.cast"),
    "asciinema3": dict(
        files=["session.cast"], start="session.cast",
        argv="{a3} rec --capture-input --output-format asciicast-v3 -q -c {cmd} {d}/session.cast"),
    "script-classic": dict(
        files=["typescript", "timing"], start="typescript",
        argv="script -q -f -t{d}/timing {d}/typescript -c {cmd}"),
    "script-advanced": dict(
        files=["typescript", "in.log", "timing"], start="typescript",
        argv="script -q -f --log-out {d}/typescript --log-in {d}/in.log --log-timing {d}/timing "
             "-m advanced -c {cmd}"),
    "script-logio": dict(
        files=["io.log", "timing"], start="io.log",
        argv="script -q -f --log-io {d}/io.log --log-timing {d}/timing -m advanced -c {cmd}"),
    "ttyrec": dict(
        files=["session.ttyrec"], start="session.ttyrec",
        argv="ttyrec -e {cmd} {d}/session.ttyrec"),
}
MAIN = ["asciinema2", "asciinema3", "script-classic", "script-advanced", "script-logio", "ttyrec"]


def command(name: str, rec_dir: str, inner_cmd: str, a3: str) -> str:
    return RECORDERS[name]["argv"].format(a2=ASCIINEMA2, a3=_q(a3), d=rec_dir, cmd=_q(inner_cmd))


def stage_asciinema3(scratch: str) -> str:
    """Copy the asciinema 3 binary where uid 1000 can run it; return its path."""
    if not os.path.exists(ASCIINEMA3):
        raise RuntimeError(f"asciinema 3 not found at {ASCIINEMA3} (cargo install --locked asciinema)")
    dst = os.path.join(scratch, "bin", "asciinema3")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.chmod(os.path.dirname(dst), 0o755)
    if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(ASCIINEMA3):
        shutil.copy2(ASCIINEMA3, dst + ".tmp")
        os.chmod(dst + ".tmp", 0o755)
        os.replace(dst + ".tmp", dst)
    return dst


def version(name: str, a3: str | None = None) -> str:
    if name.startswith("asciinema2"):
        return first_line([ASCIINEMA2, "--version"])
    if name == "asciinema3":
        return first_line([a3 or ASCIINEMA3, "--version"])
    if name.startswith("script"):
        return first_line(["script", "--version"])
    if name == "ttyrec":
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "ttyrec"], stdout=subprocess.PIPE)
        return "ttyrec " + r.stdout.decode().strip() + " (Debian package; ttyrec has no --version)"
    raise ValueError(name)


# --------------------------------------------------------------------------------------------
# reading the files back: a list of (t_seconds, "o"|"i"|"r", bytes-or-str), t from recording start


SCRIPT_HEAD = re.compile(rb"Script started on [^\n]*\n")
SCRIPT_FOOT = re.compile(rb"\nScript done on [^\n]*\n\Z")


def _script_body(data: bytes, n: int, path: str) -> bytes:
    m = SCRIPT_HEAD.match(data)
    if not m:
        raise RuntimeError(f"{path}: no util-linux header")
    body, tail = data[m.end():m.end() + n], data[m.end() + n:]
    if not SCRIPT_FOOT.fullmatch(tail):
        raise RuntimeError(f"{path}: unexpected text after the timed bytes: {tail[:120]!r}")
    return body


def read_cast(path: str) -> tuple[dict, list]:
    lines = open(path, encoding="utf-8").read().split("\n")
    header = json.loads(lines[0])
    ver = header.get("version")
    events, t = [], 0.0
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        ev = json.loads(line)
        t = t + ev[0] if ver == 3 else ev[0]   # v3: interval since the previous event
        events.append((round(t, 6), ev[1], ev[2]))
    return header, events


def read_ttyrec(path: str) -> list:
    data = open(path, "rb").read()
    out, i, t0 = [], 0, None
    while i < len(data):
        if i + 12 > len(data):
            raise RuntimeError(f"{path}: truncated header at {i}")
        sec, usec, n = struct.unpack("<III", data[i:i + 12])
        t = sec + usec / 1e6
        t0 = t if t0 is None else t0
        out.append((round(t - t0, 6), "o", data[i + 12:i + 12 + n]))
        i += 12 + n
    return out


def read_script(d: str, name: str) -> list:
    """script-classic / -advanced / -logio: events from the timing log and the log file(s)."""
    timing = open(os.path.join(d, "timing"), encoding="utf-8").read().splitlines()
    rows, t = [], 0.0
    for line in timing:
        if name == "script-classic":
            delay, n = line.split(" ")
            t += float(delay)
            rows.append((t, "O", int(n)))
        else:
            kind, delay, rest = line.split(" ", 2)
            if kind == "H":
                continue
            t += float(delay)
            rows.append((t, kind, int(rest) if kind in ("O", "I") else rest))
    n_out = sum(n for _, k, n in rows if k == "O")
    n_in = sum(n for _, k, n in rows if k == "I")
    logs = {}
    if name == "script-logio":
        p = os.path.join(d, "io.log")
        both = _script_body(open(p, "rb").read(), n_out + n_in, p)
        logs["IO"] = both
    else:
        p = os.path.join(d, "typescript")
        logs["O"] = _script_body(open(p, "rb").read(), n_out, p)
        if name == "script-advanced":
            p = os.path.join(d, "in.log")
            logs["I"] = _script_body(open(p, "rb").read(), n_in, p)
    pos = {"O": 0, "I": 0, "IO": 0}
    out = []
    for t, k, v in rows:
        if k == "S":
            out.append((round(t, 6), "r", v))
            continue
        src = "IO" if "IO" in logs else k
        b = logs[src][pos[src]:pos[src] + v]
        pos[src] += v
        out.append((round(t, 6), k.lower(), b))
    return out


def read_events(name: str, d: str) -> tuple[dict, list]:
    if name.startswith("asciinema"):
        return read_cast(os.path.join(d, "session.cast"))
    if name == "ttyrec":
        return {}, read_ttyrec(os.path.join(d, "session.ttyrec"))
    return {}, read_script(d, name)


def streams(events: list) -> tuple[bytes, bytes]:
    def b(x):
        return x if isinstance(x, bytes) else x.encode("utf-8")
    return (b"".join(b(v) for _, k, v in events if k == "o"),
            b"".join(b(v) for _, k, v in events if k == "i"))
