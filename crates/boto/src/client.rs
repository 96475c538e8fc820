//! [`Client`]: the low-level client of one service, as `boto3.client(...)` gives.

use crate::error::Error;
use boto_core::client::{Output, PreparedRequest, ServiceClient};
use boto_core::document::Document;
use boto_core::http::ByteStream;
use boto_core::paginate::PaginationError;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A low-level client: one call per operation, documents in and out. Cheap to clone, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: ServiceClient,
}

impl Client {
    pub(crate) fn new(inner: ServiceClient) -> Self {
        Client { inner }
    }

    /// The engine-level client.
    pub fn service_client(&self) -> &ServiceClient {
        &self.inner
    }

    /// The service name (`s3`).
    pub fn service_name(&self) -> &str {
        self.inner.model().service_name()
    }

    /// The region it calls.
    pub fn region(&self) -> Option<&str> {
        self.inner.config().region.as_deref()
    }

    /// Calls an operation by model name (`ListObjectsV2`) or method name (`list_objects_v2`).
    /// A streaming output (`GetObject`'s `Body`) is read whole into the document as a blob, and
    /// an event stream (`SelectObjectContent`'s `Payload`) as a list of events; use
    /// [`Client::invoke`] to stream either.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// use boto::doc;
    /// let sqs = boto::client("sqs")?;
    /// let url = sqs.call("get_queue_url", doc! {"QueueName": "jobs"}).await?["QueueUrl"].clone();
    /// sqs.call("SendMessage", doc! {"QueueUrl": url, "MessageBody": "hello"}).await?;
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, operation: &str, input: Document) -> Result<Document, Error> {
        Ok(self.inner.call(operation, input).await?)
    }

    /// Calls an operation with an optional streaming request payload (PutObject's `Body` from a
    /// file or stream) and returns the streaming response payload unread in [`Output::body`], or
    /// the event stream (SelectObjectContent's `Payload`) unread in [`Output::events`], whose
    /// events arrive one by one as a [`futures_core::Stream`].
    pub async fn invoke(
        &self,
        operation: &str,
        input: Document,
        body: Option<ByteStream>,
    ) -> Result<Output, Error> {
        Ok(self.inner.invoke(operation, input, body).await?)
    }

    /// A paginator over `operation`'s pages, or an error when it does not paginate.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// use boto::doc;
    /// let s3 = boto::client("s3")?;
    /// let mut pages = s3.paginate("ListObjectsV2", doc! {"Bucket": "b", "Prefix": "logs/"})?;
    /// while let Some(page) = pages.next_page().await {
    ///     for obj in page?["Contents"].iter() {
    ///         println!("{}", obj["Key"].as_str().unwrap_or_default());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn paginate(&self, operation: &str, input: Document) -> Result<Paginator, Error> {
        self.inner.model().operation(operation)?;
        boto_core::paginate::Paginator::new(&self.inner, operation, input)
            .map(|inner| Paginator { inner })
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} {operation} cannot be paginated",
                    self.service_name()
                ))
            })
    }

    /// A waiter of this service (`BucketExists` or `bucket_exists`), to tune and then `wait`.
    pub fn waiter(&self, name: &str) -> Result<boto_core::waiter::Waiter, Error> {
        Ok(boto_core::waiter::Waiter::new(&self.inner, name)?)
    }

    /// Waits with the waiter's default delay and attempts (`client.get_waiter(name).wait(**input)`).
    pub async fn wait(&self, name: &str, input: Document) -> Result<Document, Error> {
        Ok(self.waiter(name)?.wait(input).await?)
    }

    /// A presigned URL (`generate_presigned_url`).
    pub async fn generate_presigned_url(
        &self,
        operation: &str,
        input: Document,
        expires_in: u64,
    ) -> Result<String, Error> {
        Ok(self
            .inner
            .generate_presigned_url(operation, input, expires_in)
            .await?)
    }

    /// The signed request `operation` would send, unsent.
    pub async fn build_request(
        &self,
        operation: &str,
        input: Document,
    ) -> Result<PreparedRequest, Error> {
        Ok(self.inner.build_request(operation, input).await?)
    }
}

/// Pages of a paginated operation: call [`Paginator::next_page`], or use it as a
/// [`futures_core::Stream`] of pages.
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// use boto::doc;
/// use futures_util::StreamExt;
/// let s3 = boto::client("s3")?;
/// let mut pages = s3.paginate("ListObjectsV2", doc! {"Bucket": "b"})?;
/// while let Some(page) = pages.next().await {
///     println!("{} keys", page?["KeyCount"].as_i64().unwrap_or(0));
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Paginator {
    inner: boto_core::paginate::Paginator,
}

impl Paginator {
    /// Sets the page size.
    pub fn page_size(self, size: i64) -> Self {
        Paginator {
            inner: self.inner.page_size(size),
        }
    }

    /// Stops after `n` result items (`PaginationConfig={"MaxItems": n}`).
    pub fn max_items(self, n: usize) -> Self {
        Paginator {
            inner: self.inner.max_items(n),
        }
    }

    /// Resumes from a [`Paginator::resume_token`] (or boto3's `NextToken`).
    pub fn starting_token(self, token: &str) -> Self {
        Paginator {
            inner: self.inner.starting_token(token),
        }
    }

    /// Where to go on after `max_items` stopped the listing early.
    pub fn resume_token(&self) -> Option<&str> {
        self.inner.resume_token()
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<Document, Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Document, Error>>> {
        self.inner
            .poll_page(cx)
            .map(|page| page.map(|r| r.map_err(Error::from)))
    }

    /// Every page merged into one result, as boto3's `paginate(...).build_full_result()`: the
    /// result keys concatenated across pages, the non-aggregate keys from the first page, and
    /// `NextToken` (a [`Paginator::starting_token`]) when [`Paginator::max_items`] cut it short.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// use boto::doc;
    /// let s3 = boto::client("s3")?;
    /// let all = s3
    ///     .paginate("ListObjectsV2", doc! {"Bucket": "b", "Delimiter": "/"})?
    ///     .max_items(100)
    ///     .build_full_result()
    ///     .await?;
    /// println!("{} keys, {} prefixes", all["Contents"].iter().count(), all["CommonPrefixes"].iter().count());
    /// if let Some(token) = all["NextToken"].as_str() {
    ///     println!("more from {token}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn build_full_result(self) -> Result<Document, Error> {
        Ok(self.inner.build_full_result().await?)
    }

    /// Every page's result items (the paginator's `result_key`), flattened.
    pub async fn collect_results(mut self) -> Result<Vec<Document>, Error> {
        let keys = self.inner.config().result_keys.clone();
        let mut out = Vec::new();
        while let Some(page) = self.next_page().await {
            let page = page?;
            for k in &keys {
                if let Document::List(items) = boto_core::path::search(k, &page) {
                    out.extend(items);
                }
            }
        }
        Ok(out)
    }
}

impl futures_core::Stream for Paginator {
    type Item = Result<Document, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

impl From<PaginationError> for Error {
    /// A failed page request stays a call error ([`Error::Sdk`]), so `code()` and `status()`
    /// answer as for any call; only the paginator's own stop is [`Error::Pagination`].
    fn from(e: PaginationError) -> Self {
        match e {
            PaginationError::Call(e) => Error::Sdk(e),
            other => Error::Pagination(other),
        }
    }
}
