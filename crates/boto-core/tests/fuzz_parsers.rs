//! A bounded, seeded fuzzer for everything that reads bytes from the wire or values from the
//! user: the XML (rest-xml, query), JSON (json, rest-json), CBOR and event-stream parsers, the
//! error parser, and the endpoint rules' input. No cargo-fuzz toolchain is needed: a xorshift
//! generator mutates valid seeds (bit flips, cuts, splices, repeated and nested fragments), so
//! every run covers the same cases and a failure names the seed and case to replay.
//!
//! Each case must return (an output or an error) without a panic and within a second.
//! `BOTO_FUZZ_CASES` raises the per-target count (default 400: the run takes a few seconds).

use boto_core::endpoint::{Params, Partitions, RuleSet};
use boto_core::model::{data_file, partitions_json, ServiceModel};
use boto_core::protocol::{self, event_stream, RawResponse};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A mutation of `seed`, drawing on `fragments` for insertions.
    fn mutate(&mut self, seed: &[u8], fragments: &[&[u8]]) -> Vec<u8> {
        let mut out = seed.to_vec();
        for _ in 0..=self.below(6) {
            let at = self.below(out.len() + 1);
            match self.below(7) {
                0 if !out.is_empty() => {
                    let i = self.below(out.len());
                    out[i] ^= 1 << self.below(8);
                }
                1 => out.truncate(at),
                2 => {
                    let f = fragments[self.below(fragments.len())];
                    out.splice(at..at, f.iter().copied());
                }
                3 => {
                    // One fragment many times over: deep nesting, long runs.
                    let f = fragments[self.below(fragments.len())];
                    let times = 1 + self.below(5000);
                    let run: Vec<u8> = f.iter().copied().cycle().take(f.len() * times).collect();
                    out.splice(at..at, run);
                }
                4 if out.len() > 1 => {
                    let end = at + self.below(out.len() - at.min(out.len() - 1));
                    out.drain(at..end.min(out.len()));
                }
                5 => {
                    let b = self.next().to_le_bytes();
                    out.splice(at..at, b[..1 + self.below(8)].iter().copied());
                }
                _ => {
                    let copy = out.clone();
                    let from = self.below(copy.len() + 1);
                    out.splice(at..at, copy[from..].iter().copied());
                }
            }
        }
        out
    }
}

fn cases_per_target() -> usize {
    std::env::var("BOTO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

/// Runs `check` on `cases` generated inputs; returns the failures, named.
fn fuzz(
    target: &str,
    seed: u64,
    gen: impl Fn(&mut Rng) -> Vec<u8>,
    check: impl Fn(&[u8]),
) -> Vec<String> {
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    for case in 0..cases_per_target() {
        let input = gen(&mut rng);
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let took = start.elapsed();
        if outcome.is_err() {
            failures.push(format!(
                "{target} (seed {seed}, case {case}): panicked on {} bytes",
                input.len()
            ));
        } else if took > Duration::from_secs(1) {
            failures.push(format!(
                "{target} (seed {seed}, case {case}): took {took:?} on {} bytes",
                input.len()
            ));
        }
    }
    failures
}

fn response(status: u16, content_type: &str, body: Vec<u8>) -> RawResponse {
    RawResponse {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body: body.into(),
    }
}

const XML_FRAGMENTS: &[&[u8]] = &[
    b"<a>",
    b"</a>",
    b"<Contents>",
    b"</Contents>",
    b"<Key>k</Key>",
    b"&amp;",
    b"&#x0;",
    b"&bogus;",
    b"<![CDATA[x]]>",
    b"<?xml version=\"1.0\"?>",
    b"<Error><Code>X</Code>",
    b"x:y",
    b"\xff",
    b"<IsTruncated>maybe</IsTruncated>",
    b"<MaxKeys>99999999999999999999</MaxKeys>",
];
const JSON_FRAGMENTS: &[&[u8]] = &[
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"a\":",
    b",",
    b"null",
    b"1e999",
    b"-0",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\"__type\":\"X\"",
    b"99999999999999999999999",
    b"\xff",
    b"true",
];
const CBOR_FRAGMENTS: &[&[u8]] = &[
    b"\x81",
    b"\xa1",
    b"\x9f",
    b"\xbf",
    b"\xff",
    b"\x1b\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\x7f",
    b"\x5f",
    b"\xc1",
    b"\xf9\x7c\x00",
    b"\x60",
    b"\xfb",
];

#[test]
fn response_parsers_survive_mutated_bodies() {
    let mut failures = Vec::new();

    // rest-xml (S3) and query (STS, SQS's older shapes): outputs and errors.
    let s3 = ServiceModel::load("s3").unwrap();
    let list = s3.operation("ListObjectsV2").unwrap();
    let xml_seed = b"<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><KeyCount>1</KeyCount>\
        <Contents><Key>a</Key><Size>3</Size><LastModified>2020-01-01T00:00:00Z</LastModified>\
        </Contents><IsTruncated>false</IsTruncated></ListBucketResult>";
    failures.extend(fuzz(
        "rest-xml output",
        1,
        |r| r.mutate(xml_seed, XML_FRAGMENTS),
        |b| {
            let _ = protocol::parse(&s3, list, &response(200, "application/xml", b.to_vec()));
        },
    ));
    let err_seed =
        b"<Error><Code>NoSuchKey</Code><Message>m</Message><RequestId>r</RequestId></Error>";
    failures.extend(fuzz(
        "rest-xml error",
        2,
        |r| r.mutate(err_seed, XML_FRAGMENTS),
        |b| {
            let _ = protocol::parse(&s3, list, &response(404, "application/xml", b.to_vec()));
        },
    ));
    let sts = ServiceModel::load("sts").unwrap();
    let who = sts.operation("GetCallerIdentity").unwrap();
    let query_seed = b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>a</Arn>\
        <Account>1</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r\
        </RequestId></ResponseMetadata></GetCallerIdentityResponse>";
    failures.extend(fuzz(
        "query output",
        3,
        |r| r.mutate(query_seed, XML_FRAGMENTS),
        |b| {
            let _ = protocol::parse(&sts, who, &response(200, "text/xml", b.to_vec()));
        },
    ));
    failures.extend(fuzz(
        "query error",
        4,
        |r| r.mutate(query_seed, XML_FRAGMENTS),
        |b| {
            let _ = protocol::parse(&sts, who, &response(400, "text/xml", b.to_vec()));
        },
    ));

    // json (SQS).
    let sqs = ServiceModel::load("sqs").unwrap();
    let receive = sqs.operation("ReceiveMessage").unwrap();
    let json_seed = br#"{"Messages":[{"MessageId":"m","Body":"b","Attributes":{"A":"1"},
        "MessageAttributes":{"x":{"DataType":"Binary","BinaryValue":"AAEC"}}}]}"#;
    failures.extend(fuzz(
        "json output",
        5,
        |r| r.mutate(json_seed, JSON_FRAGMENTS),
        |b| {
            let _ = protocol::parse(
                &sqs,
                receive,
                &response(200, "application/x-amz-json-1.0", b.to_vec()),
            );
        },
    ));
    let json_err = br#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"m"}"#;
    failures.extend(fuzz(
        "json error",
        6,
        |r| r.mutate(json_err, JSON_FRAGMENTS),
        |b| {
            let _ = protocol::parse(
                &sqs,
                receive,
                &response(400, "application/x-amz-json-1.0", b.to_vec()),
            );
        },
    ));

    // CBOR (smithy-rpc-v2-cbor), decoded on its own.
    let cbor_seed = b"\xa2\x61a\x82\x01\x63abc\x61b\xbf\x61c\xf5\xff";
    failures.extend(fuzz(
        "cbor",
        7,
        |r| r.mutate(cbor_seed, CBOR_FRAGMENTS),
        |b| {
            let _ = protocol::cbor::decode(b);
        },
    ));

    // Event streams: frames (prelude, headers, CRCs) fed in random splits, and whole bodies
    // through the buffered parser of S3 SelectObjectContent.
    let frame = event_stream::Message {
        headers: vec![
            (
                ":message-type".into(),
                event_stream::HeaderValue::String("event".into()),
            ),
            (
                ":event-type".into(),
                event_stream::HeaderValue::String("Records".into()),
            ),
        ],
        payload: b"a,b\n".to_vec().into(),
    }
    .to_bytes()
    .unwrap();
    failures.extend(fuzz(
        "event-stream frames",
        8,
        |r| r.mutate(&frame, &[&frame, b"\x00\x00\x00\x10", b"\xff\xff\xff\xff"]),
        |b| {
            let mut d = event_stream::Decoder::new();
            let mut rng = Rng(b.len() as u64 + 1);
            let mut at = 0;
            while at < b.len() {
                let n = 1 + rng.below(64);
                d.push(&b[at..(at + n).min(b.len())]);
                at += n;
                while let Ok(Some(_)) = d.next_message() {}
            }
            let _ = d.finish();
        },
    ));
    let select = s3.operation("SelectObjectContent").unwrap();
    failures.extend(fuzz(
        "event-stream body",
        9,
        |r| r.mutate(&frame, &[&frame]),
        |b| {
            let _ = event_stream::parse_buffered(
                &s3,
                select,
                &response(200, "application/octet-stream", b.to_vec()),
            );
        },
    ));

    for f in &failures {
        eprintln!("FAILED {f}");
    }
    assert!(
        failures.is_empty(),
        "{} fuzz cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn endpoint_rules_survive_odd_parameters() {
    let rules =
        RuleSet::from_json(&data_file("s3", "endpoint-rule-set-1").unwrap().unwrap()).unwrap();
    let partitions = Partitions::from_json_str(&partitions_json().unwrap()).unwrap();
    const TEXT: &[&str] = &[
        "us-east-1",
        "attacker.example#",
        "a?b",
        "x@y",
        "",
        "-",
        "arn:aws:s3:::b",
        "arn:aws:s3-outposts:us-west-2:1:outpost/op-1/accesspoint/ap",
        "arn:",
        "http://localhost:9000",
        "https://[::1]/p",
        "bucket.with.dots",
        "é",
        "\u{0}",
        "UPPER",
        "a--x-s3",
        "%",
    ];
    let mut rng = Rng(10);
    let mut failures = Vec::new();
    for case in 0..cases_per_target() {
        let mut params = Params::new();
        for spec in rules.parameters() {
            match rng.below(4) {
                0 => {}
                1 => {
                    params.insert(spec.name(), rng.below(2) == 0);
                }
                _ => {
                    let mut text = TEXT[rng.below(TEXT.len())].to_string();
                    if rng.below(3) == 0 {
                        text.push_str(TEXT[rng.below(TEXT.len())]);
                    }
                    params.insert(spec.name(), text.as_str());
                }
            }
        }
        let start = Instant::now();
        match catch_unwind(AssertUnwindSafe(|| rules.resolve(&partitions, &params))) {
            Err(_) => failures.push(format!("case {case}: panicked on {params:?}")),
            Ok(Ok(endpoint)) => {
                let host = endpoint
                    .url
                    .split("://")
                    .nth(1)
                    .unwrap_or("")
                    .split('/')
                    .next()
                    .unwrap_or("");
                if host.contains(['#', '?', '@']) {
                    failures.push(format!("case {case}: smuggled host {}", endpoint.url));
                }
            }
            Ok(Err(_)) => {}
        }
        if start.elapsed() > Duration::from_secs(1) {
            failures.push(format!("case {case}: took {:?}", start.elapsed()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
