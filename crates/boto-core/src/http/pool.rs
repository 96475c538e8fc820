//! HTTP/1.1 connections driven by the task that uses them, and the pool that keeps them idle.
//!
//! hyper's pooled client spawns every connection's future onto the runtime, so on a
//! multi-thread runtime each request, and each chunk of a response body, hops between the
//! caller's task and the connection's task on another thread (about six context switches per
//! small request). Here the connection future is polled by whoever holds it: the sending call
//! until the response head arrives, then the response body as it is read. A request's whole
//! path (write, read, body) stays on the caller's task, and an idle connection in the pool is
//! just a parked value nobody polls; it is checked (polled once) when taken out.

use super::body::WireBody;
use super::BoxError;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use hyper::client::conn::http1;
use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// What a connector hands back: plain TCP or TLS over it (possibly through a proxy tunnel).
pub(crate) type Io = hyper_rustls::MaybeHttpsStream<hyper_util::rt::TokioIo<tokio::net::TcpStream>>;

/// The read size hyper's buffer grows to (from 8 KiB, doubling while reads fill it). The buffer
/// itself may reach twice this: `bytes` doubles the allocation when a read finds it too small,
/// and hyper reads into all of its spare room. So a download arrives in chunks of up to ~1 MiB,
/// as with a 1 MiB limit (which let the buffer reach 2 MiB: +0.9 MB of peak RSS for the same
/// CPU), and not in the default ~400 KB.
const MAX_READ: usize = 512 << 10;

/// An HTTP/1.1 connection: the handle that sends on it and the future that drives it.
pub(crate) struct Conn {
    sender: http1::SendRequest<WireBody>,
    /// `None` once it finished (the connection closed, cleanly or not). Dropping it then also
    /// fails a request still queued on it, which would otherwise wait forever.
    driver: Option<http1::Connection<Io, WireBody>>,
}

impl Conn {
    /// The HTTP/1.1 handshake over a connected stream (no I/O: hyper only sets up state).
    pub(crate) async fn handshake(io: Io) -> Result<Box<Conn>, hyper::Error> {
        let (sender, driver) = http1::Builder::new()
            .max_buf_size(MAX_READ)
            .handshake(io)
            .await?;
        // Boxed: it moves between the pool, the call and the body, and is several KiB.
        Ok(Box::new(Conn {
            sender,
            driver: Some(driver),
        }))
    }

    /// Drives the connection (reads, writes, the request body) as far as it can go now.
    fn poll_driver(&mut self, cx: &mut Context<'_>) {
        poll_driver(&mut self.driver, cx);
    }

    /// Waits until the connection can take a request: `false` when it closed meanwhile.
    pub(crate) async fn ready(&mut self) -> bool {
        poll_fn(|cx| {
            self.poll_driver(cx);
            if self.driver.is_none() {
                return Poll::Ready(false);
            }
            self.sender.poll_ready(cx).map(|r| r.is_ok())
        })
        .await
    }

    /// Sends `request` and drives the connection until the response head arrives. On an error
    /// the request comes back when it was not written at all, so it may go on another connection.
    pub(crate) async fn send(
        &mut self,
        request: http::Request<WireBody>,
    ) -> Result<http::Response<Incoming>, SendError> {
        // Pinned where it is: the future is small and lives only in this call.
        let mut response = std::pin::pin!(self.sender.try_send_request(request));
        let driver = &mut self.driver;
        poll_fn(|cx| {
            poll_driver(driver, cx);
            response.as_mut().poll(cx)
        })
        .await
        .map_err(|mut e| SendError {
            unsent: e.take_message(),
            error: e.into_error(),
        })
    }

    /// Whether the connection can carry another request once its response is read.
    fn reusable(&self) -> bool {
        self.driver.is_some() && !self.sender.is_closed()
    }
}

fn poll_driver(driver: &mut Option<http1::Connection<Io, WireBody>>, cx: &mut Context<'_>) {
    if let Some(d) = driver {
        if Pin::new(d).poll(cx).is_ready() {
            *driver = None;
        }
    }
}

/// A failed exchange: hyper's error, and the request when it never left.
pub(crate) struct SendError {
    pub(crate) error: hyper::Error,
    pub(crate) unsent: Option<http::Request<WireBody>>,
}

/// Where a connection goes: scheme and authority (`https://bucket.s3.amazonaws.com:443`).
pub(crate) type Key = Arc<str>;

struct Idle {
    conn: Box<Conn>,
    since: Instant,
    /// The map's key once more, handed to the request that takes the connection.
    key: Key,
}

/// Idle connections per destination, at most `max_idle` each, none older than `idle_timeout`.
pub(crate) struct Pool {
    idle: Mutex<HashMap<Key, Vec<Idle>, foldhash::fast::RandomState>>,
    max_idle: usize,
    idle_timeout: Duration,
}

impl Pool {
    pub(crate) fn new(max_idle: usize, idle_timeout: Duration) -> Self {
        Pool {
            idle: Mutex::new(HashMap::default()),
            max_idle,
            idle_timeout,
        }
    }

    /// The most recently parked connection to `key` that has not expired (it may still turn
    /// out closed: [`Conn::ready`] tells).
    ///
    /// The pool's own copy of the key comes with it, so a request that reuses a connection
    /// makes none.
    pub(crate) fn take(&self, key: &str) -> Option<(Key, Box<Conn>)> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(key)?;
        while let Some(entry) = list.pop() {
            if entry.since.elapsed() < self.idle_timeout && entry.conn.reusable() {
                return Some((entry.key, entry.conn));
            }
        }
        None
    }

    /// Parks a connection whose response was read to the end, unless `key` has enough.
    fn put(&self, key: Key, conn: Box<Conn>) {
        if !conn.reusable() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.entry(key.clone()).or_default();
        let timeout = self.idle_timeout;
        list.retain(|e| e.since.elapsed() < timeout);
        if list.len() < self.max_idle {
            list.push(Idle {
                conn,
                since: Instant::now(),
                key,
            });
        }
    }
}

/// A response body that drives its connection as it is read, and parks the connection in the
/// pool once the body ended (dropped early, it closes the connection: HTTP/1.1 cannot skip the
/// rest of a response).
pub(crate) struct PooledBody {
    incoming: Incoming,
    conn: Option<Box<Conn>>,
    pool: Arc<Pool>,
    key: Key,
}

impl PooledBody {
    pub(crate) fn new(incoming: Incoming, conn: Box<Conn>, pool: Arc<Pool>, key: Key) -> Self {
        let mut body = PooledBody {
            incoming,
            conn: Some(conn),
            pool,
            key,
        };
        if body.incoming.is_end_stream() {
            body.release(None); // no body (HEAD, 204, Content-Length: 0)
        }
        body
    }

    fn release(&mut self, cx: Option<&mut Context<'_>>) {
        if let Some(mut conn) = self.conn.take() {
            if let Some(cx) = cx {
                conn.poll_driver(cx); // lets hyper see the message is complete
            }
            self.pool.put(self.key.clone(), conn);
        }
    }
}

impl Body for PooledBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Some(conn) = this.conn.as_mut() {
            conn.poll_driver(cx);
        }
        let polled = Pin::new(&mut this.incoming).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => this.release(Some(cx)),
            Poll::Ready(Some(Ok(_))) if this.incoming.is_end_stream() => this.release(Some(cx)),
            Poll::Ready(Some(Err(_))) => this.conn = None,
            _ => {}
        }
        polled.map(|r| r.map(|r| r.map_err(Into::into)))
    }

    fn size_hint(&self) -> SizeHint {
        self.incoming.size_hint()
    }

    fn is_end_stream(&self) -> bool {
        self.incoming.is_end_stream()
    }
}
