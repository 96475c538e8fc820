//! The embedded model data (chosen by cargo features, see `build.rs`) and the per-process caches
//! that decode each file at most once.

use super::{closest_names, ModelError, ServiceModel};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

include!(concat!(env!("OUT_DIR"), "/embedded_models.rs"));

type Slot<T> = OnceLock<Result<Arc<T>, ModelError>>;

struct Caches {
    models: HashMap<&'static str, Slot<ServiceModel>>,
    files: HashMap<(&'static str, &'static str), Slot<serde_json::Value>>,
}

fn caches() -> &'static Caches {
    static CACHES: OnceLock<Caches> = OnceLock::new();
    CACHES.get_or_init(|| {
        let mut models = HashMap::new();
        let mut files = HashMap::new();
        for (service, stem, _) in EMBEDDED {
            if *stem == "service-2" || *stem == PRECOMPILED_MODEL {
                models.insert(*service, OnceLock::new());
            } else {
                files.insert((*service, *stem), OnceLock::new());
            }
        }
        Caches { models, files }
    })
}

/// The stem of a precompiled model (`service-2.bin.gz`, see `precompiled.rs`).
pub(super) const PRECOMPILED_MODEL: &str = "service-2.bin";
/// The stem of a precompiled endpoint rule set (see `endpoint/precompiled.rs`).
pub(super) const PRECOMPILED_RULES: &str = "endpoint-rule-set-1.bin";

fn gunzip_bytes(service: &str, bytes: &[u8]) -> Result<Vec<u8>, ModelError> {
    super::gzip_member::inflate(bytes).map_err(|e| ModelError::Invalid {
        service: service.to_string(),
        reason: format!("embedded data does not decompress: {e}"),
    })
}

fn gunzip(service: &str, bytes: &[u8]) -> Result<String, ModelError> {
    String::from_utf8(gunzip_bytes(service, bytes)?).map_err(|e| ModelError::Invalid {
        service: service.to_string(),
        reason: format!("embedded data is not UTF-8: {e}"),
    })
}

fn embedded(service: &str, stem: &str) -> Option<&'static [u8]> {
    EMBEDDED
        .iter()
        .find(|(s, f, _)| *s == service && *f == stem)
        .map(|(_, _, bytes)| *bytes)
}

/// Names of every service whose model is embedded in this build.
pub fn available_services() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = caches().models.keys().copied().collect();
    names.sort_unstable();
    names
}

/// Whether botocore (as imported) has a service of this name, embedded in this build or not.
pub(crate) fn is_known_service(name: &str) -> bool {
    KNOWN.lines().any(|known| known == name)
}

/// The error for a service that is not embedded: one botocore knows but whose feature is off, or
/// a name that is no service at all (with the closest names, embedded or not).
fn unknown_service(name: &str) -> ModelError {
    if is_known_service(name) {
        return ModelError::NotCompiledIn {
            service: name.to_string(),
            feature: name.to_string(),
        };
    }
    let mut candidates = available_services();
    candidates.extend(KNOWN.lines());
    candidates.sort_unstable();
    candidates.dedup();
    ModelError::UnknownService {
        name: name.to_string(),
        did_you_mean: closest_names(name, candidates.into_iter(), 3),
    }
}

/// The names botocore still takes for services that were renamed (its `SERVICE_NAME_ALIASES`):
/// the old name and the model's.
const SERVICE_ALIASES: &[(&str, &str)] = &[("runtime.sagemaker", "sagemaker-runtime")];

/// The model's name of `service`: itself, or the service an old name was renamed to
/// (`runtime.sagemaker` -> `sagemaker-runtime`).
///
/// ```
/// use boto_core::model::canonical_service_name;
/// assert_eq!(canonical_service_name("runtime.sagemaker"), "sagemaker-runtime");
/// assert_eq!(canonical_service_name("s3"), "s3");
/// ```
pub fn canonical_service_name(service: &str) -> &str {
    SERVICE_ALIASES
        .iter()
        .find(|(old, _)| *old == service)
        .map_or(service, |(_, new)| new)
}

pub(super) fn load_model(service: &str) -> Result<Arc<ServiceModel>, ModelError> {
    let service = canonical_service_name(service);
    let (name, slot) = caches()
        .models
        .get_key_value(service)
        .ok_or_else(|| unknown_service(service))?;
    slot.get_or_init(|| {
        // The precompiled form when the importer wrote one; the JSON otherwise.
        if let Some(bytes) = embedded(name, PRECOMPILED_MODEL) {
            return ServiceModel::from_precompiled(name, gunzip_bytes(name, bytes)?).map(Arc::new);
        }
        let bytes = embedded(name, "service-2").ok_or_else(|| unknown_service(name))?;
        let text = gunzip(name, bytes)?;
        ServiceModel::from_json(name, &text).map(Arc::new)
    })
    .clone()
}

/// The precompiled endpoint rule set of an embedded service, decompressed (`None` when the
/// service is not embedded or has none precompiled); the endpoint module decodes it.
pub(crate) fn precompiled_rule_set(service: &str) -> Option<Result<Vec<u8>, ModelError>> {
    embedded(service, PRECOMPILED_RULES).map(|bytes| gunzip_bytes(service, bytes))
}

/// One of a service's data files other than the model, decoded once and shared:
/// `paginators-1`, `waiters-2`, `endpoint-rule-set-1`, `resources-1`. `Ok(None)` when the service
/// is embedded but has no such file.
pub fn data_file(service: &str, stem: &str) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
    let c = caches();
    if !c.models.contains_key(service) {
        return Err(unknown_service(service));
    }
    let Some(((name, stem), slot)) = c.files.get_key_value(&(service, stem)) else {
        return Ok(None);
    };
    slot.get_or_init(|| {
        let bytes = embedded(name, stem).ok_or_else(|| unknown_service(name))?;
        let text = gunzip(name, bytes)?;
        serde_json::from_str(&text)
            .map(Arc::new)
            .map_err(|e| ModelError::Invalid {
                service: name.to_string(),
                reason: format!("{stem}: {e}"),
            })
    })
    .clone()
    .map(Some)
}

/// The text of botocore's `partitions.json`, when it was imported.
pub fn partitions_json() -> Option<String> {
    static TEXT: OnceLock<Option<String>> = OnceLock::new();
    TEXT.get_or_init(|| PARTITIONS.and_then(|b| gunzip("partitions", b).ok()))
        .clone()
}

/// Convenience view of one service's data files.
#[derive(Debug, Clone)]
pub struct ServiceData {
    /// The service name (`s3`).
    pub service: String,
}

impl ServiceData {
    /// The decoded model.
    pub fn model(&self) -> Result<Arc<ServiceModel>, ModelError> {
        load_model(&self.service)
    }

    /// `paginators-1.json`.
    pub fn paginators(&self) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        data_file(&self.service, "paginators-1")
    }

    /// `waiters-2.json`.
    pub fn waiters(&self) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        data_file(&self.service, "waiters-2")
    }

    /// `endpoint-rule-set-1.json`.
    pub fn endpoint_rules(&self) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        data_file(&self.service, "endpoint-rule-set-1")
    }

    /// boto3's `resources-1.json`.
    pub fn resources(&self) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        data_file(&self.service, "resources-1")
    }
}
