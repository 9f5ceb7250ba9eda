//! Round trip through the SSM agent and the AWS wrappers: for every recorded session, every
//! shape made from it with `../shared/tools/ssm_sim` (`corpus/record/make_shapes.py`) must
//! give the same commands and cancelled lines as the raw pty bytes (`raw.bin`).
//!
//! Shapes per session (`corpus/sessions/<name>/`): `s3.log`, `cloudwatch.jsonl` (streamed
//! events), `gle.json` (get-log-events), `subscription.jsonl`, `export.gz` (export to S3),
//! `plain.json` (get-log-events of the plain-text events of `s3.log`). Several sessions
//! together: `corpus/cloudwatch/filter_*.json` (filter-log-events), whose commands are grouped
//! by `session_id` and compared per session.
//!
//! Streaming to CloudWatch loses information (the agent deletes CRs, strips escape sequences,
//! drops bytes 0x80–0x9F, turns tabs into spaces). The pairs that differ for that reason, and
//! the ones that are parser bugs (`bug:`), are listed in `corpus/LOSSY_CLOUDWATCH` as
//! `<session> <shape> # <category>: <reason>`. The test fails if any other pair differs, and if
//! a listed pair now matches (so the list shrinks as the parser improves).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use ttyscribe::{Config, Record};

/// Shapes of one session compared with `raw.bin`.
const SHAPES: [&str; 6] = [
    "s3.log",
    "cloudwatch.jsonl",
    "gle.json",
    "subscription.jsonl",
    "export.gz",
    "plain.json",
];

/// Commands and cancelled lines, normalised.
type Lines = (Vec<String>, Vec<String>);

/// The scorer's comparison: trailing spaces of every line do not count.
fn norm(s: &str) -> String {
    s.split('\n')
        .map(|l| l.trim_end_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Commands and cancelled lines of an input, grouped by session id (in order of appearance).
fn commands(path: &Path) -> Vec<(Option<String>, Lines)> {
    let input = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut groups: Vec<(Option<String>, Lines)> = Vec::new();
    for r in ttyscribe::parse(&input, Config::default()) {
        if let Record::Command(c) = r {
            let i = match groups.iter().position(|g| g.0 == c.session_id) {
                Some(i) => i,
                None => {
                    groups.push((c.session_id.clone(), Lines::default()));
                    groups.len() - 1
                }
            };
            let g = &mut groups[i].1;
            if c.cancelled {
                g.1.push(norm(&c.command));
            } else {
                g.0.push(norm(&c.command));
            }
        }
    }
    groups
}

/// All groups of an input as one list (a single-session shape).
fn flat(groups: Vec<(Option<String>, Lines)>) -> Lines {
    let mut out = Lines::default();
    for (_, (c, x)) in groups {
        out.0.extend(c);
        out.1.extend(x);
    }
    out
}

/// `corpus/LOSSY_CLOUDWATCH`: (session, shape) pairs known to differ.
fn exceptions() -> BTreeSet<(String, String)> {
    let text = fs::read_to_string(corpus().join("LOSSY_CLOUDWATCH")).unwrap_or_default();
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let (pair, why) = line.split_once('#').unwrap_or((line, ""));
        let mut words = pair.split_whitespace();
        let (Some(session), Some(shape), None) = (words.next(), words.next(), words.next()) else {
            assert!(pair.trim().is_empty(), "bad LOSSY_CLOUDWATCH line: {line}");
            continue;
        };
        assert!(
            why.contains(':'),
            "LOSSY_CLOUDWATCH line without '# category: reason': {line}"
        );
        assert!(
            out.insert((session.to_owned(), shape.to_owned())),
            "duplicate LOSSY_CLOUDWATCH line: {line}"
        );
    }
    out
}

struct Session {
    name: String,
    id: String,
    raw: Lines,
    /// Differences from raw: (shape, description).
    diffs: Vec<(String, String)>,
}

fn describe(raw: &Lines, got: &Lines) -> String {
    format!(
        "\n    raw  {:?} cancelled {:?}\n    got  {:?} cancelled {:?}",
        raw.0, raw.1, got.0, got.1
    )
}

fn check_session(dir: &Path) -> Session {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let meta: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("meta.json")).unwrap()).unwrap();
    let id = meta["ids"]["session_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let raw = flat(commands(&dir.join("raw.bin")));
    let mut diffs = Vec::new();
    for shape in SHAPES {
        let path = dir.join(shape);
        assert!(path.is_file(), "{} is missing", path.display());
        let got = flat(commands(&path));
        if got != raw {
            diffs.push((shape.to_owned(), describe(&raw, &got)));
        }
    }
    Session {
        name,
        id,
        raw,
        diffs,
    }
}

#[test]
fn every_shape_gives_the_raw_commands() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(corpus().join("sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("raw.bin").is_file() && p.join("cloudwatch.jsonl").is_file())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 20,
        "corpus is missing: {} sessions",
        dirs.len()
    );

    // Parse every file once, sessions spread over the available threads.
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get());
    let chunk = dirs.len().div_ceil(threads);
    let sessions: Vec<Session> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().map(|d| check_session(d)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    // (session, shape) → description of the difference.
    let mut failures: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut checked = 0;
    for s in &sessions {
        checked += SHAPES.len();
        for (shape, d) in &s.diffs {
            failures.insert((s.name.clone(), shape.clone()), d.clone());
        }
    }

    // filter-log-events of several sessions: each session's group against its raw commands.
    let by_id: BTreeMap<&str, &Session> = sessions.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut filters: Vec<PathBuf> = fs::read_dir(corpus().join("cloudwatch"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("filter_") && n.ends_with(".json"))
        })
        .collect();
    filters.sort();
    assert!(
        !filters.is_empty(),
        "corpus/cloudwatch/filter_*.json missing"
    );
    for path in &filters {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let groups = commands(path);
        assert!(
            groups.len() >= 3,
            "{file}: {} session groups, expected 3 or more",
            groups.len()
        );
        for (id, got) in groups {
            let id = id.unwrap_or_default();
            let s = by_id
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{file}: commands of unknown session id {id:?}"));
            checked += 1;
            if got != s.raw {
                failures.insert((s.name.clone(), file.clone()), describe(&s.raw, &got));
            }
        }
    }

    let known = exceptions();
    let unexpected: Vec<String> = failures
        .iter()
        .filter(|(k, _)| !known.contains(*k))
        .map(|((s, shape), d)| format!("  {s} {shape}{d}"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} of {checked} inputs differ from raw.bin and are not in corpus/LOSSY_CLOUDWATCH:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    let fixed: Vec<String> = known
        .iter()
        .filter(|k| !failures.contains_key(*k))
        .map(|(s, shape)| format!("  {s} {shape}"))
        .collect();
    assert!(
        fixed.is_empty(),
        "listed in corpus/LOSSY_CLOUDWATCH but now give the raw commands (remove them):\n{}",
        fixed.join("\n")
    );
}
