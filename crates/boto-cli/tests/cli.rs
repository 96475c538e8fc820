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

fn moto_url() -> String {
    if let Ok(url) = std::env::var("MOTO_URL") {
        return url;
    }
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

fn boto_at(url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(["--endpoint-url", url, "--region", "us-east-1"])
        .args(args)
        .env("HOME", "/nonexistent-boto-home")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn s3_ls_cp_presign_rm() {
    let url = moto_url();
    let bucket = format!("cli-{}", std::process::id());
    boto_at(
        &url,
        &[
            "call",
            "s3",
            "CreateBucket",
            &format!("{{\"Bucket\": \"{bucket}\"}}"),
        ],
    );
    let dir = std::env::temp_dir().join(format!("boto-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("hello.txt");
    std::fs::write(&src, "hello from the cli").unwrap();
    let target = format!("s3://{bucket}/dir/");
    boto_at(&url, &["s3", "cp", src.to_str().unwrap(), &target]);
    let listing = boto_at(&url, &["s3", "ls", &target]);
    // aws-cli's layout: one level below the prefix, names without it.
    assert!(
        listing
            .lines()
            .any(|l| l.ends_with("         18 hello.txt")),
        "{listing}"
    );
    let buckets = boto_at(&url, &["s3", "ls"]);
    assert!(buckets.contains(&bucket), "{buckets}");
    let back = dir.join("back.txt");
    boto_at(
        &url,
        &[
            "s3",
            "cp",
            &format!("s3://{bucket}/dir/hello.txt"),
            back.to_str().unwrap(),
        ],
    );
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        "hello from the cli"
    );
    let presigned = boto_at(
        &url,
        &[
            "s3",
            "presign",
            &format!("s3://{bucket}/dir/hello.txt"),
            "--expires-in",
            "60",
        ],
    );
    assert!(presigned.contains("X-Amz-Expires=60"), "{presigned}");
    boto_at(&url, &["s3", "rm", &format!("s3://{bucket}/dir/hello.txt")]);
    // Listing the emptied prefix would exit 1 as aws-cli does (no match): list the bucket.
    let after = boto_at(
        &url,
        &["s3", "ls", &format!("s3://{bucket}"), "--recursive"],
    );
    assert!(!after.contains("hello.txt"), "{after}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The CLI embeds every service (boto's `full` feature), not only the default few.
#[test]
fn services_beyond_the_default_set() {
    let url = moto_url();
    let created = boto_at(
        &url,
        &[
            "call",
            "kms",
            "CreateKey",
            r#"{"Description": "boto-cli test"}"#,
        ],
    );
    let key_id =
        json_string_after(&created, "\"KeyId\"").unwrap_or_else(|| panic!("no KeyId in {created}"));
    let keys = boto_at(&url, &["call", "kms", "list_keys"]);
    assert!(keys.contains(&key_id), "{key_id} not in {keys}");
    let functions = boto_at(&url, &["call", "lambda", "list_functions"]);
    assert!(functions.contains("\"Functions\""), "{functions}");
}

/// The first JSON string value after `key` in `text` (the CLI prints JSON; the test needs one id).
fn json_string_after(text: &str, key: &str) -> Option<String> {
    let rest = &text[text.find(key)? + key.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}
