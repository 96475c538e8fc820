//! SQS's message digests (MD5OfMessageBody, MD5OfMessageAttributes, MD5OfMessageSystemAttributes,
//! MD5OfBody) are checked as the Java and .NET SDKs check them (botocore does not): every check
//! passes on moto, whose digests are also the ones boto3 gets for the same messages; a loopback
//! server that answers with a wrong digest gets a typed error naming the message, not retried,
//! and `sqs_verify_md5_checksums = false` turns the check off.

mod support;

use boto::{doc, Credentials, Document, Session};
use boto_core::client::SdkError;
use boto_core::protocol::ProtocolError;
use support::{empty_env, python_json, scripted_server, session, unique};

fn attributes() -> Document {
    doc! {
        "colour": {"DataType": "String", "StringValue": "vert sapin, été"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": Document::Blob(vec![0, 1, 2, 250, 255].into())},
        "kind": {"DataType": "String.custom", "StringValue": "x"},
    }
}

fn trace() -> Document {
    doc! {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}}
}

#[tokio::test]
async fn every_digest_checks_out_on_moto_and_matches_boto3s() {
    let sqs = session("us-east-1").client("sqs").unwrap();
    let name = unique("md5");
    let created = sqs
        .call("CreateQueue", doc! {"QueueName": &name})
        .await
        .unwrap();
    let url = created["QueueUrl"].as_str().unwrap().to_string();
    let sent = sqs
        .call(
            "SendMessage",
            doc! {"QueueUrl": &url, "MessageBody": "héllo\nworld", "MessageAttributes": attributes(), "MessageSystemAttributes": trace()},
        )
        .await
        .unwrap();
    assert!(sent["MD5OfMessageAttributes"].as_str().is_some(), "{sent}");
    let batch = sqs
        .call(
            "SendMessageBatch",
            doc! {"QueueUrl": &url, "Entries": [
                {"Id": "one", "MessageBody": "first", "MessageAttributes": attributes()},
                {"Id": "two", "MessageBody": "second"},
            ]},
        )
        .await
        .unwrap();
    assert_eq!(batch["Successful"].iter().count(), 2, "{batch}");
    let mut received = 0;
    for _ in 0..5 {
        let got = sqs
            .call(
                "ReceiveMessage",
                doc! {"QueueUrl": &url, "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]},
            )
            .await
            .unwrap();
        for m in got["Messages"].iter() {
            assert!(m["MD5OfBody"].as_str().is_some(), "{m}");
            received += 1;
        }
        if received == 3 {
            break;
        }
    }
    assert_eq!(received, 3);

    // The same message through boto3 gets the same digests: both sent the same thing.
    let script = r#"
import sys, json, boto3
a = json.loads(sys.argv[1])
c = boto3.client('sqs', region_name='us-east-1', endpoint_url=a['endpoint'],
                 aws_access_key_id='testing', aws_secret_access_key='testing')
attrs = {'colour': {'DataType': 'String', 'StringValue': 'vert sapin, été'},
         'count': {'DataType': 'Number', 'StringValue': '42'},
         'blob': {'DataType': 'Binary', 'BinaryValue': bytes([0, 1, 2, 250, 255])},
         'kind': {'DataType': 'String.custom', 'StringValue': 'x'}}
trace = {'AWSTraceHeader': {'DataType': 'String', 'StringValue': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1'}}
r = c.send_message(QueueUrl=a['url'], MessageBody='héllo\nworld', MessageAttributes=attrs, MessageSystemAttributes=trace)
print(json.dumps([r.get('MD5OfMessageBody'), r.get('MD5OfMessageAttributes'), r.get('MD5OfMessageSystemAttributes')]))
"#;
    let args = serde_json::json!({"endpoint": support::moto_url(), "url": url}).to_string();
    let theirs = python_json(script, &[&args], "");
    let ours = serde_json::json!([
        sent["MD5OfMessageBody"].as_str(),
        sent["MD5OfMessageAttributes"].as_str(),
        sent["MD5OfMessageSystemAttributes"].as_str(),
    ]);
    assert_eq!(ours, theirs);
}

fn json_answer(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: req-7\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn sqs_at(url: &str, verify: Option<&str>) -> boto::Client {
    let mut builder = Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None));
    if let Some(v) = verify {
        builder = builder.config("sqs_verify_md5_checksums", v);
    }
    builder.build().unwrap().client("sqs").unwrap()
}

/// The digest of "hello", which the server below answers with for every message.
const HELLO_MD5: &str = "5d41402abc4b2a76b9719d911017c592";

fn mismatch(err: &boto::Error) -> (&str, &str) {
    match err.sdk() {
        Some(SdkError::Response {
            error: ProtocolError::DigestMismatch(m),
            ..
        }) => (m.digest.as_str(), m.item.as_str()),
        other => panic!("not a digest mismatch: {other:?} ({err})"),
    }
}

#[tokio::test]
async fn a_wrong_digest_is_a_typed_error_naming_the_message_and_is_not_retried() {
    let answers = [
        (
            "SendMessage",
            doc! {"QueueUrl": "http://q/1", "MessageBody": "hellO"},
            format!(r#"{{"MessageId":"m-1","MD5OfMessageBody":"{HELLO_MD5}"}}"#),
            ("MD5OfMessageBody", "message m-1"),
        ),
        (
            "SendMessage",
            doc! {"QueueUrl": "http://q/1", "MessageBody": "hello", "MessageAttributes": attributes()},
            format!(
                r#"{{"MessageId":"m-2","MD5OfMessageBody":"{HELLO_MD5}","MD5OfMessageAttributes":"{HELLO_MD5}"}}"#
            ),
            ("MD5OfMessageAttributes", "message m-2"),
        ),
        (
            "SendMessageBatch",
            doc! {"QueueUrl": "http://q/1", "Entries": [{"Id": "a", "MessageBody": "hello"}, {"Id": "b", "MessageBody": "bye"}]},
            format!(
                r#"{{"Successful":[{{"Id":"a","MessageId":"m-a","MD5OfMessageBody":"{HELLO_MD5}"}},{{"Id":"b","MessageId":"m-b","MD5OfMessageBody":"{HELLO_MD5}"}}],"Failed":[]}}"#
            ),
            ("MD5OfMessageBody", "message m-b"),
        ),
        (
            "ReceiveMessage",
            doc! {"QueueUrl": "http://q/1"},
            format!(
                r#"{{"Messages":[{{"MessageId":"m-r","ReceiptHandle":"h","Body":"hello!","MD5OfBody":"{HELLO_MD5}"}}]}}"#
            ),
            ("MD5OfBody", "message m-r"),
        ),
    ];
    for (op, input, body, expected) in answers {
        // One answer only: a retry would find no server and fail otherwise.
        let (url, server) = scripted_server(vec![json_answer(&body)]);
        let err = sqs_at(&url, None).call(op, input).await.unwrap_err();
        assert_eq!(mismatch(&err), expected, "{op}");
        assert!(err.to_string().contains(expected.1), "{err}");
        assert_eq!(server.join().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn right_digests_pass_and_the_setting_turns_the_check_off() {
    let good = format!(r#"{{"MessageId":"m-1","MD5OfMessageBody":"{HELLO_MD5}"}}"#);
    let (url, server) = scripted_server(vec![json_answer(&good)]);
    let input = doc! {"QueueUrl": "http://q/1", "MessageBody": "hello"};
    sqs_at(&url, None).call("SendMessage", input).await.unwrap();
    server.join().unwrap();

    // moto leaves MD5OfMessageSystemAttributes out; SQS's digest of trace() is this one.
    let traced = |digest: &str| {
        format!(
            r#"{{"MessageId":"m-t","MD5OfMessageBody":"{HELLO_MD5}","MD5OfMessageSystemAttributes":"{digest}"}}"#
        )
    };
    let input =
        doc! {"QueueUrl": "http://q/1", "MessageBody": "hello", "MessageSystemAttributes": trace()};
    let (url, server) = scripted_server(vec![json_answer(&traced(
        "5f48eef650c1d0207456969c85af2fdd",
    ))]);
    sqs_at(&url, None)
        .call("SendMessage", input.clone())
        .await
        .unwrap();
    server.join().unwrap();
    let (url, server) = scripted_server(vec![json_answer(&traced(HELLO_MD5))]);
    let err = sqs_at(&url, None)
        .call("SendMessage", input)
        .await
        .unwrap_err();
    assert_eq!(
        mismatch(&err),
        ("MD5OfMessageSystemAttributes", "message m-t")
    );
    server.join().unwrap();

    let wrong = doc! {"QueueUrl": "http://q/1", "MessageBody": "not hello"};
    let (url, server) = scripted_server(vec![json_answer(&good)]);
    let out = sqs_at(&url, Some("false"))
        .call("SendMessage", wrong)
        .await
        .unwrap();
    assert_eq!(out["MessageId"].as_str(), Some("m-1"));
    server.join().unwrap();

    let err = Session::builder()
        .env(empty_env())
        .config("sqs_verify_md5_checksums", "sometimes")
        .region_name("us-east-1")
        .build()
        .and_then(|s| s.client("sqs"))
        .unwrap_err();
    assert!(err.to_string().contains("true or false"), "{err}");
}
