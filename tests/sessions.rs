//! Inputs that hold many sessions: records come out in one order fixed by the input, at every
//! chunking, and any number of sessions is read with nothing dropped.

use std::collections::BTreeMap;

use serde_json::Value;
use ttyscribe::{Config, MAX_SESSIONS, Record, Scribe, parse};

fn read(rel: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn chunked(input: &[u8], size: usize) -> Vec<Record> {
    let mut s = Scribe::new(Config::default());
    let mut out = Vec::new();
    for c in input.chunks(size) {
        out.extend(s.feed(c));
    }
    out.extend(s.finish());
    out
}

/// The streamed events of the three sessions in `corpus/aws/stream_*.jsonl`, one JSON line
/// each, dealt round-robin so that consecutive lines belong to different sessions, and ten
/// seconds apart so that each is read before the next arrives.
fn interleaved_json_lines() -> Vec<u8> {
    let streams: Vec<Vec<Value>> = ["zsh_plain", "bash_tab_unique", "dash_plain"]
        .iter()
        .map(|s| {
            read(&format!("corpus/aws/stream_{s}.jsonl"))
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| serde_json::from_slice(l).expect("an event"))
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    let mut t = 0;
    for i in 0..streams.iter().map(Vec::len).max().unwrap_or(0) {
        for s in &streams {
            if let Some(event) = s.get(i) {
                let mut e = event.clone();
                e["eventTime"] = format!("2024-10-15T21:{:02}:{:02}Z", t / 60, t % 60).into();
                t += 10;
                out.extend_from_slice(e.to_string().as_bytes());
                out.push(b'\n');
            }
        }
    }
    out
}

#[test]
fn interleaved_sessions_give_the_same_records_at_every_chunking() {
    let mut inputs = vec![
        (
            "interleaved json lines".to_owned(),
            interleaved_json_lines(),
        ),
        (
            "corpus/aws/fle3.json".to_owned(),
            read("corpus/aws/fle3.json"),
        ),
    ];
    for e in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/cloudwatch"))
        .expect("corpus/cloudwatch")
    {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            inputs.push((p.display().to_string(), std::fs::read(&p).expect("read")));
        }
    }
    let sizes = [
        1, 2, 3, 5, 7, 16, 61, 64, 100, 255, 256, 1000, 1021, 4095, 4096,
    ];
    for (name, input) in &inputs {
        let whole = parse(input, Config::default());
        let sessions = whole
            .iter()
            .filter(|r| matches!(r, Record::Session(_)))
            .count();
        assert!(sessions >= 2, "{name}: {sessions} sessions");
        for size in sizes {
            assert!(chunked(input, size) == whole, "{name} in chunks of {size}");
        }
    }
}

/// One streamed event line of session `id`, from the dash session's single event.
fn dash_event(template: &Value, id: &str) -> String {
    let mut v = template.clone();
    v["sessionId"] = Value::String(id.to_owned());
    v["userIdentity"]["arn"] = Value::String(format!("arn:aws:iam::123456789012:user/{id}"));
    v.to_string()
}

fn dash_template() -> Value {
    serde_json::from_slice(&read("corpus/aws/stream_dash_plain.jsonl")).expect("one JSON event")
}

/// Commands per session id, and the session records per session id.
type BySession<'a> = BTreeMap<String, (Vec<&'a str>, Vec<&'a ttyscribe::Session>)>;

fn by_session(records: &[Record]) -> BySession<'_> {
    let mut m: BySession = BTreeMap::new();
    for r in records {
        match r {
            Record::Command(c) => {
                let id = c.session_id.clone().expect("commands carry their session");
                m.entry(id).or_default().0.push(&c.command);
            }
            Record::Session(s) => {
                let id = s.session_id.clone().expect("sessions carry their id");
                m.entry(id).or_default().1.push(s);
            }
            Record::Error(e) => panic!("error record: {}", e.message),
            _ => {}
        }
    }
    m
}

#[test]
fn past_max_sessions_one_after_another_all_are_read() {
    let template = dash_template();
    let alone = parse(dash_event(&template, "one").as_bytes(), Config::default());
    let want = by_session(&alone)["one"].0.clone();
    assert!(want.len() >= 3, "{want:?}");
    let n = MAX_SESSIONS * 3;
    let mut input = String::new();
    for i in 0..n {
        input.push_str(&dash_event(&template, &format!("s{i:05}")));
        input.push('\n');
    }
    let records = parse(input.as_bytes(), Config::default());
    let m = by_session(&records);
    assert_eq!(m.len(), n);
    let mut early = 0;
    for (id, (commands, sessions)) in &m {
        assert_eq!(commands, &want, "{id}");
        let [s] = sessions.as_slice() else {
            panic!("{id}: {} session records", sessions.len())
        };
        assert_eq!(s.commands, want.len(), "{id}");
        if s.closed_early {
            early += 1;
            assert_eq!(s.part, Some(1), "{id}");
        } else {
            assert_eq!(s.part, None, "{id}");
        }
    }
    // All but the last MAX_SESSIONS were finished to make room, each once.
    assert_eq!(early, n - MAX_SESSIONS);
}

#[test]
fn a_session_finished_early_continues_as_its_next_part() {
    let template = dash_template();
    let lines: Vec<Value> = template["sessionData"]
        .as_array()
        .expect("sessionData")
        .clone();
    let (first, second) = lines.split_at(lines.len() / 2);
    let n = MAX_SESSIONS + 10;
    let mut input = String::new();
    for half in [first, second] {
        for i in 0..n {
            let mut v = template.clone();
            v["sessionData"] = Value::Array(half.to_vec());
            let e = dash_event(&v, &format!("s{i:05}"));
            input.push_str(&e);
            input.push('\n');
        }
    }
    let records = parse(input.as_bytes(), Config::default());
    let m = by_session(&records);
    assert_eq!(m.len(), n);
    let mut continued = 0;
    for (id, (commands, sessions)) in &m {
        assert!(!commands.is_empty(), "{id}");
        let parts: Vec<(Option<u32>, bool)> =
            sessions.iter().map(|s| (s.part, s.closed_early)).collect();
        match parts.as_slice() {
            [(None, false)] => {}
            // A continuation may itself be pushed out again by the sessions after it.
            [(Some(1), true), (Some(2), _)] => continued += 1,
            other => panic!("{id}: parts {other:?}"),
        }
    }
    // Each session's first half was pushed out by the sessions opened after it, save the
    // last MAX_SESSIONS - 10 of them, which were still live when their second half came.
    assert!(continued >= 10, "{continued} continued");
}

/// A `filter-log-events` document of `n` sessions, pretty-printed as the AWS CLI writes it,
/// and the same events as JSON Lines.
fn fleet(n: usize) -> (String, String) {
    let template = dash_template();
    let mut events = Vec::new();
    let mut lines = String::new();
    for i in 0..n {
        let id = format!("fleet{i:06}");
        let message = dash_event(&template, &id);
        lines.push_str(&message);
        lines.push('\n');
        events.push(serde_json::json!({
            "logStreamName": id,
            "timestamp": 1_729_027_326_000i64 + i as i64,
            "message": message,
            "ingestionTime": 1_729_027_327_000i64 + i as i64,
            "eventId": i.to_string(),
        }));
    }
    let doc = serde_json::json!({"events": events, "searchedLogStreams": []});
    let doc = serde_json::to_string_pretty(&doc).expect("serializable");
    (doc, lines)
}

fn commands_by_session(records: &[Record]) -> Vec<(String, Vec<String>)> {
    by_session(records)
        .into_iter()
        .map(|(id, (c, _))| (id, c.into_iter().map(str::to_owned).collect()))
        .collect()
}

#[test]
fn past_spread_bytes_a_document_is_read_element_by_element() {
    let (doc, lines) = fleet(4000);
    assert!(doc.len() > 2 << 20, "{} bytes", doc.len());
    let whole = parse(doc.as_bytes(), Config::default());
    assert_eq!(
        commands_by_session(&whole),
        commands_by_session(&parse(lines.as_bytes(), Config::default()))
    );
    assert_eq!(
        whole
            .iter()
            .filter(|r| matches!(r, Record::Session(_)))
            .count(),
        4000
    );
    for size in [1000, 4096, 65_536, 1 << 20] {
        assert!(chunked(doc.as_bytes(), size) == whole, "chunks of {size}");
    }
    // Cut off inside the list: the events before the cut are read, and the cut is reported.
    let cut = &doc.as_bytes()[..doc.len() * 3 / 4];
    let records = parse(cut, Config::default());
    let errors: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some(e.message.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("cut off"), "{errors:?}");
    let read = records
        .iter()
        .filter(|r| matches!(r, Record::Session(_)))
        .count();
    assert!((2900..=3000).contains(&read), "{read} sessions read");
}
