//! From decoded JSON values to [`LogEvent`]s: what each object is, by the keys it has.

use std::io::Read;

use base64::Engine;
use serde_json::{Map, Value};

use super::{EventData, LogEvent, MAX_PAYLOAD_BYTES, Sink, time};
use crate::error::Location;
use crate::limits::MAX_PAYLOAD_DEPTH;

/// Error format name for JSON shapes.
pub(super) const JSON: &str = "CloudWatch Logs JSON";
const SUBSCRIPTION: &str = "CloudWatch Logs subscription";

/// Keys whose array holds the events of a wrapper: `get-log-events` / `filter-log-events`,
/// a decoded subscription record, `get-query-results`.
pub(super) const LIST_KEYS: [&str; 3] = ["events", "logEvents", "results"];

/// Which list an element came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum List {
    /// `events` / `logEvents`: `{"timestamp","message","logStreamName"?}`.
    Events,
    /// `results`: `[{"field","value"}]` rows.
    Results,
}

impl List {
    pub(super) fn of_key(key: &str) -> Option<List> {
        match key {
            "events" | "logEvents" => Some(List::Events),
            "results" => Some(List::Results),
            _ => None,
        }
    }
}

/// What the object around a list says about its elements.
#[derive(Debug, Default, Clone)]
pub(super) struct Parent {
    /// `logStream` of a subscription record.
    pub stream: Option<String>,
    /// A `CONTROL_MESSAGE`: nothing to read.
    pub skip: bool,
}

/// The parent facts of an object (its own fields, lists left out).
pub(super) fn parent(m: &Map<String, Value>) -> Parent {
    Parent {
        stream: str_field(m, "logStream").or_else(|| str_field(m, "logStreamName")),
        skip: m.get("messageType").and_then(Value::as_str) == Some("CONTROL_MESSAGE"),
    }
}

/// Any top-level JSON value (or element of a top-level array).
pub(super) fn item(v: Value, loc: &Location, sink: &mut Sink, depth: u8) {
    match v {
        Value::Object(m) => object(m, loc, sink, depth),
        Value::Array(a) => {
            for v in a {
                item(v, loc, sink, depth);
            }
        }
        other => sink.not_an_event(
            loc.clone(),
            format!("expected a JSON object, found {}", kind(&other)),
        ),
    }
}

/// A whole JSON object, lists included.
pub(super) fn object(mut m: Map<String, Value>, loc: &Location, sink: &mut Sink, depth: u8) {
    if let Some(data) = m.get("awslogs").and_then(|a| a.get("data")) {
        return payload(data, loc, sink, depth);
    }
    let p = parent(&m);
    if p.skip {
        return;
    }
    for key in LIST_KEYS {
        if let Some(Value::Array(_)) = m.get(key) {
            let Some(Value::Array(items)) = m.remove(key) else {
                unreachable!()
            };
            let list = List::of_key(key).expect("a list key");
            for v in items {
                list_item(list, v, &p, loc, sink);
            }
            return;
        }
    }
    single(m, None, loc, sink)
}

/// One element of a wrapper's list.
pub(super) fn list_item(list: List, v: Value, p: &Parent, loc: &Location, sink: &mut Sink) {
    match (list, v) {
        (List::Events, Value::Object(m)) => single(m, p.stream.clone(), loc, sink),
        (List::Results, Value::Array(fields)) => {
            let mut row = Map::new();
            for f in fields {
                if let (Some(Value::String(name)), Some(value)) = (f.get("field"), f.get("value")) {
                    row.insert(name.clone(), value.clone());
                }
            }
            single(row, p.stream.clone(), loc, sink)
        }
        (List::Results, Value::Object(m)) => single(m, p.stream.clone(), loc, sink),
        (_, other) => sink.malformed(
            loc.clone(),
            JSON,
            format!(
                "expected an event object in the list, found {}",
                kind(&other)
            ),
        ),
    }
}

/// An object that is one event: a streamed event itself, a wrapper event (`message`), or an
/// Insights row (`@message`). `stream` is the log stream named by the parent.
fn single(m: Map<String, Value>, stream: Option<String>, loc: &Location, sink: &mut Sink) {
    if is_streamed(&m) {
        let ev = streamed(&m, stream, None, loc);
        return sink.event(ev);
    }
    let (message, ts, stream) = if let Some(msg) = m.get("@message") {
        let stream = str_field(&m, "@logStream").or(stream);
        (msg, m.get("@timestamp"), stream)
    } else if let Some(msg) = m.get("message") {
        let stream = str_field(&m, "logStreamName")
            .or_else(|| str_field(&m, "logStream"))
            .or(stream);
        (msg, m.get("timestamp"), stream)
    } else {
        let keys: Vec<&str> = m.keys().map(String::as_str).take(8).collect();
        return sink.not_an_event(
            loc.clone(),
            format!(
                "a JSON object with neither sessionData, message nor @message (keys: {})",
                keys.join(", ")
            ),
        );
    };
    let ts = ts.and_then(time::from_value);
    match message {
        Value::String(s) => message_event(s, stream, ts, loc, sink),
        Value::Object(e) if is_streamed(e) => sink.event(streamed(e, stream, ts, loc)),
        other => sink.malformed(
            loc.clone(),
            JSON,
            format!("`message` is {}, not a string", kind(other)),
        ),
    }
}

/// A wrapper's `message` text: an event JSON gives its lines, anything else is a plain-text
/// event.
pub(super) fn message_event(
    message: &str,
    stream: Option<String>,
    ts: Option<i64>,
    loc: &Location,
    sink: &mut Sink,
) {
    let trimmed = message.trim_start();
    if trimmed.starts_with('{') {
        match serde_json::from_str::<Value>(message) {
            Ok(Value::Object(e)) if is_streamed(&e) => {
                return sink.event(streamed(&e, stream, ts, loc));
            }
            Ok(_) => {}
            Err(err) if looks_streamed(trimmed) => {
                return sink.malformed(
                    loc.clone(),
                    JSON,
                    format!("the message is a broken event JSON: {err}"),
                );
            }
            Err(_) => {}
        }
    }
    sink.event(LogEvent {
        session_id: stream,
        timestamp_ms: ts,
        ..LogEvent::new(EventData::Text(message.to_owned()), loc.clone())
    })
}

/// A message that starts like the agent's event JSON.
fn looks_streamed(s: &str) -> bool {
    let rest = s[1..].trim_start();
    rest.starts_with("\"eventVersion\"") || s.contains("\"sessionData\"")
}

/// Whether an object is one of the agent's streamed events.
fn is_streamed(m: &Map<String, Value>) -> bool {
    m.contains_key("sessionData") || m.contains_key("eventVersion")
}

/// A streamed event object as a [`LogEvent`].
fn streamed(
    m: &Map<String, Value>,
    stream: Option<String>,
    ts: Option<i64>,
    loc: &Location,
) -> LogEvent {
    let event_time = str_field(m, "eventTime")
        .as_deref()
        .and_then(crate::Timestamp::parse);
    let lines = match m.get("sessionData") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            })
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    LogEvent {
        session_id: str_field(m, "sessionId").or(stream),
        timestamp_ms: ts.or_else(|| event_time.map(crate::Timestamp::as_millis)),
        event_time,
        region: str_field(m, "awsRegion"),
        target: id_field(m.get("target"), "id"),
        owner_arn: id_field(m.get("userIdentity"), "arn"),
        run_as: str_field(m, "runAsUser"),
        data: EventData::Lines(lines),
        location: loc.clone(),
    }
}

/// A subscription record's `awslogs.data`: base64 of gzip of a JSON record.
fn payload(data: &Value, loc: &Location, sink: &mut Sink, depth: u8) {
    // A payload that is no string is reported as such, however deep.
    if depth >= MAX_PAYLOAD_DEPTH && data.is_string() {
        return sink.malformed(
            loc.clone(),
            SUBSCRIPTION,
            "subscription records nested too deep".into(),
        );
    }
    let json = match decode_payload(data) {
        Ok(json) => json,
        Err(message) => return sink.malformed(loc.clone(), SUBSCRIPTION, message),
    };
    let mut any = false;
    for v in serde_json::Deserializer::from_slice(&json).into_iter::<Value>() {
        let message = match v {
            Ok(Value::Object(m)) => {
                any = true;
                object(m, loc, sink, depth + 1);
                continue;
            }
            Ok(other) => format!("the decoded payload is {}, not an object", kind(&other)),
            Err(e) => format!("the decoded payload is not JSON: {e}"),
        };
        return sink.malformed(loc.clone(), SUBSCRIPTION, message);
    }
    if !any {
        sink.malformed(
            loc.clone(),
            SUBSCRIPTION,
            "the decoded payload is empty".into(),
        );
    }
}

/// The JSON bytes an `awslogs.data` string holds: base64 (line breaks allowed), then gzip
/// (or not), at most [`MAX_PAYLOAD_BYTES`]; or what is wrong with it.
fn decode_payload(data: &Value) -> Result<Vec<u8>, String> {
    let Some(text) = data.as_str() else {
        return Err("`awslogs.data` is not a string".into());
    };
    let compact: String;
    let text = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        &compact
    } else {
        text
    };
    let raw = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("`awslogs.data` is not base64: {e}"))?;
    if !raw.starts_with(b"\x1f\x8b") {
        return Ok(raw);
    }
    let mut out = Vec::new();
    let limit = MAX_PAYLOAD_BYTES as u64 + 1;
    match flate2::read::MultiGzDecoder::new(&raw[..])
        .take(limit)
        .read_to_end(&mut out)
    {
        Ok(_) if out.len() > MAX_PAYLOAD_BYTES => Err(format!(
            "`awslogs.data` decompresses to more than {MAX_PAYLOAD_BYTES} bytes"
        )),
        Ok(_) => Ok(out),
        Err(e) => Err(format!("`awslogs.data` is not valid gzip: {e}")),
    }
}

fn str_field(m: &Map<String, Value>, key: &str) -> Option<String> {
    match m.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// `target.id`, `userIdentity.arn` (or the value itself when it is a string).
fn id_field(v: Option<&Value>, key: &str) -> Option<String> {
    match v? {
        Value::Object(o) => str_field(o, key),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// What kind of JSON value, for messages.
pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn run(v: Value) -> Vec<Result<LogEvent, Error>> {
        let mut got = Vec::new();
        let name = Some("t".to_owned());
        let mut out = |r| got.push(r);
        let mut sink = Sink {
            name: &name,
            out: &mut out,
        };
        item(v, &Location::default(), &mut sink, 0);
        got
    }

    #[test]
    fn streamed_fields() {
        let got = run(serde_json::json!({
            "eventVersion":"1.0","eventTime":"2024-10-15T21:22:05Z","awsRegion":"us-east-1",
            "target":{"id":"i-0123456789abcdef0"},
            "userIdentity":{"arn":"arn:aws:iam::123456789012:user/alice"},
            "runAsUser":"ssm-user","sessionId":"alice-0a1b2c3d4e5f6a7b8",
            "sessionData":["sh-4.2$ ls -la","total 0",""], "extra": 1
        }));
        let e = got[0].as_ref().unwrap();
        assert_eq!(e.session_id.as_deref(), Some("alice-0a1b2c3d4e5f6a7b8"));
        assert_eq!(e.timestamp_ms, Some(1_729_027_325_000));
        assert_eq!(
            e.event_time.map(|t| t.to_string()).as_deref(),
            Some("2024-10-15T21:22:05Z")
        );
        assert_eq!(e.region.as_deref(), Some("us-east-1"));
        assert_eq!(e.target.as_deref(), Some("i-0123456789abcdef0"));
        assert_eq!(
            e.owner_arn.as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
        assert_eq!(e.run_as.as_deref(), Some("ssm-user"));
        assert_eq!(
            e.data,
            EventData::Lines(vec!["sh-4.2$ ls -la".into(), "total 0".into(), "".into()])
        );
    }

    #[test]
    fn wrappers() {
        let got = run(serde_json::json!({"events":[
            {"timestamp": 5, "message": "{\"eventVersion\":\"1.0\",\"sessionData\":[\"a\"]}",
             "logStreamName": "s1"},
            {"timestamp": 6, "message": "Script started on x\r\n$ ls", "logStreamName": "s2"},
            {"timestamp": 7, "message": "{not json"},
            {"timestamp": 8, "message": "{\"eventVersion\":\"1.0\",\"sessionData\":[\"a\""},
        ]}));
        let e0 = got[0].as_ref().unwrap();
        assert_eq!(e0.data, EventData::Lines(vec!["a".into()]));
        assert_eq!(
            (e0.session_id.as_deref(), e0.timestamp_ms),
            (Some("s1"), Some(5))
        );
        let e1 = got[1].as_ref().unwrap();
        assert_eq!(
            e1.data,
            EventData::Text("Script started on x\r\n$ ls".into())
        );
        assert_eq!(e1.session_id.as_deref(), Some("s2"));
        assert_eq!(
            got[2].as_ref().unwrap().data,
            EventData::Text("{not json".into())
        );
        assert!(matches!(got[3], Err(Error::Malformed { .. })));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn subscription_and_insights() {
        let got = run(
            serde_json::json!({"messageType":"CONTROL_MESSAGE","logEvents":[
            {"id":"1","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination"}]}),
        );
        assert!(got.is_empty());
        let got = run(serde_json::json!({"awslogs":{"data":"not base64!"}}));
        assert!(matches!(got[0], Err(Error::Malformed { .. })));
        let got = run(serde_json::json!({"results":[[
            {"field":"@timestamp","value":"2024-10-15 21:22:05.123"},
            {"field":"@message","value":"{\"sessionId\":\"s\",\"sessionData\":[\"x\"]}"},
            {"field":"@ptr","value":"abc"}]]}));
        let e = got[0].as_ref().unwrap();
        assert_eq!(e.timestamp_ms, Some(1_729_027_325_123));
        assert_eq!(e.session_id.as_deref(), Some("s"));
        let got = run(serde_json::json!([{"x": 1}, 3]));
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(Result::is_err));
    }
}

/// The agent's streamed event, the shape nearly every line of a streamed log has, decoded
/// straight into its fields (see [`streamed_line`]).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Streamed {
    event_time: Option<String>,
    aws_region: Option<String>,
    target: Option<Target>,
    user_identity: Option<UserIdentity>,
    run_as_user: Option<String>,
    session_id: Option<String>,
    session_data: Vec<Option<String>>,
}

#[derive(serde::Deserialize)]
struct Target {
    id: Option<String>,
}

#[derive(serde::Deserialize)]
struct UserIdentity {
    arn: Option<String>,
}

/// A line that is one streamed event of the usual form (string fields, `sessionData` an
/// array of strings), read without building a JSON tree; anything else is left to the
/// general reader, with its location given back in `Err`.
pub(super) fn streamed_line(text: &[u8], loc: Location) -> Result<LogEvent, Location> {
    // The searcher is built once: building it costs more than a search of one line.
    static SESSION_DATA: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"sessionData\""));
    if SESSION_DATA.find(text).is_none() {
        return Err(loc);
    }
    // Checked as UTF-8 once, whole: read from bytes, serde_json checks every piece of every
    // string between escapes, one call each.
    let parsed = std::str::from_utf8(text).map(serde_json::from_str::<Streamed>);
    let Ok(Ok(e)) = parsed else { return Err(loc) };
    let event_time = e.event_time.as_deref().and_then(crate::Timestamp::parse);
    Ok(LogEvent {
        timestamp_ms: event_time.map(crate::Timestamp::as_millis),
        event_time,
        session_id: e.session_id,
        region: e.aws_region,
        target: e.target.and_then(|t| t.id),
        owner_arn: e.user_identity.and_then(|u| u.arn),
        run_as: e.run_as_user,
        data: EventData::Lines(
            e.session_data
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
        ),
        location: loc,
    })
}
