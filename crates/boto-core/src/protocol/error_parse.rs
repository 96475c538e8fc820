//! Service errors: the code, message, request id and modeled fields, from XML (`<Error>`,
//! `<ErrorResponse>`, EC2's `<Response><Errors>`) or JSON (`__type`, `code`, `X-Amzn-ErrorType`,
//! and the `x-amzn-query-error` header of query-compatible services) bodies.

use super::json_body::from_json;
use super::xml_reader::{parse_document, read_structure, Node};
use super::{ProtocolError, RawResponse, ServiceError};
use crate::document::{Document, Map};
use crate::model::{Location, Protocol, ServiceModel, ShapeId};

/// The reason phrase botocore shows as the message of a bodiless error.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        416 => "Requested Range Not Satisfiable",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The modeled error shape for a wire code (botocore's `shape_for_error_code`).
fn modeled(model: &ServiceModel, code: &str) -> Option<ShapeId> {
    model.error_shape(code)
}

pub(super) fn parse_error(
    model: &ServiceModel,
    resp: &RawResponse,
) -> Result<ServiceError, ProtocolError> {
    let mut err = ServiceError {
        code: String::new(),
        message: None,
        request_id: resp.request_id().map(str::to_string),
        status: resp.status,
        error_type: None,
        shape: None,
        fields: Document::Null,
        operation: None,
    };
    let body_empty = resp.body.iter().all(|b| b.is_ascii_whitespace());
    let mut fields = Map::default();
    let mut error_id: Option<ShapeId> = None;
    match model.metadata().protocol {
        Protocol::RpcV2Cbor => {
            let body = super::cbor::decode_body(&resp.body).unwrap_or(super::cbor::Cbor::Null);
            let raw_code = body.get("__type").and_then(|c| c.as_text()).unwrap_or("");
            let code = raw_code.split(':').next().unwrap_or_default();
            let code = code.rsplit('#').next().unwrap_or_default().to_string();
            err.message = ["message", "Message"]
                .iter()
                .find_map(|k| body.get(k).and_then(|v| v.as_text()))
                .map(str::to_string);
            if let Some(id) = modeled(model, &code) {
                err.shape = Some(model.shape(id).name.clone());
                error_id = Some(id);
                if let Some(m) = super::cbor::read_value(model, id, &body)
                    .ok()
                    .and_then(Document::into_map)
                {
                    fields.extend(m);
                }
            }
            err.code = code;
            query_compatible_code(model, resp, &mut err);
        }
        Protocol::Json | Protocol::RestJson => {
            let value: serde_json::Value = if body_empty {
                serde_json::Value::Object(Default::default())
            } else {
                serde_json::from_slice(&resp.body)
                    .unwrap_or(serde_json::Value::Object(Default::default()))
            };
            let raw_code = resp
                .header("x-amzn-errortype")
                .map(str::to_string)
                .or_else(|| {
                    value
                        .get("__type")
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .or_else(|| {
                    value
                        .get("code")
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_default();
            // `aws.protocoltests#FooError:http://...` -> `FooError`
            let code = raw_code.split(':').next().unwrap_or_default();
            let code = code.rsplit('#').next().unwrap_or_default().to_string();
            err.message = ["message", "Message", "errorMessage"]
                .iter()
                .find_map(|k| value.get(*k).and_then(|v| v.as_str()))
                .map(str::to_string);
            if let Some(id) = modeled(model, &code) {
                err.shape = Some(model.shape(id).name.clone());
                error_id = Some(id);
                if let Some(m) = from_json(model, None, id, &value)?.into_map() {
                    fields.extend(m);
                }
            }
            err.code = code;
            query_compatible_code(model, resp, &mut err);
        }
        Protocol::RestXml | Protocol::Query | Protocol::Ec2 => {
            if !body_empty {
                if let Ok(root) = parse_document(&resp.body) {
                    let error_node = find_error_node(&root);
                    if let Some(node) = error_node {
                        err.code = node.child_text("Code").unwrap_or_default().to_string();
                        err.message = node.child_text("Message").map(str::to_string);
                        err.error_type = node.child_text("Type").map(str::to_string);
                        if let Some(id) = modeled(model, &err.code) {
                            err.shape = Some(model.shape(id).name.clone());
                            error_id = Some(id);
                            fields.extend(read_structure(model, id, node, &|_| false)?);
                        }
                    }
                    let id = root
                        .child_text("RequestId")
                        .or_else(|| root.child_text("RequestID"))
                        .or_else(|| error_node.and_then(|n| n.child_text("RequestId")));
                    if let Some(id) = id {
                        err.request_id = Some(id.to_string());
                    }
                }
            }
        }
    }
    if err.code.is_empty() {
        err.code = resp.status.to_string();
        if err.message.is_none() {
            let phrase = reason_phrase(resp.status);
            err.message = (!phrase.is_empty()).then(|| phrase.to_string());
        }
    }
    let mut error = Map::default();
    error.insert("Code".into(), Document::String(err.code.clone()));
    if let Some(m) = &err.message {
        error.insert("Message".into(), Document::String(m.clone()));
    }
    if let Some(t) = &err.error_type {
        error.insert("Type".into(), Document::String(t.clone()));
    }
    fields.insert("Error".into(), Document::Map(error));
    // REST protocols bind error members to headers and the status code too.
    if matches!(
        model.metadata().protocol,
        Protocol::RestJson | Protocol::RestXml
    ) {
        if let Some(id) = error_id {
            let members = &model.shape(id).members;
            for m in members.iter().filter(|m| m.location != Location::Body) {
                fields.shift_remove(&m.name);
            }
            super::http_binding::read_response_bindings(model, members, resp, &mut fields)?;
        }
    }
    err.fields = Document::Map(fields);
    Ok(err)
}

/// Query-compatible services (`awsQueryCompatible`) send the query protocol's error code and
/// fault type in `x-amzn-query-error: Code;Sender`.
fn query_compatible_code(model: &ServiceModel, resp: &RawResponse, err: &mut ServiceError) {
    if !model.metadata().aws_query_compatible {
        return;
    }
    if let Some(q) = resp.header("x-amzn-query-error") {
        let (qcode, qtype) = q.split_once(';').unwrap_or((q, ""));
        if !qcode.is_empty() {
            err.code = qcode.to_string();
            err.error_type = (!qtype.is_empty()).then(|| qtype.to_string());
        }
    }
}

fn find_error_node<'n, 'a>(root: &'n Node<'a>) -> Option<&'n Node<'a>> {
    match root.name.as_ref() {
        "Error" => Some(root),
        "ErrorResponse" => root.child("Error"),
        "Response" => root.child("Errors").and_then(|e| e.child("Error")),
        _ => root.child("Error"),
    }
}
