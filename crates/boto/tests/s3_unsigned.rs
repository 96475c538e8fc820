//! Anonymous access (botocore's `signature_version=UNSIGNED`, the CLI's `--no-sign-request`):
//! an unsigned session or client sends no `Authorization`, presigns plain URLs (as boto3 does)
//! and never asks any credential source, not even instance metadata.

mod s3_support;
mod support;

use boto::{doc, Credentials, Session};
use boto_core::config::Env;
use boto_core::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use s3_support::{Request, Response, Server};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::{moto_url, session, unique};

/// Counts how often it is asked.
#[derive(Default)]
struct Counting(AtomicUsize);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(Ok(Credentials::from_keys(
            "testing", "testing", None,
        ))))
    }
}

fn unsigned_moto() -> Session {
    Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(moto_url())
        .unsigned()
        .build()
        .unwrap()
}

/// A public-read bucket on moto holding `key`.
async fn public_bucket(key: &str) -> String {
    let s3 = session("us-east-1").client("s3").unwrap();
    let bucket = unique("public");
    s3.call(
        "CreateBucket",
        doc! {"Bucket": &bucket, "ACL": "public-read"},
    )
    .await
    .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": &bucket, "Key": key, "Body": "open data", "ACL": "public-read"},
    )
    .await
    .unwrap();
    bucket
}

/// `GET url` with no SDK at all; the body of a 200.
fn plain_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    text.split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn an_unsigned_session_reads_a_public_bucket_on_moto() {
    let bucket = public_bucket("readme.txt").await;
    let anon = unsigned_moto();
    assert!(anon.is_unsigned());
    let s3 = anon.client("s3").unwrap();
    let got = s3
        .call("GetObject", doc! {"Bucket": &bucket, "Key": "readme.txt"})
        .await
        .unwrap();
    assert_eq!(
        got["Body"].as_blob().map(|b| &b[..]),
        Some(&b"open data"[..])
    );
    let listing = s3
        .call("ListObjectsV2", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    assert_eq!(listing["Contents"][0]["Key"].as_str(), Some("readme.txt"));
    let req = s3
        .build_request("GetObject", doc! {"Bucket": &bucket, "Key": "readme.txt"})
        .await
        .unwrap();
    assert!(req.header("authorization").is_none(), "{req:?}");

    // A presigned URL carries no signature, exactly as boto3 makes it, and works.
    let url = s3
        .generate_presigned_url(
            "GetObject",
            doc! {"Bucket": &bucket, "Key": "readme.txt"},
            60,
        )
        .await
        .unwrap();
    assert_eq!(url, format!("{}/{bucket}/readme.txt", moto_url()));
    assert_eq!(plain_get(&url), "open data");
    let boto3 = std::process::Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../.venv/bin/python"))
        .args([
            "-c",
            "import sys, boto3; from botocore import UNSIGNED; from botocore.config import Config; \
             s3 = boto3.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1], config=Config(signature_version=UNSIGNED)); \
             print(s3.generate_presigned_url('get_object', Params={'Bucket': sys.argv[2], 'Key': 'a b/readme.txt'}, ExpiresIn=60))",
            &moto_url(),
            &bucket,
        ])
        .output()
        .unwrap();
    assert!(boto3.status.success());
    let ours = s3
        .generate_presigned_url(
            "GetObject",
            doc! {"Bucket": &bucket, "Key": "a b/readme.txt"},
            60,
        )
        .await
        .unwrap();
    assert_eq!(ours, String::from_utf8_lossy(&boto3.stdout).trim());
}

#[tokio::test]
async fn no_credential_source_is_consulted() {
    // Instance metadata and the container endpoint point at a recorder; a provider counts.
    let imds = Server::start(|_r: &Request| Response::new(404));
    let target = Server::start(|_r: &Request| {
        Response::new(200)
            .header("content-type", "application/xml")
            .body("<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>")
    });
    let env = || {
        Env::from_vars([
            ("HOME", "/nonexistent-boto-test-home"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url.as_str()),
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                &format!("{}/creds", imds.url),
            ),
        ])
    };
    let counting = Arc::new(Counting::default());
    let ways = [
        Session::builder().env(env()).unsigned(),
        Session::builder()
            .env(env())
            .config("signature_version", "UNSIGNED"),
        Session::builder()
            .env(env())
            .credentials_provider(counting.clone())
            .unsigned(),
    ];
    for b in ways {
        let s = b
            .region_name("us-east-1")
            .endpoint_url(&target.url)
            .build()
            .unwrap();
        s.client("s3")
            .unwrap()
            .call("ListObjectsV2", doc! {"Bucket": "b"})
            .await
            .unwrap();
        // Asked directly, the session's provider says why there is nothing.
        let err: CredentialsError = s
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(err.to_string().contains("UNSIGNED"), "{err}");
    }
    // A signed client turned unsigned does not ask its provider either.
    let signed = Session::builder()
        .env(env())
        .credentials_provider(counting.clone())
        .region_name("us-east-1")
        .endpoint_url(&target.url)
        .build()
        .unwrap()
        .client("s3")
        .unwrap();
    signed
        .unsigned()
        .call("ListObjectsV2", doc! {"Bucket": "b"})
        .await
        .unwrap();
    assert_eq!(counting.0.load(Ordering::SeqCst), 0);
    assert!(imds.requests().is_empty(), "{:?}", imds.requests());
    let sent = target.requests();
    assert_eq!(sent.len(), 4);
    for r in &sent {
        assert!(r.header("authorization").is_none(), "{r:?}");
        assert!(r.header("x-amz-security-token").is_none(), "{r:?}");
    }

    // The control: signed, the same environment does reach instance metadata.
    let s = Session::builder()
        .env(env())
        .region_name("us-east-1")
        .endpoint_url(&target.url)
        .build()
        .unwrap();
    let err = s
        .client("s3")
        .unwrap()
        .call("ListObjectsV2", doc! {"Bucket": "b"})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("credentials"), "{err}");
    assert!(!imds.requests().is_empty());
}

#[test]
fn the_blocking_session_and_client_are_unsigned_too() {
    let target = Server::start(|_r: &Request| {
        Response::new(200)
            .header("content-type", "application/xml")
            .body("<ListBucketResult><Name>b</Name></ListBucketResult>")
    });
    let s = boto::blocking::Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(&target.url)
        .unsigned()
        .build()
        .unwrap();
    assert!(s.is_unsigned());
    s.client("s3")
        .unwrap()
        .call("ListObjectsV2", doc! {"Bucket": "b"})
        .unwrap();
    let signed = boto::blocking::Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(&target.url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build()
        .unwrap()
        .client("s3")
        .unwrap();
    signed.call("ListObjectsV2", doc! {"Bucket": "b"}).unwrap();
    signed
        .unsigned()
        .call("ListObjectsV2", doc! {"Bucket": "b"})
        .unwrap();
    let auth: Vec<bool> = target
        .requests()
        .iter()
        .map(|r| r.header("authorization").is_some())
        .collect();
    assert_eq!(auth, [false, true, false]);
}
