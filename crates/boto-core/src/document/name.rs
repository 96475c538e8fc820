//! [`Name`]: the key type of a [`Map`](super::Map).

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// A key of a [`Map`](super::Map): a member name (`Bucket`), a map key, a header name.
///
/// An immutable string that holds up to 23 bytes inline, so the short names documents are made
/// of cost no heap allocation to build or copy; a longer one is shared, so a clone is a reference
/// count. It reads as a `&str` (`Deref`, `Borrow<str>`, comparisons with `str` and `String`), and
/// converts from `&str`, `String` and `Cow<str>` with `.into()`.
///
/// ```
/// use boto_core::document::{Map, Name};
/// let mut m = Map::default();
/// m.insert("Bucket".into(), "b".into());
/// let (name, _) = m.get_index(0).unwrap();
/// assert_eq!(name, "Bucket");
/// assert!(m.contains_key("Bucket"));
/// assert_eq!(Name::from(String::from("Key")).len(), 3);
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(smol_str::SmolStr);

impl Name {
    /// A name from a string known when compiling; never allocates.
    pub const fn new_static(text: &'static str) -> Self {
        Name(smol_str::SmolStr::new_static(text))
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the name's text lives on the heap: a name longer than the inline capacity, unless
    /// it was made by [`Name::new_static`].
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }
}

impl Deref for Name {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

// `Hash` and `Eq` agree with `str`'s (SmolStr hashes as its text), so a `Map` is looked up by
// `&str`.
impl Borrow<str> for Name {
    #[inline]
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Name {
    #[inline]
    fn from(text: &str) -> Self {
        Name(smol_str::SmolStr::new(text))
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Self {
        Name::from(text.as_str())
    }
}

impl From<String> for Name {
    fn from(text: String) -> Self {
        Name(smol_str::SmolStr::from(text))
    }
}

impl From<Box<str>> for Name {
    fn from(text: Box<str>) -> Self {
        Name(smol_str::SmolStr::from(text))
    }
}

impl From<Cow<'_, str>> for Name {
    fn from(text: Cow<'_, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Name::from(text),
            Cow::Owned(text) => Name::from(text),
        }
    }
}

impl From<&Name> for Name {
    fn from(name: &Name) -> Self {
        name.clone()
    }
}

impl From<Name> for String {
    fn from(name: Name) -> Self {
        name.0.into()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;

        impl serde::de::Visitor<'_> for NameVisitor {
            type Value = Name;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Name, E> {
                Ok(Name::from(text))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Name, E> {
                Ok(Name::from(text))
            }
        }

        deserializer.deserialize_str(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use crate::document::{Document, Map};

    #[test]
    fn short_names_stay_inline_and_long_ones_are_shared() {
        let long = Name::from("x-amz-checksum-crc64nvme"); // 24 bytes: one past inline
        assert!(long.is_heap_allocated());
        let inline = Name::from(String::from("ServerSideEncryption123")); // 23 bytes
        assert!(!inline.is_heap_allocated());
        assert!(!Name::new_static("x-boto-invalid-expires").is_heap_allocated());
        let copy = long.clone();
        assert_eq!(copy, long);
        assert_eq!(copy.as_str(), "x-amz-checksum-crc64nvme");
    }

    #[test]
    fn a_map_is_looked_up_by_str_whatever_built_the_key() {
        let mut m = Map::default();
        m.insert(Name::from(String::from("ContentLength")), Document::Int(3));
        m.insert(Name::new_static("ETag"), Document::from("\"e\""));
        m.insert(
            Name::from("a-name-longer-than-twenty-three-bytes"),
            Document::Null,
        );
        assert_eq!(m.get("ContentLength"), Some(&Document::Int(3)));
        assert_eq!(m.get("ETag").and_then(Document::as_str), Some("\"e\""));
        assert!(m.contains_key("a-name-longer-than-twenty-three-bytes"));
        assert!(m.get("contentlength").is_none());
    }

    #[test]
    fn reads_and_prints_as_its_text() {
        let n = Name::from("Bucket");
        assert_eq!(n, "Bucket");
        assert_eq!("Bucket", n);
        assert_eq!(n, String::from("Bucket"));
        assert_eq!(format!("{n} {n:?}"), "Bucket \"Bucket\"");
        assert_eq!(String::from(n.clone()), "Bucket");
        let mut names = vec![Name::from("b"), Name::from("B"), Name::from("a")];
        names.sort();
        assert_eq!(names, ["B", "a", "b"], "ordered as their text");
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"Bucket\"");
        assert_eq!(serde_json::from_str::<Name>(&json).unwrap(), n);
        assert!(serde_json::from_str::<Name>("3").is_err());
    }
}
