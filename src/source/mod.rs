//! Input adapters: from the bytes a user has to the bytes the terminal drew.
//!
//! This is the only layer that reports input errors. Each adapter passes on slices of the
//! input with their offsets, so records can point back into the user's file.
//!
//! - raw: the pty byte stream itself (the agent's `ipcTempFile.log`, a `script -q` log).
//! - [`script`]: a `script(1)` transcript as SSM uploads it to S3: the `Script started on`
//!   header and `Script done on` footer are read for metadata and removed.
//! - `cast`: asciinema's asciicast v2 and v3 recordings, with a clock, resizes and
//!   (when recorded) keystrokes.
//! - `ttyrec`: ttyrec recordings, frames of output with their time.
//! - `inflate`: gzip around any of the others.
//! - [`aws`]: CloudWatch Logs events in every wrapper; [`order`] puts them in time order,
//!   and the lossy lines of streamed events get back the CRs that can be restored.

pub mod aws;
pub(crate) mod cast;
pub(crate) mod events;
pub(crate) mod inflate;
pub(crate) mod lines;
pub(crate) mod lossy;
pub mod order;
pub mod script;
pub(crate) mod timing;
pub(crate) mod ttyrec;

use crate::error::Error;
use crate::record::Session;

/// What kind of input to expect; in a session record, what it was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InputFormat {
    /// Look at the first bytes and decide.
    #[default]
    Auto,
    /// Raw pty output.
    Raw,
    /// A `script(1)` transcript (the SSM S3 log).
    Script,
    /// CloudWatch Logs events, in any of the wrappers of [`aws`].
    CloudWatch,
    /// An asciinema recording (asciicast v2 or v3).
    Asciicast,
    /// A ttyrec recording.
    Ttyrec,
}

impl InputFormat {
    /// Name used in records and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Raw => "raw",
            InputFormat::Script => "script",
            InputFormat::CloudWatch => "cloudwatch",
            InputFormat::Asciicast => "asciicast",
            InputFormat::Ttyrec => "ttyrec",
        }
    }
}

impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(InputFormat::Auto),
            "raw" => Ok(InputFormat::Raw),
            "script" | "s3" => Ok(InputFormat::Script),
            "cloudwatch" | "cw" => Ok(InputFormat::CloudWatch),
            "asciicast" | "cast" => Ok(InputFormat::Asciicast),
            "ttyrec" => Ok(InputFormat::Ttyrec),
            _ => Err(format!(
                "unknown input format {s:?} (expected auto, raw, script, cloudwatch, asciicast or ttyrec)"
            )),
        }
    }
}

/// Terminal bytes as the sources hand them to the pipeline: the one kind of chunk every
/// input format becomes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    /// What the terminal was sent.
    pub bytes: &'a [u8],
    /// Input offset of the first byte (for a streamed CloudWatch event, of the event: its
    /// bytes were rebuilt, so only the event as a whole points back into the input).
    pub offset: u64,
    /// When the input says the bytes were written (CloudWatch `eventTime`).
    pub time: Option<crate::Timestamp>,
    /// The bytes were rebuilt from the agent's cleaned lines (CRs deleted, escapes
    /// stripped), so the segmenter reads them one line at a time.
    pub lossy: bool,
    /// The bytes begin one write of the terminal's output, as the recorder read it (an
    /// asciicast event, a ttyrec frame, a `script` timing entry); the chunks after it up to
    /// the next that begins one are the rest of that write. False for inputs that keep no
    /// writes apart.
    pub write: bool,
}

impl<'a> Chunk<'a> {
    /// Bytes exactly as the terminal was sent them, with no time.
    pub fn plain(bytes: &'a [u8], offset: u64) -> Chunk<'a> {
        Chunk {
            bytes,
            offset,
            time: None,
            lossy: false,
            write: false,
        }
    }
}

/// Where decoded terminal bytes and findings go.
pub(crate) trait Body {
    /// Terminal bytes of the input's session.
    fn chunk(&mut self, chunk: Chunk<'_>);
    /// A problem with the input.
    fn error(&mut self, error: Error);
    /// The input recorded the terminal width.
    fn recorded_width(&mut self, _cols: usize) {}
    /// Bytes the user typed (the recorder logged the input side too).
    fn input(&mut self, _bytes: &[u8]) {}
    /// A CloudWatch event, in time order within its session (read into chunks by that
    /// session's [`events::SessionEvents`]).
    fn event(&mut self, _event: aws::LogEvent) {}
}

/// The adapter chosen for this input.
#[derive(Debug)]
pub(crate) enum Source {
    Undecided {
        forced: InputFormat,
        head: Vec<u8>,
        name: Option<String>,
    },
    Raw,
    Script(Box<script::Transcript>),
    Cast(Box<cast::Cast>),
    Ttyrec(Box<ttyrec::Ttyrec>),
    Aws(Box<(aws::Decoder, order::Orderer)>),
    Gzip(Box<inflate::Inflate>),
}

impl Source {
    pub fn new(format: InputFormat, name: Option<String>) -> Source {
        match format {
            InputFormat::Raw => Source::Raw,
            _ => Source::Undecided {
                forced: format,
                head: Vec::new(),
                name,
            },
        }
    }

    pub fn format(&self) -> InputFormat {
        match self {
            Source::Undecided { forced, .. } => *forced,
            Source::Raw => InputFormat::Raw,
            Source::Script(_) => InputFormat::Script,
            Source::Cast(_) => InputFormat::Asciicast,
            Source::Ttyrec(_) => InputFormat::Ttyrec,
            Source::Aws(_) => InputFormat::CloudWatch,
            Source::Gzip(g) => g.format(),
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        if let Source::Undecided { forced, head, name } = self {
            // The format is decided on the first bytes that settle it, however they were
            // chunked: the chunk alone when it has them, else what has been gathered.
            if head.is_empty() && sniffed(chunk) {
                let f = decide(*forced, chunk);
                *self = Self::decided(f, name.take());
                return self.feed(chunk, offset, out);
            }
            head.extend_from_slice(chunk);
            if !sniffed(head) {
                return;
            }
            let head = std::mem::take(head);
            let f = decide(*forced, &head);
            *self = Self::decided(f, name.take());
            let start = offset + chunk.len() as u64 - head.len() as u64;
            return self.feed(&head, start, out);
        }
        match self {
            Source::Raw => out.chunk(Chunk::plain(chunk, offset)),
            Source::Script(t) => t.feed(chunk, offset, out),
            Source::Cast(c) => c.feed(chunk, offset, out),
            Source::Ttyrec(t) => t.feed(chunk, offset, out),
            Source::Gzip(g) => g.feed(chunk, offset, out),
            Source::Aws(a) => {
                let (decoder, orderer) = &mut **a;
                decoder.feed(chunk, offset, &mut |r| order_event(orderer, r, out));
            }
            Source::Undecided { .. } => {}
        }
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if let Source::Undecided { forced, head, name } = self {
            let head = std::mem::take(head);
            let f = decide(*forced, &head);
            *self = Self::decided(f, name.take());
            let start = offset - head.len() as u64;
            self.feed(&head, start, out);
        }
        match self {
            Source::Script(t) => t.finish(offset, out),
            Source::Cast(c) => c.finish(offset, out),
            Source::Ttyrec(t) => t.finish(offset, out),
            Source::Gzip(g) => g.finish(offset, out),
            Source::Aws(a) => {
                let (decoder, orderer) = &mut **a;
                decoder.finish(offset, &mut |r| order_event(orderer, r, out));
                orderer.finish(&mut |e| out.event(e));
            }
            _ => {}
        }
    }

    /// What was fed is a whole write of the output: nothing is held for the next one.
    pub fn end_write<B: Body>(&mut self, out: &mut B) {
        if let Source::Script(t) = self {
            t.release(out);
        }
    }

    pub fn describe(&self, session: &mut Session) {
        session.input_format = self.format();
        match self {
            Source::Script(t) => t.describe(session),
            Source::Cast(c) => c.describe(session),
            Source::Ttyrec(t) => t.describe(session),
            Source::Gzip(g) => g.describe(session),
            _ => {}
        }
    }

    fn decided(f: Decided, name: Option<String>) -> Source {
        let f = match f {
            Decided::Plain(f) => f,
            Decided::Gzip(f) => {
                let inner = Self::decided(Decided::Plain(f), name.clone());
                return Source::Gzip(Box::new(inflate::Inflate::new(inner, name)));
            }
        };
        match f {
            InputFormat::Script => Source::Script(Box::new(script::Transcript::new(true))),
            InputFormat::Asciicast => Source::Cast(Box::new(cast::Cast::new(name))),
            InputFormat::Ttyrec => Source::Ttyrec(Box::new(ttyrec::Ttyrec::new(name))),
            InputFormat::CloudWatch => Source::Aws(Box::new((
                aws::Decoder::new(name),
                order::Orderer::default(),
            ))),
            _ => Source::Raw,
        }
    }
}

/// What an input was decided to be.
#[derive(Debug, Clone, Copy)]
enum Decided {
    Plain(InputFormat),
    /// Gzip around a format other than CloudWatch's (whose decoder reads gzip itself).
    Gzip(InputFormat),
}

fn decide(forced: InputFormat, head: &[u8]) -> Decided {
    if inflate::is_gzip(head) && forced != InputFormat::CloudWatch {
        // Damaged, empty, or gzip again: the CloudWatch reader reports gzip damage member by
        // member (and caps the depth).
        let Ok(Some(inner)) = inflate::decided(head) else {
            return Decided::Plain(InputFormat::CloudWatch);
        };
        return match decide_plain(forced, &inner) {
            _ if inflate::is_gzip(&inner) => Decided::Plain(InputFormat::CloudWatch),
            InputFormat::CloudWatch => Decided::Plain(InputFormat::CloudWatch),
            f => Decided::Gzip(f),
        };
    }
    Decided::Plain(decide_plain(forced, head))
}

fn decide_plain(forced: InputFormat, head: &[u8]) -> InputFormat {
    let head = &head[..head.len().min(crate::limits::MAX_SNIFF)];
    match forced {
        InputFormat::Auto if script::looks_like(head) => InputFormat::Script,
        InputFormat::Auto if cast::looks_like(head) => InputFormat::Asciicast,
        InputFormat::Auto if ttyrec::looks_like(head) => InputFormat::Ttyrec,
        InputFormat::Auto if aws::looks_like(head) => InputFormat::CloudWatch,
        InputFormat::Auto => InputFormat::Raw,
        f => f,
    }
}

/// Whether the first bytes are enough to decide the format.
fn sniffed(head: &[u8]) -> bool {
    if inflate::is_gzip(head) {
        return inflate::decided(head).is_ok();
    }
    sniffed_plain(head)
}

fn sniffed_plain(head: &[u8]) -> bool {
    aws::sniffed(head) && cast::sniffed(head) && ttyrec::sniffed(head)
}

/// A decoded event (or a decoding error) through the orderer to `out`.
fn order_event<B: Body>(
    orderer: &mut order::Orderer,
    r: Result<aws::LogEvent, Error>,
    out: &mut B,
) {
    match r {
        Ok(e) => {
            orderer.push(e, &mut |e| out.event(e));
            if let Some(location) = orderer.take_overflow() {
                out.error(Error::Malformed {
                    location,
                    format: "cloudwatch",
                    message: format!(
                        "events of a session come newest first and there are more than {} of them: the oldest are read before the rest has arrived, so their order may be wrong",
                        crate::limits::MAX_HELD
                    ),
                });
            }
        }
        Err(e) => out.error(e),
    }
}
