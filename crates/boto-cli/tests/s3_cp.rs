//! `boto s3 cp` and `mv` on moto: where files land, the lines aws-cli prints, filters in order,
//! dry runs, streams, the upload options, and the exit statuses.

mod s3_support;
use s3_support::*;

#[test]
fn single_files_go_up_and_down_with_aws_cli_lines() {
    let url = moto();
    let b = bucket(url, "cp-single");
    let dir = workdir("single");
    put_file(&dir, "a.txt", b"hello", 1_700_000_000);
    let up = boto_ok(url, &dir, &["s3", "cp", "a.txt", &format!("s3://{b}/")]);
    assert_eq!(up.stdout, format!("upload: ./a.txt to s3://{b}/a.txt\n"));
    let up = boto_ok(
        url,
        &dir,
        &["s3", "cp", "a.txt", &format!("s3://{b}/x/renamed")],
    );
    assert_eq!(
        up.stdout,
        format!("upload: ./a.txt to s3://{b}/x/renamed\n")
    );
    assert_eq!(keys(url, &b), ["a.txt", "x/renamed"]);

    std::fs::create_dir(dir.join("into")).unwrap();
    let down = boto_ok(
        url,
        &dir,
        &["s3", "cp", &format!("s3://{b}/x/renamed"), "into"],
    );
    assert_eq!(
        down.stdout,
        format!("download: s3://{b}/x/renamed to into/renamed\n")
    );
    assert_eq!(std::fs::read(dir.join("into/renamed")).unwrap(), b"hello");
    let down = boto_ok(
        url,
        &dir,
        &["s3", "cp", &format!("s3://{b}/a.txt"), "new/b.txt"],
    );
    assert_eq!(
        down.stdout,
        format!("download: s3://{b}/a.txt to new/b.txt\n")
    );
    // A download takes the object's modification time (sync compares it).
    let object_time = head(url, &b, "a.txt")["LastModified"]
        .as_str()
        .unwrap()
        .to_string();
    let mtime = std::fs::metadata(dir.join("new/b.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let secs = mtime
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(secs > 1_700_000_000, "{secs} vs {object_time}");

    let copy = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            &format!("s3://{b}/a.txt"),
            &format!("s3://{b}/copied/"),
        ],
    );
    assert_eq!(
        copy.stdout,
        format!("copy: s3://{b}/a.txt to s3://{b}/copied/a.txt\n")
    );
    assert_eq!(object(url, &b, "copied/a.txt"), b"hello");
}

#[test]
fn recursive_copies_keep_the_tree_and_apply_filters_in_order() {
    let url = moto();
    let b = bucket(url, "cp-tree");
    let dir = workdir("tree");
    for rel in ["src/a.txt", "src/b.jpg", "src/sub/c.txt", "src/sub/d.log"] {
        put_file(&dir, rel, rel.as_bytes(), 1_700_000_000);
    }
    // Exclude everything, then include *.txt: the later rule wins.
    let up = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "src",
            &format!("s3://{b}/p"),
            "--recursive",
            "--exclude",
            "*",
            "--include",
            "*.txt",
        ],
    );
    assert_eq!(
        up.lines(),
        [
            format!("upload: src/a.txt to s3://{b}/p/a.txt"),
            format!("upload: src/sub/c.txt to s3://{b}/p/sub/c.txt"),
        ]
    );
    // The other order: the include comes first, the exclude of everything last, nothing goes.
    let none = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "src",
            &format!("s3://{b}/q/"),
            "--recursive",
            "--include",
            "*.txt",
            "--exclude",
            "*",
        ],
    );
    assert_eq!(none.stdout, "");
    // Patterns are relative to the source directory and `*` crosses `/`.
    boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "src",
            &format!("s3://{b}/r/"),
            "--recursive",
            "--exclude",
            "sub/*",
        ],
    );
    assert_eq!(
        keys(url, &b),
        ["p/a.txt", "p/sub/c.txt", "r/a.txt", "r/b.jpg"]
    );
    // Down again, and S3 to S3.
    let down = boto_ok(
        url,
        &dir,
        &["s3", "cp", &format!("s3://{b}/p"), "back", "--recursive"],
    );
    assert_eq!(
        down.lines(),
        [
            format!("download: s3://{b}/p/a.txt to back/a.txt"),
            format!("download: s3://{b}/p/sub/c.txt to back/sub/c.txt"),
        ]
    );
    assert_eq!(
        std::fs::read(dir.join("back/sub/c.txt")).unwrap(),
        b"src/sub/c.txt"
    );
    let copy = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            &format!("s3://{b}/r/"),
            &format!("s3://{b}/s/"),
            "--recursive",
        ],
    );
    assert_eq!(copy.lines().len(), 2, "{copy:?}");
    assert!(keys(url, &b).contains(&"s/b.jpg".to_string()));
}

#[test]
fn dry_runs_print_and_change_nothing() {
    let url = moto();
    let b = bucket(url, "cp-dry");
    let dir = workdir("dry");
    put_file(&dir, "d/a.txt", b"a", 1_700_000_000);
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "d",
            &format!("s3://{b}/"),
            "--recursive",
            "--dryrun",
        ],
    );
    assert_eq!(
        r.stdout,
        format!("(dryrun) upload: d/a.txt to s3://{b}/a.txt\n")
    );
    assert!(keys(url, &b).is_empty());
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "d/a.txt", &format!("s3://{b}/a.txt")],
    );
    let r = boto_ok(
        url,
        &dir,
        &["s3", "rm", &format!("s3://{b}/a.txt"), "--dryrun"],
    );
    assert_eq!(r.stdout, format!("(dryrun) delete: s3://{b}/a.txt\n"));
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "mv",
            "d/a.txt",
            &format!("s3://{b}/m.txt"),
            "--dryrun",
        ],
    );
    assert_eq!(
        r.stdout,
        format!("(dryrun) move: d/a.txt to s3://{b}/m.txt\n")
    );
    assert!(dir.join("d/a.txt").exists());
    assert_eq!(keys(url, &b), ["a.txt"]);
}

#[test]
fn mv_removes_the_source_once_the_copy_is_in_place() {
    let url = moto();
    let b = bucket(url, "mv");
    let dir = workdir("mv");
    put_file(&dir, "a.txt", b"moving", 1_700_000_000);
    let r = boto_ok(
        url,
        &dir,
        &["s3", "mv", "a.txt", &format!("s3://{b}/a.txt")],
    );
    assert_eq!(r.stdout, format!("move: ./a.txt to s3://{b}/a.txt\n"));
    assert!(!dir.join("a.txt").exists());
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "mv",
            &format!("s3://{b}/a.txt"),
            &format!("s3://{b}/b.txt"),
        ],
    );
    assert_eq!(
        r.stdout,
        format!("move: s3://{b}/a.txt to s3://{b}/b.txt\n")
    );
    assert_eq!(keys(url, &b), ["b.txt"]);
    let r = boto_ok(url, &dir, &["s3", "mv", &format!("s3://{b}/b.txt"), "."]);
    assert_eq!(r.stdout, format!("move: s3://{b}/b.txt to ./b.txt\n"));
    assert!(keys(url, &b).is_empty());
    assert_eq!(std::fs::read(dir.join("b.txt")).unwrap(), b"moving");
    let same = boto(
        url,
        &dir,
        &["s3", "mv", &format!("s3://{b}/x"), &format!("s3://{b}/x")],
    );
    assert_eq!(same.status, 252, "{same:?}");
}

#[test]
fn dash_streams_stdin_up_and_the_object_to_stdout() {
    let url = moto();
    let b = bucket(url, "stream");
    let dir = workdir("stream");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let r = boto_with_stdin(
        url,
        &dir,
        &["s3", "cp", "-", &format!("s3://{b}/s.bin")],
        &data,
    );
    assert_eq!(r.status, 0, "{r:?}");
    // Streams print errors only, as aws-cli.
    assert_eq!(r.stdout, "");
    assert_eq!(object(url, &b, "s.bin"), data);
    let r = boto_ok(url, &dir, &["s3", "cp", &format!("s3://{b}/s.bin"), "-"]);
    assert_eq!(r.stdout.len(), String::from_utf8_lossy(&data).len());
    let rec = boto(
        url,
        &dir,
        &["s3", "cp", "-", &format!("s3://{b}/"), "--recursive"],
    );
    assert_eq!(rec.status, 252);
    assert!(
        rec.stderr
            .contains("Streaming currently is only compatible"),
        "{rec:?}"
    );
}

#[test]
fn upload_options_reach_the_object() {
    let url = moto();
    let b = bucket(url, "opts");
    let dir = workdir("opts");
    put_file(&dir, "page.html", b"<p>", 1_700_000_000);
    put_file(&dir, "data.bin.unknownext", b"?", 1_700_000_000);
    boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "page.html",
            &format!("s3://{b}/page.html"),
            "--storage-class",
            "STANDARD_IA",
            "--sse",
            "--acl",
            "public-read",
        ],
    );
    let h = head(url, &b, "page.html");
    assert_eq!(h["ContentType"], "text/html", "{h}");
    assert_eq!(h["StorageClass"], "STANDARD_IA", "{h}");
    assert_eq!(h["ServerSideEncryption"], "AES256", "{h}");
    boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "page.html",
            &format!("s3://{b}/typed"),
            "--content-type",
            "text/x-mine",
        ],
    );
    assert_eq!(head(url, &b, "typed")["ContentType"], "text/x-mine");
    boto_ok(
        url,
        &dir,
        &["s3", "cp", "data.bin.unknownext", &format!("s3://{b}/u")],
    );
    assert_ne!(head(url, &b, "u")["ContentType"], "text/html");
}

#[test]
fn exit_statuses_follow_aws_cli() {
    let url = moto();
    let b = bucket(url, "exit");
    let dir = workdir("exit");
    put_file(&dir, "a.txt", b"a", 1_700_000_000);
    // A usage error.
    let r = boto(
        url,
        &dir,
        &["s3", "cp", "a.txt", &format!("s3://{b}/"), "--bogus"],
    );
    assert_eq!(r.status, 252, "{r:?}");
    assert!(r.stderr.contains("Unknown options: --bogus"), "{r:?}");
    let r = boto(url, &dir, &["s3", "cp", "a.txt"]);
    assert_eq!(r.status, 252, "{r:?}");
    // A missing local path.
    let r = boto(url, &dir, &["s3", "cp", "nope.txt", &format!("s3://{b}/")]);
    assert_eq!(r.status, 255, "{r:?}");
    assert!(
        r.stderr
            .contains("The user-provided path nope.txt does not exist."),
        "{r:?}"
    );
    // A failed transfer: 1, and aws-cli's failure line.
    let r = boto(
        url,
        &dir,
        &["s3", "cp", "a.txt", "s3://no-such-bucket-here/a.txt"],
    );
    assert_eq!(r.status, 1, "{r:?}");
    assert!(
        r.stderr.starts_with("upload failed: ./a.txt to s3://no-such-bucket-here/a.txt An error occurred (NoSuchBucket)"),
        "{r:?}"
    );
    // A skipped file (a FIFO cannot be uploaded): 2, with a warning, the rest still goes.
    std::fs::create_dir(dir.join("t")).unwrap();
    put_file(&dir, "t/ok.txt", b"ok", 1_700_000_000);
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.join("t/pipe"))
        .status();
    if fifo.map(|s| s.success()).unwrap_or(false) {
        let r = boto(
            url,
            &dir,
            &["s3", "cp", "t", &format!("s3://{b}/t/"), "--recursive"],
        );
        assert_eq!(r.status, 2, "{r:?}");
        assert!(r.stderr.contains("warning: Skipping file t/pipe."), "{r:?}");
        assert_eq!(r.stdout, format!("upload: t/ok.txt to s3://{b}/t/ok.txt\n"));
    }
    // A missing object: HeadObject's 404, exit 1.
    let r = boto(url, &dir, &["s3", "cp", &format!("s3://{b}/missing"), "."]);
    assert_eq!(r.status, 1, "{r:?}");
    assert!(r.stderr.contains("HeadObject"), "{r:?}");
    // --quiet prints nothing, not even the failure; the status still tells.
    let r = boto(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "a.txt",
            "s3://no-such-bucket-here/a.txt",
            "--quiet",
        ],
    );
    assert_eq!(
        (r.status, r.stdout.as_str(), r.stderr.trim()),
        (1, "", ""),
        "{r:?}"
    );
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            "a.txt",
            &format!("s3://{b}/q"),
            "--only-show-errors",
        ],
    );
    assert_eq!(r.stdout, "");
}
