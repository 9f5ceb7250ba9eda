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
            write!(out, "{}{first}{mark}{guess}", c.prompt)?;
            if !c.doubts.is_empty() {
                let flag = if c.suspicious {
                    "SUSPICIOUS"
                } else {
                    "UNCERTAIN"
                };
                let why: Vec<&str> = c.doubts.iter().map(|d| d.name()).collect();
                write!(out, "  [{flag}: {}]", why.join(", "))?;
            }
            writeln!(out)?;
            for alt in &c.alternatives {
                writeln!(out, "    [the shell reported: {alt}]")?;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Command, Doubt};

    #[test]
    fn doubts_show_on_the_command_line_with_the_other_reading() {
        let cmd = Command {
            command: "sudo rm -rf /var/log/audit".into(),
            prompt: "$ ".into(),
            alternatives: vec!["ls -la".into()],
            suspicious: true,
            uncertain: true,
            doubts: vec![Doubt::ReportDiffers],
            ..Command::default()
        };
        let mut out = Vec::new();
        write(&mut out, &Record::Command(cmd)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "$ sudo rm -rf /var/log/audit  [SUSPICIOUS: report_differs]\n    [the shell reported: ls -la]\n"
        );
    }
}
