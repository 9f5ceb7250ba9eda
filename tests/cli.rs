//! The command line as a user meets it: formats, exit status, errors on stderr.

use std::io::Write;
use std::process::{Command, Stdio};

fn ttyscribe(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ttyscribe"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ttyscribe");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn sample_session_as_jsonl_and_text() {
    let (code, out, err) = ttyscribe(
        &["--format", "jsonl", "corpus/dev/bash_tab_ambiguous/s3.log"],
        b"",
    );
    assert_eq!(code, 0, "{err}");
    let commands: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "command")
        .map(|v| v["command"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(commands, ["cat report-final.txt", "ls scripts/", "exit"]);
    assert!(out.lines().last().unwrap().contains(r#""kind":"session""#));

    let (code, out, _) = ttyscribe(
        &["--format", "text", "corpus/dev/bash_tab_ambiguous/s3.log"],
        b"",
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("[ec2-user@ip-10-0-1-11 ~]$ ls scripts/\n    backup.sh  deploy.sh\n"),
        "{out}"
    );
}

#[test]
fn stdin_and_cols() {
    let (code, out, _) = ttyscribe(&["--cols", "80", "-"], b"$ echo hi\r\nhi\r\n$ ");
    assert_eq!(code, 0);
    assert!(out.contains(r#""command":"echo hi""#), "{out}");
    assert!(out.contains(r#""width":80"#), "{out}");
}

#[test]
fn bad_input_is_reported_and_the_rest_processed() {
    // A file that does not exist, then a good one: exit 1, the good one still parsed.
    let (code, out, err) = ttyscribe(&["no/such/file", "-"], b"$ ls\r\n$ ");
    assert_eq!(code, 1);
    assert!(err.contains("no/such/file"), "{err}");
    assert!(out.contains(r#""command":"ls""#), "{out}");
    // A transcript forced on input that has no header: an error record with its place.
    let (code, out, err) = ttyscribe(&["--input", "script", "-"], b"$ ls\r\n$ ");
    assert_eq!(code, 1);
    assert!(err.contains("-:line 1, byte 0"), "{err}");
    assert!(
        out.contains(r#""kind":"error""#) && out.contains(r#""command":"ls""#),
        "{out}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(ttyscribe(&["--cols", "zero"], b"").0, 2);
    assert_eq!(ttyscribe(&["--prompt", "("], b"").0, 2);
    let (code, out, _) = ttyscribe(&["--help"], b"");
    assert_eq!(code, 0);
    assert!(out.contains("Examples:"));
}

/// Several sessions interleaved in one input, trickled into a pipe a byte at a time (as
/// `aws logs tail --follow` delivers them), give the records of the whole file.
#[test]
fn interleaved_sessions_fed_byte_by_byte_through_a_pipe() {
    for input in [
        "corpus/aws/fle3.json",
        "corpus/cloudwatch/filter_zsh_fish_mksh.json",
    ] {
        let (code, whole, err) = ttyscribe(&["--format", "jsonl", input], b"");
        assert_eq!(code, 0, "{err}");
        let bytes = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(input))
            .expect("corpus input");
        let mut child = Command::new(env!("CARGO_BIN_EXE_ttyscribe"))
            .args(["--format", "jsonl", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("run ttyscribe");
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || {
            for b in bytes.chunks(1) {
                stdin.write_all(b).expect("write");
                stdin.flush().expect("flush");
            }
        });
        let out = child.wait_with_output().expect("output");
        writer.join().expect("writer");
        let trickled = String::from_utf8(out.stdout).expect("utf-8");
        // The input's name is in no record here (no error), so the two must be equal.
        assert_eq!(trickled, whole, "{input}");
        assert!(whole.matches(r#""kind":"session""#).count() >= 3, "{input}");
    }
}

#[test]
fn a_typescript_with_its_timing_and_input_logs() {
    let dir = "corpus/timed/timed_bash_sleeps__script-advanced";
    let (timing, log_in, typescript) = (
        format!("{dir}/timing"),
        format!("{dir}/in.log"),
        format!("{dir}/typescript"),
    );
    let args = [
        "--format",
        "jsonl",
        "--timing",
        &timing,
        "--log-in",
        &log_in,
        &typescript,
    ];
    let (code, out, err) = ttyscribe(&args, b"");
    assert_eq!(code, 0, "{err}");
    let sleep = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["command"] == "sleep 2")
        .expect("sleep 2");
    let d = sleep["duration"].as_f64().expect("a duration");
    assert!((1.9..3.0).contains(&d), "{d}");
    assert!(
        sleep["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "keystrokes")
    );
    // One timing log goes with one input.
    let (code, _, err) = ttyscribe(&["--timing", &timing, &typescript, &typescript], b"");
    assert_eq!(code, 2, "{err}");
    // A timing line that is not one is reported with its place, the rest read.
    let bad = std::env::temp_dir().join("ttyscribe-bad-timing");
    let mut t = std::fs::read(&timing).unwrap();
    t.splice(0..0, b"not a timing line\n".iter().copied());
    std::fs::write(&bad, t).unwrap();
    let bad = bad.to_str().unwrap().to_owned();
    let (code, out, err) = ttyscribe(&["--format", "jsonl", "--timing", &bad, &typescript], b"");
    assert_eq!(code, 1);
    assert!(
        err.contains("line 1, byte 0: malformed script timing"),
        "{err}"
    );
    assert!(out.contains("\"sleep 2\""));
}
