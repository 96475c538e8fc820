//! A listing parsed the way boto3 parses it: the same ListObjectsV2 call goes through the pinned
//! boto3 and boto-rs to a scripted loopback server that first answers `200` with a body torn
//! mid-document, then `200` with a document followed by junk (both retried as `500`s, botocore's
//! `_handle_200_error`), then a document whose elements stand out of the shape's order, with
//! text around children and URL-encoded keys. The answers are compared. (A repeated scalar
//! element is left out: botocore then returns a list of ElementTree nodes, not a value.)

mod support;

use boto::doc;
use support::{python_json, scripted_server};

const DATE: &str = "Wed, 02 Dec 2026 18:00:00 GMT";

fn responses() -> Vec<String> {
    let torn = "<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><Contents><Key>k";
    let junk = "<ListBucketResult><Name>b</Name></ListBucketResult>trailing junk";
    let good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
        <KeyCount>2</KeyCount><Name>b</Name>\
        <Contents><Size>3</Size><Key>a%20b%2Bc</Key><LastModified>2026-12-01T10:20:30.000Z</LastModified>\
        <ETag>&quot;e1&quot;</ETag><StorageClass>STANDARD</StorageClass></Contents>\
        <Unknown><Deep>x</Deep></Unknown>\
        <Prefix>lead<Odd>child</Odd>tail</Prefix>\
        <Contents><Key>plain</Key><Size>0</Size><Owner><ID>o</ID></Owner></Contents>\
        <EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><MaxKeys>1000</MaxKeys>\
        </ListBucketResult>";
    [torn, junk, good]
        .iter()
        .map(|body| {
            format!(
                "HTTP/1.1 200 OK\r\ndate: {DATE}\r\ncontent-type: application/xml\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        })
        .collect()
}

/// boto3's answer, reduced to JSON: its keys in order, and each item's fields.
fn boto3_answer() -> (serde_json::Value, usize) {
    let (url, server) = scripted_server(responses());
    let script = r#"
import boto3, json, sys
c = boto3.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')
out = c.list_objects_v2(Bucket='b')
out.pop('ResponseMetadata')
def plain(v):
    if hasattr(v, 'timestamp'):
        return int(v.timestamp())
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v
print(json.dumps({'keys': list(out), 'out': plain(out)}))
"#;
    let answer = python_json(script, &[&url], "");
    (answer, server.join().unwrap().len())
}

async fn boto_rs_answer() -> (serde_json::Value, usize) {
    let (url, server) = scripted_server(responses());
    let session = support::session_at(&url, "us-east-1");
    let mut out = session
        .client("s3")
        .unwrap()
        .call("ListObjectsV2", doc! {"Bucket": "b"})
        .await
        .unwrap();
    out.remove("ResponseMetadata");
    let map = out.as_map().unwrap();
    let keys: Vec<&str> = map.keys().map(|k| k.as_str()).collect();
    let mut json: serde_json::Value = serde_json::from_str(&out.to_json()).unwrap();
    // Timestamps as epoch seconds, as the boto3 side prints them.
    for (i, item) in map["Contents"].as_list().unwrap().iter().enumerate() {
        if let Some(t) = item["LastModified"].as_timestamp() {
            json["Contents"][i]["LastModified"] = t.secs().into();
        }
    }
    let answer = serde_json::json!({"keys": keys, "out": json});
    (answer, server.join().unwrap().len())
}

#[tokio::test]
async fn a_listing_is_retried_and_read_as_boto3_reads_it() {
    let (theirs, their_requests) = tokio::task::spawn_blocking(boto3_answer).await.unwrap();
    let (ours, our_requests) = boto_rs_answer().await;
    assert_eq!(ours, theirs, "ours: {ours:#}\nboto3: {theirs:#}");
    assert_eq!((our_requests, their_requests), (3, 3), "two retried 200s");
    // The expected values, so that the comparison cannot pass on two empty answers.
    assert_eq!(ours["out"]["Name"], "b");
    assert_eq!(ours["out"]["Prefix"], "lead");
    assert_eq!(ours["out"]["Contents"][0]["Key"], "a b+c");
    assert_eq!(ours["out"]["Contents"][0]["ETag"], "\"e1\"");
    assert_eq!(ours["out"]["Contents"][1]["Owner"]["ID"], "o");
    assert_eq!(
        ours["keys"][0], "IsTruncated",
        "the shape's order, not the wire's"
    );
}
