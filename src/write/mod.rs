//! Writers: consumers of records that use only the public API.
//!
//! - [`jsonl`]: one JSON object per line, `"kind"` first.
//! - [`text`]: a view for people reading a session in a terminal.

pub mod jsonl;
pub mod text;
