//! The phases after signing: send the request, receive the response (the body read whole, or a
//! streaming payload or event stream handed on unread, checksums checked either way), and parse
//! it into an [`Output`] or an [`SdkError`].

use super::prepare::Prepared;
use super::sign::Signed;
use super::{checksum, EventStream, Output, SdkError};
use crate::document::{Document, Map, Name};
use crate::http::{ByteStream, HttpClient, HttpResponse};
use crate::model::Operation;
use crate::protocol::{self, event_stream, Parsed, ProtocolError, RawResponse};
use tracing::Instrument;

/// A response read as far as parsing needs: the body in memory, or the streaming payload aside,
/// or the event stream aside (with its `initial-response` members already read, for json).
pub(super) struct Received {
    raw: RawResponse,
    stream: Option<ByteStream>,
    events: Option<(EventStream, Option<Document>)>,
}

/// Sends a signed request; `url` is the prepared one, which a URL the signer wrote replaces.
pub(super) async fn send(
    http: &HttpClient,
    method: &str,
    url: &str,
    signed: Signed,
    body: Option<ByteStream>,
    attempt: u32,
) -> Result<HttpResponse, SdkError> {
    let url = signed.url.as_deref().unwrap_or(url);
    http.send_parts(method, url, signed.headers, body.unwrap_or_default())
        .instrument(tracing::debug_span!("transmit", attempt))
        .await
        .map_err(SdkError::Dispatch)
}

/// Reads the response: a successful streaming operation keeps its payload as a stream (checked
/// against its checksum as it is read); everything else is read whole and checked now.
pub(super) async fn receive(
    client: &super::ServiceClient,
    op: &Operation,
    validate: bool,
    response: HttpResponse,
) -> Result<Received, SdkError> {
    let status = response.status;
    let success = protocol::is_success(status);
    let mut raw = RawResponse {
        status,
        headers: response.headers,
        body: Default::default(),
    };
    let expected = (success && validate)
        .then(|| checksum::response::expected(op, &raw.headers))
        .flatten();
    let model = client.model();
    let event_stream = success
        .then(|| event_stream::event_stream_member(model, op))
        .flatten();
    if event_stream.is_some() || (success && client.streaming_output_name(&op.name).is_some()) {
        let stream = match expected {
            Some((alg, value)) => checksum::response::validating(response.body, alg, value),
            None => response.body,
        };
        let Some(member) = event_stream else {
            return Ok(Received {
                raw,
                stream: Some(stream),
                events: None,
            });
        };
        let request_id = raw.request_id().map(str::to_string);
        let mut events = EventStream::new(
            model.clone(),
            member.target,
            &op.name,
            status,
            request_id.clone(),
            stream,
        );
        let initial = if event_stream::has_initial_response(model.metadata().protocol) {
            let first = events
                .next_message()
                .instrument(tracing::debug_span!("receive"))
                .await
                .transpose()?
                .unwrap_or_default();
            Some(
                event_stream::parse_initial_response(model, op, &first).map_err(|error| {
                    SdkError::Response {
                        error,
                        status,
                        request_id,
                    }
                })?,
            )
        } else {
            None
        };
        return Ok(Received {
            raw,
            stream: None,
            events: Some((events, initial)),
        });
    }
    raw.body = response
        .body
        .collect()
        .instrument(tracing::debug_span!("receive"))
        .await
        .map_err(SdkError::Dispatch)?;
    if let Some((alg, value)) = expected {
        checksum::response::check(alg, value.as_str(), &raw.body).map_err(|e| {
            SdkError::Response {
                error: ProtocolError::Parse(e.to_string()),
                status,
                request_id: raw.request_id().map(str::to_string),
            }
        })?;
    }
    Ok(Received {
        raw,
        stream: None,
        events: None,
    })
}

/// Parses a received response, with the service's customizations before and after.
pub(super) fn parse(
    prepared: &mut Prepared<'_>,
    received: Received,
    attempt: u32,
) -> Result<Output, SdkError> {
    let Received {
        mut raw,
        stream,
        events,
    } = received;
    if protocol::is_success(raw.status) {
        for c in prepared.customizations {
            c.check_response(prepared.op, &raw)
                .map_err(|error| SdkError::Response {
                    error,
                    status: raw.status,
                    request_id: raw.request_id().map(str::to_string),
                })?;
        }
        for c in prepared.customizations {
            c.before_parse(prepared.model, prepared.op, &mut raw);
        }
    } else {
        for c in prepared.customizations {
            c.before_parse_error(prepared.model, prepared.op, &mut raw);
        }
    }
    let span = tracing::debug_span!("parse");
    let parsed = match span.in_scope(|| protocol::parse(prepared.model, prepared.op, &raw)) {
        Err(error) if protocol::is_success(raw.status) => {
            for c in prepared.customizations {
                c.on_unparsable_body(prepared.model, prepared.op, &error, &mut raw);
            }
            if protocol::is_success(raw.status) {
                Err(error)
            } else {
                for c in prepared.customizations {
                    c.before_parse_error(prepared.model, prepared.op, &mut raw);
                }
                span.in_scope(|| protocol::parse(prepared.model, prepared.op, &raw))
            }
        }
        parsed => parsed,
    }
    .map_err(|error| SdkError::Response {
        error,
        status: raw.status,
        request_id: raw.request_id().map(str::to_string),
    })?;
    match parsed {
        Parsed::Error(mut e) => {
            e.operation = Some(prepared.op.name.clone());
            // As botocore's error response carries it (a redirect's probe reads its headers).
            e.fields
                .set("ResponseMetadata", response_metadata(&raw, attempt));
            prepared.redirect = prepared
                .customizations
                .iter()
                .find_map(|c| c.redirect(prepared.op, &prepared.given_input, &e, &raw));
            Err(SdkError::Service(Box::new(e)))
        }
        Parsed::Output(mut document) => {
            for c in prepared.customizations {
                c.after_parse(prepared.op, &prepared.given_input, &raw, &mut document)
                    .map_err(|error| SdkError::Response {
                        error,
                        status: raw.status,
                        request_id: raw.request_id().map(str::to_string),
                    })?;
            }
            let events = events.map(|(events, initial)| {
                if let Some(initial) = initial.and_then(Document::into_map) {
                    for (k, v) in initial {
                        document.set(k, v);
                    }
                }
                events
            });
            document.set("ResponseMetadata", into_response_metadata(raw, attempt));
            Ok(Output {
                document,
                body: stream,
                events,
            })
        }
    }
}

/// [`response_metadata`] of a response that is done with: its headers move into the document
/// instead of being copied (the names lower-cased where they lie).
fn into_response_metadata(mut raw: RawResponse, attempt: u32) -> Document {
    let mut meta = metadata_start(&raw);
    let mut headers = Map::with_capacity_and_hasher(raw.headers.len(), Default::default());
    for (k, v) in std::mem::take(&mut raw.headers) {
        headers.insert(lower_case(k), Document::String(v));
    }
    metadata_end(&mut meta, headers, attempt);
    Document::Map(meta)
}

fn response_metadata(raw: &RawResponse, attempt: u32) -> Document {
    let mut meta = metadata_start(raw);
    let mut headers = Map::with_capacity_and_hasher(raw.headers.len(), Default::default());
    for (k, v) in &raw.headers {
        headers.insert(lower_case(k.clone()), v.as_str().into());
    }
    metadata_end(&mut meta, headers, attempt);
    Document::Map(meta)
}

/// A header name as `HTTPHeaders` keys it; hyper's names are lower case already, so this
/// copies only a name another transport spelled otherwise.
fn lower_case(name: Name) -> Name {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name
    }
}

/// botocore's `ResponseMetadata` up to the headers: `RequestId`, `HostId`, `HTTPStatusCode`.
fn metadata_start(raw: &RawResponse) -> Map {
    let mut meta = Map::with_capacity_and_hasher(5, Default::default());
    if let Some(id) = raw.request_id() {
        meta.insert("RequestId".into(), id.into());
    }
    if let Some(host_id) = raw.header("x-amz-id-2") {
        meta.insert("HostId".into(), host_id.into());
    }
    meta.insert("HTTPStatusCode".into(), Document::Int(raw.status as i64));
    meta
}

/// The rest of `ResponseMetadata`: `HTTPHeaders` and `RetryAttempts`.
fn metadata_end(meta: &mut Map, headers: Map, attempt: u32) {
    meta.insert("HTTPHeaders".into(), Document::Map(headers));
    meta.insert("RetryAttempts".into(), Document::Int(attempt as i64 - 1));
}
