//! HTTPS through a proxy: connections to `https://` endpoints are tunnelled with `CONNECT`
//! through the proxy `HTTPS_PROXY` names (with `Proxy-Authorization` from its `user:pass@`),
//! unless `NO_PROXY` exempts the host. Plain `http://` endpoints (local test servers) connect
//! directly.

use super::BoxError;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower_service::Service;

/// Which proxy to use, as the environment spells it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// The proxy for HTTPS destinations (`HTTPS_PROXY`).
    pub https: Option<String>,
    /// Hosts that bypass it (`NO_PROXY`).
    pub no_proxy: Option<String>,
}

impl fmt::Debug for ProxySettings {
    /// Credentials in the proxy URL (`http://user:pass@proxy`) are not shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self
            .https
            .as_deref()
            .map(|u| match (u.split_once("://"), u.rfind('@')) {
                (Some((scheme, _)), Some(at)) => {
                    format!("{scheme}://** redacted **@{}", &u[at + 1..])
                }
                _ => u.to_string(),
            });
        f.debug_struct("ProxySettings")
            .field("https", &shown)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A TCP connector that tunnels HTTPS destinations through a proxy when one is set.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    http: HttpConnector,
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(crate) fn new(http: HttpConnector, settings: &ProxySettings) -> Self {
        let matcher = settings.https.as_ref().map(|proxy| {
            let builder = Matcher::builder().https(proxy.clone());
            let builder = match &settings.no_proxy {
                Some(no) => builder.no(no.clone()),
                None => builder,
            };
            Arc::new(builder.build())
        });
        ProxyConnector { http, matcher }
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<TokioIo<TcpStream>, BoxError>> + Send>>;

impl Service<http::Uri> for ProxyConnector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Both paths make a fresh connection per call; there is no capacity to wait for.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Connecting {
        let https = dst.scheme_str() == Some("https");
        let intercept = self
            .matcher
            .as_ref()
            .filter(|_| https)
            .and_then(|m| m.intercept(&dst));
        let mut http = self.http.clone();
        match intercept {
            None => Box::pin(async move { http.call(dst).await.map_err(Into::into) }),
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move {
                    std::future::poll_fn(|cx| tunnel.poll_ready(cx)).await?;
                    tunnel.call(dst).await.map_err(Into::into)
                })
            }
        }
    }
}
