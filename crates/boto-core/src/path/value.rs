//! The values an expression computes with: parts of the searched document, borrowed, and the
//! lists, maps and scalars the expression builds, with JMESPath's truthiness and Python's
//! equality and ordering.
//!
//! Blobs and timestamps, which JSON lacks, are seen as the strings `Document::to_json` writes
//! for them (base64, ISO 8601): that is what the expression saw when it ran on the JSON form of
//! the document, so `type`, comparisons, `length`, `contains`, `sort_by` and `to_string` treat
//! them as they did. A blob or timestamp that an expression only selects is handed back as it
//! is, not as that string, as plain paths always did.

use super::ast::Node;
use super::{Error, MAX_DEPTH};
use crate::document::{Document, Map};
use crate::encoding::base64_encode;
use indexmap::IndexMap;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::rc::Rc;

/// A value during evaluation. Cloning is cheap in every case (a copy, a borrow or a reference
/// count), so projections and functions pass values around freely.
#[derive(Clone, Debug)]
pub(super) enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string the expression made (`join`, `to_string`, a key).
    Str(Rc<str>),
    /// A string, blob, timestamp, list or map of the document (or of a literal).
    Doc(&'a Document),
    /// A list the expression built, with how deeply built lists and maps nest in it.
    List(Rc<Vec<Value<'a>>>, usize),
    /// A map the expression built (a multi-select hash, `merge`), with its nesting.
    Map(Rc<IndexMap<String, Value<'a>>>, usize),
    /// `&expr`, for the functions that take one.
    Expref(&'a Node),
}

/// A number: Python keeps ints and floats apart, and so does the result.
#[derive(Clone, Copy, Debug)]
pub(super) enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub(super) fn value(self) -> Value<'static> {
        match self {
            Number::Int(i) => Value::Int(i),
            Number::Float(f) => Value::Float(f),
        }
    }

    pub(super) fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// The elements of a list value.
#[derive(Clone, Copy)]
pub(super) enum Items<'v, 'a> {
    Doc(&'a [Document]),
    Built(&'v [Value<'a>]),
}

impl<'v, 'a> Items<'v, 'a> {
    pub(super) fn len(&self) -> usize {
        match self {
            Items::Doc(l) => l.len(),
            Items::Built(l) => l.len(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn get(&self, i: usize) -> Option<Value<'a>> {
        match self {
            Items::Doc(l) => l.get(i).map(Value::from_doc),
            Items::Built(l) => l.get(i).cloned(),
        }
    }

    pub(super) fn iter(self) -> impl DoubleEndedIterator<Item = Value<'a>> + 'v {
        // One iterator type for both kinds, without boxing: one of the two halves is empty.
        let (docs, built): (&'a [Document], &'v [Value<'a>]) = match self {
            Items::Doc(l) => (l, &[]),
            Items::Built(l) => (&[], l),
        };
        docs.iter()
            .map(Value::from_doc)
            .chain(built.iter().cloned())
    }
}

/// The members of a map value.
#[derive(Clone, Copy)]
pub(super) enum Members<'v, 'a> {
    Doc(&'a Map),
    Built(&'v IndexMap<String, Value<'a>>),
}

impl<'v, 'a> Members<'v, 'a> {
    pub(super) fn len(&self) -> usize {
        match self {
            Members::Doc(m) => m.len(),
            Members::Built(m) => m.len(),
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<Value<'a>> {
        match self {
            Members::Doc(m) => m.get(key).map(Value::from_doc),
            Members::Built(m) => m.get(key).cloned(),
        }
    }

    pub(super) fn iter(self) -> impl Iterator<Item = (&'v str, Value<'a>)> + 'v
    where
        'a: 'v,
    {
        // As for `Items::iter`: one of the two halves is empty.
        let (docs, built) = match self {
            Members::Doc(m) => (Some(m), None),
            Members::Built(m) => (None, Some(m)),
        };
        let docs = docs
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), Value::from_doc(v)));
        let built = built
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.clone()));
        docs.chain(built)
    }
}

impl<'a> Value<'a> {
    /// A part of the document: scalars are copied out, the rest borrowed.
    pub(super) fn from_doc(doc: &'a Document) -> Value<'a> {
        match doc {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Int(i) => Value::Int(*i),
            Document::Float(f) => Value::Float(*f),
            other => Value::Doc(other),
        }
    }

    pub(super) fn string(s: impl Into<Rc<str>>) -> Value<'a> {
        Value::Str(s.into())
    }

    /// A built list, or [`Error::TooDeep`] when built values would nest past [`MAX_DEPTH`]
    /// (converting, comparing and dropping built values recurse; the document's own nesting
    /// does not count, since those walks over it do not).
    pub(super) fn list(items: Vec<Value<'a>>) -> Result<Value<'a>, Error> {
        let depth = 1 + items.iter().map(Value::built_depth).max().unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(Error::TooDeep);
        }
        Ok(Value::List(Rc::new(items), depth))
    }

    /// A built map; see [`Value::list`].
    pub(super) fn map(members: IndexMap<String, Value<'a>>) -> Result<Value<'a>, Error> {
        let depth = 1 + members.values().map(Value::built_depth).max().unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(Error::TooDeep);
        }
        Ok(Value::Map(Rc::new(members), depth))
    }

    fn built_depth(&self) -> usize {
        match self {
            Value::List(_, d) | Value::Map(_, d) => *d,
            _ => 0,
        }
    }

    pub(super) fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub(super) fn items(&self) -> Option<Items<'_, 'a>> {
        match self {
            Value::Doc(Document::List(l)) => Some(Items::Doc(l)),
            Value::List(l, _) => Some(Items::Built(l)),
            _ => None,
        }
    }

    pub(super) fn members(&self) -> Option<Members<'_, 'a>> {
        match self {
            Value::Doc(Document::Map(m)) => Some(Members::Doc(m)),
            Value::Map(m, _) => Some(Members::Built(m)),
            _ => None,
        }
    }

    /// The text, for strings (and blobs and timestamps, as their JSON strings).
    pub(super) fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Doc(Document::String(s)) => Some(Cow::Borrowed(s)),
            Value::Doc(Document::Blob(b)) => Some(Cow::Owned(base64_encode(b))),
            Value::Doc(Document::Timestamp(t)) => Some(Cow::Owned(t.to_iso8601())),
            _ => None,
        }
    }

    pub(super) fn is_string(&self) -> bool {
        matches!(
            self,
            Value::Str(_)
                | Value::Doc(Document::String(_) | Document::Blob(_) | Document::Timestamp(_))
        )
    }

    /// The number, for numbers (booleans are not numbers here, unlike in Python).
    pub(super) fn number(&self) -> Option<Number> {
        match self {
            Value::Int(i) => Some(Number::Int(*i)),
            Value::Float(f) => Some(Number::Float(*f)),
            _ => None,
        }
    }

    /// JMESPath's type name of the value.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Expref(_) => "expref",
            _ if self.is_string() => "string",
            _ if self.items().is_some() => "array",
            _ => "object",
        }
    }

    /// JMESPath's truthiness: null, false and empty strings, lists and maps are false;
    /// numbers, even 0, are true.
    pub(super) fn is_truthy(&self) -> bool {
        match self {
            Value::Null | Value::Bool(false) => false,
            Value::Str(s) => !s.is_empty(),
            Value::Doc(Document::String(s)) => !s.is_empty(),
            Value::Doc(Document::Blob(b)) => !b.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.is_empty(),
            Value::Doc(Document::List(l)) => !l.is_empty(),
            Value::Doc(Document::Map(m)) => !m.is_empty(),
            _ => true,
        }
    }

    /// The result as a document; an expression reference has none, so it fails.
    pub(super) fn to_document(&self) -> Result<Document, Error> {
        Ok(match self {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Int(i) => Document::Int(*i),
            Value::Float(f) => Document::Float(*f),
            Value::Str(s) => Document::String(s.to_string()),
            Value::Doc(d) => (*d).clone(),
            Value::List(l, _) => {
                Document::List(l.iter().map(Value::to_document).collect::<Result<_, _>>()?)
            }
            Value::Map(m, _) => Document::Map(
                m.iter()
                    .map(|(k, v)| Ok((k.as_str().into(), v.to_document()?)))
                    .collect::<Result<_, Error>>()?,
            ),
            Value::Expref(_) => return Err(Error::Type),
        })
    }
}

/// Python's `<`-style ordering of two numbers, exact across ints and floats (as Python compares
/// them); `None` when a NaN is involved.
pub(super) fn compare_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(x), Number::Float(y)) => int_vs_float(x, y),
        (Number::Float(x), Number::Int(y)) => int_vs_float(y, x).map(Ordering::reverse),
    }
}

/// 2^63, exactly: every i64 is below it and at or above its negation.
pub(super) const TWO_63: f64 = (1u64 << 63) as f64;

fn int_vs_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    match i.cmp(&(whole as i64)) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - whole)),
        unequal => Some(unequal),
    }
}

/// How two values compare for `<`, `<=`, `>`, `>=`.
pub(super) enum Order {
    /// Not two numbers or two strings: JMESPath makes the comparison null.
    Unorderable,
    /// Two numbers, one of them NaN: every comparison is false, as in Python.
    NaN,
    Is(Ordering),
}

/// How `a` orders against `b`; a number against a string is Python's `TypeError`.
pub(super) fn order(a: &Value<'_>, b: &Value<'_>) -> Result<Order, Error> {
    match (a.number(), b.number()) {
        (Some(x), Some(y)) => {
            return Ok(compare_numbers(x, y).map_or(Order::NaN, Order::Is));
        }
        (Some(_), None) if b.is_string() => return Err(Error::Type),
        (None, Some(_)) if a.is_string() => return Err(Error::Type),
        _ => {}
    }
    match (a.text(), b.text()) {
        (Some(x), Some(y)) => Ok(Order::Is(x.cmp(&y))),
        _ => Ok(Order::Unorderable),
    }
}

/// JMESPath's `==` as Python's `jmespath` evaluates it: Python's `==`, except that `0` and `1`
/// never equal `false` and `true` at the top level (inside lists and maps Python's own rule,
/// `1 == True`, still applies).
pub(super) fn equals(a: &Value<'_>, b: &Value<'_>) -> bool {
    let number_vs_bool =
        |x: &Value<'_>, y: &Value<'_>| x.number().is_some() && matches!(y, Value::Bool(_));
    if number_vs_bool(a, b) || number_vs_bool(b, a) {
        return false;
    }
    python_eq(a, b)
}

/// Python's `==` on JSON-like values (what `in` uses too), without recursion: booleans are the
/// numbers 0 and 1, ints and floats compare exactly, maps ignore member order. An expression
/// reference equals nothing, as each evaluation of `&x` is a new object in Python.
pub(super) fn python_eq(a: &Value<'_>, b: &Value<'_>) -> bool {
    fn as_number(v: &Value<'_>) -> Option<Number> {
        match v {
            Value::Bool(b) => Some(Number::Int(i64::from(*b))),
            other => other.number(),
        }
    }
    let mut pending = vec![(a.clone(), b.clone())];
    while let Some((x, y)) = pending.pop() {
        if let (Some(m), Some(n)) = (as_number(&x), as_number(&y)) {
            if compare_numbers(m, n) != Some(Ordering::Equal) {
                return false;
            }
            continue;
        }
        match (&x, &y) {
            (Value::Null, Value::Null) => continue,
            (Value::Expref(_), _) | (_, Value::Expref(_)) => return false,
            _ => {}
        }
        if let (Some(s), Some(t)) = (x.text(), y.text()) {
            if s != t {
                return false;
            }
            continue;
        }
        if let (Some(l), Some(r)) = (x.items(), y.items()) {
            if l.len() != r.len() {
                return false;
            }
            pending.extend(l.iter().zip(r.iter()));
            continue;
        }
        if let (Some(l), Some(r)) = (x.members(), y.members()) {
            if l.len() != r.len() {
                return false;
            }
            for (k, v) in l.iter() {
                match r.get(k) {
                    Some(w) => pending.push((v, w)),
                    None => return false,
                }
            }
            continue;
        }
        return false;
    }
    true
}
