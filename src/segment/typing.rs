//! Whether a line was typed: the logged keystrokes ([`super::keys`]), and the writes of the
//! output when the input keeps them apart (a prompt, a line and its Enter drawn in one write
//! were printed, not typed).

use super::Segmenter;
use crate::record::{Command, Evidence};

/// Where the last writes of the terminal's output began.
#[derive(Debug, Default)]
pub(super) struct Writes {
    starts: std::collections::VecDeque<u64>,
}

impl Writes {
    /// A line is never drawn over more writes than this before it is read.
    const KEPT: usize = 32;

    fn push(&mut self, at: u64) {
        if self.starts.len() == Self::KEPT {
            self.starts.pop_front();
        }
        self.starts.push_back(at);
    }

    /// No write began inside `start..end`: its bytes came in one write.
    pub(super) fn one(&self, start: u64, end: u64) -> bool {
        !self.starts.iter().any(|&b| b > start && b < end)
    }
}

impl Segmenter {
    /// A write of the terminal's output begins at `offset`: the input keeps each write
    /// apart (an asciicast event, a ttyrec frame, a `script` timing entry).
    pub fn write_began(&mut self, offset: u64) {
        self.writes.get_or_insert_default().push(offset);
    }

    /// Bytes the user typed.
    pub fn typed(&mut self, bytes: &[u8]) {
        self.keys.get_or_insert_default().feed(bytes);
    }

    /// Check a command line about to be held against the keystrokes and the writes; returns
    /// the lines typed since the command before that were not this one (typed to that
    /// command).
    pub(super) fn check_typing(&mut self, cmd: &mut Command) -> Vec<String> {
        if cmd.cancelled || cmd.prompt.trim().is_empty() {
            return Vec::new();
        }
        let skipped = match &mut self.keys {
            Some(k) => k.judge(cmd).1,
            None => Vec::new(),
        };
        if self
            .writes
            .as_ref()
            .is_some_and(|w| w.one(cmd.span.start, cmd.span.end))
        {
            cmd.evidence.insert(Evidence::PrintedAtOnce);
        }
        skipped
    }

    /// Lines typed while the held command ran that its output never showed were typed with
    /// echo off (a password at `sudo`, `read -s`): the record counts them, and holds none of
    /// their text.
    pub(super) fn count_hidden(&mut self, typed: &[String]) {
        let Some(p) = &mut self.pending else { return };
        let hidden = typed
            .iter()
            .filter(|t| !t.trim().is_empty())
            .filter(|t| memchr::memmem::find(&p.output, t.trim().as_bytes()).is_none())
            .count();
        p.cmd.hidden_input = u32::try_from(hidden).unwrap_or(u32::MAX);
    }
}
