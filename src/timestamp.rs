//! One type for every time a record carries, whatever form the input wrote it in.

use std::fmt;

use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// A point in time, to the millisecond (CloudWatch's precision; a finer fraction in the
/// input is cut). Written, and shown, as RFC 3339 in UTC: `2024-10-15T21:22:05Z`, with
/// three digits of fraction when the time is not a whole second (`…05.123Z`).
///
/// Inputs give times in many forms: the agent's `eventTime` (`2024-10-15T21:22:05Z`),
/// wrappers' milliseconds since the epoch, export and `aws logs tail` prefixes (with `Z`, an
/// offset, or no zone), Logs Insights' `2024-10-15 21:22:05.123`, and `script` headers
/// (`2024-10-15 21:22:05+00:00`, `+0000`, or the C locale's `Tue Oct 15 21:22:05 2024`).
/// A time that names no zone (`tail --format short`, Insights, the C-locale header) is
/// read as UTC: the input does not say which zone the recording machine was in, and AWS
/// writes those in UTC.
///
/// ```
/// use ttyscribe::Timestamp;
///
/// let t = Timestamp::parse("2024-10-15 23:22:05.1234+02:00").unwrap();
/// assert_eq!(t.to_string(), "2024-10-15T21:22:05.123Z");
/// assert_eq!(t, Timestamp::from_millis(1_729_027_325_123).unwrap());
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""2024-10-15T21:22:05.123Z""#);
/// // Not a date: never moved on to 3 March.
/// assert_eq!(Timestamp::parse("2026-02-31T00:00:00Z"), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

/// A length of time to the millisecond, written as seconds (`2.5`, `0.04`): how long a
/// command ran.
///
/// ```
/// use ttyscribe::{Seconds, Timestamp};
///
/// let a = Timestamp::from_millis(1_000).unwrap();
/// let b = Timestamp::from_millis(3_500).unwrap();
/// let d = Seconds::between(a, b).unwrap();
/// assert_eq!((d.as_millis(), d.to_string()), (2_500, "2.5".to_owned()));
/// assert_eq!(serde_json::to_string(&d).unwrap(), "2.5");
/// assert_eq!(Seconds::between(b, a), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seconds(u64);

impl Seconds {
    /// From `start` to `end`; `None` when `end` comes first.
    pub fn between(start: Timestamp, end: Timestamp) -> Option<Seconds> {
        u64::try_from(end.as_millis().checked_sub(start.as_millis())?)
            .ok()
            .map(Seconds)
    }

    /// `ms` milliseconds.
    pub fn from_millis(ms: u64) -> Seconds {
        Seconds(ms)
    }

    /// The length in milliseconds.
    pub fn as_millis(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, ms) = (self.0 / 1000, self.0 % 1000);
        if ms == 0 {
            return write!(f, "{s}");
        }
        let frac = format!("{ms:03}");
        write!(f, "{s}.{}", frac.trim_end_matches('0'))
    }
}

impl serde::Serialize for Seconds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Exact to the millisecond: an f64 of the milliseconds over 1000 prints as the
        // shortest decimal that reads back as it, which is the decimal written here.
        serializer.serialize_f64(self.0 as f64 / 1000.0)
    }
}

impl<'de> serde::Deserialize<'de> for Seconds {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = f64::deserialize(deserializer)?;
        if !(0.0..1e15).contains(&s) {
            return Err(serde::de::Error::custom("a duration is 0 or more seconds"));
        }
        Ok(Seconds((s * 1000.0).round() as u64))
    }
}

/// How a parsed time gave its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    /// `Z` (export objects, `eventTime`).
    Z,
    /// A numeric offset, `+00:00` or `+0000` (`aws logs tail`, `script` headers).
    Offset,
    /// None (`aws logs tail --format short`, Insights): taken as UTC.
    Naive,
}

impl Timestamp {
    /// The time `ms` milliseconds after the Unix epoch; `None` outside jiff's range
    /// (years -9999 to 9999).
    pub fn from_millis(ms: i64) -> Option<Timestamp> {
        jiff::Timestamp::from_millisecond(ms).ok().map(Timestamp)
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millis(self) -> i64 {
        self.0.as_millisecond()
    }

    /// The same time as a [`jiff::Timestamp`], for arithmetic and time zones.
    pub fn as_jiff(self) -> jiff::Timestamp {
        self.0
    }

    /// Read a date and time in any of the forms inputs write them in: `T` or a space between
    /// date and time, seconds required, an optional fraction, then `Z`, an offset (`+02:00`,
    /// `+0200`), ` UTC`, or nothing (UTC). `None` for anything else, and for dates that do
    /// not exist (`2026-02-31`).
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let s = s.strip_suffix(" UTC").unwrap_or(s);
        if shape(s.as_bytes(), true) != Shape::Whole {
            return None;
        }
        // Nearly every time read is an `eventTime` with its `Z`: jiff's own timestamp parser
        // takes it in half the instructions that going through `Pieces` does.
        match s.parse::<jiff::Timestamp>() {
            Ok(t) => Some(Timestamp::new(t)),
            Err(_) => parse_with_zone(s.as_bytes(), true).map(|(t, _)| t),
        }
    }

    /// `t` cut to the millisecond.
    fn new(t: jiff::Timestamp) -> Timestamp {
        let sub_ms = t.subsec_nanosecond() % 1_000_000;
        match sub_ms {
            0 => Timestamp(t),
            // Toward zero, so always in range.
            _ => Timestamp(
                t.checked_sub(jiff::SignedDuration::from_nanos(i64::from(sub_ms)))
                    .unwrap_or(t),
            ),
        }
    }
}

/// The whole of `b` as a timestamp, and how it gave its zone. `space_ok`: a space may stand
/// for the `T` between date and time.
pub(crate) fn parse_with_zone(b: &[u8], space_ok: bool) -> Option<(Timestamp, Zone)> {
    if shape(b, space_ok) != Shape::Whole {
        return None;
    }
    // jiff reads and checks the fields; the shape check above only keeps out the forms it
    // also accepts but no input of ours writes (hours without seconds, a date alone).
    let pieces = Pieces::parse(b).ok()?;
    let civil = pieces.date().to_datetime(pieces.time()?);
    let (offset, zone) = match pieces.offset() {
        None => (Offset::UTC, Zone::Naive),
        Some(PiecesOffset::Zulu) => (Offset::UTC, Zone::Z),
        Some(o) => (o.to_numeric_offset(), Zone::Offset),
    };
    if pieces.time_zone_annotation().is_some() {
        return None;
    }
    let t = offset.to_timestamp(civil).ok()?;
    Some((Timestamp::new(t), zone))
}

/// What the start of some bytes looks like, before the fields are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `YYYY-MM-DDTHH:MM:SS` followed only by bytes a fraction or zone is made of.
    Whole,
    /// A prefix of that: the bytes ran out first.
    Short,
    /// Something else.
    No,
}

/// Whether `b` is shaped like `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH[:]MM]`.
pub(crate) fn shape(b: &[u8], space_ok: bool) -> Shape {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    for (i, &want) in SHAPE.iter().enumerate() {
        let Some(&c) = b.get(i) else {
            return Shape::Short;
        };
        let ok = match want {
            b'd' => c.is_ascii_digit(),
            b'T' => c == b'T' || (space_ok && c == b' '),
            w => c == w,
        };
        if !ok {
            return Shape::No;
        }
    }
    let tail = &b[SHAPE.len()..];
    if tail
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b':' | b'+' | b'-' | b'Z'))
    {
        Shape::Whole
    } else {
        Shape::No
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.subsec_nanosecond() == 0 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{:.3}", self.0)
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;
    /// As [`Timestamp::parse`].
    fn from_str(s: &str) -> Result<Timestamp, String> {
        Timestamp::parse(s).ok_or_else(|| format!("not a date and time: {s:?}"))
    }
}

impl From<Timestamp> for jiff::Timestamp {
    fn from(t: Timestamp) -> jiff::Timestamp {
        t.0
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> Option<i64> {
        Timestamp::parse(s).map(Timestamp::as_millis)
    }

    #[test]
    fn parses_every_form_inputs_write() {
        assert_eq!(ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(ms("2026-11-22T19:45:13Z"), Some(1_795_376_713_000));
        assert_eq!(ms("2026-11-22 19:45:13.5"), Some(1_795_376_713_500));
        assert_eq!(
            ms("2026-11-22T21:45:13.123456+02:00"),
            Some(1_795_376_713_123)
        );
        assert_eq!(ms("2026-11-22T19:45:13 UTC"), Some(1_795_376_713_000));
        assert_eq!(ms("2024-02-29T00:00:00-0100"), Some(1_709_168_400_000));
        assert_eq!(ms(" 2024-10-15 21:22:05+00:00 "), Some(1_729_027_325_000));
    }

    #[test]
    fn refuses_what_is_no_time() {
        // Dates that do not exist are errors, not the days after them.
        assert_eq!(ms("2026-02-31T00:00:00Z"), None);
        assert_eq!(ms("2025-02-29T00:00:00Z"), None);
        assert_eq!(ms("2024-04-31 12:00:00"), None);
        assert_eq!(ms("2024-13-01T00:00:00Z"), None);
        assert_eq!(ms("2024-10-15T24:00:01Z"), None);
        assert_eq!(ms("2024-10-15T21:22Z"), None);
        assert_eq!(ms("2024-10-15"), None);
        assert_eq!(ms("yesterday"), None);
        assert_eq!(ms("2024-10-15T21:22:05Zjunk"), None);
        assert_eq!(ms("2024-10-15T21:22:05Z[Europe/Paris]"), None);
    }

    #[test]
    fn written_as_rfc3339_utc() {
        let t = |ms| Timestamp::from_millis(ms).map(|t| t.to_string());
        assert_eq!(t(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            t(1_729_027_325_123).as_deref(),
            Some("2024-10-15T21:22:05.123Z")
        );
        assert_eq!(
            t(1_729_027_325_020).as_deref(),
            Some("2024-10-15T21:22:05.020Z")
        );
        assert_eq!(t(-1).as_deref(), Some("1969-12-31T23:59:59.999Z"));
        assert_eq!(t(i64::MAX), None);
        for s in ["2024-10-15T21:22:05Z", "2024-10-15T21:22:05.020Z"] {
            let back: Timestamp = serde_json::from_str(&format!("\"{s}\"")).expect("parse");
            assert_eq!(back.to_string(), s);
        }
    }
}
