//! An interrupted large `cp` continues when run again: the child is killed (SIGKILL, so it
//! cleans nothing up) midway through a slow loopback proxy in front of moto, then the same
//! command runs again. Uploads keep the parts already stored (the proxy counts the UploadPart
//! requests of the second run); downloads continue from the partial file (the proxy counts
//! the bytes of the second run); a changed object starts over.

mod s3_support;
use s3_support::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

/// A TCP proxy to `upstream` that moves at most `rate` bytes per second each way, all
/// connections together, and counts what passes.
struct Proxy {
    url: String,
    /// Bytes from the client (requests).
    up: Arc<AtomicU64>,
    /// Bytes from the server (responses).
    down: Arc<AtomicU64>,
    /// UploadPart requests seen.
    parts: Arc<AtomicU64>,
}

impl Proxy {
    fn start(upstream: &str, rate: u64) -> Proxy {
        let target = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (up, down, parts) = (
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicU64::new(0)),
            Arc::new(AtomicU64::new(0)),
        );
        let counters = (up.clone(), down.clone(), parts.clone());
        let limits = (Arc::new(Limit::new(rate)), Arc::new(Limit::new(rate)));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (up, down, parts) = counters.clone();
                let (lu, ld) = (limits.0.clone(), limits.1.clone());
                std::thread::spawn(move || pipe(client, server, &lu, up, Some(parts)));
                std::thread::spawn(move || pipe(s2, c2, &ld, down, None));
            }
        });
        Proxy {
            url,
            up,
            down,
            parts,
        }
    }

    fn reset(&self) {
        self.up.store(0, Ordering::SeqCst);
        self.down.store(0, Ordering::SeqCst);
        self.parts.store(0, Ordering::SeqCst);
    }
}

/// One direction's rate, shared by its connections.
struct Limit {
    rate: f64,
    start: Instant,
    moved: std::sync::Mutex<u64>,
}

impl Limit {
    fn new(rate: u64) -> Limit {
        Limit {
            rate: rate as f64,
            start: Instant::now(),
            moved: std::sync::Mutex::new(0),
        }
    }

    /// Counts `n` bytes and waits until the rate allows them.
    fn take(&self, n: usize) {
        let due = {
            let mut moved = self.moved.lock().unwrap();
            *moved += n as u64;
            Duration::from_secs_f64(*moved as f64 / self.rate)
        };
        if let Some(wait) = due.checked_sub(self.start.elapsed()) {
            std::thread::sleep(wait);
        }
    }
}

fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    limit: &Limit,
    count: Arc<AtomicU64>,
    parts: Option<Arc<AtomicU64>>,
) {
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some(p) = &parts {
            let text = String::from_utf8_lossy(&buf[..n]);
            p.fetch_add(text.matches("partNumber=").count() as u64, Ordering::SeqCst);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        count.fetch_add(n as u64, Ordering::SeqCst);
        limit.take(n);
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

/// Data without the text the proxy counts (`partNumber=`).
fn data(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i % 241) as u8 ^ seed).collect()
}

/// Waits (at most 60 s) until `done` says so.
fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stored_parts(url: &str, bucket: &str, key: &str) -> usize {
    let dir = std::env::temp_dir();
    let r = boto(
        url,
        &dir,
        &[
            "s3api",
            "list-multipart-uploads",
            "--bucket",
            bucket,
            "--output",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
    let Some(id) = v["Uploads"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["Key"] == key))
        .and_then(|u| u["UploadId"].as_str())
    else {
        return 0;
    };
    let r = boto(
        url,
        &dir,
        &[
            "s3api",
            "list-parts",
            "--bucket",
            bucket,
            "--key",
            key,
            "--upload-id",
            id,
            "--output",
            "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
    v["Parts"].as_array().map(Vec::len).unwrap_or(0)
}

#[test]
fn a_killed_upload_keeps_its_parts_and_finishes_on_the_next_run() {
    let url = moto();
    let b = bucket(url, "resume-up");
    let dir = workdir("resume-up");
    // 20 parts of 8 MiB through a 40 MiB/s proxy, 10 at a time: the first ones are stored
    // about halfway through the 4 s the file takes.
    let body = data(160 * MIB, 7);
    put_file(&dir, "big.bin", &body, 1_600_000_000);
    let proxy = Proxy::start(url, 40 * MIB as u64);
    let dst = format!("s3://{b}/big.bin");
    let mut child = boto_spawn(&proxy.url, &dir, &["s3", "cp", "big.bin", &dst]);
    wait_until(|| stored_parts(url, &b, "big.bin") >= 1);
    child.kill().unwrap();
    let _ = child.wait();
    let kept = stored_parts(url, &b, "big.bin");
    assert!(
        (1..=20).contains(&kept),
        "{kept} parts stored when the upload was killed"
    );
    assert!(
        keys(url, &b).is_empty(),
        "the upload must not have completed"
    );

    proxy.reset();
    let r = boto_ok(
        &proxy.url,
        &dir,
        &["s3", "cp", "big.bin", &dst, "--no-progress"],
    );
    assert_eq!(r.stdout, format!("upload: ./big.bin to {dst}\n"));
    let sent = proxy.parts.load(Ordering::SeqCst) as usize;
    assert!(
        sent <= 20 - kept,
        "the second run sent {sent} parts, {kept} of 20 were stored"
    );
    assert_eq!(object(url, &b, "big.bin"), body);
    assert_eq!(stored_parts(url, &b, "big.bin"), 0, "the upload completed");
}

#[test]
fn a_stored_part_with_other_bytes_is_sent_again() {
    let url = moto();
    let b = bucket(url, "resume-check");
    let dir = workdir("resume-check");
    // 12 parts, 10 at a time through 20 MiB/s: the first ten are stored after 4 s, the last
    // two about 1 s later.
    let body = data(96 * MIB, 3);
    put_file(&dir, "f.bin", &body, 1_600_000_000);
    let proxy = Proxy::start(url, 20 * MIB as u64);
    let dst = format!("s3://{b}/f.bin");
    let mut child = boto_spawn(&proxy.url, &dir, &["s3", "cp", "f.bin", &dst]);
    wait_until(|| stored_parts(url, &b, "f.bin") >= 1);
    child.kill().unwrap();
    let _ = child.wait();
    // The file changes where the stored parts are: none of them may be kept.
    let changed = data(96 * MIB, 99);
    put_file(&dir, "f.bin", &changed, 1_600_000_000);
    proxy.reset();
    boto_ok(
        &proxy.url,
        &dir,
        &["s3", "cp", "f.bin", &dst, "--no-progress"],
    );
    assert_eq!(
        proxy.parts.load(Ordering::SeqCst),
        12,
        "every part is sent again"
    );
    assert_eq!(object(url, &b, "f.bin"), changed);
}

#[test]
fn a_killed_download_continues_from_the_partial_file() {
    let url = moto();
    let b = bucket(url, "resume-down");
    let dir = workdir("resume-down");
    let body = data(48 * MIB, 11);
    put_file(&dir, "up.bin", &body, 1_600_000_000);
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "up.bin", &format!("s3://{b}/big.bin")],
    );
    let proxy = Proxy::start(url, 16 * MIB as u64);
    let src = format!("s3://{b}/big.bin");
    let partial = dir.join("down.bin.boto-partial");
    let mut child = boto_spawn(&proxy.url, &dir, &["s3", "cp", &src, "down.bin"]);
    wait_until(|| {
        std::fs::metadata(&partial)
            .map(|m| m.len() >= 8 * MIB as u64)
            .unwrap_or(false)
    });
    child.kill().unwrap();
    let _ = child.wait();
    let had = std::fs::metadata(&partial).unwrap().len();
    assert!(had < body.len() as u64, "killed before the end");
    assert!(!dir.join("down.bin").exists());

    proxy.reset();
    let r = boto_ok(
        &proxy.url,
        &dir,
        &["s3", "cp", &src, "down.bin", "--no-progress"],
    );
    assert_eq!(r.stdout, format!("download: {src} to ./down.bin\n"));
    let fetched = proxy.down.load(Ordering::SeqCst);
    assert!(
        fetched < body.len() as u64 - had / 2,
        "the second run fetched {fetched} bytes; {had} of {} were there",
        body.len()
    );
    assert_eq!(std::fs::read(dir.join("down.bin")).unwrap(), body);
    assert!(!partial.exists());
}

#[test]
fn a_changed_object_restarts_the_download() {
    let url = moto();
    let b = bucket(url, "resume-changed");
    let dir = workdir("resume-changed");
    let first = data(16 * MIB, 1);
    put_file(&dir, "v1.bin", &first, 1_600_000_000);
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "v1.bin", &format!("s3://{b}/o.bin")],
    );
    let proxy = Proxy::start(url, 8 * MIB as u64);
    let src = format!("s3://{b}/o.bin");
    let partial = dir.join("o.bin.boto-partial");
    let mut child = boto_spawn(&proxy.url, &dir, &["s3", "cp", &src, "o.bin"]);
    wait_until(|| {
        std::fs::metadata(&partial)
            .map(|m| m.len() >= 2 * MIB as u64)
            .unwrap_or(false)
    });
    child.kill().unwrap();
    let _ = child.wait();
    // The object is replaced (same size, other bytes): the partial bytes are worthless.
    let second = data(16 * MIB, 2);
    put_file(&dir, "v2.bin", &second, 1_600_000_000);
    boto_ok(url, &dir, &["s3", "cp", "v2.bin", &src]);
    boto_ok(url, &dir, &["s3", "cp", &src, "o.bin", "--no-progress"]);
    assert_eq!(std::fs::read(dir.join("o.bin")).unwrap(), second);
}
