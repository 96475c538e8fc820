//! `Expect: 100-continue` on S3 uploads, as botocore's `add_expect_header` decides it: the same
//! calls through boto3 and boto-rs, via a recording proxy in front of moto, ask for a 100 on the
//! same requests, except that boto-rs sends a body of at most 64 KiB with its head and then
//! leaves the header out (a server would answer it with a 100 nobody waits for).

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
mod support;

use boto::{doc, Session};
use fault_proxy::FaultProxy;
use support::{moto_url, python_json, session_at, unique};

/// The largest body the transport sends with its head (`SENT_WITH_HEAD_MAX` in boto-core).
const SENT_WITH_HEAD_MAX: u64 = 64 * 1024;

/// For each request the proxy saw: the operation's method and path shape, whether it asked for
/// a `100 Continue`, and its body's length.
fn expects(proxy: &FaultProxy) -> Vec<(String, bool, u64)> {
    proxy
        .seen()
        .iter()
        .map(|s| {
            let what = if s.method == "GET" {
                "GetObject"
            } else if s.query_has("tagging") {
                "PutBucketTagging"
            } else if s.query_has("uploadId") && s.method == "PUT" {
                "UploadPart"
            } else if s.query_has("uploads") {
                "CreateMultipartUpload"
            } else if s.query_has("uploadId") {
                "CompleteMultipartUpload"
            } else if s.method == "PUT" && s.target.trim_start_matches('/').contains('/') {
                "PutObject"
            } else {
                "CreateBucket"
            };
            (
                what.to_string(),
                s.header("expect")
                    .is_some_and(|v| v.eq_ignore_ascii_case("100-continue")),
                s.header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            )
        })
        .collect()
}

const BOTO3: &str = r#"
import boto3, json, sys
url, bucket = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
s3.create_bucket(Bucket=bucket)
s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
s3.put_object(Bucket=bucket, Key="small", Body=b"hello")
s3.put_object(Bucket=bucket, Key="empty", Body=b"")
s3.put_object(Bucket=bucket, Key="large", Body=b"x" * (100 * 1024))
up = s3.create_multipart_upload(Bucket=bucket, Key="big")
part = s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1, Body=b"part")
s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=2, Body=b"x" * (100 * 1024))
s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=up["UploadId"],
    MultipartUpload={"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]})
print(json.dumps(s3.get_object(Bucket=bucket, Key="small")["Body"].read().decode()))
"#;

async fn boto_rs_calls(session: &Session, bucket: &str) {
    let s3 = session.client("s3").unwrap();
    s3.call("CreateBucket", doc! {"Bucket": bucket})
        .await
        .unwrap();
    s3.call(
        "PutBucketTagging",
        doc! {"Bucket": bucket, "Tagging": {"TagSet": [{"Key": "k", "Value": "v"}]}},
    )
    .await
    .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": bucket, "Key": "small", "Body": "hello"},
    )
    .await
    .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": bucket, "Key": "empty", "Body": ""},
    )
    .await
    .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": bucket, "Key": "large", "Body": "x".repeat(100 * 1024)},
    )
    .await
    .unwrap();
    let up = s3
        .call(
            "CreateMultipartUpload",
            doc! {"Bucket": bucket, "Key": "big"},
        )
        .await
        .unwrap();
    let id = up["UploadId"].as_str().unwrap().to_string();
    let part = s3
        .call(
            "UploadPart",
            doc! {"Bucket": bucket, "Key": "big", "UploadId": &id, "PartNumber": 1, "Body": "part"},
        )
        .await
        .unwrap();
    let etag = part["ETag"].as_str().unwrap().to_string();
    s3.call(
        "UploadPart",
        doc! {"Bucket": bucket, "Key": "big", "UploadId": &id, "PartNumber": 2,
        "Body": "x".repeat(100 * 1024)},
    )
    .await
    .unwrap();
    s3.call(
        "CompleteMultipartUpload",
        doc! {"Bucket": bucket, "Key": "big", "UploadId": &id,
        "MultipartUpload": {"Parts": [{"ETag": &etag, "PartNumber": 1}]}},
    )
    .await
    .unwrap();
    s3.call("GetObject", doc! {"Bucket": bucket, "Key": "small"})
        .await
        .unwrap();
}

#[tokio::test]
async fn large_uploads_ask_for_100_continue_on_the_requests_boto3_does() {
    let proxy = FaultProxy::start(&moto_url());
    let bucket = unique("expect");
    let printed = python_json(BOTO3, &[&proxy.url, &bucket], "");
    assert_eq!(printed, "hello", "boto3's upload arrived whole");
    let boto3 = expects(&proxy);

    let session = session_at(&proxy.url, "us-east-1");
    boto_rs_calls(&session, &unique("expect")).await;
    let ours = expects(&proxy)[boto3.len()..].to_vec();
    let ops = |seen: &[(String, bool, u64)]| seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        ops(&ours),
        ops(&boto3),
        "the same requests in the same order"
    );
    for ((op, ours_expects, len), (_, boto3_expects, boto3_len)) in ours.iter().zip(&boto3) {
        if op == "PutObject" || op == "UploadPart" {
            assert_eq!(len, boto3_len, "{op}: the same body");
        }
        assert_eq!(
            *ours_expects,
            *boto3_expects && *len > SENT_WITH_HEAD_MAX,
            "{op} of {len} bytes: boto3 asked for a 100: {boto3_expects}"
        );
    }
    // The rule is not vacuous on either side: boto3 asks for a 100 on every upload, small ones
    // included, and boto-rs on the large ones.
    for op in ["PutObject", "UploadPart"] {
        assert!(
            boto3
                .iter()
                .any(|(o, e, n)| o == op && *e && *n <= SENT_WITH_HEAD_MAX),
            "{op}: {boto3:?}"
        );
        assert!(
            ours.iter()
                .any(|(o, e, n)| o == op && *e && *n > SENT_WITH_HEAD_MAX),
            "{op}: {ours:?}"
        );
    }
    assert!(
        ours.iter()
            .any(|(op, e, _)| op == "PutBucketTagging" && !*e),
        "{ours:?}"
    );
}
