//! [`InputEvents`]: the events a caller sends on an operation's input event stream (Bedrock
//! InvokeModelWithBidirectionalStream, Lex StartConversation, Polly StartSpeechSynthesisStream,
//! ...), and the request body that writes them: each event serialized along the model as it
//! arrives, wrapped in a signed message chained from the request's signature, and a closing
//! empty signed message when the caller's stream ends.

use crate::auth::sigv4::EventSigner;
use crate::document::Document;
use crate::http::BoxError;
use crate::model::{ServiceModel, ShapeId};
use crate::protocol::event_stream::{serialize_event, HeaderValue, Message};
use bytes::Bytes;
use futures_core::Stream;
use http_body::{Body, Frame};
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;
use tokio::sync::mpsc;

/// The events to send on an input event stream, each a [`Document`] keyed by its event type
/// (`{"AudioInputEvent": {"audioChunk": b"...", "contentType": "audio/lpcm"}}`). The request
/// ends when the stream does.
///
/// ```
/// use boto_core::client::InputEvents;
/// use boto_core::doc;
///
/// # async fn demo() {
/// let (sender, events) = InputEvents::channel(8);
/// tokio::spawn(async move {
///     sender.send(doc! {"TextInputEvent": {"text": "hello"}}).await.ok();
///     // Dropping the sender ends the stream.
/// });
/// # let _ = events;
/// # }
/// ```
pub struct InputEvents {
    stream: Pin<Box<dyn Stream<Item = Document> + Send>>,
}

impl fmt::Debug for InputEvents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InputEvents(<stream>)")
    }
}

impl InputEvents {
    /// Events from any stream of documents.
    pub fn from_stream<S>(stream: S) -> Self
    where
        S: Stream<Item = Document> + Send + 'static,
    {
        InputEvents {
            stream: Box::pin(stream),
        }
    }

    /// A fixed list of events, sent in order.
    pub fn from_events(events: Vec<Document>) -> Self {
        Self::from_stream(Listed(events.into_iter()))
    }

    /// A channel: events sent on the [`EventSender`] go out in order, and dropping every sender
    /// ends the stream. `capacity` events may wait unsent before `send` waits.
    pub fn channel(capacity: usize) -> (EventSender, InputEvents) {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        (EventSender { tx }, Self::from_stream(Received(rx)))
    }
}

struct Listed(std::vec::IntoIter<Document>);

impl Stream for Listed {
    type Item = Document;
    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Document>> {
        Poll::Ready(self.0.next())
    }
}

struct Received(mpsc::Receiver<Document>);

impl Stream for Received {
    type Item = Document;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Document>> {
        self.0.poll_recv(cx)
    }
}

/// Sends events on an [`InputEvents::channel`]. Cheap to clone; the stream ends when the last
/// clone is dropped.
#[derive(Debug, Clone)]
pub struct EventSender {
    tx: mpsc::Sender<Document>,
}

/// The request an [`EventSender`] fed has ended (it failed or the service closed it); the event
/// was not sent.
#[derive(Debug)]
pub struct EventStreamClosed(pub Document);

impl fmt::Display for EventStreamClosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the input event stream has ended; the event was not sent")
    }
}

impl std::error::Error for EventStreamClosed {}

impl EventSender {
    /// Queues `event`, waiting while the channel is full.
    ///
    /// # Errors
    ///
    /// [`EventStreamClosed`] (holding the event) when the request has ended.
    pub async fn send(&self, event: Document) -> Result<(), EventStreamClosed> {
        self.tx
            .send(event)
            .await
            .map_err(|e| EventStreamClosed(e.0))
    }

    /// Queues `event` from synchronous code, blocking while the channel is full. Do not call it
    /// on an async runtime's thread.
    ///
    /// # Errors
    ///
    /// As for [`EventSender::send`].
    pub fn blocking_send(&self, event: Document) -> Result<(), EventStreamClosed> {
        self.tx
            .blocking_send(event)
            .map_err(|e| EventStreamClosed(e.0))
    }
}

/// The request body of an input event stream.
pub(super) struct EventBody {
    events: Pin<Box<dyn Stream<Item = Document> + Send>>,
    model: Arc<ServiceModel>,
    stream_shape: ShapeId,
    signer: Option<EventSigner>,
    sent: usize,
    done: bool,
}

impl EventBody {
    /// `signer` is `None` for an unsigned (anonymous) request: the messages go out as they are.
    pub(super) fn new(
        events: InputEvents,
        model: Arc<ServiceModel>,
        stream_shape: ShapeId,
        signer: Option<EventSigner>,
    ) -> Self {
        EventBody {
            events: events.stream,
            model,
            stream_shape,
            signer,
            sent: 0,
            done: false,
        }
    }

    fn encode(&mut self, event: Option<&Document>) -> Result<Option<Bytes>, BoxError> {
        let inner = match event {
            Some(event) => {
                let message = serialize_event(&self.model, self.stream_shape, event)
                    .map_err(|e| format!("input event {}: {e}", self.sent + 1))?;
                message.to_bytes()?
            }
            None => Vec::new(),
        };
        let Some(signer) = self.signer.as_mut() else {
            return Ok((!inner.is_empty()).then(|| Bytes::from(inner)));
        };
        let signed = signer.sign(&inner, SystemTime::now())?;
        let outer = Message {
            headers: vec![
                (":date".into(), HeaderValue::Timestamp(signed.date_millis)),
                (
                    ":chunk-signature".into(),
                    HeaderValue::Bytes(Bytes::from(signed.signature_bytes)),
                ),
            ],
            payload: Bytes::from(inner),
        };
        Ok(Some(Bytes::from(outer.to_bytes()?)))
    }
}

impl Body for EventBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        loop {
            if self.done {
                return Poll::Ready(None);
            }
            let next = match self.events.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(next) => next,
            };
            if next.is_none() {
                self.done = true;
            }
            match self.encode(next.as_ref()) {
                Ok(Some(bytes)) => {
                    self.sent += 1;
                    return Poll::Ready(Some(Ok(Frame::data(bytes))));
                }
                Ok(None) => continue,
                Err(e) => {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}
