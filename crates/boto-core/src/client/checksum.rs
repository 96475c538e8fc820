//! Request checksums, as botocore 1.36+ computes them: the body's checksum goes into
//! `x-amz-checksum-<algorithm>` before signing when the operation requires one
//! (`httpChecksumRequired`, `requestChecksumRequired`), when the caller named an algorithm
//! (`ChecksumAlgorithm`), or, with `request_checksum_calculation = when_supported` (the default),
//! whenever the operation has the `httpChecksum` trait. With `when_required`, PutObject and
//! UploadPart carry no checksum (and no `x-amz-sdk-checksum-algorithm`) unless asked, for the
//! S3-compatible stores that refuse headers they do not know. CRC32 is the default algorithm.
//! A checksum header the caller set is left alone and none is added; a `Content-MD5` the caller
//! set goes along with the checksum, as botocore sends both (it looks for `x-amz-checksum-*`).
//!
//! botocore 1.36+ never computes `Content-MD5` itself any more: an operation that requires a
//! checksum gets CRC32 in either mode, and so it does here.
//!
//! Bodies in memory and files are summed (a file is read once more for it, in the pass that also
//! hashes it for the signer when that is needed: `digest.rs`); a one-shot stream cannot be, so it
//! is sent without a checksum unless one is required, which is an error.

use super::ConstructionError;
use crate::config::ChecksumWhen;
use crate::document::Document;
use crate::http::ByteStream;
use crate::inline_text::InlineText;
use crate::model::{Operation, ServiceModel};
use crate::protocol::SerializedRequest;

/// The checksum algorithms this engine computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// CRC-32 (IEEE), the default.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl Algorithm {
    fn from_name(name: &str) -> Option<Algorithm> {
        match name.to_ascii_lowercase().as_str() {
            "crc32" => Some(Algorithm::Crc32),
            "crc32c" => Some(Algorithm::Crc32c),
            "sha1" => Some(Algorithm::Sha1),
            "sha256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    fn wire_name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }
}

/// A running checksum.
pub(super) enum Hasher {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Digest(Box<ring::digest::Context>),
}

fn crc32c_table() -> &'static [u32; 256] {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u32; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0x82F6_3B78 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        table
    })
}

impl Hasher {
    fn new(alg: Algorithm) -> Hasher {
        match alg {
            Algorithm::Crc32 => Hasher::Crc32(crc32fast::Hasher::new()),
            Algorithm::Crc32c => Hasher::Crc32c(!0),
            Algorithm::Sha1 => Hasher::Digest(Box::new(ring::digest::Context::new(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            ))),
            Algorithm::Sha256 => {
                Hasher::Digest(Box::new(ring::digest::Context::new(&ring::digest::SHA256)))
            }
        }
    }

    pub(super) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Crc32(h) => h.update(data),
            Hasher::Crc32c(c) => {
                let table = crc32c_table();
                for &b in data {
                    *c = table[((*c ^ b as u32) & 0xff) as usize] ^ (*c >> 8);
                }
            }
            Hasher::Digest(d) => d.update(data),
        }
    }

    /// The base64 of the big-endian checksum, as the header carries it.
    pub(super) fn finish(self) -> ChecksumText {
        match self {
            Hasher::Crc32(h) => checksum_text(&h.finalize().to_be_bytes()),
            Hasher::Crc32c(c) => checksum_text(&(!c).to_be_bytes()),
            Hasher::Digest(d) => checksum_text(d.finish().as_ref()),
        }
    }
}

/// A checksum as its header carries it (base64 of at most 32 bytes: 44 characters), kept
/// inline: a request's header and a response's check need no string of their own.
pub(crate) type ChecksumText = InlineText<44>;

/// The header text of `digest`.
pub(crate) fn checksum_text(digest: &[u8]) -> ChecksumText {
    let mut text = ChecksumText::new();
    crate::encoding::base64_each(digest, |c| text.push(c));
    text
}

/// The checksum a request needs, decided from the model and the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    algorithm: Algorithm,
    required: bool,
    /// Also send the algorithm member's header (the caller did not set it).
    announce: bool,
}

/// Decides the checksum of `op`'s request (none for presigned URLs, as botocore).
pub(crate) fn plan(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
    when: ChecksumWhen,
) -> Result<Option<Plan>, ConstructionError> {
    let trait_ = op.http_checksum.as_ref();
    let required = op.http_checksum_required || trait_.is_some_and(|t| t.request_checksum_required);
    let member = trait_.and_then(|t| t.request_algorithm_member.as_deref());
    if let Some(name) = member.and_then(|m| input[m].as_str()) {
        let algorithm = Algorithm::from_name(name).ok_or_else(|| {
            ConstructionError::Serialize(crate::protocol::ProtocolError::Serialize(format!(
                "unsupported checksum algorithm {name:?} (supported: CRC32, CRC32C, SHA1, SHA256)"
            )))
        })?;
        return Ok(Some(Plan {
            algorithm,
            required,
            announce: false,
        }));
    }
    let supported = member.is_some() && when == ChecksumWhen::WhenSupported;
    if !(required || supported) {
        return Ok(None);
    }
    let announce = member.is_some_and(|m| {
        op.input
            .and_then(|id| model.shape(id).member_named(m))
            .is_some()
    });
    Ok(Some(Plan {
        algorithm: Algorithm::Crc32,
        required,
        announce,
    }))
}

/// What the checksum is computed over: taken from the body before any await, so the call's
/// future does not hold a reference to the (non-`Sync`) body.
pub(crate) enum Source {
    /// No body: the checksum of nothing.
    Empty,
    /// The body in memory.
    Bytes(bytes::Bytes),
    /// A replayable copy (a file) to read once.
    Replay(ByteStream),
    /// A one-shot stream: cannot be summed up front.
    OneShot,
}

impl Source {
    /// The source for `body`.
    pub(crate) fn of(body: Option<&ByteStream>) -> Source {
        match body {
            None => Source::Empty,
            Some(b) => match (b.as_bytes(), b.try_clone()) {
                (Some(bytes), _) => Source::Bytes(bytes.clone()),
                (None, Some(replay)) => Source::Replay(replay),
                (None, None) => Source::OneShot,
            },
        }
    }

    /// Feeds every byte of the body to `f`, reading a replayable copy to its end; `what` names
    /// the reading in an error ("checksum it"). `Ok(false)` for a one-shot stream, which cannot
    /// be read ahead (`f` sees nothing).
    pub(crate) async fn feed(
        self,
        what: &str,
        mut f: impl FnMut(&[u8]),
    ) -> Result<bool, ConstructionError> {
        match self {
            Source::Empty => {}
            Source::Bytes(bytes) => f(&bytes),
            Source::Replay(mut replay) => {
                while let Some(chunk) = replay.next_chunk().await {
                    let chunk = chunk.map_err(|e| {
                        ConstructionError::Usage(format!("cannot read the body to {what}: {e}"))
                    })?;
                    f(&chunk);
                }
            }
            Source::OneShot => return Ok(false),
        }
        Ok(true)
    }
}

impl Plan {
    /// The hasher to feed the body to.
    pub(super) fn hasher(self) -> Hasher {
        Hasher::new(self.algorithm)
    }

    /// The checksum is a SHA-256 (its header value is the base64 of the digest).
    pub(super) fn is_sha256(self) -> bool {
        self.algorithm == Algorithm::Sha256
    }
}

/// Whether the request carries a checksum header the caller set (`x-amz-checksum-*`): then none
/// is added.
pub(crate) fn given(req: &SerializedRequest) -> bool {
    const PREFIX: &str = "x-amz-checksum-";
    req.headers.iter().any(|(k, _)| {
        k.get(..PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
    })
}

/// Adds the checksum header(s) to `req`: `summed` is the header value of the whole body's
/// checksum, `None` for a one-shot stream, which could not be read ahead (an error if `op`
/// requires a checksum).
pub(crate) fn finish(
    plan: Plan,
    model: &ServiceModel,
    op: &Operation,
    req: &mut SerializedRequest,
    summed: Option<ChecksumText>,
) -> Result<(), ConstructionError> {
    let Some(value) = summed else {
        if plan.required {
            return Err(ConstructionError::Usage(format!(
                "{} requires a checksum, which a one-shot stream body cannot provide; pass bytes or a file",
                op.name
            )));
        }
        return Ok(());
    };
    req.header(plan.algorithm.header(), value.as_str());
    if plan.announce {
        let header = op
            .http_checksum
            .as_ref()
            .and_then(|t| t.request_algorithm_member.as_deref())
            .and_then(|m| op.input.and_then(|id| model.shape(id).member_named(m)))
            .map(|m| m.wire_name());
        if let Some(h) = header {
            req.headers.push_copied(h, plan.algorithm.wire_name());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::base64_encode;

    fn sum(alg: Algorithm, data: &[u8]) -> String {
        let mut h = Hasher::new(alg);
        h.update(data);
        h.finish().as_str().to_string()
    }

    #[test]
    fn inline_text_is_the_base64_of_every_digest_size() {
        for n in [0, 1, 2, 3, 4, 20, 32] {
            let digest: Vec<u8> = (0..n as u8).map(|b| b.wrapping_mul(37)).collect();
            assert_eq!(
                checksum_text(&digest).as_str(),
                base64_encode(&digest),
                "{n} bytes"
            );
        }
    }

    #[test]
    fn known_vectors() {
        // CRC32("123456789") = 0xCBF43926, CRC32C("123456789") = 0xE3069283.
        assert_eq!(
            sum(Algorithm::Crc32, b"123456789"),
            base64_encode(&0xCBF4_3926u32.to_be_bytes())
        );
        assert_eq!(
            sum(Algorithm::Crc32c, b"123456789"),
            base64_encode(&0xE306_9283u32.to_be_bytes())
        );
        assert_eq!(sum(Algorithm::Crc32, b""), "AAAAAA==");
        assert_eq!(
            sum(Algorithm::Sha256, b""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    const WHEN: ChecksumWhen = ChecksumWhen::WhenSupported;

    #[test]
    fn s3_operations_get_the_right_plan() {
        let s3 = ServiceModel::load("s3").unwrap();
        let delete = s3.operation("DeleteObjects").unwrap();
        let p = plan(&s3, delete, &crate::doc! {"Bucket": "b"}, WHEN)
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.algorithm, p.required, p.announce),
            (Algorithm::Crc32, true, true)
        );
        let put = s3.operation("PutObject").unwrap();
        let p = plan(&s3, put, &crate::doc! {"ChecksumAlgorithm": "SHA256"}, WHEN)
            .unwrap()
            .unwrap();
        assert_eq!(p.algorithm, Algorithm::Sha256);
        assert!(plan(&s3, put, &crate::doc! {"ChecksumAlgorithm": "MD4"}, WHEN).is_err());
        let list = s3.operation("ListObjectsV2").unwrap();
        assert!(plan(&s3, list, &crate::doc! {}, WHEN).unwrap().is_none());
        // when_required: nothing unless required or asked for.
        let only = ChecksumWhen::WhenRequired;
        assert!(plan(&s3, put, &crate::doc! {}, only).unwrap().is_none());
        let asked = plan(&s3, put, &crate::doc! {"ChecksumAlgorithm": "CRC32C"}, only)
            .unwrap()
            .unwrap();
        assert_eq!(asked.algorithm, Algorithm::Crc32c);
        let required = plan(&s3, delete, &crate::doc! {}, only).unwrap().unwrap();
        assert_eq!(
            (required.algorithm, required.announce),
            (Algorithm::Crc32, true)
        );
    }
}

/// Response validation, as botocore's `response_checksum_validation`: with `when_supported`
/// operations with a validation-mode member (`ChecksumMode`) ask for checksums; with
/// `when_required` only a caller who set that member does. A response to a request that asked,
/// carrying `x-amz-checksum-<algorithm>` for a whole object, is checked as its body is read.
pub(crate) mod response {
    use super::{Algorithm, ChecksumText, Hasher};
    use crate::document::Document;
    use crate::http::{BoxError, ByteStream};
    use crate::model::Operation;
    use bytes::Bytes;
    use http_body::{Body, Frame, SizeHint};
    use std::fmt;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Sets the validation-mode member (`ChecksumMode: ENABLED`) unless the caller set it.
    pub(crate) fn request_validation(op: &Operation, input: &mut crate::customize::InputEdit<'_>) {
        let member = op
            .http_checksum
            .as_ref()
            .and_then(|t| t.request_validation_mode_member.as_deref());
        if let Some(m) = member {
            // Set again on a resend from the given input, and read by no later hook but
            // `asked_for`: a default, which needs no copy of the given input.
            input.set_default(m, "ENABLED".into());
        }
    }

    /// True when the response is to be checked: the validation-mode member is set, by the
    /// caller or (with `when_supported`) by [`request_validation`].
    pub(crate) fn asked_for(op: &Operation, input: &Document) -> bool {
        op.http_checksum
            .as_ref()
            .and_then(|t| t.request_validation_mode_member.as_deref())
            .is_some_and(|m| !input[m].is_null())
    }

    /// The algorithm and expected value to check, from the response headers. Composite
    /// checksums of multipart objects (`...-3`) are not of the body and are skipped.
    pub(crate) fn expected(
        op: &Operation,
        headers: &[(crate::document::Name, String)],
    ) -> Option<(Algorithm, ChecksumText)> {
        op.http_checksum
            .as_ref()?
            .request_validation_mode_member
            .as_ref()?;
        // Cheapest first, as botocore prefers.
        for alg in [
            Algorithm::Crc32c,
            Algorithm::Crc32,
            Algorithm::Sha1,
            Algorithm::Sha256,
        ] {
            let value = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(alg.header()))
                .map(|(_, v)| v.trim());
            if let Some(v) = value {
                if v.contains('-') {
                    return None;
                }
                return Some((alg, ChecksumText::of(v)));
            }
        }
        None
    }

    /// The checksum of a body did not match the header.
    #[derive(Debug)]
    pub struct ChecksumMismatch {
        algorithm: Algorithm,
        expected: String,
        actual: String,
    }

    impl fmt::Display for ChecksumMismatch {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "the {} checksum of the body is {}, but the response said {}",
                self.algorithm.wire_name(),
                self.actual,
                self.expected
            )
        }
    }

    impl std::error::Error for ChecksumMismatch {}

    /// Checks a body read whole.
    pub(crate) fn check(
        alg: Algorithm,
        expected: &str,
        body: &[u8],
    ) -> Result<(), ChecksumMismatch> {
        let mut h = Hasher::new(alg);
        h.update(body);
        let actual = h.finish();
        if actual.as_str() == expected {
            Ok(())
        } else {
            Err(ChecksumMismatch {
                algorithm: alg,
                expected: expected.to_string(),
                actual: actual.as_str().to_string(),
            })
        }
    }

    struct Validating {
        inner: crate::http::body::RequestBody,
        hasher: Option<Hasher>,
        algorithm: Algorithm,
        expected: ChecksumText,
    }

    impl Body for Validating {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            let this = &mut *self;
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let (Some(h), Some(data)) = (this.hasher.as_mut(), frame.data_ref()) {
                        h.update(data);
                    }
                    Poll::Ready(Some(Ok(frame)))
                }
                Poll::Ready(None) => match this.hasher.take() {
                    // The end of the body: this is where a corrupt download is caught.
                    Some(h) => {
                        let actual = h.finish();
                        if actual == this.expected {
                            Poll::Ready(None)
                        } else {
                            Poll::Ready(Some(Err(Box::new(ChecksumMismatch {
                                algorithm: this.algorithm,
                                expected: this.expected.as_str().to_string(),
                                actual: actual.as_str().to_string(),
                            }))))
                        }
                    }
                    None => Poll::Ready(None),
                },
                other => other,
            }
        }

        fn size_hint(&self) -> SizeHint {
            self.inner.size_hint()
        }
    }

    /// Wraps a streaming body so that reading it to the end checks the checksum.
    pub(crate) fn validating(
        body: ByteStream,
        algorithm: Algorithm,
        expected: ChecksumText,
    ) -> ByteStream {
        ByteStream::from_body(Validating {
            inner: body.into_request_body(),
            hasher: Some(Hasher::new(algorithm)),
            algorithm,
            expected,
        })
    }
}
