//! rest-xml and rest-json: HTTP bindings plus an XML or JSON body (or a raw payload member).

use super::http_binding::{apply_request_bindings, read_response_bindings};
use super::json_body::{from_json, to_json};
use super::xml_stream;
use super::xml_writer::{write_element, write_root};
use super::{ProtocolError, RawResponse, RequestBody, SerializedRequest};
use crate::document::{Document, Map};
use crate::model::{Location, Operation, Protocol, ServiceModel, ShapeType};

fn is_xml(model: &ServiceModel) -> bool {
    model.metadata().protocol == Protocol::RestXml
}

pub(super) fn serialize(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    let mut req = SerializedRequest {
        method: super::method_of(op),
        headers: super::request_headers(),
        ..Default::default()
    };
    let Some(shape_id) = op.input else {
        req.path = op.http.path.clone();
        req.query = op.http.query.clone();
        return Ok(req);
    };
    apply_request_bindings(model, op, input, &mut req)?;
    let shape = model.shape(shape_id);
    let xml = is_xml(model);
    let mut streaming_payload = false;
    if let Some(payload_name) = &shape.payload {
        let member = shape.member_named(payload_name).ok_or_else(|| {
            ProtocolError::Serialize(format!(
                "payload member {payload_name} is not in {}",
                shape.name
            ))
        })?;
        let target = model.shape(member.target);
        let value = &input[payload_name.as_str()];
        match target.shape_type {
            // A blob or string payload is the body itself.
            ShapeType::Blob | ShapeType::String => {
                streaming_payload = true;
                req.body = match value {
                    Document::Null if member.streaming || target.streaming => {
                        RequestBody::StreamingPayload
                    }
                    Document::Null => RequestBody::Empty,
                    // The caller's bytes are shared, not copied (a large in-memory body too).
                    Document::Blob(b) => RequestBody::Bytes(b.clone()),
                    v => RequestBody::Bytes(bytes::Bytes::copy_from_slice(
                        super::scalar::blob(v).ok_or_else(|| {
                            ProtocolError::Serialize(format!(
                                "{payload_name} must be bytes or text, got a {}",
                                v.kind()
                            ))
                        })?,
                    )),
                };
            }
            // An input event stream is the body, written message by message as it is sent.
            _ if target.event_stream => {
                if !value.is_null() {
                    return Err(ProtocolError::Serialize(format!(
                        "{payload_name} is an input event stream: pass its events as a stream \
                         (invoke_with_events), not as a member of the input"
                    )));
                }
                streaming_payload = true;
                req.body = RequestBody::StreamingPayload;
                req.header("Content-Type", "application/vnd.amazon.eventstream");
            }
            _ if value.is_null() => {
                // An unset structure payload is `{}` in JSON; an unset union sends no body.
                if !xml && !target.union {
                    req.body = RequestBody::Bytes(bytes::Bytes::from_static(b"{}"));
                }
            }
            _ if xml => {
                let root = member.location_name.as_deref().unwrap_or(&target.name);
                let mut out = String::new();
                write_element(model, &mut out, root, Some(member), member.target, value)?;
                req.body = RequestBody::Bytes(out.into_bytes().into());
            }
            _ => {
                let json = to_json(model, Some(member), member.target, value)?;
                req.body = RequestBody::Bytes(json_bytes(&json)?);
            }
        }
    } else {
        let any_body_value = shape
            .members
            .iter()
            .any(|m| m.location == Location::Body && !input[m.name.as_str()].is_null());
        let has_body_members = shape.members.iter().any(|m| m.location == Location::Body);
        if xml && any_body_value {
            let mut out = String::new();
            let root = op
                .input_location_name
                .as_deref()
                .or(shape.location_name.as_deref())
                .unwrap_or(&shape.name);
            write_root(
                model,
                &mut out,
                root,
                op.input_xml_namespace.as_ref(),
                shape_id,
                input,
            )?;
            req.body = RequestBody::Bytes(out.into_bytes().into());
        } else if !xml && has_body_members {
            let json = to_json(model, None, shape_id, input)?;
            req.body = RequestBody::Bytes(json_bytes(&json)?);
        }
    }
    if !xml
        && !streaming_payload
        && matches!(&req.body, RequestBody::Bytes(b) if !b.is_empty())
        && req.get_header("Content-Type").is_none()
    {
        req.header("Content-Type", "application/json");
    }
    Ok(req)
}

fn json_bytes(v: &serde_json::Value) -> Result<bytes::Bytes, ProtocolError> {
    serde_json::to_vec(v)
        .map(Into::into)
        .map_err(|e| ProtocolError::Serialize(e.to_string()))
}

pub(super) fn parse(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Document, ProtocolError> {
    let Some(shape_id) = op.output else {
        return Ok(Document::map());
    };
    let shape = model.shape(shape_id);
    // Room for the header-bound members present, the payload and `ResponseMetadata`.
    let room = resp.headers.len().min(shape.members.len()) + 2;
    let mut out = Map::with_capacity_and_hasher(room, Default::default());
    read_response_bindings(model, &shape.members, resp, &mut out)?;
    let xml = is_xml(model);
    let body_empty = resp.body.iter().all(|b| b.is_ascii_whitespace());
    if let Some(payload_name) = &shape.payload {
        if let Some(member) = shape.member_named(payload_name) {
            let target = model.shape(member.target);
            match target.shape_type {
                // An empty body is an absent (non-streaming) blob payload.
                ShapeType::Blob
                    if resp.body.is_empty() && !(member.streaming || target.streaming) => {}
                ShapeType::Blob => {
                    out.insert(member.name.clone(), Document::Blob(resp.body.clone()));
                }
                ShapeType::String => {
                    out.insert(
                        member.name.clone(),
                        Document::String(String::from_utf8_lossy(&resp.body).into_owned()),
                    );
                }
                _ if body_empty => {}
                _ if xml => {
                    let value = xml_stream::read_body_value(model, member, &resp.body)?;
                    out.insert(member.name.clone(), value);
                }
                _ => {
                    let v: serde_json::Value = serde_json::from_slice(&resp.body)
                        .map_err(|e| ProtocolError::Parse(format!("JSON body: {e}")))?;
                    out.insert(
                        member.name.clone(),
                        from_json(model, Some(member), member.target, &v)?,
                    );
                }
            }
        }
    } else if !body_empty {
        // Like botocore, every member not bound to a header or the status code is read from the
        // body (a query-string member of a shared input/output shape included).
        let bound = |m: &crate::model::Member| {
            matches!(
                m.location,
                Location::Header | Location::Headers | Location::StatusCode
            )
        };
        let body_members = bound;
        if xml {
            out.extend(xml_stream::read_body_structure(
                model,
                shape_id,
                &resp.body,
                None,
                &body_members,
            )?);
        } else {
            let v: serde_json::Value = serde_json::from_slice(&resp.body)
                .map_err(|e| ProtocolError::Parse(format!("JSON body: {e}")))?;
            if let Some(m) = from_json(model, None, shape_id, &v)?.into_map() {
                for (k, val) in m {
                    if shape.member_named(&k).is_some_and(|mm| !bound(mm)) {
                        out.insert(k, val);
                    }
                }
            }
        }
    }
    Ok(Document::Map(out))
}
