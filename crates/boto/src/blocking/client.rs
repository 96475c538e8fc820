//! The blocking [`Client`] and what it hands out: [`Pages`] (the paginator, as an iterator),
//! [`Waiter`], and [`Output`] whose streaming body is a [`BodyReader`] ([`std::io::Read`]) and
//! whose event stream is an [`EventStream`] ([`Iterator`]).

use super::block_on;
use crate::error::Error;
use boto_core::client::{
    EventStream as AsyncEventStream, InputEvents, Output as AsyncOutput, PreparedRequest,
    ServiceClient,
};
use boto_core::document::Document;
use boto_core::http::ByteStream;
use std::io::Read;
use std::time::Duration;

/// A blocking [`crate::Client`]. Cheap to clone, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Client {
    pub(super) inner: crate::Client,
}

impl From<crate::Client> for Client {
    fn from(inner: crate::Client) -> Self {
        Client { inner }
    }
}

impl Client {
    /// The async client underneath.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// The engine-level client.
    pub fn service_client(&self) -> &ServiceClient {
        self.inner.service_client()
    }

    /// The service name (`s3`).
    pub fn service_name(&self) -> &str {
        self.inner.service_name()
    }

    /// The region it calls.
    pub fn region(&self) -> Option<&str> {
        self.inner.region()
    }

    /// See [`crate::Client::call`].
    pub fn call(&self, operation: &str, input: Document) -> Result<Document, Error> {
        block_on(self.inner.call(operation, input))?
    }

    /// See [`crate::Client::invoke`]; the streaming body reads with [`std::io::Read`].
    pub fn invoke(
        &self,
        operation: &str,
        input: Document,
        body: Option<ByteStream>,
    ) -> Result<Output, Error> {
        block_on(self.inner.invoke(operation, input, body))?.map(Output::from)
    }

    /// Calls an operation whose input is an event stream, sending `events` on it (see
    /// [`crate::Client::invoke_with_events`]). Returns once the response has begun; its events
    /// come from [`Output::events`] as they arrive. Feed an [`InputEvents::channel`] from
    /// another thread with [`crate::EventSender::blocking_send`], or pass the events up front
    /// with [`InputEvents::from_events`]: a service that waits for input before it answers
    /// would otherwise wait for this call.
    pub fn invoke_with_events(
        &self,
        operation: &str,
        input: Document,
        events: InputEvents,
    ) -> Result<Output, Error> {
        block_on(self.inner.invoke_with_events(operation, input, events))?.map(Output::from)
    }

    /// Pages of a paginated operation, as an iterator (see [`crate::Client::paginate`]).
    pub fn paginate(&self, operation: &str, input: Document) -> Result<Pages, Error> {
        Ok(Pages {
            inner: self.inner.paginate(operation, input)?,
            failed: false,
        })
    }

    /// A waiter of this service (`BucketExists` or `bucket_exists`), to tune and then `wait`.
    pub fn waiter(&self, name: &str) -> Result<Waiter, Error> {
        Ok(Waiter {
            inner: self.inner.waiter(name)?,
        })
    }

    /// See [`crate::Client::wait`].
    pub fn wait(&self, name: &str, input: Document) -> Result<Document, Error> {
        block_on(self.inner.wait(name, input))?
    }

    /// See [`crate::Client::upload_file`].
    pub fn upload_file(
        &self,
        path: impl AsRef<std::path::Path>,
        bucket: &str,
        key: &str,
    ) -> Result<Document, Error> {
        block_on(self.inner.upload_file(path, bucket, key))?
    }

    /// See [`crate::Client::download_file`].
    pub fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<std::path::Path>,
    ) -> Result<u64, Error> {
        block_on(self.inner.download_file(bucket, key, path))?
    }

    /// See [`crate::Client::generate_presigned_url`].
    pub fn generate_presigned_url(
        &self,
        operation: &str,
        input: Document,
        expires_in: u64,
    ) -> Result<String, Error> {
        block_on(
            self.inner
                .generate_presigned_url(operation, input, expires_in),
        )?
    }

    /// The signed request `operation` would send, unsent (see [`crate::Client::build_request`]).
    pub fn build_request(
        &self,
        operation: &str,
        input: Document,
    ) -> Result<PreparedRequest, Error> {
        block_on(self.inner.build_request(operation, input))?
    }

    /// See [`crate::Client::unsigned`].
    pub fn unsigned(&self) -> Client {
        Client::from(self.inner.unsigned())
    }

    /// See [`crate::Client::generate_presigned_post`].
    pub fn generate_presigned_post(
        &self,
        bucket: &str,
        key: &str,
        fields: Document,
        conditions: Vec<Document>,
        expires_in: u64,
    ) -> Result<boto_core::client::PresignedPost, Error> {
        block_on(
            self.inner
                .generate_presigned_post(bucket, key, fields, conditions, expires_in),
        )?
    }

    /// See [`crate::Client::generate_presigned_post_at`].
    pub fn generate_presigned_post_at(
        &self,
        bucket: &str,
        key: &str,
        fields: Document,
        conditions: Vec<Document>,
        expires_in: u64,
        now: std::time::SystemTime,
    ) -> Result<boto_core::client::PresignedPost, Error> {
        block_on(
            self.inner
                .generate_presigned_post_at(bucket, key, fields, conditions, expires_in, now),
        )?
    }
}

/// Pages from [`Client::paginate`]: the blocking [`crate::Paginator`], iterated directly.
#[derive(Debug)]
pub struct Pages {
    inner: crate::Paginator,
    /// Set after a blocking error, so the iterator ends instead of repeating it.
    failed: bool,
}

impl Pages {
    /// Items per page (the operation's limit key).
    pub fn page_size(self, size: i64) -> Self {
        Pages {
            inner: self.inner.page_size(size),
            failed: false,
        }
    }

    /// See [`crate::Paginator::max_items`].
    pub fn max_items(self, n: usize) -> Self {
        Pages {
            inner: self.inner.max_items(n),
            failed: false,
        }
    }

    /// See [`crate::Paginator::starting_token`].
    pub fn starting_token(self, token: &str) -> Self {
        Pages {
            inner: self.inner.starting_token(token),
            failed: false,
        }
    }

    /// See [`crate::Paginator::resume_token`].
    pub fn resume_token(&self) -> Option<&str> {
        self.inner.resume_token()
    }

    /// The next page, or `None` after the last (what [`Iterator::next`] returns too, so code
    /// ported from the async API keeps its `while let Some(page) = pages.next_page()`).
    pub fn next_page(&mut self) -> Option<Result<Document, Error>> {
        if self.failed {
            return None;
        }
        match block_on(self.inner.next_page()) {
            Ok(page) => page,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }

    /// Every page merged into one result (see [`crate::Paginator::build_full_result`]).
    pub fn build_full_result(self) -> Result<Document, Error> {
        block_on(self.inner.build_full_result())?
    }

    /// Every page's result items (the paginator's `result_key`), flattened
    /// (see [`crate::Paginator::collect_results`]).
    pub fn collect_results(self) -> Result<Vec<Document>, Error> {
        block_on(self.inner.collect_results())?
    }
}

impl Iterator for Pages {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_page()
    }
}

/// A blocking waiter (`client.get_waiter(name)`): tune it, then [`Waiter::wait`].
#[derive(Debug)]
pub struct Waiter {
    inner: boto_core::waiter::Waiter,
}

impl Waiter {
    /// The waiter's model name (`BucketExists`).
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// The delay between attempts (`WaiterConfig={"Delay": ...}`).
    pub fn delay(self, delay: Duration) -> Self {
        Waiter {
            inner: self.inner.delay(delay),
        }
    }

    /// The most attempts (`WaiterConfig={"MaxAttempts": ...}`).
    pub fn max_attempts(self, n: u32) -> Self {
        Waiter {
            inner: self.inner.max_attempts(n),
        }
    }

    /// Polls until success (returning the last response), failure or the last attempt.
    pub fn wait(&self, input: Document) -> Result<Document, Error> {
        Ok(block_on(self.inner.wait(input))??)
    }
}

/// A response with an optional streaming body or event stream.
#[derive(Debug)]
pub struct Output {
    /// The output document.
    pub document: Document,
    /// The streaming payload, readable with [`std::io::Read`].
    pub body: Option<BodyReader>,
    /// The event stream (S3 SelectObjectContent's `Payload`), an [`Iterator`] of events.
    pub events: Option<EventStream>,
}

impl Output {
    /// Takes the event stream out of the output (see [`boto_core::client::Output::events`]).
    pub fn events(&mut self) -> Option<EventStream> {
        self.events.take()
    }
}

impl From<AsyncOutput> for Output {
    fn from(o: AsyncOutput) -> Self {
        Output {
            document: o.document,
            body: o.body.map(|stream| BodyReader {
                stream,
                pending: Default::default(),
            }),
            events: o.events.map(|inner| EventStream {
                inner: Box::new(inner),
            }),
        }
    }
}

/// The events of a response, read as the iterator asks for them: each item is a document keyed
/// by its event type, or the error that ended the stream (see [`AsyncEventStream`]).
#[derive(Debug)]
pub struct EventStream {
    // Boxed so an `Output` without events stays small (it sits in `ActionResult`).
    inner: Box<AsyncEventStream>,
}

impl EventStream {
    /// The next event, or `None` after the last (or after an error).
    pub fn next_event(&mut self) -> Option<Result<Document, Error>> {
        match block_on(self.inner.next_event()) {
            Ok(next) => next.map(|r| r.map_err(Error::from)),
            Err(e) => Some(Err(e)),
        }
    }
}

impl Iterator for EventStream {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
    }
}

impl std::ops::Deref for Output {
    type Target = Document;

    fn deref(&self) -> &Document {
        &self.document
    }
}

/// A streaming body read chunk by chunk, one chunk in memory at a time.
#[derive(Debug)]
pub struct BodyReader {
    stream: ByteStream,
    pending: bytes::Bytes,
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            match block_on(self.stream.next_chunk()).map_err(std::io::Error::other)? {
                None => return Ok(0),
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                Some(Ok(chunk)) => self.pending = chunk,
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending.split_to(n));
        Ok(n)
    }
}
