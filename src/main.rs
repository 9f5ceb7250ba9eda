//! The ttyscribe command: a thin client of the library.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use ttyscribe::write::jsonl::Encoder;
use ttyscribe::{Config, InputFormat, Record, Scribe};

/// Bytes of output gathered before a write to stdout (records of a whole input chunk fit).
const OUT_BUFFER: usize = 256 * 1024;

/// Bytes handed to the scribe at a time.
const FEED: usize = 4096;

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Jsonl,
    Text,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Input {
    Auto,
    Raw,
    Script,
    Cloudwatch,
    /// asciinema's `.cast` recordings, v2 and v3.
    Asciicast,
    /// ttyrec recordings.
    Ttyrec,
}

/// Recover the commands of terminal session logs (raw pty output, SSM S3 transcripts,
/// CloudWatch Logs events, asciinema and ttyrec recordings).
#[derive(Parser, Debug)]
#[command(
    version,
    after_help = "Examples:
  ttyscribe session.log                      commands of an SSM S3 log, for reading
  ttyscribe --format jsonl ipcTempFile.log   JSON Lines records of a raw pty log
  cat typescript | ttyscribe --cols 80 -     from stdin, terminal width known
  ttyscribe --prompt '^\\S+@\\S+ \\S+ % ' log    tell it what the prompt looks like
  aws logs filter-log-events --log-group-name ssm > ev.json; ttyscribe ev.json
  aws logs tail --follow ssm | ttyscribe --format jsonl -
  ttyscribe session.cast                     an asciinema recording (keystrokes too)
  ttyscribe --timing timing --log-in in.log typescript
                                             script with timing and input logs

Exit status: 0 on success, 1 if some input was bad (reported on stderr, the rest processed),
2 on usage errors."
)]
struct Args {
    /// Output format (default: text on a terminal, jsonl otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Terminal width, if known (otherwise inferred from the stream).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(2..))]
    cols: Option<u16>,
    /// Regular expression matching the prompt at the start of a command line.
    #[arg(long, value_name = "REGEX")]
    prompt: Option<String>,
    /// Input format.
    #[arg(long, value_enum, default_value = "auto")]
    input: Input,
    /// `script` timing log of the one input file (classic `-t`, or advanced
    /// `--log-timing`): commands get times and durations.
    #[arg(long, value_name = "FILE")]
    timing: Option<String>,
    /// `script` input log (`--log-in`) beside the typescript and its timing log: the
    /// keystrokes check the commands.
    #[arg(long = "log-in", value_name = "FILE", requires = "timing")]
    log_in: Option<String>,
    /// Input files; `-` or nothing reads standard input.
    files: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let prompt = match args.prompt.as_deref().map(regex::Regex::new).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ttyscribe: --prompt: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let format = args.format.unwrap_or(if stdout.is_terminal() {
        Format::Text
    } else {
        Format::Jsonl
    });
    let mut out = BufWriter::with_capacity(OUT_BUFFER, stdout.lock());
    let files = if args.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        args.files.clone()
    };
    if args.timing.is_some() && files.len() != 1 {
        eprintln!("ttyscribe: --timing goes with exactly one input file");
        return ExitCode::from(2);
    }
    let mut bad = false;
    for name in &files {
        let mut config = Config::default()
            .with_format(match args.input {
                Input::Auto => InputFormat::Auto,
                Input::Raw => InputFormat::Raw,
                Input::Script => InputFormat::Script,
                Input::Cloudwatch => InputFormat::CloudWatch,
                Input::Asciicast => InputFormat::Asciicast,
                Input::Ttyrec => InputFormat::Ttyrec,
            })
            .with_name(name.clone());
        if let Some(cols) = args.cols {
            config = config.with_cols(usize::from(cols));
        }
        if let Some(p) = &prompt {
            config = config.with_prompt(p.clone());
        }
        let result = match &args.timing {
            Some(timing) => run_timed(
                name,
                timing,
                args.log_in.as_deref(),
                config,
                format,
                &mut out,
            ),
            None => run(name, config, format, &mut out),
        };
        match result {
            Ok(had_errors) => bad |= had_errors,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ttyscribe: {name}: {e}");
                bad = true;
            }
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Stream one input through a [`Scribe`]; returns whether it had input errors.
fn run<W: Write>(name: &str, config: Config, format: Format, out: &mut W) -> io::Result<bool> {
    let mut reader: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(name)?)
    };
    let mut scribe = Scribe::new(config);
    let mut encoder = Encoder::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bad = false;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut any = false;
        let mut failed = None;
        for piece in buf[..n].chunks(FEED) {
            scribe.feed_each(piece, |r| {
                any = true;
                if failed.is_none() {
                    match emit(r, format, &mut encoder, out) {
                        Ok(error) => bad |= error,
                        Err(e) => failed = Some(e),
                    }
                }
            });
            if let Some(e) = failed {
                return Err(e);
            }
        }
        if any {
            // A follower (`aws logs tail --follow | ttyscribe -`) sees each record when done.
            out.flush()?;
        }
    }
    for r in scribe.finish() {
        bad |= emit(&r, format, &mut encoder, out)?;
    }
    Ok(bad)
}

/// Read one `script` recording with its timing (and input) log; returns whether it had
/// input errors.
fn run_timed<W: Write>(
    name: &str,
    timing: &str,
    log_in: Option<&str>,
    config: Config,
    format: Format,
    out: &mut W,
) -> io::Result<bool> {
    let open = |n: &str| -> io::Result<Box<dyn Read>> {
        Ok(if n == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(File::open(n).map_err(|e| io::Error::new(e.kind(), format!("{n}: {e}")))?)
        })
    };
    let logs = ttyscribe::TimedScript {
        timing: open(timing)?,
        output: open(name)?,
        input: log_in.map(open).transpose()?,
        timing_name: Some(timing.to_owned()),
    };
    let mut encoder = Encoder::default();
    let (mut bad, mut failed) = (false, None);
    logs.read(config, |r| {
        if failed.is_none() {
            match emit(r, format, &mut encoder, out) {
                Ok(error) => bad |= error,
                Err(e) => failed = Some(e),
            }
        }
    })?;
    failed.map_or(Ok(bad), Err)
}

fn emit<W: Write>(
    r: &Record,
    format: Format,
    encoder: &mut Encoder,
    out: &mut W,
) -> io::Result<bool> {
    let is_error = matches!(r, Record::Error(_));
    if let Record::Error(e) = r {
        eprintln!("ttyscribe: {}", e.message);
    }
    match format {
        Format::Jsonl => encoder.write(out, r)?,
        Format::Text => ttyscribe::write::text::write(out, r)?,
    }
    Ok(is_error)
}
