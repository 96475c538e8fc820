//! S3 `Bucket.load`: the resource model gives a Bucket no load request, and boto3 injects one
//! (`boto3.s3.inject.bucket_load`) that finds the bucket's data (`CreationDate`, ...) in
//! ListBuckets. A bucket that is not listed, or a ListBuckets that is denied, loads as empty data.

use super::{LoadFuture, ResourceCustomization};
use crate::error::Error;
use crate::resource::Resource;
use boto_core::doc;
use boto_core::document::Document;

/// The injected `Bucket.load`.
pub(crate) struct BucketLoad;

impl ResourceCustomization for BucketLoad {
    fn name(&self) -> &'static str {
        "s3-bucket-load"
    }

    fn load<'a>(&self, resource: &'a Resource) -> Option<LoadFuture<'a>> {
        (resource.type_name() == "Bucket").then(|| Box::pin(bucket_data(resource)) as LoadFuture)
    }
}

async fn bucket_data(bucket: &Resource) -> Result<Document, Error> {
    let name = bucket.identifier("Name").unwrap_or_default();
    let listing = match bucket.client().call("ListBuckets", doc! {}).await {
        Ok(l) => l,
        Err(e) if e.code() == Some("AccessDenied") => return Ok(Document::map()),
        Err(e) => return Err(e),
    };
    Ok(listing["Buckets"]
        .iter()
        .find(|b| b["Name"].as_str() == Some(name))
        .cloned()
        .unwrap_or_else(Document::map))
}
