//! The timed corpus (`corpus/timed`): real shells recorded with asciinema 2 and 3, `script`
//! with each timing option, and ttyrec. Every command exact, timed, with a duration within
//! a second of what the driver measured; typed secrets never in a record; forged command
//! lines never asserted.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde_json::Value;
use ttyscribe::{Config, Record, TimedScript};

fn dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/timed");
    let mut d: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus/timed")
        .map(|e| e.expect("entry").path())
        .collect();
    d.sort();
    d
}

/// The records of one recording, read the way its files call for.
fn read(dir: &Path, files: &[String]) -> Vec<Record> {
    let has = |f: &str| files.iter().any(|x| x == f);
    let config = Config::default();
    if has("session.cast") || has("session.ttyrec") {
        let name = if has("session.cast") {
            "session.cast"
        } else {
            "session.ttyrec"
        };
        let bytes = std::fs::read(dir.join(name)).expect("recording");
        return ttyscribe::parse(&bytes, config);
    }
    let output = if has("io.log") {
        "io.log"
    } else {
        "typescript"
    };
    let logs = TimedScript {
        timing: File::open(dir.join("timing")).expect("timing"),
        output: File::open(dir.join(output)).expect("output"),
        input: has("in.log").then(|| File::open(dir.join("in.log")).expect("in.log")),
        timing_name: None,
    };
    let mut records = Vec::new();
    logs.read(config, |r| records.push(r.clone()))
        .expect("read");
    records
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn timed_recordings_give_exact_timed_commands() {
    let dirs = dirs();
    assert!(dirs.len() >= 50, "{} recordings", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth"))
                .expect("truth JSON");
        let records = read(dir, &strings(&truth, "files"));
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let commands: Vec<_> = records
            .iter()
            .filter_map(|r| match r {
                Record::Command(c) if !c.cancelled => Some(c),
                _ => None,
            })
            .collect();
        let got: Vec<&str> = commands.iter().map(|c| c.command.as_str()).collect();
        if got != strings(&truth, "commands") {
            failures.push(format!("{name}: commands {got:?}"));
        }
        for c in &commands {
            if c.time.is_none() || c.duration.is_none() {
                failures.push(format!("{name}: {:?} has no time or duration", c.command));
            }
        }
        for want in truth["timed"].as_array().expect("timed") {
            let command = want["command"].as_str().expect("command");
            let duration = want["duration"].as_f64().expect("duration");
            let close = commands.iter().any(|c| {
                c.command == command
                    && c.duration
                        .is_some_and(|d| (d.as_millis() as f64 / 1000.0 - duration).abs() <= 1.0)
            });
            if !close {
                failures.push(format!("{name}: {command:?} not within 1 s of {duration}"));
            }
        }
        let text = format!("{records:?}");
        for secret in strings(&truth, "secret") {
            if text.contains(&secret) {
                failures.push(format!("{name}: the typed secret is in a record"));
            }
        }
        for forged in strings(&truth, "forged") {
            if commands
                .iter()
                .any(|c| c.command.contains(&forged) && !c.suspicious && !c.uncertain)
            {
                failures.push(format!("{name}: forged {forged:?} asserted"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn logged_keystrokes_back_the_commands() {
    // With input logged, every command typed without history or completion keys is backed
    // by keystrokes; without it, none is.
    for dir in dirs() {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth"))
                .expect("truth JSON");
        let recorder = truth["recorder"].as_str().unwrap_or("");
        let logged = matches!(
            recorder,
            "asciinema2" | "asciinema3" | "script-advanced" | "script-logio"
        );
        let records = read(&dir, &strings(&truth, "files"));
        let backed = records
            .iter()
            .filter(|r| matches!(r, Record::Command(c) if c.evidence.contains(ttyscribe::Evidence::Keystrokes)))
            .count();
        let commands = records
            .iter()
            .filter(|r| matches!(r, Record::Command(c) if !c.cancelled))
            .count();
        if logged {
            assert!(
                backed * 10 >= commands * 7,
                "{}: {backed} of {commands}",
                dir.display()
            );
        } else {
            assert_eq!(backed, 0, "{}", dir.display());
        }
        // A secret typed with echo off is counted on the command it was typed to, and only
        // where one was typed.
        let hidden: u32 = records
            .iter()
            .map(|r| match r {
                Record::Command(c) => c.hidden_input,
                _ => 0,
            })
            .sum();
        let secret = !strings(&truth, "secret").is_empty();
        assert_eq!(
            hidden > 0,
            logged && secret,
            "{}: {hidden} hidden",
            dir.display()
        );
    }
}

#[test]
fn honest_recordings_raise_no_typing_doubts() {
    use ttyscribe::Doubt;
    for dir in dirs() {
        let truth: Value =
            serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth"))
                .expect("truth JSON");
        for r in read(&dir, &strings(&truth, "files")) {
            if let Record::Command(c) = r {
                let typing = c
                    .doubts
                    .iter()
                    .any(|d| matches!(d, Doubt::NotTyped | Doubt::PrintedAtOnce));
                assert!(!typing, "{}: {:?} {:?}", dir.display(), c.command, c.doubts);
            }
        }
    }
}
