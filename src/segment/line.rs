//! Reading a command line off the screen when the editor lets go of it, in stages, each a
//! function of what the one before found:
//!
//! 1. [`Segmenter::locate`]: which rows hold the line — from the editor's anchor to the
//!    row the cursor left, unless a prompt was drawn again below the anchor (after a
//!    completion list, zsh's Ctrl-L, fish's `^C`), which starts the line anew;
//! 2. [`Segmenter::read_line`]: the text of those rows, split into prompt and typing;
//! 3. [`Segmenter::classify`]: what the line was — reported by the shell, interrupted,
//!    cut off by the end of the input — and its evidence;
//! 4. [`Segmenter::emit`]: handed on as one command, or as the several a bash paste runs.

use std::borrow::Cow;

use super::editor::{Edit, Rows};
use super::*;

/// Where the edited line is on screen.
#[derive(Debug)]
pub(super) struct Located {
    /// First row of the line, and the column the typing starts at on it.
    pub first_line: u64,
    pub from: usize,
    /// The prompt is what precedes `from` (it was drawn before the editor started).
    pub prompt_known: bool,
    /// Cells of older eras than this are not typed text.
    pub min_era: u32,
    /// The row the line ended on (the cursor's, or the one a line feed left).
    pub end_row: u64,
    pub end_line: u64,
    pub end_last: u64,
    /// Lines abandoned with `^C` above a prompt drawn again, and whether their prompt was
    /// known.
    pub abandoned: Vec<(String, bool)>,
}

/// A line read off the rows.
#[derive(Debug)]
pub(super) struct ReadLine {
    pub prompt: String,
    pub command: String,
    pub evidence: EvidenceSet,
    pub truncated: bool,
    /// The rows of a line of several, kept to be joined again once the width is known.
    pub rows: Option<Rows>,
}

impl Segmenter {
    /// Stage 1: where the line is.
    pub(super) fn locate(&mut self, screen: &Screen, edit: &Edit, at_end: bool) -> Located {
        let end_row = match screen.lf_from() {
            Some(r) if !at_end => r,
            _ => screen.cursor().0,
        };
        let end_line = screen.logical_start(end_row);
        let end_last = screen.logical_end(end_line);
        let mut at = Located {
            first_line: edit.anchor.line,
            from: edit.anchor.off,
            prompt_known: edit.prompt_known,
            min_era: edit.era,
            end_row,
            end_line,
            end_last,
            abandoned: Vec::new(),
        };
        if screen.row(at.first_line).is_none() || at.first_line > end_line {
            at.first_line = end_line;
            at.from = 0;
            at.prompt_known = false;
        }
        self.find_reprinted_prompt(screen, &mut at);
        if !at.prompt_known && !edit.fresh_only {
            at.min_era = 0;
        }
        at
    }

    /// A prompt drawn again below the first line (after a completion list) starts the line
    /// anew; a line above it that ends in `^C` was abandoned (fish keeps its editor on after
    /// `^C` and draws a fresh prompt below).
    fn find_reprinted_prompt(&mut self, screen: &Screen, at: &mut Located) {
        let mut r = screen.logical_end(at.first_line) + 1;
        if r > at.end_line {
            return; // one line: nothing below it to compare
        }
        let first_prompt = if at.prompt_known {
            screen
                .line_text(at.first_line, 0, 0)
                .chars()
                .take(at.from)
                .collect::<String>()
        } else {
            let t = screen.line_text(at.first_line, at.from, 0);
            let (n, _) = self.learner.split(&t);
            t[..n].to_owned()
        };
        let first_prompt = first_prompt.trim_end();
        while r <= at.end_line {
            let line = screen.logical_start(r);
            if line == r && screen.row(r).is_some_and(|row| !row.wrapped) {
                let t = screen.line_text(r, 0, 0);
                let same = !first_prompt.is_empty() && t.starts_with(first_prompt);
                if same || self.learner.match_learned(&t).is_some() {
                    let before = screen.line_text(at.first_line, at.from, 0);
                    if let Some(abandoned) = before.trim_end().strip_suffix("^C") {
                        at.abandoned.push((abandoned.to_owned(), at.prompt_known));
                    }
                    at.first_line = r;
                    if same && at.prompt_known {
                        // The same prompt drawn again (zsh after Ctrl-L): it still precedes
                        // the typing, and older cells (RPROMPT) are still not typed text.
                        at.from = first_prompt.chars().count();
                    } else {
                        at.from = 0;
                        at.prompt_known = false;
                        at.min_era = 0;
                    }
                }
            }
            r = screen.logical_end(r) + 1;
        }
    }

    /// A line abandoned with `^C` above the one read: a cancelled command.
    pub(super) fn abandoned(
        &mut self,
        text: String,
        known: bool,
        edit: &Edit,
        span: Span,
        row: u64,
    ) {
        let (prompt, command, found) = if known {
            (String::new(), text.trim_start().to_owned(), Found::Learned)
        } else {
            let (n, found) = self.learner.split(&text);
            (text[..n].to_owned(), text[n..].to_owned(), found)
        };
        let cmd = Command {
            command,
            prompt,
            cancelled: true,
            span,
            cwd: self.cwd.clone(),
            evidence: EvidenceSet::from([edit.evidence, found.evidence(), Evidence::Interrupt]),
            ..Command::default()
        };
        self.accept(cmd, row, known, false);
    }

    /// Stage 2: the line's text, split into prompt and typing.
    pub(super) fn read_line(&mut self, screen: &Screen, at: &Located) -> ReadLine {
        let (first_line, from) = (at.first_line, at.from);
        let truncated = screen.lost_pinned()
            || (first_line..=at.end_last).any(|r| screen.row(r).is_some_and(|row| row.truncated));
        let mut evidence = EvidenceSet::default();
        // The first line, borrowed from its row when it is plain (most command lines are one
        // such row: then nothing is copied but the prompt and the command).
        let first_text = if first_line <= at.end_line {
            // A line of several rows is read into a spare string; it becomes the command.
            screen.line_in(first_line, from, at.min_era, || {
                self.spare.command().into_bytes()
            })
        } else {
            Cow::Borrowed("")
        };
        // The prompt, and how many bytes of the line precede the typing.
        let (prompt, skip) = if at.prompt_known {
            evidence.insert(Evidence::PromptBeforeEditor);
            let prompt = screen
                .line_str(first_line, 0, 0)
                .chars()
                .take(from)
                .collect();
            (prompt, first_text.len() - first_text.trim_start().len())
        } else {
            let (n, found) = self.learner.split(&first_text);
            evidence.insert(found.evidence());
            let mut prompt = self.spare.prompt();
            prompt.push_str(&first_text[..n]);
            (prompt, n)
        };
        // The typing: cut from a line read into its own buffer (a line of several rows),
        // copied from one borrowed.
        let typed = match first_text {
            Cow::Borrowed(text) => {
                let mut typed = self.spare.command();
                typed.push_str(&text[skip..]);
                typed
            }
            Cow::Owned(mut text) => {
                text.replace_range(..skip, "");
                text
            }
        };
        let mut read = ReadLine {
            prompt,
            command: typed,
            evidence,
            truncated,
            rows: None,
        };
        if screen.logical_end(first_line) < at.end_line {
            self.read_more_rows(screen, at, &mut read);
        }
        read
    }

    /// The lines after the first, up to [`MAX_COMMAND_ROWS`], and the length of the last row
    /// of each: a shell that manages the margin itself (fish) moves to the next row with CR
    /// LF, so a full row followed by another is one line, not two.
    fn read_more_rows(&mut self, screen: &Screen, at: &Located, read: &mut ReadLine) {
        let last = screen.logical_end(at.first_line);
        // Buffers kept from the last command line of several rows.
        let mut lines = std::mem::take(&mut self.lines_buf);
        let mut lens = std::mem::take(&mut self.lens_buf);
        lines.clear();
        lens.clear();
        lines.push(std::mem::take(&mut read.command));
        lens.push(screen.row(last).map_or(0, |row| row.len()));
        let mut r = last + 1;
        while r <= at.end_line && lines.len() < MAX_COMMAND_ROWS {
            lines.push(screen.line_text(r, 0, 0));
            let last = screen.logical_end(r);
            lens.push(screen.row(last).map_or(0, |row| row.len()));
            r = last + 1;
        }
        if r <= at.end_line {
            read.truncated = true;
        }
        let rows = Rows {
            lines,
            lens,
            indented: quirks::of(self.shell).indents_continuations,
        };
        read.command = rows.join(screen.width());
        read.rows = Some(rows);
    }

    /// Stage 3: what the line was, as a command with its evidence.
    pub(super) fn classify(
        &mut self,
        read: ReadLine,
        edit: &Edit,
        span: Span,
        interrupted: bool,
        at_end: bool,
        screen: &Screen,
    ) -> (Command, Option<Rows>) {
        let ReadLine {
            prompt,
            mut command,
            mut evidence,
            truncated,
            rows,
        } = read;
        evidence.insert(edit.evidence);
        if edit.marked {
            evidence.insert(Evidence::PromptMark);
        }
        let mut cancelled = at_end || interrupted;
        if interrupted {
            evidence.insert(Evidence::Interrupt);
        }
        if at_end {
            evidence.insert(Evidence::EndOfInput);
        }
        if let Some(c) = command.trim_end().strip_suffix("^C") {
            command = c.to_owned();
            cancelled = true;
            evidence.insert(Evidence::Interrupt);
        }
        if screen.width_changes() > 0 {
            evidence.insert(Evidence::WidthInferred);
        }
        let mut cmd = Command {
            command,
            prompt,
            cancelled,
            span,
            cwd: self.cwd.clone(),
            evidence,
            truncated,
            ..Command::default()
        };
        cap_command(&mut cmd);
        if let Some((rep, cut)) = &edit.reported {
            weigh_report(&mut cmd, rep, *cut);
        }
        (cmd, rows)
    }

    /// Stage 4: hand the command on (bash runs a multi-line buffer, a paste, one complete
    /// command at a time), and keep its rows while the width is unknown.
    pub(super) fn emit(
        &mut self,
        (cmd, rows): (Command, Option<Rows>),
        at: &Located,
        width: Option<usize>,
        enter: habit::Enter,
    ) {
        if quirks::of(self.shell).runs_lines_one_by_one
            && memchr::memchr(b'\n', cmd.command.as_bytes()).is_some()
            && !cmd.cancelled
        {
            let parts = shell::split_complete(&cmd.command);
            let n = parts.len();
            for (i, part) in parts.into_iter().enumerate() {
                let mut c = cmd.clone();
                c.command = part;
                if i > 0 {
                    c.prompt.clear();
                } else {
                    self.enter = enter;
                }
                self.accept(c, at.end_row, at.prompt_known || i > 0, false);
                if i + 1 < n {
                    // Their output is interleaved on screen; it all goes to the last one.
                    self.flush_pending(cmd.span.start, self.prompt_time);
                }
            }
            return;
        }
        let start = cmd.span.start;
        self.enter = enter;
        self.accept(cmd, at.end_row, at.prompt_known, false);
        let Some(rows) = rows else { return };
        // Whether a full row continues on the next can only be told once the width is known.
        if width.is_none()
            && let Some(p) = &mut self.pending
            && p.cmd.span.start == start
        {
            p.rows = Some(rows);
        } else {
            self.lines_buf = rows.lines;
            self.lens_buf = rows.lens;
        }
    }
}

/// The shell reported the command line (OSC 633 `E`; `cut` when the parser kept only the
/// start of it): it confirms the line the screen shows, or, when it says something else,
/// is kept beside it. Never in its place: any program can print a report, and the screen
/// is what the user saw typed.
pub(super) fn weigh_report(cmd: &mut Command, report: &str, cut: bool) {
    let (shown, report) = (cmd.command.trim(), report.trim());
    if report == shown || (cut && shown.starts_with(report)) {
        cmd.evidence.insert(Evidence::ShellReported);
        return;
    }
    cmd.evidence.insert(Evidence::ShellReportDiffers);
    if cmd.alternatives.len() < MAX_ALTERNATIVES {
        cmd.alternatives.push(report.to_owned());
        cmd.truncated |= cut;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::infer::test_screen::draw;
    use crate::terminal::view::FIRST_ERA;

    /// An edit that started at (`row`, `col`) of `screen`.
    fn edit(screen: &Screen, row: u64, col: usize, prompt_known: bool) -> Edit {
        Edit {
            anchor: screen.pos(row, col),
            era: FIRST_ERA,
            prompt_known,
            marked: false,
            bracketed: true,
            offset: 0,
            evidence: Evidence::BracketedPaste,
            reported: None,
            fresh_only: false,
        }
    }

    fn read(bytes: &[u8], row: u64, col: usize, prompt_known: bool) -> (Located, ReadLine) {
        let screen = draw(Some(40), |_| {}, bytes);
        let mut seg = Segmenter::new(None);
        let e = edit(&screen, row, col, prompt_known);
        let at = seg.locate(&screen, &e, false);
        let line = seg.read_line(&screen, &at);
        (at, line)
    }

    #[test]
    fn one_row_is_split_at_the_prompt_drawn_before_the_editor() {
        let (at, line) = read(b"$ echo hi", 0, 2, true);
        assert_eq!((at.first_line, at.from, at.end_line), (0, 2, 0));
        assert_eq!(
            (line.prompt.as_str(), line.command.as_str()),
            ("$ ", "echo hi")
        );
        assert!(line.evidence.contains(Evidence::PromptBeforeEditor));
        assert!(line.rows.is_none() && !line.truncated);
    }

    #[test]
    fn without_a_known_prompt_the_shape_splits_the_row() {
        let (_, line) = read(b"$ ls -l", 0, 0, false);
        assert_eq!(
            (line.prompt.as_str(), line.command.as_str()),
            ("$ ", "ls -l")
        );
        assert!(line.evidence.contains(Evidence::PromptShape));
    }

    #[test]
    fn a_prompt_drawn_again_below_a_completion_list_starts_the_line() {
        let (at, line) = read(
            b"$ cat rep\x07\r\nreport-1  report-2\r\n$ cat report-2",
            0,
            0,
            false,
        );
        assert_eq!((at.first_line, at.from, at.end_line), (2, 0, 2));
        assert!(at.abandoned.is_empty());
        assert_eq!(line.command, "cat report-2");
    }

    #[test]
    fn a_line_left_with_interrupt_above_a_new_prompt_is_abandoned() {
        let (at, line) = read(b"$ sleep 10^C\r\n$ date", 0, 2, true);
        assert_eq!(at.first_line, 1);
        assert_eq!(at.abandoned, [("sleep 10".to_owned(), true)]);
        assert_eq!(line.command, "date");
    }

    #[test]
    fn rows_of_a_wrapped_line_are_read_as_one_line() {
        // 40 columns: the typing goes on on the next row.
        let typed = "x".repeat(50);
        let (at, line) = read(format!("$ {typed}").as_bytes(), 0, 2, true);
        assert_eq!((at.first_line, at.end_line), (0, 0));
        assert_eq!(line.command, typed);
    }

    fn classify(
        command: &str,
        reported: Option<(&str, bool)>,
        interrupted: bool,
        at_end: bool,
    ) -> Command {
        let screen = draw(Some(40), |_| {}, b"");
        let mut seg = Segmenter::new(None);
        let mut e = edit(&screen, 0, 0, false);
        e.reported = reported.map(|(c, cut)| (c.to_owned(), cut));
        let line = ReadLine {
            prompt: "$ ".into(),
            command: command.into(),
            evidence: EvidenceSet::from([Evidence::PromptShape]),
            truncated: false,
            rows: None,
        };
        seg.classify(line, &e, Span::default(), interrupted, at_end, &screen)
            .0
    }

    #[test]
    fn classify_says_what_the_line_was() {
        let c = classify("ls", None, false, false);
        assert!(!c.cancelled && !c.truncated);
        assert_eq!(
            c.evidence.iter().collect::<Vec<_>>(),
            [Evidence::BracketedPaste, Evidence::PromptShape]
        );
        let c = classify("sleep 10^C", None, false, false);
        assert_eq!(c.command, "sleep 10");
        assert!(c.cancelled && c.evidence.contains(Evidence::Interrupt));
        let c = classify("vim", None, false, true);
        assert!(c.cancelled && c.evidence.contains(Evidence::EndOfInput));
        let c = classify("ls", None, true, false);
        assert!(c.cancelled && c.evidence.contains(Evidence::Interrupt));
    }

    #[test]
    fn a_report_of_the_shell_confirms_the_screen_or_stands_beside_it() {
        let c = classify("ls -la ", Some(("ls -la", false)), false, false);
        assert_eq!(c.command, "ls -la ");
        assert!(c.evidence.contains(Evidence::ShellReported));
        assert!(c.alternatives.is_empty());
        // A report printed by a program must not rename what the user typed.
        let c = classify(
            "sudo rm -rf /var/log/audit",
            Some(("ls -la", false)),
            false,
            false,
        );
        assert_eq!(c.command, "sudo rm -rf /var/log/audit");
        assert!(!c.evidence.contains(Evidence::ShellReported));
        assert!(c.evidence.contains(Evidence::ShellReportDiffers));
        assert_eq!(c.alternatives, ["ls -la"]);
        // A report cut by the OSC cap confirms as far as it goes.
        let c = classify("ls -la /etc", Some(("ls -la /e", true)), false, false);
        assert!(c.evidence.contains(Evidence::ShellReported) && !c.truncated);
        let c = classify("id", Some(("ls -la /e", true)), false, false);
        assert!(c.truncated && c.alternatives == ["ls -la /e"]);
    }

    #[test]
    fn past_max_alternatives_further_reports_are_dropped() {
        let mut c = classify("id", None, false, false);
        for i in 0..MAX_ALTERNATIVES + 3 {
            weigh_report(&mut c, &format!("forged {i}"), false);
        }
        assert_eq!(c.command, "id");
        assert_eq!(c.alternatives.len(), MAX_ALTERNATIVES);
        assert_eq!(c.alternatives[0], "forged 0");
        assert!(c.evidence.contains(Evidence::ShellReportDiffers));
    }

    #[test]
    fn classify_holds_a_command_to_max_command() {
        let c = classify(&"é".repeat(MAX_COMMAND), None, false, false);
        assert!(c.command.len() <= MAX_COMMAND && c.truncated);
        assert!(c.command.chars().all(|ch| ch == 'é'));
    }
}
