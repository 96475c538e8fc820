//! A per-process cache of typed tables compiled from one kind of embedded data file.
//!
//! The JSON of a data file (`paginators-1`, `waiters-2`, boto3's `resources-1`) is walked once,
//! the first time a service's table is asked for; afterwards every caller shares the same `Arc`.
//! This is what [`crate::endpoint::RuleSet`] does for endpoint rules, made reusable so the layers
//! above (paginators, waiters, resources) never read JSON per call.

use super::data_path::Folder;
use super::{available_services, data_file, ModelError, ServiceModel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

type Slot<T> = OnceLock<Result<Option<Arc<T>>, ModelError>>;

/// Tables of folder models, keyed by the model's source id (never by service name, so a folder
/// model never shadows the embedded one for other sessions); the `Weak` lets an entry go once
/// its model is dropped.
type FolderSlots<T> = Mutex<HashMap<u64, (Weak<Folder>, Arc<T>)>>;

/// Compiled tables of one data file (`stem`), one slot per embedded service, each filled once.
///
/// Declare it as a `static` next to the compiler function:
///
/// ```
/// use boto_core::model::DataCache;
///
/// /// How many top-level keys the file has (a stand-in for a real table).
/// fn compile(_service: &str, json: &serde_json::Value) -> usize {
///     json.as_object().map_or(0, |o| o.len())
/// }
/// static KEYS: DataCache<usize> = DataCache::new("paginators-1", compile);
///
/// let first = KEYS.get("s3").unwrap().expect("s3 has paginators");
/// let again = KEYS.get("s3").unwrap().unwrap();
/// assert!(std::sync::Arc::ptr_eq(&first, &again), "compiled once, shared");
/// assert!(KEYS.get("s4").is_err());
/// ```
pub struct DataCache<T> {
    stem: &'static str,
    compile: fn(&str, &serde_json::Value) -> T,
    slots: OnceLock<HashMap<&'static str, Slot<T>>>,
    folders: OnceLock<FolderSlots<T>>,
}

impl<T> std::fmt::Debug for DataCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataCache")
            .field("stem", &self.stem)
            .finish_non_exhaustive()
    }
}

impl<T> DataCache<T> {
    /// A cache of `stem` files, each turned into a table by `compile(service, json)`.
    pub const fn new(stem: &'static str, compile: fn(&str, &serde_json::Value) -> T) -> Self {
        DataCache {
            stem,
            compile,
            slots: OnceLock::new(),
            folders: OnceLock::new(),
        }
    }

    /// The compiled table of `model`'s own data file: for an embedded model the same as
    /// [`DataCache::get`]; for a folder model the file beside its `service-2` (or the embedded
    /// one), compiled once per model.
    pub fn get_for(&self, model: &ServiceModel) -> Result<Option<Arc<T>>, ModelError> {
        let Some(folder) = model.source().folder() else {
            return match self.get(model.service_name()) {
                Err(ModelError::UnknownService { .. }) => Ok(None),
                other => other,
            };
        };
        let slots = self.folders.get_or_init(Default::default);
        let seen = slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&folder.id)
            .map(|(_, t)| t.clone());
        if let Some(table) = seen {
            return Ok(Some(table));
        }
        let Some(json) = model.data_file(self.stem)? else {
            return Ok(None);
        };
        let table = Arc::new((self.compile)(model.service_name(), &json));
        let mut slots = slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|_, (alive, _)| alive.strong_count() > 0);
        let entry = slots
            .entry(folder.id)
            .or_insert_with(|| (Arc::downgrade(folder), table));
        Ok(Some(entry.1.clone()))
    }

    /// The compiled table of `service`: compiled on the first call, shared afterwards.
    /// `Ok(None)` when the service is embedded but has no such file; an error for an unknown
    /// service or unreadable data.
    pub fn get(&self, service: &str) -> Result<Option<Arc<T>>, ModelError> {
        let slots = self.slots.get_or_init(|| {
            available_services()
                .into_iter()
                .map(|s| (s, OnceLock::new()))
                .collect()
        });
        let Some(slot) = slots.get(service) else {
            // Not embedded: let the registry say so, with its close names.
            return data_file(service, self.stem).map(|_| None);
        };
        slot.get_or_init(|| {
            let json = data_file(service, self.stem)?;
            Ok(json.map(|j| Arc::new((self.compile)(service, &j))))
        })
        .clone()
    }
}
