//! A minimal plain-HTTP client for the metadata endpoints (no TLS, no proxies, no pooling).

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::fmt;
use std::time::Duration;

/// Responses larger than this are refused.
const MAX_BODY: usize = 1024 * 1024;

#[derive(Clone)]
pub(crate) struct HttpClient {
    client: Client<HttpConnector, Empty<Bytes>>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpClient")
    }
}

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
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector);
        HttpClient { client }
    }

    /// Sends one request. Header values marked sensitive are never printed by `http`.
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
        if uri.scheme_str() != Some("http") || uri.host().is_none() {
            return Err(HttpError::Invalid(format!(
                "{url:?} is not an http:// URL with a host"
            )));
        }
        let mut builder = Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, value.clone());
        }
        let request = builder
            .body(Empty::new())
            .map_err(|e| HttpError::Invalid(format!("cannot build the request: {e}")))?;
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| HttpError::Transport(describe(&e)))?;
            let status = response.status().as_u16();
            let body = Limited::new(response.into_body(), MAX_BODY)
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

fn describe(e: &hyper_util::client::legacy::Error) -> String {
    let mut msg = if e.is_connect() {
        "connection failed".to_string()
    } else {
        "request failed".to_string()
    };
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
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
