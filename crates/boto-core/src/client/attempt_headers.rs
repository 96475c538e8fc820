//! The headers that tell a service which attempt of which call a request is (botocore's
//! `add_retry_headers`): `amz-sdk-invocation-id`, one random UUID per call, and `amz-sdk-request`,
//! `attempt=N; max=M`. After an attempt that got an answer with a `Date`, the next one also says
//! `ttl=`: the server's time at which this attempt times out on the client (its `Date` plus the
//! read timeout), so a service can drop work nobody waits for any more.

use crate::config::RetryMode;
use crate::document::Timestamp;
use crate::http::Headers;
use crate::retry::RetryConfig;
use std::fmt::Write as _;
use std::time::Duration;

/// The attempts of one call, as the headers report them.
#[derive(Debug, Clone)]
pub(super) struct CallAttempts {
    /// The UUID's text (ASCII), kept inline: each attempt's header is then its only copy.
    invocation_id: [u8; 36],
    attempt: u32,
    max_attempts: u32,
    /// Legacy mode's `max` appears once a retry was considered (botocore's legacy handler
    /// learns it then); the standard and adaptive modes say it from the first attempt.
    max_known: bool,
    ttl: Option<String>,
}

impl CallAttempts {
    /// The first attempt of a new call.
    pub(super) fn new(retry: &RetryConfig) -> Self {
        CallAttempts {
            invocation_id: uuid_v4_text(),
            attempt: 1,
            max_attempts: retry.max_attempts,
            max_known: retry.mode != RetryMode::Legacy,
            ttl: None,
        }
    }

    /// Moves on to the next attempt. `answered` is the `Date` header of the attempt that just
    /// ended, if it got a response; without one (a transport error) the last `ttl` stands.
    pub(super) fn next(&mut self, answered: Option<&str>, read_timeout: Duration) {
        self.attempt += 1;
        self.max_known = true;
        if let Some(date) = answered {
            if let Some(ttl) = ttl(date, read_timeout) {
                self.ttl = Some(ttl);
            }
        }
    }

    /// Appends the two headers of the current attempt, written in place.
    pub(super) fn push_headers(&self, headers: &mut Headers) {
        // The id is ASCII by construction (hex digits and dashes).
        let id = std::str::from_utf8(&self.invocation_id).unwrap_or_default();
        headers.push("amz-sdk-invocation-id", id);
        headers.push_with("amz-sdk-request", |out| {
            if let Some(ttl) = &self.ttl {
                out.push_str("ttl=");
                out.push_str(ttl);
                out.push_str("; ");
            }
            // Writing into a String cannot fail.
            let _ = write!(out, "attempt={}", self.attempt);
            if self.max_known {
                let _ = write!(out, "; max={}", self.max_attempts);
            }
        });
    }
}

/// A response's `Date`, copied inline (an HTTP date is under 40 bytes): it is kept from every
/// response in case the call is attempted again, so it should cost no allocation.
pub(super) type ServerDate = crate::inline_text::InlineText<40>;

/// One step of splitmix64: a bijection of `u64` that scatters consecutive inputs.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The server's `Date` plus the read timeout, as `yyyymmddThhmmssZ`; `None` for a date that is not
/// an HTTP date (botocore then leaves `ttl` out too).
fn ttl(date: &str, read_timeout: Duration) -> Option<String> {
    let served = Timestamp::parse_rfc822(date).ok()?;
    let timeout = i64::try_from(read_timeout.as_secs()).ok()?;
    let at = Timestamp::from_secs(served.secs().checked_add(timeout)?);
    Some(at.to_amz_date())
}

/// A random (version 4) UUID in its usual lower-case form, as ASCII bytes.
///
/// The id only has to be unique, not secret: it is drawn from a generator seeded once per
/// process from the system's randomness (a `getrandom` call per request was one more system
/// call on every request's path). splitmix64 of a counter is a bijection, so the 128 bits of
/// two calls in a process always differ, and after the six fixed version bits still differ but
/// for odds of one in 2^122.
fn uuid_v4_text() -> [u8; 36] {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static SEED: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        let mut b = [0u8; 8];
        if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).is_err() {
            // No system randomness: the clock and the process id keep processes apart.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or_default();
            b = (nanos ^ u64::from(std::process::id()).rotate_left(32)).to_le_bytes();
        }
        u64::from_le_bytes(b)
    });
    let n = COUNTER.fetch_add(2, Ordering::Relaxed);
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&splitmix64(seed.wrapping_add(n)).to_le_bytes());
    b[8..].copy_from_slice(&splitmix64(seed.wrapping_add(n + 1)).to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    use crate::encoding::HEX_LOWER;
    let mut id = [b'-'; 36];
    let mut at = 0;
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        id[at] = HEX_LOWER[usize::from(byte >> 4)];
        id[at + 1] = HEX_LOWER[usize::from(byte & 0x0f)];
        at += 2;
    }
    id
}

/// [`uuid_v4_text`] as a string.
#[cfg(test)]
fn uuid_v4() -> String {
    String::from_utf8_lossy(&uuid_v4_text()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    impl CallAttempts {
        fn headers(&self) -> [(String, String); 2] {
            let mut h = Headers::new();
            self.push_headers(&mut h);
            let mut pairs = h.iter().map(|(k, v)| (k.to_string(), v.to_string()));
            [pairs.next().unwrap(), pairs.next().unwrap()]
        }
    }

    fn config(mode: RetryMode, max_attempts: u32) -> RetryConfig {
        RetryConfig {
            mode,
            max_attempts,
            ..Default::default()
        }
    }

    #[test]
    fn standard_mode_says_max_from_the_first_attempt_and_ttl_after_an_answer() {
        let mut a = CallAttempts::new(&config(RetryMode::Standard, 3));
        let [(n1, id1), (n2, first)] = a.headers();
        assert_eq!(n1, "amz-sdk-invocation-id");
        assert_eq!(n2, "amz-sdk-request");
        assert_eq!(first, "attempt=1; max=3");
        a.next(
            Some("Wed, 02 Dec 2026 18:00:00 GMT"),
            Duration::from_secs(60),
        );
        let [(_, id2), (_, second)] = a.headers();
        assert_eq!(second, "ttl=20261202T180100Z; attempt=2; max=3");
        assert_eq!(id1, id2, "one id for every attempt of a call");
        a.next(None, Duration::from_secs(60));
        assert_eq!(a.headers()[1].1, "ttl=20261202T180100Z; attempt=3; max=3");
    }

    #[test]
    fn legacy_mode_learns_max_at_the_first_retry() {
        let mut a = CallAttempts::new(&config(RetryMode::Legacy, 5));
        assert_eq!(a.headers()[1].1, "attempt=1");
        a.next(Some("not a date"), Duration::from_millis(2500));
        assert_eq!(a.headers()[1].1, "attempt=2; max=5");
        for _ in 0..10 {
            a.next(None, Duration::from_secs(1));
        }
        let [_, (_, request)] = a.headers();
        assert_eq!(request, "attempt=12; max=5");
    }

    #[test]
    fn invocation_ids_are_version_4_uuids_and_differ_per_call() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_ne!(a, b);
        let many: std::collections::HashSet<String> = (0..10_000).map(|_| uuid_v4()).collect();
        assert_eq!(many.len(), 10_000);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "{a}");
        assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{a}");
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
    }
}
