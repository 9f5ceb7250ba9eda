//! Logs Insights results downloaded as CSV: a header naming the fields (`@timestamp`,
//! `@message`, `@logStream`, …, in any order), then one record per event. RFC 4180: fields
//! with commas, quotes or line breaks are quoted and quotes inside are doubled; records end
//! in CRLF or LF. Streamed record by record, each at most [`MAX_LINE_BYTES`].
//!
//! `csv-core` reads the fields. Records end at LF only, with a CR before it dropped, so
//! that a bare CR of a terminal's output in an unquoted field stays in it. Kept here: the
//! line and byte where each record starts (blank lines before it skipped), the caps, and a
//! count of the record's quotes, to tell at the end of the input whether it stopped inside
//! a quoted field, which `csv-core` does not say.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};

use super::event::message_event;
use super::{MAX_LINE_BYTES, Sink, same_length_text, time};
use crate::error::Location;

const FORMAT: &str = "Logs Insights CSV";

/// Most fields a record may have (Insights returns at most a few dozen).
const MAX_FIELDS: usize = 4096;

#[derive(Debug)]
pub(super) struct Csv {
    /// Boxed: its tables are a few kilobytes, the other shapes' state a few words.
    reader: Box<Reader>,
    /// Column indexes of `@message`, `@timestamp`, `@logStream` once the header is read.
    columns: Option<Columns>,
    /// The header has no `@message` column (reported): nothing to read.
    dead: bool,
    /// The record's fields back to back (`fields[..used]`), and where each ends (`csv-core`
    /// counts from the record's start across calls).
    fields: Vec<u8>,
    used: usize,
    ends: Vec<usize>,
    n_ends: usize,
    /// The record went past a cap and is dropped (reported).
    overflow: bool,
    /// `"` bytes in the record so far: odd at the end of input means inside quotes.
    quotes: usize,
    /// Line number of the next byte.
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

fn reader() -> Box<Reader> {
    Box::new(
        ReaderBuilder::new()
            .terminator(Terminator::Any(b'\n'))
            .build(),
    )
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            reader: reader(),
            columns: None,
            dead: false,
            fields: Vec::new(),
            used: 0,
            ends: Vec::new(),
            n_ends: 0,
            overflow: false,
            quotes: 0,
            line: 1,
            start: (1, 0),
            started: false,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        let mut input = chunk;
        let mut at = offset;
        while !input.is_empty() {
            if !self.started {
                let skip = input
                    .iter()
                    .position(|&c| c != b'\n' && c != b'\r')
                    .unwrap_or(input.len());
                self.line += memchr::memchr_iter(b'\n', &input[..skip]).count() as u64;
                (input, at) = (&input[skip..], at + skip as u64);
                if input.is_empty() {
                    return;
                }
                self.started = true;
                self.start = (self.line, at);
            }
            let (result, n) = self.read(input, sink);
            let read = &input[..n];
            self.line += memchr::memchr_iter(b'\n', read).count() as u64;
            self.quotes += memchr::memchr_iter(b'"', read).count();
            (input, at) = (&input[n..], at + n as u64);
            match result {
                ReadRecordResult::Record => self.end_record(sink),
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return,
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
            }
        }
    }

    pub fn finish(&mut self, sink: &mut Sink) {
        if !self.started {
            return;
        }
        if self.quotes % 2 == 1 {
            let loc = self.loc(sink);
            sink.malformed(loc, FORMAT, "the input ends inside a quoted field".into());
        }
        loop {
            match self.read(&[], sink).0 {
                ReadRecordResult::Record => return self.end_record(sink),
                ReadRecordResult::End | ReadRecordResult::InputEmpty => return,
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
            }
        }
    }

    pub fn interrupt(&mut self) {
        self.reader = reader();
        self.clear_record();
    }

    fn clear_record(&mut self) {
        self.used = 0;
        self.n_ends = 0;
        self.overflow = false;
        self.quotes = 0;
        self.started = false;
    }

    fn loc(&self, sink: &Sink) -> Location {
        sink.loc(Some(self.start.0), self.start.1)
    }

    /// One step of `csv-core` on `input`: its result and the bytes it took. Makes room for
    /// the fields first, up to the caps; past them the record is reported and its fields
    /// are read into the same room again, to be dropped.
    fn read(&mut self, input: &[u8], sink: &mut Sink) -> (ReadRecordResult, usize) {
        if self.used == self.fields.len() || self.n_ends == self.ends.len() {
            let fields = (self.fields.len() * 2).clamp(4096, MAX_LINE_BYTES);
            let ends = (self.ends.len() * 2).clamp(16, MAX_FIELDS);
            if self.used == fields || self.n_ends == ends {
                if !self.overflow {
                    self.overflow = true;
                    let loc = self.loc(sink);
                    sink.malformed(
                        loc,
                        FORMAT,
                        format!(
                            "a record longer than {MAX_LINE_BYTES} bytes or of more than \
                             {MAX_FIELDS} fields skipped"
                        ),
                    );
                }
                self.used = 0;
                self.n_ends = 0;
            }
            self.fields.resize(fields, 0);
            self.ends.resize(ends, 0);
        }
        let (result, n_in, n_out, n_ends) = self.reader.read_record(
            input,
            &mut self.fields[self.used..],
            &mut self.ends[self.n_ends..],
        );
        self.used += n_out;
        self.n_ends += n_ends;
        (result, n_in)
    }

    fn end_record(&mut self, sink: &mut Sink) {
        let loc = self.loc(sink);
        let overflow = self.overflow;
        let n = self.n_ends;
        self.clear_record();
        if overflow || self.dead {
            return;
        }
        let fields = &self.fields;
        let ends = &self.ends[..n];
        let field = |i: usize| -> Option<&[u8]> {
            // A record may have fewer fields than the header names.
            let from = if i == 0 { 0 } else { *ends.get(i - 1)? };
            let f = &fields[from..*ends.get(i)?];
            // The CR of a CRLF ends the last field.
            Some(if i + 1 == n {
                f.strip_suffix(b"\r").unwrap_or(f)
            } else {
                f
            })
        };
        if (0..n).all(|i| field(i).is_some_and(<[u8]>::is_empty)) {
            return;
        }
        // As many bytes as the input holds for it, so that spans stay inside the input.
        let text = |i: usize| field(i).map(same_length_text);
        let Some(cols) = self.columns else {
            let names: Vec<String> = (0..n).filter_map(text).collect();
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

    /// Found by the `stream` fuzz target: the message column past a short record's last
    /// field indexed past the field ends (a panic).
    #[test]
    fn a_record_shorter_than_the_header_is_read_without_its_missing_fields() {
        let input = b"@timestamp,@logStream,x,@message\n2024-10-15 21:22:05.123,s\n";
        for step in 1..input.len() {
            let got = run(input, step);
            assert!(got.iter().all(|r| r.is_err()), "step {step}: {got:?}");
        }
    }

    #[test]
    fn quoting() {
        let input = b"@timestamp,@message,@logStream\r\n\
            2024-10-15 21:22:05.123,\"{\"\"sessionData\"\":[\"\"a,b\"\"],\"\"eventVersion\"\":\"\"1.0\"\"}\",s1\r\n\
            2024-10-15 21:22:06.000,\"Script started\r\nline \"\"2\"\"\",s2\r\n";
        for step in 1..9 {
            let got = run(input, step);
            assert_eq!(got.len(), 2, "step {step}: {got:?}");
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

    #[test]
    fn blank_lines_bare_crs_caps_and_a_cut_quote() {
        let mut input = b"@message,@logStream\n\r\n\nprogress 1\rprogress 2,s1\n".to_vec();
        input.extend_from_slice(&[b','; MAX_FIELDS + 1]);
        input.extend_from_slice(b"\nlast,s2\n\"cut,s3\n");
        for step in [1, 3, 64, input.len()] {
            let got = run(&input, step);
            assert_eq!(got.len(), 5, "step {step}: {got:?}");
            let e = got[0].as_ref().expect("an event");
            assert_eq!(e.data, EventData::Text("progress 1\rprogress 2".into()));
            assert_eq!((e.location.line, e.location.byte), (Some(4), 23));
            let long = got[1].as_ref().expect_err("too many fields");
            assert_eq!(long.location().line, Some(5));
            let e = got[2].as_ref().expect("an event");
            assert_eq!(e.session_id.as_deref(), Some("s2"));
            assert_eq!(e.location.line, Some(6));
            let cut = got[3].as_ref().expect_err("cut inside quotes");
            assert!(cut.to_string().contains("inside a quoted field"), "{cut}");
            assert_eq!(cut.location().line, Some(7));
            let e = got[4].as_ref().expect("the cut record, as far as it goes");
            assert_eq!(e.data, EventData::Text("cut,s3\n".into()));
        }
    }
}
