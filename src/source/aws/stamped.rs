//! Timestamped listings, one event per prefixed line:
//!
//! - an export-to-S3 object: `2024-10-15T21:22:05.123Z <message>`;
//! - `aws logs tail` (default `detailed` format): `2024-10-15T21:22:05.123000+00:00 <stream>
//!   <message>` (a zone offset ⇒ a stream name follows);
//! - `aws logs tail --format short`: `2024-10-15T21:22:05 <message>` (no zone, no stream).
//!
//! A message with line feeds (a plain-text event; `tail --format json` pretty-printing) goes
//! on over the following lines, which have no prefix; it ends at the next prefixed line.
//! A one-line JSON message is passed on at once, so a followed stream is not held back.

use super::event::message_event;
use super::time::{self, Prefix, Zone};
use super::{MAX_LINE_BYTES, Sink, same_length_text};
use crate::error::Location;
use crate::source::lines::{Lines, Piece};

const FORMAT: &str = "CloudWatch Logs export";

#[derive(Debug, Default)]
pub(super) struct Stamped {
    lines: Lines,
    pending: Option<Pending>,
}

/// An event whose message may continue on the next lines.
#[derive(Debug)]
struct Pending {
    ts: i64,
    stream: Option<String>,
    text: Vec<u8>,
    loc: Location,
    /// It outgrew the cap (reported): dropped when it ends.
    dropped: bool,
}

impl Stamped {
    pub fn new() -> Stamped {
        Stamped::default()
    }

    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        let pending = &mut self.pending;
        self.lines
            .feed(chunk, offset, &mut |p| on_piece(p, pending, sink));
    }

    pub fn finish(&mut self, sink: &mut Sink) {
        let pending = &mut self.pending;
        self.lines.finish(&mut |p| on_piece(p, pending, sink));
        flush(pending, sink);
    }

    pub fn interrupt(&mut self) {
        self.lines.interrupt();
    }
}

fn on_piece(p: Piece, pending: &mut Option<Pending>, sink: &mut Sink) {
    match p {
        Piece::TooLong { line, byte } => {
            sink.malformed(
                sink.loc(Some(line), byte),
                FORMAT,
                format!("line longer than {MAX_LINE_BYTES} bytes skipped"),
            );
            if let Some(p) = pending {
                p.dropped = true;
            }
        }
        Piece::Line { text, line, byte } => on_line(text, line, byte, pending, sink),
    }
}

fn on_line(text: &[u8], line: u64, byte: u64, pending: &mut Option<Pending>, sink: &mut Sink) {
    if let Prefix::Stamp { len, ms, zone } = time::prefix(text)
        && matches!(text.get(len), None | Some(b' '))
    {
        flush(pending, sink);
        let rest = text.get(len + 1..).unwrap_or_default();
        let (stream, message) = match zone {
            Zone::Offset => {
                let n = memchr::memchr(b' ', rest).unwrap_or(rest.len());
                let stream = String::from_utf8_lossy(&rest[..n]).into_owned();
                (Some(stream), rest.get(n + 1..).unwrap_or_default())
            }
            Zone::Z | Zone::Naive => (None, rest),
        };
        let loc = sink.loc(Some(line), byte);
        if message.first() == Some(&b'{')
            && serde_json::from_slice::<serde::de::IgnoredAny>(message).is_ok()
        {
            let message = same_length_text(message);
            return message_event(&message, stream, Some(ms), &loc, sink);
        }
        *pending = Some(Pending {
            ts: ms,
            stream,
            text: message.to_vec(),
            loc,
            dropped: false,
        });
        return;
    }
    match pending {
        Some(p) => {
            if p.dropped {
                return;
            }
            if p.text.len() + 1 + text.len() > MAX_LINE_BYTES {
                sink.malformed(
                    p.loc.clone(),
                    FORMAT,
                    format!("an event longer than {MAX_LINE_BYTES} bytes dropped"),
                );
                p.dropped = true;
                return;
            }
            p.text.push(b'\n');
            p.text.extend_from_slice(text);
        }
        None if text.iter().all(u8::is_ascii_whitespace) => {}
        None => sink.malformed(
            sink.loc(Some(line), byte),
            FORMAT,
            "a line without a timestamp where an event should start".into(),
        ),
    }
}

fn flush(pending: &mut Option<Pending>, sink: &mut Sink) {
    if let Some(p) = pending.take() {
        if p.dropped {
            return;
        }
        let message = same_length_text(&p.text);
        message_event(&message, p.stream, Some(p.ts), &p.loc, sink);
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::source::aws::{Decoder, EventData, LogEvent};

    fn run(input: &[u8]) -> Vec<Result<LogEvent, Error>> {
        let mut got = Vec::new();
        let mut d = Decoder::new(None);
        for (k, c) in input.chunks(3).enumerate() {
            d.feed(c, (k * 3) as u64, &mut |r| got.push(r));
        }
        d.finish(input.len() as u64, &mut |r| got.push(r));
        got
    }

    #[test]
    fn tail_formats() {
        // --format short: no zone, no stream; --format json: the message pretty-printed.
        let input = b"2024-10-15T21:22:05 {\"sessionId\":\"s\",\"sessionData\":[\"a\"]}\n\
            2024-10-15T21:22:06.5+00:00 s2 {\n    \"sessionId\": \"s\",\n    \"sessionData\": [\"b\"]\n}\n\
            2024-10-15T21:22:07.000+00:00 s3 plain text\r\nnext line\n\
            2024-10-15T21:22:08.000Z \n";
        let got: Vec<LogEvent> = run(input).into_iter().map(Result::unwrap).collect();
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].timestamp_ms, Some(1_729_027_325_000));
        assert_eq!(got[0].data, EventData::Lines(vec!["a".into()]));
        assert_eq!(got[1].timestamp_ms, Some(1_729_027_326_500));
        assert_eq!(got[1].session_id.as_deref(), Some("s"));
        assert_eq!(got[1].data, EventData::Lines(vec!["b".into()]));
        assert_eq!(got[2].session_id.as_deref(), Some("s3"));
        assert_eq!(
            got[2].data,
            EventData::Text("plain text\r\nnext line".into())
        );
        assert_eq!(got[2].location.line, Some(6));
        assert_eq!(got[3].data, EventData::Text(String::new()));
    }

    #[test]
    fn orphan_line_is_reported() {
        let input = b"2024-10-15T21:22:05.000Z x\n";
        let mut bad = b"\n".to_vec();
        bad.extend_from_slice(input);
        assert!(run(&bad).iter().all(Result::is_ok));
        let got = run(b"2024-10-15T21:22:05.000Z {\"sessionData\":[]}\nstray\n");
        assert!(got[0].is_ok());
        assert_eq!(got[1].as_ref().unwrap_err().location().line, Some(2));
    }
}
