//! Print the terminal operations a raw pty log holds, one a line with the input bytes each
//! came from: `events FILE [COLS]`.
use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: events FILE [COLS]");
        std::process::exit(2);
    };
    let width = args.next().and_then(|s| s.parse().ok());
    let input = match std::fs::read(&path) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("events: {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = None;
    ttyscribe::for_each_op(&input, width, |span, op| {
        if failed.is_none()
            && let Err(e) = writeln!(out, "{}..{}\t{op:?}", span.start, span.end)
        {
            failed = Some(e);
        }
    });
    match failed.map_or_else(|| out.flush(), Err) {
        // A reader that wants only the start (`| head`) closes the pipe early.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("events: {e}");
            std::process::exit(1);
        }
        _ => {}
    }
}
