//! Timestamps: RFC 3339 / ISO 8601 text (`eventTime`, export and tail prefixes, Insights
//! `@timestamp`) to milliseconds since the epoch, and the numeric `timestamp` of wrappers.
//! `jiff` reads the fields ([`crate::Timestamp`]); what is left here is finding where a
//! line's timestamp prefix ends, and telling a cut-off one from none, which a parser of whole
//! strings cannot say.

use serde_json::Value;

pub(super) use crate::timestamp::Zone;
use crate::timestamp::{Shape, Timestamp, parse_with_zone, shape};

/// What the start of a line says about a timestamp prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prefix {
    /// A timestamp of `len` bytes.
    Stamp { len: usize, ms: i64, zone: Zone },
    /// The bytes ran out inside one.
    Short,
    /// Not a timestamp.
    No,
}

/// The longest prefix read: `2024-10-15T21:22:05.123456789+00:00` and a few digits more.
const MAX_PREFIX: usize = 48;

/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]` at the start of `b`, up to the first space
/// or the end (separator `T` only).
pub(super) fn prefix(b: &[u8]) -> Prefix {
    let head = &b[..b.len().min(MAX_PREFIX)];
    let end = memchr::memchr(b' ', head);
    let stamp = &head[..end.unwrap_or(head.len())];
    match shape(stamp, false) {
        Shape::No => return Prefix::No,
        Shape::Short if end.is_none() => return Prefix::Short,
        Shape::Short => return Prefix::No,
        Shape::Whole => {}
    }
    match parse_with_zone(stamp, false) {
        Some((t, zone)) => Prefix::Stamp {
            len: stamp.len(),
            ms: t.as_millis(),
            zone,
        },
        // The fraction or the offset may go on in bytes not seen yet.
        None if end.is_none() && b.len() < MAX_PREFIX && could_go_on(stamp) => Prefix::Short,
        None => Prefix::No,
    }
}

/// Whether a date and time that failed to parse may only be cut short: it ends in the
/// fraction's dot or inside an offset.
fn could_go_on(stamp: &[u8]) -> bool {
    let zone = stamp[19..]
        .iter()
        .position(|c| matches!(c, b'+' | b'-'))
        .map(|i| &stamp[19 + i + 1..]);
    match zone {
        Some(z) => z.len() < 4 || (z.len() == 4 && z[2] == b':'),
        None => stamp.ends_with(b"."),
    }
}

/// A whole string as a timestamp: `T` or a space between date and time, optional fraction,
/// optional `Z`, offset or ` UTC`. Naive times are UTC.
pub(super) fn parse(s: &str) -> Option<i64> {
    Timestamp::parse(s).map(Timestamp::as_millis)
}

/// A wrapper's `timestamp`: milliseconds as a number (or a numeric string), or a time text.
pub(super) fn from_value(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok().or_else(|| parse(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2026-11-22T19:45:13Z"), Some(1_795_376_713_000));
        assert_eq!(parse("2026-11-22 19:45:13.5"), Some(1_795_376_713_500));
        assert_eq!(
            parse("2026-11-22T21:45:13.123456+02:00"),
            Some(1_795_376_713_123)
        );
        assert_eq!(parse("2026-11-22T19:45:13 UTC"), Some(1_795_376_713_000));
        assert_eq!(parse("2024-02-29T00:00:00-0100"), Some(1_709_168_400_000));
        assert_eq!(parse("2024-13-01T00:00:00Z"), None);
        assert_eq!(parse("2026-02-31T00:00:00Z"), None);
        assert_eq!(prefix(b"2026-02-31T00:00:00.000Z x"), Prefix::No);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2024-10-15T21:22:05Zjunk"), None);
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            prefix(b"2026-11-22T19:45:13.000Z {"),
            Prefix::Stamp {
                len: 24,
                ms: 1_795_376_713_000,
                zone: Zone::Z
            }
        );
        assert!(matches!(
            prefix(b"2026-11-22T19:45:13.000000+00:00 s"),
            Prefix::Stamp {
                len: 32,
                zone: Zone::Offset,
                ..
            }
        ));
        assert!(matches!(
            prefix(b"2026-11-22T19:45:13 m"),
            Prefix::Stamp {
                len: 19,
                zone: Zone::Naive,
                ..
            }
        ));
        assert_eq!(prefix(b"2026-11-2"), Prefix::Short);
        assert_eq!(prefix(b"2026-11-22T19:45:13."), Prefix::Short);
        assert_eq!(prefix(b"2026-11-22T19:45:13+0"), Prefix::Short);
        assert_eq!(prefix(b"2026-11-22T19:45:13+00:0"), Prefix::Short);
        assert_eq!(
            prefix(b"2026-11-22T19:45:13.000000+00:00"),
            Prefix::Stamp {
                len: 32,
                ms: 1_795_376_713_000,
                zone: Zone::Offset
            }
        );
        assert_eq!(prefix(b"2026-11-22 19:45:13"), Prefix::No);
        assert_eq!(prefix(b"sh-4.2$"), Prefix::No);
    }

    #[test]
    fn values() {
        assert_eq!(
            from_value(&serde_json::json!(1729027325123i64)),
            Some(1729027325123)
        );
        assert_eq!(
            from_value(&serde_json::json!("1729027325123")),
            Some(1729027325123)
        );
        assert_eq!(
            from_value(&serde_json::json!("2024-10-15 21:22:05.123")),
            Some(1_729_027_325_123)
        );
        assert_eq!(from_value(&serde_json::json!(null)), None);
    }
}
