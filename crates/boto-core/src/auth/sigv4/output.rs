//! What signing hands back: the headers or presign query parameters to add (each marked when it
//! is a secret), and every intermediate stage for tests and debugging.

use std::fmt;

use super::canonical::{Hex64, PayloadHash, Sink};
use super::time::AmzDate;
use super::ALGORITHM;
use crate::encoding::percent_encode_into;
use crate::inline_text::InlineText;

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
const PARAM_SIGNATURE: &str = super::canonical::PARAM_SIGNATURE;

/// One header or query parameter the signer produced, with whether its value is a secret.
///
/// `sensitive` is set where the value is made, not looked up by name: `Authorization` (a replayable
/// credential for as long as the signature is valid) and `X-Amz-Security-Token` (the session
/// token). A presigned URL's `X-Amz-Signature` is not marked: the URL is the product the caller
/// asked for. Transports and loggers should redact sensitive values. `Debug` does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OutputField<'a> {
    /// The header or parameter name, in the case the signer writes it (e.g. `X-Amz-Date`).
    pub name: &'static str,
    /// The raw value (query parameters are not yet percent-encoded).
    pub value: &'a str,
    /// Whether the value is a secret that must not be logged.
    pub sensitive: bool,
}

impl fmt::Debug for OutputField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.sensitive {
            "** redacted **"
        } else {
            self.value
        };
        f.debug_struct("OutputField")
            .field("name", &self.name)
            .field("value", &value)
            .field("sensitive", &self.sensitive)
            .finish()
    }
}

/// Produced (name, value) pairs in order, with a bit per pair that marks it sensitive. A bit set
/// rather than a second list keeps signing free of an extra allocation.
#[derive(Clone, Default, PartialEq, Eq)]
struct Fields {
    items: Vec<(&'static str, String)>,
    sensitive: u16,
}

impl Fields {
    fn push(&mut self, name: &'static str, value: String) {
        self.items.push((name, value));
    }

    fn push_secret(&mut self, name: &'static str, value: String) {
        self.sensitive |= Self::bit(self.items.len());
        self.items.push((name, value));
    }

    fn is_sensitive(&self, index: usize) -> bool {
        self.sensitive & Self::bit(index) != 0
    }

    /// The mark of the field at `index`. At most 8 fields are ever produced, so it always fits.
    fn bit(index: usize) -> u16 {
        u32::try_from(index)
            .ok()
            .and_then(|i| 1u16.checked_shl(i))
            .unwrap_or(0)
    }

    fn iter(&self) -> impl ExactSizeIterator<Item = OutputField<'_>> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, (name, value))| OutputField {
                name,
                value,
                sensitive: self.is_sensitive(i),
            })
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|field| {
                let value = if field.sensitive {
                    "** redacted **"
                } else {
                    field.value
                };
                (field.name, value)
            }))
            .finish()
    }
}

/// The stages every signing produces, whatever the location of the signature.
pub(super) struct Stages {
    pub(super) canonical_request: String,
    pub(super) string_to_sign: String,
    pub(super) signature: String,
    pub(super) signed_headers: String,
    pub(super) credential_scope: String,
    pub(super) amz_date: String,
}

/// The query parameters a presigned request signs, in order (the signature and an unsigned token
/// are added by [`SigningOutput::presigned`]).
pub(super) fn presign_params(
    credential: String,
    amz_date: &str,
    expires: u64,
    signed_headers: &str,
    signed_token: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut params = Vec::with_capacity(8);
    params.push((PARAM_ALGORITHM, ALGORITHM.to_owned()));
    params.push((PARAM_CREDENTIAL, credential));
    params.push((PARAM_DATE, amz_date.to_owned()));
    params.push((PARAM_EXPIRES, expires.to_string()));
    params.push((PARAM_SIGNED_HEADERS, signed_headers.to_owned()));
    if let Some(token) = signed_token {
        params.push((PARAM_TOKEN, token.to_owned()));
    }
    params
}

const CREDENTIAL: &str = " Credential=";
const SIGNED: &str = ", SignedHeaders=";
const SIGNATURE: &str = ", Signature=";

/// The `Authorization` header's value:
/// `AWS4-HMAC-SHA256 Credential=<access key>/<scope>, SignedHeaders=<names>, Signature=<hex>`,
/// the scope given in pieces and the `signed_len` bytes of signed names written by
/// `signed_headers`. Allocated at its exact length.
pub(super) fn authorization(
    access_key: &str,
    scope: &[&str],
    (signed_len, signed_headers): (usize, impl FnOnce(&mut String)),
    signature: &str,
) -> String {
    let len = ALGORITHM.len()
        + CREDENTIAL.len()
        + access_key.len()
        + 1
        + scope.iter().map(|p| p.len()).sum::<usize>()
        + SIGNED.len()
        + signed_len
        + SIGNATURE.len()
        + signature.len();
    let mut out = String::with_capacity(len);
    write_authorization(&mut out, access_key, scope, signed_headers, signature);
    out
}

/// [`authorization`] written into any sink.
pub(super) fn write_authorization<S: Sink>(
    out: &mut S,
    access_key: &str,
    scope: &[&str],
    signed_headers: impl FnOnce(&mut S),
    signature: &str,
) {
    for part in [ALGORITHM, CREDENTIAL, access_key, "/"] {
        out.put(part);
    }
    for part in scope {
        out.put(part);
    }
    out.put(SIGNED);
    signed_headers(out);
    out.put(SIGNATURE);
    out.put(signature);
}

/// How much of an `Authorization` value is kept inline: enough for one signing a dozen and
/// more headers; a longer one goes to the heap.
const AUTH_INLINE: usize = 400;

/// An `Authorization` value, inline up to [`AUTH_INLINE`] bytes.
pub(super) type AuthText = InlineText<AUTH_INLINE>;

impl<const N: usize> Sink for InlineText<N> {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// What [`sign_headers`](super::sign_headers) hands back: the headers to set, without the
/// intermediate stages.
///
/// `Debug` redacts the values marked sensitive (see [`OutputField`]) and leaves out the
/// signature, which `Authorization` carries.
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderSignature {
    /// Kept as the stamp (inline digits): the date header then needs no string of its own.
    stamp: AmzDate,
    session_token: Option<String>,
    content_sha256: Option<PayloadHash<'static>>,
    authorization: AuthText,
    signature: Hex64,
}

impl HeaderSignature {
    pub(super) fn new(
        stamp: AmzDate,
        session_token: Option<String>,
        content_sha256: Option<PayloadHash<'static>>,
        authorization: AuthText,
        signature: Hex64,
    ) -> Self {
        Self {
            stamp,
            session_token,
            content_sha256,
            authorization,
            signature,
        }
    }

    /// The headers to set, each replacing any existing header of the same name, in the order
    /// of [`SigningOutput::headers`]: `X-Amz-Date`, `X-Amz-Security-Token` (with a session
    /// token), `X-Amz-Content-SHA256` (if enabled), `Authorization`; each with whether its value
    /// is a secret.
    pub fn fields(&self) -> impl Iterator<Item = OutputField<'_>> {
        [
            Some((HEADER_DATE, self.stamp.datetime_str(), false)),
            self.session_token
                .as_deref()
                .map(|t| (HEADER_TOKEN, t, true)),
            self.content_sha256
                .as_ref()
                .map(|h| (HEADER_CONTENT_SHA256, h.as_str(), false)),
            Some((HEADER_AUTHORIZATION, self.authorization.as_str(), true)),
        ]
        .into_iter()
        .flatten()
        .map(|(name, value, sensitive)| OutputField {
            name,
            value,
            sensitive,
        })
    }

    /// [`Self::fields`] by value: (name, value, whether the value is a secret), so a transport
    /// moves the strings into its request instead of copying them.
    pub fn into_fields(self) -> impl Iterator<Item = (&'static str, String, bool)> {
        [
            Some((HEADER_DATE, self.stamp.datetime_string(), false)),
            self.session_token.map(|t| (HEADER_TOKEN, t, true)),
            self.content_sha256
                .map(|h| (HEADER_CONTENT_SHA256, h.as_str().to_owned(), false)),
            Some((
                HEADER_AUTHORIZATION,
                self.authorization.as_str().to_owned(),
                true,
            )),
        ]
        .into_iter()
        .flatten()
    }

    /// The value of one output header, name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.fields()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value)
    }

    /// The signature, 64 lowercase hex digits (the seed of a signed event stream or an
    /// aws-chunked upload).
    pub fn signature(&self) -> &str {
        self.signature.as_str()
    }
}

impl fmt::Debug for HeaderSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderSignature")
            .field("headers", &self.fields().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The result of [`sign`](super::sign): what to add to the request, plus every intermediate
/// stage.
///
/// `Debug` redacts the values marked sensitive (see [`OutputField`]).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Fields,
    query_params: Fields,
    signature: String,
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    credential_scope: String,
    amz_date: String,
}

impl SigningOutput {
    /// The output of header signing: `X-Amz-Date`, the session token (signed or not: only the
    /// canonical request tells the two apart), `X-Amz-Content-SHA256`, `Authorization`.
    pub(super) fn in_headers(
        stages: Stages,
        credential_access_key: &str,
        session_token: Option<&str>,
        content_sha256: Option<&str>,
    ) -> Self {
        let mut headers = Fields::default();
        headers.push(HEADER_DATE, stages.amz_date.clone());
        if let Some(token) = session_token {
            headers.push_secret(HEADER_TOKEN, token.to_owned());
        }
        if let Some(hash) = content_sha256 {
            headers.push(HEADER_CONTENT_SHA256, hash.to_owned());
        }
        let authorization = authorization(
            credential_access_key,
            &[&stages.credential_scope],
            (stages.signed_headers.len(), |out: &mut String| {
                out.push_str(&stages.signed_headers)
            }),
            &stages.signature,
        );
        headers.push_secret(HEADER_AUTHORIZATION, authorization);
        Self::new(stages, headers, Fields::default())
    }

    /// The output of presigning: the signed parameters, `X-Amz-Signature`, then a token that is
    /// appended after signing.
    pub(super) fn presigned(
        stages: Stages,
        signed_params: Vec<(&'static str, String)>,
        token_after: Option<&str>,
    ) -> Self {
        let mut query = Fields::default();
        for (name, value) in signed_params {
            if name == PARAM_TOKEN {
                query.push_secret(name, value);
            } else {
                query.push(name, value);
            }
        }
        query.push(PARAM_SIGNATURE, stages.signature.clone());
        if let Some(token) = token_after {
            query.push_secret(PARAM_TOKEN, token.to_owned());
        }
        Self::new(stages, Fields::default(), query)
    }

    fn new(stages: Stages, headers: Fields, query_params: Fields) -> Self {
        Self {
            headers,
            query_params,
            signature: stages.signature,
            canonical_request: stages.canonical_request,
            string_to_sign: stages.string_to_sign,
            signed_headers: stages.signed_headers,
            credential_scope: stages.credential_scope,
            amz_date: stages.amz_date,
        }
    }

    /// Headers to set on the request, each replacing any existing header of the same name, in
    /// this order: `X-Amz-Date`, `X-Amz-Security-Token` (with a session token, whether signed or
    /// appended after signing), `X-Amz-Content-SHA256` (if enabled), `Authorization`.
    /// Empty for presigned requests. [`Self::header_fields`] gives the same list with each
    /// header's sensitivity.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers.items
    }

    /// [`Self::headers`] with, for each, whether its value is a secret (`Authorization`,
    /// `X-Amz-Security-Token`), so the caller can mark it for redaction.
    pub fn header_fields(&self) -> impl ExactSizeIterator<Item = OutputField<'_>> {
        self.headers.iter()
    }

    /// The value of one output header, name compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .items
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
        &self.query_params.items
    }

    /// [`Self::query_params`] with, for each, whether its value is a secret
    /// (`X-Amz-Security-Token`).
    pub fn query_fields(&self) -> impl ExactSizeIterator<Item = OutputField<'_>> {
        self.query_params.iter()
    }

    /// The value of one output query parameter (exact name).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query_params
            .items
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// [`Self::query_params`] percent-encoded and joined with `&`, ready to append to the query
    /// string (empty for header signing).
    pub fn encoded_query_params(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.query_params.items {
            if !out.is_empty() {
                out.push('&');
            }
            percent_encode_into(&mut out, name.as_bytes(), b"");
            out.push('=');
            percent_encode_into(&mut out, value.as_bytes(), b"");
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
        f.debug_struct("SigningOutput")
            .field("headers", &self.headers)
            .field("query_params", &self.query_params)
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .field("amz_date", &self.amz_date)
            .finish_non_exhaustive()
    }
}
