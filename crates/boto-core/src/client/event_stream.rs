//! [`EventStream`]: the events of an operation's event-stream output (S3 SelectObjectContent,
//! Bedrock ConverseStream, Kinesis SubscribeToShard, ...) read from the response body as they
//! arrive, one chunk in memory at a time, each decoded and read along the model by the pure
//! [`crate::protocol::event_stream`] functions.

use super::SdkError;
use crate::document::Document;
use crate::http::{ByteStream, TransportError};
use crate::model::{ServiceModel, ShapeId};
use crate::protocol::event_stream::{parse_event, Decoder, Message};
use crate::protocol::{Parsed, ProtocolError};
use bytes::Bytes;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

type ChunkFuture =
    Pin<Box<dyn Future<Output = (ByteStream, Option<Result<Bytes, TransportError>>)> + Send>>;

enum Body {
    Idle(ByteStream),
    Reading(ChunkFuture),
    Done,
}

/// The events of one response, in order, each a [`Document`] keyed by its event type
/// (`{"Records": {"Payload": b"..."}}`), as botocore's `EventStream` yields them.
///
/// Use [`EventStream::next_event`], or it as a [`futures_core::Stream`]. A modeled exception or
/// error event is an [`SdkError::Service`]; a torn or corrupt frame is an [`SdkError::Response`]
/// holding [`ProtocolError::EventStream`]. Either ends the stream, as does a transport error.
pub struct EventStream {
    model: Arc<ServiceModel>,
    stream_shape: ShapeId,
    operation: String,
    status: u16,
    request_id: Option<String>,
    decoder: Decoder,
    body: Body,
}

impl fmt::Debug for EventStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.operation)
            .field("request_id", &self.request_id)
            .field("buffered", &self.decoder.buffered())
            .field("done", &matches!(self.body, Body::Done))
            .finish()
    }
}

impl EventStream {
    pub(super) fn new(
        model: Arc<ServiceModel>,
        stream_shape: ShapeId,
        operation: &str,
        status: u16,
        request_id: Option<String>,
        body: ByteStream,
    ) -> Self {
        EventStream {
            model,
            stream_shape,
            operation: operation.to_string(),
            status,
            request_id,
            decoder: Decoder::new(),
            body: Body::Idle(body),
        }
    }

    /// The next event, or `None` after the last (or after an error).
    pub async fn next_event(&mut self) -> Option<Result<Document, SdkError>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    /// The next raw message, unparsed: for the first `initial-response` of json protocols.
    pub(super) async fn next_message(&mut self) -> Option<Result<Message, SdkError>> {
        std::future::poll_fn(|cx| self.poll_message(cx)).await
    }

    fn response_error(&self, error: ProtocolError) -> SdkError {
        SdkError::Response {
            error,
            status: self.status,
            request_id: self.request_id.clone(),
        }
    }

    fn fail(&mut self, error: SdkError) -> Poll<Option<Result<Message, SdkError>>> {
        self.body = Body::Done;
        Poll::Ready(Some(Err(error)))
    }

    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Message, SdkError>>> {
        loop {
            if matches!(self.body, Body::Done) {
                return Poll::Ready(None);
            }
            match self.decoder.next_message() {
                Ok(Some(m)) => return Poll::Ready(Some(Ok(m))),
                Ok(None) => {}
                Err(e) => return self.fail(self.response_error(ProtocolError::EventStream(e))),
            }
            let mut reading = match std::mem::replace(&mut self.body, Body::Done) {
                Body::Idle(mut stream) => Box::pin(async move {
                    let chunk = stream.next_chunk().await;
                    (stream, chunk)
                }) as ChunkFuture,
                Body::Reading(f) => f,
                Body::Done => return Poll::Ready(None),
            };
            let Poll::Ready((stream, chunk)) = reading.as_mut().poll(cx) else {
                self.body = Body::Reading(reading);
                return Poll::Pending;
            };
            match chunk {
                Some(Ok(bytes)) => {
                    self.decoder.push(&bytes);
                    self.body = Body::Idle(stream);
                }
                Some(Err(e)) => return self.fail(SdkError::Dispatch(e)),
                None => {
                    return match self.decoder.finish() {
                        Ok(()) => Poll::Ready(None),
                        Err(e) => self.fail(self.response_error(ProtocolError::EventStream(e))),
                    }
                }
            }
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Document, SdkError>>> {
        loop {
            let message = match self.poll_message(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(m))) => m,
            };
            match parse_event(&self.model, self.stream_shape, &message) {
                Ok(None) => continue,
                Ok(Some(Parsed::Output(event))) => return Poll::Ready(Some(Ok(event))),
                Ok(Some(Parsed::Error(mut e))) => {
                    e.request_id = self.request_id.clone();
                    e.operation = Some(self.operation.clone());
                    self.body = Body::Done;
                    return Poll::Ready(Some(Err(SdkError::Service(Box::new(e)))));
                }
                Err(e) => {
                    let e = self.response_error(e);
                    self.body = Body::Done;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }
}

impl futures_core::Stream for EventStream {
    type Item = Result<Document, SdkError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}
