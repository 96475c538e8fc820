//! The S3 region redirector (botocore's `S3RegionRedirectorv2`): a request for a bucket in
//! another region is sent once more to (and signed for) the bucket's region, found in the
//! `x-amz-bucket-region` header, the error's `Region`, or a `HeadBucket`; the region is then
//! remembered per client so the bucket's next calls go there directly. A loopback server plays
//! a bucket living in eu-west-1 that answers requests signed for any other region as S3 does;
//! boto3 runs the same calls on the same kind of server and must send the same requests.

mod s3_support;
mod support;

use boto::{doc, ByteStream};
use boto_core::document::Document;
use s3_support::{Request, Response, Server};
use support::session_at;

/// How the server tells a request signed for the wrong region.
#[derive(Clone, Copy)]
enum Refusal {
    /// `301 PermanentRedirect` with `x-amz-bucket-region`.
    MovedWithHeader,
    /// `400 AuthorizationHeaderMalformed` naming the region in the body only.
    MalformedWithRegion,
    /// `301 PermanentRedirect` naming nothing: the client must ask (HeadBucket).
    MovedSilently,
}

/// A bucket in eu-west-1. Requests signed for eu-west-1 are served (GET returns "here", PUT
/// checks its body is "payload"); others are refused as `refusal` says, except that a HEAD gets
/// a bodiless answer: 400 for an object, 301 with the region header for the bucket (HeadBucket).
fn bucket_in_eu_west_1(refusal: Refusal) -> Server {
    Server::start(move |req: &Request| {
        let home = req.signing_region().as_deref() == Some("eu-west-1");
        if !home {
            if req.method == "HEAD" {
                let object = req.target.trim_start_matches('/').contains('/');
                return if object {
                    Response::new(400) // what S3 answers a HeadObject signed for elsewhere
                } else {
                    Response::new(301).header("x-amz-bucket-region", "eu-west-1")
                };
            }
            return match refusal {
                Refusal::MovedWithHeader => Response::s3_error(301, "PermanentRedirect", "")
                    .header("x-amz-bucket-region", "eu-west-1"),
                Refusal::MalformedWithRegion => Response::s3_error(
                    400,
                    "AuthorizationHeaderMalformed",
                    "<Region>eu-west-1</Region>",
                ),
                Refusal::MovedSilently => Response::s3_error(301, "PermanentRedirect", ""),
            };
        }
        match req.method.as_str() {
            "PUT" if req.body != b"payload" => Response::s3_error(400, "BadDigest", ""),
            "PUT" => Response::new(200).header("etag", "\"e\""),
            "HEAD" => Response::new(200)
                .header("x-amz-bucket-region", "eu-west-1")
                .header("content-length", "4"),
            _ => Response::new(200).body("here"),
        }
    })
}

/// Each request as (method, path, signing region).
fn trace(server: &Server) -> Vec<(String, String, String)> {
    server
        .requests()
        .iter()
        .map(|r| {
            (
                r.method.clone(),
                r.target.split('?').next().unwrap_or_default().to_string(),
                r.signing_region().unwrap_or_default(),
            )
        })
        .collect()
}

fn t(method: &str, path: &str, region: &str) -> (String, String, String) {
    (method.into(), path.into(), region.into())
}

/// Runs boto3 (client in us-east-1 on `url`) through `GetObject` twice, as the Rust tests do.
fn boto3_twice(url: &str) {
    let script = r#"
import sys, boto3
s3 = boto3.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1],
                  aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
for _ in range(2):
    assert s3.get_object(Bucket='moved', Key='k')['Body'].read() == b'here'
"#;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = std::process::Command::new(format!("{root}/.venv/bin/python"))
        .args(["-c", script, url])
        .output()
        .expect("the venv's python runs (scripts/setup-test-env.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn redirects_once_and_remembers_the_region_like_boto3() {
    for refusal in [
        Refusal::MovedWithHeader,
        Refusal::MalformedWithRegion,
        Refusal::MovedSilently,
    ] {
        let ours = bucket_in_eu_west_1(refusal);
        let s3 = session_at(&ours.url, "us-east-1").client("s3").unwrap();
        for _ in 0..2 {
            let got = s3
                .call("GetObject", doc! {"Bucket": "moved", "Key": "k"})
                .await
                .unwrap();
            assert_eq!(got["Body"].as_blob().map(|b| &b[..]), Some(&b"here"[..]));
        }
        let theirs = bucket_in_eu_west_1(refusal);
        boto3_twice(&theirs.url);
        assert_eq!(trace(&ours), trace(&theirs));
        let mut expected = vec![t("GET", "/moved/k", "us-east-1")];
        if let Refusal::MovedSilently = refusal {
            // HeadBucket finds the region, and is itself redirected by the 301 naming it.
            expected.push(t("HEAD", "/moved", "us-east-1"));
            expected.push(t("HEAD", "/moved", "eu-west-1"));
        }
        expected.push(t("GET", "/moved/k", "eu-west-1"));
        expected.push(t("GET", "/moved/k", "eu-west-1"));
        assert_eq!(trace(&ours), expected);
    }
}

#[tokio::test]
async fn the_region_is_remembered_per_bucket_and_per_client() {
    let server = bucket_in_eu_west_1(Refusal::MovedWithHeader);
    let session = session_at(&server.url, "us-east-1");
    let s3 = session.client("s3").unwrap();
    s3.call("GetObject", doc! {"Bucket": "moved", "Key": "k"})
        .await
        .unwrap();
    // Presigned URLs and built requests for the bucket start in its region too.
    let url = s3
        .generate_presigned_url("GetObject", doc! {"Bucket": "moved", "Key": "k"}, 60)
        .await
        .unwrap();
    assert!(url.contains("%2Feu-west-1%2Fs3%2F"), "{url}");
    let other = s3
        .build_request("GetObject", doc! {"Bucket": "elsewhere", "Key": "k"})
        .await
        .unwrap();
    assert!(other
        .header("authorization")
        .unwrap()
        .contains("/us-east-1/s3/"));
    // Another client starts over.
    let fresh = session.client("s3").unwrap();
    fresh
        .call("GetObject", doc! {"Bucket": "moved", "Key": "k"})
        .await
        .unwrap();
    let regions: Vec<String> = trace(&server).into_iter().map(|(_, _, r)| r).collect();
    assert_eq!(
        regions,
        ["us-east-1", "eu-west-1", "us-east-1", "eu-west-1"]
    );
}

#[tokio::test]
async fn bodies_are_sent_again_and_bodiless_head_errors_redirect() {
    let server = bucket_in_eu_west_1(Refusal::MalformedWithRegion);
    let s3 = session_at(&server.url, "us-east-1").client("s3").unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": "moved", "Key": "k", "Body": Document::Blob("payload".into())},
    )
    .await
    .unwrap();
    let fresh = session_at(&server.url, "us-east-1").client("s3").unwrap();
    fresh
        .invoke(
            "PutObject",
            doc! {"Bucket": "moved", "Key": "k"},
            Some(ByteStream::from(bytes::Bytes::from_static(b"payload"))),
        )
        .await
        .unwrap();
    // HeadObject signed for the wrong region gets a bodiless 301: HeadBucket finds the region.
    let head = session_at(&server.url, "us-east-1").client("s3").unwrap();
    let out = head
        .call("HeadObject", doc! {"Bucket": "moved", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(out["ContentLength"].as_i64(), Some(4));
    let trace = trace(&server);
    assert_eq!(
        trace[4..],
        [
            t("HEAD", "/moved/k", "us-east-1"),
            t("HEAD", "/moved", "us-east-1"),
            t("HEAD", "/moved", "eu-west-1"),
            t("HEAD", "/moved/k", "eu-west-1"),
        ]
    );
    assert_eq!(trace.len(), 8, "{trace:?}");
}

#[tokio::test]
async fn a_bucket_that_is_not_elsewhere_is_not_redirected() {
    // The server refuses with a 301 naming the client's own region: nothing to gain by sending
    // again, so the error stands (and no loop).
    let server = Server::start(|_req: &Request| {
        Response::s3_error(301, "PermanentRedirect", "").header("x-amz-bucket-region", "us-east-1")
    });
    let s3 = session_at(&server.url, "us-east-1").client("s3").unwrap();
    let err = s3
        .call("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap_err();
    assert!(err.is("PermanentRedirect"), "{err}");
    assert_eq!(server.requests().len(), 1);
    // A bad region name from a header is not followed either.
    let server = Server::start(|_req: &Request| {
        Response::s3_error(301, "PermanentRedirect", "")
            .header("x-amz-bucket-region", "evil.example.com/")
    });
    let s3 = session_at(&server.url, "us-east-1").client("s3").unwrap();
    let err = s3
        .call("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap_err();
    assert!(err.is("PermanentRedirect"), "{err}");
    assert_eq!(server.requests().len(), 1);
}
