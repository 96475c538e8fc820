//! Every exit status aws-cli v2 documents (`aws help return-codes`), one test each, on moto
//! or a loopback socket.

mod support;
use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{boto_try, run, unique};

#[test]
fn status_0_on_success() {
    let r = boto_try(&["sqs", "list-queues"]);
    assert_eq!(r.status, 0, "{r:?}");
}

#[test]
fn status_1_when_a_call_command_fails() {
    let r = boto_try(&[
        "call",
        "s3",
        "HeadBucket",
        &format!("{{\"Bucket\": \"{}\"}}", unique("nobucket")),
    ]);
    assert_eq!(r.status, 1, "{r:?}");
}

#[test]
fn status_2_when_the_command_line_cannot_be_parsed() {
    let r = boto_try(&["sqs", "no-such-operation"]);
    assert_eq!(r.status, 2, "{r:?}");
    assert!(r.stderr.contains("Invalid choice"), "{r:?}");
}

#[test]
fn status_252_for_an_unknown_parameter() {
    let r = boto_try(&["sqs", "list-queues", "--no-such-flag", "x"]);
    assert_eq!(r.status, 252, "{r:?}");
    let r = boto_try(&["--output", "tabular", "sqs", "list-queues"]);
    assert_eq!(r.status, 252, "{r:?}");
    assert!(
        r.stderr.contains("yaml-stream"),
        "the choices are listed: {r:?}"
    );
    let r = boto_try(&["--color", "sometimes", "sqs", "list-queues"]);
    assert_eq!(r.status, 252, "{r:?}");
}

#[test]
fn status_253_for_a_missing_profile() {
    let r = boto_try(&["--profile", "no-such-profile", "sqs", "list-queues"]);
    assert_eq!(r.status, 253, "{r:?}");
}

#[test]
fn status_254_for_a_service_error() {
    let r = boto_try(&["s3api", "head-bucket", "--bucket", &unique("nobucket")]);
    assert_eq!(r.status, 254, "{r:?}");
    assert!(r.stderr.contains("An error occurred (404)"), "{r:?}");
}

#[test]
fn status_255_when_the_endpoint_cannot_be_reached() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let r = run(
        env!("CARGO_BIN_EXE_boto"),
        &["--endpoint-url", &url, "sqs", "list-queues"],
    );
    assert_eq!(r.status, 255, "{r:?}");
    assert!(!r.stderr.contains("panicked"), "{r:?}");
}

#[test]
fn status_130_on_ctrl_c() {
    // A server that takes the request and never answers, so the call is in flight when the
    // signal comes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        // Read until the client goes away.
        while conn.read(&mut buf).map(|n| n > 0).unwrap_or(false) {}
    });
    let home = std::env::temp_dir().join("boto-cli-test-home");
    let mut child = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(["--endpoint-url", &url, "--cli-read-timeout", "0"])
        .args(["sqs", "list-queues"])
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("no-credentials"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give it time to start and send the request.
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "boto ended early");
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(130), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "\n");
    let _ = held.join();
}
