//! Print where feeding a file in two pieces changes the records (a debugging aid).
use ttyscribe::{Config, Scribe};

fn main() {
    let path = std::env::args().nth(1).expect("usage: chunks FILE [SPLIT]");
    let data = std::fs::read(&path).expect("read");
    let whole = ttyscribe::parse(&data, Config::default());
    let splits: Vec<usize> = match std::env::args().nth(2) {
        Some(s) => vec![s.parse().expect("number")],
        None => (1..data.len()).collect(),
    };
    for at in splits {
        let mut s = Scribe::new(Config::default());
        let mut recs: Vec<_> = s.feed(&data[..at]).collect();
        recs.extend(s.feed(&data[at..]));
        recs.extend(s.finish());
        if recs != whole {
            for (a, b) in whole.iter().zip(recs.iter()) {
                if a != b {
                    println!("split {at}:\n  whole {a:?}\n  split {b:?}");
                    break;
                }
            }
            return;
        }
    }
    println!("same at every split");
}
