//! The sessions of one input, live under a cap.
//!
//! An input holds one session (a raw log, a transcript) or any number (CloudWatch
//! `filter-log-events` output, an export of a log group: a day of a fleet is tens of
//! thousands). Each live session costs a terminal and a segmenter, so at most
//! [`MAX_SESSIONS`] are live: opening one more first finishes the least recently active
//! session. Its records and its session record (`closed_early`) are emitted then, and a later
//! event of it opens a continuation whose session record says which `part` it is. Nothing is
//! dropped, and memory stays flat however many sessions the input holds.
//!
//! Records come out in the order the pipeline completes them: an event's records right after
//! the event is read, a session's last records and its session record when it is finished.
//! That order is fixed by the input, so every chunking of it gives the same records.

use std::collections::{HashMap, VecDeque};

use regex::Regex;

use crate::error::Error;
use crate::limits::{MAX_CLOSED_REMEMBERED, MAX_SESSIONS};
use crate::lru::Sessions as Slab;
use crate::record::{Record, Session};
use crate::replay::Replay;
use crate::source::events::SessionEvents;
use crate::source::{Body, Chunk};

type Id = Option<String>;

pub(crate) struct Live {
    /// Reads the session's CloudWatch events into chunks (source state).
    pub events: SessionEvents,
    /// The terminal and segmenter the chunks go to.
    pub replay: Replay,
    /// When it was opened: sessions left at the end are finished in this order.
    opened: u64,
    /// Which piece of the session this is (1 unless an earlier piece was closed early).
    part: u32,
}

/// The live sessions of one input and what is needed to open more.
pub(crate) struct Sessions {
    /// The live sessions: a session keeps its slot while it is live.
    live: Slab<Live>,
    /// The slot used last: records read are given back to it nearly always.
    last: Option<usize>,
    /// Parts already finished of sessions closed early, oldest first, at most
    /// [`MAX_CLOSED_REMEMBERED`].
    closed: HashMap<String, u32>,
    closed_order: VecDeque<String>,
    /// Sessions opened so far.
    opened: u64,
    cols: Option<usize>,
    prompt: Option<Regex>,
    /// Name of the input, for the locations of errors found while finishing.
    name: Option<String>,
}

impl Sessions {
    pub fn new(cols: Option<usize>, prompt: Option<Regex>, name: Option<String>) -> Sessions {
        Sessions {
            live: Slab::default(),
            last: None,
            closed: HashMap::new(),
            closed_order: VecDeque::new(),
            opened: 0,
            cols,
            prompt,
            name,
        }
    }

    /// The live session `id`, opened if needed. Opening one past the cap first finishes the
    /// least recently active session into `out`; `template` starts its session record.
    pub fn get(&mut self, id: &Id, template: &Session, out: &mut Vec<Record>) -> &mut Live {
        let i = match self.live.slot_of(id) {
            Some(i) => i,
            None => self.open(id, template, out),
        };
        self.last = Some(i);
        self.live.touch(i).expect("an indexed slot is live")
    }

    fn open(&mut self, id: &Id, template: &Session, out: &mut Vec<Record>) -> usize {
        if self.live.len() >= MAX_SESSIONS {
            self.close_least_active(template, out);
        }
        let part = id
            .as_ref()
            .and_then(|id| self.closed.get(id))
            .map_or(1, |p| p + 1);
        self.opened += 1;
        let live = Live {
            events: SessionEvents::default(),
            replay: Replay::new(self.cols, self.prompt.clone(), id.clone()),
            opened: self.opened,
            part,
        };
        self.live.insert(id.clone(), live)
    }

    /// The live session `id`, if it is live (records read are given back to it).
    pub fn find(&mut self, id: &Id) -> Option<&mut Replay> {
        let last = self
            .last
            .filter(|&i| self.live.get(i).is_some_and(|(held, _)| held == id));
        let i = match last {
            Some(i) => i,
            None => self.live.slot_of(id)?,
        };
        self.live.get_mut(i).map(|l| &mut l.replay)
    }

    /// How many sessions are live.
    pub fn live(&self) -> usize {
        self.live.len()
    }

    /// Whether no session was ever opened.
    pub fn never_opened(&self) -> bool {
        self.opened == 0
    }

    /// The input ended at `offset`: every live session is finished, in the order they were
    /// opened. `errors` gathers what finishing finds (a transcript cut short).
    pub fn finish(&mut self, offset: u64, template: &Session, out: &mut Vec<Record>) {
        let mut left: Vec<Live> = self.live.drain();
        left.sort_by_key(|l| l.opened);
        self.last = None;
        for live in left {
            self.finish_one(live, offset, false, template, out);
        }
    }

    fn close_least_active(&mut self, template: &Session, out: &mut Vec<Record>) {
        let Some((id, live)) = self.live.oldest().and_then(|i| self.live.remove(i)) else {
            return;
        };
        if let Some(id) = id {
            if self.closed.len() >= MAX_CLOSED_REMEMBERED
                && let Some(old) = self.closed_order.pop_front()
            {
                self.closed.remove(&old);
            }
            if self.closed.insert(id.clone(), live.part).is_none() {
                self.closed_order.push_back(id);
            }
        }
        let offset = live.replay.last_offset();
        self.finish_one(live, offset, true, template, out);
    }

    /// Finish one session: its last records, what finishing found wrong, its session
    /// record.
    fn finish_one(
        &self,
        mut live: Live,
        offset: u64,
        early: bool,
        template: &Session,
        out: &mut Vec<Record>,
    ) {
        let mut errors: Vec<Error> = Vec::new();
        let mut session = template.clone();
        let mut body = ReplayBody {
            replay: &mut live.replay,
            errors: &mut errors,
        };
        live.events.finish(offset, &mut body);
        live.events.describe(&mut session);
        live.replay.finish(offset, &mut session, out);
        for mut e in errors {
            if let Some(n) = &self.name
                && e.location().input.is_none()
            {
                e.set_input(n);
            }
            out.push(Record::Error((&e).into()));
        }
        session.closed_early = early;
        if early || live.part > 1 {
            session.part = Some(live.part);
        }
        out.push(Record::Session(Box::new(session)));
    }
}

impl Live {
    /// Read one CloudWatch event of this session into its replay; what is wrong with it goes
    /// to `errors`.
    pub fn event(&mut self, event: crate::source::aws::LogEvent, errors: &mut Vec<Error>) {
        let mut body = ReplayBody {
            replay: &mut self.replay,
            errors,
        };
        self.events.event(event, &mut body);
    }
}

/// The chunks a session's events are read into, on their way to its replay.
struct ReplayBody<'a> {
    replay: &'a mut Replay,
    errors: &'a mut Vec<Error>,
}

impl Body for ReplayBody<'_> {
    fn chunk(&mut self, chunk: Chunk<'_>) {
        self.replay.chunk(chunk);
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
    fn recorded_width(&mut self, cols: usize) {
        self.replay.set_width(cols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_max_closed_remembered_the_oldest_ids_are_forgotten() {
        let mut s = Sessions::new(None, None, None);
        let template = Session::default();
        let mut out = Vec::new();
        let id = |i: usize| Some(format!("s{i}"));
        // Every session opened past MAX_SESSIONS closes one early and remembers its id.
        let n = MAX_CLOSED_REMEMBERED + MAX_SESSIONS + 10;
        for i in 0..n {
            s.get(&id(i), &template, &mut out);
            assert!(s.closed.len() <= MAX_CLOSED_REMEMBERED);
            out.clear();
        }
        assert_eq!(s.closed.len(), MAX_CLOSED_REMEMBERED);
        assert_eq!(s.closed_order.len(), MAX_CLOSED_REMEMBERED);
        // The last one closed is remembered: its continuation is part 2. The first ones
        // closed are forgotten: theirs leaves its part out.
        let recent = n - MAX_SESSIONS - 1;
        for (i, part) in [(recent, Some(2)), (0, None), (9, None)] {
            let live = s.get(&id(i), &template, &mut out);
            let replay_part = live.part;
            out.clear();
            s.finish(0, &template, &mut out);
            let session = out.iter().rev().find_map(|r| match r {
                Record::Session(x) if x.session_id.as_ref() == id(i).as_ref() => Some(x),
                _ => None,
            });
            let session = session.unwrap_or_else(|| panic!("no session record for s{i}"));
            assert_eq!(session.part, part, "s{i} (part {replay_part})");
            out.clear();
        }
    }
}
