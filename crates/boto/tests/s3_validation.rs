//! Input S3 refuses before anything is sent, as botocore does: bucket names that are neither a
//! name nor an access-point ARN (`validate_bucket_name`), non-ASCII user metadata
//! (`validate_ascii_metadata`), and, in the engine for every REST service, a URI label that
//! would move the request to another resource (an empty bucket turning `DELETE /{Bucket}/{Key}`
//! into `DELETE /{Key}`). Each refusal is checked against boto3 with the same input.

mod support;

use boto::doc;
use boto_core::document::Document;
use support::{session, unique};

/// Runs `calls` (`[operation, params]` pairs, params as JSON) through boto3 with its
/// parameter validation and returns, per call, the validation report or `null` when boto3
/// let it through (sending it nowhere: a `before-send` hook answers every request; what fails
/// after validation counts as let through).
fn boto3_refusals(calls: &serde_json::Value) -> Vec<Option<String>> {
    let script = r#"
import json, sys, boto3, botocore
from botocore.awsrequest import AWSResponse
s3 = boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                  aws_access_key_id="k", aws_secret_access_key="s")
def answer(request, **kw):
    return AWSResponse(request.url, 200, {}, None)
s3.meta.events.register("before-send", answer)
out = []
for op, params in json.load(sys.stdin):
    try:
        getattr(s3, botocore.xform_name(op))(**params)
        out.append(None)
    except botocore.exceptions.ParamValidationError as e:
        out.append(str(e))
    except Exception:
        out.append(None)  # past validation: failed later (the canned answer, the endpoint)
print(json.dumps(out))
"#;
    serde_json::from_value(support::python_json(script, &[], &calls.to_string())).unwrap()
}

fn to_doc(v: &serde_json::Value) -> Document {
    Document::from_json(&v.to_string()).unwrap()
}

#[tokio::test]
async fn bad_bucket_names_and_metadata_are_refused_as_boto3_refuses_them() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let calls = serde_json::json!([
        ["GetObject", {"Bucket": "bad/name", "Key": "k"}],
        ["GetObject", {"Bucket": "", "Key": "k"}],
        ["ListObjectsV2", {"Bucket": "a?b"}],
        ["GetObject", {"Bucket": "ok.bucket-name_1", "Key": "k"}],
        ["GetObject", {"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap", "Key": "k"}],
        ["GetObject", {"Bucket": "arn:aws:s3:us-west-2:123456789012:bucket/b", "Key": "k"}],
        ["PutObject", {"Bucket": "b", "Key": "k", "Metadata": {"name": "Zoë"}}],
        ["CopyObject", {"Bucket": "b", "Key": "k", "CopySource": "b/x", "Metadata": {"clé": "v"}}],
        ["CreateMultipartUpload", {"Bucket": "b", "Key": "k", "Metadata": {"plain": "ascii"}}],
    ]);
    let expected = boto3_refusals(&calls);
    for (call, boto3) in calls.as_array().unwrap().iter().zip(&expected) {
        let op = call[0].as_str().unwrap();
        let input = to_doc(&call[1]);
        let ours = s3.build_request(op, input).await;
        match (boto3, &ours) {
            (Some(_), Ok(_)) => panic!("boto3 refuses {call} but boto-rs builds it"),
            (None, Err(e)) => assert!(
                e.sdk().and_then(|s| s.validation()).is_none(),
                "boto3 accepts {call} but boto-rs refuses it: {e}"
            ),
            (Some(_), Err(e)) => {
                let validation = e
                    .sdk()
                    .and_then(|s| s.validation())
                    .unwrap_or_else(|| panic!("{call}: {e}"));
                let path = match op {
                    "GetObject" | "ListObjectsV2" => "Bucket".to_string(),
                    _ => {
                        let key = call[1]["Metadata"]
                            .as_object()
                            .unwrap()
                            .keys()
                            .next()
                            .unwrap();
                        format!("Metadata.{key}")
                    }
                };
                assert!(e.to_string().contains(&path), "{call}: {e}");
                assert_eq!(validation.problems.len(), 1, "{e}");
            }
            (None, Ok(_)) => {}
        }
    }
    assert_eq!(expected.iter().filter(|r| r.is_some()).count(), 6);
}

#[tokio::test]
async fn an_empty_bucket_never_sends_the_key_as_the_path() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let victim = unique("victim");
    s3.call("CreateBucket", doc! {"Bucket": &victim})
        .await
        .unwrap();
    // Without the checks this is `DELETE /<victim>`: moto deletes the (empty) bucket.
    let err = s3
        .call("DeleteObject", doc! {"Bucket": "", "Key": &victim})
        .await
        .unwrap_err();
    assert!(err.sdk().and_then(|s| s.validation()).is_some(), "{err}");
    s3.call("HeadBucket", doc! {"Bucket": &victim})
        .await
        .expect("the bucket named as the key is still there");
}

#[tokio::test]
async fn the_engine_refuses_labels_that_move_the_path_for_any_rest_service() {
    // The engine alone (no S3 customization runs for a serializer call): an empty or
    // dot-segment label is a serialization error.
    let model = boto_core::model::ServiceModel::load("s3").unwrap();
    let op = model.operation("DeleteObject").unwrap();
    for bucket in ["", ".", ".."] {
        let err =
            boto_core::protocol::serialize(&model, op, &doc! {"Bucket": bucket, "Key": "victim"})
                .unwrap_err();
        assert!(err.to_string().contains("URI label Bucket"), "{err}");
    }
}
