//! HTTP bindings shared by the REST protocols: URI labels (`{Bucket}`, greedy `{Key+}`), query
//! string members, headers (including prefix headers and JSON-value headers), the host prefix, and
//! the reverse direction for responses (headers, prefix headers, status code).

use super::scalar::scalar_from_text;
use super::{uri, ProtocolError, RawResponse, SerializedRequest};
use crate::document::{Document, Map};
use crate::encoding::{base64_decode, base64_encode};
use std::borrow::Cow;
use std::collections::HashSet;

use crate::model::{Location, Member, Operation, ServiceModel, ShapeType, TimestampFormat};

/// Renders a scalar for a header or query value.
pub(super) fn scalar_text(
    model: &ServiceModel,
    member: &Member,
    value: &Document,
    default_ts: TimestampFormat,
) -> Option<String> {
    scalar_str(model, member, value, default_ts).map(Cow::into_owned)
}

/// [`scalar_text`], borrowing a string value instead of copying it (a URI label is encoded
/// from it straight away).
fn scalar_str<'v>(
    model: &ServiceModel,
    member: &Member,
    value: &'v Document,
    default_ts: TimestampFormat,
) -> Option<Cow<'v, str>> {
    let shape = model.shape(member.target);
    let fmt = super::scalar::ts_format(model, Some(member), member.target, default_ts);
    super::scalar::scalar_str(shape.shape_type, value, fmt)
}

/// Applies the URI, query string and header members of `input` to `req`; the members left are
/// the body's.
pub(super) fn apply_request_bindings(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
    req: &mut SerializedRequest,
) -> Result<(), ProtocolError> {
    let Some(shape_id) = op.input else {
        req.path = op.http.path.clone();
        return Ok(());
    };
    let shape = model.shape(shape_id);
    let empty = Map::default();
    let values = input.as_map().unwrap_or(&empty);
    let mut path = Cow::Borrowed(op.http.path.as_str());
    let mut query = QueryMembers {
        named: named_query_members(model, &shape.members, values),
        values: Vec::new(),
    };
    for member in &shape.members {
        let value = match member_value(values, &member.name) {
            Some(v) if !v.is_null() => v,
            _ => continue,
        };
        match member.location {
            Location::Uri => fill_label(model, member, value, &mut path)?,
            Location::Querystring => query.add(model, member, value)?,
            Location::Header => {
                if let Some(text) = header_text(model, member, value) {
                    let name = member.wire_name();
                    req.headers.push_copied(name, &text);
                    if model.shape(member.target).sensitive {
                        req.headers.mark_sensitive(name);
                    }
                }
            }
            Location::Headers => add_prefix_headers(member, value, req),
            Location::Body | Location::StatusCode => {}
        }
    }
    check_labels_filled(&path)?;
    req.path = path.into_owned();
    req.query = merge_query(op, query.values);
    Ok(())
}

/// The input's value of a member. An input sets a few of its shape's members (PutObject has
/// dozens); comparing the few keys it has costs less than hashing every member's name.
fn member_value<'v>(values: &'v Map, name: &str) -> Option<&'v Document> {
    if values.len() <= 8 {
        values.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    } else {
        values.get(name)
    }
}

fn not_scalar(member: &Member) -> ProtocolError {
    ProtocolError::Serialize(format!("{} must be a scalar", member.name))
}

/// Replaces the member's `{Label}` (or greedy `{Label+}`, which keeps `/`) in `path`.
fn fill_label(
    model: &ServiceModel,
    member: &Member,
    value: &Document,
    path: &mut Cow<'_, str>,
) -> Result<(), ProtocolError> {
    let text = scalar_str(model, member, value, TimestampFormat::Iso8601)
        .ok_or_else(|| not_scalar(member))?;
    let Some((start, end, greedy)) = find_label(path, member.wire_name()) else {
        // The path has no such label, so nothing to fill; the value is still checked.
        return check_label_keeps_path(&member.name, &text, false);
    };
    check_label_keeps_path(&member.name, &text, greedy)?;
    let (label, rest) = (&path[start..end], &path[end..]);
    // A label named twice is filled everywhere (no model does this; the path stays right).
    if rest.contains(label) {
        let mut filled = String::with_capacity(path.len() + text.len() * 3);
        filled.push_str(&path[..start]);
        uri::encode_into(&mut filled, &text, greedy);
        filled.push_str(&rest.replace(label, &uri::encode(&text, greedy)));
        *path = Cow::Owned(filled);
        return Ok(());
    }
    match std::mem::take(path) {
        Cow::Borrowed(template) => {
            // Room for the other labels too (an S3 key is the usual second): one string.
            let mut filled = String::with_capacity(template.len() + text.len() * 3 + 128);
            filled.push_str(&template[..start]);
            uri::encode_into(&mut filled, &text, greedy);
            filled.push_str(&template[end..]);
            *path = Cow::Owned(filled);
        }
        Cow::Owned(mut filled) => {
            // In place: drop the label, encode the value at the end, then turn the tail around
            // (`rest` + value becomes value + `rest`), all within the string's room.
            filled.replace_range(start..end, "");
            let before = filled.len();
            uri::encode_into(&mut filled, &text, greedy);
            let encoded = filled.len() - before;
            let mut bytes = filled.into_bytes();
            bytes[start..].rotate_right(encoded);
            // Both parts are whole UTF-8 (the value is percent-encoded ASCII), so this holds.
            let filled = String::from_utf8(bytes)
                .map_err(|_| ProtocolError::Serialize(format!("{} broke the path", member.name)))?;
            *path = Cow::Owned(filled);
        }
    }
    Ok(())
}

/// Where `{name+}` or else `{name}` first stands in `path`: (start, end, greedy). A member
/// binds one label; the greedy form is looked for first so that its value keeps its `/`.
fn find_label(path: &str, name: &str) -> Option<(usize, usize, bool)> {
    let at = |greedy: bool| {
        let mut from = 0;
        while let Some(i) = path[from..].find('{').map(|i| from + i) {
            let after = &path[i + 1..];
            if let Some(tail) = after.strip_prefix(name) {
                let close = if greedy { "+}" } else { "}" };
                if tail.starts_with(close) {
                    return Some((i, i + 1 + name.len() + close.len(), greedy));
                }
            }
            from = i + 1;
        }
        None
    };
    at(true).or_else(|| at(false))
}

/// A label value must fill its own segment(s) and no other: an empty value would drop the
/// segment (S3 `DELETE /{Bucket}/{Key+}` with an empty bucket is `DELETE /{Key}`, deleting the
/// bucket named as the key), and `.` or `..` as a whole segment is removed or climbs when the
/// path is normalized by any server or proxy on the way. A greedy label may hold `/` and dot
/// segments (object keys do), but not be empty.
fn check_label_keeps_path(member: &str, text: &str, greedy: bool) -> Result<(), ProtocolError> {
    let problem = if text.is_empty() {
        "is empty"
    } else if !greedy && (text == "." || text == "..") {
        "is a dot segment"
    } else {
        return Ok(());
    };
    Err(ProtocolError::Serialize(format!(
        "the URI label {member} ({text:?}) {problem}: it would change which resource the \
         request path names"
    )))
}

/// Labels left unfilled mean a required label was absent; validation reports that first, so here
/// an empty value is the remaining case.
fn check_labels_filled(path: &str) -> Result<(), ProtocolError> {
    let Some(start) = path.find('{') else {
        return Ok(());
    };
    let end = path[start..]
        .find('}')
        .map(|e| start + e + 1)
        .unwrap_or(path.len());
    Err(ProtocolError::Serialize(format!(
        "no value for the URI label {}",
        &path[start..end]
    )))
}

/// Wire names of the set, non-map query members: they win over map entries of the same name.
fn named_query_members<'a>(
    model: &ServiceModel,
    members: &'a [Member],
    values: &Map,
) -> HashSet<&'a str> {
    members
        .iter()
        .filter(|m| {
            m.location == Location::Querystring
                && model.shape(m.target).shape_type != ShapeType::Map
                && member_value(values, &m.name).is_some_and(|v| !v.is_null())
        })
        .map(|m| m.wire_name())
        .collect()
}

/// The query parameters that come from members, in order. Like botocore's dict of query
/// parameters, a later member (or map entry) with the same name replaces the earlier value in
/// place.
struct QueryMembers<'a> {
    named: HashSet<&'a str>,
    values: Vec<(String, Vec<Option<String>>)>,
}

impl QueryMembers<'_> {
    fn add(
        &mut self,
        model: &ServiceModel,
        member: &Member,
        value: &Document,
    ) -> Result<(), ProtocolError> {
        let target = model.shape(member.target);
        match (target.shape_type, value) {
            (ShapeType::List, Document::List(items)) => {
                let texts = list_texts(model, target.member.as_deref(), items);
                set_query(&mut self.values, member.wire_name(), texts);
            }
            (ShapeType::Map, Document::Map(entries)) => {
                let value_member = target.value.as_deref();
                for (k, v) in entries {
                    let texts = match v {
                        Document::List(items) => {
                            let inner =
                                value_member.and_then(|m| model.shape(m.target).member.as_deref());
                            list_texts(model, inner, items)
                        }
                        other => value_member
                            .and_then(|m| scalar_text(model, m, other, TimestampFormat::Iso8601))
                            .map(|t| vec![Some(t)])
                            .unwrap_or_default(),
                    };
                    if !self.named.contains(k.as_str()) {
                        set_query(&mut self.values, k, texts);
                    }
                }
            }
            _ => {
                let text = scalar_text(model, member, value, TimestampFormat::Iso8601)
                    .ok_or_else(|| not_scalar(member))?;
                set_query(&mut self.values, member.wire_name(), vec![Some(text)]);
            }
        }
        Ok(())
    }
}

fn list_texts(
    model: &ServiceModel,
    inner: Option<&Member>,
    items: &[Document],
) -> Vec<Option<String>> {
    items
        .iter()
        .filter_map(|item| {
            inner.and_then(|m| scalar_text(model, m, item, TimestampFormat::Iso8601))
        })
        .map(Some)
        .collect()
}

/// Literal query parameters from the request URI come first, then members (a member never
/// overrides a literal one, as in botocore).
fn merge_query(
    op: &Operation,
    members: Vec<(String, Vec<Option<String>>)>,
) -> Vec<(String, Option<String>)> {
    let mut query = op.http.query.clone();
    let literal = query.len();
    for (k, values) in members {
        if !query[..literal].iter().any(|(qk, _)| *qk == k) {
            for v in values {
                query.push((k.clone(), v));
            }
        }
    }
    query
}

/// A header member's value: JSON values base64-encoded, lists comma-joined (strings quoted when
/// they hold a comma or quote), scalars as text with RFC 822 timestamps.
fn header_text<'v>(
    model: &ServiceModel,
    member: &Member,
    value: &'v Document,
) -> Option<Cow<'v, str>> {
    let target = model.shape(member.target);
    if member.json_value {
        return Some(base64_encode(value.to_json().as_bytes()).into());
    }
    let (ShapeType::List, Document::List(items)) = (target.shape_type, value) else {
        // A string value goes into the header list as it is, without a copy of its own.
        return scalar_str(model, member, value, TimestampFormat::Rfc822);
    };
    let inner = target.member.as_deref();
    let quote = inner.is_some_and(|m| model.shape(m.target).shape_type == ShapeType::String);
    let parts: Vec<String> = items
        .iter()
        .filter_map(|i| inner.and_then(|m| scalar_text(model, m, i, TimestampFormat::Rfc822)))
        .map(|s| {
            if quote && (s.contains(',') || s.contains('"')) {
                format!("\"{}\"", s.replace('"', "\\\""))
            } else {
                s
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(",").into())
}

/// A prefix-headers map (`x-amz-meta-*`): one header per entry.
fn add_prefix_headers(member: &Member, value: &Document, req: &mut SerializedRequest) {
    if let Document::Map(entries) = value {
        for (k, v) in entries {
            if let Some(s) = v.as_str() {
                req.header(format!("{}{}", member.wire_name(), k), s);
            }
        }
    }
}

fn set_query(
    query: &mut Vec<(String, Vec<Option<String>>)>,
    key: &str,
    values: Vec<Option<String>>,
) {
    match query.iter_mut().find(|(k, _)| k == key) {
        Some((_, old)) => *old = values,
        None => query.push((key.to_string(), values)),
    }
}

/// Expands the operation's `hostPrefix` with its `hostLabel` members.
pub(super) fn host_prefix(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<Option<String>, ProtocolError> {
    let Some(template) = &op.host_prefix else {
        return Ok(None);
    };
    let mut prefix = template.clone();
    if let Some(id) = op.input {
        for member in model.shape(id).members.iter().filter(|m| m.host_label) {
            let value = input[member.name.as_str()].as_str().unwrap_or_default();
            let valid = !value.is_empty()
                && value.len() <= 63
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !value.starts_with('-');
            if !valid {
                return Err(ProtocolError::Serialize(format!(
                    "{} ({value:?}) is not a valid host label",
                    member.name
                )));
            }
            prefix = prefix.replace(&format!("{{{}}}", member.name), value);
        }
    }
    Ok(Some(prefix))
}

/// Reads header-bound, prefix-header and status-code members of the output shape into `out`.
pub(super) fn read_response_bindings(
    model: &ServiceModel,
    members: &[Member],
    resp: &RawResponse,
    out: &mut Map,
) -> Result<(), ProtocolError> {
    for member in members {
        match member.location {
            Location::Header => {
                let Some(text) = resp.header(member.wire_name()) else {
                    continue;
                };
                let target = model.shape(member.target);
                let value = if member.json_value {
                    let raw = base64_decode(text)
                        .map_err(|e| ProtocolError::Parse(format!("{}: {e}", member.name)))?;
                    let s =
                        String::from_utf8(raw).map_err(|e| ProtocolError::Parse(e.to_string()))?;
                    Document::from_json(&s).map_err(|e| ProtocolError::Parse(e.to_string()))?
                } else if target.shape_type == ShapeType::List {
                    let inner = target.member.as_deref();
                    let mut parts = split_header_list(text);
                    if inner
                        .is_some_and(|m| model.shape(m.target).shape_type == ShapeType::Timestamp)
                    {
                        parts = rejoin_http_dates(parts);
                    }
                    Document::List(
                        parts
                            .into_iter()
                            .map(|part| match inner {
                                Some(m) => header_scalar(model, m, &part),
                                None => Ok(Document::String(part)),
                            })
                            .collect::<Result<_, _>>()?,
                    )
                } else {
                    header_scalar(model, member, text)?
                };
                out.insert(member.name.clone(), value);
            }
            Location::Headers => {
                // Names keep the case they arrived in; the prefix matches case-insensitively. With
                // no `locationName` the prefix is empty: every header.
                let prefix = member.location_name.as_deref().unwrap_or("");
                let mut map = Map::default();
                for (name, value) in &resp.headers {
                    let matches = name.len() >= prefix.len()
                        && name.is_char_boundary(prefix.len())
                        && name[..prefix.len()].eq_ignore_ascii_case(prefix);
                    if matches {
                        map.insert(name[prefix.len()..].into(), Document::String(value.clone()));
                    }
                }
                out.insert(member.name.clone(), Document::Map(map));
            }
            Location::StatusCode => {
                out.insert(member.name.clone(), Document::Int(resp.status as i64));
            }
            _ => {}
        }
    }
    Ok(())
}

fn header_scalar(
    model: &ServiceModel,
    member: &Member,
    text: &str,
) -> Result<Document, ProtocolError> {
    // The error names the header; the text of that name is only built when there is one.
    let name = member.wire_name();
    scalar_from_text(model, member, text, Some(TimestampFormat::Rfc822), name).map_err(
        |e| match e {
            ProtocolError::Parse(why) => ProtocolError::Parse(format!("header {why}")),
            other => other,
        },
    )
}

/// HTTP dates contain a comma (`Mon, 16 Dec 2019 ...`): glue a bare weekday back to the rest.
fn rejoin_http_dates(parts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut pending: Option<String> = None;
    for p in parts {
        match pending.take() {
            Some(day) => out.push(format!("{day}, {p}")),
            None if p.len() == 3 && p.bytes().all(|b| b.is_ascii_alphabetic()) => pending = Some(p),
            None => out.push(p),
        }
    }
    out.extend(pending);
    out
}

/// Splits a comma-separated header list, honouring double-quoted items.
fn split_header_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' if !quoted => {
                items.push(cur.trim().to_string());
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() || !items.is_empty() {
        items.push(cur.trim().to_string());
    }
    items
}

#[cfg(test)]
mod tests {
    use crate::doc;
    use crate::model::ServiceModel;

    #[test]
    fn labels_cannot_move_the_path() {
        let s3 = ServiceModel::load("s3").unwrap();
        let delete = s3.operation("DeleteObject").unwrap();
        for input in [
            doc! {"Bucket": "", "Key": "victim"},
            doc! {"Bucket": "..", "Key": "victim"},
            doc! {"Bucket": ".", "Key": "victim"},
        ] {
            let err = crate::protocol::serialize(&s3, delete, &input).unwrap_err();
            assert!(err.to_string().contains("URI label"), "{err}");
        }
        // An empty key is refused by validation already (the model's `min`).
        let empty_key = doc! {"Bucket": "b", "Key": ""};
        assert!(crate::protocol::serialize(&s3, delete, &empty_key).is_err());
        let ok = crate::protocol::serialize(&s3, delete, &doc! {"Bucket": "b", "Key": "../k/./x"})
            .unwrap();
        assert_eq!(ok.path, "/b/../k/./x");
    }

    #[test]
    fn labels_are_found_by_their_whole_name_greedy_first() {
        let path = "/{BucketName}/{Bucket}/{Key+}";
        assert_eq!(super::find_label(path, "Bucket"), Some((14, 22, false)));
        assert_eq!(super::find_label(path, "BucketName"), Some((1, 13, false)));
        assert_eq!(super::find_label(path, "Key"), Some((23, 29, true)));
        assert_eq!(
            super::find_label("/{Key}/{Key+}", "Key"),
            Some((7, 13, true))
        );
        assert_eq!(super::find_label(path, "Ke"), None);
        assert_eq!(super::find_label("/{Bucket", "Bucket"), None);
        assert_eq!(super::find_label("", "Bucket"), None);
    }
}
