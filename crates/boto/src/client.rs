//! [`Client`]: the low-level client of one service, as `boto3.client(...)` gives.

use crate::error::Error;
use boto_core::client::{InputEvents, Output, PreparedRequest, PresignedPost, ServiceClient};
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

    /// Calls an operation whose input is an event stream (Bedrock
    /// InvokeModelWithBidirectionalStream, Lex StartConversation, Polly
    /// StartSpeechSynthesisStream), sending `events` on it while the response's own events are
    /// read from [`Output::events`]. See [`ServiceClient::invoke_with_events`].
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// use boto::{doc, InputEvents};
    /// let lex = boto::client("lexv2-runtime")?;
    /// let (sender, events) = InputEvents::channel(4);
    /// let ids = doc! {"botId": "B", "botAliasId": "A", "localeId": "en_US", "sessionId": "s1",
    ///                 "conversationMode": "TEXT"};
    /// let mut out = lex.invoke_with_events("StartConversation", ids, events).await?;
    /// sender.send(doc! {"TextInputEvent": {"text": "hello"}}).await.ok();
    /// drop(sender); // ends the input stream
    /// if let Some(mut replies) = out.events() {
    ///     while let Some(event) = replies.next_event().await {
    ///         println!("{:#}", event?);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn invoke_with_events(
        &self,
        operation: &str,
        input: Document,
        events: InputEvents,
    ) -> Result<Output, Error> {
        Ok(self
            .inner
            .invoke_with_events(operation, input, events)
            .await?)
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

    /// This client without signing, as `boto3.client(..., config=Config(signature_version=UNSIGNED))`:
    /// its requests carry no `Authorization` and its credentials are never asked for. The
    /// region, endpoint and transport stay the same.
    pub fn unsigned(&self) -> Client {
        let mut config = self.inner.config().clone();
        config.credentials = None;
        Client::new(ServiceClient::from_model(
            self.inner.model().clone(),
            config,
        ))
    }

    /// An S3 presigned POST, as boto3's `generate_presigned_post(Bucket, Key, Fields,
    /// Conditions, ExpiresIn)`: the URL a browser form posts to and the fields it must carry
    /// (the caller's, `key`, the SigV4 `x-amz-*` fields, the base64 `policy` and its
    /// `x-amz-signature`). A key ending in `${filename}` takes the uploaded file's name.
    /// `fields` is a map of strings (or null); `conditions` are policy conditions, each a map
    /// or a list.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// use boto::doc;
    /// let s3 = boto::client("s3")?;
    /// let post = s3
    ///     .generate_presigned_post(
    ///         "uploads-bucket",
    ///         "incoming/${filename}",
    ///         doc! {"acl": "private"},
    ///         vec![doc! {"acl": "private"}, boto::Document::List(vec![
    ///             "content-length-range".into(), 1.into(), 10_485_760.into(),
    ///         ])],
    ///         3600,
    ///     )
    ///     .await?;
    /// println!("POST {} with {:?}", post.url, post.fields);
    /// # Ok(()) }
    /// ```
    pub async fn generate_presigned_post(
        &self,
        bucket: &str,
        key: &str,
        fields: Document,
        conditions: Vec<Document>,
        expires_in: u64,
    ) -> Result<PresignedPost, Error> {
        self.generate_presigned_post_at(
            bucket,
            key,
            fields,
            conditions,
            expires_in,
            std::time::SystemTime::now(),
        )
        .await
    }

    /// [`Client::generate_presigned_post`] signed at `now` instead of the current time.
    pub async fn generate_presigned_post_at(
        &self,
        bucket: &str,
        key: &str,
        fields: Document,
        conditions: Vec<Document>,
        expires_in: u64,
        now: std::time::SystemTime,
    ) -> Result<PresignedPost, Error> {
        let fields = post_form_fields(fields)?;
        let request = boto_core::auth::post_policy::PostRequest {
            bucket,
            key,
            fields: &fields,
            conditions: &conditions,
            expires_in,
        };
        Ok(self.inner.generate_presigned_post_at(request, now).await?)
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
                if let Some(items) = boto_core::path::search(k, &page).into_list() {
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

/// The prefilled fields of a presigned POST: a map of strings, or nothing.
fn post_form_fields(fields: Document) -> Result<Vec<(String, String)>, Error> {
    if fields.is_null() {
        return Ok(Vec::new());
    }
    let kind = fields.kind();
    let Some(m) = fields.into_map() else {
        return Err(Error::Usage(format!(
            "presigned POST fields must be a map of strings, not {kind}"
        )));
    };
    m.into_iter()
        .map(|(k, v)| {
            let kind = v.kind();
            v.into_string().map(|s| (k.to_string(), s)).ok_or_else(|| {
                Error::Usage(format!(
                    "presigned POST field {k:?} must be a string, not {kind}"
                ))
            })
        })
        .collect()
}
