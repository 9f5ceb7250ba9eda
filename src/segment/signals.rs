//! What the segmenter does on each signal of the terminal: the editor's marks start and end
//! a line, OSC 133/633 marks place it exactly, line feeds may submit one, and a few
//! signals say which shell is drawing.

use super::*;

impl Observer for Segmenter {
    fn signal(&mut self, signal: Signal, screen: &mut Screen, offset: u64) {
        self.on_signal(signal, screen, offset);
        screen.read_before(if self.output_full() {
            u64::MAX
        } else {
            self.out_row
        });
    }
}

impl Segmenter {
    fn on_signal(&mut self, signal: Signal, screen: &mut Screen, offset: u64) {
        self.last_offset = offset;
        self.tick += 1;
        self.width = screen.width();
        let rules = self.mode.rules();
        match signal {
            Signal::BracketedPaste(on) if !rules.editor_marks => {
                if on {
                    // Not a delimiter here, but where the editor starts still tells the
                    // habits around it.
                    self.habits.editor_started(self.tick, screen.prompt_sps());
                }
                if !on && rules.cursor_keys_mean_editing {
                    // zsh's editor let go of its line on this row (a raw-kept line).
                    self.editor_off_row = Some(screen.cursor().0);
                }
            }
            Signal::Mark(_) if !rules.prompt_marks => {}
            Signal::BracketedPaste(on) => {
                self.delimit_by(Delimiting::EditorMarks, screen);
                if on {
                    self.editor_on(screen, offset);
                } else {
                    self.end_editing(screen, offset);
                }
            }
            Signal::Mark(mark) => self.on_mark(mark, screen, offset),
            Signal::AltScreen(on) => self.on_alt_screen(on, screen),
            Signal::Title => {
                self.habits.title(self.tick);
                if self.phase.edit().is_some_and(|e| offset <= e.offset + 8) {
                    // fish sets the title right after switching bracketed paste on.
                    self.shell = Some(Shell::Fish);
                } else if self.shell.is_none() && rules.line_feeds {
                    self.shell = Some(Shell::Bash);
                }
            }
            Signal::Cwd(url) => {
                let path = url
                    .strip_prefix("file://")
                    .map(|rest| rest.find('/').map_or(rest, |i| &rest[i..]))
                    .unwrap_or(&url);
                self.cwd = Some(path.to_owned());
            }
            Signal::LineFeed => {
                self.on_line_feed(screen, offset);
                if rules.rows_final {
                    // Rows already read stay as they were read.
                    screen.set_floor(self.out_row);
                }
                self.line_start_offset = offset + 1;
                self.line_start_event = self.event;
                self.lf_at = offset;
                let pending = self.pending.as_mut().map(|p| &mut p.cmd);
                let from = screen.cursor().0.saturating_sub(1);
                self.habits
                    .line_feed(screen.crs_before_lf(), offset, from, pending);
                self.row_time = self.time;
            }
            Signal::Bell => self.bell_at = Some(screen.cursor()),
            Signal::CursorKeys(on) => {
                if on {
                    self.habits.keypad(self.tick);
                }
                self.cursor_keys = on;
            }
        }
    }
}

impl Segmenter {
    /// The session showed a delimiter of kind `seen`: the mode moves to it if it is
    /// stronger, and the screen is told whether lines are still told apart by line feeds.
    pub(crate) fn delimit_by(&mut self, seen: Delimiting, screen: &mut Screen) {
        self.mode = self.mode.upgraded(seen);
        screen.set_line_mode(self.mode.rules().line_feeds);
    }

    /// OSC 133 / 633 marks: the shell says where its prompt and the typing start and when
    /// a line was accepted. Exact where the shell sent them, but any program can print them:
    /// they place an edit and confirm its text, and never turn off the editor's own marks
    /// or line feeds, nor replace the text the screen shows.
    fn on_mark(&mut self, mark: Mark, screen: &mut Screen, offset: u64) {
        match mark {
            Mark::PromptStart => self.begin_edit(screen, offset, Evidence::PromptMark, false),
            Mark::CommandStart => {
                if self.phase.edit().is_none() {
                    self.begin_edit(screen, offset, Evidence::PromptMark, true);
                }
                let (row, col) = screen.cursor();
                let era = screen.new_era();
                if let Some(e) = self.phase.edit_mut() {
                    e.era = era;
                    e.anchor = screen.pos(row, col);
                    e.prompt_known = true;
                    e.marked = true;
                    // A report before the typing started was not of this line.
                    e.reported = None;
                }
            }
            Mark::Executed => self.end_editing(screen, offset),
            Mark::CommandLine { line, cut } => match self.phase.edit_mut() {
                Some(e) => e.reported = Some((line, cut)),
                // bash reports the line from its preexec hook, after the editor let go;
                // once, so a report printed by the command it ran is not weighed.
                None => {
                    if let Some(p) = &mut self.pending
                        && p.output_lines == 0
                        && !p.cmd.evidence.contains(Evidence::ShellReported)
                        && !p.cmd.evidence.contains(Evidence::ShellReportDiffers)
                    {
                        line::weigh_report(&mut p.cmd, &line, cut);
                    }
                }
            },
            Mark::Finished(_) => {}
        }
    }

    pub(super) fn guess_shell_at_editor(&mut self, screen: &Screen) {
        if !matches!(self.shell, None | Some(Shell::Bash)) {
            return;
        }
        self.shell = Some(match screen.prompt_sp_mark() {
            Some('⏎') => Shell::Fish,
            Some(_) => Shell::Zsh,
            None if screen.cursor().1 > 0 => Shell::Zsh,
            None => Shell::Bash,
        });
    }

    /// A full-screen program took the alternate screen, or gave it back. One started from
    /// the editor (a key binding, `fc`) leaves the line being edited as it was.
    fn on_alt_screen(&mut self, on: bool, screen: &mut Screen) {
        let row = screen.cursor().0;
        match (&self.phase, on) {
            (Phase::Editing(_), _) => {}
            (_, true) => {
                // A program taking the screen is what the line left last ran.
                let went_back = screen.went_back();
                if let Phase::Entered(t) = std::mem::replace(&mut self.phase, Phase::FullScreen) {
                    self.resolve_tentative(t, screen, went_back);
                }
                self.take_output(screen, row);
            }
            (_, false) => {
                // What was typed in the program was typed to it.
                if let Some(k) = &mut self.keys {
                    k.forget();
                }
                self.phase = Phase::Output;
                self.take_output(screen, row);
                let n = screen.alt_chars();
                self.push_output_line(&format!("[full-screen program: {n} characters not shown]"));
            }
        }
    }
}
