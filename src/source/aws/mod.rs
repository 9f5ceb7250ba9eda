//! CloudWatch Logs inputs: the SSM agent's streamed session events and every wrapper a user
//! gets them out of AWS in. This module only decodes containers into [`LogEvent`]s; what the
//! events' lines mean is the terminal's and the segmenter's business.
//!
//! [`Decoder`] is a push decoder: [`Decoder::feed`] any chunk of the input, get finished
//! events (and errors, which never stop it), [`Decoder::finish`] at the end. [`looks_like`]
//! tells from the first bytes whether an input is one of these shapes; [`super::order`] puts
//! the events of each session in time order and drops re-sent duplicates.
//!
//! Shapes, detected from the first bytes after an optional UTF-8 BOM and whitespace:
//!
//! | first bytes | shape |
//! |---|---|
//! | `1F 8B` | gzip, possibly several members back to back (an export object, Firehose output, a gzip of any shape below) |
//! | `{"key":` or `[{`, `[[{`, `[]` | JSON: one value per line (JSON Lines), or values spread over lines (pretty-printed, arrays, whole documents) |
//! | `2024-10-15T21:22:05.123Z ` | an export-to-S3 object: `<timestamp> <message>` lines |
//! | `2024-10-15T21:22:05.123000+00:00 ` | `aws logs tail` (`<timestamp> <stream> <message>`); without a zone: `tail --format short` (`<timestamp> <message>`) |
//! | `@timestamp,` (any `@field` first) | a Logs Insights result exported as CSV |
//! | `*****…` + `Windows PowerShell transcript start` | a Windows session's transcript: reported as [`Error::Unsupported`] |
//!
//! Any JSON value is read by what it holds, so the wrappers may be mixed and nested:
//! - a streamed event (`{"eventVersion":"1.0",…,"sessionId":…,"sessionData":[…]}`) → one
//!   [`EventData::Lines`];
//! - `aws logs get-log-events` / `filter-log-events` output (`{"events":[{"timestamp":…,
//!   "message":"<event JSON as a string>","logStreamName":…},…]}`), or one such event alone;
//! - a subscription record (`{"awslogs":{"data":"<base64(gzip(json))>"}}`) and its decoded
//!   form (`{"messageType":"DATA_MESSAGE","logStream":…,"logEvents":[{"id","timestamp",
//!   "message"}]}`; `CONTROL_MESSAGE`s are skipped);
//! - Logs Insights rows (`{"@timestamp":"2024-10-15 21:22:05.123","@message":…,
//!   "@logStream":…}`, in an array, or `get-query-results` output `{"results":[[{"field",
//!   "value"}]]}`);
//! - an array of any of these.
//!
//! A wrapped `message` that is an event JSON gives [`EventData::Lines`]; any other message (a
//! plain-text event: a chunk of the session's `script` transcript) gives [`EventData::Text`].
//!
//! Locations: `byte` is the offset in the input where the event (its line, its array element,
//! its CSV record) starts and `line` its 1-based line. Inside gzip, `byte` is the offset of the
//! gzip member the event starts in and `line` counts lines of the decompressed text.
//!
//! Memory is bounded. Line-oriented shapes (JSON Lines, subscription records, export and tail
//! lines, CSV records) hold one line at a time, at most [`MAX_LINE_BYTES`]; a longer line is
//! reported and skipped, so endless input (`aws logs tail --follow | ttyscribe -`) streams.
//! A JSON value that spans lines (a pretty-printed event, a `get-log-events` document, an
//! array) is buffered until it is complete, at most [`MAX_DOCUMENT_BYTES`]. A subscription
//! record's payload is decompressed up to [`MAX_PAYLOAD_BYTES`].
//!
//! Errors ([`Error::Malformed`]: a line that is not JSON, a corrupt gzip member, bad base64,
//! an object that is no CloudWatch shape) name the line and byte; decoding goes on with the next
//! line, value or gzip member.

mod csv;
mod detect;
mod doc;
mod event;
mod gzip;
mod json;
mod outline;
mod spread;
mod stamped;
mod time;

pub use detect::looks_like;

use crate::error::{Error, Location};
pub use crate::limits::{MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, MAX_PAYLOAD_BYTES};
use crate::limits::{MAX_GZIP_DEPTH, MAX_SNIFF};

/// How many first bytes [`looks_like`] wants to see (fewer when the input is shorter).
pub const SNIFF_BYTES: usize = 64;

/// Where decoded events and errors go inside the module.
type Out<'a> = &'a mut dyn FnMut(Result<LogEvent, Error>);

/// The output of a decoder, with the input's name for locations.
pub(crate) struct Sink<'a, 'b> {
    name: &'a Option<String>,
    out: Out<'b>,
}

impl Sink<'_, '_> {
    /// A location in this input.
    fn loc(&self, line: Option<u64>, byte: u64) -> Location {
        Location {
            input: self.name.clone(),
            line,
            byte,
        }
    }

    fn event(&mut self, event: LogEvent) {
        (self.out)(Ok(event))
    }

    fn error(&mut self, error: Error) {
        (self.out)(Err(error))
    }

    /// A JSON value that is not one of the shapes: if it is the input's first, the input
    /// is refused (see [`Decoder`]); later, it is one bad value among events.
    fn not_an_event(&mut self, location: Location, message: String) {
        self.error(Error::Unrecognised { location, message })
    }

    fn malformed(&mut self, location: Location, format: &'static str, message: String) {
        self.error(Error::Malformed {
            location,
            format,
            message,
        })
    }
}

/// A streaming decoder of every CloudWatch Logs shape (see the [module docs](self)).
///
/// ```
/// use ttyscribe::source::aws::{Decoder, EventData};
/// let input = br#"{"eventVersion":"1.0","sessionId":"alice-0a1b2c3d4e5f6a7b8","sessionData":["sh-4.2$ ls","a  b"]}
/// "#;
/// let mut decoder = Decoder::new(Some("cw.jsonl".into()));
/// let mut events = Vec::new();
/// let mut sink = |r: Result<_, _>| events.push(r.unwrap());
/// decoder.feed(&input[..20], 0, &mut sink);
/// decoder.feed(&input[20..], 20, &mut sink);
/// decoder.finish(input.len() as u64, &mut sink);
/// assert_eq!(events[0].data, EventData::Lines(vec!["sh-4.2$ ls".into(), "a  b".into()]));
/// assert_eq!(events[0].session_id.as_deref(), Some("alice-0a1b2c3d4e5f6a7b8"));
/// ```
#[derive(Debug)]
pub struct Decoder {
    name: Option<String>,
    depth: u8,
    mode: Mode,
    verdict: Verdict,
}

/// What the first value of a JSON input said: CloudWatch Logs events (errors after that are
/// bad values among events), or something else (the input is refused in one error, rather
/// than one per line: a JSON file of another program is not a damaged log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Verdict {
    #[default]
    Open,
    Events,
    Refused,
}

impl Verdict {
    /// Pass `r` on to `out` as the verdict so far says.
    fn judge(&mut self, r: Result<LogEvent, Error>, out: Out<'_>) {
        match (*self, r) {
            (Verdict::Refused, _) => {}
            (Verdict::Open, Ok(e)) => {
                *self = Verdict::Events;
                out(Ok(e))
            }
            (Verdict::Open, Err(Error::Unrecognised { location, message })) => {
                *self = Verdict::Refused;
                out(Err(Error::Unrecognised {
                    location,
                    message: format!(
                        "JSON, but neither CloudWatch Logs events nor an asciicast recording \
                         (the first value: {message}); nothing in this input is read"
                    ),
                }))
            }
            (Verdict::Events, Err(Error::Unrecognised { location, message })) => {
                out(Err(Error::Malformed {
                    location,
                    format: event::JSON,
                    message,
                }))
            }
            (_, r) => out(r),
        }
    }
}

#[derive(Debug)]
enum Mode {
    /// Not decided yet: the first bytes, and the offset of `head[0]`.
    Sniff {
        head: Vec<u8>,
        start: u64,
    },
    Gzip(Box<gzip::Gunzip>),
    Json(json::Json),
    Stamped(stamped::Stamped),
    Csv(csv::Csv),
    /// Not a shape this decoder reads (already reported): the rest is ignored.
    Ignore,
}

/// Whether `head`, the first bytes of an input, is enough for [`looks_like`]: its answer is
/// then the same for every longer head. False while `head` could still begin one of the
/// shapes (whitespace, a BOM, part of `Script started on`), up to [`MAX_SNIFF`] bytes.
pub fn sniffed(head: &[u8]) -> bool {
    head.len() >= MAX_SNIFF || detect::sniff(head, false).is_some()
}

impl Decoder {
    /// A decoder for one input; `name` (a path, `-`) goes into every [`Location`].
    pub fn new(name: Option<String>) -> Decoder {
        Decoder::nested(name, 0)
    }

    fn nested(name: Option<String>, depth: u8) -> Decoder {
        Decoder {
            name,
            depth,
            mode: Mode::Sniff {
                head: Vec::new(),
                start: 0,
            },
            verdict: Verdict::Open,
        }
    }

    /// Decode `chunk`, which starts at byte `offset` of the input (chunks must be fed in
    /// order and without gaps). Finished events and errors go to `out` as soon as known.
    pub fn feed(
        &mut self,
        chunk: &[u8],
        offset: u64,
        out: &mut impl FnMut(Result<LogEvent, Error>),
    ) {
        self.feed_dyn(chunk, offset, out)
    }

    /// The input ended at byte `offset`: flush what is pending (a last line without a line
    /// feed, the last export event) and report what is cut off.
    pub fn finish(&mut self, offset: u64, out: &mut impl FnMut(Result<LogEvent, Error>)) {
        self.finish_dyn(offset, out)
    }

    pub(crate) fn feed_dyn(&mut self, chunk: &[u8], offset: u64, out: Out<'_>) {
        self.judged(out, |d, out| d.feed_any(chunk, offset, out));
    }

    pub(crate) fn finish_dyn(&mut self, offset: u64, out: Out<'_>) {
        self.judged(out, |d, out| d.finish_any(offset, out));
    }

    /// Run `f` with its output judged by the verdict on the first value (the outermost
    /// decoder judges for the nested ones).
    fn judged(&mut self, out: Out<'_>, f: impl FnOnce(&mut Decoder, Out<'_>)) {
        if self.depth > 0 {
            return f(self, out);
        }
        let mut verdict = self.verdict;
        f(self, &mut |r| verdict.judge(r, out));
        self.verdict = verdict;
        if verdict == Verdict::Refused {
            self.mode = Mode::Ignore;
        }
    }

    fn feed_any(&mut self, chunk: &[u8], offset: u64, out: Out<'_>) {
        if chunk.is_empty() {
            return;
        }
        let mut sink = Sink {
            name: &self.name,
            out,
        };
        if let Mode::Sniff { head, start } = &mut self.mode {
            if head.is_empty() {
                *start = offset;
            }
            head.extend_from_slice(chunk);
            let seen = &head[..head.len().min(MAX_SNIFF)];
            let decided = if seen.len() < MAX_SNIFF {
                detect::sniff(seen, false)
            } else {
                detect::sniff(seen, true)
            };
            let Some(shape) = decided else {
                return;
            };
            let head = std::mem::take(head);
            let start = *start;
            self.mode = decide(shape, self.depth, &head, start, &mut sink);
            self.mode.feed_head(&head, start, &mut sink);
            return;
        }
        self.mode.feed(chunk, offset, &mut sink);
    }

    fn finish_any(&mut self, offset: u64, out: Out<'_>) {
        let mut sink = Sink {
            name: &self.name,
            out,
        };
        if let Mode::Sniff { head, start } = &mut self.mode {
            let head = std::mem::take(head);
            let start = if head.is_empty() { offset } else { *start };
            let shape = detect::sniff(&head[..head.len().min(MAX_SNIFF)], true);
            let shape = shape.unwrap_or(detect::Shape::Unknown);
            self.mode = decide(shape, self.depth, &head, start, &mut sink);
            self.mode.feed_head(&head, start, &mut sink);
        }
        self.mode.finish(offset, &mut sink);
    }

    /// Read every value already complete (a JSON document reads them in batches, at times
    /// that depend on how its input came): the gzip reader settles its inner decoder before
    /// it reports on a member, so that the order of its reports and the inner ones depends
    /// on the input alone.
    fn settle(&mut self, out: Out<'_>) {
        let mut sink = Sink {
            name: &self.name,
            out,
        };
        if let Mode::Json(j) = &mut self.mode {
            j.settle(&mut sink);
        }
    }

    /// The input skipped ahead (a corrupt gzip member): read what is complete, drop the
    /// partial line or value.
    fn interrupt(&mut self, out: Out<'_>) {
        let mut sink = Sink {
            name: &self.name,
            out,
        };
        match &mut self.mode {
            Mode::Sniff { .. } | Mode::Ignore | Mode::Gzip(_) => {}
            Mode::Json(j) => j.interrupt(&mut sink),
            Mode::Stamped(s) => s.interrupt(),
            Mode::Csv(c) => c.interrupt(),
        }
    }
}

/// The mode for `shape`, detected on the first bytes `head` (at `start`); report what is
/// not read.
fn decide(shape: detect::Shape, depth: u8, head: &[u8], start: u64, sink: &mut Sink) -> Mode {
    match shape {
        detect::Shape::Gzip if depth >= MAX_GZIP_DEPTH => {
            sink.error(Error::Unsupported {
                location: sink.loc(None, start),
                format: "gzip",
                message: format!("gzip nested more than {MAX_GZIP_DEPTH} levels deep"),
            });
            Mode::Ignore
        }
        detect::Shape::Gzip => Mode::Gzip(Box::new(gzip::Gunzip::new(Decoder::nested(
            sink.name.clone(),
            depth + 1,
        )))),
        detect::Shape::Json => Mode::Json(json::Json::new()),
        detect::Shape::Stamped => Mode::Stamped(stamped::Stamped::new()),
        detect::Shape::Csv => Mode::Csv(csv::Csv::new()),
        detect::Shape::PowerShell => {
            sink.error(Error::Unsupported {
                location: sink.loc(Some(1), start),
                format: "Windows PowerShell transcript",
                message: "the log of a Windows session is a PowerShell transcript; \
                          ttyscribe reads Linux and macOS sessions only"
                    .into(),
            });
            Mode::Ignore
        }
        detect::Shape::Script => {
            sink.error(Error::Unsupported {
                location: sink.loc(Some(1), start),
                format: "CloudWatch Logs",
                message: "this is a `script` transcript (the S3 log), not a CloudWatch Logs \
                          shape; read it as a transcript (decompressed if need be)"
                    .into(),
            });
            Mode::Ignore
        }
        detect::Shape::Unknown => {
            if !head.is_empty() {
                sink.malformed(
                    sink.loc(Some(1), start),
                    "CloudWatch Logs",
                    "the input is none of the CloudWatch Logs shapes (event JSON, get-log-events, \
                     subscription, export, tail, Insights CSV)"
                        .into(),
                );
            }
            Mode::Ignore
        }
    }
}

impl Mode {
    /// Feed the bytes the decision was made on (without a leading BOM).
    fn feed_head(&mut self, head: &[u8], start: u64, sink: &mut Sink) {
        let bom = detect::bom_len(head);
        if head.len() > bom {
            self.feed(&head[bom..], start + bom as u64, sink);
        }
    }

    fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        match self {
            Mode::Sniff { .. } | Mode::Ignore => {}
            Mode::Gzip(g) => g.feed(chunk, offset, sink),
            Mode::Json(j) => j.feed(chunk, offset, sink),
            Mode::Stamped(s) => s.feed(chunk, offset, sink),
            Mode::Csv(c) => c.feed(chunk, offset, sink),
        }
    }

    fn finish(&mut self, offset: u64, sink: &mut Sink) {
        match self {
            Mode::Sniff { .. } | Mode::Ignore => {}
            Mode::Gzip(g) => g.finish(offset, sink),
            Mode::Json(j) => j.finish(offset, sink),
            Mode::Stamped(s) => s.finish(sink),
            Mode::Csv(c) => c.finish(sink),
        }
    }
}

/// What one CloudWatch Logs event carried.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventData {
    /// A streamed event's `sessionData`: one string per output line (CR deleted by the agent).
    Lines(Vec<String>),
    /// A plain-text event: a chunk of the session's `script` transcript, as text.
    Text(String),
}

/// One CloudWatch Logs event with what is known about its session ([`LogEvent::new`], then
/// its fields).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LogEvent {
    /// `sessionId` of the event JSON, else the log stream name of the wrapper.
    pub session_id: Option<String>,
    /// The event's CloudWatch timestamp in milliseconds since the epoch (from the wrapper, or
    /// derived from `eventTime`).
    pub timestamp_ms: Option<i64>,
    /// `eventTime` (the agent writes whole seconds), when it is a valid time.
    pub event_time: Option<crate::Timestamp>,
    /// `awsRegion`.
    pub region: Option<String>,
    /// `target.id`: the managed instance.
    pub target: Option<String>,
    /// `userIdentity.arn`: the session owner.
    pub owner_arn: Option<String>,
    /// `runAsUser`.
    pub run_as: Option<String>,
    /// The output.
    pub data: EventData,
    /// Where in the input the event starts.
    pub location: Location,
}

impl EventData {
    /// A 64-bit digest of the data, to find re-sent events without comparing all of it.
    ///
    /// Seeded once per process, so the output of a session cannot be crafted ahead of time
    /// to collide with another event's; and a collision costs only a comparison, since an
    /// event is dropped as a re-send only when its data equals the other's.
    pub fn digest(&self) -> u64 {
        // foldhash, seeded per process: SipHash of every event's lines cost more than the
        // duplicate check it serves, which compares the data whenever digests agree.
        static KEYS: std::sync::LazyLock<foldhash::quality::RandomState> =
            std::sync::LazyLock::new(foldhash::quality::RandomState::default);
        std::hash::BuildHasher::hash_one(&*KEYS, self)
    }
}

impl LogEvent {
    /// An event of `data` at `location`, with nothing known about its session yet.
    pub fn new(data: EventData, location: Location) -> LogEvent {
        LogEvent {
            session_id: None,
            timestamp_ms: None,
            event_time: None,
            region: None,
            target: None,
            owner_arn: None,
            run_as: None,
            data,
            location,
        }
    }
}

/// The message as text of as many bytes as the input holds for it, so that an offset into
/// the text is one into the input: a byte that is not UTF-8 becomes `?` (U+FFFD, three
/// bytes, made the spans of a message of invalid bytes run past the end of the input).
pub(super) fn same_length_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(std::iter::repeat_n('?', chunk.invalid().len()));
    }
    text
}
