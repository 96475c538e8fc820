//! Managed copy (boto3's `copy`): CopyObject below the multipart threshold, UploadPartCopy in
//! parts above it, with the same cleanup as uploads.

use super::config::TransferConfig;
use super::merge;
use super::progress::Meter;
use super::upload::{self, Parts};
use crate::client::Client;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;

/// Arguments that belong to the parts of a multipart copy, not to CreateMultipartUpload.
const PART_ARGS: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerKeyMD5",
    "ExpectedSourceBucketOwner",
];

/// Arguments of a copy that CreateMultipartUpload does not take.
const NOT_FOR_CREATE: &[&str] = &["MetadataDirective", "TaggingDirective"];

/// Arguments both the parts and the upload take.
const SHARED_ARGS: &[&str] = &[
    "RequestPayer",
    "ExpectedBucketOwner",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
];

/// See [`crate::transfer::copy`].
pub(crate) async fn copy(
    client: &Client,
    copy_source: &Document,
    bucket: &str,
    key: &str,
    extra: &Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    let (Some(src_bucket), Some(src_key)) =
        (copy_source["Bucket"].as_str(), copy_source["Key"].as_str())
    else {
        return Err(Error::Usage(format!(
            "copy_source needs Bucket and Key (and may have VersionId), not {copy_source}"
        )));
    };
    let mut head = doc! {"Bucket": src_bucket, "Key": src_key};
    if let Some(v) = copy_source["VersionId"].as_str() {
        head.set("VersionId", v);
    }
    for (from, to) in [
        ("CopySourceSSECustomerAlgorithm", "SSECustomerAlgorithm"),
        ("CopySourceSSECustomerKey", "SSECustomerKey"),
        ("CopySourceSSECustomerKeyMD5", "SSECustomerKeyMD5"),
        ("RequestPayer", "RequestPayer"),
        ("ExpectedSourceBucketOwner", "ExpectedBucketOwner"),
    ] {
        if !extra[from].is_null() {
            head.set(to, extra[from].clone());
        }
    }
    let size = client.call("HeadObject", head).await?["ContentLength"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    let meter = Meter::new(config);
    if size < config.multipart_threshold {
        let input = merge(
            doc! {"Bucket": bucket, "Key": key, "CopySource": copy_source.clone()},
            extra,
        );
        let out = client.call("CopyObject", input).await?;
        meter.moved(size);
        return Ok(out);
    }
    let (mut create, mut part) = (Document::map(), doc! {"CopySource": copy_source.clone()});
    if let Some(args) = extra.as_map() {
        for (k, v) in args {
            let k = k.as_str();
            if PART_ARGS.contains(&k) {
                part.set(k, v.clone());
            } else if SHARED_ARGS.contains(&k) {
                part.set(k, v.clone());
                create.set(k, v.clone());
            } else if !NOT_FOR_CREATE.contains(&k) {
                create.set(k, v.clone());
            }
        }
    }
    let mut parts: Parts<'_, tokio::io::Empty> = Parts::Copy {
        ranges: upload::ranges(config, size).into_iter(),
    };
    upload::multipart(
        client, bucket, key, &create, &part, &mut parts, config, &meter,
    )
    .await
}
