//! Where the parts of a complete JSON value are: the elements of a top-level array, the
//! fields of a top-level object and the elements of their array values. Lets a large
//! document be parsed element by element, each placed at its own line.
//!
//! serde_json finds them while it checks that the value is complete: the elements are
//! borrowed as raw values, whose place in the buffer is their position; other field values
//! are decoded at once (they are few and small: a wrapper's tokens, a stream name). This is
//! the same pass that finds where the value ends, so a document is read twice in all: once
//! here, once element by element into events. Raw values must be UTF-8, so a value with a
//! bad byte is outlined on a copy with the byte made `?` (`Doc::value_with_bad_text`).

use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// A top-level JSON value as serde_json read it, its parts borrowed from the input.
#[derive(Debug)]
pub(super) struct Read<'a>(Parts<'a>);

#[derive(Debug)]
enum Parts<'a> {
    Array(Vec<&'a RawValue>),
    Object(Vec<(String, Part<'a>)>),
    Other,
}

#[derive(Debug)]
enum Part<'a> {
    Elems(Vec<&'a RawValue>),
    Value(Value),
}

/// Positions inside a complete, valid JSON value, as ranges of the buffer it was read from.
#[derive(Debug, PartialEq)]
pub(super) enum Outline {
    /// A top-level array: its elements.
    Array(Vec<(usize, usize)>),
    /// A top-level object: its fields.
    Object(Vec<Field>),
    Other,
}

#[derive(Debug, PartialEq)]
pub(super) struct Field {
    pub key: String,
    pub value: FieldValue,
}

#[derive(Debug, PartialEq)]
pub(super) enum FieldValue {
    /// An array: where its elements are.
    Elems(Vec<(usize, usize)>),
    /// Anything else, decoded.
    Value(Value),
}

impl Read<'_> {
    /// The positions of the parts in `buf`, the buffer the value was read from.
    pub fn locate(self, buf: &[u8]) -> Outline {
        let base = buf.as_ptr() as usize;
        let at = |r: &RawValue| {
            let start = r.get().as_ptr() as usize - base;
            (start, start + r.get().len())
        };
        let all = |v: Vec<&RawValue>| v.into_iter().map(at).collect();
        match self.0 {
            Parts::Array(elems) => Outline::Array(all(elems)),
            Parts::Object(fields) => Outline::Object(
                fields
                    .into_iter()
                    .map(|(key, part)| Field {
                        key,
                        value: match part {
                            Part::Elems(e) => FieldValue::Elems(all(e)),
                            Part::Value(v) => FieldValue::Value(v),
                        },
                    })
                    .collect(),
            ),
            Parts::Other => Outline::Other,
        }
    }
}

impl Outline {
    /// The same positions `by` bytes further on.
    pub fn shifted(self, by: usize) -> Outline {
        let all = |v: Vec<(usize, usize)>| v.into_iter().map(|(a, b)| (a + by, b + by)).collect();
        match self {
            Outline::Array(elems) => Outline::Array(all(elems)),
            Outline::Object(fields) => Outline::Object(
                fields
                    .into_iter()
                    .map(|f| Field {
                        key: f.key,
                        value: match f.value {
                            FieldValue::Elems(e) => FieldValue::Elems(all(e)),
                            v => v,
                        },
                    })
                    .collect(),
            ),
            Outline::Other => Outline::Other,
        }
    }
}

impl<'de> Deserialize<'de> for Read<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Top).map(Read)
    }
}

/// Reads a top-level value: arrays and objects into their parts, anything else checked.
struct Top;

impl<'de> Visitor<'de> for Top {
    type Value = Parts<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Parts<'de>, A::Error> {
        elements(seq).map(Parts::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts<'de>, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            fields.push((key, map.next_value_seed(FieldSeed)?));
        }
        Ok(Parts::Object(fields))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
    fn visit_unit<E>(self) -> Result<Parts<'de>, E> {
        Ok(Parts::Other)
    }
}

fn elements<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<&'de RawValue>, A::Error> {
    let mut out = Vec::new();
    while let Some(e) = seq.next_element::<&'de RawValue>()? {
        out.push(e);
    }
    Ok(out)
}

/// Reads a field's value: an array into its elements, anything else decoded.
struct FieldSeed;

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Part<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Part<'de>, D::Error> {
        d.deserialize_any(FieldSeed)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = Part<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Part<'de>, A::Error> {
        elements(seq).map(Part::Elems)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Part<'de>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Part::Value)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Part<'de>, E> {
        Ok(Part::Value(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Part<'de>, E> {
        Ok(Part::Value(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Part<'de>, E> {
        Ok(Part::Value(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Part<'de>, E> {
        Ok(Part::Value(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Part<'de>, E> {
        Ok(Part::Value(v.into()))
    }
    fn visit_unit<E>(self) -> Result<Part<'de>, E> {
        Ok(Part::Value(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(b: &[u8]) -> Outline {
        serde_json::from_slice::<Read>(b).map_or(Outline::Other, |r| r.locate(b))
    }

    #[test]
    fn outlines() {
        let doc = br#"{"events": [ {"a":"x]\"y"}, [1,{}] ], "n": 1, "t":"s", "o": {"k": [2]}}"#;
        let Outline::Object(f) = outline(doc) else {
            panic!("not an object: {:?}", outline(doc))
        };
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].key, "events");
        let FieldValue::Elems(e) = &f[0].value else {
            panic!("not elements: {:?}", f[0].value)
        };
        assert_eq!(&doc[e[0].0..e[0].1], br#"{"a":"x]\"y"}"#);
        assert_eq!(&doc[e[1].0..e[1].1], b"[1,{}]");
        assert_eq!(f[1].value, FieldValue::Value(1.into()));
        assert_eq!(f[2].value, FieldValue::Value("s".into()));
        assert_eq!(f[3].value, FieldValue::Value(serde_json::json!({"k": [2]})));
        assert_eq!(outline(b" [ ] "), Outline::Array(vec![]));
        assert_eq!(outline(b"3"), Outline::Other);
        assert_eq!(outline(b"{\"a\""), Outline::Other);
    }
}
