//! `boto s3 ls`, `mb`, `rb`, `rm` and `presign` on moto, with aws-cli's layouts and statuses.

mod s3_support;
use s3_support::*;

fn fill(url: &str, b: &str) -> std::path::PathBuf {
    let dir = workdir("ls");
    put_file(&dir, "t/a.txt", &[b'a'; 10], 1_700_000_000);
    put_file(&dir, "t/d/b.bin", &[b'b'; 2048], 1_700_000_000);
    put_file(&dir, "t/d/e/c.bin", &[b'c'; 1], 1_700_000_000);
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "t", &format!("s3://{b}/"), "--recursive"],
    );
    dir
}

/// `2026-12-02 14:24:41` at the start of each object line.
fn strip_time(line: &str) -> &str {
    if line.len() > 20 && line.as_bytes()[4] == b'-' && line.as_bytes()[13] == b':' {
        &line[20..]
    } else {
        line
    }
}

#[test]
fn ls_prints_one_level_or_everything_like_aws_cli() {
    let url = moto();
    let b = bucket(url, "ls");
    let dir = fill(url, &b);
    let top = boto_ok(url, &dir, &["s3", "ls", &format!("s3://{b}")]);
    let lines: Vec<&str> = top.stdout.lines().map(strip_time).collect();
    assert_eq!(
        lines,
        ["                           PRE d/", "        10 a.txt"]
    );
    let sub = boto_ok(url, &dir, &["s3", "ls", &format!("s3://{b}/d/")]);
    let lines: Vec<&str> = sub.stdout.lines().map(strip_time).collect();
    assert_eq!(
        lines,
        ["                           PRE e/", "      2048 b.bin"]
    );
    let all = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "ls",
            &format!("s3://{b}"),
            "--recursive",
            "--human-readable",
            "--summarize",
        ],
    );
    let lines: Vec<&str> = all.stdout.lines().map(strip_time).collect();
    assert_eq!(
        lines,
        [
            "  10 Bytes a.txt",
            "   2.0 KiB d/b.bin",
            "    1 Byte d/e/c.bin",
            "",
            "Total Objects: 3",
            "   Total Size: 2.0 KiB",
        ]
    );
    let first = all.stdout.lines().next().unwrap();
    assert_eq!(&first[4..5], "-", "{first}");
    // Buckets, with their creation time.
    let buckets = boto_ok(url, &dir, &["s3", "ls"]);
    assert!(
        buckets.stdout.lines().any(|l| strip_time(l) == b),
        "{buckets:?}"
    );
    // A prefix that matches nothing exits 1, a bucket that does not exist 254.
    let none = boto(url, &dir, &["s3", "ls", &format!("s3://{b}/nothing-here")]);
    assert_eq!((none.status, none.stdout.as_str()), (1, ""), "{none:?}");
    let missing = boto(url, &dir, &["s3", "ls", "s3://no-such-bucket-for-ls"]);
    assert_eq!(missing.status, 254, "{missing:?}");
    assert!(missing.stderr.contains("NoSuchBucket"), "{missing:?}");
}

#[test]
fn rm_removes_one_object_or_a_filtered_tree() {
    let url = moto();
    let b = bucket(url, "rm");
    let dir = fill(url, &b);
    let r = boto_ok(url, &dir, &["s3", "rm", &format!("s3://{b}/a.txt")]);
    assert_eq!(r.stdout, format!("delete: s3://{b}/a.txt\n"));
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "rm",
            &format!("s3://{b}/d"),
            "--recursive",
            "--exclude",
            "e/*",
        ],
    );
    assert_eq!(r.stdout, format!("delete: s3://{b}/d/b.bin\n"));
    assert_eq!(keys(url, &b), ["d/e/c.bin"]);
    let r = boto(url, &dir, &["s3", "rm", "local-path"]);
    assert_eq!(r.status, 252, "{r:?}");
}

#[test]
fn mb_and_rb_with_and_without_force() {
    let url = moto();
    let dir = workdir("mb");
    let name = unique("mb").to_lowercase();
    let r = boto_ok(url, &dir, &["s3", "mb", &format!("s3://{name}")]);
    assert_eq!(r.stdout, format!("make_bucket: {name}\n"));
    let bad = boto(url, &dir, &["s3", "mb", "s3://ab"]);
    assert_eq!(bad.status, 1, "{bad:?}");
    assert!(
        bad.stderr
            .starts_with("make_bucket failed: s3://ab An error occurred (InvalidBucketName)"),
        "{bad:?}"
    );
    put_file(&dir, "x.txt", b"x", 1_700_000_000);
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "x.txt", &format!("s3://{name}/k/x.txt")],
    );
    let full = boto(url, &dir, &["s3", "rb", &format!("s3://{name}")]);
    assert_eq!(full.status, 1, "{full:?}");
    assert!(
        full.stderr.contains("remove_bucket failed") && full.stderr.contains("BucketNotEmpty"),
        "{full:?}"
    );
    let r = boto_ok(url, &dir, &["s3", "rb", &format!("s3://{name}"), "--force"]);
    assert_eq!(
        r.stdout,
        format!("delete: s3://{name}/k/x.txt\nremove_bucket: {name}\n")
    );
    let key = boto(url, &dir, &["s3", "rb", &format!("s3://{name}/k")]);
    assert_eq!(key.status, 252, "{key:?}");
    let local = boto(url, &dir, &["s3", "mb", "not-a-url"]);
    assert_eq!(local.status, 252, "{local:?}");
}

#[test]
fn presign_gives_a_working_url() {
    let url = moto();
    let b = bucket(url, "presign");
    let dir = fill(url, &b);
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "presign",
            &format!("s3://{b}/a.txt"),
            "--expires-in",
            "90",
        ],
    );
    let link = r.stdout.trim();
    assert!(
        link.contains("X-Amz-Expires=90") && link.contains("a.txt"),
        "{link}"
    );
    let r = boto_ok(url, &dir, &["s3", "presign", &format!("s3://{b}/a.txt")]);
    assert!(r.stdout.contains("X-Amz-Expires=3600"), "{r:?}");
    let bad = boto(
        url,
        &dir,
        &[
            "s3",
            "presign",
            &format!("s3://{b}/a.txt"),
            "--expires-in",
            "soon",
        ],
    );
    assert_eq!(bad.status, 252, "{bad:?}");
}

#[test]
fn s3_help_lists_the_commands() {
    let dir = workdir("help");
    let r = boto_ok(moto(), &dir, &["s3", "help"]);
    for command in ["ls", "cp|mv", "sync", "rm", "mb", "rb", "presign"] {
        assert!(
            r.stdout.contains(&format!("s3 {command} ")),
            "{command}: {r:?}"
        );
    }
    let r = boto(moto(), &dir, &["s3", "frob"]);
    assert_eq!(r.status, 252, "{r:?}");
    assert!(r.stderr.contains("Invalid choice"), "{r:?}");
}
