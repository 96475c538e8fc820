//! Region redirects (S3's `S3RegionRedirectorv2`, declared by a customization's
//! [`redirect`](crate::customize::Customization::redirect) hook): the region a redirect found
//! is remembered per client under the call's region key, later calls with that key start in
//! it, and a redirect that must ask for its region runs the probe call here.

use super::{ClientConfig, ServiceClient};
use crate::customize::{Customization, Redirect};
use crate::document::Document;
use crate::model::Operation;
use std::collections::HashMap;
use std::sync::Mutex;

/// Most keys remembered; past it the cache starts again (buckets are few per client in practice).
const MAX_ENTRIES: usize = 1024;

/// The regions redirects found, per region key (S3: bucket), for one client.
#[derive(Debug, Default)]
pub(super) struct RegionCache {
    regions: Mutex<HashMap<String, String>>,
}

impl RegionCache {
    fn get(&self, key: &str) -> Option<String> {
        self.regions.lock().ok()?.get(key).cloned()
    }

    fn remember(&self, key: String, region: String) {
        if let Ok(mut m) = self.regions.lock() {
            if m.len() >= MAX_ENTRIES && !m.contains_key(&key) {
                m.clear();
            }
            m.insert(key, region);
        }
    }
}

/// The call's region key, from the first customization that has one.
pub(super) fn region_key(
    customizations: &[&dyn Customization],
    op: &Operation,
    input: &Document,
) -> Option<crate::document::Name> {
    customizations.iter().find_map(|c| c.region_key(op, input))
}

/// The region remembered for `key`, when it differs from the client's.
pub(super) fn cached_region(client: &ServiceClient, key: Option<&str>) -> Option<String> {
    let region = client.inner.regions.get(key?)?;
    (client.inner.config.region.as_deref() != Some(region.as_str())).then_some(region)
}

/// Remembers `region` for `key`.
pub(super) fn remember(client: &ServiceClient, key: Option<crate::document::Name>, region: &str) {
    if let Some(key) = key {
        client
            .inner
            .regions
            .remember(key.into(), region.to_string());
    }
}

/// The client's config with another region (the endpoint rules then resolve and sign for it).
pub(super) fn in_region(config: &ClientConfig, region: &str) -> ClientConfig {
    let mut config = config.clone();
    config.region = Some(region.to_string());
    config
}

/// botocore's `validate_region_name`: a region from a response header goes into a host name.
fn is_region_name(region: &str) -> bool {
    let b = region.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// The region a redirect names, asking for it with the probe call when needed; `None` when it
/// cannot be found or is not a region name.
pub(super) async fn region_of(client: &ServiceClient, redirect: Redirect) -> Option<String> {
    let region = match redirect {
        Redirect::To(region) => region,
        Redirect::Probe {
            operation,
            input,
            header,
        } => {
            let answer = super::invoke::probe(client, operation, input).await;
            let meta = match &answer {
                Ok(out) => &out.document["ResponseMetadata"],
                Err(e) => match e.service_error() {
                    Some(s) => &s.fields["ResponseMetadata"],
                    None => return None,
                },
            };
            meta["HTTPHeaders"][header].as_str()?.to_string()
        }
    };
    is_region_name(&region).then_some(region)
}
