//! CloudWatch inputs end to end: metadata and times, several sessions in one input,
//! streaming, and bad input reported in place while the rest is read.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ttyscribe::{Command, Config, Record, Scribe, Session};

fn session_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/sessions")
        .join(name)
}

fn truth(name: &str) -> Vec<String> {
    let t: serde_json::Value =
        serde_json::from_slice(&fs::read(session_dir(name).join("truth.json")).unwrap()).unwrap();
    t["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().trim_end().to_owned())
        .collect()
}

fn commands(records: &[Record]) -> Vec<&Command> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) if !c.cancelled => Some(c),
            _ => None,
        })
        .collect()
}

fn texts(records: &[Record]) -> Vec<String> {
    commands(records)
        .iter()
        .map(|c| c.command.trim_end().to_owned())
        .collect()
}

fn sessions(records: &[Record]) -> Vec<&Session> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Session(s) => Some(&**s),
            _ => None,
        })
        .collect()
}

const PLAIN: &str = "bash_ls_cat_wc";
const OTHER: &str = "dash_ctrl_c_cut";

#[test]
fn metadata_and_event_times() {
    let input = fs::read(session_dir(PLAIN).join("cloudwatch.jsonl")).unwrap();
    let records = ttyscribe::parse(&input, Config::default());
    assert_eq!(texts(&records), truth(PLAIN));
    let s = sessions(&records);
    assert_eq!(s.len(), 1);
    let first: serde_json::Value =
        serde_json::from_str(std::str::from_utf8(&input).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(s[0].input_format, ttyscribe::InputFormat::CloudWatch);
    assert_eq!(s[0].session_id.as_deref(), first["sessionId"].as_str());
    assert_eq!(s[0].instance_id.as_deref(), first["target"]["id"].as_str());
    assert_eq!(
        s[0].owner_arn.as_deref(),
        first["userIdentity"]["arn"].as_str()
    );
    assert_eq!(s[0].run_as_user.as_deref(), first["runAsUser"].as_str());
    assert_eq!(s[0].region.as_deref(), first["awsRegion"].as_str());
    // Every command carries the eventTime of an event of its session, in order.
    let times: Vec<String> = commands(&records)
        .iter()
        .map(|c| c.time.expect("a time").to_string())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let all: Vec<String> = std::str::from_utf8(&input)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["eventTime"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(times.iter().all(|t| all.iter().any(|a| a == t)));
}

#[test]
fn several_sessions_in_one_input() {
    // Two sessions' events interleaved line by line, as filter-log-events mixes streams.
    let a = fs::read_to_string(session_dir(PLAIN).join("cloudwatch.jsonl")).unwrap();
    let b = fs::read_to_string(session_dir(OTHER).join("cloudwatch.jsonl")).unwrap();
    let (mut la, mut lb) = (a.lines(), b.lines());
    let mut mixed = String::new();
    loop {
        match (la.next(), lb.next()) {
            (None, None) => break,
            (x, y) => {
                for l in [x, y].into_iter().flatten() {
                    mixed.push_str(l);
                    mixed.push('\n');
                }
            }
        }
    }
    let records = ttyscribe::parse(mixed.as_bytes(), Config::default());
    let id = |name: &str| {
        let s = fs::read_to_string(session_dir(name).join("cloudwatch.jsonl")).unwrap();
        let v: serde_json::Value = serde_json::from_str(s.lines().next().unwrap()).unwrap();
        v["sessionId"].as_str().unwrap().to_owned()
    };
    for name in [PLAIN, OTHER] {
        let sid = id(name);
        let got: Vec<String> = commands(&records)
            .iter()
            .filter(|c| c.session_id.as_deref() == Some(sid.as_str()))
            .map(|c| c.command.trim_end().to_owned())
            .collect();
        assert_eq!(got, truth(name), "{name}");
    }
    assert_eq!(sessions(&records).len(), 2);
}

#[test]
fn commands_stream_out_before_the_input_ends() {
    let input = fs::read(session_dir(PLAIN).join("cloudwatch.jsonl")).unwrap();
    let mut scribe = Scribe::new(Config::default());
    let mut early = 0;
    for line in input.split_inclusive(|&b| b == b'\n') {
        early += scribe
            .feed(line)
            .filter(|r| matches!(r, Record::Command(_)))
            .count();
    }
    let late = scribe
        .finish()
        .iter()
        .filter(|r| matches!(r, Record::Command(_)))
        .count();
    assert!(
        early >= truth(PLAIN).len() - 2,
        "only {early} commands before the end ({late} after)"
    );
}

#[test]
fn a_bad_line_is_reported_and_the_rest_read() {
    let input = fs::read_to_string(session_dir(PLAIN).join("cloudwatch.jsonl")).unwrap();
    let mut lines: Vec<&str> = input.lines().collect();
    lines.insert(2, r#"{"eventVersion":"1.0", broken"#);
    let bad = lines.join("\n") + "\n";
    let records = ttyscribe::parse(bad.as_bytes(), Config::default().with_name("bad.jsonl"));
    let errors: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location.line, Some(3));
    assert_eq!(errors[0].location.input.as_deref(), Some("bad.jsonl"));
    assert_eq!(texts(&records), truth(PLAIN));

    // The command line: the error on stderr, exit status 1, the records still out.
    let path = std::env::temp_dir().join(format!("ttyscribe-bad-{}.jsonl", std::process::id()));
    fs::File::create(&path)
        .unwrap()
        .write_all(bad.as_bytes())
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ttyscribe"))
        .args(["--format", "jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    fs::remove_file(&path).ok();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 3"));
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""kind":"command""#));
}

#[test]
fn gzip_and_wrappers_give_the_same_commands() {
    let dir = session_dir(PLAIN);
    let want = truth(PLAIN);
    for shape in ["export.gz", "gle.json", "subscription.jsonl"] {
        let Ok(input) = fs::read(dir.join(shape)) else {
            continue;
        };
        let records = ttyscribe::parse(&input, Config::default());
        assert_eq!(texts(&records), want, "{shape}");
    }
}

#[test]
fn powershell_transcripts_are_refused_with_a_reason() {
    let input = b"**********************\r\nWindows PowerShell transcript start\r\nStart time: 20240101000000\r\n";
    let records = ttyscribe::parse(input, Config::default());
    assert!(
        records
            .iter()
            .any(|r| matches!(r, Record::Error(e) if e.message.contains("PowerShell")))
    );
    assert!(commands(&records).is_empty());
}

#[test]
fn a_line_cut_at_33000_bytes_joins_the_next_event() {
    let event = |time: &str, lines: Vec<String>| {
        serde_json::json!({
            "eventVersion": "1.0", "eventTime": time, "awsRegion": "us-east-1",
            "target": {"id": "i-0123456789abcdef0"}, "userIdentity": {"arn": "arn:aws:iam::1:user/a"},
            "runAsUser": "ssm-user", "sessionId": "a-0123456789abcdef0", "sessionData": lines,
        })
        .to_string()
    };
    let long = "x".repeat(33_000);
    let input = [
        event(
            "2024-10-15T21:22:05Z",
            vec!["sh-5.2$ cat big".into(), long.clone()],
        ),
        event(
            "2024-10-15T21:22:06Z",
            vec!["yyy".into(), "sh-5.2$ exit".into(), "exit".into()],
        ),
    ]
    .join("\n");
    let records = ttyscribe::parse(input.as_bytes(), Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2);
    // One line of output, cut at the widest row kept, and said to be cut.
    assert!(
        !cmds[0].output.contains('\n'),
        "the two pieces were not joined"
    );
    assert_eq!(cmds[0].output.len(), ttyscribe::limits::MAX_COLS);
    assert!(cmds[0].truncated);
    assert!(!cmds[1].truncated);
    assert_eq!(cmds[1].command, "exit");
}
