//! DynamoDB is built for many small, fast requests, so botocore's retry configuration
//! (`_retry.json`, `dynamodb` section) gives it a 25 ms base delay after transient errors instead
//! of the general 50 ms. Throttling keeps the 1 s base every service has.

use super::super::Customization;
use std::time::Duration;

pub(crate) struct RetryBackoff;

impl Customization for RetryBackoff {
    fn name(&self) -> &'static str {
        "dynamodb.retry_backoff"
    }

    fn retry_base_delay(&self) -> Option<Duration> {
        Some(Duration::from_millis(25))
    }
}
