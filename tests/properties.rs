//! Property tests: chunking invariance (synthetic and real corpus) and robustness on
//! arbitrary / pathological input (no panic, every record within the caps in `limits`).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use ttyscribe::{Config, InputFormat, Record, Scribe, limits, parse};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Feed `input` split at the (sorted, deduplicated) positions in `cuts`.
fn feed_split(input: &[u8], cuts: &[usize]) -> Vec<Record> {
    let mut scribe = Scribe::new(Config::default());
    let mut out = Vec::new();
    let mut prev = 0;
    for &c in cuts {
        let c = c.min(input.len());
        if c < prev {
            continue;
        }
        out.extend(scribe.feed(&input[prev..c]));
        prev = c;
    }
    out.extend(scribe.feed(&input[prev..]));
    out.extend(scribe.finish());
    out
}

fn feed_chunks(input: &[u8], size: usize) -> Vec<Record> {
    let mut scribe = Scribe::new(Config::default());
    let mut out = Vec::new();
    for chunk in input.chunks(size.max(1)) {
        out.extend(scribe.feed(chunk));
    }
    out.extend(scribe.finish());
    out
}

#[path = "../fuzz/src/invariants.rs"]
mod invariants;

/// Every record is within the caps and points inside the input, the session records are
/// in place and the JSON Lines are `serde_json`'s (the fuzzers' checks, `fuzz/src/`).
fn check_bounds(input: &[u8], records: &[Record]) {
    if let Err(f) = invariants::records(input, records).and_then(|()| invariants::jsonl(records)) {
        panic!("{f}");
    }
}

// ---------------------------------------------------------------------------------------
// Generators
//
// Built from plain integers and lookup tables rather than regex / union strategies: the
// tests run unoptimised under `cargo test`, where proptest's regex strategies cost more
// than the parser itself.
// ---------------------------------------------------------------------------------------

/// Input bytes that print readably when proptest reports a failure.
#[derive(Clone)]
struct Input(Vec<u8>);

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\" ({} bytes)", self.0.escape_ascii(), self.0.len())
    }
}

const SCRIPT_HEADER: &[u8] =
    b"Script started on 2024-10-15 21:22:05+00:00 [<not executed on terminal>]\n";
const SCRIPT_FOOTER: &[u8] =
    b"\nScript done on 2024-10-15 21:25:05+00:00 [COMMAND_EXIT_CODE=\"0\"]\n";

enum Frag {
    Fixed(&'static [u8]),
    /// A word of typed text or output.
    Word,
    /// Non-ASCII text: accents, CJK (wide), emoji, a combining mark.
    Utf8,
    /// 1 to 5 arbitrary bytes.
    Random,
}

/// Fragments of terminal traffic with their weights.
const FRAGS: &[(u32, Frag)] = &[
    (12, Frag::Word),
    (6, Frag::Fixed(b"\r\n")),
    (3, Frag::Fixed(b"\r")),
    (2, Frag::Fixed(b"\n")),
    (2, Frag::Fixed(b" ")),
    (3, Frag::Fixed(b"\x08")),
    (2, Frag::Fixed(b"\x08\x1b[K")),
    (1, Frag::Fixed(b"\x07")),
    (2, Frag::Fixed(b"\x1b[K")),
    (2, Frag::Fixed(b"\x1b[1@")),
    (2, Frag::Fixed(b"\x1b[3P")),
    (2, Frag::Fixed(b"\x1b[5C")),
    (2, Frag::Fixed(b"\x1b[2D")),
    (1, Frag::Fixed(b"\x1b[C")),
    (1, Frag::Fixed(b"\x1b[A")),
    (3, Frag::Fixed(b"\x1b[?2004h")),
    (3, Frag::Fixed(b"\x1b[?2004l\r")),
    (1, Frag::Fixed(b"\x1b[?1049h")),
    (1, Frag::Fixed(b"\x1b[?1049l")),
    (1, Frag::Fixed(b"\x1b[01;34m")),
    (1, Frag::Fixed(b"\x1b[0m")),
    (1, Frag::Fixed(b"\x1b[H\x1b[2J")),
    (2, Frag::Fixed(b"\x1b]0;t\x07")),
    (1, Frag::Fixed(b"\x1b]0;user@host:~\x1b\\")),
    (1, Frag::Fixed(b"\x1b]7;file://host/tmp\x07")),
    (1, Frag::Fixed(b"\x1b]133;A\x07")),
    (1, Frag::Fixed(b"^C")),
    (1, Frag::Fixed(b" \r")),
    (4, Frag::Fixed(b"$ ")),
    (3, Frag::Fixed(b"[u@h ~]$ ")),
    (1, Frag::Fixed(b"# ")),
    (1, Frag::Fixed(b"> ")),
    (2, Frag::Utf8),
    (1, Frag::Random),
];

const WORDS: &[&str] = &[
    "ls",
    "-la",
    "echo",
    "hi",
    "cd",
    "/tmp",
    "git",
    "status",
    "x",
    "grep",
    "foo",
    "|",
    "wc",
    "-l",
    "sudo",
    "systemctl",
    "restart",
    "nginx",
    "cat",
    "file.txt",
    "=",
    "'a b'",
    "\"q\"",
];
const UTF8: &[&str] = &[
    "é",
    "ü",
    "日本語",
    "漢",
    "🦀",
    "e\u{301}",
    "ä",
    "ñ",
    "中文字",
];

fn total_weight() -> u32 {
    FRAGS.iter().map(|f| f.0).sum()
}

fn build_fragment(sel: u32, seed: u32, out: &mut Vec<u8>) {
    let mut sel = sel % total_weight();
    let frag = FRAGS
        .iter()
        .find(|(w, _)| {
            if sel < *w {
                true
            } else {
                sel -= w;
                false
            }
        })
        .map(|f| &f.1)
        .unwrap();
    match frag {
        Frag::Fixed(b) => out.extend_from_slice(b),
        Frag::Word => out.extend_from_slice(WORDS[seed as usize % WORDS.len()].as_bytes()),
        Frag::Utf8 => out.extend_from_slice(UTF8[seed as usize % UTF8.len()].as_bytes()),
        Frag::Random => {
            let n = 1 + (seed >> 24) as usize % 5;
            out.extend_from_slice(&seed.to_le_bytes()[..n.min(4)]);
            if n == 5 {
                out.push(0x1b);
            }
        }
    }
}

/// A synthetic session: sometimes a `script` header, then weighted fragments, sometimes
/// a footer.
fn session() -> impl Strategy<Value = Input> {
    (
        any::<u8>(),
        prop::collection::vec((any::<u32>(), any::<u32>()), 0..120),
    )
        .prop_map(|(flags, frags)| {
            let mut v = Vec::new();
            if flags % 5 == 1 {
                v.extend_from_slice(SCRIPT_HEADER);
            }
            for (sel, seed) in frags {
                build_fragment(sel, seed, &mut v);
            }
            if flags % 7 == 1 {
                v.extend_from_slice(SCRIPT_FOOTER);
            }
            Input(v)
        })
}

/// Bytes biased towards escape-sequence structure (introducers, parameters, terminators).
const ESCAPE_ALPHABET: &[u8] = b"\x1b\x1b\x1b\x1b[[[]]??;;00112233456789@ABCDHJKLMPXhlmr\x07\x08\r\n\x9b\x9d\xc3\xa9\xe6\x97\xa5ab ";

fn escape_heavy(max: usize) -> impl Strategy<Value = Input> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(|v| {
        Input(
            v.into_iter()
                .map(|b| ESCAPE_ALPHABET[b as usize % ESCAPE_ALPHABET.len()])
                .collect(),
        )
    })
}

fn arbitrary(max: usize) -> impl Strategy<Value = Input> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(Input)
}

/// Sorted cut positions inside `0..=len`.
fn with_cuts<S: Strategy<Value = Input>>(input: S) -> impl Strategy<Value = (Input, Vec<usize>)> {
    (input, prop::collection::vec(any::<usize>(), 0..24)).prop_map(|(v, cuts)| {
        let len = v.0.len();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (len + 1)).collect();
        cuts.sort_unstable();
        (v, cuts)
    })
}

// ---------------------------------------------------------------------------------------
// (a) chunking invariance
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random cut points.
    #[test]
    fn chunking_invariance_synthetic((input, cuts) in with_cuts(session())) {
        let whole = parse(&input.0, Config::default());
        prop_assert_eq!(&feed_split(&input.0, &cuts), &whole, "cuts {:?}", cuts);
    }

    /// One byte per `feed`.
    #[test]
    fn byte_at_a_time_synthetic(input in session()) {
        let whole = parse(&input.0, Config::default());
        prop_assert_eq!(&feed_chunks(&input.0, 1), &whole);
    }

    #[test]
    fn chunking_invariance_escape_heavy((input, cuts) in with_cuts(escape_heavy(1500))) {
        let whole = parse(&input.0, Config::default());
        prop_assert_eq!(&feed_split(&input.0, &cuts), &whole, "cuts {:?}", cuts);
    }

    #[test]
    fn chunking_invariance_arbitrary((input, cuts) in with_cuts(arbitrary(1500))) {
        let whole = parse(&input.0, Config::default());
        prop_assert_eq!(&feed_split(&input.0, &cuts), &whole, "cuts {:?}", cuts);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every single split point of a small session.
    #[test]
    fn chunking_invariance_every_split(input in session()) {
        let whole = parse(&input.0, Config::default());
        for p in 0..=input.0.len() {
            prop_assert_eq!(&feed_split(&input.0, &[p]), &whole, "split at {}", p);
        }
    }
}

/// Chunk sizes for `invariants::check`: empty (one byte per feed) or a few sizes in turn.
fn chunk_sizes() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..200, 0..5)
}

const FORMATS: [InputFormat; 4] = [
    InputFormat::Auto,
    InputFormat::Raw,
    InputFormat::Script,
    InputFormat::CloudWatch,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every invariant the fuzzers check, with each input format and a width or none.
    #[test]
    fn invariants_synthetic(
        input in session(),
        chunks in chunk_sizes(),
        format in 0usize..4,
        cols in prop::option::of(1usize..200),
    ) {
        let mut config = Config::default().with_format(FORMATS[format]);
        if let Some(cols) = cols {
            config = config.with_cols(cols);
        }
        if let Err(f) = invariants::check(&input.0, &config, &chunks) {
            return Err(TestCaseError::fail(f.to_string()));
        }
    }

    #[test]
    fn invariants_arbitrary(input in arbitrary(1500), chunks in chunk_sizes(), format in 0usize..4) {
        let config = Config::default().with_format(FORMATS[format]);
        if let Err(f) = invariants::check(&input.0, &config, &chunks) {
            return Err(TestCaseError::fail(f.to_string()));
        }
    }

    /// CloudWatch-shaped inputs: corpus event files with bytes of them changed.
    #[test]
    fn invariants_cloudwatch_mutated(
        file in 0usize..64,
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        chunks in chunk_sizes(),
    ) {
        let files = aws_files();
        let mut input = std::fs::read(&files[file % files.len()]).unwrap();
        for (at, b) in edits {
            if !input.is_empty() {
                let n = input.len();
                input[at % n] = b;
            }
        }
        if let Err(f) = invariants::check(&input, &Config::default(), &chunks) {
            return Err(TestCaseError::fail(f.to_string()));
        }
    }
}

/// The CloudWatch inputs of `corpus/aws/`, smallest first.
fn aws_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/aws");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "sh"))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()));
    files
}

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    for (dir, names) in [
        ("sessions", &["raw.bin", "s3.log"][..]),
        ("dev", &["raw.bin"][..]),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        dirs.sort();
        for d in dirs {
            for name in names {
                let f = d.join(name);
                if f.is_file() {
                    files.push(f);
                }
            }
        }
    }
    files
}

/// Small deterministic PRNG (splitmix64) so the corpus test needs no seed plumbing.
#[path = "../benches/inputs/rng.rs"]
mod rng;
use rng::Rng;

/// Feeds `input` cut at every position `k, k + stride, k + 2·stride, …` for each
/// `k < stride`: together the runs put a chunk boundary at every byte position, with chunks
/// of `stride` bytes (so a boundary never isolates a lone byte, unlike byte-at-a-time).
/// On a mismatch, finds the single cut that is enough to change the records.
fn check_every_position_strided(name: &str, input: &[u8], whole: &[Record], stride: usize) {
    for k in 0..stride.min(input.len() + 1) {
        let cuts: Vec<usize> = (k..=input.len()).step_by(stride).collect();
        if feed_split(input, &cuts) != whole {
            let single = cuts.iter().find(|&&p| feed_split(input, &[p]) != whole);
            match single {
                Some(p) => panic!(
                    "{name}: a split at byte {p} changes the records\nwhole: {whole:#?}\nsplit: {:#?}",
                    feed_split(input, &[*p])
                ),
                None => panic!("{name}: cuts {cuts:?} change the records"),
            }
        }
    }
}

fn check_corpus_file(f: &Path, rng: &mut Rng, exhaustive: bool) {
    let name = f.display().to_string();
    let input = std::fs::read(f).unwrap();
    let whole = parse(&input, Config::default());
    check_bounds(&input, &whole);
    if input.len() < 4096 {
        if exhaustive {
            for p in 0..=input.len() {
                let split = feed_split(&input, &[p]);
                assert!(
                    split == whole,
                    "{name}: split at byte {p} changes the records\nwhole: {whole:#?}\nsplit: {split:#?}"
                );
            }
        } else {
            check_every_position_strided(&name, &input, &whole, 61);
        }
    } else {
        for _ in 0..200 {
            let p = rng.below(input.len() + 1);
            let split = feed_split(&input, &[p]);
            assert!(
                split == whole,
                "{name}: split at byte {p} changes the records\nwhole: {whole:#?}\nsplit: {split:#?}"
            );
        }
    }
    // Many random cuts at once, and the extreme: one byte per feed.
    for _ in 0..10 {
        let mut cuts: Vec<usize> = (0..16).map(|_| rng.below(input.len() + 1)).collect();
        cuts.sort_unstable();
        assert!(
            feed_split(&input, &cuts) == whole,
            "{name}: cuts {cuts:?} change the records"
        );
    }
    assert!(
        feed_chunks(&input, 1) == whole,
        "{name}: byte-at-a-time feed changes the records"
    );
}

/// Every corpus file: a chunk boundary at every byte position (files under 4 KiB; in
/// 61 strided runs, see [`check_every_position_strided`]) or at 200 random positions.
#[test]
fn chunking_invariance_corpus() {
    let files = corpus_files();
    assert!(
        !files.is_empty(),
        "no corpus files found under {}/corpus",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut rng = Rng(0x7479_7363_7269_6265);
    for f in &files {
        check_corpus_file(f, &mut rng, false);
    }
}

/// The same with one two-piece split per byte position: quadratic, about 90 s unoptimised.
/// `cargo test --release --test properties -- --ignored`.
#[test]
#[ignore = "slow (quadratic); run with --release -- --ignored"]
fn chunking_invariance_corpus_exhaustive() {
    let files = corpus_files();
    assert!(!files.is_empty());
    let mut rng = Rng(0x7479_7363_7269_6265);
    for f in &files {
        check_corpus_file(f, &mut rng, true);
    }
}

// ---------------------------------------------------------------------------------------
// Known chunking bugs, minimal reproducers (kept as regression tests)
// ---------------------------------------------------------------------------------------

fn assert_split_invariant(input: &[u8], at: usize) {
    let whole = parse(input, Config::default());
    let split = feed_split(input, &[at]);
    assert_eq!(
        split,
        whole,
        "{:?} split at {at}",
        input.escape_ascii().to_string()
    );
}

/// Fixed in 751064a: a chunk starting with LF used to report the LF at the end of its piece.
#[test]
fn regression_chunk_starting_with_lf() {
    assert_split_invariant(b"$ ls\r\n$ pwd\r\n$ ", 5);
    let r = parse(b"\n$ pwd\r\n", Config::default());
    let Record::Command(c) = &r[0] else {
        panic!("{r:?}")
    };
    // The leading LF belongs to the first record (records tile the input).
    assert_eq!((c.span.start, c.span.end), (0, 8));
}

/// vte 0.15.0 (alacritty/vte#159): when a UTF-8 sequence split across two `advance` calls is
/// completed and an incomplete/invalid sequence follows within 3 bytes, vte consumes the
/// bytes between them: here the `\r`, so `日` lands after `é` instead of over `ab`.
#[test]

fn regression_utf8_split_across_feeds() {
    assert_split_invariant(b"ab\xc3\xa9\r\xe6\x97\xa5\r\n", 3);
    assert_split_invariant(b"$ echo \xc3\xa9\r\xe6\x97\xa5\r\n$ ", 8);
}

/// VT (0x0b) and FF (0x0c) move down a row like LF and raise the same signal, but pieces are
/// only cut after LF, so the signal's offset is the end of whatever piece the VT sits in.
#[test]

fn regression_vt_ff_offsets() {
    assert_split_invariant(b"\x0b$ ls\r\n", 1);
    assert_split_invariant(b"\x0c$ ls\r\n", 1);
}

// ---------------------------------------------------------------------------------------
// (b) robustness: no panic, bounded records
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_bounded(input in arbitrary(4096)) {
        check_bounds(&input.0, &parse(&input.0, Config::default()));
    }

    #[test]
    fn escape_heavy_bounded(input in escape_heavy(4096)) {
        check_bounds(&input.0, &parse(&input.0, Config::default()));
    }

    #[test]
    fn synthetic_sessions_bounded(input in session()) {
        check_bounds(&input.0, &parse(&input.0, Config::default()));
    }

    #[test]
    fn arbitrary_bytes_with_width(input in arbitrary(2048), cols in 1usize..300) {
        let cfg = Config::default().with_cols(cols);
        check_bounds(&input.0, &parse(&input.0, cfg));
    }

    #[test]
    fn synthetic_sessions_with_width(input in session(), cols in 1usize..200) {
        let cfg = Config::default().with_cols(cols);
        check_bounds(&input.0, &parse(&input.0, cfg));
    }
}

const MIB: usize = 1 << 20;

fn check_pathological(name: &str, input: &[u8]) {
    let records = feed_chunks(input, 64 * 1024);
    check_bounds(input, &records);
    let total: usize = records
        .iter()
        .map(|r| match r {
            Record::Command(c) => c.command.len() + c.output.len() + c.prompt.len(),
            Record::Output(o) => o.output.len(),
            _ => 0,
        })
        .sum();
    // Output is never larger than the input it came from (plus a little for replaced
    // invalid UTF-8).
    assert!(
        total <= input.len() * 3 + 1024,
        "{name}: {total} bytes of text from {} bytes of input",
        input.len()
    );
    for r in &records {
        if let Record::Command(c) = r {
            assert!(
                c.prompt.len() <= limits::MAX_COMMAND,
                "{name}: prompt too long"
            );
        }
    }
}

#[test]
fn pathological_inputs() {
    // One 1 MiB line without a newline, after a prompt.
    let mut long_line = b"\x1b[?2004h$ ".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', MIB));
    check_pathological("long line", &long_line);

    // The same, submitted: a 1 MiB command.
    let mut long_cmd = long_line.clone();
    long_cmd.extend_from_slice(b"\r\n\x1b[?2004l\r\x1b[?2004h$ ");
    check_pathological("long command", &long_cmd);

    // 1 MiB of output without a newline.
    let mut long_out = b"\x1b[?2004h$ cat big\r\n\x1b[?2004l\r".to_vec();
    long_out.extend(std::iter::repeat_n(b'y', MIB));
    long_out.extend_from_slice(b"\r\n\x1b[?2004h$ ");
    check_pathological("long output", &long_out);

    // Many output lines (scrolling past MAX_ROWS and MAX_OUTPUT).
    let mut many_lines = b"\x1b[?2004h$ seq 1 200000\r\n\x1b[?2004l\r".to_vec();
    for i in 0..150_000 {
        many_lines.extend_from_slice(format!("{i}\r\n").as_bytes());
    }
    many_lines.extend_from_slice(b"\x1b[?2004h$ ");
    check_pathological("many lines", &many_lines);

    // A 100k-deep cursor-up storm while typing.
    let mut up_storm = b"\x1b[?2004h$ ls".to_vec();
    for _ in 0..100_000 {
        up_storm.extend_from_slice(b"\x1b[A");
    }
    up_storm.extend_from_slice(b"x\r\n\x1b[?2004l\r\x1b[?2004h$ ");
    check_pathological("cursor-up storm", &up_storm);

    // Insert/delete storms on the edit line.
    let mut edit_storm = b"\x1b[?2004h$ ".to_vec();
    for i in 0..100_000 {
        edit_storm.extend_from_slice(if i % 2 == 0 { b"\x1b[1@a" } else { b"\x1b[3P" });
    }
    edit_storm.extend_from_slice(b"\r\n\x1b[?2004l\r\x1b[?2004h$ ");
    check_pathological("edit storm", &edit_storm);

    // A huge OSC title, never terminated, then one terminated.
    let mut osc = b"\x1b]0;".to_vec();
    osc.extend(std::iter::repeat_n(b't', MIB));
    osc.extend_from_slice(b"\x07$ echo hi\r\nhi\r\n$ ");
    osc.extend_from_slice(b"\x1b]2;");
    osc.extend(std::iter::repeat_n(b'u', MIB / 2));
    check_pathological("huge OSC", &osc);

    // A CSI with a huge parameter list and huge counts.
    let mut csi = b"$ echo ".to_vec();
    for _ in 0..200_000 {
        csi.extend_from_slice(b"9;");
    }
    csi.extend_from_slice(b"m\x1b[999999999C\x1b[999999999@\x1b[999999999P\x1b[65535;65535H");
    csi.extend_from_slice(b"ok\r\n$ ");
    check_pathological("huge CSI", &csi);

    // Wide characters filling a very long row, and a script header with a huge first line.
    let mut wide = b"$ ".to_vec();
    for _ in 0..(MIB / 4) {
        wide.extend_from_slice("日".as_bytes());
    }
    check_pathological("wide chars", &wide);

    let mut script = b"Script started on 2024-10-15 21:22:05+00:00 [".to_vec();
    script.extend(std::iter::repeat_n(b'z', MIB));
    script.extend_from_slice(b"]\n$ echo hi\r\nhi\r\n");
    check_pathological("huge script header", &script);

    // Endless prompts with no commands (prompt learner churn).
    let mut prompts = Vec::new();
    let mut i = 0u64;
    while prompts.len() < MIB {
        prompts.extend_from_slice(format!("[u{i}@h{i} ~]$ \r\n").as_bytes());
        i += 1;
    }
    check_pathological("prompt churn", &prompts);
}
