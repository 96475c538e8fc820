//! HTTP bindings shared by the REST protocols: URI labels (`{Bucket}`, greedy `{Key+}`), query
//! string members, headers (including prefix headers and JSON-value headers), the host prefix, and
//! the reverse direction for responses (headers, prefix headers, status code).

use super::{uri, ProtocolError, RawResponse, SerializedRequest};
use crate::document::{Document, Map, Timestamp};
use crate::encoding::{base64_decode, base64_encode};

use crate::model::{Location, Member, Operation, ServiceModel, ShapeType, TimestampFormat};

/// Renders a scalar for a header, label or query value.
pub(super) fn scalar_text(
    model: &ServiceModel,
    member: &Member,
    value: &Document,
    default_ts: TimestampFormat,
) -> Option<String> {
    let shape = model.shape(member.target);
    let fmt = super::coerce::ts_format(model, Some(member), member.target, default_ts);
    super::coerce::scalar_text(shape.shape_type, value, fmt)
}

/// Formats a timestamp in a wire format.
pub(super) fn format_timestamp(t: Timestamp, fmt: TimestampFormat) -> String {
    match fmt {
        TimestampFormat::Iso8601 => t.to_iso8601(),
        TimestampFormat::Rfc822 => t.to_rfc822(),
        TimestampFormat::UnixTimestamp => t.to_epoch_string(),
    }
}

/// Reads a timestamp in the given format (falling back to any known format, as botocore does).
pub(super) fn parse_timestamp(
    text: &str,
    fmt: Option<TimestampFormat>,
) -> Result<Timestamp, ProtocolError> {
    let parsed = match fmt {
        Some(TimestampFormat::Iso8601) => Timestamp::parse_iso8601(text),
        Some(TimestampFormat::Rfc822) => Timestamp::parse_rfc822(text),
        Some(TimestampFormat::UnixTimestamp) => Timestamp::parse_epoch(text),
        None => Timestamp::parse_any(text),
    };
    parsed
        .or_else(|_| Timestamp::parse_any(text))
        .map_err(|e| ProtocolError::Parse(e.to_string()))
}

/// Applies the URI, query string and header members of `input` to `req`, and returns the members
/// left for the body.
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
    let empty = Map::new();
    let values = input.as_map().unwrap_or(&empty);
    let mut path = op.http.path.clone();
    let mut user_query: Vec<(String, Vec<Option<String>>)> = Vec::new();
    let named: std::collections::HashSet<&str> = shape
        .members
        .iter()
        .filter(|m| {
            m.location == Location::Querystring
                && model.shape(m.target).shape_type != ShapeType::Map
                && values.get(&m.name).is_some_and(|v| !v.is_null())
        })
        .map(|m| m.wire_name())
        .collect();
    for member in &shape.members {
        let value = match values.get(&member.name) {
            Some(v) if !v.is_null() => v,
            _ => continue,
        };
        match member.location {
            Location::Uri => {
                let text = scalar_text(model, member, value, TimestampFormat::Iso8601).ok_or_else(
                    || ProtocolError::Serialize(format!("{} must be a scalar", member.name)),
                )?;
                let name = member.wire_name();
                let greedy = format!("{{{name}+}}");
                let plain = format!("{{{name}}}");
                if path.contains(&greedy) {
                    path = path.replace(&greedy, &uri::encode(&text, true));
                } else {
                    path = path.replace(&plain, &uri::encode(&text, false));
                }
            }
            Location::Querystring => {
                // Like botocore's dict of query parameters: a later member (or map entry) with
                // the same name replaces the earlier value in place.
                let target = model.shape(member.target);
                match (target.shape_type, value) {
                    (ShapeType::List, Document::List(items)) => {
                        let inner = target.member.as_deref();
                        let texts = items
                            .iter()
                            .filter_map(|item| {
                                inner.and_then(|m| {
                                    scalar_text(model, m, item, TimestampFormat::Iso8601)
                                })
                            })
                            .map(Some)
                            .collect();
                        set_query(&mut user_query, member.wire_name(), texts);
                    }
                    (ShapeType::Map, Document::Map(entries)) => {
                        let value_member = target.value.as_deref();
                        for (k, v) in entries {
                            let texts = match v {
                                Document::List(items) => {
                                    let inner = value_member
                                        .and_then(|m| model.shape(m.target).member.as_deref());
                                    items
                                        .iter()
                                        .filter_map(|item| {
                                            inner.and_then(|m| {
                                                scalar_text(
                                                    model,
                                                    m,
                                                    item,
                                                    TimestampFormat::Iso8601,
                                                )
                                            })
                                        })
                                        .map(Some)
                                        .collect()
                                }
                                other => value_member
                                    .and_then(|m| {
                                        scalar_text(model, m, other, TimestampFormat::Iso8601)
                                    })
                                    .map(|t| vec![Some(t)])
                                    .unwrap_or_default(),
                            };
                            // A named member wins over a map entry of the same name.
                            if !named.contains(k.as_str()) {
                                set_query(&mut user_query, k, texts);
                            }
                        }
                    }
                    _ => {
                        let text = scalar_text(model, member, value, TimestampFormat::Iso8601)
                            .ok_or_else(|| {
                                ProtocolError::Serialize(format!(
                                    "{} must be a scalar",
                                    member.name
                                ))
                            })?;
                        set_query(&mut user_query, member.wire_name(), vec![Some(text)]);
                    }
                }
            }
            Location::Header => {
                let target = model.shape(member.target);
                let text = if member.json_value {
                    Some(base64_encode(value.to_json().as_bytes()))
                } else if let (ShapeType::List, Document::List(items)) = (target.shape_type, value)
                {
                    let inner = target.member.as_deref();
                    let quote = inner
                        .is_some_and(|m| model.shape(m.target).shape_type == ShapeType::String);
                    let parts: Vec<String> = items
                        .iter()
                        .filter_map(|i| {
                            inner.and_then(|m| scalar_text(model, m, i, TimestampFormat::Rfc822))
                        })
                        .map(|s| {
                            if quote && (s.contains(',') || s.contains('"')) {
                                format!("\"{}\"", s.replace('"', "\\\""))
                            } else {
                                s
                            }
                        })
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(","))
                } else {
                    scalar_text(model, member, value, TimestampFormat::Rfc822)
                };
                if let Some(text) = text {
                    if target.sensitive {
                        req.sensitive_headers.push(member.wire_name().to_string());
                    }
                    req.header(member.wire_name(), text);
                }
            }
            Location::Headers => {
                if let Document::Map(entries) = value {
                    for (k, v) in entries {
                        if let Some(s) = v.as_str() {
                            req.header(format!("{}{}", member.wire_name(), k), s);
                        }
                    }
                }
            }
            Location::Body | Location::StatusCode => {}
        }
    }
    // Labels left unfilled mean a required label was absent; validation reports that first, so here
    // an empty value is the remaining case.
    if let Some(start) = path.find('{') {
        let end = path[start..]
            .find('}')
            .map(|e| start + e + 1)
            .unwrap_or(path.len());
        return Err(ProtocolError::Serialize(format!(
            "no value for the URI label {}",
            &path[start..end]
        )));
    }
    req.path = path;
    // Literal query parameters from the request URI come first, then members (a member never
    // overrides a literal one, as in botocore).
    let mut query = op.http.query.clone();
    let literal = query.len();
    for (k, values) in user_query {
        if !query[..literal].iter().any(|(qk, _)| *qk == k) {
            for v in values {
                query.push((k.clone(), v));
            }
        }
    }
    req.query = query;
    Ok(())
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
                let mut map = Map::new();
                for (name, value) in &resp.headers {
                    let matches = name.len() >= prefix.len()
                        && name.is_char_boundary(prefix.len())
                        && name[..prefix.len()].eq_ignore_ascii_case(prefix);
                    if matches {
                        map.insert(
                            name[prefix.len()..].to_string(),
                            Document::String(value.clone()),
                        );
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
    let what = format!("header {}", member.wire_name());
    scalar_from_text(model, member, text, Some(TimestampFormat::Rfc822), &what)
}

/// Converts the text of a header or an XML element to `member`'s scalar type. `default_ts` is
/// the timestamp format when neither member nor shape names one (`None`: any known format);
/// `what` names the value in errors.
pub(super) fn scalar_from_text(
    model: &ServiceModel,
    member: &Member,
    text: &str,
    default_ts: Option<TimestampFormat>,
    what: &str,
) -> Result<Document, ProtocolError> {
    let shape = model.shape(member.target);
    let bad = |kind: &str| ProtocolError::Parse(format!("{what} is not a valid {kind}: {text:?}"));
    Ok(match shape.shape_type {
        ShapeType::Boolean => Document::Bool(match text.trim() {
            "true" => true,
            "false" => false,
            _ => return Err(bad("boolean")),
        }),
        ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Short
        | ShapeType::Byte
        | ShapeType::BigInteger => Document::Int(text.trim().parse().map_err(|_| bad("integer"))?),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => Document::Float(
            super::json_body::parse_float_text(text.trim()).ok_or_else(|| bad("number"))?,
        ),
        ShapeType::Timestamp => Document::Timestamp(parse_timestamp(
            text.trim(),
            member
                .timestamp_format
                .or(shape.timestamp_format)
                .or(default_ts),
        )?),
        ShapeType::Blob => {
            Document::Blob(base64_decode(text).map_err(|_| bad("base64 blob"))?.into())
        }
        _ => Document::String(text.to_string()),
    })
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
