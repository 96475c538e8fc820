//! SigV4 signing cost of a typical S3 PutObject, header-signed, with the signing-key cache:
//! once with `UNSIGNED-PAYLOAD` and once hashing a 1 KiB body, each with every stage kept
//! (`sign_with_cache`) and the way the transport signs (`sign_headers`, headers only).

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use boto_core::auth::sigv4::{
    sign_headers, sign_with_cache, PayloadChecksumKind, SignableBody, SignableRequest,
    SigningKeyCache, SigningParams, SigningSettings,
};
use criterion::{criterion_group, criterion_main, Criterion};

fn put_object(c: &mut Criterion) {
    let body = vec![b'x'; 1024];
    let content_length = body.len().to_string();
    let headers = [
        ("host", "examplebucket.s3.us-west-2.amazonaws.com"),
        ("content-type", "application/octet-stream"),
        ("content-length", content_length.as_str()),
        ("user-agent", "boto-rs/0.1.0 md/rustc"),
        ("x-amz-storage-class", "STANDARD"),
        ("x-amz-meta-owner", "bench"),
    ];
    let request = SignableRequest {
        method: "PUT",
        path: "/photos/2024/07/holiday%20picture.jpg",
        query: "",
        headers: &headers,
        body: SignableBody::Bytes(&body),
    };
    let base = SigningParams {
        access_key: "AKIAIOSFODNN7EXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        session_token: None,
        region: "us-west-2",
        service: "s3",
        time: UNIX_EPOCH + Duration::from_secs(1_720_000_000),
        settings: SigningSettings::s3(),
    };
    let unsigned = SigningParams {
        settings: SigningSettings {
            payload_checksum: PayloadChecksumKind::UnsignedPayload,
            ..SigningSettings::s3()
        },
        ..base
    };
    let cache = SigningKeyCache::new();

    let mut group = c.benchmark_group("sigv4_put_object");
    group.bench_function("unsigned_payload", |b| {
        b.iter(|| sign_with_cache(black_box(&request), black_box(&unsigned), &cache))
    });
    group.bench_function("sha256_1kib_body", |b| {
        b.iter(|| sign_with_cache(black_box(&request), black_box(&base), &cache))
    });
    group.bench_function("unsigned_payload_headers_only", |b| {
        b.iter(|| sign_headers(black_box(&request), black_box(&unsigned), Some(&cache)))
    });
    group.bench_function("sha256_1kib_body_headers_only", |b| {
        b.iter(|| sign_headers(black_box(&request), black_box(&base), Some(&cache)))
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
    targets = put_object
}
criterion_main!(benches);
