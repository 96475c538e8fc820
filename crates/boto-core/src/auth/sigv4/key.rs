//! Stage 3 and 4 of SigV4: the signing key `HMAC("AWS4"+secret, date) -> region -> service ->
//! "aws4_request"`, a [`SigningKeyCache`] that remembers it per (secret, date, region, service),
//! and the HMAC that turns a string to sign into a hex signature.

use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};

use ring::{digest, hmac};

use super::canonical::{Absorb, Buffered, Hex64, Sink};
use super::SigningParams;
use crate::encoding::hex_encode;

/// How many (secret, date, region, service) signing keys a [`SigningKeyCache`] keeps.
pub(super) const CACHE_CAPACITY: usize = 16;

struct CacheEntry {
    secret_hash: [u8; 32],
    date: [u8; 8],
    region: String,
    service: String,
    key: hmac::Key,
}

impl CacheEntry {
    fn is_for(&self, secret_hash: &[u8; 32], date: &[u8; 8], region: &str, service: &str) -> bool {
        &self.secret_hash == secret_hash
            && &self.date == date
            && self.region == region
            && self.service == service
    }
}

/// A thread-safe cache of derived signing keys, so that signing many requests on the same day
/// does not redo the four-HMAC key derivation each time.
///
/// Entries are keyed by (SHA-256 of the secret key, date, region, service); the secret itself is
/// not stored. It keeps the 16 most recently used keys. `Debug` shows only the entry count.
pub struct SigningKeyCache {
    entries: Mutex<Vec<CacheEntry>>,
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            entries: Mutex::new(Vec::with_capacity(CACHE_CAPACITY)),
        }
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drop every cached key.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, Vec<CacheEntry>> {
        // A panic while holding the lock cannot leave the Vec inconsistent, so a poisoned lock
        // is still usable.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn signing_key(&self, secret: &str, date: &[u8; 8], region: &str, service: &str) -> hmac::Key {
        let hash = digest::digest(&digest::SHA256, secret.as_bytes());
        let Ok(secret_hash) = <[u8; 32]>::try_from(hash.as_ref()) else {
            // Unreachable (SHA-256 is 32 bytes); derive without caching rather than panic.
            return derive_signing_key(secret, date, region, service);
        };
        if let Some(key) = self.take_recent(&secret_hash, date, region, service) {
            return key;
        }
        // Derive outside the lock; a concurrent miss may derive the same key twice, harmlessly.
        let key = derive_signing_key(secret, date, region, service);
        self.remember(secret_hash, date, region, service, &key);
        key
    }

    /// The cached key for this scope, moved to the front as the most recently used.
    fn take_recent(
        &self,
        secret_hash: &[u8; 32],
        date: &[u8; 8],
        region: &str,
        service: &str,
    ) -> Option<hmac::Key> {
        let mut entries = self.lock();
        let found = entries
            .iter()
            .position(|e| e.is_for(secret_hash, date, region, service))?;
        let entry = entries.remove(found);
        let key = entry.key.clone();
        entries.insert(0, entry);
        Some(key)
    }

    /// Store a freshly derived key at the front, dropping the least recently used one when
    /// full, unless a concurrent miss stored it first.
    fn remember(
        &self,
        secret_hash: [u8; 32],
        date: &[u8; 8],
        region: &str,
        service: &str,
        key: &hmac::Key,
    ) {
        let mut entries = self.lock();
        if entries
            .iter()
            .any(|e| e.is_for(&secret_hash, date, region, service))
        {
            return;
        }
        entries.truncate(CACHE_CAPACITY - 1);
        entries.insert(
            0,
            CacheEntry {
                secret_hash,
                date: *date,
                region: region.to_owned(),
                service: service.to_owned(),
                key: key.clone(),
            },
        );
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.len())
            .finish()
    }
}

/// The four-HMAC derivation, wiping the `"AWS4"+secret` copy once used.
pub(super) fn derive_signing_key(
    secret: &str,
    date: &[u8; 8],
    region: &str,
    service: &str,
) -> hmac::Key {
    let mut k_secret = Vec::with_capacity(4 + secret.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &k_secret), date);
    k_secret.fill(0);
    std::hint::black_box(&k_secret);
    let k_region = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_date.as_ref()),
        region.as_bytes(),
    );
    let k_service = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_region.as_ref()),
        service.as_bytes(),
    );
    let k_signing = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_service.as_ref()),
        b"aws4_request",
    );
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

/// The signing key of `params` for `date` (`yyyymmdd`), from `cache` when one is given.
pub(super) fn signing_key(
    params: &SigningParams<'_>,
    date: &[u8; 8],
    cache: Option<&SigningKeyCache>,
) -> hmac::Key {
    match cache {
        Some(c) => c.signing_key(params.secret_key, date, params.region, params.service),
        None => derive_signing_key(params.secret_key, date, params.region, params.service),
    }
}

/// The signature of `string_to_sign`: lowercase hex of its HMAC-SHA256 under `key`.
pub(super) fn signature(key: &hmac::Key, string_to_sign: &str) -> String {
    hex_encode(hmac::sign(key, string_to_sign.as_bytes()).as_ref())
}

impl Absorb for hmac::Context {
    fn absorb(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// An HMAC-SHA256 fed piece by piece, so a string to sign need not be assembled.
pub(super) struct Mac(Buffered<hmac::Context>);

impl Mac {
    pub(super) fn new(key: &hmac::Key) -> Self {
        Self(Buffered::new(hmac::Context::with_key(key)))
    }

    /// The signature: lowercase hex of the MAC of everything put so far.
    pub(super) fn finish_hex(self) -> Hex64 {
        Hex64::of(self.0.into_inner().sign().as_ref())
    }
}

impl Sink for Mac {
    fn put(&mut self, s: &str) {
        self.0.put(s);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{at, get, params};
    use super::super::{sign, sign_with_cache, SigningSettings};
    use super::*;

    #[test]
    fn cache_returns_same_signatures() {
        let headers = [("host", "example.amazonaws.com")];
        let req = get(&headers);
        let cache = SigningKeyCache::new();
        let p = params(SigningSettings::default());
        let plain = sign(&req, &p).unwrap();
        let cached = sign_with_cache(&req, &p, &cache).unwrap();
        assert_eq!(cache.len(), 1);
        let again = sign_with_cache(&req, &p, &cache).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(plain, cached);
        assert_eq!(plain, again);
        for i in 0..40 {
            let mut q = p;
            q.time = at(1_440_938_160 + i * 86_400);
            let a = sign(&req, &q).unwrap();
            let b = sign_with_cache(&req, &q, &cache).unwrap();
            assert_eq!(a.signature(), b.signature());
        }
        assert_eq!(cache.len(), CACHE_CAPACITY);
        assert!(!format!("{cache:?}").contains("wJalr"));
        cache.clear();
        assert!(cache.is_empty());
    }
}
