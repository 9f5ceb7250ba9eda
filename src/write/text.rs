//! A human view: each command after its prompt, its output indented below.

use std::io::{self, Write};

use crate::record::{Evidence, Record};

/// Write one record for a person to read.
///
/// ```
/// let mut out = Vec::new();
/// let mut cmd = ttyscribe::Command::default();
/// cmd.command = "ls".into();
/// cmd.prompt = "$ ".into();
/// cmd.output = "a  b".into();
/// let rec = ttyscribe::Record::Command(cmd);
/// ttyscribe::write::text::write(&mut out, &rec).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "$ ls\n    a  b\n");
/// ```
pub fn write<W: Write>(out: &mut W, record: &Record) -> io::Result<()> {
    match record {
        Record::Command(c) => {
            let mut lines = c.command.lines();
            let first = lines.next().unwrap_or("");
            let mark = if c.cancelled { "  [cancelled]" } else { "" };
            let guess = if c.evidence.contains(Evidence::PromptShape)
                || c.evidence.contains(Evidence::NoPrompt)
            {
                "  [prompt guessed]"
            } else {
                ""
            };
            writeln!(out, "{}{first}{mark}{guess}", c.prompt)?;
            for l in lines {
                writeln!(out, "> {l}")?;
            }
            for l in c.output.lines() {
                writeln!(out, "    {l}")?;
            }
            if c.truncated {
                writeln!(out, "    [truncated]")?;
            }
        }
        Record::Output(o) => {
            for l in o.output.lines() {
                writeln!(out, "    {l}")?;
            }
        }
        Record::Session(s) => {
            write!(out, "# session: {} input", s.input_format)?;
            if let Some(id) = &s.session_id {
                write!(out, ", id {id}")?;
            }
            if let Some(i) = &s.instance_id {
                write!(out, ", instance {i}")?;
            }
            if let Some(sh) = &s.shell {
                write!(out, ", shell {sh}")?;
            }
            if let Some(w) = s.width {
                write!(out, ", {w} columns")?;
            }
            if let Some(c) = s.exit_code {
                write!(out, ", exit code {c}")?;
            }
            writeln!(out, ", {} commands", s.commands)?;
        }
        Record::Error(e) => writeln!(out, "# error: {}", e.message)?,
    }
    Ok(())
}
