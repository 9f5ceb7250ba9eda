//! Keystrokes, when the recorder logged the input side too (asciicast `"i"` events,
//! `script --log-in`/`--log-io`): the lines the user typed, read the way a line editor reads
//! them, to check the command lines the screen shows against.
//!
//! Only the keys whose effect is certain from the keys alone are followed: printing
//! characters, erasing ones (backspace, `^U`, `^K`, `^W`), cursor moves inside the line,
//! bracketed paste, `^C`. A key that pulls in text from elsewhere (history, completion, a
//! search, a yank, an autosuggestion taken at the end of the line, `!` expansion) makes the
//! line *unknown*: it neither confirms nor contradicts what the screen shows.
//!
//! A shell without a line editor (dash, `sh`) reads the line the terminal's cooked mode
//! made: every byte as it came but the erase, kill and word-erase keys. Each line is read
//! both ways, and a command line matches either reading; blanks are compared as blanks (a
//! pasted TAB shows as spaces).
//!
//! What was typed is never written into a record: a password typed with echo off is in
//! these keystrokes and nowhere on the screen, and it stays here.

use std::collections::VecDeque;

use crate::limits::{MAX_COMMAND, MAX_TYPED_LINES};
use crate::record::{Command, Evidence};

/// How a command line compares with the keystrokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// A line typed since the last command had this text.
    Typed,
    /// A line typed then has text the keys alone do not tell.
    Unknown,
    /// No line typed since the last command has this text, and none is unknown.
    NeverTyped,
}

/// Where an escape sequence being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Esc {
    #[default]
    None,
    /// After `ESC`.
    Start,
    /// After `ESC [` or `ESC O`, with the first parameter so far and whether a second one
    /// (a modifier: Alt-, Ctrl-Left move by words) came.
    Seq { ss3: bool, param: u16, more: bool },
}

/// The reading state of one session's keystrokes.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    line: Vec<char>,
    cursor: usize,
    /// A key made the line's text unknown.
    unknown: bool,
    esc: Esc,
    paste: bool,
    /// Bytes of a UTF-8 character split across input events.
    partial: Vec<u8>,
    /// The line as the terminal's cooked mode reads it.
    cooked: Vec<char>,
    /// Length of the cooked reading before the escape sequence being read.
    cooked_mark: usize,
    /// What was typed on the line before the shell's editor started it: typed ahead, or
    /// typed to the program before (a key that quit `top`).
    before_prompt: Option<String>,
    /// Lines entered and not yet matched to a command.
    entered: VecDeque<Typed>,
}

/// One line entered, read in each way, blanks collapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Typed {
    /// As a line editor reads it; `None` when a key made it unknown.
    editor: Option<String>,
    /// As cooked mode reads it.
    cooked: String,
    /// As the editor reads it without what was typed before the editor started.
    after_prompt: Option<String>,
    /// The editor's reading as typed, when it holds a TAB: the screen shows a TAB typed or
    /// pasted into a line as blanks, and this says which blanks were one.
    with_tab: Option<String>,
}

impl Typed {
    fn reads(&self, line: &str) -> bool {
        self.cooked == line
            || self.editor.as_deref() == Some(line)
            || self.after_prompt.as_deref() == Some(line)
    }
}

/// `s` with its blanks collapsed to one space and none at the ends.
fn blanks_collapsed(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

impl Keys {
    /// Read typed bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        if !self.partial.is_empty() {
            self.partial.extend_from_slice(bytes);
            rest = &[];
        }
        let owned = std::mem::take(&mut self.partial);
        let data = if owned.is_empty() { rest } else { &owned[..] };
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if b < 0x80 {
                self.cooked_byte(b);
                self.byte(b);
                i += 1;
                continue;
            }
            let len = match b {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if i + len > data.len() {
                self.partial.extend_from_slice(&data[i..]);
                break;
            }
            match std::str::from_utf8(&data[i..i + len]) {
                Ok(s) => s.chars().for_each(|c| {
                    self.cooked_push(c);
                    self.insert(c)
                }),
                Err(_) => self.unknown = true,
            }
            i += len;
        }
    }

    /// The terminal's cooked mode: erase, kill and word-erase edit, Enter and `^C` end
    /// the line (in [`Keys::enter`], [`Keys::clear`]), the rest is taken as it came.
    fn cooked_byte(&mut self, b: u8) {
        match b {
            0x7f | 0x08 => {
                self.cooked.pop();
            }
            0x15 => self.cooked.clear(),
            0x17 => {
                while self.cooked.last() == Some(&' ') {
                    self.cooked.pop();
                }
                while self.cooked.last().is_some_and(|&c| c != ' ') {
                    self.cooked.pop();
                }
            }
            b'\r' | b'\n' | 0x03 | 0x04 => {}
            _ => self.cooked_push(char::from(b)),
        }
    }

    fn cooked_push(&mut self, c: char) {
        if self.cooked.len() < MAX_COMMAND {
            self.cooked.push(c);
        }
    }

    fn byte(&mut self, b: u8) {
        match self.esc {
            Esc::Start => return self.after_esc(b),
            Esc::Seq { ss3, param, more } => return self.in_seq(b, ss3, param, more),
            Esc::None => {}
        }
        if self.paste {
            return match b {
                0x1b => self.esc = Esc::Start,
                b'\r' | b'\n' => self.enter(),
                b'\t' => self.insert('\t'),
                _ if b >= 0x20 => self.insert(char::from(b)),
                _ => {}
            };
        }
        match b {
            b'\r' | b'\n' => self.enter(),
            0x1b => {
                self.esc = Esc::Start;
                self.cooked_mark = self.cooked.len().saturating_sub(1);
            }
            0x7f | 0x08 => {
                if self.cursor > 0 {
                    self.cursor -= 1;
                    self.line.remove(self.cursor);
                }
            }
            0x01 => self.cursor = 0,
            0x02 => self.cursor = self.cursor.saturating_sub(1),
            0x05 | 0x06 => self.forward(b == 0x05),
            0x04 if self.cursor < self.line.len() => {
                self.line.remove(self.cursor);
            }
            // End of input to a program reading the terminal.
            0x04 if self.line.is_empty() => {}
            0x0b => self.line.truncate(self.cursor),
            0x15 => {
                self.line.drain(..self.cursor);
                self.cursor = 0;
            }
            0x17 => self.erase_word(),
            0x03 => self.clear(),
            0x0c => {}
            0x20..=0x7e => self.insert(char::from(b)),
            // TAB, history, search, yank, transpose, EOF, quoted insert, …
            _ => self.unknown = true,
        }
    }

    fn after_esc(&mut self, b: u8) {
        self.esc = match b {
            b'[' => Esc::Seq {
                ss3: false,
                param: 0,
                more: false,
            },
            b'O' => Esc::Seq {
                ss3: true,
                param: 0,
                more: false,
            },
            _ => {
                // Alt-key: word moves, case changes, history. ESC ESC: another start.
                self.unknown = true;
                if b == 0x1b { Esc::Start } else { Esc::None }
            }
        };
    }

    fn in_seq(&mut self, b: u8, ss3: bool, param: u16, more: bool) {
        if (0x30..0x40).contains(&b) {
            let more = more || !b.is_ascii_digit();
            let param = if b.is_ascii_digit() && !more {
                param.saturating_mul(10).saturating_add(u16::from(b - b'0'))
            } else {
                param
            };
            self.esc = Esc::Seq { ss3, param, more };
            return;
        }
        self.esc = Esc::None;
        match (b, param) {
            // The terminal's answers to queries (cursor position, device attributes) and
            // focus reports come on the input too, but no one typed them.
            (b'R' | b'c' | b'I' | b'O', _) if !ss3 => self.cooked.truncate(self.cooked_mark),
            (b'~', 200) => self.paste = true,
            (b'~', 201) => self.paste = false,
            _ if self.paste => {}
            _ if more => self.unknown = true,
            (b'D', _) => self.cursor = self.cursor.saturating_sub(1),
            (b'C', _) => self.forward(false),
            (b'H', _) | (b'~', 1 | 7) => self.cursor = 0,
            (b'F', _) | (b'~', 4 | 8) => self.forward(true),
            (b'~', 3) if self.cursor < self.line.len() => {
                self.line.remove(self.cursor);
            }
            (b'~', 3) => {}
            _ => self.unknown = true,
        }
    }

    /// Right or End: at the end of the line, zsh and fish take the suggestion shown there.
    fn forward(&mut self, to_end: bool) {
        if self.cursor == self.line.len() {
            self.unknown = true;
        }
        self.cursor = if to_end {
            self.line.len()
        } else {
            (self.cursor + 1).min(self.line.len())
        };
    }

    fn insert(&mut self, c: char) {
        if self.line.len() >= MAX_COMMAND {
            self.unknown = true;
            return;
        }
        self.line.insert(self.cursor, c);
        self.cursor += 1;
    }

    fn erase_word(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.line[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && self.line[start - 1] != ' ' {
            start -= 1;
        }
        self.line.drain(start..self.cursor);
        self.cursor = start;
    }

    fn clear(&mut self) {
        self.line.clear();
        self.cooked.clear();
        self.before_prompt = None;
        self.cursor = 0;
        self.unknown = false;
    }

    fn enter(&mut self) {
        let text: String = self.line.iter().collect();
        // bash expands `!…` and `^old^new` and shows the expansion.
        let expands = text.contains('!') || text.starts_with('^');
        let known = !self.unknown && !expands;
        if self.entered.len() >= MAX_TYPED_LINES {
            self.entered.pop_front();
        }
        let cooked: String = self.cooked.iter().collect();
        let after_prompt = match &self.before_prompt {
            Some(p) if known => text.strip_prefix(p.as_str()).map(blanks_collapsed),
            _ => None,
        };
        self.entered.push_back(Typed {
            with_tab: (known && text.contains('\t')).then(|| text.clone()),
            editor: known.then(|| blanks_collapsed(&text)),
            cooked: blanks_collapsed(&cooked),
            after_prompt,
        });
        self.clear();
    }

    /// The shell's line editor started a line: what is typed on it so far came before.
    pub fn editor_started(&mut self) {
        self.before_prompt = (!self.line.is_empty()).then(|| self.line.iter().collect());
    }

    /// What was typed so far was typed to a program, not the shell (it ran full screen).
    pub fn forget(&mut self) {
        self.entered.clear();
        self.clear();
    }

    /// Match a command line to the lines typed since the last one, and consume them; with
    /// the verdict, the lines typed before the one that matched (as cooked mode read them).
    pub fn judge(&mut self, cmd: &mut Command) -> (Verdict, Vec<String>) {
        let more_lines = cmd.command.matches('\n').count();
        let first = blanks_collapsed(cmd.command.split('\n').next().unwrap_or(""));
        let found = self.entered.iter().position(|t| t.reads(&first));
        let unknown = self.entered.iter().position(|t| t.editor.is_none());
        let skipped: Vec<String>;
        let verdict = match (found, unknown) {
            (Some(i), _) => {
                skipped = self.entered.drain(..i).map(|t| t.cooked).collect();
                let typed = self.entered.pop_front();
                // The screen's blanks where a TAB was typed: the keys tell the line.
                if let Some(t) = typed.and_then(|t| t.with_tab)
                    && more_lines == 0
                    && blanks_collapsed(&t) == first
                {
                    cmd.command = t;
                }
                Verdict::Typed
            }
            (None, Some(u)) => {
                skipped = self.entered.drain(..u).map(|t| t.cooked).collect();
                self.entered.pop_front();
                Verdict::Unknown
            }
            (None, None) => return (self.never_typed(cmd), Vec::new()),
        };
        // The lines of a multi-line command were entered one by one.
        for _ in 0..more_lines {
            self.entered.pop_front();
        }
        if verdict == Verdict::Typed {
            cmd.evidence.insert(Evidence::Keystrokes);
        }
        (verdict, skipped)
    }

    fn never_typed(&mut self, cmd: &mut Command) -> Verdict {
        cmd.evidence.insert(Evidence::NeverTyped);
        Verdict::NeverTyped
    }

    /// Where the typed part of `line` starts, when a line typed since the last command is
    /// its end and what comes before it ends in a blank: a prompt no pattern knew (old fish's
    /// `~/src (main) `) is the rest.
    pub fn typed_suffix(&self, line: &str) -> Option<usize> {
        if line.len() > 4096 || self.entered.is_empty() {
            return None;
        }
        line.char_indices()
            .filter(|&(i, c)| {
                i > 0 && !c.is_whitespace() && line[..i].ends_with(char::is_whitespace)
            })
            .map(|(i, _)| i)
            .find(|&i| {
                let rest = blanks_collapsed(&line[i..]);
                self.entered.iter().any(|t| t.reads(&rest))
            })
    }

    /// A continuation line joined the command before: its typed line is consumed.
    pub fn continued(&mut self) {
        self.entered.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[u8]) -> Vec<Option<String>> {
        let mut k = Keys::default();
        for b in keys.chunks(1) {
            k.feed(b);
        }
        k.entered.into_iter().map(|t| t.editor).collect()
    }

    #[test]
    fn editing_keys() {
        let s = |t: &str| Some(t.to_owned());
        assert_eq!(typed(b"ls -l\r"), [s("ls -l")]);
        assert_eq!(typed(b"lx\x7fs\r"), [s("ls")]);
        assert_eq!(typed(b"echo wrld\x1b[D\x1b[D\x1b[Do\r"), [s("echo world")]);
        assert_eq!(typed(b"rm -rf /tmp/x\x03echo ok\r"), [s("echo ok")]);
        assert_eq!(typed(b"junk here\x15ls\r"), [s("ls")]);
        assert_eq!(typed(b"echo one two\x17three\r"), [s("echo one three")]);
        assert_eq!(
            typed(b"\x1b[200~echo a\recho b\x1b[201~\r"),
            [s("echo a"), s("echo b")]
        );
        assert_eq!(typed("echo é\r".as_bytes()), [s("echo é")]);
        assert_eq!(typed(b"ec\tfoo\r"), [None], "completion");
        assert_eq!(typed(b"\x1b[A\r"), [None], "history");
        assert_eq!(typed(b"ls\x1b[C\r"), [None], "a suggestion taken");
        assert_eq!(typed(b"echo !!\r"), [None], "history expansion");
        assert_eq!(typed(b"ls\x1bOD\x1bOCx\r"), [s("lsx")], "SS3 arrows");
        assert_eq!(typed(b"echo end\x1b[1;3Dx\r"), [None], "a word move");
        assert_eq!(
            typed(b"v\x1b[2;2R\x1b[>0;95;0cim\r"),
            [s("vim")],
            "terminal answers"
        );
    }

    #[test]
    fn cooked_mode_and_blanks() {
        let mut k = Keys::default();
        k.feed(b"echo left\x1b[D\r\x1b[200~echo 'a\tb'\x1b[201~\r");
        assert_eq!(
            k.judge(&mut cmd("echo left\x1b[D")).0,
            Verdict::Typed,
            "dash reads ESC as typed"
        );
        assert_eq!(
            k.judge(&mut cmd("echo 'a       b'")).0,
            Verdict::Typed,
            "a TAB drawn as blanks"
        );
        k.feed(b"\x1b[200~echo 'x\ty'\x1b[201~\r");
        let mut tab = cmd("echo 'x       y'");
        assert_eq!(k.judge(&mut tab).0, Verdict::Typed);
        assert_eq!(tab.command, "echo 'x\ty'", "the TAB the keys typed");
        // `q` quit top, then the shell's prompt came.
        k.feed(b"q");
        k.editor_started();
        k.feed(b"echo done\r");
        assert_eq!(k.judge(&mut cmd("echo done")).0, Verdict::Typed);
    }

    fn cmd(text: &str) -> Command {
        Command {
            command: text.to_owned(),
            ..Command::default()
        }
    }

    #[test]
    fn judging() {
        let mut k = Keys::default();
        k.feed(b"read -s pw\rhunter2\rcat notes\r");
        let mut c = cmd("read -s pw");
        assert_eq!(k.judge(&mut c).0, Verdict::Typed);
        assert!(c.evidence.contains(Evidence::Keystrokes));
        // The password was typed to `read`: skipped over, never matched.
        assert_eq!(k.judge(&mut cmd("cat notes")).0, Verdict::Typed);
        let mut forged = cmd("rm -rf /var/log/audit");
        assert_eq!(k.judge(&mut forged).0, Verdict::NeverTyped);
        assert!(forged.evidence.contains(Evidence::NeverTyped));
        k.feed(b"\x1b[A\r");
        assert_eq!(k.judge(&mut cmd("cat notes")).0, Verdict::Unknown);
    }

    #[test]
    fn past_max_typed_lines_the_oldest_are_forgotten() {
        let mut k = Keys::default();
        k.feed(b"first\r");
        for _ in 0..MAX_TYPED_LINES {
            k.feed(b"x\r");
        }
        assert_eq!(k.entered.len(), MAX_TYPED_LINES);
        assert_eq!(k.judge(&mut cmd("first")).0, Verdict::NeverTyped);
    }
}
