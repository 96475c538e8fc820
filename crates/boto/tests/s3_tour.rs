//! The seed tour's S3 half on moto: buckets in two regions, listings through the resource and the
//! client layers equal what was uploaded; pagination past 1,000 keys; a 20 MiB streamed round trip.

mod support;

use boto::{doc, ByteStream};
use support::{session, unique};

#[tokio::test]
async fn tour_listings_equal_uploads_in_both_layers() {
    let west = session("us-west-2");
    let east = session("us-east-1");
    let backup = unique("backup");
    let video = unique("video");
    let west_s3 = west.resource("s3").unwrap();
    let east_s3 = east.resource("s3").unwrap();
    west_s3
        .create_bucket(
            &backup,
            doc! {"CreateBucketConfiguration": {"LocationConstraint": "us-west-2"}},
        )
        .await
        .unwrap();
    east_s3.create_bucket(&video, doc! {}).await.unwrap();
    let backup_keys = ["a/1.dump", "a/2.dump", "b c/ü.txt", "z"];
    let video_keys = ["cats/1.mp4", "dogs/1.mp4"];
    let bucket = west_s3.bucket(&backup).unwrap();
    for k in backup_keys {
        let obj = bucket.put_object(k, format!("data {k}")).await.unwrap();
        assert_eq!(obj.key(), Some(k));
    }
    let vbucket = east_s3.bucket(&video).unwrap();
    for k in video_keys {
        vbucket
            .put_object(k, ByteStream::from(k.as_bytes().to_vec()))
            .await
            .unwrap();
    }

    // Resource layer: the bucket carries its session.
    let listed: Vec<String> = bucket
        .objects()
        .unwrap()
        .all()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|o| o.key().unwrap().to_string())
        .collect();
    assert_eq!(listed, backup_keys);
    let summaries = vbucket.objects().unwrap().collect_all().await.unwrap();
    assert_eq!(
        summaries
            .iter()
            .map(|o| o.key().unwrap())
            .collect::<Vec<_>>(),
        video_keys
    );
    assert_eq!(summaries[0].size(), Some("cats/1.mp4".len() as i64));
    assert!(summaries[0].last_modified().is_some());

    // Client layer: the target spelled out.
    let resp = west
        .client("s3")
        .unwrap()
        .call("list_objects_v2", doc! {"Bucket": &backup})
        .await
        .unwrap();
    let keys: Vec<&str> = resp["Contents"]
        .iter()
        .filter_map(|o| o["Key"].as_str())
        .collect();
    assert_eq!(keys, backup_keys);
    assert_eq!(
        resp["ResponseMetadata"]["HTTPStatusCode"].as_i64(),
        Some(200)
    );
    let east_client = west.client_in_region("s3", "us-east-1").unwrap();
    assert_eq!(east_client.region(), Some("us-east-1"));
    let resp = east_client
        .call("ListObjectsV2", doc! {"Bucket": &video})
        .await
        .unwrap();
    assert_eq!(resp["KeyCount"].as_i64(), Some(2));

    // Filter by prefix.
    let a: Vec<_> = bucket
        .objects()
        .unwrap()
        .filter(doc! {"Prefix": "a/"})
        .collect_all()
        .await
        .unwrap();
    assert_eq!(a.len(), 2);

    // Object.get() streams the body.
    let out = west_s3
        .object(&backup, "b c/ü.txt")
        .unwrap()
        .get()
        .await
        .unwrap();
    assert_eq!(
        out["ContentLength"].as_i64(),
        Some("data b c/ü.txt".len() as i64)
    );
    let body = out.body.unwrap().collect().await.unwrap();
    assert_eq!(&body[..], "data b c/ü.txt".as_bytes());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_past_1000_keys_in_both_layers() {
    let s = session("us-east-1");
    let name = unique("many");
    let client = s.client("s3").unwrap();
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    let mut expected: Vec<String> = (0..2500).map(|i| format!("k/{i:05}")).collect();
    expected.sort();
    for chunk in expected.chunks(50) {
        let mut puts = tokio::task::JoinSet::new();
        for k in chunk {
            let (client, name, key) = (client.clone(), name.clone(), k.clone());
            puts.spawn(async move {
                client
                    .call("PutObject", doc! {"Bucket": name, "Key": key, "Body": "x"})
                    .await
            });
        }
        while let Some(r) = puts.join_next().await {
            r.unwrap().unwrap();
        }
    }
    let bucket = s.resource("s3").unwrap().bucket(&name).unwrap();
    let listed: Vec<String> = bucket
        .objects()
        .unwrap()
        .all()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.key().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 2500);
    assert_eq!(listed, expected);

    let mut pages = client
        .paginate("list_objects_v2", doc! {"Bucket": &name})
        .unwrap();
    let mut count = 0;
    let mut page_count = 0;
    while let Some(page) = pages.next_page().await {
        let page = page.unwrap();
        page_count += 1;
        count += page["Contents"].iter().count();
    }
    assert_eq!(count, 2500);
    assert_eq!(page_count, 3, "1000 + 1000 + 500");
    let limited = bucket
        .objects()
        .unwrap()
        .limit(1500)
        .page_size(700)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(limited.len(), 1500);
}

#[tokio::test]
async fn twenty_mib_object_round_trips_streamed() {
    let s = session("us-east-1");
    let name = unique("big");
    let client = s.client("s3").unwrap();
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    let data: Vec<u8> = (0..20 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let path = std::env::temp_dir().join(format!("{}.bin", unique("boto-big")));
    std::fs::write(&path, &data).unwrap();
    let body = ByteStream::from_path(&path).await.unwrap();
    assert_eq!(body.content_length(), Some(data.len() as u64));
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &name, "Key": "big.bin"},
            Some(body),
        )
        .await
        .unwrap();
    let out = client
        .invoke("GetObject", doc! {"Bucket": &name, "Key": "big.bin"}, None)
        .await
        .unwrap();
    assert_eq!(out["ContentLength"].as_i64(), Some(data.len() as i64));
    let mut stream = out.body.expect("GetObject's Body is a stream");
    let mut got = Vec::with_capacity(data.len());
    let mut chunks = 0;
    while let Some(chunk) = stream.next_chunk().await {
        got.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert!(chunks > 1, "the body arrived as a stream of chunks");
    assert!(got == data, "downloaded bytes differ from the upload");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn presigned_get_url_works_without_credentials() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let name = unique("presign");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    client
        .call(
            "PutObject",
            doc! {"Bucket": &name, "Key": "a b.txt", "Body": "shared"},
        )
        .await
        .unwrap();
    let url = client
        .generate_presigned_url("GetObject", doc! {"Bucket": &name, "Key": "a b.txt"}, 300)
        .await
        .unwrap();
    assert!(
        url.contains("X-Amz-Signature=") && url.contains("X-Amz-Expires=300"),
        "{url}"
    );
    let http = boto_core::http::HttpClient::new(Default::default()).unwrap();
    let resp = http
        .send(boto_core::http::HttpRequest {
            method: "GET".into(),
            url,
            headers: Default::default(),
            body: ByteStream::default(),
        })
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(&resp.body.collect().await.unwrap()[..], b"shared");
}

#[tokio::test]
async fn delete_objects_carries_a_checksum_and_deletes() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let name = unique("del");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    for k in ["a", "b", "c"] {
        client
            .call("PutObject", doc! {"Bucket": &name, "Key": k, "Body": "x"})
            .await
            .unwrap();
    }
    let input =
        doc! {"Bucket": &name, "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}], "Quiet": false}};
    let req = client
        .build_request("DeleteObjects", input.clone())
        .await
        .unwrap();
    assert!(req.header("x-amz-checksum-crc32").is_some(), "{req:?}");
    assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    let out = client.call("DeleteObjects", input).await.unwrap();
    assert_eq!(out["Deleted"].iter().count(), 2, "{out}");
    let left = client
        .call("ListObjectsV2", doc! {"Bucket": &name})
        .await
        .unwrap();
    assert_eq!(left["Contents"][0]["Key"].as_str(), Some("c"));
    assert_eq!(left["KeyCount"].as_i64(), Some(1));
}

#[tokio::test]
async fn bucket_location_is_read_from_the_bare_root_element() {
    let west = session("us-west-2");
    let client = west.client("s3").unwrap();
    let name = unique("where");
    client
        .call("CreateBucket", doc! {"Bucket": &name, "CreateBucketConfiguration": {"LocationConstraint": "us-west-2"}})
        .await
        .unwrap();
    let out = client
        .call("GetBucketLocation", doc! {"Bucket": &name})
        .await
        .unwrap();
    assert_eq!(
        out["LocationConstraint"].as_str(),
        Some("us-west-2"),
        "{out}"
    );
}

#[tokio::test]
async fn object_attributes_load_lazily_and_copy_source_takes_a_map() {
    let s = session("us-east-1");
    let s3 = s.resource("s3").unwrap();
    let name = unique("lazy");
    s3.create_bucket(&name, doc! {}).await.unwrap();
    s3.bucket(&name)
        .unwrap()
        .put_object("a b.txt", "twelve bytes")
        .await
        .unwrap();
    let mut obj = s3.object(&name, "a b.txt").unwrap();
    assert!(obj.data().is_none(), "nothing loaded yet");
    assert_eq!(
        obj.get_attr("ContentLength").await.unwrap().as_i64(),
        Some(12)
    );
    assert_eq!(
        obj.get_attr("content_length").await.unwrap().as_i64(),
        Some(12),
        "snake_case works too"
    );
    assert!(obj.get_attr("ETag").await.unwrap().as_str().is_some());

    let client = s.client("s3").unwrap();
    client
        .call("CopyObject", doc! {"Bucket": &name, "Key": "copy.txt", "CopySource": {"Bucket": &name, "Key": "a b.txt"}})
        .await
        .unwrap();
    let got = client
        .call("GetObject", doc! {"Bucket": &name, "Key": "copy.txt"})
        .await
        .unwrap();
    assert_eq!(
        got["Body"].as_blob().map(|b| &b[..]),
        Some(&b"twelve bytes"[..])
    );
    let err = client
        .invoke(
            "PutObject",
            doc! {"Bucket": &name, "Key": "x", "Body": "inline"},
            Some(ByteStream::from("stream")),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("payload twice"), "{err}");
}

#[tokio::test]
async fn collection_batch_delete_removes_a_prefix() {
    let s = session("us-east-1");
    let s3 = s.resource("s3").unwrap();
    let name = unique("batch");
    let bucket = s3.create_bucket(&name, doc! {}).await.unwrap();
    for k in ["tmp/1", "tmp/2", "tmp/3", "keep/1"] {
        bucket.put_object(k, "x").await.unwrap();
    }
    let outputs = bucket
        .objects()
        .unwrap()
        .filter(doc! {"Prefix": "tmp/"})
        .delete()
        .await
        .unwrap();
    assert_eq!(outputs.len(), 1, "one request for one page");
    assert_eq!(
        outputs[0]["Deleted"].iter().count(),
        3,
        "{:?}",
        outputs[0].document
    );
    let left: Vec<String> = bucket
        .objects()
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(|o| o.key().unwrap().to_string())
        .collect();
    assert_eq!(left, ["keep/1"]);
}

#[tokio::test]
async fn max_items_cuts_a_listing_and_the_token_resumes_it() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let name = unique("maxitems");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    let keys: Vec<String> = (0..25).map(|i| format!("k{i:02}")).collect();
    for k in &keys {
        client
            .call(
                "PutObject",
                doc! {"Bucket": &name, "Key": k.as_str(), "Body": ""},
            )
            .await
            .unwrap();
    }
    let keys_of = |page: &boto::Document| -> Vec<String> {
        page["Contents"]
            .iter()
            .map(|o| o["Key"].as_str().unwrap().to_string())
            .collect()
    };
    let mut first = client
        .paginate("ListObjectsV2", doc! {"Bucket": &name})
        .unwrap()
        .page_size(10)
        .max_items(15);
    let mut got = Vec::new();
    while let Some(page) = first.next_page().await {
        got.extend(keys_of(&page.unwrap()));
    }
    assert_eq!(got, keys[..15], "10 from the first page, 5 from the second");
    let token = first.resume_token().expect("cut mid-page").to_string();
    let mut rest = client
        .paginate("ListObjectsV2", doc! {"Bucket": &name})
        .unwrap()
        .page_size(10)
        .starting_token(&token);
    while let Some(page) = rest.next_page().await {
        got.extend(keys_of(&page.unwrap()));
    }
    assert_eq!(got, keys, "resuming picks up exactly where the cut was");
    assert!(rest.resume_token().is_none());
}

#[tokio::test]
async fn bucket_creation_date_loads_through_list_buckets() {
    let s = session("us-east-1");
    let s3 = s.resource("s3").unwrap();
    let name = unique("created");
    s3.create_bucket(&name, doc! {}).await.unwrap();
    let mut bucket = s3.bucket(&name).unwrap();
    assert!(bucket
        .get_attr("CreationDate")
        .await
        .unwrap()
        .as_timestamp()
        .is_some());
    let mut missing = s3.bucket("never-created-bucket-x").unwrap();
    assert!(missing.get_attr("creation_date").await.unwrap().is_null());
}

#[tokio::test]
async fn listings_round_trip_keys_with_plus_and_spaces() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let name = unique("plus");
    client
        .call("CreateBucket", doc! {"Bucket": &name})
        .await
        .unwrap();
    let keys = ["a+b c", "c%41d", "e&f=g"];
    for k in keys {
        client
            .call("PutObject", doc! {"Bucket": &name, "Key": k, "Body": ""})
            .await
            .unwrap();
    }
    let out = client
        .call("ListObjectsV2", doc! {"Bucket": &name})
        .await
        .unwrap();
    let listed: Vec<&str> = out["Contents"]
        .iter()
        .filter_map(|o| o["Key"].as_str())
        .collect();
    assert_eq!(listed, keys, "decoded back exactly");
    assert_eq!(
        out["EncodingType"],
        doc!("url"),
        "boto3 leaves the encoding the request asked for in the answer (s3_listing_parse)"
    );
    let raw = client
        .call(
            "ListObjectsV2",
            doc! {"Bucket": &name, "EncodingType": "url"},
        )
        .await
        .unwrap();
    let key = raw["Contents"][0]["Key"].as_str().unwrap_or_default();
    assert!(
        key.starts_with("a%2Bb"),
        "asked for url: left encoded, got {key:?}"
    );
}

#[tokio::test]
async fn related_resources_take_their_own_identifiers() {
    let s = session("us-east-1");
    let s3 = s.resource("s3").unwrap();
    let name = unique("related");
    let bucket = s3.create_bucket(&name, doc! {}).await.unwrap();
    bucket.put_object("k", "value").await.unwrap();
    let mut obj = bucket.related_with("Object", &["k"]).unwrap();
    assert_eq!(
        (obj.identifier("BucketName"), obj.key()),
        (Some(name.as_str()), Some("k"))
    );
    assert_eq!(
        obj.get_attr("ContentLength").await.unwrap().as_i64(),
        Some(5)
    );
    let summary = bucket
        .objects()
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .remove(0);
    let object = summary.related("Object").unwrap();
    assert_eq!(object.type_name(), "Object");
    assert!(
        bucket.related_with("Object", &[]).is_err(),
        "the key is needed"
    );
    assert!(
        bucket.related_with("Object", &["a", "b"]).is_err(),
        "one key only"
    );
}
