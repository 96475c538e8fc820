//! Paginators and resource collections are `futures_core::Stream`s: the async twin of boto3's
//! `for page in paginator.paginate(..)` / `for obj in bucket.objects.all()`, on s3s-fs.

mod support;

use boto::doc;
use futures_util::{FutureExt, StreamExt};
use support::{s3s_session, unique};

/// A bucket with `n` keys (`k00`, `k01`, ...) and its client; returns the keys in listing order.
async fn bucket_with_keys(s: &boto::Session, n: usize) -> (boto::Client, String, Vec<String>) {
    let client = s.client("s3").unwrap();
    let name = unique("stream");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    let keys: Vec<String> = (0..n).map(|i| format!("k{i:02}")).collect();
    for k in &keys {
        client
            .call(
                "PutObject",
                doc! {"Bucket": &name, "Key": k.as_str(), "Body": "x"},
            )
            .await
            .unwrap();
    }
    (client, name, keys)
}

fn keys_of(page: &boto::Document) -> Vec<String> {
    page["Contents"]
        .iter()
        .map(|o| o["Key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_paginator_streams_its_pages() {
    let s = s3s_session("boto-test-secret");
    let (client, name, keys) = bucket_with_keys(&s, 7).await;
    let pages = client
        .paginate("ListObjectsV2", doc! {"Bucket": &name})
        .unwrap()
        .page_size(3);
    let pages: Vec<boto::Document> = pages.map(|page| page.unwrap()).collect::<Vec<_>>().await;
    assert_eq!(pages.len(), 3, "3 + 3 + 1");
    let listed: Vec<String> = pages.iter().flat_map(keys_of).collect();
    assert_eq!(listed, keys);

    // `next_page` and the stream drive one cursor: mixing them neither skips nor repeats a page.
    let mut pages = client
        .paginate("ListObjectsV2", doc! {"Bucket": &name})
        .unwrap()
        .page_size(3);
    let first = StreamExt::next(&mut pages).await.unwrap().unwrap();
    let second = pages.next_page().await.unwrap().unwrap();
    let third = StreamExt::next(&mut pages).await.unwrap().unwrap();
    assert_eq!(
        [keys_of(&first), keys_of(&second), keys_of(&third)].concat(),
        keys
    );
    assert!(StreamExt::next(&mut pages).await.is_none());
    assert!(pages.next_page().await.is_none());
}

#[tokio::test]
async fn a_dropped_next_page_resumes_its_request() {
    let s = s3s_session("boto-test-secret");
    let (client, name, keys) = bucket_with_keys(&s, 5).await;
    let mut pages = client
        .paginate("ListObjectsV2", doc! {"Bucket": &name})
        .unwrap()
        .page_size(2);
    // Poll once (the answer is almost surely not there yet), then drop the future.
    let mut listed = Vec::new();
    let mut count = 0;
    if let Some(page) = pages.next_page().now_or_never() {
        listed.extend(keys_of(&page.unwrap().unwrap()));
        count += 1;
    }
    while let Some(page) = pages.next_page().await {
        listed.extend(keys_of(&page.unwrap()));
        count += 1;
    }
    assert_eq!(
        count, 3,
        "2 + 2 + 1: the first page was neither lost nor fetched twice"
    );
    assert_eq!(listed, keys);
}

#[tokio::test]
async fn a_collection_streams_its_resources() {
    let s = s3s_session("boto-test-secret");
    let (_, name, keys) = bucket_with_keys(&s, 7).await;
    let bucket = s.resource("s3").unwrap().bucket(&name).unwrap();

    let mut objects = bucket.objects().unwrap().all().page_size(3).iter().unwrap();
    let mut listed = Vec::new();
    while let Some(obj) = StreamExt::next(&mut objects).await {
        let obj = obj.unwrap();
        assert_eq!(obj.size(), Some(1), "listing data comes along");
        listed.push(obj.key().unwrap().to_string());
    }
    assert_eq!(listed, keys);

    // Combinators work, and the collection's limit still holds across pages.
    let limited: Vec<String> = bucket
        .objects()
        .unwrap()
        .page_size(3)
        .limit(5)
        .iter()
        .unwrap()
        .map(|o| o.unwrap().key().unwrap().to_string())
        .collect()
        .await;
    assert_eq!(limited, keys[..5]);

    // A filter narrows the listing the stream walks.
    let filtered: Vec<_> = bucket
        .objects()
        .unwrap()
        .filter(doc! {"Prefix": "k0"})
        .iter()
        .unwrap()
        .collect()
        .await;
    assert_eq!(filtered.len(), 7);
    let none: Vec<_> = bucket
        .objects()
        .unwrap()
        .filter(doc! {"Prefix": "zzz"})
        .iter()
        .unwrap()
        .collect()
        .await;
    assert!(none.is_empty(), "an empty listing is an empty stream");
}
