//! Write one of the benches' generated inputs: `gen_input KIND MIB > FILE`, KIND one of
//! plain, coloured, interactive, cloudwatch (used to time the CLI on the same bytes).
#[path = "../benches/inputs/mod.rs"]
#[allow(dead_code)] // the recorded corpus is read by the benches only
mod inputs;

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_default();
    let mib: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(64);
    let size = mib << 20;
    let data = match kind.as_str() {
        "plain" => inputs::plain(size),
        "coloured" => inputs::coloured(size),
        "interactive" => inputs::interactive(size),
        "cloudwatch" => inputs::cloudwatch(size),
        _ => {
            eprintln!("usage: gen_input plain|coloured|interactive|cloudwatch MIB");
            std::process::exit(2);
        }
    };
    match std::io::stdout().write_all(&data) {
        // A reader that wants only the start (`| head -c N`) closes the pipe early.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("gen_input: {e}");
            std::process::exit(1);
        }
        _ => {}
    }
}
