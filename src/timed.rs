//! `script(1)` recordings with a timing log: the typescript read in the pieces the timing
//! log names, each fed at the time it was written, and the input log's bytes fed as
//! keystrokes.
//!
//! Three layouts, all from util-linux `script`:
//! - classic timing (`script -t`/`--timing=FILE`): output only;
//! - advanced timing (`--log-out FILE --log-in FILE --log-timing FILE`, or `-O -I -T` with
//!   `-m advanced`): output and input in two files;
//! - `--log-io FILE`: output and input interleaved in one file; the timing log's header
//!   names it as both `INPUT_LOG` and `OUTPUT_LOG`, and its `I` and `O` entries tell them
//!   apart. Input bytes are skipped over, so offsets still point into the file.
//!
//! The timing log's delays are microseconds; its start is the `Script started on` line (or
//! `START_TIME` entry), which `script` writes to the second: command times can be up to a
//! second early, durations are exact.

use std::io::{self, BufRead, BufReader, Read};

use crate::error::{Error, Location};
use crate::limits::MAX_SCRIPT_LINE;
use crate::record::{ErrorRecord, Record};
use crate::scribe::{Config, Scribe};
use crate::source::script;
use crate::source::timing::{self, Entry};
use crate::timestamp::Timestamp;

/// The files of one `script` recording.
///
/// ```no_run
/// use std::fs::File;
/// use ttyscribe::{Config, Record, TimedScript};
///
/// let logs = TimedScript {
///     timing: File::open("timing")?,
///     output: File::open("typescript")?,
///     input: Some(File::open("in.log")?),
///     timing_name: Some("timing".into()),
/// };
/// logs.read(Config::default().with_name("typescript"), |r| {
///     if let Record::Command(c) = r {
///         println!("{} {}", c.time.map(|t| t.to_string()).unwrap_or_default(), c.command);
///     }
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct TimedScript<T, O, I> {
    /// The timing log (classic or advanced).
    pub timing: T,
    /// The typescript, or the `--log-io` file.
    pub output: O,
    /// The input log (`--log-in`), when it was kept apart.
    pub input: Option<I>,
    /// Name of the timing log, for error locations.
    pub timing_name: Option<String>,
}

impl<T: Read, O: Read, I: Read> TimedScript<T, O, I> {
    /// Read the recording, showing `emit` each record as it completes. Bad timing lines are
    /// error records (the rest is read); `Err` is an I/O error of one of the files.
    pub fn read(self, config: Config, mut emit: impl FnMut(&Record)) -> io::Result<()> {
        let mut r = Reader {
            scribe: Scribe::new(config),
            output: BufReader::new(self.output),
            input: self.input.map(BufReader::new),
            start: None,
            elapsed_us: 0,
            log_io: false,
            logs: (None, None),
            timing_name: self.timing_name,
            buf: vec![0; 64 * 1024],
        };
        r.begin(&mut emit)?;
        let mut timing = BufReader::new(self.timing);
        let mut line = Vec::new();
        let (mut number, mut byte) = (0u64, 0u64);
        loop {
            line.clear();
            let n = (&mut timing)
                .take(MAX_SCRIPT_LINE as u64)
                .read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            number += 1;
            let at = byte;
            byte += n as u64;
            if line.last() != Some(&b'\n') && n == MAX_SCRIPT_LINE {
                // A line past the cap: report it and skip to its end, a capped piece at a time.
                loop {
                    line.clear();
                    let k = (&mut timing)
                        .take(MAX_SCRIPT_LINE as u64)
                        .read_until(b'\n', &mut line)?;
                    byte += k as u64;
                    if k == 0 || line.last() == Some(&b'\n') {
                        break;
                    }
                }
                r.error(
                    number,
                    at,
                    "a line longer than any timing entry".into(),
                    &mut emit,
                );
                continue;
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches('\n');
            if text.trim().is_empty() {
                continue;
            }
            match timing::entry(text) {
                Ok(e) => r.entry(e, number, at, &mut emit)?,
                Err(m) => r.error(number, at, m, &mut emit),
            }
        }
        r.end(emit)
    }
}

struct Reader<O, I> {
    scribe: Scribe,
    output: BufReader<O>,
    input: Option<BufReader<I>>,
    start: Option<Timestamp>,
    elapsed_us: u64,
    /// Input bytes are in the output file (`--log-io`).
    log_io: bool,
    /// `OUTPUT_LOG` and `INPUT_LOG` of the timing log's header.
    logs: (Option<String>, Option<String>),
    timing_name: Option<String>,
    buf: Vec<u8>,
}

impl<O: Read, I: Read> Reader<O, I> {
    /// Feed the typescript's `Script started on` line, which the timing log does not count.
    fn begin(&mut self, emit: &mut impl FnMut(&Record)) -> io::Result<()> {
        if let Some(header) = header_line(&mut self.output)? {
            self.start = script::started_at(&header);
            self.scribe.set_clock(self.start);
            self.scribe.feed_each(&header, &mut *emit);
        }
        if let Some(input) = &mut self.input {
            // Its `Script started on` line is not typed input either.
            header_line(input)?;
        }
        Ok(())
    }

    fn entry(
        &mut self,
        e: Entry<'_>,
        line: u64,
        at: u64,
        emit: &mut impl FnMut(&Record),
    ) -> io::Result<()> {
        self.elapsed_us = self.elapsed_us.saturating_add(e.delay_us());
        let time = self.start.and_then(|s| {
            let ms = i64::try_from(self.elapsed_us / 1000).ok()?;
            Timestamp::from_millis(s.as_millis().checked_add(ms)?)
        });
        self.scribe.set_clock(time);
        match e {
            Entry::Output { n, .. } => {
                let short = self.copy_output(n, emit)?;
                if short > 0 {
                    let m = format!("the typescript ends {short} bytes before this entry does");
                    self.error(line, at, m, emit);
                }
            }
            Entry::Input { n, .. } => self.copy_input(n)?,
            Entry::Resize { cols: Some(c), .. } => self.scribe.resize(c),
            Entry::Other { name, value, .. } => self.header(name, value),
            Entry::Resize { cols: None, .. } => {}
        }
        Ok(())
    }

    /// Feed `n` bytes of output; returns how many were missing.
    fn copy_output(&mut self, mut n: u64, emit: &mut impl FnMut(&Record)) -> io::Result<u64> {
        while n > 0 {
            let want = self.buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            let got = read_some(&mut self.output, &mut self.buf[..want])?;
            if got == 0 {
                return Ok(n);
            }
            self.scribe.feed_each(&self.buf[..got], &mut *emit);
            n -= got as u64;
        }
        self.scribe.end_write();
        Ok(0)
    }

    /// Feed `n` bytes of input as keystrokes, from the input log or the `--log-io` file.
    fn copy_input(&mut self, mut n: u64) -> io::Result<()> {
        while n > 0 {
            let want = self.buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            let got = if self.log_io {
                read_some(&mut self.output, &mut self.buf[..want])?
            } else if let Some(input) = &mut self.input {
                read_some(input, &mut self.buf[..want])?
            } else {
                return Ok(());
            };
            if got == 0 {
                return Ok(());
            }
            if self.log_io {
                self.scribe.skip(got as u64);
            }
            self.scribe.feed_input(&self.buf[..got]);
            n -= got as u64;
        }
        Ok(())
    }

    fn header(&mut self, name: &str, value: &str) {
        match name {
            "START_TIME" if self.start.is_none() => {
                let line = format!("Script started on {value}");
                self.start = script::started_at(line.as_bytes());
            }
            "COLUMNS" => {
                if let Ok(c) = value.trim().parse() {
                    self.scribe.resize(c);
                }
            }
            "OUTPUT_LOG" => self.logs.0 = Some(value.to_owned()),
            "INPUT_LOG" => self.logs.1 = Some(value.to_owned()),
            _ => {}
        }
        self.log_io = matches!(&self.logs, (Some(o), Some(i)) if o == i);
    }

    fn error(&mut self, line: u64, byte: u64, message: String, emit: &mut impl FnMut(&Record)) {
        let e = Error::Malformed {
            location: Location {
                input: self.timing_name.clone(),
                line: Some(line),
                byte,
            },
            format: "script timing",
            message,
        };
        emit(&Record::Error(ErrorRecord::from(&e)));
    }

    /// The timing log ended: the rest of the typescript (its `Script done on` line) too.
    fn end(mut self, mut emit: impl FnMut(&Record)) -> io::Result<()> {
        loop {
            let got = read_some(&mut self.output, &mut self.buf)?;
            if got == 0 {
                break;
            }
            self.scribe.feed_each(&self.buf[..got], &mut emit);
        }
        for r in self.scribe.finish() {
            emit(&r);
        }
        Ok(())
    }
}

/// The first line of `r` (with its line feed) when it is a `Script started on` line.
fn header_line<R: Read>(r: &mut BufReader<R>) -> io::Result<Option<Vec<u8>>> {
    let head = r.fill_buf()?;
    if !head.starts_with(script::MAGIC) {
        return Ok(None);
    }
    let mut line = Vec::new();
    r.by_ref()
        .take(MAX_SCRIPT_LINE as u64)
        .read_until(b'\n', &mut line)?;
    Ok(Some(line))
}

fn read_some<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}
