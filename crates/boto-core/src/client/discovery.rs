//! Endpoint discovery, as botocore's `discovery.py` (registered by `client.py`
//! `_register_endpoint_discovery`): an operation with the model's `endpointdiscovery` trait
//! goes to the endpoint the service's `endpointoperation` (`DescribeEndpoints`) names, found
//! once and kept per client for the `CachePeriodInMinutes` it gives.
//!
//! When it runs, as botocore decides it: never with a custom `endpoint_url`, nor for a service
//! without a discovery operation; `endpoint_discovery_enabled = auto` (the default) turns it on
//! for the services where some operation requires it (Timestream), and then only for those
//! operations; `true` for every operation with the trait (DynamoDB's too); `false` never, and an
//! operation that requires it fails before sending.
//!
//! Finding the endpoint, as botocore's `describe_endpoint`: a fresh cached endpoint is used;
//! else the discovery operation is called, unless it failed to connect in the last 60 s; if that
//! fails to connect, a stale endpoint still serves; a required operation with none fails, an
//! optional one goes to the resolved endpoint. A service error of the discovery operation is
//! the call's error. botocore keys its cache by the operation's `endpointdiscoveryid` members;
//! no model has any (botocore 1.44.8), so one entry per client serves. A 421 or an
//! `InvalidEndpointException` drops the cache and is retried at a newly discovered endpoint.
//! The discovery operation itself carries `x-amz-api-version` (botocore's
//! `inject_api_version_header_if_needed`).

use super::prepare::Prepared;
use super::{ClientConfig, ConstructionError, Output, SdkError, ServiceClient};
use crate::config::EndpointDiscovery;
use crate::document::Document;
use crate::model::{Operation, ServiceModel};
use crate::protocol::SerializedRequest;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a discovery that could not connect is not tried again (botocore's 60 s).
const FAILED_PAUSE: Duration = Duration::from_secs(60);

/// The service's discovery facts, worked out once per client, and the endpoints found.
#[derive(Debug, Default)]
pub(super) struct Discovery {
    /// The operation that names endpoints, when the service has one.
    operation: Option<String>,
    /// Some operation of the service requires discovery (what `auto` turns it on for).
    required_by_service: bool,
    cache: Mutex<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    /// The endpoints found (addresses as given), each with when it expires.
    endpoints: Vec<(String, Instant)>,
    /// Until when a discovery that could not connect is not tried again.
    failed_until: Option<Instant>,
}

impl Discovery {
    pub(super) fn of(model: &ServiceModel) -> Self {
        let ops = model.operations();
        Discovery {
            operation: ops
                .iter()
                .find(|o| o.endpoint_operation)
                .map(|o| o.name.clone()),
            required_by_service: ops.iter().any(|o| o.endpoint_discovery == Some(true)),
            cache: Mutex::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `op` goes to a discovered endpoint: `Some(required)` if so.
    fn wanted(&self, op: &Operation, config: &ClientConfig) -> Result<Option<bool>, SdkError> {
        if config.endpoint_url.is_some() || self.operation.is_none() {
            return Ok(None);
        }
        let Some(required) = op.endpoint_discovery else {
            return Ok(None);
        };
        let on = match config.endpoint_discovery {
            EndpointDiscovery::Auto => self.required_by_service,
            EndpointDiscovery::Enabled => true,
            EndpointDiscovery::Disabled => false,
        };
        if !on {
            return match required {
                true => Err(ConstructionError::Usage(format!(
                    "{} requires endpoint discovery, which is off (endpoint_discovery_enabled)",
                    op.name
                ))
                .into()),
                false => Ok(None),
            };
        }
        let always = config.endpoint_discovery == EndpointDiscovery::Enabled;
        Ok((always || required).then_some(required))
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

    /// Drops what was found (the endpoint said it is not the right one).
    fn forget(&self) {
        self.lock().endpoints.clear();
    }
}

/// Sends `prepared` to the discovered endpoint when its operation goes to one; returns whether
/// it does.
pub(super) async fn route(
    client: &ServiceClient,
    prepared: &mut Prepared<'_>,
) -> Result<bool, SdkError> {
    let discovery = &client.inner.discovery;
    let Some(required) = discovery.wanted(prepared.op, prepared.config)? else {
        return Ok(false);
    };
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
pub(super) fn forget_if_invalid(client: &ServiceClient, error: &SdkError) -> bool {
    let invalid = match error {
        SdkError::Service(e) => e.status == 421 || e.code == "InvalidEndpointException",
        _ => false,
    };
    if invalid {
        client.inner.discovery.forget();
    }
    invalid
}

/// The discovery operation carries the API version (botocore's
/// `inject_api_version_header_if_needed`).
pub(super) fn api_version_header(
    model: &ServiceModel,
    op: &Operation,
    request: &mut SerializedRequest,
) {
    if op.endpoint_operation {
        request.header("x-amz-api-version", &model.metadata().api_version);
    }
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

/// The discovery call, through the whole pipeline (boxed: a call may discover first).
fn describe<'a>(
    client: &'a ServiceClient,
    operation: &'a str,
) -> Pin<Box<dyn Future<Output = Result<Output, SdkError>> + Send + 'a>> {
    Box::pin(super::invoke::call(
        client,
        operation,
        Document::map(),
        None,
    ))
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

    #[cfg(all(feature = "dynamodb", feature = "timestream-write"))]
    #[test]
    fn when_it_runs_is_botocores_choice() {
        let http = crate::http::HttpClient::new(Default::default()).unwrap();
        let mut config = ClientConfig::new(http);
        let wanted = |service: &str, op: &str, config: &ClientConfig| {
            let model = ServiceModel::load(service).unwrap();
            let d = Discovery::of(&model);
            d.wanted(model.operation(op).unwrap(), config)
                .map_err(|e| e.to_string())
        };
        // auto: on for Timestream's required operations only, off for DynamoDB.
        assert_eq!(
            wanted("timestream-write", "ListDatabases", &config),
            Ok(Some(true))
        );
        assert_eq!(
            wanted("timestream-write", "DescribeEndpoints", &config),
            Ok(None)
        );
        assert_eq!(wanted("dynamodb", "GetItem", &config), Ok(None));
        config.endpoint_discovery = EndpointDiscovery::Enabled;
        assert_eq!(wanted("dynamodb", "GetItem", &config), Ok(Some(false)));
        config.endpoint_discovery = EndpointDiscovery::Disabled;
        assert_eq!(wanted("dynamodb", "GetItem", &config), Ok(None));
        let refused = wanted("timestream-write", "ListDatabases", &config).unwrap_err();
        assert!(
            refused.contains("ListDatabases requires endpoint discovery"),
            "{refused}"
        );
        config.endpoint_url = Some("http://127.0.0.1:1".into());
        assert_eq!(
            wanted("timestream-write", "ListDatabases", &config),
            Ok(None)
        );
    }

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
