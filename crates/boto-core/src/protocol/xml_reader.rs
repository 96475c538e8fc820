//! Shape-directed XML input for rest-xml, query and ec2 responses and XML errors.
//!
//! The body is read once into a small element tree (names without namespace prefixes, attributes,
//! text) and then walked along the output shape, the way botocore's XML parsers do.
//!
//! Elements may nest at most [`MAX_XML_DEPTH`] deep: the tree is built without recursion, but
//! walking and dropping it recurse, and a hostile or broken endpoint sending 50,000 nested
//! elements must get a parse error, not a stack overflow on a runtime worker.

use super::ProtocolError;
use crate::document::{Document, Map};
use crate::model::{Member, ServiceModel, ShapeId, ShapeType};
use quick_xml::events::Event;
use std::borrow::Cow;

/// One XML element, borrowing its name and (unescaped) text from the body where it can.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node<'a> {
    /// The local name (without a namespace prefix).
    pub name: Cow<'a, str>,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node<'a>>,
    /// The text before the first child element, as ElementTree's `text` (what botocore reads).
    pub text: Cow<'a, str>,
}

impl<'a> Node<'a> {
    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Node<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child called `name`.
    pub fn children_named<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Node<'a>> + 'n {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child called `name`.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_ref())
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

/// How deep XML elements may nest (no AWS response comes close; botocore has no limit of its
/// own but Python's recursion limit of 1000).
pub const MAX_XML_DEPTH: usize = 256;

/// The error for elements nested deeper than [`MAX_XML_DEPTH`].
pub(crate) fn too_deep() -> ProtocolError {
    ProtocolError::Parse(format!(
        "XML elements nest deeper than {MAX_XML_DEPTH} levels"
    ))
}

/// True when `error` is the parser's refusal of a document nested too deep: a limit of this
/// client, not a sign that the body was torn or is not XML.
pub(crate) fn is_too_deep(error: &ProtocolError) -> bool {
    *error == too_deep()
}

/// Parses an XML document into its root element. The whole body must be well-formed, as
/// ElementTree requires: text or a second element outside the root is an error.
pub(crate) fn parse_document(body: &[u8]) -> Result<Node<'_>, ProtocolError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ProtocolError::Parse(format!("XML body is not UTF-8: {e}")))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node<'_>> = Vec::new();
    let mut root: Option<Node<'_>> = None;
    let bad = |e: &dyn std::fmt::Display| ProtocolError::Parse(format!("malformed XML: {e}"));
    loop {
        // Where the next event starts: a start tag's name follows its `<`.
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let finished = match reader.read_event().map_err(|e| bad(&e))? {
            Event::Start(e) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(too_deep());
                }
                if root.is_some() {
                    return Err(bad(&"a second root element"));
                }
                stack.push(element(text, at, &e)?);
                None
            }
            Event::Empty(e) => {
                if root.is_some() {
                    return Err(bad(&"a second root element"));
                }
                let node = element(text, at, &e)?;
                match stack.last_mut() {
                    Some(parent) => {
                        parent.children.push(node);
                        None
                    }
                    None => Some(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| bad(&"unbalanced end tag"))?;
                match stack.last_mut() {
                    Some(parent) => {
                        parent.children.push(node);
                        None
                    }
                    None => Some(node),
                }
            }
            Event::Text(t) => {
                match stack.last_mut() {
                    Some(top) if top.children.is_empty() => {
                        append(&mut top.text, t.unescape().map_err(|e| bad(&e))?)
                    }
                    Some(_) => {}
                    None if t.iter().all(|b| b.is_ascii_whitespace()) => {}
                    None => return Err(bad(&"text outside the root element")),
                }
                None
            }
            Event::CData(t) => {
                match stack.last_mut() {
                    Some(top) if top.children.is_empty() => {
                        let t = t.into_inner();
                        append(
                            &mut top.text,
                            String::from_utf8_lossy(&t).into_owned().into(),
                        )
                    }
                    Some(_) => {}
                    None => return Err(bad(&"text outside the root element")),
                }
                None
            }
            Event::Eof => return root.ok_or_else(|| bad(&"no root element")),
            _ => None,
        };
        if finished.is_some() {
            root = finished;
        }
    }
}

/// Adds a piece of an element's text; the usual single piece stays borrowed.
pub(crate) fn append<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
    }
}

/// The node of a start tag that began at byte `at` of `text`.
fn element<'a>(
    text: &'a str,
    at: usize,
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<Node<'a>, ProtocolError> {
    let qname = e.name();
    let raw = qname.as_ref();
    // The name as it stands in the body, so the node borrows it instead of copying it.
    let name = match at
        .checked_add(1)
        .and_then(|from| text.get(from..from + raw.len()))
    {
        Some(borrowed) if borrowed.as_bytes() == raw => {
            Cow::Borrowed(match raw.iter().rposition(|&b| b == b':') {
                // Names are short: a plain scan beats memrchr's set-up.
                Some(colon) => &borrowed[colon + 1..],
                None => borrowed,
            })
        }
        _ => Cow::Owned(local(raw)),
    };
    let mut node = Node {
        name,
        ..Node::default()
    };
    if e.attributes_raw().iter().all(u8::is_ascii_whitespace) {
        return Ok(node);
    }
    node.attrs = attributes(e)?;
    Ok(node)
}

/// The value of the attribute `name` (a member's wire name), given with or without a namespace
/// prefix.
pub(crate) fn attribute<'v>(attrs: &'v [(String, String)], name: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| k == name || k.rsplit_once(':').is_some_and(|(_, l)| l == name))
        .map(|(_, v)| v.as_str())
}

/// The attributes of a start tag, as (qualified name, unescaped value).
pub(crate) fn attributes(
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<Vec<(String, String)>, ProtocolError> {
    let mut out = Vec::new();
    for attr in e.attributes().with_checks(false) {
        let attr =
            attr.map_err(|err| ProtocolError::Parse(format!("malformed XML attribute: {err}")))?;
        let value = attr
            .unescape_value()
            .map_err(|err| ProtocolError::Parse(format!("malformed XML attribute: {err}")))?;
        out.push((
            String::from_utf8_lossy(attr.key.as_ref()).into_owned(),
            value.into_owned(),
        ));
    }
    Ok(out)
}

/// Reads the children of `node` as the structure `shape_id`, skipping members `skip` rejects
/// (those bound to headers or the status code).
pub(crate) fn read_structure(
    model: &ServiceModel,
    shape_id: ShapeId,
    node: &Node,
    skip: &dyn Fn(&Member) -> bool,
) -> Result<Map, ProtocolError> {
    let shape = model.shape(shape_id);
    let mut out = Map::with_capacity_and_hasher(
        node.children.len().min(shape.members.len()),
        Default::default(),
    );
    for (member, xml) in shape.members.iter().zip(model.xml_members(shape_id)) {
        if skip(member) {
            continue;
        }
        if xml.attribute {
            if let Some(v) = attribute(&node.attrs, member.wire_name()) {
                out.insert(member.name.clone(), read_scalar(model, member, v)?);
            }
            continue;
        }
        let value = if xml.flattened {
            let mut nodes: Vec<&Node> = node.children_named(&xml.key).collect();
            if let (true, Some(own)) = (nodes.is_empty(), &xml.own) {
                nodes = node.children_named(own).collect();
            }
            if nodes.is_empty() {
                continue;
            }
            read_flattened(model, member, &nodes)?
        } else {
            let Some(child) = node.child(&xml.key) else {
                continue;
            };
            read_value(model, member, child)?
        };
        out.insert(member.name.clone(), value);
    }
    Ok(out)
}

fn read_flattened(
    model: &ServiceModel,
    member: &Member,
    nodes: &[&Node],
) -> Result<Document, ProtocolError> {
    let target = model.shape(member.target);
    if target.shape_type == ShapeType::List {
        let Some(item) = target.member.as_deref() else {
            return Ok(Document::List(Vec::new()));
        };
        return nodes
            .iter()
            .map(|n| read_value(model, item, n))
            .collect::<Result<Vec<_>, _>>()
            .map(Document::List);
    }
    let mut map = Map::default();
    for n in nodes {
        read_map_entry(model, member.target, n, &mut map)?;
    }
    Ok(Document::Map(map))
}

fn read_map_entry(
    model: &ServiceModel,
    map_shape: ShapeId,
    entry: &Node,
    out: &mut Map,
) -> Result<(), ProtocolError> {
    let shape = model.shape(map_shape);
    let (Some(k), Some(v)) = (shape.key.as_deref(), shape.value.as_deref()) else {
        return Ok(());
    };
    let key = entry
        .child_text(k.location_name.as_deref().unwrap_or("key"))
        .unwrap_or_default()
        .into();
    let value = match entry.child(v.location_name.as_deref().unwrap_or("value")) {
        Some(n) => read_value(model, v, n)?,
        None => Document::Null,
    };
    out.insert(key, value);
    Ok(())
}

/// Reads `node` as the value of `member`.
pub(crate) fn read_value(
    model: &ServiceModel,
    member: &Member,
    node: &Node,
) -> Result<Document, ProtocolError> {
    let shape = model.shape(member.target);
    match shape.shape_type {
        ShapeType::Structure => {
            let out = read_structure(model, member.target, node, &|_| false)?;
            if shape.union && out.is_empty() {
                if let Some(child) = node.children.first() {
                    return Ok(super::unknown_union(&child.name));
                }
            }
            Ok(Document::Map(out))
        }
        ShapeType::List => {
            let Some(item) = shape.member.as_deref() else {
                return Ok(Document::List(Vec::new()));
            };
            let flattened = member.flattened.unwrap_or(shape.flattened);
            if flattened {
                return Ok(Document::List(vec![read_value(model, item, node)?]));
            }
            let name = item.location_name.as_deref().unwrap_or("member");
            node.children_named(name)
                .map(|n| read_value(model, item, n))
                .collect::<Result<Vec<_>, _>>()
                .map(Document::List)
        }
        ShapeType::Map => {
            let mut map = Map::default();
            let flattened = member.flattened.unwrap_or(shape.flattened);
            if flattened {
                read_map_entry(model, member.target, node, &mut map)?;
            } else {
                for entry in node.children_named("entry") {
                    read_map_entry(model, member.target, entry, &mut map)?;
                }
            }
            Ok(Document::Map(map))
        }
        _ => read_scalar(model, member, &node.text),
    }
}

/// Converts element text to the member's scalar type.
pub(crate) fn read_scalar(
    model: &ServiceModel,
    member: &Member,
    text: &str,
) -> Result<Document, ProtocolError> {
    super::scalar::scalar_from_text(model, member, text, None, &member.name)
}

#[cfg(test)]
mod tests {
    use super::parse_document;
    use std::borrow::Cow;

    #[test]
    fn text_is_what_precedes_the_first_child_and_stays_borrowed() {
        let root =
            parse_document(b"<s3:R xmlns:s3=\"u\">lead<K>a&amp;b</K>tail<V>plain</V></s3:R>")
                .unwrap();
        assert_eq!(root.name, "R");
        assert_eq!(
            root.text, "lead",
            "text after a child is not the element's text"
        );
        assert_eq!(root.child_text("K"), Some("a&b"));
        assert!(matches!(
            root.child("V").unwrap().text,
            Cow::Borrowed("plain")
        ));
        assert!(matches!(root.child("V").unwrap().name, Cow::Borrowed("V")));
        let split = parse_document(b"<a>one<![CDATA[<two>]]>three</a>").unwrap();
        assert_eq!(split.text, "one<two>three");
    }

    #[test]
    fn the_whole_body_must_be_one_well_formed_document() {
        assert!(parse_document(b"<?xml version=\"1.0\"?>\n<!-- c --><a/>\n  ").is_ok());
        for bad in [
            &b"<a/>junk"[..],
            b"<a/><b/>",
            b"<a></a><b></b>",
            b"junk<a/>",
            b"<a><b></a>",
            b"<a><b>",
            b"",
        ] {
            assert!(
                parse_document(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
