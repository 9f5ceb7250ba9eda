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
        self.width = screen.width();
        match signal {
            // Streamed CloudWatch lines lost most editor marks: they are read line by line.
            Signal::BracketedPaste(on) if self.lossy => {
                if !on {
                    self.editor_off_row = Some(screen.cursor().0);
                }
            }
            Signal::Mark(_) if self.lossy => {}
            Signal::BracketedPaste(on) => {
                self.saw_editor_marks = true;
                screen.set_line_mode(false);
                if self.saw_prompt_marks {
                    return;
                }
                if on {
                    // fish accepts an empty line without switching the editor off.
                    self.end_edit(screen, offset, false);
                    self.guess_shell_at_editor(screen);
                    self.begin_edit(screen, offset, Evidence::BracketedPaste, false);
                } else {
                    self.end_edit(screen, offset, false);
                }
            }
            Signal::Mark(mark) => self.on_mark(mark, screen, offset),
            Signal::AltScreen(on) => {
                let row = screen.cursor().0;
                if on {
                    self.take_output(screen, row);
                } else if self.edit.is_none() {
                    self.take_output(screen, row);
                    let n = screen.alt_chars();
                    self.push_output_line(&format!(
                        "[full-screen program: {n} characters not shown]"
                    ));
                }
            }
            Signal::Title if self.edit.as_ref().is_some_and(|e| offset <= e.offset + 8) => {
                // fish sets the title right after switching bracketed paste on.
                self.shell = Shell::Fish;
            }
            Signal::Title => {
                if self.shell == Shell::Unknown && !self.saw_editor_marks {
                    self.shell = Shell::Bash;
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
                if self.lossy {
                    // Rows already read stay as they were read.
                    screen.set_floor(self.out_row);
                }
                self.line_start_offset = offset + 1;
            }
            Signal::Bell => self.bell_at = Some(screen.cursor()),
            Signal::CursorKeys(on) => self.cursor_keys = on,
        }
    }
}

impl Segmenter {
    /// OSC 133 / 633 marks: the shell says where its prompt and the typing start and when
    /// a line was accepted, the most trusted signals there are.
    fn on_mark(&mut self, mark: Mark, screen: &mut Screen, offset: u64) {
        screen.set_line_mode(false);
        self.saw_prompt_marks = true;
        self.saw_editor_marks = true;
        match mark {
            Mark::PromptStart => self.begin_edit(screen, offset, Evidence::PromptMark, false),
            Mark::CommandStart => {
                let (row, col) = screen.cursor();
                if let Some(e) = &mut self.edit {
                    e.era = screen.new_era();
                    e.anchor = screen.pos(row, col);
                    e.prompt_known = true;
                } else {
                    self.begin_edit(screen, offset, Evidence::PromptMark, true);
                }
            }
            Mark::Executed => self.end_edit(screen, offset, false),
            Mark::CommandLine { line, cut } => {
                if let Some(e) = &mut self.edit {
                    e.reported = Some((line, cut));
                }
            }
            Mark::Finished(_) => {}
        }
    }

    fn guess_shell_at_editor(&mut self, screen: &Screen) {
        if self.shell != Shell::Unknown && self.shell != Shell::Bash {
            return;
        }
        self.shell = match screen.prompt_sp_mark() {
            Some('⏎') => Shell::Fish,
            Some(_) => Shell::Zsh,
            None if screen.cursor().1 > 0 => Shell::Zsh,
            None => Shell::Bash,
        };
    }
}
