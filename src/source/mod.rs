//! Input adapters: from the bytes a user has to the bytes the terminal drew.
//!
//! This is the only layer that reports input errors. Each adapter passes on slices of the
//! input with their offsets, so records can point back into the user's file.
//!
//! - raw: the pty byte stream itself (the agent's `ipcTempFile.log`, a `script -q` log).
//! - [`script`]: a `script(1)` transcript as SSM uploads it to S3: the `Script started on`
//!   header and `Script done on` footer are read for metadata and removed.

pub mod script;

use crate::error::Error;
use crate::record::Session;

/// What kind of input to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Look at the first bytes and decide.
    #[default]
    Auto,
    /// Raw pty output.
    Raw,
    /// A `script(1)` transcript (the SSM S3 log).
    Script,
}

impl InputFormat {
    /// Name used in records and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Raw => "raw",
            InputFormat::Script => "script",
        }
    }
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(InputFormat::Auto),
            "raw" => Ok(InputFormat::Raw),
            "script" | "s3" => Ok(InputFormat::Script),
            _ => Err(format!(
                "unknown input format {s:?} (expected auto, raw or script)"
            )),
        }
    }
}

/// Where decoded terminal bytes and findings go.
pub(crate) trait Body {
    /// Terminal bytes that start at input offset `offset`.
    fn bytes(&mut self, bytes: &[u8], offset: u64);
    /// A problem with the input.
    fn error(&mut self, error: Error);
    /// The input recorded the terminal width.
    fn recorded_width(&mut self, _cols: usize) {}
}

/// The adapter chosen for this input.
#[derive(Debug)]
pub(crate) enum Source {
    Undecided { forced: InputFormat, head: Vec<u8> },
    Raw,
    Script(Box<script::Transcript>),
}

/// Longest prefix needed to tell the formats apart.
const SNIFF: usize = script::MAGIC.len() + 3;

impl Source {
    pub fn new(format: InputFormat) -> Source {
        match format {
            InputFormat::Raw => Source::Raw,
            _ => Source::Undecided {
                forced: format,
                head: Vec::new(),
            },
        }
    }

    pub fn format(&self) -> InputFormat {
        match self {
            Source::Undecided { forced, .. } => *forced,
            Source::Raw => InputFormat::Raw,
            Source::Script(_) => InputFormat::Script,
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        if let Source::Undecided { forced, head } = self {
            if head.is_empty() && chunk.len() >= SNIFF {
                let f = decide(*forced, chunk);
                *self = Self::decided(f);
                return self.feed(chunk, offset, out);
            }
            head.extend_from_slice(chunk);
            if head.len() < SNIFF
                && script::MAGIC_BOM.starts_with(head) | script::MAGIC.starts_with(head)
            {
                return;
            }
            let head = std::mem::take(head);
            let f = decide(*forced, &head);
            *self = Self::decided(f);
            let start = offset + chunk.len() as u64 - head.len() as u64;
            return self.feed(&head, start, out);
        }
        match self {
            Source::Raw => out.bytes(chunk, offset),
            Source::Script(t) => t.feed(chunk, offset, out),
            Source::Undecided { .. } => {}
        }
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if let Source::Undecided { forced, head } = self {
            let head = std::mem::take(head);
            let f = decide(*forced, &head);
            *self = Self::decided(f);
            let start = offset - head.len() as u64;
            self.feed(&head, start, out);
        }
        if let Source::Script(t) = self {
            t.finish(offset, out);
        }
    }

    pub fn describe(&self, session: &mut Session) {
        session.input_format = self.format().name().to_owned();
        if let Source::Script(t) = self {
            t.describe(session);
        }
    }

    fn decided(f: InputFormat) -> Source {
        match f {
            InputFormat::Script => Source::Script(Box::new(script::Transcript::new(true))),
            _ => Source::Raw,
        }
    }
}

fn decide(forced: InputFormat, head: &[u8]) -> InputFormat {
    match forced {
        InputFormat::Auto if script::looks_like(head) => InputFormat::Script,
        InputFormat::Auto => InputFormat::Raw,
        f => f,
    }
}
