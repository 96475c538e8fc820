//! Loads the resource models leave out, declared per (service, resource type), as boto3 injects
//! them: an S3 Bucket has no load request, so its data (`CreationDate`, ...) is found in
//! ListBuckets, and a bucket that is not listed (or ListBuckets denied) loads as empty data.

use super::Resource;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;

/// The data of `resource` when its type has a declared custom load; `None` when it has none.
pub(crate) async fn load(resource: &Resource) -> Option<Result<Document, Error>> {
    match (resource.client.service_name(), resource.type_name.as_str()) {
        ("s3", "Bucket") => Some(s3_bucket(resource).await),
        _ => None,
    }
}

async fn s3_bucket(bucket: &Resource) -> Result<Document, Error> {
    let name = bucket.identifier("Name").unwrap_or_default();
    let listing = match bucket.client.call("ListBuckets", doc! {}).await {
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
