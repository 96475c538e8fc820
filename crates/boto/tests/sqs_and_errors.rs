//! SQS round trips through both layers, and the errors users see: service errors with code,
//! message, request id and status; validation errors listing every problem; unknown names.

mod support;

use boto::doc;
use support::{session, unique};

#[tokio::test]
async fn sqs_round_trip_through_client_and_resource() {
    let s = session("us-east-1");
    let sqs = s.client("sqs").unwrap();
    let name = unique("tour");
    let url = sqs
        .call("create_queue", doc! {"QueueName": &name})
        .await
        .unwrap()["QueueUrl"]
        .as_str()
        .unwrap()
        .to_string();
    sqs.call(
        "SendMessage",
        doc! {"QueueUrl": &url, "MessageBody": "hello"},
    )
    .await
    .unwrap();
    let got = sqs
        .call(
            "receive_message",
            doc! {"QueueUrl": &url, "MaxNumberOfMessages": 10},
        )
        .await
        .unwrap();
    let msgs: Vec<_> = got["Messages"].iter().collect();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["Body"].as_str(), Some("hello"));
    sqs.call(
        "delete_message",
        doc! {"QueueUrl": &url, "ReceiptHandle": msgs[0]["ReceiptHandle"].as_str().unwrap()},
    )
    .await
    .unwrap();

    let res = s.resource("sqs").unwrap();
    let queue = res.get_queue_by_name(&name).await.unwrap();
    assert_eq!(queue.url(), Some(url.as_str()));
    queue.send_message("via resource").await.unwrap();
    let messages = queue
        .receive_messages(doc! {"MaxNumberOfMessages": 10})
        .await
        .unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body().as_deref(), Some("via resource"));
    messages[0].delete().await.unwrap();
    let again = queue.receive_messages(doc! {}).await.unwrap();
    assert!(again.is_empty(), "the message was deleted");
}

#[tokio::test]
async fn queue_does_not_exist_is_a_service_error() {
    let s = session("us-east-1");
    let err = s
        .resource("sqs")
        .unwrap()
        .get_queue_by_name("no-such-queue-here")
        .await
        .unwrap_err();
    assert!(err.is("QueueDoesNotExist"), "{err:?}");
    assert_eq!(err.status(), Some(400));
    let text = err.to_string();
    assert!(text.contains(err.code().unwrap()), "{text}");
}

#[tokio::test]
async fn no_such_bucket_carries_code_message_request_id_and_status() {
    let s = session("us-east-1");
    let err = s
        .client("s3")
        .unwrap()
        .call("ListObjectsV2", doc! {"Bucket": "no-such-bucket-boto-rs"})
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NoSuchBucket"));
    assert_eq!(err.status(), Some(404));
    let service = err.sdk().unwrap().service_error().unwrap();
    assert!(
        service
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("bucket"),
        "{service:?}"
    );
    assert!(
        err.request_id().is_some(),
        "moto sends a request id: {err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.contains("NoSuchBucket") && shown.contains("404") && shown.contains("request id"),
        "{shown}"
    );
}

#[tokio::test]
async fn bad_parameters_are_all_reported_before_sending() {
    let s = session("us-east-1");
    let err = s
        .client("s3")
        .unwrap()
        .call("list_objects_v2", doc! {"MaxKeys": "ten", "Bogus": 1})
        .await
        .unwrap_err();
    let v = err
        .sdk()
        .and_then(|e| e.validation())
        .expect("a validation error");
    assert_eq!(v.problems.len(), 3, "{v}");
    let text = err.to_string();
    assert!(
        text.contains("Missing required parameter in input: \"Bucket\""),
        "{text}"
    );
    assert!(
        text.contains("Unknown parameter in input: \"Bogus\""),
        "{text}"
    );
    assert!(text.contains("MaxKeys"), "{text}");
}

#[tokio::test]
async fn unknown_names_suggest_the_closest() {
    let s = session("us-east-1");
    let err = s.client("sqss").unwrap_err().to_string();
    assert!(err.contains("sqs"), "{err}");
    let err = s
        .client("s3")
        .unwrap()
        .call("ListObjectV2", doc! {})
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("ListObjectsV2"), "{err}");
}

#[tokio::test]
async fn queue_attributes_load_lazily_and_errors_name_the_operation() {
    let s = session("us-east-1");
    let sqs = s.resource("sqs").unwrap();
    let name = unique("attrs");
    let mut queue = sqs
        .create_queue(&name, doc! {"Attributes": {"VisibilityTimeout": "17"}})
        .await
        .unwrap();
    let attrs = queue.get_attr("Attributes").await.unwrap();
    assert_eq!(attrs["VisibilityTimeout"].as_str(), Some("17"), "{attrs}");
    let err = s
        .client("s3")
        .unwrap()
        .call(
            "HeadObject",
            doc! {"Bucket": "no-such-bucket-x", "Key": "k"},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("when calling HeadObject"), "{err}");
    let err = s
        .client("s3")
        .unwrap()
        .paginate("list_object_v3", doc! {})
        .unwrap_err();
    assert!(err.to_string().contains("did you mean"), "{err}");
}

#[tokio::test]
async fn received_messages_are_deleted_in_one_batch() {
    let s = session("us-east-1");
    let queue = s
        .resource("sqs")
        .unwrap()
        .create_queue(&unique("batch"), doc! {})
        .await
        .unwrap();
    for i in 0..3 {
        queue.send_message(&format!("m{i}")).await.unwrap();
    }
    let messages = queue
        .receive_messages(doc! {"MaxNumberOfMessages": 10})
        .await
        .unwrap();
    assert_eq!(messages.len(), 3);
    let out = boto::resource::batch_action(&messages, "delete", doc! {})
        .await
        .unwrap();
    assert_eq!(out["Successful"].iter().count(), 3, "{:?}", out.document);
    let again = queue
        .receive_messages(doc! {"MaxNumberOfMessages": 10})
        .await
        .unwrap();
    assert!(again.is_empty());
}
