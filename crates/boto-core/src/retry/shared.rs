//! The adaptive mode's rate limiters shared by the clients of one session: botocore gives each
//! client its own `ClientRateLimiter`, so a second client of a throttled service starts at full
//! speed and is throttled again; here the clients of one session that call the same service in
//! the same region at the same endpoint share one limiter (and so one measured send rate).
//! Other services, regions or endpoints keep their own: a throttled DynamoDB table says nothing
//! about S3, nor us-east-1 about eu-west-1.

use super::ClientRateLimiter;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// A session's rate limiters, one per service endpoint; clones share them.
#[derive(Clone, Default)]
pub struct SharedRateLimiters {
    limiters: Arc<Mutex<HashMap<LimiterKey, Arc<ClientRateLimiter>>>>,
}

/// What a limiter is shared by: the service, region and custom endpoint of a client.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimiterKey {
    /// The service (`dynamodb`).
    pub service: String,
    /// The client's region.
    pub region: Option<String>,
    /// The client's custom endpoint.
    pub endpoint_url: Option<String>,
}

impl fmt::Debug for SharedRateLimiters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.lock().len();
        f.debug_struct("SharedRateLimiters")
            .field("limiters", &n)
            .finish()
    }
}

impl SharedRateLimiters {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<LimiterKey, Arc<ClientRateLimiter>>> {
        self.limiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The limiter of `key`, made on first use.
    pub fn limiter(&self, key: LimiterKey) -> Arc<ClientRateLimiter> {
        self.lock().entry(key).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(service: &str, region: &str) -> LimiterKey {
        LimiterKey {
            service: service.into(),
            region: Some(region.into()),
            endpoint_url: None,
        }
    }

    #[test]
    fn one_limiter_per_service_endpoint_shared_by_clones() {
        let shared = SharedRateLimiters::default();
        let a = shared.limiter(key("dynamodb", "us-east-1"));
        let b = shared.clone().limiter(key("dynamodb", "us-east-1"));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &shared.limiter(key("s3", "us-east-1"))));
        assert!(!Arc::ptr_eq(
            &a,
            &shared.limiter(key("dynamodb", "eu-west-1"))
        ));
    }
}
