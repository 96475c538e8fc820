//! A minimal plain-HTTP client for the metadata endpoints (no TLS, no proxies, no pooling): one
//! connection per request, on the engine's own HTTP/1.1 connection type, so that the default
//! build links one HTTP client, not two.

use crate::http::pool::{Conn, Pool, PooledBody};
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Limited};
use std::fmt;
use std::time::Duration;

/// Responses larger than this are refused.
const MAX_BODY: usize = 1024 * 1024;

/// Holds nothing: every request connects anew, as the metadata services are asked rarely.
#[derive(Clone, Debug, Default)]
pub(crate) struct HttpClient;

pub(crate) struct Response {
    pub status: u16,
    pub body: Bytes,
}

#[derive(Debug)]
pub(crate) enum HttpError {
    /// The request did not complete in time.
    Timeout,
    /// Connecting or talking to the server failed.
    Transport(String),
    /// The request could not be built (bad URL or header).
    Invalid(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Timeout => f.write_str("timed out"),
            HttpError::Transport(m) | HttpError::Invalid(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for HttpError {}

impl HttpClient {
    pub(crate) fn new() -> Self {
        HttpClient
    }

    /// Sends one request on a connection of its own (closed afterwards). Header values marked
    /// sensitive are never printed by `http`.
    pub(crate) async fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&'static str, HeaderValue)],
        timeout: Duration,
    ) -> Result<Response, HttpError> {
        let uri: Uri = url
            .parse()
            .map_err(|_| HttpError::Invalid(format!("{url:?} is not a valid URL")))?;
        let (Some("http"), Some(host)) = (uri.scheme_str(), uri.host()) else {
            return Err(HttpError::Invalid(format!(
                "{url:?} is not an http:// URL with a host"
            )));
        };
        let port = uri.port_u16().unwrap_or(80);
        let authority = uri
            .authority()
            .map(|a| a.as_str().to_string())
            .unwrap_or_default();
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(http::header::HOST, authority);
        for (name, value) in headers {
            builder = builder.header(*name, value.clone());
        }
        let request = builder
            .body(crate::http::body::WireBody::empty())
            .map_err(|e| HttpError::Invalid(format!("cannot build the request: {e}")))?;
        let exchange = async {
            let stream = tokio::net::TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|e| HttpError::Transport(format!("connection failed: {e}")))?;
            let _ = stream.set_nodelay(true);
            let io = hyper_rustls::MaybeHttpsStream::Http(hyper_util::rt::TokioIo::new(stream));
            let mut conn = Conn::handshake(io)
                .await
                .map_err(|e| HttpError::Transport(format!("connection failed: {e}")))?;
            let response = conn
                .send(request)
                .await
                .map_err(|e| HttpError::Transport(format!("request failed: {}", e.error)))?;
            let status = response.status().as_u16();
            let pool = std::sync::Arc::new(Pool::new(0, Duration::ZERO));
            let body = PooledBody::new(response.into_body(), conn, pool, "".into());
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| HttpError::Transport(format!("reading the body failed: {e}")))?
                .to_bytes();
            Ok(Response { status, body })
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(r) => r,
            Err(_) => Err(HttpError::Timeout),
        }
    }
}

/// A short, printable excerpt of a (non-secret) error body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}
