//! One session being replayed: a terminal and the segmenter watching it, fed the
//! [`Chunk`]s the sources make. An input holds one session (a raw log, a transcript) or
//! several (CloudWatch `filter-log-events`, a log group export); [`crate::sessions`] keeps
//! one `Replay` for each live one.

use regex::Regex;

use crate::record::{Record, Session};
use crate::segment::{Delimiting, Segmenter};
use crate::source::Chunk;
use crate::terminal::Terminal;

pub(crate) struct Replay {
    pub session_id: Option<String>,
    terminal: Terminal,
    segmenter: Segmenter,
    forced_width: bool,
    /// Input offset just past the last bytes read (for a CloudWatch event, its start).
    last_offset: u64,
    /// The write being read went back to the start of a blank line's row: when it is whole,
    /// it may have redrawn the prompt (see `Segmenter::prompt_redrawn`).
    redraw_pending: bool,
}

impl Replay {
    pub fn new(cols: Option<usize>, prompt: Option<Regex>, session_id: Option<String>) -> Replay {
        Replay {
            session_id,
            terminal: Terminal::with_rules(cols, crate::segment::infer::RULES),
            segmenter: Segmenter::new(prompt),
            forced_width: cols.is_some(),
            last_offset: 0,
            redraw_pending: false,
        }
    }

    /// Input offset just past what this session last read: where it ends if it is finished
    /// before the input does.
    pub fn last_offset(&self) -> u64 {
        self.last_offset
    }

    /// The next terminal bytes of this session.
    pub fn chunk(&mut self, chunk: Chunk<'_>) {
        if chunk.lossy {
            // Once one line was rebuilt, the session is read line by line to its end.
            self.segmenter
                .delimit_by(Delimiting::LossyLines, &mut self.terminal.screen);
            self.terminal.screen.set_keep_snapshots(false);
        }
        self.segmenter.set_time(chunk.time);
        if chunk.write {
            self.segmenter.write_began(chunk.offset);
        }
        if chunk.lossy {
            // A streamed event: what the agent read in one upload tick.
            self.segmenter.event += 1;
        }
        self.last_offset = if chunk.lossy {
            chunk.offset
        } else {
            chunk.offset + chunk.bytes.len() as u64
        };
        if chunk.write {
            // Only a write known whole can be seen redrawing a prompt, and only once it is
            // whole: when the next one begins (its chunks may come in pieces).
            if std::mem::take(&mut self.redraw_pending) {
                self.segmenter.prompt_redrawn(&self.terminal.screen);
            }
            self.redraw_pending = chunk.bytes.first() == Some(&b'\r')
                && self.segmenter.edit_blank(&self.terminal.screen) == Some(true);
        }
        self.terminal
            .advance(chunk.bytes, chunk.offset, &mut self.segmenter);
        let (line_feed, tail) = match memchr::memrchr(b'\n', chunk.bytes) {
            Some(i) => (true, &chunk.bytes[i + 1..]),
            None => (false, chunk.bytes),
        };
        self.segmenter.chunk_ended(line_feed, !draws_text(tail));
    }

    /// Bytes the user typed.
    pub fn input(&mut self, bytes: &[u8]) {
        self.segmenter.typed(bytes);
    }

    /// The input recorded the terminal width.
    pub fn set_width(&mut self, cols: usize) {
        if !self.forced_width {
            self.terminal.screen.set_width(cols);
        }
    }

    /// Strings of records read, for the next ones.
    pub fn spare(&mut self) -> &mut crate::segment::spare::Spare {
        &mut self.segmenter.spare
    }

    /// Records completed so far.
    pub fn take_records(&mut self, out: &mut Vec<Record>) {
        if self.session_id.is_none() {
            return out.append(&mut self.segmenter.records);
        }
        for r in self.segmenter.records.drain(..) {
            out.push(match r {
                Record::Command(mut c) => {
                    c.session_id = self.session_id.clone();
                    Record::Command(c)
                }
                r => r,
            });
        }
    }

    /// The session ended at `offset`: its last records go to `out`, and what the replay
    /// knows of it into `session`, whose fields the caller has started filling.
    pub fn finish(&mut self, offset: u64, session: &mut Session, out: &mut Vec<Record>) {
        if std::mem::take(&mut self.redraw_pending) {
            self.segmenter.prompt_redrawn(&self.terminal.screen);
        }
        self.terminal.finish(offset, &mut self.segmenter);
        self.segmenter.finish(&mut self.terminal.screen, offset);
        self.take_records(out);
        session.session_id = session.session_id.take().or(self.session_id.clone());
        if session.user.is_none() {
            session.user = session
                .session_id
                .as_deref()
                .and_then(|id| id.rsplit_once('-'))
                .map(|(u, _)| u.to_owned());
        }
        session.shell = self.segmenter.shell;
        session.width = self.terminal.screen.width();
        session.width_changes = self.terminal.screen.width_changes();
        session.commands = self.segmenter.commands;
    }
}

/// Whether `bytes` hold text to draw, not only control bytes and escape sequences (CSI and
/// two-byte ones; an OSC, which holds text that is not drawn, counts as text: rare enough
/// here that the cheap answer does).
fn draws_text(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b if bytes.get(i + 1) == Some(&b'[') => {
                i += 2;
                while bytes.get(i).is_some_and(|b| (0x20..0x40).contains(b)) {
                    i += 1;
                }
                i += 1;
            }
            0x1b => i += 2,
            b if b < 0x20 || b == 0x7f => i += 1,
            _ => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn draws_text() {
        use super::draws_text;
        assert!(!draws_text(b"\x1b[?2004l\r"));
        assert!(!draws_text(b""));
        assert!(!draws_text(b"\x1b=\x1b[0m\x07"));
        assert!(draws_text(b"\x1b[?2004h$ "));
        assert!(draws_text(b"\x1b[1;32mx"));
    }
}
