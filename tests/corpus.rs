//! Every recorded session of the corpus, in every lossless shape, must give exactly the
//! commands (and cancelled lines) the shell itself recorded.
//!
//! `corpus/sessions/` holds the project's own recordings (see `corpus/README.md`);
//! `corpus/dev/` holds the development sample the project started from. Each directory has
//! `truth.json` and the inputs `raw.bin`, `s3.log` and, where present, `s3var.log`.

use std::fs;
use std::path::{Path, PathBuf};

use ttyscribe::{Config, Record};

/// The scorer's comparison: trailing spaces of every line do not count (Tab completion
/// leaves one after a word).
fn norm(s: &str) -> String {
    s.split('\n')
        .map(|l| l.trim_end_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
}

fn sessions() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut out = Vec::new();
    for sub in ["sessions", "dev"] {
        let Ok(dir) = fs::read_dir(root.join(sub)) else {
            continue;
        };
        for e in dir.flatten() {
            if e.path().join("truth.json").is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn known_failures() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/KNOWN_FAILURES");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

fn strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).map(norm).collect())
        .unwrap_or_default()
}

#[test]
fn every_session_every_shape_exact() {
    let dirs = sessions();
    assert!(
        dirs.len() >= 20,
        "corpus is missing: found {} sessions",
        dirs.len()
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in &dirs {
        let truth: serde_json::Value =
            serde_json::from_slice(&fs::read(dir.join("truth.json")).unwrap()).unwrap();
        // Lines typed with echo off never reach the screen: no parser of it can see them.
        let mut want = strings(&truth, "commands");
        for lost in strings(&truth, "unrecoverable") {
            if let Some(i) = want.iter().position(|w| *w == lost) {
                want.remove(i);
            }
        }
        let want_cancelled = strings(&truth, "cancelled");
        // In a session where programs print prompts, a record flagged suspicious may be
        // forged: the real commands must all be there in order (flagged or not), and every
        // other record must be flagged.
        let adversarial = truth.get("forged").is_some();
        for shape in ["raw.bin", "s3.log", "s3var.log"] {
            let Ok(input) = fs::read(dir.join(shape)) else {
                continue;
            };
            checked += 1;
            let records = ttyscribe::parse(&input, Config::default());
            let mut got = Vec::new();
            let mut got_cancelled = Vec::new();
            for r in &records {
                if let Record::Command(c) = r {
                    if adversarial
                        && c.suspicious
                        && !c.cancelled
                        && want.get(got.len()) != Some(&norm(&c.command))
                    {
                        continue;
                    }
                    if c.cancelled {
                        got_cancelled.push(norm(&c.command));
                    } else {
                        got.push(norm(&c.command));
                    }
                }
            }
            // Every input byte belongs to exactly one record: the spans tile the input.
            let spans: Vec<(u64, u64)> = records
                .iter()
                .filter_map(|r| match r {
                    Record::Command(c) => Some((c.span.start, c.span.end)),
                    Record::Output(o) => Some((o.span.start, o.span.end)),
                    _ => None,
                })
                .collect();
            let tiled = spans.first().is_some_and(|s| s.0 == 0)
                && spans
                    .windows(2)
                    .all(|w| w[0].1 == w[1].0 && w[0].0 <= w[0].1)
                && spans.last().is_some_and(|s| s.1 == input.len() as u64);
            if !tiled {
                failures.push(format!(
                    "{}/{shape}: spans do not tile the input ({} bytes): {spans:?}",
                    dir.file_name().unwrap().to_string_lossy(),
                    input.len()
                ));
            }
            if got != want || got_cancelled != want_cancelled {
                failures.push(format!(
                    "{}/{shape}\n  want {want:?}\n  got  {got:?}\n  want cancelled {want_cancelled:?}\n  got cancelled  {got_cancelled:?}",
                    dir.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    assert!(checked > 0);
    // Sessions we know we get wrong, with the reason, are in corpus/KNOWN_FAILURES. They
    // must still fail (so a fix is noticed and the list shrinks), and nothing else may.
    let known = known_failures();
    let is_known = |f: &String| known.iter().any(|k| f.starts_with(&format!("{k}/")));
    let unexpected: Vec<&String> = failures.iter().filter(|f| !is_known(f)).collect();
    assert!(
        unexpected.is_empty(),
        "{} of {checked} inputs differ:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for k in &known {
        assert!(
            failures.iter().any(|f| f.starts_with(&format!("{k}/"))),
            "{k} is listed in corpus/KNOWN_FAILURES but now passes: remove it from the list"
        );
    }
}

/// Records shown by `feed_each`, whose strings go round to hold later records' text, are
/// the records `feed` hands over, on every corpus input of every shape, at two chunkings.
#[test]
fn records_read_in_place_are_the_records_handed_over() {
    let mut inputs = 0;
    for dir in sessions() {
        for file in ["raw.bin", "s3.log", "cloudwatch.jsonl"] {
            let Ok(input) = fs::read(dir.join(file)) else {
                continue;
            };
            inputs += 1;
            let expected = ttyscribe::parse(&input, Config::default());
            for size in [512, 4096] {
                let mut scribe = ttyscribe::Scribe::new(Config::default());
                let mut got = Vec::new();
                for chunk in input.chunks(size) {
                    scribe.feed_each(chunk, |r| got.push(r.clone()));
                }
                got.extend(scribe.finish());
                assert_eq!(
                    got,
                    expected,
                    "{} in {size}-byte chunks",
                    dir.join(file).display()
                );
            }
        }
    }
    assert!(inputs > 200, "only {inputs} inputs");
}
