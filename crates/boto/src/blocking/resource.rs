//! The blocking resource layer: [`ServiceResource`], [`Resource`], their actions
//! ([`ActionResult`]) and [`batch_action`]. Collections live in `collection.rs`.

use super::block_on;
use super::client::{Client, Output};
use super::collection::Collection;
use crate::error::Error;
use crate::resource as r;
use boto_core::document::{Document, Timestamp};
use boto_core::http::ByteStream;

/// A blocking [`r::ServiceResource`] (`boto3.resource("s3")`).
#[derive(Clone, Debug)]
pub struct ServiceResource {
    inner: r::ServiceResource,
}

impl From<r::ServiceResource> for ServiceResource {
    fn from(inner: r::ServiceResource) -> Self {
        ServiceResource { inner }
    }
}

impl ServiceResource {
    /// The client underneath (`resource.meta.client`).
    pub fn client(&self) -> Client {
        Client::from(self.inner.client().clone())
    }

    /// See [`r::ServiceResource::resource`].
    pub fn resource(&self, type_name: &str, identifiers: &[&str]) -> Result<Resource, Error> {
        self.inner
            .resource(type_name, identifiers)
            .map(Resource::from)
    }

    /// `s3.Bucket(name)`. Makes no request.
    pub fn bucket(&self, name: &str) -> Result<Resource, Error> {
        self.inner.bucket(name).map(Resource::from)
    }

    /// `s3.Object(bucket, key)`. Makes no request.
    pub fn object(&self, bucket: &str, key: &str) -> Result<Resource, Error> {
        self.inner.object(bucket, key).map(Resource::from)
    }

    /// `s3.create_bucket(...)`.
    pub fn create_bucket(&self, name: &str, params: Document) -> Result<Resource, Error> {
        block_on(self.inner.create_bucket(name, params))?.map(Resource::from)
    }

    /// `sqs.get_queue_by_name(...)`.
    pub fn get_queue_by_name(&self, name: &str) -> Result<Resource, Error> {
        block_on(self.inner.get_queue_by_name(name))?.map(Resource::from)
    }

    /// `sqs.create_queue(...)`.
    pub fn create_queue(&self, name: &str, params: Document) -> Result<Resource, Error> {
        block_on(self.inner.create_queue(name, params))?.map(Resource::from)
    }

    /// A service-level collection.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        self.inner.collection(name).map(Collection::from)
    }

    /// `s3.buckets`.
    pub fn buckets(&self) -> Result<Collection, Error> {
        self.inner.buckets().map(Collection::from)
    }

    /// `sqs.queues`.
    pub fn queues(&self) -> Result<Collection, Error> {
        self.inner.queues().map(Collection::from)
    }

    /// A service-level action.
    pub fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        block_on(self.inner.action(name, params))?.map(ActionResult::from)
    }
}

/// A blocking [`r::Resource`]: identifiers, lazily loaded data, actions and sub-resources.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    inner: r::Resource,
}

impl From<r::Resource> for Resource {
    fn from(inner: r::Resource) -> Self {
        Resource { inner }
    }
}

impl Resource {
    /// The async resource underneath.
    pub fn as_async(&self) -> &r::Resource {
        &self.inner
    }

    /// The resource type (`Bucket`).
    pub fn type_name(&self) -> &str {
        self.inner.type_name()
    }

    /// The client it uses.
    pub fn client(&self) -> Client {
        Client::from(self.inner.client().clone())
    }

    /// See [`r::Resource::identifier`].
    pub fn identifier(&self, name: &str) -> Option<&str> {
        self.inner.identifier(name)
    }

    /// All identifiers in model order.
    pub fn identifiers(&self) -> &[(String, String)] {
        self.inner.identifiers()
    }

    /// The data loaded so far (from `load` or from the listing that produced this resource).
    pub fn data(&self) -> Option<&Document> {
        self.inner.data()
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

    /// See [`r::Resource::attr_loaded`]: no request.
    pub fn attr_loaded(&self, name: &str) -> Document {
        self.inner.attr_loaded(name)
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

    /// See [`r::Resource::upload_fileobj`]: what a [`std::io::Read`] yields.
    pub fn upload_fileobj<R: std::io::Read + Send>(
        &self,
        reader: R,
        key: &str,
    ) -> Result<Document, Error> {
        let (bucket, key) = self.inner.bucket_and_key(key)?;
        let config = super::transfer::TransferConfig::default();
        super::transfer::upload_fileobj(
            &self.client(),
            reader,
            &bucket,
            &key,
            Document::map(),
            &config,
        )
    }

    /// See [`r::Resource::download_fileobj`]: into a [`std::io::Write`].
    pub fn download_fileobj<W: std::io::Write + Send>(
        &self,
        key: &str,
        writer: W,
    ) -> Result<u64, Error> {
        let (bucket, key) = self.inner.bucket_and_key(key)?;
        let config = super::transfer::TransferConfig::default();
        super::transfer::download_fileobj(&self.client(), &bucket, &key, writer, &config)
    }

    /// See [`r::Resource::copy`].
    pub fn copy(&self, copy_source: Document, key: &str) -> Result<Document, Error> {
        block_on(self.inner.copy(copy_source, key))?
    }

    /// See [`r::Resource::wait_until`]: `wait_until("Exists")` is `wait_until_exists()`.
    pub fn wait_until(&self, name: &str) -> Result<(), Error> {
        block_on(self.inner.wait_until(name))?
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
        self.inner.related(name).map(Resource::from)
    }

    /// See [`r::Resource::related_with`].
    pub fn related_with(&self, name: &str, inputs: &[&str]) -> Result<Resource, Error> {
        self.inner.related_with(name, inputs).map(Resource::from)
    }

    /// `bucket.objects`.
    pub fn objects(&self) -> Result<Collection, Error> {
        self.inner.objects().map(Collection::from)
    }

    /// A collection by name.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        self.inner.collection(name).map(Collection::from)
    }

    /// `bucket.put_object(Key=..., Body=...)`.
    pub fn put_object(&self, key: &str, body: impl Into<ByteStream>) -> Result<Resource, Error> {
        block_on(self.inner.put_object(key, body))?.map(Resource::from)
    }

    /// `object.get()`; read the body with [`std::io::Read`].
    pub fn get(&self) -> Result<Output, Error> {
        block_on(self.inner.get())?.map(Output::from)
    }

    /// `delete()`.
    pub fn delete(&self) -> Result<Output, Error> {
        block_on(self.inner.delete())?.map(Output::from)
    }

    /// `queue.send_message(MessageBody=...)`.
    pub fn send_message(&self, body: &str) -> Result<Document, Error> {
        block_on(self.inner.send_message(body))?
    }

    /// `queue.receive_messages(...)`.
    pub fn receive_messages(&self, params: Document) -> Result<Vec<Resource>, Error> {
        Ok(block_on(self.inner.receive_messages(params))??
            .into_iter()
            .map(Resource::from)
            .collect())
    }

    /// Any action (`resource.action("delete", doc! {})`).
    pub fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        block_on(self.inner.action(name, params))?.map(ActionResult::from)
    }

    /// See [`r::Resource::action_with_body`]: an action with a streaming request payload.
    pub fn action_with_body(
        &self,
        name: &str,
        params: Document,
        body: Option<ByteStream>,
    ) -> Result<ActionResult, Error> {
        block_on(self.inner.action_with_body(name, params, body))?.map(ActionResult::from)
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
                ActionResult::Resources(rs.into_iter().map(Resource::from).collect())
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

    /// The one resource, or an error naming what came back instead.
    pub fn into_resource(self) -> Result<Resource, Error> {
        match self {
            ActionResult::Resource(r) => Ok(r),
            other => Err(Error::Resource(format!(
                "the action returned {other:?}, not one resource"
            ))),
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
    block_on(r::batch_action(&inner, name, params))?.map(Output::from)
}

/// EC2's tag shortcuts (see `crate::resource::ServiceResource::create_tags`).
impl ServiceResource {
    /// See [`r::ServiceResource::create_tags`].
    pub fn create_tags(&self, resources: &[&str], tags: Document) -> Result<Vec<Resource>, Error> {
        Ok(block_on(self.inner.create_tags(resources, tags))??
            .into_iter()
            .map(Resource::from)
            .collect())
    }
}

impl Resource {
    /// See [`r::Resource::delete_tags`].
    pub fn delete_tags(&self, params: Document) -> Result<Output, Error> {
        block_on(self.inner.delete_tags(params))?.map(Output::from)
    }
}
