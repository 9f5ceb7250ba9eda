//! Putting a stream of CloudWatch events back in time order, in bounded memory.
//!
//! Most shapes arrive in time order (a stream, `get-log-events`, `filter-log-events`); a Logs
//! Insights export comes newest first; an export to S3 is "not guaranteed" sorted inside a
//! chunk; the agent may re-send a batch. Per session:
//!
//! - while events come in time order they are released as soon as they are
//!   [`WINDOW_MS`] older than the newest one seen (or the buffer holds [`MAX_HELD`]), so
//!   `aws logs tail --follow` output still flows, and a small disorder is mended;
//! - once a session's events are seen going back in time (newest first), they are all held
//!   until the input ends (at most [`MAX_HELD`]; past that the oldest go out, and the
//!   caller is told);
//! - an event with the same timestamp and data as one released in the window is a re-send
//!   and is dropped.
//!
//! Events without a timestamp go out at once, in input order.

use std::collections::{HashMap, VecDeque};

use super::aws::LogEvent;

/// How long an event waits for earlier ones that might still come (ms).
pub const WINDOW_MS: i64 = 2_000;

/// Events one session may hold back (a Logs Insights export holds at most 10,000 rows).
pub const MAX_HELD: usize = 16_384;

/// Recently released events remembered to drop re-sends.
const RECENT: usize = 64;

#[derive(Default, Debug)]
struct Session {
    /// Events held back: timestamp, arrival number, digest of the data, event.
    held: Vec<(i64, u64, u64, LogEvent)>,
    newest: Option<i64>,
    first: Option<i64>,
    backwards: bool,
    recent: VecDeque<(i64, u64)>,
}

/// The reorder buffer of one input.
#[derive(Default, Debug)]
pub struct Reorder {
    sessions: HashMap<Option<String>, Session>,
    seq: u64,
    /// Events dropped as re-sent duplicates.
    pub duplicates: u64,
    /// Events released early because a session held [`MAX_HELD`].
    pub overflowed: u64,
}

impl Reorder {
    /// Take an event; events ready to be read go to `out`, in order.
    pub fn push(&mut self, event: LogEvent, out: &mut impl FnMut(LogEvent)) {
        let Some(ts) = event.timestamp_ms else {
            return out(event);
        };
        self.seq += 1;
        let seq = self.seq;
        // Looked up before inserting: the key is cloned once per session, not per event.
        if !self.sessions.contains_key(&event.session_id) {
            self.sessions
                .insert(event.session_id.clone(), Session::default());
        }
        let Some(s) = self.sessions.get_mut(&event.session_id) else {
            return out(event); // not reached: the session was just inserted
        };
        let d = event.data.digest();
        if s.recent.contains(&(ts, d))
            || s.held
                .iter()
                .any(|(t, _, _, e)| *t == ts && e.data == event.data)
        {
            self.duplicates += 1;
            return;
        }
        match s.first {
            None => s.first = Some(ts),
            Some(f) if ts < f && s.newest == Some(f) && !s.backwards => s.backwards = true,
            _ => {}
        }
        s.newest = Some(s.newest.map_or(ts, |n| n.max(ts)));
        s.held.push((ts, seq, d, event));
        let newest = s.newest.unwrap_or(ts);
        let limit = if s.backwards {
            None
        } else {
            Some(newest - WINDOW_MS)
        };
        let over = s.held.len() > MAX_HELD;
        if over && s.backwards {
            self.overflowed += 1;
        }
        Self::release(s, limit, over, out);
    }

    fn release(
        s: &mut Session,
        limit: Option<i64>,
        one_more: bool,
        out: &mut impl FnMut(LogEvent),
    ) {
        s.held.sort_by_key(|&(t, q, _, _)| (t, q));
        let n = match limit {
            Some(l) => s.held.iter().take_while(|(t, _, _, _)| *t <= l).count(),
            None => 0,
        };
        let n = if one_more { n.max(1) } else { n };
        for (t, _, d, e) in s.held.drain(..n) {
            if s.recent.len() == RECENT {
                s.recent.pop_front();
            }
            s.recent.push_back((t, d));
            out(e);
        }
    }

    /// The input ended: everything held goes out, session by session in time order of
    /// their first events.
    pub fn finish(&mut self, out: &mut impl FnMut(LogEvent)) {
        let mut sessions: Vec<_> = self.sessions.drain().collect();
        sessions.sort_by_key(|(_, s)| s.held.iter().map(|(t, q, _, _)| (*t, *q)).min());
        for (_, mut s) in sessions {
            let len = s.held.len();
            Self::release(&mut s, Some(i64::MAX), len > 0, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::source::aws::EventData;

    fn ev(ts: i64, line: &str) -> LogEvent {
        LogEvent {
            session_id: Some("s".into()),
            timestamp_ms: Some(ts),
            ..LogEvent::new(EventData::Lines(vec![line.to_owned()]), Location::default())
        }
    }

    fn run(events: Vec<LogEvent>) -> Vec<String> {
        let mut r = Reorder::default();
        let mut got = Vec::new();
        let mut take = |e: LogEvent| {
            if let EventData::Lines(l) = e.data {
                got.push(l.join(""));
            }
        };
        for e in events {
            r.push(e, &mut take);
        }
        r.finish(&mut take);
        got
    }

    #[test]
    fn newest_first_is_reversed_and_resends_dropped() {
        let got = run(vec![
            ev(5000, "c"),
            ev(3000, "b"),
            ev(1000, "a"),
            ev(3000, "b"),
        ]);
        assert_eq!(got, ["a", "b", "c"]);
    }

    #[test]
    fn small_disorder_is_mended_and_streams_flow() {
        let mut r = Reorder::default();
        let mut got = Vec::new();
        for e in [ev(1000, "a"), ev(3000, "c"), ev(2500, "b"), ev(9000, "d")] {
            r.push(e, &mut |e: LogEvent| got.push(e.timestamp_ms.unwrap()));
        }
        // Released before the end: the three more than 2 s older than the newest.
        assert_eq!(got, [1000, 2500, 3000]);
    }
}
