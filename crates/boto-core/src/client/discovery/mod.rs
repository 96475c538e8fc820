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
use super::{ClientConfig, ConstructionError, SdkError, ServiceClient};
use crate::config::EndpointDiscovery;
use crate::model::{Operation, ServiceModel};
use crate::protocol::SerializedRequest;

#[cfg(feature = "endpoint-discovery")]
mod find;
#[cfg(feature = "endpoint-discovery")]
pub(super) use find::forget_if_invalid;

/// The service's discovery facts, worked out once per client, and the endpoints found.
#[derive(Debug, Default)]
pub(super) struct Discovery {
    /// The operation that names endpoints, when the service has one.
    operation: Option<String>,
    /// Some operation of the service requires discovery (what `auto` turns it on for).
    required_by_service: bool,
    #[cfg(feature = "endpoint-discovery")]
    cache: std::sync::Mutex<find::Cache>,
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
            #[cfg(feature = "endpoint-discovery")]
            cache: Default::default(),
        }
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
    #[cfg(feature = "endpoint-discovery")]
    return find::route_found(client, prepared, required).await;
    #[cfg(not(feature = "endpoint-discovery"))]
    return left_out(&client.inner.model, prepared.op, required);
}

/// A build without the `endpoint-discovery` feature meets an operation that wants discovery
/// (a model of DynamoDB or Timestream from a data folder, with its service feature off): a
/// required discovery is an error that names the feature; an optional one (asked for with
/// `endpoint_discovery_enabled = true`) leaves the resolved endpoint, as botocore does when
/// discovery finds nothing.
// Called only without the feature; compiled (and unit-tested) in every build.
#[cfg_attr(feature = "endpoint-discovery", allow(dead_code))]
fn left_out(model: &ServiceModel, op: &Operation, required: bool) -> Result<bool, SdkError> {
    let service = model.service_name();
    // A service botocore has can be embedded with its feature; any other only gets the engine's.
    let features = if crate::model::is_known_service(service) {
        format!("the cargo feature `{service}` (or `endpoint-discovery`)")
    } else {
        "the cargo feature `endpoint-discovery`".to_string()
    };
    if required {
        return Err(ConstructionError::Usage(format!(
            "{} requires endpoint discovery, which this build leaves out: enable {features} of \
             boto",
            op.name
        ))
        .into());
    }
    tracing::debug!(
        operation = %op.name,
        "endpoint discovery is left out of this build (enable {features}): the resolved \
         endpoint serves"
    );
    Ok(false)
}

/// Without endpoint discovery no call goes to a discovered endpoint, so none is forgotten.
#[cfg(not(feature = "endpoint-discovery"))]
pub(super) fn forget_if_invalid(_: &ServiceClient, _: &SdkError) -> bool {
    false
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

#[cfg(test)]
mod without_the_feature {
    use super::*;

    /// A discovery service as a data folder would give it, under `name`.
    fn model(name: &str) -> ServiceModel {
        let json = r#"{"metadata": {"protocol": "json", "apiVersion": "2018-11-01",
            "endpointPrefix": "ingest.timestream", "jsonVersion": "1.0", "targetPrefix": "T"},
          "operations": {
            "DescribeEndpoints": {"name": "DescribeEndpoints", "endpointoperation": true,
              "http": {"method": "POST", "requestUri": "/"}},
            "ListDatabases": {"name": "ListDatabases", "endpointdiscovery": {"required": true},
              "http": {"method": "POST", "requestUri": "/"}}},
          "shapes": {}}"#;
        ServiceModel::from_json(name, json).unwrap()
    }

    #[test]
    fn refuses_only_what_requires_it_and_names_a_feature_that_exists() {
        let known = model("timestream-write");
        let op = known.operation("ListDatabases").unwrap();
        let refused = left_out(&known, op, true).unwrap_err().to_string();
        assert!(
            refused.contains(
                "ListDatabases requires endpoint discovery, which this build leaves out: enable \
                 the cargo feature `timestream-write` (or `endpoint-discovery`) of boto"
            ),
            "{refused}"
        );
        assert_eq!(left_out(&known, op, false).ok(), Some(false));
        let unknown = model("not-a-botocore-service");
        let op = unknown.operation("ListDatabases").unwrap();
        let refused = left_out(&unknown, op, true).unwrap_err().to_string();
        assert!(
            refused.ends_with("enable the cargo feature `endpoint-discovery` of boto"),
            "{refused}"
        );
    }
}

#[cfg(all(test, feature = "dynamodb", feature = "timestream-write"))]
mod tests {
    use super::*;

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
}
