//! Transport: one pooled hyper 1 client (HTTP/1.1 over rustls or plain TCP) shared by every client
//! of a session, and [`ByteStream`], the body type for streaming uploads and downloads.
//!
//! Nothing here knows about AWS: it sends a [`HttpRequest`] and hands back status, headers and a
//! streaming body. Transport errors say whether the request may have been sent.

pub(crate) mod body;
pub(crate) mod pool;

pub use body::{BoxError, ByteStream};
pub use headers::{Headers, Iter as HeaderIter};
pub use proxy::ProxySettings;

mod headers;
mod proxy;
mod tls_provider;

use crate::document::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::Poll;
use std::time::Duration;

/// A fully addressed request, ready to send.
pub struct HttpRequest {
    /// `GET`, `PUT`, ...
    pub method: Cow<'static, str>,
    /// The absolute URL (scheme, host, port, encoded path and query).
    pub url: String,
    /// Headers, in order, the secret ones marked as whoever set them marked them (the signer's
    /// `Authorization` and session token, sensitive model members): `Debug` hides those.
    pub headers: Headers,
    /// The body.
    pub body: ByteStream,
}

/// Headers for `Debug` output, with the values of `sensitive` ones replaced.
pub fn redacted_headers<'a, K: AsRef<str>>(
    headers: &'a [(K, String)],
    sensitive: &[String],
) -> Vec<(&'a str, &'a str)> {
    headers
        .iter()
        .map(|(k, v)| {
            let k = k.as_ref();
            let secret = sensitive.iter().any(|s| k.eq_ignore_ascii_case(s));
            (k, if secret { "** redacted **" } else { v.as_str() })
        })
        .collect()
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// A response whose body has not been read yet.
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers as received (hyper's names are lower case).
    pub headers: Vec<(Name, String)>,
    /// The body, streaming.
    pub body: ByteStream,
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish()
    }
}

/// How a transport failure happened; each kind documents whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect (DNS, refused, TLS handshake): the request was not sent; retryable.
    Connect,
    /// The connect or read timeout fired; retryable.
    Timeout,
    /// The connection failed after the request may have been sent; retryable only for idempotent
    /// requests (AWS retries these by default, as botocore does).
    Io,
    /// The request could not be built (bad URL or header); not retryable.
    Request,
}

/// A failure below HTTP.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<BoxError>,
}

impl TransportError {
    /// Creates an error.
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source,
        }
    }

    /// The kind.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether a retry is reasonable.
    pub fn is_retryable(&self) -> bool {
        !matches!(self.kind, TransportErrorKind::Request)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
            let mut cause = s.source();
            while let Some(c) = cause {
                write!(f, ": {c}")?;
                cause = c.source();
            }
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// The longest timeout accepted (one year): longer ones are configuration mistakes, and
/// deadlines computed from them must not overflow the clock.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 3600);

/// Transport settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Time allowed to get a connection: pool checkout, TCP connect, proxy tunnel and TLS
    /// handshake together (botocore's `connect_timeout`).
    pub connect_timeout: Duration,
    /// The longest wait for the other side once connected: for the response head after the
    /// request (or its last body bytes) went out, then between body chunks (botocore's
    /// `read_timeout`).
    pub read_timeout: Duration,
    /// Idle pooled connections kept per host (botocore's `max_pool_connections`, the size of
    /// its urllib3 pool: more connections may be open at once, only this many are kept).
    pub max_idle_per_host: usize,
    /// A PEM file of CA certificates to trust instead of the platform's (`ca_bundle`).
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Whether server certificates are checked; `false` (botocore's `verify=False`) accepts
    /// any certificate, though the handshake's signatures are still checked.
    pub verify: bool,
    /// The HTTPS proxy, if any.
    pub proxy: ProxySettings,
}

impl Default for HttpSettings {
    fn default() -> Self {
        // botocore's defaults: 60 s connect and read timeouts, a pool of 10.
        HttpSettings {
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            max_idle_per_host: 10,
            ca_bundle: None,
            verify: true,
            proxy: ProxySettings::default(),
        }
    }
}

impl HttpSettings {
    /// Checks the values: both timeouts above zero and at most [`MAX_TIMEOUT`], a pool of at
    /// least one connection. The error names the setting and what is allowed.
    pub fn validate(&self) -> Result<(), TransportError> {
        for (name, t) in [
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout),
        ] {
            if t.is_zero() || t > MAX_TIMEOUT {
                return Err(TransportError::new(
                    TransportErrorKind::Request,
                    format!(
                        "invalid {name} {t:?}: expected more than 0 and at most {} seconds",
                        MAX_TIMEOUT.as_secs()
                    ),
                    None,
                ));
            }
        }
        if self.max_idle_per_host == 0 {
            return Err(TransportError::new(
                TransportErrorKind::Request,
                "invalid max_pool_connections 0: expected at least 1",
                None,
            ));
        }
        Ok(())
    }
}

type Connector = hyper_rustls::HttpsConnector<proxy::ProxyConnector>;

/// A pooled HTTP client; cheap to clone (clones share the pool).
///
/// HTTP/1.1 connections are driven by the calling task (see `pool`): no task is spawned per
/// connection, so a request and its body never hop threads. With the `http2` feature, `https`
/// requests go through hyper-util's pooled client instead, which negotiates HTTP/2 by ALPN and
/// multiplexes streams on a spawned connection task (an HTTP/2 connection serves many callers
/// at once, so it needs a task of its own).
#[derive(Clone)]
pub struct HttpClient {
    /// For `http://` URLs: the same connector, with a TLS configuration that trusts nothing
    /// (it never handshakes), so a client that never speaks TLS never loads root certificates.
    plain: Connector,
    /// For `https://` URLs, built on the first one: loading the root certificates (the
    /// platform's or `ca_bundle`'s) is most of what a new client would otherwise cost, and
    /// botocore (urllib3) loads them at the first connection too.
    secure: Arc<OnceLock<Connector>>,
    pool: Arc<pool::Pool>,
    #[cfg(feature = "http2")]
    multiplexed: Arc<OnceLock<hyper_util::client::legacy::Client<Connector, body::WireBody>>>,
    settings: HttpSettings,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("settings", &self.settings)
            .finish()
    }
}

/// The longest a body waits for `100 Continue` before it is sent anyway (botocore's wait).
const CONTINUE_WAIT: Duration = Duration::from_secs(1);

/// A body of at most this many bytes goes with the head even when the request expects
/// `100 Continue` (RFC 9110 lets a client send without waiting): waiting costs every request a
/// round trip, to spare a server that refuses it a few round trips' worth of bytes. Such a
/// request goes without the `Expect` header. botocore sends the header and holds every body back.
const SENT_WITH_HEAD_MAX: u64 = 64 * 1024;

/// How long an idle pooled connection is kept.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

impl HttpClient {
    /// A client with the platform's root certificates (plus the webpki roots when none are found).
    /// Fails for settings [`HttpSettings::validate`] rejects.
    pub fn new(settings: HttpSettings) -> Result<Self, TransportError> {
        settings.validate()?;
        if let Some(path) = &settings.ca_bundle {
            check_bundle(path)?;
        }
        let provider = tls_provider::provider();
        let nothing_trusted = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_setup_failed(Box::new(e)))?
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth();
        let plain = wrap(
            hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(nothing_trusted),
            &settings,
        );
        Ok(HttpClient {
            plain,
            secure: Arc::new(OnceLock::new()),
            pool: Arc::new(pool::Pool::new(settings.max_idle_per_host, IDLE_TIMEOUT)),
            #[cfg(feature = "http2")]
            multiplexed: Arc::new(OnceLock::new()),
            settings,
        })
    }

    /// The settings the client was made with.
    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// The connector for `scheme`: the TLS one is built (root certificates loaded) on first use.
    /// A failure is not kept: the next request tries again (the bundle may have been fixed).
    fn connector(&self, scheme: Option<&http::uri::Scheme>) -> Result<&Connector, TransportError> {
        if scheme != Some(&http::uri::Scheme::HTTPS) {
            return Ok(&self.plain);
        }
        if let Some(c) = self.secure.get() {
            return Ok(c);
        }
        let built = self.build_secure()?;
        Ok(self.secure.get_or_init(|| built))
    }

    fn build_secure(&self) -> Result<Connector, TransportError> {
        let settings = &self.settings;
        let provider = tls_provider::provider();
        let builder = match &settings.ca_bundle {
            _ if !settings.verify => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(unverified::tls_config(provider)?),
            None => hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_native_roots(provider)
                .map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Request,
                        "cannot load TLS root certificates",
                        Some(Box::new(e)),
                    )
                })?,
            Some(path) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls_config_with_bundle(provider, path)?),
        };
        Ok(wrap(builder, settings))
    }

    /// hyper-util's pooled client for `https` (HTTP/2 by ALPN), built on first use.
    #[cfg(feature = "http2")]
    fn multiplexed(
        &self,
    ) -> Result<&hyper_util::client::legacy::Client<Connector, body::WireBody>, TransportError>
    {
        if let Some(c) = self.multiplexed.get() {
            return Ok(c);
        }
        let connector = self.connector(Some(&http::uri::Scheme::HTTPS))?.clone();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_max_idle_per_host(self.settings.max_idle_per_host)
                .pool_idle_timeout(IDLE_TIMEOUT)
                .build(connector);
        Ok(self.multiplexed.get_or_init(|| client))
    }

    /// Sends one request and returns once the response head arrives.
    ///
    /// Two deadlines, as botocore's are: `connect_timeout` bounds getting a connection (pool
    /// checkout, TCP, proxy tunnel and TLS handshake), then `read_timeout` bounds every wait
    /// for the other side: it starts when the connection is ready and again whenever the request
    /// body makes progress, so a slow upload that keeps sending never times out, and a server
    /// that accepts the request but never answers fails after `read_timeout`, not after both.
    pub async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Boxed: the exchange holds a connection and hyper's futures, several KiB that every
        // caller's future would otherwise carry inline and copy as it is moved.
        Box::pin(self.send_boxed(&req.method, &req.url, req.headers, req.body)).await
    }

    /// [`Self::send`] of a request whose method and URL are borrowed: the engine's attempts
    /// send the prepared URL without a copy of it.
    pub(crate) async fn send_parts(
        &self,
        method: &str,
        url: &str,
        headers: Headers,
        body: ByteStream,
    ) -> Result<HttpResponse, TransportError> {
        Box::pin(self.send_boxed(method, url, headers, body)).await
    }

    async fn send_boxed(
        &self,
        method: &str,
        url: &str,
        mut headers: Headers,
        body: ByteStream,
    ) -> Result<HttpResponse, TransportError> {
        let invalid = |e: Box<dyn std::error::Error + Send + Sync>| {
            TransportError::new(
                TransportErrorKind::Request,
                format!("invalid request for {}", host_of(url)),
                Some(e),
            )
        };
        let uri: http::Uri = url.parse().map_err(|e| invalid(Box::new(e)))?;
        let (Some(scheme), Some(_)) = (uri.scheme(), uri.authority()) else {
            return Err(TransportError::new(
                TransportErrorKind::Request,
                format!("{:?} is not an absolute http(s) URL", host_of(url)),
                None,
            ));
        };
        let key = pool_key(url);
        let multiplexed = cfg!(feature = "http2") && scheme == &http::uri::Scheme::HTTPS;
        let method =
            http::Method::from_bytes(method.as_bytes()).map_err(|e| invalid(Box::new(e)))?;
        // On our own connections the request line carries the path only, and Host the rest.
        let target = match uri.path_and_query() {
            _ if multiplexed => uri.clone(),
            // The parsed path shares the URL's bytes: no second parse, no copy.
            Some(path) => http::Uri::from(path.clone()),
            None => http::Uri::from_static("/"),
        };
        // `Expect: 100-continue` (set by a customization): a body over `SENT_WITH_HEAD_MAX`
        // waits for the server's interim answer on our own HTTP/1.1 connections; a smaller one,
        // or any over HTTP/2, goes at once, and then without the header: it would only make the
        // server send a `100 Continue` the client no longer waits for, one more wake-up per PUT.
        // (`Expect` is never signed, so dropping it leaves the signature valid.)
        let asks_continue = headers.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("expect") && v.eq_ignore_ascii_case("100-continue")
        });
        let expects_continue = asks_continue
            && !multiplexed
            && body.content_length().is_none_or(|n| n > SENT_WITH_HEAD_MAX);
        if asks_continue && !expects_continue {
            headers.retain(|k, v| {
                !(k.eq_ignore_ascii_case("expect") && v.eq_ignore_ascii_case("100-continue"))
            });
        }
        // Straight into the request's map: a builder would be moved once per header.
        // (A capped hint: the map's own limit is reported by `add_headers`, not panicked on.)
        let mut map = http::HeaderMap::with_capacity(headers.len().min(64) + 1);
        let has_host = add_headers(&mut map, headers)?;
        if !has_host && !multiplexed {
            let host =
                http::HeaderValue::try_from(host_header(&uri)).map_err(|e| invalid(Box::new(e)))?;
            map.insert(http::header::HOST, host);
        }
        let start = tokio::time::Instant::now();
        let mut body = body.into_wire();
        let mut signal = None;
        if expects_continue {
            let wait = CONTINUE_WAIT.min(self.settings.read_timeout / 2);
            let (gate, opened_by) = body::ContinueGate::new(body.into_boxed(), wait);
            body = body::WireBody::boxed(body::boxed(gate));
            signal = Some(opened_by);
        }
        // Bytes in memory go as one frame the moment the connection takes them, so there is no
        // progress to follow after that (as a stream's or file's later chunks are).
        let progress = body.streams().then(|| Arc::new(AtomicU64::new(0)));
        if let Some(p) = &progress {
            body = body.with_progress(start, p.clone());
        }
        let mut request = http::Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = target;
        *request.headers_mut() = map;
        if let Some(signal) = signal {
            hyper::ext::on_informational(&mut request, move |answer| {
                if answer.status() == http::StatusCode::CONTINUE {
                    signal.open();
                }
            });
        }
        let exchange = Exchange {
            client: self,
            url,
            start,
            progress,
        };
        #[cfg(feature = "http2")]
        if multiplexed {
            return exchange.via_shared_pool(request).await;
        }
        exchange.on_own_connection(request, uri, key).await
    }
}

/// One request on its way: what the deadlines and error messages need.
struct Exchange<'a> {
    client: &'a HttpClient,
    url: &'a str,
    start: tokio::time::Instant,
    /// When the request body last made progress; `None` for one sent as a single frame.
    progress: Option<Arc<AtomicU64>>,
}

impl Exchange<'_> {
    fn connect_timed_out(&self) -> TransportError {
        let connect_timeout = self.client.settings.connect_timeout;
        TransportError::new(
            TransportErrorKind::Timeout,
            format!(
                "could not connect to {} within connect_timeout ({connect_timeout:?})",
                host_of(self.url)
            ),
            Some(Box::new(TimedOut)),
        )
    }

    fn failed(&self, kind: TransportErrorKind, e: BoxError) -> TransportError {
        TransportError::new(
            kind,
            format!("request to {} failed", host_of(self.url)),
            Some(e),
        )
    }

    fn seen_progress(&self) -> u64 {
        self.progress
            .as_ref()
            .map_or(0, |p| p.load(Ordering::Relaxed))
    }

    /// Awaits `fut` (the exchange after the connection is ready) under `read_timeout`, which
    /// restarts whenever the request body makes progress.
    async fn read_deadline<F: Future>(&self, fut: F) -> Result<F::Output, TransportError> {
        tokio::pin!(fut);
        let connected_at = tokio::time::Instant::now();
        let read_timeout = self.client.settings.read_timeout;
        loop {
            let seen = self.seen_progress();
            let last = deadline_after(self.start, Duration::from_millis(seen)).max(connected_at);
            let sleep = tokio::time::sleep_until(deadline_after(last, read_timeout));
            tokio::pin!(sleep);
            let done = std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
                Poll::Ready(r) => Poll::Ready(Some(r)),
                Poll::Pending => sleep.as_mut().poll(cx).map(|()| None),
            })
            .await;
            if let Some(r) = done {
                return Ok(r);
            }
            if self.seen_progress() == seen {
                return Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!(
                        "no response from {} within read_timeout ({read_timeout:?})",
                        host_of(self.url)
                    ),
                    None,
                ));
            }
        }
    }

    /// A pooled connection that is ready (when `pooled`), or a new one; with the pool's key when
    /// it was reused.
    async fn connection(
        &self,
        uri: &http::Uri,
        key: &str,
        pooled: bool,
    ) -> Result<(Box<pool::Conn>, Option<pool::Key>), TransportError> {
        while let Some((stored, mut conn)) = pooled.then(|| self.client.pool.take(key)).flatten() {
            if conn.ready().await {
                return Ok((conn, Some(stored)));
            }
        }
        let mut connector = self.client.connector(uri.scheme())?.clone();
        let io = tower_service::Service::call(&mut connector, uri.clone())
            .await
            .map_err(|e| self.failed(TransportErrorKind::Connect, e))?;
        let conn = pool::Conn::handshake(io)
            .await
            .map_err(|e| self.failed(TransportErrorKind::Connect, Box::new(e)))?;
        Ok((conn, None))
    }

    /// HTTP/1.1 on a connection this task drives (see `pool`). A request that a reused
    /// connection closed under before writing it goes once more on a new connection.
    async fn on_own_connection(
        self,
        mut request: http::Request<body::WireBody>,
        uri: http::Uri,
        key: &str,
    ) -> Result<HttpResponse, TransportError> {
        let connect_timeout = self.client.settings.connect_timeout;
        let connect_deadline = deadline_after(self.start, connect_timeout);
        let mut fresh_only = false;
        let (conn, response, stored) = loop {
            let got =
                tokio::time::timeout_at(connect_deadline, self.connection(&uri, key, !fresh_only))
                    .await;
            let (mut conn, stored) = match got {
                Err(_) => return Err(self.connect_timed_out()),
                Ok(r) => r?,
            };
            let reused = stored.is_some();
            match self.read_deadline(conn.send(request)).await? {
                Ok(response) => break (conn, response, stored),
                Err(pool::SendError {
                    unsent: Some(again),
                    ..
                }) if reused => {
                    // Skip the pool this time: the connection it gave closed under us.
                    tracing::debug!("a pooled connection closed before the request went out");
                    request = again;
                    fresh_only = true;
                }
                Err(e) => return Err(self.failed(TransportErrorKind::Io, Box::new(e.error))),
            }
        };
        let (parts, incoming) = response.into_parts();
        let key = stored.unwrap_or_else(|| key.into());
        let body = pool::PooledBody::new(incoming, conn, self.client.pool.clone(), key);
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: header_list(&parts.headers),
            body: ByteStream::from_response_body(body, self.client.settings.read_timeout),
        })
    }

    /// Through hyper-util's pooled client (HTTP/2 by ALPN, or HTTP/1.1), whose connections run
    /// on tasks of their own.
    #[cfg(feature = "http2")]
    async fn via_shared_pool(
        self,
        mut request: http::Request<body::WireBody>,
    ) -> Result<HttpResponse, TransportError> {
        use hyper_util::client::legacy::connect::capture_connection;
        let mut captured = capture_connection(&mut request);
        let fut = self.client.multiplexed()?.request(request);
        tokio::pin!(fut);
        let connected = async {
            // The sender goes away with the request when it fails before connecting: then the
            // request's own result (an error) arrives instead.
            if captured.wait_for_connection_metadata().await.is_none() {
                std::future::pending::<()>().await;
            }
        };
        let connect_timeout = self.client.settings.connect_timeout;
        let sleep = tokio::time::sleep_until(deadline_after(self.start, connect_timeout));
        tokio::pin!(connected, sleep);
        // The exchange first, then the connection, then the deadline: the order a biased
        // select would poll them in.
        let early = std::future::poll_fn(|cx| {
            if let Poll::Ready(r) = fut.as_mut().poll(cx) {
                return Poll::Ready(Ok(Some(r)));
            }
            if connected.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Ok(None));
            }
            sleep.as_mut().poll(cx).map(Err)
        })
        .await;
        let early = match early {
            Ok(early) => early,
            Err(()) => return Err(self.connect_timed_out()),
        };
        let result = match early {
            Some(r) => r,
            None => self.read_deadline(&mut fut).await?,
        };
        let resp = result.map_err(|e| {
            let kind = if e.is_connect() {
                TransportErrorKind::Connect
            } else {
                TransportErrorKind::Io
            };
            self.failed(kind, Box::new(e))
        })?;
        let (parts, incoming) = resp.into_parts();
        Ok(HttpResponse {
            status: parts.status.as_u16(),
            headers: header_list(&parts.headers),
            body: ByteStream::from_response_body(incoming, self.client.settings.read_timeout),
        })
    }
}

/// The names AWS requests carry that are not standard HTTP headers, which `http` would otherwise
/// copy into a fresh allocation for every request (standard names it knows without one).
const AWS_HEADER_NAMES: [&str; 11] = [
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "x-amz-target",
    "x-amz-user-agent",
    "x-amz-checksum-crc32",
    "x-amz-sdk-checksum-algorithm",
    "x-amz-checksum-mode",
    "x-amz-decoded-content-length",
];

/// Moves `headers` into `map`, each value a slice of their one buffer; also says whether one of
/// them is Host.
fn add_headers(map: &mut http::HeaderMap, headers: Headers) -> Result<bool, TransportError> {
    let mut has_host = false;
    for (k, v) in headers.into_shared() {
        // Bytes, not `&str`: a value may hold UTF-8 (obs-text), never CR, LF or NUL. The value
        // is not shown: it may be a secret.
        let (Ok(name), Ok(value)) = (header_name(&k), http::HeaderValue::from_maybe_shared(v))
        else {
            return Err(TransportError::new(
                TransportErrorKind::Request,
                format!(
                    "the header {k:?} has a name or value HTTP cannot carry (control \
                     characters such as CR, LF or NUL); the request was not sent"
                ),
                None,
            ));
        };
        has_host |= name == http::header::HOST;
        if map.try_append(name, value).is_err() {
            return Err(TransportError::new(
                TransportErrorKind::Request,
                format!(
                    "the request has more headers than HTTP/1.1 here can carry ({}); the \
                     request was not sent",
                    map.len()
                ),
                None,
            ));
        }
    }
    Ok(has_host)
}

fn header_name(name: &str) -> Result<http::HeaderName, http::header::InvalidHeaderName> {
    match AWS_HEADER_NAMES
        .iter()
        .find(|known| name.eq_ignore_ascii_case(known))
    {
        Some(known) => Ok(http::HeaderName::from_static(known)),
        None => http::HeaderName::from_bytes(name.as_bytes()),
    }
}

fn header_list(headers: &http::HeaderMap) -> Vec<(Name, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                headers::header_name_of(k.as_str()),
                match std::str::from_utf8(v.as_bytes()) {
                    Ok(text) => text.to_owned(),
                    Err(_) => String::from_utf8_lossy(v.as_bytes()).into_owned(),
                },
            )
        })
        .collect()
}

/// The pool's key for a request to `url`: `scheme://authority` as the URL spells it, borrowed
/// (only a new connection stores a copy).
fn pool_key(url: &str) -> &str {
    &url[..authority_range(url).end]
}

/// Where `url`'s authority stands: after `scheme://`, before the path, query or fragment.
fn authority_range(url: &str) -> std::ops::Range<usize> {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    start..end
}

/// The Host header for `uri`: its host, with the port only when it is not the scheme's default.
fn host_header(uri: &http::Uri) -> String {
    let host = uri.host().unwrap_or_default();
    match (uri.port_u16(), uri.scheme_str()) {
        (Some(443), Some("https")) | (Some(80), Some("http")) | (None, _) => host.to_string(),
        (Some(port), _) => format!("{host}:{port}"),
    }
}

/// A TLS config trusting exactly the certificates of a PEM bundle.
/// `verify=False`: a TLS client that takes any server certificate.
mod unverified {
    use super::{TransportError, TransportErrorKind};
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};
    use std::sync::Arc;

    /// Accepts every certificate chain, and checks the handshake signatures with the provider's
    /// algorithms as a verifying client would.
    #[derive(Debug)]
    struct AnyCertificate(Arc<CryptoProvider>);

    impl ServerCertVerifier for AnyCertificate {
        fn verify_server_cert(
            &self,
            _end_entity: &CertificateDer<'_>,
            _intermediates: &[CertificateDer<'_>],
            _server_name: &ServerName<'_>,
            _ocsp: &[u8],
            _now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Ok(ServerCertVerified::assertion())
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.0.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    pub(super) fn tls_config(
        provider: Arc<CryptoProvider>,
    ) -> Result<rustls::ClientConfig, TransportError> {
        Ok(
            rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Request,
                        "no TLS protocol versions available",
                        Some(Box::new(e)),
                    )
                })?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
                .with_no_client_auth(),
        )
    }
}

/// The TCP (and proxy) connector under TLS, with the settings' timeouts.
fn wrap(
    builder: hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    settings: &HttpSettings,
) -> Connector {
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_nodelay(true);
    http.set_connect_timeout(Some(settings.connect_timeout));
    let connector = proxy::ProxyConnector::new(http, &settings.proxy);
    #[cfg(not(feature = "http2"))]
    let https = builder
        .https_or_http()
        .enable_http1()
        .wrap_connector(connector);
    #[cfg(feature = "http2")]
    let https = builder
        .https_or_http()
        .enable_all_versions()
        .wrap_connector(connector);
    https
}

fn tls_setup_failed(e: BoxError) -> TransportError {
    TransportError::new(TransportErrorKind::Request, "cannot set up TLS", Some(e))
}

/// What a new client checks of `ca_bundle` at once, cheaply: the file reads and holds PEM
/// certificates. The certificates themselves are parsed with the first `https` connection.
fn check_bundle(path: &std::path::Path) -> Result<(), TransportError> {
    let text = std::fs::read(path).map_err(|e| {
        TransportError::new(
            TransportErrorKind::Request,
            format!("cannot read the CA bundle {}", path.display()),
            Some(Box::new(e)),
        )
    })?;
    let marker = b"-----BEGIN CERTIFICATE-----";
    if !text.windows(marker.len()).any(|w| w == marker) {
        return Err(TransportError::new(
            TransportErrorKind::Request,
            format!(
                "the CA bundle {} is not valid PEM: it holds no certificate",
                path.display()
            ),
            None,
        ));
    }
    Ok(())
}

fn tls_config_with_bundle(
    provider: std::sync::Arc<rustls::crypto::CryptoProvider>,
    path: &std::path::Path,
) -> Result<rustls::ClientConfig, TransportError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let bad = |what: String, e: Option<BoxError>| {
        TransportError::new(TransportErrorKind::Request, what, e)
    };
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(path).map_err(|e| {
        bad(
            format!("cannot read the CA bundle {}", path.display()),
            Some(Box::new(e)),
        )
    })?;
    for cert in certs {
        let cert = cert.map_err(|e| {
            bad(
                format!("the CA bundle {} is not valid PEM", path.display()),
                Some(Box::new(e)),
            )
        })?;
        roots.add(cert).map_err(|e| {
            bad(
                format!(
                    "the CA bundle {} holds an invalid certificate",
                    path.display()
                ),
                Some(Box::new(e)),
            )
        })?;
    }
    if roots.is_empty() {
        return Err(bad(
            format!("the CA bundle {} holds no certificates", path.display()),
            None,
        ));
    }
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            bad(
                "no TLS protocol versions available".into(),
                Some(Box::new(e)),
            )
        })?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// `start + d`, or a point about thirty years ahead when that would overflow (timeouts are
/// bounded by [`MAX_TIMEOUT`] at configuration time; this keeps the arithmetic total anyway).
pub(crate) fn deadline_after(start: tokio::time::Instant, d: Duration) -> tokio::time::Instant {
    start
        .checked_add(d)
        .or_else(|| start.checked_add(MAX_TIMEOUT))
        .unwrap_or(start)
}

/// The source of a connect timeout, so callers walking the chain see it was a timeout.
#[derive(Debug)]
struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timed out")
    }
}

impl std::error::Error for TimedOut {}

/// `url`'s host and port, as errors name the server.
fn host_of(url: &str) -> &str {
    &url[authority_range(url)]
}

#[cfg(test)]
mod tests;
