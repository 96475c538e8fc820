//! `boto s3 sync` decisions on moto: new files, changed sizes, newer times (both directions,
//! with aws-cli's download quirk), `--size-only`, `--exact-timestamps`, `--delete` with filters,
//! and `--checksum`.

mod s3_support;
use s3_support::*;

const OLD: u64 = 1_600_000_000;

#[test]
fn uploads_what_is_new_bigger_or_newer_and_nothing_else() {
    let url = moto();
    let b = bucket(url, "sync-up");
    let dir = workdir("sync-up");
    put_file(&dir, "src/same.txt", b"same", OLD);
    put_file(&dir, "src/grows.txt", b"v1", OLD);
    put_file(&dir, "src/touched.txt", b"t1", OLD);
    let dst = format!("s3://{b}/");
    let first = boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    assert_eq!(first.lines().len(), 3, "{first:?}");
    // Nothing changed: nothing moves.
    let again = boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    assert_eq!(again.stdout, "", "{again:?}");
    put_file(&dir, "src/grows.txt", b"version 2", OLD);
    // Same size, but modified after the upload.
    put_file(&dir, "src/touched.txt", b"t2", now() + 60);
    put_file(&dir, "src/new/file.txt", b"new", OLD);
    let r = boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    assert_eq!(
        r.lines(),
        [
            format!("upload: src/grows.txt to s3://{b}/grows.txt"),
            format!("upload: src/new/file.txt to s3://{b}/new/file.txt"),
            format!("upload: src/touched.txt to s3://{b}/touched.txt"),
        ]
    );
    assert_eq!(object(url, &b, "touched.txt"), b"t2");
    // --size-only ignores the newer time.
    put_file(&dir, "src/same.txt", b"SAME", now() + 60);
    let r = boto_ok(url, &dir, &["s3", "sync", "src", &dst, "--size-only"]);
    assert_eq!(r.stdout, "", "{r:?}");
    assert_eq!(object(url, &b, "same.txt"), b"same");
}

#[test]
fn downloads_follow_aws_cli_time_rule_and_exact_timestamps() {
    let url = moto();
    let b = bucket(url, "sync-down");
    let dir = workdir("sync-down");
    put_file(&dir, "src/a.txt", b"aaaa", OLD);
    put_file(&dir, "src/d/b.txt", b"bb", OLD);
    boto_ok(url, &dir, &["s3", "sync", "src", &format!("s3://{b}/p")]);
    let r = boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/p"), "out"]);
    assert_eq!(
        r.lines(),
        [
            format!("download: s3://{b}/p/a.txt to out/a.txt"),
            format!("download: s3://{b}/p/d/b.txt to out/d/b.txt"),
        ]
    );
    // The files took the objects' times: a second sync has nothing to do.
    assert_eq!(
        boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/p"), "out"]).stdout,
        ""
    );
    // An older local file of the same size stays (aws-cli downloads only when the local file
    // is newer) ...
    set_mtime(&dir.join("out/a.txt"), OLD);
    assert_eq!(
        boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/p"), "out"]).stdout,
        ""
    );
    // ... unless --exact-timestamps, which wants the times equal.
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "sync",
            &format!("s3://{b}/p"),
            "out",
            "--exact-timestamps",
        ],
    );
    assert_eq!(
        r.stdout,
        format!("download: s3://{b}/p/a.txt to out/a.txt\n")
    );
    // A newer local file of the same size is replaced (aws-cli's rule, quirk included).
    put_file(&dir, "out/d/b.txt", b"XX", now() + 60);
    let r = boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/p"), "out"]);
    assert_eq!(
        r.stdout,
        format!("download: s3://{b}/p/d/b.txt to out/d/b.txt\n")
    );
    assert_eq!(std::fs::read(dir.join("out/d/b.txt")).unwrap(), b"bb");
}

#[test]
fn delete_removes_what_the_source_lacks_except_excluded_files() {
    let url = moto();
    let b = bucket(url, "sync-del");
    let dir = workdir("sync-del");
    for rel in ["src/keep.txt", "src/gone.txt", "src/skip.log"] {
        put_file(&dir, rel, b"x", OLD);
    }
    let dst = format!("s3://{b}/");
    boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    std::fs::remove_file(dir.join("src/gone.txt")).unwrap();
    std::fs::remove_file(dir.join("src/skip.log")).unwrap();
    // Without --delete nothing goes away.
    assert_eq!(boto_ok(url, &dir, &["s3", "sync", "src", &dst]).stdout, "");
    let dry = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "sync",
            "src",
            &dst,
            "--delete",
            "--exclude",
            "*.log",
            "--dryrun",
        ],
    );
    assert_eq!(dry.stdout, format!("(dryrun) delete: s3://{b}/gone.txt\n"));
    let r = boto_ok(
        url,
        &dir,
        &["s3", "sync", "src", &dst, "--delete", "--exclude", "*.log"],
    );
    assert_eq!(r.stdout, format!("delete: s3://{b}/gone.txt\n"));
    assert_eq!(keys(url, &b), ["keep.txt", "skip.log"]);
    // Downwards, --delete removes local files.
    put_file(&dir, "local/extra.txt", b"e", OLD);
    let r = boto_ok(url, &dir, &["s3", "sync", &dst, "local", "--delete"]);
    assert!(
        r.lines().contains(&"delete: local/extra.txt".to_string()),
        "{r:?}"
    );
    assert!(!dir.join("local/extra.txt").exists());
    assert!(dir.join("local/keep.txt").exists());
}

#[test]
fn checksum_compares_content_not_time() {
    let url = moto();
    let b = bucket(url, "sync-sum");
    let dir = workdir("sync-sum");
    put_file(&dir, "src/a.txt", b"abcd", OLD);
    put_file(&dir, "src/b.txt", b"wxyz", OLD);
    let dst = format!("s3://{b}/");
    boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    // Both touched to the future; only b's bytes changed (same size).
    put_file(&dir, "src/a.txt", b"abcd", now() + 60);
    put_file(&dir, "src/b.txt", b"WXYZ", now() + 60);
    let r = boto_ok(url, &dir, &["s3", "sync", "src", &dst, "--checksum"]);
    assert_eq!(r.stdout, format!("upload: src/b.txt to s3://{b}/b.txt\n"));
    // Without --checksum the newer time alone re-uploads a (b is set back in time first).
    set_mtime(&dir.join("src/b.txt"), OLD);
    let r = boto_ok(url, &dir, &["s3", "sync", "src", &dst]);
    assert_eq!(r.stdout, format!("upload: src/a.txt to s3://{b}/a.txt\n"));
    // Downwards: a local file with other bytes of the same size is fetched again.
    boto_ok(url, &dir, &["s3", "sync", &dst, "down"]);
    put_file(&dir, "down/a.txt", b"ABCD", OLD);
    put_file(&dir, "down/b.txt", b"WXYZ", OLD);
    let r = boto_ok(url, &dir, &["s3", "sync", &dst, "down", "--checksum"]);
    assert_eq!(
        r.stdout,
        format!("download: s3://{b}/a.txt to down/a.txt\n")
    );
    assert_eq!(std::fs::read(dir.join("down/a.txt")).unwrap(), b"abcd");
}

#[test]
fn s3_to_s3_sync_copies_and_a_missing_source_fails() {
    let url = moto();
    let b = bucket(url, "sync-s3");
    let dir = workdir("sync-s3");
    put_file(&dir, "src/a.txt", b"a", OLD);
    boto_ok(url, &dir, &["s3", "sync", "src", &format!("s3://{b}/one/")]);
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "sync",
            &format!("s3://{b}/one"),
            &format!("s3://{b}/two"),
        ],
    );
    assert_eq!(
        r.stdout,
        format!("copy: s3://{b}/one/a.txt to s3://{b}/two/a.txt\n")
    );
    let r = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "sync",
            &format!("s3://{b}/one"),
            &format!("s3://{b}/two"),
        ],
    );
    assert_eq!(r.stdout, "");
    let r = boto(
        url,
        &dir,
        &["s3", "sync", "no-such-dir", &format!("s3://{b}/")],
    );
    assert_eq!(r.status, 255, "{r:?}");
    let r = boto(
        url,
        &dir,
        &["s3", "sync", "src", &format!("s3://{b}/"), "--recursive"],
    );
    assert_eq!(r.status, 252, "{r:?}");
}
