//! ttyrec recordings (`ttyrec`, `termrec`, `ipbt`): frames of output, each behind a 12-byte
//! header of three little-endian `u32`s — seconds and microseconds of the wall clock when
//! the bytes were read, and the length of the frame.
//!
//! Frames are passed on as they arrive, borrowed from the input and stamped with their
//! time, so offsets in records are exact. Nothing is buffered but a header.

use super::{Body, Chunk};
use crate::error::{Error, Location};
use crate::limits::MAX_TTYREC_FRAME;
use crate::record::Session;
use crate::timestamp::Timestamp;

const HEADER: usize = 12;

/// A frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    sec: u32,
    usec: u32,
    len: u32,
}

impl Header {
    fn read(b: &[u8]) -> Option<Header> {
        let word = |i: usize| Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?));
        Some(Header {
            sec: word(0)?,
            usec: word(4)?,
            len: word(8)?,
        })
    }

    fn plausible(self) -> bool {
        self.usec < 1_000_000 && self.len as usize <= MAX_TTYREC_FRAME
    }

    fn time(self) -> Option<Timestamp> {
        Timestamp::from_millis(i64::from(self.sec) * 1000 + i64::from(self.usec / 1000))
    }
}

/// 2001-09-09 to 2106: any clock a recorder ran on since ttyrec was written.
const EPOCH_MIN: u32 = 1_000_000_000;

/// Whether the input that starts with `head` is a ttyrec: its first header is plausible and
/// so is the second, when `head` holds it, with a time that does not go back; a first frame
/// longer than `head` needs a wall-clock time.
pub(crate) fn looks_like(head: &[u8]) -> bool {
    let Some(first) = Header::read(head).filter(|h| h.plausible() && h.len > 0) else {
        return false;
    };
    let next = HEADER + first.len as usize;
    match head.get(next..).and_then(Header::read) {
        Some(second) => {
            second.plausible()
                && (second.sec, second.usec) >= (first.sec, first.usec)
                && second.sec - first.sec < 86_400 * 365
        }
        None => first.sec >= EPOCH_MIN,
    }
}

/// Whether `head`, the first bytes of an input, decides [`looks_like`].
pub(crate) fn sniffed(head: &[u8]) -> bool {
    // The microseconds word is below 1,000,000, so its top byte is 0: text has none.
    if head.len() >= crate::limits::MAX_SNIFF || head.get(7).is_some_and(|&b| b != 0) {
        return true;
    }
    match Header::read(head) {
        None => false,
        Some(h) if !h.plausible() || h.len == 0 => true,
        Some(h) => head.len() >= 2 * HEADER + h.len as usize,
    }
}

/// The reading state of one recording.
#[derive(Debug, Default)]
pub(crate) struct Ttyrec {
    header: Vec<u8>,
    /// Offset of the header being read.
    header_at: u64,
    /// Bytes of the current frame still to come, and its time.
    left: u64,
    time: Option<Timestamp>,
    /// No byte of the current frame was passed on yet.
    fresh: bool,
    first: Option<Timestamp>,
    last: Option<Timestamp>,
    /// A damaged header was reported: the rest is not framed.
    broken: bool,
    name: Option<String>,
}

impl Ttyrec {
    pub fn new(name: Option<String>) -> Ttyrec {
        Ttyrec {
            name,
            ..Ttyrec::default()
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        let mut i = 0;
        while i < chunk.len() && !self.broken {
            let at = offset + i as u64;
            if self.left > 0 {
                let n = (chunk.len() - i).min(usize::try_from(self.left).unwrap_or(usize::MAX));
                out.chunk(Chunk {
                    bytes: &chunk[i..i + n],
                    offset: at,
                    time: self.time,
                    lossy: false,
                    write: std::mem::take(&mut self.fresh),
                });
                self.left -= n as u64;
                i += n;
                continue;
            }
            if self.header.is_empty() {
                self.header_at = at;
            }
            let n = (HEADER - self.header.len()).min(chunk.len() - i);
            self.header.extend_from_slice(&chunk[i..i + n]);
            i += n;
            if self.header.len() == HEADER {
                self.frame(out);
            }
        }
    }

    fn frame<B: Body>(&mut self, out: &mut B) {
        let h = Header::read(&self.header).filter(|h| h.plausible());
        self.header.clear();
        let Some(h) = h else {
            self.broken = true;
            return out.error(
                self.error(
                    "a frame header that is not one (microseconds past a second, or a frame \
                 longer than the cap); the rest of the input is not read"
                        .into(),
                ),
            );
        };
        self.left = u64::from(h.len);
        self.fresh = true;
        self.time = h.time();
        self.first = self.first.or(self.time);
        self.last = self.time.or(self.last);
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if !self.header.is_empty() || self.left > 0 {
            let m = format!(
                "the last frame is cut off (input ends at byte {offset}, {} bytes short)",
                self.left.max((HEADER - self.header.len()) as u64)
            );
            out.error(self.error(m));
        }
    }

    fn error(&self, message: String) -> Error {
        Error::Malformed {
            location: Location {
                input: self.name.clone(),
                line: None,
                byte: self.header_at,
            },
            format: "ttyrec",
            message,
        }
    }

    /// The first and last frames' times are the session's start and end.
    pub fn describe(&self, s: &mut Session) {
        s.start_time = self.first;
        s.end_time = self.last;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(sec: u32, usec: u32, data: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        for w in [sec, usec, data.len() as u32] {
            v.extend_from_slice(&w.to_le_bytes());
        }
        v.extend_from_slice(data);
        v
    }

    #[derive(Default)]
    struct Got(Vec<(Vec<u8>, u64, Option<String>)>, Vec<String>);

    impl Body for Got {
        fn chunk(&mut self, c: Chunk<'_>) {
            let t = c.time.map(|t| t.to_string());
            match self.0.last_mut() {
                Some(last) if last.2 == t && last.1 + last.0.len() as u64 == c.offset => {
                    last.0.extend_from_slice(c.bytes)
                }
                _ => self.0.push((c.bytes.to_vec(), c.offset, t)),
            }
        }
        fn error(&mut self, e: Error) {
            self.1.push(e.to_string());
        }
    }

    #[test]
    fn frames_in_any_chunking() {
        let mut input = frame(1_733_330_000, 500_000, b"$ ");
        input.extend(frame(1_733_330_001, 250_000, b"ls\r\n"));
        assert!(looks_like(&input));
        for step in [1, 5, 13, 100] {
            let mut t = Ttyrec::new(None);
            let mut got = Got::default();
            for (k, c) in input.chunks(step).enumerate() {
                t.feed(c, (k * step) as u64, &mut got);
            }
            t.finish(input.len() as u64, &mut got);
            assert_eq!(got.1, Vec::<String>::new());
            assert_eq!(
                got.0,
                [
                    (b"$ ".to_vec(), 12, Some("2024-12-04T16:33:20.500Z".into())),
                    (
                        b"ls\r\n".to_vec(),
                        26,
                        Some("2024-12-04T16:33:21.250Z".into())
                    ),
                ],
                "step {step}"
            );
            let mut s = Session::default();
            t.describe(&mut s);
            assert_eq!(s.end_time.unwrap().to_string(), "2024-12-04T16:33:21.250Z");
        }
    }

    #[test]
    fn detection() {
        let mut two = frame(5, 10, b"a");
        two.extend(frame(6, 0, b"b"));
        assert!(looks_like(&two), "a clock from zero, two frames");
        assert!(!looks_like(&frame(5, 10, b"a")), "one frame, no wall clock");
        let mut back = frame(1_733_330_000, 10, b"a");
        back.extend(frame(1_733_329_000, 0, b"b"));
        assert!(!looks_like(&back), "time goes back");
        assert!(!looks_like(b"\x1b[?2004hbash-5.2$ ls\r\n"));
        assert!(!looks_like(b"Script started on 2024-10-15"));
        assert!(!looks_like(&frame(1_733_330_000, 2_000_000, b"a")));
    }

    #[test]
    fn a_cut_off_frame_and_a_bad_header_are_reported() {
        let mut input = frame(1_733_330_000, 0, b"abc");
        input.truncate(input.len() - 1);
        let mut t = Ttyrec::new(None);
        let mut got = Got::default();
        t.feed(&input, 0, &mut got);
        t.finish(input.len() as u64, &mut got);
        assert_eq!(got.1.len(), 1);
        assert!(got.1[0].contains("cut off"), "{:?}", got.1);
        let mut input = frame(1_733_330_000, 0, b"abc");
        input.extend([0xff; 12]);
        input.extend(frame(1_733_330_001, 0, b"never"));
        let mut t = Ttyrec::new(None);
        let mut got = Got::default();
        t.feed(&input, 0, &mut got);
        t.finish(input.len() as u64, &mut got);
        assert_eq!(got.0.len(), 1);
        assert!(
            got.1[0].starts_with("byte 15: malformed ttyrec"),
            "{:?}",
            got.1
        );
    }

    #[test]
    fn past_max_ttyrec_frame_the_header_is_damage() {
        let mut big = Vec::new();
        for w in [1_733_330_000u32, 0, (MAX_TTYREC_FRAME + 1) as u32] {
            big.extend_from_slice(&w.to_le_bytes());
        }
        assert!(!looks_like(&big));
        let mut input = frame(1_733_330_000, 0, b"ok");
        input.extend_from_slice(&big);
        let mut t = Ttyrec::new(None);
        let mut got = Got::default();
        t.feed(&input, 0, &mut got);
        t.finish(input.len() as u64, &mut got);
        assert_eq!(got.0.len(), 1);
        assert_eq!(got.1.len(), 1, "{:?}", got.1);
    }
}
