//! Timestamps: RFC 3339 / ISO 8601 text (`eventTime`, export and tail prefixes, Insights
//! `@timestamp`) to milliseconds since the epoch, and the numeric `timestamp` of wrappers.

use serde_json::Value;

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

/// How a timestamp gave its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Zone {
    /// `Z` (export objects, `eventTime`).
    Z,
    /// `+00:00` (`aws logs tail`).
    Offset,
    /// None (`aws logs tail --format short`, Insights): taken as UTC.
    Naive,
}

/// `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM|±HHMM]` at the start of `b` (separator `T` only).
pub(super) fn prefix(b: &[u8]) -> Prefix {
    parse_at(b, false)
}

/// A whole string as a timestamp: `T` or a space between date and time, optional fraction,
/// optional `Z`, offset or ` UTC`. Naive times are UTC.
pub(super) fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix(" UTC").unwrap_or(s);
    match parse_at(s.as_bytes(), true) {
        Prefix::Stamp { len, ms, .. } if len == s.len() => Some(ms),
        _ => None,
    }
}

/// A wrapper's `timestamp`: milliseconds as a number (or a numeric string), or a time text.
pub(super) fn from_value(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok().or_else(|| parse(s)),
        _ => None,
    }
}

fn parse_at(b: &[u8], space_ok: bool) -> Prefix {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    for (i, &want) in SHAPE.iter().enumerate() {
        let Some(&c) = b.get(i) else {
            return Prefix::Short;
        };
        let ok = match want {
            b'd' => c.is_ascii_digit(),
            b'T' => c == b'T' || (space_ok && c == b' '),
            w => c == w,
        };
        if !ok {
            return Prefix::No;
        }
    }
    let num = |r: std::ops::Range<usize>| -> i64 {
        b[r].iter().fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, min, sec) = (num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return Prefix::No;
    }
    let mut i = SHAPE.len();
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return if i == b.len() {
                Prefix::Short
            } else {
                Prefix::No
            };
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let mut zone = Zone::Naive;
    let mut offset_min = 0i64;
    match b.get(i) {
        Some(b'Z') => {
            zone = Zone::Z;
            i += 1;
        }
        Some(&s @ (b'+' | b'-')) => {
            let d = |k: usize| b.get(k).filter(|c| c.is_ascii_digit()).is_some();
            if b.len() < i + 3 {
                return Prefix::Short;
            }
            if !(d(i + 1) && d(i + 2)) {
                return Prefix::No;
            }
            let mut j = i + 3;
            if b.get(j) == Some(&b':') {
                j += 1;
            }
            if b.len() < j + 2 {
                return Prefix::Short;
            }
            if !(d(j) && d(j + 1)) {
                return Prefix::No;
            }
            offset_min = num(i + 1..i + 3) * 60 + num(j..j + 2);
            if s == b'-' {
                offset_min = -offset_min;
            }
            zone = Zone::Offset;
            i = j + 2;
        }
        _ => {}
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_min * 60;
    Prefix::Stamp {
        len: i,
        ms: secs * 1000 + millis,
        zone,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
