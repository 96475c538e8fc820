//! Paginators against the pinned boto3 on one moto server: the same listings with the same
//! `MaxItems` / `PageSize` / `StartingToken`, page by page, resume token by resume token, and
//! `build_full_result`, async and blocking. S3 ListObjectsV2 with a delimiter has two result
//! keys (botocore counts only the first against `MaxItems`); IAM ListUsers (with `--features
//! full`) has one.

mod support;

use boto::{doc, Client, Document};
use serde_json::{json, Value};
use std::process::Command;
use support::{moto_url, session, unique};

/// Runs `body` through the pinned boto3 (`c(service)` is a client on moto, `proj` and `names`
/// project answers as [`proj`] does) and returns what it printed with `out(value)`.
fn boto3(body: &str) -> Value {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let script = format!(
        r#"import boto3, json, os
def c(name):
    return boto3.client(name, region_name='us-east-1', endpoint_url=os.environ['MOTO_URL'],
                        aws_access_key_id='testing', aws_secret_access_key='testing')
def names(v):
    if isinstance(v, list):
        return [x.get('Key') or x.get('Prefix') or x.get('UserName') for x in v]
    return v
def proj(r):
    return {{k: names(v) for k, v in r.items() if k != 'ResponseMetadata'}}
def out(v):
    print(json.dumps(v, default=str))
def chain(p, kwargs, cfg, keys):
    runs, token = [], None
    for _ in range(20):
        c2 = dict(cfg)
        if token:
            c2['StartingToken'] = token
        it = p.paginate(**kwargs, PaginationConfig=c2)
        pages = [{{k: names(page.get(k)) for k in keys}} for page in it]
        token = it.resume_token
        full = proj(p.paginate(**kwargs, PaginationConfig=c2).build_full_result())
        runs.append([pages, token, full])
        if not token:
            break
    return runs
{body}
"#
    );
    let output = Command::new(format!("{root}/.venv/bin/python"))
        .arg("-c")
        .arg(&script)
        .env("MOTO_URL", moto_url())
        .output()
        .expect("the venv's python runs (run scripts/setup-test-env.sh first)");
    assert!(
        output.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("boto3 printed JSON")
}

/// A list of items as their names, anything else as it is (what the Python `names` does).
fn names(v: &Document) -> Value {
    match v {
        Document::List(items) => items
            .iter()
            .map(|x| {
                let name = ["Key", "Prefix", "UserName"]
                    .iter()
                    .find_map(|k| x[*k].as_str());
                json!(name)
            })
            .collect(),
        other => serde_json::from_str(&other.to_json()).unwrap(),
    }
}

fn proj(full: &Document) -> Value {
    let map = full.as_map().unwrap();
    map.iter()
        .filter(|(k, _)| *k != "ResponseMetadata")
        .map(|(k, v)| (k.to_string(), names(v)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A paginator set up as a boto3 `PaginationConfig` (`MaxItems`, `PageSize`, `StartingToken`).
fn paginator(
    client: &Client,
    op: &str,
    input: &Document,
    cfg: &Value,
    token: Option<&str>,
) -> boto::Paginator {
    let mut p = client.paginate(op, input.clone()).unwrap();
    if let Some(n) = cfg["PageSize"].as_i64() {
        p = p.page_size(n);
    }
    if let Some(n) = cfg["MaxItems"].as_u64() {
        p = p.max_items(n as usize);
    }
    if let Some(t) = token {
        p = p.starting_token(t);
    }
    p
}

/// The Rust side of the Python `chain`: listings resumed from each resume token until none.
async fn chain(client: &Client, op: &str, input: &Document, cfg: &Value, keys: &[&str]) -> Value {
    let mut runs = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..20 {
        let start = token.clone();
        let mut p = paginator(client, op, input, cfg, start.as_deref());
        let mut pages = Vec::new();
        while let Some(page) = p.next_page().await {
            let page = page.unwrap();
            let projected: serde_json::Map<String, Value> = keys
                .iter()
                .map(|k| (k.to_string(), names(&page[*k])))
                .collect();
            pages.push(Value::Object(projected));
        }
        token = p.resume_token().map(str::to_string);
        let full = paginator(client, op, input, cfg, start.as_deref())
            .build_full_result()
            .await
            .unwrap();
        runs.push(json!([pages, token, proj(&full)]));
        if token.is_none() {
            break;
        }
    }
    Value::Array(runs)
}

const CONFIGS: &str = r#"[{"MaxItems": 1, "PageSize": 2}, {"MaxItems": 3, "PageSize": 2},
    {"MaxItems": 2, "PageSize": 2}, {"MaxItems": 4, "PageSize": 3}, {"PageSize": 2},
    {"MaxItems": 5}]"#;

/// A bucket whose listing with delimiter `/` has both result keys, interleaved.
async fn listing_bucket(s3: &Client) -> String {
    let bucket = unique("pages");
    s3.call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    for key in ["a/1", "a/2", "b", "c/1", "d", "e", "f/1", "f/2", "g", "h/1"] {
        s3.call(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": key, "Body": "x"},
        )
        .await
        .unwrap();
    }
    bucket
}

#[tokio::test]
async fn s3_list_objects_v2_with_prefixes_pages_as_boto3_does() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let bucket = listing_bucket(&s3).await;
    let configs: Vec<Value> = serde_json::from_str(CONFIGS).unwrap();
    let keys = ["Contents", "CommonPrefixes"];
    let mut ours = Vec::new();
    for (input, cfg) in [
        doc! {"Bucket": &bucket, "Delimiter": "/"},
        doc! {"Bucket": &bucket, "Prefix": "f/"},
    ]
    .iter()
    .flat_map(|i| configs.iter().map(move |c| (i, c)))
    {
        ours.push(chain(&s3, "ListObjectsV2", input, cfg, &keys).await);
    }
    let theirs = boto3(&format!(
        "p = c('s3').get_paginator('list_objects_v2')\n\
         res = []\n\
         for kwargs in [dict(Bucket='{bucket}', Delimiter='/'), dict(Bucket='{bucket}', Prefix='f/')]:\n    \
             for cfg in json.loads('''{CONFIGS}'''):\n        \
                 res.append(chain(p, kwargs, cfg, ['Contents', 'CommonPrefixes']))\n\
         out(res)"
    ));
    let ours = Value::Array(ours);
    for (i, (a, b)) in ours
        .as_array()
        .unwrap()
        .iter()
        .zip(theirs.as_array().unwrap())
        .enumerate()
    {
        assert_eq!(a, b, "listing {i}");
    }
    assert_eq!(ours, theirs);
}

#[tokio::test]
async fn max_items_counts_the_first_result_key_only() {
    let s3 = session("us-east-1").client("s3").unwrap();
    let bucket = listing_bucket(&s3).await;
    // Four prefixes and four keys: MaxItems 4 takes every key, and the prefixes come along.
    let full = s3
        .paginate("ListObjectsV2", doc! {"Bucket": &bucket, "Delimiter": "/"})
        .unwrap()
        .max_items(4)
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(full["Contents"].iter().count(), 4, "{full}");
    assert_eq!(full["CommonPrefixes"].iter().count(), 4, "{full}");
    assert!(full["NextToken"].is_null(), "{full}");
    assert!(full.get("Prefix").is_some(), "a non-aggregate key: {full}");
}

#[test]
fn blocking_build_full_result_is_the_async_ones() {
    let s = boto::blocking::Session::from(session("us-east-1"));
    let s3 = s.client("s3").unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let bucket = rt.block_on(listing_bucket(s3.as_async()));
    let input = doc! {"Bucket": &bucket, "Delimiter": "/"};
    let blocking = s3
        .paginate("ListObjectsV2", input.clone())
        .unwrap()
        .page_size(3)
        .max_items(3)
        .build_full_result()
        .unwrap();
    let asynchronous = rt
        .block_on(
            s3.as_async()
                .paginate("ListObjectsV2", input)
                .unwrap()
                .page_size(3)
                .max_items(3)
                .build_full_result(),
        )
        .unwrap();
    assert_eq!(proj(&blocking), proj(&asynchronous));
    assert!(blocking["NextToken"].as_str().is_some(), "{blocking}");
}

#[cfg(feature = "iam")]
#[tokio::test]
async fn iam_list_users_pages_as_boto3_does() {
    let iam = session("us-east-1").client("iam").unwrap();
    let path = format!("/{}/", unique("pages"));
    for i in 0..5 {
        iam.call(
            "CreateUser",
            doc! {"UserName": unique(&format!("u{i}")), "Path": &path},
        )
        .await
        .unwrap();
    }
    let configs: Vec<Value> = serde_json::from_str(CONFIGS).unwrap();
    let input = doc! {"PathPrefix": &path};
    let mut ours = Vec::new();
    for cfg in &configs {
        ours.push(chain(&iam, "ListUsers", &input, cfg, &["Users"]).await);
    }
    let theirs = boto3(&format!(
        "p = c('iam').get_paginator('list_users')\n\
         out([chain(p, dict(PathPrefix='{path}'), cfg, ['Users']) for cfg in json.loads('''{CONFIGS}''')])"
    ));
    assert_eq!(Value::Array(ours), theirs);

    // Only minimums are validated: MaxItems above the model's 1000 goes to the service.
    let ours = iam
        .call("ListUsers", doc! {"PathPrefix": &path, "MaxItems": 1001})
        .await;
    let theirs = boto3(&format!(
        "try:\n    out(len(c('iam').list_users(PathPrefix='{path}', MaxItems=1001)['Users']))\n\
         except Exception as e:\n    out(type(e).__name__)"
    ));
    match ours {
        Ok(out) => assert_eq!(json!(out["Users"].iter().count()), theirs),
        Err(e) => panic!("{e} (boto3: {theirs})"),
    }
}
