//! One session's CloudWatch events, read into the terminal bytes they carry.
//!
//! A streamed event's `sessionData` lines were cleaned by the agent (CRs deleted, escapes
//! stripped): [`lossy`](super::lossy) puts back what can be restored, and the chunk says it
//! is a repair. A plain-text event is a piece of the session's `script` transcript, read by a
//! [`Transcript`] that lasts as long as the session. What the events say about the session
//! (instance, owner, region, first and last time) is gathered for its session record.
//!
//! The pipeline keeps one [`SessionEvents`] beside each live session's terminal, so this
//! state is bounded by the same session cap.

use super::aws::{EventData, LogEvent};
use super::script::Transcript;
use super::{Body, Chunk, lossy};
use crate::error::Error;
use crate::record::Session;
use crate::timestamp::Timestamp;

/// The reading state of one session's events.
#[derive(Debug, Default)]
pub(crate) struct SessionEvents {
    /// Plain-text events are chunks of a `script` transcript.
    transcript: Option<Transcript>,
    /// What the events said about the session.
    meta: Session,
    /// The restored bytes of a streamed event are built here.
    buf: Vec<u8>,
    /// Made at the first streamed event (boxed: most of it is vte's OSC buffer).
    repair: Option<Box<lossy::Repair>>,
}

/// A body that stamps the chunks passing through with the time of the event they came in.
struct Timed<'a, B> {
    out: &'a mut B,
    time: Option<Timestamp>,
}

impl<B: Body> Body for Timed<'_, B> {
    fn chunk(&mut self, chunk: Chunk<'_>) {
        self.out.chunk(Chunk {
            time: self.time,
            ..chunk
        });
    }
    fn error(&mut self, error: Error) {
        self.out.error(error);
    }
    fn recorded_width(&mut self, cols: usize) {
        self.out.recorded_width(cols);
    }
}

impl SessionEvents {
    /// Read one event of this session into `out`.
    pub fn event<B: Body>(&mut self, event: LogEvent, out: &mut B) {
        let time = event
            .event_time
            .or_else(|| event.timestamp_ms.and_then(Timestamp::from_millis));
        let meta = &mut self.meta;
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
        match event.data {
            EventData::Lines(lines) => {
                self.buf.clear();
                let repair = self.repair.get_or_insert_default();
                let n = lines.len();
                for (i, line) in lines.iter().enumerate() {
                    let cut = i + 1 == n && lossy::CUT_AT.contains(&line.len());
                    repair.restore_line(line, cut, &mut self.buf);
                }
                out.chunk(Chunk {
                    bytes: &self.buf,
                    offset,
                    time,
                    lossy: true,
                    write: false,
                });
            }
            EventData::Text(text) => {
                let transcript = self.transcript.get_or_insert_with(|| Transcript::new(true));
                let mut timed = Timed { out, time };
                // The agent dropped the line feed that ended each event.
                transcript.feed(text.as_bytes(), offset, &mut timed);
                transcript.feed(b"\n", offset + text.len() as u64, &mut timed);
            }
        }
    }

    /// The session's events ended at `offset`: what the transcript still holds goes out.
    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if let Some(t) = &mut self.transcript {
            t.finish(offset, out);
        }
    }

    /// What the events said about the session, into its record (the caller's fields first).
    pub fn describe(&mut self, session: &mut Session) {
        if let Some(t) = &self.transcript {
            t.describe(session);
        }
        let cw = std::mem::take(&mut self.meta);
        session.instance_id = session.instance_id.take().or(cw.instance_id);
        session.owner_arn = cw.owner_arn;
        session.run_as_user = cw.run_as_user;
        session.region = cw.region;
        session.start_time = session.start_time.take().or(cw.start_time);
        session.end_time = session.end_time.take().or(cw.end_time);
    }
}
