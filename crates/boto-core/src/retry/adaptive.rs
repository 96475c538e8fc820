//! The adaptive mode's client-side rate limiter (botocore `retries/adaptive.py`, `bucket.py`,
//! `throttling.py`): once the service throttles, each request waits for a token from a bucket
//! whose fill rate follows CUBIC, cut to 70 % of the measured send rate on every throttling
//! response and grown back along a cubic curve on every other response.
//!
//! Time comes from a [`Clock`], so tests drive the limiter with a [`ManualClock`] instead of
//! waiting. The numbers are botocore's: a 0.5 s measuring bucket with 0.8 smoothing, a minimum
//! fill rate of 0.5 tokens/s, CUBIC's C = 0.4 and beta = 0.7, and a new rate never above twice
//! the measured one.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Seconds on some fixed scale, for the limiter (botocore uses `time.time()`).
pub trait Clock: Send + Sync {
    /// Now, in seconds.
    fn now(&self) -> f64;
}

/// The system clock: seconds since the Unix epoch.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }
}

/// A clock that moves only when told to, for tests.
#[derive(Debug, Default)]
pub struct ManualClock(Mutex<f64>);

impl ManualClock {
    /// A clock reading `start`.
    pub fn new(start: f64) -> Self {
        ManualClock(Mutex::new(start))
    }

    /// Moves the clock to `t`.
    pub fn set(&self, t: f64) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = t;
    }

    /// Moves the clock `dt` seconds on.
    pub fn advance(&self, dt: f64) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) += dt;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> f64 {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

const MIN_FILL_RATE: f64 = 0.5;
const SMOOTHING: f64 = 0.8;
const BUCKETS_PER_SECOND: f64 = 2.0;
const CUBIC_SCALE: f64 = 0.4;
const CUBIC_BETA: f64 = 0.7;
const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

#[derive(Debug)]
struct TokenBucket {
    fill_rate: f64,
    max_capacity: f64,
    current: f64,
    last: Option<f64>,
}

impl TokenBucket {
    fn refill(&mut self, now: f64) {
        let Some(last) = self.last else {
            self.last = Some(now);
            return;
        };
        let filled = (now - last) * self.fill_rate;
        self.current = self.max_capacity.min(self.current + filled);
        self.last = Some(now);
    }

    fn set_max_rate(&mut self, rate: f64, now: f64) {
        // Tokens due at the old rate are added first, so the new rate applies from now on.
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = if rate >= 1.0 { rate } else { 1.0 };
        self.current = self.current.min(self.max_capacity);
    }
}

#[derive(Debug)]
struct RateClocker {
    measured: f64,
    last_bucket: f64,
    count: f64,
}

impl RateClocker {
    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * BUCKETS_PER_SECOND).floor() / BUCKETS_PER_SECOND;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured = current * SMOOTHING + self.measured * (1.0 - SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured
    }
}

#[derive(Debug)]
struct Cubic {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl Cubic {
    fn zero_point(w_max: f64) -> f64 {
        (w_max * (1.0 - CUBIC_BETA) / CUBIC_SCALE).powf(1.0 / 3.0)
    }

    fn success(&self, now: f64) -> f64 {
        CUBIC_SCALE * (now - self.last_fail - self.k).powi(3) + self.w_max
    }

    fn error(&mut self, rate: f64, now: f64) -> f64 {
        self.w_max = rate;
        self.k = Self::zero_point(rate);
        self.last_fail = now;
        rate * CUBIC_BETA
    }
}

#[derive(Debug)]
struct State {
    bucket: TokenBucket,
    clocker: RateClocker,
    cubic: Cubic,
    enabled: bool,
}

/// botocore's `ClientRateLimiter`: one per client in adaptive mode, or one per service endpoint
/// shared by the clients of a session ([`SharedRateLimiters`](super::SharedRateLimiters)).
pub struct ClientRateLimiter {
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

impl fmt::Debug for ClientRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRateLimiter")
            .field("state", &*self.lock())
            .finish()
    }
}

impl Default for ClientRateLimiter {
    fn default() -> Self {
        ClientRateLimiter::new(Arc::new(SystemClock))
    }
}

impl ClientRateLimiter {
    /// A limiter reading time from `clock`; it lets everything through until the first
    /// throttling response.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        let mut bucket = TokenBucket {
            fill_rate: MIN_FILL_RATE,
            max_capacity: 1.0,
            current: 0.0,
            last: None,
        };
        bucket.set_max_rate(1.0, now);
        ClientRateLimiter {
            state: Mutex::new(State {
                bucket,
                clocker: RateClocker {
                    measured: 0.0,
                    last_bucket: now.floor(),
                    count: 0.0,
                },
                cubic: Cubic {
                    w_max: 0.0,
                    k: Cubic::zero_point(0.0),
                    last_fail: now,
                },
                enabled: false,
            }),
            clock,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a send token if one is due; otherwise how long until one is (the caller waits
    /// and asks again). Always `None` before the first throttling response.
    pub fn try_acquire(&self) -> Option<Duration> {
        let now = self.clock.now();
        let mut s = self.lock();
        if !s.enabled {
            return None;
        }
        s.bucket.refill(now);
        if s.bucket.current >= 1.0 {
            s.bucket.current -= 1.0;
            return None;
        }
        let wait = (1.0 - s.bucket.current) / s.bucket.fill_rate;
        Some(Duration::from_secs_f64(wait.clamp(0.0, 60.0)))
    }

    /// Waits for a send token (botocore's `before-send` hook).
    pub async fn acquire(&self) {
        while let Some(wait) = self.try_acquire() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Records one response (every attempt's, botocore's `needs-retry` hook): a throttling one
    /// cuts the send rate, any other lets it grow back.
    pub fn on_response(&self, throttled: bool) {
        let now = self.clock.now();
        let mut s = self.lock();
        let measured = s.clocker.record(now);
        let new_rate = if throttled {
            let rate = if s.enabled {
                measured.min(s.bucket.fill_rate)
            } else {
                measured
            };
            s.enabled = true;
            s.cubic.error(rate, now)
        } else {
            s.cubic.success(now)
        };
        s.bucket
            .set_max_rate(new_rate.min(MAX_RATE_ADJUST_SCALE * measured), now);
    }

    /// The bucket's fill rate in requests per second, once limiting has started.
    pub fn send_rate(&self) -> Option<f64> {
        let s = self.lock();
        s.enabled.then_some(s.bucket.fill_rate)
    }

    /// The smoothed send rate measured so far, in requests per second.
    pub fn measured_rate(&self) -> f64 {
        self.lock().clocker.measured
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(start: f64) -> (Arc<ManualClock>, ClientRateLimiter) {
        let clock = Arc::new(ManualClock::new(start));
        let limiter = ClientRateLimiter::new(clock.clone());
        (clock, limiter)
    }

    /// Sends as fast as the limiter allows for `seconds` of virtual time (in 10 ms steps),
    /// with every response `throttled` or not; returns how many requests went out.
    fn sends_in(clock: &ManualClock, l: &ClientRateLimiter, seconds: f64, throttled: bool) -> u32 {
        let end = clock.now() + seconds;
        let mut sent = 0;
        while clock.now() < end {
            match l.try_acquire() {
                None => {
                    sent += 1;
                    l.on_response(throttled);
                }
                Some(_) => clock.advance(0.01),
            }
            if sent > 100_000 {
                break;
            }
        }
        sent
    }

    #[test]
    fn nothing_waits_until_the_service_throttles() {
        let (clock, l) = limiter(1000.0);
        for _ in 0..1000 {
            assert_eq!(l.try_acquire(), None);
            l.on_response(false);
            clock.advance(0.001);
        }
        assert_eq!(l.send_rate(), None);
    }

    #[test]
    fn throttling_slows_the_client_and_success_brings_it_back() {
        let (clock, l) = limiter(1000.0);
        // 10 requests per second for 5 s, unthrottled: the rate is measured, nothing waits.
        for _ in 0..50 {
            assert_eq!(l.try_acquire(), None);
            l.on_response(false);
            clock.advance(0.1);
        }
        assert!(
            (l.measured_rate() - 10.0).abs() < 1.0,
            "{}",
            l.measured_rate()
        );
        l.on_response(true);
        let cut = l.send_rate().expect("limiting started");
        assert!((cut - 0.7 * l.measured_rate()).abs() < 1.0, "{cut}");
        // Every response throttled: over 10 s the client sends a handful, not hundreds.
        let throttled = sends_in(&clock, &l, 10.0, true);
        assert!(throttled <= 12, "{throttled} sends while throttled");
        assert!(l.send_rate().unwrap() <= 1.0);
        // The service recovers: the rate climbs again along the cubic curve.
        let before = sends_in(&clock, &l, 5.0, false);
        let after = sends_in(&clock, &l, 5.0, false);
        assert!(after > before, "recovering: {before} then {after}");
    }
}
