//! Cutting a byte stream into lines with a capped buffer.

use crate::limits::MAX_LINE_BYTES;

/// What the splitter hands on.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// A line without its `\n`, its 1-based number and the offset of its first byte.
    Line {
        text: &'a [u8],
        line: u64,
        byte: u64,
    },
    /// A line longer than the cap: its start; the rest of it is skipped.
    TooLong { line: u64, byte: u64 },
}

/// Splits fed chunks into `\n`-terminated lines, holding at most `cap` bytes of a partial line.
#[derive(Debug)]
pub(crate) struct Lines {
    partial: Vec<u8>,
    /// Offset of the partial line's first byte.
    start: u64,
    /// Number of the line being read.
    line: u64,
    /// The current line went past the cap (already reported): skip to its end.
    skipping: bool,
    cap: usize,
}

impl Default for Lines {
    fn default() -> Self {
        Lines::new(MAX_LINE_BYTES)
    }
}

impl Lines {
    pub fn new(cap: usize) -> Lines {
        Lines {
            partial: Vec::new(),
            start: 0,
            line: 1,
            skipping: false,
            cap,
        }
    }

    /// Split `chunk` (at `offset`); call `f` for every finished line.
    pub fn feed(&mut self, chunk: &[u8], offset: u64, f: &mut dyn FnMut(Piece)) {
        let mut rest = chunk;
        let mut at = offset;
        while !rest.is_empty() {
            if self.partial.is_empty() && !self.skipping {
                self.start = at;
            }
            match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    let end = i + 1;
                    if self.skipping {
                        self.skipping = false;
                    } else if self.partial.is_empty() && i <= self.cap {
                        f(Piece::Line {
                            text: &rest[..i],
                            line: self.line,
                            byte: self.start,
                        });
                    } else if self.partial.len() + i <= self.cap {
                        self.partial.extend_from_slice(&rest[..i]);
                        f(Piece::Line {
                            text: &self.partial,
                            line: self.line,
                            byte: self.start,
                        });
                        self.partial.clear();
                    } else {
                        self.partial.clear();
                        f(Piece::TooLong {
                            line: self.line,
                            byte: self.start,
                        });
                    }
                    self.line += 1;
                    rest = &rest[end..];
                    at += end as u64;
                }
                None => {
                    if !self.skipping {
                        if self.partial.len() + rest.len() > self.cap {
                            self.partial.clear();
                            self.skipping = true;
                            f(Piece::TooLong {
                                line: self.line,
                                byte: self.start,
                            });
                        } else {
                            self.partial.extend_from_slice(rest);
                        }
                    }
                    return;
                }
            }
        }
    }

    /// The input ended: hand on a last line without `\n`.
    pub fn finish(&mut self, f: &mut dyn FnMut(Piece)) {
        if !self.partial.is_empty() {
            let text = std::mem::take(&mut self.partial);
            f(Piece::Line {
                text: &text,
                line: self.line,
                byte: self.start,
            });
            self.line += 1;
        }
        self.skipping = false;
    }

    /// Forget the partial line (the input jumped).
    pub fn interrupt(&mut self) {
        self.partial.clear();
        self.skipping = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(input: &[u8], step: usize, cap: usize) -> Vec<(Option<Vec<u8>>, u64, u64)> {
        let mut got = Vec::new();
        let mut l = Lines::new(cap);
        let mut f = |p: Piece| match p {
            Piece::Line { text, line, byte } => got.push((Some(text.to_vec()), line, byte)),
            Piece::TooLong { line, byte } => got.push((None, line, byte)),
        };
        for (k, c) in input.chunks(step).enumerate() {
            l.feed(c, (k * step) as u64, &mut f);
        }
        l.finish(&mut f);
        got
    }

    #[test]
    fn lines_and_cap() {
        let input = b"ab\n\ncdefgh\nij";
        for step in 1..input.len() + 1 {
            assert_eq!(
                split(input, step, 4),
                vec![
                    (Some(b"ab".to_vec()), 1, 0),
                    (Some(vec![]), 2, 3),
                    (None, 3, 4),
                    (Some(b"ij".to_vec()), 4, 11),
                ],
                "step {step}"
            );
        }
    }
}
