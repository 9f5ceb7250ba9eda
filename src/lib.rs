//! ttyscribe turns raw terminal session transcripts into the commands that were actually
//! run and what they printed.
//!
//! A shell's line editor does not print a command: it prints keystrokes and the escape
//! sequences that redraw the line after each edit. `s\x08\x1b[Ksudo systemctl stp\x08\x1b[Kop`
//! is `sudo systemctl stop`; stripping the escapes gives `ssudo systemctl stpop`. ttyscribe
//! replays the edits the way a terminal would and cuts the session into records: each
//! command as the shell received it, its prompt, its output as it looked on screen, and the
//! evidence behind each boundary.
//!
//! Data flows one way: [`source`] (raw pty bytes, `script` transcripts, CloudWatch events) →
//! `terminal` (escape parsing, a fast path beside `vte`, and a model of the rows the shell
//! edits) → `segment` (prompt, command, output) → [`record`] → [`write`](mod@write).
//!
//! ```
//! let log = b"\x1b[?2004h$ sudo systemctl stp\x08\x1b[Kop nginx\r\n\x1b[?2004l\r\x1b[?2004h$ ";
//! let records = ttyscribe::parse(log, ttyscribe::Config::default());
//! let cmd = records.iter().find_map(|r| match r {
//!     ttyscribe::Record::Command(c) => Some(c.command.clone()),
//!     _ => None,
//! });
//! assert_eq!(cmd.as_deref(), Some("sudo systemctl stop nginx"));
//! ```
#![deny(missing_docs)]

mod config;
pub mod error;
pub mod limits;
mod lru;
pub mod record;
mod replay;
mod scan;
mod scribe;
mod segment;
mod sessions;
pub mod source;
mod terminal;
mod timed;
mod timestamp;
pub mod write;

pub use error::{Error, ErrorKind, Location};
pub use limits::MAX_SESSIONS;
pub use record::{
    Command, Doubt, ErrorRecord, Evidence, EvidenceSet, Output, Record, Session, Shell, Span,
};
pub use scribe::{Config, Scribe, parse};
pub use source::InputFormat;
pub use terminal::for_each_op;
pub use timed::TimedScript;
pub use timestamp::{Seconds, Timestamp};
