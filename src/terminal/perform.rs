//! What each control function does, whichever parser read it: the `Performer` methods
//! (`control`, `csi`, `esc`, `osc`) are called by the fast path and, through the
//! `vte::Perform` impl, by `vte`. Each arm carries the wire form and ECMA-48 / DEC name of
//! what it handles.

use vte::{Params, Perform};

use super::screen::Screen;
use super::{Mark, Observer, Signal};

pub(crate) struct Performer<'a, O: Observer> {
    pub screen: &'a mut Screen,
    pub observer: &'a mut O,
    pub seq_start: u64,
    pub piece_start: u64,
    pub piece_end: u64,
    /// vte is certainly back in its ground state: the last byte it read ended a sequence
    /// or printed (see [`Terminal`](super::Terminal)'s fast path).
    pub ground: bool,
}

/// Most parameters a CSI sequence is read with; vte keeps as many.
pub(crate) const MAX_PARAMS: usize = 32;

/// First parameter, with 0 or missing meaning `default` (the ECMA-48 rule for counts).
fn count(params: &[u16], default: u16) -> usize {
    param(params, 0, default)
}

fn param(params: &[u16], i: usize, default: u16) -> usize {
    match params.get(i) {
        None | Some(0) => default as usize,
        Some(&n) => n as usize,
    }
}

impl<O: Observer> Performer<'_, O> {
    fn signal(&mut self, s: Signal, offset: u64) {
        self.observer.signal(s, self.screen, offset);
    }

    /// A C0 control at input offset `at`.
    pub fn control(&mut self, byte: u8, at: u64) {
        match byte {
            0x08 => self.screen.backspace(),       // BS
            0x09 => self.screen.tab(),             // HT
            0x0d => self.screen.carriage_return(), // CR
            0x0a..=0x0c => {
                // LF, VT, FF: all move down one row
                self.screen.line_feed();
                if !self.screen.alt {
                    self.signal(Signal::LineFeed, at);
                }
            }
            0x07 => self.signal(Signal::Bell, at), // BEL
            _ => {}
        }
    }

    /// `CSI params action`, or `CSI ? params action` when `private`; `params` holds the first
    /// value of each parameter (0 when missing), at least one.
    pub fn csi(&mut self, params: &[u16], private: bool, action: char) {
        if private {
            let set = match action {
                'h' => true,
                'l' => false,
                _ => return,
            };
            for &p in params {
                match p {
                    2004
                        // CSI ? 2004 h/l  bracketed paste: the line editor's bracket
                        if !self.screen.alt => {
                            let at = self.seq_start;
                            self.signal(Signal::BracketedPaste(set), at);
                        }
                    1049 | 1047 | 47
                        // CSI ? 1049 h/l  alternate screen
                        if set != self.screen.alt => {
                            self.screen.set_alternate(set);
                            let at = self.seq_start;
                            self.signal(Signal::AltScreen(set), at);
                        }
                    7 => self.screen.set_autowrap(set), // DECAWM
                    1
                        // CSI ? 1 h/l  DECCKM
                        if !self.screen.alt => {
                            let at = self.seq_start;
                            self.signal(Signal::CursorKeys(set), at);
                        }
                    _ => {} // ?25 DECTCEM, ...: no effect on text
                }
            }
            return;
        }
        let n = |d| count(params, d);
        match action {
            '@' => self.screen.insert_blanks(n(1)), // CSI n @  ICH
            'P' => self.screen.delete_chars(n(1)),  // CSI n P  DCH
            'X' => self.screen.erase_chars(n(1)),   // CSI n X  ECH
            'K' => self.screen.erase_in_line(param(params, 0, 0) as u16), // CSI n K  EL
            'J' => self.screen.erase_in_display(param(params, 0, 0) as u16), // CSI n J  ED
            'C' | 'a' => self.screen.move_cols(n(1) as isize), // CSI n C  CUF, HPR
            'D' => self.screen.move_cols(-(n(1) as isize)), // CSI n D  CUB
            'G' | '`' => self.screen.set_col(n(1) - 1), // CSI n G  CHA, HPA
            'A' => self.screen.move_rows(-(n(1) as i64)), // CSI n A  CUU
            'B' | 'e' => self.screen.move_rows(n(1) as i64), // CSI n B  CUD, VPR
            'E' => {
                // CSI n E  CNL
                self.screen.move_rows(n(1) as i64);
                self.screen.set_col(0);
            }
            'F' => {
                // CSI n F  CPL
                self.screen.move_rows(-(n(1) as i64));
                self.screen.set_col(0);
            }
            'H' | 'f' => {
                // CSI r ; c H  CUP
                self.screen.set_row(param(params, 0, 1) - 1);
                self.screen.set_col(param(params, 1, 1) - 1);
            }
            'd' => self.screen.set_row(n(1) - 1), // CSI n d  VPA
            's' => self.screen.save_cursor(),     // CSI s  SCOSC
            'u' => self.screen.restore_cursor(),  // CSI u  SCORC
            _ => {}                               // m (SGR) and the rest do not move text
        }
    }

    /// `ESC byte`, with no intermediates.
    pub fn esc(&mut self, byte: u8) {
        match byte {
            b'7' => self.screen.save_cursor(),    // ESC 7  DECSC
            b'8' => self.screen.restore_cursor(), // ESC 8  DECRC
            b'M' => self.screen.move_rows(-1),    // ESC M  RI
            b'D' => {
                // ESC D  IND
                self.screen.line_feed();
            }
            b'E' => {
                // ESC E  NEL
                self.screen.carriage_return();
                self.screen.line_feed();
            }
            _ => {} // ESC = / ESC > keypad modes
        }
    }
}

impl<O: Observer> Perform for Performer<'_, O> {
    fn print(&mut self, c: char) {
        self.ground = true;
        self.screen.print(c);
    }

    fn execute(&mut self, byte: u8) {
        // CAN and SUB abort any sequence.
        self.ground |= matches!(byte, 0x18 | 0x1a);
        // Pieces end after a line feed and start at other controls' sequences.
        let at = if (0x0a..=0x0c).contains(&byte) {
            self.piece_end.saturating_sub(1).max(self.piece_start)
        } else {
            self.piece_start
        };
        self.control(byte, at);
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.ground = true;
        if ignore {
            return;
        }
        let private = match intermediates {
            [] => false,
            [b'?', ..] => true,
            _ => return,
        };
        let mut values = [0u16; MAX_PARAMS];
        let mut n = 0;
        for (slot, p) in values.iter_mut().zip(params.iter()) {
            *slot = p.first().copied().unwrap_or(0);
            n += 1;
        }
        self.csi(&values[..n], private, action);
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _ignore: bool, byte: u8) {
        self.ground = true;
        if intermediates.is_empty() {
            self.esc(byte); // with intermediates: ESC ( B and other charset designations
        }
    }

    fn terminated(&self) -> bool {
        self.ground
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], bell_terminated: bool) {
        // Ended by ESC, vte has yet to read the backslash of the ST.
        self.ground = bell_terminated;
        self.osc(params);
    }
}

impl<O: Observer> Performer<'_, O> {
    /// `OSC params ST`: the string's `;`-separated parts.
    pub fn osc(&mut self, params: &[&[u8]]) {
        let at = self.seq_start;
        let text = |i: usize| {
            params
                .get(i)
                .map(|p| String::from_utf8_lossy(p).into_owned())
        };
        let kind = params.first().copied().unwrap_or_default();
        match kind {
            // OSC 0/2 ; title
            b"0" | b"2" if params.len() > 1 => self.signal(Signal::Title, at),
            b"7" => {
                // OSC 7 ; file://host/path
                if let Some(t) = text(1) {
                    self.signal(Signal::Cwd(t), at);
                }
            }
            b"133" | b"633" => {
                // OSC 133 ; A|B|C|D[;status]   OSC 633 ; E ; commandline
                let mark = match params.get(1).and_then(|p| p.first()) {
                    Some(b'A') => Mark::PromptStart,
                    Some(b'B') => Mark::CommandStart,
                    Some(b'C') => Mark::Executed,
                    Some(b'D') => Mark::Finished(text(2).and_then(|s| s.trim().parse().ok())),
                    Some(b'E') if kind == b"633" => {
                        Mark::CommandLine(unescape_633(&text(2).unwrap_or_default()))
                    }
                    _ => return,
                };
                self.signal(Signal::Mark(mark), at);
            }
            _ => {}
        }
    }
}

/// VS Code escapes `;`, `\` and control characters in 633 `E` as `\xAB`.
fn unescape_633(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1] == b'x' {
            if let Some(v) = std::str::from_utf8(&b[i + 2..i + 4])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v as char);
                i += 4;
                continue;
            }
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'\\') {
            out.push('\\');
            i += 2;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    //! One test per control function: bytes in, rows and cursor (or signals) out.

    use super::super::{Mark, Observer, Signal, Terminal};
    use crate::terminal::Screen;

    #[derive(Default)]
    struct Signals(Vec<Signal>);
    impl Observer for Signals {
        fn signal(&mut self, s: Signal, _: &mut Screen, _: u64) {
            if s != Signal::LineFeed {
                self.0.push(s);
            }
        }
    }

    /// Replay `bytes` on a terminal of `width` columns; returns it and the signals.
    fn run(width: Option<usize>, bytes: &[u8]) -> (Terminal, Vec<Signal>) {
        let mut t = Terminal::new(width);
        let mut s = Signals::default();
        t.advance(bytes, 0, &mut s);
        t.finish(bytes.len() as u64, &mut s);
        (t, s.0)
    }

    fn row(bytes: &[u8]) -> String {
        run(None, bytes).0.screen.row_text(0)
    }

    fn cursor(width: Option<usize>, bytes: &[u8]) -> (u64, usize) {
        run(width, bytes).0.screen.cursor()
    }

    #[test]
    fn c0_controls() {
        assert_eq!(row(b"abc\x08\x08X"), "aXc"); // BS
        assert_eq!(row(b"abc\rX"), "Xbc"); // CR
        assert_eq!(cursor(None, b"ab\ncd"), (1, 4)); // LF keeps the column
        assert_eq!(cursor(None, b"a\tb"), (0, 9)); // HT to the next stop of 8
        assert_eq!(run(None, b"a\x07").1, [Signal::Bell]); // BEL
    }

    #[test]
    fn erase_in_line_and_display() {
        assert_eq!(row(b"abcdef\x1b[3D\x1b[K"), "abc"); // EL 0
        assert_eq!(row(b"abcdef\x1b[3D\x1b[1K"), "    ef"); // EL 1
        assert_eq!(row(b"abcdef\x1b[2K"), ""); // EL 2
        let (t, _) = run(None, b"one\r\ntwo\x1b[A\r\x1b[J");
        assert_eq!(
            (t.screen.row_text(0), t.screen.row_text(1)),
            (String::new(), String::new())
        ); // ED 0
    }

    #[test]
    fn insert_delete_erase_characters() {
        assert_eq!(row(b"acd\x1b[2D\x1b[1@b"), "abcd"); // ICH
        assert_eq!(row(b"abXcd\x1b[3D\x1b[P"), "abcd"); // DCH
        assert_eq!(row(b"abcd\x1b[3D\x1b[2X"), "a  d"); // ECH
        assert_eq!(row(b"abcd\x1b[3D\x1b[2P"), "ad"); // DCH n
    }

    #[test]
    fn horizontal_moves() {
        assert_eq!(cursor(None, b"abc\x1b[2D"), (0, 1)); // CUB
        assert_eq!(cursor(None, b"a\x1b[5C"), (0, 6)); // CUF
        assert_eq!(cursor(None, b"abc\x1b[2G"), (0, 1)); // CHA
        assert_eq!(cursor(None, b"abc\x1b[5`"), (0, 4)); // HPA
        assert_eq!(cursor(Some(10), b"abc\x1b[50C"), (0, 9)); // clamped at the margin
    }

    #[test]
    fn vertical_moves() {
        assert_eq!(cursor(None, b"a\r\nb\r\nc\x1b[2A"), (0, 1)); // CUU
        assert_eq!(cursor(None, b"a\x1b[2B"), (2, 1)); // CUD
        assert_eq!(cursor(None, b"ab\x1b[1E"), (1, 0)); // CNL
        assert_eq!(cursor(None, b"a\r\nbc\x1b[1F"), (0, 0)); // CPL
        assert_eq!(cursor(None, b"a\r\nb\x1b[1;3H"), (0, 2)); // CUP
        assert_eq!(cursor(None, b"a\r\nb\x1b[2;1f"), (1, 0)); // HVP
        assert_eq!(cursor(None, b"a\r\nb\x1b[1d"), (0, 1)); // VPA
        assert_eq!(cursor(None, b"a\r\nb\x1bM"), (0, 1)); // RI
    }

    #[test]
    fn save_and_restore() {
        assert_eq!(row(b"ab\x1b[scdef\x1b[uX"), "abXdef"); // SCOSC / SCORC
        assert_eq!(row(b"ab\x1b7cdef\x1b8X"), "abXdef"); // DECSC / DECRC
    }

    #[test]
    fn modes() {
        let (_, s) = run(None, b"\x1b[?2004h$ ls\x1b[?2004l");
        assert_eq!(
            s,
            [Signal::BracketedPaste(true), Signal::BracketedPaste(false)]
        );
        let (t, s) = run(None, b"$ vim\r\n\x1b[?1049hlots of text\x1b[?1049l");
        assert_eq!(s, [Signal::AltScreen(true), Signal::AltScreen(false)]);
        assert_eq!(t.screen.row_text(1), ""); // nothing drawn on the rows
        assert_eq!(t.screen.alt_chars, 12);
        // ?7 off: no autowrap, the last column is overwritten.
        assert_eq!(run(Some(4), b"\x1b[?7labcdef").0.screen.row_text(0), "abcf");
        // ?25, ?1 and keypad modes change nothing on the rows.
        assert_eq!(row(b"a\x1b[?25l\x1b[?1h\x1b=b\x1b>\x1b(Bc"), "abc");
    }

    #[test]
    fn osc_strings() {
        let (t, s) = run(
            None,
            b"\x1b]0;user@host: ~\x07\x1b]7;file://host/home/u\x1b\\$ ",
        );
        assert_eq!(s, [Signal::Title, Signal::Cwd("file://host/home/u".into())]);
        assert_eq!(t.screen.row_text(0), "$");
        let (_, s) = run(None, b"\x1b]133;A\x07$ \x1b]133;B\x07ls\x1b]633;E;ls\\x3b pwd\x07\x1b]133;C\x07\x1b]133;D;1\x07");
        assert_eq!(
            s,
            [
                Signal::Mark(Mark::PromptStart),
                Signal::Mark(Mark::CommandStart),
                Signal::Mark(Mark::CommandLine("ls; pwd".into())),
                Signal::Mark(Mark::Executed),
                Signal::Mark(Mark::Finished(Some(1))),
            ]
        );
    }

    #[test]
    fn ignored_sequences_keep_the_text_around_them() {
        assert_eq!(row(b"a\x1bP1$tx\x1b\\b"), "ab"); // DCS
        assert_eq!(row(b"a\x1b[38;5;208mb\x1b[0mc"), "abc"); // SGR
        assert_eq!(row(b"a\x1b[>4;1mb\x1b[6nc"), "abc"); // private and unknown CSI
    }

    #[test]
    fn wide_and_invalid_characters() {
        let (t, _) = run(Some(5), b"ab\xe6\x97\xa5\xe6\x97\xa5");
        assert_eq!(t.screen.line_text(0, 0, 0), "ab日日"); // the second one wraps whole
        assert_eq!(t.screen.cursor(), (1, 2));
        assert_eq!(row(b"a\xffb"), "a\u{fffd}b");
        // A combining mark stays with its letter, through an insert before it.
        assert_eq!(row(b"cafe\xcc\x81!\x1b[5D\x1b[1@X"), "Xcafe\u{301}!");
    }

    #[test]
    fn osc_is_capped() {
        let mut input = b"\x1b]7;".to_vec();
        input.extend(std::iter::repeat_n(b'x', 100_000));
        input.extend(b"\x07after");
        let (t, s) = run(None, &input);
        match &s[..] {
            [Signal::Cwd(url)] => assert!(url.len() <= crate::limits::MAX_OSC),
            other => panic!("unexpected signals {other:?}"),
        }
        assert_eq!(t.screen.row_text(0), "after");
    }
}
