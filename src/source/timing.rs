//! `script(1)` timing logs: when each piece of a typescript was written.
//!
//! ```text
//! 0.008206 28                          classic (`-t`, `--timing`): delay, output bytes
//! H 0.000000 START_TIME 2026-12-04 19:10:15+00:00
//! H 0.000000 COLUMNS 120               advanced (`-T` with `-m advanced`, `--log-timing`):
//! O 0.004369 28                        output bytes, input bytes, a signal, a header
//! I 0.665362 1
//! S 0.808585 SIGWINCH ROWS=30 COLS=60
//! H 0.000000 DURATION 6.159118
//! ```
//!
//! Delays are seconds since the entry before. A line is read into an [`Entry`] borrowing
//! from it.

/// One line of a timing log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entry<'a> {
    /// `n` bytes of output (the typescript), `delay_us` after the entry before.
    Output { delay_us: u64, n: u64 },
    /// `n` bytes of input (the input log, or the same file with `--log-io`).
    Input { delay_us: u64, n: u64 },
    /// The terminal was resized to `cols` columns.
    Resize { delay_us: u64, cols: Option<usize> },
    /// Another signal, or a header entry `name value`.
    Other {
        delay_us: u64,
        name: &'a str,
        value: &'a str,
    },
}

impl Entry<'_> {
    pub fn delay_us(&self) -> u64 {
        match *self {
            Entry::Output { delay_us, .. }
            | Entry::Input { delay_us, .. }
            | Entry::Resize { delay_us, .. }
            | Entry::Other { delay_us, .. } => delay_us,
        }
    }
}

/// `"0.665362"` → 665362 µs; at most nine decimals are read.
fn seconds(s: &str) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut us = 0u64;
    for (k, d) in frac.bytes().take(6).enumerate() {
        us += u64::from(d - b'0') * 10u64.pow(5 - k as u32);
    }
    whole.checked_mul(1_000_000)?.checked_add(us)
}

/// Read one line of a timing log (without its line feed); `Err` says what is wrong.
pub(crate) fn entry(line: &str) -> Result<Entry<'_>, String> {
    let line = line.trim_end_matches('\r');
    let mut words = line.splitn(3, ' ');
    let first = words.next().unwrap_or("");
    let bad = || format!("not a timing entry: {:?}", truncate(line));
    if let Some(delay_us) = seconds(first) {
        // Classic: `delay nbytes`.
        let n = words
            .next()
            .and_then(|w| w.trim().parse().ok())
            .ok_or_else(bad)?;
        return Ok(Entry::Output { delay_us, n });
    }
    let delay_us = words.next().and_then(seconds).ok_or_else(bad)?;
    let rest = words.next().unwrap_or("");
    match first {
        "O" | "I" => {
            let n = rest.trim().parse().map_err(|_| bad())?;
            Ok(if first == "O" {
                Entry::Output { delay_us, n }
            } else {
                Entry::Input { delay_us, n }
            })
        }
        "S" if rest.starts_with("SIGWINCH") => {
            let cols = rest
                .split_whitespace()
                .find_map(|w| w.strip_prefix("COLS="))
                .and_then(|c| c.parse().ok());
            Ok(Entry::Resize { delay_us, cols })
        }
        "S" | "H" => {
            let (name, value) = rest.split_once(' ').unwrap_or((rest, ""));
            Ok(Entry::Other {
                delay_us,
                name,
                value,
            })
        }
        _ => Err(bad()),
    }
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(60) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        assert_eq!(
            entry("0.008206 28"),
            Ok(Entry::Output {
                delay_us: 8206,
                n: 28
            })
        );
        assert_eq!(
            entry("I 1.5 1"),
            Ok(Entry::Input {
                delay_us: 1_500_000,
                n: 1
            })
        );
        assert_eq!(
            entry("S 0.808585 SIGWINCH ROWS=30 COLS=60"),
            Ok(Entry::Resize {
                delay_us: 808_585,
                cols: Some(60)
            })
        );
        assert_eq!(
            entry("H 0.000000 START_TIME 2026-12-04 19:10:15+00:00"),
            Ok(Entry::Other {
                delay_us: 0,
                name: "START_TIME",
                value: "2026-12-04 19:10:15+00:00"
            })
        );
        assert!(entry("O x 3").is_err());
        assert!(entry("hello world").is_err());
        assert!(entry("0.5").is_err());
        assert!(entry("").is_err());
    }
}
