//! Retry decisions, made where the failure is known: transport errors by kind, service errors by
//! status and code (throttling, transient), with botocore's "standard" mode backoff
//! (full jitter, capped at 20 s) and `legacy` mode's attempt count.
//!
//! What retries remember between calls lives in one [`RetryState`] per client: the standard
//! and adaptive modes' [`RetryQuota`] (`quota`), and the adaptive mode's
//! [`ClientRateLimiter`] (`adaptive`), which the clients of one session share per service
//! endpoint when the config carries the session's [`SharedRateLimiters`] (`shared`). A call
//! drives them through [`CallRetries`].

pub mod adaptive;
pub mod quota;
pub mod shared;

pub use adaptive::{ClientRateLimiter, Clock, ManualClock, SystemClock};
pub use quota::RetryQuota;
pub use shared::{LimiterKey, SharedRateLimiters};
use std::sync::Arc;

use std::time::Duration;

/// `retry_mode` as configured: the one enum the config layer resolves.
pub use crate::config::RetryMode;

/// Retry settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryConfig {
    /// The mode.
    pub mode: RetryMode,
    /// Total attempts, the first included.
    pub max_attempts: u32,
    /// The session's adaptive rate limiters; `None` gives the client one of its own.
    pub rate_limiters: Option<SharedRateLimiters>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
            rate_limiters: None,
        }
    }
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "InternalError",
];

const TRANSIENT_STATUS: &[u16] = &[500, 502, 503, 504];

/// True when a service error with this status and code is worth another attempt.
pub fn is_retryable_service_error(status: u16, code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
        || TRANSIENT_CODES.contains(&code)
        || TRANSIENT_STATUS.contains(&status)
}

/// True for throttling errors (they could feed a rate limiter).
pub fn is_throttling(code: &str) -> bool {
    THROTTLING_CODES.contains(&code)
}

/// The pause before attempt `attempt + 1` (`attempt` counts from 1), botocore's standard mode:
/// `random * min(base_scale * 2^(attempt - 1), 20 s)` with `random` in `[0, 1)`.
pub fn backoff(attempt: u32, random: f64, base_scale: f64) -> Duration {
    let exp = 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
    let cap = (base_scale * exp).min(20.0);
    Duration::from_secs_f64(cap * random.clamp(0.0, 1.0))
}

/// The base delays of the standard backoff: botocore's 1 s after throttling and 50 ms after
/// other transient errors (a service customization may choose another transient base).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct BackoffBase {
    /// After a throttling error.
    pub throttled: Duration,
    /// After any other retryable error.
    pub transient: Duration,
}

impl Default for BackoffBase {
    fn default() -> Self {
        BackoffBase {
            throttled: Duration::from_secs(1),
            transient: Duration::from_millis(50),
        }
    }
}

/// What went wrong in one attempt, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// Another attempt could succeed (see `SdkError::is_retryable`).
    pub retryable: bool,
    /// The service throttled the call.
    pub throttled: bool,
}

/// Whether to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after this pause.
    RetryAfter(Duration),
    /// Give up and report the failure.
    Stop,
}

/// The decision after attempt `attempt` (counting from 1) failed with `failure`: retry while
/// attempts remain, the failure is retryable and the body can be sent again.
pub fn decide(
    attempt: u32,
    config: &RetryConfig,
    failure: Failure,
    body_replayable: bool,
    base: BackoffBase,
    random: f64,
) -> RetryDecision {
    if attempt >= config.max_attempts.max(1) || !failure.retryable || !body_replayable {
        return RetryDecision::Stop;
    }
    let scale = if failure.throttled {
        base.throttled
    } else {
        base.transient
    };
    RetryDecision::RetryAfter(backoff(attempt, random, scale.as_secs_f64()))
}

/// The retry memory of one client: a retry quota in the standard and adaptive modes, as
/// botocore registers it per client, and a rate limiter in the adaptive mode, the client's own
/// or its session's for the client's service endpoint (legacy has neither).
#[derive(Debug)]
pub struct RetryState {
    quota: Option<RetryQuota>,
    limiter: Option<Arc<ClientRateLimiter>>,
}

impl RetryState {
    /// Fresh state for a client in `config.mode`, with a rate limiter of its own.
    pub fn new(config: &RetryConfig) -> Self {
        RetryState {
            quota: (config.mode != RetryMode::Legacy).then(RetryQuota::default),
            limiter: (config.mode == RetryMode::Adaptive).then(Default::default),
        }
    }

    /// Fresh state for a client of `key` (asked for only when needed): in adaptive mode, the
    /// rate limiter is the one `config.rate_limiters` keeps for it (shared with the session's
    /// other clients of it).
    pub fn for_client(config: &RetryConfig, key: impl FnOnce() -> LimiterKey) -> Self {
        let mut state = RetryState::new(config);
        if let (Some(own), Some(shared)) = (&mut state.limiter, &config.rate_limiters) {
            *own = shared.limiter(key());
        }
        state
    }

    /// State with this rate limiter (adaptive mode with, say, a [`ManualClock`]).
    pub fn with_limiter(mut self, limiter: ClientRateLimiter) -> Self {
        self.limiter = Some(Arc::new(limiter));
        self
    }

    /// The retry quota (standard and adaptive modes).
    pub fn quota(&self) -> Option<&RetryQuota> {
        self.quota.as_ref()
    }

    /// The rate limiter (adaptive mode).
    pub fn limiter(&self) -> Option<&ClientRateLimiter> {
        self.limiter.as_deref()
    }

    /// The retry bookkeeping of one call.
    pub fn call(&self) -> CallRetries<'_> {
        CallRetries {
            state: self,
            acquired: None,
        }
    }
}

/// One call's side of the retry state: waits for the rate limiter before each attempt, pays the
/// quota for each retry, and refunds it when the call succeeds.
#[derive(Debug)]
pub struct CallRetries<'a> {
    state: &'a RetryState,
    /// What the last retry of this call took from the quota.
    acquired: Option<u32>,
}

impl CallRetries<'_> {
    /// Waits until the rate limiter lets the next attempt go (adaptive mode only).
    pub async fn before_attempt(&self) {
        if let Some(limiter) = &self.state.limiter {
            limiter.acquire().await;
        }
    }

    /// The attempt succeeded: the limiter sees a good response, and the quota gets back what
    /// this call's last retry took, or [`quota::NO_RETRY_INCREMENT`] when it needed none.
    pub fn succeeded(&self) {
        if let Some(limiter) = &self.state.limiter {
            limiter.on_response(false);
        }
        if let Some(q) = &self.state.quota {
            q.release(self.acquired.unwrap_or(quota::NO_RETRY_INCREMENT));
        }
    }

    /// Attempt `attempt` failed: [`decide`], then a retry must also be paid from the quota;
    /// with the quota spent the failure is returned at once.
    pub fn failed(
        &mut self,
        attempt: u32,
        config: &RetryConfig,
        failure: Failure,
        body_replayable: bool,
        base: BackoffBase,
        random: f64,
    ) -> RetryDecision {
        if let Some(limiter) = &self.state.limiter {
            limiter.on_response(failure.throttled);
        }
        let decision = decide(attempt, config, failure, body_replayable, base, random);
        if let (RetryDecision::RetryAfter(_), Some(q)) = (decision, &self.state.quota) {
            match q.acquire(failure.throttled) {
                Some(cost) => self.acquired = Some(cost),
                None => {
                    tracing::debug!(attempt, "retry quota spent: not retrying");
                    return RetryDecision::Stop;
                }
            }
        }
        decision
    }
}

/// A cheap random fraction for jitter (not for secrets).
pub fn jitter() -> f64 {
    let mut b = [0u8; 8];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert!(is_retryable_service_error(400, "ThrottlingException"));
        assert!(is_retryable_service_error(503, "SlowDown"));
        assert!(is_retryable_service_error(500, "Whatever"));
        assert!(!is_retryable_service_error(404, "NoSuchBucket"));
    }

    #[test]
    fn backoff_is_capped() {
        assert!(backoff(1, 0.999, 1.0) < Duration::from_secs(1));
        assert!(backoff(1, 0.999, 0.05) < Duration::from_millis(50));
        assert!(backoff(3, 0.999, 0.05) < Duration::from_millis(200));
        assert!(backoff(30, 0.999, 1.0) <= Duration::from_secs(20));
        assert_eq!(backoff(3, 0.0, 1.0), Duration::ZERO);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn decisions() {
        let config = RetryConfig::default();
        let transient = Failure {
            retryable: true,
            throttled: false,
        };
        let base = BackoffBase::default();
        let RetryDecision::RetryAfter(pause) = decide(1, &config, transient, true, base, 0.999)
        else {
            panic!("a transient failure on attempt 1 of 3 is retried");
        };
        assert!(pause < Duration::from_millis(50));
        let throttled = Failure {
            throttled: true,
            ..transient
        };
        let RetryDecision::RetryAfter(pause) = decide(2, &config, throttled, true, base, 0.999)
        else {
            panic!("throttling on attempt 2 of 3 is retried");
        };
        assert!(pause > Duration::from_millis(1000) && pause < Duration::from_secs(2));
        assert_eq!(
            decide(3, &config, transient, true, base, 0.5),
            RetryDecision::Stop
        );
        assert_eq!(
            decide(1, &config, transient, false, base, 0.5),
            RetryDecision::Stop
        );
        let fatal = Failure {
            retryable: false,
            throttled: false,
        };
        assert_eq!(
            decide(1, &config, fatal, true, base, 0.5),
            RetryDecision::Stop
        );
        let dynamo = BackoffBase {
            transient: Duration::from_millis(25),
            ..base
        };
        let RetryDecision::RetryAfter(pause) = decide(1, &config, transient, true, dynamo, 0.999)
        else {
            panic!("retried");
        };
        assert!(pause < Duration::from_millis(25));
    }
}
