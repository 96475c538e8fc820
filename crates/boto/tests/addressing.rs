//! Requests built without sending: URLs for real AWS in the standard partition, and each session
//! signing for its own region (checked on requests actually sent to a recording loopback server).

mod support;

use boto::{doc, Credentials, Session};
use support::empty_env;

const JSON_OK: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";

fn aws_session(region: &str) -> Session {
    Session::builder()
        .env(empty_env())
        .region_name(region)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build()
        .unwrap()
}

#[tokio::test]
async fn urls_are_right_for_real_aws() {
    let west = aws_session("us-west-2");
    let req = west
        .client("sqs")
        .unwrap()
        .build_request("ListQueues", doc! {})
        .await
        .unwrap();
    assert_eq!(req.url, "https://sqs.us-west-2.amazonaws.com/");
    let req = west
        .client("s3")
        .unwrap()
        .build_request("GetObject", doc! {"Bucket": "bucket", "Key": "key"})
        .await
        .unwrap();
    assert_eq!(req.url, "https://bucket.s3.us-west-2.amazonaws.com/key");
    assert!(req
        .header("authorization")
        .unwrap()
        .contains("/us-west-2/s3/aws4_request"));
    let req = west
        .client("s3")
        .unwrap()
        .build_request(
            "ListObjectsV2",
            doc! {"Bucket": "backupbucket", "Prefix": "a b"},
        )
        .await
        .unwrap();
    assert_eq!(
        req.url,
        "https://backupbucket.s3.us-west-2.amazonaws.com/?list-type=2&encoding-type=url&prefix=a%20b"
    );
    let east = aws_session("us-east-1");
    let req = east
        .client("s3")
        .unwrap()
        .build_request("ListBuckets", doc! {})
        .await
        .unwrap();
    // botocore's default `s3.us_east_1_regional_endpoint = legacy` (see s3_global_endpoint.rs).
    assert_eq!(req.url, "https://s3.amazonaws.com/");
    let req = east
        .client("sts")
        .unwrap()
        .build_request("GetCallerIdentity", doc! {})
        .await
        .unwrap();
    assert_eq!(req.url, "https://sts.us-east-1.amazonaws.com/");
}

#[tokio::test]
async fn two_sessions_sign_for_their_own_regions() {
    let (url, server) = support::scripted_server(vec![JSON_OK.to_string(); 2]);
    for region in ["us-west-2", "eu-central-1"] {
        let s = support::session_at(&url, region);
        s.client("sqs")
            .unwrap()
            .call("ListQueues", doc! {})
            .await
            .unwrap();
    }
    let seen = server.join().unwrap();
    let scope = |head: &str| {
        head.lines()
            .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
            .and_then(|l| l.split("Credential=").nth(1))
            .map(|c| c.split(',').next().unwrap().to_string())
            .unwrap()
    };
    assert!(
        scope(&seen[0]).ends_with("/us-west-2/sqs/aws4_request"),
        "{}",
        seen[0]
    );
    assert!(
        scope(&seen[1]).ends_with("/eu-central-1/sqs/aws4_request"),
        "{}",
        seen[1]
    );
    assert!(
        !seen.iter().any(|h| h.contains("secret")),
        "the secret never travels"
    );
}

#[test]
fn blocking_inside_a_runtime_is_an_error_not_a_panic() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let s = boto::blocking::Session::from(aws_session("us-east-1"));
        let err = s
            .client("sqs")
            .unwrap()
            .call("ListQueues", doc! {})
            .unwrap_err();
        assert!(matches!(err, boto::Error::Usage(_)), "{err:?}");
        let pages: Vec<_> = s
            .client("s3")
            .unwrap()
            .paginate("ListObjectsV2", doc! {"Bucket": "b"})
            .unwrap()
            .collect();
        assert_eq!(pages.len(), 1, "one error, then the iterator ends");
        let r = s.resource("s3").unwrap();
        let items: Vec<_> = r
            .bucket("b")
            .unwrap()
            .objects()
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(items.len(), 1, "one error, then the iterator ends");
    });
}

#[tokio::test]
async fn secrets_stay_out_of_debug_output() {
    let s = Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            "very-secret-key",
            Some("very-secret-token".into()),
        ))
        .build()
        .unwrap();
    let req = s
        .client("sqs")
        .unwrap()
        .build_request("ListQueues", doc! {})
        .await
        .unwrap();
    assert_eq!(
        req.header("x-amz-security-token"),
        Some("very-secret-token"),
        "the token is sent"
    );
    let shown = format!("{req:?} {s:?} {:?}", s.client("sqs").unwrap());
    assert!(!shown.contains("very-secret"), "{shown}");
    let creds = s
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert!(!format!("{creds:?}").contains("very-secret"));
}

#[tokio::test]
async fn custom_endpoints_use_path_style_and_drop_fips() {
    let env = boto_core::config::Env::from_vars([
        ("HOME", "/nonexistent"),
        ("AWS_USE_FIPS_ENDPOINT", "true"),
    ]);
    let s = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .endpoint_url("http://localhost:18765")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build()
        .unwrap();
    let s3 = s.client("s3").unwrap();
    let req = s3
        .build_request("GetObject", doc! {"Bucket": "bkt", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(req.url, "http://localhost:18765/bkt/k");
    let req = s3
        .build_request("GetObject", doc! {"Bucket": "my.dotted.bucket", "Key": "x"})
        .await
        .unwrap();
    assert_eq!(req.url, "http://localhost:18765/my.dotted.bucket/x");
}

#[tokio::test]
async fn content_length_is_sent_once_and_zero_for_bodiless_writes() {
    let s3 = aws_session("us-east-1").client("s3").unwrap();
    let req = s3
        .build_request(
            "PutObject",
            doc! {"Bucket": "b", "Key": "k", "Body": "hello", "ContentLength": 5},
        )
        .await
        .unwrap();
    let lengths: Vec<_> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .collect();
    assert_eq!(lengths.len(), 1, "{req:?}");
    let req = s3
        .build_request("PutObject", doc! {"Bucket": "b", "Key": "folder/"})
        .await
        .unwrap();
    assert_eq!(req.header("content-length"), Some("0"));
    let req = s3
        .build_request("CreateMultipartUpload", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(req.header("content-length"), Some("0"));
    let req = s3
        .build_request("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(req.header("content-length"), None);
}

#[tokio::test]
async fn presigned_query_protocol_urls_carry_the_action() {
    let sts = aws_session("us-east-1").client("sts").unwrap();
    let url = sts
        .generate_presigned_url("GetCallerIdentity", doc! {}, 60)
        .await
        .unwrap();
    assert!(
        url.starts_with("https://sts.us-east-1.amazonaws.com/?"),
        "{url}"
    );
    assert!(
        url.contains("Action=GetCallerIdentity") && url.contains("Version=2011-06-15"),
        "{url}"
    );
    assert!(url.contains("X-Amz-SignedHeaders=host"), "{url}");
}

#[tokio::test]
async fn directory_buckets_sign_for_s3express() {
    let s3 = aws_session("us-east-1").client("s3").unwrap();
    let req = s3
        .build_request(
            "GetObject",
            doc! {"Bucket": "mybucket--use1-az4--x-s3", "Key": "k"},
        )
        .await
        .unwrap();
    assert!(req.url.contains("s3express-use1-az4"), "{}", req.url);
    assert!(
        req.header("authorization")
            .unwrap()
            .contains("/us-east-1/s3express/aws4_request"),
        "{req:?}"
    );
}
