//! Waiters from the models, through the client and the resource layer, on moto.

mod support;

use boto::doc;
use std::time::Duration;
use support::{session, unique};

#[tokio::test]
async fn object_and_bucket_waiters() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let name = unique("wait");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    // The object appears while the waiter polls.
    let (c2, n2) = (client.clone(), name.clone());
    let writer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        c2.call("PutObject", doc! {"Bucket": n2, "Key": "late", "Body": "x"})
            .await
            .unwrap();
    });
    let waiter = client
        .waiter("object_exists")
        .unwrap()
        .delay(Duration::from_millis(100))
        .max_attempts(50);
    let out = waiter
        .wait(doc! {"Bucket": &name, "Key": "late"})
        .await
        .unwrap();
    assert_eq!(out["ContentLength"].as_i64(), Some(1));
    writer.await.unwrap();

    // A waiter that cannot succeed gives up after its attempts.
    let err = client
        .waiter("ObjectExists")
        .unwrap()
        .delay(Duration::ZERO)
        .max_attempts(2)
        .wait(doc! {"Bucket": &name, "Key": "never"})
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("gave up after 2 attempts"),
        "{err}"
    );

    // Resources wait with their identifiers.
    let bucket = s.resource("s3").unwrap().bucket(&name).unwrap();
    bucket.wait_until_exists().await.unwrap();
    let gone = s.resource("s3").unwrap().object(&name, "late").unwrap();
    gone.delete().await.unwrap();
    gone.wait_until_not_exists().await.unwrap();

    let err = client.waiter("object_exist").unwrap_err().to_string();
    assert!(err.contains("ObjectExists"), "{err}");
}
