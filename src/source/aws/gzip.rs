//! Gzip, streamed: one or more members back to back (export objects, Firehose output,
//! `cat a.gz b.gz`). Each member is inflated as it arrives and its bytes go to an inner
//! [`Decoder`], which detects the shape inside. A corrupt member (bad header, bad deflate
//! data, CRC or size mismatch, a cut-off end) is reported with its offset; decoding resumes
//! at the next `1F 8B` after the damage. Events inside are placed at the offset of the member
//! they start in, with the line number of the decompressed text.
//!
//! Members are framed here, around flate2's raw `Decompress`, rather than read with
//! `MultiGzDecoder`: that stops at the first damaged member, and resuming after one (at the
//! next `1F 8B`, with the member's offset for the error) is what this module is for.

use flate2::{Crc, Decompress, FlushDecompress, Status};

use super::{Decoder, Sink};
use crate::error::{Error, Location};
use crate::limits::{MAX_GZIP_HEADER as MAX_HEADER, MAX_GZIP_MEMBERS as MAX_MEMBERS};

const FORMAT: &str = "gzip";

/// Inflate into pieces of this size.
const OUT_CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a member header (bytes in `header`).
    Header,
    Body,
    /// Reading the 8-byte CRC32 + ISIZE trailer (bytes in `header`).
    Trailer,
    /// After a member: another one, zero padding, or the end.
    Between,
    /// After damage: looking for the next `1F`.
    Skip,
}

pub(super) struct Gunzip {
    state: State,
    inflate: Decompress,
    crc: Crc,
    header: Vec<u8>,
    /// Offset of the member being read.
    member: u64,
    out: Vec<u8>,
    /// Decompressed bytes so far (the inner decoder's offsets).
    produced: u64,
    /// (decompressed offset, input offset) of each member start.
    members: Vec<(u64, u64)>,
    /// Looking for the next member after damage (false starts are not reported again).
    resyncing: bool,
    inner: Decoder,
}

impl std::fmt::Debug for Gunzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gunzip")
            .field("state", &self.state)
            .field("member", &self.member)
            .field("produced", &self.produced)
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl Gunzip {
    pub fn new(inner: Decoder) -> Gunzip {
        Gunzip {
            state: State::Between,
            inflate: Decompress::new(false),
            crc: Crc::new(),
            header: Vec::new(),
            member: 0,
            out: vec![0; OUT_CHUNK],
            produced: 0,
            members: Vec::new(),
            resyncing: false,
            inner,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        let mut i = 0;
        while i < chunk.len() {
            let at = offset + i as u64;
            let rest = &chunk[i..];
            match self.state {
                State::Between => {
                    if rest[0] == 0 {
                        // Zero padding after the last member (tape-style writers).
                        i += rest.iter().position(|&b| b != 0).unwrap_or(rest.len());
                    } else if rest[0] == 0x1f {
                        self.begin(at);
                    } else {
                        self.damaged(at, "data after a gzip member is not another member", sink);
                    }
                }
                State::Skip => match memchr::memchr(0x1f, rest) {
                    Some(n) => {
                        i += n;
                        self.begin(offset + i as u64);
                    }
                    None => i = chunk.len(),
                },
                State::Header => i += self.header_bytes(rest, sink),
                State::Body => i += self.body(rest, at, sink),
                State::Trailer => {
                    let take = rest.len().min(8 - self.header.len());
                    self.header.extend_from_slice(&rest[..take]);
                    i += take;
                    if self.header.len() == 8 {
                        self.check_trailer(sink);
                    }
                }
            }
        }
    }

    pub fn finish(&mut self, offset: u64, sink: &mut Sink) {
        match self.state {
            State::Between | State::Skip => {}
            State::Header | State::Body | State::Trailer => {
                let member = self.member;
                self.report(
                    member,
                    format!("the gzip member is cut off (input ends at byte {offset})"),
                    sink,
                );
            }
        }
        let (members, inner) = (&self.members, &mut self.inner);
        inner.finish_dyn(self.produced, &mut |r| place(r, members, sink));
    }

    fn begin(&mut self, at: u64) {
        self.state = State::Header;
        self.member = at;
        self.header.clear();
    }

    /// Take header bytes from `rest`; returns how many were used.
    fn header_bytes(&mut self, rest: &[u8], sink: &mut Sink) -> usize {
        let old = self.header.len();
        // The fixed 10 bytes first, so that a false start can be rescanned cheaply.
        let want = if old < 10 { 10 - old } else { MAX_HEADER - old };
        let take = rest.len().min(want);
        self.header.extend_from_slice(&rest[..take]);
        match header_len(&self.header) {
            Ok(Some(len)) => {
                let used = len - old;
                self.header.clear();
                self.inflate.reset(false);
                self.crc.reset();
                self.state = State::Body;
                self.resyncing = false;
                if self.members.len() >= MAX_MEMBERS {
                    self.members.drain(..MAX_MEMBERS / 2);
                }
                self.members.push((self.produced, self.member));
                used
            }
            Ok(None) if self.header.len() >= MAX_HEADER => {
                let member = self.member;
                self.damaged(member, "gzip header too long", sink);
                take
            }
            Ok(None) => take,
            Err(msg) => {
                // Not a member after all: look again from the byte after its `1F`.
                let header = std::mem::take(&mut self.header);
                let member = self.member;
                if self.resyncing {
                    self.state = State::Skip;
                } else {
                    self.damaged(member, msg, sink);
                }
                self.feed(&header[1..], member + 1, sink);
                take
            }
        }
    }

    /// Inflate from `rest`; returns how many input bytes were used.
    fn body(&mut self, rest: &[u8], at: u64, sink: &mut Sink) -> usize {
        let mut used = 0;
        loop {
            let (in0, out0) = (self.inflate.total_in(), self.inflate.total_out());
            let status =
                self.inflate
                    .decompress(&rest[used..], &mut self.out, FlushDecompress::None);
            let consumed = (self.inflate.total_in() - in0) as usize;
            let made = (self.inflate.total_out() - out0) as usize;
            used += consumed;
            if made > 0 {
                self.crc.update(&self.out[..made]);
                let (members, inner, out) = (&self.members, &mut self.inner, &self.out);
                inner.feed_dyn(&out[..made], self.produced, &mut |r| {
                    place(r, members, sink)
                });
                self.produced += made as u64;
            }
            match status {
                Ok(Status::StreamEnd) => {
                    self.state = State::Trailer;
                    self.header.clear();
                    return used;
                }
                Ok(_) if consumed == 0 && made == 0 => return used,
                Ok(_) => {
                    if used == rest.len() && made < self.out.len() {
                        return used;
                    }
                }
                Err(e) => {
                    let member = self.member;
                    self.damaged(
                        member,
                        &format!("corrupt deflate data near byte {}: {e}", at + used as u64),
                        sink,
                    );
                    return used;
                }
            }
        }
    }

    fn check_trailer(&mut self, sink: &mut Sink) {
        let t = &self.header;
        let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let size = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
        self.header.clear();
        self.state = State::Between;
        if crc != self.crc.sum() || size != self.crc.amount() {
            let member = self.member;
            self.report(
                member,
                "CRC or length check failed: the member's data is damaged".into(),
                sink,
            );
        }
    }

    /// Report damage in the member at `member` and skip to the next `1F`.
    fn damaged(&mut self, member: u64, msg: &str, sink: &mut Sink) {
        self.report(
            member,
            format!("{msg}; skipped to the next gzip member"),
            sink,
        );
        self.state = State::Skip;
        self.resyncing = true;
        self.header.clear();
        let (members, inner) = (&self.members, &mut self.inner);
        inner.interrupt(&mut |r| place(r, members, sink));
    }

    /// What the inner decoder holds complete is read before a report on the member, so
    /// that the two come in an order fixed by the input.
    fn settle_inner(&mut self, sink: &mut Sink) {
        let (members, inner) = (&self.members, &mut self.inner);
        inner.settle(&mut |r| place(r, members, sink));
    }

    /// Every report on a member comes after what the inner decoder holds complete.
    fn report(&mut self, member: u64, message: String, sink: &mut Sink) {
        self.settle_inner(sink);
        let location = sink.loc(None, member);
        sink.error(Error::Malformed {
            location,
            format: FORMAT,
            message,
        });
    }
}

/// Put an inner event or error at the input offset of the member it starts in.
fn place(r: Result<super::LogEvent, Error>, members: &[(u64, u64)], sink: &mut Sink) {
    let fix = |loc: &mut Location| {
        let i = members.partition_point(|&(d, _)| d <= loc.byte);
        loc.byte = members.get(i.saturating_sub(1)).map_or(0, |&(_, raw)| raw);
    };
    match r {
        Ok(mut e) => {
            fix(&mut e.location);
            sink.event(e)
        }
        Err(mut e) => {
            fix(e.location_mut());
            sink.error(e)
        }
    }
}

/// Length of the gzip header at the start of `h`: `Ok(None)` when more bytes are needed,
/// `Err` when it is not a gzip header.
fn header_len(h: &[u8]) -> Result<Option<usize>, &'static str> {
    if h.len() >= 2 && h[..2] != [0x1f, 0x8b] {
        return Err("not a gzip member");
    }
    if h.len() < 10 {
        return Ok(None);
    }
    if h[2] != 8 {
        return Err("unknown gzip compression method");
    }
    let flags = h[3];
    if flags & 0xe0 != 0 {
        return Err("reserved gzip header flags set");
    }
    let mut i = 10;
    if flags & 0x04 != 0 {
        let Some(x) = h.get(i..i + 2) else {
            return Ok(None);
        };
        i += 2 + usize::from(u16::from_le_bytes([x[0], x[1]]));
    }
    for flag in [0x08, 0x10] {
        if flags & flag != 0 {
            match h.get(i..).and_then(|r| memchr::memchr(0, r)) {
                Some(n) => i += n + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & 0x02 != 0 {
        i += 2;
    }
    Ok((h.len() >= i).then_some(i))
}
