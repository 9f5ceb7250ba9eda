//! JSON documents: values spread over lines (pretty-printed events, `get-log-events`
//! output, arrays), buffered value by value up to [`MAX_DOCUMENT_BYTES`]; a value with no end
//! in its first [`SPREAD_BYTES`] is read element by element instead ([`super::spread`]).
//!
//! serde_json reads every value and [`outline`](super::outline) its parts. Kept here by hand:
//! waiting for the rest of a value cut by a chunk boundary (serde_json reads complete input
//! only, and calls a number cut short invalid rather than cut), skipping a broken value to
//! the next line that starts one, and reading a value with bytes that are not UTF-8 event
//! by event (`value_with_bad_text`).

use serde::de::IgnoredAny;
use serde_json::Value;

use super::event::{self, JSON, List};
use super::outline::{FieldValue, Outline, Read};
use super::spread::{Found, SPREAD_BYTES, Spread};
use super::{MAX_DOCUMENT_BYTES, MAX_LINE_BYTES, Sink};
use crate::error::Location;

/// A document is re-parsed after it has grown by at least this much (or doubled), or when a
/// line starts with `}` or `]` (the end of a pretty-printed value).
const RETRY_BYTES: usize = 64 * 1024;

/// A JSON document, or several concatenated: buffered until each top-level value is complete.
#[derive(Debug)]
pub(super) struct Doc {
    buf: Vec<u8>,
    /// Bytes of `buf` already handled.
    pos: usize,
    /// Input offset and line number of `buf[0]`.
    base: u64,
    base_line: u64,
    /// A line counting cursor into `buf` (position, its line number).
    cursor: (usize, u64),
    /// Try to parse again when `buf.len() - pos` reaches this.
    need: usize,
    /// After an error: skipping to a line that starts with `{` or `[`; `true` when the last
    /// byte seen ended a line.
    skip: Option<bool>,
    /// While skipping: the line number of the next byte.
    skip_line: u64,
    /// A value too large to hold, being read element by element.
    spread: Option<Box<Spreading>>,
}

/// A value being read element by element.
#[derive(Debug)]
struct Spreading {
    scan: Spread,
    /// Where it starts.
    at: Location,
    /// The fact fields of the top-level object seen so far.
    facts: serde_json::Map<String, Value>,
    parent: event::Parent,
}

impl Default for Doc {
    fn default() -> Self {
        Doc {
            buf: Vec::new(),
            pos: 0,
            base: 0,
            base_line: 1,
            cursor: (0, 1),
            need: 0,
            skip: None,
            skip_line: 1,
            spread: None,
        }
    }
}

impl Doc {
    pub fn feed(&mut self, chunk: &[u8], offset: u64, sink: &mut Sink) {
        let mut chunk = chunk;
        let mut offset = offset;
        if let Some(mut at_line_start) = self.skip {
            let mut found = None;
            for (i, &c) in chunk.iter().enumerate() {
                if at_line_start && (c == b'{' || c == b'[') {
                    found = Some(i);
                    break;
                }
                at_line_start = c == b'\n';
            }
            let skipped = found.unwrap_or(chunk.len());
            self.skip_line += memchr::memchr_iter(b'\n', &chunk[..skipped]).count() as u64;
            let Some(i) = found else {
                self.skip = Some(at_line_start);
                return;
            };
            self.skip = None;
            self.restart(offset + i as u64, self.skip_line);
            chunk = &chunk[i..];
            offset += i as u64;
        }
        if self.pos == self.buf.len() {
            let (_, line) = self.line_at(self.buf.len());
            self.restart(offset, line);
        }
        let prev = self.buf.last().copied();
        self.buf.extend_from_slice(chunk);
        if self.spread.is_some() {
            self.spread(sink);
        } else if closes_value(prev, chunk) || self.buf.len() - self.pos >= self.need {
            self.parse(false, sink);
        }
        if self.skip.is_none()
            && self.spread.is_none()
            && self.buf.len() - self.pos > MAX_DOCUMENT_BYTES
        {
            let loc = self.loc(self.pos, sink);
            sink.malformed(
                loc,
                JSON,
                format!("a JSON value longer than {MAX_DOCUMENT_BYTES} bytes skipped"),
            );
            self.skip_from(self.pos);
        }
    }

    pub fn finish(&mut self, _offset: u64, sink: &mut Sink) {
        if let Some(sp) = self.spread.take() {
            sink.malformed(
                sp.at,
                JSON,
                "cut off: the input ends inside this JSON value".into(),
            );
        } else if self.skip.is_none() {
            self.parse(true, sink);
        }
    }

    /// Read the values complete so far: how many were read already depends on when the
    /// last attempt happened, that is on how the input was chunked.
    pub fn settle(&mut self, sink: &mut Sink) {
        if self.skip.is_none() && self.spread.is_none() {
            self.parse(false, sink);
        }
    }

    /// The input jumped (a corrupt gzip member): read the values complete so far, drop the
    /// one in progress and start again at the next `{` or `[` that starts a line.
    pub fn interrupt(&mut self, sink: &mut Sink) {
        self.settle(sink);
        if self.skip.is_none() {
            let (_, line) = self.line_at(self.buf.len());
            self.skip_line = line;
        }
        self.skip = Some(true);
        self.spread = None;
        self.buf.clear();
        self.pos = 0;
    }

    /// An empty buffer whose first byte will be at `offset`, on line `line`.
    fn restart(&mut self, offset: u64, line: u64) {
        self.buf.clear();
        self.pos = 0;
        self.base = offset;
        self.base_line = line;
        self.cursor = (0, line);
        self.need = 0;
    }

    /// Skip the value that starts at `from` (already reported): resume at the next line after
    /// it that starts with `{` or `[`, in the buffer or later.
    fn skip_from(&mut self, from: usize) {
        let mut i = from;
        while let Some(n) = memchr::memchr(b'\n', &self.buf[i..]) {
            i += n + 1;
            if matches!(self.buf.get(i), Some(b'{' | b'[')) {
                self.pos = i;
                return;
            }
        }
        let (_, line) = self.line_at(self.buf.len());
        self.skip = Some(self.buf.last() == Some(&b'\n'));
        self.skip_line = line;
        self.buf.clear();
        self.pos = 0;
        self.cursor = (0, line);
        self.base_line = line;
    }

    /// Parse every complete top-level value in the buffer. At the end of input (`last`) a
    /// cut-off value is reported and what follows it is tried again.
    fn parse(&mut self, last: bool, sink: &mut Sink) {
        loop {
            while self.buf.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
                self.pos += 1;
            }
            if self.pos >= self.buf.len() {
                self.need = 0;
                break;
            }
            let start = self.pos;
            // Only the first SPREAD_BYTES decide how a value is read, so the decision does
            // not depend on how much of the input has arrived.
            let limit = self.buf.len().min(start + SPREAD_BYTES);
            let view = &self.buf[start..limit];
            let mut values = serde_json::Deserializer::from_slice(view).into_iter::<Read>();
            let next = values.next().map(|r| r.map(|read| read.locate(&self.buf)));
            let end = start + values.byte_offset();
            match next {
                None => break,
                Some(Ok(_))
                    if !last
                        && end == self.buf.len()
                        && !matches!(self.buf[start], b'{' | b'[' | b'"') =>
                {
                    // A bare number at the end may go on in the next chunk.
                    self.need = self.buf.len() - start + 1;
                    break;
                }
                Some(Ok(outline)) => {
                    self.value(start, end, outline, sink);
                    self.pos = end;
                }
                Some(Err(e))
                    if limit - start == SPREAD_BYTES
                        && matches!(self.buf[start], b'{' | b'[')
                        && cut_short(&self.buf[start..limit], &e) =>
                {
                    return self.start_spread(start, sink);
                }
                Some(Err(e)) if !last && cut_short(&self.buf[start..limit], &e) => {
                    self.need = (2 * (self.buf.len() - start)).max(RETRY_BYTES);
                    break;
                }
                Some(Err(e)) if !e.is_eof() && self.value_with_bad_text(start, limit, sink) => {}
                Some(Err(e)) => {
                    let loc = self.loc(start, sink);
                    let line = loc.line.unwrap_or(1) + e.line() as u64 - 1;
                    let what = if e.is_eof() {
                        "cut off"
                    } else {
                        "not valid JSON"
                    };
                    sink.malformed(
                        loc,
                        JSON,
                        format!("{what} (at line {line}, column {}): {e}", e.column()),
                    );
                    self.skip_from(start);
                    if self.skip.is_some() {
                        return;
                    }
                }
            }
        }
        if self.pos > RETRY_BYTES && self.pos * 2 > self.buf.len() {
            let (_, line) = self.line_at(self.pos);
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.base_line = line;
            self.cursor = (0, line);
            self.pos = 0;
        }
    }

    /// Start reading the value at `start`, which has no end in its first [`SPREAD_BYTES`],
    /// element by element.
    fn start_spread(&mut self, start: usize, sink: &mut Sink) {
        let top_object = self.buf[start] == b'{';
        let at = self.loc(start, sink);
        self.spread = Some(Box::new(Spreading {
            scan: Spread::new(start, top_object, MAX_LINE_BYTES),
            at,
            facts: serde_json::Map::new(),
            parent: event::Parent::default(),
        }));
        self.spread(sink);
    }

    /// Go on reading the value too large to hold: hand on the elements complete so far, let
    /// go of the bytes before the next one, and go back to whole values after its end.
    fn spread(&mut self, sink: &mut Sink) {
        let Some(mut sp) = self.spread.take() else {
            return;
        };
        let mut found = Vec::new();
        let stop = sp.scan.scan(&self.buf, &mut found);
        for f in found {
            match f {
                Found::Element(a, b, list) => {
                    let loc = self.loc(a, sink);
                    let v = match serde_json::from_slice::<Value>(&self.buf[a..b]) {
                        Ok(v) => v,
                        Err(e) => {
                            sink.malformed(loc, JSON, e.to_string());
                            continue;
                        }
                    };
                    match list {
                        None => event::item(v, &loc, sink, 0),
                        Some(_) if sp.parent.skip => {}
                        Some(list) => event::list_item(list, v, &sp.parent, &loc, sink),
                    }
                }
                Found::Fact(key, a, b) => {
                    if let Ok(v) = serde_json::from_slice::<Value>(&self.buf[a..b]) {
                        sp.facts.insert(key.to_owned(), v);
                        sp.parent = event::parent(&sp.facts);
                    }
                }
                Found::TooLong(a) => {
                    let loc = self.loc(a, sink);
                    let m = format!("an element longer than {MAX_LINE_BYTES} bytes skipped");
                    sink.malformed(loc, JSON, m);
                }
                Found::Broken(a) => {
                    let loc = self.loc(a, sink);
                    sink.malformed(loc, JSON, "not valid JSON here".into());
                    self.skip_from(a);
                    return;
                }
                Found::End { start, end, whole } => {
                    if whole {
                        self.whole_value(start, end, sink);
                    }
                    self.pos = end;
                }
            }
        }
        if stop {
            return self.parse(false, sink);
        }
        let keep = sp.scan.keep_from();
        if keep > 0 {
            let (_, line) = self.line_at(keep);
            self.buf.drain(..keep);
            self.base += keep as u64;
            self.base_line = line;
            self.cursor = (0, line);
            self.pos = 0;
            sp.scan.shift(keep);
        }
        if self.buf.len() > MAX_DOCUMENT_BYTES {
            sink.malformed(
                sp.at,
                JSON,
                format!("a JSON value longer than {MAX_DOCUMENT_BYTES} bytes skipped"),
            );
            return self.skip_from(0);
        }
        self.spread = Some(sp);
    }

    /// A spread object that turned out to hold no event list, all of it still buffered:
    /// read as one value.
    fn whole_value(&mut self, start: usize, end: usize, sink: &mut Sink) {
        let mut values =
            serde_json::Deserializer::from_slice(&self.buf[start..end]).into_iter::<Read>();
        let next = values.next().map(|r| r.map(|read| read.locate(&self.buf)));
        match next {
            Some(Ok(outline)) => self.value(start, end, outline, sink),
            Some(Err(e)) if !e.is_eof() && self.value_with_bad_text(start, end, sink) => {}
            Some(Err(e)) => {
                let loc = self.loc(start, sink);
                sink.malformed(loc, JSON, format!("not valid JSON: {e}"));
            }
            None => {}
        }
    }

    /// The complete value `buf[start..end]`, whose parts are `outline`: its events, each
    /// array element placed at its own line.
    fn value(&mut self, start: usize, end: usize, outline: Outline, sink: &mut Sink) {
        let loc = self.loc(start, sink);
        match outline {
            Outline::Array(elems) => {
                for (a, b) in elems {
                    let loc = self.loc(a, sink);
                    match serde_json::from_slice::<Value>(&self.buf[a..b]) {
                        Ok(v) => event::item(v, &loc, sink, 0),
                        Err(e) => sink.malformed(loc, JSON, e.to_string()),
                    }
                }
            }
            Outline::Object(fields)
                if fields
                    .iter()
                    .any(|f| matches!(f.value, FieldValue::Elems(_))) =>
            {
                let mut map = serde_json::Map::new();
                let mut lists = Vec::new();
                for f in fields {
                    match (List::of_key(&f.key), f.value) {
                        (Some(list), FieldValue::Elems(elems)) => lists.push((list, elems)),
                        (_, FieldValue::Value(v)) => {
                            map.insert(f.key, v);
                        }
                        // Only the lists' elements and the scalars around them are read.
                        (None, FieldValue::Elems(_)) => {}
                    }
                }
                if lists.is_empty() || map.contains_key("awslogs") {
                    let v = serde_json::from_slice::<Value>(&self.buf[start..end]);
                    return match v {
                        Ok(v) => event::item(v, &loc, sink, 0),
                        Err(e) => sink.malformed(loc, JSON, e.to_string()),
                    };
                }
                let parent = event::parent(&map);
                if parent.skip {
                    return;
                }
                for (list, elems) in lists {
                    for (a, b) in elems {
                        let loc = self.loc(a, sink);
                        match serde_json::from_slice::<Value>(&self.buf[a..b]) {
                            Ok(v) => event::list_item(list, v, &parent, &loc, sink),
                            Err(e) => sink.malformed(loc, JSON, e.to_string()),
                        }
                    }
                }
            }
            _ => match serde_json::from_slice::<Value>(&self.buf[start..end]) {
                Ok(v) => event::item(v, &loc, sink, 0),
                Err(e) => sink.malformed(loc, JSON, e.to_string()),
            },
        }
    }

    /// A value at `start` that is complete JSON but holds bytes that are not UTF-8, which
    /// serde_json's raw values refuse as a whole: outlined on a copy with each such byte made
    /// `?` (so every position stays), its elements then read from the input itself, so that
    /// only the events with the bad bytes are reported. Whether there was such a value.
    fn value_with_bad_text(&mut self, start: usize, limit: usize, sink: &mut Sink) -> bool {
        let mut values =
            serde_json::Deserializer::from_slice(&self.buf[start..limit]).into_iter::<IgnoredAny>();
        let Some(Ok(_)) = values.next() else {
            return false;
        };
        let end = start + values.byte_offset();
        let mut copy = self.buf[start..end].to_vec();
        let mut from = 0;
        while let Err(e) = std::str::from_utf8(&copy[from..]) {
            let bad = from + e.valid_up_to();
            let n = e.error_len().unwrap_or(copy.len() - bad);
            copy[bad..bad + n].fill(b'?');
            from = bad + n;
        }
        let Ok(read) = serde_json::from_slice::<Read>(&copy) else {
            return false;
        };
        let outline = read.locate(&copy).shifted(start);
        self.value(start, end, outline, sink);
        self.pos = end;
        true
    }

    /// Line number of `buf[i]` (moving the cursor; positions asked for mostly increase).
    fn line_at(&mut self, i: usize) -> (usize, u64) {
        if i < self.cursor.0 {
            self.cursor = (0, self.base_line);
        }
        let (p, l) = self.cursor;
        let n = memchr::memchr_iter(b'\n', &self.buf[p..i]).count() as u64;
        self.cursor = (i, l + n);
        self.cursor
    }

    fn loc(&mut self, i: usize, sink: &Sink) -> Location {
        let (_, line) = self.line_at(i);
        sink.loc(Some(line), self.base + i as u64)
    }
}

/// Whether `text` holds only the start of a value, given the error `e` serde_json found
/// reading its parts: cut (or ending inside a number, `-`, `12.`, `3e`, which serde_json
/// calls invalid, not cut), or with bytes that are not UTF-8 before the cut, which the
/// borrowed parts refuse at once: then whether the value's structure is complete decides.
/// A value is read whole only once all of it is there, however the input was chunked.
fn cut_short(text: &[u8], e: &serde_json::Error) -> bool {
    if e.is_eof() || found_at_end(text, e) {
        return true;
    }
    let mut values = serde_json::Deserializer::from_slice(text).into_iter::<IgnoredAny>();
    matches!(values.next(), Some(Err(e)) if e.is_eof() || found_at_end(text, &e))
}

/// Whether serde_json found error `e` at the last byte of `text` or just past it (it counts
/// lines from 1 and, within a line, the bytes before the error).
fn found_at_end(text: &[u8], e: &serde_json::Error) -> bool {
    let last_line = memchr::memrchr(b'\n', text).map_or(0, |i| i + 1);
    let lines = memchr::memchr_iter(b'\n', text).count() + 1;
    e.line() == lines && last_line + e.column() + 1 >= text.len()
}

/// Whether `chunk` (after the byte `prev`) has a line that starts with `}` or `]`.
fn closes_value(prev: Option<u8>, chunk: &[u8]) -> bool {
    if prev == Some(b'\n') && matches!(chunk.first(), Some(b'}' | b']')) {
        return true;
    }
    memchr::memchr_iter(b'\n', chunk).any(|i| matches!(chunk.get(i + 1), Some(b'}' | b']')))
}

#[cfg(test)]
mod tests {
    use crate::error::Error;
    use crate::source::aws::{Decoder, EventData, LogEvent};

    fn run(input: &[u8], step: usize) -> Vec<Result<LogEvent, Error>> {
        let mut got = Vec::new();
        let mut d = Decoder::new(None);
        for (k, c) in input.chunks(step).enumerate() {
            d.feed(c, (k * step) as u64, &mut |r| got.push(r));
        }
        d.finish(input.len() as u64, &mut |r| got.push(r));
        got
    }

    fn pretty(id: &str) -> String {
        format!("{{\n  \"sessionId\": \"{id}\",\n  \"sessionData\": [\n    \"{id}\"\n  ]\n}}\n")
    }

    #[test]
    fn a_value_cut_inside_a_number_waits_for_the_rest() {
        // `-`, `12.` and `3e` are no numbers yet: a chunk may end there.
        let doc = "{\n  \"x\": [-12.5e3, 4.0941, -7],\n  \"sessionId\": \"a\",\n  \"sessionData\": [\"a\"]\n}\n";
        for step in 1..=doc.len() {
            let got = run(doc.as_bytes(), step);
            assert!(got.iter().all(Result::is_ok), "step {step}: {got:?}");
            assert_eq!(got.len(), 1, "step {step}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_cost_only_their_event() {
        let doc = b"{\n  \"events\": [\n    {\"timestamp\": 1, \"message\": \"a\"},\n    {\"timestamp\": 2, \"message\": \"b \xff\"},\n    {\"timestamp\": 3, \"message\": \"c\"}\n  ]\n}\n";
        for step in [1, 7, doc.len()] {
            let got = run(doc, step);
            let texts: Vec<_> = got
                .iter()
                .map(|r| match r {
                    Ok(e) => Ok(e.data.clone()),
                    Err(e) => Err(e.location().line),
                })
                .collect();
            assert_eq!(
                texts,
                [
                    Ok(EventData::Text("a".into())),
                    Err(Some(4)),
                    Ok(EventData::Text("c".into()))
                ],
                "step {step}"
            );
        }
    }

    #[test]
    fn broken_pretty_value_is_skipped() {
        let broken = pretty("b").replace("}\n", "");
        let input = [pretty("a"), broken, pretty("c"), "[1,\n".into()].concat();
        for step in [1, 2, 5, 64, input.len()] {
            let got = run(input.as_bytes(), step);
            let ok: Vec<String> = got
                .iter()
                .filter_map(|r| match r.as_ref().ok()?.data {
                    EventData::Lines(ref l) => Some(l[0].clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(ok, ["a", "c"], "step {step}");
            let errs: Vec<_> = got.iter().filter_map(|r| r.as_ref().err()).collect();
            assert_eq!(errs.len(), 2, "{errs:?}");
            // The unclosed value (line 7, found broken at line 12), the cut-off array.
            assert_eq!(errs[0].location().line, Some(7));
            assert!(errs[0].to_string().contains("at line 12"));
            assert_eq!(errs[1].location().line, Some(18));
        }
    }
}
