//! What the `boto s3` suites share: a fresh working directory per test, `boto` (and aws-cli
//! when installed) run inside it against one server, and the bucket contents as a list.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout lines, sorted (transfers finish in any order).
    pub fn lines(&self) -> Vec<String> {
        let mut l: Vec<String> = self.stdout.lines().map(str::to_string).collect();
        l.sort();
        l
    }
}

/// The moto server of this test binary: `MOTO_URL`, or one started by `scripts/server.sh`.
pub fn moto() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| std::env::var("MOTO_URL").unwrap_or_else(|_| start("moto")))
}

static S3S: OnceLock<Option<String>> = OnceLock::new();

/// The access key and secret for `url`: s3s-fs's when it is the s3s-fs server, else moto's.
fn credentials(url: &str) -> (&'static str, &'static str) {
    if S3S.get().and_then(|u| u.as_deref()) == Some(url) {
        ("boto-test", "boto-test-secret")
    } else {
        ("testing", "testing")
    }
}

/// An s3s-fs server of this test binary (credentials boto-test / boto-test-secret), or `None`
/// when the binary is not installed (scripts/setup-test-env.sh installs it).
pub fn s3s() -> Option<&'static str> {
    S3S.get_or_init(|| {
        if let Ok(url) = std::env::var("S3S_URL") {
            return Some(url);
        }
        let home = std::env::var("HOME").unwrap_or_default();
        let tools = std::env::var("BOTO_TOOLS_DIR")
            .unwrap_or_else(|_| format!("{home}/.cache/boto-rs/tools"));
        Path::new(&format!("{tools}/bin/s3s-fs"))
            .exists()
            .then(|| start("s3s"))
    })
    .as_deref()
}

fn start(kind: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(format!("{root}/scripts/server.sh"))
        .arg(kind)
        .env("SERVER_WATCH_PID", std::process::id().to_string())
        .output()
        .expect("scripts/server.sh runs (run scripts/setup-test-env.sh first)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// aws-cli 1.46.2: `$HOME/.cache/boto-rs/awscli-venv`, else `/tmp/awscli-venv`.
pub fn awscli() -> Option<String> {
    let home = std::env::var("HOME").unwrap_or_default();
    [
        format!("{home}/.cache/boto-rs/awscli-venv/bin/aws"),
        "/tmp/awscli-venv/bin/aws".to_string(),
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
}

/// A name unique to this test run.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh, empty working directory.
pub fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(&format!("boto-s3-{name}")));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `content` to `dir/rel` (making its directories) with the modification time `mtime`
/// (seconds since the epoch), so time comparisons do not hang on the clock.
pub fn put_file(dir: &Path, rel: &str, content: &[u8], mtime: u64) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    set_mtime(&path, mtime);
    path
}

/// Sets a file's modification time.
pub fn set_mtime(path: &Path, secs: u64) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// Seconds since the epoch now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn command(program: &str, url: &str, cwd: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.arg("--endpoint-url").arg(url).args(args).current_dir(cwd);
    test_env(&mut c, url);
    c
}

/// Test credentials for `url`, no shared files, region us-east-1, UTC.
fn test_env(c: &mut Command, url: &str) {
    let home = std::env::temp_dir().join("boto-s3-test-home");
    let _ = std::fs::create_dir_all(&home);
    let (key, secret) = credentials(url);
    c.env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", key)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env("TZ", "UTC")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION");
}

fn finish(out: std::process::Output) -> Run {
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `boto --endpoint-url URL args...` in `cwd`, whatever its exit status.
pub fn boto(url: &str, cwd: &Path, args: &[&str]) -> Run {
    boto_with_stdin(url, cwd, args, b"")
}

/// The same, with `input` on stdin.
pub fn boto_with_stdin(url: &str, cwd: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = command(env!("CARGO_BIN_EXE_boto"), url, cwd, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    finish(out)
}

/// `boto --endpoint-url URL args...` in `cwd`, started and left running (stdout and stderr
/// discarded), for tests that stop it midway.
pub fn boto_spawn(url: &str, cwd: &Path, args: &[&str]) -> std::process::Child {
    command(env!("CARGO_BIN_EXE_boto"), url, cwd, args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `boto --endpoint-url URL args...` in `cwd` on a pseudo-terminal (util-linux `script`), with
/// what the terminal showed (stdout and stderr together); `None` without `script`.
pub fn boto_on_terminal(url: &str, cwd: &Path, args: &[&str]) -> Option<Run> {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let line = [env!("CARGO_BIN_EXE_boto"), "--endpoint-url", url]
        .into_iter()
        .chain(args.iter().copied())
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ");
    let mut c = Command::new("script");
    c.args(["-qefc", &line, "/dev/null"]).current_dir(cwd);
    test_env(&mut c, url);
    let out = c.stdin(Stdio::null()).output().ok()?;
    Some(finish(out))
}

/// `boto ...` that must succeed; its run.
pub fn boto_ok(url: &str, cwd: &Path, args: &[&str]) -> Run {
    let r = boto(url, cwd, args);
    assert_eq!(r.status, 0, "boto {args:?}: {}{}", r.stdout, r.stderr);
    r
}

/// `aws --endpoint-url URL args...` in `cwd`.
pub fn aws(program: &str, url: &str, cwd: &Path, args: &[&str]) -> Run {
    finish(command(program, url, cwd, args).output().unwrap())
}

/// A new bucket on `url`.
pub fn bucket(url: &str, prefix: &str) -> String {
    let name = unique(prefix).to_lowercase();
    let dir = std::env::temp_dir();
    boto_ok(url, &dir, &["s3", "mb", &format!("s3://{name}")]);
    name
}

/// Every key in `bucket` with its size, in key order.
pub fn contents(url: &str, bucket: &str) -> Vec<(String, u64)> {
    let dir = std::env::temp_dir();
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3api",
            "list-objects-v2",
            "--bucket",
            bucket,
            "--output",
            "json",
        ],
    );
    let v: serde_json::Value = if r.stdout.trim().is_empty() {
        serde_json::json!({})
    } else {
        serde_json::from_str(&r.stdout).unwrap()
    };
    v["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| {
                    (
                        o["Key"].as_str().unwrap().to_string(),
                        o["Size"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The keys in `bucket`.
pub fn keys(url: &str, bucket: &str) -> Vec<String> {
    contents(url, bucket).into_iter().map(|(k, _)| k).collect()
}

/// `bucket`/`key`'s HeadObject, as JSON.
pub fn head(url: &str, bucket: &str, key: &str) -> serde_json::Value {
    let dir = std::env::temp_dir();
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3api",
            "head-object",
            "--bucket",
            bucket,
            "--key",
            key,
            "--output",
            "json",
        ],
    );
    serde_json::from_str(&r.stdout).unwrap()
}

/// `bucket`/`key`'s bytes.
pub fn object(url: &str, bucket: &str, key: &str) -> Vec<u8> {
    let dir = std::env::temp_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args([
            "--endpoint-url",
            url,
            "s3",
            "cp",
            &format!("s3://{bucket}/{key}"),
            "-",
        ])
        .env(
            "AWS_ACCESS_KEY_ID",
            if url == moto() {
                "testing"
            } else {
                "boto-test"
            },
        )
        .env(
            "AWS_SECRET_ACCESS_KEY",
            if url == moto() {
                "testing"
            } else {
                "boto-test-secret"
            },
        )
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
