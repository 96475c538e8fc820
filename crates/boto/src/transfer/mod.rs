//! The S3 transfer manager, like boto3's `upload_file` / `download_file` / `upload_fileobj` /
//! `download_fileobj` / `copy`: objects above a size threshold move in parts, several at a time.
//!
//! Uploads use multipart upload with a CRC32 per part. When anything fails for good (a part,
//! CompleteMultipartUpload), no new part starts, the parts in flight finish, then the upload is
//! aborted,
//! and the error ([`TransferError::Multipart`]) says whether the abort worked. A 200 answer to
//! CompleteMultipartUpload or CopyObject that carries an error, or no result at all, is an error
//! (and retried), so an `Ok` means S3 confirmed the object.
//!
//! Downloads write into a temporary file next to the destination, unique to the transfer, and
//! rename it into place only once every byte arrived and checked out; it is removed on failure.
//! A range whose body breaks off (reset, truncation, stall) is asked again for its missing bytes,
//! pinned to the object's ETag. What is verified:
//! - a small object (one GET): the full-object checksum S3 sends with it, as it is read (a
//!   mismatch fetches it again), and once more over the written file, which also covers a GET
//!   that had to be resumed by range;
//! - an object uploaded in parts whose composite checksum S3 reports (ETag `...-N`, checksum
//!   `...-N` or `ChecksumType: COMPOSITE`): the ranges are laid on the parts (the part size from
//!   HeadObject of part 1, checked against the part count and size) and the checksum of the
//!   parts' checksums is compared with S3's; when HeadObject of a part reports that part's own
//!   checksum (S3 does, with `ChecksumMode`), a file download checks each range against it and
//!   fetches only a range that fails again;
//! - any other object with a full-object checksum (`ChecksumType: FULL_OBJECT`, or a single-part
//!   object): that checksum over the whole object, in order (a CRC32 is combined from the ranges'
//!   CRC32s, each computed as its bytes arrive; other algorithms read the written file back).
//!
//! A file download that does not check out is fetched once more (a flipped byte rarely strikes
//! twice; its bytes are reported to the progress callback again); a second mismatch fails it with
//! [`TransferError::ChecksumMismatch`] and leaves the destination untouched. Objects without a checksum (uploaded without one, or by a server that
//! keeps none), checksum algorithms other than CRC32, CRC32C, SHA-1 and SHA-256, and multipart
//! objects whose part layout cannot be learnt are checked for length only.

mod checksum;
mod config;
mod copy;
mod download;
mod progress;
mod resume;
mod upload;

pub use boto_core::md5::Md5;
pub use config::TransferConfig;
pub use progress::Progress;

use crate::client::Client;
use crate::error::Error;
use boto_core::document::Document;
use std::fmt;
use std::path::Path;
use tokio::io::{AsyncRead, AsyncWrite};

fn merge(base: Document, extra: &Document) -> Document {
    let mut out = base;
    if let Some(m) = extra.as_map() {
        for (k, v) in m {
            out.set(k.clone(), v.clone());
        }
    }
    out
}

/// A transfer that failed in a way no single call explains.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransferError {
    /// A multipart upload or copy failed; `cleanup` says whether its parts were removed.
    Multipart {
        /// The destination bucket.
        bucket: String,
        /// The destination key.
        key: String,
        /// The multipart upload.
        upload_id: String,
        /// What failed.
        error: Box<Error>,
        /// Whether the upload was aborted.
        cleanup: Cleanup,
    },
    /// The downloaded bytes do not match the checksum S3 keeps for the object (a file download
    /// then leaves the destination untouched; a writer has received the bytes).
    ChecksumMismatch {
        /// `CRC32`, `CRC32C`, `SHA1` or `SHA256`.
        algorithm: &'static str,
        /// What S3 reported (base64).
        expected: String,
        /// What the bytes give.
        actual: String,
    },
    /// The object was replaced while it was being downloaded (its ETag changed).
    ObjectChanged {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// A stream upload needed more than S3's 10,000 parts: raise `multipart_chunksize`.
    TooManyParts {
        /// The limit.
        max: u64,
    },
}

/// What became of a failed multipart upload.
#[derive(Debug)]
#[non_exhaustive]
pub enum Cleanup {
    /// AbortMultipartUpload succeeded: no parts are left stored.
    Aborted,
    /// AbortMultipartUpload failed too: the parts stay stored (and billed) until aborted.
    AbortFailed(Box<Error>),
    /// A resumable upload ([`upload_file_resumable`]) left its parts in place on purpose: the
    /// next run with the same file and key continues from them.
    Kept,
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::Multipart {
                bucket,
                key,
                upload_id,
                error,
                cleanup,
            } => {
                write!(
                    f,
                    "the multipart upload of {bucket}/{key} failed: {error}; "
                )?;
                match cleanup {
                    Cleanup::Aborted => {
                        write!(f, "upload {upload_id} was aborted, no parts remain")
                    }
                    Cleanup::AbortFailed(e) => write!(
                        f,
                        "aborting upload {upload_id} failed too ({e}): its parts remain stored"
                    ),
                    Cleanup::Kept => write!(
                        f,
                        "upload {upload_id} keeps its parts: run it again to resume"
                    ),
                }
            }
            TransferError::ChecksumMismatch {
                algorithm,
                expected,
                actual,
            } => write!(
                f,
                "the download is corrupt: its bytes have {algorithm} {actual}, but S3 keeps \
                 {expected} for the object"
            ),
            TransferError::ObjectChanged { bucket, key } => {
                write!(f, "{bucket}/{key} changed while it was being downloaded")
            }
            TransferError::TooManyParts { max } => write!(
                f,
                "the stream needs more than {max} parts: raise multipart_chunksize"
            ),
        }
    }
}

impl std::error::Error for TransferError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransferError::Multipart { error, .. } => error.source(),
            _ => None,
        }
    }
}

impl From<TransferError> for Error {
    fn from(e: TransferError) -> Self {
        Error::Transfer(Box::new(e))
    }
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
    upload::from_path(client, path.as_ref(), bucket, key, &extra, config).await
}

/// Uploads everything `reader` yields (boto3's `upload_fileobj`): one PutObject when it ends
/// before `multipart_threshold` bytes, else a multipart upload whose parts are read as earlier
/// ones go out (at most `max_concurrency` parts in memory).
pub async fn upload_fileobj<R: AsyncRead + Unpin>(
    client: &Client,
    reader: R,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    upload::from_reader(client, reader, bucket, key, &extra, config).await
}

/// Downloads `bucket`/`key` into the file at `path` (replacing it only once the whole object
/// arrived and was verified, see this module). Returns the number of bytes.
pub async fn download_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
) -> Result<u64, Error> {
    download::to_path(client, bucket, key, path.as_ref(), config).await
}

/// Downloads `bucket`/`key` into `writer`, in order (boto3's `download_fileobj`); ranges are
/// fetched concurrently into memory (at most `max_concurrency` of them). The checksum is
/// checked at the end: on a mismatch the writer has received the bytes and the error says they
/// are not the object's. Returns the number of bytes.
pub async fn download_fileobj<W: AsyncWrite + Unpin>(
    client: &Client,
    bucket: &str,
    key: &str,
    writer: W,
    config: &TransferConfig,
) -> Result<u64, Error> {
    download::to_writer(client, bucket, key, writer, config).await
}

/// [`upload_file`] that an interrupted run continues: a multipart upload is left in place when
/// it fails ([`Cleanup::Kept`]), and the next call for the same key finds it
/// (ListMultipartUploads, the newest), keeps each stored part whose size and content (its CRC32
/// when ListParts reports one, else its MD5 ETag) match the file at that part's place, and sends
/// only the rest. Where uploads cannot be listed it starts afresh; the first run's
/// CreateMultipartUpload parameters stay the upload's. Below `multipart_threshold` it is a plain
/// [`upload_file`].
pub async fn upload_file_resumable(
    client: &Client,
    path: impl AsRef<Path>,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    resume::upload_path(client, path.as_ref(), bucket, key, &extra, config).await
}

/// [`download_file`] that an interrupted run continues: the bytes arrive in order into
/// `PATH.boto-partial` (described by `PATH.boto-partial.meta`), and the next call continues
/// from its end when the object's size, ETag and LastModified are unchanged, or starts over
/// when the object changed. The finished file is checked against the object's full-object
/// checksum when S3 reports one. Returns the object's size.
pub async fn download_file_resumable(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
) -> Result<u64, Error> {
    resume::download_path(client, bucket, key, path.as_ref(), config).await
}

/// Copies `copy_source` (`{"Bucket": .., "Key": .., "VersionId": ..}`) to `bucket`/`key`
/// (boto3's managed `copy`): CopyObject below `multipart_threshold`, UploadPartCopy in parts
/// above it. `extra` adds CopyObject parameters (`MetadataDirective`, `ACL`, `CopySourceIfMatch`,
/// ...), which in parts go where each belongs. Returns the final response.
pub async fn copy(
    client: &Client,
    copy_source: Document,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    copy::copy(client, &copy_source, bucket, key, &extra, config).await
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
        path: impl AsRef<Path>,
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
        path: impl AsRef<Path>,
    ) -> Result<u64, Error> {
        let config = TransferConfig::default();
        download_file(self, bucket, key, path, &config).await
    }

    /// Uploads what a reader yields (`s3.upload_fileobj`); see [`upload_fileobj`].
    pub async fn upload_fileobj<R: AsyncRead + Unpin>(
        &self,
        reader: R,
        bucket: &str,
        key: &str,
    ) -> Result<Document, Error> {
        let config = TransferConfig::default();
        upload_fileobj(self, reader, bucket, key, Document::map(), &config).await
    }

    /// Downloads an object into a writer (`s3.download_fileobj`); see [`download_fileobj`].
    pub async fn download_fileobj<W: AsyncWrite + Unpin>(
        &self,
        bucket: &str,
        key: &str,
        writer: W,
    ) -> Result<u64, Error> {
        let config = TransferConfig::default();
        download_fileobj(self, bucket, key, writer, &config).await
    }

    /// A managed copy (`s3.copy(CopySource, Bucket, Key)`); see [`copy`].
    pub async fn copy(
        &self,
        copy_source: Document,
        bucket: &str,
        key: &str,
    ) -> Result<Document, Error> {
        let config = TransferConfig::default();
        copy(self, copy_source, bucket, key, Document::map(), &config).await
    }
}
