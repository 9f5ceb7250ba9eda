//! JSON Lines: one record per line.

use std::io::{self, Write};

use crate::record::Record;

/// Write one record as a line of JSON.
///
/// ```
/// let mut out = Vec::new();
/// let rec = ttyscribe::Record::Command(ttyscribe::Command { command: "ls".into(), ..Default::default() });
/// ttyscribe::write::jsonl::write(&mut out, &rec).unwrap();
/// assert!(out.starts_with(br#"{"kind":"command","command":"ls""#));
/// ```
pub fn write<W: Write>(out: &mut W, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}
