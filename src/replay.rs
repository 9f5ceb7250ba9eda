//! One session being replayed: a terminal, the segmenter watching it, and what is known
//! about the session. An input holds one session (a raw log, a transcript) or several
//! (CloudWatch `filter-log-events`, a log group export); [`crate::Scribe`] keeps one
//! `Replay` for each.

use regex::Regex;

use crate::error::Error;
use crate::record::{Record, Session};
use crate::segment::Segmenter;
use crate::source::aws::{EventData, LogEvent};
use crate::source::script::Transcript;
use crate::source::{Body, lossy};
use crate::terminal::Terminal;
use crate::timestamp::Timestamp;

pub(crate) struct Replay {
    pub session_id: Option<String>,
    terminal: Terminal,
    segmenter: Segmenter,
    /// Plain-text CloudWatch events are chunks of a `script` transcript.
    transcript: Option<Transcript>,
    forced_width: bool,
    /// Metadata gathered from CloudWatch events.
    pub cloudwatch: Session,
    /// Buffer the restored bytes of a streamed event are built in.
    buf: Vec<u8>,
    /// Input offset just past the last bytes read (or of the last event).
    last_offset: u64,
}

/// Terminal bytes of one replay, from a transcript reader.
struct Feed<'a> {
    terminal: &'a mut Terminal,
    segmenter: &'a mut Segmenter,
    errors: &'a mut Vec<Error>,
    forced_width: bool,
}

impl Body for Feed<'_> {
    fn bytes(&mut self, bytes: &[u8], offset: u64) {
        self.terminal.advance(bytes, offset, self.segmenter);
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
    fn recorded_width(&mut self, cols: usize) {
        if !self.forced_width {
            self.terminal.screen.set_width(cols);
        }
    }
}

impl Replay {
    pub fn new(cols: Option<usize>, prompt: Option<Regex>, session_id: Option<String>) -> Replay {
        Replay {
            session_id,
            terminal: Terminal::new(cols),
            segmenter: Segmenter::new(prompt),
            transcript: None,
            forced_width: cols.is_some(),
            cloudwatch: Session::default(),
            buf: Vec::new(),
            last_offset: 0,
        }
    }

    /// Input offset just past what this session last read: where it ends if it is finished
    /// before the input does.
    pub fn last_offset(&self) -> u64 {
        self.last_offset
    }

    /// Terminal bytes at input offset `offset`.
    pub fn bytes(&mut self, bytes: &[u8], offset: u64) {
        self.last_offset = offset + bytes.len() as u64;
        self.terminal.advance(bytes, offset, &mut self.segmenter);
    }

    pub fn set_width(&mut self, cols: usize) {
        if !self.forced_width {
            self.terminal.screen.set_width(cols);
        }
    }

    /// One CloudWatch event of this session.
    pub fn event(&mut self, event: LogEvent, errors: &mut Vec<Error>) {
        let time = event
            .event_time
            .or_else(|| event.timestamp_ms.and_then(Timestamp::from_millis));
        let meta = &mut self.cloudwatch;
        if meta.start_time.is_none() {
            meta.start_time = time;
        }
        if time.is_some() {
            meta.end_time = time;
        }
        meta.instance_id = meta.instance_id.take().or(event.target);
        meta.owner_arn = meta.owner_arn.take().or(event.owner_arn);
        meta.run_as_user = meta.run_as_user.take().or(event.run_as);
        meta.region = meta.region.take().or(event.region);
        let offset = event.location.byte;
        self.last_offset = offset;
        match event.data {
            EventData::Lines(lines) => {
                self.segmenter.lossy = true;
                self.terminal.screen.keep_snapshots = false;
                self.segmenter.time = time;
                self.buf.clear();
                let n = lines.len();
                for (i, line) in lines.iter().enumerate() {
                    let cut = i + 1 == n && lossy::CUT_AT.contains(&line.len());
                    lossy::restore_line(line, cut, &mut self.buf);
                }
                let buf = std::mem::take(&mut self.buf);
                self.terminal.advance(&buf, offset, &mut self.segmenter);
                self.buf = buf;
            }
            EventData::Text(text) => {
                self.segmenter.time = time;
                let transcript = self.transcript.get_or_insert_with(|| Transcript::new(true));
                let mut feed = Feed {
                    terminal: &mut self.terminal,
                    segmenter: &mut self.segmenter,
                    errors,
                    forced_width: self.forced_width,
                };
                // The agent dropped the line feed that ended each event.
                transcript.feed(text.as_bytes(), offset, &mut feed);
                transcript.feed(b"\n", offset + text.len() as u64, &mut feed);
            }
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

    /// The session ended at `offset`: its last records go to `out`, and what is known of it
    /// into `session`, whose fields the caller has started filling.
    pub fn finish(
        &mut self,
        offset: u64,
        errors: &mut Vec<Error>,
        session: &mut Session,
        out: &mut Vec<Record>,
    ) {
        if let Some(t) = &mut self.transcript {
            let mut feed = Feed {
                terminal: &mut self.terminal,
                segmenter: &mut self.segmenter,
                errors,
                forced_width: self.forced_width,
            };
            t.finish(offset, &mut feed);
            t.describe(session);
        }
        self.terminal.finish(offset, &mut self.segmenter);
        self.segmenter.finish(&mut self.terminal.screen, offset);
        self.take_records(out);
        let cw = std::mem::take(&mut self.cloudwatch);
        session.session_id = session.session_id.take().or(self.session_id.clone());
        session.instance_id = session.instance_id.take().or(cw.instance_id);
        session.owner_arn = cw.owner_arn;
        session.run_as_user = cw.run_as_user;
        session.region = cw.region;
        session.start_time = session.start_time.take().or(cw.start_time);
        session.end_time = session.end_time.take().or(cw.end_time);
        if session.user.is_none() {
            session.user = session
                .session_id
                .as_deref()
                .and_then(|id| id.rsplit_once('-'))
                .map(|(u, _)| u.to_owned());
        }
        session.shell = self.segmenter.shell.name().and_then(|n| n.parse().ok());
        session.width = self.terminal.screen.width();
        session.width_changes = self.terminal.screen.width_changes;
        session.commands = self.segmenter.commands;
    }
}
