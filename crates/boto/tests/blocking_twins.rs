//! The blocking twins of the async API (session, client, paginator, waiter, resource, action
//! result, collection, transfer) against moto and s3s-fs, plain `fn` tests with no runtime of
//! their own; and every new twin refusing, with a typed error, to block inside a runtime.

mod support;

use boto::blocking::{self, transfer, Session};
use boto::{doc, ByteStream, Credentials};
use std::io::Read;
use std::time::Duration;
use support::{empty_env, moto_url, s3s_session, session, unique};

fn moto(region: &str) -> Session {
    Session::from(session(region))
}

/// A bucket on `s` holding `keys`, each with its own name as the body.
fn bucket_with(s: &Session, keys: &[&str]) -> String {
    let client = s.client("s3").unwrap();
    let name = unique("twins");
    client.call("CreateBucket", doc! {"Bucket": &name}).unwrap();
    for k in keys {
        client
            .call("PutObject", doc! {"Bucket": &name, "Key": *k, "Body": *k})
            .unwrap();
    }
    name
}

#[test]
fn session_twins() {
    let s = Session::builder()
        .env(empty_env())
        .region_name("eu-west-1")
        .endpoint_url(moto_url())
        .credentials(Credentials::from_keys("testing", "testing", None))
        .build()
        .unwrap();
    assert_eq!(s.profile_name(), s.as_async().profile_name());
    assert_eq!(s.profile_name(), "default");

    // The provider is the session's own: the same credentials come out of it.
    let provider = s.credentials_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let creds = rt.block_on(provider.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "testing");

    // A resource in another region than the session's, used for real.
    let east = s.resource_in_region("sqs", "us-east-2").unwrap();
    assert_eq!(east.client().region(), Some("us-east-2"));
    let name = unique("twins-east");
    let queue = east.create_queue(&name, doc! {}).unwrap();
    assert!(queue.url().unwrap().contains(&name), "{queue:?}");
    let here = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {"QueueNamePrefix": &name})
        .unwrap();
    assert!(
        here["QueueUrls"].iter().next().is_none(),
        "the queue lives in us-east-2, not the session's eu-west-1: {here:?}"
    );

    // Session::new and default_session read the machine's environment: whatever they resolve,
    // they resolve as the async ones do.
    let region = |r: Result<Option<String>, boto::Error>| r.map_err(|e| e.to_string());
    assert_eq!(
        region(Session::new().map(|s| s.region_name().map(str::to_string))),
        region(boto::Session::new().map(|s| s.region_name().map(str::to_string)))
    );
    assert_eq!(
        region(blocking::default_session().map(|s| s.region_name().map(str::to_string))),
        region(boto::default_session().map(|s| s.region_name().map(str::to_string)))
    );
}

#[test]
fn client_twins() {
    let s = moto("us-west-2");
    let client = s.client_in_region("s3", "us-east-1").unwrap();
    assert_eq!(client.service_name(), "s3");
    assert_eq!(client.region(), Some("us-east-1"));
    assert_eq!(client.service_client().model().service_name(), "s3");

    let bucket = unique("twins-req");
    client
        .call("CreateBucket", doc! {"Bucket": &bucket})
        .unwrap();
    let req = client
        .build_request("ListObjectsV2", doc! {"Bucket": &bucket})
        .unwrap();
    assert_eq!(req.method, "GET");
    assert!(
        req.url.starts_with(&format!("{}/{bucket}", moto_url())),
        "{}",
        req.url
    );
    assert!(
        req.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("authorization")
                && v.contains("/us-east-1/s3/aws4_request")),
        "{:?}",
        req.headers
    );
}

#[test]
fn waiter_twins() {
    let s = moto("us-east-1");
    let client = s.client("s3").unwrap();
    let bucket = bucket_with(&s, &["here"]);
    let waiter = client
        .waiter("object_exists")
        .unwrap()
        .delay(Duration::from_millis(50))
        .max_attempts(3);
    assert_eq!(waiter.name(), "ObjectExists");
    let out = waiter
        .wait(doc! {"Bucket": &bucket, "Key": "here"})
        .unwrap();
    assert_eq!(out["ContentLength"].as_i64(), Some(4));

    let err = client
        .waiter("ObjectExists")
        .unwrap()
        .delay(Duration::ZERO)
        .max_attempts(2)
        .wait(doc! {"Bucket": &bucket, "Key": "never"})
        .unwrap_err();
    assert!(matches!(err, boto::Error::Waiter(_)), "{err:?}");
    assert!(
        err.to_string().contains("gave up after 2 attempts"),
        "{err}"
    );
    let err = client.waiter("object_exist").unwrap_err().to_string();
    assert!(err.contains("ObjectExists"), "{err}");
}

#[test]
fn paginator_twins() {
    let s = moto("us-east-1");
    let keys = ["a", "b", "c", "d", "e"];
    let bucket = bucket_with(&s, &keys);
    let client = s.client("s3").unwrap();

    let mut pages = client
        .paginate("ListObjectsV2", doc! {"Bucket": &bucket})
        .unwrap()
        .page_size(2);
    let mut counts = Vec::new();
    while let Some(page) = pages.next_page() {
        counts.push(page.unwrap()["KeyCount"].as_i64().unwrap());
    }
    assert_eq!(counts, [2, 2, 1]);
    assert!(pages.next_page().is_none(), "ended stays ended");

    // next_page and the iterator share one cursor.
    let mut pages = client
        .paginate("ListObjectsV2", doc! {"Bucket": &bucket})
        .unwrap()
        .page_size(2);
    let first = pages.next_page().unwrap().unwrap();
    let rest: Vec<_> = pages.by_ref().map(Result::unwrap).collect();
    assert_eq!(first["Contents"][0]["Key"].as_str(), Some("a"));
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[1]["Contents"][0]["Key"].as_str(), Some("e"));

    let items = client
        .paginate("ListObjectsV2", doc! {"Bucket": &bucket})
        .unwrap()
        .page_size(2)
        .collect_results()
        .unwrap();
    let listed: Vec<&str> = items.iter().filter_map(|o| o["Key"].as_str()).collect();
    assert_eq!(listed, keys);
}

#[test]
fn resource_twins() {
    let s = moto("us-east-1");
    let s3 = s.resource("s3").unwrap();
    let name = unique("twins-res");

    // ActionResult::into_resource, on a real action, and its error on a plain response.
    let bucket = s3
        .action("CreateBucket", doc! {"Bucket": &name})
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(bucket.type_name(), "Bucket");
    assert_eq!(bucket.identifiers(), [("Name".to_string(), name.clone())]);
    assert_eq!(bucket.client().service_name(), "s3");
    assert_eq!(bucket.client().region(), Some("us-east-1"));

    // action_with_body streams the payload; the object reads it back.
    let obj = bucket
        .action_with_body(
            "PutObject",
            doc! {"Key": "streamed.txt"},
            Some(ByteStream::from(b"streamed body".to_vec())),
        )
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(obj.type_name(), "Object");
    let mut body = String::new();
    obj.get()
        .unwrap()
        .body
        .unwrap()
        .read_to_string(&mut body)
        .unwrap();
    assert_eq!(body, "streamed body");
    let err = obj
        .action("Get", doc! {})
        .unwrap()
        .into_resource()
        .unwrap_err();
    assert!(matches!(err, boto::Error::Resource(_)), "{err:?}");

    // data and attr_loaded: nothing before a load, the shape's attributes after.
    let mut obj = s3.object(&name, "streamed.txt").unwrap();
    assert!(obj.data().is_none());
    assert!(obj.attr_loaded("ContentLength").is_null());
    obj.load().unwrap();
    assert_eq!(obj.data().unwrap()["ContentLength"].as_i64(), Some(13));
    assert_eq!(obj.attr_loaded("content_length").as_i64(), Some(13));

    // wait_until by the model's waiter name, both ways.
    obj.wait_until("Exists").unwrap();
    obj.delete().unwrap();
    obj.wait_until("NotExists").unwrap();
    let err = obj.wait_until("Vanished").unwrap_err();
    assert!(err.to_string().contains("Vanished"), "{err}");
}

#[test]
fn collection_twins() {
    let s = moto("us-east-1");
    let keys = ["k1", "k2", "k3", "k4", "k5"];
    let name = bucket_with(&s, &keys);
    let objects = s
        .resource("s3")
        .unwrap()
        .bucket(&name)
        .unwrap()
        .objects()
        .unwrap()
        .page_size(2);

    let mut it = objects.iter().unwrap();
    let sizes: Vec<usize> = std::iter::from_fn(|| it.next_page())
        .map(|p| p.unwrap().len())
        .collect();
    assert_eq!(sizes, [2, 2, 1]);

    // Items and pages share one cursor: one item, then the rest of its page, then the next.
    let mut it = objects.iter().unwrap();
    let first = it.next().unwrap().unwrap();
    let rest_of_page = it.next_page().unwrap().unwrap();
    let next_page = it.next_page().unwrap().unwrap();
    assert_eq!(first.key(), Some("k1"));
    assert_eq!(
        rest_of_page
            .iter()
            .map(|r| r.key().unwrap())
            .collect::<Vec<_>>(),
        ["k2"]
    );
    assert_eq!(
        next_page
            .iter()
            .map(|r| r.key().unwrap())
            .collect::<Vec<_>>(),
        ["k3", "k4"]
    );

    // The limit applies to pages too.
    let mut it = objects.clone().limit(3).iter().unwrap();
    let pages: Vec<usize> = std::iter::from_fn(|| it.next_page())
        .map(|p| p.unwrap().len())
        .collect();
    assert_eq!(pages, [2, 1]);

    // collect_all borrows: the collection is still there after it.
    assert_eq!(objects.collect_all().unwrap().len(), keys.len());
    assert_eq!(objects.iter().unwrap().count(), keys.len());
}

/// `blocking::transfer` in parts (three 5 MiB-or-less parts up, three ranges down) with extra
/// upload parameters, on one server.
fn transfer_in_parts(s: &Session) {
    let client = s.client("s3").unwrap();
    let bucket = unique("twins-xfer");
    client
        .call("CreateBucket", doc! {"Bucket": &bucket})
        .unwrap();
    let data: Vec<u8> = (0..12 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(29) >> 5) as u8)
        .collect();
    let src = std::env::temp_dir().join(format!("{}.bin", unique("twins-src")));
    let dst = std::env::temp_dir().join(format!("{}.bin", unique("twins-dst")));
    std::fs::write(&src, &data).unwrap();
    let config = transfer::TransferConfig {
        multipart_threshold: 5 << 20,
        multipart_chunksize: 5 << 20,
        max_concurrency: 2,
        ..Default::default()
    };
    transfer::upload_file(
        &client,
        &src,
        &bucket,
        "big.bin",
        doc! {"ContentType": "application/x-twin"},
        &config,
    )
    .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &bucket, "Key": "big.bin"})
        .unwrap();
    assert_eq!(head["ContentLength"].as_i64(), Some(data.len() as i64));
    assert_eq!(head["ContentType"].as_str(), Some("application/x-twin"));
    assert!(
        head["ETag"].as_str().unwrap().ends_with("-3\""),
        "three parts: {}",
        head["ETag"]
    );
    let n = transfer::download_file(&client, &bucket, "big.bin", &dst, &config).unwrap();
    assert_eq!(n, data.len() as u64);
    assert!(
        std::fs::read(&dst).unwrap() == data,
        "downloaded file equals the upload"
    );
    for p in [src, dst] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn transfer_twins_on_moto() {
    transfer_in_parts(&moto("us-east-1"));
}

#[test]
fn transfer_twins_on_s3s() {
    transfer_in_parts(&Session::from(s3s_session("boto-test-secret")));
}

#[test]
fn new_twins_inside_a_runtime_are_an_error_not_a_panic() {
    // Made outside the runtime: building clients and resources makes no request.
    let s = moto("us-east-1");
    let client = s.client("s3").unwrap();
    let s3 = s.resource("s3").unwrap();
    let obj = s3.object("b", "k").unwrap();
    let objects = s3.bucket("b").unwrap().objects().unwrap();
    let path = std::env::temp_dir().join(unique("twins-never"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let usage = |r: Result<(), boto::Error>, what: &str| match r {
            Err(boto::Error::Usage(_)) => {}
            other => panic!("{what}: {other:?}"),
        };
        usage(
            client.build_request("ListBuckets", doc! {}).map(drop),
            "build_request",
        );
        usage(
            client
                .waiter("BucketExists")
                .unwrap()
                .wait(doc! {"Bucket": "b"})
                .map(drop),
            "Waiter::wait",
        );
        usage(
            client
                .paginate("ListObjectsV2", doc! {"Bucket": "b"})
                .unwrap()
                .collect_results()
                .map(drop),
            "collect_results",
        );
        let mut pages = client
            .paginate("ListObjectsV2", doc! {"Bucket": "b"})
            .unwrap();
        usage(pages.next_page().unwrap().map(drop), "Pages::next_page");
        assert!(pages.next_page().is_none(), "one error, then the pages end");
        usage(obj.wait_until("Exists"), "wait_until");
        usage(
            obj.action_with_body("Put", doc! {}, None).map(drop),
            "action_with_body",
        );
        let mut it = objects.iter().unwrap();
        usage(
            it.next_page().unwrap().map(drop),
            "CollectionIter::next_page",
        );
        assert!(it.next_page().is_none(), "one error, then the pages end");
        assert!(it.next().is_none(), "and the items too");
        let config = transfer::TransferConfig::default();
        usage(
            transfer::upload_file(&client, &path, "b", "k", doc! {}, &config).map(drop),
            "transfer::upload_file",
        );
        usage(
            transfer::download_file(&client, "b", "k", &path, &config).map(drop),
            "transfer::download_file",
        );
    });
}
