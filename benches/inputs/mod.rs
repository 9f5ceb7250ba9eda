//! Deterministic inputs for the throughput benches and `examples/gen_input.rs`: realistic
//! mixes of the traffic a session log carries, any size, the same bytes on every run.

use std::path::Path;

#[path = "rng.rs"]
mod rng;
use rng::Rng;

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
pub fn plain(size: usize) -> Vec<u8> {
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
pub fn coloured(size: usize) -> Vec<u8> {
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
pub fn interactive(size: usize) -> Vec<u8> {
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
pub fn corpus() -> Option<Vec<u8>> {
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

/// (iv) CloudWatch Logs: the interactive traffic as the SSM agent streams it, one event JSON
/// per line. Each event carries a few `\n`-lines of output with CRs removed, escapes kept
/// (`sessionData`), as the agent's cleanup leaves lines that hold a prompt.
pub fn cloudwatch(size: usize) -> Vec<u8> {
    let mut rng = Rng(4);
    let raw = interactive(size);
    let mut out = Vec::with_capacity(size + size / 2);
    let mut lines = raw.split(|&b| b == b'\n').peekable();
    let mut second = 0u64;
    while lines.peek().is_some() && out.len() < size {
        let n = 1 + rng.below(6);
        let data: Vec<String> = lines
            .by_ref()
            .take(n)
            .map(|l| {
                let l: Vec<u8> = l.iter().copied().filter(|&b| b != b'\r').collect();
                String::from_utf8_lossy(&l).into_owned()
            })
            .collect();
        second += rng.below(3) as u64;
        // The agent's field order, as CloudWatch shows the message.
        let event = format!(
            concat!(
                r#"{{"eventVersion":"1.0","eventTime":"2024-10-15T{:02}:{:02}:{:02}Z","#,
                r#""awsRegion":"us-east-1","target":{{"id":"i-0123456789abcdef0"}},"#,
                r#""userIdentity":{{"arn":"arn:aws:sts::123456789012:assumed-role/Admin/alice"}},"#,
                r#""runAsUser":"ec2-user","sessionId":"alice-0a1b2c3d4e5f6a7b8","sessionData":{}}}"#
            ),
            10 + second / 3600 % 12,
            second / 60 % 60,
            second % 60,
            serde_json::to_string(&data).unwrap_or_default()
        );
        out.extend_from_slice(event.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}
