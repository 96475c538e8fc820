//! The standard mode's retry quota (botocore `retries/quota.py` and `RetryQuotaChecker`): one
//! bucket of tokens per client, so a failing service costs at most a bounded number of extra
//! requests instead of `max_attempts` times every call.
//!
//! Each retry takes tokens (fewer after throttling, which backs off anyway); a call that
//! succeeds gives back what its last retry took, or one token when it needed no retry. With the
//! bucket empty, failures are returned at once instead of retried.

use std::sync::atomic::{AtomicU32, Ordering};

/// Tokens a new client starts with (and can never exceed).
pub const INITIAL_RETRY_TOKENS: u32 = 500;
/// Tokens a retry after a non-throttling failure (including a timeout) takes: botocore
/// 1.44.8's `RetryQuotaChecker._RETRY_COST`.
pub const RETRY_COST: u32 = 14;
/// Tokens a retry after a throttling error takes (`_THROTTLING_RETRY_COST`).
pub const THROTTLING_RETRY_COST: u32 = 5;
/// Tokens a call that succeeded without retrying gives back (`_NO_RETRY_INCREMENT`).
pub const NO_RETRY_INCREMENT: u32 = 1;

/// A client's retry tokens; shared by every call of the client, lock-free.
#[derive(Debug)]
pub struct RetryQuota {
    available: AtomicU32,
    max: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new(INITIAL_RETRY_TOKENS)
    }
}

impl RetryQuota {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryQuota {
            available: AtomicU32::new(capacity),
            max: capacity,
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Takes the cost of one retry after a failure (`throttled` or not); `None` when the bucket
    /// holds less, and then nothing is taken. Returns the tokens taken.
    pub fn acquire(&self, throttled: bool) -> Option<u32> {
        let cost = if throttled {
            THROTTLING_RETRY_COST
        } else {
            RETRY_COST
        };
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |have| {
                have.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Gives `amount` tokens back, never above the starting capacity.
    pub fn release(&self, amount: u32) {
        let max = self.max;
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |have| {
                (have < max).then(|| have.saturating_add(amount).min(max))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_and_refills_as_botocore() {
        let q = RetryQuota::default();
        assert_eq!(q.acquire(false), Some(14));
        assert_eq!(q.acquire(true), Some(5));
        assert_eq!(q.available(), 481);
        q.release(14);
        assert_eq!(q.available(), 495);
        q.release(100);
        assert_eq!(q.available(), 500, "never above the start");
        let mut retries = 0;
        while q.acquire(false).is_some() {
            retries += 1;
        }
        assert_eq!(retries, 500 / 14);
        assert_eq!(q.available(), 500 % 14);
        assert_eq!(q.acquire(true), Some(5), "a cheaper retry still fits");
        assert_eq!(q.acquire(false), None);
        q.release(NO_RETRY_INCREMENT);
        assert_eq!(q.available(), 500 % 14 - 5 + 1);
    }
}
