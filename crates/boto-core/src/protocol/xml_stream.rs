//! Shape-directed XML reading in one pass over the body, for rest-xml and query outputs: the
//! output document is built as the elements go by, with no element tree in between (a listing
//! of a thousand keys made some ten thousand tree nodes only to walk and drop them).
//!
//! It reads what [`super::xml_reader`]'s tree walk reads, the way botocore's XML parsers do:
//! a member's first element wins, flattened lists and maps gather every element of their name
//! wherever it stands, an element's text is what comes before its first child (ElementTree's
//! `text`), unknown elements are skipped, and a union with no known member is reported by its
//! first child's name. Members come out in the shape's order, whatever the order on the wire.
//! The body must be one well-formed document, nested at most [`MAX_XML_DEPTH`] deep.

use super::xml_reader::{append, attribute, attributes, read_scalar, too_deep, MAX_XML_DEPTH};
use super::ProtocolError;
use crate::document::{Document, Map, Name};
use crate::model::{Member, ServiceModel, ShapeId, ShapeType};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// Reads `body` as the structure `shape_id`, skipping members `skip` rejects (those bound to
/// headers or the status code). With `wrapper`, the structure is the root's child of that name
/// (query's `<OpResult>`); when the root has no such child the result is empty.
pub(crate) fn read_body_structure(
    model: &ServiceModel,
    shape_id: ShapeId,
    body: &[u8],
    wrapper: Option<&str>,
    skip: &dyn Fn(&Member) -> bool,
) -> Result<Map, ProtocolError> {
    let mut r = Stream::new(body)?;
    let (root, empty) = r.root()?;
    let out = match wrapper {
        None => r.structure(model, shape_id, &root, empty, skip, false)?.0,
        Some(wrapper) => {
            let mut found = None;
            if !empty {
                while let Some((child, child_empty)) = r.next_child()? {
                    if found.is_none() && child.local_name().as_ref() == wrapper.as_bytes() {
                        let (read, _) =
                            r.structure(model, shape_id, &child, child_empty, skip, false)?;
                        found = Some(read);
                    } else {
                        r.skip(child_empty)?;
                    }
                }
            }
            found.unwrap_or_default()
        }
    };
    r.finish()?;
    Ok(out)
}

/// Reads `body` as the value of `member` (a structure, list or map payload).
pub(crate) fn read_body_value(
    model: &ServiceModel,
    member: &Member,
    body: &[u8],
) -> Result<Document, ProtocolError> {
    let mut r = Stream::new(body)?;
    let (root, empty) = r.root()?;
    let value = r.value(model, member, &root, empty)?;
    r.finish()?;
    Ok(value)
}

fn malformed(e: &dyn std::fmt::Display) -> ProtocolError {
    ProtocolError::Parse(format!("malformed XML: {e}"))
}

struct Stream<'a> {
    reader: quick_xml::Reader<&'a [u8]>,
    /// Elements open below the root's start (the depth limit counts them).
    depth: usize,
}

/// What a member's elements gathered so far hold.
enum Slot {
    /// A flattened list's items, under the list member's name and, apart, under the member's
    /// own name (used only when there are none of the first).
    Items(Vec<Document>, Vec<Document>),
    Entries(Map),
}

impl<'a> Stream<'a> {
    fn new(body: &'a [u8]) -> Result<Self, ProtocolError> {
        std::str::from_utf8(body)
            .map_err(|e| ProtocolError::Parse(format!("XML body is not UTF-8: {e}")))?;
        Ok(Stream {
            reader: quick_xml::Reader::from_reader(body),
            depth: 0,
        })
    }

    fn event(&mut self) -> Result<Event<'a>, ProtocolError> {
        self.reader.read_event().map_err(|e| malformed(&e))
    }

    /// The next element outside the root (its start, or `None` at the end of the body), past
    /// declarations, comments and whitespace; anything else there is not well-formed.
    fn outside_root(&mut self) -> Result<Option<(BytesStart<'a>, bool)>, ProtocolError> {
        loop {
            match self.event()? {
                Event::Start(e) => return Ok(Some((e, false))),
                Event::Empty(e) => return Ok(Some((e, true))),
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(_) | Event::CData(_) => {
                    return Err(malformed(&"text outside the root element"))
                }
                Event::Eof => return Ok(None),
                Event::End(_) => return Err(malformed(&"unbalanced end tag")),
                _ => {}
            }
        }
    }

    /// The root element's start.
    fn root(&mut self) -> Result<(BytesStart<'a>, bool), ProtocolError> {
        self.outside_root()?
            .ok_or_else(|| malformed(&"no root element"))
    }

    /// After the root: the body must end with nothing but whitespace, comments and processing
    /// instructions.
    fn finish(&mut self) -> Result<(), ProtocolError> {
        match self.outside_root()? {
            None => Ok(()),
            Some(_) => Err(malformed(&"a second root element")),
        }
    }

    /// The next child of the element being read, or `None` at its end. Text between children is
    /// passed over.
    fn next_child(&mut self) -> Result<Option<(BytesStart<'a>, bool)>, ProtocolError> {
        loop {
            match self.event()? {
                Event::Start(e) => {
                    self.enter()?;
                    return Ok(Some((e, false)));
                }
                Event::Empty(e) => return Ok(Some((e, true))),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(None);
                }
                Event::Eof => return Err(malformed(&"the document ends inside an element")),
                _ => {}
            }
        }
    }

    fn enter(&mut self) -> Result<(), ProtocolError> {
        self.depth += 1;
        if self.depth >= MAX_XML_DEPTH {
            return Err(too_deep());
        }
        Ok(())
    }

    /// Passes over the rest of an element whose start was just read.
    fn skip(&mut self, empty: bool) -> Result<(), ProtocolError> {
        if empty {
            return Ok(());
        }
        let mut open = 1usize;
        loop {
            match self.event()? {
                Event::Start(_) => {
                    open += 1;
                    // `depth` already counts the element being skipped.
                    if self.depth + open > MAX_XML_DEPTH {
                        return Err(too_deep());
                    }
                }
                Event::End(_) => {
                    open -= 1;
                    if open == 0 {
                        self.depth = self.depth.saturating_sub(1);
                        return Ok(());
                    }
                }
                Event::Eof => return Err(malformed(&"the document ends inside an element")),
                _ => {}
            }
        }
    }

    /// The rest of an element read as text: what comes before its first child, unescaped.
    fn text(&mut self, empty: bool) -> Result<Cow<'a, str>, ProtocolError> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        if empty {
            return Ok(text);
        }
        let mut in_child = false;
        loop {
            match self.event()? {
                Event::Text(t) if !in_child => {
                    let piece = t.unescape().map_err(|e| malformed(&e))?;
                    append(&mut text, piece);
                }
                Event::CData(t) if !in_child => {
                    let piece = String::from_utf8_lossy(&t.into_inner()).into_owned();
                    append(&mut text, Cow::Owned(piece));
                }
                Event::Start(_) => {
                    in_child = true;
                    self.enter()?;
                    self.skip(false)?;
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(text);
                }
                Event::Eof => return Err(malformed(&"the document ends inside an element")),
                Event::Empty(_) => in_child = true,
                _ => {}
            }
        }
    }

    /// The rest of an element whose start was just read, as the value of `member`.
    fn value(
        &mut self,
        model: &ServiceModel,
        member: &Member,
        start: &BytesStart<'a>,
        empty: bool,
    ) -> Result<Document, ProtocolError> {
        let shape = model.shape(member.target);
        match shape.shape_type {
            ShapeType::Structure => {
                let (out, first_child) =
                    self.structure(model, member.target, start, empty, &|_| false, shape.union)?;
                if shape.union && out.is_empty() {
                    if let Some(name) = first_child {
                        return Ok(super::unknown_union(&name));
                    }
                }
                Ok(Document::Map(out))
            }
            ShapeType::List => {
                let Some(item) = shape.member.as_deref() else {
                    self.skip(empty)?;
                    return Ok(Document::List(Vec::new()));
                };
                if member.flattened.unwrap_or(shape.flattened) {
                    return Ok(Document::List(vec![self.value(model, item, start, empty)?]));
                }
                let name = item.location_name.as_deref().unwrap_or("member");
                let mut items = Vec::new();
                if !empty {
                    while let Some((child, child_empty)) = self.next_child()? {
                        if child.local_name().as_ref() == name.as_bytes() {
                            items.push(self.value(model, item, &child, child_empty)?);
                        } else {
                            self.skip(child_empty)?;
                        }
                    }
                }
                Ok(Document::List(items))
            }
            ShapeType::Map => {
                let mut map = Map::default();
                if member.flattened.unwrap_or(shape.flattened) {
                    self.map_entry(model, member.target, empty, &mut map)?;
                } else if !empty {
                    while let Some((child, child_empty)) = self.next_child()? {
                        if child.local_name().as_ref() == b"entry" {
                            self.map_entry(model, member.target, child_empty, &mut map)?;
                        } else {
                            self.skip(child_empty)?;
                        }
                    }
                }
                Ok(Document::Map(map))
            }
            _ => {
                let text = self.text(empty)?;
                read_scalar(model, member, &text)
            }
        }
    }

    /// The rest of a map entry element: its key and value children.
    fn map_entry(
        &mut self,
        model: &ServiceModel,
        map_shape: ShapeId,
        empty: bool,
        out: &mut Map,
    ) -> Result<(), ProtocolError> {
        let shape = model.shape(map_shape);
        let (Some(k), Some(v)) = (shape.key.as_deref(), shape.value.as_deref()) else {
            return self.skip(empty);
        };
        let key_name = k.location_name.as_deref().unwrap_or("key");
        let value_name = v.location_name.as_deref().unwrap_or("value");
        let (mut key, mut value) = (None, None);
        if !empty {
            while let Some((child, child_empty)) = self.next_child()? {
                let name = child.local_name();
                if key.is_none() && name.as_ref() == key_name.as_bytes() {
                    key = Some(Name::from(self.text(child_empty)?));
                } else if value.is_none() && name.as_ref() == value_name.as_bytes() {
                    value = Some(self.value(model, v, &child, child_empty)?);
                } else {
                    self.skip(child_empty)?;
                }
            }
        }
        out.insert(key.unwrap_or_default(), value.unwrap_or(Document::Null));
        Ok(())
    }

    /// The rest of an element as the structure `shape_id`, and, when `want_first`, the name of
    /// its first child (what a union with no known member reports).
    fn structure(
        &mut self,
        model: &ServiceModel,
        shape_id: ShapeId,
        start: &BytesStart<'a>,
        empty: bool,
        skip: &dyn Fn(&Member) -> bool,
        want_first: bool,
    ) -> Result<(Map, Option<String>), ProtocolError> {
        let shape = model.shape(shape_id);
        let members = &shape.members;
        let names = model.xml_members(shape_id);
        // Single values go straight into `out`; flattened lists and maps gather in
        // `collections` until the element ends. `seen` marks the members found (the first
        // element of a member wins); `last`/`in_order` tell whether `out` needs sorting into
        // the shape's order at the end (elements mostly come in that order).
        let mut out = Map::with_capacity_and_hasher(names.len().min(8), Default::default());
        let mut collections: Vec<(usize, Slot)> = Vec::new();
        let mut seen = 0u64;
        let (mut last, mut in_order) = (None::<usize>, true);
        let mut first_child = None;
        if !empty {
            while let Some((child, child_empty)) = self.next_child()? {
                let name = child.local_name();
                let name = name.as_ref();
                if want_first && first_child.is_none() {
                    first_child = Some(String::from_utf8_lossy(name).into_owned());
                }
                let hit = names.iter().enumerate().find_map(|(i, n)| {
                    if n.attribute {
                        None
                    } else if name == n.key.as_bytes() {
                        Some((i, false))
                    } else if n.own.as_ref().is_some_and(|own| name == own.as_bytes()) {
                        Some((i, true))
                    } else {
                        None
                    }
                });
                let Some((i, by_own_name)) = hit.filter(|&(i, _)| !skip(&members[i])) else {
                    self.skip(child_empty)?;
                    continue;
                };
                let m = &members[i];
                if !names[i].flattened {
                    let already = match u32::try_from(i).ok().and_then(|b| 1u64.checked_shl(b)) {
                        Some(bit) => {
                            let was = seen & bit != 0;
                            seen |= bit;
                            was
                        }
                        None => out.contains_key(&m.name),
                    };
                    if already {
                        self.skip(child_empty)?;
                    } else {
                        let v = self.value(model, m, &child, child_empty)?;
                        in_order &= last.is_none_or(|l| l < i);
                        last = Some(i);
                        out.insert(m.name.clone(), v);
                    }
                    continue;
                }
                let target = model.shape(m.target);
                let at = match collections.iter().position(|(j, _)| *j == i) {
                    Some(at) => at,
                    None => {
                        let fresh = if target.shape_type == ShapeType::List {
                            Slot::Items(Vec::new(), Vec::new())
                        } else {
                            Slot::Entries(Map::default())
                        };
                        collections.push((i, fresh));
                        collections.len() - 1
                    }
                };
                match &mut collections[at].1 {
                    Slot::Items(by_key, by_own) => {
                        let Some(item) = target.member.as_deref() else {
                            self.skip(child_empty)?;
                            continue;
                        };
                        let v = self.value(model, item, &child, child_empty)?;
                        if by_own_name {
                            by_own.push(v);
                        } else {
                            by_key.push(v);
                        }
                    }
                    Slot::Entries(map) => self.map_entry(model, m.target, child_empty, map)?,
                }
            }
        }
        let mut later: Vec<(usize, Document)> = collections
            .into_iter()
            .map(|(i, slot)| {
                let value = match slot {
                    Slot::Items(by_key, by_own) => {
                        Document::List(if by_key.is_empty() { by_own } else { by_key })
                    }
                    Slot::Entries(map) => Document::Map(map),
                };
                (i, value)
            })
            .collect();
        if names.iter().any(|n| n.attribute) {
            let attributes = attributes(start)?;
            for (i, m) in members.iter().enumerate() {
                if !names[i].attribute || skip(m) {
                    continue;
                }
                if let Some(v) = attribute(&attributes, m.wire_name()) {
                    later.push((i, read_scalar(model, m, v)?));
                }
            }
        }
        for (i, value) in later {
            in_order &= last.is_none_or(|l| l < i);
            last = Some(i);
            out.insert(members[i].name.clone(), value);
        }
        if !in_order {
            // Members in the shape's order, whatever the order on the wire.
            let index = |k: &Name| members.iter().position(|m| m.name == *k);
            out.sort_by(|a, _, b, _| index(a).cmp(&index(b)));
        }
        Ok((out, first_child))
    }
}

#[cfg(test)]
mod tests {
    use super::read_body_structure;
    use crate::doc;
    use crate::document::Document;
    use crate::model::ServiceModel;

    fn list_objects(body: &str) -> Result<Document, super::ProtocolError> {
        let s3 = ServiceModel::load("s3").unwrap();
        let op = s3.operation("ListObjectsV2").unwrap();
        read_body_structure(&s3, op.output.unwrap(), body.as_bytes(), None, &|_| false)
            .map(Document::Map)
    }

    #[test]
    fn members_come_in_shape_order_and_the_first_element_wins() {
        let out = list_objects(
            "<?xml version=\"1.0\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <KeyCount>2</KeyCount><Name>first</Name>\
             <Unknown><Deep><Deeper/></Deep></Unknown>\
             <Contents><Size>3</Size><Key>a&amp;b</Key><Key>second</Key></Contents>\
             <Name>second</Name>\
             <Contents><Key><![CDATA[<c>]]></Key><Owner><ID>o</ID></Owner></Contents>\
             </ListBucketResult>",
        )
        .unwrap();
        let keys: Vec<&str> = out.as_map().unwrap().keys().map(|k| k.as_str()).collect();
        // The shape lists Contents, Name, KeyCount; the wire had them the other way round.
        assert_eq!(keys, ["Contents", "Name", "KeyCount"], "the shape's order");
        assert_eq!(out["Name"], doc!("first"));
        assert_eq!(out["Contents"][0], doc!({"Key": "a&b", "Size": 3}));
        assert_eq!(
            out["Contents"][1],
            doc!({"Key": "<c>", "Owner": {"ID": "o"}})
        );
        assert_eq!(out["KeyCount"], doc!(2));
    }

    #[test]
    fn an_element_text_is_what_precedes_its_first_child() {
        let out = list_objects("<R><Name>lead<x>in</x>tail</Name><Prefix/></R>").unwrap();
        assert_eq!(out["Name"], doc!("lead"));
        assert_eq!(out["Prefix"], doc!(""));
    }

    #[test]
    fn the_body_must_be_one_well_formed_document() {
        assert!(list_objects("  <R><Name>n</Name></R>\n<!-- done -->\n").is_ok());
        for bad in [
            "<R><Name>n</Name></R>junk",
            "<R/><R/>",
            "junk<R/>",
            "<R><Name>n</R>",
            "<R><Contents><Key>k</Key>",
            "",
        ] {
            assert!(list_objects(bad).is_err(), "{bad}");
        }
        let deep = format!("<R>{}{}</R>", "<x>".repeat(300), "</x>".repeat(300));
        assert!(super::super::xml_reader::is_too_deep(
            &list_objects(&deep).unwrap_err()
        ));
    }
}
