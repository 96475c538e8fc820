//! Protocol engine cost on S3's model: serialize a PutObject request and sign it (SigV4,
//! `UNSIGNED-PAYLOAD`, S3 settings, signing-key cache), and parse a 1000-key ListObjectsV2 response
//! into a `Document`. Numbers to compare with aws-sdk-rust in ../shared/bench.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use boto_core::auth::sigv4::{
    sign_with_cache, PayloadChecksumKind, SignableBody, SignableRequest, SigningKeyCache,
    SigningParams, SigningSettings,
};
use boto_core::document::{Document, Map};
use boto_core::model::ServiceModel;
use boto_core::protocol::{parse, serialize, Parsed, RawResponse, RequestBody};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn put_object_input() -> Document {
    let mut meta = Map::new();
    meta.insert("owner".into(), Document::from("bench"));
    let mut input = Map::new();
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

fn s3_protocol(c: &mut Criterion) {
    let s3 = ServiceModel::load("s3").expect("the s3 model is embedded by default");
    let put = s3.operation("PutObject").expect("PutObject");
    let input = put_object_input();
    let cache = SigningKeyCache::new();
    let params = SigningParams {
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        session_token: None,
        region: "us-west-2",
        service: "s3",
        time: UNIX_EPOCH + Duration::from_secs(1_720_000_000),
        settings: SigningSettings {
            payload_checksum: PayloadChecksumKind::UnsignedPayload,
            ..SigningSettings::s3()
        },
    };

    let mut group = c.benchmark_group("s3_put_object");
    group.bench_function("serialize", |b| {
        b.iter(|| serialize(&s3, put, black_box(&input)).expect("serializes"))
    });
    group.bench_function("serialize_and_sign", |b| {
        b.iter(|| {
            let req = serialize(&s3, put, black_box(&input)).expect("serializes");
            let query = req.query_string();
            let mut headers: Vec<(&str, &str)> = Vec::with_capacity(req.headers.len() + 2);
            headers.push(("host", "s3.us-west-2.amazonaws.com"));
            headers.push(("content-length", "1024"));
            headers.extend(req.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let body: &[u8] = match &req.body {
                RequestBody::Bytes(b) => b,
                _ => &[],
            };
            let signable = SignableRequest {
                method: &req.method,
                path: &req.path,
                query: &query,
                headers: &headers,
                body: SignableBody::Bytes(body),
            };
            sign_with_cache(&signable, &params, &cache).expect("signs")
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

criterion_group!(benches, s3_protocol);
criterion_main!(benches);
