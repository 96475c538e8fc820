//! The headers botocore adds to every call, whatever the service: `amz-sdk-invocation-id` and
//! `amz-sdk-request` (`add_retry_headers`) and, inside Lambda, `X-Amzn-Trace-Id`
//! (`add_recursion_detection_header`). The same call goes through the pinned boto3 and boto-rs to
//! a scripted loopback server that fails the first attempt, and the heads it received are
//! compared.

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
