//! JSON inputs: JSON Lines (one value per line, streamed with a capped line buffer) or
//! documents (values spread over lines: pretty-printed events, `get-log-events` output,
//! arrays), read by [`Doc`](super::doc::Doc).
//!
//! Which one is decided on the first line: if it holds a complete value the input is JSON
//! Lines; if a value starts there and goes on, or the first byte is `[`, it is a document.

use serde::de::IgnoredAny;
use serde_json::Value;

use super::doc::Doc;
use super::event::{self, JSON};
use super::{MAX_LINE_BYTES, Sink};
use crate::source::lines::{Lines, Piece};

#[derive(Debug)]
pub(super) enum Json {
    /// The first line is not complete yet.
    Sniff {
        head: Vec<u8>,
        start: u64,
    },
    Lines(Lines),
    Doc(Doc),
}

impl Json {
    pub fn new() -> Json {
        Json::Sniff {
            head: Vec::new(),
            start: 0,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        if let Json::Sniff { head, start } = self {
            if head.is_empty() {
                *start = offset;
            }
            head.extend_from_slice(chunk);
            let Some(lines) = first_line_complete(head) else {
                return;
            };
            let (head, start) = (std::mem::take(head), *start);
            *self = if lines {
                Json::Lines(Lines::default())
            } else {
                Json::Doc(Doc::default())
            };
            return self.feed(&head, start, sink);
        }
        match self {
            Json::Sniff { .. } => {}
            Json::Lines(l) => l.feed(chunk, offset, &mut |p| line(p, sink)),
            Json::Doc(d) => d.feed(chunk, offset, sink),
        }
    }

    pub fn finish(&mut self, offset: u64, sink: &mut Sink) {
        if let Json::Sniff { head, start } = self {
            let (head, start) = (std::mem::take(head), *start);
            *self = Json::Lines(Lines::default());
            self.feed(&head, start, sink);
        }
        match self {
            Json::Sniff { .. } => {}
            Json::Lines(l) => l.finish(&mut |p| line(p, sink)),
            Json::Doc(d) => d.finish(offset, sink),
        }
    }

    /// Read the values already complete.
    pub fn settle(&mut self, sink: &mut Sink) {
        if let Json::Doc(d) = self {
            d.settle(sink);
        }
    }

    pub fn interrupt(&mut self, sink: &mut Sink) {
        match self {
            Json::Sniff { head, .. } => head.clear(),
            Json::Lines(l) => l.interrupt(),
            Json::Doc(d) => d.interrupt(sink),
        }
    }
}

/// `Some(true)` when the first non-blank line holds a complete JSON value (JSON Lines),
/// `Some(false)` when a value starts there and goes on (a document), `None` when that line
/// is not complete yet.
fn first_line_complete(head: &[u8]) -> Option<bool> {
    let i = head.iter().position(|c| !c.is_ascii_whitespace())?;
    if head[i] == b'[' {
        return Some(false);
    }
    let Some(n) = memchr::memchr(b'\n', &head[i..]) else {
        return (head.len() > MAX_LINE_BYTES).then_some(false);
    };
    let mut values =
        serde_json::Deserializer::from_slice(&head[i..i + n]).into_iter::<IgnoredAny>();
    match values.next() {
        Some(Err(e)) if e.is_eof() => Some(false),
        _ => Some(true),
    }
}

/// One line of JSON Lines.
fn line(p: Piece, sink: &mut Sink) {
    match p {
        Piece::TooLong { line, byte } => sink.malformed(
            sink.loc(Some(line), byte),
            JSON,
            format!("line longer than {MAX_LINE_BYTES} bytes skipped"),
        ),
        Piece::Line { text, line, byte } => {
            if text.iter().all(u8::is_ascii_whitespace) {
                return;
            }
            let loc = match event::streamed_line(text, sink.loc(Some(line), byte)) {
                Ok(event) => return sink.event(event),
                Err(loc) => loc,
            };
            for v in serde_json::Deserializer::from_slice(text).into_iter::<Value>() {
                match v {
                    Ok(v) => event::item(v, &loc, sink, 0),
                    Err(e) => {
                        let what = if e.is_eof() {
                            "the line ends inside a JSON value"
                        } else {
                            "not JSON"
                        };
                        return sink.malformed(
                            loc,
                            JSON,
                            format!("{what} (column {}): {e}", e.column()),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line() {
        assert_eq!(first_line_complete(b"{\"a\":1}\n"), Some(true));
        assert_eq!(first_line_complete(b"{\"a\":1"), None);
        assert_eq!(first_line_complete(b"{\n"), Some(false));
        assert_eq!(first_line_complete(b"\n\n[\n"), Some(false));
        assert_eq!(first_line_complete(b"{\"a\":x}\n"), Some(true));
    }
}
