//! Telling the shapes apart from the first bytes.

/// UTF-8 byte order mark.
pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

/// What the first bytes say the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// `1F 8B`.
    Gzip,
    /// `{"key":`, `[{"key":`, `[[{`, `[]`.
    Json,
    /// `2024-10-15T21:22:05.123Z ` (export) or an `aws logs tail` timestamp.
    Stamped,
    /// `@timestamp,@message…`: Logs Insights CSV.
    Csv,
    /// `*****…` then `Windows PowerShell transcript start`.
    PowerShell,
    /// `Script started on `: a transcript, not a CloudWatch shape.
    Script,
    /// None of these.
    Unknown,
}

/// Result of matching a pattern against a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    Yes,
    No,
    /// The bytes ran out while they still matched.
    Short,
}

/// Length of a leading BOM.
pub(super) fn bom_len(b: &[u8]) -> usize {
    if b.starts_with(BOM) { 3 } else { 0 }
}

/// Whether `head`, the first bytes of an input (at least [`super::SNIFF_BYTES`] of them, or
/// the whole input when it is shorter), is one of the shapes [`super::Decoder`] reads: gzip,
/// CloudWatch event JSON and its wrappers, an export or `aws logs tail` listing, a Logs
/// Insights CSV, or a Windows PowerShell transcript (which the decoder reports as
/// unsupported). Raw pty output and `Script started on` transcripts give `false`. Leading
/// whitespace and a UTF-8 BOM are skipped. When `head` ends while it still looks like one of
/// the shapes, the answer is `true`.
pub fn looks_like(head: &[u8]) -> bool {
    let (shape, m) = shape_of(head);
    m != M::No
        && matches!(
            shape,
            Shape::Gzip | Shape::Json | Shape::Stamped | Shape::Csv | Shape::PowerShell
        )
}

/// The shape of the input that starts with `head`; `None` when more bytes are needed (only
/// when `complete` is false).
pub(super) fn sniff(head: &[u8], complete: bool) -> Option<Shape> {
    match shape_of(head) {
        (s, M::Yes) => Some(s),
        (_, M::No) => Some(Shape::Unknown),
        (_, M::Short) if !complete => None,
        (_, M::Short) => Some(Shape::Unknown),
    }
}

/// The best candidate shape and how well it matches.
fn shape_of(head: &[u8]) -> (Shape, M) {
    if head.len() < 2 && head.first().is_none_or(|&b| b == 0x1f) {
        if head.is_empty() {
            return (Shape::Unknown, M::Short);
        }
        return (Shape::Gzip, M::Short);
    }
    if head.starts_with(b"\x1f\x8b") {
        return (Shape::Gzip, M::Yes);
    }
    let b = &head[bom_len(head)..];
    if BOM.starts_with(head) {
        return (Shape::Unknown, M::Short);
    }
    let i = skip_ws(b, 0);
    let Some(&c) = b.get(i) else {
        return (Shape::Unknown, M::Short);
    };
    match c {
        b'{' | b'[' => (Shape::Json, json_start(b, i)),
        b'0'..=b'9' => (Shape::Stamped, stamp_start(b, i)),
        b'@' | b'"' => (Shape::Csv, csv_start(b, i)),
        b'*' => (Shape::PowerShell, powershell_start(b, i)),
        b'S' => (Shape::Script, literal(b, i, b"Script started on ")),
        _ => (Shape::Unknown, M::No),
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// `b[i..]` starts with `lit` (or is a prefix of it).
fn literal(b: &[u8], i: usize, lit: &[u8]) -> M {
    let rest = &b[i.min(b.len())..];
    let n = rest.len().min(lit.len());
    if rest[..n] != lit[..n] {
        M::No
    } else if n < lit.len() {
        M::Short
    } else {
        M::Yes
    }
}

/// `{ "key" :`, `[ {…`, `[ [ {…`, `[ ]`.
fn json_start(b: &[u8], i: usize) -> M {
    match b[i] {
        b'{' => object_start(b, i + 1),
        _ => {
            let j = skip_ws(b, i + 1);
            match b.get(j) {
                None => M::Short,
                Some(b']') => M::Yes,
                Some(b'{') => object_start(b, j + 1),
                Some(b'[') => {
                    let k = skip_ws(b, j + 1);
                    match b.get(k) {
                        None => M::Short,
                        Some(b'{') => object_start(b, k + 1),
                        Some(b']') => M::Yes,
                        _ => M::No,
                    }
                }
                _ => M::No,
            }
        }
    }
}

/// After `{`: `"key"` (printable, at most 64 bytes) then `:`, or `}`.
fn object_start(b: &[u8], i: usize) -> M {
    let j = skip_ws(b, i);
    match b.get(j) {
        None => return M::Short,
        Some(b'}') => return M::Yes,
        Some(b'"') => {}
        _ => return M::No,
    }
    let mut k = j + 1;
    loop {
        match b.get(k) {
            None => return M::Short,
            Some(b'"') => break,
            Some(&c) if c < 0x20 || k - j > 64 => return M::No,
            _ => k += 1,
        }
    }
    let l = skip_ws(b, k + 1);
    match b.get(l) {
        None => M::Short,
        Some(b':') => M::Yes,
        _ => M::No,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM] `.
fn stamp_start(b: &[u8], i: usize) -> M {
    match super::time::prefix(&b[i..]) {
        super::time::Prefix::Stamp { len, .. } => match b.get(i + len) {
            None => M::Short,
            Some(b' ') => M::Yes,
            _ => M::No,
        },
        super::time::Prefix::Short => M::Short,
        super::time::Prefix::No => M::No,
    }
}

/// A CSV header whose first field is `@name` or `"@name"`.
fn csv_start(b: &[u8], i: usize) -> M {
    let quoted = b[i] == b'"';
    let mut j = i + usize::from(quoted);
    match b.get(j) {
        None => return M::Short,
        Some(b'@') => j += 1,
        _ => return M::No,
    }
    let name_start = j;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
    {
        j += 1;
    }
    let Some(&c) = b.get(j) else {
        return M::Short;
    };
    if j == name_start {
        return M::No;
    }
    let ok = if quoted {
        c == b'"'
    } else {
        matches!(c, b',' | b'\r' | b'\n')
    };
    if ok { M::Yes } else { M::No }
}

/// A line of at least 10 `*`, then `Windows PowerShell transcript start` (or PowerShell 7's
/// `PowerShell transcript start`).
fn powershell_start(b: &[u8], i: usize) -> M {
    let mut j = i;
    while b.get(j) == Some(&b'*') {
        j += 1;
    }
    if j == b.len() {
        return M::Short;
    }
    if j - i < 10 {
        return M::No;
    }
    if b[j] == b'\r' {
        j += 1;
    }
    match b.get(j) {
        None => return M::Short,
        Some(b'\n') => j += 1,
        _ => return M::No,
    }
    match literal(b, j, b"Windows PowerShell transcript start") {
        M::No => literal(b, j, b"PowerShell transcript start"),
        m => m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let cases: &[(&[u8], Option<Shape>)] = &[
            (b"\x1f\x8b\x08\x00", Some(Shape::Gzip)),
            (b"{\"eventVersion\":\"1.0\"", Some(Shape::Json)),
            (b"\xef\xbb\xbf  \n{\n    \"events\": [", Some(Shape::Json)),
            (b"[\n  {\n    \"@timestamp\": \"x\"", Some(Shape::Json)),
            (b"[[{\"field\": ", Some(Shape::Json)),
            (b"[]", Some(Shape::Json)),
            (b"[ec2-user@ip-10-0-0-1 ~]$ ls", Some(Shape::Unknown)),
            (b"{x", Some(Shape::Unknown)),
            (b"2026-11-22T19:45:13.000Z {\"a\"", Some(Shape::Stamped)),
            (
                b"2024-10-15T21:22:05.123000+00:00 sid msg",
                Some(Shape::Stamped),
            ),
            (b"2024-10-15T21:22:05 msg", Some(Shape::Stamped)),
            (b"2024-10-15 is a date", Some(Shape::Unknown)),
            (b"@timestamp,@message\n", Some(Shape::Csv)),
            (b"\"@timestamp\",\"@message\"\r\n", Some(Shape::Csv)),
            (b"@host:~$ ", Some(Shape::Unknown)),
            (
                b"**********************\r\nWindows PowerShell transcript start\r\n",
                Some(Shape::PowerShell),
            ),
            (b"*** hello", Some(Shape::Unknown)),
            (b"Script started on 2024", Some(Shape::Script)),
            (b"\x1b]0;t\x07$ ", Some(Shape::Unknown)),
            (b"sh-4.2$ ls", Some(Shape::Unknown)),
        ];
        for (head, want) in cases {
            assert_eq!(
                sniff(head, true),
                *want,
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
        assert_eq!(sniff(b"  {\"ev", false), None);
        assert_eq!(sniff(b"\x1f", false), None);
        assert_eq!(sniff(b"", false), None);
    }

    #[test]
    fn looks_like_answers() {
        assert!(looks_like(b"{\"eventVersion\":\"1.0\",\"eventTime\""));
        assert!(looks_like(b"\x1f\x8b"));
        assert!(looks_like(b"{\n    \"events\": [\n"));
        assert!(looks_like(b"{\"awslogs\":{\"data\":\"H4sI"));
        assert!(looks_like(
            b"**********************\r\nWindows PowerShell tr"
        ));
        assert!(!looks_like(
            b"Script started on 2024-10-15 21:22:05+00:00 ["
        ));
        assert!(!looks_like(b"\xef\xbb\xbfScript started on 2024-10-15"));
        assert!(!looks_like(b"\x1b[?2004h[ec2-user@ip-10-0-1-11 ~]$ ls\r\n"));
        assert!(!looks_like(b"[ec2-user@ip-10-0-1-11 ~]$ "));
        assert!(!looks_like(b""));
        assert!(!looks_like(b"   \n"));
    }
}
