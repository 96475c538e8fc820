//! Why a request could not be signed: one error type for the whole signer, each variant naming
//! the input that was wrong. No variant carries a secret.

use std::fmt;

use super::MAX_PRESIGN_EXPIRES;

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The signing time is before 1970-01-01T00:00:00Z.
    TimeBeforeEpoch,
    /// The signing time is after year 9999 and cannot be written as `yyyymmddThhmmssZ`.
    TimeOutOfRange,
    /// A credential or scope field is empty or holds characters it must not (`/`, whitespace,
    /// control characters). `field` names the [`SigningParams`](super::SigningParams) field.
    InvalidParam {
        /// The offending field, e.g. `"region"`.
        field: &'static str,
    },
    /// The HTTP method is empty or not an RFC 9110 token.
    InvalidMethod,
    /// A header name is empty or not an RFC 9110 token (the value is the name as given).
    InvalidHeaderName(String),
    /// The request has no `host` header; SigV4 always signs it.
    MissingHost,
    /// [`SignableBody::Precomputed`](super::SignableBody::Precomputed) is not 64 lowercase hex
    /// digits.
    InvalidPayloadHash,
    /// The presign lifetime is outside `1..=604800` seconds (the value is the one given).
    InvalidExpires(u64),
    /// A query string to be presigned already carries this SigV4 parameter (e.g. a URL that
    /// was signed before); strip it first.
    QueryAlreadySigned(&'static str),
    /// A chunk signer's seed signature is not 64 lowercase hex digits.
    InvalidSeedSignature,
    /// A chunk was given to a [`ChunkSigner`](super::ChunkSigner) after its final (empty) chunk.
    StreamFinished,
    /// An empty data chunk was passed where only non-empty ones are allowed (the empty chunk
    /// ends the stream: use [`ChunkSigner::finish`](super::ChunkSigner::finish)).
    EmptyChunk,
    /// An aws-chunked chunk size of zero.
    InvalidChunkSize,
    /// An aws-chunked length computation overflowed `u64`.
    LengthOverflow,
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimeBeforeEpoch => f.write_str("signing time is before the Unix epoch"),
            Self::TimeOutOfRange => f.write_str("signing time is after year 9999"),
            Self::InvalidParam { field } => write!(
                f,
                "signing parameter `{field}` is empty or contains '/', whitespace or control characters"
            ),
            Self::InvalidMethod => f.write_str("HTTP method is empty or not a valid token"),
            Self::InvalidHeaderName(name) => write!(f, "invalid header name {name:?}"),
            Self::MissingHost => f.write_str("request has no host header"),
            Self::InvalidPayloadHash => {
                f.write_str("precomputed payload hash is not 64 lowercase hex digits")
            }
            Self::InvalidExpires(v) => write!(
                f,
                "presign expiry {v}s is outside 1..={MAX_PRESIGN_EXPIRES} seconds"
            ),
            Self::QueryAlreadySigned(p) => {
                write!(f, "query string already contains the SigV4 parameter {p}")
            }
            Self::InvalidSeedSignature => {
                f.write_str("seed signature is not 64 lowercase hex digits")
            }
            Self::StreamFinished => f.write_str("aws-chunked stream already finished"),
            Self::EmptyChunk => {
                f.write_str("empty aws-chunked data chunk (use finish() for the final chunk)")
            }
            Self::InvalidChunkSize => f.write_str("aws-chunked chunk size must be positive"),
            Self::LengthOverflow => f.write_str("aws-chunked length overflows u64"),
        }
    }
}

impl std::error::Error for SigningError {}
