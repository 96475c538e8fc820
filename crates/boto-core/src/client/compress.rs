//! Request compression, as botocore's `RequestCompressor`: an operation with the
//! `requestcompression` trait (CloudWatch PutMetricData, ...) has its in-memory body gzipped
//! when it is at least `request_min_compression_size_bytes` long and compression is not
//! disabled, and `gzip` is appended to its `Content-Encoding`. It runs before the checksum, which
//! covers the bytes as sent. Streaming bodies go as they are.

use crate::config::RequestCompression;
use crate::model::Operation;
use crate::protocol::{RequestBody, SerializedRequest};
use std::io::Write;

/// Compresses `request`'s body in place when the operation and the settings call for it.
pub(super) fn compress(
    op: &Operation,
    settings: RequestCompression,
    request: &mut SerializedRequest,
) {
    if settings.disabled || !op.request_compression.iter().any(|e| e == "gzip") {
        return;
    }
    let RequestBody::Bytes(body) = &request.body else {
        return;
    };
    if (body.len() as u64) < settings.min_size {
        return;
    }
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    // Writing into a Vec cannot fail; should it, the body goes uncompressed.
    let Ok(gzipped) = encoder.write_all(body).and_then(|()| encoder.finish()) else {
        return;
    };
    request.body = RequestBody::Bytes(gzipped.into());
    let encoding = match request.get_header("content-encoding") {
        Some(existing) if !existing.is_empty() => format!("{existing},gzip"),
        _ => "gzip".to_string(),
    };
    request.headers.remove("content-encoding");
    request.header("Content-Encoding", &encoding);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceModel;

    fn put_with_body(len: usize, encoding: Option<&str>) -> SerializedRequest {
        let mut req = SerializedRequest {
            body: RequestBody::Bytes(vec![b'a'; len].into()),
            ..Default::default()
        };
        if let Some(e) = encoding {
            req.header("Content-Encoding", e);
        }
        req
    }

    fn op_with(encodings: &[&str]) -> Operation {
        let model = ServiceModel::load("sqs").unwrap();
        let mut op = model.operation("SendMessage").unwrap().clone();
        op.request_compression = encodings.iter().map(|e| e.to_string()).collect();
        op
    }

    fn gunzip(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(b), &mut out).unwrap();
        out
    }

    #[test]
    fn large_bodies_of_compressible_operations_are_gzipped() {
        let mut req = put_with_body(20_000, None);
        compress(&op_with(&["gzip"]), RequestCompression::default(), &mut req);
        let RequestBody::Bytes(b) = &req.body else {
            panic!("bytes")
        };
        assert_eq!(gunzip(b), vec![b'a'; 20_000]);
        assert_eq!(req.get_header("content-encoding"), Some("gzip"));
    }

    #[test]
    fn a_given_encoding_is_kept_and_gzip_appended() {
        let mut req = put_with_body(20_000, Some("custom"));
        compress(&op_with(&["gzip"]), RequestCompression::default(), &mut req);
        assert_eq!(req.get_header("content-encoding"), Some("custom,gzip"));
    }

    #[test]
    fn small_bodies_other_operations_and_disabled_settings_are_left_alone() {
        let cases = [
            (op_with(&["gzip"]), RequestCompression::default(), 100),
            (op_with(&[]), RequestCompression::default(), 20_000),
            (
                op_with(&["gzip"]),
                RequestCompression {
                    disabled: true,
                    min_size: 0,
                },
                20_000,
            ),
        ];
        for (op, settings, len) in cases {
            let mut req = put_with_body(len, None);
            compress(&op, settings, &mut req);
            assert!(matches!(&req.body, RequestBody::Bytes(b) if b.len() == len));
            assert_eq!(req.get_header("content-encoding"), None);
        }
        let mut req = put_with_body(1, None);
        let at_zero = RequestCompression {
            disabled: false,
            min_size: 0,
        };
        compress(&op_with(&["gzip"]), at_zero, &mut req);
        assert_eq!(req.get_header("content-encoding"), Some("gzip"));
    }
}
