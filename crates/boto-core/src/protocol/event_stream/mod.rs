//! Event streams (`application/vnd.amazon.eventstream`) as pure functions. On the output side
//! [`Decoder`] turns bytes (in chunks of any size) into framed [`Message`]s with both CRCs
//! checked, and [`parse_event`] reads a message along the model into `{EventType: {...}}` or a
//! [`crate::protocol::ServiceError`] for an exception or error message.
//!
//! Output members other than the stream travel in HTTP headers for the REST protocols and in a
//! first [`INITIAL_RESPONSE`] event for json and CBOR ([`parse_initial_response`]).
//! [`parse_buffered`] reads a whole response at once, the stream becoming a list of events, as
//! botocore's protocol tests show it; the call pipeline instead reads the body chunk by chunk.
//!
//! On the input side, [`serialize_event`] writes one `{EventType: {...}}` as a [`Message`]; the
//! client signs each one (see [`crate::auth::sigv4::EventSigner`]) as it sends it.

mod event;
mod frame;
mod input;
#[cfg(test)]
mod tests;

pub use event::{
    event_stream_member, has_initial_response, parse_event, parse_initial_response,
    INITIAL_RESPONSE,
};
pub use frame::{Decoder, FrameError, HeaderValue, Message, MAX_HEADERS_LEN, MAX_PAYLOAD_LEN};
pub use input::{input_event_stream_member, serialize_event};

use super::{Parsed, ProtocolError, RawResponse};
use crate::document::Document;
use crate::model::{Operation, ServiceModel};

/// Parses a whole response of an operation with an event stream output: the stream member becomes
/// the list of its events; the first exception or error event is the result instead.
pub fn parse_buffered(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Parsed, ProtocolError> {
    let member = match event_stream_member(model, op) {
        Some(m) if super::is_success(resp.status) => m,
        _ => return super::parse(model, op, resp),
    };
    let headers_only = RawResponse {
        status: resp.status,
        headers: resp.headers.clone(),
        body: Default::default(),
    };
    let mut document = match super::parse(model, op, &headers_only)? {
        Parsed::Output(d) => d,
        error => return Ok(error),
    };
    let mut decoder = Decoder::new();
    decoder.push(&resp.body);
    let mut messages = Vec::new();
    while let Some(m) = decoder.next_message().map_err(ProtocolError::EventStream)? {
        messages.push(m);
    }
    decoder.finish().map_err(ProtocolError::EventStream)?;
    let mut messages = messages.into_iter();
    if has_initial_response(model.metadata().protocol) {
        let first = messages.next().unwrap_or_default();
        if let Some(initial) = parse_initial_response(model, op, &first)?.into_map() {
            for (k, v) in initial {
                document.set(&k, v);
            }
        }
    }
    let mut events = Vec::new();
    for m in messages {
        match parse_event(model, member.target, &m)? {
            Some(Parsed::Output(event)) => events.push(event),
            Some(Parsed::Error(mut e)) => {
                e.request_id = resp.request_id().map(str::to_string);
                return Ok(Parsed::Error(e));
            }
            None => {}
        }
    }
    document.set(&member.name, Document::List(events));
    Ok(Parsed::Output(document))
}
