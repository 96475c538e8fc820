//! Finding a discovered endpoint: the cache, the discovery call and where the call then goes.
//! Built with the `endpoint-discovery` feature only (the services with a discovery operation
//! turn it on).

use super::Discovery;
use crate::client::invoke::Boxed;
use crate::client::prepare::Prepared;
use crate::client::{ConstructionError, Output, SdkError, ServiceClient};
use crate::document::Document;
use std::sync::{MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long a discovery that could not connect is not tried again (botocore's 60 s).
const FAILED_PAUSE: Duration = Duration::from_secs(60);

/// The endpoints found for one client.
#[derive(Debug, Default)]
pub(super) struct Cache {
    /// The endpoints found (addresses as given), each with when it expires.
    endpoints: Vec<(String, Instant)>,
    /// Until when a discovery that could not connect is not tried again.
    failed_until: Option<Instant>,
}

impl Discovery {
    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops what was found (the endpoint said it is not the right one).
    fn forget(&self) {
        self.lock().endpoints.clear();
    }

    fn fresh(&self, now: Instant) -> Option<String> {
        let cache = self.lock();
        let mut fresh = cache.endpoints.iter().filter(|(_, until)| now < *until);
        fresh.next().map(|(address, _)| address.clone())
    }

    fn stale(&self) -> Option<String> {
        self.lock().endpoints.first().map(|(a, _)| a.clone())
    }

    fn recently_failed(&self, now: Instant) -> bool {
        let mut cache = self.lock();
        match cache.failed_until {
            Some(until) if now < until => true,
            _ => {
                cache.failed_until = None;
                false
            }
        }
    }
}

/// Sends `prepared` to the discovered endpoint; returns whether it goes there (an optional
/// discovery that found nothing leaves the resolved endpoint).
pub(super) async fn route_found(
    client: &ServiceClient,
    prepared: &mut Prepared<'_>,
    required: bool,
) -> Result<bool, SdkError> {
    let Some(address) = endpoint(client, required).await? else {
        return Ok(false); // optional: the resolved endpoint serves
    };
    let endpoint = if address.starts_with("http") {
        address
    } else {
        format!("https://{address}")
    };
    tracing::debug!(%endpoint, "discovered endpoint");
    prepared.url = with_endpoint(&prepared.url, &endpoint);
    Ok(true)
}

/// After attempt of a discovered call failed: a 421 or an `InvalidEndpointException` drops the
/// endpoints found, so the next attempt (a retry) discovers again. Returns whether it did.
pub(in crate::client) fn forget_if_invalid(client: &ServiceClient, error: &SdkError) -> bool {
    let invalid = match error {
        SdkError::Service(e) => e.status == 421 || e.code == "InvalidEndpointException",
        _ => false,
    };
    if invalid {
        client.inner.discovery.forget();
    }
    invalid
}

/// botocore's `describe_endpoint`: the address to use, `None` for the resolved endpoint.
async fn endpoint(client: &ServiceClient, required: bool) -> Result<Option<String>, SdkError> {
    let discovery = &client.inner.discovery;
    if let Some(address) = discovery.fresh(Instant::now()) {
        return Ok(Some(address));
    }
    let recently_failed = discovery.recently_failed(Instant::now());
    let mut last_error = None;
    if !recently_failed {
        match refresh(client).await {
            Ok(Some(address)) => return Ok(Some(address)),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
    }
    if let Some(address) = discovery.stale() {
        return Ok(Some(address));
    }
    if !required {
        return Ok(None);
    }
    if recently_failed {
        match refresh(client).await {
            Ok(Some(address)) => return Ok(Some(address)),
            Ok(None) => {}
            Err(e) => last_error = Some(e),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        ConstructionError::Usage(
            "endpoint discovery found no endpoint for an operation that requires one".into(),
        )
        .into()
    }))
}

/// Calls the discovery operation and caches its endpoints; the first one's address, if any. A
/// failure to connect pauses discovery (and is returned); a service error is returned.
async fn refresh(client: &ServiceClient) -> Result<Option<String>, SdkError> {
    let discovery = &client.inner.discovery;
    let Some(operation) = discovery.operation.as_deref() else {
        return Ok(None);
    };
    let answer = match describe(client, operation).await {
        Ok(answer) => answer,
        Err(e @ SdkError::Dispatch(_)) => {
            discovery.lock().failed_until = Some(Instant::now() + FAILED_PAUSE);
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let now = Instant::now();
    let endpoints: Vec<(String, Instant)> = answer.document["Endpoints"]
        .iter()
        .filter_map(|e| {
            let address = e["Address"].as_str()?.to_string();
            let minutes = e["CachePeriodInMinutes"].as_i64().unwrap_or(0).max(0) as u64;
            Some((
                address,
                now + Duration::from_secs(minutes.saturating_mul(60)),
            ))
        })
        .collect();
    let first = endpoints.first().map(|(a, _)| a.clone());
    let mut cache = discovery.lock();
    cache.endpoints = endpoints;
    cache.failed_until = None;
    Ok(first)
}

/// The discovery call, through the whole pipeline (boxed there: a call may discover first).
fn describe<'a>(client: &'a ServiceClient, operation: &'a str) -> Boxed<'a, Output> {
    client.invoke_boxed(operation, Document::map(), None)
}

/// `url` with its scheme and authority replaced by `endpoint`'s (its path and query kept; an
/// endpoint's own path, if any, goes first).
fn with_endpoint(url: &str, endpoint: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme
        .find(['/', '?'])
        .map_or("", |i| &after_scheme[i..]);
    let base = endpoint.trim_end_matches('/');
    match path_and_query {
        "" => base.to_string(),
        p if p.starts_with('?') => format!("{base}/{p}"),
        p => format!("{base}{p}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_discovered_endpoint_replaces_scheme_and_host_only() {
        assert_eq!(
            with_endpoint(
                "https://ingest.timestream.us-east-1.amazonaws.com/",
                "https://ingest-cell2.timestream.us-east-1.amazonaws.com"
            ),
            "https://ingest-cell2.timestream.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            with_endpoint("https://a.example/p?x=1", "http://127.0.0.1:9/"),
            "http://127.0.0.1:9/p?x=1"
        );
        assert_eq!(
            with_endpoint("https://a.example?x=1", "https://b"),
            "https://b/?x=1"
        );
    }
}
