//! CloudWatch Logs inputs: the SSM agent's streamed session events and every wrapper a user
//! gets them out of AWS in. This module only decodes containers into [`LogEvent`]s; what the
//! events' lines mean is the terminal's and the segmenter's business.
//!
//! Shapes (auto-detected from the first bytes; any of them may also come gzip-compressed):
//! - streamed event JSON (`{"eventVersion":"1.0",…,"sessionData":[…]}`): one per line, pretty-
//!   printed and concatenated, or in a JSON array;
//! - `aws logs get-log-events` / `filter-log-events` output (`{"events":[{"message":"<event JSON
//!   as a string>",…}]}`: decoded twice; `logStreamName` names the session);
//! - subscription payloads (`{"awslogs":{"data":"<base64(gzip(json))>"}}` per line) and their
//!   decoded form (`{"messageType":"DATA_MESSAGE",…,"logEvents":[…]}`);
//! - S3 exports of a log group (`<ISO timestamp> <message>` lines, gzip);
//! - Logs Insights results as CSV or JSON (`@timestamp`, `@message`);
//! - plain-text (non-streamed) events: the message is a chunk of a `script` transcript.

use crate::error::Location;

/// What one CloudWatch Logs event carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventData {
    /// A streamed event's `sessionData`: one string per output line (CR deleted by the agent).
    Lines(Vec<String>),
    /// A plain-text event: a chunk of the session's `script` transcript, as text.
    Text(String),
}

/// One CloudWatch Logs event with what is known about its session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    /// `sessionId` of the event JSON, else the log stream name of the wrapper.
    pub session_id: Option<String>,
    /// The event's CloudWatch timestamp in milliseconds since the epoch (from the wrapper, or
    /// derived from `eventTime`).
    pub timestamp_ms: Option<i64>,
    /// `eventTime` as the agent wrote it (RFC 3339, whole seconds).
    pub event_time: Option<String>,
    /// `awsRegion`.
    pub region: Option<String>,
    /// `target.id`: the managed instance.
    pub target: Option<String>,
    /// `userIdentity.arn`: the session owner.
    pub owner_arn: Option<String>,
    /// `runAsUser`.
    pub run_as: Option<String>,
    /// The output.
    pub data: EventData,
    /// Where in the input the event starts.
    pub location: Location,
}
