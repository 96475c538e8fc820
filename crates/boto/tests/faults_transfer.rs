//! The transfer manager under faults: each test puts the fault proxy between boto-rs and a real
//! server (moto or s3s-fs), scripts a fault, and states what the user would lose without the
//! behaviour it checks. Every success is verified byte for byte against the server directly.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
mod support;

use boto::transfer::{self, Cleanup, TransferConfig, TransferError};
use boto::{doc, Credentials, Error, Session};
use fault_proxy::{s3_error, Fault, FaultProxy, Seen};
use std::sync::Arc;
use std::time::Duration;
use support::{empty_env, moto_url, s3s_url, temp_path, test_bytes, unique};

const MIB: usize = 1 << 20;

fn moto_via(proxy: &FaultProxy, settings: &[(&str, &str)]) -> Session {
    via(
        proxy,
        Credentials::from_keys("testing", "testing", None),
        settings,
    )
}

fn s3s_via(proxy: &FaultProxy, settings: &[(&str, &str)]) -> Session {
    via(
        proxy,
        Credentials::from_keys("boto-test", "boto-test-secret", None),
        settings,
    )
}

fn via(proxy: &FaultProxy, creds: Credentials, settings: &[(&str, &str)]) -> Session {
    let mut b = Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .endpoint_url(&proxy.url)
        .credentials(creds);
    for (k, v) in settings {
        b = b.config(*k, *v);
    }
    b.build().unwrap()
}

/// Three parts on moto (its parts must be 5 MiB but the last).
fn parts_config() -> TransferConfig {
    TransferConfig {
        multipart_threshold: 5 * MIB as u64,
        multipart_chunksize: 5 * MIB as u64,
        max_concurrency: 3,
        ..Default::default()
    }
}

async fn bucket(client: &boto::Client) -> String {
    let name = unique("faults");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    name
}

async fn object(client: &boto::Client, bucket: &str, key: &str) -> Option<Vec<u8>> {
    let out = client
        .call("GetObject", doc! {"Bucket": bucket, "Key": key})
        .await
        .ok()?;
    out["Body"].as_blob().map(|b| b.to_vec())
}

async fn open_uploads(client: &boto::Client, bucket: &str) -> usize {
    let out = client
        .call("ListMultipartUploads", doc! {"Bucket": bucket})
        .await
        .unwrap();
    out["Uploads"].as_list().map_or(0, |l| l.len())
}

fn is_complete(s: &Seen) -> bool {
    s.method == "POST" && s.query_has("uploadId")
}

fn is_part(s: &Seen) -> bool {
    s.method == "PUT" && s.query_has("partNumber")
}

fn is_ranged_get(s: &Seen) -> bool {
    s.method == "GET" && s.header("range").is_some()
}

/// Without the retry of a 200-with-error the user is told the upload failed although a second
/// CompleteMultipartUpload would have made the object.
#[tokio::test]
async fn a_complete_with_an_error_in_its_200_is_retried_and_the_object_exists() {
    let proxy = FaultProxy::start(&moto_url());
    let s = moto_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let bytes = test_bytes(11 * MIB, 1);
    let src = temp_path("src");
    std::fs::write(&src, &bytes).unwrap();
    let body = format!("{}{}", " ".repeat(200), s3_error("AccessDenied"));
    proxy.on(is_complete, Fault::Respond { status: 200, body }, 1);
    transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap();
    assert_eq!(proxy.seen().iter().filter(|s| is_complete(s)).count(), 2);
    assert!(object(&client, &b, "k").await.unwrap() == bytes);
    let _ = std::fs::remove_file(src);
}

/// A 200 whose body was torn mid-document is a 500 (botocore's `_handle_200_error`): without
/// that the rest-xml parse error would end the upload although a second
/// CompleteMultipartUpload makes the object, and a listing would fail instead of being retried.
#[tokio::test]
async fn a_200_with_a_torn_body_is_retried() {
    let proxy = FaultProxy::start(&moto_url());
    let s = moto_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let bytes = test_bytes(11 * MIB, 5);
    let src = temp_path("src");
    std::fs::write(&src, &bytes).unwrap();
    let torn = "<?xml version=\"1.0\"?><CompleteMultipartUploadResult><Location>x</Loc";
    let body = torn.to_string();
    proxy.on(is_complete, Fault::Respond { status: 200, body }, 1);
    transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap();
    assert_eq!(proxy.seen().iter().filter(|s| is_complete(s)).count(), 2);
    assert!(object(&client, &b, "k").await.unwrap() == bytes);

    let is_list = |s: &Seen| s.method == "GET" && s.query_has("list-type=2");
    let body = "<ListBucketResult><Name>b</Name><Contents><Key>k</Key>".to_string();
    proxy.on(is_list, Fault::Respond { status: 200, body }, 1);
    let listed = client
        .call("ListObjectsV2", doc! {"Bucket": &b})
        .await
        .unwrap();
    assert_eq!(listed["Contents"][0]["Key"], doc!("k"));
    assert_eq!(proxy.seen().iter().filter(|s| is_list(s)).count(), 2);

    // Retried until the attempts run out, the error says what the last answer was.
    let body = "<ListBucketResult><Name>b</Name>".to_string();
    proxy.on(is_list, Fault::Respond { status: 200, body }, usize::MAX);
    let err = client
        .call("ListObjectsV2", doc! {"Bucket": &b})
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    let _ = std::fs::remove_file(src);
}

/// Without the fix an empty 200 to CompleteMultipartUpload is reported as success for an object
/// that does not exist, and its parts stay stored.
#[tokio::test]
async fn an_empty_200_to_complete_is_an_error_and_the_upload_is_aborted() {
    let proxy = FaultProxy::start(&moto_url());
    let s = moto_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let src = temp_path("src");
    std::fs::write(&src, test_bytes(11 * MIB, 2)).unwrap();
    let empty = Fault::Respond {
        status: 200,
        body: String::new(),
    };
    proxy.on(is_complete, empty, usize::MAX);
    let err = transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err}");
    assert!(
        matches!(&err, Error::Transfer(t) if matches!(**t, TransferError::Multipart { cleanup: Cleanup::Aborted, .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("aborted"), "{err}");
    assert!(object(&client, &b, "k").await.is_none(), "no object");
    assert_eq!(open_uploads(&client, &b).await, 0, "no parts left behind");
    // Retried as a 500 (three attempts) before giving up.
    assert_eq!(proxy.seen().iter().filter(|s| is_complete(s)).count(), 3);
    let _ = std::fs::remove_file(src);
}

/// Without the abort a CompleteMultipartUpload that fails for good leaves every part stored.
#[tokio::test]
async fn a_complete_that_fails_for_good_aborts_and_says_so() {
    let proxy = FaultProxy::start(&moto_url());
    let s = moto_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let src = temp_path("src");
    std::fs::write(&src, test_bytes(11 * MIB, 3)).unwrap();
    let body = s3_error("InternalError");
    proxy.on(
        is_complete,
        Fault::Respond { status: 200, body },
        usize::MAX,
    );
    let err = transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"), "{err}");
    assert!(err.to_string().contains("no parts remain"), "{err}");
    assert_eq!(open_uploads(&client, &b).await, 0);
    assert!(object(&client, &b, "k").await.is_none());
    // The abort failing too is reported as such.
    proxy.on(
        |s| s.method == "DELETE" && s.query_has("uploadId"),
        Fault::Respond {
            status: 403,
            body: s3_error("AccessDenied"),
        },
        usize::MAX,
    );
    let err = transfer::upload_file(&client, &src, &b, "k2", doc! {}, &parts_config())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transfer(t) if matches!(**t, TransferError::Multipart { cleanup: Cleanup::AbortFailed(_), .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("its parts remain stored"), "{err}");
    let _ = std::fs::remove_file(src);
}

/// Without letting the parts in flight finish first, a part whose bytes had left can reach S3
/// after the abort and be stored (and billed) with no upload left to own it.
#[tokio::test]
async fn a_failed_part_stops_the_others_before_the_abort() {
    let proxy = FaultProxy::start(&moto_url());
    let s = moto_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let src = temp_path("src");
    std::fs::write(&src, test_bytes(26 * MIB, 4)).unwrap();
    proxy.on(
        |s| is_part(s) && s.query_has("partNumber=2"),
        Fault::Respond {
            status: 403,
            body: s3_error("AccessDenied"),
        },
        usize::MAX,
    );
    // The other parts are answered late, so they are in flight when part 2 fails.
    proxy.on(
        is_part,
        Fault::Delay {
            pause: Duration::from_millis(700),
        },
        usize::MAX,
    );
    let err = transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AccessDenied"), "{err}");
    let seen = proxy.seen();
    let abort = seen
        .iter()
        .find(|s| s.method == "DELETE" && s.query_has("uploadId"))
        .expect("the upload was aborted");
    assert!(
        seen.iter()
            .filter(|s| is_part(s))
            .all(|p| p.answered.is_some_and(|answered| answered < abort.at)),
        "every part was answered before the abort arrived: {seen:#?}"
    );
    assert!(
        seen.iter().filter(|s| is_part(s)).count() <= 3,
        "no part started after the failure"
    );
    assert_eq!(open_uploads(&client, &b).await, 0);
    let _ = std::fs::remove_file(src);
}

/// SlowDown and 503 a few times, then success: the parts go through.
#[tokio::test]
async fn throttled_parts_are_retried() {
    let proxy = FaultProxy::start(&s3s_url());
    let s = s3s_via(&proxy, &[]);
    let client = s.client("s3").unwrap();
    let b = bucket(&client).await;
    let bytes = test_bytes(11 * MIB, 5);
    let src = temp_path("src");
    std::fs::write(&src, &bytes).unwrap();
    proxy.on(
        is_part,
        Fault::Respond {
            status: 503,
            body: s3_error("SlowDown"),
        },
        2,
    );
    transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config())
        .await
        .unwrap();
    assert!(object(&client, &b, "k").await.unwrap() == bytes);
    let _ = std::fs::remove_file(src);
}

/// Uploads `bytes` to `b`/`key` directly (no faults), in parts with CRC32 when large.
async fn put(client: &boto::Client, b: &str, key: &str, bytes: &[u8]) {
    let src = temp_path("put");
    std::fs::write(&src, bytes).unwrap();
    transfer::upload_file(client, &src, b, key, doc! {}, &parts_config())
        .await
        .unwrap();
    let _ = std::fs::remove_file(src);
}

/// Without the composite check one flipped byte in one range of a multipart object is written
/// to the user's file and reported as success. Flipped once, the object is fetched again and
/// arrives whole; flipped every time, the download fails and leaves no file.
#[tokio::test]
async fn a_flipped_byte_in_a_range_of_a_multipart_object_fails_the_download() {
    let direct = support::session("us-east-1").client("s3").unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(11 * MIB, 6);
    put(&direct, &b, "k", &bytes).await;
    let proxy = FaultProxy::start(&moto_url());
    let client = moto_via(&proxy, &[]).client("s3").unwrap();
    proxy.on(
        |s| is_ranged_get(s) && s.header("range").unwrap().starts_with("bytes=5242880-"),
        Fault::Corrupt { at: 1000 },
        1,
    );
    let dst = temp_path("dst");
    let n = transfer::download_file(&client, &b, "k", &dst, &parts_config())
        .await
        .unwrap();
    assert_eq!(n, bytes.len() as u64);
    assert!(
        std::fs::read(&dst).unwrap() == bytes,
        "fetched again, whole"
    );
    let _ = std::fs::remove_file(&dst);
    proxy.on(
        |s| is_ranged_get(s) && s.header("range").unwrap().starts_with("bytes=5242880-"),
        Fault::Corrupt { at: 1000 },
        usize::MAX,
    );
    let err = transfer::download_file(&client, &b, "k", &dst, &parts_config())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transfer(t) if matches!(**t, TransferError::ChecksumMismatch { .. })),
        "{err:?}"
    );
    assert!(!dst.exists(), "no corrupt file is left");
}

/// S3 reports each part's own checksum on HeadObject of the part (moto does not: the proxy adds
/// what S3 would send). A flipped byte in one part is then caught in that part, and only that
/// range is fetched again; without per-part checks the whole object would be fetched twice.
#[tokio::test]
async fn a_part_that_fails_its_own_checksum_is_fetched_again_alone() {
    let direct = support::session("us-east-1").client("s3").unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(11 * MIB, 15);
    put(&direct, &b, "k", &bytes).await;
    let proxy = FaultProxy::start(&moto_url());
    let client = moto_via(&proxy, &[]).client("s3").unwrap();
    for (i, part) in bytes.chunks(5 * MIB).enumerate() {
        let mut h = crc32fast::Hasher::new();
        h.update(part);
        let value = base64(&h.finalize().to_be_bytes());
        let number = format!("partNumber={}", i + 1);
        proxy.on(
            move |s| s.method == "HEAD" && s.query_has(&number),
            Fault::AddHeader {
                name: "x-amz-checksum-crc32".into(),
                value,
            },
            usize::MAX,
        );
    }
    proxy.on(
        |s| is_ranged_get(s) && range_start(s) == Some(5 * MIB as u64),
        Fault::Corrupt { at: 4321 },
        1,
    );
    let dst = temp_path("dst");
    transfer::download_file(&client, &b, "k", &dst, &parts_config())
        .await
        .unwrap();
    assert!(std::fs::read(&dst).unwrap() == bytes);
    let seen = proxy.seen();
    let gets_from = |start: u64| {
        seen.iter()
            .filter(|s| is_ranged_get(s) && range_start(s) == Some(start))
            .count()
    };
    assert_eq!(gets_from(0), 1, "{seen:#?}");
    assert_eq!(gets_from(5 * MIB as u64), 2, "the corrupt part again");
    assert_eq!(gets_from(10 * MIB as u64), 1);
    let _ = std::fs::remove_file(dst);
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, &b| (a << 8) | b as u32) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                ABC[(n >> (18 - 6 * i)) as usize & 63] as char
            } else {
                '='
            });
        }
    }
    out
}

/// Without the whole-object check, a flipped byte in a range of a single-part object (whose
/// ranges carry no checksum) is kept.
#[tokio::test]
async fn a_flipped_byte_in_a_range_of_a_single_part_object_fails_the_download() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(7 * MIB, 7);
    direct
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[]).client("s3").unwrap();
    proxy.on(is_ranged_get, Fault::Corrupt { at: 77 }, usize::MAX);
    let config = TransferConfig {
        multipart_threshold: 2 * MIB as u64,
        multipart_chunksize: 2 * MIB as u64,
        ..Default::default()
    };
    let dst = temp_path("dst");
    let err = transfer::download_file(&client, &b, "k", &dst, &config)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("corrupt"), "{err}");
    assert!(!dst.exists());
    let _ = std::fs::remove_file(dst);
}

/// A flipped byte in a single GET is caught by its checksum and the GET made again.
#[tokio::test]
async fn a_flipped_byte_in_a_small_download_is_fetched_again() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(300_000, 8);
    direct
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[]).client("s3").unwrap();
    proxy.on(|s| s.method == "GET", Fault::Corrupt { at: 4242 }, 1);
    let dst = temp_path("dst");
    transfer::download_file(&client, &b, "k", &dst, &TransferConfig::default())
        .await
        .unwrap();
    assert!(std::fs::read(&dst).unwrap() == bytes);
    assert_eq!(proxy.seen().iter().filter(|s| s.method == "GET").count(), 2);
    let _ = std::fs::remove_file(dst);
}

/// Without a unique temporary name two downloads into one path write into one file: one of
/// them fails or the result mixes both objects.
#[tokio::test]
async fn two_downloads_into_one_path_do_not_share_a_temporary_file() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let (one, two) = (test_bytes(3 * MIB, 9), test_bytes(3 * MIB, 10));
    for (k, v) in [("one", &one), ("two", &two)] {
        direct
            .invoke(
                "PutObject",
                doc! {"Bucket": &b, "Key": k},
                Some(v.clone().into()),
            )
            .await
            .unwrap();
    }
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[]).client("s3").unwrap();
    proxy.on(
        |s| s.method == "GET",
        Fault::Slow {
            bytes_per_sec: 4 * MIB,
        },
        usize::MAX,
    );
    let config = TransferConfig {
        multipart_threshold: MIB as u64,
        multipart_chunksize: MIB as u64,
        ..Default::default()
    };
    let dst = temp_path("shared");
    let (a, c) = tokio::join!(
        transfer::download_file(&client, &b, "one", &dst, &config),
        transfer::download_file(&client, &b, "two", &dst, &config),
    );
    a.unwrap();
    c.unwrap();
    let got = std::fs::read(&dst).unwrap();
    assert!(got == one || got == two, "the file is one object, whole");
    let leftovers: Vec<_> = std::fs::read_dir(dst.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.contains(&*dst.file_name().unwrap().to_string_lossy()) && n.ends_with(".part")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files removed: {leftovers:?}"
    );
    let _ = std::fs::remove_file(dst);
}

fn range_start(s: &Seen) -> Option<u64> {
    s.header("range")?
        .strip_prefix("bytes=")?
        .split('-')
        .next()?
        .parse()
        .ok()
}

/// Without the range retry a reset, truncation or stall mid-body fails the whole download.
#[tokio::test]
async fn broken_ranges_are_resumed_from_the_bytes_received() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(6 * MIB, 11);
    direct
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[("read_timeout", "1")])
        .client("s3")
        .unwrap();
    let config = TransferConfig {
        multipart_threshold: 2 * MIB as u64,
        multipart_chunksize: 2 * MIB as u64,
        max_concurrency: 1,
        ..Default::default()
    };
    let first = |s: &Seen| range_start(s) == Some(0);
    let second = |s: &Seen| range_start(s) == Some(2 * MIB as u64);
    let third = |s: &Seen| range_start(s) == Some(4 * MIB as u64);
    proxy.on(first, Fault::Truncate { after: 100_000 }, 1);
    proxy.on(
        second,
        Fault::Stall {
            after: 300_000,
            pause: Duration::from_secs(3),
        },
        1,
    );
    proxy.on(third, Fault::ResetBeforeRequest, 1);
    let dst = temp_path("dst");
    transfer::download_file(&client, &b, "k", &dst, &config)
        .await
        .unwrap();
    assert!(std::fs::read(&dst).unwrap() == bytes);
    let seen = proxy.seen();
    let gets: Vec<_> = seen.iter().filter(|s| is_ranged_get(s)).collect();
    let starts: Vec<_> = gets.iter().filter_map(|s| range_start(s)).collect();
    assert!(
        starts.contains(&100_000),
        "the cut range asked from byte 100000: {starts:?}"
    );
    assert!(
        starts
            .iter()
            .any(|&s| s > 2 * MIB as u64 && s < 4 * MIB as u64),
        "the stalled range resumed past its start: {starts:?}"
    );
    let etag = direct
        .call("HeadObject", doc! {"Bucket": &b, "Key": "k"})
        .await
        .unwrap()["ETag"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        gets.iter()
            .all(|s| s.header("if-match") == Some(etag.as_str())),
        "{gets:#?}"
    );
    let _ = std::fs::remove_file(dst);
}

/// A body that keeps arriving, slowly, is not cut off by the read timeout.
#[tokio::test]
async fn a_slow_but_moving_download_is_not_cut_off() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(3 * MIB, 12);
    direct
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[("read_timeout", "1")])
        .client("s3")
        .unwrap();
    proxy.on(
        |s| s.method == "GET",
        Fault::Slow { bytes_per_sec: MIB },
        usize::MAX,
    );
    let dst = temp_path("dst");
    let start = std::time::Instant::now();
    transfer::download_file(&client, &b, "k", &dst, &TransferConfig::default())
        .await
        .unwrap();
    assert!(start.elapsed() > Duration::from_secs(2), "it was slow");
    assert!(std::fs::read(&dst).unwrap() == bytes);
    assert_eq!(
        proxy.seen().iter().filter(|s| s.method == "GET").count(),
        1,
        "one GET"
    );
    let _ = std::fs::remove_file(dst);
}

/// Resets before and after the request on uploads: retried, the object is whole.
#[tokio::test]
async fn resets_around_upload_requests_are_retried() {
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[]).client("s3").unwrap();
    let b = bucket(&client).await;
    let bytes = test_bytes(11 * MIB, 13);
    let src = temp_path("src");
    std::fs::write(&src, &bytes).unwrap();
    proxy.on(
        |s| is_part(s) && s.query_has("partNumber=1"),
        Fault::ResetBeforeRequest,
        1,
    );
    proxy.on(
        |s| is_part(s) && s.query_has("partNumber=2"),
        Fault::ResetAfterRequest,
        1,
    );
    proxy.on(is_complete, Fault::ResetAfterRequest, 1);
    let out = transfer::upload_file(&client, &src, &b, "k", doc! {}, &parts_config()).await;
    // A Complete whose answer was lost may find the upload already completed (NoSuchUpload):
    // either way the object must then be whole, never partial.
    match out {
        Ok(_) => assert!(object(&client, &b, "k").await.unwrap() == bytes),
        Err(e) => {
            let got = object(&client, &b, "k").await;
            assert!(got.is_none() || got.unwrap() == bytes, "{e}");
        }
    }
    let _ = std::fs::remove_file(src);
}

/// 200 transfers at once, a third of their requests faulted at random: every one that reports
/// success moved the exact bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_transfers_with_random_faults() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let proxy = Arc::new(FaultProxy::start(&s3s_url()));
    proxy.seed(20261202);
    proxy.on(|_| true, Fault::Random { p: 0.33 }, usize::MAX);
    let client = s3s_via(&proxy, &[("max_attempts", "5")])
        .client("s3")
        .unwrap();
    // Uploads in one PUT (s3s-fs wants 5 MiB parts), downloads in 64 KiB ranges.
    let config = Arc::new(TransferConfig {
        multipart_threshold: 64 << 10,
        multipart_chunksize: 64 << 10,
        max_concurrency: 2,
        ..Default::default()
    });
    let up_config = Arc::new(TransferConfig::default());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        let (client, b, config) = (client.clone(), b.clone(), config.clone());
        let up_config = up_config.clone();
        tasks.spawn(async move {
            let bytes = test_bytes(10_000 + (i as usize * 997) % 150_000, 100 + i);
            let key = format!("obj-{i}");
            let up =
                transfer::upload_fileobj(&client, &bytes[..], &b, &key, doc! {}, &up_config).await;
            let mut down = Vec::new();
            let got = match up {
                Ok(_) => transfer::download_fileobj(&client, &b, &key, &mut down, &config)
                    .await
                    .map_err(|e| format!("download: {e}")),
                Err(e) => Err(format!("upload: {e}")),
            };
            (key, bytes, got.map(|_| down))
        });
    }
    let (mut ok, mut failed) = (0, Vec::new());
    while let Some(done) = tasks.join_next().await {
        let (key, bytes, got) = done.unwrap();
        match got {
            Ok(down) => {
                assert!(down == bytes, "{key}: the download equals the upload");
                let stored = object(&direct, &b, &key).await.unwrap();
                assert!(
                    stored == bytes,
                    "{key}: the stored object equals the upload"
                );
                ok += 1;
            }
            Err(e) => failed.push(e),
        }
    }
    let failed_count = failed.len();
    eprintln!("failures: {failed:#?}");
    let faulted = proxy.seen().iter().filter(|s| s.fault.is_some()).count();
    eprintln!(
        "{ok} transfers succeeded (each verified), {failed_count} failed; {faulted} of {} requests faulted",
        proxy.seen().len()
    );
    assert!(
        ok > 100,
        "most transfers get through: {ok} ok, {failed_count} failed"
    );
    assert!(faulted > 50);
}

/// The blocking API from 16 threads at once, through random faults: every success is whole.
#[test]
fn the_blocking_api_from_sixteen_threads() {
    let proxy = FaultProxy::start(&s3s_url());
    proxy.seed(16);
    proxy.on(|_| true, Fault::Random { p: 0.25 }, usize::MAX);
    let s = boto::blocking::Session::from(s3s_via(&proxy, &[("max_attempts", "6")]));
    let client = s.client("s3").unwrap();
    let b = unique("faults-blocking");
    let direct = boto::blocking::Session::from(support::s3s_session("boto-test-secret"))
        .client("s3")
        .unwrap();
    direct.call("CreateBucket", doc! {"Bucket": &b}).unwrap();
    // Uploads in one PUT (s3s-fs wants 5 MiB parts), downloads in 256 KiB ranges.
    let config = TransferConfig {
        multipart_threshold: 256 << 10,
        multipart_chunksize: 256 << 10,
        ..Default::default()
    };
    let up_config = TransferConfig::default();
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16u32)
            .map(|t| {
                let (client, b, config, up_config) = (&client, &b, &config, &up_config);
                scope.spawn(move || {
                    let bytes = test_bytes(700_000 + t as usize * 1000, 500 + t);
                    let (src, dst) = (temp_path("bsrc"), temp_path("bdst"));
                    std::fs::write(&src, &bytes).unwrap();
                    let key = format!("t{t}");
                    let moved = boto::blocking::transfer::upload_file(
                        client,
                        &src,
                        b,
                        &key,
                        doc! {},
                        up_config,
                    )
                    .and_then(|_| {
                        boto::blocking::transfer::download_file(client, b, &key, &dst, config)
                    });
                    let got = moved
                        .map(|_| std::fs::read(&dst).unwrap())
                        .map_err(|e| e.to_string());
                    let _ = std::fs::remove_file(src);
                    let _ = std::fs::remove_file(dst);
                    (key, bytes, got)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut ok = 0;
    let mut errors = Vec::new();
    for (key, bytes, got) in results {
        if let Err(e) = &got {
            errors.push(e.clone());
        }
        if let Ok(got) = got {
            assert!(got == bytes, "{key}");
            let stored = direct
                .call("GetObject", doc! {"Bucket": &b, "Key": &key})
                .unwrap();
            assert!(
                stored["Body"].as_blob().unwrap() == &bytes[..],
                "{key} stored whole"
            );
            ok += 1;
        }
    }
    assert!(ok >= 8, "most threads get through: {ok} of 16: {errors:#?}");
}

/// Without the retry a single GET cut short fails the download; with it the rest is asked for
/// by range, pinned to the ETag, and the whole file still checks out against its checksum.
#[tokio::test]
async fn a_single_get_cut_short_is_resumed() {
    let direct = support::s3s_session("boto-test-secret")
        .client("s3")
        .unwrap();
    let b = bucket(&direct).await;
    let bytes = test_bytes(900_000, 14);
    direct
        .invoke(
            "PutObject",
            doc! {"Bucket": &b, "Key": "k"},
            Some(bytes.clone().into()),
        )
        .await
        .unwrap();
    let proxy = FaultProxy::start(&s3s_url());
    let client = s3s_via(&proxy, &[]).client("s3").unwrap();
    proxy.on(|s| s.method == "GET", Fault::Truncate { after: 123_456 }, 1);
    let mut back = Vec::new();
    transfer::download_fileobj(&client, &b, "k", &mut back, &TransferConfig::default())
        .await
        .unwrap();
    assert!(back == bytes);
    let gets: Vec<_> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET")
        .collect();
    assert_eq!(gets.len(), 2, "{gets:#?}");
    assert_eq!(gets[1].header("range"), Some("bytes=123456-899999"));
    assert!(gets[1].header("if-match").is_some());
}
