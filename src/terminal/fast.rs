//! The fast path: the few kinds of bytes that make up nearly all traffic, read without
//! `vte`.
//!
//! Between sequences, runs of printable ASCII go to the screen a row at a time, C0 controls
//! and UTF-8 text are handled here, and so are complete CSI sequences of the plain form
//! `ESC [ [?] n ; n … final` (SGR, EL, ICH, DCH, cursor moves, `?2004`), two-byte `ESC x`
//! and short OSC strings (titles, shell marks). Whatever else comes (DCS strings, long or
//! odd OSC strings, sub-parameters, intermediates, a sequence cut by the end of a chunk) is
//! left to `vte`, which then reads until it is back between sequences. Both paths make the
//! same [`Op`]s, through the same [`Performer`] methods where a sequence is not read whole
//! here, and the tests replay the corpus and random bytes both ways to check they draw the
//! same.

use super::op::{Bytes, Ignored, Mode, Op, SGR_MANY};
use super::perform::{Performer, Sink};
use crate::limits::MAX_OSC;
use crate::scan::{self, HIGH, ONES};

/// Most parameters of a CSI sequence read here; longer ones go to vte.
const FAST_PARAMS: usize = 16;

/// Most parts vte splits an OSC string into.
const MAX_OSC_PARAMS: usize = 16;

/// Read `bytes` (input offset `offset`, `vte` in its ground state) up to the first
/// sequence left to `vte`; returns how many bytes were read.
pub(super) fn run<S: Sink>(p: &mut Performer<'_, S>, bytes: &[u8], offset: u64) -> usize {
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let at = offset + i as u64;
        match b {
            0x20..=0x7e => {
                let n = printable_len(&bytes[i..]);
                p.apply(Op::Print(Bytes(&bytes[i..i + n])), at, at + n as u64);
                i += n;
            }
            0x1b => match escape(p, &bytes[i..], at) {
                Some(n) => i += n,
                None => return i,
            },
            0x00..=0x1f => {
                p.control(b, at);
                i += 1;
            }
            // vte prints DEL in the ground state.
            0x7f => {
                p.apply(Op::PrintChar('\x7f'), at, at + 1);
                i += 1;
            }
            _ => {
                let n = bytes[i..]
                    .iter()
                    .position(|&c| c < 0x20 || c == 0x7f)
                    .unwrap_or(bytes.len() - i);
                text(p, &bytes[i..i + n], at);
                i += n;
            }
        }
    }
    i
}

/// [`Op::Sgr`]'s parameter from SGR's parameter bytes (digits and `;`), as vte reads them:
/// one or two digits are nearly all there is; more are summed as vte does, saturating.
#[inline]
fn sgr_param(params: &[u8]) -> u16 {
    match *params {
        [] => 0,
        [d @ b'0'..=b'9'] => u16::from(d - b'0'),
        [a @ b'0'..=b'9', d @ b'0'..=b'9'] => u16::from(a - b'0') * 10 + u16::from(d - b'0'),
        _ if memchr::memchr(b';', params).is_some() => SGR_MANY,
        _ => params.iter().fold(0u16, |n, &d| {
            n.saturating_mul(10).saturating_add(u16::from(d - b'0'))
        }),
    }
}

/// Length of the run of printable ASCII at the start of `b`, eight bytes at a time.
fn printable_len(b: &[u8]) -> usize {
    // A high bit is set in each byte outside 0x20..=0x7e: below 0x20 the subtraction wraps,
    // 0x7f becomes 0x80 when one is added, 0x80 and up have it. A borrow or carry only
    // reaches bytes above such a byte.
    let outside = |x: u64| (x.wrapping_sub(0x20 * ONES) | x.wrapping_add(ONES) | x) & HIGH;
    scan::first(b, 0, outside, |c| !(0x20..=0x7e).contains(&c))
}

/// Position of the first C0 control in `b`, eight bytes at a time.
fn control_pos(b: &[u8]) -> Option<usize> {
    let at = scan::first(b, 0, scan::controls, |c| c < 0x20);
    (at < b.len()).then_some(at)
}

/// Text that is not all ASCII, with no C0 control in it: what vte's ground state does with
/// it. C1 controls (U+0080–U+009F) do nothing; each invalid sequence shows one U+FFFD,
/// except a lone byte 0x80–0x9F, which vte executes as a C1 control.
fn text<S: Sink>(p: &mut Performer<'_, S>, bytes: &[u8], offset: u64) {
    // Each op with the input bytes it was read from, starting at input offset `at`.
    let apply = |p: &mut Performer<'_, S>, op, at: u64, len: usize| {
        p.apply(op, at, at + len as u64);
    };
    let mut at = offset;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid().as_bytes();
        let mut ascii_from = 0;
        for (j, c) in chunk.valid().char_indices() {
            if c.is_ascii() {
                continue;
            }
            if ascii_from < j {
                let run = &valid[ascii_from..j];
                apply(p, Op::Print(Bytes(run)), at + ascii_from as u64, run.len());
            }
            let op = if ('\u{80}'..='\u{9f}').contains(&c) {
                Op::Ignored(Ignored::Control(c as u8))
            } else {
                Op::PrintChar(c)
            };
            apply(p, op, at + j as u64, c.len_utf8());
            ascii_from = j + c.len_utf8();
        }
        if ascii_from < valid.len() {
            let run = &valid[ascii_from..];
            apply(p, Op::Print(Bytes(run)), at + ascii_from as u64, run.len());
        }
        at += valid.len() as u64;
        let invalid = chunk.invalid();
        let op = match invalid {
            [] => continue,
            [c] if *c <= 0x9f => Op::Ignored(Ignored::Control(*c)),
            _ => Op::PrintChar('\u{fffd}'),
        };
        apply(p, op, at, invalid.len());
        at += invalid.len() as u64;
    }
}

/// An escape sequence at the start of `b` (input offset `at`), if it is complete and of a
/// form read here; returns its length.
fn escape<S: Sink>(p: &mut Performer<'_, S>, b: &[u8], at: u64) -> Option<usize> {
    match *b.get(1)? {
        b'[' => csi(p, b, at),
        b']' => osc(p, b, at),
        // DCS, SOS, PM, APC strings.
        b'P' | b'X' | b'^' | b'_' => None,
        // screen's title string, read by the general path (see `Parser::advance_pieces`).
        b'k' => None,
        x @ 0x30..=0x7e => {
            p.seq_start = at;
            p.piece_end = at + 2;
            p.esc(x);
            Some(2)
        }
        _ => None,
    }
}

/// `ESC ]`, text with no control in it, shorter than vte keeps, in at most as many parts as
/// vte splits, then BEL or `ESC \\` (or an ESC that starts the next sequence).
fn osc<S: Sink>(p: &mut Performer<'_, S>, b: &[u8], at: u64) -> Option<usize> {
    let body = &b[2..];
    let end = control_pos(body)?;
    let text = &body[..end];
    let len = match body[end] {
        0x07 => 2 + end + 1,
        0x1b if body.get(end + 1) == Some(&b'\\') => 2 + end + 2,
        0x1b if end + 1 < body.len() => 2 + end,
        _ => return None,
    };
    if text.len() >= MAX_OSC {
        return None;
    }
    let mut params: [&[u8]; MAX_OSC_PARAMS] = [&[]; MAX_OSC_PARAMS];
    let mut n = 0;
    for part in text.split(|&c| c == b';') {
        *params.get_mut(n)? = part;
        n += 1;
    }
    p.seq_start = at;
    p.piece_end = at + len as u64;
    p.osc(&params[..n], false);
    Some(len)
}

/// `ESC [`, an optional private marker, decimal parameters separated by `;`, a final byte.
fn csi<S: Sink>(p: &mut Performer<'_, S>, b: &[u8], at: u64) -> Option<usize> {
    // grep ends every match with `ESC [ m ESC [ K`: both without parameters, read at once.
    let op = match *b.get(2)? {
        b'm' => Some(Op::Sgr(0)),
        b'K' => Some(Op::El(0)),
        _ => None,
    };
    if let Some(op) = op {
        p.seq_start = at;
        p.apply(op, at, at + 3);
        return Some(3);
    }
    // The line editor's bracket, twice per command line.
    if let Some(bracket @ (b"\x1b[?2004h" | b"\x1b[?2004l")) = b.first_chunk::<8>() {
        p.seq_start = at;
        p.apply(
            Op::Mode(Mode::BracketedPaste, bracket[7] == b'h'),
            at,
            at + 8,
        );
        return Some(8);
    }
    let (marker, from) = match *b.get(2)? {
        m @ b'<'..=b'?' => (Some(m), 3),
        _ => (None, 2),
    };
    let end = from
        + b[from..]
            .iter()
            .position(|c| !matches!(c, b'0'..=b'9' | b';'))?;
    let action = b[end];
    if !(0x40..=0x7e).contains(&action) {
        return None;
    }
    let len = end + 1;
    let span = (at, at + len as u64);
    p.seq_start = at;
    p.piece_end = span.1;
    // SGR, most sequences of all, changes nothing on the rows: of its parameters only
    // whether there is one, and which, is read.
    if action == b'm' && marker.is_none() {
        p.apply(Op::Sgr(sgr_param(&b[from..end])), span.0, span.1);
        return Some(len);
    }
    // Line editors move over the line one column at a time.
    if end == from && marker.is_none() && matches!(action, b'C' | b'D') {
        let op = if action == b'C' {
            Op::Cuf(1)
        } else {
            Op::Cub(1)
        };
        p.apply(op, span.0, span.1);
        return Some(len);
    }
    let mut params = [0u16; FAST_PARAMS];
    let n = parse_params(&b[from..end], &mut params)?;
    match marker {
        // EL, which coloured output sends after nearly every SGR, without the dispatch.
        None if action == b'K' => p.apply(Op::El(params[0]), span.0, span.1),
        None => p.csi(&params[..n], false, action as char),
        Some(b'?') => p.csi(&params[..n], true, action as char),
        // `CSI > …`, `CSI = …`, `CSI < …`: nothing that moves text.
        Some(_) => p.apply(Op::Ignored(Ignored::Csi(action)), span.0, span.1),
    }
    Some(len)
}

/// The values of `digits` (decimal numbers separated by `;`, a missing one 0) into `params`;
/// returns how many, or `None` when there are more than it holds.
#[inline]
fn parse_params(digits: &[u8], params: &mut [u16; FAST_PARAMS]) -> Option<usize> {
    let mut n = 0;
    let mut value = 0u16;
    for &c in digits {
        if c == b';' {
            *params.get_mut(n)? = value;
            n += 1;
            value = 0;
        } else {
            // vte's rule: a value stops growing at u16::MAX.
            value = value.saturating_mul(10).saturating_add(u16::from(c - b'0'));
        }
    }
    *params.get_mut(n)? = value;
    Some(n + 1)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::terminal::{GENERAL_ONLY, Observer};
    use crate::{Config, Record, Scribe};

    /// Records of `input` fed in `chunk`-byte pieces, with the shortcuts (the fast path and the
    /// screen's short paths) or through the general paths alone (vte for every byte).
    fn records(input: &[u8], chunk: usize, general_only: bool) -> Vec<Record> {
        GENERAL_ONLY.with(|v| v.set(general_only));
        let mut scribe = Scribe::new(Config::default());
        let mut out: Vec<Record> = Vec::new();
        for piece in input.chunks(chunk.max(1)) {
            out.extend(scribe.feed(piece));
        }
        out.extend(scribe.finish());
        GENERAL_ONLY.with(|v| v.set(false));
        out
    }

    #[test]
    fn shortcuts_give_the_same_records_on_the_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for set in ["sessions", "dev"] {
            let Ok(dirs) = std::fs::read_dir(root.join(set)) else {
                continue;
            };
            for dir in dirs.flatten() {
                for file in ["raw.bin", "s3.log", "cloudwatch.jsonl"] {
                    let Ok(input) = std::fs::read(dir.path().join(file)) else {
                        continue;
                    };
                    let fast = records(&input, 4096, false);
                    assert_eq!(
                        fast,
                        records(&input, usize::MAX, true),
                        "{:?}",
                        dir.path().join(file)
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "only {checked} corpus files found");
    }

    /// Bytes that exercise both paths and the hand-over between them: text, UTF-8 whole and
    /// broken, C0 and C1 controls, and escape sequences complete, cut, odd and unterminated.
    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => "[ -~]{1,20}".prop_map(String::into_bytes),
            1 => "[é日€😀a-z]{1,4}".prop_map(String::into_bytes),
            1 => prop::sample::select(vec![
                &b"\xc3"[..], b"\xe6\x97", b"\x85", b"\x9b", b"\xff", b"\xed\xa0\x80",
            ]).prop_map(<[u8]>::to_vec),
            2 => prop::sample::select(vec![
                &b"\r"[..], b"\n", b"\r\n", b"\x08", b"\t", b"\x07", b"\x0b", b"\x0c", b"\x7f",
                b"\x18", b"\x1a", b"\x00", b"\x1b",
            ]).prop_map(<[u8]>::to_vec),
            3 => (
                prop::sample::select(vec!["", "?", ">", "="]),
                prop::collection::vec(0u32..70000, 0..4),
                prop::sample::select(vec!["m", "K", "@", "P", "C", "D", "A", "B", "G", "H", "J", "X", "h", "l", "s", "u", "d", "E", "F", "`", "a", "e", "f", "n", "$p", ":", "?m", "\r", "\x1b"]),
            ).prop_map(|(marker, params, fin)| {
                let params: Vec<String> = params.iter().map(u32::to_string).collect();
                format!("\x1b[{marker}{}{fin}", params.join(";")).into_bytes()
            }),
            1 => prop::sample::select(vec![
                &b"\x1b[?2004h"[..], b"\x1b[?2004l", b"\x1b[?1049h", b"\x1b[?1049l", b"\x1b[?7l",
                b"\x1b[?1h", b"\x1b]0;title\x07", b"\x1b]7;file://h/tmp\x1b\\", b"\x1b]133;A\x07",
                b"\x1b]133;B\x07", b"\x1b]133;C\x07", b"\x1b]0;cut", b"\x1bP1$tx\x1b\\", b"\x1b7",
                b"\x1b8", b"\x1bM", b"\x1bE", b"\x1b(B", b"\x1b=", b"\x1b[38:5:1m", b"\x1b[1;2;3",
                b"$ ", b"[ec2-user@ip-10-0-1-11 ~]$ ", b"% ", b"\x1b]0;a\x01b\x07",
                b"\x1b]1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17\x07", b"\x1b]2;t\x1b[m",
                b"\x1b]0;\xc3\xa9\x7f\x07", b"\x1b]133;D;1\x1b\\", b"\x1b]0;x\x18y",
            ]).prop_map(<[u8]>::to_vec),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn shortcuts_give_the_same_records_on_random_input(
            parts in prop::collection::vec(fragment(), 0..80),
            chunk in 1usize..64,
        ) {
            let input = parts.concat();
            prop_assert_eq!(records(&input, chunk, false), records(&input, usize::MAX, true));
        }

        #[test]
        fn both_parsers_make_the_same_ops(
            parts in prop::collection::vec(fragment(), 0..80),
            chunk in 1usize..64,
        ) {
            let input = parts.concat();
            prop_assert_eq!(ops(&input, chunk, false), ops(&input, usize::MAX, true));
        }
    }

    /// Ops seen, as text: each with the offset it starts at (what signals are given), and
    /// text, which comes in runs of any length, joined into one entry between other ops.
    #[derive(Default)]
    struct Ops {
        seen: Vec<String>,
        text: String,
    }

    impl Observer for Ops {
        fn signal(&mut self, _: crate::terminal::Signal, _: &mut crate::terminal::Screen, _: u64) {}

        fn op(&mut self, op: &Op<'_>, span: std::ops::Range<u64>) {
            match *op {
                Op::Print(Bytes(run)) => self.text.push_str(&String::from_utf8_lossy(run)),
                Op::PrintChar(c) => self.text.push(c),
                _ => {
                    if !self.text.is_empty() {
                        self.seen.push(std::mem::take(&mut self.text));
                    }
                    self.seen.push(match op {
                        // vte gives controls other than line feeds the start of the piece
                        // they are in (their signals are placed no closer).
                        Op::Bs | Op::Ht | Op::Cr | Op::Bel | Op::Ignored(Ignored::Control(_)) => {
                            format!("{op:?}")
                        }
                        _ => format!("{} {op:?}", span.start),
                    });
                }
            }
        }
    }

    /// The ops of `input` fed in `chunk`-byte pieces, with the shortcuts or without.
    fn ops(input: &[u8], chunk: usize, general_only: bool) -> Vec<String> {
        GENERAL_ONLY.with(|v| v.set(general_only));
        let mut t = crate::terminal::Terminal::new(None);
        let mut ops = Ops::default();
        for (i, piece) in input.chunks(chunk.max(1)).enumerate() {
            t.advance(piece, (i * chunk) as u64, &mut ops);
        }
        t.finish(input.len() as u64, &mut ops);
        GENERAL_ONLY.with(|v| v.set(false));
        ops.seen.push(ops.text);
        ops.seen
    }

    #[test]
    fn both_parsers_make_the_same_ops_on_the_corpus() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for set in ["sessions", "dev"] {
            for dir in std::fs::read_dir(root.join(set))
                .into_iter()
                .flatten()
                .flatten()
            {
                let Ok(input) = std::fs::read(dir.path().join("raw.bin")) else {
                    continue;
                };
                let fast = ops(&input, 4096, false);
                assert!(fast == ops(&input, usize::MAX, true), "{:?}", dir.path());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} corpus files found");
    }

    #[test]
    fn ops_of_a_line_edit() {
        let input = b"\x1b[?2004h$ ls\x08\x1b[K\x1b[Cs\x1b]633;E;ls\x07\r\n";
        let want = [
            "0 Mode(BracketedPaste, true)",
            "$ ls",
            "Bs",
            "13 El(0)",
            "16 Cuf(1)",
            "s",
            "20 CommandLine { line: \"ls\", cut: false }",
            "Cr",
            "32 Lf",
            "",
        ];
        assert_eq!(ops(input, usize::MAX, false), want);
        assert_eq!(ops(input, usize::MAX, true), want);
    }

    #[test]
    fn sgr_keeps_its_one_parameter_as_vte_reads_it() {
        for (input, want) in [
            (&b"\x1b[m"[..], "Sgr(0)"),
            (b"\x1b[7m", "Sgr(7)"),
            (b"\x1b[24m", "Sgr(24)"),
            (b"\x1b[024m", "Sgr(24)"),
            (b"\x1b[99999m", "Sgr(65535)"),
            (b"\x1b[1;2m", "Sgr(65535)"),
            (b"\x1b[;m", "Sgr(65535)"),
        ] {
            let fast = ops(input, input.len(), false);
            assert_eq!(fast, ops(input, input.len(), true), "{input:?}");
            assert!(fast[0].ends_with(want), "{input:?}: {fast:?}");
        }
    }

    #[test]
    fn control_positions() {
        assert_eq!(control_pos(b""), None);
        assert_eq!(control_pos(b"0;title\x07"), Some(7));
        assert_eq!(control_pos(b"0;a long title here\x1b\\"), Some(19));
        assert_eq!(control_pos(b"\xe6\x97\xa5\xff\x80 abcdefgh"), None);
        assert_eq!(control_pos(b"abcdefgh\x00"), Some(8));
    }

    #[test]
    fn csi_parameters() {
        let mut params = [0; FAST_PARAMS];
        assert_eq!(parse_params(b"", &mut params), Some(1));
        assert_eq!(params[0], 0);
        assert_eq!(parse_params(b"12;;3", &mut params), Some(3));
        assert_eq!(params[..3], [12, 0, 3]);
        assert_eq!(parse_params(b"99999", &mut params), Some(1));
        assert_eq!(params[0], u16::MAX);
        assert_eq!(
            parse_params(&[b';'; FAST_PARAMS - 1], &mut params),
            Some(FAST_PARAMS)
        );
        assert_eq!(parse_params(&[b';'; FAST_PARAMS], &mut params), None);
    }

    #[test]
    fn printable_runs() {
        assert_eq!(printable_len(b""), 0);
        assert_eq!(printable_len(b"abc"), 3);
        assert_eq!(printable_len(b"0123456789abcdef\rx"), 16);
        assert_eq!(printable_len(b"01234567\x7f"), 8);
        assert_eq!(printable_len(b"0123\x1f567"), 4);
        assert_eq!(printable_len(b"012345678\xc3\xa9"), 9);
        assert_eq!(printable_len(b" ~~~~~~~ ~~~~~~~"), 16);
    }
}
