//! JSON Lines: one record per line.
//!
//! `command` and `output` records, nearly all of a session's, are written here field by
//! field, with strings escaped eight bytes at a time; `session` and `error` records go
//! through `serde_json`. The tests hold both to the same bytes as `serde_json`'s own output
//! of the same records.

use std::io::{self, Write};

use crate::limits::{MAX_KEPT_LINE, MAX_KEPT_PROMPT};
use crate::record::{Command, EvidenceSet, Output, Record, Span};
use crate::scan;
use crate::timestamp::Timestamp;

/// Write one record as a line of JSON.
///
/// ```
/// let mut out = Vec::new();
/// let mut cmd = ttyscribe::Command::default();
/// cmd.command = "ls".into();
/// let rec = ttyscribe::Record::Command(cmd);
/// ttyscribe::write::jsonl::write(&mut out, &rec).unwrap();
/// assert!(out.starts_with(br#"{"kind":"command","command":"ls""#));
/// ```
pub fn write<W: Write>(out: &mut W, record: &Record) -> io::Result<()> {
    let mut line = Vec::new();
    encode(&mut line, record, &mut Kept::default())?;
    out.write_all(&line)
}

/// Append one record and its newline to `line`.
fn encode(line: &mut Vec<u8>, record: &Record, kept: &mut Kept) -> io::Result<()> {
    match record {
        Record::Command(c) => command(line, c, kept)?,
        Record::Output(o) => output(line, o),
        other => serde_json::to_writer(&mut *line, other)?,
    }
    line.push(b'\n');
    Ok(())
}

/// Writes records as JSON Lines through one buffer kept for all of them: each line is built
/// in memory, where its many small pieces are cheap, and goes to the output in one write.
///
/// ```
/// use ttyscribe::write::jsonl::Encoder;
///
/// let mut out = Vec::new();
/// let mut encoder = Encoder::default();
/// let mut cmd = ttyscribe::Command::default();
/// cmd.command = "ls".into();
/// let rec = ttyscribe::Record::Command(cmd);
/// encoder.write(&mut out, &rec).unwrap();
/// let mut direct = Vec::new();
/// ttyscribe::write::jsonl::write(&mut direct, &rec).unwrap();
/// assert_eq!(out, direct);
/// ```
#[derive(Debug, Default)]
pub struct Encoder {
    line: Vec<u8>,
    kept: Kept,
}

/// The JSON of the last prompt, evidence and time written: a session's commands mostly
/// share one prompt and one kind of evidence, and CloudWatch's several to an event.
#[derive(Debug, Default)]
struct Kept {
    prompt: String,
    /// Empty until the first prompt is written (even `""` writes two quotes).
    prompt_json: Vec<u8>,
    evidence: Option<EvidenceSet>,
    evidence_json: Vec<u8>,
    time: Option<Timestamp>,
    time_json: Vec<u8>,
}

impl Kept {
    fn prompt(&mut self, out: &mut Vec<u8>, prompt: &str) {
        if prompt.len() > MAX_KEPT_PROMPT {
            return string(out, prompt);
        }
        if self.prompt_json.is_empty() || self.prompt != prompt {
            self.prompt.clear();
            self.prompt.push_str(prompt);
            self.prompt_json.clear();
            string(&mut self.prompt_json, prompt);
        }
        out.extend_from_slice(&self.prompt_json);
    }

    fn evidence(&mut self, out: &mut Vec<u8>, evidence: EvidenceSet) {
        if self.evidence != Some(evidence) {
            self.evidence = Some(evidence);
            self.evidence_json.clear();
            names(&mut self.evidence_json, evidence.iter().map(|e| e.name()));
        }
        out.extend_from_slice(&self.evidence_json);
    }

    fn time(&mut self, out: &mut Vec<u8>, time: Timestamp) -> io::Result<()> {
        if self.time != Some(time) {
            self.time = Some(time);
            self.time_json.clear();
            // RFC 3339 has nothing to escape.
            write!(self.time_json, "\"{time}\"")?;
        }
        out.extend_from_slice(&self.time_json);
        Ok(())
    }
}

impl Encoder {
    /// Write one record as a line of JSON to `out`.
    pub fn write<W: Write>(&mut self, out: &mut W, record: &Record) -> io::Result<()> {
        self.line.clear();
        encode(&mut self.line, record, &mut self.kept)?;
        out.write_all(&self.line)?;
        // The largest record sets the capacity; one huge line does not keep its memory.
        if self.line.capacity() > MAX_KEPT_LINE {
            self.line = Vec::new();
        }
        Ok(())
    }
}

fn command(out: &mut Vec<u8>, c: &Command, kept: &mut Kept) -> io::Result<()> {
    out.extend_from_slice(br#"{"kind":"command","command":"#);
    string(out, &c.command);
    out.extend_from_slice(br#","prompt":"#);
    kept.prompt(out, &c.prompt);
    out.extend_from_slice(br#","output":"#);
    string(out, &c.output);
    out.extend_from_slice(br#","cancelled":"#);
    boolean(out, c.cancelled);
    out.extend_from_slice(br#","span":"#);
    span(out, c.span);
    if let Some(cwd) = &c.cwd {
        out.extend_from_slice(br#","cwd":"#);
        string(out, cwd);
    }
    if let Some(t) = c.time {
        out.extend_from_slice(br#","time":"#);
        kept.time(out, t)?;
    }
    if let Some(d) = c.duration {
        out.extend_from_slice(br#","duration":"#);
        serde_json::to_writer(&mut *out, &d)?;
    }
    if let Some(id) = &c.session_id {
        out.extend_from_slice(br#","session_id":"#);
        string(out, id);
    }
    out.extend_from_slice(br#","evidence":"#);
    kept.evidence(out, c.evidence);
    if !c.alternatives.is_empty() {
        out.extend_from_slice(br#","alternatives":["#);
        for (i, a) in c.alternatives.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, a);
        }
        out.push(b']');
    }
    if c.suspicious {
        out.extend_from_slice(br#","suspicious":true"#);
    }
    if c.uncertain {
        out.extend_from_slice(br#","uncertain":true"#);
    }
    if !c.doubts.is_empty() {
        out.extend_from_slice(br#","doubts":"#);
        names(out, c.doubts.iter().map(|d| d.name()));
    }
    if c.hidden_input > 0 {
        out.extend_from_slice(br#","hidden_input":"#);
        out.extend_from_slice(itoa::Buffer::new().format(c.hidden_input).as_bytes());
    }
    out.extend_from_slice(br#","truncated":"#);
    boolean(out, c.truncated);
    out.push(b'}');
    Ok(())
}

/// A JSON list of names that need no escaping (evidence and doubt names).
fn names<'a>(out: &mut Vec<u8>, names: impl Iterator<Item = &'a str>) {
    out.push(b'[');
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.push(b'"');
    }
    out.push(b']');
}

fn output(out: &mut Vec<u8>, o: &Output) {
    out.extend_from_slice(br#"{"kind":"output","output":"#);
    string(out, &o.output);
    out.extend_from_slice(br#","span":"#);
    span(out, o.span);
    out.extend_from_slice(br#","truncated":"#);
    boolean(out, o.truncated);
    out.push(b'}');
}

fn span(out: &mut Vec<u8>, s: Span) {
    let mut n = itoa::Buffer::new();
    out.extend_from_slice(br#"{"start":"#);
    out.extend_from_slice(n.format(s.start).as_bytes());
    out.extend_from_slice(br#","end":"#);
    out.extend_from_slice(n.format(s.end).as_bytes());
    out.push(b'}');
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// A JSON string, escaped as `serde_json` escapes it: `"` and `\`, the short forms `\b \t
/// \n \f \r`, other C0 controls as `\u00XX`; everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    // Room for the text, its quotes and a few escapes: most strings need no more.
    out.reserve(b.len() + 8);
    out.push(b'"');
    let mut from = 0;
    loop {
        let at = next_escape(b, from);
        out.extend_from_slice(&b[from..at]);
        let Some(&c) = b.get(at) else { break };
        match c {
            b'"' => out.extend_from_slice(br#"\""#),
            b'\\' => out.extend_from_slice(br"\\"),
            0x08 => out.extend_from_slice(br"\b"),
            b'\t' => out.extend_from_slice(br"\t"),
            b'\n' => out.extend_from_slice(br"\n"),
            0x0c => out.extend_from_slice(br"\f"),
            b'\r' => out.extend_from_slice(br"\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(c >> 4)],
                    HEX[usize::from(c & 15)],
                ]);
            }
        }
        from = at + 1;
    }
    out.push(b'"');
}

/// Index of the first byte at or after `from` that JSON escapes (a C0 control, `"`, `\`),
/// or the length; eight bytes at a time.
fn next_escape(b: &[u8], from: usize) -> usize {
    let flags = |x: u64| scan::controls(x) | scan::equal(x, b'"') | scan::equal(x, b'\\');
    scan::first(b, from, flags, |c| c < 0x20 || c == b'"' || c == b'\\')
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::record::{Doubt, Evidence};

    fn line(r: &Record) -> String {
        let mut out = Vec::new();
        write(&mut out, r).expect("write to a Vec");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    fn serde(r: &Record) -> String {
        serde_json::to_string(r).expect("serialize") + "\n"
    }

    #[test]
    fn same_bytes_as_serde_json_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sessions");
        let mut n = 0;
        for dir in std::fs::read_dir(root).expect("corpus/sessions").flatten() {
            for file in ["raw.bin", "cloudwatch.jsonl"] {
                let Ok(input) = std::fs::read(dir.path().join(file)) else {
                    continue;
                };
                // One encoder for the file, as the CLI uses it: what it keeps from one
                // record must not change the next one's line.
                let mut encoder = Encoder::default();
                for r in crate::parse(&input, crate::Config::default()) {
                    let mut kept = Vec::new();
                    encoder.write(&mut kept, &r).expect("write to a Vec");
                    assert_eq!(String::from_utf8(kept).expect("UTF-8"), serde(&r));
                    assert_eq!(line(&r), serde(&r));
                    n += 1;
                }
            }
        }
        assert!(n > 500, "only {n} records");
    }

    proptest! {
        #[test]
        fn same_bytes_as_serde_json_on_any_strings(
            command in any::<String>(),
            prompt in "[\\x00-\\x7f]{0,12}",
            output in prop::collection::vec(any::<char>(), 0..40),
            cwd in proptest::option::of(any::<String>()),
            time in proptest::option::of(-62_135_596_800_000i64..253_402_300_799_999),
            cancelled in any::<bool>(),
            duration in proptest::option::of(0u64..1u64 << 40),
            hidden_input in prop::sample::select(vec![0u32, 1, 7, u32::MAX]),
            start in any::<u64>(),
            alternatives in prop::collection::vec(any::<String>(), 0..3),
            doubts in prop::collection::vec(prop::sample::select(vec![Doubt::ReportDiffers, Doubt::Unscrolled, Doubt::CutByEndOfInput, Doubt::DamagedText, Doubt::LossyWrap, Doubt::HistorySearch, Doubt::TabAsSpaces, Doubt::PromptUnlikeShell, Doubt::ArrivedWithOutput]), 0..3),
        ) {
            let cmd = Command {
                command,
                prompt,
                output: output.into_iter().collect(),
                cancelled,
                span: Span { start, end: start / 2 },
                cwd,
                time: time.and_then(crate::Timestamp::from_millis),
                duration: duration.map(crate::Seconds::from_millis),
                session_id: None,
                evidence: [Evidence::BracketedPaste, Evidence::LearnedPrompt, Evidence::WidthInferred].into(),
                alternatives,
                suspicious: doubts.iter().any(|d| d.suspicious()),
                uncertain: doubts.iter().any(|d| d.uncertain()),
                doubts,
                hidden_input,
                truncated: !cancelled,
            };
            let out = Output { output: cmd.command.clone(), span: cmd.span, truncated: cancelled };
            for r in [Record::Command(cmd), Record::Output(out)] {
                prop_assert_eq!(line(&r), serde(&r));
            }
        }
    }

    #[test]
    fn past_max_kept_line_a_huge_record_is_written_whole_and_its_buffer_freed() {
        let mut encoder = Encoder::default();
        let small = Record::Command(Command {
            command: "ls".into(),
            ..Command::default()
        });
        let huge = Record::Command(Command {
            command: "x".repeat(MAX_KEPT_LINE + 1),
            ..Command::default()
        });
        for r in [&small, &huge, &small] {
            let mut out = Vec::new();
            encoder.write(&mut out, r).expect("write to a Vec");
            assert_eq!(String::from_utf8(out).expect("UTF-8"), serde(r));
            assert!(encoder.line.capacity() <= MAX_KEPT_LINE);
        }
        // A line under the cap keeps its buffer (so the one above was freed by the cap).
        assert!(encoder.line.capacity() > 0);
    }

    #[test]
    fn past_max_kept_prompt_a_long_prompt_is_written_each_time_and_not_kept() {
        let mut encoder = Encoder::default();
        let with = |prompt: String| {
            Record::Command(Command {
                command: "ls".into(),
                prompt,
                ..Command::default()
            })
        };
        let long = with(format!("{}$ ", "~/d".repeat(MAX_KEPT_PROMPT)));
        let short = with("$ ".into());
        for r in [&short, &long, &long, &short] {
            let mut out = Vec::new();
            encoder.write(&mut out, r).expect("write to a Vec");
            assert_eq!(String::from_utf8(out).expect("UTF-8"), serde(r));
            assert!(encoder.kept.prompt.len() <= MAX_KEPT_PROMPT);
            assert!(encoder.kept.prompt_json.len() <= MAX_KEPT_PROMPT + 2);
            assert_eq!(encoder.kept.prompt, "$ ");
        }
    }
}
