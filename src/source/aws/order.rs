//! Putting events in session order.

use std::collections::HashMap;

use super::LogEvent;

/// Sort `events` into the order their sessions produced them and drop re-sent duplicates;
/// returns how many duplicates were dropped.
///
/// - Sessions (by `session_id`; events without one form one group) come in the order of their
///   first event in the input; every session's events are then contiguous.
/// - Within a session, events are sorted by `timestamp_ms`, stably, so input order breaks
///   ties (the agent's `eventTime` has whole seconds and up to four events share one). An event
///   without a timestamp keeps its place after the event before it.
/// - An event with the same session, timestamp and data as an earlier one is dropped: the
///   agent re-sends a whole batch after a sequence-token error, and overlapping exports or
///   pages repeat events. Events without a timestamp are never dropped. (Two genuinely
///   identical outputs in the same millisecond, e.g. chunks of `yes`, are indistinguishable
///   from a re-send and are merged too.)
pub fn order(events: &mut Vec<LogEvent>) -> usize {
    let mut groups: Vec<Vec<LogEvent>> = Vec::new();
    let mut index: HashMap<Option<String>, usize> = HashMap::new();
    for e in events.drain(..) {
        let g = *index.entry(e.session_id.clone()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(e);
    }
    let mut dropped = 0;
    for group in groups {
        let mut key = i64::MIN;
        let mut keyed: Vec<(i64, LogEvent)> = group
            .into_iter()
            .map(|e| {
                key = e.timestamp_ms.unwrap_or(key);
                (key, e)
            })
            .collect();
        keyed.sort_by_key(|(k, _)| *k);
        let mut seen: HashMap<(i64, u64), Vec<usize>> = HashMap::new();
        let first = events.len();
        for (_, e) in keyed {
            if let Some(ts) = e.timestamp_ms {
                let same = seen.entry((ts, e.data.digest())).or_default();
                if same.iter().any(|&i| events[i].data == e.data) {
                    dropped += 1;
                    continue;
                }
                same.push(events.len());
            }
            events.push(e);
        }
        debug_assert!(events.len() >= first);
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use crate::source::aws::EventData;

    fn ev(sid: &str, ts: Option<i64>, line: &str) -> LogEvent {
        LogEvent {
            session_id: Some(sid.into()),
            timestamp_ms: ts,
            ..LogEvent::new(EventData::Lines(vec![line.into()]), Location::default())
        }
    }

    #[test]
    fn sorts_groups_and_dedupes() {
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
        let got: Vec<String> = v
            .iter()
            .map(|e| match &e.data {
                EventData::Lines(l) => l[0].clone(),
                EventData::Text(t) => t.clone(),
            })
            .collect();
        assert_eq!(
            got,
            [
                "b1",
                "b-untimed",
                "b-untimed",
                "b5",
                "a1",
                "a-untimed",
                "a3",
                "a3-second"
            ]
        );
    }
}
