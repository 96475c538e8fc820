//! Protocols as pure functions over the model: [`serialize`] turns an operation's input
//! [`Document`] into a plain [`SerializedRequest`] (no HTTP library types, no I/O), and [`parse`]
//! turns a [`RawResponse`] into the output document or a [`ServiceError`].
//!
//! Dispatch is a `match` on [`Protocol`]. REST protocols share `http_binding` (labels, query string,
//! headers, status code); bodies are written by `xml_writer` / `json_body` / `query` / [`cbor`] and
//! read by `xml_reader` / `json_body` / [`cbor`]. Input is checked by `validate` before any of that
//! runs (unless [`SerializeOptions::validate`] turns it off, as botocore's protocol tests do), and
//! absent idempotency tokens are filled by the options' generator. Loose input forms botocore
//! accepts (epoch numbers or date strings for timestamps, text for blobs) are coerced by the
//! target shape in `scalar`, which also writes and reads every scalar on the wire.

pub mod cbor;
mod error_parse;
pub mod event_stream;
mod http_binding;
mod json_body;
mod query;
mod rest;
mod scalar;
pub(crate) mod uri;
mod validate;
pub(crate) mod xml_reader;
mod xml_stream;
mod xml_writer;

pub use validate::{validate, ValidationError, ValidationProblem};

use crate::document::{Document, Name};
use crate::http::Headers;
use crate::model::{Operation, Protocol, ServiceModel};
use bytes::Bytes;
use std::borrow::Cow;
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
    /// HTTP method (the usual ones borrowed, so a request's copies cost nothing).
    pub method: Cow<'static, str>,
    /// Path relative to the endpoint, percent-encoded, starting with `/`.
    pub path: String,
    /// Query parameters, unencoded, in order.
    pub query: Vec<(String, Option<String>)>,
    /// Headers, in order; a name is mostly a `&'static str` (the model's and the engine's).
    /// Those whose values are secrets (members the model marks `sensitive`, such as SSO's
    /// bearer token) are marked: `Debug` output of the sent request hides them.
    pub headers: Headers,
    /// The body.
    pub body: RequestBody,
    /// The expanded `hostPrefix` (`123456789012.`), to prepend to the endpoint host.
    pub host_prefix: Option<String>,
}

impl SerializedRequest {
    /// Appends a header.
    pub fn header(&mut self, name: impl Into<Cow<'static, str>>, value: impl AsRef<str>) {
        self.headers.push(name, value.as_ref());
    }

    /// The first header with this name (ASCII case-insensitive).
    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
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

/// The operation's HTTP method; the standard ones as static text.
fn method_of(op: &Operation) -> Cow<'static, str> {
    const KNOWN: [&str; 7] = ["GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"];
    match KNOWN.iter().find(|m| **m == op.http.method) {
        Some(m) => Cow::Borrowed(m),
        None => Cow::Owned(op.http.method.clone()),
    }
}

/// An empty header list with room for what a request usually carries (a content type, a few
/// bound members, a checksum), so serializing it allocates each list once.
fn request_headers() -> Headers {
    Headers::with_capacity(8, 160)
}

/// An HTTP response as the transport hands it over.
#[derive(Debug, Clone, Default)]
pub struct RawResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names as received.
    pub headers: Vec<(Name, String)>,
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
    /// The operation that failed (`HeadObject`), filled in by the call pipeline.
    pub operation: Option<String>,
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .field("status", &self.status)
            .field("operation", &self.operation)
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(op) = &self.operation {
            write!(f, " when calling {op}")?;
        }
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
    /// An event stream body is not valid framing (torn, corrupt, or out of range).
    EventStream(event_stream::FrameError),
    /// The response failed a check of its integrity (a body checksum the service sent does not
    /// match): it was damaged on the way, and asking again may succeed.
    Integrity(String),
    /// A digest the service sent of what it received (or holds) differs from the one computed
    /// here of what was sent (or received): SQS's message MD5s. The call took effect, so it is
    /// not retried.
    DigestMismatch(Box<DigestMismatch>),
}

/// What [`ProtocolError::DigestMismatch`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DigestMismatch {
    /// The member holding the service's digest (`MD5OfMessageBody`).
    pub digest: String,
    /// What it is the digest of (`message 5fea7756-...`).
    pub item: String,
    /// The digest computed here.
    pub computed: String,
    /// The digest the service sent.
    pub answered: String,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::Validation(e) => write!(f, "{e}"),
            ProtocolError::Serialize(m) => write!(f, "cannot serialize the request: {m}"),
            ProtocolError::Parse(m) => write!(f, "cannot parse the response: {m}"),
            ProtocolError::Unsupported(m) => write!(f, "unsupported: {m}"),
            ProtocolError::EventStream(e) => write!(f, "cannot read the event stream: {e}"),
            ProtocolError::Integrity(m) => write!(f, "the response is damaged: {m}"),
            ProtocolError::DigestMismatch(m) => write!(
                f,
                "the service's {} of {} is {}, but the content hashes to {}",
                m.digest, m.item, m.answered, m.computed
            ),
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

/// How [`serialize_with`] builds a request.
///
/// ```
/// use boto_core::protocol::SerializeOptions;
/// let fixed = SerializeOptions::new()
///     .validate(false)
///     .idempotency_token(|| "00000000-0000-4000-8000-000000000000".to_string());
/// assert!(!fixed.validates());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SerializeOptions {
    validate: bool,
    idempotency_token: fn() -> String,
}

impl Default for SerializeOptions {
    fn default() -> Self {
        SerializeOptions {
            validate: true,
            idempotency_token: json_body::uuid_v4,
        }
    }
}

impl SerializeOptions {
    /// Validation on, random (v4 UUID) idempotency tokens: what [`serialize`] uses.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether to validate the input against the input shape first (default `true`). Without
    /// validation the serializer still never panics: values it cannot write are errors.
    pub fn validate(mut self, on: bool) -> Self {
        self.validate = on;
        self
    }

    /// The generator for absent `idempotencyToken` members (default: a random v4 UUID).
    pub fn idempotency_token(mut self, generate: fn() -> String) -> Self {
        self.idempotency_token = generate;
        self
    }

    /// True when the input is validated first.
    pub fn validates(&self) -> bool {
        self.validate
    }
}

/// Builds the request for `op` from `input` (validated first).
pub fn serialize(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    serialize_with(model, op, input, &SerializeOptions::default())
}

/// Builds the request for `op` from `input` with explicit [`SerializeOptions`].
pub fn serialize_with(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
    options: &SerializeOptions,
) -> Result<SerializedRequest, ProtocolError> {
    if options.validate {
        validate(model, op, input).map_err(ProtocolError::Validation)?;
    }
    let filled = match op.input {
        Some(id) => json_body::fill_idempotency(model, id, input, options.idempotency_token),
        None => None,
    };
    let input = filled.as_ref().unwrap_or(input);
    let mut req = match model.metadata().protocol {
        Protocol::RestXml | Protocol::RestJson => rest::serialize(model, op, input)?,
        Protocol::Json => json_body::serialize_rpc(model, op, input)?,
        Protocol::Query | Protocol::Ec2 => query::serialize(model, op, input)?,
        Protocol::RpcV2Cbor => cbor::serialize(model, op, input)?,
    };
    req.host_prefix = http_binding::host_prefix(model, op, input)?;
    Ok(req)
}

/// The key botocore uses for a union member this model does not know.
pub const UNKNOWN_UNION_MEMBER: &str = "SDK_UNKNOWN_MEMBER";

/// `{"SDK_UNKNOWN_MEMBER": {"name": key}}`: a union value whose member is newer than the model.
fn unknown_union(key: &str) -> Document {
    let mut inner = crate::document::Map::default();
    inner.insert("name".into(), Document::String(key.to_string()));
    let mut outer = crate::document::Map::default();
    outer.insert(UNKNOWN_UNION_MEMBER.into(), Document::Map(inner));
    Document::Map(outer)
}

/// The output shape a body parser fills: `None` when there is nothing to read (no output shape,
/// or an empty body), which parses as an empty output.
fn output_to_parse(op: &Operation, resp: &RawResponse) -> Option<crate::model::ShapeId> {
    let id = op.output?;
    (!resp.body.iter().all(|b| b.is_ascii_whitespace())).then_some(id)
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
    if !is_success(resp.status) {
        return error_parse::parse_error(model, resp).map(Parsed::Error);
    }
    let doc = match model.metadata().protocol {
        Protocol::RestXml | Protocol::RestJson => rest::parse(model, op, resp)?,
        Protocol::Json => json_body::parse_rpc(model, op, resp)?,
        Protocol::Query | Protocol::Ec2 => query::parse(model, op, resp)?,
        Protocol::RpcV2Cbor => cbor::parse(model, op, resp)?,
    };
    Ok(Parsed::Output(doc))
}
