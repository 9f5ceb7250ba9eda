//! Every cap in `src/limits.rs` has a test that goes past it and checks what its doc says
//! happens there. A test for cap `MAX_X` is named `past_max_x…`, here or next to the code
//! it caps when the cap is internal; `every_cap_has_a_test_past_it` holds the list complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use flate2::GzBuilder;
use flate2::write::GzEncoder;
use ttyscribe::limits::*;
use ttyscribe::source::aws::{Decoder, EventData, LogEvent};
use ttyscribe::source::order::order;
use ttyscribe::{Command, Config, Error, Location, Record, Scribe, parse};

const PROMPT: &str = "[ec2-user@ip-10-0-1-11 ~]$ ";

/// bash 5.1 with bracketed paste: each `(typed, output lines)` is typed at a prompt, submitted
/// and answered, and a last prompt waits.
fn bash(steps: &[(&str, &[&str])]) -> Vec<u8> {
    let mut log = Vec::new();
    for (typed, output) in steps {
        log.extend(b"\x1b[?2004h");
        log.extend(PROMPT.as_bytes());
        log.extend(typed.as_bytes());
        log.extend(b"\r\n\x1b[?2004l\r");
        for line in *output {
            log.extend(line.as_bytes());
            log.extend(b"\r\n");
        }
    }
    log.extend(b"\x1b[?2004h");
    log.extend(PROMPT.as_bytes());
    log
}

fn commands(records: &[Record]) -> Vec<&Command> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// The one error record of `records`, which says `what`.
fn one_error<'a>(records: &'a [Record], what: &str) -> &'a ttyscribe::ErrorRecord {
    let errs = errors(records);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.contains(what), "{}", errs[0].message);
    errs[0]
}

fn errors(records: &[Record]) -> Vec<&ttyscribe::ErrorRecord> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn past_max_cols_a_row_of_unknown_width_is_cut_and_flagged() {
    let long = "x".repeat(MAX_COLS + 500);
    let typed = format!("echo {long}");
    let log = bash(&[(&typed, &[long.as_str()]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    // The prompt and the command share the row, so the row's cap bounds both together.
    assert_eq!(cmds[0].prompt.len() + cmds[0].command.len(), MAX_COLS);
    assert!(typed.starts_with(&cmds[0].command));
    assert_eq!(cmds[0].output.len(), MAX_COLS);
    assert!(cmds[0].truncated);
    // The cut lost nothing of the records after it.
    assert_eq!(cmds[1].command, "ls");
    assert_eq!(cmds[1].output, "a.txt");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_rows_rows_leaving_the_window_become_output_whole() {
    let lines: Vec<String> = (0..MAX_ROWS * 4).map(|i| format!("line {i:04}")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = bash(&[
        ("seq -f 'line %04g' 0 1023", &refs),
        ("pwd", &["/home/ec2-user"]),
    ]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    // The window bounds memory only: every line scrolled out of it is in the output.
    assert_eq!(cmds[0].output, lines.join("\n"));
    assert!(!cmds[0].truncated);
    assert_eq!(cmds[1].command, "pwd");
    assert_eq!(cmds[1].output, "/home/ec2-user");
}

#[test]
fn past_max_output_whole_lines_from_the_start_are_kept_and_flagged() {
    // Lines of 100 bytes, so the cap falls inside one.
    let lines: Vec<String> = (0..MAX_OUTPUT / 100 * 2)
        .map(|i| format!("{i:06} {}", "y".repeat(93)))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = bash(&[("cat big.log", &refs), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    let out = &cmds[0].output;
    assert!(out.len() <= MAX_OUTPUT, "{} bytes", out.len());
    assert!(cmds[0].truncated);
    // Whole lines from the first: as many as fit.
    let kept = out.split('\n').count();
    assert_eq!(*out, lines[..kept].join("\n"));
    assert!(lines[..=kept].join("\n").len() >= MAX_OUTPUT);
    assert_eq!(cmds[1].output, "a.txt");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_command_a_long_wrapped_line_is_cut_and_flagged() {
    // A known width wraps the line instead of cutting each row at MAX_COLS.
    let cols = 4000;
    let typed = format!("echo {}", "z".repeat(MAX_COMMAND + 10_000));
    let log = bash(&[(&typed, &["z"]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default().with_cols(cols));
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    assert_eq!(cmds[0].prompt.trim_end(), PROMPT.trim_end());
    assert!(cmds[0].command.len() <= MAX_COMMAND);
    assert!(cmds[0].command.len() > MAX_COMMAND - cols);
    assert!(typed.starts_with(&cmds[0].command));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
    assert!(!cmds[1].truncated);
}

/// bash's `> ` continuation prompts, each line a new edit joined to the command.
fn continued(lines: &[String]) -> Vec<u8> {
    let mut log = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        log.extend(b"\x1b[?2004h");
        log.extend(if i == 0 { PROMPT } else { "> " }.as_bytes());
        log.extend(line.as_bytes());
        log.extend(b"\r\n\x1b[?2004l\r");
    }
    log.extend(b"done\r\n");
    log.extend(bash(&[("ls", &["a.txt"])]));
    log
}

#[test]
fn past_max_command_continuation_lines_are_cut_and_flagged() {
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((0..MAX_COMMAND / 1000 + 10).map(|i| format!("{i:04}{}", "w".repeat(996))));
    lines.push("EOF".to_owned());
    let records = parse(&continued(&lines), Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    assert!(
        cmds[0].command.len() <= MAX_COMMAND,
        "{}",
        cmds[0].command.len()
    );
    assert!(lines.join("\n").starts_with(&cmds[0].command));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_command_rows_continuation_lines_are_cut_and_flagged() {
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((0..MAX_COMMAND_ROWS * 2).map(|i| format!("row {i}")));
    lines.push("EOF".to_owned());
    let records = parse(&continued(&lines), Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    let kept = cmds[0].command.split('\n').count();
    assert!(kept <= MAX_COMMAND_ROWS, "{kept} lines");
    assert_eq!(cmds[0].command, lines[..kept].join("\n"));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
}

#[test]
fn past_max_command_rows_a_pasted_buffer_is_cut_and_flagged() {
    // One edit of many lines: a paste bash shows with a newline for each, as zsh does a
    // multi-line buffer.
    // More lines than the cap, fewer than the screen window holds, so this cap cuts them.
    let n = (MAX_COMMAND_ROWS + MAX_ROWS) / 2;
    assert!(n > MAX_COMMAND_ROWS && n < MAX_ROWS);
    // A here-document keeps bash from splitting the buffer into several commands.
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((1..n).map(|i| format!("row {i}")));
    let typed = lines.join("\r\n");
    let log = bash(&[(&typed, &[]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    assert_eq!(cmds[0].command, lines[..MAX_COMMAND_ROWS].join("\n"));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
}

#[test]
fn past_max_rows_a_command_taller_than_the_window_is_cut_and_flagged() {
    // A pasted buffer whose first rows scroll out of the window while it is edited.
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((1..MAX_ROWS + 50).map(|i| format!("row {i}")));
    let typed = lines.join("\r\n");
    let log = bash(&[(&typed, &[]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    // The rows that left the window are lost: what is kept is typed lines, fewer of them.
    assert!(cmds[0].truncated, "{:#?}", cmds[0]);
    let kept: Vec<&str> = cmds[0].command.split('\n').collect();
    assert!(kept.len() < lines.len());
    assert!(
        kept.iter().all(|l| lines.iter().any(|t| t == l)),
        "{kept:?}"
    );
    assert_eq!(cmds[1].command, "ls");
    assert!(!cmds[1].truncated);
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).expect(rel)
}

fn format(records: &[Record]) -> String {
    match records.last() {
        Some(Record::Session(s)) => s.input_format.to_string(),
        other => panic!("no session record last: {other:?}"),
    }
}

fn command_lines(records: &[Record]) -> Vec<&str> {
    commands(records)
        .iter()
        .map(|c| c.command.as_str())
        .collect()
}

#[test]
fn past_max_script_line_a_long_header_is_reported_and_read_as_output() {
    let s3 = read("corpus/dev/bash_tab_ambiguous/s3.log");
    let end = s3.iter().position(|&b| b == b'\n').expect("a header line") + 1;
    let body = &s3[end..];
    let want = parse(&s3, Config::default());
    assert!(errors(&want).is_empty());
    let with_header = |command_len: usize| {
        let mut t = format!(
            "Script started on 2026-11-22 19:45:21+00:00 [COMMAND=\"cat {}\" <not executed on terminal>]\n",
            "/var/lib/amazon/ssm/".repeat(command_len / 20)
        )
        .into_bytes();
        t.extend_from_slice(body);
        t
    };
    // Under the cap a long header is still a header.
    let fits = parse(&with_header(MAX_SCRIPT_LINE - 200), Config::default());
    assert!(errors(&fits).is_empty(), "{:?}", errors(&fits));
    assert_eq!(command_lines(&fits), command_lines(&want));

    let long = with_header(MAX_SCRIPT_LINE + 100);
    let records = parse(&long, Config::default());
    // However it is chunked: a reader that got the line in pieces has held only the cap.
    for size in [7, 1000] {
        let mut scribe = Scribe::new(Config::default());
        let mut chunked: Vec<Record> = Vec::new();
        for piece in long.chunks(size) {
            chunked.extend(scribe.feed(piece));
        }
        chunked.extend(scribe.finish());
        assert!(chunked == records, "chunks of {size}: {chunked:#?}");
    }
    let err = one_error(&records, "longer than");
    assert_eq!(err.location.line, Some(1));
    // The line is session output now.
    let shown = records.iter().any(|r| match r {
        Record::Output(o) => o.output.contains("Script started on"),
        Record::Command(c) => c.output.contains("Script started on"),
        _ => false,
    });
    assert!(shown, "{records:#?}");
    // Its bare LF leaves the cursor past the row's cap, so the first prompt drawn after it
    // is cut; the commands after that one are read as before.
    let (got, want) = (command_lines(&records), command_lines(&want));
    assert!(want.len() >= 3 && got.len() == want.len(), "{got:?}");
    assert_eq!(got[1..], want[1..]);
}

#[test]
fn past_max_sniff_the_format_is_decided_on_what_was_seen() {
    let event = read("corpus/aws/stream_dash_plain.jsonl");
    let padded = |n: usize| {
        let mut v = vec![b'\n'; n];
        v.extend_from_slice(&event);
        v
    };
    let within = parse(&padded(MAX_SNIFF - 100), Config::default());
    assert_eq!(format(&within), "cloudwatch");
    assert!(!commands(&within).is_empty());
    // Fed a byte at a time, the wait ends at the cap all the same.
    let mut scribe = Scribe::new(Config::default());
    let input = padded(MAX_SNIFF + 1);
    let mut past: Vec<Record> = Vec::new();
    for b in input.chunks(1) {
        past.extend(scribe.feed(b));
    }
    past.extend(scribe.finish());
    assert_eq!(format(&past), "raw");
    assert!(errors(&past).is_empty(), "{past:?}");
    // The event is read as terminal text, not dropped.
    assert!(past.iter().any(|r| match r {
        Record::Output(o) => o.output.contains("sessionData"),
        Record::Command(c) => format!("{}{}", c.prompt, c.command).contains("sessionData"),
        _ => false,
    }));
    assert!(past == parse(&input, Config::default()));
}

fn ev(ts: i64, line: &str) -> LogEvent {
    let mut e = LogEvent::new(EventData::Lines(vec![line.to_owned()]), Location::default());
    e.session_id = Some("s-1".into());
    e.timestamp_ms = Some(ts);
    e
}

#[test]
fn past_recent_events_an_older_resend_is_no_longer_recognised() {
    // Events far apart in time: each is released as soon as the next one arrives.
    let n = RECENT_EVENTS as i64 * 3;
    let stream: Vec<LogEvent> = (0..n)
        .map(|i| ev(i * 60_000, &format!("line {i}")))
        .collect();
    // When the re-sends come, events 0 ..= n - 2 were released (n - 1 is held).
    let oldest_remembered = n - 1 - RECENT_EVENTS as i64;
    for (again, dropped) in [(oldest_remembered, 1), (oldest_remembered - 1, 0)] {
        let mut events = stream.clone();
        events.push(stream[again as usize].clone());
        assert_eq!(order(&mut events), dropped, "re-send of event {again}");
        assert_eq!(events.len() as i64, n + 1 - dropped as i64);
    }
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("write to a Vec");
    e.finish().expect("gzip to a Vec")
}

/// Streamed events of one session as JSON Lines, its id replaced.
fn stream(id: &str) -> Vec<u8> {
    let text = String::from_utf8(read("corpus/aws/stream_dash_plain.jsonl")).expect("UTF-8");
    text.replace("dash-plain-0a1b2c3d4e5f6a7b8", id)
        .into_bytes()
}

fn commands_of(records: &[Record], id: &str) -> Vec<String> {
    commands(records)
        .iter()
        .filter(|c| c.session_id.as_deref() == Some(id))
        .map(|c| c.command.clone())
        .collect()
}

#[test]
fn past_max_gzip_depth_deeper_gzip_is_reported() {
    let plain = stream("s-deep");
    let want = command_lines(&parse(&plain, Config::default()))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert!(!want.is_empty());
    let mut nested = plain.clone();
    for _ in 0..MAX_GZIP_DEPTH {
        nested = gz(&nested);
    }
    let read_whole = parse(&nested, Config::default());
    assert!(errors(&read_whole).is_empty(), "{:?}", errors(&read_whole));
    assert_eq!(command_lines(&read_whole), want);

    let records = parse(&gz(&nested), Config::default());
    let errs = errors(&records);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].kind, ttyscribe::ErrorKind::Unsupported);
    assert!(errs[0].message.contains("nested"), "{}", errs[0].message);
    assert!(commands(&records).is_empty());
}

/// A subscription record carrying `inner` (one JSON value) as its `awslogs.data`.
fn subscription(inner: &[u8]) -> Vec<u8> {
    let data = base64::engine::general_purpose::STANDARD.encode(gz(inner));
    format!("{{\"awslogs\":{{\"data\":\"{data}\"}}}}").into_bytes()
}

#[test]
fn past_max_payload_depth_a_deeper_payload_is_reported_and_the_rest_read() {
    let text = read("corpus/aws/sub_python.jsonl");
    let want = command_lines(&parse(&text, Config::default()))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert!(!want.is_empty());
    // Each line of the file is a record at depth 1; wrapping it makes its payload deeper.
    let wrap = |depth: u8| {
        let mut out = Vec::new();
        for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let mut rec = line.to_vec();
            for _ in 1..depth {
                rec = subscription(&rec);
            }
            out.extend(rec);
            out.push(b'\n');
        }
        out
    };
    let deepest_read = parse(&wrap(MAX_PAYLOAD_DEPTH), Config::default());
    assert!(
        errors(&deepest_read).is_empty(),
        "{:?}",
        errors(&deepest_read)
    );
    assert_eq!(command_lines(&deepest_read), want);

    let mut input = wrap(MAX_PAYLOAD_DEPTH + 1);
    input.extend(stream("s-after"));
    let records = parse(&input, Config::default());
    let errs = errors(&records);
    let lines = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(errs.len(), lines, "{errs:?}");
    for (i, e) in errs.iter().enumerate() {
        assert!(e.message.contains("nested too deep"), "{}", e.message);
        assert_eq!(e.location.line, Some(i as u64 + 1));
    }
    assert!(!commands_of(&records, "s-after").is_empty());
}

#[test]
fn past_max_gzip_header_the_member_is_reported_and_the_next_read() {
    let member = |name_len: usize, id: &str| {
        let mut e = GzBuilder::new()
            .filename(vec![b'n'; name_len])
            .write(Vec::new(), flate2::Compression::default());
        e.write_all(&stream(id)).expect("write to a Vec");
        e.finish().expect("gzip to a Vec")
    };
    let mut input = member(MAX_GZIP_HEADER - 100, "s-fits");
    input.extend(member(MAX_GZIP_HEADER, "s-long"));
    let second = input.len() as u64;
    input.extend(member(0, "s-next"));
    let records = parse(&input, Config::default());
    let err = one_error(&records, "header too long");
    let first_len = member(MAX_GZIP_HEADER - 100, "s-fits").len() as u64;
    assert_eq!(err.location.byte, first_len);
    assert!(err.location.byte < second);
    assert!(!commands_of(&records, "s-fits").is_empty());
    assert!(commands_of(&records, "s-long").is_empty());
    assert_eq!(
        commands_of(&records, "s-next"),
        commands_of(&records, "s-fits")
    );
}

fn decode(input: &[u8]) -> Vec<Result<LogEvent, Error>> {
    let mut got = Vec::new();
    let mut d = Decoder::new(None);
    d.feed(input, 0, &mut |r| got.push(r));
    d.finish(input.len() as u64, &mut |r| got.push(r));
    got
}

#[test]
fn past_max_gzip_members_an_event_is_placed_at_the_oldest_member_remembered() {
    // One event line spread over many members, then an event in a member of its own.
    let head = gz(br#"{"eventVersion":"1.0","sessionId":"s-1","sessionData":[""#);
    let piece = gz(b"xxxxxxxx");
    let tail = gz(b"\"]}\n");
    let build = |pieces: usize| {
        let mut input = head.clone();
        let mut starts = vec![0u64];
        for _ in 0..pieces {
            starts.push(input.len() as u64);
            input.extend_from_slice(&piece);
        }
        starts.push(input.len() as u64);
        input.extend_from_slice(&tail);
        let last = input.len() as u64;
        input.extend(gz(
            br#"{"eventVersion":"1.0","sessionId":"s-2","sessionData":["ok"]}"#,
        ));
        (input, starts, last)
    };
    let placed = |input: &[u8]| -> Vec<u64> {
        decode(input)
            .into_iter()
            .map(|r| r.expect("an event").location.byte)
            .collect()
    };
    let (few, _, last) = build(100);
    assert_eq!(placed(&few), [0, last]);

    let (many, starts, last) = build(MAX_GZIP_MEMBERS + 100);
    let at = placed(&many);
    assert_eq!(at.len(), 2);
    // The first member is forgotten; the event is at a member start, one of the last
    // MAX_GZIP_MEMBERS.
    assert_ne!(at[0], 0);
    assert!(starts.contains(&at[0]), "{} is no member start", at[0]);
    assert!(
        at[0] >= starts[starts.len() + 1 - MAX_GZIP_MEMBERS],
        "{}",
        at[0]
    );
    assert_eq!(at[1], last);
}

#[test]
fn past_max_document_bytes_the_value_is_reported_and_the_next_read() {
    // A pretty-printed object with no event list, as `jq .` writes a single event, whose
    // one string takes it past the cap. Fed in pieces, so the test holds no copy of it.
    let head = b"{\n  \"timestamp\": 1729027326000,\n  \"message\": \"";
    let piece = vec![b'x'; 1 << 20];
    let mut scribe = Scribe::new(Config::default());
    let mut records: Vec<Record> = scribe.feed(head).collect();
    let mut fed = head.len();
    while fed <= MAX_DOCUMENT_BYTES {
        records.extend(scribe.feed(&piece));
        fed += piece.len();
    }
    records.extend(scribe.feed(b"\"\n}\n"));
    let next = stream("s-after");
    records.extend(scribe.feed(&next));
    records.extend(scribe.finish());
    let err = one_error(&records, "longer than");
    assert_eq!((err.location.line, err.location.byte), (Some(1), 0));
    assert_eq!(
        commands_of(&records, "s-after"),
        commands_of(&parse(&next, Config::default()), "s-after")
    );
    assert!(!commands_of(&records, "s-after").is_empty());
}

#[test]
fn past_max_payload_bytes_the_payload_is_reported_and_the_rest_read() {
    // Gzip members back to back are one stream to a gzip reader, so one compressed MiB of
    // a long message, repeated, makes a payload past the cap from little compressing.
    let head = br#"{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/ssm/sessions","logStream":"s-big","subscriptionFilters":["ssm-sessions"],"logEvents":[{"id":"1","timestamp":1729027326000,"message":""#;
    let mut gzipped = gz(head);
    let piece = gz(&vec![b'x'; 1 << 20]);
    for _ in 0..=MAX_PAYLOAD_BYTES >> 20 {
        gzipped.extend_from_slice(&piece);
    }
    gzipped.extend(gz(br#""}]}"#));
    let data = base64::engine::general_purpose::STANDARD.encode(&gzipped);
    let mut input = format!("{{\"awslogs\":{{\"data\":\"{data}\"}}}}\n").into_bytes();
    let next = stream("s-after");
    input.extend_from_slice(&next);
    let records = parse(&input, Config::default());
    let err = one_error(&records, "decompresses to more than");
    assert_eq!(err.location.line, Some(1));
    assert!(commands_of(&records, "s-big").is_empty());
    assert_eq!(
        commands_of(&records, "s-after"),
        commands_of(&parse(&next, Config::default()), "s-after")
    );
}

#[test]
fn past_max_held_newest_first_events_are_reported_and_none_lost() {
    // `filter-log-events` lines of one session, newest first (as Logs Insights gives them),
    // each bringing one command.
    let n = MAX_HELD + 50;
    let mut input = String::new();
    for i in (0..n).rev() {
        let t = 1_729_027_326_000i64 + i as i64 * 1000;
        input.push_str(&format!(
            r#"{{"timestamp":{t},"message":"{{\"eventVersion\":\"1.0\",\"sessionId\":\"s-held\",\"sessionData\":[\"$ echo {i}\",\"{i}\"]}}"}}"#
        ));
        input.push('\n');
    }
    let records = parse(input.as_bytes(), Config::default());
    let err = one_error(&records, "newest first");
    // Reported at the event that went past the cap.
    assert_eq!(err.location.line, Some(MAX_HELD as u64 + 1));
    let mut got: Vec<String> = commands_of(&records, "s-held");
    got.sort();
    let mut want: Vec<String> = (0..n).map(|i| format!("echo {i}")).collect();
    want.sort();
    assert_eq!(got, want);
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source tree") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The names of the `pub const`s in `src/limits.rs`.
fn caps() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("src/limits.rs")).expect("src/limits.rs");
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub const "))
        .map(|l| {
            l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn every_cap_has_a_test_past_it() {
    let caps = caps();
    // A parse that found nothing would pass vacuously.
    assert!(caps.len() >= 20, "{caps:?}");
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    let sources: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable source"))
        .collect();
    let missing: Vec<&String> = caps
        .iter()
        .filter(|cap| {
            let name = format!("fn past_{}", cap.to_lowercase());
            // `past_max_held` must not be satisfied by `past_max_held_bytes`: the name ends
            // at `(`, or goes on with `_` and words that are not another cap's name.
            !sources.iter().any(|s| {
                s.match_indices(&name).any(|(i, _)| {
                    let rest = &s[i + name.len()..];
                    rest.starts_with('(')
                        || (rest.starts_with('_')
                            && !caps.iter().any(|other| {
                                other.len() > cap.len()
                                    && format!("{}{}", cap.to_lowercase(), rest)
                                        .starts_with(&other.to_lowercase())
                            }))
                })
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "caps in src/limits.rs with no test `fn past_<cap>…` under src/ or tests/: {missing:?}"
    );
}

#[test]
fn past_max_line_bytes_an_element_of_a_spread_document_is_skipped() {
    // `filter-log-events` output as the AWS CLI writes it: one event too long between two
    // sessions' events.
    let event = |id: &str, ts: i64, message: &str| {
        serde_json::json!({
            "logStreamName": id,
            "timestamp": ts,
            "message": message,
            "ingestionTime": ts + 1000,
            "eventId": ts.to_string(),
        })
    };
    let one = String::from_utf8(stream("s-before")).expect("UTF-8");
    let two = String::from_utf8(stream("s-after")).expect("UTF-8");
    let doc = serde_json::json!({
        "events": [
            event("s-before", 1_729_027_326_000, one.trim_end()),
            event("s-huge", 1_729_027_327_000, "HUGE"),
            event("s-after", 1_729_027_328_000, two.trim_end()),
        ],
        "searchedLogStreams": [],
    });
    // The long message goes in after serde_json, which is slow at it in debug builds.
    let text = serde_json::to_string_pretty(&doc)
        .expect("serializable")
        .replacen(
            "\"HUGE\"",
            &format!("\"{}\"", "x".repeat(MAX_LINE_BYTES + 10)),
            1,
        );
    let records = parse(text.as_bytes(), Config::default());
    let err = one_error(&records, "longer than");
    // At the line the element starts on, after the first event's lines.
    let line = text[..text.find("\"s-huge\"").expect("the huge event")]
        .lines()
        .count();
    assert!(
        err.location
            .line
            .is_some_and(|l| l > 3 && l as usize <= line)
    );
    let alone = |id: &str| commands_of(&parse(&stream(id), Config::default()), id);
    assert_eq!(commands_of(&records, "s-before"), alone("s-before"));
    assert_eq!(commands_of(&records, "s-after"), alone("s-after"));
    assert!(!alone("s-after").is_empty());
}

#[test]
fn past_max_gzip_sniff_a_stream_that_inflates_nothing_yet_is_decided_on_what_was_seen() {
    use std::io::Write;
    // A file name longer than the sniff: no decompressed byte within the first 64 KiB.
    let name = vec![b'n'; ttyscribe::limits::MAX_GZIP_SNIFF + 10];
    let mut e = flate2::GzBuilder::new()
        .filename(name)
        .write(Vec::new(), flate2::Compression::default());
    e.write_all(b"$ ls\r\n").unwrap();
    let input = e.finish().unwrap();
    let mut s = Scribe::new(Config::default());
    let mut records: Vec<Record> = Vec::new();
    let mut decided_at = None;
    for (k, c) in input.chunks(1024).enumerate() {
        records.extend(s.feed(c));
        if decided_at.is_none() && !records.is_empty() {
            decided_at = Some(k * 1024);
        }
    }
    records.extend(s.finish());
    let at = decided_at.expect("decided before the input ended");
    assert!(at <= ttyscribe::limits::MAX_GZIP_SNIFF, "{at}");
    assert!(
        !errors(&records).is_empty(),
        "the oversized header is reported"
    );
}

#[test]
fn past_max_script_line_a_long_timing_line_is_reported_and_the_rest_read() {
    let dir = root().join("corpus/timed/timed_bash_sleeps__script-classic");
    let mut timing = vec![b'9'; ttyscribe::limits::MAX_SCRIPT_LINE * 3];
    timing.push(b'\n');
    timing.extend(std::fs::read(dir.join("timing")).expect("timing"));
    let logs = ttyscribe::TimedScript {
        timing: std::io::Cursor::new(timing),
        output: std::fs::File::open(dir.join("typescript")).expect("typescript"),
        input: None::<std::fs::File>,
        timing_name: None,
    };
    let mut records = Vec::new();
    logs.read(Config::default(), |r| records.push(r.clone()))
        .expect("read");
    let errs = errors(&records);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].location.line, Some(1));
    assert!(
        commands(&records)
            .iter()
            .any(|c| c.command == "sleep 2" && c.duration.is_some())
    );
}
