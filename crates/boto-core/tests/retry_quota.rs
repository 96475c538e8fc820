//! Retries that obey: the standard mode's retry quota bounds what a failing service costs, and
//! the adaptive mode's rate limiter slows a throttled client.
//!
//! A loopback service counts the requests it gets and answers from a script (then a default).
//! The quota test runs the same 100 calls through the pinned boto3 against the same service and
//! expects the same request count.

use boto_core::client::{ClientConfig, ServiceClient};
use boto_core::credentials::Credentials;
use boto_core::doc;
use boto_core::http::{HttpClient, HttpSettings};
use boto_core::retry::RetryMode;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const INTERNAL_ERROR: (u16, &str) = (
    500,
    "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code>\
     <Message>boom</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
);
const THROTTLED: (u16, &str) = (
    400,
    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
     <Message>Rate exceeded</Message></Error><RequestId>r-2</RequestId></ErrorResponse>",
);
const OK: (u16, &str) = (
    200,
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
     <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/x</Arn><UserId>X</UserId>\
     <Account>123456789012</Account></GetCallerIdentityResult>\
     <ResponseMetadata><RequestId>r-3</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
);

/// A keep-alive loopback service: each request gets the next scripted answer, else `default`.
struct Service {
    url: String,
    count: Arc<AtomicUsize>,
    script: Arc<Mutex<VecDeque<(u16, &'static str)>>>,
    default: Arc<Mutex<(u16, &'static str)>>,
}

impl Service {
    fn start(default: (u16, &'static str)) -> Service {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let script = Arc::new(Mutex::new(VecDeque::new()));
        let default = Arc::new(Mutex::new(default));
        let (c, s, d) = (count.clone(), script.clone(), default.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (c, s, d) = (c.clone(), s.clone(), d.clone());
                std::thread::spawn(move || serve(stream, &c, &s, &d));
            }
        });
        Service {
            url,
            count,
            script,
            default,
        }
    }

    fn take_count(&self) -> usize {
        self.count.swap(0, Ordering::SeqCst)
    }
}

fn serve(
    stream: std::net::TcpStream,
    count: &AtomicUsize,
    script: &Mutex<VecDeque<(u16, &'static str)>>,
    default: &Mutex<(u16, &'static str)>,
) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut first = true;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            first = false;
        }
        if first {
            return;
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        count.fetch_add(1, Ordering::SeqCst);
        let next = script.lock().unwrap().pop_front();
        let (status, text) = next.unwrap_or_else(|| *default.lock().unwrap());
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        if writer.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn sts(url: &str, mode: RetryMode, max_attempts: u32) -> ServiceClient {
    let mut config = ClientConfig::new(HttpClient::new(HttpSettings::default()).unwrap());
    config.region = Some("us-east-1".into());
    config.endpoint_url = Some(url.into());
    config.credentials = Some(Arc::new(Credentials::from_keys("AKID", "secret", None)));
    config.retry.mode = mode;
    config.retry.max_attempts = max_attempts;
    ServiceClient::new("sts", config).unwrap()
}

/// Runs `calls` GetCallerIdentity calls through the pinned boto3 with `mode` retries.
fn boto3_calls(url: &str, mode: &str, calls: usize) {
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.venv/bin/python");
    let script = format!(
        "import boto3\nfrom botocore.config import Config\n\
         c = boto3.client('sts', endpoint_url='{url}', region_name='us-east-1',\n\
             aws_access_key_id='AKID', aws_secret_access_key='secret',\n\
             config=Config(retries={{'mode': '{mode}'}}))\n\
         for _ in range({calls}):\n\
         \x20   try:\n\
         \x20       c.get_caller_identity()\n\
         \x20   except Exception:\n\
         \x20       pass\n"
    );
    let out = std::process::Command::new(python)
        .args(["-c", &script])
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): run scripts/setup-test-env.sh"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_service_costs_what_botocores_quota_allows_and_no_more() {
    // Without the quota, 100 calls of 3 attempts each against a service that always fails send
    // 300 requests. With it, botocore 1.44.8 pays 14 of 500 tokens per retry: 35 retries, then
    // each call fails at once: 135 requests.
    let service = Service::start(INTERNAL_ERROR);
    let client = sts(&service.url, RetryMode::Standard, 3);
    for _ in 0..100 {
        let err = client.call("GetCallerIdentity", doc! {}).await.unwrap_err();
        assert!(err.is("InternalFailure"), "{err}");
    }
    let ours = service.take_count();
    assert_eq!(ours, 100 + 500 / 14, "requests for 100 failing calls");
    let quota = client
        .retry_state()
        .quota()
        .expect("standard mode has a quota");
    assert_eq!(quota.available(), 500 % 14);

    boto3_calls(&service.url, "standard", 100);
    assert_eq!(ours, service.take_count(), "boto3 sends the same number");

    // Calls that succeed without a retry give back one token each...
    *service.default.lock().unwrap() = OK;
    for _ in 0..10 {
        client.call("GetCallerIdentity", doc! {}).await.unwrap();
    }
    assert_eq!(quota.available(), 500 % 14 + 10);
    // ...a call that needed a retry and then succeeded gives back what the retry took...
    service.script.lock().unwrap().push_back(INTERNAL_ERROR);
    client.call("GetCallerIdentity", doc! {}).await.unwrap();
    assert_eq!(service.take_count(), 10 + 2);
    assert_eq!(quota.available(), 500 % 14 + 10);
    // ...also after throttling (whose retry costs 5 tokens: see retry::quota's unit test).
    service.script.lock().unwrap().push_back(THROTTLED);
    let before = quota.available();
    let start = std::time::Instant::now();
    client.call("GetCallerIdentity", doc! {}).await.unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(quota.available(), before, "refunded on success");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_client_has_its_own_quota_and_legacy_mode_has_none() {
    let service = Service::start(INTERNAL_ERROR);
    let first = sts(&service.url, RetryMode::Standard, 2);
    let second = sts(&service.url, RetryMode::Standard, 2);
    let _ = first.call("GetCallerIdentity", doc! {}).await;
    assert_eq!(first.retry_state().quota().unwrap().available(), 500 - 14);
    assert_eq!(second.retry_state().quota().unwrap().available(), 500);
    let clone = first.clone();
    let _ = clone.call("GetCallerIdentity", doc! {}).await;
    assert_eq!(
        first.retry_state().quota().unwrap().available(),
        500 - 28,
        "clones share"
    );
    let legacy = sts(&service.url, RetryMode::Legacy, 2);
    assert!(legacy.retry_state().quota().is_none());
    assert!(legacy.retry_state().limiter().is_none());
}

/// Requests a client gets through in `window` against a service that always throttles.
async fn requests_while_throttled(mode: RetryMode, window: Duration) -> usize {
    let service = Service::start(THROTTLED);
    let client = sts(&service.url, mode, 1);
    let calls = async {
        loop {
            let err = client.call("GetCallerIdentity", doc! {}).await.unwrap_err();
            assert!(err.is("Throttling"), "{err}");
        }
    };
    let _ = tokio::time::timeout(window, calls).await;
    service.take_count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adaptive_mode_slows_a_throttled_client() {
    // No retries (max_attempts = 1), calls one after another for 1.5 s. Standard mode sends as
    // fast as the loopback answers (hundreds); adaptive mode cuts its rate to the limiter's
    // floor (0.5 requests/s) after the first throttling answer. The gap is two orders of
    // magnitude, so no timing noise can flip the outcome.
    let window = Duration::from_millis(1500);
    let standard = requests_while_throttled(RetryMode::Standard, window).await;
    let adaptive = requests_while_throttled(RetryMode::Adaptive, window).await;
    assert!(standard >= 30, "standard mode sent {standard}");
    assert!(
        adaptive <= 3,
        "adaptive mode sent {adaptive} (standard {standard})"
    );
}

#[test]
fn the_rate_limiter_follows_botocores_numbers_step_by_step() {
    // The same script of responses and send attempts, on a manual clock, through botocore's
    // ClientRateLimiter (with a fake clock) and ours: after every step the limiting state, the
    // send rate, the measured rate and whether a send token was granted must agree.
    use boto_core::retry::{ClientRateLimiter, ManualClock};
    let start = 1_700_000_000.25;
    let mut steps = Vec::new();
    let mut t = start;
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..600 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t += [0.0, 0.01, 0.05, 0.2, 0.7, 1.3][(x % 6) as usize];
        let kind = ["ok", "throttled", "send", "send"][((x >> 8) % 4) as usize];
        steps.push((t, kind));
    }
    let clock = Arc::new(ManualClock::new(start));
    let limiter = ClientRateLimiter::new(clock.clone());
    let mut ours = Vec::new();
    for (t, kind) in &steps {
        clock.set(*t);
        let granted = match *kind {
            "send" => limiter.try_acquire().is_none(),
            other => {
                limiter.on_response(other == "throttled");
                true
            }
        };
        let rate = limiter.send_rate();
        ours.push((
            rate.is_some(),
            rate.unwrap_or(0.0),
            limiter.measured_rate(),
            granted,
        ));
    }

    let script = format!(
        "import json, sys\n\
         from botocore.retries import adaptive, bucket, throttling\n\
         from botocore.exceptions import CapacityNotAvailableError\n\
         class Clock:\n    t = {start}\n    def current_time(self): return self.t\n    def sleep(self, a): pass\n\
         class Detector:\n    def is_throttling_error(self, **kw): return kw['throttled']\n\
         c = Clock()\n\
         lim = adaptive.ClientRateLimiter(rate_adjustor=throttling.CubicCalculator(starting_max_rate=0, start_time=c.t),\n\
             rate_clocker=adaptive.RateClocker(c), token_bucket=bucket.TokenBucket(max_rate=1, clock=c),\n\
             throttling_detector=Detector(), clock=c)\n\
         out = []\n\
         for t, kind in json.load(sys.stdin):\n\
         \x20   c.t = t\n\
         \x20   granted = True\n\
         \x20   if kind == 'send':\n\
         \x20       if lim._enabled:\n\
         \x20           try: lim._token_bucket.acquire(block=False)\n\
         \x20           except CapacityNotAvailableError: granted = False\n\
         \x20   else:\n\
         \x20       lim.on_receiving_response(throttled=(kind == 'throttled'))\n\
         \x20   out.append([lim._enabled, lim._token_bucket.max_rate if lim._enabled else 0.0, lim._rate_clocker.measured_rate, granted])\n\
         print(json.dumps(out))\n"
    );
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.venv/bin/python");
    let mut child = std::process::Command::new(python)
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): run scripts/setup-test-env.sh"));
    let input = serde_json::to_vec(&steps).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<(bool, f64, f64, bool)> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), ours.len());
    let mut throttled_sends_refused = 0;
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
        assert!(
            a.0 == b.0 && close(a.1, b.1) && close(a.2, b.2) && a.3 == b.3,
            "step {i} {:?}: ours {a:?}, botocore {b:?}",
            steps[i]
        );
        throttled_sends_refused += usize::from(!a.3);
    }
    assert!(
        throttled_sends_refused > 10,
        "the script exercises the limiter"
    );
}
