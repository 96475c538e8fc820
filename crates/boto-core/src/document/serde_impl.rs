//! Serde support both ways. Serializing maps blobs to base64 strings and timestamps to ISO 8601
//! strings (what botocore's JSON output shows); deserializing takes whatever a self-describing format
//! offers, with byte strings becoming blobs.

use super::{Document, Map, MAX_DEPTH};
use crate::encoding::base64_encode;
use bytes::Bytes;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

impl Serialize for Document {
    /// Fails past [`MAX_DEPTH`] levels rather than recursing without bound.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Limited(self, 0).serialize(s)
    }
}

/// A document `depth` levels down: serde recurses, so the depth is counted and bounded.
struct Limited<'a>(&'a Document, usize);

fn too_deep() -> String {
    format!("the document is nested deeper than {MAX_DEPTH} levels")
}

impl Serialize for Limited<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Limited(doc, depth) = *self;
        if depth > MAX_DEPTH {
            return Err(serde::ser::Error::custom(too_deep()));
        }
        match doc {
            Document::Null => s.serialize_unit(),
            Document::Bool(b) => s.serialize_bool(*b),
            Document::Int(i) => s.serialize_i64(*i),
            Document::Float(f) => s.serialize_f64(*f),
            Document::String(v) => s.serialize_str(v),
            Document::Blob(b) => s.serialize_str(&base64_encode(b)),
            Document::Timestamp(t) => s.serialize_str(&t.to_iso8601()),
            Document::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for item in l {
                    seq.serialize_element(&Limited(item, depth + 1))?;
                }
                seq.end()
            }
            Document::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, &Limited(v, depth + 1))?;
                }
                map.end()
            }
        }
    }
}

/// Reads a document `.0` levels down, failing past [`MAX_DEPTH`].
#[derive(Clone, Copy)]
struct DocumentVisitor(usize);

impl<'de> de::DeserializeSeed<'de> for DocumentVisitor {
    type Value = Document;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        if self.0 > MAX_DEPTH {
            return Err(de::Error::custom(too_deep()));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any document value")
    }
    fn visit_unit<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }
    fn visit_none<E>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Document, E> {
        Ok(Document::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Document, E> {
        Ok(Document::Blob(Bytes::copy_from_slice(v)))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Document, E> {
        Ok(Document::Blob(Bytes::from(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(DocumentVisitor(self.0 + 1))? {
            list.push(item);
        }
        Ok(Document::List(list))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Document, A::Error> {
        let mut map = Map::with_capacity_and_hasher(
            access.size_hint().unwrap_or(0).min(4096),
            Default::default(),
        );
        while let Some(k) = access.next_key::<crate::document::Name>()? {
            let v = access.next_value_seed(DocumentVisitor(self.0 + 1))?;
            map.insert(k, v);
        }
        Ok(Document::Map(map))
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Document, D::Error> {
        de::DeserializeSeed::deserialize(DocumentVisitor(0), d)
    }
}

/// Lets typed structs be read straight out of a document (`T::deserialize(&doc)`), which is how the
/// typed APIs convert outputs. Blobs are offered as bytes and timestamps as ISO 8601 strings.
impl<'de> Deserializer<'de> for &'de Document {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self {
            Document::Null => v.visit_unit(),
            Document::Bool(b) => v.visit_bool(*b),
            Document::Int(i) => v.visit_i64(*i),
            Document::Float(f) => v.visit_f64(*f),
            Document::String(s) => v.visit_borrowed_str(s),
            Document::Blob(b) => v.visit_borrowed_bytes(b),
            Document::Timestamp(t) => v.visit_string(t.to_iso8601()),
            Document::List(l) => v.visit_seq(de::value::SeqDeserializer::new(l.iter())),
            Document::Map(m) => v.visit_map(de::value::MapDeserializer::new(
                m.iter().map(|(k, val)| (k.as_str(), val)),
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self {
            Document::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> de::IntoDeserializer<'de, de::value::Error> for &'de Document {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}
