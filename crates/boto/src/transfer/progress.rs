//! Progress callbacks and the bandwidth limit of one transfer.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// A progress callback: called with the number of bytes moved since the last call (boto3's
/// `Callback(bytes_amount)`). Parts move concurrently, so it may be called from several tasks;
/// the sum of its arguments is the bytes transferred. Uploads report each part when S3 has
/// accepted it, downloads each chunk as it is written.
///
/// ```
/// use boto::transfer::{Progress, TransferConfig};
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use std::sync::Arc;
/// let done = Arc::new(AtomicU64::new(0));
/// let seen = done.clone();
/// let config = TransferConfig {
///     progress: Some(Progress::from(move |n: u64| {
///         seen.fetch_add(n, Ordering::Relaxed);
///     })),
///     ..Default::default()
/// };
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(u64) + Send + Sync>);

impl<F: Fn(u64) + Send + Sync + 'static> From<F> for Progress {
    fn from(f: F) -> Self {
        Progress(Arc::new(f))
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(<callback>)")
    }
}

/// What one transfer shares between its parts: the callback and the bandwidth bucket.
#[derive(Clone, Debug, Default)]
pub(crate) struct Meter {
    progress: Option<Progress>,
    bucket: Option<Arc<TokenBucket>>,
}

impl Meter {
    pub(crate) fn new(config: &super::TransferConfig) -> Self {
        Meter {
            progress: config.progress.clone(),
            bucket: config
                .max_bandwidth
                .filter(|&r| r > 0)
                .map(|rate| Arc::new(TokenBucket::new(rate))),
        }
    }

    /// Reports `n` bytes moved.
    pub(crate) fn moved(&self, n: u64) {
        if let (Some(p), true) = (&self.progress, n > 0) {
            (p.0)(n);
        }
    }

    /// Waits until `n` more bytes may move under the bandwidth limit.
    pub(crate) async fn throttle(&self, n: u64) {
        if let Some(b) = &self.bucket {
            let wait = b.take(n);
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// A token bucket of `rate` bytes per second holding at most one second of tokens. Taking more
/// than there are goes into debt, and the taker waits the debt off: the average rate holds
/// whatever the chunk sizes.
#[derive(Debug)]
struct TokenBucket {
    rate: f64,
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    fn new(rate: u64) -> Self {
        TokenBucket {
            rate: rate as f64,
            state: Mutex::new((rate as f64, Instant::now())),
        }
    }

    /// Takes `n` tokens; returns how long to wait before using them.
    fn take(&self, n: u64) -> Duration {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let refill = now.duration_since(state.1).as_secs_f64() * self.rate;
        state.0 = (state.0 + refill).min(self.rate) - n as f64;
        state.1 = now;
        if state.0 >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-state.0 / self.rate)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TokenBucket;

    #[test]
    fn the_bucket_makes_takers_wait_off_their_debt() {
        let b = TokenBucket::new(1000);
        assert!(b.take(1000).is_zero());
        let wait = b.take(500);
        assert!(
            wait.as_secs_f64() > 0.45 && wait.as_secs_f64() <= 0.5,
            "{wait:?}"
        );
    }
}
