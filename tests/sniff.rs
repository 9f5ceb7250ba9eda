//! The input format is decided on the bytes that settle it, however the input is chunked.

use ttyscribe::{Config, Record, Scribe, parse};

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect(rel)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("to a Vec");
    e.finish().expect("to a Vec")
}

fn split_at(input: &[u8], at: usize) -> Vec<Record> {
    let mut s = Scribe::new(Config::default());
    let (a, b) = input.split_at(at.min(input.len()));
    let mut out: Vec<Record> = s.feed(a).collect();
    out.extend(s.feed(b));
    out.extend(s.finish());
    out
}

fn format(records: &[Record]) -> String {
    match records.last() {
        Some(Record::Session(s)) => s.input_format.to_string(),
        other => panic!("no session record last: {other:?}"),
    }
}

#[test]
fn the_first_chunk_ending_early_does_not_change_the_format() {
    let cloudwatch = read("corpus/aws/stream_zsh_plain.jsonl");
    let mut padded = vec![b'\n'; 70];
    padded.extend_from_slice(&cloudwatch);
    let mut bom_pretty = b"\xef\xbb\xbf   \n".to_vec();
    bom_pretty.extend_from_slice(&read("corpus/aws/pretty.json"));
    let inputs = [
        ("cloudwatch after 70 newlines", padded, "cloudwatch"),
        ("pretty JSON after a BOM", bom_pretty, "cloudwatch"),
        (
            "script",
            read("corpus/dev/bash_tab_ambiguous/s3.log"),
            "script",
        ),
        ("raw", read("corpus/dev/bash_tab_ambiguous/raw.bin"), "raw"),
        (
            "asciicast v2",
            read("corpus/timed/timed_bash_sleeps__asciinema2/session.cast"),
            "asciicast",
        ),
        (
            "asciicast v3",
            read("corpus/timed/timed_zsh_sleeps__asciinema3/session.cast"),
            "asciicast",
        ),
        (
            "ttyrec",
            read("corpus/timed/timed_fish_sleeps__ttyrec/session.ttyrec"),
            "ttyrec",
        ),
        (
            "gzip script",
            gzip(&read("corpus/dev/bash_tab_ambiguous/s3.log")),
            "script",
        ),
        (
            "gzip asciicast",
            gzip(&read(
                "corpus/timed/timed_bash_password__asciinema3/session.cast",
            )),
            "asciicast",
        ),
    ];
    for (name, input, want) in &inputs {
        let whole = parse(input, Config::default());
        assert_eq!(format(&whole), *want, "{name}");
        for at in 1..=100 {
            assert!(split_at(input, at) == whole, "{name} split at {at}");
        }
    }
}

fn errors(records: &[Record]) -> Vec<(ttyscribe::ErrorKind, String)> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some((e.kind, e.message.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_gzip_session_says_so_and_reads_like_the_plain_one() {
    let plain = read("corpus/dev/bash_tab_ambiguous/s3.log");
    let commands = |r: &[Record]| -> Vec<String> {
        r.iter()
            .filter_map(|r| match r {
                Record::Command(c) => Some(c.command.clone()),
                _ => None,
            })
            .collect()
    };
    let a = parse(&plain, Config::default());
    let b = parse(&gzip(&plain), Config::default());
    assert_eq!(commands(&a), commands(&b));
    assert!(matches!(b.last(), Some(Record::Session(s)) if s.gzip));
    assert!(matches!(a.last(), Some(Record::Session(s)) if !s.gzip));
}

#[test]
fn json_of_another_program_is_refused_in_one_error() {
    let mut lines = Vec::new();
    for i in 0..50 {
        lines.extend_from_slice(format!("{{\"level\":\"info\",\"n\":{i}}}\n").as_bytes());
    }
    let got = errors(&parse(&lines, Config::default()));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, ttyscribe::ErrorKind::Unrecognised);
    assert!(got[0].1.contains("keys: level, n"), "{}", got[0].1);
    // A bad value after events is one damaged line of a real log, not a refusal.
    let mut log = read("corpus/aws/stream_zsh_plain.jsonl");
    log.extend_from_slice(b"\"a string\"\n");
    let got = errors(&parse(&log, Config::default()));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, ttyscribe::ErrorKind::Malformed);
}
