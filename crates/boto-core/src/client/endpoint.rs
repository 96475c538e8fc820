//! Endpoint resolution for a client: the service's rule set (compiled once per process) evaluated
//! with parameters from the client config, the operation and its input (repeated parameter sets
//! are answered from the rule set's memo); then the URL is joined with the request path as
//! botocore's `_urljoin` does.

use super::{ClientConfig, ConstructionError};
use crate::customize::Customization;
use crate::document::Document;
use crate::endpoint::{
    Endpoint, EndpointError, MemoizedRuleSet, ParamValue, Params, Partitions, RuleSet,
};
use crate::model::{partitions_json, Folder, Operation, ServiceModel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

fn partitions() -> Result<Arc<Partitions>, ConstructionError> {
    static P: OnceLock<Result<Arc<Partitions>, EndpointError>> = OnceLock::new();
    P.get_or_init(|| {
        let text = partitions_json().ok_or_else(|| {
            EndpointError::InvalidPartitions("partitions data is not embedded".into())
        })?;
        Partitions::from_json_str(&text).map(Arc::new)
    })
    .clone()
    .map_err(|error| ConstructionError::Endpoint {
        error,
        region_missing: false,
    })
}

/// The compiled rule sets: the embedded one of a service, by its name (looked up by `&str`, so a
/// call makes no key), and the one found for a folder model, by the model's unique source id
/// (never by name, so it cannot shadow the embedded rules for sessions without that folder).
#[derive(Default)]
struct RuleSets {
    embedded: HashMap<String, Arc<MemoizedRuleSet>>,
    folders: HashMap<u64, (Weak<Folder>, Arc<MemoizedRuleSet>)>,
}

/// The compiled rule set of a model (`None` when it has none, in its folder or embedded),
/// compiled once per process for the embedded data and once per folder model. Its memo of
/// resolved endpoints is shared by every client of that model, always with [`partitions`].
pub(crate) fn rule_set(
    model: &ServiceModel,
) -> Result<Option<Arc<MemoizedRuleSet>>, ConstructionError> {
    static CACHE: OnceLock<Mutex<RuleSets>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let folder = model.source().folder();
    if let Some(r) = cache.lock().ok().and_then(|c| match folder {
        Some(f) => c.folders.get(&f.id).map(|e| e.1.clone()),
        None => c.embedded.get(model.service_name()).cloned(),
    }) {
        return Ok(Some(r));
    }
    let invalid = |error| ConstructionError::Endpoint {
        error,
        region_missing: false,
    };
    // An embedded model's rules come precompiled; a folder model's compile from its JSON.
    let precompiled = match folder {
        None => RuleSet::embedded(model.service_name()).map_err(invalid)?,
        Some(_) => None,
    };
    let rules = match precompiled {
        Some(rules) => rules,
        None => {
            let Some(json) = model
                .data_file("endpoint-rule-set-1")
                .map_err(ConstructionError::Model)?
            else {
                return Ok(None);
            };
            RuleSet::from_json(&json).map_err(invalid)?
        }
    };
    let rules = Arc::new(MemoizedRuleSet::new(rules));
    if let Ok(mut c) = cache.lock() {
        c.folders.retain(|_, (owner, _)| owner.strong_count() > 0);
        match folder {
            Some(f) => {
                c.folders.insert(f.id, (Arc::downgrade(f), rules.clone()));
            }
            None => {
                c.embedded
                    .insert(model.service_name().to_string(), rules.clone());
            }
        }
    }
    Ok(Some(rules))
}

fn json_param(v: &serde_json::Value) -> Option<ParamValue> {
    match v {
        serde_json::Value::Bool(b) => Some((*b).into()),
        serde_json::Value::String(s) => Some(s.as_str().into()),
        _ => None,
    }
}

/// Resolves the endpoint of one call.
pub(crate) fn resolve(
    model: &ServiceModel,
    config: &ClientConfig,
    op: &Operation,
    input: &Document,
    customizations: &[&dyn Customization],
) -> Result<Arc<Endpoint>, ConstructionError> {
    if let Some(region) = config.region.as_deref() {
        if !crate::endpoint::is_valid_region_name(region) {
            let rule = crate::endpoint::REGION_NAME_RULE;
            return Err(ConstructionError::Endpoint {
                error: EndpointError::InvalidParameter(format!("region {region:?} is not {rule}")),
                region_missing: false,
            });
        }
    }
    let Some(rules) = rule_set(model)? else {
        return match &config.endpoint_url {
            Some(url) => Ok(Arc::new(Endpoint {
                url: url.clone(),
                properties: Default::default(),
                headers: Default::default(),
            })),
            None => Err(ConstructionError::NoEndpoint {
                service: model.service_name().to_string(),
            }),
        };
    };
    // Names borrowed from the rule set and the model: no allocation per parameter.
    let mut params = Params::with_capacity(rules.rules().parameters().len());
    for spec in rules.rules().parameters() {
        let value: Option<ParamValue> = match spec.builtin() {
            Some("AWS::Region") => config.region.as_deref().map(Into::into),
            // A custom endpoint replaces FIPS and dual-stack hosts, as in botocore.
            Some("AWS::UseFIPS") => Some((config.use_fips && config.endpoint_url.is_none()).into()),
            Some("AWS::UseDualStack") => {
                Some((config.use_dualstack && config.endpoint_url.is_none()).into())
            }
            Some("SDK::Endpoint") => config.endpoint_url.as_deref().map(Into::into),
            Some("AWS::S3::ForcePathStyle") => Some(config.force_path_style.into()),
            Some("AWS::S3::Accelerate") => Some(config.accelerate.into()),
            Some("AWS::S3::UseGlobalEndpoint") => Some(config.s3_use_global_endpoint.into()),
            Some("AWS::STS::UseGlobalEndpoint") => Some(false.into()),
            _ => None,
        };
        if let Some(v) = value {
            params.insert(spec.name(), v);
        }
    }
    for (name, value) in &op.static_context_params {
        if let Some(v) = json_param(value) {
            params.insert(name.as_str(), v);
        }
    }
    if let Some(id) = op.input {
        for m in &model.shape(id).members {
            let Some(param) = &m.context_param else {
                continue;
            };
            match &input[m.name.as_str()] {
                Document::String(s) => {
                    params.insert(param.as_str(), s.as_str());
                }
                Document::Bool(b) => {
                    params.insert(param.as_str(), *b);
                }
                _ => {}
            }
        }
    }
    for c in customizations {
        c.endpoint_params(op, &mut params);
    }
    rules
        .resolve(&*partitions()?, &params)
        .map_err(|error| ConstructionError::Endpoint {
            error,
            region_missing: config.region.is_none(),
        })
}

/// Joins an endpoint URL, an optional host prefix, a request path and a query string.
pub(crate) fn join_url(
    endpoint: &str,
    host_prefix: Option<&str>,
    path: &str,
    query: &str,
) -> Result<String, ConstructionError> {
    let invalid = |problem| ConstructionError::InvalidEndpointUrl {
        url: endpoint.to_string(),
        problem,
    };
    let (scheme, rest) = endpoint
        .split_once("://")
        .ok_or_else(|| invalid("is not an absolute URL"))?;
    let (authority, base_path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], rest[i..].split('?').next().unwrap_or("")),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(invalid("has no host"));
    }
    // Built by pushes: this runs for every request, and `format!` costs several times more.
    let host_prefix = host_prefix.unwrap_or("");
    let mut url = String::with_capacity(
        scheme.len()
            + 3
            + host_prefix.len()
            + authority.len()
            + base_path.len()
            + path.len()
            + query.len()
            + 2,
    );
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(host_prefix);
    url.push_str(authority);
    if path.is_empty() || path == "/" {
        url.push_str(if base_path.is_empty() { "/" } else { base_path });
    } else {
        url.push_str(base_path.strip_suffix('/').unwrap_or(base_path));
        url.push_str(path);
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::join_url;

    #[test]
    fn joins_like_botocore() {
        assert_eq!(
            join_url("https://s3.amazonaws.com", None, "/", "").unwrap(),
            "https://s3.amazonaws.com/"
        );
        assert_eq!(
            join_url("http://h:1/bucket", None, "/", "list-type=2").unwrap(),
            "http://h:1/bucket?list-type=2"
        );
        assert_eq!(
            join_url("http://h:1/bucket", None, "/a/b", "").unwrap(),
            "http://h:1/bucket/a/b"
        );
        assert_eq!(
            join_url("https://h/", Some("acct."), "/x", "").unwrap(),
            "https://acct.h/x"
        );
        assert!(join_url("nope", None, "/", "").is_err());
    }
}
