//! Predict goes to the model's real-time endpoint, which the caller passes as `PredictEndpoint`
//! (`https://realtime.machinelearning.us-east-1.amazonaws.com`): its scheme and host replace the
//! resolved endpoint's, the path stays (botocore's `switch_host_machinelearning`). The member also
//! stays in the body, as botocore sends it.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::endpoint::Endpoint;
use crate::model::Operation;
use std::sync::Arc;

pub(crate) struct PredictEndpoint;

impl Customization for PredictEndpoint {
    fn name(&self) -> &'static str {
        "machinelearning.predict_endpoint"
    }

    fn after_endpoint(
        &self,
        op: &Operation,
        input: &Document,
        endpoint: &mut Arc<Endpoint>,
    ) -> Result<(), ConstructionError> {
        if op.name != "Predict" {
            return Ok(());
        }
        let Some(given) = input.get("PredictEndpoint").and_then(Document::as_str) else {
            return Ok(());
        };
        if given.is_empty() {
            return Ok(());
        }
        let invalid = || ConstructionError::InvalidEndpointUrl {
            url: given.to_string(),
            problem: "is not an absolute URL (PredictEndpoint)",
        };
        let (scheme, rest) = given.split_once("://").ok_or_else(invalid)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if scheme.is_empty() || host.is_empty() {
            return Err(invalid());
        }
        let path = endpoint
            .url
            .split_once("://")
            .map(|(_, r)| r.find('/').map_or("", |i| &r[i..]))
            .unwrap_or_default();
        let url = format!("{scheme}://{host}{path}");
        Arc::make_mut(endpoint).url = url;
        Ok(())
    }
}

#[cfg(all(test, feature = "machinelearning"))]
mod tests {
    use super::*;

    fn endpoint(url: &str) -> Arc<Endpoint> {
        Arc::new(Endpoint {
            url: url.into(),
            properties: Default::default(),
            headers: Default::default(),
        })
    }

    fn op(name: &str) -> Operation {
        let model = crate::model::ServiceModel::load("machinelearning").unwrap();
        model.operation(name).unwrap().clone()
    }

    #[test]
    fn the_predict_endpoint_replaces_scheme_and_host_and_keeps_the_path() {
        let mut e = endpoint("https://machinelearning.us-east-1.amazonaws.com/base");
        let input =
            crate::doc! {"MLModelId": "m", "PredictEndpoint": "http://127.0.0.1:8080/ignored?x=1"};
        PredictEndpoint
            .after_endpoint(&op("Predict"), &input, &mut e)
            .unwrap();
        assert_eq!(e.url, "http://127.0.0.1:8080/base");
        let mut other = endpoint("https://machinelearning.us-east-1.amazonaws.com");
        PredictEndpoint
            .after_endpoint(&op("GetMLModel"), &input, &mut other)
            .unwrap();
        assert_eq!(other.url, "https://machinelearning.us-east-1.amazonaws.com");
        let bad = crate::doc! {"PredictEndpoint": "realtime.example.com"};
        let err = PredictEndpoint
            .after_endpoint(&op("Predict"), &bad, &mut other)
            .unwrap_err();
        assert!(err.to_string().contains("realtime.example.com"), "{err}");
    }
}
