//! AWS Signature Version 4 (SigV4) as a pure function.
//!
//! The signer never reads a clock, the environment or the network: the caller passes the request
//! parts, the credentials and the signing time ([`SigningParams::time`], a
//! [`SystemTime`](std::time::SystemTime)), and gets back what to add to the request
//! ([`SigningOutput`]). Every intermediate stage (canonical request, string to sign, signature)
//! is exposed so tests can check each one separately. [`sign_headers`] gives only the headers
//! ([`HeaderSignature`]), hashing each stage as it is written instead of keeping it: the way the
//! SDK's own transport signs.
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
//! # Contract
//!
//! * Pure: same request, parameters and time give the same output, byte for byte.
//! * Never panics on input; every rejection is a [`SigningError`] naming what was wrong.
//! * Secrets stay out of `Debug`: [`SigningParams`], [`SignableRequest`], [`SigningOutput`],
//!   [`HeaderSignature`], [`SigningKeyCache`] and [`ChunkSigner`] all redact. The headers and
//!   query parameters the signer produces come with a `sensitive` mark
//!   ([`SigningOutput::header_fields`], [`OutputField`]) so the transport can redact them too.
//!
//! # Where each stage lives
//!
//! | file           | job                                                                  |
//! |----------------|----------------------------------------------------------------------|
//! | `settings.rs`  | the per-service quirks ([`SigningSettings`] and its enums)           |
//! | `params.rs`    | credentials, scope and time ([`SigningParams`]) and their checks     |
//! | `request.rs`   | what is signed ([`SignableRequest`], [`SignableBody`])                |
//! | `time.rs`      | the `X-Amz-Date` and scope date                                      |
//! | `canonical.rs` | stage 1: payload hash, canonical URI, query and headers              |
//! | `sign.rs`      | the pipeline: [`sign`], [`sign_with_cache`], [`sign_headers`], stage 2 |
//! | `key.rs`       | stages 3 and 4: signing key, [`SigningKeyCache`], signature          |
//! | `output.rs`    | [`SigningOutput`]: headers or presign query, with every stage; [`HeaderSignature`]: headers only |
//! | `post.rs`      | form POST uploads: [`sign_post_policy`] signs the policy document     |
//! | `chunked.rs`   | aws-chunked streaming: [`ChunkSigner`], [`aws_chunked_encoded_length`] |
//! | `event.rs`     | signed input event streams: [`EventSigner`]                          |
//! | `error.rs`     | [`SigningError`]                                                     |
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

mod canonical;
mod chunked;
mod error;
mod event;
mod key;
mod output;
mod params;
mod post;
mod request;
mod settings;
mod sign;
mod time;

pub use canonical::{
    is_unsigned_header, EMPTY_SHA256, STREAMING_EVENTS, STREAMING_PAYLOAD,
    STREAMING_UNSIGNED_PAYLOAD_TRAILER, UNSIGNED_PAYLOAD,
};
pub use chunked::{aws_chunked_encoded_length, ChunkSigner, CHUNK_ALGORITHM};
pub use error::SigningError;
pub use event::{EventSigner, SignedEvent};
pub use key::SigningKeyCache;
pub use output::{HeaderSignature, OutputField, SigningOutput};
pub use params::SigningParams;
pub use post::{post_credential, sign_post_policy};
pub use request::{SignableBody, SignableRequest};
pub use settings::{
    PayloadChecksumKind, SessionTokenMode, SignatureLocation, SigningSettings, UriEncoding,
    MAX_PRESIGN_EXPIRES,
};
pub use sign::{sign, sign_headers, sign_with_cache, ALGORITHM};
pub use time::format_amz_date;

/// Fixtures shared by the unit tests of the stage files.
#[cfg(test)]
mod test_support {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::{SignableBody, SignableRequest, SigningParams, SigningSettings};

    /// A bodiless `GET /` with these headers.
    pub(super) fn get<'a>(headers: &'a [(&'a str, &'a str)]) -> SignableRequest<'a> {
        SignableRequest {
            method: "GET",
            path: "/",
            query: "",
            headers,
            body: SignableBody::Bytes(b""),
        }
    }

    /// `secs` after the Unix epoch.
    pub(super) fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// The official suite's credentials and scope (service `service`), at its fixed time.
    pub(super) fn params(settings: SigningSettings) -> SigningParams<'static> {
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
}
