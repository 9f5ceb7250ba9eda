//! Fuzz targets of ttyscribe: each decodes the fuzzer's bytes into an input and a way of
//! reading it, then checks [`invariants`] on the records.

pub mod invariants;

use ttyscribe::{Config, InputFormat};

/// Check the invariants of reading `data` as `format`, panicking with the broken promise:
/// the records of one `parse`, and the same records when the input comes in two pieces
/// (cut at a place the first byte chooses; the `stream` target tries many chunkings).
pub fn whole(data: &[u8], format: InputFormat) {
    let config = Config::default().with_format(format);
    let records = ttyscribe::parse(data, config.clone());
    let cut = data
        .first()
        .map_or(0, |&b| data.len() * usize::from(b) / 256);
    let fed = invariants::feed(data, &config, &[cut.max(1), data.len()]);
    let result = invariants::records(data, &records)
        .and_then(|()| invariants::jsonl(&records))
        .and_then(|()| invariants::tolerate(invariants::compare(&records, &fed, "two pieces")));
    if let Err(f) = result {
        panic!("{f}");
    }
}

/// What the `stream` target's leading bytes choose: the input format, a terminal width and
/// the chunk sizes to feed in turn; the rest of the bytes are the input.
pub struct Stream<'a> {
    pub config: Config,
    pub chunks: Vec<usize>,
    pub input: &'a [u8],
}

/// Most chunk sizes one input chooses (they repeat in turn).
const MAX_CHUNKS: usize = 8;

impl<'a> Stream<'a> {
    pub fn decode(data: &'a [u8]) -> Option<Stream<'a>> {
        let (&[format, cols, n], rest) = data.split_first_chunk::<3>()?;
        let n = usize::from(n) % (MAX_CHUNKS + 1);
        let (sizes, input) = rest.split_at_checked(n)?;
        let format = match format % 4 {
            0 => InputFormat::Auto,
            1 => InputFormat::Raw,
            2 => InputFormat::Script,
            _ => InputFormat::CloudWatch,
        };
        // Small chunks find most boundary bugs; a few large ones keep whole lines together.
        let chunks = sizes
            .iter()
            .map(|&b| match b {
                0..128 => usize::from(b) + 1,
                _ => usize::from(b - 127) * 64,
            })
            .collect();
        let mut config = Config::default().with_format(format);
        if cols > 0 {
            config = config.with_cols(usize::from(cols));
        }
        Some(Stream {
            config,
            chunks,
            input,
        })
    }
}
