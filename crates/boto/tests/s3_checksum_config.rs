//! `request_checksum_calculation` / `response_checksum_validation` (botocore 1.36+): with
//! `when_required`, PutObject and UploadPart carry no checksum headers unless the caller asks,
//! and responses are checked only when the caller set `ChecksumMode`. The setting comes from the
//! session, the environment or the profile; a bad value is an error naming the choices. Checked
//! against a store that refuses checksum headers it does not know, and against the headers
//! boto3 sends in each mode.

mod s3_support;
mod support;

use boto::{doc, Credentials, Session};
use boto_core::config::Env;
use boto_core::document::Document;
use s3_support::{Request, Response, Server};
use std::collections::BTreeSet;
use std::process::Command;

/// True for the headers a strict S3-compatible store does not know.
fn is_checksum_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("x-amz-checksum-") || name == "x-amz-sdk-checksum-algorithm"
}

/// A store that refuses any checksum header, and serves a GetObject whose checksum is wrong.
fn strict_store() -> Server {
    Server::start(|req: &Request| {
        if let Some((name, _)) = req.headers.iter().find(|(k, _)| is_checksum_header(k)) {
            return Response::s3_error(400, "InvalidArgument", &format!("<Header>{name}</Header>"));
        }
        match req.method.as_str() {
            "PUT" => Response::new(200).header("etag", "\"e\""),
            "GET" => Response::new(200)
                .header("content-type", "application/octet-stream")
                // The CRC32 of "hello" is NhCmhg==; this one is wrong on purpose.
                .header("x-amz-checksum-crc32", "AAAAAA==")
                .body("hello"),
            _ => Response::new(204),
        }
    })
}

/// A session at `url` with `env` (and nothing from the machine).
fn session(url: &str, env: Env, settings: &[(&str, &str)]) -> Session {
    let mut b = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None));
    for (k, v) in settings {
        b = b.config(*k, *v);
    }
    b.build().unwrap()
}

fn env(vars: &[(&str, &str)]) -> Env {
    let mut all = vec![("HOME", "/nonexistent-boto-test-home")];
    all.extend_from_slice(vars);
    Env::from_vars(all)
}

async fn put_and_upload_part(s3: &boto::Client) -> Result<(), boto::Error> {
    s3.call(
        "PutObject",
        doc! {"Bucket": "b", "Key": "k", "Body": Document::Blob("hello".into())},
    )
    .await?;
    s3.call(
        "UploadPart",
        doc! {"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 1, "Body": Document::Blob("part".into())},
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn when_required_sends_no_checksum_headers_to_a_strict_store() {
    let store = strict_store();
    let dir = std::env::temp_dir().join(support::unique("boto-checksum-profile"));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\nrequest_checksum_calculation = when_required\n",
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let ways = [
        session(
            &store.url,
            env(&[]),
            &[("request_checksum_calculation", "when_required")],
        ),
        session(
            &store.url,
            env(&[("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_REQUIRED")]),
            &[],
        ),
        session(&store.url, env(&[("AWS_CONFIG_FILE", &config)]), &[]),
    ];
    for s in &ways {
        let s3 = s.client("s3").unwrap();
        put_and_upload_part(&s3).await.unwrap();
    }
    let seen = store.requests();
    assert_eq!(seen.len(), 6);
    for r in &seen {
        assert!(
            !r.headers.iter().any(|(k, _)| is_checksum_header(k)),
            "{r:?}"
        );
    }
    // Asked for, a checksum is sent (and this store refuses it).
    let s3 = ways[0].client("s3").unwrap();
    let err = s3
        .call(
            "PutObject",
            doc! {"Bucket": "b", "Key": "k", "Body": Document::Blob("hello".into()), "ChecksumAlgorithm": "SHA256"},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("InvalidArgument"), "{err}");
    let last = store.requests().pop().unwrap();
    assert!(last.header("x-amz-checksum-sha256").is_some(), "{last:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_default_still_sends_crc32_and_validates_responses() {
    let store = strict_store();
    let s3 = session(&store.url, env(&[]), &[]).client("s3").unwrap();
    let err = put_and_upload_part(&s3).await.unwrap_err();
    assert!(err.to_string().contains("InvalidArgument"), "{err}");
    let put = &store.requests()[0];
    assert!(put.header("x-amz-checksum-crc32").is_some(), "{put:?}");
    assert_eq!(put.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));

    // Responses: the default asks (`x-amz-checksum-mode`) and checks, so the strict store
    // refuses; an accepting store's wrong checksum is caught.
    let lenient = Server::start(|_req: &Request| {
        Response::new(200)
            .header("x-amz-checksum-crc32", "AAAAAA==")
            .body("hello")
    });
    let s3 = session(&lenient.url, env(&[]), &[]).client("s3").unwrap();
    let err = s3
        .call("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
    assert_eq!(
        lenient.requests()[0].header("x-amz-checksum-mode"),
        Some("ENABLED")
    );
}

#[tokio::test]
async fn when_required_validates_responses_only_when_the_caller_asks() {
    let store = strict_store();
    let s3 = session(
        &store.url,
        env(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")]),
        &[],
    )
    .client("s3")
    .unwrap();
    let got = s3
        .call("GetObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(got["Body"].as_blob().map(|b| &b[..]), Some(&b"hello"[..]));
    assert!(store.requests()[0].header("x-amz-checksum-mode").is_none());
    // Asked for: the store refuses the header it does not know; a lenient one gets checked.
    let lenient = Server::start(|_req: &Request| {
        Response::new(200)
            .header("x-amz-checksum-crc32", "AAAAAA==")
            .body("hello")
    });
    let s3 = session(
        &lenient.url,
        env(&[("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")]),
        &[],
    )
    .client("s3")
    .unwrap();
    let err = s3
        .call(
            "GetObject",
            doc! {"Bucket": "b", "Key": "k", "ChecksumMode": "ENABLED"},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
}

#[tokio::test]
async fn invalid_values_name_the_valid_choices() {
    for (name, var) in [
        (
            "request_checksum_calculation",
            "AWS_REQUEST_CHECKSUM_CALCULATION",
        ),
        (
            "response_checksum_validation",
            "AWS_RESPONSE_CHECKSUM_VALIDATION",
        ),
    ] {
        let s = session("http://127.0.0.1:9", env(&[(var, "sometimes")]), &[]);
        let err = s.client("s3").unwrap_err().to_string();
        assert!(err.contains("when_supported, when_required"), "{err}");
        assert!(err.contains(var), "{err}");
        let s = session("http://127.0.0.1:9", env(&[]), &[(name, "always")]);
        let err = s.client("s3").unwrap_err().to_string();
        assert!(err.contains(name) && err.contains("when_required"), "{err}");
    }
}

/// The checksum-related header names boto3 sends for each call in each mode (answered by a
/// `before-send` hook, never sent).
fn boto3_checksum_headers(calls: &serde_json::Value) -> serde_json::Value {
    let script = r#"
import json, sys, boto3, botocore
from botocore.awsrequest import AWSResponse
from botocore.config import Config
out = {}
for mode in ["when_supported", "when_required"]:
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                      aws_access_key_id="k", aws_secret_access_key="s",
                      config=Config(request_checksum_calculation=mode,
                                    response_checksum_validation=mode))
    seen = []
    def answer(request, **kw):
        seen.append(sorted(k.lower() for k in request.headers.keys()
                           if k.lower().startswith(("x-amz-checksum", "x-amz-sdk-checksum", "content-md5"))))
        return AWSResponse(request.url, 200, {}, None)
    s3.meta.events.register("before-send", answer)
    for op, params in json.load(open(sys.argv[1])):
        if "Body" in params:
            params["Body"] = params["Body"].encode()
        try:
            getattr(s3, botocore.xform_name(op))(**params)
        except Exception:
            pass
    out[mode] = seen
print(json.dumps(out))
"#;
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let file = std::env::temp_dir().join(support::unique("boto-checksum-calls.json"));
    std::fs::write(&file, calls.to_string()).unwrap();
    let out = Command::new(format!("{root}/.venv/bin/python"))
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("the venv's python runs (scripts/setup-test-env.sh)");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn checksum_headers_match_boto3_in_both_modes() {
    let calls = serde_json::json!([
        ["PutObject", {"Bucket": "b", "Key": "k", "Body": "hello"}],
        ["PutObject", {"Bucket": "b", "Key": "k", "Body": "hello", "ChecksumAlgorithm": "SHA256"}],
        ["PutObject", {"Bucket": "b", "Key": "k", "Body": "hello", "ContentMD5": "XUFAKrxLKna5cZ2REBfFkg=="}],
        ["PutObject", {"Bucket": "b", "Key": "k", "Body": "hello", "ChecksumCRC32": "NhCmhg=="}],
        ["UploadPart", {"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 1, "Body": "part"}],
        ["DeleteObjects", {"Bucket": "b", "Delete": {"Objects": [{"Key": "k"}]}}],
        ["PutBucketVersioning", {"Bucket": "b", "VersioningConfiguration": {"Status": "Enabled"}}],
        ["GetObject", {"Bucket": "b", "Key": "k"}],
        ["GetObject", {"Bucket": "b", "Key": "k", "ChecksumMode": "ENABLED"}],
        ["ListObjectsV2", {"Bucket": "b"}],
    ]);
    let boto3 = boto3_checksum_headers(&calls);
    for mode in ["when_supported", "when_required"] {
        let settings = [
            ("request_checksum_calculation", mode),
            ("response_checksum_validation", mode),
        ];
        let s3 = session("http://127.0.0.1:9", env(&[]), &settings)
            .client("s3")
            .unwrap();
        let expected = boto3[mode].as_array().unwrap();
        assert_eq!(expected.len(), calls.as_array().unwrap().len(), "{mode}");
        for (call, want) in calls.as_array().unwrap().iter().zip(expected) {
            let mut params = call[1].clone();
            let mut input = Document::from_json(&params.to_string()).unwrap();
            if let Some(body) = params.get_mut("Body").and_then(|b| b.as_str()) {
                input.set("Body", Document::Blob(body.to_string().into_bytes().into()));
            }
            let req = s3
                .build_request(call[0].as_str().unwrap(), input)
                .await
                .unwrap();
            let ours: BTreeSet<String> = req
                .headers
                .iter()
                .map(|(k, _)| k.to_ascii_lowercase())
                .filter(|k| {
                    k.starts_with("x-amz-checksum")
                        || k.starts_with("x-amz-sdk-checksum")
                        || k == "content-md5"
                })
                .collect();
            let want: BTreeSet<String> = want
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            assert_eq!(ours, want, "{mode}: {call}");
        }
    }
}
