//! The events view: every op the terminal reads, with the input bytes it came from.

use std::fmt;
use std::ops::Range;

use super::op::{Bytes, Op};
use super::{Observer, Screen, Signal, Terminal};
use crate::record::Span;

/// Replay `input` as raw terminal output (a pty log; a `script` header shows as text) on a
/// terminal `width` columns wide (learned from the stream when `None`), and call `each` with
/// every operation read from it, in order: a run of text, a control function named after
/// ECMA-48 / DEC (`Cr`, `El(0)`, `Cup(1, 1)`, `Mode(BracketedPaste, true)`, …), an OSC
/// string's meaning, or `Ignored` for what has no effect. Each comes with the input bytes
/// it was read from; the last may be an empty span at the end, for a character the input
/// ended in the middle of.
///
/// A debugging aid: the input is fed one byte at a time, so that every span is exact.
pub fn for_each_op(input: &[u8], width: Option<usize>, each: impl FnMut(Span, &dyn fmt::Debug)) {
    let mut tracer = Tracer {
        each,
        text: Vec::new(),
        text_span: 0..0,
    };
    let mut terminal = Terminal::new(width);
    for (at, byte) in (0u64..).zip(input.chunks(1)) {
        terminal.advance(byte, at, &mut tracer);
    }
    terminal.finish(input.len() as u64, &mut tracer);
    tracer.flush();
}

/// Passes ops on, joining the one-byte runs of text that one-byte reads make.
struct Tracer<F> {
    each: F,
    text: Vec<u8>,
    text_span: Range<u64>,
}

impl<F: FnMut(Span, &dyn fmt::Debug)> Tracer<F> {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            let span = span(&self.text_span);
            (self.each)(span, &Op::Print(Bytes(&self.text)));
            self.text.clear();
        }
    }
}

fn span(r: &Range<u64>) -> Span {
    Span {
        start: r.start,
        end: r.end,
    }
}

impl<F: FnMut(Span, &dyn fmt::Debug)> Observer for Tracer<F> {
    fn signal(&mut self, _: Signal, _: &mut Screen, _: u64) {}

    fn op(&mut self, op: &Op<'_>, range: Range<u64>) {
        // vte prints one character at a time: ASCII ones join the run they continue.
        let mut one = [0u8];
        let text = match *op {
            Op::Print(Bytes(run)) => Some(run),
            Op::PrintChar(c) if c.is_ascii_graphic() || c == ' ' => {
                one[0] = c as u8;
                Some(&one[..])
            }
            _ => None,
        };
        match text {
            Some(run) if self.text.is_empty() || self.text_span.end == range.start => {
                if self.text.is_empty() {
                    self.text_span.start = range.start;
                }
                self.text.extend_from_slice(run);
                self.text_span.end = range.end;
            }
            Some(run) => {
                self.flush();
                self.text.extend_from_slice(run);
                self.text_span = range;
            }
            None => {
                self.flush();
                (self.each)(span(&range), op);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for_each_op(input, None, |span, op| {
            out.push(format!("{}..{} {op:?}", span.start, span.end));
        });
        out
    }

    #[test]
    fn every_op_with_its_bytes() {
        let input = b"$ ls\x1b[K\r\n\x1b[?2004;1h\x1b]0;t\x07\x1b[2;3H\x1b(Ba\xc3\xa9\x1b[38;5;1m";
        assert_eq!(
            ops(input),
            [
                "0..4 Print(\"$ ls\")",
                "4..7 El(0)",
                "7..8 Cr",
                "8..9 Lf",
                "9..19 Mode(BracketedPaste, true)",
                "9..19 Mode(CursorKeys, true)",
                "19..25 Title(\"t\")",
                "25..31 Cup(2, 3)",
                "31..34 Scs { set: 40, charset: 66 }",
                "34..35 Print(\"a\")",
                "35..37 PrintChar('é')",
                "37..46 Sgr(65535)",
            ]
        );
    }

    #[test]
    fn a_character_cut_by_the_end_shows_as_a_replacement() {
        assert_eq!(
            ops(b"a\xe6\x97"),
            ["0..1 Print(\"a\")", "1..3 PrintChar('\u{fffd}')"]
        );
    }
}
