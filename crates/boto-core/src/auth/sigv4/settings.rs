//! The per-service quirks of SigV4 as plain enums and one settings struct: what the payload line
//! holds, how the path is encoded, where the session token and the signature go. S3 differs
//! from every other service only through these values ([`SigningSettings::s3`]).

use super::SigningError;

/// The longest validity of a presigned request, in seconds (seven days).
pub const MAX_PRESIGN_EXPIRES: u64 = 604_800;

/// What goes in the payload-hash line of the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadChecksumKind {
    /// Hex SHA-256 of the body: computed from [`SignableBody::Bytes`](super::SignableBody::Bytes)
    /// or taken from [`SignableBody::Precomputed`](super::SignableBody::Precomputed).
    #[default]
    Sha256,
    /// The literal `UNSIGNED-PAYLOAD` (S3 over TLS or with a one-shot stream body, presigned
    /// URLs); the body is ignored.
    UnsignedPayload,
    /// The literal `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: an S3 aws-chunked upload whose chunks
    /// are signed with a [`ChunkSigner`](super::ChunkSigner) seeded with this request's signature.
    StreamingAwsChunked,
    /// The literal `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: aws-chunked with unsigned chunks and a
    /// trailing checksum.
    StreamingUnsignedPayloadTrailer,
    /// The literal `STREAMING-AWS4-HMAC-SHA256-EVENTS`: an input event stream whose messages are
    /// signed with an [`EventSigner`](super::EventSigner) seeded with this request's signature.
    StreamingEvents,
}

/// How the request path becomes the canonical URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UriEncoding {
    /// Percent-encode the path as sent once more (every byte outside `A-Za-z0-9-._~/`). This is
    /// what every service except S3 expects: an already-encoded `%20` is signed as `%2520`.
    #[default]
    Double,
    /// Use the path as sent, verbatim (S3).
    Single,
}

/// Where the session token (`X-Amz-Security-Token`) goes relative to the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionTokenMode {
    /// The token is a signed header (or, when presigning, a signed query parameter).
    #[default]
    Include,
    /// The token is added after the signature is computed and is not covered by it (needed by
    /// a few services for presigned URLs, e.g. IoT).
    AppendAfterSigning,
}

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureLocation {
    /// An `Authorization` header (plus `X-Amz-Date` and friends).
    #[default]
    Headers,
    /// Query parameters: a presigned URL valid for `expires_in` seconds (`1..=604800`).
    QueryString {
        /// Validity in seconds, sent as `X-Amz-Expires`.
        expires_in: u64,
    },
}

/// The per-service quirks of SigV4. [`SigningSettings::default`] fits most services;
/// [`SigningSettings::s3`] and [`SigningSettings::s3_presigned`] fit S3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSettings {
    /// What goes in the payload-hash line.
    pub payload_checksum: PayloadChecksumKind,
    /// Add an `X-Amz-Content-SHA256` header carrying the payload hash (S3 requires it). Ignored
    /// for [`SignatureLocation::QueryString`].
    pub content_sha256_header: bool,
    /// How the path is encoded into the canonical URI.
    pub uri_encoding: UriEncoding,
    /// Remove `.` and `..` segments and empty segments (`//`) from the path before encoding
    /// (every service except S3).
    pub normalize_path: bool,
    /// Whether the session token is signed.
    pub session_token_mode: SessionTokenMode,
    /// Headers or presigned query string.
    pub location: SignatureLocation,
}

impl Default for SigningSettings {
    /// Settings for every service but S3: SHA-256 payload, no content-sha256 header, double
    /// encoding with path normalization, signed session token, `Authorization` header.
    fn default() -> Self {
        Self {
            payload_checksum: PayloadChecksumKind::Sha256,
            content_sha256_header: false,
            uri_encoding: UriEncoding::Double,
            normalize_path: true,
            session_token_mode: SessionTokenMode::Include,
            location: SignatureLocation::Headers,
        }
    }
}

impl SigningSettings {
    /// Settings for S3 header signing: SHA-256 payload announced in `X-Amz-Content-SHA256`,
    /// path used verbatim. Set `payload_checksum` to [`PayloadChecksumKind::UnsignedPayload`]
    /// or [`PayloadChecksumKind::StreamingAwsChunked`] as needed.
    pub fn s3() -> Self {
        Self {
            content_sha256_header: true,
            uri_encoding: UriEncoding::Single,
            normalize_path: false,
            ..Self::default()
        }
    }

    /// Settings for an S3 presigned URL valid for `expires_in` seconds: `UNSIGNED-PAYLOAD`,
    /// path verbatim, signature in the query string.
    pub fn s3_presigned(expires_in: u64) -> Self {
        Self {
            payload_checksum: PayloadChecksumKind::UnsignedPayload,
            location: SignatureLocation::QueryString { expires_in },
            ..Self::s3()
        }
    }
}

impl SignatureLocation {
    /// The presign lifetime, or `None` for header signing.
    ///
    /// # Errors
    ///
    /// [`SigningError::InvalidExpires`] for a lifetime outside `1..=`[`MAX_PRESIGN_EXPIRES`].
    pub(super) fn presign_expires(self) -> Result<Option<u64>, SigningError> {
        match self {
            Self::Headers => Ok(None),
            Self::QueryString { expires_in }
                if expires_in == 0 || expires_in > MAX_PRESIGN_EXPIRES =>
            {
                Err(SigningError::InvalidExpires(expires_in))
            }
            Self::QueryString { expires_in } => Ok(Some(expires_in)),
        }
    }
}
