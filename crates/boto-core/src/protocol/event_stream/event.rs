//! Decoded [`Message`]s read along the model, as botocore's `EventStream*Parser`s read them: an
//! `event` message becomes `{EventType: {...}}`, an `exception` or `error` message becomes a
//! [`ServiceError`], and an event type the model does not know is skipped (newer service).

use super::frame::{HeaderValue, Message};
use crate::document::{Document, Map, Timestamp};
use crate::model::{Member, Operation, Protocol, ServiceModel, ShapeId, ShapeType};
use crate::protocol::{cbor, json_body, xml_reader, Parsed, ProtocolError, ServiceError};

/// The event type json and CBOR services send first, carrying the other output members.
pub const INITIAL_RESPONSE: &str = "initial-response";

/// The output member that holds the operation's event stream (`SelectObjectContent`'s
/// `Payload`), if it has one.
pub fn event_stream_member<'m>(model: &'m ServiceModel, op: &Operation) -> Option<&'m Member> {
    let shape = model.shape(op.output?);
    shape
        .members
        .iter()
        .find(|m| model.shape(m.target).event_stream)
}

/// True when the protocol opens the stream with an [`INITIAL_RESPONSE`] event (the RPC
/// protocols, whose output members have no headers to travel in).
pub fn has_initial_response(protocol: Protocol) -> bool {
    matches!(protocol, Protocol::Json | Protocol::RpcV2Cbor)
}

/// Reads an [`INITIAL_RESPONSE`] message's payload as the operation's output body; any other
/// message is an error (botocore: "First event was not of type initial-response").
pub fn parse_initial_response(
    model: &ServiceModel,
    op: &Operation,
    message: &Message,
) -> Result<Document, ProtocolError> {
    if message.header_str(":event-type") != Some(INITIAL_RESPONSE) {
        return Err(ProtocolError::Parse(
            "first event was not of type initial-response".into(),
        ));
    }
    let Some(output) = op.output else {
        return Ok(Document::map());
    };
    match parse_body(model, None, output, &message.payload)? {
        Document::Null => Ok(Document::map()),
        d => Ok(d),
    }
}

/// Reads one message of the event stream whose union shape is `stream_shape`.
///
/// `Ok(None)` is a message to skip (an event type the model does not know). An exception or
/// error message is `Parsed::Error`, with status 400 as botocore gives it; the caller adds the
/// request id and operation.
pub fn parse_event(
    model: &ServiceModel,
    stream_shape: ShapeId,
    message: &Message,
) -> Result<Option<Parsed>, ProtocolError> {
    let stream = model.shape(stream_shape);
    match message.header_str(":message-type") {
        Some("exception") => {
            let kind = message.header_str(":exception-type").unwrap_or_default();
            let Some(member) = stream.member_named(kind) else {
                // botocore reads `:error-code` here, which exception messages rarely carry; the
                // exception type names the error better than an empty code.
                let mut e = error_from_headers(message);
                if e.code.is_empty() {
                    e.code = kind.to_string();
                    e.fields.set("Error", {
                        let mut m = Map::default();
                        m.insert("Code".into(), Document::String(kind.to_string()));
                        m.insert("Message".into(), Document::String(String::new()));
                        Document::Map(m)
                    });
                }
                return Ok(Some(Parsed::Error(e)));
            };
            let body = parse_body(model, None, member.target, &message.payload)?
                .into_map()
                .unwrap_or_default();
            let text = body
                .get("Message")
                .or_else(|| body.get("message"))
                .and_then(Document::as_str)
                .map(str::to_string);
            Ok(Some(Parsed::Error(service_error(
                kind.to_string(),
                text,
                Some(model.shape(member.target).name.clone()),
                body,
            ))))
        }
        Some("error") => Ok(Some(Parsed::Error(error_from_headers(message)))),
        // Like botocore, anything that is not an error is read as an event.
        _ => {
            let Some(kind) = message.header_str(":event-type") else {
                return Ok(None);
            };
            let Some(member) = stream.member_named(kind) else {
                return Ok(None);
            };
            let event = parse_event_shape(model, member.target, message)?;
            let mut out = Map::default();
            out.insert(member.name.clone(), Document::Map(event));
            Ok(Some(Parsed::Output(Document::Map(out))))
        }
    }
}

fn error_from_headers(message: &Message) -> ServiceError {
    let code = message.header_str(":error-code").unwrap_or_default();
    let text = message.header_str(":error-message").map(str::to_string);
    service_error(code.to_string(), text, None, Map::default())
}

fn service_error(
    code: String,
    message: Option<String>,
    shape: Option<String>,
    mut fields: Map,
) -> ServiceError {
    let mut error = Map::default();
    error.insert("Code".into(), Document::String(code.clone()));
    error.insert(
        "Message".into(),
        Document::String(message.clone().unwrap_or_default()),
    );
    fields.insert("Error".into(), Document::Map(error));
    ServiceError {
        code,
        message,
        request_id: None,
        status: 400,
        error_type: None,
        shape,
        fields: Document::Map(fields),
        operation: None,
    }
}

/// The event structure: `eventheader` members from the headers, then the `eventpayload` member
/// from the payload, or, without one, the payload read as the event shape's body.
fn parse_event_shape(
    model: &ServiceModel,
    shape_id: ShapeId,
    message: &Message,
) -> Result<Map, ProtocolError> {
    let shape = model.shape(shape_id);
    let mut out = Map::default();
    for member in shape.members.iter().filter(|m| m.event_header) {
        if let Some(value) = message.header(&member.name) {
            out.insert(member.name.clone(), header_document(model, member, value));
        }
    }
    if let Some(member) = shape.members.iter().find(|m| m.event_payload) {
        let target = model.shape(member.target);
        let value = match target.shape_type {
            ShapeType::Blob => Document::Blob(message.payload.clone()),
            ShapeType::String => {
                Document::String(String::from_utf8_lossy(&message.payload).into_owned())
            }
            _ => parse_body(model, Some(member), member.target, &message.payload)?,
        };
        if !value.is_null() {
            out.insert(member.name.clone(), value);
        }
        return Ok(out);
    }
    if let Some(body) = parse_body(model, None, shape_id, &message.payload)?.into_map() {
        for (k, v) in body {
            if shape.member_named(&k).is_some_and(|m| !m.event_header) {
                out.insert(k, v);
            }
        }
    }
    Ok(out)
}

/// A header value as the member's type wants it; event stream timestamps are milliseconds.
fn header_document(model: &ServiceModel, member: &Member, value: &HeaderValue) -> Document {
    let timestamp = model.shape(member.target).shape_type == ShapeType::Timestamp;
    match value {
        HeaderValue::Bool(b) => Document::Bool(*b),
        HeaderValue::Byte(v) => int_or_time(*v as i64, timestamp),
        HeaderValue::Short(v) => int_or_time(*v as i64, timestamp),
        HeaderValue::Int(v) => int_or_time(*v as i64, timestamp),
        HeaderValue::Long(v) => int_or_time(*v, timestamp),
        HeaderValue::Timestamp(ms) => millis(*ms),
        HeaderValue::Bytes(b) => Document::Blob(b.clone()),
        HeaderValue::String(s) => Document::String(s.clone()),
        HeaderValue::Uuid(u) => Document::Blob(bytes::Bytes::copy_from_slice(u)),
    }
}

fn int_or_time(v: i64, timestamp: bool) -> Document {
    if timestamp {
        millis(v)
    } else {
        Document::Int(v)
    }
}

fn millis(ms: i64) -> Document {
    Document::Timestamp(Timestamp::from_secs_nanos(
        ms.div_euclid(1000),
        (ms.rem_euclid(1000) * 1_000_000) as u32,
    ))
}

/// Reads a payload as `shape_id` in the service's body format; an empty payload is an empty
/// structure, as in botocore's `_initial_body_parse`.
fn parse_body(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    payload: &[u8],
) -> Result<Document, ProtocolError> {
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(Document::map());
    }
    match model.metadata().protocol {
        Protocol::RestXml | Protocol::Query | Protocol::Ec2 => {
            let root = xml_reader::parse_document(payload)?;
            match member {
                Some(m) => xml_reader::read_value(model, m, &root),
                None => Ok(Document::Map(xml_reader::read_structure(
                    model,
                    shape_id,
                    &root,
                    &|m| m.event_header,
                )?)),
            }
        }
        Protocol::RestJson | Protocol::Json => {
            let v: serde_json::Value = serde_json::from_slice(payload)
                .map_err(|e| ProtocolError::Parse(format!("JSON event payload: {e}")))?;
            json_body::from_json(model, member, shape_id, &v)
        }
        Protocol::RpcV2Cbor => {
            let item = cbor::decode_body(payload)?;
            cbor::read_value(model, shape_id, &item)
        }
    }
}
