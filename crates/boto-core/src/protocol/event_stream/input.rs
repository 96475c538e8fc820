//! Input events written along the model: `{EventType: {...}}` becomes an `event` message with
//! `:event-type`, the event's `eventheader` members as typed headers, and its `eventpayload`
//! member (raw bytes, text, or a structure in the service's body format) or, without one, the
//! other members as the event's body. The inverse of [`super::parse_event`].

use super::frame::{HeaderValue, Message};
use crate::document::Document;
use crate::model::{Member, Operation, Protocol, ServiceModel, ShapeId, ShapeType};
use crate::protocol::{json_body, ProtocolError};
use bytes::Bytes;

/// The input member that holds the operation's event stream (Bedrock
/// InvokeModelWithBidirectionalStream's `body`), if it has one.
pub fn input_event_stream_member<'m>(
    model: &'m ServiceModel,
    op: &Operation,
) -> Option<&'m Member> {
    let shape = model.shape(op.input?);
    shape
        .members
        .iter()
        .find(|m| model.shape(m.target).event_stream)
}

/// Writes one input event of the stream whose union shape is `stream_shape` as a message.
///
/// # Errors
///
/// [`ProtocolError::Serialize`] when `event` is not a map with exactly one member of the union,
/// or a member does not fit its shape.
pub fn serialize_event(
    model: &ServiceModel,
    stream_shape: ShapeId,
    event: &Document,
) -> Result<Message, ProtocolError> {
    let stream = model.shape(stream_shape);
    let (kind, value) = match event.as_map() {
        Some(m) if m.len() == 1 => m.iter().next().map(|(k, v)| (k.as_str(), v)),
        _ => None,
    }
    .ok_or_else(|| {
        ProtocolError::Serialize(format!(
            "an input event is a map with one key, the event type (one of {}); got {}",
            event_names(model, stream_shape),
            event.kind()
        ))
    })?;
    let member = stream.member_named(kind).ok_or_else(|| {
        ProtocolError::Serialize(format!(
            "{kind} is not an event of {} (one of {})",
            stream.name,
            event_names(model, stream_shape)
        ))
    })?;
    let shape = model.shape(member.target);
    let fields = match value {
        Document::Map(m) => m,
        Document::Null => &Default::default(),
        other => {
            return Err(ProtocolError::Serialize(format!(
                "event {kind} must be a map, got {}",
                other.kind()
            )))
        }
    };
    let mut headers = vec![
        (
            ":message-type".to_string(),
            HeaderValue::String("event".into()),
        ),
        (":event-type".to_string(), HeaderValue::String(kind.into())),
    ];
    for (name, v) in fields {
        let Some(m) = shape.member_named(name) else {
            return Err(ProtocolError::Serialize(format!(
                "{name} is not a member of event {kind}"
            )));
        };
        if m.event_header && !v.is_null() {
            headers.push((m.name.to_string(), header_value(model, m, v)?));
        }
    }
    let payload_member = shape.members.iter().find(|m| m.event_payload);
    let (content_type, payload) = match payload_member {
        Some(m) => {
            let target = model.shape(m.target);
            match (&fields.get(&m.name), target.shape_type) {
                (None | Some(Document::Null), _) => (None, Bytes::new()),
                (Some(Document::Blob(b)), ShapeType::Blob) => {
                    (Some("application/octet-stream"), b.clone())
                }
                (Some(Document::String(s)), ShapeType::Blob) => {
                    (Some("application/octet-stream"), Bytes::from(s.clone()))
                }
                (Some(Document::String(s)), ShapeType::String) => {
                    (Some("text/plain"), Bytes::from(s.clone()))
                }
                (Some(v), _) => {
                    let body = write_body(model, Some(m), m.target, v)?;
                    (Some(body_content_type(model)?), body)
                }
            }
        }
        None => {
            let mut body = Document::map();
            for (name, v) in fields {
                if shape.member_named(name).is_some_and(|m| !m.event_header) {
                    body.set(name.as_str(), v.clone());
                }
            }
            let bytes = write_body(model, None, member.target, &body)?;
            (Some(body_content_type(model)?), bytes)
        }
    };
    if let Some(ct) = content_type {
        headers.push((":content-type".into(), HeaderValue::String(ct.into())));
    }
    Ok(Message { headers, payload })
}

fn event_names(model: &ServiceModel, stream_shape: ShapeId) -> String {
    let names: Vec<&str> = model
        .shape(stream_shape)
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    names.join(", ")
}

fn header_value(
    model: &ServiceModel,
    member: &Member,
    v: &Document,
) -> Result<HeaderValue, ProtocolError> {
    let wrong = || {
        ProtocolError::Serialize(format!(
            "event header {} cannot hold a {}",
            member.name,
            v.kind()
        ))
    };
    let int = |v: &Document| v.as_i64().ok_or_else(wrong);
    Ok(match model.shape(member.target).shape_type {
        ShapeType::Boolean => HeaderValue::Bool(v.as_bool().ok_or_else(wrong)?),
        ShapeType::Byte => HeaderValue::Byte(i8::try_from(int(v)?).map_err(|_| wrong())?),
        ShapeType::Short => HeaderValue::Short(i16::try_from(int(v)?).map_err(|_| wrong())?),
        ShapeType::Integer => HeaderValue::Int(i32::try_from(int(v)?).map_err(|_| wrong())?),
        ShapeType::Long => HeaderValue::Long(int(v)?),
        ShapeType::Blob => match v {
            Document::Blob(b) => HeaderValue::Bytes(b.clone()),
            Document::String(s) => HeaderValue::Bytes(Bytes::from(s.clone())),
            _ => return Err(wrong()),
        },
        ShapeType::String => HeaderValue::String(v.as_str().ok_or_else(wrong)?.to_string()),
        ShapeType::Timestamp => match v {
            Document::Timestamp(t) => HeaderValue::Timestamp(
                t.secs()
                    .checked_mul(1000)
                    .and_then(|ms| ms.checked_add(i64::from(t.subsec_nanos() / 1_000_000)))
                    .ok_or_else(wrong)?,
            ),
            Document::Int(secs) => {
                HeaderValue::Timestamp(secs.checked_mul(1000).ok_or_else(wrong)?)
            }
            _ => return Err(wrong()),
        },
        _ => return Err(wrong()),
    })
}

fn body_content_type(model: &ServiceModel) -> Result<&'static str, ProtocolError> {
    match model.metadata().protocol {
        Protocol::RestJson | Protocol::Json => Ok("application/json"),
        other => Err(ProtocolError::Unsupported(format!(
            "input event streams in the {other:?} protocol (no AWS service has one; the json protocols do)"
        ))),
    }
}

fn write_body(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<Bytes, ProtocolError> {
    match model.metadata().protocol {
        Protocol::RestJson | Protocol::Json => {
            let json = json_body::to_json(model, member, shape_id, value)?;
            serde_json::to_vec(&json)
                .map(Bytes::from)
                .map_err(|e| ProtocolError::Serialize(e.to_string()))
        }
        other => Err(ProtocolError::Unsupported(format!(
            "input event streams in the {other:?} protocol (no AWS service has one; the json protocols do)"
        ))),
    }
}
