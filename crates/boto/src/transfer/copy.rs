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

/// Arguments each UploadPartCopy takes (s3transfer's list).
const PART_ARGS: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerKeyMD5",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// Arguments of a copy that CreateMultipartUpload does not take.
const NOT_FOR_CREATE: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerKeyMD5",
    "MetadataDirective",
    "TaggingDirective",
    "Tagging",
];

/// Arguments of a copy that go to the source's HeadObject, under their HeadObject names.
const HEAD_ARGS: &[(&str, &str)] = &[
    ("CopySourceIfMatch", "IfMatch"),
    ("CopySourceIfModifiedSince", "IfModifiedSince"),
    ("CopySourceIfNoneMatch", "IfNoneMatch"),
    ("CopySourceIfUnmodifiedSince", "IfUnmodifiedSince"),
    ("CopySourceSSECustomerAlgorithm", "SSECustomerAlgorithm"),
    ("CopySourceSSECustomerKey", "SSECustomerKey"),
    ("CopySourceSSECustomerKeyMD5", "SSECustomerKeyMD5"),
    ("RequestPayer", "RequestPayer"),
    ("ExpectedBucketOwner", "ExpectedBucketOwner"),
];

/// What CopyObject keeps of the source and a multipart upload does not by itself: s3transfer
/// carries these from the source's HeadObject unless `MetadataDirective` is `REPLACE`.
const PRESERVED: &[&str] = &[
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "Expires",
    "Metadata",
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
    for (from, to) in HEAD_ARGS {
        if !extra[*from].is_null() {
            head.set(*to, extra[*from].clone());
        }
    }
    let source = client.call("HeadObject", head).await?;
    let size = source["ContentLength"]
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
    let replace = extra["MetadataDirective"].as_str() == Some("REPLACE");
    let (mut create, mut part) = (Document::map(), doc! {"CopySource": copy_source.clone()});
    if let Some(args) = extra.as_map() {
        for (k, v) in args {
            let k = k.as_str();
            if PART_ARGS.contains(&k) {
                part.set(k, v.clone());
            }
            if !NOT_FOR_CREATE.contains(&k) && (replace || !PRESERVED.contains(&k)) {
                create.set(k, v.clone());
            }
        }
    }
    if !replace {
        for field in PRESERVED {
            if !source[*field].is_null() {
                create.set(*field, source[*field].clone());
            }
        }
    }
    let mut parts: Parts<'_, tokio::io::Empty> = Parts::Copy {
        ranges: upload::ranges(config, size).into_iter(),
    };
    let done = upload::multipart(
        client, bucket, key, &create, &part, &mut parts, config, &meter,
    )
    .await?;
    copy_tags(client, copy_source, bucket, key, extra, &done).await?;
    Ok(done)
}

/// `TaggingDirective` for a multipart copy, which S3 does not apply by itself: `COPY` puts the
/// source's tags on the copy, `REPLACE` those of `Tagging` (`k=v&k2=v2`).
async fn copy_tags(
    client: &Client,
    copy_source: &Document,
    bucket: &str,
    key: &str,
    extra: &Document,
    done: &Document,
) -> Result<(), Error> {
    let mut owner_args = Document::map();
    for arg in ["RequestPayer", "ExpectedBucketOwner"] {
        if !extra[arg].is_null() {
            owner_args.set(arg, extra[arg].clone());
        }
    }
    let tags = match extra["TaggingDirective"].as_str() {
        Some("COPY") => {
            let mut get = merge(
                doc! {"Bucket": copy_source["Bucket"].clone(), "Key": copy_source["Key"].clone()},
                &owner_args,
            );
            if let Some(v) = copy_source["VersionId"].as_str() {
                get.set("VersionId", v);
            }
            client.call("GetObjectTagging", get).await?["TagSet"].clone()
        }
        Some("REPLACE") => Document::List(
            extra["Tagging"]
                .as_str()
                .unwrap_or_default()
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    doc! {"Key": form_decode(k), "Value": form_decode(v)}
                })
                .collect(),
        ),
        _ => return Ok(()),
    };
    if tags.as_list().is_none_or(|l| l.is_empty()) {
        return Ok(());
    }
    let mut put = merge(
        doc! {"Bucket": bucket, "Key": key, "Tagging": {"TagSet": tags}},
        &owner_args,
    );
    if let Some(v) = done["VersionId"].as_str() {
        put.set("VersionId", v);
    }
    client.call("PutObjectTagging", put).await?;
    Ok(())
}

/// Decodes one `application/x-www-form-urlencoded` value (`+` is a space).
fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tagging_values_are_form_decoded() {
        assert_eq!(super::form_decode("a+b%2Fc%3D"), "a b/c=");
        assert_eq!(super::form_decode("100%"), "100%");
        assert_eq!(super::form_decode("%zz"), "%zz");
    }
}
