"""Prompt profiles, the scratch HOME, and the ground-truth hooks used by record.py."""
from __future__ import annotations

import functools
import subprocess

# ---------------------------------------------------------------------------------------------
# ground-truth hooks (appended to the system rc file of the shell, bind-mounted in the recording
# namespace, so nothing is echoed to the terminal and the user's HOME looks untouched)


def bash_gt_block(histfile: str) -> str:
    # history -a in a DEBUG trap: the line is appended *before* it runs, so nested shells come out
    # in order; HISTTIMEFORMAT= makes every entry start with a "#<epoch>" line (multi-line entries
    # with lithist stay delimited).
    return f"""# --- recorder ground truth ---
HISTFILE={histfile}
HISTCONTROL=
HISTIGNORE=
HISTTIMEFORMAT=
HISTSIZE=5000
HISTFILESIZE=5000
shopt -s histappend cmdhist lithist
trap 'history -a' DEBUG
"""


def zsh_gt_block(path: str) -> str:
    return f"""# --- recorder ground truth ---
autoload -Uz add-zsh-hook
__rec_preexec() {{ printf '%s\\0' "$1" >> {path} }}
add-zsh-hook preexec __rec_preexec
"""


def fish_gt_block(path: str, greeting: bool = False) -> str:
    # the greeting is switched off unless the profile asks for fish's default one
    quiet = "" if greeting else "set -g fish_greeting ''\n"
    return f"""# --- recorder ground truth ---
{quiet}function __rec_preexec --on-event fish_preexec
    printf '%s\\0' "$argv" >> {path}
end
"""


def mksh_gt_block(path: str) -> str:
    return f"""# --- recorder ground truth ---
HISTSIZE=5000
HISTFILE={path}
"""


GT_SOURCE = {
    "bash": "bash HISTFILE (history -a in a DEBUG trap)",
    "sh": "bash HISTFILE (history -a in a DEBUG trap, via $ENV)",
    "zsh": "zsh preexec hook ($1)",
    "fish": "fish_preexec event ($argv)",
    "mksh": "mksh HISTFILE (minus the declared Ctrl-C-interrupted lines, which mksh also saves)",
    "dash": "strace of dash's read(0)/write(2), grouped by PS1/PS2",
}

# ---------------------------------------------------------------------------------------------
# user rc files

AL2023_BASHRC = r"""# .bashrc

# User specific environment
if ! [[ "$PATH" =~ "$HOME/.local/bin:$HOME/bin:" ]]; then
    PATH="$HOME/.local/bin:$HOME/bin:$PATH"
fi
export PATH

# prompt and title as /etc/bashrc sets them on Amazon Linux 2023
PS1='[\u@\h \W]\$ '
PROMPT_COMMAND='printf "\033]0;%s@%s:%s\007" "${USER}" "${HOSTNAME%%.*}" "${PWD/#$HOME/\~}"'

alias ls='ls --color=auto'
alias ll='ls -l --color=auto'
alias grep='grep --color=auto'
"""

# Shell integration as VS Code / FinalTerm emit it (OSC 133 A/B/C/D + VS Code's OSC 633 E). The
# ground-truth DEBUG trap of /etc/bash.bashrc stays untouched: C and E come from PS0 (expanded after
# the line is read, before it runs; the line is already in the history list, `history 1` reads it in
# PS0's command-substitution subshell, which does not inherit the DEBUG trap).
OSC_BASHRC = AL2023_BASHRC.replace("PS1='[\\u@\\h \\W]\\$ '\n", "") + r"""
# --- shell integration (OSC 133 / 633) ---
__osc_esc() {
    # VS Code's __vsc_escape_value: \ -> \\, ; -> \x3b, control characters -> \xNN
    local s=$1 out= c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        if [[ $c == '\' ]]; then out+='\\'
        elif [[ $c == ';' ]]; then out+='\x3b'
        elif [[ $c == [[:cntrl:]] ]]; then printf -v c '\\x%02x' "'$c"; out+=$c
        else out+=$c
        fi
    done
    printf '%s' "$out"
}
__osc_preexec() {
    local h
    h=$(HISTTIMEFORMAT= history 1)
    [[ $h =~ ^\ *[0-9]+\*?\ \ (.*)$ ]] && h=${BASH_REMATCH[1]}
    printf '\033]633;E;%s\007\033]133;C\007' "$(__osc_esc "$h")"
}
__osc_precmd() {
    local st=$?
    [[ -n $__osc_started ]] && printf '\033]133;D;%s\007' "$st"
    __osc_started=1
}
PROMPT_COMMAND="__osc_precmd; $PROMPT_COMMAND"
PS1='\[\033]133;A\007\][\u@\h \W]\$ \[\033]133;B\007\]'
PS0='$(__osc_preexec)'
"""

NOBP_BASHRC = r"""# .bashrc (bash-4 style setup: no title, bracketed paste off)
PS1='[\u@\h \W]\$ '
bind 'set enable-bracketed-paste off'
alias ll='ls -l'
"""


def debian_bashrc() -> str:
    # the Debian skeleton, minus its HISTCONTROL=ignoreboth / HISTSIZE lines (they would drop
    # repeated commands from the ground-truth history)
    out = []
    for line in open("/etc/skel/.bashrc").read().splitlines():
        s = line.strip()
        if s.startswith(("HISTCONTROL=", "HISTSIZE=", "HISTFILESIZE=")):
            out.append("# " + line)
        else:
            out.append(line)
    return "\n".join(out) + "\n"


ZSHRC = r"""# ~/.zshrc
HISTFILE=~/.zsh_history
HISTSIZE=5000
SAVEHIST=5000
setopt INC_APPEND_HISTORY
bindkey -e
autoload -Uz compinit && compinit -u -d ~/.zcompdump
PROMPT='%n@%m %1~ %# '
"""

ZSH_RPROMPT_ZSHRC = r"""# ~/.zshrc
HISTFILE=~/.zsh_history
HISTSIZE=5000
SAVEHIST=5000
setopt INC_APPEND_HISTORY
bindkey -e
autoload -Uz compinit && compinit -u -d ~/.zcompdump
PROMPT='%F{cyan}%n@%m%f:%F{yellow}%~%f%(!.#.$) '
RPROMPT='%(?..%F{red}[%?]%f )%F{242}zsh%f'
"""

# NixOS's default bash prompt (nixos/modules/programs/bash/bash.nix, uid != 0): it starts with a
# newline, so every prompt is preceded by an empty line; the title (OSC 0) sits inside the brackets
NIXOS_BASHRC = r"""# ~/.bashrc
# prompt as NixOS's /etc/bashrc sets it for a non-root user (TERM != dumb, not inside Emacs)
PS1='\n\[\033[1;32m\][\[\e]0;\u@\h: \w\a\]\u@\h:\w]\$\[\033[0m\] '
alias ls='ls --color=tty'
alias ll='ls -l'
"""

# a two-line prompt: user@host and the directory on one line, "$ " below it
TWO_LINE_BASHRC = r"""# ~/.bashrc
PS1='\u@\h \w\n\$ '
alias ll='ls -l'
"""

ZSH_TWO_LINE_ZSHRC = r"""# ~/.zshrc
HISTFILE=~/.zsh_history
HISTSIZE=5000
SAVEHIST=5000
setopt INC_APPEND_HISTORY
bindkey -e
autoload -Uz compinit && compinit -u -d ~/.zcompdump
PROMPT=$'%n@%m %~\n%# '
"""

# ---------------------------------------------------------------------------------------------
# profiles

PROFILES = {
    "al2023": dict(shell="bash", shell_path="/bin/bash", user="ec2-user", host="ip-10-0-1-11",
                   argv="bash -i", sh_is_bash=True, bashrc=AL2023_BASHRC,
                   prompt_example="[ec2-user@ip-10-0-1-11 ~]$ "),
    "nobp": dict(shell="bash", shell_path="/bin/bash", user="ec2-user", host="ip-10-0-2-34",
                 argv="bash -i", sh_is_bash=True, bashrc=NOBP_BASHRC,
                 prompt_example="[ec2-user@ip-10-0-2-34 ~]$ (no title, bracketed paste off)"),
    "debian": dict(shell="bash", shell_path="/bin/bash", user="admin", host="ip-172-31-5-20",
                   argv="bash -i", bashrc="debian",
                   prompt_example="admin@ip-172-31-5-20:~$ (OSC 0 title in PS1, green/blue SGR)"),
    "ubuntu": dict(shell="bash", shell_path="/bin/bash", user="ubuntu", host="ip-172-31-40-7",
                   argv="bash -i", bashrc="debian",
                   prompt_example="ubuntu@ip-172-31-40-7:~$ (OSC 0 title in PS1, green/blue SGR)"),
    "sh": dict(shell="sh", shell_path="/bin/sh", user="ssm-user", host="ip-10-0-1-11",
               argv="sh -i", sh_is_bash=True, bashrc=AL2023_BASHRC,
               prompt_example="sh-5.2$ "),
    "dash": dict(shell="dash", shell_path="/bin/sh", user="ssm-user", host="ip-172-31-40-7",
                 argv="dash -i", prompt_example="$ "),
    "zsh": dict(shell="zsh", shell_path="/bin/zsh", user="ec2-user", host="ip-10-0-1-11",
                argv="zsh -i", zshrc=ZSHRC, prompt_example="ec2-user@ip-10-0-1-11 ~ % "),
    "zsh_rprompt": dict(shell="zsh", shell_path="/bin/zsh", user="ec2-user", host="ip-10-0-3-57",
                        argv="zsh -i", zshrc=ZSH_RPROMPT_ZSHRC,
                        prompt_example="ec2-user@ip-10-0-3-57:~$ (cyan/yellow SGR; RPROMPT 'zsh', '[N] zsh' after a failure)"),
    "fish": dict(shell="fish", shell_path="/usr/bin/fish", user="ec2-user", host="ip-10-0-1-11",
                 argv="fish -i", prompt_example="ec2-user@ip-10-0-1-11 ~> "),
    "fish_greeting": dict(shell="fish", shell_path="/usr/bin/fish", user="ec2-user", host="ip-10-0-4-19",
                          argv="fish -i", fish_greeting=True,
                          prompt_example="ec2-user@ip-10-0-4-19 ~> (after fish's default two-line greeting)"),
    "sh_root": dict(shell="sh", shell_path="/bin/sh", user="ssm-user", host="ip-10-0-5-88", cwd="/",
                    argv="sh -i", sh_is_bash=True, bashrc=AL2023_BASHRC,
                    prompt_example="sh-5.2$ (started in /, as the SSM agent starts sh)"),
    "mksh": dict(shell="mksh", shell_path="/bin/mksh", user="ec2-user", host="ip-10-0-1-11",
                 argv="mksh -i", prompt_example="ec2-user@ip-10-0-1-11:~ $ "),
    "nixos": dict(shell="bash", shell_path="/bin/bash", user="alice", host="nixos",
                  argv="bash -i", bashrc=NIXOS_BASHRC,
                  prompt_example="\\n[alice@nixos:~]$ (NixOS default: an empty line before every prompt, bold green "
                                 "SGR, OSC 0 title inside the brackets)"),
    "bash_two_line": dict(shell="bash", shell_path="/bin/bash", user="ec2-user", host="ip-10-0-7-23",
                          argv="bash -i", bashrc=TWO_LINE_BASHRC,
                          prompt_example="ec2-user@ip-10-0-7-23 ~\\n$ (two lines: user@host dir, then '$ ')"),
    "zsh_two_line": dict(shell="zsh", shell_path="/bin/zsh", user="ec2-user", host="ip-10-0-7-58",
                         argv="zsh -i", zshrc=ZSH_TWO_LINE_ZSHRC,
                         prompt_example="ec2-user@ip-10-0-7-58 ~\\n% (two lines: %n@%m %~, then '%# ')"),
    "osc": dict(shell="bash", shell_path="/bin/bash", user="ec2-user", host="ip-10-0-6-42",
                argv="bash -i", sh_is_bash=True, bashrc=OSC_BASHRC,
                prompt_example="[ec2-user@ip-10-0-6-42 ~]$ (OSC 133 A/B around PS1, 633 E + 133 C from PS0, "
                               "133 D;status from PROMPT_COMMAND, title as al2023)"),
}

# ---------------------------------------------------------------------------------------------
# scratch HOME

NOTES = """deploy checklist
- check disk space
- restart nginx
- verify health endpoint
"""

APP_LOG = """2024-05-14T09:12:01Z INFO  server started on :8080
2024-05-14T09:12:07Z INFO  GET /health 200 2ms
2024-05-14T09:13:44Z WARN  slow query users_by_email 812ms
2024-05-14T09:15:02Z INFO  GET /api/orders 200 41ms
2024-05-14T09:15:03Z ERROR upstream timeout payment-svc
2024-05-14T09:15:09Z INFO  retry ok payment-svc
2024-05-14T09:20:30Z INFO  GET /health 200 1ms
"""

CONFIG = """server:
  port: 8080
  workers: 4
database:
  host: db.internal
  name: orders
log_level: info
"""

DATA = """id,name,region,amount
1,alpha,us-east-1,120.50
2,bravo,eu-west-1,88.00
3,charlie,us-west-2,230.75
4,delta,us-east-1,15.25
"""


def home_files(prof: dict) -> dict[str, tuple[str, int]]:
    f: dict[str, tuple[str, int]] = {
        "notes.txt": (NOTES, 0o644),
        "app.log": (APP_LOG, 0o644),
        "config.yaml": (CONFIG, 0o644),
        "config.yaml.bak": (CONFIG.replace("workers: 4", "workers: 2"), 0o644),
        "data.csv": (DATA, 0o644),
        "report-q1.txt": ("Q1 revenue 1.2M\n", 0o644),
        "report-q2.txt": ("Q2 revenue 1.5M\n", 0o644),
        "report-summary.txt": ("H1 total 2.7M\n", 0o644),
        "scripts/backup.sh": ("#!/bin/sh\necho backing up /var/www\n", 0o755),
        "scripts/deploy.sh": ("#!/bin/sh\necho deploying ${1:-main}\n", 0o755),
        "scripts/deploy-canary.sh": ("#!/bin/sh\necho canary ${1:-5}%\n", 0o755),
        "projects/webapp/README.md": ("# webapp\n\nSmall Flask app.\n", 0o644),
        "projects/webapp/app.py": ("from flask import Flask\napp = Flask(__name__)\n", 0o644),
        "projects/webapp/requirements.txt": ("flask==3.0.3\ngunicorn==22.0.0\n", 0o644),
        "projects/worker/main.py": ("print('worker')\n", 0o644),
        ".bash_logout": (open("/etc/skel/.bash_logout").read(), 0o644),
        ".profile": (open("/etc/skel/.profile").read(), 0o644),
        ".mkshrc": (open("/etc/skel/.mkshrc").read(), 0o644),
    }
    b = prof.get("bashrc")
    if b == "debian":
        f[".bashrc"] = (debian_bashrc(), 0o644)
    elif b:
        f[".bashrc"] = (b, 0o644)
    else:
        f[".bashrc"] = (debian_bashrc(), 0o644)
    if prof.get("zshrc"):
        f[".zshrc"] = (prof["zshrc"], 0o644)
    return f


def first_line(cmd: list[str]) -> str:
    """The first line a version command prints, or why there is none."""
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10)
        return r.stdout.decode("utf-8", "replace").strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001
        return f"? ({e})"


@functools.lru_cache(maxsize=None)
def versions() -> dict:

    def deb(pkg):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        return r.stdout.decode().strip()

    return {
        "bash": first_line(["bash", "--version"]),
        "zsh": first_line(["zsh", "--version"]),
        "fish": first_line(["fish", "--version"]),
        "mksh": "mksh " + deb("mksh"),
        "dash": "dash " + deb("dash"),
        "script": first_line(["script", "--version"]),
        "tmux": first_line(["tmux", "-V"]),
        "strace": first_line(["strace", "-V"]),
        "vim": first_line(["vim", "--version"]),
        "python3": first_line(["python3", "--version"]),
    }
