//! The driver of the two parsers: the fast path between sequences, `vte` for the rest,
//! and a UTF-8 character cut by a chunk boundary held until it is whole. What they read goes
//! as [`Op`]s to a [`Sink`]: the terminal's screen, or the lossy line repair's list.

use memchr::memchr2;

use super::op::{self, Op};
use super::perform::{self, Sink};
use super::{fast, shortcuts};
use crate::limits::MAX_OSC;

/// The escape parsers and what they are in the middle of.
pub(crate) struct Parser {
    vte: vte::Parser<MAX_OSC>,
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
    /// vte is inside a sequence or string it has not finished.
    open: bool,
    /// The bytes of that string so far, from its ESC (at most [`MAX_OSC`]), and where
    /// they start; `None` once they went past the cap.
    unfinished: Option<Vec<u8>>,
    unfinished_at: u64,
    /// Whether the fast path is used (off only to test it against vte).
    fast: bool,
    /// The last byte vte was given was an ESC that starts a sequence.
    after_esc: bool,
}

impl Default for Parser {
    fn default() -> Parser {
        Parser {
            vte: vte::Parser::new_with_size(),
            seq_start: 0,
            held: [0; 3],
            held_len: 0,
            ground: true,
            open: false,
            unfinished: Some(Vec::new()),
            unfinished_at: 0,
            fast: shortcuts(),
            after_esc: false,
        }
    }
}

impl Parser {
    /// A parser whose ops all start where their bytes do, whatever the tests ask of the
    /// terminal (the fast path reads text itself; vte, given a piece, puts its characters
    /// at the piece's start): for reading a line's ops without drawing them.
    pub fn exact() -> Parser {
        Parser {
            fast: true,
            ..Parser::default()
        }
    }

    /// Whether the parsers are between sequences, with no character held.
    pub fn between_sequences(&self) -> bool {
        self.ground && self.held_len == 0
    }

    /// Feed `bytes`, which start at input offset `offset`.
    pub fn advance<S: Sink>(&mut self, bytes: &[u8], offset: u64, sink: &mut S) {
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
            self.advance_pieces(&buf[..h + cont], offset - h as u64, sink);
            bytes = &bytes[cont..];
            offset += cont as u64;
        }
        let keep = incomplete_tail(bytes);
        let (now, later) = bytes.split_at(bytes.len() - keep);
        self.held[..keep].copy_from_slice(later);
        self.held_len = keep;
        self.advance_pieces(now, offset, sink);
    }

    /// The input ended inside a character: it is shown as U+FFFD, as a terminal shows an
    /// invalid sequence, rather than dropped.
    pub fn finish<S: Sink>(&mut self, offset: u64, sink: &mut S) {
        // vte keeps a character it saw begin at the end of its input, waiting for the rest,
        // and has no call to give it up. A NUL ends it (as U+FFFD), and is itself nothing in
        // every state.
        let mut quiet = Quiet(sink, 0);
        let mut perf = performer(&mut quiet, self.seq_start, offset, offset);
        self.vte.advance(&mut perf, &[0]);
        if self.held_len > 0 {
            let from = offset.saturating_sub(self.held_len as u64);
            self.held_len = 0;
            perf.apply(Op::PrintChar('\u{fffd}'), from, offset);
        }
    }

    /// Between sequences the fast path reads the bytes; the rest goes to `vte` in pieces cut
    /// before every ESC and after every line feed, so each signal can be given the exact
    /// offset of the sequence that caused it, whatever the chunking of the input.
    fn advance_pieces<S: Sink>(&mut self, bytes: &[u8], offset: u64, sink: &mut S) {
        let mut pos = 0;
        while pos < bytes.len() {
            let rest = &bytes[pos..];
            let at = offset + pos as u64;
            if self.fast && self.ground {
                let mut perf = performer(sink, self.seq_start, at, at);
                let n = fast::run(&mut perf, rest, at);
                self.seq_start = perf.seq_start;
                pos += n;
                if n < rest.len() {
                    self.ground = false;
                }
                continue;
            }
            if self.open && is_line_feed(rest[0]) && self.in_string() {
                self.end_string(sink);
            }
            // An ESC goes to vte alone, while the sequence before it is still the current
            // one: it may end an OSC string, whose signals belong where that string began.
            let esc = rest[0] == 0x1b;
            // `ESC k title ESC \` is screen's and tmux's window title (TERM=screen): vte
            // knows no such string, so it is given the one that is ignored alike, APC.
            let title = self.after_esc && rest[0] == b'k';
            let end = if esc || title { 1 } else { piece_end(rest) };
            let piece = if title { &b"_"[..] } else { &rest[..end] };
            let end_at = at + end as u64;
            let mut perf = performer(sink, self.seq_start, at, end_at);
            let n = if self.fast {
                let n = self.vte.advance_until_terminated(&mut perf, piece);
                // vte keeps a character cut by the end of a piece for the next call, which
                // then has to go to vte too.
                self.ground = perf.ground && !(n == end && incomplete_tail(piece) > 0);
                n
            } else {
                self.vte.advance(&mut perf, piece);
                end
            };
            // An ESC starts a sequence whatever vte did before it (it may have printed a
            // character an ESC broke off).
            self.open = esc || !perf.ground;
            self.keep_unfinished(&rest[..n], at, esc);
            self.after_esc = esc && n == 1;
            if esc && n == 1 {
                self.seq_start = at;
            }
            pos += n;
        }
    }
}

impl Parser {
    /// Whether vte is inside a string (OSC, DCS, SOS, PM, APC): a line feed in one of those
    /// is taken as text, where in a control sequence it is a line feed.
    fn in_string(&self) -> bool {
        match &self.unfinished {
            Some(kept) => matches!(
                kept[..],
                [0x1b, b']' | b'P' | b'X' | b'^' | b'_' | b'k', ..]
            ),
            // Past the cap: it was a string, since nothing else runs that long.
            None => true,
        }
    }

    /// Keep the bytes vte was given while a string is open, to read them again if it turns
    /// out not to be one (see [`Parser::end_string`]).
    fn keep_unfinished(&mut self, piece: &[u8], at: u64, fresh: bool) {
        if !self.open || fresh {
            self.unfinished.get_or_insert_with(Vec::new).clear();
            if !self.open {
                return;
            }
        }
        if let Some(kept) = &mut self.unfinished {
            if kept.is_empty() {
                self.unfinished_at = at;
            }
            if kept.len() + piece.len() > MAX_OSC {
                self.unfinished = None;
            } else {
                kept.extend_from_slice(piece);
            }
        }
    }

    /// A line feed came inside a string (OSC, DCS) not yet terminated: it was not one. A
    /// terminal would keep swallowing bytes until a BEL or ST, but no shell writes a line
    /// feed in a title or a mark, and one `printf '\e]'` in a session with no later ESC
    /// (dash, mksh) would hide every line after it, and the prompt and typing on its own.
    /// The string is dropped unread, and what followed its introducer is read again as
    /// the text it was (if it fitted under [`MAX_OSC`]).
    fn end_string<S: Sink>(&mut self, sink: &mut S) {
        self.vte = vte::Parser::new_with_size();
        self.open = false;
        self.ground = true;
        let Some(kept) = self.unfinished.replace(Vec::new()) else {
            return;
        };
        if kept.len() > 2 && kept[0] == 0x1b {
            self.advance_pieces(&kept[2..], self.unfinished_at + 2, sink);
        }
        self.unfinished = Some(kept).map(|mut k| {
            k.clear();
            k
        });
    }
}

/// Passes every op on but that of a control byte the parser added itself (a NUL at the
/// end, a CAN ending a string), which is not in the input.
struct Quiet<'a, S>(&'a mut S, u8);

impl<S: Sink> Sink for Quiet<'_, S> {
    fn op(&mut self, op: Op<'_>, start: u64, end: u64) {
        if op != Op::Ignored(op::Ignored::Control(self.1)) {
            self.0.op(op, start, end);
        }
    }
}

fn performer<S: Sink>(
    sink: &mut S,
    seq_start: u64,
    piece_start: u64,
    piece_end: u64,
) -> perform::Performer<'_, S> {
    perform::Performer {
        sink,
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
        // A line feed is a piece of its own: it may end a string (see `end_string`).
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

/// Line feed, vertical tab and form feed: each moves the cursor down a row.
fn is_line_feed(b: u8) -> bool {
    (0x0a..=0x0c).contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a parser prints for `input` fed in `chunk`-byte pieces, line feeds as `\n`.
    fn printed(input: &[u8], chunk: usize) -> String {
        #[derive(Default)]
        struct Text(String);
        impl Sink for Text {
            fn op(&mut self, op: Op<'_>, _: u64, _: u64) {
                match op {
                    Op::Print(b) => self.0.push_str(&String::from_utf8_lossy(b.0)),
                    Op::PrintChar(c) => self.0.push(c),
                    Op::Lf => self.0.push('\n'),
                    _ => {}
                }
            }
        }
        let mut parser = Parser::default();
        let mut text = Text::default();
        for (i, piece) in input.chunks(chunk).enumerate() {
            parser.advance(piece, (i * chunk) as u64, &mut text);
        }
        text.0
    }

    #[test]
    fn a_string_open_at_a_line_feed_is_read_as_text() {
        for chunk in [1, 3, 64] {
            assert_eq!(printed(b"a\x1b]0;$ id\nb\n", chunk), "a0;$ id\nb\n");
            assert_eq!(printed(b"\x1bP1$q\nb\n", chunk), "1$q\nb\n");
            // Terminated strings and line feeds in control sequences are what they were.
            assert_eq!(printed(b"\x1b]0;t\x07x\n", chunk), "x\n");
            assert_eq!(printed(b"\x1b[1\n2mx\n", chunk), "\nx\n");
        }
    }

    #[test]
    fn past_max_osc_an_open_string_is_dropped_at_the_line_feed() {
        let mut input = b"\x1b]0;".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_OSC + 10));
        input.extend(b"\nafter\n");
        for chunk in [1, 100, 5000] {
            assert_eq!(printed(&input, chunk), "\nafter\n", "chunk {chunk}");
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
