//! Terminal replay: escape parsing (`vte`) driving a model of the rows the shell edits.
//!
//! [`perform`] is the only place that knows byte values: it turns control functions into
//! calls on [`screen::Screen`] and into [`Signal`]s for whoever watches the stream (the
//! segmenter). Nothing here fails: every byte sequence is either applied, or ignored
//! without losing the text around it.

pub(crate) mod perform;
pub(crate) mod screen;

use memchr::memchr2;

use crate::limits::MAX_OSC;
pub(crate) use screen::{Pos, Screen};

/// Something the shell said about itself, in band, that the segmenter may care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signal {
    /// `CSI ? 2004 h` / `l`: the line editor turned bracketed paste on (waiting for input) or
    /// off (a line was accepted or abandoned).
    BracketedPaste(bool),
    /// `CSI ? 1049 h`/`l` (and 1047, 47): a full-screen program came or went.
    AltScreen(bool),
    /// OSC 0/2: window title.
    Title(String),
    /// OSC 7: working directory URL.
    Cwd(String),
    /// OSC 133 / 633 semantic prompt marks.
    Mark(Mark),
    /// A line feed moved the cursor down (the screen has already applied it).
    LineFeed,
    /// BEL outside an OSC.
    Bell,
    /// `CSI ? 1 h`/`l` (DECCKM): zsh's editor turns cursor-key mode on while it runs and
    /// off when it accepts a line, but not when the line is interrupted.
    CursorKeys(bool),
}

/// FinalTerm / VS Code shell-integration marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `A`: the prompt starts.
    PromptStart,
    /// `B`: the prompt ends, typing starts here.
    CommandStart,
    /// `C`: the command was accepted and runs.
    Executed,
    /// `D[;status]`: the command finished.
    Finished(Option<i32>),
    /// 633 `E;cmd`: the command line, as the shell itself reports it.
    CommandLine(String),
}

/// Receives signals with the screen as it is at that byte.
pub(crate) trait Observer {
    /// `offset` is the input offset of the byte sequence that produced the signal.
    fn signal(&mut self, signal: Signal, screen: &mut Screen, offset: u64);
}

/// The escape parser and the screen it draws on.
pub(crate) struct Terminal {
    parser: vte::Parser<MAX_OSC>,
    pub screen: Screen,
    /// Offset of the last ESC (start of the sequence being parsed).
    seq_start: u64,
}

impl Terminal {
    pub fn new(width: Option<usize>) -> Terminal {
        Terminal {
            parser: vte::Parser::new_with_size(),
            screen: Screen::new(width),
            seq_start: 0,
        }
    }

    /// Feed `bytes`, which start at input offset `offset`.
    ///
    /// The bytes are handed to `vte` in pieces cut before every ESC and after every LF, so
    /// each signal can be given the exact offset of the sequence that caused it, whatever
    /// the chunking of the input.
    pub fn advance<O: Observer>(&mut self, bytes: &[u8], offset: u64, observer: &mut O) {
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            let end = if rest[0] == b'\n' {
                1
            } else {
                match memchr2(0x1b, b'\n', &rest[1..]) {
                    Some(i) => {
                        let i = i + 1;
                        if rest[i] == b'\n' { i + 1 } else { i }
                    }
                    None => rest.len(),
                }
            };
            let piece = &rest[..end];
            let at = offset + pos as u64;
            if piece[0] == 0x1b {
                self.seq_start = at;
            }
            let mut perf = perform::Performer {
                screen: &mut self.screen,
                observer,
                seq_start: self.seq_start,
                piece_start: at,
                piece_end: at + piece.len() as u64,
            };
            self.parser.advance(&mut perf, piece);
            pos += end;
        }
    }
}
