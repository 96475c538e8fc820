//! The s3 commands on s3s-fs, a second S3 implementation that checks every signature: a tree
//! with a multipart-sized file goes up, is listed, synced down byte for byte, copied, and the
//! bucket is removed with `--force`. Skips when s3s-fs is not installed.

mod s3_support;
use s3_support::*;

#[test]
fn a_tree_round_trips_through_s3s() {
    let Some(url) = s3s() else {
        eprintln!("SKIPPED a_tree_round_trips_through_s3s: no s3s-fs (scripts/setup-test-env.sh)");
        return;
    };
    let dir = workdir("s3s");
    let big: Vec<u8> = (0..(9u32 << 20))
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    put_file(&dir, "src/big.bin", &big, 1_600_000_000);
    for i in 0..30 {
        put_file(
            &dir,
            &format!("src/small/{i:02}.txt"),
            format!("file {i}").as_bytes(),
            1_600_000_000,
        );
    }
    let b = unique("s3s").to_lowercase();
    boto_ok(url, &dir, &["s3", "mb", &format!("s3://{b}")]);
    let up = boto_ok(
        url,
        &dir,
        &["s3", "cp", "src", &format!("s3://{b}/t"), "--recursive"],
    );
    assert_eq!(up.lines().len(), 31, "{up:?}");
    let ls = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "ls",
            &format!("s3://{b}/t/"),
            "--recursive",
            "--summarize",
        ],
    );
    assert!(ls.stdout.contains("Total Objects: 31"), "{ls:?}");
    assert!(
        ls.stdout.contains(&format!(" {} t/big.bin", big.len())),
        "{ls:?}"
    );
    let down = boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/t"), "back"]);
    assert_eq!(down.lines().len(), 31, "{down:?}");
    assert_eq!(std::fs::read(dir.join("back/big.bin")).unwrap(), big);
    assert_eq!(
        std::fs::read(dir.join("back/small/07.txt")).unwrap(),
        b"file 7"
    );
    assert_eq!(
        boto_ok(url, &dir, &["s3", "sync", &format!("s3://{b}/t"), "back"]).stdout,
        ""
    );
    let copy = boto_ok(
        url,
        &dir,
        &[
            "s3",
            "cp",
            &format!("s3://{b}/t/big.bin"),
            &format!("s3://{b}/copy.bin"),
        ],
    );
    assert_eq!(
        copy.stdout,
        format!("copy: s3://{b}/t/big.bin to s3://{b}/copy.bin\n")
    );
    assert_eq!(object(url, &b, "copy.bin"), big);
    let rb = boto_ok(url, &dir, &["s3", "rb", &format!("s3://{b}"), "--force"]);
    assert!(
        rb.stdout.ends_with(&format!("remove_bucket: {b}\n")),
        "{rb:?}"
    );
}
