//! The line editor's session on screen: where it started (the anchor), and reading the
//! command back off the rows when it lets go of the line.

use super::*;

#[derive(Debug)]
pub(super) struct Edit {
    pub(super) anchor: Pos,
    pub(super) era: u32,
    /// The prompt was on the row before the editor started: it is what precedes the anchor.
    pub(super) prompt_known: bool,
    /// The shell's mark (OSC 133 `B`) put the anchor where typing starts.
    pub(super) marked: bool,
    /// The line editor had bracketed paste on for this line.
    pub(super) bracketed: bool,
    pub(super) offset: u64,
    pub(super) evidence: Evidence,
    /// Command line reported by the shell (OSC 633 E), and whether the OSC string carrying
    /// it was cut.
    pub(super) reported: Option<(String, bool)>,
    /// The editor started on a row that already held a finished line (bash redraws an
    /// empty editor after `^C`): only what is written from now on counts.
    pub(super) fresh_only: bool,
}

/// The rows a command was read from, with the length of each one's last physical row.
#[derive(Debug)]
pub(super) struct Rows {
    pub(super) lines: Vec<String>,
    pub(super) lens: Vec<usize>,
    /// Lines after the first are drawn indented (fish).
    pub(super) indented: bool,
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
                out.push_str(if self.indented {
                    line.trim_start()
                } else {
                    line
                });
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
        match &self.phase {
            Phase::Editing(_) => return,
            Phase::Entered(_) | Phase::Listing(_) => {
                // The editor starting is the shell back at a prompt: a line left with a
                // line feed before it was submitted, unless the shell went back over it.
                let went_back = screen.went_back();
                if let Phase::Entered(t) = std::mem::take(&mut self.phase) {
                    self.resolve_tentative(t, screen, went_back);
                }
            }
            Phase::Output | Phase::FullScreen => {}
        }
        let (row, col) = screen.cursor();
        let line = screen.logical_start(row);
        self.take_output(screen, line);
        let era = screen.new_era();
        screen.set_editing(true);
        screen.pin_at(line);
        self.habits.editor_started(self.tick, screen.prompt_sps());
        // The write that started the editor drew the prompt (or came right after it): the
        // row may have begun long before, with output that did not end in a newline.
        self.prompt_time = self.time;
        if let Some(k) = &mut self.keys {
            k.editor_started();
        }
        // zsh draws its prompt before the editor starts (and marks each prompt with
        // PROMPT_SP); bash and fish draw it after. Text left of the cursor on a bash row is
        // output that did not end in a newline.
        let prompt_known = known || (col > 0 && screen.prompt_sp_mark().is_some());
        let fresh_only = row < self.out_row;
        self.phase = Phase::Editing(Edit {
            anchor: screen.pos(row, col),
            era,
            prompt_known,
            marked: false,
            bracketed: evidence == Evidence::BracketedPaste,
            offset,
            evidence,
            reported: None,
            fresh_only,
        });
    }

    /// Whether the editor holds a line with nothing past its anchor yet (`None`: no line is
    /// being edited, or its anchor is not after a prompt drawn before the editor).
    pub(crate) fn edit_blank(&self, screen: &Screen) -> Option<bool> {
        let e = self.phase.edit().filter(|e| e.prompt_known && !e.marked)?;
        let text = screen.row_text(e.anchor.line);
        Some(text.chars().skip(e.anchor.off).all(char::is_whitespace))
    }

    /// A write that went back to the start of the row redrew the prompt of a line still
    /// blank (zsh's `reset-prompt`, as an asynchronous git status does): typing starts
    /// where the write left the cursor.
    pub(crate) fn prompt_redrawn(&mut self, screen: &Screen) {
        let (row, col) = screen.cursor();
        let here = screen.pos(row, col);
        if let Some(e) = self.phase.edit_mut()
            && here.line == e.anchor.line
        {
            // Longer (a git status came) or shorter (it went): either way, redrawn.
            e.anchor = here;
        }
    }

    /// The line editor switched bracketed paste on. An edit a shell mark began goes on if
    /// the editor starts where the mark put the typing; anywhere else the editor is the
    /// better anchor, and what the mark was followed by is output (a program can print a
    /// mark: it must not take the prompt and typing that follow for its own).
    pub(super) fn editor_on(&mut self, screen: &mut Screen, offset: u64) {
        let (row, col) = screen.cursor();
        let here = screen.pos(row, col);
        match self.phase.edit_mut() {
            Some(e) if e.marked && e.anchor == here => {
                e.bracketed = true;
                return;
            }
            Some(e) if e.marked || e.evidence == Evidence::PromptMark => {
                self.phase = Phase::Output;
                screen.set_editing(false);
            }
            // fish accepts an empty line without switching the editor off.
            _ => self.end_editing(screen, offset),
        }
        self.guess_shell_at_editor(screen);
        self.begin_edit(screen, offset, Evidence::BracketedPaste, false);
    }

    /// The editor, if it holds a line, let go of it (see [`Segmenter::end_edit`]).
    pub(super) fn end_editing(&mut self, screen: &mut Screen, offset: u64) {
        if let Phase::Editing(_) = self.phase
            && let Phase::Editing(edit) = std::mem::take(&mut self.phase)
        {
            self.end_edit(edit, screen, offset, false);
        }
    }

    /// The editor let go of the line: read it off the screen, in stages: where the line is
    /// ([`Segmenter::locate`]), the lines abandoned above it, reading it
    /// ([`Segmenter::read_line`]), what it turned out to be ([`Segmenter::classify`]), and
    /// handing it on ([`Segmenter::emit`]).
    pub(super) fn end_edit(&mut self, edit: Edit, screen: &mut Screen, offset: u64, at_end: bool) {
        screen.set_editing(false);
        if self.mode == Delimiting::EditorMarks && !edit.bracketed {
            // This session's editor marks every line it reads, and this one it did not:
            // prompt marks alone placed it, and any program can print those. Its rows stay
            // output.
            return;
        }
        // bash and fish echo ^C; zsh leaves cursor-key mode on when a line is interrupted.
        let interrupted =
            infer::interrupt::undo_echo(screen, screen.cursor().0) || (!at_end && self.cursor_keys);
        let mut at = self.locate(screen, &edit, at_end);
        let span = Span {
            start: edit.offset,
            end: offset,
        };
        for (text, known) in std::mem::take(&mut at.abandoned) {
            self.abandoned(text, known, &edit, span, at.end_row);
        }
        let read = self.read_line(screen, &at);
        let cmd = self.classify(read, &edit, span, interrupted, at_end, screen);
        self.out_row = at.end_last + 1;
        screen.pin_at(self.out_row);
        // bash and fish move to the next row right before letting go of the line, zsh
        // right after; a line of several rows, or one the editor drew below (a search, a
        // listing), moves on in ways whose CRs tell nothing.
        let row = screen.cursor().0;
        let enter = if at.first_line != at.end_last {
            habit::Enter::Unknown
        } else if row == at.end_row + 1 && offset.saturating_sub(self.lf_at) <= habit::ENTER_NEAR {
            habit::Enter::Came(screen.crs_before_lf())
        } else if row == at.end_row {
            habit::Enter::Next {
                at: offset,
                row: at.end_row,
            }
        } else {
            habit::Enter::Unknown
        };
        self.emit(cmd, &at, screen.width(), enter);
    }
}
