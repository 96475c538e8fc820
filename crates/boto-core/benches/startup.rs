//! What the first client and the first call of a process pay before any byte is sent: loading
//! a service model and an endpoint rule set, from the precompiled form the library embeds and,
//! for comparison, from JSON (the way a data-folder model loads); and resolving an endpoint with
//! a compiled rule set (S3 virtual-hosted, and a regional service).
//!
//! The embedded bytes are read from `models/` (the files `build.rs` embeds), since the
//! embedded models themselves are decoded once per process and then cached.

use std::hint::black_box;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use boto_core::endpoint::{Params, Partitions, RuleSet};
use boto_core::model::{partitions_json, ServiceModel};
use criterion::{criterion_group, criterion_main, Criterion};

fn file(service: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../models")
        .join(service)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 8);
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("gzip");
    out
}

fn model_load(c: &mut Criterion) {
    let bin = file("s3", "service-2.bin.gz");
    let json = file("s3", "service-2.json.gz");
    let mut group = c.benchmark_group("model_load_s3");
    // What the first client does: decompress, decode metadata and operations.
    group.bench_function("precompiled", |b| {
        b.iter(|| ServiceModel::from_precompiled("s3", gunzip(black_box(&bin))).unwrap())
    });
    // The same plus the shapes one PutObject call touches (input, output, their members).
    group.bench_function("precompiled_then_put_object_shapes", |b| {
        b.iter(|| {
            let m = ServiceModel::from_precompiled("s3", gunzip(black_box(&bin))).unwrap();
            let op = m.operation("PutObject").unwrap();
            let mut n = 0;
            for id in [op.input, op.output].into_iter().flatten() {
                for member in &m.shape(id).members {
                    n += m.shape(member.target).members.len();
                }
            }
            black_box(n);
            m
        })
    });
    // A data-folder model: decompress, parse the JSON, compile.
    group.bench_function("folder_json", |b| {
        b.iter(|| {
            let text = String::from_utf8(gunzip(black_box(&json))).unwrap();
            ServiceModel::from_json("s3", &text).unwrap()
        })
    });
    group.finish();
}

fn rule_set_load(c: &mut Criterion) {
    let bin = file("s3", "endpoint-rule-set-1.bin.gz");
    let json = file("s3", "endpoint-rule-set-1.json.gz");
    let mut group = c.benchmark_group("rule_set_load_s3");
    group.bench_function("precompiled", |b| {
        b.iter(|| RuleSet::from_precompiled(&gunzip(black_box(&bin))).unwrap())
    });
    group.bench_function("folder_json", |b| {
        b.iter(|| RuleSet::from_json_slice(&gunzip(black_box(&json))).unwrap())
    });
    group.finish();
}

fn endpoint_resolution(c: &mut Criterion) {
    let partitions = Partitions::from_json_str(&partitions_json().expect("embedded")).unwrap();
    let s3 = RuleSet::embedded("s3").unwrap().expect("s3 is embedded");
    let sqs = RuleSet::embedded("sqs").unwrap().expect("sqs is embedded");
    let virtual_host = Params::new()
        .with("Region", "us-west-2")
        .with("Bucket", "examplebucket")
        .with("Key", "photos/2024/07/holiday picture.jpg")
        .with("UseFIPS", false)
        .with("UseDualStack", false)
        .with("Accelerate", false)
        .with("ForcePathStyle", false);
    assert_eq!(
        s3.resolve(&partitions, &virtual_host).unwrap().url,
        "https://examplebucket.s3.us-west-2.amazonaws.com"
    );
    let regional = Params::new()
        .with("Region", "eu-central-1")
        .with("UseFIPS", false)
        .with("UseDualStack", false);
    assert_eq!(
        sqs.resolve(&partitions, &regional).unwrap().url,
        "https://sqs.eu-central-1.amazonaws.com"
    );
    let mut group = c.benchmark_group("endpoint_resolve");
    group.bench_function("s3_virtual_host", |b| {
        b.iter(|| s3.resolve(&partitions, black_box(&virtual_host)).unwrap())
    });
    group.bench_function("sqs_regional", |b| {
        b.iter(|| sqs.resolve(&partitions, black_box(&regional)).unwrap())
    });
    group.finish();
    let text = partitions_json().expect("embedded");
    c.bench_function("partitions_load", |b| {
        b.iter(|| Partitions::from_json_str(black_box(&text)).unwrap())
    });
}

criterion_group! {
    name = benches;
    // Short runs, so `cargo bench -p boto-core` stays a matter of minutes.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = model_load, rule_set_load, endpoint_resolution
}
criterion_main!(benches);
