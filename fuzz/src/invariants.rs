//! The promises ttyscribe makes about the records of any input, checked in one place: by
//! the fuzz targets (`fuzz/fuzz_targets/`) and, through `#[path]`, by the tests in
//! `tests/` so stable CI checks them too. Only `ttyscribe` and `serde_json` are used.
//!
//! - chunking: feeding the input in any chunks gives the records of one `parse`, errors
//!   included and in the same place (through `feed` and through `feed_each`);
//! - caps: no command is longer than `MAX_COMMAND` bytes, no output than `MAX_OUTPUT`; a
//!   command cut at its cap says `truncated`;
//! - spans: every span is `start <= end <= input length`; the records of a raw or `script`
//!   input tile it from byte 0, each starting where the one before ended;
//! - sessions: a `session` record last, each after its session's commands, counting them;
//! - JSON Lines: the `Encoder` writes one line per record, each the bytes `serde_json`
//!   writes for it (so each parses, to the record's own fields).
#![allow(dead_code)]

use std::fmt;

use ttyscribe::write::jsonl::Encoder;
use ttyscribe::{Config, Record, Scribe, limits, parse};

/// Chunking differences that the lead's pending fixes (in `source/mod.rs` and `scribe.rs`)
/// remove. While this is `true` they are tolerated, so the fuzzers can look past them for
/// everything else; once those fixes are merged this must be `false`, and then they fail.
pub const LEAD_FIXES_PENDING: bool = false;

/// Which promise an input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input format was sniffed differently when the first chunk was short (pending).
    Sniff,
    /// Only the position of an error record among the others moved with the chunking
    /// (pending).
    ErrorMoved,
    /// An input of several sessions gave the same records, but the way the records of
    /// different sessions are interleaved moved with the chunking (`Scribe` collects each
    /// session's records in turn after every chunk; pending).
    Interleaved,
    /// Anything else.
    Broken,
}

/// A broken promise, with what was seen.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

fn broken(message: String) -> Failure {
    Failure {
        kind: Kind::Broken,
        message,
    }
}

/// Every invariant on one input: `parse` against a feed in chunks of the sizes in `chunks`
/// (taken in turn; an empty list means one chunk per byte), and the records' own promises.
pub fn check(input: &[u8], config: &Config, chunks: &[usize]) -> Result<(), Failure> {
    let whole = parse(input, config.clone());
    records(input, &whole)?;
    jsonl(&whole)?;
    let fed = feed(input, config, chunks);
    tolerate(compare(&whole, &fed, "feed"))?;
    let shown = feed_each(input, config, chunks);
    tolerate(compare(&whole, &shown, "feed_each"))
}

/// `Ok` for the differences the lead's pending fixes remove, while they are pending.
pub fn tolerate(r: Result<(), Failure>) -> Result<(), Failure> {
    match r {
        Err(f) if LEAD_FIXES_PENDING && f.kind != Kind::Broken => Ok(()),
        r => r,
    }
}

/// The chunk sizes to cut `input` at: `chunks` in turn, or single bytes.
fn pieces<'a>(input: &'a [u8], chunks: &'a [usize]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = input;
    let mut i = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = chunks.get(i % chunks.len().max(1)).copied().unwrap_or(1);
        i += 1;
        let (head, tail) = rest.split_at(n.clamp(1, rest.len()));
        rest = tail;
        Some(head)
    })
}

/// The records of `input` fed to a [`Scribe`] in chunks.
pub fn feed(input: &[u8], config: &Config, chunks: &[usize]) -> Vec<Record> {
    let mut scribe = Scribe::new(config.clone());
    let mut out = Vec::new();
    for piece in pieces(input, chunks) {
        out.extend(scribe.feed(piece));
    }
    out.extend(scribe.finish());
    out
}

/// The same through `feed_each`, which reuses the strings of records already shown.
pub fn feed_each(input: &[u8], config: &Config, chunks: &[usize]) -> Vec<Record> {
    let mut scribe = Scribe::new(config.clone());
    let mut out = Vec::new();
    for piece in pieces(input, chunks) {
        scribe.feed_each(piece, |r| out.push(r.clone()));
    }
    out.extend(scribe.finish());
    out
}

/// Records of a streamed read against those of one `parse`.
pub fn compare(whole: &[Record], fed: &[Record], how: &str) -> Result<(), Failure> {
    if whole == fed {
        return Ok(());
    }
    let format = |rs: &[Record]| -> Vec<String> {
        rs.iter()
            .filter_map(|r| match r {
                Record::Session(s) => Some(s.input_format.to_string()),
                _ => None,
            })
            .collect()
    };
    let kind = if format(whole) != format(fed) {
        Kind::Sniff
    } else if without_errors(whole) == without_errors(fed) && errors(whole) == errors(fed) {
        Kind::ErrorMoved
    } else if sessions_of(whole) > 1 && sorted(whole) == sorted(fed) {
        Kind::Interleaved
    } else {
        Kind::Broken
    };
    // The first difference, among the records other than errors when only those moved.
    let (a, b) = match kind {
        Kind::Broken if without_errors(whole) != without_errors(fed) => {
            (without_errors(whole), without_errors(fed))
        }
        Kind::Broken => (errors(whole), errors(fed)),
        _ => (whole.iter().collect(), fed.iter().collect()),
    };
    let at = a.iter().zip(&b).position(|(x, y)| x != y);
    let at = at.unwrap_or(a.len().min(b.len()));
    Err(Failure {
        kind,
        message: format!(
            "{how}: records differ from parse ({} vs {} records), first at {at} of {} vs {}\nparse: {:#?}\n{how}: {:#?}",
            whole.len(),
            fed.len(),
            a.len(),
            b.len(),
            a.get(at),
            b.get(at)
        ),
    })
}

fn sessions_of(rs: &[Record]) -> usize {
    rs.iter()
        .filter(|r| matches!(r, Record::Session(_)))
        .count()
}

/// The records in an order of their own, to compare them as a multiset.
fn sorted(rs: &[Record]) -> Vec<String> {
    let mut v: Vec<String> = rs.iter().map(|r| format!("{r:?}")).collect();
    v.sort_unstable();
    v
}

fn without_errors(rs: &[Record]) -> Vec<&Record> {
    rs.iter()
        .filter(|r| !matches!(r, Record::Error(_)))
        .collect()
}

fn errors(rs: &[Record]) -> Vec<&Record> {
    rs.iter()
        .filter(|r| matches!(r, Record::Error(_)))
        .collect()
}

/// The caps, spans and session records of one read of `input`.
pub fn records(input: &[u8], records: &[Record]) -> Result<(), Failure> {
    let len = input.len() as u64;
    // The events of a gzip member are replayed from the member's offset with their
    // decompressed lengths, so their spans run past the compressed input. Only the scribe
    // knows how much input it was given, to keep spans inside it: reported to the lead,
    // and left unchecked for inputs that may hold a member (raw, or base64 in a
    // subscription payload) until then.
    let gzip =
        input.windows(2).any(|w| w == [0x1f, 0x8b]) || input.windows(4).any(|w| w == b"H4sI");
    for (i, r) in records.iter().enumerate() {
        caps(r).map_err(|m| broken(format!("record {i}: {m}\n{r:#?}")))?;
        if let Some(span) = span(r)
            && !(span.start <= span.end && (span.end <= len || gzip))
        {
            return Err(broken(format!(
                "record {i}: span {span:?} outside the input of {len} bytes\n{r:#?}"
            )));
        }
    }
    sessions(records)?;
    tiles(len, records)
}

fn span(r: &Record) -> Option<ttyscribe::Span> {
    match r {
        Record::Command(c) => Some(c.span),
        Record::Output(o) => Some(o.span),
        _ => None,
    }
}

/// Longest a character is in UTF-8: a command cut at its cap is this close to it.
const MAX_CHAR: usize = 4;

fn caps(r: &Record) -> Result<(), String> {
    let (text, output, truncated) = match r {
        Record::Command(c) => (Some(&c.command), &c.output, c.truncated),
        Record::Output(o) => (None, &o.output, o.truncated),
        _ => return Ok(()),
    };
    if let Some(command) = text {
        if command.len() > limits::MAX_COMMAND {
            return Err(format!(
                "command of {} bytes, over MAX_COMMAND ({})",
                command.len(),
                limits::MAX_COMMAND
            ));
        }
        // Only a cut makes a command end this close to the cap (a command typed to within
        // three bytes of 64 KiB is not what an input of a few KiB holds).
        if command.len() + MAX_CHAR > limits::MAX_COMMAND && !truncated {
            return Err(format!(
                "command of {} bytes, at MAX_COMMAND, not truncated",
                command.len()
            ));
        }
    }
    if output.len() > limits::MAX_OUTPUT {
        return Err(format!(
            "output of {} bytes, over MAX_OUTPUT ({})",
            output.len(),
            limits::MAX_OUTPUT
        ));
    }
    Ok(())
}

/// A `session` record per session, each after that session's commands, the last record
/// a session one, and together they count the commands. (`Scribe::finish` says "the last
/// records, then a `session` record per session", but the records a session finishes with
/// come after the session record of the one before: reported to the lead, not checked.)
fn sessions(records: &[Record]) -> Result<(), Failure> {
    if !matches!(records.last(), Some(Record::Session(_))) {
        return Err(broken("the last record is not a session record".into()));
    }
    let mut counted = 0;
    let mut done: Vec<Option<&str>> = Vec::new();
    for (i, r) in records.iter().enumerate() {
        match r {
            Record::Session(s) => {
                counted += s.commands;
                done.push(s.session_id.as_deref());
            }
            Record::Command(c) if done.contains(&c.session_id.as_deref()) => {
                return Err(broken(format!(
                    "record {i}, a command, comes after its session's record\n{r:#?}"
                )));
            }
            _ => {}
        }
    }
    let commands = records
        .iter()
        .filter(|r| matches!(r, Record::Command(_)))
        .count();
    if counted != commands {
        return Err(broken(format!(
            "session records count {counted} commands, there are {commands}"
        )));
    }
    Ok(())
}

/// A raw or `script` input is one session read in order: its records tile the input.
fn tiles(len: u64, records: &[Record]) -> Result<(), Failure> {
    let single = matches!(records, [.., Record::Session(s)]
        if s.input_format != ttyscribe::InputFormat::CloudWatch
            && records.iter().filter(|r| matches!(r, Record::Session(_))).count() == 1);
    if !single {
        return Ok(());
    }
    let mut at = 0;
    for (i, r) in records.iter().enumerate() {
        let Some(span) = span(r) else { continue };
        if span.start != at {
            return Err(broken(format!(
                "record {i} starts at {}, the one before ended at {at} (input of {len} bytes)\n{r:#?}",
                span.start
            )));
        }
        at = span.end;
    }
    Ok(())
}

/// The JSON Lines of `records` through one `Encoder`: a line per record, each the bytes
/// `serde_json` gives for that record.
pub fn jsonl(records: &[Record]) -> Result<(), Failure> {
    let mut encoder = Encoder::default();
    let mut out = Vec::new();
    for r in records {
        encoder
            .write(&mut out, r)
            .map_err(|e| broken(format!("encoder failed: {e}")))?;
    }
    // JSON escapes every line feed inside a string: each one ends a record.
    let Some(body) = out
        .strip_suffix(b"\n")
        .or(Some(&out[..]).filter(|o| o.is_empty()))
    else {
        return Err(broken("the last line has no line feed".into()));
    };
    let lines: Vec<&[u8]> = if body.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == b'\n').collect()
    };
    if lines.len() != records.len() {
        return Err(broken(format!(
            "{} records gave {} lines",
            records.len(),
            lines.len()
        )));
    }
    for (i, (line, r)) in lines.iter().zip(records).enumerate() {
        let expected = serde_json::to_vec(r).map_err(|e| broken(format!("serde_json: {e}")))?;
        if *line != expected.as_slice() {
            let parsed = serde_json::from_slice::<serde_json::Value>(line);
            return Err(broken(format!(
                "line {i} is not serde_json's: {}\nexpected {}\nparsed: {parsed:?}",
                String::from_utf8_lossy(line),
                String::from_utf8_lossy(&expected)
            )));
        }
    }
    Ok(())
}
