//! The `boto` binary: usage errors and unknown names fail with a message, never a panic.

use std::process::Command;

fn boto(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(args)
        .env("HOME", "/nonexistent-boto-home")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_and_unknown_names() {
    let (ok, _, err) = boto(&[]);
    assert!(!ok && err.contains("usage: boto"), "{err}");
    let (ok, _, err) = boto(&["--region", "us-east-1", "call", "sqss", "ListQueues"]);
    assert!(!ok && err.contains("did you mean sqs"), "{err}");
    let (ok, _, err) = boto(&[
        "--region",
        "us-east-1",
        "call",
        "sqs",
        "ListQueues",
        "{not json",
    ]);
    assert!(!ok && err.contains("not JSON"), "{err}");
    let (ok, _, err) = boto(&["--region"]);
    assert!(!ok && err.contains("needs a value"), "{err}");
}
