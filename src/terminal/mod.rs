//! Terminal replay: escape parsing driving a model of the rows the shell edits.
//!
//! Bytes between sequences, and the sequences nearly all traffic is made of, are read by
//! [`fast`]; the rest by `vte`. Both end in [`perform`], the one place that knows the byte
//! values of the control functions: it turns what either parser read into [`Op`]s, which
//! [`Screen::apply`] draws and [`Signal::of`] turns into signals for whoever watches the
//! stream (the segmenter). Nothing here fails: every byte sequence is either applied, or
//! ignored without losing the text around it.
//!
//! The terminal knows geometry, not shells: what a shell's habits reveal (the width from its
//! `PROMPT_SP` or its wrap, a right prompt, an echoed `^C`) is inferred by the segmenter,
//! which reads the screen and acts on it through [`view`]. Nothing here uses `segment`.

mod fast;
pub(crate) mod op;
mod parser;
pub(crate) mod perform;
pub(crate) mod screen;
mod trace;
pub(crate) mod view;

use std::ops::Range;

pub(crate) use op::Op;
use op::{Bytes, Mode};
pub(crate) use parser::Parser;
pub(crate) use perform::Sink;
pub(crate) use screen::Screen;
pub use trace::for_each_op;

/// Something the shell said about itself, in band, that the segmenter may care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Signal {
    /// `CSI ? 2004 h` / `l`: the line editor turned bracketed paste on (waiting for input) or
    /// off (a line was accepted or abandoned).
    BracketedPaste(bool),
    /// `CSI ? 1049 h`/`l` (and 1047, 47): a full-screen program came or went.
    AltScreen(bool),
    /// OSC 0/2: the window title was set (what it says is not used).
    Title,
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
    /// 633 `E;cmd`: the command line, as the shell itself reports it; `cut` when the OSC
    /// string carrying it was longer than the parser keeps.
    CommandLine { line: String, cut: bool },
}

impl Signal {
    /// What the segmenter is told of `op`, applied on a screen that was showing the
    /// alternate screen or not (`alt`) before it.
    #[inline(always)] // see `Performer::apply`
    pub(crate) fn of(op: &Op<'_>, alt: bool) -> Option<Signal> {
        let signal = match *op {
            Op::Lf if !alt => Signal::LineFeed,
            Op::Bel => Signal::Bell,
            Op::Mode(Mode::BracketedPaste, on) if !alt => Signal::BracketedPaste(on),
            Op::Mode(Mode::AltScreen, on) if on != alt => Signal::AltScreen(on),
            Op::Mode(Mode::CursorKeys, on) if !alt => Signal::CursorKeys(on),
            Op::Title(_) => Signal::Title,
            Op::Cwd(Bytes(url)) => Signal::Cwd(String::from_utf8_lossy(url).into_owned()),
            Op::Mark(mark) => Signal::Mark(match mark {
                op::Mark::PromptStart => Mark::PromptStart,
                op::Mark::CommandStart => Mark::CommandStart,
                op::Mark::Executed => Mark::Executed,
                op::Mark::Finished(status) => Mark::Finished(status),
            }),
            Op::CommandLine { line, cut } => Signal::Mark(Mark::CommandLine {
                line: perform::unescape_633(&String::from_utf8_lossy(line.0)),
                cut,
            }),
            _ => return None,
        };
        Some(signal)
    }
}

/// Receives signals with the screen as it is at that byte.
pub(crate) trait Observer {
    /// `offset` is the input offset of the byte sequence that produced the signal.
    fn signal(&mut self, signal: Signal, screen: &mut Screen, offset: u64);

    /// Sees every op, read from input bytes `span`, before the screen applies it (the
    /// events view); the segmenter needs only the signals.
    #[inline]
    fn op(&mut self, _op: &Op<'_>, _span: Range<u64>) {}
}

/// The escape parser and the screen it draws on.
pub(crate) struct Terminal {
    parser: Parser,
    pub screen: Screen,
}

#[cfg(test)]
thread_local! {
    /// Set by tests to replay through the general paths alone, the reference every shortcut
    /// is checked against: vte for every byte, and the screen's general writes and reads. A
    /// thread's own setting, so tests running side by side do not mix.
    pub(crate) static GENERAL_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the shortcuts (the fast path, the screen's short paths) are taken: always, but in
/// tests that compare them with the general paths.
pub(crate) fn shortcuts() -> bool {
    #[cfg(test)]
    return !GENERAL_ONLY.with(|v| v.get());
    #[cfg(not(test))]
    true
}

impl Terminal {
    /// A terminal that infers nothing of the shell (see [`view::Rules`]).
    pub fn new(width: Option<usize>) -> Terminal {
        Terminal::with_rules(width, view::Rules::NONE)
    }

    /// A terminal whose screen asks `rules` what the shell reveals while it draws.
    pub fn with_rules(width: Option<usize>, rules: view::Rules) -> Terminal {
        let mut screen = Screen::new(width);
        screen.set_rules(rules);
        Terminal {
            parser: Parser::default(),
            screen,
        }
    }

    /// Feed `bytes`, which start at input offset `offset`.
    pub fn advance<O: Observer>(&mut self, bytes: &[u8], offset: u64, observer: &mut O) {
        let mut draw = Draw {
            screen: &mut self.screen,
            observer,
        };
        self.parser.advance(bytes, offset, &mut draw);
    }

    /// The input ended inside a character: it is shown as U+FFFD, as a terminal shows an
    /// invalid sequence, rather than dropped.
    pub fn finish<O: Observer>(&mut self, offset: u64, observer: &mut O) {
        let mut draw = Draw {
            screen: &mut self.screen,
            observer,
        };
        self.parser.finish(offset, &mut draw);
    }
}

/// The terminal's sink: each op goes to the observer's view of it, then to the screen,
/// then as a signal (if it is one) to the observer, which is given the offset the op
/// started at.
struct Draw<'a, O> {
    screen: &'a mut Screen,
    observer: &'a mut O,
}

impl<O: Observer> Sink for Draw<'_, O> {
    #[inline(always)] // see `Performer::apply`
    fn op(&mut self, op: Op<'_>, start: u64, end: u64) {
        self.observer.op(&op, start..end);
        let alt = self.screen.alt;
        self.screen.apply(&op);
        if let Some(signal) = Signal::of(&op, alt) {
            self.observer.signal(signal, self.screen, start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nothing;
    impl Observer for Nothing {
        fn signal(&mut self, _: Signal, _: &mut Screen, _: u64) {}
    }

    #[test]
    fn utf8_cut_by_chunks_keeps_every_byte() {
        let input = b"ab\xc3\xa9\r\xe6\x97\xa5\r\n";
        for cut in 0..input.len() {
            let mut t = Terminal::new(None);
            t.advance(&input[..cut], 0, &mut Nothing);
            t.advance(&input[cut..], cut as u64, &mut Nothing);
            t.finish(input.len() as u64, &mut Nothing);
            assert_eq!(t.screen.row_text(0), "日é", "cut at {cut}");
        }
    }
}
