//! Submission without editor marks (dash, mksh, bash without bracketed paste): a line feed
//! after a prompt line, confirmed when the shell does not move back up to redraw the line.

use super::*;

impl Segmenter {
    /// A line feed while the editor holds a line that is still blank from its anchor, or in
    /// the very write that started the editor: the prompt has a newline (NixOS's bash
    /// `PS1='\n[\u@\h:\w]\$ '`, a two-line `'\u@\h \w\n\$ '`), and the line is read
    /// from where it went.
    fn prompt_line_feed(&mut self, screen: &mut Screen, offset: u64) {
        let Some(from) = screen.lf_from() else { return };
        let writes = self.writes.as_ref();
        let Some(e) = self.phase.edit_mut() else {
            return;
        };
        let same_write = writes.is_some_and(|w| w.one(e.offset, offset + 1));
        if e.marked || e.prompt_known || from != e.anchor.line {
            return;
        }
        let blank = screen
            .row_text(from)
            .chars()
            .skip(e.anchor.off)
            .all(char::is_whitespace);
        if blank || same_write {
            let (row, col) = screen.cursor();
            e.anchor = screen.pos(row, col);
            screen.pin_at(screen.logical_start(row));
        }
    }

    pub(super) fn on_line_feed(&mut self, screen: &mut Screen, offset: u64) {
        self.drain_evicted(screen);
        let rules = self.mode.rules();
        if self.phase.edit().is_some() {
            if rules.line_feeds {
                // No editor marks in this session, so a shell mark began the edit: the line
                // feed leaving its line ends it (a mark a program printed must not hold
                // every later line in one edit).
                self.end_editing(screen, offset);
            } else {
                self.prompt_line_feed(screen, offset);
            }
            return;
        }
        if !rules.line_feeds {
            return;
        }
        match std::mem::take(&mut self.phase) {
            Phase::Entered(t) if self.redrawn(&t, screen) => {}
            Phase::Entered(t) => self.resolve_tentative(t, screen, screen.went_back_before_lf()),
            // zsh's editor was still on: the line was not submitted.
            Phase::Listing(_) => {}
            other => self.phase = other,
        }
        let Some(row) = screen.lf_from() else { return };
        let line = screen.logical_start(row);
        // Readline leaves the cursor before its wrap space, so the row left may be followed
        // by a blank continuation of the same line.
        let rest_blank = (row + 1..=screen.logical_end(row)).all(|r| screen.row_text(r).is_empty());
        if line < self.out_row || !rest_blank {
            return;
        }
        // zsh keeps cursor-key mode on while its editor runs and leaves it on when a line is
        // interrupted; both marks survive the agent's cleanup on zsh's raw-kept lines. A line
        // feed with the editor still on is a completion list or a redraw, not Enter.
        let zle_on = rules.cursor_keys_mean_editing && self.cursor_keys;
        let still_editing = zle_on && self.editor_off_row != Some(row);
        let interrupted = infer::interrupt::undo_echo(screen, row) || zle_on;
        // A bell, then nothing more on the line, then a line feed: readline may be listing
        // completions below an unfinished line; if the line comes back longer, it was.
        let bell = self
            .bell_at
            .is_some_and(|(r, c)| r == row && screen.row(row).is_some_and(|rw| rw.len() <= c));
        let (text, unscrolled, learned, lead) = self.line_left(screen, line);
        if let Some((n, found)) = self.prompt_of(&text, learned) {
            if self.shell.is_none() {
                self.shell = match screen.prompt_sp_mark() {
                    Some('⏎') => Some(Shell::Fish),
                    Some(_) => Some(Shell::Zsh),
                    None => None,
                };
            }
            let t = Tentative {
                line,
                row,
                text,
                prompt_len: n,
                found,
                unscrolled,
                interrupted,
                bell,
                cut: false,
                time: self.time,
                prompt_time: self.row_time,
                crs: screen.crs_before_lf(),
                same_event: self.event > 0 && self.line_start_event == self.event,
                lead,
                cr_col: screen.cr_col(row),
                tick: self.tick,
                start: self.line_start_offset,
                end: offset + 1,
            };
            self.phase = if still_editing {
                Phase::Listing(t)
            } else {
                Phase::Entered(t)
            };
        }
    }

    /// mksh submits with CR CR LF; fewer CRs before the line feed than its submissions have,
    /// then the same prompt and line drawn again on the next row, was a redraw (Ctrl-L).
    fn redrawn(&self, t: &Tentative, screen: &Screen) -> bool {
        screen.lf_from().is_some_and(|row| {
            self.enter_crs.is_some_and(|n| t.crs < n)
                && row == t.row + 1
                && screen
                    .line_text(screen.logical_start(row), 0, 0)
                    .starts_with(&t.text)
        })
    }

    /// The text of the line a line feed left, as the shell meant it: zsh's right prompt
    /// left out, a line mksh scrolled sideways put back together, and (CRs deleted by the
    /// agent) what a prompt redrawn over the row overwrote dropped; with whether it was
    /// unscrolled and the learned prompt it starts with.
    fn line_left(
        &mut self,
        screen: &mut Screen,
        line: u64,
    ) -> (String, bool, Option<(usize, Found)>, String) {
        let mut text = infer::rprompt::without_rprompt(screen, line);
        let mut unscrolled = false;
        let mut learned = self.learner.match_learned(&text);
        if learned.is_none()
            && infer::hscroll::window(&text).is_some()
            && let Some(whole) = infer::hscroll::unscroll(
                &text,
                &screen.snapshots().iter().collect::<Vec<_>>(),
                |t| {
                    self.learner.match_learned(t).is_some()
                        || (!self.learner.has_learned() && prompt::shape_end(t).is_some())
                },
            )
        {
            text = whole;
            unscrolled = true;
            learned = self.learner.match_learned(&text);
        }
        screen.clear_snapshots();
        let mut lead = String::new();
        if let Some((i, _)) = self.learner.find_last(&text) {
            if self.mode.rules().crs_deleted {
                // CRs deleted: the prompt redrawn over the row (after output without a
                // newline, after reverse-i-search) follows what it overwrote.
                text = text[i..].to_owned();
            } else if !unscrolled {
                // The shell's prompt after output that did not end in a newline (a file
                // whose last line is a prompt and a line, printed): that output is the
                // command's before it.
                lead = text[..i].to_owned();
                text.drain(..i);
            }
            learned = self.learner.match_learned(&text);
        }
        (text, unscrolled, learned, lead)
    }

    /// The prompt a line starts with, if it is a prompt line: a learned one, else (before
    /// any is learned, or for a continuation right after a command, a prompt like the
    /// learned ones, the first of a shell just started) one found by its shape.
    fn prompt_of(&self, text: &str, learned: Option<(usize, Found)>) -> Option<(usize, Found)> {
        match learned {
            Some(m) => Some(m),
            None if !self.learner.has_learned() && self.pending.is_none() => {
                prompt::shape_end(text).map(|n| (n, Found::Shape))
            }
            None => prompt::shape_end(text)
                .filter(|&n| {
                    let p = &text[..n];
                    let after_command = self.pending.as_ref().is_some_and(|p| p.output_lines == 0);
                    // A continuation prompt right after a command line; the same prompt with
                    // another directory in it; the first prompt of a shell just started.
                    (prompt::is_continuation(p) && after_command)
                        || (!prompt::is_continuation(p) && !prompt::is_repl(p))
                            && (self.learner.is_similar(p) || self.pending_started_shell())
                })
                .map(|n| (n, Found::Shape)),
        }
    }

    /// A line feed after a prompt line is Enter only if the line is not redrawn afterwards
    /// (readline moves down and back up to repaint a wrapped line).
    /// The command waiting for output started a shell (or something that runs one), so a
    /// prompt of a new shape may follow.
    fn pending_started_shell(&self) -> bool {
        let Some(p) = &self.pending else { return false };
        let mut words = p.cmd.command.split_whitespace();
        let mut first = words.next().unwrap_or("");
        if first == "sudo" || first == "exec" {
            first = words.find(|w| !w.starts_with('-')).unwrap_or("");
        }
        let name = first.rsplit('/').next().unwrap_or(first);
        matches!(
            name,
            "sh" | "bash"
                | "dash"
                | "zsh"
                | "fish"
                | "ksh"
                | "mksh"
                | "csh"
                | "tcsh"
                | "su"
                | "script"
                | "ssh"
                | "screen"
                | "tmux"
        ) || p.cmd.command.trim() == "sudo -i"
            || ["PS1=", "PROMPT=", "export PS1=", "export PROMPT="]
                .iter()
                .any(|a| p.cmd.command.starts_with(a))
            || p.cmd.command.trim() == "sudo -s"
    }

    /// A line left with a line feed was Enter, unless the shell `went_back` over it: it
    /// becomes a command.
    pub(super) fn resolve_tentative(&mut self, t: Tentative, screen: &mut Screen, went_back: bool) {
        if went_back {
            return;
        }
        self.enter_crs = Some(self.enter_crs.map_or(t.crs, |n| n.min(t.crs)));
        self.prompt_time = t.prompt_time;
        self.take_output(screen, t.line);
        if !t.lead.trim().is_empty() {
            self.push_output_line(t.lead.trim_end());
        }
        let mut command = t.text[t.prompt_len..].to_owned();
        // With CRs deleted, a prompt the shell drew again on the same row reads twice.
        let mut prompt_len = t.prompt_len;
        if self.mode.rules().crs_deleted {
            let first = t.text[..t.prompt_len].trim_end();
            let mut doubled = false;
            loop {
                let rest = &t.text[prompt_len..];
                let lead = rest.len() - rest.trim_start().len();
                if !first.is_empty() && rest[lead..].starts_with(first) {
                    prompt_len += lead + first.len();
                } else if let Some((n, _)) = self.learner.match_learned(rest)
                    && n > 0
                {
                    prompt_len += n;
                } else {
                    break;
                }
                doubled = true;
            }
            if doubled {
                command = t.text[prompt_len..].trim_start().to_owned();
            }
        }
        // Without a line editor the terminal echoes control keys as ^X: ^[ is ESC.
        if command.contains("^[") {
            command = command.replace("^[", "\u{1b}");
        }
        let mut cancelled = t.interrupted;
        let mut evidence = EvidenceSet::from([Evidence::LineFeed, t.found.evidence()]);
        if t.cut {
            evidence.insert(Evidence::EndOfInput);
        } else if t.interrupted {
            evidence.insert(Evidence::Interrupt);
        }
        if t.unscrolled {
            evidence.insert(Evidence::Unscrolled);
        }
        if t.same_event {
            evidence.insert(Evidence::SameEventAsOutput);
        }
        let rows = || (t.line..=t.row).filter_map(|r| screen.row(r));
        if rows().any(|row| row.tabbed) {
            evidence.insert(Evidence::TabOnLine);
        }
        if self.mode.rules().crs_deleted
            && let Some(row) = screen.row(t.row)
            && row.backed
            && let Some(col) = t.cr_col
        {
            // zsh draws a right prompt past the line, which the line as read leaves out (a
            // row below the first has none).
            let end = if t.line == t.row && self.shell == Some(Shell::Zsh) {
                t.text.trim_end().chars().count()
            } else {
                row.text(0, 0).chars().count()
            };
            if end > col {
                // The line was edited and the cursor did not end at its end: what it
                // left behind was erased by sequences the agent deleted, or moved by them.
                evidence.insert(Evidence::EditInCleanedLine);
            }
        }
        if let Some(c) = command.trim_end().strip_suffix("^C") {
            command = c.to_owned();
            cancelled = true;
            evidence.insert(Evidence::Interrupt);
        }
        self.out_row = self.out_row.max(t.row + 1);
        let cmd = Command {
            command,
            prompt: t.text[..t.prompt_len].to_owned(),
            cancelled,
            span: Span {
                start: t.start,
                end: t.end,
            },
            cwd: self.cwd.clone(),
            time: t.time,
            evidence,
            ..Command::default()
        };
        self.enter = if self.mode.rules().crs_deleted || t.line != t.row {
            habit::Enter::Unknown
        } else {
            habit::Enter::Came(t.crs)
        };
        self.line_tick = Some(t.tick);
        self.accept(cmd, t.row, false, t.bell);
    }

    /// Without editor marks, a last line that starts with a prompt and has text was cut off.
    pub(super) fn cut_off_line(&mut self, screen: &mut Screen, offset: u64) {
        let row = screen.cursor().0;
        let line = screen.logical_start(row);
        if line < self.out_row {
            return;
        }
        let text = screen.line_text(line, 0, 0);
        let Some((n, found)) = self.learner.match_learned(&text) else {
            return;
        };
        if text[n..].trim().is_empty() {
            self.take_output(screen, line);
            self.out_row = screen.last_row() + 1;
            return;
        }
        self.take_output(screen, line);
        self.out_row = screen.last_row() + 1;
        let cmd = Command {
            command: text[n..].to_owned(),
            prompt: text[..n].to_owned(),
            cancelled: true,
            span: Span {
                start: self.line_start_offset,
                end: offset,
            },
            cwd: self.cwd.clone(),
            evidence: EvidenceSet::from([Evidence::EndOfInput, found.evidence()]),
            ..Command::default()
        };
        self.accept(cmd, row, false, false);
    }
}

#[derive(Debug)]
pub(super) struct Tentative {
    pub(super) line: u64,
    pub(super) row: u64,
    pub(super) text: String,
    pub(super) prompt_len: usize,
    pub(super) found: Found,
    /// Put back together from the windows of a sideways-scrolled line.
    pub(super) unscrolled: bool,
    /// `^C` was echoed over the line (and taken off it).
    pub(super) interrupted: bool,
    /// The line ended in a bell.
    pub(super) bell: bool,
    /// The input ended on this line (CloudWatch flushes the last line unfinished).
    pub(super) cut: bool,
    /// Time of the event the line came in (CloudWatch).
    pub(super) time: Option<crate::Timestamp>,
    /// When its prompt was drawn.
    pub(super) prompt_time: Option<crate::Timestamp>,
    /// Carriage returns right before the line feed.
    pub(super) crs: u8,
    /// The line started in the streamed event its line feed came in.
    pub(super) same_event: bool,
    /// Output before the prompt on the line's first row (it did not end in a newline).
    pub(super) lead: String,
    /// Where the CR before the line feed found the cursor, if away from column 0.
    pub(super) cr_col: Option<usize>,
    /// The signal of its line feed.
    pub(super) tick: u64,
    pub(super) start: u64,
    pub(super) end: u64,
}
