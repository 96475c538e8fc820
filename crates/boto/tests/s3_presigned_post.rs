//! Presigned POST (boto3's `generate_presigned_post`): the form fields boto3 gives for the same
//! inputs at the same instant (SigV4, `Config(signature_version="s3v4")`), an HTML-form upload
//! with them on moto, and on a loopback S3 that checks the policy as S3 does (signature,
//! expiration, every condition, every field covered) and refuses a form that breaks one.

mod s3_support;
mod support;

use boto::{doc, Document, PresignedPost};
use ring::hmac;
use s3_support::{Request, Response, Server};
use std::io::{Read, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use support::{session, session_at, unique};

const SECRET: &str = "secret"; // support::session_at's

fn conditions() -> Vec<Document> {
    vec![
        doc! {"acl": "public-read"},
        Document::List(vec!["content-length-range".into(), 1.into(), 64.into()]),
        Document::List(vec![
            "starts-with".into(),
            "$Content-Type".into(),
            "text/".into(),
        ]),
    ]
}

fn fields() -> Document {
    doc! {"acl": "public-read", "Content-Type": "text/plain"}
}

/// A multipart/form-data POST of `fields` then the file, as a browser sends it; the status and
/// body of the answer.
fn post_form(url: &str, fields: &[(String, String)], filename: &str, file: &[u8]) -> (u16, String) {
    let boundary = "----boto-rs-form-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(file);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

/// The parts of a multipart/form-data body: (name, filename, value).
fn form_parts(req: &Request) -> Vec<(String, Option<String>, Vec<u8>)> {
    let ct = req.header("content-type").unwrap_or_default();
    let boundary = format!("--{}", ct.split("boundary=").nth(1).unwrap_or_default());
    let body = &req.body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = (0..body.len().saturating_sub(boundary.len()))
        .filter(|&i| body[i..].starts_with(boundary.as_bytes()))
        .collect();
    for w in positions.windows(2) {
        let part = &body[w[0] + boundary.len() + 2..w[1] - 2];
        let Some(split) = part.windows(4).position(|x| x == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..split]).to_string();
        let value = part[split + 4..].to_vec();
        let attr = |name: &str| {
            head.split(&format!("{name}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string)
        };
        parts.push((attr("name").unwrap_or_default(), attr("filename"), value));
    }
    parts
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a form POST as S3 does; `None` when it is accepted, else why not.
fn check_post(req: &Request, bucket: &str, now: SystemTime) -> Option<String> {
    let parts = form_parts(req);
    let field = |n: &str| {
        parts
            .iter()
            .find(|(k, f, _)| k.eq_ignore_ascii_case(n) && f.is_none())
            .map(|(_, _, v)| String::from_utf8_lossy(v).to_string())
    };
    let file = parts.iter().find(|(k, f, _)| k == "file" && f.is_some())?;
    let policy_b64 = field("policy")?;
    let credential = field("x-amz-credential")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [_, date, region, service, "aws4_request"] = scope[..] else {
        return Some("bad credential".into());
    };
    let k = hmac_sha256(format!("AWS4{SECRET}").as_bytes(), date.as_bytes());
    let k = hmac_sha256(&k, region.as_bytes());
    let k = hmac_sha256(&k, service.as_bytes());
    let k = hmac_sha256(&k, b"aws4_request");
    if hex(&hmac_sha256(&k, policy_b64.as_bytes())) != field("x-amz-signature")? {
        return Some("SignatureDoesNotMatch".into());
    }
    let policy = boto_core::encoding::base64_decode(&policy_b64).ok()?;
    let policy: serde_json::Value = serde_json::from_slice(&policy).ok()?;
    let expiration = policy["expiration"].as_str()?;
    let expires = boto::Timestamp::parse_any(expiration).ok()?;
    let now_ts = boto::Timestamp::from(now);
    if expires <= now_ts {
        return Some("policy expired".into());
    }
    let mut covered = vec![
        "file".to_string(),
        "policy".into(),
        "x-amz-signature".into(),
    ];
    for c in policy["conditions"].as_array()? {
        match c {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    covered.push(k.to_ascii_lowercase());
                    let actual = if k == "bucket" {
                        Some(bucket.to_string())
                    } else {
                        field(k)
                    };
                    if actual.as_deref() != v.as_str() {
                        return Some(format!("condition {k} = {v} failed"));
                    }
                }
            }
            serde_json::Value::Array(a) => match a[0].as_str()? {
                "starts-with" => {
                    let name = a[1].as_str()?.trim_start_matches('$');
                    covered.push(name.to_ascii_lowercase());
                    if !field(name).unwrap_or_default().starts_with(a[2].as_str()?) {
                        return Some(format!("condition starts-with ${name} failed"));
                    }
                }
                "content-length-range" => {
                    let len = file.2.len() as u64;
                    if len < a[1].as_u64()? || len > a[2].as_u64()? {
                        return Some("EntityTooLarge or EntityTooSmall".into());
                    }
                }
                other => return Some(format!("unknown condition {other}")),
            },
            _ => return Some("bad condition".into()),
        }
    }
    for (name, filename, _) in &parts {
        let name = name.to_ascii_lowercase();
        if filename.is_none() && !name.starts_with("x-ignore-") && !covered.contains(&name) {
            return Some(format!("field {name} is not covered by the policy"));
        }
    }
    None
}

/// A loopback S3 bucket `bucket` taking form POSTs checked by [`check_post`]; the key it
/// stores (with `${filename}` replaced) is the answer's `Location`.
fn checking_s3(bucket: &'static str, now: SystemTime) -> Server {
    Server::start(move |req: &Request| {
        if req.method != "POST" || req.target != format!("/{bucket}") {
            return Response::new(405);
        }
        match check_post(req, bucket, now) {
            Some(why) => Response::s3_error(403, "AccessDenied", &format!("<Why>{why}</Why>")),
            None => {
                let parts = form_parts(req);
                let key = parts
                    .iter()
                    .find(|(k, _, _)| k == "key")
                    .map(|p| String::from_utf8_lossy(&p.2).to_string());
                let filename = parts
                    .iter()
                    .find_map(|(_, f, _)| f.clone())
                    .unwrap_or_default();
                let key = key.unwrap_or_default().replace("${filename}", &filename);
                Response::new(204).header("location", &format!("/{bucket}/{key}"))
            }
        }
    })
}

fn fixed_now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_764_675_000) // 2025-12-02T11:30:00Z
}

#[tokio::test]
async fn the_form_uploads_and_a_broken_condition_is_refused() {
    let now = SystemTime::now();
    let server = checking_s3("forms", now);
    let s3 = session_at(&server.url, "eu-west-1").client("s3").unwrap();
    let post: PresignedPost = s3
        .generate_presigned_post("forms", "uploads/${filename}", fields(), conditions(), 300)
        .await
        .unwrap();
    assert_eq!(post.url, format!("{}/forms", server.url));
    assert!(post
        .field("x-amz-credential")
        .unwrap()
        .contains("/eu-west-1/s3/aws4_request"));
    let (status, answer) = post_form(&post.url, &post.fields, "hello.txt", b"hello");
    assert_eq!(status, 204, "{answer}");
    assert!(
        answer.contains("location: /forms/uploads/hello.txt"),
        "{answer}"
    );

    // Breaking a condition: another key prefix, a file over the range, a tampered field, an
    // extra field the policy does not cover.
    let with = |name: &str, value: &str| {
        let mut f = post.fields.clone();
        match f.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_string(),
            None => f.insert(0, (name.to_string(), value.to_string())),
        }
        f
    };
    let cases = [
        (
            with("key", "elsewhere/${filename}"),
            b"hello".to_vec(),
            "starts-with $key",
        ),
        (post.fields.clone(), vec![b'x'; 65], "EntityTooLarge"),
        (with("acl", "private"), b"hello".to_vec(), "condition acl"),
        (
            with("Content-Type", "image/png"),
            b"hello".to_vec(),
            "Content-Type",
        ),
        (
            with("x-amz-meta-extra", "1"),
            b"hello".to_vec(),
            "not covered",
        ),
        (
            with("policy", &post.field("policy").unwrap().replace('A', "B")),
            b"hello".to_vec(),
            "Signature",
        ),
    ];
    for (fields, file, why) in cases {
        let (status, answer) = post_form(&post.url, &fields, "hello.txt", &file);
        assert_eq!(status, 403, "{why}: {answer}");
        assert!(answer.contains(why), "{why}: {answer}");
    }
}

#[tokio::test]
async fn an_expired_policy_is_refused() {
    let server = checking_s3("forms", SystemTime::now());
    let s3 = session_at(&server.url, "us-east-1").client("s3").unwrap();
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let post = s3
        .generate_presigned_post_at("forms", "k.txt", Document::Null, vec![], 60, hour_ago)
        .await
        .unwrap();
    let (status, answer) = post_form(&post.url, &post.fields, "k.txt", b"x");
    assert_eq!(status, 403, "{answer}");
    assert!(answer.contains("expired"), "{answer}");
}

#[tokio::test]
async fn an_html_form_upload_works_on_moto() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let bucket = unique("forms");
    s3.call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    let post = s3
        .generate_presigned_post(&bucket, "form.txt", fields(), conditions(), 300)
        .await
        .unwrap();
    let (status, answer) = post_form(&post.url, &post.fields, "form.txt", b"posted body");
    assert!(matches!(status, 200 | 201 | 204), "{answer}");
    let got = s3
        .call("GetObject", doc! {"Bucket": &bucket, "Key": "form.txt"})
        .await
        .unwrap();
    assert_eq!(
        got["Body"].as_blob().map(|b| &b[..]),
        Some(&b"posted body"[..])
    );
}

#[test]
fn fields_match_boto3_at_the_same_instant() {
    let script = r#"
import datetime, json, sys
from unittest import mock
import boto3, botocore.auth, botocore.signers
from botocore.config import Config
now = datetime.datetime(2025, 12, 2, 11, 30, 0)
with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now), \
     mock.patch.object(botocore.signers, "get_current_datetime", return_value=now):
    out = []
    for token in [None, "TOKEN+/="]:
        s3 = boto3.client("s3", region_name="eu-west-1", endpoint_url=sys.argv[1],
                          aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                          aws_session_token=token, config=Config(signature_version="s3v4"))
        for key, fields, conditions in [
            ("uploads/${filename}", {"acl": "public-read", "Content-Type": "text/plain"},
             [{"acl": "public-read"}, ["content-length-range", 1, 64],
              ["starts-with", "$Content-Type", "text/"]]),
            ("ünïcode key", None, [{"x-amz-meta-note": "café ☕"}]),
        ]:
            r = s3.generate_presigned_post("forms", key, Fields=fields, Conditions=conditions, ExpiresIn=900)
            out.append([r["url"], list(r["fields"].items())])
print(json.dumps(out))
"#;
    let url = "http://127.0.0.1:9";
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
    let boto3: Vec<(String, Vec<(String, String)>)> = serde_json::from_slice(&out.stdout).unwrap();
    let mut ours = Vec::new();
    for token in [None, Some("TOKEN+/=")] {
        let s = boto::blocking::Session::builder()
            .env(support::empty_env())
            .region_name("eu-west-1")
            .endpoint_url(url)
            .credentials(boto::Credentials::from_keys(
                "AKIDEXAMPLE",
                SECRET,
                token.map(str::to_string),
            ))
            .build()
            .unwrap();
        let s3 = s.client("s3").unwrap();
        for (key, fields, conditions) in [
            ("uploads/${filename}", fields(), conditions()),
            (
                "ünïcode key",
                Document::Null,
                vec![doc! {"x-amz-meta-note": "café ☕"}],
            ),
        ] {
            let post = s3
                .generate_presigned_post_at("forms", key, fields, conditions, 900, fixed_now())
                .unwrap();
            ours.push((post.url, post.fields));
        }
    }
    assert_eq!(ours, boto3);
    // The session token is a secret: hidden in Debug.
    let s3 = boto::blocking::Session::builder()
        .env(support::empty_env())
        .region_name("eu-west-1")
        .endpoint_url(url)
        .credentials(boto::Credentials::from_keys(
            "AKIDEXAMPLE",
            SECRET,
            Some("TOKENVALUE".into()),
        ))
        .build()
        .unwrap()
        .client("s3")
        .unwrap();
    let post = s3
        .generate_presigned_post("forms", "k", Document::Null, vec![], 60)
        .unwrap();
    assert_eq!(post.field("x-amz-security-token"), Some("TOKENVALUE"));
    let debug = format!("{post:?}");
    assert!(!debug.contains("TOKENVALUE"), "{debug}");
}

#[test]
fn bad_fields_are_refused_by_name() {
    let s3 = boto::blocking::Session::from(session_at("http://127.0.0.1:9", "us-east-1"))
        .client("s3")
        .unwrap();
    let err = s3
        .generate_presigned_post("b", "k", doc! {"acl": 5}, vec![], 60)
        .unwrap_err();
    assert!(err.to_string().contains("\"acl\""), "{err}");
    let err = s3
        .generate_presigned_post("bad/bucket", "k", Document::Null, vec![], 60)
        .unwrap_err();
    assert!(err.to_string().contains("Bucket"), "{err}");
}
