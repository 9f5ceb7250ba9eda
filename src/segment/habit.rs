//! How this shell draws its prompts, and the prompts that break the habit.
//!
//! Any program can print a prompt and a command line: `cat` of a file holding the bytes a
//! shell writes, a `read -e -p` loop or a REPL whose prompt copies the shell's, another
//! session's transcript. What such a prompt rarely gets right is everything the shell
//! does around its prompt each time: bash's `PROMPT_COMMAND` sets the window title, zsh
//! switches the keypad to application mode, the line feed after the line comes with the
//! shell's own number of CRs (a file holding CR LF gains one through the terminal's CR-LF
//! mapping), and the prompt names the same `user@host`. The habits are learned from the
//! first prompt, which no program can have printed (none has run yet), and again after each
//! command that changes the shell (`ssh`, `su`, `sudo -i`, a nested shell, `exit`, setting
//! `PS1`). A prompt that lacks one gets evidence naming what it lacked, and the
//! `prompt_unlike_shell` doubt. A byte-exact copy has every habit: that forgery is told
//! apart only by time (see [`Evidence::SameEventAsOutput`]) or keystrokes.

use crate::record::{Command, Evidence, EvidenceSet};

/// Most bytes between the line feed that submits a line and the editor letting go of it,
/// either way round (fish resets colours in between).
pub(super) const ENTER_NEAR: u64 = 16;

/// The line feed that submitted a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Enter {
    /// It came, after this many CRs.
    Came(u8),
    /// It comes next (zsh reads the line, then moves on), if it comes within
    /// [`ENTER_NEAR`] bytes of `at` and leaves `row`, the line's.
    Next { at: u64, row: u64 },
    /// Its CRs tell nothing (the agent deleted every CR of a streamed line).
    Unknown,
}

/// What the shell does around its prompts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Seen {
    /// The title was set before the line editor started (bash's `PROMPT_COMMAND`; fish
    /// names the command it runs), or anywhere, where no editor marks its start.
    title_before: bool,
    /// The title was set after the editor started (in bash's `PS1`, as Debian's does; by
    /// fish): a program's prompt that copies the title comes after its editor starts.
    title_after: bool,
    keypad: bool,
    /// The prompt was marked with `PROMPT_SP` (zsh, fish).
    prompt_sp: bool,
}

/// When a habit last showed, in signals counted (input offsets do not order the events of a
/// CloudWatch batch, which share one): the last few, so that a line read late (CloudWatch
/// lines are read when the next one comes) still finds the one drawn with its prompt.
/// Each time may carry what was seen with it.
#[derive(Debug)]
struct Recent<T = ()> {
    /// `u64::MAX`: no time yet.
    at: [(u64, T); 4],
    next: usize,
}

impl<T: Copy + Default> Default for Recent<T> {
    fn default() -> Recent<T> {
        Recent {
            at: [(u64::MAX, T::default()); 4],
            next: 0,
        }
    }
}

impl<T: Copy> Recent<T> {
    fn push(&mut self, tick: u64, seen: T) {
        self.at[self.next] = (tick, seen);
        self.next = (self.next + 1) % self.at.len();
    }

    /// Whether one of them is in `from..=to`.
    fn within(&self, from: u64, to: u64) -> bool {
        self.last_within(from, to).is_some()
    }

    /// The last of them in `from..=to`.
    fn last_within(&self, from: u64, to: u64) -> Option<(u64, T)> {
        self.at
            .iter()
            .filter(|&&(at, _)| at >= from && at <= to)
            .max_by_key(|&&(at, _)| at)
            .copied()
    }
}

/// The shell's habits, and when each last showed.
#[derive(Debug, Default)]
pub(super) struct Habits {
    titles: Recent,
    keypads: Recent,
    /// What the shell's prompts do; `None` until the first prompt (and after a command that
    /// changes the shell, until the next one).
    shell: Option<Seen>,
    /// The `user@host` the shell's prompts name, if they name one.
    user_host: Option<String>,
    /// The last prompt found to name it.
    user_host_prompt: String,
    /// CRs before the line feed that submits a line.
    enter_crs: Option<u8>,
    /// The last line judged was read before its line feed came (zsh): a line feed close
    /// after this offset, leaving this row, is its.
    crs_due: Option<(u64, u64)>,
    /// The next CR count is the shell's (a line after a change of shell).
    learn_crs: bool,
    /// The habits were learned from a first prompt: the next one may add some.
    after_first: bool,
    /// Where the editor last started, and whether a `PROMPT_SP` line came before each
    /// start.
    editors: Recent<bool>,
    /// `PROMPT_SP` lines seen when the editor last started.
    prompt_sps: u32,
    /// A transcript's `Script started on` line was printed, and no `Script done on` line yet:
    /// prompts since are a transcript's.
    in_transcript: bool,
}

impl Habits {
    /// The terminal's title was set at signal `tick`.
    pub fn title(&mut self, tick: u64) {
        self.titles.push(tick, ());
    }

    /// Cursor-key (application keypad) mode was switched on at signal `tick`.
    pub fn keypad(&mut self, tick: u64) {
        self.keypads.push(tick, ());
    }

    /// The line editor started at signal `tick`; the screen has seen `prompt_sps`
    /// `PROMPT_SP` lines so far.
    pub fn editor_started(&mut self, tick: u64, prompt_sps: u32) {
        let marked = prompt_sps != self.prompt_sps;
        self.prompt_sps = prompt_sps;
        self.editors.push(tick, marked);
    }

    /// A line of output was shown.
    pub fn output_line(&mut self, line: &[u8]) {
        if line.first() != Some(&b'S') {
            return;
        }
        // `script` writes these lines to its log, never to the terminal: shown, they are a
        // transcript being printed.
        if line.starts_with(b"Script started on ") {
            self.in_transcript = true;
        } else if line.starts_with(b"Script done on ") {
            self.in_transcript = false;
        }
    }

    /// Judge `cmd`, a line read at a primary prompt that ended at signal `to`, against the
    /// shell's habits. `previous`: the command before it (whose output held this prompt)
    /// and the signal its line ended at, if any; `silent`: it showed no output; `enter`:
    /// what is known of the line feed that submitted it.
    pub fn judge(
        &mut self,
        cmd: &mut Command,
        to: u64,
        previous: Option<(&Command, u64)>,
        silent: bool,
        enter: Enter,
    ) {
        // The prompt was drawn after the line before it ended; where a line abandoned with
        // Ctrl-C ends is the editor's next start, which may be after the next prompt's
        // habits (fish sets the title after switching bracketed paste on), so after one
        // nothing is judged but the user and host.
        let from = previous.map_or(0, |(_, end)| end);
        // The last start of the editor for this line.
        let editor = self.editors.last_within(from, to);
        let seen = match (previous, editor) {
            (Some((p, _)), _) if p.cancelled => self.shell.unwrap_or_default(),
            (_, Some((at, prompt_sp))) => Seen {
                title_before: self.titles.within(from, at),
                title_after: self.titles.within(at, to),
                keypad: self.keypads.within(from, to),
                prompt_sp,
            },
            _ => Seen {
                title_before: self.titles.within(from, to),
                keypad: self.keypads.within(from, to),
                ..Seen::default()
            },
        };
        if self.in_transcript {
            cmd.evidence.insert(Evidence::InPrintedTranscript);
        }
        if let Some((p, _)) = previous
            && silent
            && silent_printer(p, cmd)
        {
            cmd.evidence.insert(Evidence::AfterSilentPrinter);
        }
        // The first prompt comes before any command ran: fish names each command in the
        // title and marks each later prompt with PROMPT_SP. The second prompt adds what the
        // shell does after a command (a prompt lacking habits adds nothing).
        if std::mem::take(&mut self.after_first)
            && !cmd.cancelled
            && let Some(shell) = &mut self.shell
        {
            shell.title_before |= seen.title_before;
            shell.title_after |= seen.title_after;
            shell.keypad |= seen.keypad;
            shell.prompt_sp |= seen.prompt_sp;
        }
        // What breaks a habit, if the shell is the same; whether it is is asked only then
        // (this runs on every command).
        let missing = self
            .shell
            .map_or(EvidenceSet::default(), |shell| missing(shell, seen));
        let host_differs = !cmd.cancelled && self.user_host_differs(&cmd.prompt);
        let crs_differ = match enter {
            Enter::Came(n) => !cmd.cancelled && self.crs_differ(n),
            _ => false,
        };
        let zsh_later = matches!(enter, Enter::Next { .. });
        let changed = self.shell.is_none()
            || ((!missing.is_empty() || host_differs || crs_differ || zsh_later)
                && previous.is_none_or(|(p, _)| changes_shell(&p.command)));
        if cmd.cancelled {
            // Ctrl-C draws a new prompt the same way; the line's own line feed is the ^C's.
            if !changed {
                missing.iter().for_each(|e| cmd.evidence.insert(e));
            }
            return;
        }
        if changed {
            self.shell = Some(seen);
            self.after_first = true;
            self.user_host = user_host(&cmd.prompt).map(str::to_owned);
            self.user_host_prompt.clear();
            self.learn_crs = true;
        } else {
            missing.iter().for_each(|e| cmd.evidence.insert(e));
            if host_differs {
                cmd.evidence.insert(Evidence::UserHostDiffers);
            }
        }
        self.crs_due = None;
        match enter {
            Enter::Came(n) => self.weigh_crs(cmd, n),
            Enter::Next { at, row } => self.crs_due = Some((at, row)),
            Enter::Unknown => self.learn_crs = false,
        }
    }

    /// Whether `prompt` names another `user@host` than the shell's prompts.
    fn user_host_differs(&mut self, prompt: &str) -> bool {
        let Some(known) = &self.user_host else {
            return false;
        };
        if prompt == self.user_host_prompt {
            return false;
        }
        match user_host(prompt) {
            Some(here) if here != known => true,
            _ => {
                // Most prompts are the one before: compared once.
                self.user_host_prompt.clear();
                self.user_host_prompt.push_str(prompt);
                false
            }
        }
    }

    fn crs_differ(&self, crs: u8) -> bool {
        !self.learn_crs && self.enter_crs.is_some_and(|n| n != crs)
    }

    /// A line feed came at `offset` after `crs` CRs and left row `from`; `pending` is the
    /// line read last.
    pub fn line_feed(&mut self, crs: u8, offset: u64, from: u64, pending: Option<&mut Command>) {
        if let Some((at, row)) = self.crs_due.take()
            && offset.saturating_sub(at) <= ENTER_NEAR
            && from == row
            && let Some(cmd) = pending
        {
            self.weigh_crs(cmd, crs);
        }
    }

    fn weigh_crs(&mut self, cmd: &mut Command, crs: u8) {
        if std::mem::take(&mut self.learn_crs) || self.enter_crs.is_none() {
            self.enter_crs = Some(crs);
        } else if self.enter_crs != Some(crs) {
            cmd.evidence.insert(Evidence::EnterUnlikeShell);
        }
    }
}

/// The shell's habits this prompt lacks.
fn missing(shell: Seen, seen: Seen) -> EvidenceSet {
    let mut out = EvidenceSet::default();
    if (shell.title_before && !seen.title_before) || (shell.title_after && !seen.title_after) {
        out.insert(Evidence::TitleMissing);
    }
    if shell.keypad && !seen.keypad {
        out.insert(Evidence::KeypadMissing);
    }
    if shell.prompt_sp && !seen.prompt_sp {
        out.insert(Evidence::PromptSpMissing);
    }
    out
}

/// Programs whose work is to print a file.
const PRINTERS: &[&str] = &[
    "cat", "tac", "zcat", "bzcat", "xzcat", "zstdcat", "head", "tail", "more", "strings", "curl",
    "base64", "xxd",
];

/// Whether `previous`, which prints what it is given (`cat file`, `printf …`), showed no
/// output before `cmd`'s prompt: what it printed may be that prompt and line. Not when its
/// output went elsewhere (`>`, `|`), or it had no file to print; `echo` and `printf` only
/// when their arguments hold the line (they print escapes that show nothing, `printf
/// '\033c'`, and `echo -n` puts its text on the prompt's row).
fn silent_printer(previous: &Command, cmd: &Command) -> bool {
    if previous.cancelled || cmd.cancelled {
        return false;
    }
    let text = previous.command.as_bytes();
    if memchr::memchr3(b'>', b'|', b'&', text).is_some() || memchr::memchr(b';', text).is_some() {
        return false;
    }
    let mut words = previous.command.split_whitespace();
    let mut first = words.next().unwrap_or("");
    if first == "sudo" {
        first = words.next().unwrap_or("");
    }
    let name = first.rsplit('/').next().unwrap_or(first);
    if matches!(name, "echo" | "printf") {
        let line = cmd.command.trim();
        return !line.is_empty()
            && previous.command.contains(line)
            && previous.prompt == cmd.prompt;
    }
    PRINTERS.contains(&name) && words.any(|w| !w.starts_with('-'))
}

/// The `user@host` a prompt names: the word characters around its first `@`.
fn user_host(prompt: &str) -> Option<&str> {
    let at = memchr::memchr(b'@', prompt.as_bytes())?;
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let bytes = prompt.as_bytes();
    let start = bytes[..at]
        .iter()
        .rposition(|&b| !word(b))
        .map_or(0, |i| i + 1);
    let end = bytes[at + 1..]
        .iter()
        .position(|&b| !word(b))
        .map_or(bytes.len(), |i| at + 1 + i);
    (start < at && end > at + 1).then(|| &prompt[start..end])
}

/// Programs that start or leave a shell, or run one elsewhere: after them the prompt may
/// rightly look different.
const SHELL_CHANGERS: &[&str] = &[
    "bash",
    "sh",
    "zsh",
    "fish",
    "dash",
    "mksh",
    "ksh",
    "ksh93",
    "ash",
    "busybox",
    "tcsh",
    "csh",
    "yash",
    "nu",
    "pwsh",
    "su",
    "login",
    "ssh",
    "mosh",
    "telnet",
    "exec",
    "exit",
    "logout",
    "script",
    "tmux",
    "screen",
    "byobu",
    "chroot",
    "nsenter",
    "runuser",
    "newgrp",
    "sg",
    "machinectl",
    "docker",
    "podman",
    "kubectl",
    "lxc",
    "lxc-attach",
    "vagrant",
    "toolbox",
    "distrobox",
    "source",
    ".",
    "eval",
    "aws",
    "gcloud",
    "az",
    "conda",
    "workon",
    "deactivate",
    "reset",
    "tput",
    "stty",
];

/// Prefixes that run the command after them.
const RUNNERS: &[&str] = &[
    "sudo", "doas", "pkexec", "env", "nice", "nohup", "command", "builtin", "time", "exec",
];

/// Whether `cmd` may change how the prompt looks: it starts an interactive shell or leaves
/// one, switches user or host, or sets the prompt. A shell given a script to run is not
/// interactive: its output is a program's.
pub(super) fn changes_shell(cmd: &str) -> bool {
    if [
        "PS1",
        "PROMPT",
        "precmd",
        "fish_prompt",
        "fish_title",
        "PS0",
    ]
    .iter()
    .any(|w| cmd.contains(w))
    {
        return true;
    }
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let mut i = words.iter().take_while(|w| is_assignment(w)).count();
    while let Some(&word) = words.get(i) {
        let name = word.rsplit('/').next().unwrap_or(word);
        i += 1;
        if RUNNERS.contains(&name) {
            if matches!(name, "sudo" | "doas")
                && words
                    .get(i)
                    .is_some_and(|f| ["-i", "-s", "--login", "--shell"].contains(f))
            {
                return true;
            }
            // Skip the runner's options (and sudo's `-u user`).
            while let Some(w) = words.get(i)
                && (w.starts_with('-') || is_assignment(w))
            {
                i += if matches!(*w, "-u" | "-g" | "-C") {
                    2
                } else {
                    1
                };
            }
            continue;
        }
        if !SHELL_CHANGERS.contains(&name) {
            return false;
        }
        let shell = matches!(
            name,
            "bash"
                | "sh"
                | "zsh"
                | "fish"
                | "dash"
                | "mksh"
                | "ksh"
                | "ksh93"
                | "ash"
                | "tcsh"
                | "csh"
                | "yash"
        );
        // `bash script.sh` runs a script; `bash`, `bash -l`, `bash -i` start a shell.
        return !shell || words[i..].iter().all(|w| w.starts_with('-'));
    }
    false
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_change_the_shell() {
        for yes in [
            "bash",
            "sudo -i",
            "sudo su -",
            "su - admin",
            "ssh db-7",
            "exit",
            "/bin/zsh -l",
            "PS1='$ '",
            "sudo -u admin bash",
            "exec fish",
            "docker exec -it web sh",
            "FOO=1 bash",
        ] {
            assert!(changes_shell(yes), "{yes}");
        }
        for no in [
            "cat notes.txt",
            "bash deploy.sh",
            "sudo cat /etc/shadow",
            "ls -l",
            "sh -c 'id'",
            "",
        ] {
            assert!(!changes_shell(no), "{no}");
        }
    }

    #[test]
    fn user_and_host_around_the_first_at() {
        assert_eq!(
            user_host("[ec2-user@ip-10-0-1-11 ~]$ "),
            Some("ec2-user@ip-10-0-1-11")
        );
        assert_eq!(user_host("admin@db:~$ "), Some("admin@db"));
        assert_eq!(user_host("$ "), None);
        assert_eq!(user_host("@ "), None);
    }
}
