//! Running the `boto` binary (and aws-cli, when installed) against one moto server.

#![allow(dead_code)]

use std::process::Command;
use std::sync::OnceLock;

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The moto server of this test binary: `MOTO_URL`, or one started by `scripts/server.sh`.
pub fn moto_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("MOTO_URL") {
            return url;
        }
        own_moto()
    })
}

/// A moto server of this test binary alone (for listings that other tests must not change).
pub fn own_moto() -> String {
    {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let out = Command::new(format!("{root}/scripts/server.sh"))
            .arg("moto")
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
}

/// A program run with test credentials, no shared files, region us-east-1.
pub fn run(program: &str, args: &[&str]) -> Run {
    let home = std::env::temp_dir().join("boto-cli-test-home");
    let _ = std::fs::create_dir_all(&home);
    let out = Command::new(program)
        .args(args)
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .output()
        .unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `boto --endpoint-url MOTO args...`, whatever its exit status.
pub fn boto_try(args: &[&str]) -> Run {
    boto_at(moto_url(), args)
}

/// `boto --endpoint-url URL args...`, whatever its exit status.
pub fn boto_at(url: &str, args: &[&str]) -> Run {
    let mut all = vec!["--endpoint-url", url];
    all.extend_from_slice(args);
    run(env!("CARGO_BIN_EXE_boto"), &all)
}

/// `boto --endpoint-url MOTO args...`, which must succeed; its stdout.
pub fn boto(args: &[&str]) -> String {
    let r = boto_try(args);
    assert_eq!(r.status, 0, "boto {args:?}: {}", r.stderr);
    r.stdout
}

/// The JSON that boto printed.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = boto(args);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("boto {args:?} printed no JSON ({e}): {out}"))
}

/// A name unique to this test run.
pub fn unique(prefix: &str) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos}", std::process::id())
}
