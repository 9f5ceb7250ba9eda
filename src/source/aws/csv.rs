//! Logs Insights results downloaded as CSV: a header naming the fields (`@timestamp`,
//! `@message`, `@logStream`, …, in any order), then one record per event. RFC 4180: fields
//! with commas, quotes or line breaks are quoted and quotes inside are doubled; records end
//! in CRLF or LF. Streamed record by record, each at most [`MAX_LINE_BYTES`].

use super::event::message_event;
use super::{MAX_LINE_BYTES, Sink, time};
use crate::error::Location;

const FORMAT: &str = "Logs Insights CSV";

#[derive(Debug, Default)]
pub(super) struct Csv {
    /// Column indexes of `@message`, `@timestamp`, `@logStream` once the header is read.
    columns: Option<Columns>,
    /// The header has no `@message` column (reported): nothing to read.
    dead: bool,
    fields: Vec<Vec<u8>>,
    field: Vec<u8>,
    state: State,
    /// Bytes in the record so far; past the cap the record is dropped (reported).
    size: usize,
    overflow: bool,
    /// Line number and offset of the next byte.
    line: u64,
    /// Where the record being read starts.
    start: (u64, u64),
    started: bool,
}

#[derive(Debug, Clone, Copy)]
struct Columns {
    message: usize,
    timestamp: Option<usize>,
    stream: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    #[default]
    FieldStart,
    /// In an unquoted field.
    Plain,
    /// In a quoted field.
    Quoted,
    /// A `"` inside a quoted field: either an escaped quote or the end of the field.
    QuoteInQuoted,
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            line: 1,
            ..Csv::default()
        }
    }

    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        for (i, &c) in chunk.iter().enumerate() {
            if !self.started {
                self.started = true;
                self.start = (self.line, offset + i as u64);
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.byte(c, sink);
        }
    }

    pub fn finish(&mut self, sink: &mut Sink) {
        if self.state == State::Quoted {
            let loc = self.loc(sink);
            sink.malformed(loc, FORMAT, "the input ends inside a quoted field".into());
        }
        if self.started {
            self.end_record(sink);
        }
    }

    pub fn interrupt(&mut self) {
        self.fields.clear();
        self.field.clear();
        self.state = State::FieldStart;
        self.size = 0;
        self.overflow = false;
        self.started = false;
    }

    fn loc(&self, sink: &Sink) -> Location {
        sink.loc(Some(self.start.0), self.start.1)
    }

    fn byte(&mut self, c: u8, sink: &mut Sink) {
        self.size += 1;
        if self.size > MAX_LINE_BYTES && !self.overflow {
            self.overflow = true;
            let loc = self.loc(sink);
            sink.malformed(
                loc,
                FORMAT,
                format!("a record longer than {MAX_LINE_BYTES} bytes skipped"),
            );
            self.fields.clear();
            self.field = Vec::new();
        }
        match (self.state, c) {
            (State::FieldStart, b'"') => self.state = State::Quoted,
            (State::FieldStart | State::Plain | State::QuoteInQuoted, b',') => {
                self.end_field();
                self.state = State::FieldStart;
            }
            (State::FieldStart | State::Plain | State::QuoteInQuoted, b'\n') => {
                if self.state != State::QuoteInQuoted && self.field.last() == Some(&b'\r') {
                    self.field.pop();
                }
                self.end_record(sink);
            }
            (State::QuoteInQuoted, b'"') => {
                self.push(b'"');
                self.state = State::Quoted;
            }
            (State::QuoteInQuoted, b'\r') => {}
            (State::Quoted, b'"') => self.state = State::QuoteInQuoted,
            (State::Quoted, c) => self.push(c),
            (State::FieldStart | State::Plain | State::QuoteInQuoted, c) => {
                self.push(c);
                self.state = State::Plain;
            }
        }
    }

    fn push(&mut self, c: u8) {
        if !self.overflow {
            self.field.push(c);
        }
    }

    fn end_field(&mut self) {
        if !self.overflow {
            self.fields.push(std::mem::take(&mut self.field));
        }
    }

    fn end_record(&mut self, sink: &mut Sink) {
        self.end_field();
        let fields = std::mem::take(&mut self.fields);
        let overflow = self.overflow;
        let loc = self.loc(sink);
        self.state = State::FieldStart;
        self.size = 0;
        self.overflow = false;
        self.started = false;
        if overflow || self.dead || fields.iter().all(|f| f.is_empty()) {
            return;
        }
        let text = |i: usize| {
            fields
                .get(i)
                .map(|f| String::from_utf8_lossy(f).into_owned())
        };
        let Some(cols) = self.columns else {
            let names: Vec<String> = (0..fields.len()).filter_map(text).collect();
            let find = |n: &str| names.iter().position(|h| h.trim() == n);
            match find("@message") {
                Some(message) => {
                    self.columns = Some(Columns {
                        message,
                        timestamp: find("@timestamp"),
                        stream: find("@logStream"),
                    })
                }
                None => {
                    self.dead = true;
                    sink.malformed(
                        loc,
                        FORMAT,
                        format!("the header has no @message column ({})", names.join(",")),
                    );
                }
            }
            return;
        };
        let Some(message) = text(cols.message) else {
            return sink.malformed(loc, FORMAT, "the record has no @message field".into());
        };
        let ts = cols
            .timestamp
            .and_then(text)
            .and_then(|t| time::parse(&t).or_else(|| t.trim().parse().ok()));
        let stream = cols.stream.and_then(text).filter(|s| !s.is_empty());
        message_event(&message, stream, ts, &loc, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::source::aws::{EventData, LogEvent};

    fn run(input: &[u8], step: usize) -> Vec<Result<LogEvent, Error>> {
        let mut got = Vec::new();
        let name = None;
        let mut out = |r| got.push(r);
        let mut sink = Sink {
            name: &name,
            out: &mut out,
        };
        let mut csv = Csv::new();
        for (k, c) in input.chunks(step).enumerate() {
            csv.feed(c, (k * step) as u64, &mut sink);
        }
        csv.finish(&mut sink);
        got
    }

    #[test]
    fn quoting() {
        let input = b"@timestamp,@message,@logStream\r\n\
            2024-10-15 21:22:05.123,\"{\"\"sessionData\"\":[\"\"a,b\"\"],\"\"eventVersion\"\":\"\"1.0\"\"}\",s1\r\n\
            2024-10-15 21:22:06.000,\"Script started\r\nline \"\"2\"\"\",s2\r\n";
        for step in 1..9 {
            let got = run(input, step);
            assert_eq!(got.len(), 2);
            let e = got[0].as_ref().unwrap();
            assert_eq!(e.data, EventData::Lines(vec!["a,b".into()]));
            assert_eq!(e.session_id.as_deref(), Some("s1"));
            assert_eq!(e.timestamp_ms, Some(1_729_027_325_123));
            assert_eq!((e.location.line, e.location.byte), (Some(2), 32));
            let e = got[1].as_ref().unwrap();
            assert_eq!(
                e.data,
                EventData::Text("Script started\r\nline \"2\"".into())
            );
            assert_eq!(e.location.line, Some(3));
        }
        assert!(run(b"a,b\n1,2\n", 3)[0].is_err());
    }
}
