//! SSE-C: the caller passes the raw key; S3 wants it base64-encoded with the base64 MD5 of the
//! raw key beside it, for the object and for a copy source (botocore's `sse_md5` /
//! `copy_source_sse_md5`). The headers are compared with the ones boto3 sends for the same
//! input, the calls run on moto, and the key never shows in `Debug`.

mod support;

use boto::doc;
use boto_core::document::Document;
use std::collections::BTreeMap;
use support::{session, unique};

const KEY: &str = "0123456789abcdef0123456789abcdef";

/// The SSE-C headers boto3 sends for each `[operation, params]` (its requests answered by a
/// `before-send` hook, never sent).
fn boto3_sse_headers(calls: &serde_json::Value) -> Vec<BTreeMap<String, String>> {
    let script = r#"
import json, sys, boto3, botocore
from botocore.awsrequest import AWSResponse
s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                  aws_access_key_id="k", aws_secret_access_key="s")
seen = []
def answer(request, **kw):
    seen.append({k.lower(): v.decode() if isinstance(v, bytes) else v
                 for k, v in request.headers.items() if "customer" in k.lower()})
    return AWSResponse(request.url, 200, {}, None)
s3.meta.events.register("before-send", answer)
for op, params in json.load(sys.stdin):
    try:
        getattr(s3, botocore.xform_name(op))(**params)
    except Exception:
        pass  # the canned answer does not parse for every operation
print(json.dumps(seen))
"#;
    serde_json::from_value(support::python_json(script, &[], &calls.to_string())).unwrap()
}

fn calls(bucket: &str) -> serde_json::Value {
    let sse = |extra: serde_json::Value| {
        let mut m = serde_json::json!({
            "Bucket": bucket, "Key": "secret.txt",
            "SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY,
        });
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        m
    };
    serde_json::json!([
        ["PutObject", sse(serde_json::json!({"Body": "hidden"}))],
        ["GetObject", sse(serde_json::json!({}))],
        ["HeadObject", sse(serde_json::json!({}))],
        [
            "CopyObject",
            sse(serde_json::json!({
                "Key": "copy.txt",
                "CopySource": format!("{bucket}/secret.txt"),
                "CopySourceSSECustomerAlgorithm": "AES256",
                "CopySourceSSECustomerKey": KEY,
            }))
        ],
        // The caller's own MD5 is kept, as botocore keeps it.
        [
            "GetObject",
            sse(serde_json::json!({"SSECustomerKeyMD5": "bXktb3duLW1kNQ=="}))
        ],
    ])
}

#[tokio::test]
async fn sse_c_headers_match_boto3_and_the_calls_run_on_moto() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let bucket = unique("ssec");
    s3.call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    let calls = calls(&bucket);
    let expected = boto3_sse_headers(&calls);
    assert_eq!(expected.len(), 5);
    for (call, boto3) in calls.as_array().unwrap().iter().zip(&expected) {
        let op = call[0].as_str().unwrap();
        let input = Document::from_json(&call[1].to_string()).unwrap();
        let req = s3.build_request(op, input.clone()).await.unwrap();
        let ours: BTreeMap<String, String> = req
            .headers
            .iter()
            .filter(|(k, _)| k.to_ascii_lowercase().contains("customer"))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        assert_eq!(&ours, boto3, "{op}");
        assert!(ours.len() >= 3, "{op}: {ours:?}");
        // The key (raw or encoded) never shows in Debug.
        let debug = format!("{req:?}");
        let encoded = &ours["x-amz-server-side-encryption-customer-key"];
        assert!(
            !debug.contains(encoded.as_str()) && !debug.contains(KEY),
            "{debug}"
        );
        if !call[1]
            .as_object()
            .unwrap()
            .contains_key("SSECustomerKeyMD5")
        {
            s3.call(op, input)
                .await
                .unwrap_or_else(|e| panic!("{op} with SSE-C on moto: {e}"));
        }
    }
    let got = s3
        .call(
            "GetObject",
            doc! {"Bucket": &bucket, "Key": "copy.txt", "SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY},
        )
        .await
        .unwrap();
    assert_eq!(got["Body"].as_blob().map(|b| &b[..]), Some(&b"hidden"[..]));
}
