//! Protocols as pure functions over the model: [`serialize`] turns an operation's input
//! [`Document`] into a plain [`SerializedRequest`] (no HTTP library types, no I/O), and [`parse`]
//! turns a [`RawResponse`] into the output document or a [`ServiceError`].
//!
//! Dispatch is a `match` on [`Protocol`]. REST protocols share `http_binding` (labels, query string,
//! headers, status code); bodies are written by `xml_writer` / `json_body` / `query` and read by
//! `xml_reader` / `json_body`. Input is checked by `validate` before any of that runs.

mod error_parse;
mod http_binding;
mod json_body;
mod query;
mod rest;
pub(crate) mod uri;
mod validate;
mod xml_reader;
mod xml_writer;

pub use validate::{validate, ValidationError, ValidationProblem};

use crate::document::Document;
use crate::model::{Operation, Protocol, ServiceModel};
use bytes::Bytes;
use std::fmt;

/// The body of a serialized request.
#[derive(Clone, Default)]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// The whole body in memory.
    Bytes(Bytes),
    /// The operation has a streaming payload that the caller supplies (file or stream); the input
    /// document did not carry it as bytes.
    StreamingPayload,
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestBody::Empty => f.write_str("Empty"),
            RequestBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            RequestBody::StreamingPayload => f.write_str("StreamingPayload"),
        }
    }
}

/// A request as the protocol lays it out, before endpoint resolution and signing.
#[derive(Debug, Clone, Default)]
pub struct SerializedRequest {
    /// HTTP method.
    pub method: String,
    /// Path relative to the endpoint, percent-encoded, starting with `/`.
    pub path: String,
    /// Query parameters, unencoded, in order.
    pub query: Vec<(String, Option<String>)>,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: RequestBody,
    /// The expanded `hostPrefix` (`123456789012.`), to prepend to the endpoint host.
    pub host_prefix: Option<String>,
}

impl SerializedRequest {
    /// Appends a header.
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// The first header with this name (ASCII case-insensitive).
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The percent-encoded query string (`a=1&b`), ready for the URL and for signing.
    pub fn query_string(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.query {
            if !out.is_empty() {
                out.push('&');
            }
            uri::encode_into(&mut out, k, false);
            if let Some(v) = v {
                out.push('=');
                uri::encode_into(&mut out, v, false);
            }
        }
        out
    }
}

/// An HTTP response as the transport hands it over.
#[derive(Debug, Clone, Default)]
pub struct RawResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names as received.
    pub headers: Vec<(String, String)>,
    /// The body (empty when a streaming payload is handed to the caller instead).
    pub body: Bytes,
}

impl RawResponse {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request id the service assigned, from the headers AWS services use for it.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-amzn-requestid")
            .or_else(|| self.header("x-amz-request-id"))
            .or_else(|| self.header("x-amzn-request-id"))
    }
}

/// A modeled or unmodeled error the service answered with.
#[derive(Clone, PartialEq)]
pub struct ServiceError {
    /// The error code (`NoSuchBucket`, `AWS.SimpleQueueService.NonExistentQueue` mapped to
    /// `QueueDoesNotExist` for query-compatible services, ...).
    pub code: String,
    /// The human message, when the service sent one.
    pub message: Option<String>,
    /// The request id.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// `Sender` / `Receiver`, where the protocol says.
    pub error_type: Option<String>,
    /// The modeled error shape the code maps to (`QueueDoesNotExist`), when the model has one.
    pub shape: Option<String>,
    /// Members of the modeled error shape, plus `Error: {Code, Message}` as botocore shows them.
    pub fields: Document,
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("status", &self.status)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id: {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Why a request could not be built or a response not understood.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The input does not fit the operation's input shape.
    Validation(ValidationError),
    /// The input is valid for the shape but cannot be put on the wire (a label value is empty, ...).
    Serialize(String),
    /// The response body or headers do not match the output shape.
    Parse(String),
    /// The service's protocol is not implemented by this build yet.
    Unsupported(String),
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Validation(e) => write!(f, "{e}"),
            ProtocolError::Serialize(m) => write!(f, "cannot serialize the request: {m}"),
            ProtocolError::Parse(m) => write!(f, "cannot parse the response: {m}"),
            ProtocolError::Unsupported(m) => write!(f, "unsupported: {m}"),
        }
    }
}

impl std::error::Error for ProtocolError {}

/// What parsing a response yields: the output, or the error the service reported.
#[derive(Debug)]
pub enum Parsed {
    /// The operation's output.
    Output(Document),
    /// The service's error.
    Error(ServiceError),
}

/// Builds the request for `op` from `input` (validated first).
pub fn serialize(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    validate(model, op, input).map_err(ProtocolError::Validation)?;
    let mut req = match model.metadata().protocol {
        Protocol::RestXml | Protocol::RestJson => rest::serialize(model, op, input)?,
        Protocol::Json => json_body::serialize_rpc(model, op, input)?,
        Protocol::Query | Protocol::Ec2 => query::serialize(model, op, input)?,
        Protocol::RpcV2Cbor => {
            return Err(ProtocolError::Unsupported(
                "the smithy-rpc-v2-cbor protocol arrives with the protocol engine work".into(),
            ))
        }
    };
    req.host_prefix = http_binding::host_prefix(model, op, input)?;
    Ok(req)
}

/// True when the status code means success for this operation.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Parses a response. `streaming_body_taken` says the transport kept the streaming payload aside,
/// so the body is not read for the payload member.
pub fn parse(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Parsed, ProtocolError> {
    if !is_success(resp.status) || error_parse::is_error_in_200(model, op, resp) {
        return error_parse::parse_error(model, resp).map(Parsed::Error);
    }
    let doc = match model.metadata().protocol {
        Protocol::RestXml | Protocol::RestJson => rest::parse(model, op, resp)?,
        Protocol::Json => json_body::parse_rpc(model, op, resp)?,
        Protocol::Query | Protocol::Ec2 => query::parse(model, op, resp)?,
        Protocol::RpcV2Cbor => {
            return Err(ProtocolError::Unsupported(
                "the smithy-rpc-v2-cbor protocol arrives with the protocol engine work".into(),
            ))
        }
    };
    Ok(Parsed::Output(doc))
}
