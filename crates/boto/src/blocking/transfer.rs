//! The blocking S3 transfer manager: [`crate::transfer`] with a blocking [`Client`]. Parts still
//! move several at a time, on the blocking runtime's thread.

use super::block_on;
use super::client::Client;
use crate::error::Error;
use boto_core::document::Document;
use std::path::Path;

pub use crate::transfer::TransferConfig;

/// Uploads the file at `path` to `bucket`/`key`, in parts above `config`'s threshold; `extra`
/// adds PutObject / CreateMultipartUpload parameters (`ContentType`, `Metadata`, ...). See
/// [`crate::transfer::upload_file`].
pub fn upload_file(
    client: &Client,
    path: impl AsRef<Path>,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    block_on(crate::transfer::upload_file(
        &client.inner,
        path,
        bucket,
        key,
        extra,
        config,
    ))?
}

/// Downloads `bucket`/`key` into the file at `path`, by ranges above `config`'s threshold,
/// replacing the file only once the whole object arrived. Returns the number of bytes. See
/// [`crate::transfer::download_file`].
pub fn download_file(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
) -> Result<u64, Error> {
    block_on(crate::transfer::download_file(
        &client.inner,
        bucket,
        key,
        path,
        config,
    ))?
}
