//! The input format is decided on the bytes that settle it, however the input is chunked.

use ttyscribe::{Config, Record, Scribe, parse};

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect(rel)
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
    ];
    for (name, input, want) in &inputs {
        let whole = parse(input, Config::default());
        assert_eq!(format(&whole), *want, "{name}");
        for at in 1..=100 {
            assert!(split_at(input, at) == whole, "{name} split at {at}");
        }
    }
}
