//! Shape-directed XML output for rest-xml bodies: namespaces, attributes, flattened lists, maps.
//! Members are written in the order the input document gives them, as botocore does.

use super::ProtocolError;
use crate::document::Document;
use crate::model::{
    Location, Member, ServiceModel, ShapeId, ShapeType, TimestampFormat, XmlNamespace,
};

/// Appends `s` with XML escaping for text or attribute values.
pub(super) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            _ => out.push(c),
        }
    }
}

fn namespace_attr(out: &mut String, ns: &XmlNamespace) {
    match &ns.prefix {
        Some(p) => out.push_str(&format!(" xmlns:{p}=\"")),
        None => out.push_str(" xmlns=\""),
    }
    escape_into(out, &ns.uri);
    out.push('"');
}

/// Writes the root element `name` of a request body, declaring `namespace` (the operation input
/// reference's) or else the shape's own.
pub(super) fn write_root(
    model: &ServiceModel,
    out: &mut String,
    name: &str,
    namespace: Option<&XmlNamespace>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<(), ProtocolError> {
    write_with_namespace(model, out, name, None, namespace, shape_id, value)
}

/// Writes the element `name` holding `value` shaped by `shape` (reached through `member`, whose
/// traits override the shape's).
pub(super) fn write_element(
    model: &ServiceModel,
    out: &mut String,
    name: &str,
    member: Option<&Member>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<(), ProtocolError> {
    write_with_namespace(model, out, name, member, None, shape_id, value)
}

fn write_with_namespace(
    model: &ServiceModel,
    out: &mut String,
    name: &str,
    member: Option<&Member>,
    namespace: Option<&XmlNamespace>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<(), ProtocolError> {
    let shape = model.shape(shape_id);
    let namespace = namespace
        .or(member.and_then(|m| m.xml_namespace.as_ref()))
        .or(shape.xml_namespace.as_ref());
    match shape.shape_type {
        ShapeType::Structure => {
            let Document::Map(values) = value else {
                return Err(ProtocolError::Serialize(format!(
                    "{name} must be a structure"
                )));
            };
            out.push('<');
            out.push_str(name);
            if let Some(ns) = namespace {
                namespace_attr(out, ns);
            }
            for (key, v) in values {
                if let Some(m) = shape.member_named(key).filter(|m| m.xml_attribute) {
                    if let Some(text) = scalar(model, m, v) {
                        out.push(' ');
                        out.push_str(m.wire_name());
                        out.push_str("=\"");
                        escape_into(out, &text);
                        out.push('"');
                    }
                }
            }
            out.push('>');
            for (key, v) in values {
                let Some(m) = shape.member_named(key) else {
                    continue;
                };
                if m.xml_attribute || v.is_null() || m.location != Location::Body {
                    continue;
                }
                write_element(model, out, m.wire_name(), Some(m), m.target, v)?;
            }
            close(out, name);
        }
        ShapeType::List => {
            let Document::List(items) = value else {
                return Err(ProtocolError::Serialize(format!("{name} must be a list")));
            };
            let Some(item) = shape.member.as_deref() else {
                return Err(ProtocolError::Serialize(format!(
                    "list {} has no member",
                    shape.name
                )));
            };
            let flattened = member.and_then(|m| m.flattened).unwrap_or(shape.flattened);
            if flattened {
                // Flattened items repeat the list member's own name.
                for v in items {
                    let item_name = name;
                    write_element(model, out, item_name, Some(item), item.target, v)?;
                }
            } else {
                open(out, name, namespace);
                let item_name = item.location_name.as_deref().unwrap_or("member");
                for v in items {
                    write_element(model, out, item_name, Some(item), item.target, v)?;
                }
                close(out, name);
            }
        }
        ShapeType::Map => {
            let Document::Map(entries) = value else {
                return Err(ProtocolError::Serialize(format!("{name} must be a map")));
            };
            let (Some(k), Some(val)) = (shape.key.as_deref(), shape.value.as_deref()) else {
                return Err(ProtocolError::Serialize(format!(
                    "map {} lacks key/value",
                    shape.name
                )));
            };
            let flattened = member.and_then(|m| m.flattened).unwrap_or(shape.flattened);
            if !flattened {
                open(out, name, namespace);
            }
            for (key, v) in entries {
                out.push_str(if flattened { "" } else { "<entry>" });
                if flattened {
                    open(out, name, None);
                }
                write_element(
                    model,
                    out,
                    k.location_name.as_deref().unwrap_or("key"),
                    Some(k),
                    k.target,
                    &Document::String(key.to_string()),
                )?;
                write_element(
                    model,
                    out,
                    val.location_name.as_deref().unwrap_or("value"),
                    Some(val),
                    val.target,
                    v,
                )?;
                if flattened {
                    close(out, name);
                } else {
                    out.push_str("</entry>");
                }
            }
            if !flattened {
                close(out, name);
            }
        }
        _ => {
            let text = match member {
                Some(m) => scalar(model, m, value),
                None => scalar_of(model, None, shape_id, value),
            }
            .ok_or_else(|| {
                ProtocolError::Serialize(format!("{name} must be a {}", shape.shape_type.name()))
            })?;
            open(out, name, namespace);
            escape_into(out, &text);
            close(out, name);
        }
    }
    Ok(())
}

fn open(out: &mut String, name: &str, ns: Option<&XmlNamespace>) {
    out.push('<');
    out.push_str(name);
    if let Some(ns) = ns {
        namespace_attr(out, ns);
    }
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn scalar(model: &ServiceModel, member: &Member, value: &Document) -> Option<String> {
    scalar_of(model, Some(member), member.target, value)
}

fn scalar_of(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    value: &Document,
) -> Option<String> {
    let fmt = super::scalar::ts_format(model, member, shape_id, TimestampFormat::Iso8601);
    super::scalar::scalar_text(model.shape(shape_id).shape_type, value, fmt)
}
