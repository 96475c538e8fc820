//! Protocol engine cost on S3's model: serialize a PutObject request and sign it (SigV4,
//! `UNSIGNED-PAYLOAD`, S3 settings, signing-key cache), parse a 1000-key ListObjectsV2 response
//! into a `Document`, and the whole of a small request without the network: serialize, sign
//! and parse a 1 KiB PutObject and GetObject. Numbers to compare with aws-sdk-rust in
//! ../shared/bench.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use boto_core::auth::sigv4::{
    sign_with_cache, PayloadChecksumKind, SignableBody, SignableRequest, SigningKeyCache,
    SigningParams, SigningSettings,
};
use boto_core::document::{Document, Map};
use boto_core::model::ServiceModel;
use boto_core::protocol::{parse, serialize, Parsed, RawResponse, RequestBody, SerializedRequest};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn put_object_input() -> Document {
    let mut meta = Map::default();
    meta.insert("owner".into(), Document::from("bench"));
    let mut input = Map::default();
    input.insert("Bucket".into(), Document::from("examplebucket"));
    input.insert(
        "Key".into(),
        Document::from("photos/2024/07/holiday picture.jpg"),
    );
    input.insert("Body".into(), Document::Blob(vec![b'x'; 1024].into()));
    input.insert("ContentType".into(), Document::from("image/jpeg"));
    input.insert("StorageClass".into(), Document::from("STANDARD"));
    input.insert("Metadata".into(), Document::Map(meta));
    Document::Map(input)
}

fn list_objects_v2_body(keys: usize) -> String {
    let mut xml = String::with_capacity(keys * 330 + 512);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult \
         xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>examplebucket</Name>\
         <Prefix></Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys>\
         <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>",
    );
    for i in 0..keys {
        xml.push_str(&format!(
            "<Contents><Key>photos/2024/07/image-{i:06}.jpg</Key>\
             <LastModified>2024-07-03T10:{:02}:{:02}.000Z</LastModified>\
             <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>\
             <ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>\
             <Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            i / 60 % 60,
            i % 60,
            1024 + i * 7
        ));
    }
    xml.push_str("</ListBucketResult>");
    xml
}

/// Signs a serialized request as the client does (host and length added, headers as given).
fn sign(
    req: &SerializedRequest,
    params: &SigningParams,
    cache: &SigningKeyCache,
) -> boto_core::auth::sigv4::SigningOutput {
    let query = req.query_string();
    let body: &[u8] = match &req.body {
        RequestBody::Bytes(b) => b,
        _ => &[],
    };
    let length = body.len().to_string();
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(req.headers.len() + 2);
    headers.push(("host", "s3.us-west-2.amazonaws.com"));
    headers.push(("content-length", &length));
    headers.extend(req.headers.iter());
    let signable = SignableRequest {
        method: &req.method,
        path: &req.path,
        query: &query,
        headers: &headers,
        body: SignableBody::Bytes(body),
    };
    sign_with_cache(&signable, params, cache).expect("signs")
}

fn signing_params(cache_settings: SigningSettings) -> SigningParams<'static> {
    SigningParams {
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        session_token: None,
        region: "us-west-2",
        service: "s3",
        time: UNIX_EPOCH + Duration::from_secs(1_720_000_000),
        settings: cache_settings,
    }
}

fn response(headers: &[(&str, &str)], body: Vec<u8>) -> RawResponse {
    RawResponse {
        status: 200,
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).into(), v.to_string()))
            .collect(),
        body: body.into(),
    }
}

/// One small request each way, everything but the network: serialize, sign (SHA-256 of the
/// body, as over http), parse the response the server sends.
fn s3_small_requests(c: &mut Criterion) {
    let s3 = ServiceModel::load("s3").expect("the s3 model is embedded by default");
    let cache = SigningKeyCache::new();
    let params = signing_params(SigningSettings::s3());
    let put = s3.operation("PutObject").expect("PutObject");
    let get = s3.operation("GetObject").expect("GetObject");
    let put_input = put_object_input();
    let get_input = {
        let mut input = Map::default();
        input.insert("Bucket".into(), Document::from("examplebucket"));
        input.insert("Key".into(), Document::from("small/00042"));
        Document::Map(input)
    };
    let common = [
        ("x-amz-request-id", "4442587FB7D0A2F9"),
        (
            "x-amz-id-2",
            "vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=",
        ),
        ("date", "Wed, 03 Jul 2024 10:00:00 GMT"),
        ("etag", "\"9b2cf535f27731c974343645a3985328\""),
        ("x-amz-checksum-crc32", "i9aeUg=="),
        ("server", "AmazonS3"),
    ];
    let put_response = response(&common, Vec::new());
    let mut get_headers = common.to_vec();
    get_headers.extend([
        ("content-type", "application/octet-stream"),
        ("content-length", "1024"),
        ("last-modified", "Wed, 03 Jul 2024 09:59:00 GMT"),
        ("accept-ranges", "bytes"),
    ]);
    let get_response = response(&get_headers, vec![b'x'; 1024]);
    for (op, resp) in [(put, &put_response), (get, &get_response)] {
        match parse(&s3, op, resp) {
            Ok(Parsed::Output(doc)) => assert!(doc["ETag"].as_str().is_some(), "{}", op.name),
            other => panic!("{} did not parse: {other:?}", op.name),
        }
    }
    let mut group = c.benchmark_group("s3_small_request");
    group.bench_function("put_object_1kib", |b| {
        b.iter(|| {
            let req = serialize(&s3, put, black_box(&put_input)).expect("serializes");
            let signed = sign(&req, &params, &cache);
            (
                signed,
                parse(&s3, put, black_box(&put_response)).expect("parses"),
            )
        })
    });
    group.bench_function("get_object_1kib", |b| {
        b.iter(|| {
            let req = serialize(&s3, get, black_box(&get_input)).expect("serializes");
            let signed = sign(&req, &params, &cache);
            (
                signed,
                parse(&s3, get, black_box(&get_response)).expect("parses"),
            )
        })
    });
    group.finish();
}

fn s3_protocol(c: &mut Criterion) {
    let s3 = ServiceModel::load("s3").expect("the s3 model is embedded by default");
    let put = s3.operation("PutObject").expect("PutObject");
    let input = put_object_input();
    let cache = SigningKeyCache::new();
    let params = signing_params(SigningSettings {
        payload_checksum: PayloadChecksumKind::UnsignedPayload,
        ..SigningSettings::s3()
    });

    let mut group = c.benchmark_group("s3_put_object");
    group.bench_function("serialize", |b| {
        b.iter(|| serialize(&s3, put, black_box(&input)).expect("serializes"))
    });
    group.bench_function("serialize_and_sign", |b| {
        b.iter(|| {
            let req = serialize(&s3, put, black_box(&input)).expect("serializes");
            sign(&req, &params, &cache)
        })
    });
    group.finish();

    let list = s3.operation("ListObjectsV2").expect("ListObjectsV2");
    let body = list_objects_v2_body(1000);
    let resp = RawResponse {
        status: 200,
        headers: vec![
            ("x-amz-request-id".into(), "4442587FB7D0A2F9".into()),
            ("Content-Type".into(), "application/xml".into()),
        ],
        body: body.into_bytes().into(),
    };
    match parse(&s3, list, &resp) {
        Ok(Parsed::Output(doc)) => {
            assert_eq!(doc["Contents"].as_list().map(<[_]>::len), Some(1000))
        }
        other => panic!("ListObjectsV2 did not parse: {other:?}"),
    }
    let mut group = c.benchmark_group("s3_list_objects_v2");
    group.throughput(Throughput::Bytes(resp.body.len() as u64));
    group.bench_function("parse_1000_keys", |b| {
        b.iter(|| parse(&s3, list, black_box(&resp)).expect("parses"))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs, so `cargo bench -p boto-core` stays a matter of minutes.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = s3_protocol, s3_small_requests
}
criterion_main!(benches);
