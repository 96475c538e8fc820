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
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::task::JoinHandle;

/// The boxed error type of body streams.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub(crate) type RequestBody = UnsyncBoxBody<Bytes, BoxError>;

/// Chunk size for file reads: large, so a big upload costs few wakeups.
const FILE_CHUNK: usize = 1024 * 1024;

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

    /// Whether [`try_clone`](Self::try_clone) gives a copy: in memory or a file.
    pub(crate) fn replays(&self) -> bool {
        !matches!(self.inner, Inner::Body(_))
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
        self.into_wire().into_boxed()
    }

    /// The body as the transport sends it (bytes in memory unboxed).
    pub(crate) fn into_wire(self) -> WireBody {
        match self.inner {
            Inner::Bytes(b) => WireBody {
                source: Source::Bytes(Some(b)),
                progress: None,
            },
            Inner::File { path, offset, len } => {
                WireBody::boxed(FileBody::new(path, offset, len).boxed_unsync())
            }
            Inner::Body(b) => WireBody::boxed(b),
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

/// A file body: each chunk is read on the blocking pool straight into a buffer of its own,
/// which goes back to the body's spares once the chunk has been sent and dropped. A chunk so
/// costs one copy out of the page cache and nothing else: a fresh 512 KiB buffer per chunk was
/// page faults and zeroing on every one, and `tokio::fs::File` copied each chunk once more.
struct FileBody {
    state: FileState,
    remaining: u64,
    spares: Spares,
}

/// Read buffers no chunk holds any more (at most [`MAX_SPARES`]).
type Spares = Arc<Mutex<Vec<Vec<u8>>>>;

/// Enough for the chunk being read, the one being sent and one queued in between.
const MAX_SPARES: usize = 3;

type FileRead = JoinHandle<io::Result<(std::fs::File, Bytes)>>;

enum FileState {
    /// Not opened yet.
    Closed { path: PathBuf, offset: u64 },
    /// Open and between reads.
    Idle(std::fs::File),
    /// Opening, or reading the next chunk.
    Busy(FileRead),
    /// Failed or finished.
    Done,
}

/// One chunk's bytes: the first `len` of a read buffer, returned to the spares when dropped.
struct Lease {
    buf: Vec<u8>,
    len: usize,
    spares: Spares,
}

impl AsRef<[u8]> for Lease {
    fn as_ref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Ok(mut spares) = self.spares.lock() {
            if spares.len() < MAX_SPARES {
                spares.push(std::mem::take(&mut self.buf));
            }
        }
    }
}

impl FileBody {
    fn new(path: PathBuf, offset: u64, len: u64) -> Self {
        FileBody {
            state: FileState::Closed { path, offset },
            remaining: len,
            spares: Arc::default(),
        }
    }

    /// Starts reading the next chunk (opening the file first when it is not open yet).
    fn start(&mut self, state: FileState) -> FileState {
        let want = usize::try_from(self.remaining)
            .unwrap_or(usize::MAX)
            .min(FILE_CHUNK);
        let spares = self.spares.clone();
        let read = move |mut file: std::fs::File| {
            use std::io::Read;
            let spare = spares.lock().ok().and_then(|mut s| s.pop());
            let mut buf = spare.unwrap_or_default();
            if buf.len() < want {
                buf.resize(want, 0);
            }
            let n = loop {
                match file.read(&mut buf[..want]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            let chunk = Bytes::from_owner(Lease {
                buf,
                len: n,
                spares,
            });
            Ok((file, chunk))
        };
        match state {
            FileState::Closed { path, offset } => {
                FileState::Busy(tokio::task::spawn_blocking(move || {
                    use std::io::Seek;
                    let mut file = std::fs::File::open(&path)?;
                    if offset > 0 {
                        file.seek(io::SeekFrom::Start(offset))?;
                    }
                    read(file)
                }))
            }
            FileState::Idle(file) => {
                FileState::Busy(tokio::task::spawn_blocking(move || read(file)))
            }
            other => other,
        }
    }
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
        let state = std::mem::replace(&mut this.state, FileState::Done);
        let state = match state {
            FileState::Closed { .. } | FileState::Idle(_) => this.start(state),
            other => other,
        };
        let FileState::Busy(mut read) = state else {
            // `Done` with bytes still owed: an earlier read failed, and the body must not now
            // look like a short one that ended cleanly.
            let e = io::Error::other("the file body failed earlier and cannot go on");
            return Poll::Ready(Some(Err(Box::new(e))));
        };
        let done = match Pin::new(&mut read).poll(cx) {
            Poll::Pending => {
                this.state = FileState::Busy(read);
                return Poll::Pending;
            }
            Poll::Ready(done) => done,
        };
        let (file, chunk) = match done {
            Err(e) => return Poll::Ready(Some(Err(Box::new(io::Error::other(e))))),
            Ok(Err(e)) => return Poll::Ready(Some(Err(Box::new(e)))),
            Ok(Ok(read)) => read,
        };
        if chunk.is_empty() {
            let e = io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while it was being sent",
            );
            return Poll::Ready(Some(Err(Box::new(e))));
        }
        this.remaining -= chunk.len() as u64;
        this.state = FileState::Idle(file);
        Poll::Ready(Some(Ok(Frame::data(chunk))))
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

/// A request body as the transport sends it: bytes in memory go as one frame with no box of
/// their own (most requests), anything else as the boxed body it is. With progress noted, each
/// frame records when it was produced (milliseconds after `start`, at least 1), so the
/// transport's timeout can tell a slow upload from a dead one.
pub(crate) struct WireBody {
    source: Source,
    progress: Option<(
        tokio::time::Instant,
        std::sync::Arc<std::sync::atomic::AtomicU64>,
    )>,
}

enum Source {
    /// Taken when sent; `None` (or empty) is no body.
    Bytes(Option<Bytes>),
    Boxed(RequestBody),
}

impl WireBody {
    /// `body` as it is, progress not noted.
    pub(crate) fn boxed(body: RequestBody) -> Self {
        WireBody {
            source: Source::Boxed(body),
            progress: None,
        }
    }

    /// No body.
    pub(crate) fn empty() -> Self {
        WireBody {
            source: Source::Bytes(None),
            progress: None,
        }
    }

    /// Notes each frame's time in `last`, as milliseconds after `start`.
    pub(crate) fn with_progress(
        mut self,
        start: tokio::time::Instant,
        last: std::sync::Arc<std::sync::atomic::AtomicU64>,
    ) -> Self {
        self.progress = Some((start, last));
        self
    }

    /// Whether the body comes in frames over time (a stream, a file), rather than as bytes in
    /// memory sent at once.
    pub(crate) fn streams(&self) -> bool {
        matches!(self.source, Source::Boxed(_))
    }

    /// The body as a boxed one (for a wrapper that takes any body).
    pub(crate) fn into_boxed(self) -> RequestBody {
        match self.source {
            Source::Bytes(b) => Full::new(b.unwrap_or_default())
                .map_err(|never| match never {})
                .boxed_unsync(),
            Source::Boxed(b) => b,
        }
    }
}

impl Body for WireBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        let polled = match &mut this.source {
            Source::Bytes(b) => Poll::Ready(
                b.take()
                    .filter(|b| !b.is_empty())
                    .map(|b| Ok(Frame::data(b))),
            ),
            Source::Boxed(inner) => Pin::new(inner).poll_frame(cx),
        };
        if let (Poll::Ready(_), Some((start, last))) = (&polled, &this.progress) {
            let ms = start.elapsed().as_millis().max(1);
            last.store(
                u64::try_from(ms).unwrap_or(u64::MAX),
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        polled
    }

    fn size_hint(&self) -> SizeHint {
        match &self.source {
            Source::Bytes(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Source::Boxed(inner) => inner.size_hint(),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.source {
            Source::Bytes(b) => b.as_ref().is_none_or(Bytes::is_empty),
            Source::Boxed(inner) => inner.is_end_stream(),
        }
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

#[cfg(test)]
mod tests {
    use super::{ByteStream, FILE_CHUNK};

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("boto-body-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[tokio::test]
    async fn a_file_range_comes_back_whole_in_chunks_whose_buffers_are_reused() {
        let data = pattern(3 * FILE_CHUNK + 12_345);
        let path = temp_file("range", &data);
        let (offset, len) = (1_000u64, (data.len() - 3_000) as u64);
        let mut body = ByteStream::from_path_range(&path, offset, len);
        let mut got = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = body.next_chunk().await {
            let chunk = chunk.unwrap();
            assert!(!chunk.is_empty() && chunk.len() <= FILE_CHUNK);
            got.extend_from_slice(&chunk);
            chunks += 1;
            // Dropped here: the next read takes this buffer back, whose old bytes must not leak.
        }
        assert_eq!(got, &data[offset as usize..(offset + len) as usize]);
        assert!(chunks >= 4, "{chunks} chunks");
        // Held chunks keep their bytes while later reads go into other buffers.
        let mut body = ByteStream::from_path_range(&path, 0, data.len() as u64);
        let mut held = Vec::new();
        while let Some(chunk) = body.next_chunk().await {
            held.push(chunk.unwrap());
        }
        assert_eq!(held.concat(), data);
        std::fs::remove_file(&path).unwrap();
    }

    #[tokio::test]
    async fn a_file_that_shrinks_while_it_is_read_is_an_error_not_a_short_body() {
        let path = temp_file("shrink", &pattern(FILE_CHUNK + 10));
        let mut body = ByteStream::from_path_range(&path, 0, (2 * FILE_CHUNK) as u64);
        let mut total = 0;
        let error = loop {
            match body.next_chunk().await {
                Some(Ok(chunk)) => total += chunk.len(),
                Some(Err(e)) => break e,
                None => panic!("the body ended after {total} bytes without an error"),
            }
        };
        assert_eq!(total, FILE_CHUNK + 10);
        let text = format!("{error} {:?}", std::error::Error::source(&error));
        assert!(text.contains("shrank"), "{text}");
        // Polled again after the error, it fails again rather than ending short.
        assert!(matches!(body.next_chunk().await, Some(Err(_))));
        std::fs::remove_file(&path).unwrap();
        // A file that is not there fails at the first read, naming the cause.
        let mut gone = ByteStream::from_path_range(&path, 0, 10);
        assert!(matches!(gone.next_chunk().await, Some(Err(_))));
    }
}
