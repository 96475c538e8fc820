//! [`Document`]: the value type every request input and response output is made of.
//!
//! It mirrors what botocore passes around as Python dicts, with the types the service models need:
//! null, bool, integer, float, string, blob, timestamp, list and an insertion-ordered map.
//! Indexing never panics: a missing key or an out-of-range position yields [`Document::Null`], so
//! `resp["Contents"][0]["Key"].as_str()` is `None` rather than a crash when the listing is empty.
//!
//! ```
//! use boto_core::doc;
//! let d = doc! {"Bucket": "b", "MaxKeys": 10, "Tags": [{"Key": "k", "Value": "v"}], "Missing": null};
//! assert_eq!(d["Bucket"].as_str(), Some("b"));
//! assert_eq!(d["Tags"][0]["Key"].as_str(), Some("k"));
//! assert!(d["Nope"][3]["Deeper"].is_null());
//! ```

mod convert;
mod deep;
mod macros;
mod name;
mod serde_impl;
mod timestamp;

pub use deep::MAX_DEPTH;
pub use name::Name;
pub(crate) use timestamp::civil_from_days;
pub use timestamp::{Timestamp, TimestampError};

use bytes::Bytes;
use std::fmt;

/// The ordered map a [`Document::Map`] holds: member order is kept as inserted (XML needs it).
///
/// Make one with `Map::default()` (or collect into it); its hasher is [`MapHasher`].
pub type Map = indexmap::IndexMap<Name, Document, MapHasher>;

/// The hasher of a [`Map`], seeded at random per map as std's is. Member names are short
/// strings, for which std's SipHash cost a 10,000-key listing about a tenth of its CPU; this one
/// is foldhash's (an implementation detail: only the traits are promised).
#[derive(Clone, Default)]
pub struct MapHasher(foldhash::fast::RandomState);

impl fmt::Debug for MapHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MapHasher")
    }
}

impl std::hash::BuildHasher for MapHasher {
    type Hasher = MapHash;

    #[inline]
    fn build_hasher(&self) -> MapHash {
        MapHash(self.0.build_hasher())
    }
}

/// The running hash of one key of a [`Map`] (what [`MapHasher`] builds).
pub struct MapHash(foldhash::fast::FoldHasher<'static>);

impl std::hash::Hasher for MapHash {
    #[inline]
    fn finish(&self) -> u64 {
        self.0.finish()
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0.write_u64(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i);
    }
}

/// A dynamically typed value shaped like the AWS service models.
///
/// Clone, comparison, `Debug` and [`Document::to_json`] work at any depth without recursion;
/// serde stops at [`MAX_DEPTH`] levels with an error (see `deep.rs`).
#[derive(Default)]
pub enum Document {
    /// No value (a missing key also indexes as this).
    #[default]
    Null,
    /// `boolean` shapes.
    Bool(bool),
    /// `integer`, `long`, `short`, `byte` shapes.
    Int(i64),
    /// `float`, `double` (and `bigDecimal` when it fits) shapes.
    Float(f64),
    /// `string` shapes, including enums.
    String(String),
    /// `blob` shapes: raw bytes, cheap to clone.
    Blob(Bytes),
    /// `timestamp` shapes.
    Timestamp(Timestamp),
    /// `list` shapes.
    List(Vec<Document>),
    /// `structure` and `map` shapes.
    Map(Map),
}

static NULL: Document = Document::Null;

impl Document {
    /// An empty map, the usual start of an input.
    pub fn map() -> Self {
        Document::Map(Map::default())
    }

    /// The name of this value's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Null => "null",
            Document::Bool(_) => "boolean",
            Document::Int(_) => "integer",
            Document::Float(_) => "float",
            Document::String(_) => "string",
            Document::Blob(_) => "blob",
            Document::Timestamp(_) => "timestamp",
            Document::List(_) => "list",
            Document::Map(_) => "map",
        }
    }

    /// True for [`Document::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Document::Null)
    }

    /// The member `key` of a map, or `None` for other kinds or a missing key.
    pub fn get(&self, key: &str) -> Option<&Document> {
        match self {
            Document::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// A mutable reference to the member `key` of a map.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Document> {
        match self {
            Document::Map(m) => m.get_mut(key),
            _ => None,
        }
    }

    /// Sets `key` to `value`, turning a null into a map first. Returns the value back as `Err` when
    /// this document is neither null nor a map.
    pub fn insert(
        &mut self,
        key: impl Into<Name>,
        value: impl Into<Document>,
    ) -> Result<Option<Document>, Document> {
        if self.is_null() {
            *self = Document::map();
        }
        match self {
            Document::Map(m) => Ok(m.insert(key.into(), value.into())),
            _ => Err(value.into()),
        }
    }

    /// Sets `key` to `value` and returns the document for more: a null becomes a map first, and
    /// so does any other non-map value (it is replaced; use [`Document::insert`] to keep it and
    /// get the value back instead).
    ///
    /// ```
    /// let mut doc = boto_core::document::Document::Null;
    /// doc.set("Bucket", "b").set("Key", "k");
    /// assert_eq!(doc["Key"].as_str(), Some("k"));
    /// ```
    pub fn set(&mut self, key: impl Into<Name>, value: impl Into<Document>) -> &mut Self {
        if !matches!(self, Document::Map(_)) {
            *self = Document::map();
        }
        if let Document::Map(m) = self {
            m.insert(key.into(), value.into());
        }
        self
    }

    /// Removes and returns the member `key` of a map.
    pub fn remove(&mut self, key: &str) -> Option<Document> {
        match self {
            Document::Map(m) => m.shift_remove(key),
            _ => None,
        }
    }

    /// The string, for strings.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, for booleans.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The integer, for integers and for floats with no fraction.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Document::Int(i) => Some(*i),
            Document::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    /// The number as a float, for integers and floats.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Document::Int(i) => Some(*i as f64),
            Document::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// The bytes, for blobs.
    pub fn as_blob(&self) -> Option<&Bytes> {
        match self {
            Document::Blob(b) => Some(b),
            _ => None,
        }
    }

    /// The instant, for timestamps.
    pub fn as_timestamp(&self) -> Option<Timestamp> {
        match self {
            Document::Timestamp(t) => Some(*t),
            _ => None,
        }
    }

    /// The elements, for lists.
    pub fn as_list(&self) -> Option<&[Document]> {
        match self {
            Document::List(l) => Some(l),
            _ => None,
        }
    }

    /// The elements, mutably, for lists.
    pub fn as_list_mut(&mut self) -> Option<&mut Vec<Document>> {
        match self {
            Document::List(l) => Some(l),
            _ => None,
        }
    }

    /// The list, taken out (for lists; `Document` implements `Drop`, so its fields cannot be
    /// moved out by a pattern).
    pub fn into_list(mut self) -> Option<Vec<Document>> {
        match &mut self {
            Document::List(l) => Some(std::mem::take(l)),
            _ => None,
        }
    }

    /// The map, taken out (for maps).
    pub fn into_map(mut self) -> Option<Map> {
        match &mut self {
            Document::Map(m) => Some(std::mem::take(m)),
            _ => None,
        }
    }

    /// The string, taken out (for strings).
    pub fn into_string(mut self) -> Option<String> {
        match &mut self {
            Document::String(s) => Some(std::mem::take(s)),
            _ => None,
        }
    }

    /// The members, for maps.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Document::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The members, mutably, for maps.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Document::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Iterates a list's elements; empty for any other kind (so `for x in doc["Items"].iter()` is
    /// safe when the key is absent).
    pub fn iter(&self) -> std::slice::Iter<'_, Document> {
        match self {
            Document::List(l) => l.iter(),
            _ => [].iter(),
        }
    }

    /// Serializes to compact JSON (blobs as base64, timestamps as ISO 8601), at any depth.
    pub fn to_json(&self) -> String {
        deep::to_json(self, false)
    }

    /// Serializes to indented JSON.
    pub fn to_json_pretty(&self) -> String {
        deep::to_json(self, true)
    }

    /// Parses JSON text into a document (nested at most 128 deep, `serde_json`'s limit).
    pub fn from_json(text: &str) -> Result<Document, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl std::ops::Index<&str> for Document {
    type Output = Document;
    fn index(&self, key: &str) -> &Document {
        self.get(key).unwrap_or(&NULL)
    }
}

impl std::ops::Index<&String> for Document {
    type Output = Document;
    fn index(&self, key: &String) -> &Document {
        &self[key.as_str()]
    }
}

impl std::ops::Index<usize> for Document {
    type Output = Document;
    fn index(&self, i: usize) -> &Document {
        match self {
            Document::List(l) => l.get(i).unwrap_or(&NULL),
            _ => &NULL,
        }
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        deep::debug(self, f)
    }
}

impl fmt::Display for Document {
    /// JSON text; `{:#}` indents it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.write_str(&self.to_json_pretty())
        } else {
            f.write_str(&self.to_json())
        }
    }
}

#[cfg(test)]
mod tests;
