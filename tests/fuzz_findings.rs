//! Inputs the fuzzers (`fuzz/`) found breaking a promise, each checked for the promise it
//! broke and then for every invariant of `fuzz/src/invariants.rs`.

use ttyscribe::{Config, InputFormat, Record, limits, parse};

#[path = "../fuzz/src/invariants.rs"]
mod invariants;

fn commands(records: &[Record]) -> Vec<&ttyscribe::Command> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn check_all(input: &[u8], format: InputFormat) {
    let cfg = Config::default().with_format(format);
    if let Err(e) = invariants::check(input, &cfg, &[1, 7, 64, 4096]) {
        panic!("{e}");
    }
}

/// A long line typed before the width was known is read row by row, cut at `MAX_COMMAND`,
/// and joined again once the width is learned: the join used to pass the cap (75,529 bytes).
#[test]
fn rejoined_rows_stay_under_max_command() {
    let mut input = b"x\x1b[?2004h".to_vec();
    input.extend_from_slice(&vec![b"x".repeat(120); 36].join(&b'\n'));
    input.extend_from_slice(b"\x1b[?2004l\r\nx        \r\x07");
    let records = parse(&input, Config::default());
    let cmds = commands(&records);
    assert!(!cmds.is_empty(), "{records:?}");
    for c in &cmds {
        assert!(
            c.command.len() <= limits::MAX_COMMAND,
            "{} bytes",
            c.command.len()
        );
    }
    assert!(
        cmds.iter().any(|c| c.truncated),
        "the cut command says so: {cmds:?}"
    );
    check_all(&input, InputFormat::Auto);
}

fn heredoc(lines: usize, width: usize) -> Vec<u8> {
    let mut input = b"$ cat <<E\r\n".to_vec();
    for _ in 0..lines {
        input.extend_from_slice(b"> ");
        input.extend(std::iter::repeat_n(b'b', width));
        input.extend_from_slice(b"\r\n");
    }
    input.extend_from_slice(b"> E\r\n$ ");
    input
}

/// Each continuation line of a here-document joins the command: 200 lines of 4,000 bytes
/// made one command of 800,209 bytes that did not say `truncated`.
#[test]
fn heredoc_stops_at_max_command() {
    let input = heredoc(200, 4000);
    let records = parse(&input, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 1, "{cmds:?}");
    let c = cmds[0];
    assert!(
        c.command.starts_with("cat <<E\nbbbb"),
        "{:?}",
        &c.command[..20]
    );
    assert!(
        c.command.len() <= limits::MAX_COMMAND,
        "{} bytes",
        c.command.len()
    );
    // Cut close to the cap, not at the first line that would not fit whole.
    assert!(c.command.len() > limits::MAX_COMMAND - 4000);
    assert!(c.truncated);
    check_all(&input, InputFormat::Auto);
}

/// Under the cap nothing changes: every line is kept, and the record is not truncated.
#[test]
fn short_heredoc_is_whole() {
    let input = heredoc(3, 5);
    let records = parse(&input, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 1, "{cmds:?}");
    assert_eq!(cmds[0].command, "cat <<E\nbbbbb\nbbbbb\nbbbbb\nE");
    assert!(!cmds[0].truncated);
}

/// `aws logs tail` text whose messages hold invalid UTF-8: each bad byte was decoded into
/// three (U+FFFD) and the message fed at the line's start, so spans went past the input.
#[test]
fn stamped_invalid_utf8_spans_stay_in_input() {
    let mut input = b"2024-10-15T21:22:05.000000+00:00 s-1 $ ls\r\n".to_vec();
    input.extend_from_slice(b"2024-10-15T21:22:06.000000+00:00 s-1 ");
    input.extend_from_slice(&[0xff; 40]);
    input.extend_from_slice(b"\r\n2024-10-15T21:22:07.000000+00:00 s-1 $ x");
    let records = parse(&input, Config::default());
    let len = input.len() as u64;
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:?}");
    for c in &cmds {
        assert!(c.span.end <= len, "span {:?} past {len}", c.span);
    }
    // A message is replayed from its event's line, a byte for a byte: the first command
    // ends after its prompt, the second runs to the end of the input.
    let prompt_at = input.windows(4).position(|w| w == b"$ ls").unwrap() as u64;
    assert_eq!(cmds[0].span.start, 0);
    assert!(cmds[0].span.end > prompt_at);
    assert_eq!(cmds[1].span.end, len, "{:?}", cmds[1].span);
    // Each bad byte reads as one `?`, not as three bytes of U+FFFD.
    assert_eq!(cmds[0].output, "?".repeat(40));
    check_all(&input, InputFormat::Auto);
    check_all(&input, InputFormat::CloudWatch);
}

/// Plain-text events are pieces of one transcript, replayed in time order, each from its
/// own offset: the transcript reader ran the offsets of a piece on from the tail it held
/// of the piece before, so a later piece that is earlier in the file got spans past the end.
#[test]
fn transcript_pieces_keep_their_offsets() {
    // Found by the `auto` target: three plain-text events of a zsh session, two at the
    // same time, the third with a broken key (so it has no time and sorts first).
    let input = include_bytes!("fuzz_findings/transcript_pieces.jsonl");
    let records = parse(input, Config::default());
    let len = input.len() as u64;
    assert!(commands(&records).len() >= 2, "{records:?}");
    for r in &records {
        let span = match r {
            Record::Command(c) => c.span,
            Record::Output(o) => o.span,
            _ => continue,
        };
        assert!(span.end <= len, "span {span:?} past {len}");
    }
    check_all(input, InputFormat::Auto);
}

/// Found by the `cloudwatch` target: gzip members with damaged data (CRC failures, corrupt
/// deflate data, junk between members) read whole reported errors for lines 2 and 3 of the
/// first member's JSON that two pieces cut at byte 316 lost (the inner document was dropped
/// at the damage before it had been read) or gave after the gzip errors. The gzip reader now
/// has its inner decoder read what is complete before it reports on a member or skips.
#[test]
fn damaged_gzip_errors_do_not_depend_on_chunking() {
    let input = include_bytes!("fuzz_findings/damaged_gzip.gz");
    let config = Config::default().with_format(InputFormat::CloudWatch);
    let whole = parse(input, config.clone());
    let fed = invariants::feed(input, &config, &[316, input.len()]);
    if let Err(f) = invariants::compare(&whole, &fed, "two pieces") {
        panic!("{f}");
    }
}

/// Found by the `auto` and `cloudwatch` targets: Logs Insights CSV whose messages held
/// invalid UTF-8 decoded each bad byte into three, as the timestamped text did, and the
/// spans of its records ran past the end of the input (fixed in src/source/aws/csv.rs: the
/// message keeps the input's length).
#[test]
fn insights_csv_spans_stay_in_input() {
    let input = include_bytes!("fuzz_findings/insights_invalid_utf8.csv");
    let records = parse(input, Config::default());
    if let Err(f) = invariants::records(input, &records) {
        panic!("{f}");
    }
}

/// Found by the `cloudwatch` target: plain-text JSON events without a session id, then a
/// streamed event with one. Whether that event joined the first replay or started a session
/// of its own depended on `Replay::is_empty`, which looked at records not yet collected:
/// read whole, the input gave one session; cut at byte 570, two. Sessions are now opened
/// by id alone (src/sessions.rs), whatever the chunking.
#[test]
fn plain_text_events_do_not_depend_on_chunking() {
    let input = include_bytes!("fuzz_findings/plain_events_split.jsonl");
    let config = Config::default().with_format(InputFormat::CloudWatch);
    let whole = parse(input, config.clone());
    let fed = invariants::feed(input, &config, &[570, input.len()]);
    if let Err(f) = invariants::compare(&whole, &fed, "two pieces") {
        panic!("{f}");
    }
}

/// Found by the `cloudwatch` target on the final code: a gzip member cut off by the end of
/// the input, holding a broken JSON document. Read whole, the document's error came before
/// the gzip reader's "cut off"; in two pieces, after it: the document had not been read yet
/// when the gzip reader reported. Every report on a member now comes after what the inner
/// decoder holds complete.
#[test]
fn a_cut_gzip_member_reports_in_the_same_order_at_every_chunking() {
    let input = include_bytes!("fuzz_findings/cut_gzip_member.bin");
    let config = Config::default().with_format(InputFormat::CloudWatch);
    let whole = parse(input, config.clone());
    let cut = input.len() * usize::from(input[0]) / 256;
    let fed = invariants::feed(input, &config, &[cut.max(1), input.len()]);
    if let Err(f) = invariants::compare(&whole, &fed, "two pieces") {
        panic!("{f}");
    }
    check_all(input, InputFormat::CloudWatch);
}

/// Two inputs starting with a byte-order mark and no `Script started on` header: the
/// first line was read as output at the offset of the mark, 3 bytes before its text, so a
/// record's span moved with the chunking.
#[test]
fn bom_without_header_same_in_pieces() {
    for input in [
        &include_bytes!("fuzz_findings/bom_no_header_a.log")[..],
        &include_bytes!("fuzz_findings/bom_no_header_b.log")[..],
    ] {
        same_in_two_pieces(input);
    }
}

fn same_in_two_pieces(input: &[u8]) {
    let cfg = Config::default().with_format(InputFormat::Script);
    let whole = parse(input, cfg.clone());
    for cut in 1..input.len() {
        let fed = invariants::feed(input, &cfg, &[cut, input.len()]);
        if let Err(e) = invariants::compare(&whole, &fed, "two pieces") {
            panic!("cut at {cut}: {e}");
        }
    }
    check_all(input, InputFormat::Script);
}

/// A damaged gzip stream around a transcript: the inflater's error came in whichever step of
/// the input held the damage, and the records differed by where the input was cut (the error
/// was placed at that step, before the bytes inflated in it).
#[test]
fn damaged_gzip_around_a_transcript_reads_alike_however_cut() {
    let input = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_findings/damaged_gzip_transcript.gz"),
    )
    .expect("finding");
    for format in [InputFormat::Auto, InputFormat::Script, InputFormat::Raw] {
        check_all(&input, format);
        let cfg = Config::default().with_format(format);
        let whole = parse(&input, cfg.clone());
        for cut in 1..input.len() {
            let fed = invariants::feed(&input, &cfg, &[cut, input.len()]);
            assert!(whole == fed, "{format:?} cut at {cut}");
        }
    }
}

/// A ttyrec frame split by the input's chunking was taken for two writes of the output (so
/// a line drawn in the frame looked typed across writes, or not): only a frame's first
/// piece begins a write.
#[test]
fn a_ttyrec_frame_split_by_chunking_is_one_write() {
    let input = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_findings/ttyrec_frame_split.bin"),
    )
    .expect("finding");
    check_all(&input, InputFormat::Auto);
    let cfg = Config::default();
    let whole = parse(&input, cfg.clone());
    for cut in 1..input.len() {
        let fed = invariants::feed(&input, &cfg, &[cut, input.len()]);
        assert!(whole == fed, "cut at {cut}");
    }
    // The same for a real recording.
    let real = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/timed/timed_bash_forged_cat__ttyrec/session.ttyrec"),
    )
    .expect("recording");
    check_all(&real, InputFormat::Auto);
}
