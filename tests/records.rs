//! Records read back from JSON Lines equal the records written, on every input of the corpus.
//! The writer builds `command` and `output` lines by hand (`src/write/jsonl.rs`), so this
//! also holds it to the shape `Deserialize` expects.

use std::path::{Path, PathBuf};

use ttyscribe::write::jsonl::Encoder;
use ttyscribe::{Config, Record};

/// Every input file under `corpus/`, as `scripts/records-snapshot.sh` picks them.
fn inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable corpus folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if p.is_dir() {
            inputs(&p, out);
        } else if ["bin", "log", "json", "jsonl", "gz", "csv", "txt"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
            && !["truth.json", "meta.json", "keys.bin", "screen.txt"].contains(&name)
        {
            out.push(p);
        }
    }
}

#[test]
fn every_corpus_record_reads_back_equal() {
    let mut files = Vec::new();
    inputs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &mut files,
    );
    let (mut n, mut kinds) = (0, std::collections::BTreeSet::new());
    for file in &files {
        let input = std::fs::read(file).expect("readable input");
        let name = file.display().to_string();
        let records = ttyscribe::parse(&input, Config::default().with_name(name.clone()));
        // One encoder for the file, as the CLI writes: what it keeps between records must
        // not leak into the next line.
        let mut encoder = Encoder::default();
        for r in &records {
            let mut line = Vec::new();
            encoder.write(&mut line, r).expect("write to a Vec");
            let back: Record = serde_json::from_slice(&line)
                .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&line)));
            assert_eq!(&back, r, "{name}");
            kinds.insert(match r {
                Record::Session(_) => "session",
                Record::Command(_) => "command",
                Record::Output(_) => "output",
                Record::Error(_) => "error",
                _ => "other",
            });
            n += 1;
        }
    }
    assert!(files.len() > 300, "only {} inputs", files.len());
    assert!(n > 3_000, "only {n} records");
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["command", "error", "output", "session"]
    );
}

#[test]
fn error_records_say_their_kind() {
    let records = ttyscribe::parse(
        b"Script started on 2024-10-15 21:22:05+00:00",
        Config::default(),
    );
    let line = serde_json::to_string(&records[0]).expect("serialize");
    assert!(
        line.starts_with(r#"{"kind":"error","error_kind":"malformed","message":"#),
        "{line}"
    );
}
