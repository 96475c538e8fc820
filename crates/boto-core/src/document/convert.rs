//! `From` conversions into [`Document`].

use super::{Document, Map, Name, Timestamp};
use bytes::Bytes;

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Document {
            fn from(v: $t) -> Self { Document::Int(v as i64) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Document {
    /// Values above `i64::MAX` become floats rather than wrapping.
    fn from(v: u64) -> Self {
        i64::try_from(v)
            .map(Document::Int)
            .unwrap_or(Document::Float(v as f64))
    }
}

impl From<usize> for Document {
    fn from(v: usize) -> Self {
        Document::from(v as u64)
    }
}

impl From<f32> for Document {
    fn from(v: f32) -> Self {
        Document::Float(v as f64)
    }
}

impl From<f64> for Document {
    fn from(v: f64) -> Self {
        Document::Float(v)
    }
}

impl From<bool> for Document {
    fn from(v: bool) -> Self {
        Document::Bool(v)
    }
}

impl From<&str> for Document {
    fn from(v: &str) -> Self {
        Document::String(v.to_string())
    }
}

impl From<&String> for Document {
    fn from(v: &String) -> Self {
        Document::String(v.clone())
    }
}

impl From<String> for Document {
    fn from(v: String) -> Self {
        Document::String(v)
    }
}

impl From<Name> for Document {
    fn from(v: Name) -> Self {
        Document::String(v.into())
    }
}

impl From<&Name> for Document {
    fn from(v: &Name) -> Self {
        Document::String(v.to_string())
    }
}

impl From<Bytes> for Document {
    fn from(v: Bytes) -> Self {
        Document::Blob(v)
    }
}

impl From<&[u8]> for Document {
    fn from(v: &[u8]) -> Self {
        Document::Blob(Bytes::copy_from_slice(v))
    }
}

impl From<Timestamp> for Document {
    fn from(v: Timestamp) -> Self {
        Document::Timestamp(v)
    }
}

impl From<std::time::SystemTime> for Document {
    fn from(v: std::time::SystemTime) -> Self {
        Document::Timestamp(v.into())
    }
}

impl From<Map> for Document {
    fn from(v: Map) -> Self {
        Document::Map(v)
    }
}

impl From<&Document> for Document {
    fn from(v: &Document) -> Self {
        v.clone()
    }
}

impl<T: Into<Document>> From<Vec<T>> for Document {
    fn from(v: Vec<T>) -> Self {
        Document::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Document>> From<Option<T>> for Document {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Document::Null)
    }
}

impl<T: Into<Document>> FromIterator<T> for Document {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Document::List(iter.into_iter().map(Into::into).collect())
    }
}
