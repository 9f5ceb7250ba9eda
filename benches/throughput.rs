//! Throughput of ttyscribe end to end against other terminal-stream engines on the same
//! bytes: `vte` 0.15 with a no-op `Perform` (the escape parser ttyscribe is built on, a
//! lower bound for any engine), `strip-ansi-escapes` (escape removal, no screen model) and
//! `vt100` (a full 24x80 screen emulator).
//!
//! Inputs are generated deterministically here (~4 MiB each): plain text output, coloured
//! output, dense interactive line editing; plus the recorded corpus when present.
//!
//! `cargo bench --bench throughput`

use std::hint::black_box;
use std::num::NonZeroU16;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use ttyscribe::{Config, Record, Scribe};

const SIZE: usize = 4 << 20;
const CHUNK: usize = 64 << 10;

// ---------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T: ?Sized>(&mut self, xs: &[&'a T]) -> &'a T {
        xs[self.below(xs.len())]
    }
}

const WORDS: &[&str] = &[
    "the",
    "service",
    "started",
    "request",
    "GET",
    "/api/v1/users",
    "200",
    "latency",
    "ms",
    "INFO",
    "WARN",
    "connection",
    "from",
    "10.0.2.34",
    "closed",
    "worker",
    "pid",
    "queue",
    "depth",
    "retry",
    "backoff",
    "nginx",
    "systemd",
    "kernel:",
    "eth0",
    "link",
    "up",
];

fn line_of_words(rng: &mut Rng, out: &mut Vec<u8>, max_words: usize) {
    let n = 1 + rng.below(max_words);
    for i in 0..n {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(rng.pick(WORDS).as_bytes());
    }
}

/// (i) Plain output: a `journalctl`/`cat` of a log file, one command, then lines.
fn plain(size: usize) -> Vec<u8> {
    let mut rng = Rng(1);
    let mut out =
        b"\x1b[?2004h[ec2-user@ip-10-0-1-11 ~]$ cat /var/log/app.log\r\n\x1b[?2004l\r".to_vec();
    while out.len() < size {
        out.extend_from_slice(b"2024-10-15T21:22:05Z ");
        line_of_words(&mut rng, &mut out, 14);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\x1b[?2004h[ec2-user@ip-10-0-1-11 ~]$ ");
    out
}

/// (ii) Coloured output: `ls --color`, `grep --color`, `git log`/`git diff`-like SGR soup.
fn coloured(size: usize) -> Vec<u8> {
    let mut rng = Rng(2);
    let prompt: &[u8] = b"\x1b[?2004h\x1b[01;32mec2-user@host\x1b[00m:\x1b[01;34m~\x1b[00m$ ";
    let mut out = Vec::new();
    while out.len() < size {
        match rng.below(3) {
            0 => {
                out.extend_from_slice(prompt);
                out.extend_from_slice(b"ls --color=auto -l\r\n\x1b[?2004l\r");
                for _ in 0..40 {
                    let (col, name) = match rng.below(4) {
                        0 => ("01;34", "src"),
                        1 => ("01;32", "run.sh"),
                        2 => ("01;36", "link"),
                        _ => ("00", "README.md"),
                    };
                    out.extend_from_slice(
                        format!(
                            "-rw-r--r-- 1 ec2-user ec2-user {:>6} Oct 15 21:22 \x1b[{col}m{name}{}\x1b[0m\r\n",
                            rng.below(100_000),
                            rng.below(1000)
                        )
                        .as_bytes(),
                    );
                }
            }
            1 => {
                out.extend_from_slice(prompt);
                out.extend_from_slice(b"grep --color=auto -rn error logs/\r\n\x1b[?2004l\r");
                for _ in 0..40 {
                    out.extend_from_slice(
                        format!(
                            "\x1b[35m\x1b[Klogs/app.{}.log\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K\x1b[32m\x1b[K{}\x1b[m\x1b[K\x1b[36m\x1b[K:\x1b[m\x1b[K",
                            rng.below(10),
                            rng.below(5000)
                        )
                        .as_bytes(),
                    );
                    line_of_words(&mut rng, &mut out, 5);
                    out.extend_from_slice(b" \x1b[01;31m\x1b[Kerror\x1b[m\x1b[K ");
                    line_of_words(&mut rng, &mut out, 5);
                    out.extend_from_slice(b"\r\n");
                }
            }
            _ => {
                out.extend_from_slice(prompt);
                out.extend_from_slice(b"git diff\r\n\x1b[?2004l\r");
                out.extend_from_slice(b"\x1b[1mdiff --git a/src/lib.rs b/src/lib.rs\x1b[m\r\n\x1b[36m@@ -10,7 +10,8 @@\x1b[m fn main() {\x1b[m\r\n");
                for _ in 0..40 {
                    let (c, sign) = match rng.below(3) {
                        0 => ("\x1b[32m", "+"),
                        1 => ("\x1b[31m", "-"),
                        _ => ("", " "),
                    };
                    out.extend_from_slice(format!("{c}{sign}    ").as_bytes());
                    line_of_words(&mut rng, &mut out, 8);
                    out.extend_from_slice(b"\x1b[m\r\n");
                }
            }
        }
    }
    out.extend_from_slice(prompt);
    out
}

/// (iii) Dense interactive editing: bash with bracketed paste, typing echoed in bursts,
/// backspace-erase, insert-char, history recall with cursor moves and delete-chars, pastes,
/// and long lines wrapped by readline (`" \r"` at the margin, 80 columns).
fn interactive(size: usize) -> Vec<u8> {
    let mut rng = Rng(3);
    let title = b"\x1b]0;ec2-user@ip-10-0-1-11:~\x07";
    let prompt = b"[ec2-user@ip-10-0-1-11 ~]$ ";
    let prompt_cols = prompt.len();
    let mut out = Vec::new();
    let mut history: Vec<Vec<u8>> = vec![b"systemctl status nginx".to_vec()];
    while out.len() < size {
        out.extend_from_slice(title);
        out.extend_from_slice(b"\x1b[?2004h");
        out.extend_from_slice(prompt);
        let mut col = prompt_cols;
        let mut typed = Vec::new();
        match rng.below(5) {
            // History recall, move right, delete a word, type a replacement.
            0 => {
                let h = history[rng.below(history.len())].clone();
                out.extend_from_slice(&h);
                for _ in 0..(h.len().min(12)) {
                    out.extend_from_slice(b"\x1b[C");
                }
                out.extend_from_slice(b"\x1b[12P");
                out.extend_from_slice(b"restart");
                typed.extend_from_slice(&h);
            }
            // Paste: bracketed paste echoes the text in one burst.
            1 => {
                let mut p = b"for f in *.log; do gzip -9 \"$f\"; done".to_vec();
                if rng.below(2) == 0 {
                    p.extend_from_slice(b" && ls -la | tail -n 5");
                }
                out.extend_from_slice(&p);
                typed = p;
            }
            // Long command wrapped at 80 columns.
            2 => {
                let mut cmd = b"echo".to_vec();
                while cmd.len() < 150 {
                    cmd.push(b' ');
                    cmd.extend_from_slice(rng.pick(WORDS).as_bytes());
                }
                for &b in &cmd {
                    out.push(b);
                    col += 1;
                    if col == 80 {
                        out.extend_from_slice(b" \r");
                        col = 0;
                    }
                }
                typed = cmd;
            }
            // Typing with typos fixed by backspace, and an insert in the middle.
            _ => {
                let words = 1 + rng.below(5);
                for i in 0..words {
                    if i > 0 {
                        out.push(b' ');
                        typed.push(b' ');
                    }
                    let w = rng.pick(WORDS).as_bytes();
                    for &b in w {
                        if rng.below(10) == 0 {
                            out.extend_from_slice(b"x\x08\x1b[K");
                        }
                        out.push(b);
                        typed.push(b);
                    }
                }
                if rng.below(3) == 0 {
                    out.extend_from_slice(b"\x1b[5D\x1b[1@q\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C");
                }
            }
        }
        out.extend_from_slice(b"\r\n\x1b[?2004l\r");
        for _ in 0..rng.below(4) {
            line_of_words(&mut rng, &mut out, 10);
            out.extend_from_slice(b"\r\n");
        }
        if history.len() < 64 {
            history.push(typed);
        }
    }
    out.extend_from_slice(title);
    out.extend_from_slice(b"\x1b[?2004h");
    out.extend_from_slice(prompt);
    out
}

/// The recorded sessions, concatenated (sorted by directory name).
fn corpus() -> Option<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sessions");
    let mut dirs: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| Some(e.ok()?.path()))
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        if let Ok(b) = std::fs::read(d.join("raw.bin")) {
            out.extend_from_slice(&b);
        }
    }
    (!out.is_empty()).then_some(out)
}

// ---------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------

/// ttyscribe end to end: feed in 64 KiB chunks, finish; returns (records, commands).
fn ttyscribe(data: &[u8]) -> (usize, usize) {
    let mut scribe = Scribe::new(Config::default());
    let mut records = 0;
    let mut commands = 0;
    let mut count = |r: Record| {
        records += 1;
        if matches!(r, Record::Command(_)) {
            commands += 1;
        }
        black_box(r);
    };
    for chunk in data.chunks(CHUNK) {
        scribe.feed(chunk).for_each(&mut count);
    }
    scribe.finish().into_iter().for_each(&mut count);
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
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
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
    g.finish();
}

fn benches(c: &mut Criterion) {
    bench_group(c, "plain", &plain(SIZE), true);
    bench_group(c, "coloured", &coloured(SIZE), true);
    bench_group(c, "interactive", &interactive(SIZE), true);
    if let Some(data) = corpus() {
        bench_group(c, "corpus", &data, true);
    } else {
        eprintln!("corpus/sessions not found: skipping the corpus group");
    }
}

criterion_group!(throughput, benches);
criterion_main!(throughput);
