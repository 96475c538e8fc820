//! [`RefreshingProvider`]: caches credentials and refreshes them ahead of expiry.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

/// botocore's advisory refresh window: inside it one caller refreshes, the others keep using the
/// cached credentials.
pub const ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// botocore's mandatory refresh window: inside it every caller waits for fresh credentials.
pub const MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// Caches what an inner provider returns, with botocore's `RefreshableCredentials` rules:
///
/// - credentials without an expiry are cached for good;
/// - more than the advisory window (15 min) before expiry, the cache answers;
/// - inside the advisory window, the first caller refreshes while the others get the cached
///   (still valid) credentials without waiting; a failed advisory refresh is logged and the cached
///   credentials are kept;
/// - inside the mandatory window (10 min), or with nothing cached, callers wait for the one
///   refresh in flight (single-flight through an async mutex) and its error is returned;
/// - fresh credentials that are already expired are an error.
pub struct RefreshingProvider {
    inner: Arc<dyn ProvideCredentials>,
    cached: RwLock<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
    advisory: Duration,
    mandatory: Duration,
    clock: Clock,
}

impl fmt::Debug for RefreshingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingProvider")
            .field("inner", &self.inner.name())
            .field("cached", &self.current())
            .field("advisory", &self.advisory)
            .field("mandatory", &self.mandatory)
            .finish()
    }
}

impl RefreshingProvider {
    /// Caches `inner` with the default windows.
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        RefreshingProvider {
            inner,
            cached: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
            advisory: ADVISORY_REFRESH,
            mandatory: MANDATORY_REFRESH,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Sets the windows (the mandatory one is capped at the advisory one).
    pub fn with_windows(mut self, advisory: Duration, mandatory: Duration) -> Self {
        self.advisory = advisory;
        self.mandatory = mandatory.min(advisory);
        self
    }

    /// Replaces the clock (for tests).
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The cached credentials, if any, without refreshing.
    pub fn current(&self) -> Option<Credentials> {
        self.cached
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Drops the cached credentials so the next call fetches.
    pub fn invalidate(&self) {
        *self.cached.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn store(&self, creds: &Credentials) {
        *self.cached.write().unwrap_or_else(|p| p.into_inner()) = Some(creds.clone());
    }

    /// True when `creds` expire within `window` of now.
    fn needs(&self, creds: &Credentials, window: Duration) -> bool {
        let Some(expiry) = creds.expiry() else {
            return false;
        };
        match expiry.duration_since((self.clock)()) {
            Ok(left) => left < window,
            Err(_) => true,
        }
    }

    fn fresh(&self, window: Duration) -> Option<Credentials> {
        self.current().filter(|c| !self.needs(c, window))
    }

    async fn refresh_locked(
        &self,
        cached: Option<Credentials>,
        mandatory: bool,
    ) -> Result<Credentials, CredentialsError> {
        match self.inner.provide_credentials().await {
            Ok(new) => {
                if self.needs(&new, Duration::ZERO) {
                    tracing::warn!(
                        provider = new.provider_name(),
                        "refreshed credentials are already expired"
                    );
                    return Err(CredentialsError::failed(
                        new.provider_name(),
                        "credentials were refreshed, but the refreshed credentials are still expired",
                    ));
                }
                self.store(&new);
                Ok(new)
            }
            Err(e) => match cached {
                Some(old) if !mandatory => {
                    tracing::warn!(error = %e, "refreshing credentials failed during the advisory refresh period");
                    Ok(old)
                }
                _ => Err(e),
            },
        }
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.fresh(self.advisory) {
            return Ok(c);
        }
        if let Ok(_guard) = self.refresh.try_lock() {
            if let Some(c) = self.fresh(self.advisory) {
                return Ok(c);
            }
            let cached = self.current();
            let mandatory = cached
                .as_ref()
                .is_none_or(|c| self.needs(c, self.mandatory));
            return self.refresh_locked(cached, mandatory).await;
        }
        // Someone else is refreshing.
        if let Some(c) = self.fresh(self.mandatory) {
            return Ok(c);
        }
        let _guard = self.refresh.lock().await;
        if let Some(c) = self.fresh(self.mandatory) {
            return Ok(c);
        }
        let cached = self.current();
        self.refresh_locked(cached, true).await
    }
}

impl ProvideCredentials for RefreshingProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        self.fresh(self.advisory)
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }
}
