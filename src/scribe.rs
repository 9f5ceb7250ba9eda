//! The pipeline: source → terminal → segmenter → records, as a push parser.

use regex::Regex;

use crate::error::Error;
use crate::record::{ErrorRecord, Record, Session};
use crate::segment::Segmenter;
use crate::source::{Body, InputFormat, Source};
use crate::terminal::Terminal;

/// How to read an input.
#[derive(Debug, Clone, Default)]
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
    terminal: Terminal,
    segmenter: Segmenter,
    offset: u64,
    errors: Vec<Error>,
    forced_width: bool,
    out: Vec<Record>,
    name: Option<String>,
}

struct Sink<'a> {
    terminal: &'a mut Terminal,
    segmenter: &'a mut Segmenter,
    errors: &'a mut Vec<Error>,
    forced_width: bool,
}

impl Body for Sink<'_> {
    fn bytes(&mut self, bytes: &[u8], offset: u64) {
        self.terminal.advance(bytes, offset, self.segmenter);
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
    fn recorded_width(&mut self, cols: usize) {
        if !self.forced_width {
            self.terminal.screen.set_width(cols);
        }
    }
}

impl Scribe {
    /// A parser for one session.
    pub fn new(config: Config) -> Scribe {
        Scribe {
            source: Source::new(config.format),
            terminal: Terminal::new(config.cols),
            segmenter: Segmenter::new(config.prompt),
            offset: 0,
            errors: Vec::new(),
            forced_width: config.cols.is_some(),
            out: Vec::new(),
            name: config.name,
        }
    }

    /// Feed the next chunk of input; returns the records completed by it.
    pub fn feed(&mut self, bytes: &[u8]) -> std::vec::Drain<'_, Record> {
        let mut sink = Sink {
            terminal: &mut self.terminal,
            segmenter: &mut self.segmenter,
            errors: &mut self.errors,
            forced_width: self.forced_width,
        };
        self.source.feed(bytes, self.offset, &mut sink);
        self.offset += bytes.len() as u64;
        self.collect();
        self.out.drain(..)
    }

    /// The input ended: returns the last records, then the `session` record.
    pub fn finish(mut self) -> Vec<Record> {
        let mut sink = Sink {
            terminal: &mut self.terminal,
            segmenter: &mut self.segmenter,
            errors: &mut self.errors,
            forced_width: self.forced_width,
        };
        self.source.finish(self.offset, &mut sink);
        self.terminal.finish(self.offset, &mut self.segmenter);
        self.segmenter
            .finish(&mut self.terminal.screen, self.offset);
        self.collect();
        let mut session = Session::default();
        self.source.describe(&mut session);
        session.shell = self.segmenter.shell.name().map(str::to_owned);
        session.width = self.terminal.screen.width();
        session.width_changes = self.terminal.screen.width_changes;
        session.commands = self.segmenter.commands;
        self.out.push(Record::Session(session));
        self.out
    }

    fn collect(&mut self) {
        for mut e in self.errors.drain(..) {
            if let Some(n) = &self.name {
                e.set_input(n);
            }
            self.out.push(Record::Error(ErrorRecord::from(&e)));
        }
        self.out.append(&mut self.segmenter.records);
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
