//! The line editor's session on screen: where it started (the anchor), and reading the
//! command back off the rows when it lets go of the line.

use std::borrow::Cow;

use super::*;

#[derive(Debug)]
pub(super) struct Edit {
    pub(super) anchor: Pos,
    pub(super) era: u32,
    /// The prompt was on the row before the editor started: it is what precedes the anchor.
    pub(super) prompt_known: bool,
    pub(super) offset: u64,
    pub(super) evidence: Evidence,
    /// Command line reported by the shell (OSC 633 E).
    pub(super) reported: Option<String>,
    /// The editor started on a row that already held a finished line (bash redraws an
    /// empty editor after `^C`): only what is written from now on counts.
    pub(super) fresh_only: bool,
}

/// The rows a command was read from, with the length of each one's last physical row.
#[derive(Debug)]
pub(super) struct Rows {
    pub(super) lines: Vec<String>,
    pub(super) lens: Vec<usize>,
    pub(super) fish: bool,
}

impl Rows {
    /// Join the rows into the command: a row that fills the width continues on the next;
    /// other rows end a line of the command (fish indents those, the command does not).
    pub(super) fn join(&self, width: Option<usize>) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            if i == 0 {
                out.push_str(line);
                continue;
            }
            if width.is_some_and(|w| self.lens[i - 1] >= w) {
                out.push_str(line);
            } else {
                out.push('\n');
                out.push_str(if self.fish { line.trim_start() } else { line });
            }
        }
        out
    }
}

impl Segmenter {
    pub(super) fn begin_edit(
        &mut self,
        screen: &mut Screen,
        offset: u64,
        evidence: Evidence,
        known: bool,
    ) {
        if self.edit.is_some() {
            return;
        }
        let (row, col) = screen.cursor();
        let line = screen.logical_start(row);
        self.take_output(screen, line);
        screen.era += 1;
        screen.editing = true;
        screen.truncated = false;
        screen.pin = line;
        // zsh draws its prompt before the editor starts (and marks each prompt with
        // PROMPT_SP); bash and fish draw it after. Text left of the cursor on a bash row is
        // output that did not end in a newline.
        let prompt_known = known || (col > 0 && screen.prompt_sp_mark.is_some());
        let fresh_only = row < self.out_row;
        self.edit = Some(Edit {
            anchor: screen.pos(row, col),
            era: screen.era,
            prompt_known,
            offset,
            evidence,
            reported: None,
            fresh_only,
        });
    }

    /// The editor let go of the line: read it off the screen.
    pub(super) fn end_edit(&mut self, screen: &mut Screen, offset: u64, at_end: bool) {
        let Some(edit) = self.edit.take() else { return };
        screen.editing = false;
        // bash and fish echo ^C; zsh leaves cursor-key mode on when a line is interrupted.
        let interrupted =
            screen.undo_interrupt_echo(screen.cursor().0) || (!at_end && self.cursor_keys);
        let end_row = match screen.lf_from {
            Some(r) if !at_end => r,
            _ => screen.cursor().0,
        };
        let end_line = screen.logical_start(end_row);
        let end_last = screen.logical_end(end_line);
        let mut first_line = edit.anchor.line;
        let mut from = edit.anchor.off;
        let mut prompt_known = edit.prompt_known;
        let mut min_era = edit.era;
        if screen.row(first_line).is_none() || first_line > end_line {
            first_line = end_line;
            from = 0;
            prompt_known = false;
        }
        // A prompt reprinted below the anchor (after a completion list) starts the line anew.
        let mut r = screen.logical_end(first_line) + 1;
        let first_prompt = if r > end_line {
            String::new() // one line: nothing below it to compare
        } else if prompt_known {
            screen
                .line_text(first_line, 0, 0)
                .chars()
                .take(from)
                .collect::<String>()
        } else {
            let t = screen.line_text(first_line, from, 0);
            let (n, _) = self.learner.split(&t);
            t[..n].to_owned()
        };
        let first_prompt = first_prompt.trim_end();
        let mut abandoned_lines: Vec<(String, bool)> = Vec::new();
        while r <= end_line {
            let line = screen.logical_start(r);
            if line == r && screen.row(r).is_some_and(|row| !row.wrapped) {
                let t = screen.line_text(r, 0, 0);
                let same = !first_prompt.is_empty() && t.starts_with(first_prompt);
                if same || self.learner.match_learned(&t).is_some() {
                    // fish keeps its editor on after ^C and draws a fresh prompt below.
                    let before = screen.line_text(first_line, from, 0);
                    if let Some(abandoned) = before.trim_end().strip_suffix("^C") {
                        abandoned_lines.push((abandoned.to_owned(), prompt_known));
                    }
                    first_line = r;
                    if same && prompt_known {
                        // The same prompt drawn again (zsh after Ctrl-L): it still precedes
                        // the typing, and older cells (RPROMPT) are still not typed text.
                        from = first_prompt.chars().count();
                    } else {
                        from = 0;
                        prompt_known = false;
                        min_era = 0;
                    }
                }
            }
            r = screen.logical_end(r) + 1;
        }
        if !prompt_known && !edit.fresh_only {
            min_era = 0;
        }
        for (text, known) in abandoned_lines {
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
                span: Span {
                    start: edit.offset,
                    end: offset,
                },
                cwd: self.cwd.clone(),
                evidence: EvidenceSet::from([edit.evidence, found.evidence(), Evidence::Interrupt]),
                ..Command::default()
            };
            self.accept(cmd, end_row, known);
        }
        // Read the lines, and the length of the last row of each: a shell that manages the
        // margin itself (fish) moves to the next row with CR LF, so a full row followed by
        // another is one line, not two.
        let mut truncated = screen.truncated
            || (first_line..=end_last).any(|r| screen.row(r).is_some_and(|row| row.truncated));
        let mut evidence = EvidenceSet::from([edit.evidence]);
        // The first line, borrowed from its row when it is plain (most command lines are one
        // such row: then nothing is copied but the prompt and the command).
        let first_text = if first_line <= end_line {
            // A line of several rows is read into a spare string; it becomes the command.
            screen.line_in(first_line, from, min_era, || {
                self.spare.command().into_bytes()
            })
        } else {
            Cow::Borrowed("")
        };
        // The prompt, and how many bytes of the line precede the typing.
        let (prompt, skip) = if prompt_known {
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
        let last = screen.logical_end(first_line);
        let width = screen.width();
        let mut rows = None;
        let mut command = if last >= end_line {
            typed
        } else {
            // Buffers kept from the last command line of several rows.
            let mut lines = std::mem::take(&mut self.lines_buf);
            let mut lens = std::mem::take(&mut self.lens_buf);
            lines.clear();
            lens.clear();
            lines.push(typed);
            lens.push(screen.row(last).map_or(0, |row| row.len()));
            let mut r = last + 1;
            while r <= end_line && lines.len() < MAX_COMMAND_ROWS {
                lines.push(screen.line_text(r, 0, 0));
                let last = screen.logical_end(r);
                lens.push(screen.row(last).map_or(0, |row| row.len()));
                r = last + 1;
            }
            if r <= end_line {
                truncated = true;
            }
            let read = Rows {
                lines,
                lens,
                fish: self.shell == Shell::Fish,
            };
            let command = read.join(width);
            rows = Some(read);
            command
        };
        if let Some(rep) = edit.reported {
            command = rep;
            evidence.insert(Evidence::ShellReported);
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
        if screen.width_changes > 0 {
            evidence.insert(Evidence::WidthInferred);
        }
        self.out_row = end_last + 1;
        screen.pin = self.out_row;
        let mut cmd = Command {
            command,
            prompt,
            cancelled,
            span: Span {
                start: edit.offset,
                end: offset,
            },
            cwd: self.cwd.clone(),
            evidence,
            truncated,
            ..Command::default()
        };
        cap_command(&mut cmd);
        if self.shell == Shell::Bash
            && memchr::memchr(b'\n', cmd.command.as_bytes()).is_some()
            && !cmd.cancelled
        {
            // bash runs a multi-line buffer (a paste) one complete command at a time.
            let parts = shell::split_complete(&cmd.command);
            let n = parts.len();
            for (i, part) in parts.into_iter().enumerate() {
                let mut c = cmd.clone();
                c.command = part;
                if i > 0 {
                    c.prompt.clear();
                }
                self.accept(c, end_row, prompt_known || i > 0);
                if i + 1 < n {
                    // Their output is interleaved on screen; it all goes to the last one.
                    self.flush_pending(cmd.span.start);
                }
            }
            return;
        }
        let start = cmd.span.start;
        self.accept(cmd, end_row, prompt_known);
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
