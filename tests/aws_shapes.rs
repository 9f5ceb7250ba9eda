//! CloudWatch Logs shapes through the public decoder: every wrapper of the same streamed
//! events must give the same lines as the bare event JSON read directly, whole or fed in any
//! chunks. Inputs: `corpus/aws/` (see `corpus/aws/make.sh`).

use std::path::Path;

use serde_json::Value;
use ttyscribe::Error;
use ttyscribe::source::aws::{Decoder, EventData, LogEvent, looks_like};
use ttyscribe::source::order::order;

type Out = Vec<Result<LogEvent, Error>>;

fn read(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Decode `input` fed in the pieces that `cuts` (increasing offsets) make.
fn decode_cut(input: &[u8], cuts: &[usize]) -> Out {
    let mut got = Vec::new();
    let mut d = Decoder::new(Some("in".into()));
    let mut out = |r| got.push(r);
    let mut at = 0;
    for &c in cuts.iter().chain(std::iter::once(&input.len())) {
        d.feed(&input[at..c], at as u64, &mut out);
        at = c;
    }
    d.finish(input.len() as u64, &mut out);
    got
}

fn decode(input: &[u8]) -> Out {
    decode_cut(input, &[])
}

/// Decoding in chunks gives what decoding at once gives: every chunk size 1–7 for small
/// inputs, seeded random cuts for larger ones.
fn check_chunked(input: &[u8], whole: &Out) {
    if input.len() <= 8 * 1024 {
        for step in 1..=7 {
            let cuts: Vec<usize> = (step..input.len()).step_by(step).collect();
            assert_eq!(&decode_cut(input, &cuts), whole, "chunks of {step}");
        }
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64 ^ input.len() as u64;
    for round in 0..20 {
        let mut cuts = Vec::new();
        let mut at = 0;
        loop {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            at += 1 + (seed % 300) as usize;
            if at >= input.len() {
                break;
            }
            cuts.push(at);
        }
        assert_eq!(
            &decode_cut(input, &cuts),
            whole,
            "random cuts, round {round}"
        );
    }
}

fn events(out: &Out) -> Vec<LogEvent> {
    out.iter()
        .map(|r| {
            r.clone()
                .unwrap_or_else(|e| panic!("unexpected error: {e}"))
        })
        .collect()
}

/// (sessionId, sessionData) of every line of a bare event JSON Lines file, read directly.
fn reference(rel: &str) -> Vec<(String, Vec<String>)> {
    String::from_utf8(read(rel))
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let lines = v["sessionData"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_owned())
                .collect();
            (v["sessionId"].as_str().unwrap().to_owned(), lines)
        })
        .collect()
}

fn lines(e: &LogEvent) -> Vec<String> {
    match &e.data {
        EventData::Lines(l) => l.clone(),
        other => panic!("expected lines, got {other:?}"),
    }
}

/// The events are exactly the reference's, in order: same lines and session ids.
fn assert_same(evs: &[LogEvent], want: &[(String, Vec<String>)]) {
    let got: Vec<(String, Vec<String>)> = evs
        .iter()
        .map(|e| (e.session_id.clone().unwrap_or_default(), lines(e)))
        .collect();
    assert_eq!(got.len(), want.len(), "event count");
    assert_eq!(got, want);
    let cat = |v: &[(String, Vec<String>)]| v.iter().flat_map(|x| x.1.clone()).collect::<Vec<_>>();
    assert_eq!(cat(&got), cat(want));
}

/// Decode a corpus file (checking chunked feeding), order it, and compare to a reference.
fn check_file(rel: &str, reference_rel: &str) -> Vec<LogEvent> {
    let input = read(rel);
    assert!(
        looks_like(&input[..input.len().min(64)]),
        "{rel}: looks_like"
    );
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let mut evs = events(&whole);
    order(&mut evs);
    assert_same(&evs, &reference(reference_rel));
    evs
}

const SESSIONS: [&str; 3] = ["zsh_plain", "bash_tab_unique", "dash_plain"];

#[test]
fn bare_jsonl_has_every_field() {
    for s in SESSIONS {
        let evs = check_file(
            &format!("corpus/aws/{s}/cloudwatch.jsonl"),
            &format!("corpus/aws/{s}/cloudwatch.jsonl"),
        );
        let raw = read(&format!("corpus/aws/{s}/cloudwatch.jsonl"));
        let mut byte = 0;
        for (i, (e, line)) in evs.iter().zip(raw.split(|&c| c == b'\n')).enumerate() {
            let v: Value = serde_json::from_slice(line).unwrap();
            assert_eq!(e.location.input.as_deref(), Some("in"));
            assert_eq!(e.location.line, Some(i as u64 + 1));
            assert_eq!(e.location.byte, byte);
            byte += line.len() as u64 + 1;
            // The agent writes whole seconds in UTC, as a Timestamp is written back.
            let time = e.event_time.map(|t| t.to_string());
            assert_eq!(time.as_deref(), v["eventTime"].as_str());
            assert_eq!(e.region.as_deref(), v["awsRegion"].as_str());
            assert_eq!(e.target.as_deref(), v["target"]["id"].as_str());
            assert_eq!(e.owner_arn.as_deref(), v["userIdentity"]["arn"].as_str());
            assert_eq!(e.run_as.as_deref(), v["runAsUser"].as_str());
            assert!(e.timestamp_ms.is_some_and(|t| t % 1000 == 0));
        }
    }
}

#[test]
fn get_log_events() {
    for s in SESSIONS {
        let evs = check_file(
            &format!("corpus/aws/{s}/gle.json"),
            &format!("corpus/aws/{s}/cloudwatch.jsonl"),
        );
        // Each event is placed at its own element of the pretty-printed "events" array.
        let raw = read(&format!("corpus/aws/{s}/gle.json"));
        for e in &evs {
            assert_eq!(raw[e.location.byte as usize], b'{');
            let line = raw[..e.location.byte as usize]
                .iter()
                .filter(|&&c| c == b'\n')
                .count();
            assert_eq!(e.location.line, Some(line as u64 + 1));
        }
        let gle: Value = serde_json::from_slice(&raw).unwrap();
        let ts: Vec<i64> = gle["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["timestamp"].as_i64().unwrap())
            .collect();
        assert_eq!(
            evs.iter()
                .map(|e| e.timestamp_ms.unwrap())
                .collect::<Vec<_>>(),
            ts
        );
    }
}

#[test]
fn filter_log_events_three_sessions() {
    let input = read("corpus/aws/fle3.json");
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let mut evs = events(&whole);
    // Interleaved in the input...
    let first: Vec<_> = evs.iter().take(6).map(|e| e.session_id.clone()).collect();
    assert!(
        first.windows(2).any(|w| w[0] != w[1]),
        "interleaved: {first:?}"
    );
    // ...and each session's events, taken out of the ordered stream, are its own stream's.
    assert_eq!(order(&mut evs), 0);
    let mut seen = Vec::new();
    for e in &evs {
        if !seen.contains(&e.session_id) {
            seen.push(e.session_id.clone());
        }
    }
    for sid in &seen {
        let mine: Vec<LogEvent> = evs
            .iter()
            .filter(|e| &e.session_id == sid)
            .cloned()
            .collect();
        let s = SESSIONS
            .iter()
            .find(|s| {
                Some(&reference(&format!("corpus/aws/stream_{s}.jsonl"))[0].0) == sid.as_ref()
            })
            .expect("a known session");
        assert_same(&mine, &reference(&format!("corpus/aws/stream_{s}.jsonl")));
    }
    assert_eq!(seen.len(), 3);
}

#[test]
fn subscription_records() {
    for s in SESSIONS {
        check_file(
            &format!("corpus/aws/{s}/subscription.jsonl"),
            &format!("corpus/aws/{s}/cloudwatch.jsonl"),
        );
    }
    check_file(
        "corpus/aws/sub_decoded.jsonl",
        "corpus/aws/zsh_plain/cloudwatch.jsonl",
    );
    check_file(
        "corpus/aws/sub_python.jsonl",
        "corpus/aws/bash_tab_unique/cloudwatch.jsonl",
    );
    check_file(
        "corpus/aws/sub_decoded_python.jsonl",
        "corpus/aws/dash_plain/cloudwatch.jsonl",
    );
}

#[test]
fn subscription_of_plain_text_events_with_upper_case_escapes() {
    let input = read("corpus/aws/sub_decoded_plain.jsonl");
    // Jackson-style `\u001B` for the raw ESC of plain-text messages.
    assert!(String::from_utf8_lossy(&input).contains("\\u001B"));
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let evs = events(&whole);
    assert_eq!(texts(&evs), plain_small());
    assert!(
        evs.iter()
            .all(|e| e.session_id.is_some() && e.timestamp_ms.is_some())
    );
}

fn plain_small() -> Vec<String> {
    String::from_utf8(read("corpus/aws/plain_small.jsonl"))
        .unwrap()
        .lines()
        .flat_map(|l| plain_reference(&serde_json::from_str(l).unwrap()))
        .collect()
}

#[test]
fn export_objects() {
    for s in SESSIONS {
        let evs = check_file(
            &format!("corpus/aws/{s}/export.gz"),
            &format!("corpus/aws/{s}/cloudwatch.jsonl"),
        );
        assert!(
            evs.iter()
                .all(|e| e.location.byte == 0 && e.timestamp_ms.is_some())
        );
    }
}

#[test]
fn go122_escapes() {
    let a = read("corpus/aws/go122.jsonl");
    let b = read("corpus/aws/go119.jsonl");
    assert_ne!(a, b);
    assert!(String::from_utf8_lossy(&a).contains("\\b"));
    check_file("corpus/aws/go122.jsonl", "corpus/aws/go119.jsonl");
}

#[test]
fn pretty_array_and_gzip_variants() {
    check_file(
        "corpus/aws/pretty.json",
        "corpus/aws/zsh_plain/cloudwatch.jsonl",
    );
    check_file(
        "corpus/aws/array.json",
        "corpus/aws/bash_tab_unique/cloudwatch.jsonl",
    );
    check_file(
        "corpus/aws/jsonl.gz",
        "corpus/aws/zsh_plain/cloudwatch.jsonl",
    );
    let evs = check_file(
        "corpus/aws/jsonl_2members.gz",
        "corpus/aws/zsh_plain/cloudwatch.jsonl",
    );
    // Events of the second member are placed at its offset.
    let raw = read("corpus/aws/jsonl_2members.gz");
    let second = (1..raw.len() - 1)
        .find(|&i| raw[i..].starts_with(b"\x1f\x8b\x08"))
        .unwrap() as u64;
    let n = evs.len();
    assert!(evs[..n / 2].iter().all(|e| e.location.byte == 0));
    assert!(evs[n / 2..].iter().all(|e| e.location.byte == second));
}

#[test]
fn insights_results() {
    for f in ["corpus/aws/insights.csv", "corpus/aws/insights.json"] {
        let evs = check_file(f, "corpus/aws/zsh_plain/cloudwatch.jsonl");
        assert!(
            evs.windows(2)
                .all(|w| w[0].timestamp_ms < w[1].timestamp_ms)
        );
    }
}

#[test]
fn aws_logs_tail() {
    let evs = check_file(
        "corpus/aws/tail.txt",
        "corpus/aws/bash_tab_unique/cloudwatch.jsonl",
    );
    for (i, e) in evs.iter().enumerate() {
        assert_eq!(e.location.line, Some(i as u64 + 1));
        assert_eq!(
            e.timestamp_ms,
            e.event_time.map(|t| {
                let d = &read("corpus/aws/tail.txt")[e.location.byte as usize..];
                assert!(d.starts_with(&t.to_string().as_bytes()[..19]));
                e.timestamp_ms.unwrap()
            })
        );
    }
}

/// The messages of a plain-text get-log-events / plain.jsonl file, read directly.
fn plain_reference(v: &Value) -> Vec<String> {
    let list = v.get("events").and_then(Value::as_array).cloned();
    list.unwrap_or_else(|| vec![v.clone()])
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_owned())
        .collect()
}

fn texts(evs: &[LogEvent]) -> Vec<String> {
    evs.iter()
        .map(|e| match &e.data {
            EventData::Text(t) => t.clone(),
            other => panic!("expected text, got {other:?}"),
        })
        .collect()
}

#[test]
fn plain_text_events() {
    for s in SESSIONS {
        let rel = format!("corpus/aws/{s}/plain.json");
        let input = read(&rel);
        let whole = decode(&input);
        check_chunked(&input, &whole);
        let evs = events(&whole);
        let want = plain_reference(&serde_json::from_slice(&input).unwrap());
        assert_eq!(texts(&evs), want);
        assert!(want[0].starts_with("Script started on "));
    }
    // Exported plain-text events continue over unprefixed lines.
    let input = read("corpus/aws/export_plain.txt");
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let evs = events(&whole);
    let want = plain_small();
    assert!(want.len() > 1 && want.iter().all(|m| m.contains('\n')));
    assert_eq!(texts(&evs), want);
    // The same through the plain.jsonl lines themselves.
    let evs = events(&decode(&read("corpus/aws/plain_small.jsonl")));
    assert_eq!(texts(&evs), want);
}

#[test]
fn corrupt_line_is_reported_and_skipped() {
    let input = read("corpus/aws/corrupt_line.jsonl");
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let line4 = input
        .split_inclusive(|&c| c == b'\n')
        .take(3)
        .map(<[u8]>::len)
        .sum::<usize>() as u64;
    let errs: Vec<&Error> = whole.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    let loc = errs[0].location();
    assert_eq!(
        (loc.input.as_deref(), loc.line, loc.byte),
        (Some("in"), Some(4), line4)
    );
    assert!(matches!(errs[0], Error::Malformed { .. }));
    assert!(errs[0].to_string().contains("in:line 4, byte"));
    let evs: Vec<LogEvent> = whole.into_iter().filter_map(Result::ok).collect();
    let mut want = reference("corpus/aws/zsh_plain/cloudwatch.jsonl");
    want.remove(3);
    assert_same(&evs, &want);
}

#[test]
fn corrupt_gzip_member_is_reported_and_skipped() {
    let input = read("corpus/aws/jsonl_corrupt_member.gz");
    let whole = decode(&input);
    check_chunked(&input, &whole);
    let errs: Vec<&Error> = whole.iter().filter_map(|r| r.as_ref().err()).collect();
    let starts: Vec<u64> = (0..input.len() - 2)
        .filter(|&i| input[i..].starts_with(b"\x1f\x8b\x08\x00"))
        .map(|i| i as u64)
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(
        errs.iter().any(|e| e.location().byte == starts[1]
            && matches!(e, Error::Malformed { format: "gzip", .. })),
        "{errs:?}"
    );
    // Every event of the first and the last member is there, in order, at its member.
    let evs: Vec<LogEvent> = whole.iter().filter_map(|r| r.clone().ok()).collect();
    let all = reference("corpus/aws/zsh_plain/cloudwatch.jsonl");
    for (m, at) in [(0, starts[0]), (2, starts[2])] {
        let want: Vec<_> = all.iter().skip(m).step_by(3).cloned().collect();
        let got: Vec<LogEvent> = evs
            .iter()
            .filter(|e| e.location.byte == at)
            .cloned()
            .collect();
        assert_same(&got, &want);
    }
}

#[test]
fn powershell_transcript_is_unsupported() {
    let input = read("corpus/aws/powershell.txt");
    assert!(looks_like(&input[..64]));
    let whole = decode(&input);
    check_chunked(&input, &whole);
    assert_eq!(whole.len(), 1);
    assert!(matches!(
        &whole[0],
        Err(Error::Unsupported { location, .. }) if location.byte == 0
    ));
}

#[test]
fn raw_and_script_inputs_are_not_cloudwatch() {
    for rel in [
        "corpus/dev/zsh_plain/raw.bin",
        "corpus/dev/zsh_plain/s3.log",
        "corpus/dev/bash_tab_unique/raw.bin",
        "corpus/dev/bash_tab_unique/s3.log",
        "corpus/dev/bash_tab_unique/s3var.log",
    ] {
        let input = read(rel);
        assert!(!looks_like(&input[..64]), "{rel}");
    }
    assert!(!looks_like(b"[ec2-user@ip-10-0-1-11 ~]$ ls\r\n"));
}

#[test]
fn past_max_line_bytes_the_line_is_skipped_and_decoding_goes_on() {
    let ev = br#"{"eventVersion":"1.0","sessionId":"s-1","sessionData":["ok"]}"#;
    let mut input = ev.to_vec();
    input.push(b'\n');
    input.extend(std::iter::repeat_n(
        b'x',
        ttyscribe::source::aws::MAX_LINE_BYTES + 10,
    ));
    input.push(b'\n');
    input.extend_from_slice(ev);
    let cuts: Vec<usize> = (1..input.len()).step_by(1 << 16).collect();
    let got = decode_cut(&input, &cuts);
    assert_eq!(got.len(), 3);
    assert!(got[0].is_ok() && got[2].is_ok());
    assert_eq!(got[1].as_ref().unwrap_err().location().line, Some(2));
    assert_eq!(got[2].as_ref().unwrap().location.line, Some(3));
}

#[test]
fn duplicates_dropped_by_order() {
    let mut input = read("corpus/aws/zsh_plain/gle.json");
    input.extend(read("corpus/aws/zsh_plain/gle.json"));
    let mut evs = events(&decode(&input));
    let n = evs.len() / 2;
    assert_eq!(order(&mut evs), n as u64);
    assert_same(&evs, &reference("corpus/aws/zsh_plain/cloudwatch.jsonl"));
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that drive every state of the decoders.
    fn fragment() -> impl Strategy<Value = Vec<u8>> {
        let fixed: Vec<&'static [u8]> = vec![
            br#"{"eventVersion":"1.0","sessionId":"s","sessionData":["a","\u001B[K"]}"#,
            br#"{"timestamp":17,"message":"{\"sessionData\":[\"b\"],\"sessionId\":\"t\"}"}"#,
            br#"{"message":"Script started on x\r\n$ ls","timestamp":1}"#,
            br#"{"events":["#,
            br#"{"messageType":"DATA_MESSAGE","logStream":"u","logEvents":[{"id":"1","timestamp":3,"message":"m"}]}"#,
            br#"{"awslogs":{"data":"H4sIAAAAAAAAA6tWykvMTVWyUqpWyirOz4vPTsnML1KqBQBGZ+3dHAAAAA=="}}"#,
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b",",
            b":",
            b"\n",
            b"\r\n",
            b"  ",
            b"12",
            b"true",
            b"2024-10-15T21:22:05.123Z ",
            b"2024-10-15T21:22:05.123000+00:00 sid ",
            b"2024-10-15T21:22:05 ",
            b"@timestamp,@message,@logStream\r\n",
            b"\"a,\"\"b\"\"\",",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
            b"\xef\xbb\xbf",
            b"**********************\r\nWindows PowerShell transcript start\r\n",
        ];
        prop_oneof![
            4 => proptest::sample::select(fixed).prop_map(<[u8]>::to_vec),
            1 => proptest::collection::vec(any::<u8>(), 0..12),
        ]
    }

    fn input() -> impl Strategy<Value = Vec<u8>> {
        let gz = {
            let mut v = read("corpus/aws/jsonl_2members.gz");
            v.truncate(900);
            v
        };
        (
            proptest::collection::vec(fragment(), 0..40),
            any::<bool>(),
            any::<u16>(),
        )
            .prop_map(move |(parts, gzip, cut)| {
                let body = parts.concat();
                if gzip {
                    let mut v = gz.clone();
                    v.truncate(usize::from(cut) % (gz.len() + 1));
                    v.extend_from_slice(&body);
                    v
                } else {
                    body
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn chunking_never_changes_the_result(
            input in input(),
            cuts in proptest::collection::vec(any::<u16>(), 0..30),
        ) {
            let whole = decode(&input);
            let mut cuts: Vec<usize> = cuts
                .into_iter()
                .map(|c| usize::from(c) % (input.len() + 1))
                .collect();
            cuts.sort_unstable();
            prop_assert_eq!(decode_cut(&input, &cuts), whole);
        }
    }
}
