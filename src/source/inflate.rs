//! Gzip around any input: a transcript, a raw log or a recording compressed as it was
//! archived (`.log.gz`, `.cast.gz`). The stream is inflated as it arrives and the inner
//! source, decided on the first decompressed bytes, reads the decompressed stream; spans and
//! the inner source's error offsets are offsets into it (the session record says so).
//!
//! CloudWatch Logs shapes inside gzip are not read here: [`super::aws`] has its own gzip
//! reader, which resumes after a damaged member of an export and places events at the
//! offset of their member.

use std::io::{Read, Write};

use flate2::write::MultiGzDecoder;

use super::{Body, Source};
use crate::error::{Error, Location};
use crate::limits::{MAX_GZIP_SNIFF, MAX_GZIP_STEP, MAX_SNIFF};
use crate::record::Session;

/// Whether `head` starts a gzip stream.
pub(crate) fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(b"\x1f\x8b")
}

/// The first decompressed bytes of the gzip stream that starts `head` (at most
/// [`MAX_SNIFF`]) when they decide what it holds, or `None` when they cannot, however long
/// the input: the data is damaged or inflates to nothing within [`MAX_GZIP_SNIFF`] (the
/// CloudWatch reader reports damage member by member). `Err(())` while more bytes are
/// needed. Only a full peek or a stream's clean end decides, so the answer is the same
/// however the input is cut.
pub(crate) fn decided(head: &[u8]) -> Result<Option<Vec<u8>>, ()> {
    match peek(head) {
        (out, Peek::Full | Peek::Ended) if !out.is_empty() => Ok(Some(out)),
        (_, Peek::Short) if head.len() < MAX_GZIP_SNIFF => Err(()),
        _ => Ok(None),
    }
}

/// How a peek ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peek {
    Full,
    Ended,
    Damaged,
    /// The bytes ran out inside the stream.
    Short,
}

fn peek(head: &[u8]) -> (Vec<u8>, Peek) {
    let mut d = flate2::read::MultiGzDecoder::new(head);
    let mut out = vec![0; MAX_SNIFF];
    let mut n = 0;
    let how = loop {
        match d.read(&mut out[n..]) {
            Ok(0) => break Peek::Ended,
            Ok(k) => {
                n += k;
                if n == out.len() {
                    break Peek::Full;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break Peek::Short,
            Err(_) => break Peek::Damaged,
        }
    };
    out.truncate(n);
    (out, how)
}

/// A gzip stream inflated into an inner source.
#[derive(Debug)]
pub(crate) struct Inflate {
    decoder: MultiGzDecoder<Vec<u8>>,
    inner: Box<Source>,
    /// Decompressed bytes so far: the inner source's offsets.
    produced: u64,
    /// The data was damaged (reported): the rest is not read.
    broken: bool,
    /// Offset of the stream's first byte: where damage is reported (where the inflater
    /// noticed it depends on how the input was cut).
    start: Option<u64>,
    name: Option<String>,
}

impl Inflate {
    pub fn new(inner: Source, name: Option<String>) -> Inflate {
        Inflate {
            decoder: MultiGzDecoder::new(Vec::new()),
            inner: Box::new(inner),
            produced: 0,
            broken: false,
            start: None,
            name,
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        // A few KiB at a time: deflate expands at most ~1032 to 1, so what one step makes
        // is bounded however well the input compresses.
        let start = *self.start.get_or_insert(offset);
        for piece in chunk.chunks(MAX_GZIP_STEP) {
            if self.broken {
                return;
            }
            if let Err(e) = self.decoder.write_all(piece) {
                // What was inflated up to the damage goes on first, however the input was
                // cut: flushing hands over what the inflater still held (and fails again).
                let _ = self.decoder.flush();
                self.pass(out);
                let m = format!(
                    "the gzip stream that starts here is damaged ({e}); the rest is not read"
                );
                self.damaged(start, m, out);
            }
            self.pass(out);
        }
    }

    /// Hand what was inflated to the inner source.
    fn pass<B: Body>(&mut self, out: &mut B) {
        let mut buf = std::mem::take(self.decoder.get_mut());
        if !buf.is_empty() {
            self.inner.feed(&buf, self.produced, out);
            self.produced += buf.len() as u64;
        }
        buf.clear();
        *self.decoder.get_mut() = buf;
    }

    fn damaged<B: Body>(&mut self, at: u64, message: String, out: &mut B) {
        self.broken = true;
        out.error(Error::Malformed {
            location: Location {
                input: self.name.clone(),
                line: None,
                byte: at,
            },
            format: "gzip",
            message,
        });
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if !self.broken {
            if let Err(e) = self.decoder.try_finish() {
                let _ = self.decoder.flush();
                self.pass(out);
                let m = format!("the gzip stream is cut off or damaged at its end ({e})");
                self.damaged(offset, m, out);
            }
            self.pass(out);
        }
        self.inner.finish(self.produced, out);
    }

    pub fn format(&self) -> crate::source::InputFormat {
        self.inner.format()
    }

    pub fn describe(&self, session: &mut Session) {
        self.inner.describe(session);
        session.gzip = true;
    }

    #[cfg(test)]
    fn held(&self) -> usize {
        self.decoder.get_ref().capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Chunk, InputFormat};

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[derive(Default)]
    struct Got(Vec<u8>, Vec<String>);

    impl Body for Got {
        fn chunk(&mut self, c: Chunk<'_>) {
            assert_eq!(c.offset, self.0.len() as u64, "decompressed offsets");
            self.0.extend_from_slice(c.bytes);
        }
        fn error(&mut self, e: Error) {
            self.1.push(e.to_string());
        }
    }

    #[test]
    fn members_in_any_chunking() {
        let mut input = gz(b"$ ls\r\nfile\r\n");
        input.extend(gz(b"$ exit\r\n"));
        assert_eq!(
            decided(&input),
            Ok(Some(b"$ ls\r\nfile\r\n$ exit\r\n".to_vec()))
        );
        for step in [1, 3, 1000] {
            let mut i = Inflate::new(Source::new(InputFormat::Raw, None), None);
            let mut got = Got::default();
            for (k, c) in input.chunks(step).enumerate() {
                i.feed(c, (k * step) as u64, &mut got);
            }
            i.finish(input.len() as u64, &mut got);
            assert_eq!(got.0, b"$ ls\r\nfile\r\n$ exit\r\n");
            assert!(got.1.is_empty(), "{:?}", got.1);
        }
    }

    #[test]
    fn a_cut_off_stream_is_reported() {
        let input = gz(&[b'x'; 10_000]);
        let cut = &input[..input.len() - 6];
        assert_eq!(decided(&cut[..10]), Err(()), "more bytes may settle it");
        let mut i = Inflate::new(Source::new(InputFormat::Raw, None), None);
        let mut got = Got::default();
        i.feed(cut, 0, &mut got);
        i.finish(cut.len() as u64, &mut got);
        assert_eq!(got.1.len(), 1, "{:?}", got.1);
        assert!(got.1[0].contains("cut off"), "{:?}", got.1);
    }

    #[test]
    fn past_max_gzip_step_a_bomb_is_inflated_a_step_at_a_time() {
        let bomb = gz(&vec![b'a'; 64 << 20]);
        let mut i = Inflate::new(Source::new(InputFormat::Raw, None), None);
        struct Count(u64);
        impl Body for Count {
            fn chunk(&mut self, c: Chunk<'_>) {
                self.0 += c.bytes.len() as u64;
            }
            fn error(&mut self, _: Error) {}
        }
        let mut count = Count(0);
        i.feed(&bomb, 0, &mut count);
        i.finish(bomb.len() as u64, &mut count);
        assert_eq!(count.0, 64 << 20);
        assert!(i.held() <= 2 * MAX_GZIP_STEP * 1032, "held {}", i.held());
    }
}
