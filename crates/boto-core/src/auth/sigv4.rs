//! AWS Signature Version 4 (SigV4) as a pure function.
//!
//! The signer never reads a clock, the environment or the network: the caller passes the request
//! parts, the credentials and the signing time ([`SigningParams::time`], a [`SystemTime`]), and
//! gets back what to add to the request ([`SigningOutput`]). Every intermediate stage (canonical
//! request, string to sign, signature) is exposed so tests can check each one separately.
//!
//! # Pipeline
//!
//! 1. **Canonical request**: `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED_HEADERS\nPAYLOAD_HASH`.
//!    * URI: with [`UriEncoding::Double`] the path as sent is (optionally normalized, see
//!      [`SigningSettings::normalize_path`] and) percent-encoded once more, every byte outside
//!      `A-Z a-z 0-9 - . _ ~ /` becoming `%XX`; with [`UriEncoding::Single`] (S3) it is used verbatim.
//!    * Query: split on `&`, each pair at its first `=` (a key without `=` gets an empty value),
//!      percent-decoded (`%XX`, and `+` as a space as in form encoding; a `%` not followed by two
//!      hex digits stays a literal `%`), re-encoded with only the unreserved characters left bare,
//!      and sorted by key then value.
//!    * Headers: lower-cased names, values trimmed with inner runs of whitespace collapsed to one
//!      space, duplicates joined with `,` in their original order, sorted by name. Hop-by-hop and
//!      proxy-mutated headers are never signed (see [`is_unsigned_header`]).
//! 2. **String to sign**: `AWS4-HMAC-SHA256\n<yyyymmddThhmmssZ>\n<scope>\n<hex sha256(canonical request)>`
//!    with scope `<yyyymmdd>/<region>/<service>/aws4_request`.
//! 3. **Signing key**: `HMAC("AWS4"+secret, date) -> region -> service -> "aws4_request"`, which
//!    a [`SigningKeyCache`] can remember for the day.
//! 4. **Signature**: lowercase hex of `HMAC(signing key, string to sign)`, placed in an
//!    `Authorization` header or, for presigned URLs, in the `X-Amz-Signature` query parameter.
//!
//! # Example: a JSON-protocol POST
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use boto_core::auth::sigv4::{sign, SignableBody, SignableRequest, SigningParams, SigningSettings};
//!
//! let body = br#"{"TableName":"t"}"#;
//! let headers = [
//!     ("host", "dynamodb.us-east-1.amazonaws.com"),
//!     ("content-type", "application/x-amz-json-1.0"),
//!     ("x-amz-target", "DynamoDB_20120810.DescribeTable"),
//! ];
//! let request = SignableRequest {
//!     method: "POST",
//!     path: "/",
//!     query: "",
//!     headers: &headers,
//!     body: SignableBody::Bytes(body),
//! };
//! let params = SigningParams {
//!     access_key: "AKIDEXAMPLE",
//!     secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
//!     session_token: None,
//!     region: "us-east-1",
//!     service: "dynamodb",
//!     time: UNIX_EPOCH + Duration::from_secs(1_440_938_160),
//!     settings: SigningSettings::default(),
//! };
//! let output = sign(&request, &params)?;
//! // Set (replacing any existing header of the same name) each returned header.
//! assert_eq!(output.header("x-amz-date"), Some("20150830T123600Z"));
//! assert!(output.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential="));
//! # Ok::<(), boto_core::auth::sigv4::SigningError>(())
//! ```

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use ring::{digest, hmac};

/// The SigV4 algorithm identifier (`AWS4-HMAC-SHA256`).
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The algorithm identifier used in the string to sign of each aws-chunked chunk.
pub const CHUNK_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";
/// Lowercase hex SHA-256 of the empty string.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Payload hash placeholder for a body that is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Payload hash placeholder for an S3 aws-chunked body whose chunks are signed one by one.
pub const STREAMING_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// Payload hash placeholder for an unsigned aws-chunked body with trailing checksum headers.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The longest validity of a presigned request, in seconds (seven days).
pub const MAX_PRESIGN_EXPIRES: u64 = 604_800;

/// Headers that are never signed: `authorization` (it carries the signature) and the ones
/// botocore leaves out because proxies and HTTP stacks add, drop or rewrite them.
const UNSIGNED_HEADERS: &[&str] = &[
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

const HEADER_DATE: &str = "X-Amz-Date";
const HEADER_TOKEN: &str = "X-Amz-Security-Token";
const HEADER_CONTENT_SHA256: &str = "X-Amz-Content-SHA256";
const HEADER_AUTHORIZATION: &str = "Authorization";

const PARAM_ALGORITHM: &str = "X-Amz-Algorithm";
const PARAM_CREDENTIAL: &str = "X-Amz-Credential";
const PARAM_DATE: &str = "X-Amz-Date";
const PARAM_EXPIRES: &str = "X-Amz-Expires";
const PARAM_SIGNED_HEADERS: &str = "X-Amz-SignedHeaders";
const PARAM_TOKEN: &str = "X-Amz-Security-Token";
const PARAM_SIGNATURE: &str = "X-Amz-Signature";

/// Length of `";chunk-signature="`.
const CHUNK_SIGNATURE_PREFIX_LEN: u64 = 17;
/// Length of a hex signature.
const SIGNATURE_HEX_LEN: u64 = 64;

/// Whether a (lower-case) header name is one the signer never signs.
///
/// These are `authorization` plus botocore's list of hop-by-hop and proxy-mutated headers
/// (`user-agent`, `expect`, `connection`, `transfer-encoding`, `x-amzn-trace-id`, ...). They may
/// be present in [`SignableRequest::headers`]; they are simply left out of the signature.
pub fn is_unsigned_header(lowercase_name: &str) -> bool {
    UNSIGNED_HEADERS.contains(&lowercase_name)
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// The signing time is before 1970-01-01T00:00:00Z.
    TimeBeforeEpoch,
    /// The signing time is after year 9999 and cannot be written as `yyyymmddThhmmssZ`.
    TimeOutOfRange,
    /// A credential or scope field is empty or holds characters it must not (`/`, whitespace,
    /// control characters). `field` names the [`SigningParams`] field.
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
    /// [`SignableBody::Precomputed`] is not 64 lowercase hex digits.
    InvalidPayloadHash,
    /// The presign lifetime is outside `1..=604800` seconds (the value is the one given).
    InvalidExpires(u64),
    /// A query string to be presigned already carries this SigV4 parameter (e.g. a URL that
    /// was signed before); strip it first.
    QueryAlreadySigned(&'static str),
    /// A chunk signer's seed signature is not 64 lowercase hex digits.
    InvalidSeedSignature,
    /// A chunk was given to a [`ChunkSigner`] after its final (empty) chunk.
    StreamFinished,
    /// An empty data chunk was passed where only non-empty ones are allowed (the empty chunk
    /// ends the stream: use [`ChunkSigner::finish`]).
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

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/// What goes in the payload-hash line of the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadChecksumKind {
    /// Hex SHA-256 of the body: computed from [`SignableBody::Bytes`] or taken from
    /// [`SignableBody::Precomputed`].
    #[default]
    Sha256,
    /// The literal `UNSIGNED-PAYLOAD` (S3 over TLS, presigned URLs); the body is ignored.
    UnsignedPayload,
    /// The literal `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: an S3 aws-chunked upload whose chunks
    /// are signed with a [`ChunkSigner`] seeded with this request's signature.
    StreamingAwsChunked,
    /// The literal `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: aws-chunked with unsigned chunks and a
    /// trailing checksum.
    StreamingUnsignedPayloadTrailer,
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

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Credentials, scope, time and settings of one signing.
///
/// `Debug` shows the access key id but redacts the secret key and the session token.
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// Access key id (`AKID...`).
    pub access_key: &'a str,
    /// Secret access key. Never printed.
    pub secret_key: &'a str,
    /// Session token of temporary credentials. Never printed.
    pub session_token: Option<&'a str>,
    /// Signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing name of the service, e.g. `s3`, `dynamodb`.
    pub service: &'a str,
    /// The signing time (the caller's clock; UTC, truncated to whole seconds). Must be within
    /// 1970..=9999.
    pub time: SystemTime,
    /// Per-service quirks.
    pub settings: SigningSettings,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key", &self.access_key)
            .field("secret_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.map(|_| "** redacted **"),
            )
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .field("settings", &self.settings)
            .finish()
    }
}

/// The body, as far as the payload hash is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SignableBody<'a> {
    /// The full body; its SHA-256 is computed when [`PayloadChecksumKind::Sha256`] is used.
    Bytes(&'a [u8]),
    /// The body's SHA-256 as 64 lowercase hex digits, computed by the caller (e.g. while
    /// streaming a file).
    Precomputed(&'a str),
}

impl fmt::Debug for SignableBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bytes(b) => write!(f, "Bytes(<{} bytes>)", b.len()),
            Self::Precomputed(h) => f.debug_tuple("Precomputed").field(h).finish(),
        }
    }
}

/// The parts of an HTTP request that SigV4 signs, exactly as they will be sent.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method, e.g. `GET` (used as given).
    pub method: &'a str,
    /// The path as it will be sent: already percent-encoded per RFC 3986 except `/`
    /// (an empty path is signed as `/`).
    pub path: &'a str,
    /// The raw query string as it will be sent, without the `?` (may be empty).
    pub query: &'a str,
    /// Request headers in order, names in any case. Must include `host`. Headers the signer
    /// sets itself (`X-Amz-Date`, `Authorization`, and when applicable `X-Amz-Security-Token`
    /// and `X-Amz-Content-SHA256`) are ignored here and returned in the output instead.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body or its precomputed hash.
    pub body: SignableBody<'a>,
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Headers<'b>(&'b [(&'b str, &'b str)]);
        impl fmt::Debug for Headers<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    if is_sensitive_header(name) {
                        list.entry(&(name, "** redacted **"));
                    } else {
                        list.entry(&(name, value));
                    }
                }
                list.finish()
            }
        }
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &Headers(self.headers))
            .field("body", &self.body)
            .finish()
    }
}

fn is_sensitive_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("x-amz-security-token")
        || name.eq_ignore_ascii_case("proxy-authorization")
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/// The result of [`sign`]: what to add to the request, plus every intermediate stage.
///
/// `Debug` redacts the session token.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Vec<(&'static str, String)>,
    query_params: Vec<(&'static str, String)>,
    signature: String,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    credential_scope: String,
    amz_date: String,
}

impl SigningOutput {
    /// Headers to set on the request, each replacing any existing header of the same name, in
    /// this order: `X-Amz-Date`, `X-Amz-Security-Token` (with a session token, whether signed or
    /// appended after signing), `X-Amz-Content-SHA256` (if enabled), `Authorization`.
    /// Empty for presigned requests.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value of one output header, name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Query parameters (raw, not yet percent-encoded) to append to the query string of a
    /// presigned request, in order: `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (signed token),
    /// `X-Amz-Signature`, `X-Amz-Security-Token` (token appended after signing). Empty for
    /// header signing.
    pub fn query_params(&self) -> &[(&'static str, String)] {
        &self.query_params
    }

    /// The value of one output query parameter (exact name).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// [`Self::query_params`] percent-encoded and joined with `&`, ready to append to the query
    /// string (empty for header signing).
    pub fn encoded_query_params(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.query_params {
            if !out.is_empty() {
                out.push('&');
            }
            encode_into(name.as_bytes(), false, &mut out);
            out.push('=');
            encode_into(value.as_bytes(), false, &mut out);
        }
        out
    }

    /// The full query string to send: `original_query` followed by the encoded presign
    /// parameters (joined with `&` when both are non-empty).
    pub fn presigned_query(&self, original_query: &str) -> String {
        let params = self.encoded_query_params();
        match (original_query.is_empty(), params.is_empty()) {
            (true, _) => params,
            (false, true) => original_query.to_owned(),
            (false, false) => format!("{original_query}&{params}"),
        }
    }

    /// The signature, 64 lowercase hex digits (the seed signature of an aws-chunked upload).
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The canonical request that was hashed (stage 1).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign (stage 2).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The `;`-joined lower-case names of the signed headers.
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// The credential scope, `yyyymmdd/region/service/aws4_request`.
    pub fn credential_scope(&self) -> &str {
        &self.credential_scope
    }

    /// The signing time as `yyyymmddThhmmssZ`.
    pub fn amz_date(&self) -> &str {
        &self.amz_date
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted<'b>(&'b [(&'static str, String)]);
        impl fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    if name.eq_ignore_ascii_case(HEADER_TOKEN) {
                        list.entry(&(name, "** redacted **"));
                    } else {
                        list.entry(&(name, value));
                    }
                }
                list.finish()
            }
        }
        f.debug_struct("SigningOutput")
            .field("headers", &Redacted(&self.headers))
            .field("query_params", &Redacted(&self.query_params))
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .field("amz_date", &self.amz_date)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Signing key cache
// ---------------------------------------------------------------------------------------------

/// How many (secret, date, region, service) signing keys a [`SigningKeyCache`] keeps.
const CACHE_CAPACITY: usize = 16;

struct CacheEntry {
    secret_hash: [u8; 32],
    date: [u8; 8],
    region: String,
    service: String,
    key: hmac::Key,
}

/// A thread-safe cache of derived signing keys, so that signing many requests on the same day
/// does not redo the four-HMAC key derivation each time.
///
/// Entries are keyed by (SHA-256 of the secret key, date, region, service); the secret itself is
/// not stored. It keeps the 16 most recently used keys. `Debug` shows only the entry count.
pub struct SigningKeyCache {
    entries: Mutex<Vec<CacheEntry>>,
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            entries: Mutex::new(Vec::with_capacity(CACHE_CAPACITY)),
        }
    }

    /// Number of cached keys.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drop every cached key.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<CacheEntry>> {
        // A panic while holding the lock cannot leave the Vec inconsistent, so a poisoned lock
        // is still usable.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn signing_key(&self, secret: &str, date: &[u8; 8], region: &str, service: &str) -> hmac::Key {
        let hash = digest::digest(&digest::SHA256, secret.as_bytes());
        let Ok(secret_hash) = <[u8; 32]>::try_from(hash.as_ref()) else {
            // Unreachable (SHA-256 is 32 bytes); derive without caching rather than panic.
            return derive_signing_key(secret, date, region, service);
        };
        {
            let mut entries = self.lock();
            let found = entries.iter().position(|e| {
                e.secret_hash == secret_hash
                    && &e.date == date
                    && e.region == region
                    && e.service == service
            });
            if let Some(i) = found {
                let entry = entries.remove(i);
                let key = entry.key.clone();
                entries.insert(0, entry);
                return key;
            }
        }
        // Derive outside the lock; a concurrent miss may derive the same key twice, harmlessly.
        let key = derive_signing_key(secret, date, region, service);
        let mut entries = self.lock();
        let exists = entries.iter().any(|e| {
            e.secret_hash == secret_hash
                && &e.date == date
                && e.region == region
                && e.service == service
        });
        if !exists {
            entries.truncate(CACHE_CAPACITY - 1);
            entries.insert(
                0,
                CacheEntry {
                    secret_hash,
                    date: *date,
                    region: region.to_owned(),
                    service: service.to_owned(),
                    key: key.clone(),
                },
            );
        }
        key
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.len())
            .finish()
    }
}

fn derive_signing_key(secret: &str, date: &[u8; 8], region: &str, service: &str) -> hmac::Key {
    let mut k_secret = Vec::with_capacity(4 + secret.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let k_date = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &k_secret), date);
    k_secret.fill(0);
    std::hint::black_box(&k_secret);
    let k_region = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_date.as_ref()),
        region.as_bytes(),
    );
    let k_service = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_region.as_ref()),
        service.as_bytes(),
    );
    let k_signing = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, k_service.as_ref()),
        b"aws4_request",
    );
    hmac::Key::new(hmac::HMAC_SHA256, k_signing.as_ref())
}

fn signing_key_for(
    params: &SigningParams<'_>,
    date: &[u8; 8],
    cache: Option<&SigningKeyCache>,
) -> hmac::Key {
    match cache {
        Some(c) => c.signing_key(params.secret_key, date, params.region, params.service),
        None => derive_signing_key(params.secret_key, date, params.region, params.service),
    }
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/// Sign `request` with `params`, deriving the signing key from scratch.
///
/// # Errors
///
/// See [`SigningError`]: invalid time, credentials, scope, method, header names, payload hash,
/// presign expiry, a missing `host` header, or a query string that is already presigned.
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    sign_inner(request, params, None)
}

/// Like [`sign`], taking the signing key from `cache` (deriving and storing it on a miss).
///
/// # Errors
///
/// As for [`sign`].
pub fn sign_with_cache(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: &SigningKeyCache,
) -> Result<SigningOutput, SigningError> {
    sign_inner(request, params, Some(cache))
}

/// The signing time as `yyyymmddThhmmssZ` (the `X-Amz-Date` format).
///
/// # Errors
///
/// [`SigningError::TimeBeforeEpoch`] or [`SigningError::TimeOutOfRange`] for times outside
/// 1970..=9999.
pub fn format_amz_date(time: SystemTime) -> Result<String, SigningError> {
    let stamp = AmzDate::from_system_time(time)?;
    Ok(stamp.datetime_string())
}

/// A validated signing time.
#[derive(Clone, Copy)]
struct AmzDate {
    /// `yyyymmddThhmmssZ` as ASCII.
    datetime: [u8; 16],
}

impl AmzDate {
    fn from_system_time(time: SystemTime) -> Result<Self, SigningError> {
        let secs = time
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::TimeBeforeEpoch)?
            .as_secs();
        Self::from_unix_secs(secs)
    }

    fn from_unix_secs(secs: u64) -> Result<Self, SigningError> {
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return Err(SigningError::TimeOutOfRange);
        }
        let (hour, minute, second) = (rem / 3600, (rem % 3600) / 60, rem % 60);
        let mut datetime = [0u8; 16];
        let mut put = |start: usize, value: u64, width: usize| {
            let mut v = value;
            for i in (start..start + width).rev() {
                if let Some(slot) = datetime.get_mut(i) {
                    // `v % 10` is a single digit, so the cast cannot truncate.
                    *slot = b'0' + (v % 10) as u8;
                }
                v /= 10;
            }
        };
        put(0, year, 4);
        put(4, month, 2);
        put(6, day, 2);
        put(9, hour, 2);
        put(11, minute, 2);
        put(13, second, 2);
        datetime[8] = b'T';
        datetime[15] = b'Z';
        Ok(Self { datetime })
    }

    fn datetime_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever written.
        std::str::from_utf8(&self.datetime).unwrap_or("")
    }

    fn datetime_string(&self) -> String {
        self.datetime_str().to_owned()
    }

    fn date(&self) -> [u8; 8] {
        let [y0, y1, y2, y3, m0, m1, d0, d1, ..] = self.datetime;
        [y0, y1, y2, y3, m0, m1, d0, d1]
    }

    fn date_str(&self) -> &str {
        std::str::from_utf8(&self.datetime[..8]).unwrap_or("")
    }
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01 (the calendar
/// arithmetic is [`crate::document::Timestamp`]'s).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let (y, m, d) = crate::document::civil_from_days(i64::try_from(days).unwrap_or(i64::MAX / 2));
    (
        u64::try_from(y).unwrap_or(u64::MAX),
        u64::from(m),
        u64::from(d),
    )
}

fn validate_scope_part(value: &str, field: &'static str) -> Result<(), SigningError> {
    if value.is_empty()
        || value
            .chars()
            .any(|c| c == '/' || c.is_whitespace() || c.is_control())
    {
        return Err(SigningError::InvalidParam { field });
    }
    Ok(())
}

fn validate_params(params: &SigningParams<'_>) -> Result<(), SigningError> {
    validate_scope_part(params.access_key, "access_key")?;
    validate_scope_part(params.region, "region")?;
    validate_scope_part(params.service, "service")?;
    if params.secret_key.is_empty() {
        return Err(SigningError::InvalidParam {
            field: "secret_key",
        });
    }
    if let Some(token) = params.session_token {
        if token.is_empty() || token.chars().any(|c| c.is_control()) {
            return Err(SigningError::InvalidParam {
                field: "session_token",
            });
        }
    }
    Ok(())
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn payload_hash(
    request: &SignableRequest<'_>,
    kind: PayloadChecksumKind,
) -> Result<String, SigningError> {
    Ok(match kind {
        PayloadChecksumKind::Sha256 => match request.body {
            SignableBody::Bytes(bytes) => sha256_hex(bytes),
            SignableBody::Precomputed(hash) => {
                if !is_lower_hex_64(hash) {
                    return Err(SigningError::InvalidPayloadHash);
                }
                hash.to_owned()
            }
        },
        PayloadChecksumKind::UnsignedPayload => UNSIGNED_PAYLOAD.to_owned(),
        PayloadChecksumKind::StreamingAwsChunked => STREAMING_PAYLOAD.to_owned(),
        PayloadChecksumKind::StreamingUnsignedPayloadTrailer => {
            STREAMING_UNSIGNED_PAYLOAD_TRAILER.to_owned()
        }
    })
}

fn sign_inner(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    cache: Option<&SigningKeyCache>,
) -> Result<SigningOutput, SigningError> {
    validate_params(params)?;
    if !is_token(request.method) {
        return Err(SigningError::InvalidMethod);
    }
    let settings = &params.settings;
    let stamp = AmzDate::from_system_time(params.time)?;
    let amz_date = stamp.datetime_string();
    let credential_scope = format!(
        "{}/{}/{}/aws4_request",
        stamp.date_str(),
        params.region,
        params.service
    );
    let payload = payload_hash(request, settings.payload_checksum)?;

    let presign_expires = match settings.location {
        SignatureLocation::Headers => None,
        SignatureLocation::QueryString { expires_in } => {
            if expires_in == 0 || expires_in > MAX_PRESIGN_EXPIRES {
                return Err(SigningError::InvalidExpires(expires_in));
            }
            Some(expires_in)
        }
    };
    let token_signed = match (params.session_token, settings.session_token_mode) {
        (Some(t), SessionTokenMode::Include) => Some(t),
        _ => None,
    };
    let token_after = match (params.session_token, settings.session_token_mode) {
        (Some(t), SessionTokenMode::AppendAfterSigning) => Some(t),
        _ => None,
    };

    // --- headers -------------------------------------------------------------------------
    let header_mode = presign_expires.is_none();
    let add_content_sha256 = header_mode && settings.content_sha256_header;
    let mut canon_headers: Vec<(String, String)> = Vec::with_capacity(request.headers.len() + 3);
    let mut has_host = false;
    for (name, value) in request.headers {
        let trimmed = name.trim();
        if !is_token(trimmed) {
            return Err(SigningError::InvalidHeaderName((*name).to_owned()));
        }
        let lower = trimmed.to_ascii_lowercase();
        if is_unsigned_header(&lower) {
            continue;
        }
        if header_mode {
            // Headers the signer sets itself replace whatever the request carried.
            let replaced = lower == "x-amz-date"
                || (lower == "x-amz-security-token" && params.session_token.is_some())
                || (lower == "x-amz-content-sha256" && add_content_sha256);
            if replaced {
                continue;
            }
        }
        if lower == "host" {
            has_host = true;
        }
        canon_headers.push((lower, trim_all(value)));
    }
    if !has_host {
        return Err(SigningError::MissingHost);
    }
    if header_mode {
        canon_headers.push(("x-amz-date".to_owned(), amz_date.clone()));
        if let Some(token) = token_signed {
            canon_headers.push(("x-amz-security-token".to_owned(), trim_all(token)));
        }
        if add_content_sha256 {
            canon_headers.push(("x-amz-content-sha256".to_owned(), payload.clone()));
        }
    }
    // Stable: duplicates keep their request order.
    canon_headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical_headers = String::with_capacity(256);
    let mut signed_headers = String::with_capacity(64);
    let mut previous: Option<&str> = None;
    for (name, value) in &canon_headers {
        if previous == Some(name.as_str()) {
            canonical_headers.push(',');
        } else {
            if previous.is_some() {
                canonical_headers.push('\n');
                signed_headers.push(';');
            }
            canonical_headers.push_str(name);
            canonical_headers.push(':');
            signed_headers.push_str(name);
            previous = Some(name.as_str());
        }
        canonical_headers.push_str(value);
    }
    if previous.is_some() {
        canonical_headers.push('\n');
    }

    // --- query ---------------------------------------------------------------------------
    let credential = format!("{}/{}", params.access_key, credential_scope);
    let mut auth_params: Vec<(&'static str, String)> = Vec::new();
    if let Some(expires) = presign_expires {
        auth_params.push((PARAM_ALGORITHM, ALGORITHM.to_owned()));
        auth_params.push((PARAM_CREDENTIAL, credential.clone()));
        auth_params.push((PARAM_DATE, amz_date.clone()));
        auth_params.push((PARAM_EXPIRES, expires.to_string()));
        auth_params.push((PARAM_SIGNED_HEADERS, signed_headers.clone()));
        if let Some(token) = token_signed {
            auth_params.push((PARAM_TOKEN, token.to_owned()));
        }
    }
    let canonical_query =
        canonical_query_string(request.query, &auth_params, presign_expires.is_some())?;

    // --- canonical request -----------------------------------------------------------------
    let canonical_uri = canonical_uri(request.path, settings);
    let mut canonical_request = String::with_capacity(
        request.method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + canonical_headers.len()
            + signed_headers.len()
            + payload.len()
            + 5,
    );
    canonical_request.push_str(request.method);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_uri);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&payload);

    // --- string to sign and signature -----------------------------------------------------
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{credential_scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = signing_key_for(params, &stamp.date(), cache);
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());

    // --- output ----------------------------------------------------------------------------
    let mut headers = Vec::new();
    let mut query_params = Vec::new();
    if header_mode {
        headers.push((HEADER_DATE, amz_date.clone()));
        // Signed or not, the token header sits in the same place; only the canonical request
        // tells the two modes apart.
        if let Some(token) = params.session_token {
            headers.push((HEADER_TOKEN, token.to_owned()));
        }
        if add_content_sha256 {
            headers.push((HEADER_CONTENT_SHA256, payload.clone()));
        }
        headers.push((
            HEADER_AUTHORIZATION,
            format!(
                "{ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"
            ),
        ));
    } else {
        query_params = auth_params;
        query_params.push((PARAM_SIGNATURE, signature.clone()));
        if let Some(token) = token_after {
            query_params.push((PARAM_TOKEN, token.to_owned()));
        }
    }

    Ok(SigningOutput {
        headers,
        query_params,
        signature,
        canonical_request,
        string_to_sign,
        signed_headers,
        credential_scope,
        amz_date,
    })
}

/// Trim a header value and collapse every inner run of whitespace (space, tab, CR, LF, VT, FF,
/// as left by obsolete line folding) to a single space.
fn trim_all(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value
        .split([' ', '\t', '\r', '\n', '\x0b', '\x0c'])
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn canonical_uri(path: &str, settings: &SigningSettings) -> String {
    let normalized;
    let path = if settings.normalize_path {
        normalized = remove_dot_segments(path);
        normalized.as_str()
    } else {
        path
    };
    if path.is_empty() {
        return "/".to_owned();
    }
    match settings.uri_encoding {
        UriEncoding::Single => path.to_owned(),
        UriEncoding::Double => {
            let mut out = String::with_capacity(path.len() + 16);
            encode_into(path.as_bytes(), true, &mut out);
            out
        }
    }
}

/// Remove `.` and `..` segments (RFC 3986 section 5.2.4) and empty segments, keeping a leading
/// and (for a non-root result) trailing slash.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    out
}

fn canonical_query_string(
    query: &str,
    extra: &[(&'static str, String)],
    presigning: bool,
) -> Result<String, SigningError> {
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(extra.len() + 4);
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = percent_decode(key);
        if presigning {
            if let Some((name, _)) = extra.iter().find(|(n, _)| n.as_bytes() == key.as_slice()) {
                return Err(SigningError::QueryAlreadySigned(name));
            }
            if key.as_slice() == PARAM_SIGNATURE.as_bytes() {
                return Err(SigningError::QueryAlreadySigned(PARAM_SIGNATURE));
            }
        }
        let mut k = String::with_capacity(key.len());
        encode_into(&key, false, &mut k);
        let mut v = String::with_capacity(value.len());
        encode_into(&percent_decode(value), false, &mut v);
        pairs.push((k, v));
    }
    for (name, value) in extra {
        let mut k = String::with_capacity(name.len());
        encode_into(name.as_bytes(), false, &mut k);
        let mut v = String::with_capacity(value.len() + 8);
        encode_into(value.as_bytes(), false, &mut v);
        pairs.push((k, v));
    }
    pairs.sort();
    let mut out = String::with_capacity(query.len() + 16);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// aws-chunked streaming
// ---------------------------------------------------------------------------------------------

/// Signs the chunks of an S3 aws-chunked upload (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`).
///
/// Seed it with the signature of the request headers (signed with
/// [`PayloadChecksumKind::StreamingAwsChunked`], and carrying `content-encoding: aws-chunked`,
/// `x-amz-decoded-content-length` and the encoded `content-length` from
/// [`aws_chunked_encoded_length`]), then frame each data chunk with [`ChunkSigner::encode_chunk`]
/// and end with [`ChunkSigner::finish`]. Each chunk's string to sign is
/// `AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous signature>\n<sha256("")>\n<sha256(chunk)>`.
///
/// `Debug` does not show the signing key.
pub struct ChunkSigner {
    key: hmac::Key,
    amz_date: String,
    scope: String,
    previous_signature: String,
    finished: bool,
}

impl fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date", &self.amz_date)
            .field("scope", &self.scope)
            .field("previous_signature", &self.previous_signature)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    /// A chunk signer for the request signed with `params` whose signature is `seed_signature`.
    ///
    /// # Errors
    ///
    /// Invalid `params` (as for [`sign`]) or a seed that is not 64 lowercase hex digits.
    pub fn new(params: &SigningParams<'_>, seed_signature: &str) -> Result<Self, SigningError> {
        Self::build(params, seed_signature, None)
    }

    /// Like [`ChunkSigner::new`], taking the signing key from `cache`.
    ///
    /// # Errors
    ///
    /// As for [`ChunkSigner::new`].
    pub fn with_cache(
        params: &SigningParams<'_>,
        seed_signature: &str,
        cache: &SigningKeyCache,
    ) -> Result<Self, SigningError> {
        Self::build(params, seed_signature, Some(cache))
    }

    fn build(
        params: &SigningParams<'_>,
        seed_signature: &str,
        cache: Option<&SigningKeyCache>,
    ) -> Result<Self, SigningError> {
        validate_params(params)?;
        if !is_lower_hex_64(seed_signature) {
            return Err(SigningError::InvalidSeedSignature);
        }
        let stamp = AmzDate::from_system_time(params.time)?;
        let scope = format!(
            "{}/{}/{}/aws4_request",
            stamp.date_str(),
            params.region,
            params.service
        );
        Ok(Self {
            key: signing_key_for(params, &stamp.date(), cache),
            amz_date: stamp.datetime_string(),
            scope,
            previous_signature: seed_signature.to_owned(),
            finished: false,
        })
    }

    /// The signature of the last chunk signed (the seed before any).
    pub fn previous_signature(&self) -> &str {
        &self.previous_signature
    }

    /// Whether the final (empty) chunk has been signed.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Sign the next chunk and return its signature. An empty `data` is the final chunk, after
    /// which the stream is finished.
    ///
    /// # Errors
    ///
    /// [`SigningError::StreamFinished`] after the final chunk.
    pub fn sign_chunk(&mut self, data: &[u8]) -> Result<String, SigningError> {
        if self.finished {
            return Err(SigningError::StreamFinished);
        }
        let string_to_sign = format!(
            "{CHUNK_ALGORITHM}\n{}\n{}\n{}\n{EMPTY_SHA256}\n{}",
            self.amz_date,
            self.scope,
            self.previous_signature,
            sha256_hex(data)
        );
        let signature = hex(hmac::sign(&self.key, string_to_sign.as_bytes()).as_ref());
        self.previous_signature.clone_from(&signature);
        if data.is_empty() {
            self.finished = true;
        }
        Ok(signature)
    }

    /// Sign a non-empty data chunk and append its framing
    /// `hex(len);chunk-signature=<sig>\r\n<data>\r\n` to `out`.
    ///
    /// # Errors
    ///
    /// [`SigningError::EmptyChunk`] for empty `data`, [`SigningError::StreamFinished`] after
    /// [`ChunkSigner::finish`].
    pub fn encode_chunk_into(
        &mut self,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), SigningError> {
        if data.is_empty() {
            return Err(SigningError::EmptyChunk);
        }
        let signature = self.sign_chunk(data)?;
        out.reserve(data.len() + 90);
        out.extend_from_slice(
            format!("{:x};chunk-signature={signature}\r\n", data.len()).as_bytes(),
        );
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Sign a non-empty data chunk and return its framing
    /// `hex(len);chunk-signature=<sig>\r\n<data>\r\n`.
    ///
    /// # Errors
    ///
    /// As for [`ChunkSigner::encode_chunk_into`].
    pub fn encode_chunk(&mut self, data: &[u8]) -> Result<Vec<u8>, SigningError> {
        let mut out = Vec::with_capacity(data.len() + 90);
        self.encode_chunk_into(data, &mut out)?;
        Ok(out)
    }

    /// Sign the final empty chunk and return its framing `0;chunk-signature=<sig>\r\n\r\n`.
    ///
    /// # Errors
    ///
    /// [`SigningError::StreamFinished`] if already finished.
    pub fn finish(&mut self) -> Result<Vec<u8>, SigningError> {
        let signature = self.sign_chunk(&[])?;
        Ok(format!("0;chunk-signature={signature}\r\n\r\n").into_bytes())
    }
}

/// The `content-length` of an aws-chunked (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) body carrying
/// `decoded_len` bytes (the `x-amz-decoded-content-length`) in chunks of `chunk_size` bytes
/// (the last data chunk may be shorter), including the final empty chunk.
///
/// # Errors
///
/// [`SigningError::InvalidChunkSize`] for a zero chunk size, [`SigningError::LengthOverflow`]
/// if the result does not fit in `u64`.
pub fn aws_chunked_encoded_length(decoded_len: u64, chunk_size: u64) -> Result<u64, SigningError> {
    if chunk_size == 0 {
        return Err(SigningError::InvalidChunkSize);
    }
    let frame = |len: u64| -> Option<u64> {
        // hex(len) ";chunk-signature=" sig "\r\n" data "\r\n"
        hex_digits(len)
            .checked_add(CHUNK_SIGNATURE_PREFIX_LEN + SIGNATURE_HEX_LEN + 2)?
            .checked_add(len)?
            .checked_add(2)
    };
    let full_chunks = decoded_len / chunk_size;
    let remainder = decoded_len % chunk_size;
    let total = frame(chunk_size)
        .and_then(|f| f.checked_mul(full_chunks))
        .and_then(|t| {
            if remainder > 0 {
                t.checked_add(frame(remainder)?)
            } else {
                Some(t)
            }
        })
        .and_then(|t| t.checked_add(frame(0)?));
    total.ok_or(SigningError::LengthOverflow)
}

fn hex_digits(mut n: u64) -> u64 {
    let mut digits = 1;
    while n >= 16 {
        n /= 16;
        digits += 1;
    }
    digits
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers
// ---------------------------------------------------------------------------------------------

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0x0f)]));
    }
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// SigV4 URI encoding: every byte outside `A-Za-z0-9-._~` (and `/` when `keep_slash`) becomes
/// `%XX` with uppercase hex.
fn encode_into(bytes: &[u8], keep_slash: bool, out: &mut String) {
    for &b in bytes {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decode `%XX` escapes and `+` (as a space) in a query component; a `%` not followed by two
/// hex digits is kept literally.
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn params(settings: SigningSettings) -> SigningParams<'static> {
        SigningParams {
            access_key: "AKIDEXAMPLE",
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "service",
            time: at(1_440_938_160),
            settings,
        }
    }

    #[test]
    fn formats_dates() {
        let cases = [
            (0, "19700101T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (1_369_353_600, "20130524T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (951_868_799, "20000229T235959Z"),
            (4_107_542_400, "21000301T000000Z"),
            (253_402_300_799, "99991231T235959Z"),
        ];
        for (secs, expected) in cases {
            assert_eq!(format_amz_date(at(secs)).unwrap(), expected, "{secs}");
        }
        assert_eq!(
            format_amz_date(at(253_402_300_800)),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            AmzDate::from_unix_secs(u64::MAX).map(|d| d.datetime_string()),
            Err(SigningError::TimeOutOfRange)
        );
        assert_eq!(
            format_amz_date(UNIX_EPOCH - Duration::from_secs(1)),
            Err(SigningError::TimeBeforeEpoch)
        );
    }

    #[test]
    fn civil_dates_match_day_counting() {
        // Walk day by day for 1000 years and check the calendar increments correctly.
        let (mut y, mut m, mut d) = (1970u64, 1u64, 1u64);
        for days in 0..366_000u64 {
            assert_eq!(civil_from_days(days), (y, m, d), "day {days}");
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }

    #[test]
    fn encodes_and_decodes() {
        let mut s = String::new();
        encode_into("a b/c~é+%".as_bytes(), true, &mut s);
        assert_eq!(s, "a%20b/c~%C3%A9%2B%25");
        let mut s = String::new();
        encode_into(b"a/b", false, &mut s);
        assert_eq!(s, "a%2Fb");
        assert_eq!(percent_decode("a%20b+c%2B%zz%4"), b"a b c+%zz%4".to_vec());
        assert_eq!(percent_decode("%"), b"%".to_vec());
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }

    #[test]
    fn normalizes_paths() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/./", "/"),
            ("/example/..", "/"),
            ("/example1/example2/../..", "/"),
            ("/./example", "/example"),
            ("//example//", "/example/"),
            ("/a/b/../c/./d/", "/a/c/d/"),
            ("/../..", "/"),
            ("a/b", "a/b"),
        ];
        for (input, expected) in cases {
            assert_eq!(remove_dot_segments(input), expected, "{input:?}");
        }
    }

    #[test]
    fn canonical_uri_modes() {
        let double = SigningSettings::default();
        assert_eq!(canonical_uri("/a%20b/../c d", &double), "/c%20d");
        assert_eq!(canonical_uri("/a%20b", &double), "/a%2520b");
        let s3 = SigningSettings::s3();
        assert_eq!(canonical_uri("/a%20b//../c", &s3), "/a%20b//../c");
        assert_eq!(canonical_uri("", &s3), "/");
    }

    #[test]
    fn canonical_query_rules() {
        let q = canonical_query_string("b=2&a=&c&a=1&&%41=x+y&k=%7e", &[], false).unwrap();
        assert_eq!(q, "A=x%20y&a=&a=1&b=2&c=&k=~");
        assert_eq!(canonical_query_string("", &[], false).unwrap(), "");
    }

    #[test]
    fn trims_header_values() {
        assert_eq!(trim_all("  a   b \t c\n  d  "), "a b c d");
        assert_eq!(trim_all("   "), "");
        assert_eq!(trim_all("\"a   b   c\""), "\"a b c\"");
    }

    #[test]
    fn chunked_lengths() {
        assert_eq!(aws_chunked_encoded_length(66_560, 65_536), Ok(66_824));
        assert_eq!(aws_chunked_encoded_length(0, 65_536), Ok(86));
        assert_eq!(aws_chunked_encoded_length(65_536, 65_536), Ok(65_626 + 86));
        assert_eq!(
            aws_chunked_encoded_length(1, 0),
            Err(SigningError::InvalidChunkSize)
        );
        assert_eq!(
            aws_chunked_encoded_length(u64::MAX, 1),
            Err(SigningError::LengthOverflow)
        );
        assert!(aws_chunked_encoded_length(u64::MAX, u64::MAX).is_err());
    }

    #[test]
    fn rejects_bad_input_without_panicking() {
        let headers = [("host", "example.amazonaws.com")];
        let req = SignableRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: SignableBody::Bytes(b""),
        };
        let mut p = params(SigningSettings::default());
        p.region = "us east";
        assert_eq!(
            sign(&req, &p),
            Err(SigningError::InvalidParam { field: "region" })
        );
        let p = params(SigningSettings::default());
        let no_host = SignableRequest {
            headers: &[("x-foo", "bar")],
            ..req
        };
        assert_eq!(sign(&no_host, &p), Err(SigningError::MissingHost));
        let bad_name = SignableRequest {
            headers: &[("host", "h"), ("bad name", "v")],
            ..req
        };
        assert!(matches!(
            sign(&bad_name, &p),
            Err(SigningError::InvalidHeaderName(_))
        ));
        let bad_method = SignableRequest { method: "", ..req };
        assert_eq!(sign(&bad_method, &p), Err(SigningError::InvalidMethod));
        let bad_hash = SignableRequest {
            body: SignableBody::Precomputed("ABC"),
            ..req
        };
        assert_eq!(sign(&bad_hash, &p), Err(SigningError::InvalidPayloadHash));
        let presign = params(SigningSettings::s3_presigned(0));
        assert_eq!(sign(&req, &presign), Err(SigningError::InvalidExpires(0)));
        let presign = params(SigningSettings::s3_presigned(604_801));
        assert_eq!(
            sign(&req, &presign),
            Err(SigningError::InvalidExpires(604_801))
        );
        let presign = params(SigningSettings::s3_presigned(60));
        let signed_already = SignableRequest {
            query: "a=1&X-Amz-Signature=abc",
            ..req
        };
        assert_eq!(
            sign(&signed_already, &presign),
            Err(SigningError::QueryAlreadySigned("X-Amz-Signature"))
        );
        // Odd but valid bytes everywhere never panic.
        let weird_headers = [("host", "h\u{0}\u{7f}é"), ("x-a", "")];
        let weird = SignableRequest {
            method: "GET",
            path: "/\u{0}%/../..//é?#",
            query: "%=%&=&&==%zz&\u{1}=é",
            headers: &weird_headers,
            body: SignableBody::Bytes(&[0xff, 0x00]),
        };
        assert!(sign(&weird, &p).is_ok());
    }

    #[test]
    fn replaces_headers_it_sets() {
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", "19990101T000000Z"),
            ("Authorization", "old"),
            ("User-Agent", "x"),
            ("X-Amz-Security-Token", "old-token"),
        ];
        let req = SignableRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: SignableBody::Bytes(b""),
        };
        let mut p = params(SigningSettings::default());
        p.session_token = Some("new-token");
        let out = sign(&req, &p).unwrap();
        assert_eq!(out.signed_headers(), "host;x-amz-date;x-amz-security-token");
        assert!(out
            .canonical_request()
            .contains("x-amz-security-token:new-token\n"));
        assert!(!out.canonical_request().contains("1999"));
        assert_eq!(out.header("x-amz-security-token"), Some("new-token"));
        assert!(!format!("{out:?}").contains("new-token"));
    }

    #[test]
    fn cache_returns_same_signatures() {
        let headers = [("host", "example.amazonaws.com")];
        let req = SignableRequest {
            method: "GET",
            path: "/",
            query: "",
            headers: &headers,
            body: SignableBody::Bytes(b""),
        };
        let cache = SigningKeyCache::new();
        let p = params(SigningSettings::default());
        let plain = sign(&req, &p).unwrap();
        let cached = sign_with_cache(&req, &p, &cache).unwrap();
        assert_eq!(cache.len(), 1);
        let again = sign_with_cache(&req, &p, &cache).unwrap();
        assert_eq!(cache.len(), 1);
        assert_eq!(plain, cached);
        assert_eq!(plain, again);
        for i in 0..40 {
            let mut q = p;
            q.time = at(1_440_938_160 + i * 86_400);
            let a = sign(&req, &q).unwrap();
            let b = sign_with_cache(&req, &q, &cache).unwrap();
            assert_eq!(a.signature(), b.signature());
        }
        assert_eq!(cache.len(), CACHE_CAPACITY);
        assert!(!format!("{cache:?}").contains("wJalr"));
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn chunk_signer_state() {
        let p = params(SigningSettings::s3());
        assert_eq!(
            ChunkSigner::new(&p, "nothex").map(|_| ()),
            Err(SigningError::InvalidSeedSignature)
        );
        let mut signer = ChunkSigner::new(&p, EMPTY_SHA256).unwrap();
        assert_eq!(signer.encode_chunk(b""), Err(SigningError::EmptyChunk));
        assert!(signer.encode_chunk(b"abc").is_ok());
        assert!(signer.finish().is_ok());
        assert!(signer.is_finished());
        assert_eq!(signer.finish(), Err(SigningError::StreamFinished));
        assert_eq!(signer.encode_chunk(b"x"), Err(SigningError::StreamFinished));
        assert!(!format!("{signer:?}").contains("wJalr"));
    }
}
