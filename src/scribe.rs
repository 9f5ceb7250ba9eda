//! The pipeline: source → terminal → segmenter → records, as a push parser.

use regex::Regex;

use crate::error::Error;
use crate::record::{ErrorRecord, Record, Session};
use crate::replay::Replay;
use crate::source::aws::LogEvent;
use crate::source::{Body, InputFormat, Source};

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
    /// One replay per session; the first serves inputs that hold one session.
    replays: Vec<Replay>,
    cols: Option<usize>,
    prompt: Option<Regex>,
    offset: u64,
    errors: Vec<Error>,
    out: Vec<Record>,
    name: Option<String>,
}

/// Most sessions one input may hold; events of further sessions are reported and skipped.
pub const MAX_SESSIONS: usize = 4096;

struct Sink<'a> {
    replays: &'a mut Vec<Replay>,
    errors: &'a mut Vec<Error>,
    cols: Option<usize>,
    prompt: &'a Option<Regex>,
}

impl Body for Sink<'_> {
    fn bytes(&mut self, bytes: &[u8], offset: u64) {
        self.replays[0].bytes(bytes, offset);
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
    fn recorded_width(&mut self, cols: usize) {
        self.replays[0].set_width(cols);
    }
    fn event(&mut self, event: LogEvent) {
        let id = &event.session_id;
        let i = match self.replays.iter().position(|r| &r.session_id == id) {
            Some(i) => i,
            None if self.replays.len() == 1
                && self.replays[0].session_id.is_none()
                && self.replays[0].is_empty() =>
            {
                self.replays[0].session_id = id.clone();
                0
            }
            None if self.replays.len() >= MAX_SESSIONS => {
                self.errors.push(Error::Malformed {
                    location: event.location.clone(),
                    format: "cloudwatch",
                    message: format!(
                        "more than {MAX_SESSIONS} sessions in one input; skipping this event"
                    ),
                });
                return;
            }
            None => {
                self.replays
                    .push(Replay::new(self.cols, self.prompt.clone(), id.clone()));
                self.replays.len() - 1
            }
        };
        self.replays[i].event(event, self.errors);
    }
}

impl Scribe {
    /// A parser for one input (one session, or several for CloudWatch inputs that mix them).
    pub fn new(config: Config) -> Scribe {
        Scribe {
            source: Source::new(config.format, config.name.clone()),
            replays: vec![Replay::new(config.cols, config.prompt.clone(), None)],
            cols: config.cols,
            prompt: config.prompt,
            offset: 0,
            errors: Vec::new(),
            out: Vec::new(),
            name: config.name,
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

    /// Read `bytes` into `out`.
    fn read(&mut self, bytes: &[u8]) {
        let mut sink = Sink {
            replays: &mut self.replays,
            errors: &mut self.errors,
            cols: self.cols,
            prompt: &self.prompt,
        };
        self.source.feed(bytes, self.offset, &mut sink);
        self.offset += bytes.len() as u64;
        self.collect();
    }

    /// Keep the strings of a record read for the session that made it.
    fn recycle(&mut self, record: &mut Record) {
        let replay = match self.replays.as_mut_slice() {
            [one] => one,
            many => {
                let Record::Command(c) = &*record else { return };
                match many.iter_mut().find(|r| r.session_id == c.session_id) {
                    Some(r) => r,
                    None => return,
                }
            }
        };
        replay.spare().give(record);
    }

    /// The input ended: returns the last records, then a `session` record per session.
    pub fn finish(mut self) -> Vec<Record> {
        let mut sink = Sink {
            replays: &mut self.replays,
            errors: &mut self.errors,
            cols: self.cols,
            prompt: &self.prompt,
        };
        self.source.finish(self.offset, &mut sink);
        self.collect();
        let mut session = Session::default();
        self.source.describe(&mut session);
        for r in &mut self.replays {
            r.finish(
                self.offset,
                &mut self.errors,
                session.clone(),
                &mut self.out,
            );
        }
        let errors: Vec<Error> = self.errors.drain(..).collect();
        let n = self.out.len();
        self.push_errors(errors);
        // Errors found while finishing go before the session records.
        let first_session = self.out[..n]
            .iter()
            .position(|r| matches!(r, Record::Session(_)))
            .unwrap_or(n);
        let tail: Vec<Record> = self.out.drain(n..).collect();
        self.out.splice(first_session..first_session, tail);
        self.out
    }

    fn push_errors(&mut self, errors: Vec<Error>) {
        for mut e in errors {
            if let Some(n) = &self.name
                && e.location().input.is_none()
            {
                e.set_input(n);
            }
            self.out.push(Record::Error(ErrorRecord::from(&e)));
        }
    }

    fn collect(&mut self) {
        let errors: Vec<Error> = self.errors.drain(..).collect();
        self.push_errors(errors);
        for r in &mut self.replays {
            r.take_records(&mut self.out);
        }
    }
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

impl std::fmt::Debug for Scribe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The terminals and segmenters are large and internal: what a user can act on.
        f.debug_struct("Scribe")
            .field("name", &self.name)
            .field("format", &self.source.format())
            .field("offset", &self.offset)
            .field("sessions", &self.replays.len())
            .finish_non_exhaustive()
    }
}
