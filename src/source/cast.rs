//! asciicast recordings (asciinema's `.cast` files), versions 2 and 3.
//!
//! Both are JSON Lines: a header object, then one event array per line.
//!
//! ```text
//! {"version": 2, "width": 80, "height": 24, "timestamp": 1733330000, "env": {…}}
//! [0.512, "o", "\u001b[?2004hbash-5.2$ "]       ← seconds since the recording started
//! [1.104, "i", "l"]                              ← a keystroke (only with `rec --stdin`)
//! [4.020, "r", "120x40"]                         ← the terminal was resized
//!
//! {"version": 3, "term": {"cols": 80, "rows": 24, "type": "xterm-256color"}, "timestamp": …}
//! # a comment
//! [0.512, "o", "bash-5.2$ "]                     ← seconds since the previous event
//! [0.592, "x", "0"]                              ← the session's exit status
//! ```
//!
//! Output events become [`Chunk`]s stamped with the header's `timestamp` plus the event's
//! time; their bytes were decoded from JSON strings, so a chunk's offset is the start of the
//! event's line, and every byte of it is placed inside that line (a JSON string is never
//! shorter than the text it holds). Input events go to [`Body::input`]. A header with an
//! `idle_time_limit` says the recorder shortened the pauses, so the event times are not the
//! session's clock: chunks then carry no time. Version 1 (one JSON document, asciinema 1.x)
//! is reported as unsupported.

use std::borrow::Cow;

use serde_json::Value;

use super::lines::{Lines, Piece};
use super::{Body, Chunk};
use crate::error::{Error, Location};
use crate::limits::MAX_LINE_BYTES;
use crate::record::Session;
use crate::timestamp::Timestamp;

const FORMAT: &str = "asciicast";

/// Result of matching the start of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    Yes(u64),
    No,
    Short,
}

/// `{ "version" : N` at the start of `head` (whitespace and a BOM allowed).
fn version_prefix(head: &[u8]) -> Scan {
    let b = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if b"\xef\xbb\xbf".starts_with(head) && !head.is_empty() {
        return Scan::Short;
    }
    let mut i = skip_ws(b, 0);
    for want in [&b"{"[..], b"\"version\"", b":"] {
        let rest = &b[i.min(b.len())..];
        let n = rest.len().min(want.len());
        if rest[..n] != want[..n] {
            return Scan::No;
        }
        if n < want.len() {
            return Scan::Short;
        }
        i = skip_ws(b, i + want.len());
    }
    let digits = b[i.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    match b.get(i + digits) {
        None => Scan::Short,
        Some(_) if digits == 0 => Scan::No,
        Some(_) => std::str::from_utf8(&b[i..i + digits])
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(Scan::No, Scan::Yes),
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// The header's version when the first line is a complete JSON object with a numeric
/// `version` and a terminal size (`width`, or v3's `term`), wherever the keys are.
fn header_version(line: &[u8]) -> Option<u64> {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(line) else {
        return None;
    };
    let sized = m.contains_key("width") || m.get("term").is_some_and(Value::is_object);
    m.get("version").and_then(Value::as_u64).filter(|_| sized)
}

/// The first line of `head`, when it is complete.
fn first_line(head: &[u8]) -> Option<&[u8]> {
    memchr::memchr(b'\n', head).map(|n| &head[..n])
}

/// Whether `head`, the first bytes of an input, decides [`looks_like`]: true unless they
/// could still be the start of a header.
pub(crate) fn sniffed(head: &[u8]) -> bool {
    head.len() >= crate::limits::MAX_SNIFF
        || version_prefix(head) != Scan::Short
        || first_line(head).is_some()
}

/// Whether the input that starts with `head` is an asciicast (any version).
pub(crate) fn looks_like(head: &[u8]) -> bool {
    match version_prefix(head) {
        Scan::Yes(_) => true,
        Scan::Short => false,
        Scan::No => first_line(head).and_then(header_version).is_some(),
    }
}

/// What the header said.
#[derive(Debug, Default)]
struct Header {
    version: u64,
    start: Option<Timestamp>,
    cols: Option<usize>,
    /// The recorder capped pauses: event times are not the session's clock.
    idle_capped: bool,
}

/// An event line: time, code, data. The strings borrow from the line unless they hold
/// escapes.
#[derive(serde::Deserialize)]
struct Event<'a>(
    f64,
    #[serde(borrow)] Cow<'a, str>,
    #[serde(borrow)] Cow<'a, str>,
);

/// The reading state of one recording.
#[derive(Debug, Default)]
pub(crate) struct Cast {
    lines: Lines,
    header: Option<Header>,
    /// Nothing more is read (a version this reader does not know was reported).
    ignore: bool,
    /// Milliseconds since the recording started, at the last event.
    elapsed: u64,
    /// The last event's time had been read (`elapsed` is meaningful).
    any_event: bool,
    exit_code: Option<i32>,
    name: Option<String>,
}

impl Cast {
    pub fn new(name: Option<String>) -> Cast {
        Cast {
            name,
            ..Cast::default()
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        let mut lines = std::mem::take(&mut self.lines);
        lines.feed(chunk, offset, &mut |p| self.piece(p, out));
        self.lines = lines;
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        let mut lines = std::mem::take(&mut self.lines);
        lines.finish(&mut |p| self.piece(p, out));
        self.lines = lines;
        if self.header.is_none() && !self.ignore {
            out.error(self.malformed(None, offset, "the input ends before the header".into()));
        }
    }

    /// What the recording said about the session.
    pub fn describe(&self, s: &mut Session) {
        let Some(h) = &self.header else { return };
        s.start_time = h.start;
        if !h.idle_capped && self.any_event {
            s.end_time = self.at(self.elapsed);
        }
        s.recorded_width = h.cols;
        s.exit_code = self.exit_code;
    }

    fn malformed(&self, line: Option<u64>, byte: u64, message: String) -> Error {
        Error::Malformed {
            location: self.loc(line, byte),
            format: FORMAT,
            message,
        }
    }

    fn loc(&self, line: Option<u64>, byte: u64) -> Location {
        Location {
            input: self.name.clone(),
            line,
            byte,
        }
    }

    /// The wall-clock time `ms` after the start, when the recording has a clock.
    fn at(&self, ms: u64) -> Option<Timestamp> {
        let h = self.header.as_ref()?;
        if h.idle_capped {
            return None;
        }
        let start = h.start?.as_millis();
        Timestamp::from_millis(start.checked_add(i64::try_from(ms).ok()?)?)
    }

    fn piece<B: Body>(&mut self, p: Piece, out: &mut B) {
        if self.ignore {
            return;
        }
        match p {
            Piece::TooLong { line, byte } => out.error(self.malformed(
                Some(line),
                byte,
                format!("line longer than {MAX_LINE_BYTES} bytes skipped"),
            )),
            Piece::Line { text, line, byte } => {
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                let blank = text.iter().all(u8::is_ascii_whitespace);
                if self.header.is_none() {
                    if !blank {
                        self.header_line(text, line, byte, out);
                    }
                } else if !blank && !text.starts_with(b"#") {
                    self.event_line(text, line, byte, out);
                }
            }
        }
    }

    fn header_line<B: Body>(&mut self, text: &[u8], line: u64, byte: u64, out: &mut B) {
        let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
        let m = match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(m)) => m,
            // v2 and v3 headers are one line; a document spread over lines is v1.
            Ok(_) | Err(_) if matches!(version_prefix(text), Scan::Yes(1) | Scan::Short) => {
                self.ignore = true;
                return out.error(Error::Unsupported {
                    location: self.loc(Some(line), byte),
                    format: "asciicast v1",
                    message: "a version 1 recording (asciinema 1.x) is one JSON document; \
                              convert it with `asciinema convert` to version 2 or 3"
                        .into(),
                });
            }
            Ok(_) => {
                self.ignore = true;
                let m = "the header is not a JSON object; nothing is read".into();
                return out.error(self.malformed(Some(line), byte, m));
            }
            Err(e) => {
                self.ignore = true;
                let m = format!("the header is not JSON ({e}); nothing is read");
                return out.error(self.malformed(Some(line), byte, m));
            }
        };
        let version = m.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version != 2 && version != 3 {
            self.ignore = true;
            return out.error(Error::Unsupported {
                location: self.loc(Some(line), byte),
                format: FORMAT,
                message: format!(
                    "version {} (this reader knows versions 2 and 3)",
                    m.get("version").map_or("missing".into(), Value::to_string)
                ),
            });
        }
        let cols = if version == 2 {
            m.get("width")
        } else {
            m.get("term").and_then(|t| t.get("cols"))
        };
        let cols = cols
            .and_then(Value::as_u64)
            .and_then(|c| usize::try_from(c).ok());
        let start = m
            .get("timestamp")
            .and_then(Value::as_f64)
            .filter(|t| t.is_finite())
            .and_then(|t| Timestamp::from_millis((t * 1000.0).round() as i64));
        let idle_capped = m.get("idle_time_limit").is_some_and(|v| !v.is_null());
        if let Some(c) = cols {
            out.recorded_width(c);
        }
        self.header = Some(Header {
            version,
            start,
            cols,
            idle_capped,
        });
    }

    fn event_line<B: Body>(&mut self, text: &[u8], line: u64, byte: u64, out: &mut B) {
        let ev = match serde_json::from_slice::<Event>(text) {
            Ok(ev) => ev,
            Err(e) => {
                let m = format!("not an event `[time, code, data]`: {e}");
                return out.error(self.malformed(Some(line), byte, m));
            }
        };
        let Event(t, code, data) = ev;
        if !(t.is_finite() && t >= 0.0) {
            let m = format!("event time {t} is not a number of seconds");
            return out.error(self.malformed(Some(line), byte, m));
        }
        let ms = (t * 1000.0).round() as u64;
        let v3 = self.header.as_ref().is_some_and(|h| h.version == 3);
        let elapsed = if v3 {
            self.elapsed.saturating_add(ms)
        } else {
            // A v2 time before the previous one is kept in order: bytes are never reordered.
            ms.max(self.elapsed)
        };
        self.elapsed = elapsed;
        self.any_event = true;
        let time = self.at(elapsed);
        match &*code {
            "o" => out.chunk(Chunk {
                bytes: data.as_bytes(),
                offset: byte,
                time,
                lossy: false,
                write: true,
            }),
            "i" => out.input(data.as_bytes()),
            "r" => match parse_size(&data) {
                Some(cols) => out.recorded_width(cols),
                None => {
                    let m = format!("resize to {data:?}, not COLSxROWS");
                    out.error(self.malformed(Some(line), byte, m));
                }
            },
            "x" => self.exit_code = data.trim().parse().ok(),
            // Markers are the recording user's bookmarks; unknown codes are future ones.
            _ => {}
        }
    }
}

/// `"120x40"` → 120.
fn parse_size(s: &str) -> Option<usize> {
    let (cols, rows) = s.split_once('x')?;
    rows.trim().parse::<u32>().ok()?;
    cols.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Got {
        out: Vec<(Vec<u8>, u64, Option<String>)>,
        input: Vec<Vec<u8>>,
        widths: Vec<usize>,
        errors: Vec<String>,
    }

    impl Body for Got {
        fn chunk(&mut self, c: Chunk<'_>) {
            let t = c.time.map(|t| t.to_string());
            self.out.push((c.bytes.to_vec(), c.offset, t));
        }
        fn error(&mut self, e: Error) {
            self.errors.push(e.to_string());
        }
        fn recorded_width(&mut self, cols: usize) {
            self.widths.push(cols);
        }
        fn input(&mut self, bytes: &[u8]) {
            self.input.push(bytes.to_vec());
        }
    }

    fn read(input: &[u8], step: usize) -> (Got, Session) {
        let mut cast = Cast::new(None);
        let mut got = Got::default();
        for (k, c) in input.chunks(step).enumerate() {
            cast.feed(c, (k * step) as u64, &mut got);
        }
        cast.finish(input.len() as u64, &mut got);
        let mut s = Session::default();
        cast.describe(&mut s);
        (got, s)
    }

    #[test]
    fn v2_absolute_times() {
        let input = b"{\"version\": 2, \"width\": 100, \"height\": 30, \"timestamp\": 1733330000}\n\
            [0.5, \"o\", \"$ \"]\n[1.25, \"i\", \"l\"]\n[1.3, \"o\", \"l\\u001b[K\"]\n[3.0, \"r\", \"120x40\"]\n";
        for step in [1, 7, 1000] {
            let (got, s) = read(input, step);
            assert_eq!(got.errors, Vec::<String>::new());
            let times: Vec<_> = got.out.iter().map(|o| o.2.clone().unwrap()).collect();
            assert_eq!(
                times,
                ["2024-12-04T16:33:20.500Z", "2024-12-04T16:33:21.300Z"]
            );
            assert_eq!(got.out[1].0, b"l\x1b[K");
            let at = input.windows(4).position(|w| w == b"[1.3").unwrap();
            assert_eq!(got.out[1].1, at as u64);
            assert_eq!(got.input, [b"l".to_vec()]);
            assert_eq!(got.widths, [100, 120]);
            assert_eq!(s.end_time.unwrap().to_string(), "2024-12-04T16:33:23Z");
        }
    }

    #[test]
    fn v3_intervals_comments_and_exit() {
        let input =
            b"{\"version\":3,\"term\":{\"cols\":80,\"rows\":24},\"timestamp\":1733330000}\n\
            # a note\n[0.5,\"o\",\"a\"]\n\n[0.25,\"o\",\"b\"]\n[0.1,\"x\",\"3\"]\n";
        let (got, s) = read(input, 3);
        assert_eq!(got.errors, Vec::<String>::new());
        let times: Vec<_> = got.out.iter().map(|o| o.2.clone().unwrap()).collect();
        assert_eq!(
            times,
            ["2024-12-04T16:33:20.500Z", "2024-12-04T16:33:20.750Z"]
        );
        assert_eq!(s.exit_code, Some(3));
        assert_eq!(s.recorded_width, Some(80));
    }

    #[test]
    fn capped_pauses_give_no_clock() {
        let input = b"{\"version\":2,\"width\":80,\"timestamp\":1733330000,\"idle_time_limit\":2}\n[0.5,\"o\",\"a\"]\n";
        let (got, s) = read(input, 100);
        assert_eq!(got.out[0].2, None);
        assert!(s.start_time.is_some() && s.end_time.is_none());
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let input = b"{\"version\":2,\"width\":80}\n[0.5,\"o\"]\nnot json\n[-1,\"o\",\"x\"]\n[1,\"o\",\"ok\"]\n";
        let (got, _) = read(input, 5);
        assert_eq!(got.errors.len(), 3, "{:?}", got.errors);
        assert!(got.errors[0].starts_with("line 2, byte 25: malformed asciicast"));
        assert_eq!(got.out.len(), 1);
        assert_eq!(got.out[0].2, None, "no timestamp in the header: no clock");
    }

    #[test]
    fn version_one_is_unsupported() {
        let (got, _) = read(
            b"{\n  \"version\": 1,\n  \"width\": 80,\n  \"stdout\": []\n}\n",
            4,
        );
        assert_eq!(got.errors.len(), 1);
        assert!(got.errors[0].contains("asciicast v1"), "{:?}", got.errors);
    }

    #[test]
    fn detection() {
        assert!(looks_like(b"{\"version\": 2, \"width\": 80"));
        assert!(looks_like(b"\xef\xbb\xbf {\n \"version\" : 3,"));
        assert!(looks_like(b"{\"width\": 80, \"version\": 2}\n[0"));
        assert!(!looks_like(b"{\"width\": 80, \"height\": 2}\n"));
        assert!(!looks_like(b"{\"eventVersion\":\"1.0\",\"version\":2}\n"));
        assert!(!looks_like(b"{\"version\": \"1.0\", \"message\": \"x\"}\n"));
        assert!(!sniffed(b"{\"vers"));
        assert!(!sniffed(b"{\"version\": 2"));
        assert!(sniffed(b"{\"version\": 2,"));
        assert!(sniffed(b"{\"eventVersion\":"));
        assert!(sniffed(b"$ ls"));
    }
}
