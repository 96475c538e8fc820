//! `table.batch_writer()`: puts and deletes go out as BatchWriteItem requests of 25, de-duplicated
//! by key with `overwrite_by_pkeys`, flushed on close (and, blocking, on drop); unprocessed items
//! are sent again (a scripted server plays the throttled service, which moto never is).
#![cfg(feature = "dynamodb")]

mod support;

use boto::doc;
use boto::resource::{Resource, ServiceResource};
use support::{scripted_server, session, session_at, unique};

async fn table(ddb: &ServiceResource) -> Resource {
    ddb.action(
        "create_table",
        doc! {
            "TableName": unique("batch"),
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "N"},
            ],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    .await
    .unwrap()
    .into_resource()
    .unwrap()
}

async fn scan(table: &Resource) -> Vec<boto::Document> {
    let out = table
        .action("scan", doc! {})
        .await
        .unwrap()
        .into_output()
        .unwrap();
    let mut items: Vec<boto::Document> = out.document["Items"].iter().cloned().collect();
    items.sort_by_key(|i| i["sk"].as_i64());
    items
}

#[tokio::test]
async fn puts_and_deletes_go_out_in_batches_of_25() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    let mut batch = table.batch_writer(None).unwrap();
    for sk in 0..60 {
        batch
            .put_item(doc! {"pk": "p", "sk": sk, "big": {"N": "123456789012345678901234567890"}})
            .await
            .unwrap();
        // Sent at 25 and 50: what waits is the rest.
        assert_eq!(batch.pending(), (sk as usize + 1) % 25, "after {sk}");
    }
    assert_eq!(scan(&table).await.len(), 50, "two batches went out");
    batch.delete_item(doc! {"pk": "p", "sk": 0}).await.unwrap();
    batch.close().await.unwrap();
    let items = scan(&table).await;
    assert_eq!(items.len(), 59);
    assert_eq!(items[0]["sk"], doc!(1));
    assert_eq!(
        items[0]["big"],
        doc! {"N": "123456789012345678901234567890"}
    );
}

#[tokio::test]
async fn overwrite_by_pkeys_keeps_the_last_request_per_key() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = table(&ddb).await;
    let mut batch = table.batch_writer(Some(&["pk", "sk"])).unwrap();
    batch
        .put_item(doc! {"pk": "p", "sk": 1, "v": "first"})
        .await
        .unwrap();
    batch
        .put_item(doc! {"pk": "p", "sk": 2, "v": "other"})
        .await
        .unwrap();
    batch
        .put_item(doc! {"pk": "p", "sk": 1, "v": "second"})
        .await
        .unwrap();
    batch.delete_item(doc! {"pk": "p", "sk": 2}).await.unwrap();
    assert_eq!(batch.pending(), 2, "one request per key");
    batch.flush().await.unwrap();
    assert_eq!(batch.pending(), 0);
    let items = scan(&table).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["v"].as_str(), Some("second"));

    // Without it, both requests for one key are sent, and the service refuses the batch; the
    // error is the caller's and the requests stay buffered.
    let mut batch = table.batch_writer(None).unwrap();
    batch.put_item(doc! {"pk": "q", "sk": 1}).await.unwrap();
    batch.put_item(doc! {"pk": "q", "sk": 1}).await.unwrap();
    let err = batch.flush().await.unwrap_err();
    assert!(err.code().is_some(), "{err}");
    assert_eq!(batch.pending(), 2);
}

#[tokio::test]
async fn writers_are_for_tables_and_items_are_maps() {
    let ddb = session("us-east-1").resource("dynamodb").unwrap();
    let table = ddb.resource("Table", &["t"]).unwrap();
    let mut batch = table.batch_writer(None).unwrap();
    let err = batch.put_item(doc!("not a map")).await.unwrap_err();
    assert!(err.to_string().contains("map"), "{err}");
    let sqs = session("us-east-1").resource("sqs").unwrap();
    let queue = sqs.resource("Queue", &["http://q"]).unwrap();
    let err = queue.batch_writer(None).unwrap_err();
    assert!(err.to_string().contains("DynamoDB tables"), "{err}");
}

fn json_response(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap()
}

#[tokio::test]
async fn unprocessed_items_are_sent_again() {
    let unprocessed = r#"{"UnprocessedItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": "b"}, "n": {"N": "18446744073709551616"}}}}]}}"#;
    let (url, server) = scripted_server(vec![
        json_response(unprocessed),
        json_response(r#"{"UnprocessedItems": {}}"#),
    ]);
    let ddb = session_at(&url, "us-east-1").resource("dynamodb").unwrap();
    let table = ddb.resource("Table", &["t"]).unwrap();
    let mut batch = table.batch_writer(None).unwrap();
    batch.put_item(doc! {"pk": "a", "n": 1}).await.unwrap();
    batch
        .put_item(doc! {"pk": "b", "n": {"N": "18446744073709551616"}})
        .await
        .unwrap();
    batch.close().await.unwrap();
    let heads = server.join().unwrap();
    assert_eq!(heads.len(), 2, "the unprocessed item went out again");
    assert!(heads
        .iter()
        .all(|h| h.contains("DynamoDB_20120810.BatchWriteItem")));
    assert!(
        content_length(&heads[1]) < content_length(&heads[0]),
        "the second request holds only the unprocessed item"
    );
}

#[test]
fn blocking_writers_flush_on_drop_and_report_on_close() {
    let blocking = boto::blocking::Session::from(session("us-east-1"));
    let ddb = blocking.resource("dynamodb").unwrap();
    let name = unique("bbatch");
    let table = ddb
        .action(
            "create_table",
            doc! {
                "TableName": &name,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        )
        .unwrap()
        .into_resource()
        .unwrap();
    {
        let mut batch = table.batch_writer(None).unwrap();
        for sk in 0..30 {
            batch.put_item(doc! {"pk": "p", "sk": sk}).unwrap();
        }
        assert_eq!(batch.pending(), 5);
    } // dropped: the last 5 go out
    let count = table
        .action("scan", doc! {"Select": "COUNT"})
        .unwrap()
        .into_output()
        .unwrap()
        .document["Count"]
        .as_i64();
    assert_eq!(count, Some(30));

    let missing = ddb.resource("Table", &[&unique("no-such-table")]).unwrap();
    let mut batch = missing.batch_writer(None).unwrap();
    batch.put_item(doc! {"pk": "p", "sk": 1}).unwrap();
    let err = batch.close().unwrap_err();
    assert!(err.code().is_some_and(|c| c.contains("NotFound")), "{err}");
}
