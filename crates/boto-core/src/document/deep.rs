//! Documents of any depth without recursion: clone, compare, `Debug` and JSON text walk an
//! explicit stack, so a 100,000-deep value (built by a caller, since every parser limits
//! nesting) cannot overflow the stack of the thread that handles it. Serde, whose traits
//! recurse by design, stops at [`MAX_DEPTH`] with an error instead.

use super::{Document, Map, Name};
use std::fmt::{self, Write as _};

/// How deep serde may nest a document, both ways (`serde_json` itself stops parsing at 128).
pub const MAX_DEPTH: usize = 256;

/// One step of a walk through a document, in order.
pub(crate) enum Event<'a> {
    /// A value that holds no others.
    Scalar(&'a Document),
    /// A map member's key; its value follows.
    Key(&'a Name),
    /// A list opens.
    StartList(usize),
    /// A map opens.
    StartMap(usize),
    /// The innermost open list or map closes.
    End,
}

enum Cursor<'a> {
    List(std::slice::Iter<'a, Document>),
    Map(indexmap::map::Iter<'a, Name, Document>),
}

/// Calls `f` for each step of `root`, depth first, with a heap stack.
pub(crate) fn walk<'a, E>(
    root: &'a Document,
    mut f: impl FnMut(Event<'a>) -> Result<(), E>,
) -> Result<(), E> {
    let mut stack: Vec<Cursor<'a>> = Vec::new();
    let mut next = Some(root);
    loop {
        if let Some(d) = next.take() {
            match d {
                Document::List(l) => {
                    f(Event::StartList(l.len()))?;
                    stack.push(Cursor::List(l.iter()));
                }
                Document::Map(m) => {
                    f(Event::StartMap(m.len()))?;
                    stack.push(Cursor::Map(m.iter()));
                }
                scalar => f(Event::Scalar(scalar))?,
            }
        }
        let Some(top) = stack.last_mut() else {
            return Ok(());
        };
        let item = match top {
            Cursor::List(it) => it.next().map(|d| (None, d)),
            Cursor::Map(it) => it.next().map(|(k, d)| (Some(k), d)),
        };
        match item {
            Some((key, d)) => {
                if let Some(k) = key {
                    f(Event::Key(k))?;
                }
                next = Some(d);
            }
            None => {
                stack.pop();
                f(Event::End)?;
            }
        }
    }
}

/// A list or map with something in it.
fn is_container(d: &Document) -> bool {
    match d {
        Document::List(l) => !l.is_empty(),
        Document::Map(m) => !m.is_empty(),
        _ => false,
    }
}

/// A list or map that holds a container: dropping it as usual would recurse more than one level.
fn is_deep(d: &Document) -> bool {
    match d {
        Document::List(l) => l.iter().any(is_container),
        Document::Map(m) => m.values().any(is_container),
        _ => false,
    }
}

/// A list or map that holds a deep one: dropping it as usual would recurse more than two levels.
fn is_deeper(d: &Document) -> bool {
    match d {
        Document::List(l) => l.iter().any(is_deep),
        Document::Map(m) => m.values().any(is_deep),
        _ => false,
    }
}

impl Drop for Document {
    /// Children nested more than two levels are moved onto a heap stack and emptied one by one;
    /// the rest are dropped where they are, as usual, which recurses at most four levels (this
    /// value, a child, its children, their scalars and empty containers). So a listing's items
    /// (maps of scalars) and a response's `ResponseMetadata` (a map holding the headers' map)
    /// are freed in place, with no stack to allocate, and no depth of nesting reaches the
    /// thread's stack.
    fn drop(&mut self) {
        let mut stack: Vec<Document> = match self {
            Document::List(l) if l.iter().any(is_deeper) => l.drain(..).filter(is_deeper).collect(),
            Document::Map(m) if m.values().any(is_deeper) => {
                m.drain(..).map(|(_, v)| v).filter(is_deeper).collect()
            }
            _ => return,
        };
        while let Some(mut d) = stack.pop() {
            match &mut d {
                Document::List(l) => stack.extend(l.drain(..).filter(is_deeper)),
                Document::Map(m) => stack.extend(m.drain(..).map(|(_, v)| v).filter(is_deeper)),
                _ => {}
            }
        }
    }
}

/// A copy of a value that holds no others.
fn clone_scalar(d: &Document) -> Document {
    match d {
        Document::Null => Document::Null,
        Document::Bool(b) => Document::Bool(*b),
        Document::Int(i) => Document::Int(*i),
        Document::Float(f) => Document::Float(*f),
        Document::String(s) => Document::String(s.clone()),
        Document::Blob(b) => Document::Blob(b.clone()),
        Document::Timestamp(t) => Document::Timestamp(*t),
        Document::List(_) | Document::Map(_) => Document::Null,
    }
}

enum Building {
    List(Vec<Document>),
    Map(Map, Option<Name>),
}

impl Building {
    fn put(&mut self, d: Document) {
        match self {
            Building::List(l) => l.push(d),
            Building::Map(m, key) => {
                m.insert(key.take().unwrap_or_default(), d);
            }
        }
    }

    fn finish(self) -> Document {
        match self {
            Building::List(l) => Document::List(l),
            Building::Map(m, _) => Document::Map(m),
        }
    }
}

impl Clone for Document {
    fn clone(&self) -> Self {
        if !matches!(self, Document::List(_) | Document::Map(_)) {
            return clone_scalar(self);
        }
        let mut stack: Vec<Building> = Vec::new();
        let mut done = None;
        let _ = walk(self, |event| -> Result<(), ()> {
            match event {
                Event::StartList(n) => stack.push(Building::List(Vec::with_capacity(n))),
                Event::StartMap(n) => stack.push(Building::Map(
                    Map::with_capacity_and_hasher(n, Default::default()),
                    None,
                )),
                Event::Key(k) => {
                    if let Some(Building::Map(_, key)) = stack.last_mut() {
                        *key = Some(k.clone());
                    }
                }
                Event::Scalar(d) => {
                    if let Some(top) = stack.last_mut() {
                        top.put(clone_scalar(d));
                    }
                }
                Event::End => {
                    let Some(built) = stack.pop() else {
                        return Ok(());
                    };
                    let value = built.finish();
                    match stack.last_mut() {
                        Some(parent) => parent.put(value),
                        None => done = Some(value),
                    }
                }
            }
            Ok(())
        });
        done.unwrap_or_default()
    }
}

impl PartialEq for Document {
    /// Maps compare as maps (member order does not matter), floats as floats (`NaN` is unequal
    /// to itself), as a derived comparison would; without recursion.
    fn eq(&self, other: &Document) -> bool {
        let mut pending = vec![(self, other)];
        while let Some((a, b)) = pending.pop() {
            match (a, b) {
                (Document::Null, Document::Null) => {}
                (Document::Bool(x), Document::Bool(y)) if x == y => {}
                (Document::Int(x), Document::Int(y)) if x == y => {}
                (Document::Float(x), Document::Float(y)) if x == y => {}
                (Document::String(x), Document::String(y)) if x == y => {}
                (Document::Blob(x), Document::Blob(y)) if x == y => {}
                (Document::Timestamp(x), Document::Timestamp(y)) if x == y => {}
                (Document::List(x), Document::List(y)) if x.len() == y.len() => {
                    pending.extend(x.iter().zip(y));
                }
                (Document::Map(x), Document::Map(y)) if x.len() == y.len() => {
                    for (k, v) in x {
                        match y.get(k) {
                            Some(w) => pending.push((v, w)),
                            None => return false,
                        }
                    }
                }
                _ => return false,
            }
        }
        true
    }
}

/// Writes `{:?}` (compact) or `{:#?}` (indented by four, trailing commas) as `debug_list` and
/// `debug_map` would.
pub(crate) fn debug(root: &Document, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let pretty = f.alternate();
    // Per open container: does it hold an item yet.
    let mut open: Vec<bool> = Vec::new();
    let mut after_key = false;
    let mut closers: Vec<char> = Vec::new();
    walk(root, |event| {
        let starts_item = !matches!(event, Event::End);
        if starts_item && !after_key {
            let levels = open.len();
            if let Some(has_items) = open.last_mut() {
                if pretty {
                    f.write_char('\n')?;
                    indent(f, levels)?;
                } else if *has_items {
                    f.write_str(", ")?;
                }
                *has_items = true;
            }
        }
        after_key = false;
        match event {
            Event::Scalar(d) => {
                scalar_debug(d, f)?;
                item_done(f, pretty, &open)
            }
            Event::Key(k) => {
                after_key = true;
                write!(f, "{k:?}: ")
            }
            Event::StartList(_) => {
                open.push(false);
                closers.push(']');
                f.write_char('[')
            }
            Event::StartMap(_) => {
                open.push(false);
                closers.push('}');
                f.write_char('{')
            }
            Event::End => {
                let had_items = open.pop().unwrap_or(false);
                if pretty && had_items {
                    f.write_char('\n')?;
                    indent(f, open.len())?;
                }
                f.write_char(closers.pop().unwrap_or(']'))?;
                item_done(f, pretty, &open)
            }
        }
    })
}

/// After an item inside a container, `{:#?}` writes a comma.
fn item_done(f: &mut fmt::Formatter<'_>, pretty: bool, open: &[bool]) -> fmt::Result {
    if pretty && !open.is_empty() {
        f.write_char(',')?;
    }
    Ok(())
}

fn indent(f: &mut fmt::Formatter<'_>, levels: usize) -> fmt::Result {
    for _ in 0..levels {
        f.write_str("    ")?;
    }
    Ok(())
}

fn scalar_debug(d: &Document, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match d {
        Document::Null => f.write_str("null"),
        Document::Bool(b) => write!(f, "{b}"),
        Document::Int(i) => write!(f, "{i}"),
        Document::Float(x) => write!(f, "{x:?}"),
        Document::String(s) => write!(f, "{s:?}"),
        Document::Blob(b) => write!(f, "<{} bytes>", b.len()),
        Document::Timestamp(t) => write!(f, "{t}"),
        Document::List(_) | Document::Map(_) => Ok(()),
    }
}

/// JSON text as `serde_json::to_string` (`pretty`: `to_string_pretty`) writes it from the serde
/// impl (blobs as base64, timestamps as ISO 8601), at any depth.
pub(crate) fn to_json(root: &Document, pretty: bool) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut open: Vec<bool> = Vec::new();
    let mut closers: Vec<u8> = Vec::new();
    let mut after_key = false;
    let _ = walk(root, |event| -> Result<(), ()> {
        let starts_item = !matches!(event, Event::End);
        if starts_item && !after_key {
            let levels = open.len();
            if let Some(has_items) = open.last_mut() {
                if *has_items {
                    out.push(b',');
                }
                if pretty {
                    out.push(b'\n');
                    out.extend(std::iter::repeat_n(b' ', 2 * levels));
                }
                *has_items = true;
            }
        }
        after_key = false;
        match event {
            Event::Scalar(d) => {
                let _ = serde_json::to_writer(&mut out, d);
            }
            Event::Key(k) => {
                let _ = serde_json::to_writer(&mut out, k);
                out.extend_from_slice(if pretty { b": " } else { b":" });
                after_key = true;
            }
            Event::StartList(_) => {
                open.push(false);
                closers.push(b']');
                out.push(b'[');
            }
            Event::StartMap(_) => {
                open.push(false);
                closers.push(b'}');
                out.push(b'{');
            }
            Event::End => {
                let had_items = open.pop().unwrap_or(false);
                if pretty && had_items {
                    out.push(b'\n');
                    out.extend(std::iter::repeat_n(b' ', 2 * open.len()));
                }
                out.push(closers.pop().unwrap_or(b']'));
            }
        }
        Ok(())
    });
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    fn nested(depth: usize) -> Document {
        let mut d = Document::Int(1);
        for i in 0..depth {
            d = if i % 2 == 0 {
                Document::List(vec![d])
            } else {
                let mut m = Map::default();
                m.insert("k".into(), d);
                Document::Map(m)
            };
        }
        d
    }

    #[test]
    fn text_matches_what_the_recursive_versions_wrote() {
        let d = doc! {"a": [1, 2.5, {"b": null, "c": []}, {}], "s": "x\"y", "t": true};
        let compact = r#"{"a":[1,2.5,{"b":null,"c":[]},{}],"s":"x\"y","t":true}"#;
        assert_eq!(d.to_json(), compact);
        let value: serde_json::Value = serde_json::from_str(compact).unwrap();
        assert_eq!(
            d.to_json_pretty(),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(
            format!("{d:?}"),
            r#"{"a": [1, 2.5, {"b": null, "c": []}, {}], "s": "x\"y", "t": true}"#
        );
        let mut m = std::collections::BTreeMap::new();
        m.insert("b", vec![1]);
        assert_eq!(
            format!("{:#?}", doc! {"b": [1]}),
            format!("{m:#?}"),
            "pretty Debug as debug_map / debug_list"
        );
        assert_eq!(
            format!("{:#?}", doc! {"e": [], "f": {}}),
            "{\n    \"e\": [],\n    \"f\": {},\n}"
        );
        assert_eq!(d.clone(), d);
        let reordered = doc! {"t": true, "s": "x\"y", "a": [1, 2.5, {"c": [], "b": null}, {}]};
        assert_eq!(reordered, d, "maps compare as maps");
        assert_ne!(doc! {"a": [1]}, doc! {"a": [2]});
        assert_ne!(doc! {"a": 1}, doc! {"b": 1});
        assert_ne!(Document::Float(f64::NAN), Document::Float(f64::NAN));
    }

    #[test]
    fn a_hundred_thousand_levels_on_a_small_stack() {
        // 1 MiB of stack, half what a tokio worker gets: the walks use none of it per level,
        // and serde's bounded recursion (256 levels) fits.
        std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let deep = nested(100_000);
                let copy = deep.clone();
                assert!(copy == deep);
                assert!(copy != nested(99_999));
                let text = deep.to_json();
                assert!(text.starts_with("{\"k\":[{\"k\":["), "{}", &text[..20]);
                assert_eq!(text.len(), deep.to_json().len());
                let debug = format!("{deep:?}");
                assert!(debug.ends_with("]}]}"));
                let err = serde_json::to_string(&deep).unwrap_err().to_string();
                assert!(err.contains("deeper than"), "{err}");
                drop(copy);
                drop(deep);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
