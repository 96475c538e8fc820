//! Test support: real servers (moto, s3s-fs) on free loopback ports, and sessions pointed at them with
//! fixed test credentials and an empty environment (the machine's `~/.aws` never leaks in).
#![allow(dead_code)]

pub mod tls;

use boto::{Credentials, Session};
use boto_core::config::Env;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// A server's URL: `$var` when the caller runs one (scripts/test.sh does), else one started for
/// this test process by `scripts/server.sh KIND` (it stops when this process exits).
fn server_url(kind: &str, var: &str) -> String {
    if let Ok(url) = std::env::var(var) {
        return url;
    }
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(format!("{root}/scripts/server.sh"))
        .arg(kind)
        .env("SERVER_WATCH_PID", std::process::id().to_string())
        .output()
        .expect("scripts/server.sh runs (run scripts/setup-test-env.sh first)");
    assert!(
        out.status.success(),
        "{kind} did not start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// moto's server (S3, SQS, STS, ...).
pub fn moto_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| server_url("moto", "MOTO_URL")).clone()
}

/// s3s-fs, an S3 server that verifies SigV4 (keys `boto-test` / `boto-test-secret`).
pub fn s3s_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| server_url("s3s", "S3S_URL")).clone()
}

/// A session on s3s-fs with its access key and `secret` (pass a wrong one to test rejection).
pub fn s3s_session(secret: &str) -> Session {
    Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .endpoint_url(s3s_url())
        .credentials(Credentials::from_keys("boto-test", secret, None))
        .build()
        .expect("session builds")
}

/// An isolated environment: nothing from the machine.
pub fn empty_env() -> Env {
    Env::from_vars([("HOME", "/nonexistent-boto-test-home")])
}

/// A session on the server at `url` in `region`, with fixed keys and an empty environment.
pub fn session_at(url: &str, region: &str) -> Session {
    Session::builder()
        .env(empty_env())
        .region_name(region)
        .endpoint_url(url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build()
        .expect("session builds")
}

/// A session on moto in `region` with test credentials.
pub fn session(region: &str) -> Session {
    Session::builder()
        .env(empty_env())
        .region_name(region)
        .endpoint_url(moto_url())
        .credentials(Credentials::from_keys("testing", "testing", None))
        .build()
        .expect("session builds")
}

/// A name unique to this test process and call, for buckets and queues.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Reads a request's head (request line and headers, without the blank line) and its
/// `Content-Length` (0 when it has none).
pub fn read_head(reader: &mut impl std::io::BufRead) -> (String, usize) {
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        head.push_str(&line);
    }
    (head, length)
}

/// A scripted loopback HTTP server for what no real server does: it answers the i-th connection
/// with `responses[i]` (raw HTTP) and returns each request's head (request line and headers).
/// It answers once the head is in, without reading the body.
pub fn scripted_server(responses: Vec<String>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let (url, handle) = serve(responses, false);
    let heads = std::thread::spawn(move || {
        let seen = handle.join().unwrap();
        seen.into_iter().map(|(head, _)| head).collect()
    });
    (url, heads)
}

/// The requests a [`recording_server`] received: head and body of each.
pub type Recorded = Vec<(String, Vec<u8>)>;

/// [`scripted_server`] that also reads and keeps each request's body (by its `Content-Length`)
/// before it answers.
pub fn recording_server(responses: Vec<String>) -> (String, std::thread::JoinHandle<Recorded>) {
    serve(responses, true)
}

fn serve(responses: Vec<String>, read_body: bool) -> (String, std::thread::JoinHandle<Recorded>) {
    use std::io::{BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for response in responses {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (head, length) = read_head(&mut reader);
            let mut body = vec![0; if read_body { length } else { 0 }];
            reader.read_exact(&mut body).unwrap();
            stream.write_all(response.as_bytes()).unwrap();
            seen.push((head, body));
        }
        seen
    });
    (url, handle)
}

/// Runs `script` with the pinned boto3's Python (the repository's `.venv`), `args` as
/// `sys.argv[1:]` and `stdin` on its standard input, and returns what it printed, as JSON.
pub fn python_json(script: &str, args: &[&str], stdin: &str) -> serde_json::Value {
    use std::io::Write;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("boto3 printed JSON")
}

/// `len` bytes that depend on `seed`, so data from two tests (or two parts) never match by chance.
pub fn test_bytes(len: usize, seed: u32) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
        .collect()
}

/// A path under the system temp dir that no other test uses.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(unique(name))
}
