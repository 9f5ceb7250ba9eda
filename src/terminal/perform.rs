//! The byte values of the control functions, whichever parser read them: the `Performer`
//! methods (`control`, `csi`, `esc`, `osc`) are called by the fast path and, through the
//! `vte::Perform` impl, by `vte`, and turn what they read into [`Op`]s. Each arm carries the
//! wire form and ECMA-48 / DEC name of what it reads; what an op does is
//! [`Screen::apply`]'s and [`Signal::of`]'s business.

use vte::{Params, Perform};

use super::op::{Bytes, Ignored, Mark, Mode, Op, SGR_MANY};
use crate::limits::MAX_OSC;

/// Where the parsers' ops go: the screen (and whoever watches it), or a list (the lossy
/// line repair, which reads a line's ops without drawing them).
pub(crate) trait Sink {
    /// `op`, read from input bytes `start..end`.
    fn op(&mut self, op: Op<'_>, start: u64, end: u64);
}

pub(crate) struct Performer<'a, S: Sink> {
    pub sink: &'a mut S,
    /// Input offset of the sequence being read (its ESC).
    pub seq_start: u64,
    /// The input bytes vte is reading (`piece_start..piece_end`); the fast path sets the end
    /// to that of the sequence it read, which ends the span of the ops made from it.
    pub piece_start: u64,
    pub piece_end: u64,
    /// vte is certainly back in its ground state: the last byte it read ended a sequence
    /// or printed (see [`Terminal`](super::Terminal)'s fast path).
    pub ground: bool,
}

/// Most parameters a CSI sequence is read with; vte keeps as many.
pub(crate) const MAX_PARAMS: usize = 32;

/// First parameter, with 0 or missing meaning `default` (the ECMA-48 rule for counts).
fn count(params: &[u16], default: u16) -> u16 {
    param(params, 0, default)
}

/// What [`Op::Sgr`] keeps of SGR's parameters.
pub(crate) fn sgr(params: &[u16]) -> u16 {
    match *params {
        [] => 0,
        [one] => one,
        _ => SGR_MANY,
    }
}

fn param(params: &[u16], i: usize, default: u16) -> u16 {
    match params.get(i) {
        None | Some(0) => default,
        Some(&n) => n,
    }
}

impl<S: Sink> Performer<'_, S> {
    /// Hand `op`, read from input bytes `start..end`, to the sink.
    // Always inlined: where the op is known (most calls from the fast path), the matches in
    // `Screen::apply` and `Signal::of` fold away and leave the one call that does the work.
    #[inline(always)]
    pub fn apply(&mut self, op: Op<'_>, start: u64, end: u64) {
        self.sink.op(op, start, end);
    }

    /// A sequence that started at `seq_start` and ends with the current piece.
    fn apply_seq(&mut self, op: Op<'_>) {
        self.apply(op, self.seq_start, self.piece_end);
    }

    /// A C0 control at input offset `at`.
    pub fn control(&mut self, byte: u8, at: u64) {
        let op = match byte {
            0x08 => Op::Bs,        // BS
            0x09 => Op::Ht,        // HT
            0x0d => Op::Cr,        // CR
            0x0a..=0x0c => Op::Lf, // LF, VT, FF: all move down one row
            0x07 => Op::Bel,       // BEL
            _ => Op::Ignored(Ignored::Control(byte)),
        };
        self.apply(op, at, at + 1);
    }

    /// `CSI params action`, or `CSI ? params action` when `private`; `params` holds the first
    /// value of each parameter (0 when missing), at least one.
    pub fn csi(&mut self, params: &[u16], private: bool, action: char) {
        if private {
            let set = match action {
                'h' => true,
                'l' => false,
                _ => return self.apply_seq(Op::Ignored(Ignored::Csi(action as u8))),
            };
            for &p in params {
                let mode = match p {
                    2004 => Mode::BracketedPaste,        // CSI ? 2004 h/l
                    1049 | 1047 | 47 => Mode::AltScreen, // CSI ? 1049 h/l
                    7 => Mode::Autowrap,                 // CSI ? 7 h/l  DECAWM
                    1 => Mode::CursorKeys,               // CSI ? 1 h/l  DECCKM
                    _ => Mode::Other(p),                 // ?25 DECTCEM, ...
                };
                self.apply_seq(Op::Mode(mode, set));
            }
            return;
        }
        let n = |d| count(params, d);
        let op = match action {
            '@' => Op::Ich(n(1)),                                           // CSI n @  ICH
            'P' => Op::Dch(n(1)),                                           // CSI n P  DCH
            'X' => Op::Ech(n(1)),                                           // CSI n X  ECH
            'K' => Op::El(n(0)),                                            // CSI n K  EL
            'J' => Op::Ed(n(0)),                                            // CSI n J  ED
            'C' | 'a' => Op::Cuf(n(1)),                                     // CSI n C  CUF, HPR
            'D' => Op::Cub(n(1)),                                           // CSI n D  CUB
            'G' | '`' => Op::Cha(n(1)),                                     // CSI n G  CHA, HPA
            'A' => Op::Cuu(n(1)),                                           // CSI n A  CUU
            'B' | 'e' => Op::Cud(n(1)),                                     // CSI n B  CUD, VPR
            'E' => Op::Cnl(n(1)),                                           // CSI n E  CNL
            'F' => Op::Cpl(n(1)),                                           // CSI n F  CPL
            'H' | 'f' => Op::Cup(param(params, 0, 1), param(params, 1, 1)), // CSI r ; c H  CUP, HVP
            'd' => Op::Vpa(n(1)),                                           // CSI n d  VPA
            's' => Op::SaveCursor,                                          // CSI s  SCOSC
            'u' => Op::RestoreCursor,                                       // CSI u  SCORC
            'm' => Op::Sgr(sgr(params)),                                    // CSI n ; … m  SGR
            _ => Op::Ignored(Ignored::Csi(action as u8)),
        };
        self.apply_seq(op);
    }

    /// `ESC byte`, with no intermediates.
    pub fn esc(&mut self, byte: u8) {
        let op = match byte {
            // ESC \  ST ends a string: part of the OSC vte has just handed over (the fast
            // path reads the two together).
            b'\\' => return,
            b'7' => Op::SaveCursor,               // ESC 7  DECSC
            b'8' => Op::RestoreCursor,            // ESC 8  DECRC
            b'M' => Op::Ri,                       // ESC M  RI
            b'D' => Op::Ind,                      // ESC D  IND
            b'E' => Op::Nel,                      // ESC E  NEL
            _ => Op::Ignored(Ignored::Esc(byte)), // ESC = / ESC > keypad modes
        };
        self.apply_seq(op);
    }
}

impl<S: Sink> Perform for Performer<'_, S> {
    fn print(&mut self, c: char) {
        self.ground = true;
        // One character at a time, even ASCII: the screen's general path, which the fast
        // path's runs are tested against.
        self.apply(Op::PrintChar(c), self.piece_start, self.piece_end);
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
        let private = match intermediates {
            _ if ignore => None,
            [] => Some(false),
            [b'?', ..] => Some(true),
            _ => None,
        };
        let Some(private) = private else {
            return self.apply_seq(Op::Ignored(Ignored::Csi(action as u8)));
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
        match *intermediates {
            [] => self.esc(byte),
            // ESC ( B  SCS, and G1..G3: ESC ) B, ESC * B, ESC + B
            [set @ (b'(' | b')' | b'*' | b'+')] => self.apply_seq(Op::Scs { set, charset: byte }),
            _ => self.apply_seq(Op::Ignored(Ignored::Esc(byte))),
        }
    }

    fn hook(&mut self, _params: &Params, _intermediates: &[u8], _ignore: bool, action: char) {
        self.apply_seq(Op::Ignored(Ignored::Dcs(action as u8)));
    }

    fn terminated(&self) -> bool {
        self.ground
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], bell_terminated: bool) {
        // Ended by ESC, vte has yet to read the backslash of the ST.
        self.ground = bell_terminated;
        // vte keeps the parts without their separators, and drops what does not fit: a
        // string that filled its buffer was cut (one that fitted exactly looks the same).
        let kept: usize = params.iter().map(|p| p.len()).sum();
        self.osc(params, kept >= MAX_OSC);
    }
}

impl<S: Sink> Performer<'_, S> {
    /// `OSC params ST`: the string's `;`-separated parts; `cut` when the parser kept only the
    /// start of it.
    pub fn osc(&mut self, params: &[&[u8]], cut: bool) {
        let part = |i: usize| params.get(i).copied();
        let kind = part(0).unwrap_or_default();
        let op = match kind {
            // OSC 0/2 ; title
            b"0" | b"2" => part(1).map(|title| Op::Title(Bytes(title))),
            // OSC 7 ; file://host/path
            b"7" => part(1).map(|url| Op::Cwd(Bytes(url))),
            // OSC 133 ; A|B|C|D[;status]   OSC 633 ; E ; commandline
            b"133" | b"633" => match part(1).and_then(|p| p.first()) {
                Some(b'A') => Some(Op::Mark(Mark::PromptStart)),
                Some(b'B') => Some(Op::Mark(Mark::CommandStart)),
                Some(b'C') => Some(Op::Mark(Mark::Executed)),
                Some(b'D') => Some(Op::Mark(Mark::Finished(part(2).and_then(status)))),
                Some(b'E') if kind == b"633" => Some(Op::CommandLine {
                    line: Bytes(part(2).unwrap_or_default()),
                    cut,
                }),
                _ => None,
            },
            _ => None,
        };
        self.apply_seq(op.unwrap_or(Op::IgnoredOsc(Bytes(kind))));
    }
}

/// The exit status of a 133 `D` mark.
fn status(text: &[u8]) -> Option<i32> {
    String::from_utf8_lossy(text).trim().parse().ok()
}

/// VS Code escapes `;`, `\` and control characters in 633 `E` as `\xAB`.
pub(crate) fn unescape_633(s: &str) -> String {
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
        assert_eq!(t.screen.alt_chars(), 12);
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
                Signal::Mark(Mark::CommandLine {
                    line: "ls; pwd".into(),
                    cut: false
                }),
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
