//! Where the parts of a complete JSON value are: the elements of a top-level array, the
//! fields of a top-level object and the elements of their array values. Lets a large
//! document be parsed element by element, each placed at its own line.

/// Positions inside a complete, valid JSON value (ranges relative to its start).
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Outline {
    /// A top-level array: its elements.
    Array(Vec<(usize, usize)>),
    /// A top-level object: its fields.
    Object(Vec<Field>),
    Other,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) struct Field {
    /// The key with its quotes.
    pub key: (usize, usize),
    pub value: (usize, usize),
    /// The value's elements when it is an array.
    pub elems: Option<Vec<(usize, usize)>>,
}

pub(super) fn outline(b: &[u8]) -> Outline {
    let i = ws(b, 0);
    match b.get(i) {
        Some(b'[') => match elements(b, i) {
            Some((e, _)) => Outline::Array(e),
            None => Outline::Other,
        },
        Some(b'{') => fields(b, i).map_or(Outline::Other, Outline::Object),
        _ => Outline::Other,
    }
}

fn fields(b: &[u8], open: usize) -> Option<Vec<Field>> {
    let mut out = Vec::new();
    let mut i = ws(b, open + 1);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        let key_end = string_end(b, i)?;
        let key = (i, key_end);
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let v = ws(b, i + 1);
        let (end, elems) = if b.get(v) == Some(&b'[') {
            let (e, end) = elements(b, v)?;
            (end, Some(e))
        } else {
            (value_end(b, v)?, None)
        };
        out.push(Field {
            key,
            value: (v, end),
            elems,
        });
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

/// The elements of the array opening at `open`, and the end of the array.
fn elements(b: &[u8], open: usize) -> Option<(Vec<(usize, usize)>, usize)> {
    let mut out = Vec::new();
    let mut i = ws(b, open + 1);
    if b.get(i) == Some(&b']') {
        return Some((out, i + 1));
    }
    loop {
        let end = value_end(b, i)?;
        out.push((i, end));
        i = ws(b, end);
        match b.get(i) {
            Some(b',') => i = ws(b, i + 1),
            Some(b']') => return Some((out, i + 1)),
            _ => return None,
        }
    }
}

/// End of the value starting at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b']' | b'}') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            Some(j)
        }
    }
}

/// End (after the closing quote) of the string starting at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        let k = memchr::memchr2(b'"', b'\\', b.get(j..)?)? + j;
        if b[k] == b'\\' {
            j = k + 2;
        } else {
            return Some(k + 1);
        }
    }
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines() {
        let doc = br#"{"events": [ {"a":"x]\"y"}, [1,{}] ], "n": 1, "t":"s"}"#;
        let Outline::Object(f) = outline(doc) else {
            panic!()
        };
        assert_eq!(f.len(), 3);
        let e = f[0].elems.as_ref().unwrap();
        assert_eq!(&doc[e[0].0..e[0].1], br#"{"a":"x]\"y"}"#);
        assert_eq!(&doc[e[1].0..e[1].1], b"[1,{}]");
        assert_eq!(&doc[f[1].value.0..f[1].value.1], b"1");
        assert_eq!(outline(b" [ ] "), Outline::Array(vec![]));
        assert_eq!(outline(b"3"), Outline::Other);
        assert_eq!(outline(b"{\"a\""), Outline::Other);
    }
}
