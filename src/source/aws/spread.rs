//! A JSON document too large to hold: read element by element as its bytes arrive.
//!
//! `aws logs filter-log-events` over a log group writes one document for all its pages: a
//! day of a fleet is hundreds of megabytes in one `{"events":[…]}` value. A value whose first
//! [`SPREAD_BYTES`] hold no end is read here instead of being buffered: the elements of a
//! top-level array, or of a top-level object's event list (`events`, `logEvents`,
//! `results`), are handed on one by one as each completes, and the bytes before them are
//! let go. What the object says about its elements (`logStream`, `messageType`) is taken from
//! the fields before the list, as far as they have come.
//!
//! serde_json cannot resume a value cut by a chunk boundary, so the structure (strings,
//! escapes, nesting, the separators between elements) is followed here by hand; each element
//! is still decoded by serde_json.
//!
//! Whether a value is read this way depends on its first bytes only, never on how the input
//! was chunked.

use super::event::{LIST_KEYS, List};

pub(super) use crate::limits::SPREAD_BYTES;

/// Top-level object keys whose string values describe the elements of its lists.
const FACT_KEYS: [&str; 3] = ["logStream", "logStreamName", "messageType"];

/// What the scan found, in input order (positions are indices into the caller's buffer).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A complete element `[a, b)`: of the top-level array (`None`) or of a list.
    Element(usize, usize, Option<List>),
    /// A fact field of the top-level object: its key and its string value `[a, b)`.
    Fact(&'static str, usize, usize),
    /// An element longer than the cap, skipped; it started at `a`.
    TooLong(usize),
    /// The bytes at `a` cannot continue a JSON value: reading stops there.
    Broken(usize),
    /// The value ended at `b` (one past its last byte); it started at `a` and, when it is an
    /// object in which no event list was found, is still all in the buffer.
    End {
        start: usize,
        end: usize,
        whole: bool,
    },
}

/// Scan state of one spread value. Positions are indices into the caller's buffer, which
/// may drop bytes before [`Spread::keep_from`] (then calls [`Spread::shift`]).
#[derive(Debug)]
pub(super) struct Spread {
    /// Next byte to scan.
    i: usize,
    /// Containers open.
    depth: usize,
    in_str: bool,
    esc: bool,
    /// Start of the string being read.
    str_start: usize,
    top_object: bool,
    /// In the top-level object: the next string is a key.
    expect_key: bool,
    key: Option<String>,
    /// The list being read, and the depth of its elements.
    list: Option<List>,
    /// Start of the element being read, once its first byte is seen.
    elem: Option<usize>,
    /// One past the last byte outside strings that was not whitespace: where a number,
    /// `true` or `null` ends.
    last: usize,
    /// The element being read went past the cap: it is skipped and its bytes let go.
    skipping: bool,
    max_element: usize,
    /// Where the value starts, and whether an event list of it was seen: until then the
    /// object is kept whole, to be read as one value if it has no list.
    start: usize,
    seen_list: bool,
}

impl Spread {
    /// A scan of the value whose first byte (`[` or `{`) is at `start`.
    pub fn new(start: usize, top_object: bool, max_element: usize) -> Spread {
        Spread {
            i: start + 1,
            depth: 1,
            in_str: false,
            esc: false,
            str_start: 0,
            top_object,
            expect_key: top_object,
            key: None,
            list: None,
            elem: None,
            last: start + 1,
            skipping: false,
            max_element,
            start,
            seen_list: false,
        }
    }

    /// Depth at which elements are handed on.
    fn elem_depth(&self) -> Option<usize> {
        match (self.top_object, self.list) {
            (false, _) => Some(1),
            (true, Some(_)) => Some(2),
            (true, None) => None,
        }
    }

    /// The first position the scan still needs: the caller may drop the bytes before it.
    pub fn keep_from(&self) -> usize {
        if self.top_object && !self.seen_list {
            return self.start;
        }
        let mut k = self.i;
        if let Some(e) = self.elem
            && !self.skipping
        {
            k = k.min(e);
        }
        // A key or a fact of the top-level object is read whole; no real one is this long.
        if self.in_str && self.depth == 1 && self.i - self.str_start <= self.max_element {
            k = k.min(self.str_start);
        }
        k
    }

    /// The caller dropped the first `n` bytes of its buffer.
    pub fn shift(&mut self, n: usize) {
        self.i -= n;
        self.str_start = self.str_start.saturating_sub(n);
        self.last = self.last.saturating_sub(n);
        self.start = self.start.saturating_sub(n);
        if let Some(e) = &mut self.elem {
            *e = e.saturating_sub(n);
        }
    }

    /// Scan `buf` from where the last call stopped; what is found goes to `found`. Stops
    /// after the value's end or a break ([`Found::End`], [`Found::Broken`]).
    pub fn scan(&mut self, buf: &[u8], found: &mut Vec<Found>) -> bool {
        while self.i < buf.len() {
            if self.in_str {
                self.scan_string(buf, found);
                continue;
            }
            let b = buf[self.i];
            let at = self.i;
            self.i += 1;
            if b.is_ascii_whitespace() {
                continue;
            }
            if let Some(stop) = self.structural(b, at, found) {
                return stop;
            }
            self.last = at + 1;
            self.check_cap(at, found);
        }
        false
    }

    /// Inside a string: jump to its end (or to the end of `buf`).
    fn scan_string(&mut self, buf: &[u8], found: &mut Vec<Found>) {
        if self.esc {
            self.esc = false;
            self.i += 1;
            return;
        }
        match memchr::memchr2(b'"', b'\\', &buf[self.i..]) {
            None => self.i = buf.len(),
            Some(n) if buf[self.i + n] == b'\\' => {
                self.i += n + 1;
                self.esc = true;
            }
            Some(n) => {
                self.i += n + 1;
                self.in_str = false;
                self.string_ended(buf, found);
            }
        }
        self.check_cap(self.i, found);
    }

    fn string_ended(&mut self, buf: &[u8], found: &mut Vec<Found>) {
        let (a, b) = (self.str_start, self.i);
        if self.depth == 1 && self.top_object {
            if self.expect_key {
                self.key = serde_json::from_slice::<String>(&buf[a..b]).ok();
            } else if let Some(k) = FACT_KEYS.iter().find(|k| self.key.as_deref() == Some(**k)) {
                found.push(Found::Fact(k, a, b));
            }
        }
        if self.elem_depth() == Some(self.depth) && self.elem == Some(a) {
            self.element_ended(b, found);
        }
    }

    /// A byte outside strings. `Some(stop)` ends the scan.
    fn structural(&mut self, b: u8, at: usize, found: &mut Vec<Found>) -> Option<bool> {
        let elem_level = self.elem_depth() == Some(self.depth);
        match b {
            b'"' => {
                self.in_str = true;
                self.str_start = at;
                if elem_level && self.elem.is_none() {
                    self.elem = Some(at);
                }
            }
            b'{' | b'[' => {
                if elem_level && self.elem.is_none() {
                    self.elem = Some(at);
                }
                if self.depth == 1 && self.top_object && !self.expect_key && b == b'[' {
                    self.list = self
                        .key
                        .as_deref()
                        .and_then(|k| LIST_KEYS.contains(&k).then(|| List::of_key(k)).flatten());
                    self.seen_list |= self.list.is_some();
                }
                self.depth += 1;
            }
            b'}' | b']' => {
                if elem_level && self.elem.is_some() {
                    // A number, `true`, `null` … ends before the bracket.
                    self.element_ended(self.last, found);
                }
                self.depth -= 1;
                if self.elem_depth() == Some(self.depth) && self.elem.is_some() {
                    self.element_ended(at + 1, found);
                } else if self.depth == 1 && self.list.is_some() && b == b']' {
                    self.list = None;
                }
                if self.depth == 0 {
                    found.push(Found::End {
                        start: self.start,
                        end: at + 1,
                        whole: self.top_object && !self.seen_list,
                    });
                    return Some(true);
                }
            }
            b',' => {
                if elem_level && self.elem.is_some() {
                    self.element_ended(self.last, found);
                }
                if self.depth == 1 && self.top_object {
                    self.expect_key = true;
                    self.key = None;
                }
            }
            b':' if self.depth == 1 && self.top_object && self.expect_key => {
                self.expect_key = false;
            }
            b':' => {}
            _ if elem_level && self.elem.is_none() => self.elem = Some(at),
            _ if self.depth == 1 && self.top_object && self.expect_key => {
                found.push(Found::Broken(at));
                return Some(true);
            }
            _ => {}
        }
        None
    }

    fn element_ended(&mut self, end: usize, found: &mut Vec<Found>) {
        if let Some(a) = self.elem.take()
            && !std::mem::take(&mut self.skipping)
        {
            let list = if self.top_object { self.list } else { None };
            found.push(Found::Element(a, end, list));
        }
    }

    /// An element past the cap is reported once and its bytes let go from then on.
    fn check_cap(&mut self, at: usize, found: &mut Vec<Found>) {
        if let Some(e) = self.elem
            && !self.skipping
            && at - e > self.max_element
        {
            found.push(Found::TooLong(e));
            self.skipping = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(doc: &[u8], step: usize, cap: usize) -> Vec<(String, String)> {
        let top_object = doc[0] == b'{';
        let mut s = Spread::new(0, top_object, cap);
        let mut buf: Vec<u8> = Vec::new();
        let mut dropped = 0;
        let mut out = Vec::new();
        for chunk in doc.chunks(step) {
            buf.extend_from_slice(chunk);
            let mut found = Vec::new();
            let stop = s.scan(&buf, &mut found);
            for f in found {
                let (what, text) = match f {
                    Found::Element(a, b, l) => (format!("{l:?}"), &buf[a..b]),
                    Found::Fact(k, a, b) => (k.to_string(), &buf[a..b]),
                    Found::TooLong(a) => ("too long".into(), &buf[a..a]),
                    Found::Broken(a) => ("broken".into(), &buf[a..a + 1]),
                    Found::End { end, .. } => ("end".into(), &buf[end - 1..end]),
                };
                out.push((what, String::from_utf8_lossy(text).into_owned()));
            }
            if stop {
                return out;
            }
            let keep = s.keep_from();
            buf.drain(..keep);
            dropped += keep;
            s.shift(keep);
        }
        assert!(dropped <= doc.len());
        out
    }

    #[test]
    fn elements_of_an_event_list_with_the_facts_before_it() {
        let doc = br#"{"logStream": "s\"1", "x": {"events": [9]}, "events": [ {"a":"]}"}, "str", 12 , [1,[2]]], "messageType":"DATA_MESSAGE"}"#;
        let want = [
            ("logStream", r#""s\"1""#),
            ("Some(Events)", r#"{"a":"]}"}"#),
            ("Some(Events)", r#""str""#),
            ("Some(Events)", "12"),
            ("Some(Events)", "[1,[2]]"),
            ("messageType", r#""DATA_MESSAGE""#),
            ("end", "}"),
        ];
        for step in 1..=doc.len() {
            let got = scan_all(doc, step, 1 << 20);
            let got: Vec<(&str, &str)> =
                got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(got, want, "step {step}");
        }
    }

    #[test]
    fn elements_of_a_top_level_array_and_a_cap() {
        let doc = br#"[ {"k": 1}, true, "a\\", {"long": "xxxxxxxxxxxxxxxxxxxxxxxx"}, null ]"#;
        for step in 1..=doc.len() {
            let got = scan_all(doc, step, 16);
            let got: Vec<(&str, &str)> =
                got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            assert_eq!(
                got,
                [
                    ("None", r#"{"k": 1}"#),
                    ("None", "true"),
                    ("None", r#""a\\""#),
                    ("too long", ""),
                    ("None", "null"),
                    ("end", "]"),
                ],
                "step {step}"
            );
        }
    }

    #[test]
    fn a_broken_object_stops_the_scan() {
        let got = scan_all(br#"{"a": 1, x}"#, 3, 100);
        assert_eq!(got, [("broken".to_string(), "x".to_string())]);
    }
}
