//! One S3 behaviour suite run against two independent servers: moto, and s3s-fs, which verifies
//! every SigV4 signature (header-signed with a payload hash, a file's included, UNSIGNED-PAYLOAD
//! for a one-shot stream, presigned URLs), so a signing mistake fails here even though moto
//! accepts anything.

mod support;

use boto::{doc, ByteStream, Session};
use support::{s3s_session, session, unique};

/// An S3 client of `s` and a new bucket named from `prefix`.
async fn new_bucket(s: &Session, prefix: &str) -> (boto::Client, String) {
    let client = s.client("s3").unwrap();
    let bucket = unique(prefix);
    client
        .call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    (client, bucket)
}

async fn crud_round_trip(s: &Session) {
    let (client, bucket) = new_bucket(s, "crud").await;
    // The `+` key is only put, got and deleted, not listed: listings ask for EncodingType=url and
    // decode `+` as a space (as botocore does), and s3s-fs leaves `+` unencoded in that mode.
    let keys = ["dir/a b ü~.txt", "dir/plain.txt", "top=1&x+y.bin"];
    for k in keys {
        client
            .call("PutObject", doc! {"Bucket": &bucket, "Key": k, "Body": format!("body of {k}"), "ContentType": "text/plain"})
            .await
            .unwrap_or_else(|e| panic!("put {k}: {e}"));
    }
    // An explicit ContentLength and a body-less put both sign and send one right length.
    client
        .call(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "sized", "Body": "12345", "ContentLength": 5},
        )
        .await
        .unwrap();
    client
        .call("PutObject", doc! {"Bucket": &bucket, "Key": "empty"})
        .await
        .unwrap();
    client
        .call("DeleteObject", doc! {"Bucket": &bucket, "Key": "sized"})
        .await
        .unwrap();
    client
        .call("DeleteObject", doc! {"Bucket": &bucket, "Key": "empty"})
        .await
        .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &bucket, "Key": keys[0]})
        .await
        .unwrap();
    assert_eq!(
        head["ContentLength"].as_i64(),
        Some(format!("body of {}", keys[0]).len() as i64)
    );
    let got = client
        .call("GetObject", doc! {"Bucket": &bucket, "Key": keys[0]})
        .await
        .unwrap();
    assert!(
        got["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-crc32"]
            .as_str()
            .is_some(),
        "the server sent the CRC32 we uploaded, so the download was checked against it"
    );
    assert_eq!(
        got["Body"].as_blob().map(|b| b.to_vec()),
        Some(format!("body of {}", keys[0]).into_bytes())
    );
    let listed = client
        .call("ListObjectsV2", doc! {"Bucket": &bucket, "Prefix": "dir/"})
        .await
        .unwrap();
    let mut names: Vec<&str> = listed["Contents"]
        .iter()
        .filter_map(|o| o["Key"].as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["dir/a b ü~.txt", "dir/plain.txt"]);
    for k in keys {
        client
            .call("DeleteObject", doc! {"Bucket": &bucket, "Key": k})
            .await
            .unwrap();
    }
    let empty = client
        .call("ListObjectsV2", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    assert_eq!(empty["Contents"].iter().count(), 0);
    let err = client
        .call("GetObject", doc! {"Bucket": &bucket, "Key": keys[1]})
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchKey"), "{err}");
}

async fn file_upload_and_streamed_download(s: &Session) {
    let (client, bucket) = new_bucket(s, "file").await;
    let data: Vec<u8> = (0..5 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("{}.bin", unique("upload")));
    std::fs::write(&path, &data).unwrap();
    let body = ByteStream::from_path(&path).await.unwrap();
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "f.bin"},
            Some(body),
        )
        .await
        .unwrap();
    let out = client
        .invoke("GetObject", doc! {"Bucket": &bucket, "Key": "f.bin"}, None)
        .await
        .unwrap();
    let got = out.body.unwrap().collect().await.unwrap();
    assert!(got[..] == data[..], "downloaded bytes differ");
    let out = client
        .invoke("GetObject", doc! {"Bucket": &bucket, "Key": "f.bin"}, None)
        .await
        .unwrap();
    let target = std::env::temp_dir().join(format!("{}.bin", unique("download")));
    let written = out.body.unwrap().into_file(&target).await.unwrap();
    assert_eq!(written, data.len() as u64);
    assert!(
        std::fs::read(&target).unwrap() == data,
        "the file holds the object"
    );
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&target);
    // A one-shot stream cannot be hashed up front: it goes UNSIGNED-PAYLOAD even over http
    // (the file above is signed with its SHA-256, as botocore signs a seekable body there).
    let once = bytes::Bytes::from(data[..100 * 1024].to_vec());
    let body = ByteStream::from_body(http_body_util::Full::new(once.clone()));
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "once.bin"},
            Some(body),
        )
        .await
        .unwrap();
    let out = client
        .invoke(
            "GetObject",
            doc! {"Bucket": &bucket, "Key": "once.bin"},
            None,
        )
        .await
        .unwrap();
    assert!(out.body.unwrap().collect().await.unwrap() == once);
}

async fn listing_pages_past_1000(s: &Session) {
    let (client, bucket) = new_bucket(s, "pages").await;
    let keys: Vec<String> = (0..1100).map(|i| format!("k{i:04}")).collect();
    for chunk in keys.chunks(50) {
        let mut puts = tokio::task::JoinSet::new();
        for k in chunk {
            let (client, bucket, key) = (client.clone(), bucket.clone(), k.clone());
            puts.spawn(async move {
                client
                    .call("PutObject", doc! {"Bucket": bucket, "Key": key, "Body": ""})
                    .await
            });
        }
        while let Some(r) = puts.join_next().await {
            r.unwrap().unwrap();
        }
    }
    let objects = s
        .resource("s3")
        .unwrap()
        .bucket(&bucket)
        .unwrap()
        .objects()
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        objects
            .iter()
            .map(|o| o.key().unwrap().to_string())
            .collect::<Vec<_>>(),
        keys
    );
    let items = client
        .paginate("ListObjectsV2", doc! {"Bucket": &bucket})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert_eq!(items.len(), 1100);
}

async fn presigned_get(s: &Session) {
    let (client, bucket) = new_bucket(s, "presign").await;
    client
        .call(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "p q.txt", "Body": "presigned"},
        )
        .await
        .unwrap();
    let url = client
        .generate_presigned_url("GetObject", doc! {"Bucket": &bucket, "Key": "p q.txt"}, 600)
        .await
        .unwrap();
    let http = boto_core::http::HttpClient::new(Default::default()).unwrap();
    let req = |url: String| boto_core::http::HttpRequest {
        method: "GET".into(),
        url,
        headers: Default::default(),
        body: ByteStream::default(),
    };
    let resp = http.send(req(url.clone())).await.unwrap();
    assert_eq!(resp.status, 200, "{url}");
    assert_eq!(&resp.body.collect().await.unwrap()[..], b"presigned");
}

async fn multi_delete_and_copy(s: &Session) {
    let (client, bucket) = new_bucket(s, "multi").await;
    for k in ["a", "b", "c"] {
        client
            .call("PutObject", doc! {"Bucket": &bucket, "Key": k, "Body": k})
            .await
            .unwrap();
    }
    client
        .call("CopyObject", doc! {"Bucket": &bucket, "Key": "c copy", "CopySource": {"Bucket": &bucket, "Key": "c"}})
        .await
        .unwrap();
    let out = client
        .call(
            "DeleteObjects",
            doc! {"Bucket": &bucket, "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}]}},
        )
        .await
        .unwrap();
    assert_eq!(out["Deleted"].iter().count(), 2, "{out}");
    let left = client
        .call("ListObjectsV2", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    let names: Vec<&str> = left["Contents"]
        .iter()
        .filter_map(|o| o["Key"].as_str())
        .collect();
    assert_eq!(names, ["c", "c copy"]);
}

/// A PUT with more headers than the signer borrows on the stack (30 metadata entries) and one
/// with a few: s3s-fs checks both signatures, and the metadata reads back whole.
async fn many_headers_sign_and_round_trip(s: &Session) {
    let (client, bucket) = new_bucket(s, "headers").await;
    for count in [30usize, 2] {
        let mut metadata = boto::Document::map();
        for i in 0..count {
            metadata.set(format!("m{i:02}"), format!("value {i}"));
        }
        let key = format!("meta-{count}");
        client
            .call(
                "PutObject",
                doc! {"Bucket": &bucket, "Key": key.as_str(), "Body": "x", "Metadata": metadata.clone()},
            )
            .await
            .unwrap_or_else(|e| panic!("put with {count} metadata entries: {e}"));
        let head = client
            .call("HeadObject", doc! {"Bucket": &bucket, "Key": key.as_str()})
            .await
            .unwrap();
        assert_eq!(head["Metadata"], metadata, "{count} entries");
    }
}

macro_rules! on_both {
    ($($behaviour:ident),*) => {
        mod moto {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $behaviour() {
                super::$behaviour(&super::session("us-east-1")).await;
            })*
        }
        mod s3s {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $behaviour() {
                super::$behaviour(&super::s3s_session("boto-test-secret")).await;
            })*
        }
    };
}

on_both!(
    crud_round_trip,
    file_upload_and_streamed_download,
    listing_pages_past_1000,
    presigned_get,
    multi_delete_and_copy,
    multipart_upload_and_ranged_download,
    many_headers_sign_and_round_trip
);

#[tokio::test]
async fn s3s_rejects_a_wrong_secret() {
    let s = s3s_session("not-the-secret");
    let err = s
        .client("s3")
        .unwrap()
        .call("ListBuckets", doc! {})
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err}");
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{err}");
}

async fn multipart_upload_and_ranged_download(s: &Session) {
    use boto::transfer::{download_file, upload_file, TransferConfig};
    let (client, bucket) = new_bucket(s, "transfer").await;
    let data: Vec<u8> = (0..12 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(31) >> 7) as u8)
        .collect();
    let src = std::env::temp_dir().join(format!("{}.bin", unique("mpu-src")));
    let dst = std::env::temp_dir().join(format!("{}.bin", unique("mpu-dst")));
    std::fs::write(&src, &data).unwrap();
    let config = TransferConfig {
        multipart_threshold: 5 << 20,
        multipart_chunksize: 5 << 20,
        max_concurrency: 3,
        ..Default::default()
    };
    upload_file(
        &client,
        &src,
        &bucket,
        "big.bin",
        doc! {"ContentType": "application/x-test"},
        &config,
    )
    .await
    .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &bucket, "Key": "big.bin"})
        .await
        .unwrap();
    assert_eq!(head["ContentLength"].as_i64(), Some(data.len() as i64));
    assert!(
        head["ETag"].as_str().unwrap().ends_with("-3\""),
        "three parts: {}",
        head["ETag"]
    );
    let n = download_file(&client, &bucket, "big.bin", &dst, &config)
        .await
        .unwrap();
    assert_eq!(n, data.len() as u64);
    assert!(
        std::fs::read(&dst).unwrap() == data,
        "downloaded file equals the upload"
    );
    // The small path of the same functions, through the resource layer.
    let b = s.resource("s3").unwrap().bucket(&bucket).unwrap();
    let small = std::env::temp_dir().join(format!("{}.txt", unique("small")));
    std::fs::write(&small, b"small file").unwrap();
    b.upload_file(&small, "small.txt").await.unwrap();
    b.download_file("small.txt", &dst).await.unwrap();
    assert_eq!(std::fs::read(&dst).unwrap(), b"small file");
    for p in [src, dst, small] {
        let _ = std::fs::remove_file(p);
    }
}
