#!/usr/bin/env python3
"""Record real interactive shell sessions for the ttyscribe test corpus.

    python3 corpus/record/record.py --scenario NAME [--scenario GLOB ...]
    python3 corpus/record/record.py --all [--jobs 1]
    python3 corpus/record/record.py --list
    python3 corpus/record/record.py --all --recorder all      # the timed_* scenarios -> corpus/timed/

Python 3.11, standard library only.  Must run as root (it uses private mount + UTS namespaces,
bind mounts and setpriv).  Needs tmux, util-linux `script`/`unshare`/`setpriv`, bash, dash, zsh,
fish, mksh, strace, python3, vim, less, top.

Per scenario (see scenarios.py) the recorder

1. lays out a scratch dir /tmp/ttyrec/<name>/ with a HOME template, rc files, a passwd/group pair
   where the profile's user is uid 1000, and a ground-truth dir gt/;
2. starts a detached tmux session on its own socket (`tmux -L ttyscribe-rec`, fixed size, status
   off, window-size manual) running `unshare -m -u sh inner.sh`; inner.sh sets the hostname, mounts a
   tmpfs on /home, copies the HOME in, bind-mounts passwd/group and the rc files that carry the
   ground-truth hooks, then execs
       setpriv --reuid=1000 ... env -i PATH=... HOME=... TERM=xterm-256color LANG=C.UTF-8 ...
         script -q -f -O raw -I keys -T timing -m advanced -c "<shell> -i"
3. drives the keys with `tmux send-keys` (~35 ms apart), pastes with set-buffer + paste-buffer -p,
   waits after every action until the raw log has been quiet for ~0.25 s;
4. ends with `exit` (declared as the last action) or, for end == "terminate", SIGKILLs every
   process below `script` (like TerminateSession);
5. checks the shell's own record (bash/sh HISTFILE, zsh preexec, fish fish_preexec, mksh HISTFILE,
   dash strace) against the scenario's declared commands (and that cancelled lines are absent),
   retries up to 3 times, else writes nothing;
6. writes corpus/sessions/<name>/{raw.bin,keys.bin,s3.log,cloudwatch.jsonl,truth.json,meta.json}:
   raw.bin = the `script -O` log minus util-linux's header line and footer; s3.log = really running
   `script <sid>.log -c "cat /var/lib/amazon/ssm/<inst>/session/orchestration/<sid>/Standard_Stream/
   ipcTempFile.log" </dev/null` in a private mount namespace (tmpfs on /var/lib) with
   ipcTempFile.log = `ssm_sim.py ipc raw.bin`; cloudwatch.jsonl = `ssm_sim.py stream` with tick
   offsets derived from the script timing log.

With --recorder R (recorders.py: asciinema2[-noinput], asciinema3, script-classic, script-advanced,
script-logio, ttyrec) step 2 execs R instead of `script` (inner.sh first waits until tmux pipe-pane is
attached), the actions are timed against the pane output, and step 6 writes
corpus/timed/<name>__<R>/: R's own files unmodified, truth.json (+ recorder, files, timed, secret) and
meta.json, after checking that R's output stream read back equals what tmux got from the pane.
"""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scenarios as S  # noqa: E402
import recorders as R  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DEFAULT = os.path.join(REPO, "corpus", "sessions")
OUT_TIMED = os.path.join(REPO, "corpus", "timed")
SSM_SIM = os.environ.get("SSM_SIM", "/work/shared/tools/ssm_sim/ssm_sim.py")
SCRATCH = "/tmp/ttyrec"
SOCK = "ttyscribe-rec"
TSESS = "rec"
UID = 1000
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KEY_GAP = 0.035          # seconds between two keystrokes
QUIET = 0.25             # pty output quiet time that ends an action
VERBOSE = False


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd: list[str], check=True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=check, **kw)


def tmux(*args: str, check=True, capture=False) -> str:
    r = subprocess.run(["tmux", "-L", SOCK, *args], check=False,
                       stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    if check and r.returncode:
        raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr.decode(errors='replace').strip()}")
    return r.stdout.decode("utf-8", "replace") if capture else ""


# --------------------------------------------------------------------------------------------
# scratch layout


def write(path: str, data: str | bytes, mode: int = 0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)


def passwd_group(user: str, shell_path: str) -> tuple[str, str]:
    pw = [l for l in open("/etc/passwd").read().splitlines()
          if l and l.split(":")[2] != str(UID) and l.split(":")[0] != user]
    pw.append(f"{user}:x:{UID}:{UID}::/home/{user}:{shell_path}")
    gr = [l for l in open("/etc/group").read().splitlines()
          if l and l.split(":")[2] != str(UID) and l.split(":")[0] != user]
    gr.append(f"{user}:x:{UID}:")
    return "\n".join(pw) + "\n", "\n".join(gr) + "\n"


def prepare(scen: dict, prof: dict, base: str) -> dict:
    """Create /tmp/ttyrec/<name>/ and return paths."""
    if os.path.exists(base):
        shutil.rmtree(base)
    os.makedirs(base)
    os.chmod(base, 0o755)
    user = prof["user"]
    gt = os.path.join(base, "gt")
    os.makedirs(gt)
    os.chmod(gt, 0o777)
    rec = os.path.join(base, "rec")
    os.makedirs(rec)
    os.chmod(rec, 0o777)
    home_tpl = os.path.join(base, "home")
    for rel, (content, mode) in S.home_files(prof).items():
        write(os.path.join(home_tpl, rel), content, mode)
    for rel, (content, mode) in scen.get("extra_files", {}).items():
        write(os.path.join(home_tpl, rel), content, mode)
    rc = os.path.join(base, "rc")
    os.makedirs(rc)
    os.chmod(rc, 0o755)
    pw, gr = passwd_group(user, prof["shell_path"])
    write(os.path.join(rc, "passwd"), pw)
    write(os.path.join(rc, "group"), gr)
    binds = [(os.path.join(rc, "passwd"), "/etc/passwd"), (os.path.join(rc, "group"), "/etc/group")]
    env = {}
    shell = prof["shell"]
    gtfile = None
    if shell in ("bash", "sh"):
        gtfile = os.path.join(gt, "bash_history")
        block = S.bash_gt_block(gtfile)
        write(os.path.join(rc, "bash.bashrc"), open("/etc/bash.bashrc").read() + "\n" + block)
        binds.append((os.path.join(rc, "bash.bashrc"), "/etc/bash.bashrc"))
        write(os.path.join(rc, "shenv.sh"), block)
        env["ENV"] = os.path.join(rc, "shenv.sh")
    elif shell == "zsh":
        gtfile = os.path.join(gt, "zsh_preexec")
        write(os.path.join(rc, "zshrc"), open("/etc/zsh/zshrc").read() + "\n" + S.zsh_gt_block(gtfile))
        binds.append((os.path.join(rc, "zshrc"), "/etc/zsh/zshrc"))
    elif shell == "fish":
        gtfile = os.path.join(gt, "fish_preexec")
        write(os.path.join(rc, "config.fish"), open("/etc/fish/config.fish").read() + "\n" + S.fish_gt_block(gtfile, prof.get("fish_greeting", False)))
        binds.append((os.path.join(rc, "config.fish"), "/etc/fish/config.fish"))
    elif shell == "mksh":
        gtfile = os.path.join(gt, "mksh_history")
        write(os.path.join(rc, "mkshrc"), open("/etc/mkshrc").read() + "\n" + S.mksh_gt_block(gtfile))
        binds.append((os.path.join(rc, "mkshrc"), "/etc/mkshrc"))
    elif shell == "dash":
        gtfile = os.path.join(gt, "strace.txt")
    seed = scen.get("history_seed", [])
    if seed:
        if shell in ("bash", "sh"):
            t0 = 1714000000
            write(gtfile, "".join(f"#{t0 + 60 * i}\n{c}\n" for i, c in enumerate(seed)), 0o666)
        elif shell == "zsh":
            write(os.path.join(home_tpl, ".zsh_history"), "".join(c + "\n" for c in seed), 0o600)
        elif shell == "fish":
            write(os.path.join(home_tpl, ".local/share/fish/fish_history"),
                  "".join(f"- cmd: {c}\n  when: {1714000000 + 60 * i}\n" for i, c in enumerate(seed)), 0o600)
        else:
            raise ValueError(f"history_seed not supported for {shell}")
    seed_n = len(seed) if shell in ("bash", "sh") else 0
    shell_cmd = prof["argv"]
    if shell == "dash":
        shell_cmd = f"strace -o {gtfile} -qq -e trace=read,write -e signal=none -s 65535 -xx dash -i"
    return dict(base=base, gt=gt, gtfile=gtfile, seed_n=seed_n, rec=rec, home_tpl=home_tpl, rc=rc, binds=binds,
                env=env, shell_cmd=shell_cmd)


def inner_script(scen: dict, prof: dict, p: dict, recorder: str | None = None, a3: str = "") -> str:
    user = prof["user"]
    home = f"/home/{user}"
    lines = ["set -e", f"hostname {prof['host']}",
             "mount -t tmpfs -o mode=755 tmpfs /home",
             f"cp -a {p['home_tpl']} {home}",
             f"chown -R {UID}:{UID} {home}"]
    for src, dst in p["binds"]:
        lines.append(f"mount --bind {src} {dst}")
    if prof.get("sh_is_bash"):
        # Amazon Linux: /bin/sh is bash (bash in POSIX mode, prompt sh-5.2$)
        lines.append("mount --bind /usr/bin/bash /usr/bin/dash")
    cwd = prof.get("cwd", home)
    lines.append(f"cd {cwd}")
    env = {"PATH": PATH, "HOME": home, "USER": user, "LOGNAME": user, "TERM": "xterm-256color",
           "LANG": "C.UTF-8", "TZ": "UTC"}
    env.update(p["env"])
    env.update(prof.get("env", {}))
    envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    rec = p["rec"]
    # script runs -c through $SHELL; run it through /bin/sh and exec the real shell so that no
    # extra shell layer sits between script and the interactive shell.
    inner_cmd = f"exec env SHELL={prof['shell_path']} {p['shell_cmd']}"
    if recorder is None:
        rec_cmd = f"script -q -f -O {rec}/raw -I {rec}/keys -T {rec}/timing -m advanced -c {shlex.quote(inner_cmd)}"
    else:
        # --recorder: tmux pipe-pane must be attached before the first byte; the driver creates go
        rec_cmd = R.command(recorder, rec, inner_cmd, a3)
        lines.append(f"while [ ! -e {p['base']}/go ]; do sleep 0.005; done")
    lines.append(
        f"exec setpriv --reuid={UID} --regid={UID} --clear-groups "
        f"env -i {envs} SHELL=/bin/sh {rec_cmd}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# driving


def fsize(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def wait_quiet(path: str, quiet: float = QUIET, timeout: float = 15.0, min_wait: float = 0.0):
    t0 = time.time()
    last = fsize(path)
    last_change = time.time()
    while True:
        time.sleep(0.03)
        now = time.time()
        s = fsize(path)
        if s != last:
            last, last_change = s, now
        if now - t0 >= min_wait and now - last_change >= quiet:
            return
        if now - t0 > timeout:
            return


def pane_dead() -> bool:
    out = tmux("display-message", "-p", "-t", TSESS, "#{pane_dead}", check=False, capture=True)
    return out.strip() == "1"


def pane_pid() -> int:
    return int(tmux("display-message", "-p", "-t", TSESS, "#{pane_pid}", capture=True).strip())


def send_char(ch: str):
    b = ch.encode("utf-8")
    if len(b) == 1:
        tmux("send-keys", "-t", TSESS, "-H", b.hex())
    else:
        tmux("send-keys", "-t", TSESS, "-l", ch)


def enter_key(clock: list | None):
    t = time.monotonic()
    tmux("send-keys", "-t", TSESS, "Enter")
    if clock is not None:   # the key is written to the pane between these two times
        clock.append(("enter", t, time.monotonic()))


def do_actions(actions: list, raw: str, clock: list | None = None) -> list:
    """Run the actions; return the list actually performed (normalised, for meta.json).

    clock (timed recordings): gets ("enter", t_called, t_returned) for every Enter sent and
    ("mark", t, step) for the ("mark", step) actions that timed scenarios put before each step
    (marks are not in the returned list)."""
    done = []
    for act in actions:
        kind = act[0]
        if kind == "mark":
            if clock is not None:
                clock.append(("mark", time.monotonic(), act[1]))
            continue
        if kind == "type":
            text = act[1]
            for ch in text:
                if ch == "\n":
                    enter_key(clock)
                    wait_quiet(raw, 0.3, 15)
                else:
                    send_char(ch)
                    time.sleep(KEY_GAP)
            wait_quiet(raw, 0.2, 5)
            done.append(["type", text, 0.2])
        elif kind == "key":
            name = act[1]
            n = act[2] if len(act) > 2 else 1
            for _ in range(n):
                if name.startswith("raw:"):   # exact bytes, e.g. raw:1b4f48 = ESC O H (xterm Home, keypad mode)
                    tmux("send-keys", "-t", TSESS, "-H", *[name[4 + i:6 + i] for i in range(0, len(name) - 4, 2)])
                else:
                    tmux("send-keys", "-t", TSESS, name)
                time.sleep(KEY_GAP)
            wait_quiet(raw, QUIET, 10)
            done.append(["key", name, n])
        elif kind == "enter":
            timeout = act[1] if len(act) > 1 else 15
            enter_key(clock)
            wait_quiet(raw, 0.3, timeout)
            done.append(["enter", 0.3, timeout])
        elif kind == "paste":
            text = act[1]
            tmux("set-buffer", "-b", "recpaste", "--", text)
            tmux("paste-buffer", "-p", "-d", "-b", "recpaste", "-t", TSESS)
            wait_quiet(raw, 0.3, 10)
            done.append(["paste", text])
        elif kind == "sleep":
            time.sleep(act[1])
            wait_quiet(raw, QUIET, 10)
            done.append(["sleep", act[1]])
        elif kind == "resize":
            tmux("resize-window", "-t", TSESS, "-x", str(act[1]), "-y", str(act[2]))
            wait_quiet(raw, 0.4, 10, min_wait=0.3)
            done.append(["resize", act[1], act[2]])
        elif kind == "wait":
            wait_quiet(raw, act[1], act[2] if len(act) > 2 else 15)
            done.append(list(act))
        else:
            raise ValueError(f"unknown action {act!r}")
    return done


def descendants(pid: int) -> list[int]:
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
            ppid = int(st[st.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


# --------------------------------------------------------------------------------------------
# ground truth


def parse_bash_history(data: bytes) -> list[str]:
    entries, cur = [], None
    for line in data.decode("utf-8", "surrogateescape").split("\n"):
        if re.fullmatch(r"#\d+", line):
            if cur is not None:
                entries.append("\n".join(cur))
            cur = []
        elif cur is not None:
            cur.append(line)
    if cur is not None:
        # the file ends with "\n": drop the empty tail line
        if cur and cur[-1] == "":
            cur = cur[:-1]
        entries.append("\n".join(cur))
    # the "\n" ending every entry other than the last shows up as a trailing "" line too
    out = []
    for e in entries:
        out.append(e[:-1] if e.endswith("\n") else e)
    return out


def parse_nul(data: bytes) -> list[str]:
    parts = data.decode("utf-8", "surrogateescape").split("\0")
    return parts[:-1] if parts and parts[-1] == "" else parts


def parse_mksh_history(data: bytes) -> list[str]:
    if not data:
        return []
    if data[:2] != b"\xab\xcd":
        raise ValueError("mksh history: bad magic")
    i, out = 2, []
    while i < len(data):
        if data[i] != 0xFF:
            raise ValueError(f"mksh history: bad record at {i}")
        j = data.index(b"\0", i + 5)
        out.append(data[i + 5:j].decode("utf-8", "surrogateescape"))
        i = j + 1
    return out


STRACE_RE = re.compile(r'^(read|write)\((\d+), "((?:\\x[0-9a-f]{2})*)"(\.\.\.)?, \d+\) += (-?\d+)')


def parse_dash_strace(data: bytes, ps1: bytes = b"$ ", ps2: bytes = b"> ") -> tuple[list[str], str]:
    """Commands = lines dash read from fd 0 right after writing PS1 to fd 2 (PS2 continues)."""
    cmds: list[str] = []
    kept = []
    cur: list[bytes] | None = None
    last_w2: bytes | None = None     # last write to fd 2 since the previous read from fd 0
    data_mode = False                # inside a data read (builtin read) spanning several reads
    for line in data.decode("ascii", "replace").splitlines():
        m = STRACE_RE.match(line)
        if not m:
            continue
        op, fd, hexs, _, ret = m.groups()
        buf = bytes.fromhex(hexs.replace("\\x", ""))
        if op == "write" and fd == "2":
            last_w2 = buf
            kept.append(line)
            continue
        if op == "read" and fd == "0":
            kept.append(line)
            if int(ret) <= 0:
                last_w2 = None
                continue
            if last_w2 is not None and last_w2.endswith(ps1) and last_w2 != ps2:
                if cur is not None:
                    cmds.append(b"".join(cur).decode("utf-8", "surrogateescape"))
                cur = [buf]
                data_mode = False
            elif last_w2 is not None and last_w2 == ps2 and cur is not None:
                cur.append(buf)
                data_mode = False
            else:
                data_mode = True   # data for a builtin (read -p, read) — not a command
            last_w2 = None
    if cur is not None:
        cmds.append(b"".join(cur).decode("utf-8", "surrogateescape"))
    cmds = [c[:-1] if c.endswith("\n") else c for c in cmds]
    cmds = [c for c in cmds if c.strip() != ""]
    return cmds, "\n".join(kept)


def ground_truth(shell: str, gtfile: str) -> tuple[list[str], str]:
    try:
        data = open(gtfile, "rb").read()
    except FileNotFoundError:
        data = b""
    if shell in ("bash", "sh"):
        return parse_bash_history(data), data.decode("utf-8", "backslashreplace")
    if shell in ("zsh", "fish"):
        return parse_nul(data), data.decode("utf-8", "backslashreplace")
    if shell == "mksh":
        return parse_mksh_history(data), data.hex()
    if shell == "dash":
        return parse_dash_strace(data)
    raise ValueError(shell)


def check_truth(shell: str, record: list[str], commands: list[str], cancelled: list[str]) -> str | None:
    rec = list(record)
    if shell == "mksh":
        # mksh also saves lines interrupted with Ctrl-C: drop the declared cancelled ones
        for c in cancelled:
            if c in rec:
                rec.remove(c)
    if rec != commands:
        return f"shell record {rec!r} != declared {commands!r}"
    for c in cancelled:
        if c in rec:
            return f"cancelled line {c!r} found in the shell's record"
    return None


# --------------------------------------------------------------------------------------------
# post-processing


def parse_timing(path: str) -> list:
    out, t = [], 0.0
    for line in open(path, encoding="utf-8", errors="replace"):
        parts = line.rstrip("\n").split(" ", 2)
        if len(parts) < 3 or parts[0] == "H":
            continue
        kind, delta, rest = parts
        t += float(delta)
        if kind in ("O", "I"):
            out.append([round(t, 4), kind, int(rest)])
        else:
            out.append([round(t, 4), kind, rest])
    return out


def strip_script_log(path: str, nbytes: int) -> bytes:
    data = open(path, "rb").read()
    if not data.startswith(b"Script started on "):
        raise RuntimeError(f"{path}: no util-linux header")
    nl = data.index(b"\n") + 1
    body = data[nl:nl + nbytes]
    tail = data[nl + nbytes:]
    if not re.fullmatch(rb"\nScript done on [^\n]*\[COMMAND_EXIT_CODE=\"-?\d+\"\]\n", tail):
        raise RuntimeError(f"{path}: unexpected footer {tail[:120]!r}")
    return body


def ids_for(name: str, prof: dict) -> dict:
    h = hashlib.sha256(name.encode()).hexdigest()
    owners = ["alice", "deploy-bot", "ops-admin", "jdoe", "ci-runner", "sre-oncall", "mchen", "build-svc"]
    owner = owners[int(h[:4], 16) % len(owners)]
    return {"session_id": f"{owner}-0{h[4:20]}",
            "instance_id": f"i-0{h[20:36]}",
            "owner": f"arn:aws:sts::123456789012:assumed-role/SSMUsers/{owner}"}


def make_ticks(name: str, timing: list, total: int) -> list[int]:
    rnd = random.Random("ticks:" + name)
    pts = []   # (time, cumulative output bytes)
    c = 0
    for t, kind, n in timing:
        if kind == "O":
            c += n
            pts.append((t, c))
    if not pts:
        return [total]
    dur = pts[-1][0]
    ticks = []
    k = 1
    j = 0
    cur = 0
    while 0.35 * k < dur + 0.35:
        while j < len(pts) and pts[j][0] <= 0.35 * k:
            cur = pts[j][1]
            j += 1
        ticks.append(cur)
        k += 1
    bounds = [b for _, b in pts]
    extra = rnd.sample(bounds, max(1, round(len(bounds) * 0.15))) if bounds else []
    ticks = sorted(ticks + extra)
    if not ticks or ticks[-1] != total:
        ticks.append(total)
    return [min(x, total) for x in ticks]


def make_s3(raw_path: str, work: str, ids: dict) -> bytes:
    ipc = os.path.join(work, "ipcTempFile.log")
    sh([sys.executable, SSM_SIM, "ipc", raw_path, "--out", ipc])
    sid, inst = ids["session_id"], ids["instance_id"]
    d = f"/var/lib/amazon/ssm/{inst}/session/orchestration/{sid}/Standard_Stream"
    outdir = os.path.join(work, "s3")
    os.makedirs(outdir, exist_ok=True)
    inner = (f"set -e; mount -t tmpfs tmpfs /var/lib; mkdir -p {d}; cp {ipc} {d}/ipcTempFile.log; "
             f"cd {outdir}; TZ=UTC SHELL=/bin/sh script {outdir}/{sid}.log "
             f"-c {shlex.quote('cat ' + d + '/ipcTempFile.log')} </dev/null >/dev/null")
    sh(["unshare", "-m", "--propagation", "private", "sh", "-c", inner])
    data = open(os.path.join(outdir, f"{sid}.log"), "rb").read()
    head = data.split(b"\n", 1)[0]
    want = f'[COMMAND="cat {d}/ipcTempFile.log" <not executed on terminal>]'.encode()
    if not head.startswith(b"Script started on ") or not head.endswith(want):
        raise RuntimeError(f"bad S3 header {head!r}")
    return data


class Monitor(threading.Thread):
    """Polls a growing file every 5 ms; changes = [(monotonic time, size)] whenever it grew."""

    def __init__(self, path: str):
        super().__init__(daemon=True)
        self.path, self.changes, self.halt = path, [], False

    def run(self):
        last = 0
        while not self.halt:
            n = fsize(self.path)
            if n != last:
                self.changes.append((time.monotonic(), n))
                last = n
            time.sleep(0.005)


def wait_exists(path: str, timeout: float = 15.0) -> float:
    t0 = time.monotonic()
    while not os.path.exists(path):
        if time.monotonic() - t0 > timeout:
            raise RuntimeError(f"{path} not created within {timeout}s")
        time.sleep(0.002)
    return time.monotonic()


def record_once(scen: dict, attempt: int, recorder: str | None = None) -> dict:
    """One recording; with recorder (record.py --recorder) the session runs under that recorder
    instead of the default `script -O -I -T` and the result is a timed recording (finish_timed)."""
    name = scen["name"]
    prof = S.PROFILES[scen["profile"]]
    base = os.path.join(SCRATCH, name if recorder is None else f"{name}__{recorder}")
    p = prepare(scen, prof, base)
    a3 = R.stage_asciinema3(SCRATCH) if recorder == "asciinema3" else ""
    write(os.path.join(base, "inner.sh"), inner_script(scen, prof, p, recorder, a3), 0o755)
    cols, rows = scen.get("cols", 120), scen.get("rows", 40)
    conf = os.path.join(base, "tmux.conf")
    write(conf, "set -g status off\nset -g remain-on-exit on\n"
                "set -g history-limit 50000\nset -g default-terminal xterm-256color\n"
                "set -g escape-time 10\n")
    tmux("kill-server", check=False)
    time.sleep(0.1)
    raw = os.path.join(p["rec"], "raw")
    clock, mon = None, None
    if recorder is not None:
        raw = os.path.join(base, "pane.out")   # what tmux reads from the pane (tmux pipe-pane)
    t_start = time.time()
    tmux("-f", conf, "new-session", "-d", "-s", TSESS, "-x", str(cols), "-y", str(rows),
         f"unshare -m -u --propagation private sh {base}/inner.sh")
    tmux("set", "-g", "window-size", "manual")   # (in the config file it makes tmux 3.3a crash)
    if recorder is not None:
        tmux("pipe-pane", "-o", "-t", TSESS, f"cat >> {shlex.quote(raw)}")
        mon = Monitor(raw)
        mon.start()
        t_go = time.monotonic()
        write(os.path.join(base, "go"), "")
        # recording start = when the recorder created its file (polled every 2 ms)
        t_rec0 = wait_exists(os.path.join(p["rec"], R.RECORDERS[recorder]["start"]))
        t_epoch0 = time.time() - (time.monotonic() - t_rec0)
        clock = [("go", t_go), ("start", t_rec0)]
    # wait for the first prompt
    t0 = time.time()
    while fsize(raw) < (80 if recorder is None else 2) and time.time() - t0 < 15:   # header alone is ~100 bytes
        time.sleep(0.05)
    wait_quiet(raw, 0.6, 15)
    if pane_dead():
        raise RuntimeError("pane died at start: " + tmux("capture-pane", "-p", "-t", TSESS, capture=True)[-500:])
    spid = pane_pid()
    done = do_actions(scen["actions"], raw, clock)
    end = scen.get("end", "exit")
    screen = ""
    if end == "terminate":
        screen = tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", TSESS, capture=True)
        kids = descendants(spid)
        for k in kids:
            try:
                os.kill(k, 9)
            except ProcessLookupError:
                pass
    t0 = time.time()
    while not pane_dead():
        if time.time() - t0 > 10:
            kids = descendants(spid)
            for k in kids:
                try:
                    os.kill(k, 9)
                except ProcessLookupError:
                    pass
            raise RuntimeError("shell did not exit")
        time.sleep(0.05)
    if clock is not None:
        clock.append(("dead", time.monotonic()))
    if end != "terminate":
        screen = tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", TSESS, capture=True)
    screen = "\n".join(l for l in screen.split("\n") if not l.startswith("Pane is dead (")).rstrip("\n") + "\n"
    tmux("kill-server", check=False)
    duration = time.time() - t_start
    recorded_end = int(time.time())

    record, gt_raw = ground_truth(prof["shell"], p["gtfile"])
    record = record[p["seed_n"]:]   # bash: history_seed entries pre-filled in HISTFILE
    err = check_truth(prof["shell"], record, scen["commands"], scen.get("cancelled", []))
    if err:
        raise AssertionError(err)
    if recorder is not None:
        time.sleep(0.1)
        mon.halt = True
        mon.join()
        return dict(prof=prof, p=p, recorder=recorder, a3=a3, pane=open(raw, "rb").read(), clock=clock,
                    changes=mon.changes, t_rec0=t_rec0, t_epoch0=t_epoch0, screen=screen, done=done,
                    record=record, gt_raw=gt_raw, duration=duration, recorded_end=recorded_end,
                    attempt=attempt)

    timing = parse_timing(os.path.join(p["rec"], "timing"))
    n_out = sum(n for _, k, n in timing if k == "O")
    n_in = sum(n for _, k, n in timing if k == "I")
    rawb = strip_script_log(raw, n_out)
    keys = strip_script_log(os.path.join(p["rec"], "keys"), n_in)
    if len(rawb) != n_out:
        raise AssertionError("timing log does not cover raw.bin")
    for mc in scen.get("must_contain", []):
        b = mc.encode() if isinstance(mc, str) else mc
        if b not in rawb:
            raise AssertionError(f"must_contain {b!r} not in raw.bin")
    for mc in scen.get("must_not_contain", []):
        b = mc.encode() if isinstance(mc, str) else mc
        if b in rawb:
            raise AssertionError(f"must_not_contain {b!r} found in raw.bin")
    return dict(prof=prof, p=p, raw=rawb, keys=keys, timing=timing, screen=screen, done=done,
                record=record, gt_raw=gt_raw, duration=duration, recorded_end=recorded_end,
                attempt=attempt)


def base_truth(scen: dict, prof: dict, r: dict) -> dict:
    """The truth.json keys every recording has: the shell's commands, the profile, the size."""
    return {
        "commands": scen["commands"],
        "cancelled": scen.get("cancelled", []),
        "shell": prof["shell"],
        "profile": scen["profile"],
        "cols": scen.get("cols", 120),
        "rows": scen.get("rows", 40),
        "resizes": [[i, a[1], a[2]] for i, a in enumerate(r["done"]) if a[0] == "resize"],
        "prompt_example": prof["prompt_example"],
        "user": prof["user"],
        "host": prof["host"],
    }


def finish(scen: dict, r: dict, outroot: str):
    name = scen["name"]
    prof = r["prof"]
    work = os.path.join(r["p"]["base"], "post")
    os.makedirs(work, exist_ok=True)
    ids = ids_for(name, prof)
    raw_path = os.path.join(work, "raw.bin")
    write(raw_path, r["raw"])
    s3 = make_s3(raw_path, work, ids)
    ticks = make_ticks(name, r["timing"], len(r["raw"]))
    tick_path = os.path.join(work, "ticks.txt")
    write(tick_path, "".join(f"{t}\n" for t in ticks))
    start = datetime.fromtimestamp(r["recorded_end"] - len(ticks) - 1, tz=timezone.utc)
    start_s = start.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(hashlib.md5(name.encode()).hexdigest()[:3], 16) % 1000:03d}Z"
    cw = os.path.join(work, "cloudwatch.jsonl")
    sh([sys.executable, SSM_SIM, "stream", raw_path, "--ticks", tick_path, "--session-id", ids["session_id"],
        "--target", ids["instance_id"], "--owner", ids["owner"], "--run-as", prof["user"],
        "--start", start_s, "--out", cw])
    truth = base_truth(scen, prof, r)
    if "forged" in scen:   # adversarial scenarios: text in the output that imitates a command (score.py --forged)
        truth["forged"] = scen["forged"]
    if "unrecoverable" in scen:   # real commands the output does not show (typed with echo off; score.py --forged)
        truth["unrecoverable"] = scen["unrecoverable"]
    alt = any(x in r["raw"] for x in (b"\x1b[?1049h", b"\x1b[?47h", b"\x1b[?1047h"))
    meta = {
        "name": name,
        "notes": scen.get("notes", ""),
        "tags": scen.get("tags", []),
        "shell_command": r["p"]["shell_cmd"],
        "ground_truth_source": S.GT_SOURCE[prof["shell"]],
        "ground_truth_from_shell": r["record"],
        "ground_truth_raw": r["gt_raw"],
        "actions": r["done"],
        "alternate_screen": alt,
        "end": scen.get("end", "exit"),
        "duration_s": round(r["duration"], 3),
        "attempt": r["attempt"],
        "ids": ids,
        "recorded_end": r["recorded_end"],
        "timing": r["timing"],
        "cloudwatch_ticks": ticks,
        "cloudwatch_start": start_s,
        "screen": r["screen"],
        "versions": S.versions(),
    }
    out = os.path.join(outroot, name)
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    write(os.path.join(tmp, "raw.bin"), r["raw"])
    write(os.path.join(tmp, "keys.bin"), r["keys"])
    write(os.path.join(tmp, "s3.log"), s3)
    shutil.copy(cw, os.path.join(tmp, "cloudwatch.jsonl"))
    write(os.path.join(tmp, "truth.json"), json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    write(os.path.join(tmp, "meta.json"), dump_meta(meta))
    if os.path.exists(out):
        shutil.rmtree(out)
    os.rename(tmp, out)


SLEEP_RE = re.compile(r"\bsleep (\d+(?:\.\d+)?)\b")


def timed_entries(scen: dict, r: dict) -> list[dict]:
    """One entry per command: when its Enter was sent and how long until the shell's next prompt.

    Times are seconds since the recorder created its file.  A timed scenario puts ("mark", k) before
    each step (k = index of the step's command, or None); a command's Enter is the first Enter sent
    after its mark, its prompt the last growth of the pane output before the next mark (for the final
    exit: the last output before the pane died).  The Enter was written to the pane between the
    call of tmux send-keys and its return (usually 2-5 ms later, more when the machine is busy): its
    time is that return, or the first growth of the output after the call if that came earlier (the
    output was quiet before every Enter)."""
    t0, clock, changes = r["t_rec0"], r["clock"], r["changes"]
    marks = [(c[1], c[2]) for c in clock if c[0] == "mark"]
    dead = [c[1] for c in clock if c[0] == "dead"][0]
    enters = [(c[1], c[2]) for c in clock if c[0] == "enter"]
    out = []
    for i, (tm, k) in enumerate(marks):
        if k is None:
            continue
        t_end = marks[i + 1][0] if i + 1 < len(marks) else dead
        ent = [e for e in enters if tm <= e[0] < t_end]
        if not ent:
            raise AssertionError(f"no Enter for command {scen['commands'][k]!r}")
        called, returned = ent[0]
        grew = [t for t, _ in changes if called < t <= t_end]
        if not grew:
            raise AssertionError(f"no output after the Enter of {scen['commands'][k]!r}")
        t_enter = min(returned, grew[0])
        c = scen["commands"][k]
        out.append({"command": c, "enter": round(t_enter - t0, 3), "duration": round(grew[-1] - t_enter, 3),
                    "nominal": sum(float(x) for x in SLEEP_RE.findall(c)),
                    "enter_epoch": round(r["t_epoch0"] + t_enter - t0, 3)})
    if [e["command"] for e in out] != scen["commands"]:
        raise AssertionError("timed entries do not cover the commands (a step without its mark?)")
    return out


def finish_timed(scen: dict, r: dict, outroot: str):
    """corpus/timed/<scenario>__<recorder>/: the recorder's files unmodified + truth.json + meta.json."""
    name, recorder, prof, p = scen["name"], r["recorder"], r["prof"], r["p"]
    spec = R.RECORDERS[recorder]
    files = spec["files"]
    for f in files:
        if not os.path.exists(os.path.join(p["rec"], f)):
            raise RuntimeError(f"{recorder} wrote no {f}")
    size = sum(os.path.getsize(os.path.join(p["rec"], f)) for f in files)
    if size >= 100_000:
        raise AssertionError(f"{size} bytes: too big")
    # the files read back: their output stream must be what tmux got from the pane
    header, events = R.read_events(recorder, p["rec"])
    out_b, in_b = R.streams(events)
    pane = r["pane"]
    want = pane.decode("utf-8", "replace").encode() if recorder.startswith("asciinema") else pane
    # asciinema 3 first queries the outer terminal itself (XTVERSION, OSC 10/11/4 colours, DA1) for
    # the header's term object: those bytes reach the pane but are not part of the recording
    own = want[:len(want) - len(out_b)] if want.endswith(out_b) else None
    if own is None or (own and not (recorder == "asciinema3" and re.fullmatch(rb"(\x1b[^\x1b]+)+", own))):
        raise AssertionError(f"{recorder}: output stream ({len(out_b)} bytes) != pane output ({len(want)} bytes)")
    for mc in scen.get("must_contain", []):
        if (mc.encode() if isinstance(mc, str) else mc) not in pane:
            raise AssertionError(f"must_contain {mc!r} not in the pane output")
    for mc in scen.get("must_not_contain", []) + scen.get("secret", []):
        if (mc.encode() if isinstance(mc, str) else mc) in pane:
            raise AssertionError(f"{mc!r} found in the pane output")
    timed = timed_entries(scen, r)
    truth = base_truth(scen, prof, r)
    for k in ("forged", "unrecoverable", "secret"):
        if k in scen:
            truth[k] = scen[k]
    truth["recorder"] = recorder
    truth["files"] = files
    truth["timed"] = timed
    t0 = r["t_rec0"]
    vers = S.versions()
    shell_v = vers["bash" if prof["shell"] == "sh" else prof["shell"]]
    meta = {
        "name": f"{name}__{recorder}",
        "scenario": name,
        "recorder": recorder,
        "recorder_command": R.command(recorder, "<dir>", "exec env SHELL=… " + p["shell_cmd"],
                                      r["a3"] or "asciinema3"),
        "recorder_version": R.version(recorder, r["a3"]),
        "shell": prof["shell"],
        "shell_version": shell_v,
        "cols": truth["cols"],
        "rows": truth["rows"],
        "term": "xterm-256color (tmux pane, default-terminal xterm-256color)",
        "date": datetime.fromtimestamp(r["t_epoch0"], tz=timezone.utc).isoformat(timespec="milliseconds"),
        "recording_start_epoch": round(r["t_epoch0"], 3),
        "notes": scen.get("notes", ""),
        "tags": scen.get("tags", []),
        "shell_command": p["shell_cmd"],
        "ground_truth_source": S.GT_SOURCE[prof["shell"]],
        "ground_truth_from_shell": r["record"],
        "ground_truth_raw": r["gt_raw"],
        "actions": r["done"],
        "clock": "seconds since the recorder created " + spec["start"] + " (polled every 2 ms); enters_s = "
                 "[send-keys Enter called, returned] for every Enter; pane output polled every 5 ms (tmux pipe-pane)",
        "go_to_start_s": round(t0 - [c[1] for c in r["clock"] if c[0] == "go"][0], 4),
        "first_output_s": round(r["changes"][0][0] - t0, 4) if r["changes"] else None,
        "enters_s": [[round(c[1] - t0, 4), round(c[2] - t0, 4)] for c in r["clock"] if c[0] == "enter"],
        "pane_dead_s": round([c[1] for c in r["clock"] if c[0] == "dead"][0] - t0, 3),
        "checks": {"output_stream_equals_pane": True, "pane_bytes": len(pane),
                   "recorder_own_output": own.decode("utf-8", "replace"),
                   "input_bytes": len(in_b),
                   "secret_in_input_stream": {s_: s_.encode() in in_b for s_ in scen.get("secret", [])}},
        "cast_header": header or None,
        "end": scen.get("end", "exit"),
        "duration_s": round(r["duration"], 3),
        "attempt": r["attempt"],
        "screen": r["screen"],
        "versions": dict(vers, **{recorder: R.version(recorder, r["a3"])}),
    }
    out = os.path.join(outroot, f"{name}__{recorder}")
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    os.makedirs(tmp)
    for f in files:
        shutil.copyfile(os.path.join(p["rec"], f), os.path.join(tmp, f))
        os.chmod(os.path.join(tmp, f), 0o644)
    write(os.path.join(tmp, "truth.json"), json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    write(os.path.join(tmp, "meta.json"), dump_meta(meta))
    if os.path.exists(out):
        shutil.rmtree(out)
    os.rename(tmp, out)


def dump_meta(meta: dict) -> str:
    """One top-level key per line, each value as compact JSON (keeps the timing log small)."""
    items = [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(',', ':'))}"
             for k, v in meta.items()]
    return "{\n" + ",\n".join(items) + "\n}\n"


def record(scen: dict, outroot: str, tries: int = 3, keep: bool = False,
           recorder: str | None = None) -> tuple[bool, str]:
    last = ""
    for attempt in range(1, tries + 1):
        try:
            r = record_once(scen, attempt, recorder)
            if recorder is None:
                finish(scen, r, outroot)
            else:
                finish_timed(scen, r, outroot)
            if not keep:
                shutil.rmtree(r["p"]["base"], ignore_errors=True)
            return True, f"ok (attempt {attempt})"
        except (AssertionError, RuntimeError, subprocess.CalledProcessError, ValueError) as e:
            last = f"attempt {attempt}: {type(e).__name__}: {e}"
            log(f"  {scen['name']}: {last}")
            tmux("kill-server", check=False)
    return False, last


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", action="append", default=[], help="name or glob (repeatable)")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--out", help="default corpus/sessions, with --recorder corpus/timed")
    ap.add_argument("--recorder", action="append", default=[], metavar="R",
                    help="record under R instead of the default script -O/-I/-T, into <out>/<scenario>__<R>/ "
                         f"(repeatable; one of {', '.join(R.RECORDERS)}; 'main' = {', '.join(R.MAIN)}; 'all')")
    ap.add_argument("--tries", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep /tmp/ttyrec/<name>")
    ap.add_argument("--skip-existing", action="store_true")
    a = ap.parse_args()
    recs = []
    for x in a.recorder:
        for y in (R.MAIN if x == "main" else list(R.RECORDERS) if x == "all" else [x]):
            if y not in R.RECORDERS:
                sys.exit(f"unknown recorder {y!r}")
            if y not in recs:
                recs.append(y)
    out = a.out or (OUT_TIMED if recs else OUT_DEFAULT)
    names = [s["name"] for s in S.SCENARIOS]
    if len(set(names)) != len(names):
        sys.exit("duplicate scenario names")
    if a.list:
        for s in S.SCENARIOS:
            t = "timed " if s.get("timed") else ""
            print(f"{s['name']:32} {s['profile']:12} {s.get('cols', 120)}x{s.get('rows', 40)}  {t}{s.get('notes', '')}")
        return
    if os.geteuid() != 0:
        sys.exit("run as root (namespaces, bind mounts, setpriv)")
    # --all: the untimed scenarios (corpus/sessions) or, with --recorder, the timed ones
    sel = [s for s in S.SCENARIOS if (a.all and bool(s.get("timed")) == bool(recs))
           or any(fnmatch.fnmatch(s["name"], g) for g in a.scenario)]
    if not sel:
        sys.exit("no scenario selected (--scenario NAME|GLOB or --all)")
    os.makedirs(out, exist_ok=True)
    os.makedirs(SCRATCH, exist_ok=True)
    os.chmod(SCRATCH, 0o755)
    failed = []
    for s in sel:
        for rc in recs or [None]:
            label = s["name"] if rc is None else f"{s['name']}__{rc}"
            if a.skip_existing and os.path.exists(os.path.join(out, label, "truth.json")):
                continue
            t = time.time()
            ok, msg = record(s, out, a.tries, a.keep, rc)
            log(f"{label:44} {'OK ' if ok else 'FAIL'} {time.time() - t:5.1f}s  {msg}")
            if not ok:
                failed.append((label, msg))
    if failed:
        log(f"\n{len(failed)} failed:")
        for n, m in failed:
            log(f"  {n}: {m}")
        sys.exit(1)


if __name__ == "__main__":
    main()
