//! The headers botocore adds to every call, whatever the service: `amz-sdk-invocation-id` and
//! `amz-sdk-request` (`add_retry_headers`) and, inside Lambda, `X-Amzn-Trace-Id`
//! (`add_recursion_detection_header`). The same call goes through the pinned boto3 and boto-rs to
//! a scripted loopback server that fails the first attempt, and the heads it received are
//! compared. And the headers SigV4 adds (`Authorization`, the payload hash, the token): each
//! request boto-rs sends is re-signed by botocore's signer and the two compared.

mod support;

use boto::{doc, Credentials, Session};
use boto_core::config::Env;
use support::{python_json, scripted_server};

const DATE: &str = "Wed, 02 Dec 2026 18:00:00 GMT";

fn fail_then_succeed() -> Vec<String> {
    let failed = "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code>\
                  <Message>try again</Message></Error><RequestId>r1</RequestId></ErrorResponse>";
    let ok = "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn>\
              <UserId>U</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
              <ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetCallerIdentityResponse>";
    [(500, "Internal Server Error", failed), (200, "OK", ok)]
        .iter()
        .map(|(status, reason, body)| {
            format!(
                "HTTP/1.1 {status} {reason}\r\ndate: {DATE}\r\ncontent-type: text/xml\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        })
        .collect()
}

/// The value of `name` in a request head, if it has one.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// What a head says about the call: the two retry headers' values (the id replaced by whether
/// it is a version 4 UUID) and the trace header.
fn facts(heads: &[String]) -> Vec<serde_json::Value> {
    heads
        .iter()
        .map(|h| {
            let id = header(h, "amz-sdk-invocation-id").unwrap_or("");
            serde_json::json!({
                "id_is_uuid4": id.len() == 36 && id.as_bytes().get(14) == Some(&b'4'),
                "request": header(h, "amz-sdk-request"),
                "trace": header(h, "x-amzn-trace-id"),
            })
        })
        .collect()
}

fn same_id(heads: &[String]) -> bool {
    let ids: Vec<_> = heads
        .iter()
        .map(|h| header(h, "amz-sdk-invocation-id"))
        .collect();
    ids.windows(2).all(|w| w[0] == w[1])
}

/// boto3's heads for the call, made with `mode` retries and `env` added to its environment.
fn boto3_heads(mode: &str, env: &[(&str, &str)]) -> Vec<String> {
    let (url, server) = scripted_server(fail_then_succeed());
    let script = r#"
import boto3, json, os, sys
from botocore.config import Config
env = json.loads(sys.argv[3])
os.environ.update(env)
c = boto3.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret',
                 config=Config(retries={'mode': sys.argv[2]}))
print(json.dumps(c.get_caller_identity()['Account']))
"#;
    let vars: serde_json::Map<String, serde_json::Value> = env
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let vars = serde_json::Value::Object(vars).to_string();
    let account = python_json(script, &[&url, mode, &vars], "");
    assert_eq!(account, "123456789012");
    server.join().unwrap()
}

async fn boto_rs_heads(mode: &str, env: &[(&str, &str)]) -> Vec<String> {
    let (url, server) = scripted_server(fail_then_succeed());
    let mut vars = vec![("HOME", "/nonexistent-boto-test-home")];
    vars.extend_from_slice(env);
    let session = Session::builder()
        .env(Env::from_vars(vars))
        .region_name("us-east-1")
        .endpoint_url(&url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .config("retry_mode", mode)
        .build()
        .unwrap();
    let out = session
        .client("sts")
        .unwrap()
        .call("GetCallerIdentity", doc! {})
        .await
        .unwrap();
    assert_eq!(out["Account"].as_str(), Some("123456789012"));
    server.join().unwrap()
}

#[tokio::test]
async fn retry_headers_match_boto3_in_standard_and_legacy_mode() {
    for mode in ["standard", "legacy"] {
        let theirs = tokio::task::spawn_blocking(move || boto3_heads(mode, &[]))
            .await
            .unwrap();
        let ours = boto_rs_heads(mode, &[]).await;
        assert_eq!(facts(&ours), facts(&theirs), "{mode}: {ours:?}\n{theirs:?}");
        assert!(
            same_id(&ours) && same_id(&theirs),
            "{mode}: one id per call"
        );
        // The expected values, so that the comparison cannot pass on two empty answers.
        let second = if mode == "standard" {
            "ttl=20261202T180100Z; attempt=2; max=3"
        } else {
            "ttl=20261202T180100Z; attempt=2; max=5"
        };
        assert_eq!(header(&ours[1], "amz-sdk-request"), Some(second), "{mode}");
        assert_eq!(facts(&ours)[0]["id_is_uuid4"], true);
    }
    let (a, b) = (
        boto_rs_heads("standard", &[]).await,
        boto_rs_heads("standard", &[]).await,
    );
    assert_ne!(
        header(&a[0], "amz-sdk-invocation-id"),
        header(&b[0], "amz-sdk-invocation-id"),
        "a new id for each call"
    );
}

#[tokio::test]
async fn inside_lambda_the_trace_id_is_sent_as_boto3_sends_it() {
    let lambda = [
        ("AWS_LAMBDA_FUNCTION_NAME", "my-function"),
        (
            "_X_AMZN_TRACE_ID",
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1 /x",
        ),
    ];
    let theirs = tokio::task::spawn_blocking(move || boto3_heads("standard", &lambda))
        .await
        .unwrap();
    let ours = boto_rs_heads("standard", &lambda).await;
    assert_eq!(facts(&ours), facts(&theirs));
    assert_eq!(
        header(&ours[0], "x-amzn-trace-id"),
        Some("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1%20%2Fx")
    );
    let outside = boto_rs_heads("standard", &lambda[1..]).await;
    assert_eq!(
        header(&outside[0], "x-amzn-trace-id"),
        None,
        "not in Lambda"
    );
}

/// A `200 OK` that closes the connection, so that each call reaches the next scripted answer.
fn answer(status: &str, extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// What botocore's signer makes of each request boto-rs sent, re-signed at the instant its
/// `X-Amz-Date` names: S3's (`S3SigV4Auth`) for S3, `SigV4Auth` for the others. The payload
/// hash boto-rs sent is dropped first, so botocore decides it afresh (over plain HTTP it hashes
/// every body, a file's too); so are the session token and the date, which it sets again.
const RESIGN: &str = r#"
import sys, json, datetime, hashlib, base64, zlib
from unittest import mock
from botocore.auth import SigV4Auth, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
out = []
for case in json.load(sys.stdin):
    lines = case["head"].split("\r\n")
    method, target, _ = lines[0].split(" ")
    headers = {}
    for line in lines[1:]:
        if line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    given = {k: headers.pop(k, None) for k in ("authorization", "x-amz-content-sha256", "x-amz-security-token")}
    body = bytes.fromhex(case["body"])
    req = AWSRequest(method=method, url="http://" + headers["host"] + target, data=body, headers=headers)
    at = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ")
    signer = S3SigV4Auth if case["service"] == "s3" else SigV4Auth
    creds = Credentials("AKIDEXAMPLE", "secret", case["token"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=at):
        signer(creds, case["service"], "eu-west-1").add_auth(req)
    theirs = {k: req.headers.get(k) for k in given}
    out.append({"case": case["name"], "boto-rs": given, "botocore": theirs,
                "body_sha256": hashlib.sha256(body).hexdigest(),
                "body_crc32": base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode(),
                "body_sha256_b64": base64.b64encode(hashlib.sha256(body).digest()).decode(),
                "checksum": [headers.get("x-amz-checksum-crc32"), headers.get("x-amz-checksum-sha256"),
                             headers.get("x-amz-sdk-checksum-algorithm")]})
print(json.dumps(out))
"#;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every SigV4 request boto-rs makes is signed as botocore signs the same head and body: the
/// whole `Authorization` (scope, signed headers, signature), the payload hash and the token.
/// Over plain HTTP that includes hashing a body streamed from a file, as botocore hashes a
/// seekable body there.
#[tokio::test]
async fn botocore_signs_each_request_as_boto_rs_did() {
    let path = support::temp_path("signed-upload");
    let data = support::test_bytes((1 << 20) + 3, 5);
    std::fs::write(&path, &data).unwrap();
    let sqs_body = r#"{"MessageId":"m1","MD5OfMessageBody":"49f68a5c8493ec2c0bf489821c21fc3b"}"#;
    let sts_body = fail_then_succeed().pop().unwrap();
    let (url, server) = support::recording_server(vec![
        answer("200 OK", "", ""),
        answer("200 OK", "", ""),
        answer(
            "200 OK",
            "content-type: application/xml\r\n",
            "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount></ListBucketResult>",
        ),
        answer(
            "206 Partial Content",
            "content-range: bytes 0-3/10\r\n",
            "0123",
        ),
        answer(
            "200 OK",
            "content-type: application/x-amz-json-1.0\r\n",
            sqs_body,
        ),
        sts_body,
        answer("200 OK", "", ""),
    ]);
    let session = |token: Option<&str>| {
        Session::builder()
            .env(Env::from_vars([("HOME", "/nonexistent-boto-test-home")]))
            .region_name("eu-west-1")
            .endpoint_url(&url)
            .credentials(Credentials::from_keys(
                "AKIDEXAMPLE",
                "secret",
                token.map(str::to_string),
            ))
            .build()
            .unwrap()
    };
    let token = "FQoGZXIvYXdzE/token+with=chars";
    let s3 = session(None).client("s3").unwrap();
    let body = boto::ByteStream::from_path(&path).await.unwrap();
    s3.invoke(
        "PutObject",
        doc! {"Bucket": "b", "Key": "dir/a file+~é.bin"},
        Some(body),
    )
    .await
    .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": "b", "Key": "k", "Body": "hello", "ContentType": "text/plain",
        "Metadata": {"Note": "a  b"}},
    )
    .await
    .unwrap();
    s3.call(
        "ListObjectsV2",
        doc! {"Bucket": "b", "Prefix": "a b/ü", "Delimiter": "/", "MaxKeys": 5},
    )
    .await
    .unwrap();
    let with_token = session(Some(token));
    with_token
        .client("s3")
        .unwrap()
        .call(
            "GetObject",
            doc! {"Bucket": "b", "Key": "k", "Range": "bytes=0-3"},
        )
        .await
        .unwrap();
    let sqs = with_token.client("sqs").unwrap();
    sqs.call(
        "SendMessage",
        doc! {"QueueUrl": format!("{url}/123456789012/q"), "MessageBody": "hi"},
    )
    .await
    .unwrap();
    session(None)
        .client("sts")
        .unwrap()
        .call("GetCallerIdentity", doc! {})
        .await
        .unwrap();
    // A SHA-256 checksum of a file the signer hashes too: one digest serves both headers.
    let body = boto::ByteStream::from_path(&path).await.unwrap();
    s3.invoke(
        "PutObject",
        doc! {"Bucket": "b", "Key": "sha", "ChecksumAlgorithm": "SHA256"},
        Some(body),
    )
    .await
    .unwrap();
    std::fs::remove_file(&path).ok();
    let seen = server.join().unwrap();
    let cases = [
        ("PutObject from a file", "s3", None),
        ("PutObject in memory", "s3", None),
        ("ListObjectsV2", "s3", None),
        ("GetObject with a token", "s3", Some(token)),
        ("SQS SendMessage with a token", "sqs", Some(token)),
        ("STS GetCallerIdentity", "sts", None),
        ("PutObject from a file with a SHA-256 checksum", "s3", None),
    ];
    assert_eq!(seen.len(), cases.len());
    let input: Vec<serde_json::Value> = cases
        .iter()
        .zip(&seen)
        .map(|((name, service, token), (head, body))| {
            serde_json::json!({"name": name, "service": service, "token": token,
                               "head": head, "body": hex(body)})
        })
        .collect();
    let input = serde_json::Value::Array(input).to_string();
    let out = tokio::task::spawn_blocking(move || python_json(RESIGN, &[], &input))
        .await
        .unwrap();
    for case in out.as_array().unwrap() {
        assert_eq!(case["boto-rs"], case["botocore"], "{}", case["case"]);
    }
    // Known values, so that the comparison cannot pass on two empty answers.
    assert!(seen[0].1 == data, "the file went as the body");
    let file = &out[0]["boto-rs"];
    assert_eq!(file["x-amz-content-sha256"], out[0]["body_sha256"]);
    // Both uploads carry the body's CRC32, summed in the same pass as the file's hash.
    for case in &out.as_array().unwrap()[..2] {
        let want = serde_json::json!([case["body_crc32"], null, "CRC32"]);
        assert_eq!(case["checksum"], want, "{}", case["case"]);
    }
    let sha = &out[6];
    assert_eq!(
        sha["checksum"],
        serde_json::json!([null, sha["body_sha256_b64"], "SHA256"])
    );
    assert_eq!(sha["boto-rs"]["x-amz-content-sha256"], sha["body_sha256"]);
    assert!(file["authorization"]
        .as_str()
        .unwrap()
        .starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert_eq!(out[3]["boto-rs"]["x-amz-security-token"], token);
    assert_eq!(
        out[4]["boto-rs"]["x-amz-content-sha256"],
        serde_json::Value::Null
    );
}

/// The payload-hash and checksum headers of a head.
fn upload_hashes(head: &str) -> serde_json::Value {
    let names = [
        "x-amz-content-sha256",
        "x-amz-checksum-crc32",
        "x-amz-sdk-checksum-algorithm",
    ];
    names
        .iter()
        .map(|n| (n.to_string(), serde_json::json!(header(head, n))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// The same file PutObject through the pinned boto3 and boto-rs to recording servers over plain
/// HTTP: both send the file's SHA-256 as the payload hash and its CRC32 as the checksum.
#[tokio::test]
async fn a_file_upload_over_http_carries_the_hashes_boto3_sends() {
    let path = support::temp_path("boto3-upload");
    std::fs::write(&path, support::test_bytes((1 << 20) + 7, 9)).unwrap();
    let (url, seen) = support::recording_server(vec![answer("200 OK", "", "")]);
    let s3 = support::session_at(&url, "us-east-1").client("s3").unwrap();
    let body = boto::ByteStream::from_path(&path).await.unwrap();
    s3.invoke("PutObject", doc! {"Bucket": "b", "Key": "f"}, Some(body))
        .await
        .unwrap();
    let ours = upload_hashes(&seen.join().unwrap().remove(0).0);
    let (url2, seen2) = support::recording_server(vec![answer("200 OK", "", "")]);
    let script = r#"
import boto3, sys
c = boto3.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
with open(sys.argv[2], 'rb') as f:
    c.put_object(Bucket='b', Key='f', Body=f)
print('{}')
"#;
    let file = path.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || python_json(script, &[&url2, &file], ""))
        .await
        .unwrap();
    let theirs = upload_hashes(&seen2.join().unwrap().remove(0).0);
    std::fs::remove_file(&path).ok();
    assert_eq!(ours, theirs);
    let hash = ours["x-amz-content-sha256"].as_str().unwrap_or_default();
    assert!(
        hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{ours}"
    );
}
