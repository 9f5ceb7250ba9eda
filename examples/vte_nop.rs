//! The floor the CLI is timed against: read a file (or stdin) in 64 KiB chunks through
//! `vte` 0.15 with a `Perform` that does nothing (`benches/cli.sh`).
use std::io::Read;

struct Nop;
impl vte::Perform for Nop {}

fn main() {
    let mut input: Box<dyn Read> = match std::env::args().nth(1) {
        Some(path) if path != "-" => Box::new(std::fs::File::open(path).expect("open input")),
        _ => Box::new(std::io::stdin()),
    };
    let mut parser = vte::Parser::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    loop {
        let n = input.read(&mut buf).expect("read input");
        if n == 0 {
            break;
        }
        parser.advance(&mut Nop, &buf[..n]);
        total += n as u64;
    }
    println!("{total} bytes");
}
