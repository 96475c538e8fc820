//! Service data from folders at run time, found the way botocore's `Loader` finds it.
//!
//! A [`DataPath`] is an ordered list of folders laid out as botocore's data folder:
//! `<service>/<api-version>/<stem>.json` or `<stem>.json.gz` (`service-2`, `paginators-1`,
//! `waiters-2`, `endpoint-rule-set-1`). For a service, the newest api version that has a
//! `service-2` file anywhere on the path wins; among folders holding that version, the first
//! one in path order wins; within a folder `.json` is read before `.json.gz`. The embedded data
//! stays the fallback, and takes part in the version comparison as botocore's own data folder
//! does (it is last on botocore's search path). A `service-2.sdk-extras.json` beside the model
//! is merged into it, as botocore's `ExtrasProcessor` does.
//!
//! A model read from a folder carries a [`ModelSource`], so its other data files come from the
//! same folder version (falling back to the embedded file of that name), and the per-process
//! caches of compiled tables tell it apart from the embedded model of the same service.

use super::{ModelError, ServiceModel};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// An ordered search path of data folders, with the models already read from it.
///
/// Cheap to clone; clones share the decoded models, so every client of one session decodes a
/// folder model once. An empty path means "embedded data only".
///
/// ```
/// use boto_core::model::{DataPath, ServiceModel};
/// let none = DataPath::new(Vec::<std::path::PathBuf>::new());
/// let sqs = ServiceModel::load_with("sqs", &none).unwrap();
/// assert!(sqs.source().is_embedded());
/// ```
#[derive(Clone, Default)]
pub struct DataPath {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    dirs: Vec<PathBuf>,
    /// `None`: the path has no (newer) model of this service, use the embedded one.
    models: Mutex<HashMap<String, Option<Arc<ServiceModel>>>>,
}

impl std::fmt::Debug for DataPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DataPath").field(&self.inner.dirs).finish()
    }
}

impl DataPath {
    /// A search path of `dirs`, searched in this order.
    pub fn new<I, P>(dirs: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<PathBuf>,
    {
        DataPath {
            inner: Arc::new(Inner {
                dirs: dirs.into_iter().map(Into::into).collect(),
                models: Mutex::default(),
            }),
        }
    }

    /// The folders, in search order.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.inner.dirs
    }

    /// True when no folder is on the path.
    pub fn is_empty(&self) -> bool {
        self.inner.dirs.is_empty()
    }

    /// Every api version of `service` that has a `stem` file in some folder, sorted oldest first.
    pub fn api_versions(&self, service: &str, stem: &str) -> Vec<String> {
        let mut versions: Vec<String> = self
            .inner
            .dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d.join(service)).ok())
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| find_in(&e.path(), stem).is_some())
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        versions.sort_unstable();
        versions.dedup();
        versions
    }

    /// The first `<dir>/<service>/<api_version>/<stem>.json[.gz]` on the path.
    pub fn find(&self, service: &str, api_version: &str, stem: &str) -> Option<PathBuf> {
        self.inner
            .dirs
            .iter()
            .find_map(|d| find_in(&d.join(service).join(api_version), stem))
    }

    /// Names of the services with a `service-2` file somewhere on the path, sorted.
    pub fn services(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .inner
            .dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|s| !self.api_versions(s, "service-2").is_empty())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The folder model of `service` read once: the lock is held while reading, so threads
    /// making clients of one session at once share one decoded model. Errors are not kept (a
    /// fixed file is read on the next try).
    fn model(&self, service: &str) -> Result<Option<Arc<ServiceModel>>, ModelError> {
        let mut models = self
            .inner
            .models
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = models.get(service) {
            return Ok(found.clone());
        }
        let found = ServiceModel::load_from_folders(service, self)?;
        models.insert(service.to_string(), found.clone());
        Ok(found)
    }
}

/// `<dir>/<stem>.json`, else `<dir>/<stem>.json.gz`, when one is a file (botocore's order).
fn find_in(dir: &Path, stem: &str) -> Option<PathBuf> {
    [format!("{stem}.json"), format!("{stem}.json.gz")]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

fn file_error(path: &Path, reason: impl std::fmt::Display) -> ModelError {
    ModelError::InvalidFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// The text of a data file, gunzipped when its name ends in `.gz`; errors name the file.
pub fn read_text(path: &Path) -> Result<String, ModelError> {
    let bytes = std::fs::read(path).map_err(|e| file_error(path, e))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut text = String::with_capacity(bytes.len() * 8);
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .map_err(|e| file_error(path, format!("does not decompress: {e}")))?;
        return Ok(text);
    }
    String::from_utf8(bytes).map_err(|e| file_error(path, e))
}

/// A data file parsed as JSON; errors name the file and the line and column of the problem.
pub fn read_json(path: &Path) -> Result<serde_json::Value, ModelError> {
    serde_json::from_str(&read_text(path)?).map_err(|e| file_error(path, e))
}

/// Where a [`ServiceModel`] came from: the embedded data, or a file in a data folder.
#[derive(Clone, Debug, Default)]
pub struct ModelSource {
    folder: Option<Arc<Folder>>,
}

#[derive(Debug)]
pub(crate) struct Folder {
    /// Unique per folder model in the process: the key of the compiled-table caches.
    pub(crate) id: u64,
    file: PathBuf,
    api_version: String,
    dirs: Vec<PathBuf>,
    files: Mutex<HashMap<String, Option<Arc<serde_json::Value>>>>,
}

impl ModelSource {
    /// True for the embedded data (and for models built with [`ServiceModel::from_json`]).
    pub fn is_embedded(&self) -> bool {
        self.folder.is_none()
    }

    /// The `service-2` file the model was read from, for a folder model.
    pub fn file(&self) -> Option<&Path> {
        self.folder.as_deref().map(|f| f.file.as_path())
    }

    /// The api-version folder the model was read from, for a folder model.
    pub fn api_version(&self) -> Option<&str> {
        self.folder.as_deref().map(|f| f.api_version.as_str())
    }

    pub(crate) fn folder(&self) -> Option<&Arc<Folder>> {
        self.folder.as_ref()
    }

    /// The data file `stem` of a folder model's service: the first folder on the path with that
    /// file at the model's api version, else the embedded file; `Ok(None)` when neither exists.
    /// Read once per model.
    fn folder_file(
        folder: &Folder,
        service: &str,
        stem: &str,
    ) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        let seen = folder
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(stem)
            .cloned();
        if let Some(found) = seen {
            return Ok(found);
        }
        let path = folder
            .dirs
            .iter()
            .find_map(|d| find_in(&d.join(service).join(&folder.api_version), stem));
        let found = match path {
            Some(p) => Some(Arc::new(read_json(&p)?)),
            None => match super::registry::data_file(service, stem) {
                Ok(v) => v,
                Err(ModelError::UnknownService { .. } | ModelError::NotCompiledIn { .. }) => None,
                Err(e) => return Err(e),
            },
        };
        folder
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(stem.to_string(), found.clone());
        Ok(found)
    }
}

/// The model text with botocore's `service-2.sdk-extras` file merged in: its `merge` object
/// overrides the model key by key, recursing where both sides are objects (botocore's
/// `ExtrasProcessor` and `deep_merge`).
fn with_extras(file: &Path, text: &str, extras: &Path) -> Result<String, ModelError> {
    fn deep_merge(base: &mut serde_json::Value, extra: &serde_json::Value) {
        let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) else {
            return;
        };
        for (key, value) in extra {
            match base.get_mut(key) {
                Some(b) if b.is_object() && value.is_object() => deep_merge(b, value),
                _ => {
                    base.insert(key.clone(), value.clone());
                }
            }
        }
    }
    let extra = read_json(extras)?;
    let Some(merge) = extra.get("merge") else {
        return Ok(text.to_string());
    };
    let mut model: serde_json::Value =
        serde_json::from_str(text).map_err(|e| file_error(file, e))?;
    deep_merge(&mut model, merge);
    Ok(model.to_string())
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl ServiceModel {
    /// The model of `service` as botocore's loader would find it on `path`, falling back to the
    /// embedded data: the newest api version wins, a folder wins over the embedded data at the
    /// same version, and the first folder on the path wins among folders. Decoded once per
    /// `path` (and its clones).
    ///
    /// A malformed file is a [`ModelError::InvalidFile`] naming the file and the problem.
    pub fn load_with(service: &str, path: &DataPath) -> Result<Arc<ServiceModel>, ModelError> {
        let service = super::canonical_service_name(service);
        if path.is_empty() {
            return ServiceModel::load(service);
        }
        match path.model(service)? {
            Some(model) => Ok(model),
            None => ServiceModel::load(service).map_err(|e| match e {
                ModelError::UnknownService {
                    name,
                    mut did_you_mean,
                } => {
                    let local = path.services();
                    let more = super::closest_names(&name, local.iter().map(String::as_str), 3);
                    for m in more {
                        if !did_you_mean.contains(&m) {
                            did_you_mean.push(m);
                        }
                    }
                    ModelError::UnknownService { name, did_you_mean }
                }
                other => other,
            }),
        }
    }

    /// `Ok(None)` when the folders hold no model of `service` newer than or as new as the
    /// embedded one.
    fn load_from_folders(
        service: &str,
        path: &DataPath,
    ) -> Result<Option<Arc<ServiceModel>>, ModelError> {
        let Some(newest) = path.api_versions(service, "service-2").pop() else {
            return Ok(None);
        };
        if super::available_services().contains(&service) {
            let embedded = ServiceModel::load(service)?;
            if embedded.metadata().api_version > newest {
                return Ok(None);
            }
        }
        let Some(file) = path.find(service, &newest, "service-2") else {
            return Ok(None);
        };
        let mut text = read_text(&file)?;
        if let Some(extras) = path.find(service, &newest, "service-2.sdk-extras") {
            text = with_extras(&file, &text, &extras)?;
        }
        let mut model = ServiceModel::from_json(service, &text).map_err(|e| match e {
            ModelError::Invalid { reason, .. } => file_error(&file, reason),
            other => other,
        })?;
        model.source = ModelSource {
            folder: Some(Arc::new(Folder {
                id: next_id(),
                file,
                api_version: newest,
                dirs: path.dirs().to_vec(),
                files: Mutex::default(),
            })),
        };
        Ok(Some(Arc::new(model)))
    }

    /// Where this model came from.
    pub fn source(&self) -> &ModelSource {
        &self.source
    }

    /// One of this service's other data files (`paginators-1`, `waiters-2`,
    /// `endpoint-rule-set-1`, `resources-1`), decoded once: for a folder model the file beside
    /// its `service-2` (searched along the same path, at the same api version) or else the
    /// embedded one; `Ok(None)` when there is none.
    pub fn data_file(&self, stem: &str) -> Result<Option<Arc<serde_json::Value>>, ModelError> {
        match self.source.folder() {
            Some(folder) => ModelSource::folder_file(folder, self.service_name(), stem),
            None => match super::registry::data_file(self.service_name(), stem) {
                Err(ModelError::UnknownService { .. } | ModelError::NotCompiledIn { .. }) => {
                    Ok(None)
                }
                other => other,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("boto-data-path-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        /// Writes `<service>/<version>/<name>`, gzipped when `name` ends in `.gz`.
        fn put(&self, service: &str, version: &str, name: &str, text: &str) -> PathBuf {
            let dir = self.0.join(service).join(version);
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            let bytes = if name.ends_with(".gz") {
                let mut gz =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                gz.write_all(text.as_bytes()).unwrap();
                gz.finish().unwrap()
            } else {
                text.as_bytes().to_vec()
            };
            std::fs::write(&path, bytes).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A one-operation JSON-protocol model.
    fn toy(version: &str, operation: &str) -> String {
        serde_json::json!({
            "metadata": {"apiVersion": version, "endpointPrefix": "toy", "protocol": "json",
                "jsonVersion": "1.0", "targetPrefix": "Toy", "serviceId": "Toy",
                "signatureVersion": "v4"},
            "operations": {operation: {"name": operation,
                "http": {"method": "POST", "requestUri": "/"}}},
            "shapes": {}
        })
        .to_string()
    }

    fn has(model: &ServiceModel, operation: &str) -> bool {
        model.operation(operation).is_ok()
    }

    #[test]
    fn newest_api_version_wins_and_gz_is_read() {
        let t = TempDir::new();
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Old"),
        );
        let gz = t.put(
            "toy",
            "2021-06-01",
            "service-2.json.gz",
            &toy("2021-06-01", "New"),
        );
        let path = DataPath::new([&t.0]);
        let m = ServiceModel::load_with("toy", &path).unwrap();
        assert!(has(&m, "New") && !has(&m, "Old"));
        assert_eq!(m.source().file(), Some(gz.as_path()));
        assert_eq!(m.source().api_version(), Some("2021-06-01"));
        assert!(!m.source().is_embedded());
        let again = ServiceModel::load_with("toy", &path.clone()).unwrap();
        assert!(
            Arc::ptr_eq(&m, &again),
            "decoded once per path and its clones"
        );
    }

    #[test]
    fn plain_json_is_read_before_gz_in_one_folder() {
        let t = TempDir::new();
        let plain = t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Plain"),
        );
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json.gz",
            &toy("2020-01-01", "Gz"),
        );
        let m = ServiceModel::load_with("toy", &DataPath::new([&t.0])).unwrap();
        assert!(has(&m, "Plain") && !has(&m, "Gz"));
        assert_eq!(m.source().file(), Some(plain.as_path()));
    }

    #[test]
    fn first_folder_wins_at_one_version_newest_version_wins_across() {
        let (a, b) = (TempDir::new(), TempDir::new());
        a.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "FromA"),
        );
        b.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "FromB"),
        );
        let m = ServiceModel::load_with("toy", &DataPath::new([&a.0, &b.0])).unwrap();
        assert!(has(&m, "FromA") && !has(&m, "FromB"));
        let m = ServiceModel::load_with("toy", &DataPath::new([&b.0, &a.0])).unwrap();
        assert!(has(&m, "FromB"));
        b.put(
            "toy",
            "2022-01-01",
            "service-2.json",
            &toy("2022-01-01", "NewerInB"),
        );
        let m = ServiceModel::load_with("toy", &DataPath::new([&a.0, &b.0])).unwrap();
        assert!(
            has(&m, "NewerInB"),
            "as botocore: the newest version on the whole path"
        );
    }

    #[test]
    fn folder_beats_embedded_without_shadowing_it() {
        let t = TempDir::new();
        t.put(
            "sqs",
            "2012-11-05",
            "service-2.json",
            &toy("2012-11-05", "OnlyInFolder"),
        );
        t.put(
            "sqs",
            "2012-11-05",
            "paginators-1.json",
            r#"{"pagination": {"OnlyInFolder": {"input_token": "T", "output_token": "N"}}}"#,
        );
        let m = ServiceModel::load_with("sqs", &DataPath::new([&t.0])).unwrap();
        assert!(has(&m, "OnlyInFolder") && !has(&m, "SendMessage"));
        let pages = m.paginators().unwrap().expect("the folder's paginators");
        assert!(pages.get("OnlyInFolder").is_some());
        assert!(pages.get("ListQueues").is_none(), "not the embedded table");

        let embedded = ServiceModel::load("sqs").unwrap();
        assert!(has(&embedded, "SendMessage") && !has(&embedded, "OnlyInFolder"));
        let embedded_pages = embedded.paginators().unwrap().unwrap();
        assert!(embedded_pages.get("ListQueues").is_some());
        assert!(embedded_pages.get("OnlyInFolder").is_none());
        let by_name = super::super::paginators("sqs").unwrap().unwrap();
        assert!(Arc::ptr_eq(&by_name, &embedded_pages));
    }

    #[test]
    fn an_older_folder_version_loses_to_the_embedded_one() {
        let t = TempDir::new();
        t.put(
            "sqs",
            "2011-01-01",
            "service-2.json",
            &toy("2011-01-01", "Ancient"),
        );
        let m = ServiceModel::load_with("sqs", &DataPath::new([&t.0])).unwrap();
        assert!(m.source().is_embedded() && has(&m, "SendMessage"));
    }

    #[test]
    fn a_missing_rule_set_falls_back_to_the_embedded_one() {
        let t = TempDir::new();
        t.put(
            "sqs",
            "2012-11-05",
            "service-2.json",
            &toy("2012-11-05", "OnlyInFolder"),
        );
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Op"),
        );
        let path = DataPath::new([&t.0]);
        let sqs = ServiceModel::load_with("sqs", &path).unwrap();
        let rules = sqs
            .data_file("endpoint-rule-set-1")
            .unwrap()
            .expect("embedded rules");
        let embedded = super::super::data_file("sqs", "endpoint-rule-set-1")
            .unwrap()
            .unwrap();
        assert!(Arc::ptr_eq(&rules, &embedded));
        let toy_model = ServiceModel::load_with("toy", &path).unwrap();
        assert!(toy_model
            .data_file("endpoint-rule-set-1")
            .unwrap()
            .is_none());
        assert!(toy_model.paginators().unwrap().is_none());
    }

    #[test]
    fn a_folder_rule_set_is_read_beside_the_model() {
        let t = TempDir::new();
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Op"),
        );
        t.put(
            "toy",
            "2020-01-01",
            "endpoint-rule-set-1.json.gz",
            r#"{"version": "1.0", "parameters": {}, "rules": []}"#,
        );
        let m = ServiceModel::load_with("toy", &DataPath::new([&t.0])).unwrap();
        let rules = m.data_file("endpoint-rule-set-1").unwrap().unwrap();
        assert_eq!(rules["version"], "1.0");
    }

    #[test]
    fn a_malformed_file_names_the_file_and_the_problem() {
        let t = TempDir::new();
        let bad = t.put("toy", "2020-01-01", "service-2.json", "{\"metadata\": {,}");
        let err = ServiceModel::load_with("toy", &DataPath::new([&t.0])).unwrap_err();
        let ModelError::InvalidFile { path, reason } = &err else {
            panic!("expected InvalidFile, got {err:?}");
        };
        assert_eq!(path, &bad);
        assert!(reason.contains("line 1 column 15"), "{reason}");
        assert!(
            err.to_string().contains(&bad.display().to_string()),
            "{err}"
        );

        let t = TempDir::new();
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Op"),
        );
        let bad = t.put("toy", "2020-01-01", "waiters-2.json.gz", "not json");
        let m = ServiceModel::load_with("toy", &DataPath::new([&t.0])).unwrap();
        match m.waiters().unwrap_err() {
            ModelError::InvalidFile { path, .. } => assert_eq!(path, bad),
            other => panic!("expected InvalidFile, got {other:?}"),
        }
    }

    #[test]
    fn sdk_extras_are_merged_into_the_model_as_botocore_does() {
        let t = TempDir::new();
        t.put(
            "toy",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Op"),
        );
        t.put(
            "toy",
            "2020-01-01",
            "service-2.sdk-extras.json",
            r#"{"version": 1.0, "merge": {"metadata": {"serviceId": "Toy Extra"}}}"#,
        );
        let m = ServiceModel::load_with("toy", &DataPath::new([&t.0])).unwrap();
        assert_eq!(m.metadata().service_id, "Toy Extra");
        assert_eq!(m.metadata().endpoint_prefix, "toy", "other keys are kept");
        assert!(has(&m, "Op"));
    }

    #[test]
    fn unknown_services_suggest_folder_names_too() {
        let t = TempDir::new();
        t.put(
            "toyservice",
            "2020-01-01",
            "service-2.json",
            &toy("2020-01-01", "Op"),
        );
        let err = ServiceModel::load_with("toyservic", &DataPath::new([&t.0])).unwrap_err();
        match err {
            ModelError::UnknownService { did_you_mean, .. } => {
                assert!(
                    did_you_mean.contains(&"toyservice".to_string()),
                    "{did_you_mean:?}"
                )
            }
            other => panic!("expected UnknownService, got {other:?}"),
        }
        assert!(ServiceModel::load_with("toyservice", &DataPath::new([&t.0])).is_ok());
    }
}
