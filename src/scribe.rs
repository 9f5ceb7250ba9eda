//! The pipeline: source → terminal → segmenter → records, as a push parser.

use regex::Regex;

use crate::error::Error;
use crate::record::{ErrorRecord, Record, Session};
use crate::sessions::Sessions;
use crate::source::aws::LogEvent;
use crate::source::{Body, Chunk, InputFormat, Source};

/// How to read an input: `Config::default()`, then the `with_…` methods.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Config {
    /// Input format; [`InputFormat::Auto`] looks at the first bytes.
    pub format: InputFormat,
    /// Terminal width, when known. Otherwise it is inferred from the stream.
    pub cols: Option<usize>,
    /// A pattern that matches the shell's prompt at the start of a line, when the built-in
    /// detection is not enough.
    pub prompt: Option<Regex>,
    /// Name of the input, used in error locations.
    pub name: Option<String>,
}

/// A streaming session parser: feed it chunks of any size, take records as they complete.
///
/// Splitting the input differently never changes the records.
///
/// ```
/// use ttyscribe::{Config, Record, Scribe};
///
/// let mut scribe = Scribe::new(Config::default());
/// let mut records: Vec<Record> = Vec::new();
/// let log: &[u8] = b"\x1b[?2004h$ ls\x08\x08\x1b[Kls -l\r\n\x1b[?2004l\rtotal 0\r\n\x1b[?2004h$ ";
/// for chunk in log.chunks(7) {
///     records.extend(scribe.feed(chunk));
/// }
/// records.extend(scribe.finish());
/// let commands: Vec<&str> = records
///     .iter()
///     .filter_map(|r| match r {
///         Record::Command(c) => Some(c.command.as_str()),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(commands, ["ls -l"]);
/// ```
pub struct Scribe {
    source: Source,
    sessions: Sessions,
    offset: u64,
    out: Vec<Record>,
    name: Option<String>,
    /// When the bytes being fed were written, if the caller knows it (see
    /// [`Scribe::set_clock`]).
    clock: Option<crate::Timestamp>,
    /// No chunk was read since the clock was set: the next one begins a write.
    fresh_write: bool,
}

impl std::fmt::Debug for Scribe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The terminals and segmenters are large and internal: what a user can act on.
        f.debug_struct("Scribe")
            .field("name", &self.name)
            .field("format", &self.source.format())
            .field("offset", &self.offset)
            .field("live_sessions", &self.sessions.live())
            .finish_non_exhaustive()
    }
}

/// Where the source's findings go: the sessions they belong to, and records out in the order
/// they are completed.
struct Sink<'a> {
    sessions: &'a mut Sessions,
    out: &'a mut Vec<Record>,
    name: &'a Option<String>,
    clock: Option<crate::Timestamp>,
    fresh_write: &'a mut bool,
}

/// What the session record of a session finished early starts from: only CloudWatch inputs
/// hold several sessions.
fn event_template() -> Session {
    Session {
        input_format: InputFormat::CloudWatch,
        ..Session::default()
    }
}

impl Body for Sink<'_> {
    fn chunk(&mut self, chunk: Chunk<'_>) {
        let live = self.sessions.get(&None, &Session::default(), self.out);
        live.replay.chunk(Chunk {
            time: chunk.time.or(self.clock),
            write: chunk.write || (self.clock.is_some() && std::mem::take(self.fresh_write)),
            ..chunk
        });
        live.replay.take_records(self.out);
    }
    fn input(&mut self, bytes: &[u8]) {
        let live = self.sessions.get(&None, &Session::default(), self.out);
        live.replay.input(bytes);
    }
    fn error(&mut self, error: Error) {
        push_error(self.out, error, self.name);
    }
    fn recorded_width(&mut self, cols: usize) {
        let live = self.sessions.get(&None, &Session::default(), self.out);
        live.replay.set_width(cols);
    }
    fn event(&mut self, event: LogEvent) {
        let mut errors = Vec::new();
        let live = self
            .sessions
            .get(&event.session_id, &event_template(), self.out);
        live.event(event, &mut errors);
        for e in errors {
            push_error(self.out, e, self.name);
        }
        live.replay.take_records(self.out);
    }
}

impl Scribe {
    /// A parser for one input (one session, or several for CloudWatch inputs that mix them).
    pub fn new(config: Config) -> Scribe {
        Scribe {
            source: Source::new(config.format, config.name.clone()),
            sessions: Sessions::new(config.cols, config.prompt, config.name.clone()),
            offset: 0,
            out: Vec::new(),
            name: config.name,
            clock: None,
            fresh_write: false,
        }
    }

    /// Feed the next chunk of input; returns the records completed by it.
    pub fn feed(&mut self, bytes: &[u8]) -> std::vec::Drain<'_, Record> {
        self.read(bytes);
        self.out.drain(..)
    }

    /// Feed the next chunk of input and show `f` each record completed by it. The records
    /// stay the scribe's: their strings then hold the text of records to come, where
    /// [`feed`](Self::feed) hands them over to be freed (a session keeps at most
    /// [`MAX_SPARE`](crate::limits::MAX_SPARE) strings of each kind).
    ///
    /// ```
    /// let mut scribe = ttyscribe::Scribe::new(ttyscribe::Config::default());
    /// let mut commands = Vec::new();
    /// for chunk in [&b"$ echo hi\r\nhi\r\n$ ech"[..], b"o bye\r\nbye\r\n$ "] {
    ///     scribe.feed_each(chunk, |r| {
    ///         if let ttyscribe::Record::Command(c) = r {
    ///             commands.push(c.command.clone());
    ///         }
    ///     });
    /// }
    /// for r in scribe.finish() {
    ///     if let ttyscribe::Record::Command(c) = r {
    ///         commands.push(c.command);
    ///     }
    /// }
    /// assert_eq!(commands, ["echo hi", "echo bye"]);
    /// ```
    pub fn feed_each(&mut self, bytes: &[u8], mut f: impl FnMut(&Record)) {
        self.read(bytes);
        let mut out = std::mem::take(&mut self.out);
        for r in &mut out {
            f(r);
            self.recycle(r);
        }
        out.clear();
        self.out = out;
    }

    /// The bytes fed from now on were written at `time`: for inputs whose clock is kept
    /// beside them (a `script` timing log). Times the input carries itself win.
    pub fn set_clock(&mut self, time: Option<crate::Timestamp>) {
        self.clock = time;
        self.fresh_write = true;
    }

    /// Bytes the user typed, from an input log kept beside the output (`script --log-in`).
    /// They are evidence about the command lines, never text of a
    /// record (see [`Evidence::Keystrokes`](crate::Evidence::Keystrokes)).
    pub fn feed_input(&mut self, bytes: &[u8]) {
        self.parts().1.input(bytes);
    }

    /// The bytes fed so far end a write of the session's output (a `script` timing entry):
    /// a transcript's tail that could begin its `Script done on` footer is not held back
    /// for the next write, so it is read at its own time.
    pub fn end_write(&mut self) {
        let (source, mut sink) = self.parts();
        source.end_write(&mut sink);
    }

    /// The next `n` bytes of the input are not the session's output (the input bytes of a
    /// `script --log-io` file): they are not read, and offsets after them still point into
    /// the input.
    pub fn skip(&mut self, n: u64) {
        self.offset += n;
    }

    /// The terminal was resized to `cols` columns (a `script` timing log's `SIGWINCH`).
    pub fn resize(&mut self, cols: usize) {
        let live = self.sessions.get(&None, &Session::default(), &mut self.out);
        live.replay.set_width(cols);
    }

    /// The source, and where what it reads goes.
    fn parts(&mut self) -> (&mut Source, Sink<'_>) {
        let sink = Sink {
            sessions: &mut self.sessions,
            out: &mut self.out,
            name: &self.name,
            clock: self.clock,
            fresh_write: &mut self.fresh_write,
        };
        (&mut self.source, sink)
    }

    /// Read `bytes` into `out`.
    fn read(&mut self, bytes: &[u8]) {
        let offset = self.offset;
        let (source, mut sink) = self.parts();
        source.feed(bytes, offset, &mut sink);
        self.offset += bytes.len() as u64;
    }

    /// Keep the strings of a record read for the session that made it.
    fn recycle(&mut self, record: &mut Record) {
        let Record::Command(c) = &*record else {
            return;
        };
        if let Some(replay) = self.sessions.find(&c.session_id) {
            replay.spare().give(record);
        }
    }

    /// The input ended: returns the last records, then a `session` record per session.
    pub fn finish(mut self) -> Vec<Record> {
        let offset = self.offset;
        let (source, mut sink) = self.parts();
        source.finish(offset, &mut sink);
        let mut template = Session::default();
        self.source.describe(&mut template);
        if self.sessions.never_opened() {
            // Even an input with no session in it gets a session record, saying what it was.
            self.sessions.get(&None, &template, &mut self.out);
        }
        self.sessions.finish(self.offset, &template, &mut self.out);
        self.out
    }
}

fn push_error(out: &mut Vec<Record>, mut e: Error, name: &Option<String>) {
    if let Some(n) = name
        && e.location().input.is_none()
    {
        e.set_input(n);
    }
    out.push(Record::Error(ErrorRecord::from(&e)));
}

/// Parse a whole input at once.
///
/// ```
/// let records = ttyscribe::parse(b"$ echo hi\r\nhi\r\n$ ", ttyscribe::Config::default());
/// assert!(records.iter().any(|r| matches!(r, ttyscribe::Record::Command(c) if c.command == "echo hi")));
/// ```
pub fn parse(input: &[u8], config: Config) -> Vec<Record> {
    let mut s = Scribe::new(config);
    let mut out: Vec<Record> = s.feed(input).collect();
    out.extend(s.finish());
    out
}
