//! Plain values ↔ DynamoDB `AttributeValue`s, without loss (boto3's `TypeSerializer` and
//! `TypeDeserializer`, for [`Document`]s).
//!
//! Most values have one plain form: strings, booleans, null, blobs, lists and maps, integers that
//! fit an `i64` and decimals an `f64` holds exactly. What a plain document cannot hold keeps its
//! wire form, and the wire form passes through on the way back:
//! - a number beyond `i64`/`f64` (`{"N": "18446744073709551616"}`),
//! - a set (`{"SS": [..]}`, `{"NS": [..]}`, `{"BS": [..]}`): a list would come back as a list,
//! - a map that itself looks like one of those forms (`{"M": {"N": "x"}}`), so that it stays a map.
//!
//! Reading an item and writing it back therefore stores the same item. [`Number`] and [`Set`]
//! build and read those forms.

use super::{Number, ValueError};
use boto_core::document::{Document, Map};
use bytes::Bytes;
use std::collections::BTreeSet;

/// A DynamoDB set: strings, numbers or binaries (boto3 returns Python sets).
///
/// ```
/// use boto::dynamodb::Set;
/// use boto::Document;
/// let tags = Set::strings(["red", "blue"]);
/// let doc = Document::from(tags.clone());
/// assert_eq!(doc["SS"][0].as_str(), Some("blue")); // sets are ordered here
/// assert_eq!(Set::try_from(&doc).unwrap(), tags);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Set {
    /// A string set (`SS`).
    Strings(BTreeSet<String>),
    /// A number set (`NS`).
    Numbers(BTreeSet<Number>),
    /// A binary set (`BS`).
    Binaries(BTreeSet<Bytes>),
}

impl Set {
    /// A string set.
    pub fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Set {
        Set::Strings(items.into_iter().map(Into::into).collect())
    }

    /// A number set.
    pub fn numbers(items: impl IntoIterator<Item = Number>) -> Set {
        Set::Numbers(items.into_iter().collect())
    }

    /// A binary set.
    pub fn binaries<B: Into<Bytes>>(items: impl IntoIterator<Item = B>) -> Set {
        Set::Binaries(items.into_iter().map(Into::into).collect())
    }

    /// How many members it has.
    pub fn len(&self) -> usize {
        match self {
            Set::Strings(s) => s.len(),
            Set::Numbers(s) => s.len(),
            Set::Binaries(s) => s.len(),
        }
    }

    /// Whether it has no members (DynamoDB refuses to store an empty set).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Set> for Document {
    /// The wire form (`{"SS": [..]}`), which the DynamoDB resources read and write as a set.
    fn from(set: Set) -> Document {
        let (tag, items): (&str, Vec<Document>) = match set {
            Set::Strings(s) => ("SS", s.into_iter().map(Document::String).collect()),
            Set::Numbers(s) => (
                "NS",
                s.iter().map(|n| Document::String(n.to_string())).collect(),
            ),
            Set::Binaries(s) => ("BS", s.into_iter().map(Document::Blob).collect()),
        };
        tagged(tag, Document::List(items))
    }
}

impl TryFrom<&Document> for Set {
    type Error = ValueError;

    fn try_from(d: &Document) -> Result<Set, ValueError> {
        let not_a_set = || ValueError::new(format!("{d:?} is not a set ({{\"SS\": [..]}} etc.)"));
        let (tag, items) = single(d).ok_or_else(not_a_set)?;
        let items = items.as_list().ok_or_else(not_a_set)?;
        match tag {
            "SS" => items
                .iter()
                .map(|s| s.as_str().map(str::to_string).ok_or_else(not_a_set))
                .collect::<Result<_, _>>()
                .map(Set::Strings),
            "NS" => items
                .iter()
                .map(Number::try_from)
                .collect::<Result<_, _>>()
                .map(Set::Numbers),
            "BS" => items
                .iter()
                .map(|b| b.as_blob().cloned().ok_or_else(not_a_set))
                .collect::<Result<_, _>>()
                .map(Set::Binaries),
            _ => Err(not_a_set()),
        }
    }
}

fn tagged(tag: &str, value: Document) -> Document {
    let mut m = Map::default();
    m.insert(tag.into(), value);
    Document::Map(m)
}

/// The only member of a one-member map.
fn single(d: &Document) -> Option<(&str, &Document)> {
    let m = d.as_map()?;
    if m.len() != 1 {
        return None;
    }
    m.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// Whether a plain map is one of the wire forms that pass through (see the module docs): one
/// member, named for its type, holding what that type holds (`N` numeric text, `SS` strings, `NS`
/// numbers, `BS` blobs, `M` a map). Reading and writing share this test, so a stored map that
/// looks like one is escaped on the way out and comes back a map.
fn wire_form(m: &Map) -> Option<(&str, &Document)> {
    if m.len() != 1 {
        return None;
    }
    let (tag, v) = m.iter().next()?;
    let numeric = |d: &Document| match d {
        Document::String(s) => super::number::is_numeric_text(s),
        Document::Int(_) | Document::Float(_) => true,
        _ => false,
    };
    let every = |pred: &dyn Fn(&Document) -> bool| v.as_list().is_some_and(|l| l.iter().all(pred));
    let fits = match (tag.as_str(), v) {
        ("N", Document::String(s)) => super::number::is_numeric_text(s),
        ("SS", _) => every(&|d| d.as_str().is_some()),
        ("NS", _) => every(&numeric),
        ("BS", _) => every(&|d| d.as_blob().is_some()),
        ("M", Document::Map(_)) => true,
        _ => false,
    };
    fits.then_some((tag.as_str(), v))
}

/// A plain value as an `AttributeValue` (boto3's `TypeSerializer.serialize`).
pub(crate) fn to_attribute_value(value: &Document) -> Result<Document, ValueError> {
    let (tag, v) = match value {
        Document::Null => ("NULL", Document::Bool(true)),
        Document::Bool(b) => ("BOOL", Document::Bool(*b)),
        Document::Int(i) => ("N", Document::String(i.to_string())),
        Document::Float(f) => ("N", Document::String(Number::try_from(*f)?.to_string())),
        Document::String(s) => ("S", Document::String(s.clone())),
        Document::Blob(b) => ("B", Document::Blob(b.clone())),
        Document::Timestamp(t) => ("S", Document::String(t.to_iso8601())),
        Document::List(items) => (
            "L",
            Document::List(
                items
                    .iter()
                    .map(to_attribute_value)
                    .collect::<Result<_, _>>()?,
            ),
        ),
        Document::Map(m) => match wire_form(m) {
            Some(("N", n)) => ("N", Document::String(Number::try_from(n)?.to_string())),
            Some(("M", Document::Map(inner))) => ("M", members_to_wire(inner)?),
            Some(_) => {
                // A set: check its members, and send numbers in their checked form.
                let set = Set::try_from(value)?;
                return Ok(Document::from(set));
            }
            None => ("M", members_to_wire(m)?),
        },
    };
    Ok(tagged(tag, v))
}

fn members_to_wire(m: &Map) -> Result<Document, ValueError> {
    let mut out = Map::with_capacity_and_hasher(m.len(), Default::default());
    for (k, v) in m {
        out.insert(k.clone(), to_attribute_value(v)?);
    }
    Ok(Document::Map(out))
}

/// An `AttributeValue` as a plain value (boto3's `TypeDeserializer.deserialize`): numbers as
/// [`Number`] turns them into documents, sets in their wire form. Anything else is left as is.
pub(crate) fn from_attribute_value(av: &Document) -> Document {
    let Some((tag, v)) = single(av) else {
        return av.clone();
    };
    match (tag, v) {
        ("NULL", _) => Document::Null,
        ("BOOL", b) => b.clone(),
        ("N", Document::String(n)) => match n.parse::<Number>() {
            Ok(number) => Document::from(number),
            // Not ours to judge what the service sent: keep its text.
            Err(_) => av.clone(),
        },
        ("S", s) | ("B", s) => s.clone(),
        ("SS" | "NS" | "BS", Document::List(_)) => av.clone(),
        ("L", Document::List(items)) => {
            Document::List(items.iter().map(from_attribute_value).collect())
        }
        ("M", Document::Map(m)) => {
            let plain: Map = m
                .iter()
                .map(|(k, v)| (k.clone(), from_attribute_value(v)))
                .collect();
            if wire_form(&plain).is_some() {
                tagged("M", Document::Map(plain))
            } else {
                Document::Map(plain)
            }
        }
        _ => av.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_core::doc;

    fn wire(d: &Document) -> Document {
        to_attribute_value(d).unwrap()
    }

    #[test]
    fn plain_values_round_trip() {
        let plain =
            doc! {"s": "x", "n": 3, "f": 1.5, "b": true, "z": null, "l": [1, "a"], "m": {"k": "v"}};
        let w = wire(&plain);
        assert_eq!(w["M"]["n"], doc! {"N": "3"});
        assert_eq!(w["M"]["f"], doc! {"N": "1.5"});
        assert_eq!(w["M"]["l"]["L"][1], doc! {"S": "a"});
        assert_eq!(from_attribute_value(&w), plain);
    }

    #[test]
    fn numbers_keep_every_digit() {
        for text in [
            "0.1000000000000000000000000000000000001",
            "18446744073709551616",
            "-99999999999999999999999999999999999999",
            "1.00000000000000000001E-130",
        ] {
            let read = from_attribute_value(&doc! {"N": text});
            assert_eq!(read["N"].as_str(), Some(text), "kept in wire form");
            assert_eq!(wire(&read), doc! {"N": text}, "{text} written back");
        }
        assert_eq!(from_attribute_value(&doc! {"N": "-7"}), doc!(-7));
        assert_eq!(from_attribute_value(&doc! {"N": "0.25"}), doc!(0.25));
        // An f64 holds 1E-130 exactly in its shortest form; it goes back as the same number.
        let tiny = from_attribute_value(&doc! {"N": "1E-130"});
        assert_eq!(tiny, doc!(1e-130));
        assert_eq!(wire(&tiny), doc! {"N": "1E-130"});
        let err = to_attribute_value(&doc! {"n": {"N": "1E+200"}}).unwrap_err();
        assert!(err.to_string().contains("range"), "{err}");
        let err = to_attribute_value(&Document::Float(f64::INFINITY)).unwrap_err();
        assert!(err.to_string().contains("inf"), "{err}");
    }

    #[test]
    fn sets_stay_sets() {
        for set in [
            doc! {"SS": ["a", "b"]},
            doc! {"NS": ["1", "2.5", "18446744073709551616"]},
            Document::from(Set::binaries([
                Bytes::from_static(b"\x00"),
                Bytes::from_static(b"x"),
            ])),
        ] {
            let read = from_attribute_value(&set);
            assert_eq!(read, set);
            assert_eq!(wire(&read), set);
        }
        // Plain numbers are accepted in a number set and sent as text.
        assert_eq!(wire(&doc! {"NS": [1, 2.5]}), doc! {"NS": ["1", "2.5"]});
        // Out of range is an error; what is not a set's content is a map.
        assert!(to_attribute_value(&doc! {"NS": ["1E+999"]}).is_err());
        assert_eq!(
            wire(&doc! {"NS": ["x"]})["M"]["NS"]["L"][0],
            doc! {"S": "x"}
        );
        assert_eq!(wire(&doc! {"SS": [1]})["M"]["SS"]["L"][0], doc! {"N": "1"});
    }

    #[test]
    fn a_map_that_looks_like_a_wire_form_stays_a_map() {
        for stored in [
            doc! {"M": {"N": {"S": "12"}}},
            doc! {"M": {"SS": {"L": [{"S": "a"}]}}},
            doc! {"M": {"M": {"M": {}}}},
        ] {
            let read = from_attribute_value(&stored);
            assert!(read.get("M").is_some(), "escaped: {read:?}");
            assert_eq!(wire(&read), stored);
        }
        // A map that looks like nothing needs no escape.
        for stored in [
            doc! {"M": {"N": {"N": "1"}}},
            doc! {"M": {"N": {"S": "not a number"}}},
        ] {
            let plain = from_attribute_value(&stored);
            assert!(plain.get("M").is_none(), "{plain:?}");
            assert_eq!(wire(&plain), stored);
        }
    }
}
