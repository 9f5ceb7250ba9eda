//! Putting a stream of CloudWatch events back in time order, in bounded memory: the one
//! orderer every CloudWatch input goes through.
//!
//! Most shapes arrive in time order (a stream, `get-log-events`, `filter-log-events`); a Logs
//! Insights export comes newest first; an export to S3 is "not guaranteed" sorted inside a
//! chunk; the agent may re-send a batch. Per session:
//!
//! - while events come in time order they are released as soon as they are [`WINDOW_MS`]
//!   older than the newest one seen, so `aws logs tail --follow` output still flows and a
//!   small disorder is mended;
//! - once a session's events are seen going back in time (its second event is older than its
//!   first), they are all held until the input ends;
//! - an event with the same timestamp and data as one held, or as one of the last
//!   [`RECENT_EVENTS`](crate::limits::RECENT_EVENTS) released, is a re-send and is dropped (two genuinely identical outputs in the
//!   same millisecond, chunks of `yes` say, cannot be told from a re-send and merge too);
//! - an event without a timestamp keeps its place after the session's event before it, and
//!   is never taken for a re-send.
//!
//! Ties in time keep input order: the agent's `eventTime` has whole seconds and several
//! events share one.
//!
//! Memory: a session holds at most [`MAX_HELD`] events; all sessions together at most
//! [`MAX_HELD_BYTES`] of event data, and at most [`MAX_SESSIONS`] sessions are tracked. Past
//! the byte or session cap the least recently active session is released whole and forgotten
//! (its next events are ordered afresh); past `MAX_HELD` a session's oldest event goes out.
//! Either may put events out of order in a pathological input, and a newest-first session
//! that overflows is reported ([`Orderer::take_overflow`]).
//!
//! Cost: `O(log n)` per event (a B-tree of held events per session, a hash index of their
//! digests, the sessions in order of last use as a list threaded through their slots).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use super::aws::{EventData, LogEvent};
use crate::error::Location;
use crate::limits::{MAX_HELD, MAX_HELD_BYTES, MAX_SESSIONS, RECENT_EVENTS as RECENT};
use crate::lru::Sessions as Slab;

/// How long an event waits for earlier ones that might still come (ms).
pub const WINDOW_MS: i64 = 2_000;

/// Key of a held event: its time (or the time of the event before it), then arrival.
type Key = (i64, u64);

#[derive(Debug)]
struct Held {
    digest: Option<u64>,
    bytes: usize,
    event: LogEvent,
}

#[derive(Debug, Default)]
struct Session {
    held: BTreeMap<Key, Held>,
    /// Arrival numbers of held timed events by (time, digest): the duplicate check's index.
    index: HashMap<(i64, u64), Vec<u64>, BuildHasherDefault<DigestHasher>>,
    /// Time of the last event pushed (what an untimed event sorts after).
    last: Option<i64>,
    newest: Option<i64>,
    first: Option<i64>,
    backwards: bool,
    /// (time, digest) of the last [`RECENT`] timed events released.
    recent: VecDeque<(i64, u64)>,
}

/// Hashes the (time, digest) keys of the duplicate index. The digest is already a keyed hash
/// of the event (SipHash with per-process random keys), so mixing it with the time is enough:
/// input cannot be crafted to collide.
#[derive(Default)]
struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(26) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

/// The event orderer of one input.
///
/// ```
/// use ttyscribe::error::Location;
/// use ttyscribe::source::aws::{EventData, LogEvent};
/// use ttyscribe::source::order::Orderer;
///
/// let ev = |ms, line: &str| {
///     let mut e = LogEvent::new(EventData::Lines(vec![line.into()]), Location::default());
///     e.timestamp_ms = Some(ms);
///     e
/// };
/// let mut orderer = Orderer::default();
/// let mut got = Vec::new();
/// for e in [ev(3000, "c"), ev(2000, "b"), ev(1000, "a"), ev(2000, "b")] {
///     orderer.push(e, &mut |e| got.push(e.timestamp_ms));
/// }
/// orderer.finish(&mut |e| got.push(e.timestamp_ms));
/// assert_eq!(got, [Some(1000), Some(2000), Some(3000)]);
/// assert_eq!(orderer.duplicates, 1);
/// ```
#[derive(Debug, Default)]
pub struct Orderer {
    /// The sessions tracked: a session keeps its slot while it is.
    sessions: Slab<Session>,
    seq: u64,
    held_bytes: usize,
    /// Events dropped as re-sent duplicates.
    pub duplicates: u64,
    /// Events released early because a newest-first session held [`MAX_HELD`].
    pub overflowed: u64,
    /// Sessions released whole and forgotten under the session or byte cap.
    pub evicted: u64,
    overflow_at: Option<Location>,
}

impl Orderer {
    /// Take an event; events ready to be read go to `out`, in order.
    pub fn push(&mut self, event: LogEvent, out: &mut impl FnMut(LogEvent)) {
        self.seq += 1;
        let seq = self.seq;
        let i = match self.sessions.slot_of(&event.session_id) {
            Some(i) => i,
            None => self.track(&event.session_id, out),
        };
        let Some(s) = self.sessions.touch(i) else {
            return out(event); // not reached: an indexed slot holds its session
        };
        let bytes = size_of(&event);
        let digest = event.timestamp_ms.map(|_| event.data.digest());
        if let (Some(ts), Some(d)) = (event.timestamp_ms, digest)
            && s.is_resend(ts, d, &event.data)
        {
            self.duplicates += 1;
            return;
        }
        let location = event.location.clone();
        let key = s.key(event.timestamp_ms, seq);
        if let Some(d) = digest {
            s.index.entry((key.0, d)).or_default().push(seq);
        }
        s.held.insert(
            key,
            Held {
                digest,
                bytes,
                event,
            },
        );
        self.held_bytes += bytes;
        let limit = if s.backwards {
            None
        } else {
            Some(s.newest.map_or(i64::MAX, |n| n.saturating_sub(WINDOW_MS)))
        };
        if s.held.len() > MAX_HELD {
            if s.backwards {
                // Reported once for the input: `take_overflow` is asked after every event,
                // and each event past the cap would otherwise be an error record of its own.
                if self.overflowed == 0 {
                    self.overflow_at = Some(location);
                }
                self.overflowed += 1;
            }
            self.held_bytes -= s.release_oldest(out);
        }
        if let Some(limit) = limit {
            self.held_bytes -= s.release_upto(limit, out);
        }
        while self.held_bytes > MAX_HELD_BYTES && self.evict_least_active(out) {}
    }

    /// The first event that had to be released early out of a newest-first session, once:
    /// the caller reports it.
    pub fn take_overflow(&mut self) -> Option<Location> {
        self.overflow_at.take()
    }

    /// The input ended: everything held goes out, session by session in time order of
    /// their first held events.
    pub fn finish(&mut self, out: &mut impl FnMut(LogEvent)) {
        let mut sessions: Vec<Session> = self.sessions.drain();
        sessions.sort_by_key(|s| s.held.keys().next().copied());
        for mut s in sessions {
            self.held_bytes -= s.release_upto(i64::MAX, out);
        }
    }

    /// Start tracking session `id`, first forgetting the least active one if the cap is
    /// reached; returns its slot.
    fn track(&mut self, id: &Option<String>, out: &mut impl FnMut(LogEvent)) -> usize {
        if self.sessions.len() >= MAX_SESSIONS {
            self.evict_least_active(out);
        }
        self.sessions.insert(id.clone(), Session::default())
    }

    /// Release the least recently active session whole and forget it; false when only one
    /// session is left (its oldest event goes out instead, so the byte cap always holds).
    fn evict_least_active(&mut self, out: &mut impl FnMut(LogEvent)) -> bool {
        let Some(i) = self.sessions.oldest() else {
            return false;
        };
        if self.sessions.len() <= 1 {
            let Some(s) = self.sessions.get_mut(i) else {
                return false;
            };
            let freed = s.release_oldest(out);
            self.held_bytes -= freed;
            return freed > 0;
        }
        // The one pushed last is the most recent, so it is never the one forgotten.
        let Some((_, mut s)) = self.sessions.remove(i) else {
            return false;
        };
        self.evicted += 1;
        self.held_bytes -= s.release_upto(i64::MAX, out);
        true
    }
}

impl Session {
    fn is_resend(&self, ts: i64, digest: u64, data: &EventData) -> bool {
        if self.recent.contains(&(ts, digest)) {
            return true;
        }
        let Some(seqs) = self.index.get(&(ts, digest)) else {
            return false;
        };
        seqs.iter().any(|&q| {
            self.held
                .get(&(ts, q))
                .is_some_and(|h| h.event.data == *data)
        })
    }

    /// The key of the next event, and what it teaches about the session's direction.
    fn key(&mut self, ts: Option<i64>, seq: u64) -> Key {
        let Some(ts) = ts else {
            return (self.last.unwrap_or(i64::MIN), seq);
        };
        match self.first {
            None => self.first = Some(ts),
            Some(f) if ts < f && self.newest == Some(f) && !self.backwards => self.backwards = true,
            _ => {}
        }
        self.newest = Some(self.newest.map_or(ts, |n| n.max(ts)));
        self.last = Some(ts);
        (ts, seq)
    }

    /// Release held events up to time `limit`; returns the bytes freed.
    fn release_upto(&mut self, limit: i64, out: &mut impl FnMut(LogEvent)) -> usize {
        let mut freed = 0;
        while self
            .held
            .first_key_value()
            .is_some_and(|(k, _)| k.0 <= limit)
        {
            freed += self.release_oldest(out);
        }
        freed
    }

    /// Release the oldest held event, if any; returns the bytes freed.
    fn release_oldest(&mut self, out: &mut impl FnMut(LogEvent)) -> usize {
        let Some(((ts, seq), held)) = self.held.pop_first() else {
            return 0;
        };
        if let Some(d) = held.digest {
            if let Some(seqs) = self.index.get_mut(&(ts, d)) {
                seqs.retain(|&q| q != seq);
                if seqs.is_empty() {
                    self.index.remove(&(ts, d));
                }
            }
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back((ts, d));
        }
        out(held.event);
        held.bytes
    }
}

/// Bytes an event holds, near enough for a cap.
fn size_of(e: &LogEvent) -> usize {
    let data = match &e.data {
        EventData::Lines(lines) => lines.iter().map(|l| l.len() + 24).sum(),
        EventData::Text(t) => t.len(),
    };
    let meta = [&e.session_id, &e.region, &e.target, &e.owner_arn, &e.run_as]
        .iter()
        .map(|s| s.as_ref().map_or(0, String::len))
        .sum::<usize>();
    std::mem::size_of::<LogEvent>() + data + meta
}

/// Order a whole list of events the way the streaming [`Orderer`] does; returns how many
/// re-sent duplicates were dropped.
pub fn order(events: &mut Vec<LogEvent>) -> u64 {
    let mut orderer = Orderer::default();
    let mut out = Vec::with_capacity(events.len());
    for e in events.drain(..) {
        orderer.push(e, &mut |e| out.push(e));
    }
    orderer.finish(&mut |e| out.push(e));
    *events = out;
    orderer.duplicates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(sid: &str, ts: Option<i64>, line: &str) -> LogEvent {
        LogEvent {
            session_id: Some(sid.into()),
            timestamp_ms: ts,
            ..LogEvent::new(EventData::Lines(vec![line.to_owned()]), Location::default())
        }
    }

    fn lines(events: &[LogEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| match &e.data {
                EventData::Lines(l) => l.join(""),
                EventData::Text(t) => t.clone(),
            })
            .collect()
    }

    #[test]
    fn newest_first_is_reversed_and_resends_dropped() {
        let mut v = vec![
            ev("s", Some(5000), "c"),
            ev("s", Some(3000), "b"),
            ev("s", Some(1000), "a"),
            ev("s", Some(3000), "b"),
        ];
        assert_eq!(order(&mut v), 1);
        assert_eq!(lines(&v), ["a", "b", "c"]);
    }

    #[test]
    fn small_disorder_is_mended_and_streams_flow() {
        let mut r = Orderer::default();
        let mut got = Vec::new();
        for e in [
            ev("s", Some(1000), "a"),
            ev("s", Some(3000), "c"),
            ev("s", Some(2500), "b"),
            ev("s", Some(9000), "d"),
        ] {
            r.push(e, &mut |e: LogEvent| got.push(e.timestamp_ms.unwrap_or(0)));
        }
        // Released before the end: the three more than 2 s older than the newest.
        assert_eq!(got, [1000, 2500, 3000]);
    }

    #[test]
    fn untimed_events_keep_their_place_and_are_never_resends() {
        let mut v = vec![
            ev("b", Some(5), "b5"),
            ev("a", Some(3), "a3"),
            ev("b", Some(1), "b1"),
            ev("a", Some(3), "a3-second"),
            ev("a", Some(1), "a1"),
            ev("a", None, "a-untimed"),
            ev("a", Some(3), "a3"),
            ev("b", None, "b-untimed"),
            ev("b", None, "b-untimed"),
        ];
        assert_eq!(order(&mut v), 1);
        let of = |sid: &str| {
            let mine: Vec<LogEvent> = v
                .iter()
                .filter(|e| e.session_id.as_deref() == Some(sid))
                .cloned()
                .collect();
            lines(&mine)
        };
        assert_eq!(of("a"), ["a1", "a-untimed", "a3", "a3-second"]);
        assert_eq!(of("b"), ["b1", "b-untimed", "b-untimed", "b5"]);
    }

    #[test]
    fn past_max_held_newest_first_events_stay_within_the_cap() {
        let mut r = Orderer::default();
        let n = MAX_HELD as i64 * 4;
        let mut got = 0u64;
        let mut last = i64::MIN;
        let mut sorted_tail = true;
        let line = EventData::Lines(vec!["x".into()]);
        for i in 0..n {
            let e = LogEvent {
                timestamp_ms: Some(n - i),
                ..LogEvent::new(line.clone(), Location::default())
            };
            r.push(e, &mut |_| got += 1);
            assert!(r.sessions.values().all(|s| s.held.len() <= MAX_HELD));
        }
        r.finish(&mut |e| {
            got += 1;
            let t = e.timestamp_ms.unwrap_or(0);
            sorted_tail &= t >= last;
            last = t;
        });
        assert_eq!(got, n as u64);
        assert!(sorted_tail, "what was held comes out in time order");
        assert_eq!(r.overflowed, (n as usize - MAX_HELD) as u64);
        assert!(r.take_overflow().is_some() && r.take_overflow().is_none());
    }

    #[test]
    fn past_max_sessions_the_orderer_releases_sessions_whole_not_dropped() {
        let mut r = Orderer::default();
        let mut got = 0usize;
        let n = MAX_SESSIONS * 3;
        for i in 0..n {
            r.push(ev(&format!("s{i}"), Some(1), "x"), &mut |_| got += 1);
            assert!(r.sessions.len() <= MAX_SESSIONS);
        }
        // Each event waits in its window until its session is forgotten or the input ends.
        assert_eq!(got, n - MAX_SESSIONS);
        r.finish(&mut |_| got += 1);
        assert_eq!(got, n);
        assert_eq!(r.evicted as usize, n - MAX_SESSIONS);
    }

    #[test]
    fn past_max_held_bytes_sessions_are_released_whole() {
        let mut r = Orderer::default();
        let big = "y".repeat(1 << 20);
        let mut got = 0usize;
        // Newest first, so everything would be held to the end.
        let n = MAX_HELD_BYTES / (1 << 20) * 2;
        for i in 0..n {
            let e = ev(&format!("s{}", i % 3), Some((n - i) as i64), &big);
            r.push(e, &mut |_| got += 1);
            assert!(r.held_bytes <= MAX_HELD_BYTES, "{} held", r.held_bytes);
        }
        r.finish(&mut |_| got += 1);
        assert_eq!(got, n);
        assert_eq!(r.held_bytes, 0);
    }
}
