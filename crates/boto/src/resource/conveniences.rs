//! Named shortcuts over the model-driven engine for the resources people use most (S3 buckets and
//! objects, SQS queues and messages). Each one is a single call into the generic engine: the model
//! still decides the requests.

use super::{ActionResult, Collection, Resource, ServiceResource};
use crate::error::Error;
use boto_core::client::Output;
use boto_core::doc;
use boto_core::document::{Document, Timestamp};
use boto_core::http::ByteStream;

impl ServiceResource {
    /// `s3.Bucket(name)`. Makes no request.
    pub fn bucket(&self, name: &str) -> Result<Resource, Error> {
        self.resource("Bucket", &[name])
    }

    /// `s3.Object(bucket, key)`. Makes no request.
    pub fn object(&self, bucket: &str, key: &str) -> Result<Resource, Error> {
        self.resource("Object", &[bucket, key])
    }

    /// `s3.buckets`.
    pub fn buckets(&self) -> Result<Collection, Error> {
        self.collection("Buckets")
    }

    /// `s3.create_bucket(Bucket=name, ...)`; `params` may add `CreateBucketConfiguration` etc.
    pub async fn create_bucket(&self, name: &str, mut params: Document) -> Result<Resource, Error> {
        let _ = params.insert("Bucket", name);
        self.action("CreateBucket", params).await?.into_resource()
    }

    /// `sqs.get_queue_by_name(QueueName=name)`.
    pub async fn get_queue_by_name(&self, name: &str) -> Result<Resource, Error> {
        self.action("GetQueueByName", doc! {"QueueName": name})
            .await?
            .into_resource()
    }

    /// `sqs.create_queue(QueueName=name, ...)`.
    pub async fn create_queue(&self, name: &str, mut params: Document) -> Result<Resource, Error> {
        let _ = params.insert("QueueName", name);
        self.action("CreateQueue", params).await?.into_resource()
    }

    /// `sqs.queues`.
    pub fn queues(&self) -> Result<Collection, Error> {
        self.collection("Queues")
    }
}

impl Resource {
    /// `bucket.objects` (S3).
    pub fn objects(&self) -> Result<Collection, Error> {
        self.collection("Objects")
    }

    /// The `Key` identifier (S3 objects and object summaries).
    pub fn key(&self) -> Option<&str> {
        self.identifier("Key")
    }

    /// The `Name` identifier (S3 buckets).
    pub fn name(&self) -> Option<&str> {
        self.identifier("Name")
    }

    /// The `Url` identifier (SQS queues).
    pub fn url(&self) -> Option<&str> {
        self.identifier("Url")
    }

    /// `Size` from the listing (S3 object summaries).
    pub fn size(&self) -> Option<i64> {
        self.attr_loaded("Size").as_i64()
    }

    /// `LastModified` from the listing (S3 object summaries).
    pub fn last_modified(&self) -> Option<Timestamp> {
        self.attr_loaded("LastModified").as_timestamp()
    }

    /// `Body` of a received message (SQS).
    pub fn body(&self) -> Option<String> {
        self.attr_loaded("Body").as_str().map(str::to_string)
    }

    /// `bucket.put_object(Key=key, Body=body)`; the body streams (bytes, file or stream).
    pub async fn put_object(
        &self,
        key: &str,
        body: impl Into<ByteStream>,
    ) -> Result<Resource, Error> {
        self.action_with_body("PutObject", doc! {"Key": key}, Some(body.into()))
            .await?
            .into_resource()
    }

    /// `bucket.upload_file(Filename, Key)` (on a Bucket) or `object.upload_file(Filename)` (on an
    /// Object, `key` ignored): multipart above the transfer threshold.
    pub async fn upload_file(
        &self,
        path: impl AsRef<std::path::Path>,
        key: &str,
    ) -> Result<Document, Error> {
        let (bucket, key) = self.bucket_and_key(key)?;
        self.client().upload_file(path, &bucket, &key).await
    }

    /// `bucket.download_file(Key, Filename)` / `object.download_file(Filename)`.
    pub async fn download_file(
        &self,
        key: &str,
        path: impl AsRef<std::path::Path>,
    ) -> Result<u64, Error> {
        let (bucket, key) = self.bucket_and_key(key)?;
        self.client().download_file(&bucket, &key, path).await
    }

    /// `bucket.upload_fileobj(Fileobj, Key)` / `object.upload_fileobj(Fileobj)`: see
    /// [`crate::transfer::upload_fileobj`].
    pub async fn upload_fileobj<R: tokio::io::AsyncRead + Unpin>(
        &self,
        reader: R,
        key: &str,
    ) -> Result<Document, Error> {
        let (bucket, key) = self.bucket_and_key(key)?;
        self.client().upload_fileobj(reader, &bucket, &key).await
    }

    /// `bucket.download_fileobj(Key, Fileobj)` / `object.download_fileobj(Fileobj)`: see
    /// [`crate::transfer::download_fileobj`].
    pub async fn download_fileobj<W: tokio::io::AsyncWrite + Unpin>(
        &self,
        key: &str,
        writer: W,
    ) -> Result<u64, Error> {
        let (bucket, key) = self.bucket_and_key(key)?;
        self.client().download_fileobj(&bucket, &key, writer).await
    }

    /// `bucket.copy(CopySource, Key)` / `object.copy(CopySource)`: a managed copy of
    /// `copy_source` (`{"Bucket": .., "Key": ..}`) to this bucket under `key`, or onto this
    /// object (`key` ignored); see [`crate::transfer::copy`].
    pub async fn copy(&self, copy_source: Document, key: &str) -> Result<Document, Error> {
        let (bucket, key) = self.bucket_and_key(key)?;
        self.client().copy(copy_source, &bucket, &key).await
    }

    /// The bucket and key a transfer acts on: a Bucket's name with `key`, or an Object's own.
    pub(crate) fn bucket_and_key(&self, key: &str) -> Result<(String, String), Error> {
        match (
            self.identifier("Name"),
            self.identifier("BucketName"),
            self.identifier("Key"),
        ) {
            (Some(bucket), _, _) => Ok((bucket.to_string(), key.to_string())),
            (None, Some(bucket), Some(own)) => Ok((bucket.to_string(), own.to_string())),
            _ => Err(Error::Resource(format!(
                "{} is not an S3 bucket or object",
                self.type_name()
            ))),
        }
    }

    /// `object.get()`: the response with its `Body` as an unread stream.
    pub async fn get(&self) -> Result<Output, Error> {
        self.action("Get", Document::map()).await?.into_output()
    }

    /// `delete()` (objects, buckets, queues, messages).
    pub async fn delete(&self) -> Result<Output, Error> {
        self.action("Delete", Document::map()).await?.into_output()
    }

    /// `queue.send_message(MessageBody=body)`.
    pub async fn send_message(&self, body: &str) -> Result<Document, Error> {
        Ok(self
            .action("SendMessage", doc! {"MessageBody": body})
            .await?
            .into_output()?
            .document)
    }

    /// `queue.receive_messages(**params)`.
    pub async fn receive_messages(&self, params: Document) -> Result<Vec<Resource>, Error> {
        Ok(match self.action("ReceiveMessages", params).await? {
            ActionResult::Response(_) => Vec::new(),
            other => other.into_resources(),
        })
    }
}

/// EC2's tag shortcuts, over the actions boto3 injects (`resource/customize/ec2_tags.rs`).
impl ServiceResource {
    /// `ec2.create_tags(Resources=[..], Tags=[{"Key": .., "Value": ..}])`: tags every resource
    /// with every tag in one CreateTags call, and returns the `Tag` resources it made.
    pub async fn create_tags(
        &self,
        resources: &[&str],
        tags: Document,
    ) -> Result<Vec<Resource>, Error> {
        let params = doc! {"Resources": resources.to_vec(), "Tags": tags};
        Ok(self.action("CreateTags", params).await?.into_resources())
    }
}

impl Resource {
    /// `instance.delete_tags(Tags=[..])` (EC2): DeleteTags for this resource (a tag given by
    /// `Key` alone goes whatever its value).
    pub async fn delete_tags(&self, params: Document) -> Result<Output, Error> {
        self.action("DeleteTags", params).await?.into_output()
    }
}
