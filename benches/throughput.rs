//! Throughput of ttyscribe end to end against other terminal-stream engines on the same
//! bytes: `vte` 0.15 with a no-op `Perform` (the escape parser ttyscribe is built on, a
//! lower bound for any engine), `strip-ansi-escapes` (escape removal, no screen model) and
//! `vt100` (a full 24x80 screen emulator).
//!
//! Inputs are generated deterministically by `inputs` (8 MiB each): plain text output,
//! coloured output, dense interactive line editing, and that editing as CloudWatch event JSON
//! Lines (where `serde_json` decoding the events alone is measured too); plus the recorded
//! corpus concatenated.
//!
//! `cargo bench --bench throughput` (one group: `cargo bench --bench throughput -- coloured`)

use std::hint::black_box;
use std::num::NonZeroU16;
use std::time::Duration;

mod inputs;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use inputs::{cloudwatch, coloured, corpus, interactive, plain};
use ttyscribe::{Config, Record, Scribe};

const SIZE: usize = 8 << 20;
const CHUNK: usize = 64 << 10;

// ---------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------

/// ttyscribe end to end: feed in 64 KiB chunks, each record shown as the CLI reads them
/// (`feed_each`, which reuses their strings), finish; returns (records, commands).
fn ttyscribe(data: &[u8]) -> (usize, usize) {
    let mut scribe = Scribe::new(Config::default());
    let mut records = 0;
    let mut commands = 0;
    let mut count = |r: &Record| {
        records += 1;
        if matches!(r, Record::Command(_)) {
            commands += 1;
        }
        black_box(r);
    };
    for chunk in data.chunks(CHUNK) {
        scribe.feed_each(chunk, &mut count);
    }
    scribe.finish().iter().for_each(&mut count);
    (records, commands)
}

struct Nop;
impl vte::Perform for Nop {}

fn vte_nop(data: &[u8]) {
    let mut parser = vte::Parser::new();
    let mut nop = Nop;
    for chunk in data.chunks(CHUNK) {
        parser.advance(&mut nop, chunk);
    }
    black_box(&parser);
}

fn vt100(data: &[u8]) {
    let mut parser = vt100::Parser::new(
        NonZeroU16::new(24).unwrap(),
        NonZeroU16::new(80).unwrap(),
        0,
    );
    for chunk in data.chunks(CHUNK) {
        parser.process(chunk);
    }
    black_box(parser.screen().cursor_position());
}

/// One streamed SSM event, as a pipeline decoding CloudWatch lines would hold it.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // decoded, not read
struct Event {
    event_time: String,
    session_id: String,
    run_as_user: Option<String>,
    session_data: Vec<String>,
}

fn serde_json_events(data: &[u8]) -> usize {
    let mut lines = 0;
    for line in data.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let e: Event = serde_json::from_slice(line).expect("generated events are valid");
        lines += e.session_data.len();
    }
    lines
}

fn bench_group(c: &mut Criterion, name: &str, data: &[u8], expect_commands: bool) {
    let (records, commands) = ttyscribe(data);
    assert!(records > 0);
    if expect_commands {
        assert!(commands > 0, "{name}: no commands found");
    }
    eprintln!(
        "{name}: {} bytes, {records} records, {commands} commands",
        data.len()
    );
    let mut g: BenchmarkGroup<_> = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(data.len() as u64))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    g.bench_function("ttyscribe", |b| {
        b.iter(|| {
            let (records, commands) = ttyscribe(black_box(data));
            assert!(records > 0 && (!expect_commands || commands > 0));
        })
    });
    g.bench_function("vte-0.15-nop", |b| b.iter(|| vte_nop(black_box(data))));
    g.bench_function("strip-ansi-escapes", |b| {
        b.iter(|| black_box(strip_ansi_escapes::strip(black_box(data))))
    });
    g.bench_function("vt100-24x80", |b| b.iter(|| vt100(black_box(data))));
    if name == "cloudwatch" {
        g.bench_function("serde_json-events", |b| {
            b.iter(|| black_box(serde_json_events(black_box(data))))
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_group(c, "plain", &plain(SIZE), true);
    bench_group(c, "coloured", &coloured(SIZE), true);
    bench_group(c, "interactive", &interactive(SIZE), true);
    bench_group(c, "cloudwatch", &cloudwatch(SIZE), true);
    if let Some(data) = corpus() {
        bench_group(c, "corpus", &data, true);
    } else {
        eprintln!("corpus/sessions not found: skipping the corpus group");
    }
}

criterion_group!(throughput, benches);
criterion_main!(throughput);
