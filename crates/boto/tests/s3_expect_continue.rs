//! `Expect: 100-continue` on S3 uploads, as botocore's `add_expect_header` sends it: the same
//! calls through boto3 and boto-rs, via a recording proxy in front of moto, carry the header on
//! the same requests.

#[path = "support/fault_proxy.rs"]
mod fault_proxy;
mod support;

use boto::{doc, Session};
use fault_proxy::FaultProxy;
use support::{moto_url, python_json, session_at, unique};

/// For each request the proxy saw: the operation's method and path shape, and whether it asked
/// for a `100 Continue`.
fn expects(proxy: &FaultProxy) -> Vec<(String, bool)> {
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
up = s3.create_multipart_upload(Bucket=bucket, Key="big")
part = s3.upload_part(Bucket=bucket, Key="big", UploadId=up["UploadId"], PartNumber=1, Body=b"part")
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
async fn uploads_ask_for_100_continue_on_the_requests_boto3_does() {
    let proxy = FaultProxy::start(&moto_url());
    let bucket = unique("expect");
    let printed = python_json(BOTO3, &[&proxy.url, &bucket], "");
    assert_eq!(printed, "hello", "boto3's upload arrived whole");
    let boto3 = expects(&proxy);

    let session = session_at(&proxy.url, "us-east-1");
    boto_rs_calls(&session, &unique("expect")).await;
    let ours = expects(&proxy)[boto3.len()..].to_vec();
    assert_eq!(ours, boto3, "the same requests ask for 100-continue");
    assert!(
        ours.iter().any(|(op, e)| op == "UploadPart" && *e),
        "{ours:?}"
    );
    assert!(
        ours.iter().any(|(op, e)| op == "PutBucketTagging" && !*e),
        "{ours:?}"
    );
}
