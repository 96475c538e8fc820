//! Retry decisions, made where the failure is known: transport errors by kind, service errors by
//! status and code (throttling, transient), with botocore's "standard" mode backoff
//! (full jitter, capped at 20 s) and `legacy` mode's attempt count.

use std::time::Duration;

/// `retry_mode` as configured: the one enum the config layer resolves.
pub use crate::config::RetryMode;

/// Retry settings.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    /// The mode.
    pub mode: RetryMode,
    /// Total attempts, the first included.
    pub max_attempts: u32,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            mode: RetryMode::Standard,
            max_attempts: 3,
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

/// botocore's base scale: 1 s after throttling, otherwise 50 ms (25 ms for DynamoDB).
pub fn base_scale(service: &str, throttled: bool) -> f64 {
    match (throttled, service) {
        (true, _) => 1.0,
        (false, "dynamodb" | "dynamodbstreams") => 0.025,
        (false, _) => 0.05,
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
        assert_eq!(base_scale("dynamodb", false), 0.025);
        assert_eq!(base_scale("s3", true), 1.0);
        let j = jitter();
        assert!((0.0..1.0).contains(&j));
    }
}
