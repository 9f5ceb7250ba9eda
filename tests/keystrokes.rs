//! The recorded corpus read with the keystrokes and timing `script` kept beside each session
//! (`keys.bin`, and the advanced timing log in `meta.json`): a forged command line that no
//! one typed is never asserted, and no honest command is doubted for its typing.

use std::path::{Path, PathBuf};

use serde_json::Value;
use ttyscribe::{Config, Doubt, Evidence, Record, TimedScript};

fn sessions() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sessions");
    let mut d: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus/sessions")
        .map(|e| e.expect("entry").path())
        .collect();
    d.sort();
    d
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("JSON")
}

/// The advanced timing log `script` wrote, from the entries meta.json keeps (times since
/// the start).
fn timing_log(meta: &Value) -> Vec<u8> {
    let mut log = String::new();
    let mut prev = 0.0;
    for e in meta["timing"].as_array().expect("timing") {
        let at = e[0].as_f64().expect("time");
        let kind = e[1].as_str().expect("kind");
        // Bytes of an `O`/`I` entry, or the text of an `S`/`H` one.
        let n = match &e[2] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        log.push_str(&format!("{kind} {:.6} {n}\n", (at - prev).max(0.0)));
        prev = at;
    }
    log.into_bytes()
}

fn read(dir: &Path) -> Vec<Record> {
    let logs = TimedScript {
        timing: std::io::Cursor::new(timing_log(&json(&dir.join("meta.json")))),
        output: std::fs::File::open(dir.join("raw.bin")).expect("raw.bin"),
        input: Some(std::fs::File::open(dir.join("keys.bin")).expect("keys.bin")),
        timing_name: None,
    };
    let mut out = Vec::new();
    logs.read(Config::default(), |r| out.push(r.clone()))
        .expect("read");
    out
}

#[test]
fn forged_lines_are_asserted_only_when_typed_and_honest_ones_are_not_doubted() {
    let mut problems = Vec::new();
    let mut forged_total = 0;
    for dir in sessions() {
        let truth = json(&dir.join("truth.json"));
        let forged: Vec<&str> = truth["forged"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let real: Vec<&str> = truth["commands"]
            .as_array()
            .expect("commands")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        forged_total += forged.len();
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        for r in read(&dir) {
            let Record::Command(c) = r else { continue };
            let typing_doubt = c
                .doubts
                .iter()
                .any(|d| matches!(d, Doubt::NotTyped | Doubt::PrintedAtOnce));
            let text = c.command.trim_end();
            if forged.contains(&text) && !real.contains(&text) {
                // A program's prompt can take typed keys too (`read -p`): then the keys
                // typed it, and only the screen can tell.
                if !c.suspicious && !c.uncertain && !c.evidence.contains(Evidence::Keystrokes) {
                    problems.push(format!("{name}: forged {text:?} asserted, never typed"));
                }
            } else if forged.is_empty() && typing_doubt {
                problems.push(format!("{name}: honest {text:?} doubted: {:?}", c.doubts));
            }
        }
    }
    assert!(forged_total >= 100, "{forged_total} forged lines");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
