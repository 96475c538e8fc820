//! Bad input never panics: arbitrary and malformed response bodies for every operation of the
//! embedded services, arbitrary timestamps, JSON, CBOR, JMESPath expressions and inputs. Each
//! call must return (an output or an error); a panic fails the test.

use boto_core::doc;
use boto_core::document::{Document, Timestamp};
use boto_core::model::{available_services, ServiceModel};
use boto_core::protocol::{self, RawResponse};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = (self.next() as usize) % (max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const FRAGMENTS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<a>",
    "</a>",
    "<Error>",
    "<Code>",
    "</Code>",
    "<?xml version=\"1.0\"?>",
    "&amp;",
    "&#xFFFF;",
    "&bogus;",
    "<![CDATA[",
    "]]>",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "true",
    "1e999",
    "-",
    "NaN",
    "\\u0000",
    "__type",
    "\"message\"",
    "Contents",
    "Key",
    "IsTruncated",
    "x:y",
    "xmlns=\"u\"",
    "é",
    "\u{0}",
    "9999999999999999999999",
];

fn structured(rng: &mut Rng) -> Vec<u8> {
    let mut out = String::new();
    for _ in 0..(rng.next() % 40) {
        out.push_str(rng.pick(FRAGMENTS));
    }
    out.into_bytes()
}

#[test]
fn response_parsers_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut calls = 0;
    for service in available_services() {
        let model = ServiceModel::load(service).unwrap();
        for op in model.operations() {
            for round in 0..48 {
                let body = if round % 2 == 0 {
                    rng.bytes(200)
                } else {
                    structured(&mut rng)
                };
                let status = [200, 200, 400, 404, 500, 301][round % 6];
                let headers = vec![
                    ("content-length".into(), "12".to_string()),
                    (
                        "last-modified".into(),
                        String::from_utf8_lossy(&rng.bytes(20)).into_owned(),
                    ),
                    ("x-amz-meta-a".into(), "b".to_string()),
                    ("x-amzn-query-error".into(), ";;".to_string()),
                    ("content-range".into(), "bytes x".to_string()),
                ];
                let resp = RawResponse {
                    status,
                    headers,
                    body: body.into(),
                };
                let _ = protocol::parse(&model, op, &resp);
                calls += 1;
            }
        }
    }
    assert!(calls > 1000, "{calls} responses tried");
}

#[test]
fn serializers_never_panic_on_odd_inputs() {
    let odd = [
        Document::Null,
        doc! {"Bucket": "", "Key": ""},
        doc! {"Bucket": "b", "Key": [1, 2], "Body": {"x": 1}},
        doc! {"Bucket": "b", "Key": "k", "Expires": "not a date", "ContentLength": -1, "Metadata": {"": ""}},
        doc! {"QueueUrl": "http://q", "MessageBody": "\u{0}", "MessageAttributes": {"a": {"DataType": 5}}},
        doc! {"Delete": {"Objects": [null, {}, {"Key": null}]}},
        doc! {"Bucket": "b", "Tagging": {"TagSet": [{"Key": "k"}]}, "ChecksumAlgorithm": "NOPE"},
    ];
    for service in available_services() {
        let model = ServiceModel::load(service).unwrap();
        for op in model.operations() {
            for input in &odd {
                let _ = protocol::serialize(&model, op, input);
            }
        }
    }
}

#[test]
fn scalar_readers_never_panic() {
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let text = String::from_utf8_lossy(&rng.bytes(40)).into_owned();
        let _ = Timestamp::parse_any(&text);
        let _ = Timestamp::parse_iso8601(&text);
        let _ = Timestamp::parse_rfc822(&text);
        let _ = Document::from_json(&text);
        let _ = boto_core::protocol::cbor::decode(text.as_bytes());
        let _ = boto_core::path::search(&text, &doc! {"a": [1, {"b": "c"}]});
        let mut frag = String::new();
        for _ in 0..(rng.next() % 8) {
            frag.push_str(rng.pick(&[
                "a", ".", "[", "]", "[0]", "[-1]", "[]", "||", "(", ")", "`1`", "?", "==", "@", "*",
            ]));
        }
        let _ = boto_core::path::search(&frag, &doc! {"a": [1, {"b": "c"}]});
    }
}
