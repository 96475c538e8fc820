//! JSON bodies, shape-directed both ways (json and rest-json protocols), and the JSON RPC protocol
//! (`X-Amz-Target`).

use super::scalar::{float_text, format_timestamp, parse_float_text, parse_timestamp};
use super::{ProtocolError, RawResponse, RequestBody, SerializedRequest};
use crate::document::{Document, Map, Timestamp};
use crate::encoding::{base64_decode, base64_encode};
use crate::model::{Member, Operation, ServiceModel, ShapeId, ShapeType, TimestampFormat};
use serde_json::Value;

fn timestamp_value(t: Timestamp, fmt: TimestampFormat) -> Value {
    match fmt {
        TimestampFormat::UnixTimestamp => {
            if t.subsec_nanos() == 0 {
                Value::from(t.secs())
            } else {
                serde_json::Number::from_f64((t.as_epoch_f64() * 1000.0).round() / 1000.0)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
        }
        other => Value::String(format_timestamp(t, other)),
    }
}

/// Converts `value` to JSON along `shape_id` (reached through `member`).
pub(super) fn to_json(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    value: &Document,
) -> Result<Value, ProtocolError> {
    let shape = model.shape(shape_id);
    if shape.document {
        return serde_json::to_value(value).map_err(|e| ProtocolError::Serialize(e.to_string()));
    }
    Ok(match (shape.shape_type, value) {
        (ShapeType::Structure, Document::Map(values)) => {
            let mut obj = serde_json::Map::new();
            for (key, v) in values {
                let Some(m) = shape.member_named(key) else {
                    continue;
                };
                if v.is_null() || m.location != crate::model::Location::Body {
                    continue;
                }
                obj.insert(
                    m.wire_name().to_string(),
                    to_json(model, Some(m), m.target, v)?,
                );
            }
            Value::Object(obj)
        }
        (ShapeType::Map, Document::Map(entries)) => {
            let Some(val) = shape.value.as_deref() else {
                return Ok(Value::Object(Default::default()));
            };
            let mut obj = serde_json::Map::new();
            for (k, v) in entries {
                let j = if v.is_null() {
                    Value::Null
                } else {
                    to_json(model, Some(val), val.target, v)?
                };
                obj.insert(k.to_string(), j);
            }
            Value::Object(obj)
        }
        (ShapeType::List, Document::List(items)) => {
            let Some(item) = shape.member.as_deref() else {
                return Ok(Value::Array(Vec::new()));
            };
            Value::Array(
                items
                    .iter()
                    .map(|v| {
                        if v.is_null() {
                            Ok(Value::Null)
                        } else {
                            to_json(model, Some(item), item.target, v)
                        }
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        (ShapeType::Timestamp, v) => {
            let t = super::scalar::timestamp(v).ok_or_else(|| {
                ProtocolError::Serialize(format!(
                    "{} expects a timestamp, got a {}",
                    shape.name,
                    v.kind()
                ))
            })?;
            timestamp_value(
                t,
                super::scalar::ts_format(model, member, shape_id, TimestampFormat::UnixTimestamp),
            )
        }
        (ShapeType::Blob, v) if !matches!(v, Document::Map(_) | Document::List(_)) => {
            let b = super::scalar::blob(v).ok_or_else(|| {
                ProtocolError::Serialize(format!(
                    "{} expects a blob, got a {}",
                    shape.name,
                    v.kind()
                ))
            })?;
            Value::String(base64_encode(b))
        }
        (_, Document::String(s)) => Value::String(s.clone()),
        (_, Document::Bool(b)) => Value::Bool(*b),
        (_, Document::Int(i)) => Value::from(*i),
        (_, Document::Float(f)) => match serde_json::Number::from_f64(*f) {
            Some(n) => Value::Number(n),
            None => Value::String(float_text(*f)),
        },
        (_, Document::Blob(b)) => Value::String(base64_encode(b)),
        (_, Document::Timestamp(t)) => timestamp_value(
            *t,
            member
                .and_then(|m| m.timestamp_format)
                .or(shape.timestamp_format)
                .unwrap_or(TimestampFormat::UnixTimestamp),
        ),
        (_, Document::Null) => Value::Null,
        (t, v) => {
            return Err(ProtocolError::Serialize(format!(
                "{} expects a {}, got a {}",
                shape.name,
                t.name(),
                v.kind()
            )))
        }
    })
}

/// Converts JSON to a document along `shape_id`.
pub(crate) fn from_json(
    model: &ServiceModel,
    member: Option<&Member>,
    shape_id: ShapeId,
    value: &Value,
) -> Result<Document, ProtocolError> {
    let shape = model.shape(shape_id);
    if value.is_null() {
        return Ok(Document::Null);
    }
    if shape.document {
        return serde_json::from_value(value.clone())
            .map_err(|e| ProtocolError::Parse(e.to_string()));
    }
    let bad = || {
        ProtocolError::Parse(format!(
            "{} is not a valid {}: {value}",
            shape.name,
            shape.shape_type.name()
        ))
    };
    Ok(match shape.shape_type {
        ShapeType::Structure => {
            let Value::Object(obj) = value else {
                return Err(bad());
            };
            let mut out = Map::default();
            for m in &shape.members {
                if let Some(v) = obj.get(m.wire_name()) {
                    let d = from_json(model, Some(m), m.target, v)?;
                    if !d.is_null() {
                        out.insert(m.name.clone(), d);
                    }
                }
            }
            if shape.union && out.is_empty() {
                if let Some(k) = obj.keys().find(|k| *k != "__type") {
                    return Ok(super::unknown_union(k));
                }
            }
            Document::Map(out)
        }
        ShapeType::Map => {
            let Value::Object(obj) = value else {
                return Err(bad());
            };
            let Some(val) = shape.value.as_deref() else {
                return Ok(Document::map());
            };
            // Dense maps: null values are dropped.
            let mut out = Map::default();
            for (k, v) in obj.iter().filter(|(_, v)| !v.is_null()) {
                out.insert(
                    k.as_str().into(),
                    from_json(model, Some(val), val.target, v)?,
                );
            }
            Document::Map(out)
        }
        ShapeType::List => {
            let Value::Array(items) = value else {
                return Err(bad());
            };
            let Some(item) = shape.member.as_deref() else {
                return Ok(Document::List(Vec::new()));
            };
            Document::List(
                items
                    .iter()
                    .map(|v| from_json(model, Some(item), item.target, v))
                    .collect::<Result<_, _>>()?,
            )
        }
        ShapeType::Boolean => Document::Bool(value.as_bool().ok_or_else(bad)?),
        ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Short
        | ShapeType::Byte
        | ShapeType::BigInteger => match value.as_i64() {
            Some(i) => Document::Int(i),
            None => Document::Float(value.as_f64().ok_or_else(bad)?),
        },
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => match value {
            Value::String(s) => Document::Float(parse_float_text(s).ok_or_else(bad)?),
            _ => Document::Float(value.as_f64().ok_or_else(bad)?),
        },
        ShapeType::Timestamp => match value {
            Value::Number(n) => Document::Timestamp(
                n.as_f64()
                    .and_then(Timestamp::from_epoch_f64)
                    .ok_or_else(bad)?,
            ),
            Value::String(s) => Document::Timestamp(parse_timestamp(
                s,
                member
                    .and_then(|m| m.timestamp_format)
                    .or(shape.timestamp_format),
            )?),
            _ => return Err(bad()),
        },
        ShapeType::Blob => Document::Blob(
            base64_decode(value.as_str().ok_or_else(bad)?)
                .map_err(|_| bad())?
                .into(),
        ),
        ShapeType::String | ShapeType::Unknown => match value {
            Value::String(s) => Document::String(s.clone()),
            // botocore hands a non-string value of a string member through as it is.
            other => serde_json::from_value(other.clone())
                .map_err(|e| ProtocolError::Parse(e.to_string()))?,
        },
    })
}

/// Serializes a JSON RPC request: POST `/`, `X-Amz-Target`, the input as a JSON object.
pub(super) fn serialize_rpc(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    let meta = model.metadata();
    let mut req = SerializedRequest {
        method: super::method_of(op),
        path: op.http.path.clone(),
        headers: super::request_headers(),
        ..Default::default()
    };
    if let Some(prefix) = &meta.target_prefix {
        req.header("X-Amz-Target", format!("{prefix}.{}", op.name));
    }
    req.header(
        "Content-Type",
        format!(
            "application/x-amz-json-{}",
            meta.json_version.as_deref().unwrap_or("1.0")
        ),
    );
    if meta.aws_query_compatible {
        req.header("x-amzn-query-mode", "true");
    }
    let body = match op.input {
        Some(id) => to_json(model, None, id, input)?,
        None => Value::Object(Default::default()),
    };
    let body = if body.is_null() {
        Value::Object(Default::default())
    } else {
        body
    };
    req.body = RequestBody::Bytes(
        serde_json::to_vec(&body)
            .map_err(|e| ProtocolError::Serialize(e.to_string()))?
            .into(),
    );
    Ok(req)
}

/// Parses a JSON RPC response body into the output shape.
pub(super) fn parse_rpc(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Document, ProtocolError> {
    let Some(id) = super::output_to_parse(op, resp) else {
        return Ok(Document::map());
    };
    let value: Value = serde_json::from_slice(&resp.body)
        .map_err(|e| ProtocolError::Parse(format!("JSON body: {e}")))?;
    match from_json(model, None, id, &value)? {
        Document::Null => Ok(Document::map()),
        d => Ok(d),
    }
}

/// The input with absent idempotency-token members of the top-level shape filled by `generate`;
/// `None` when nothing needed filling (the common case: no copy).
pub(super) fn fill_idempotency(
    model: &ServiceModel,
    shape_id: ShapeId,
    input: &Document,
    generate: fn() -> String,
) -> Option<Document> {
    let shape = model.shape(shape_id);
    let mut out: Option<Document> = None;
    for m in shape.members.iter().filter(|m| m.idempotency_token) {
        if input[m.name.as_str()].is_null() {
            let doc = out.get_or_insert_with(|| match input {
                Document::Null => Document::map(),
                other => other.clone(),
            });
            let _ = doc.insert(m.name.clone(), generate());
        }
    }
    out
}

/// A random (version 4) UUID from the OS's randomness.
pub(crate) fn uuid_v4() -> String {
    let mut b = [0u8; 16];
    let rng = ring::rand::SystemRandom::new();
    if ring::rand::SecureRandom::fill(&rng, &mut b).is_err() {
        // Fall back to time-derived bytes; tokens only need to be unique per request.
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = n.to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::encoding::hex_encode(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
