//! boto3's injected S3 conveniences (`upload_fileobj`, `download_fileobj`, managed `copy`, on
//! the client, Bucket and Object), progress callbacks and the bandwidth limit, on s3s-fs and
//! moto, async and blocking; and a managed copy compared with boto3's on the same server.

mod support;

use boto::transfer::{self, Progress, TransferConfig};
use boto::{doc, Document, Session};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use support::{moto_url, s3s_session, session, temp_path, test_bytes, unique};

const MIB: usize = 1 << 20;

/// Three parts (moto and s3s-fs want 5 MiB parts but the last).
fn parts_config() -> TransferConfig {
    TransferConfig {
        multipart_threshold: 5 * MIB as u64,
        multipart_chunksize: 5 * MIB as u64,
        ..Default::default()
    }
}

async fn new_bucket(s: &Session) -> String {
    let name = unique("conv");
    s.client("s3")
        .unwrap()
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    name
}

async fn stored(s: &Session, bucket: &str, key: &str) -> Vec<u8> {
    let out = s
        .client("s3")
        .unwrap()
        .call("GetObject", doc! {"Bucket": bucket, "Key": key})
        .await
        .unwrap();
    out["Body"].as_blob().unwrap().to_vec()
}

async fn conveniences(s: &Session) {
    let b = new_bucket(s).await;
    let client = s.client("s3").unwrap();
    let small = test_bytes(70_000, 1);
    client
        .upload_fileobj(&small[..], &b, "c.bin")
        .await
        .unwrap();
    let mut back = Vec::new();
    assert_eq!(
        client
            .download_fileobj(&b, "c.bin", &mut back)
            .await
            .unwrap(),
        small.len() as u64
    );
    assert!(back == small);
    client
        .copy(doc! {"Bucket": &b, "Key": "c.bin"}, &b, "c-copy.bin")
        .await
        .unwrap();
    assert!(stored(s, &b, "c-copy.bin").await == small);

    let s3 = s.resource("s3").unwrap();
    let bucket = s3.bucket(&b).unwrap();
    bucket.upload_fileobj(&small[..], "b.bin").await.unwrap();
    let mut back = Vec::new();
    bucket.download_fileobj("b.bin", &mut back).await.unwrap();
    assert!(back == small);
    bucket
        .copy(doc! {"Bucket": &b, "Key": "b.bin"}, "b-copy.bin")
        .await
        .unwrap();
    assert!(stored(s, &b, "b-copy.bin").await == small);

    let object = s3.object(&b, "o.bin").unwrap();
    object.upload_fileobj(&small[..], "ignored").await.unwrap();
    let mut back = Vec::new();
    object.download_fileobj("ignored", &mut back).await.unwrap();
    assert!(back == small);
    let copy = s3.object(&b, "o-copy.bin").unwrap();
    copy.copy(doc! {"Bucket": &b, "Key": "o.bin"}, "ignored")
        .await
        .unwrap();
    assert!(stored(s, &b, "o-copy.bin").await == small);

    // A stream in parts, and a copy in parts.
    let big = test_bytes(11 * MIB, 2);
    transfer::upload_fileobj(
        &client,
        &big[..],
        &b,
        "big.bin",
        doc! {"ContentType": "application/x-big"},
        &parts_config(),
    )
    .await
    .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &b, "Key": "big.bin"})
        .await
        .unwrap();
    assert!(
        head["ETag"].as_str().unwrap().ends_with("-3\""),
        "{}",
        head["ETag"]
    );
    assert_eq!(head["ContentType"].as_str(), Some("application/x-big"));
    let mut back = Vec::new();
    transfer::download_fileobj(&client, &b, "big.bin", &mut back, &parts_config())
        .await
        .unwrap();
    assert!(back == big);
    transfer::copy(
        &client,
        doc! {"Bucket": &b, "Key": "big.bin"},
        &b,
        "big-copy.bin",
        doc! {"ContentType": "application/x-copied", "MetadataDirective": "REPLACE"},
        &parts_config(),
    )
    .await
    .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &b, "Key": "big-copy.bin"})
        .await
        .unwrap();
    assert!(
        head["ETag"].as_str().unwrap().ends_with("-3\""),
        "copied in parts: {}",
        head["ETag"]
    );
    assert_eq!(head["ContentType"].as_str(), Some("application/x-copied"));
    assert!(stored(s, &b, "big-copy.bin").await == big);
}

#[tokio::test]
async fn conveniences_on_s3s() {
    conveniences(&s3s_session("boto-test-secret")).await;
}

#[tokio::test]
async fn conveniences_on_moto() {
    conveniences(&session("us-east-1")).await;
}

/// Every byte is reported once, uploads and downloads, in parts and whole.
#[tokio::test]
async fn progress_reports_every_byte_once() {
    let s = s3s_session("boto-test-secret");
    let client = s.client("s3").unwrap();
    let b = new_bucket(&s).await;
    let bytes = test_bytes(11 * MIB, 3);
    let src = temp_path("progress");
    std::fs::write(&src, &bytes).unwrap();
    let total = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let (t, c) = (total.clone(), calls.clone());
    let config = TransferConfig {
        progress: Some(Progress::from(move |n: u64| {
            t.fetch_add(n, Ordering::Relaxed);
            c.fetch_add(1, Ordering::Relaxed);
        })),
        ..parts_config()
    };
    let size = bytes.len() as u64;
    transfer::upload_file(&client, &src, &b, "k", doc! {}, &config)
        .await
        .unwrap();
    assert_eq!(total.swap(0, Ordering::Relaxed), size);
    assert_eq!(calls.swap(0, Ordering::Relaxed), 3, "one report per part");
    let dst = temp_path("progress-dst");
    transfer::download_file(&client, &b, "k", &dst, &config)
        .await
        .unwrap();
    assert_eq!(total.swap(0, Ordering::Relaxed), size);
    assert!(calls.swap(0, Ordering::Relaxed) >= 3);
    transfer::upload_fileobj(&client, &bytes[..1000], &b, "s", doc! {}, &config)
        .await
        .unwrap();
    assert_eq!(total.swap(0, Ordering::Relaxed), 1000);
    transfer::copy(
        &client,
        doc! {"Bucket": &b, "Key": "k"},
        &b,
        "k2",
        doc! {},
        &config,
    )
    .await
    .unwrap();
    assert_eq!(total.swap(0, Ordering::Relaxed), size);
    for p in [src, dst] {
        let _ = std::fs::remove_file(p);
    }
}

/// A 3 MiB download limited to 1 MiB/s takes at least 2 s (the bucket starts with one second of
/// tokens); unlimited it takes far less.
#[tokio::test]
async fn max_bandwidth_limits_a_download() {
    let s = s3s_session("boto-test-secret");
    let client = s.client("s3").unwrap();
    let b = new_bucket(&s).await;
    let bytes = test_bytes(3 * MIB, 4);
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let dst = temp_path("bw");
    let limited = TransferConfig {
        max_bandwidth: Some(MIB as u64),
        multipart_threshold: MIB as u64,
        multipart_chunksize: MIB as u64,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    transfer::download_file(&client, &b, "k", &dst, &limited)
        .await
        .unwrap();
    let slow = start.elapsed();
    assert!(std::fs::read(&dst).unwrap() == bytes);
    let start = std::time::Instant::now();
    transfer::download_file(&client, &b, "k", &dst, &TransferConfig::default())
        .await
        .unwrap();
    let fast = start.elapsed();
    eprintln!("3 MiB at max_bandwidth 1 MiB/s: {slow:?}; unlimited: {fast:?}");
    assert!(slow.as_secs_f64() >= 1.9, "limited: {slow:?}");
    assert!(fast < slow / 2, "unlimited {fast:?}, limited {slow:?}");
    let _ = std::fs::remove_file(dst);
}

/// boto3's `s3.copy` and ours, small (CopyObject) and in parts (UploadPartCopy), on one moto:
/// the same size, ETag, content type, metadata and bytes.
#[tokio::test]
async fn a_managed_copy_matches_boto3() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let b = new_bucket(&s).await;
    let small = test_bytes(100_000, 5);
    let big = test_bytes(11 * MIB, 6);
    for (key, body) in [("small", &small), ("big", &big)] {
        client
            .invoke(
                "PutObject",
                doc! {
                    "Bucket": &b, "Key": key, "ContentType": "text/x-src",
                    "Metadata": {"origin": "src"}, "Tagging": "team=storage&tier=cold%20path",
                },
                Some(body.clone().into()),
            )
            .await
            .unwrap();
    }
    let script = r#"
import sys, boto3
from boto3.s3.transfer import TransferConfig
url, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
cfg = TransferConfig(multipart_threshold=5 << 20, multipart_chunksize=5 << 20)
for key in ("small", "big"):
    s3.copy({"Bucket": bucket, "Key": key}, bucket, "py-" + key, Config=cfg)
replace = {"MetadataDirective": "REPLACE", "ContentType": "text/x-new", "Metadata": {"k": "v"}}
s3.copy({"Bucket": bucket, "Key": "big"}, bucket, "py-big-replace", ExtraArgs=replace, Config=cfg)
s3.copy({"Bucket": bucket, "Key": "big"}, bucket, "py-big-tags",
        ExtraArgs={"TaggingDirective": "COPY"}, Config=cfg)
"#;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = std::process::Command::new(format!("{root}/.venv/bin/python"))
        .args(["-c", script, &moto_url(), &b])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases = [
        ("small", "small", doc! {}),
        ("big", "big", doc! {}),
        (
            "big-replace",
            "big",
            doc! {"MetadataDirective": "REPLACE", "ContentType": "text/x-new", "Metadata": {"k": "v"}},
        ),
        ("big-tags", "big", doc! {"TaggingDirective": "COPY"}),
    ];
    for (key, source, extra) in cases {
        transfer::copy(
            &client,
            doc! {"Bucket": &b, "Key": source},
            &b,
            &format!("rs-{key}"),
            extra,
            &parts_config(),
        )
        .await
        .unwrap();
        let head = |k: String| {
            let client = client.clone();
            let b = b.clone();
            async move {
                let h = client
                    .call("HeadObject", doc! {"Bucket": &b, "Key": k})
                    .await
                    .unwrap();
                let pick = |m: &str| h[m].clone();
                (
                    pick("ContentLength"),
                    pick("ETag"),
                    pick("ContentType"),
                    pick("Metadata"),
                )
            }
        };
        let ours = head(format!("rs-{key}")).await;
        let theirs = head(format!("py-{key}")).await;
        assert_eq!(ours, theirs, "{key}: boto-rs and boto3 copies agree");
        assert!(
            ours.1.as_str().unwrap().ends_with("-3\"") == (source == "big"),
            "{key}: {:?}",
            ours.1
        );
        let tags = |k: String| {
            let client = client.clone();
            let b = b.clone();
            async move {
                client
                    .call("GetObjectTagging", doc! {"Bucket": &b, "Key": k})
                    .await
                    .unwrap()["TagSet"]
                    .clone()
            }
        };
        assert_eq!(
            tags(format!("rs-{key}")).await,
            tags(format!("py-{key}")).await,
            "{key}: the same tags"
        );
        let body = if source == "big" { &big } else { &small };
        assert!(&stored(&s, &b, &format!("rs-{key}")).await == body);
    }
}

/// A copy whose source is not `{Bucket, Key}` is refused with a clear error.
#[tokio::test]
async fn a_copy_source_without_a_key_is_refused() {
    let client = s3s_session("boto-test-secret").client("s3").unwrap();
    let err = client
        .copy(doc! {"Bucket": "b"}, "b", "k")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("copy_source needs Bucket and Key"),
        "{err}"
    );
}

fn blocking_conveniences(s: &boto::blocking::Session) {
    let client = s.client("s3").unwrap();
    let b = unique("conv-blocking");
    client.call("CreateBucket", doc! {"Bucket": &b}).unwrap();
    let bytes = test_bytes(200_000, 7);
    client
        .upload_fileobj(std::io::Cursor::new(bytes.clone()), &b, "c")
        .unwrap();
    let mut back = Vec::new();
    client.download_fileobj(&b, "c", &mut back).unwrap();
    assert!(back == bytes);
    client
        .copy(doc! {"Bucket": &b, "Key": "c"}, &b, "c2")
        .unwrap();
    let s3 = s.resource("s3").unwrap();
    let bucket = s3.bucket(&b).unwrap();
    bucket.upload_fileobj(&bytes[..], "r").unwrap();
    let mut back = Vec::new();
    bucket.download_fileobj("c2", &mut back).unwrap();
    assert!(back == bytes);
    let object = s3.object(&b, "o").unwrap();
    object.copy(doc! {"Bucket": &b, "Key": "r"}, "").unwrap();
    let mut back = Vec::new();
    object.download_fileobj("", &mut back).unwrap();
    assert!(back == bytes);
    // Big, in parts, through the free functions.
    let big = test_bytes(11 * MIB, 8);
    boto::blocking::transfer::upload_fileobj(
        &client,
        &big[..],
        &b,
        "big",
        Document::map(),
        &parts_config(),
    )
    .unwrap();
    let mut back = Vec::new();
    boto::blocking::transfer::download_fileobj(&client, &b, "big", &mut back, &parts_config())
        .unwrap();
    assert!(back == big);
}

#[test]
fn blocking_conveniences_on_s3s() {
    blocking_conveniences(&boto::blocking::Session::from(s3s_session(
        "boto-test-secret",
    )));
}

#[test]
fn blocking_conveniences_on_moto() {
    blocking_conveniences(&boto::blocking::Session::from(session("us-east-1")));
}

/// A reader that fails part-way.
struct Failing(usize);

impl std::io::Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.0 == 0 {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.0);
        buf[..n].fill(7);
        self.0 -= n;
        Ok(n)
    }
}

/// Without carrying the read error across, a failing reader would end the upload early and
/// store a truncated object as if it were whole.
#[test]
fn a_read_error_fails_a_blocking_stream_upload_and_stores_nothing() {
    let s = boto::blocking::Session::from(session("us-east-1"));
    let client = s.client("s3").unwrap();
    let b = unique("conv-fail");
    client.call("CreateBucket", doc! {"Bucket": &b}).unwrap();
    for (key, len) in [("small", 1000), ("big", 7 * MIB)] {
        let err = boto::blocking::transfer::upload_fileobj(
            &client,
            Failing(len),
            &b,
            key,
            Document::map(),
            &parts_config(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("the disk went away"), "{err}");
        assert!(client
            .call("HeadObject", doc! {"Bucket": &b, "Key": key})
            .is_err());
    }
    let uploads = client
        .call("ListMultipartUploads", doc! {"Bucket": &b})
        .unwrap();
    assert!(
        uploads["Uploads"].as_list().is_none_or(|l| l.is_empty()),
        "{uploads}"
    );
}

/// A writer that refuses.
struct Refusing;

impl std::io::Write for Refusing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("the pipe is full for good"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The writer's own error is what a blocking `download_fileobj` reports, not the broken pipe
/// it causes inside.
#[test]
fn a_write_error_is_what_a_blocking_stream_download_reports() {
    let s = boto::blocking::Session::from(s3s_session("boto-test-secret"));
    let client = s.client("s3").unwrap();
    let b = unique("conv-wfail");
    client.call("CreateBucket", doc! {"Bucket": &b}).unwrap();
    client
        .upload_fileobj(&test_bytes(3 * MIB, 9)[..], &b, "k")
        .unwrap();
    let err = client.download_fileobj(&b, "k", Refusing).unwrap_err();
    assert!(
        err.to_string().contains("the pipe is full for good"),
        "{err}"
    );
}
