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
pub(crate) mod perform;
pub(crate) mod screen;
mod trace;
pub(crate) mod view;

use std::ops::Range;

use memchr::memchr2;

use crate::limits::MAX_OSC;
pub(crate) use op::Op;
use op::{Bytes, Mode};
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
    parser: vte::Parser<MAX_OSC>,
    pub screen: Screen,
    /// Offset of the last ESC (start of the sequence being parsed).
    seq_start: u64,
    /// An incomplete UTF-8 character at the end of the last chunk (at most 3 bytes).
    ///
    /// vte 0.15 loses bytes that follow a character completed across two `advance` calls
    /// when another incomplete sequence comes within 3 bytes (alacritty/vte#159), so vte
    /// never sees a character cut by a chunk boundary.
    held: [u8; 3],
    held_len: usize,
    /// vte is between sequences, so the fast path may read the next bytes itself.
    ground: bool,
    /// Whether the fast path is used (off only to test it against vte).
    fast: bool,
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

/// Line feed, vertical tab and form feed: each moves the cursor down a row.
fn is_line_feed(b: u8) -> bool {
    (0x0a..=0x0c).contains(&b)
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
            parser: vte::Parser::new_with_size(),
            screen,
            seq_start: 0,
            held: [0; 3],
            held_len: 0,
            ground: true,
            fast: shortcuts(),
        }
    }

    /// Feed `bytes`, which start at input offset `offset`.
    pub fn advance<O: Observer>(&mut self, bytes: &[u8], offset: u64, observer: &mut O) {
        if bytes.is_empty() {
            return;
        }
        let mut bytes = bytes;
        let mut offset = offset;
        if self.held_len > 0 {
            // Complete the held character with the first bytes of this chunk.
            let h = self.held_len;
            let want = utf8_len(self.held[0]) - h;
            let take = want.min(bytes.len());
            let cont = bytes[..take]
                .iter()
                .take_while(|&&b| b & 0xc0 == 0x80)
                .count();
            if cont == bytes.len() && cont < want {
                self.held[h..h + cont].copy_from_slice(bytes);
                self.held_len += cont;
                return;
            }
            let mut buf = [0u8; 4];
            buf[..h].copy_from_slice(&self.held[..h]);
            buf[h..h + cont].copy_from_slice(&bytes[..cont]);
            self.held_len = 0;
            self.advance_pieces(&buf[..h + cont], offset - h as u64, observer);
            bytes = &bytes[cont..];
            offset += cont as u64;
        }
        let keep = incomplete_tail(bytes);
        let (now, later) = bytes.split_at(bytes.len() - keep);
        self.held[..keep].copy_from_slice(later);
        self.held_len = keep;
        self.advance_pieces(now, offset, observer);
    }

    /// The input ended inside a character: it is shown as U+FFFD, as a terminal shows an
    /// invalid sequence, rather than dropped.
    pub fn finish<O: Observer>(&mut self, offset: u64, observer: &mut O) {
        // vte keeps a character it saw begin at the end of its input, waiting for the rest,
        // and has no call to give it up. A NUL ends it (as U+FFFD), and is itself nothing in
        // every state.
        let mut quiet = Finishing(observer);
        let mut perf = performer(&mut self.screen, &mut quiet, self.seq_start, offset, offset);
        self.parser.advance(&mut perf, &[0]);
        if self.held_len > 0 {
            let from = offset.saturating_sub(self.held_len as u64);
            self.held_len = 0;
            perf.apply(Op::PrintChar('\u{fffd}'), from, offset);
        }
    }

    /// Between sequences the fast path reads the bytes; the rest goes to `vte` in pieces cut
    /// before every ESC and after every line feed, so each signal can be given the exact
    /// offset of the sequence that caused it, whatever the chunking of the input.
    fn advance_pieces<O: Observer>(&mut self, bytes: &[u8], offset: u64, observer: &mut O) {
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            let at = offset + pos as u64;
            if self.fast && self.ground {
                let mut perf = performer(&mut self.screen, observer, self.seq_start, at, at);
                let n = fast::run(&mut perf, rest, at);
                self.seq_start = perf.seq_start;
                pos += n;
                if n < rest.len() {
                    self.ground = false;
                }
                continue;
            }
            // An ESC goes to vte alone, while the sequence before it is still the current
            // one: it may end an OSC string, whose signals belong where that string began.
            let esc = rest[0] == 0x1b;
            let end = if esc { 1 } else { piece_end(rest) };
            let piece = &rest[..end];
            let end_at = at + end as u64;
            let mut perf = performer(&mut self.screen, observer, self.seq_start, at, end_at);
            let n = if self.fast {
                let n = self.parser.advance_until_terminated(&mut perf, piece);
                // vte keeps a character cut by the end of a piece for the next call, which
                // then has to go to vte too.
                self.ground = perf.ground && !(n == end && incomplete_tail(piece) > 0);
                n
            } else {
                self.parser.advance(&mut perf, piece);
                end
            };
            if esc && n == 1 {
                self.seq_start = at;
            }
            pos += n;
        }
    }
}

/// Passes everything on to the observer but the NUL [`Terminal::finish`] adds, which is not
/// in the input.
struct Finishing<'a, O>(&'a mut O);

impl<O: Observer> Observer for Finishing<'_, O> {
    fn signal(&mut self, signal: Signal, screen: &mut Screen, offset: u64) {
        self.0.signal(signal, screen, offset);
    }

    fn op(&mut self, op: &Op<'_>, span: Range<u64>) {
        if *op != Op::Ignored(op::Ignored::Control(0)) {
            self.0.op(op, span);
        }
    }
}

fn performer<'a, O: Observer>(
    screen: &'a mut Screen,
    observer: &'a mut O,
    seq_start: u64,
    piece_start: u64,
    piece_end: u64,
) -> perform::Performer<'a, O> {
    perform::Performer {
        screen,
        observer,
        seq_start,
        piece_start,
        piece_end,
        ground: false,
    }
}

/// Length of the piece at the start of `rest`: up to the next ESC, or through a line feed.
fn piece_end(rest: &[u8]) -> usize {
    if is_line_feed(rest[0]) {
        return 1;
    }
    let tail = &rest[1..];
    let esc_or_lf = memchr2(0x1b, b'\n', tail).unwrap_or(tail.len());
    let vt_ff = memchr2(0x0b, 0x0c, &tail[..esc_or_lf]).unwrap_or(esc_or_lf);
    let i = esc_or_lf.min(vt_ff) + 1;
    match rest.get(i) {
        Some(&b) if is_line_feed(b) => i + 1,
        Some(_) => i,
        None => rest.len(),
    }
}

/// Length of the UTF-8 sequence a lead byte starts (1 for anything else).
fn utf8_len(b: u8) -> usize {
    match b {
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => 1,
    }
}

/// How many bytes at the end of `b` are the start of a UTF-8 character not yet complete.
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=3.min(b.len()) {
        let c = b[b.len() - back];
        if c & 0xc0 == 0x80 {
            continue;
        }
        let need = utf8_len(c);
        return if need > back { back } else { 0 };
    }
    0
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

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail(b"a\xe6\x97"), 2);
        assert_eq!(incomplete_tail(b"a\xe6\x97\xa5"), 0);
        assert_eq!(incomplete_tail(b"a\xc3"), 1);
        assert_eq!(incomplete_tail(b"a\x97"), 0);
    }
}
