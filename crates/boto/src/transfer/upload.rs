//! Uploads and the multipart machinery copies share: CreateMultipartUpload, the parts several at
//! a time, CompleteMultipartUpload; on any failure the parts still in flight are stopped first
//! and then the upload is aborted, and the error says whether that cleanup worked.

use super::config::{equal_parts, TransferConfig, MAX_PARTS};
use super::progress::Meter;
use super::{merge, Cleanup, TransferError};
use crate::client::Client;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;
use boto_core::http::ByteStream;
use bytes::BytesMut;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt};

/// One part's work.
pub(crate) enum Job {
    /// UploadPart with this body of this many bytes.
    Upload(ByteStream, u64),
    /// UploadPartCopy of this `bytes=a-b` range of the copy source, of this many bytes.
    Copy(String, u64),
}

/// Where the parts come from, in order.
pub(crate) enum Parts<'a, R> {
    /// Ranges of a file.
    File {
        path: PathBuf,
        ranges: std::vec::IntoIter<(u64, u64)>,
    },
    /// Chunks read from a stream (the first ones already read).
    Reader {
        reader: &'a mut R,
        chunk: usize,
        pending: BytesMut,
        eof: bool,
    },
    /// Ranges of the copy source.
    Copy {
        ranges: std::vec::IntoIter<(u64, u64)>,
    },
}

impl Job {
    /// The part's size in bytes.
    fn len(&self) -> u64 {
        match self {
            Job::Upload(_, len) | Job::Copy(_, len) => *len,
        }
    }
}

impl<R: AsyncRead + Unpin> Parts<'_, R> {
    async fn next(&mut self) -> Result<Option<Job>, Error> {
        match self {
            Parts::File { path, ranges } => Ok(ranges
                .next()
                .map(|(off, len)| Job::Upload(ByteStream::from_path_range(&*path, off, len), len))),
            Parts::Copy { ranges } => Ok(ranges
                .next()
                .map(|(off, len)| Job::Copy(format!("bytes={}-{}", off, off + len - 1), len))),
            Parts::Reader {
                reader,
                chunk,
                pending,
                eof,
            } => {
                while pending.len() < *chunk && !*eof {
                    let want = *chunk - pending.len();
                    *eof = read_more(reader, pending, want).await? == 0;
                }
                if pending.is_empty() {
                    return Ok(None);
                }
                let take = pending.len().min(*chunk);
                let bytes = pending.split_to(take).freeze();
                Ok(Some(Job::Upload(ByteStream::from(bytes), take as u64)))
            }
        }
    }
}

/// Reads up to `want` more bytes into `buf`; 0 at the end of the stream.
async fn read_more<R: AsyncRead + Unpin>(
    reader: &mut R,
    buf: &mut BytesMut,
    want: usize,
) -> Result<usize, Error> {
    buf.reserve(want.min(8 << 20));
    Ok((&mut *reader).take(want as u64).read_buf(buf).await?)
}

/// See [`crate::transfer::upload_file`].
pub(crate) async fn from_path(
    client: &Client,
    path: &Path,
    bucket: &str,
    key: &str,
    extra: &Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    let size = tokio::fs::metadata(path).await?.len();
    let meter = Meter::new(config);
    if size < config.multipart_threshold {
        let body = ByteStream::from_path(path).await?;
        return put(client, bucket, key, extra, body, size, &meter).await;
    }
    let mut parts: Parts<'_, tokio::io::Empty> = Parts::File {
        path: path.to_path_buf(),
        ranges: config.part_ranges(size).into_iter(),
    };
    multipart(
        client,
        bucket,
        key,
        extra,
        &Document::map(),
        &mut parts,
        config,
        &meter,
    )
    .await
}

/// See [`crate::transfer::upload_fileobj`]: the first `multipart_threshold` bytes decide
/// between one PutObject and a multipart upload; then chunks are read as parts go out, so at
/// most `max_concurrency` parts sit in memory.
pub(crate) async fn from_reader<R: AsyncRead + Unpin>(
    client: &Client,
    mut reader: R,
    bucket: &str,
    key: &str,
    extra: &Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    let meter = Meter::new(config);
    let threshold = usize::try_from(config.multipart_threshold).unwrap_or(usize::MAX);
    let mut first = BytesMut::new();
    let mut eof = false;
    while first.len() < threshold && !eof {
        let want = threshold - first.len();
        eof = read_more(&mut reader, &mut first, want).await? == 0;
    }
    if first.len() < threshold || first.is_empty() {
        let n = first.len() as u64;
        let body = ByteStream::from(first.freeze());
        return put(client, bucket, key, extra, body, n, &meter).await;
    }
    let chunk = usize::try_from(config.multipart_chunksize.max(1)).unwrap_or(usize::MAX);
    let mut parts = Parts::Reader {
        reader: &mut reader,
        chunk,
        pending: first,
        eof,
    };
    multipart(
        client,
        bucket,
        key,
        extra,
        &Document::map(),
        &mut parts,
        config,
        &meter,
    )
    .await
}

async fn put(
    client: &Client,
    bucket: &str,
    key: &str,
    extra: &Document,
    body: ByteStream,
    size: u64,
    meter: &Meter,
) -> Result<Document, Error> {
    meter.throttle(size).await;
    let input = merge(doc! {"Bucket": bucket, "Key": key}, extra);
    let out = client
        .invoke("PutObject", input, Some(body))
        .await?
        .document;
    meter.moved(size);
    Ok(out)
}

/// A multipart upload (or copy) from start to end. `create_extra` goes to
/// CreateMultipartUpload, `part_extra` to each part.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn multipart<R: AsyncRead + Unpin>(
    client: &Client,
    bucket: &str,
    key: &str,
    create_extra: &Document,
    part_extra: &Document,
    parts: &mut Parts<'_, R>,
    config: &TransferConfig,
    meter: &Meter,
) -> Result<Document, Error> {
    let start = Start::Create {
        extra: create_extra,
        keep_on_failure: false,
    };
    multipart_from(client, bucket, key, start, part_extra, parts, config, meter).await
}

/// How a multipart upload begins.
pub(crate) enum Start<'a> {
    /// CreateMultipartUpload with these parameters; on failure the upload is aborted unless
    /// `keep_on_failure` (a resumable upload keeps its parts for the next run).
    Create {
        extra: &'a Document,
        keep_on_failure: bool,
    },
    /// An upload already there, with the parts (by number, as CompleteMultipartUpload lists
    /// them) that need not be sent again; kept on failure.
    Resume {
        upload_id: String,
        algorithm: Option<String>,
        kept: BTreeMap<i64, Document>,
    },
}

/// [`multipart`] from a [`Start`].
#[allow(clippy::too_many_arguments)]
pub(crate) async fn multipart_from<R: AsyncRead + Unpin>(
    client: &Client,
    bucket: &str,
    key: &str,
    start: Start<'_>,
    part_extra: &Document,
    parts: &mut Parts<'_, R>,
    config: &TransferConfig,
    meter: &Meter,
) -> Result<Document, Error> {
    let copying = matches!(parts, Parts::Copy { .. });
    let (upload_id, algorithm, kept, keep_on_failure) = match start {
        Start::Create {
            extra,
            keep_on_failure,
        } => {
            let mut create = merge(doc! {"Bucket": bucket, "Key": key}, extra);
            if !copying && create["ChecksumAlgorithm"].is_null() {
                create.set("ChecksumAlgorithm", "CRC32");
            }
            let algorithm = create["ChecksumAlgorithm"].as_str().map(str::to_string);
            let upload_id = client.call("CreateMultipartUpload", create).await?["UploadId"]
                .as_str()
                .ok_or_else(|| {
                    Error::Resource("CreateMultipartUpload returned no UploadId".into())
                })?
                .to_string();
            (upload_id, algorithm, BTreeMap::new(), keep_on_failure)
        }
        Start::Resume {
            upload_id,
            algorithm,
            kept,
        } => (upload_id, algorithm, kept, true),
    };
    let target = Target {
        client: client.clone(),
        bucket: bucket.to_string(),
        key: key.to_string(),
        upload_id: upload_id.clone(),
        algorithm,
        part_extra: part_extra.clone(),
        meter: meter.clone(),
    };
    let outcome = async {
        let parts = send_parts(&target, parts, config, &kept).await?;
        let complete = doc! {
            "Bucket": bucket, "Key": key, "UploadId": upload_id.as_str(),
            "MultipartUpload": {"Parts": parts},
        };
        client.call("CompleteMultipartUpload", complete).await
    }
    .await;
    match outcome {
        Ok(done) => Ok(done),
        Err(error) if keep_on_failure => Err(TransferError::Multipart {
            bucket: bucket.to_string(),
            key: key.to_string(),
            upload_id,
            error: Box::new(error),
            cleanup: Cleanup::Kept,
        }
        .into()),
        Err(error) => {
            let abort = doc! {"Bucket": bucket, "Key": key, "UploadId": upload_id.as_str()};
            let cleanup = match client.call("AbortMultipartUpload", abort).await {
                // Already gone: nothing is left to clean up.
                Ok(_) => Cleanup::Aborted,
                Err(e) if e.code() == Some("NoSuchUpload") => Cleanup::Aborted,
                Err(e) => Cleanup::AbortFailed(Box::new(e)),
            };
            Err(TransferError::Multipart {
                bucket: bucket.to_string(),
                key: key.to_string(),
                upload_id,
                error: Box::new(error),
                cleanup,
            }
            .into())
        }
    }
}

/// What every part task needs.
#[derive(Clone)]
struct Target {
    client: Client,
    bucket: String,
    key: String,
    upload_id: String,
    algorithm: Option<String>,
    part_extra: Document,
    meter: Meter,
}

impl Target {
    async fn send(&self, number: i64, job: Job) -> Result<Document, Error> {
        let mut input = merge(
            doc! {
                "Bucket": self.bucket.as_str(), "Key": self.key.as_str(),
                "UploadId": self.upload_id.as_str(), "PartNumber": number,
            },
            &self.part_extra,
        );
        let (out, len) = match job {
            Job::Upload(body, len) => {
                if let Some(alg) = &self.algorithm {
                    input.set("ChecksumAlgorithm", alg.as_str());
                }
                self.meter.throttle(len).await;
                let out = self.client.invoke("UploadPart", input, Some(body)).await?;
                (out.document, len)
            }
            Job::Copy(range, len) => {
                input.set("CopySourceRange", range);
                let out = self.client.call("UploadPartCopy", input).await?;
                (out["CopyPartResult"].clone(), len)
            }
        };
        let etag = out["ETag"].as_str().ok_or_else(|| {
            Error::Resource(format!(
                "part {number} of {}/{} got no ETag",
                self.bucket, self.key
            ))
        })?;
        let mut part = doc! {"PartNumber": number, "ETag": etag};
        for member in [
            "ChecksumCRC32",
            "ChecksumCRC32C",
            "ChecksumSHA1",
            "ChecksumSHA256",
        ] {
            if let Some(v) = out[member].as_str() {
                part.set(member, v);
            }
        }
        self.meter.moved(len);
        Ok(part)
    }
}

/// Sends every part, at most `max_concurrency` at once. On the first failure no new part starts
/// and the parts in flight are let finish, as s3transfer does: a part cancelled after its bytes
/// left could still reach S3 after the abort and be stored (and billed) with no upload to own it.
/// Parts in `kept` (a resumed upload's) are not sent again; their bytes count as moved.
async fn send_parts<R: AsyncRead + Unpin>(
    target: &Target,
    parts: &mut Parts<'_, R>,
    config: &TransferConfig,
    kept: &BTreeMap<i64, Document>,
) -> Result<Vec<Document>, Error> {
    let target = Arc::new(target.clone());
    let slots = Arc::new(tokio::sync::Semaphore::new(config.concurrency()));
    let mut tasks = tokio::task::JoinSet::new();
    let mut done = Vec::new();
    let mut number = 0i64;
    let failure = loop {
        let slot = match slots.clone().acquire_owned().await {
            Ok(slot) => slot,
            Err(e) => break Some(Error::Usage(e.to_string())),
        };
        if let Err(e) = reap(&mut tasks, &mut done) {
            break Some(e);
        }
        let job = match parts.next().await {
            Ok(Some(job)) => job,
            Ok(None) => break None,
            Err(e) => break Some(e),
        };
        number += 1;
        if number as u64 > MAX_PARTS {
            break Some(TransferError::TooManyParts { max: MAX_PARTS }.into());
        }
        if let Some(part) = kept.get(&number) {
            target.meter.moved(job.len());
            done.push(part.clone());
            continue;
        }
        let target = target.clone();
        tasks.spawn(async move {
            let _slot = slot;
            target.send(number, job).await
        });
    };
    let failure = match failure {
        Some(e) => Some(e),
        None => loop {
            match tasks.join_next().await {
                None => break None,
                Some(r) => match part_result(r) {
                    Ok(part) => done.push(part),
                    Err(e) => break Some(e),
                },
            }
        },
    };
    if let Some(e) = failure {
        while tasks.join_next().await.is_some() {}
        return Err(e);
    }
    done.sort_by_key(|p| p["PartNumber"].as_i64());
    Ok(done)
}

type PartTask = Result<Result<Document, Error>, tokio::task::JoinError>;

fn part_result(r: PartTask) -> Result<Document, Error> {
    r.map_err(|e| Error::Usage(format!("an upload task failed: {e}")))?
}

/// Collects the parts finished so far; the first failure among them, if any.
fn reap(
    tasks: &mut tokio::task::JoinSet<Result<Document, Error>>,
    done: &mut Vec<Document>,
) -> Result<(), Error> {
    while let Some(r) = tasks.try_join_next() {
        done.push(part_result(r)?);
    }
    Ok(())
}

/// `(offset, length)` of each part of an object of `size` bytes (for copies).
pub(crate) fn ranges(config: &TransferConfig, size: u64) -> Vec<(u64, u64)> {
    equal_parts(size, config.chunk_size(size))
}
