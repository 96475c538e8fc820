//! The blocking API: the same shapes as the async one, for scripts and plain `fn main`.
//!
//! Calls run on one shared background runtime. Calling them from inside an async runtime returns
//! [`Error::Usage`] instead of deadlocking or panicking.
//!
//! ```no_run
//! # fn demo() -> Result<(), boto::Error> {
//! let s3 = boto::blocking::resource("s3")?;
//! for obj in s3.bucket("videobucket")?.objects()?.all() {
//!     println!("{}", obj?.key().unwrap_or_default());
//! }
//! # Ok(()) }
//! ```

use crate::error::Error;
use crate::resource as r;
use boto_core::client::Output as AsyncOutput;
use boto_core::document::{Document, Timestamp};
use boto_core::http::ByteStream;
use std::future::Future;
use std::io::Read;
use std::sync::OnceLock;

pub use crate::session::{Credentials, SessionBuilder as AsyncSessionBuilder};

fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("boto-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::Usage(format!("cannot start the blocking runtime: {e}")))
}

/// Runs `f` to completion on the shared runtime.
fn block_on<F: Future>(f: F) -> Result<F::Output, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Usage(
            "boto::blocking was called from inside an async runtime; use the async API there"
                .into(),
        ));
    }
    Ok(runtime()?.block_on(f))
}

/// A blocking [`crate::Session`].
#[derive(Clone, Debug)]
pub struct Session {
    inner: crate::Session,
}

/// Builds a blocking [`Session`].
#[derive(Default)]
pub struct SessionBuilder {
    inner: crate::SessionBuilder,
}

impl SessionBuilder {
    /// See [`crate::SessionBuilder::region_name`].
    pub fn region_name(self, region: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.region_name(region),
        }
    }
    /// See [`crate::SessionBuilder::profile_name`].
    pub fn profile_name(self, profile: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.profile_name(profile),
        }
    }
    /// See [`crate::SessionBuilder::endpoint_url`].
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.endpoint_url(url),
        }
    }
    /// See [`crate::SessionBuilder::credentials`].
    pub fn credentials(self, credentials: Credentials) -> Self {
        SessionBuilder {
            inner: self.inner.credentials(credentials),
        }
    }
    /// See [`crate::SessionBuilder::credentials_provider`].
    pub fn credentials_provider(
        self,
        provider: std::sync::Arc<dyn boto_core::credentials::ProvideCredentials>,
    ) -> Self {
        SessionBuilder {
            inner: self.inner.credentials_provider(provider),
        }
    }
    /// See [`crate::SessionBuilder::http_settings`].
    pub fn http_settings(self, settings: boto_core::http::HttpSettings) -> Self {
        SessionBuilder {
            inner: self.inner.http_settings(settings),
        }
    }
    /// See [`crate::SessionBuilder::config`].
    pub fn config(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        SessionBuilder {
            inner: self.inner.config(name, value),
        }
    }
    /// See [`crate::SessionBuilder::env`].
    pub fn env(self, env: boto_core::config::Env) -> Self {
        SessionBuilder {
            inner: self.inner.env(env),
        }
    }
    /// Builds the session.
    pub fn build(self) -> Result<Session, Error> {
        Ok(Session {
            inner: self.inner.build()?,
        })
    }
}

impl From<crate::Session> for Session {
    fn from(inner: crate::Session) -> Self {
        Session { inner }
    }
}

impl Session {
    /// A builder.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }
    /// The async session underneath.
    pub fn as_async(&self) -> &crate::Session {
        &self.inner
    }
    /// The resolved region.
    pub fn region_name(&self) -> Option<&str> {
        self.inner.region_name()
    }
    /// A client in the session's region.
    pub fn client(&self, service: &str) -> Result<Client, Error> {
        Ok(Client {
            inner: self.inner.client(service)?,
        })
    }
    /// A client in `region`.
    pub fn client_in_region(&self, service: &str, region: &str) -> Result<Client, Error> {
        Ok(Client {
            inner: self.inner.client_in_region(service, region)?,
        })
    }
    /// See [`crate::Session::client_with`].
    pub fn client_with(
        &self,
        service: &str,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Result<Client, Error> {
        Ok(Client {
            inner: self.inner.client_with(service, region, endpoint_url)?,
        })
    }
    /// The resource layer of `service`.
    pub fn resource(&self, service: &str) -> Result<ServiceResource, Error> {
        Ok(ServiceResource {
            inner: self.inner.resource(service)?,
        })
    }
}

/// A client of the default session.
pub fn client(service: &str) -> Result<Client, Error> {
    Ok(Client {
        inner: crate::client(service)?,
    })
}

/// A client of the default session in `region` (`boto3.client("s3", region_name=...)`).
pub fn client_in_region(service: &str, region: &str) -> Result<Client, Error> {
    Ok(Client {
        inner: crate::default_session()?.client_in_region(service, region)?,
    })
}

/// A resource of the default session.
pub fn resource(service: &str) -> Result<ServiceResource, Error> {
    Ok(ServiceResource {
        inner: crate::resource(service)?,
    })
}

/// A blocking [`crate::Client`].
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// The async client underneath.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
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
    /// Pages of a paginated operation, as an iterator.
    pub fn paginate(&self, operation: &str, input: Document) -> Result<Pages, Error> {
        Ok(Pages {
            inner: self.inner.paginate(operation, input)?,
            failed: false,
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
}

/// Pages from [`Client::paginate`].
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
}

impl Iterator for Pages {
    type Item = Result<Document, Error>;
    fn next(&mut self) -> Option<Self::Item> {
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
}

/// A response with an optional streaming body.
#[derive(Debug)]
pub struct Output {
    /// The output document.
    pub document: Document,
    /// The streaming payload, readable with [`std::io::Read`].
    pub body: Option<BodyReader>,
}

impl From<AsyncOutput> for Output {
    fn from(o: AsyncOutput) -> Self {
        Output {
            document: o.document,
            body: o.body.map(|stream| BodyReader {
                stream,
                pending: Default::default(),
            }),
        }
    }
}

impl std::ops::Deref for Output {
    type Target = Document;
    fn deref(&self) -> &Document {
        &self.document
    }
}

/// A streaming body read chunk by chunk.
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

/// A blocking [`r::ServiceResource`].
#[derive(Clone, Debug)]
pub struct ServiceResource {
    inner: r::ServiceResource,
}

impl ServiceResource {
    /// The client underneath.
    pub fn client(&self) -> Client {
        Client {
            inner: self.inner.client().clone(),
        }
    }
    /// See [`r::ServiceResource::resource`].
    pub fn resource(&self, type_name: &str, identifiers: &[&str]) -> Result<Resource, Error> {
        Ok(Resource {
            inner: self.inner.resource(type_name, identifiers)?,
        })
    }
    /// `s3.Bucket(name)`.
    pub fn bucket(&self, name: &str) -> Result<Resource, Error> {
        Ok(Resource {
            inner: self.inner.bucket(name)?,
        })
    }
    /// `s3.Object(bucket, key)`.
    pub fn object(&self, bucket: &str, key: &str) -> Result<Resource, Error> {
        Ok(Resource {
            inner: self.inner.object(bucket, key)?,
        })
    }
    /// `s3.create_bucket(...)`.
    pub fn create_bucket(&self, name: &str, params: Document) -> Result<Resource, Error> {
        Ok(Resource {
            inner: block_on(self.inner.create_bucket(name, params))??,
        })
    }
    /// `sqs.get_queue_by_name(...)`.
    pub fn get_queue_by_name(&self, name: &str) -> Result<Resource, Error> {
        Ok(Resource {
            inner: block_on(self.inner.get_queue_by_name(name))??,
        })
    }
    /// `sqs.create_queue(...)`.
    pub fn create_queue(&self, name: &str, params: Document) -> Result<Resource, Error> {
        Ok(Resource {
            inner: block_on(self.inner.create_queue(name, params))??,
        })
    }
    /// A service-level collection.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        Ok(Collection {
            inner: self.inner.collection(name)?,
        })
    }
    /// `s3.buckets`.
    pub fn buckets(&self) -> Result<Collection, Error> {
        Ok(Collection {
            inner: self.inner.buckets()?,
        })
    }
    /// `sqs.queues`.
    pub fn queues(&self) -> Result<Collection, Error> {
        Ok(Collection {
            inner: self.inner.queues()?,
        })
    }
    /// A service-level action.
    pub fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        Ok(block_on(self.inner.action(name, params))??.into())
    }
}

/// A blocking [`r::Resource`].
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    inner: r::Resource,
}

impl Resource {
    /// The async resource underneath.
    pub fn as_async(&self) -> &r::Resource {
        &self.inner
    }
    /// See [`r::Resource::identifier`].
    pub fn identifier(&self, name: &str) -> Option<&str> {
        self.inner.identifier(name)
    }
    /// `key` (S3).
    pub fn key(&self) -> Option<&str> {
        self.inner.key()
    }
    /// `name` (S3 buckets).
    pub fn name(&self) -> Option<&str> {
        self.inner.name()
    }
    /// `url` (SQS queues).
    pub fn url(&self) -> Option<&str> {
        self.inner.url()
    }
    /// `size` (S3 object summaries).
    pub fn size(&self) -> Option<i64> {
        self.inner.size()
    }
    /// `last_modified` (S3 object summaries).
    pub fn last_modified(&self) -> Option<Timestamp> {
        self.inner.last_modified()
    }
    /// `body` (SQS messages).
    pub fn body(&self) -> Option<String> {
        self.inner.body()
    }
    /// See [`r::Resource::get_attr`].
    pub fn get_attr(&mut self, name: &str) -> Result<Document, Error> {
        block_on(self.inner.get_attr(name))?
    }
    /// See [`r::Resource::load`].
    pub fn load(&mut self) -> Result<(), Error> {
        block_on(self.inner.load())?
    }
    /// See [`r::Resource::upload_file`].
    pub fn upload_file(
        &self,
        path: impl AsRef<std::path::Path>,
        key: &str,
    ) -> Result<Document, Error> {
        block_on(self.inner.upload_file(path, key))?
    }
    /// See [`r::Resource::download_file`].
    pub fn download_file(
        &self,
        key: &str,
        path: impl AsRef<std::path::Path>,
    ) -> Result<u64, Error> {
        block_on(self.inner.download_file(key, path))?
    }
    /// `wait_until_exists()`.
    pub fn wait_until_exists(&self) -> Result<(), Error> {
        block_on(self.inner.wait_until_exists())?
    }
    /// `wait_until_not_exists()`.
    pub fn wait_until_not_exists(&self) -> Result<(), Error> {
        block_on(self.inner.wait_until_not_exists())?
    }
    /// See [`r::Resource::related`].
    pub fn related(&self, name: &str) -> Result<Resource, Error> {
        Ok(Resource {
            inner: self.inner.related(name)?,
        })
    }
    /// See [`r::Resource::related_with`].
    pub fn related_with(&self, name: &str, inputs: &[&str]) -> Result<Resource, Error> {
        Ok(Resource {
            inner: self.inner.related_with(name, inputs)?,
        })
    }
    /// `bucket.objects`.
    pub fn objects(&self) -> Result<Collection, Error> {
        Ok(Collection {
            inner: self.inner.objects()?,
        })
    }
    /// A collection by name.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        Ok(Collection {
            inner: self.inner.collection(name)?,
        })
    }
    /// `bucket.put_object(Key=..., Body=...)`.
    pub fn put_object(&self, key: &str, body: impl Into<ByteStream>) -> Result<Resource, Error> {
        Ok(Resource {
            inner: block_on(self.inner.put_object(key, body))??,
        })
    }
    /// `object.get()`; read the body with [`std::io::Read`].
    pub fn get(&self) -> Result<Output, Error> {
        Ok(block_on(self.inner.get())??.into())
    }
    /// `delete()`.
    pub fn delete(&self) -> Result<Output, Error> {
        Ok(block_on(self.inner.delete())??.into())
    }
    /// `queue.send_message(MessageBody=...)`.
    pub fn send_message(&self, body: &str) -> Result<Document, Error> {
        block_on(self.inner.send_message(body))?
    }
    /// `queue.receive_messages(...)`.
    pub fn receive_messages(&self, params: Document) -> Result<Vec<Resource>, Error> {
        Ok(block_on(self.inner.receive_messages(params))??
            .into_iter()
            .map(|inner| Resource { inner })
            .collect())
    }
    /// Any action (`resource.action("delete", doc! {})`).
    pub fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        Ok(block_on(self.inner.action(name, params))??.into())
    }
}

/// What a blocking action returns: the response, a resource, or several.
#[derive(Debug)]
pub enum ActionResult {
    /// The response (with a readable body for `Object.get`).
    Response(Output),
    /// One resource.
    Resource(Resource),
    /// Several resources.
    Resources(Vec<Resource>),
}

impl From<r::ActionResult> for ActionResult {
    fn from(r: r::ActionResult) -> Self {
        match r {
            r::ActionResult::Response(o) => ActionResult::Response(o.into()),
            r::ActionResult::Resource(inner) => ActionResult::Resource(Resource { inner }),
            r::ActionResult::Resources(rs) => {
                ActionResult::Resources(rs.into_iter().map(|inner| Resource { inner }).collect())
            }
        }
    }
}

impl ActionResult {
    /// The resources it holds (none for a plain response).
    pub fn into_resources(self) -> Vec<Resource> {
        match self {
            ActionResult::Resource(r) => vec![r],
            ActionResult::Resources(rs) => rs,
            ActionResult::Response(_) => Vec::new(),
        }
    }

    /// The response, when the action does not build resources.
    pub fn into_output(self) -> Result<Output, Error> {
        match self {
            ActionResult::Response(o) => Ok(o),
            other => Err(Error::Resource(format!(
                "the action returned resources, not a response: {other:?}"
            ))),
        }
    }
}

/// See [`r::batch_action`]: one request for many resources of one type (`Delete` of received
/// SQS messages).
pub fn batch_action(resources: &[Resource], name: &str, params: Document) -> Result<Output, Error> {
    let inner: Vec<r::Resource> = resources.iter().map(|x| x.inner.clone()).collect();
    Ok(block_on(r::batch_action(&inner, name, params))??.into())
}

/// A blocking [`r::Collection`]: iterate it directly.
#[derive(Clone, Debug)]
pub struct Collection {
    inner: r::Collection,
}

impl Collection {
    /// Every item.
    pub fn all(self) -> Self {
        self
    }
    /// See [`r::Collection::filter`].
    pub fn filter(self, params: Document) -> Self {
        Collection {
            inner: self.inner.filter(params),
        }
    }
    /// See [`r::Collection::limit`].
    pub fn limit(self, n: usize) -> Self {
        Collection {
            inner: self.inner.limit(n),
        }
    }
    /// See [`r::Collection::page_size`].
    pub fn page_size(self, n: i64) -> Self {
        Collection {
            inner: self.inner.page_size(n),
        }
    }
    /// Every item, collected.
    pub fn collect_all(self) -> Result<Vec<Resource>, Error> {
        self.into_iter().collect()
    }
    /// See [`r::Collection::batch_action`].
    pub fn batch_action(&self, name: &str, params: Document) -> Result<Vec<Output>, Error> {
        let outputs = block_on(self.inner.batch_action(name, params))??;
        Ok(outputs.into_iter().map(Output::from).collect())
    }
    /// `collection.delete()` (`bucket.objects.filter(..).delete()`).
    pub fn delete(&self) -> Result<Vec<Output>, Error> {
        self.batch_action("Delete", Document::map())
    }
}

impl IntoIterator for Collection {
    type Item = Result<Resource, Error>;
    type IntoIter = CollectionIter;
    fn into_iter(self) -> CollectionIter {
        CollectionIter {
            state: self.inner.iter().map_err(Some),
        }
    }
}

/// Iterator over a blocking collection.
#[derive(Debug)]
pub struct CollectionIter {
    state: Result<r::CollectionIter, Option<Error>>,
}

impl Iterator for CollectionIter {
    type Item = Result<Resource, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.state {
            Err(e) => e.take().map(Err),
            Ok(it) => match block_on(it.next()) {
                Ok(item) => item.map(|r| r.map(|inner| Resource { inner })),
                Err(e) => {
                    // Blocking is impossible here: report it once, then end.
                    self.state = Err(None);
                    Some(Err(e))
                }
            },
        }
    }
}
