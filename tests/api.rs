//! Public API checks: thread-safety bounds, `parse` on a tiny input, and the session record
//! of a `script` transcript.

use ttyscribe::{Command, Config, Evidence, InputFormat, Record, Scribe, Session, parse};

const fn assert_send_sync<T: Send + Sync>() {}

// Compile-time: a `Scribe` can move to (and be shared with) another thread, and so can its
// records.
const _: () = {
    assert_send_sync::<Scribe>();
    assert_send_sync::<Record>();
    assert_send_sync::<Command>();
    assert_send_sync::<Session>();
    assert_send_sync::<Config>();
};

fn commands(records: &[Record]) -> Vec<&Command> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn session(records: &[Record]) -> &Session {
    match records.last() {
        Some(Record::Session(s)) => s,
        other => panic!("last record is not the session: {other:?}"),
    }
}

/// As a user would write it: a bash session with a typo fixed by backspace.
#[test]
fn parse_tiny_session() {
    let log = b"\x1b[?2004h$ ech\x08\x1b[Kho hi\r\n\x1b[?2004l\rhi\r\n\x1b[?2004h$ ";
    let records = parse(log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 1, "{records:#?}");
    assert_eq!(cmds[0].command, "echo hi");
    assert_eq!(cmds[0].prompt, "$ ");
    assert_eq!(cmds[0].output, "hi");
    assert!(!cmds[0].cancelled);
    assert!(cmds[0].span.start <= cmds[0].span.end);
    assert!(cmds[0].span.end <= log.len() as u64);
    let s = session(&records);
    assert_eq!(s.input_format, InputFormat::Raw);
    assert_eq!(s.commands, 1);
}

/// `Scribe` moved into another thread and fed there gives what `parse` gives.
#[test]
fn scribe_on_another_thread() {
    let log: &'static [u8] = b"\x1b[?2004h$ ls\r\n\x1b[?2004l\ra  b\r\n\x1b[?2004h$ ";
    let scribe = Scribe::new(Config::default());
    let records = std::thread::spawn(move || {
        let mut scribe = scribe;
        let mut out: Vec<Record> = Vec::new();
        for chunk in log.chunks(3) {
            out.extend(scribe.feed(chunk));
        }
        out.extend(scribe.finish());
        out
    })
    .join()
    .unwrap();
    assert_eq!(records, parse(log, Config::default()));
}

const TRANSCRIPT: &[u8] = b"Script started on 2024-10-15 21:22:05+00:00 [COMMAND=\"cat /var/lib/amazon/ssm/i-0123456789abcdef0/session/orchestration/alice-0a1b2c3d4e5f6a7b8/Standard_Stream/ipcTempFile.log\" <not executed on terminal>]\n\
\x1b]0;ssm-user@host:~\x07\x1b[?2004h[ssm-user@host ~]$ echo hi\r\r\n\
\x1b[?2004l\rhi\r\r\n\
\x1b]0;ssm-user@host:~\x07\x1b[?2004h[ssm-user@host ~]$ exit\r\r\n\
\x1b[?2004l\rexit\r\r\n\
\n\
Script done on 2024-10-15 21:25:05+00:00 [COMMAND_EXIT_CODE=\"3\"]\n";

#[test]
fn script_transcript_session_record() {
    for format in [InputFormat::Auto, InputFormat::Script] {
        let config = Config::default().with_format(format);
        let records = parse(TRANSCRIPT, config);
        let s = session(&records);
        assert_eq!(s.input_format, InputFormat::Script, "{format:?}");
        assert_eq!(s.session_id.as_deref(), Some("alice-0a1b2c3d4e5f6a7b8"));
        assert_eq!(s.instance_id.as_deref(), Some("i-0123456789abcdef0"));
        assert_eq!(s.exit_code, Some(3));
        // The header's `2024-10-15 21:22:05+00:00`, as RFC 3339 in UTC.
        let time = |t: Option<ttyscribe::Timestamp>| t.map(|t| t.to_string());
        assert_eq!(time(s.start_time).as_deref(), Some("2024-10-15T21:22:05Z"));
        assert_eq!(time(s.end_time).as_deref(), Some("2024-10-15T21:25:05Z"));
        let cmds: Vec<&str> = commands(&records)
            .iter()
            .map(|c| c.command.as_str())
            .collect();
        assert_eq!(cmds, ["echo hi", "exit"]);
        // Spans point into the transcript: the first record takes the header with it, and
        // each holds the bytes its command was typed in.
        let cs = commands(&records);
        assert_eq!(cs[0].span.start, 0);
        assert_eq!(cs[cs.len() - 1].span.end, TRANSCRIPT.len() as u64);
        for c in cs {
            let bytes = &TRANSCRIPT[c.span.start as usize..c.span.end as usize];
            let text = String::from_utf8_lossy(bytes);
            assert!(text.contains(c.command.as_str()), "{text:?}");
        }
    }
}

/// Records serialise as tagged JSON objects (the JSONL writer's shape).
#[test]
fn records_serialise_with_kind_tag() {
    let records = parse(b"$ echo hi\r\nhi\r\n$ ", Config::default());
    let kinds: Vec<String> = records
        .iter()
        .map(|r| {
            serde_json::to_value(r).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.last().map(String::as_str), Some("session"));
    assert!(kinds.iter().any(|k| k == "command"));
}

#[test]
fn output_before_the_first_prompt_has_its_span() {
    let input = b"motd line\r\n$ ls\r\n";
    let records = ttyscribe::parse(input, Config::default());
    let out = records
        .iter()
        .find_map(|r| match r {
            Record::Output(o) => Some(o),
            _ => None,
        })
        .expect("an output record");
    assert_eq!(out.output, "motd line");
    assert_eq!((out.span.start, out.span.end), (0, 11));
}

#[test]
fn a_partial_character_at_the_end_is_not_dropped() {
    // The log ends in the middle of a UTF-8 character: the bytes still reach the screen.
    let records = ttyscribe::parse(b"$ ls\r\n$ echo caf\xc3", Config::default());
    let cut = records.iter().find_map(|r| match r {
        Record::Command(c) if c.cancelled => Some(c.command.clone()),
        _ => None,
    });
    assert_eq!(cut.as_deref(), Some("echo caf\u{fffd}"));
}

/// A bash session with VS Code's shell integration, whose one command line is reported by
/// an OSC 633 `E` of `len` bytes.
fn reported_command(len: usize) -> Command {
    let mut log = b"\x1b]133;A\x07\x1b[?2004h$ \x1b]133;B\x07".to_vec();
    log.extend(std::iter::repeat_n(b'x', len));
    log.extend(b"\r\n\x1b[?2004l\r\x1b]633;E;");
    log.extend(std::iter::repeat_n(b'x', len));
    log.extend(b"\x07\x1b]133;C\x07out\r\n\x1b]133;D;0\x07\x1b]133;A\x07\x1b[?2004h$ ");
    let records = parse(&log, Config::default());
    match &commands(&records)[..] {
        [c] => (*c).clone(),
        _ => panic!("not one command: {records:#?}"),
    }
}

/// The escape parser keeps at most `MAX_OSC` bytes of an OSC string: a command line
/// reported by a longer one is only its start, which confirms the line the screen shows as
/// far as it goes (the screen's line is the command either way).
#[test]
fn past_max_osc_a_reported_command_is_cut_and_confirms_what_it_kept() {
    for len in [900, 2000] {
        let c = reported_command(len);
        assert_eq!(c.command.len(), len);
        assert!(c.command.bytes().all(|b| b == b'x'));
        assert!(c.evidence.contains(Evidence::ShellReported), "{len}: {c:?}");
        assert!(c.alternatives.is_empty() && !c.truncated, "{len}: {c:?}");
    }
}
