//! The S3 transfer manager, like boto3's `upload_file` / `download_file`: files above a size
//! threshold move in parts, several at a time. Uploads use multipart upload (aborted on failure)
//! with a CRC32 per part; downloads use ranged GETs written at their offsets into a temporary file
//! that is renamed into place when complete.

use crate::client::Client;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;
use boto_core::http::ByteStream;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

/// When and how transfers split (boto3's `TransferConfig`).
#[derive(Debug, Clone)]
pub struct TransferConfig {
    /// Files this large or larger move in parts (8 MiB).
    pub multipart_threshold: u64,
    /// The size of each part (8 MiB; S3 needs at least 5 MiB for all but the last).
    pub multipart_chunksize: u64,
    /// Parts in flight at once (10).
    pub max_concurrency: usize,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            multipart_threshold: 8 << 20,
            multipart_chunksize: 8 << 20,
            max_concurrency: 10,
        }
    }
}

impl TransferConfig {
    fn part_ranges(&self, size: u64) -> Vec<(u64, u64)> {
        let chunk = self.multipart_chunksize.max(1);
        (0..size.div_ceil(chunk))
            .map(|i| (i * chunk, chunk.min(size - i * chunk)))
            .collect()
    }
}

fn merge(base: Document, extra: &Document) -> Document {
    let mut out = base;
    if let Some(m) = extra.as_map() {
        for (k, v) in m {
            out.set(k.clone(), v.clone());
        }
    }
    out
}

/// Uploads the file at `path` to `bucket`/`key`; `extra` adds PutObject / CreateMultipartUpload
/// parameters (`ContentType`, `Metadata`, ...). Returns the final response.
pub async fn upload_file(
    client: &Client,
    path: impl AsRef<Path>,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    let path = path.as_ref();
    let size = tokio::fs::metadata(path).await?.len();
    let target = doc! {"Bucket": bucket, "Key": key};
    if size < config.multipart_threshold {
        let body = ByteStream::from_path(path).await?;
        return Ok(client
            .invoke("PutObject", merge(target, &extra), Some(body))
            .await?
            .document);
    }
    let create = merge(
        merge(target.clone(), &extra),
        &doc! {"ChecksumAlgorithm": "CRC32"},
    );
    let upload_id = client.call("CreateMultipartUpload", create).await?["UploadId"]
        .as_str()
        .ok_or_else(|| Error::Resource("CreateMultipartUpload returned no UploadId".into()))?
        .to_string();
    match upload_parts(client, path, bucket, key, &upload_id, size, config).await {
        Ok(parts) => {
            let complete = doc! {
                "Bucket": bucket, "Key": key, "UploadId": upload_id.as_str(),
                "MultipartUpload": {"Parts": parts},
            };
            Ok(client.call("CompleteMultipartUpload", complete).await?)
        }
        Err(e) => {
            // Leave no billed parts behind; the original error is what the caller needs.
            let abort = doc! {"Bucket": bucket, "Key": key, "UploadId": upload_id.as_str()};
            let _ = client.call("AbortMultipartUpload", abort).await;
            Err(e)
        }
    }
}

async fn upload_parts(
    client: &Client,
    path: &Path,
    bucket: &str,
    key: &str,
    upload_id: &str,
    size: u64,
    config: &TransferConfig,
) -> Result<Vec<Document>, Error> {
    let ranges = config.part_ranges(size);
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (offset, len)) in ranges.into_iter().enumerate() {
        let number = i as i64 + 1;
        let (client, path, slots) = (client.clone(), path.to_path_buf(), slots.clone());
        let input = doc! {
            "Bucket": bucket, "Key": key, "UploadId": upload_id, "PartNumber": number,
            "ChecksumAlgorithm": "CRC32",
        };
        tasks.spawn(async move {
            let _slot = slots
                .acquire_owned()
                .await
                .map_err(|e| Error::Usage(e.to_string()))?;
            let body = ByteStream::from_path_range(&path, offset, len);
            let out = client.invoke("UploadPart", input, Some(body)).await?;
            let mut part = doc! {"PartNumber": number, "ETag": out["ETag"].clone()};
            if let Some(crc) = out["ChecksumCRC32"].as_str() {
                part.set("ChecksumCRC32", crc);
            }
            Ok::<_, Error>(part)
        });
    }
    let mut parts = Vec::new();
    while let Some(done) = tasks.join_next().await {
        parts.push(done.map_err(|e| Error::Usage(format!("an upload task failed: {e}")))??);
    }
    parts.sort_by_key(|p| p["PartNumber"].as_i64());
    Ok(parts)
}

/// Downloads `bucket`/`key` into the file at `path` (replacing it only once the whole object
/// arrived). Returns the number of bytes.
pub async fn download_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
) -> Result<u64, Error> {
    let path = path.as_ref();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.boto-{}.part", std::process::id()));
    let result = download_into(client, bucket, key, &tmp, config).await;
    match result {
        Ok(n) => {
            tokio::fs::rename(&tmp, path).await?;
            Ok(n)
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            Err(e)
        }
    }
}

async fn download_into(
    client: &Client,
    bucket: &str,
    key: &str,
    tmp: &Path,
    config: &TransferConfig,
) -> Result<u64, Error> {
    let head = client
        .call("HeadObject", doc! {"Bucket": bucket, "Key": key})
        .await?;
    let size = head["ContentLength"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    let etag = head["ETag"].as_str().map(str::to_string);
    if size < config.multipart_threshold {
        let out = client
            .invoke("GetObject", doc! {"Bucket": bucket, "Key": key}, None)
            .await?;
        let body = out
            .body
            .ok_or_else(|| Error::Resource("GetObject returned no body".into()))?;
        return Ok(body.into_file(tmp).await?);
    }
    std::fs::File::create(tmp)?.set_len(size)?;
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (offset, len) in config.part_ranges(size) {
        let (client, tmp, slots) = (client.clone(), tmp.to_path_buf(), slots.clone());
        let mut input = doc! {"Bucket": bucket, "Key": key, "Range": format!("bytes={}-{}", offset, offset + len - 1)};
        // Every range must come from the same version of the object.
        if let Some(tag) = &etag {
            input.set("IfMatch", tag.as_str());
        }
        tasks.spawn(async move {
            let _slot = slots
                .acquire_owned()
                .await
                .map_err(|e| Error::Usage(e.to_string()))?;
            let out = client.invoke("GetObject", input, None).await?;
            let mut body = out
                .body
                .ok_or_else(|| Error::Resource("GetObject returned no body".into()))?;
            let mut file = std::fs::OpenOptions::new().write(true).open(&tmp)?;
            file.seek(SeekFrom::Start(offset))?;
            let mut written = 0u64;
            while let Some(chunk) = body.next_chunk().await {
                let chunk = chunk?;
                file.write_all(&chunk)?;
                written += chunk.len() as u64;
            }
            if written != len {
                return Err(Error::Resource(format!(
                    "range at {offset} returned {written} of {len} bytes"
                )));
            }
            Ok::<_, Error>(written)
        });
    }
    let mut total = 0;
    while let Some(done) = tasks.join_next().await {
        total += done.map_err(|e| Error::Usage(format!("a download task failed: {e}")))??;
    }
    Ok(total)
}

/// The transfer manager's shortcuts on a client, with the default [`TransferConfig`] (boto3
/// injects the same methods into its S3 client).
impl Client {
    /// Uploads a file, in parts when it is large (`s3.upload_file`); see this module.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// let s3 = boto::client("s3")?;
    /// s3.upload_file("backup.tar.gz", "backupbucket", "2026/11/backup.tar.gz").await?;
    /// s3.download_file("backupbucket", "2026/11/backup.tar.gz", "restored.tar.gz").await?;
    /// # Ok(()) }
    /// ```
    pub async fn upload_file(
        &self,
        path: impl AsRef<std::path::Path>,
        bucket: &str,
        key: &str,
    ) -> Result<Document, Error> {
        let config = TransferConfig::default();
        upload_file(self, path, bucket, key, Document::map(), &config).await
    }

    /// Downloads an object into a file, by ranges when it is large (`s3.download_file`).
    pub async fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<std::path::Path>,
    ) -> Result<u64, Error> {
        let config = TransferConfig::default();
        download_file(self, bucket, key, path, &config).await
    }
}

#[cfg(test)]
mod tests {
    use super::TransferConfig;

    #[test]
    fn parts_cover_the_file_exactly() {
        let c = TransferConfig {
            multipart_chunksize: 5,
            ..Default::default()
        };
        assert_eq!(c.part_ranges(12), vec![(0, 5), (5, 5), (10, 2)]);
        assert_eq!(c.part_ranges(10), vec![(0, 5), (5, 5)]);
        assert!(c.part_ranges(0).is_empty());
    }
}
