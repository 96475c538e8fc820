//! The blocking S3 transfer manager: [`crate::transfer`] with a blocking [`Client`]. Parts still
//! move several at a time, on the blocking runtime's thread; a [`Read`] or [`Write`] of
//! `upload_fileobj` / `download_fileobj` is driven on a helper thread of the caller's scope.

use super::block_on;
use super::client::Client;
use crate::error::Error;
use boto_core::document::Document;
use bytes::Bytes;
use std::io::{Read, Write};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use crate::transfer::{Cleanup, Md5, Progress, TransferConfig, TransferError};

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
/// replacing the file only once the whole object arrived and was verified. Returns the number
/// of bytes. See [`crate::transfer::download_file`].
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

/// [`upload_file`] that an interrupted run continues; see
/// [`crate::transfer::upload_file_resumable`].
pub fn upload_file_resumable(
    client: &Client,
    path: impl AsRef<Path>,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    block_on(crate::transfer::upload_file_resumable(
        &client.inner,
        path,
        bucket,
        key,
        extra,
        config,
    ))?
}

/// [`download_file`] that an interrupted run continues; see
/// [`crate::transfer::download_file_resumable`].
pub fn download_file_resumable(
    client: &Client,
    bucket: &str,
    key: &str,
    path: impl AsRef<Path>,
    config: &TransferConfig,
) -> Result<u64, Error> {
    block_on(crate::transfer::download_file_resumable(
        &client.inner,
        bucket,
        key,
        path,
        config,
    ))?
}

/// Uploads everything `reader` yields; see [`crate::transfer::upload_fileobj`]. A read error
/// fails the upload (and aborts a multipart one); it never ends it early as if the data ended.
pub fn upload_fileobj<R: Read + Send>(
    client: &Client,
    reader: R,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    refuse_inside_runtime()?;
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let chunk =
        usize::try_from(config.multipart_chunksize.clamp(64 << 10, 8 << 20)).unwrap_or(8 << 20);
    std::thread::scope(|scope| {
        scope.spawn(move || feed(reader, tx, chunk));
        let channel = ChannelReader {
            rx,
            current: Bytes::new(),
        };
        block_on(crate::transfer::upload_fileobj(
            &client.inner,
            channel,
            bucket,
            key,
            extra,
            config,
        ))?
    })
}

/// Reads `reader` in chunks into the channel; a read error goes down the channel too.
fn feed<R: Read>(
    mut reader: R,
    tx: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    chunk: usize,
) {
    loop {
        let mut buf = vec![0u8; chunk];
        let item = match reader.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                buf.truncate(n);
                Ok(Bytes::from(buf))
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => Err(e),
        };
        let failed = item.is_err();
        if tx.blocking_send(item).is_err() || failed {
            return;
        }
    }
}

/// The async side of a blocking reader.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<std::io::Result<Bytes>>,
    current: Bytes,
}

impl tokio::io::AsyncRead for ChannelReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        while self.current.is_empty() {
            match self.rx.poll_recv(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e)),
                Poll::Ready(Some(Ok(b))) => self.current = b,
            }
        }
        let n = self.current.len().min(buf.remaining());
        let head = self.current.split_to(n);
        buf.put_slice(&head);
        Poll::Ready(Ok(()))
    }
}

/// Downloads `bucket`/`key` into `writer`, in order; see [`crate::transfer::download_fileobj`].
/// A write error stops the download and is returned.
pub fn download_fileobj<W: Write + Send>(
    client: &Client,
    bucket: &str,
    key: &str,
    mut writer: W,
    config: &TransferConfig,
) -> Result<u64, Error> {
    refuse_inside_runtime()?;
    let handle = super::runtime()?.handle().clone();
    let (async_end, mut blocking_end) = tokio::io::duplex(1 << 20);
    std::thread::scope(|scope| {
        let download = scope.spawn(move || {
            block_on(crate::transfer::download_fileobj(
                &client.inner,
                bucket,
                key,
                async_end,
                config,
            ))?
        });
        let mut buf = vec![0u8; 1 << 20];
        let written: std::io::Result<()> = loop {
            use tokio::io::AsyncReadExt;
            match handle.block_on(blocking_end.read(&mut buf)) {
                Ok(0) => break writer.flush(),
                Ok(n) => {
                    if let Err(e) = writer.write_all(&buf[..n]) {
                        break Err(e);
                    }
                }
                Err(e) => break Err(e),
            }
        };
        // Dropping our end makes the download's next write fail, so it stops.
        drop(blocking_end);
        let downloaded = download
            .join()
            .map_err(|_| Error::Usage("the download thread panicked".into()))?;
        // The writer's own failure explains the download's broken pipe: report it first.
        written?;
        downloaded
    })
}

/// The helper thread is outside any runtime, so the caller's own check happens here.
fn refuse_inside_runtime() -> Result<(), Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Usage(
            "boto::blocking was called from inside an async runtime; use the async API there"
                .into(),
        ));
    }
    Ok(())
}

/// A managed copy; see [`crate::transfer::copy`].
pub fn copy(
    client: &Client,
    copy_source: Document,
    bucket: &str,
    key: &str,
    extra: Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    block_on(crate::transfer::copy(
        &client.inner,
        copy_source,
        bucket,
        key,
        extra,
        config,
    ))?
}

/// The transfer shortcuts of [`crate::Client`] on the blocking client, with the default
/// [`TransferConfig`].
impl Client {
    /// See [`crate::Client::upload_fileobj`]: what a [`std::io::Read`] yields.
    pub fn upload_fileobj<R: Read + Send>(
        &self,
        reader: R,
        bucket: &str,
        key: &str,
    ) -> Result<Document, Error> {
        let config = TransferConfig::default();
        upload_fileobj(self, reader, bucket, key, Document::map(), &config)
    }

    /// See [`crate::Client::download_fileobj`]: into a [`std::io::Write`].
    pub fn download_fileobj<W: Write + Send>(
        &self,
        bucket: &str,
        key: &str,
        writer: W,
    ) -> Result<u64, Error> {
        let config = TransferConfig::default();
        download_fileobj(self, bucket, key, writer, &config)
    }

    /// See [`crate::Client::copy`].
    pub fn copy(&self, copy_source: Document, bucket: &str, key: &str) -> Result<Document, Error> {
        block_on(self.inner.copy(copy_source, bucket, key))?
    }
}
