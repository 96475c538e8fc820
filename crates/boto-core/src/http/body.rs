//! [`ByteStream`]: request and response bodies that never need to sit whole in memory.

use super::{TransportError, TransportErrorKind};
use bytes::{Bytes, BytesMut};
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use std::fmt;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncSeekExt, AsyncWrite, AsyncWriteExt, ReadBuf};

/// The boxed error type of body streams.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type RequestBody = UnsyncBoxBody<Bytes, BoxError>;

/// Chunk size for file reads: large, so a big upload costs few wakeups.
const FILE_CHUNK: usize = 512 * 1024;

enum Inner {
    Bytes(Bytes),
    File {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
    Body(RequestBody),
}

/// A body: bytes in memory, a file read in large chunks as it is sent, or any stream of chunks.
///
/// In-memory and file bodies can be replayed (retries rewind them); a one-shot stream cannot.
///
/// ```
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use boto_core::http::ByteStream;
/// let body = ByteStream::from("hello");
/// assert_eq!(body.content_length(), Some(5));
/// assert_eq!(&body.collect().await?[..], b"hello");
/// # Ok(()) }
/// ```
pub struct ByteStream {
    inner: Inner,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Bytes(b) => write!(f, "ByteStream(<{} bytes>)", b.len()),
            Inner::File { path, len, .. } => write!(f, "ByteStream(file {path:?}, {len} bytes)"),
            Inner::Body(_) => f.write_str("ByteStream(<stream>)"),
        }
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::from(Bytes::new())
    }
}

impl From<Bytes> for ByteStream {
    fn from(b: Bytes) -> Self {
        ByteStream {
            inner: Inner::Bytes(b),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(b: Vec<u8>) -> Self {
        Bytes::from(b).into()
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(b: &'static [u8]) -> Self {
        Bytes::from_static(b).into()
    }
}

impl From<&'static str> for ByteStream {
    fn from(b: &'static str) -> Self {
        Bytes::from_static(b.as_bytes()).into()
    }
}

impl From<String> for ByteStream {
    fn from(b: String) -> Self {
        Bytes::from(b).into()
    }
}

impl ByteStream {
    /// A body read from a file as it is sent (the file is opened at send time and re-read on retry).
    pub async fn from_path(path: impl AsRef<Path>) -> io::Result<ByteStream> {
        let path = path.as_ref().to_path_buf();
        let len = tokio::fs::metadata(&path).await?.len();
        Ok(ByteStream {
            inner: Inner::File {
                path,
                offset: 0,
                len,
            },
        })
    }

    /// `len` bytes of a file from `offset` (one part of a multipart upload), read as it is sent.
    pub fn from_path_range(path: impl AsRef<Path>, offset: u64, len: u64) -> ByteStream {
        ByteStream {
            inner: Inner::File {
                path: path.as_ref().to_path_buf(),
                offset,
                len,
            },
        }
    }

    /// The same as [`ByteStream::from_path`], for blocking code.
    pub fn from_path_blocking(path: impl AsRef<Path>) -> io::Result<ByteStream> {
        let path = path.as_ref().to_path_buf();
        let len = std::fs::metadata(&path)?.len();
        Ok(ByteStream {
            inner: Inner::File {
                path,
                offset: 0,
                len,
            },
        })
    }

    /// A one-shot body from any `http_body::Body` of `Bytes` chunks.
    pub fn from_body<B>(body: B) -> ByteStream
    where
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Body(body.map_err(Into::into).boxed_unsync()),
        }
    }

    /// A response body, failing when no data arrives for `read_timeout`.
    pub(crate) fn from_response_body<B>(body: B, read_timeout: Duration) -> ByteStream
    where
        B: Body<Data = Bytes> + Send + Unpin + 'static,
        B::Error: Into<BoxError>,
    {
        ByteStream::from_body(ReadTimeout {
            inner: body,
            timeout: read_timeout,
            sleep: None,
            armed: false,
        })
    }

    /// The length, when known up front.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Bytes(b) => Some(b.len() as u64),
            Inner::File { len, .. } => Some(*len),
            Inner::Body(b) => b.size_hint().exact(),
        }
    }

    /// The bytes, when the body is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.inner {
            Inner::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// A copy for a retry: in-memory and file bodies replay, streams cannot (`None`).
    pub fn try_clone(&self) -> Option<ByteStream> {
        match &self.inner {
            Inner::Bytes(b) => Some(ByteStream::from(b.clone())),
            Inner::File { path, offset, len } => Some(ByteStream {
                inner: Inner::File {
                    path: path.clone(),
                    offset: *offset,
                    len: *len,
                },
            }),
            Inner::Body(_) => None,
        }
    }

    pub(crate) fn into_request_body(self) -> RequestBody {
        match self.inner {
            Inner::Bytes(b) => Full::new(b).map_err(|never| match never {}).boxed_unsync(),
            Inner::File { path, offset, len } => FileBody {
                state: FileState::Opening(Box::pin(async move {
                    let mut f = tokio::fs::File::open(&path).await?;
                    if offset > 0 {
                        f.seek(io::SeekFrom::Start(offset)).await?;
                    }
                    Ok(f)
                })),
                remaining: len,
            }
            .boxed_unsync(),
            Inner::Body(b) => b,
        }
    }

    /// The next chunk, or `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, TransportError>> {
        loop {
            match &mut self.inner {
                Inner::Bytes(b) => {
                    if b.is_empty() {
                        return None;
                    }
                    return Some(Ok(std::mem::take(b)));
                }
                Inner::File { .. } => {
                    let taken = std::mem::replace(&mut self.inner, Inner::Bytes(Bytes::new()));
                    self.inner = Inner::Body(ByteStream { inner: taken }.into_request_body());
                }
                Inner::Body(body) => {
                    let frame = body.frame().await?;
                    match frame {
                        Err(e) => return Some(Err(read_error(e))),
                        Ok(frame) => {
                            if let Ok(data) = frame.into_data() {
                                return Some(Ok(data));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Bytes, TransportError> {
        if let Inner::Bytes(b) = self.inner {
            return Ok(b);
        }
        let mut buf =
            BytesMut::with_capacity(self.content_length().unwrap_or(0).min(64 << 20) as usize);
        while let Some(chunk) = self.next_chunk().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }

    /// Streams the body into a writer; returns the byte count.
    /// Streams the body into a new file at `path` (replacing it); returns the byte count.
    ///
    /// Each chunk is written with a plain `write` on the calling task: writes land in the page
    /// cache, so this costs less than handing every chunk to a blocking thread, and no chunk is
    /// copied on the way.
    pub async fn into_file(mut self, path: impl AsRef<Path>) -> Result<u64, TransportError> {
        use std::io::Write;
        let path = path.as_ref();
        let failed = |e: std::io::Error| {
            TransportError::new(
                TransportErrorKind::Io,
                format!("writing the body to {} failed", path.display()),
                Some(Box::new(e)),
            )
        };
        let mut file = std::fs::File::create(path).map_err(failed)?;
        let mut n = 0u64;
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            file.write_all(&chunk).map_err(failed)?;
            n += chunk.len() as u64;
        }
        file.flush().map_err(failed)?;
        Ok(n)
    }

    /// Chunks are gathered into large writes, so a file writer (which hands each write to a
    /// blocking thread) is not woken once per network read.
    pub async fn write_to<W: AsyncWrite + Unpin>(
        mut self,
        mut writer: W,
    ) -> Result<u64, TransportError> {
        const WRITE_SIZE: usize = 1 << 20;
        let failed = |e: std::io::Error| {
            TransportError::new(
                TransportErrorKind::Io,
                "writing the body failed",
                Some(Box::new(e)),
            )
        };
        let mut n = 0u64;
        let mut pending = BytesMut::new();
        while let Some(chunk) = self.next_chunk().await {
            let chunk = chunk?;
            n += chunk.len() as u64;
            if pending.is_empty() && chunk.len() >= WRITE_SIZE {
                writer.write_all(&chunk).await.map_err(failed)?;
                continue;
            }
            pending.extend_from_slice(&chunk);
            if pending.len() >= WRITE_SIZE {
                writer.write_all(&pending).await.map_err(failed)?;
                pending.clear();
            }
        }
        if !pending.is_empty() {
            writer.write_all(&pending).await.map_err(failed)?;
        }
        writer.flush().await.map_err(|e| {
            TransportError::new(
                TransportErrorKind::Io,
                "writing the body failed",
                Some(Box::new(e)),
            )
        })?;
        Ok(n)
    }
}

fn read_error(e: BoxError) -> TransportError {
    let kind = if e.is::<ReadTimeoutError>() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, "reading the body failed", Some(e))
}

type OpenFuture = Pin<Box<dyn Future<Output = io::Result<tokio::fs::File>> + Send>>;

enum FileState {
    Opening(OpenFuture),
    Reading(tokio::fs::File),
}

struct FileBody {
    state: FileState,
    remaining: u64,
}

impl Body for FileBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        if let FileState::Opening(fut) = &mut this.state {
            match fut.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(Box::new(e)))),
                Poll::Ready(Ok(f)) => this.state = FileState::Reading(f),
            }
        }
        let FileState::Reading(file) = &mut this.state else {
            return Poll::Pending;
        };
        let want = (this.remaining as usize).min(FILE_CHUNK);
        let mut buf = BytesMut::zeroed(want);
        let mut read_buf = ReadBuf::new(&mut buf);
        match Pin::new(file).poll_read(cx, &mut read_buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(Box::new(e)))),
            Poll::Ready(Ok(())) => {
                let n = read_buf.filled().len();
                if n == 0 {
                    let e = io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the file shrank while it was being sent",
                    );
                    return Poll::Ready(Some(Err(Box::new(e))));
                }
                buf.truncate(n);
                this.remaining -= n as u64;
                Poll::Ready(Some(Ok(Frame::data(buf.freeze()))))
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }
}

#[derive(Debug)]
struct ReadTimeoutError(Duration);

impl fmt::Display for ReadTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no data for {:?} while reading the body", self.0)
    }
}

impl std::error::Error for ReadTimeoutError {}

struct ReadTimeout<B> {
    inner: B,
    timeout: Duration,
    /// One timer for the body's life, re-armed when a wait starts (no allocation per chunk).
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    armed: bool,
}

impl<B> Body for ReadTimeout<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(r) => {
                this.armed = false;
                Poll::Ready(r.map(|r| r.map_err(Into::into)))
            }
            Poll::Pending => {
                let timeout = this.timeout;
                let deadline = super::deadline_after(tokio::time::Instant::now(), timeout);
                let sleep = this
                    .sleep
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if !this.armed {
                    sleep.as_mut().reset(deadline);
                    this.armed = true;
                }
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(ReadTimeoutError(timeout))))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
}

/// Boxes a body for the transport.
pub(crate) fn boxed<B>(body: B) -> RequestBody
where
    B: Body<Data = Bytes, Error = BoxError> + Send + 'static,
{
    body.boxed_unsync()
}

/// A request body that records when it last made progress (milliseconds after `start`, at least
/// 1), so the transport's timeout can tell a slow upload from a dead one.
pub(crate) struct Progress {
    inner: RequestBody,
    start: tokio::time::Instant,
    last: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Progress {
    pub(crate) fn new(
        inner: RequestBody,
        start: tokio::time::Instant,
        last: std::sync::Arc<std::sync::atomic::AtomicU64>,
    ) -> Self {
        Progress { inner, start, last }
    }
}

impl Body for Progress {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        if matches!(polled, Poll::Ready(_)) {
            let ms = this.start.elapsed().as_millis().max(1);
            this.last.store(
                u64::try_from(ms).unwrap_or(u64::MAX),
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        polled
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
}

/// A request body held back until the server answers `100 Continue` (see [`ContinueSignal`]) or
/// `wait` passes, whichever comes first: the client half of `Expect: 100-continue`, waiting as
/// botocore's connection does (up to a second) and then sending anyway, since many servers
/// never send the interim answer.
pub(crate) struct ContinueGate {
    inner: RequestBody,
    signal: std::sync::Arc<ContinueSignal>,
    /// How long to wait, counted from the first time hyper asks for the body (its head is
    /// written by then), as botocore counts from sending the headers.
    wait: Duration,
    /// Started on that first poll; `Some` while the gate is shut.
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    opened: bool,
}

/// Opens a [`ContinueGate`] from hyper's callback for interim (1xx) answers.
#[derive(Default)]
pub(crate) struct ContinueSignal {
    open: std::sync::atomic::AtomicBool,
    waker: std::sync::Mutex<Option<std::task::Waker>>,
}

impl ContinueSignal {
    pub(crate) fn open(&self) {
        self.open.store(true, std::sync::atomic::Ordering::Release);
        let waker = self
            .waker
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn is_open(&self) -> bool {
        self.open.load(std::sync::atomic::Ordering::Acquire)
    }
}

impl ContinueGate {
    pub(crate) fn new(
        inner: RequestBody,
        wait: Duration,
    ) -> (Self, std::sync::Arc<ContinueSignal>) {
        let signal = std::sync::Arc::new(ContinueSignal::default());
        let gate = ContinueGate {
            inner,
            signal: signal.clone(),
            wait,
            timer: None,
            opened: false,
        };
        (gate, signal)
    }
}

impl Body for ContinueGate {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if !this.opened {
            let wait = this.wait;
            let timer = this
                .timer
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(wait)));
            if !this.signal.is_open() {
                *this
                    .signal
                    .waker
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cx.waker().clone());
                // Checked again: the answer may have come between the first look and the waker.
                if !this.signal.is_open() && timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
            }
            this.timer = None;
            this.opened = true;
        }
        Pin::new(&mut this.inner).poll_frame(cx)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
}
