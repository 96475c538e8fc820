//! Stage 1 of SigV4, the canonical request
//! `METHOD\nURI\nQUERY\nHEADERS\n\nSIGNED_HEADERS\nPAYLOAD_HASH`, built line by line: the
//! payload hash, the canonical URI (path), the canonical query string and the canonical headers.
//! Each function here is one of those lines; [`write_canonical_request`] joins them, into a
//! `String` when the stages are kept or straight into a hash ([`Sink`]) when they are not.

use ring::digest;
use std::borrow::Cow;

use super::request::{is_lower_hex_64, is_token};
use super::{PayloadChecksumKind, SignableBody, SigningError, SigningSettings, UriEncoding};
use crate::encoding::{form_decode, hex_encode, percent_encode_into, HEX_LOWER, KEEP_SLASH};

/// Lowercase hex SHA-256 of the empty string.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Payload hash placeholder for a body that is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Payload hash placeholder for an S3 aws-chunked body whose chunks are signed one by one.
pub const STREAMING_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
/// Payload hash placeholder for an unsigned aws-chunked body with trailing checksum headers.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// The payload hash of a request whose body is a signed input event stream.
pub const STREAMING_EVENTS: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

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

/// The presigned-URL parameter that carries the signature; a query that already has it was
/// signed before.
pub(super) const PARAM_SIGNATURE: &str = "X-Amz-Signature";

/// Whether a (lower-case) header name is one the signer never signs.
///
/// These are `authorization` plus botocore's list of hop-by-hop and proxy-mutated headers
/// (`user-agent`, `expect`, `connection`, `transfer-encoding`, `x-amzn-trace-id`, ...). They may
/// be present in [`SignableRequest::headers`](super::SignableRequest::headers); they are simply
/// left out of the signature.
pub fn is_unsigned_header(lowercase_name: &str) -> bool {
    UNSIGNED_HEADERS.contains(&lowercase_name)
}

/// Lowercase hex SHA-256 of `bytes` (payload hashes, the hashed canonical request, chunks).
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    hex_encode(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// A payload hash: the digits of a body summed here, kept inline, or a literal (a precomputed
/// hash, `UNSIGNED-PAYLOAD`, a streaming marker).
#[derive(Clone)]
pub(super) enum PayloadHash<'b> {
    Summed(Hex64),
    Text(Cow<'b, str>),
}

/// Equal when the text is: a summed hash and the same hash given precomputed sign alike.
impl PartialEq for PayloadHash<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PayloadHash<'_> {}

impl PayloadHash<'_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            PayloadHash::Summed(hex) => hex.as_str(),
            PayloadHash::Text(text) => text,
        }
    }

    /// The hash with nothing borrowed (a literal is copied; summed digits stay inline).
    pub(super) fn into_owned(self) -> PayloadHash<'static> {
        match self {
            PayloadHash::Summed(hex) => PayloadHash::Summed(hex),
            PayloadHash::Text(text) => PayloadHash::Text(Cow::Owned(text.into_owned())),
        }
    }
}

/// The payload-hash line.
pub(super) fn payload_hash<'b>(
    body: SignableBody<'b>,
    kind: PayloadChecksumKind,
) -> Result<PayloadHash<'b>, SigningError> {
    Ok(PayloadHash::Text(Cow::Borrowed(match kind {
        PayloadChecksumKind::Sha256 => match body {
            // Most requests have no body: its hash is known.
            SignableBody::Bytes([]) => return Ok(PayloadHash::Summed(Hex64::EMPTY_SHA256)),
            SignableBody::Bytes(bytes) => {
                let digest = digest::digest(&digest::SHA256, bytes);
                return Ok(PayloadHash::Summed(Hex64::of(digest.as_ref())));
            }
            SignableBody::Precomputed(hash) => {
                if !is_lower_hex_64(hash) {
                    return Err(SigningError::InvalidPayloadHash);
                }
                hash
            }
        },
        PayloadChecksumKind::UnsignedPayload => UNSIGNED_PAYLOAD,
        PayloadChecksumKind::StreamingAwsChunked => STREAMING_PAYLOAD,
        PayloadChecksumKind::StreamingUnsignedPayloadTrailer => STREAMING_UNSIGNED_PAYLOAD_TRAILER,
        PayloadChecksumKind::StreamingEvents => STREAMING_EVENTS,
    })))
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/// The headers the signer sets itself when signing into headers: each replaces any header of
/// the same name in the request, and the signed ones are added to the canonical headers.
#[derive(Clone, Copy)]
pub(super) struct SignerHeaders<'a> {
    /// `x-amz-date`, always signed.
    pub(super) amz_date: &'a str,
    /// `x-amz-security-token` when it is covered by the signature.
    pub(super) signed_token: Option<&'a str>,
    /// Whether the output carries an `x-amz-security-token` (signed or appended after signing),
    /// so a request's own one is dropped.
    pub(super) sets_token: bool,
    /// `x-amz-content-sha256`, when the settings ask for it.
    pub(super) content_sha256: Option<&'a str>,
}

impl<'a> SignerHeaders<'a> {
    fn replaces(&self, lowercase_name: &str) -> bool {
        match lowercase_name {
            "x-amz-date" => true,
            "x-amz-security-token" => self.sets_token,
            "x-amz-content-sha256" => self.content_sha256.is_some(),
            _ => false,
        }
    }

    fn signed(&self) -> impl Iterator<Item = (&'static str, &'a str)> {
        [
            Some(("x-amz-date", self.amz_date)),
            self.signed_token.map(|t| ("x-amz-security-token", t)),
            self.content_sha256.map(|h| ("x-amz-content-sha256", h)),
        ]
        .into_iter()
        .flatten()
    }
}

/// Where the canonical request (and the string to sign) is written: a `String` when the stages
/// are kept, or straight into a hash when only the signature is wanted.
pub(super) trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// What a [`Buffered`] sink hands its gathered bytes to.
pub(super) trait Absorb {
    fn absorb(&mut self, bytes: &[u8]);
}

impl Absorb for digest::Context {
    fn absorb(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// Gathers small pieces on the stack before handing them on: a hash fed thirty short pieces
/// one call each costs more than copying them.
pub(super) struct Buffered<T> {
    inner: T,
    buf: [u8; 256],
    len: usize,
}

impl<T: Absorb> Buffered<T> {
    pub(super) fn new(inner: T) -> Self {
        Self {
            inner,
            buf: [0; 256],
            len: 0,
        }
    }

    /// Hands on what is still gathered and returns the receiver.
    pub(super) fn into_inner(mut self) -> T {
        self.inner.absorb(&self.buf[..self.len]);
        self.inner
    }
}

impl<T: Absorb> Sink for Buffered<T> {
    fn put(&mut self, s: &str) {
        let bytes = s.as_bytes();
        if self.len + bytes.len() > self.buf.len() {
            self.inner.absorb(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() > self.buf.len() {
                self.inner.absorb(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
}

/// A SHA-256 fed piece by piece, so the canonical request is hashed without being assembled.
pub(super) struct DigestSink(Buffered<digest::Context>);

impl DigestSink {
    pub(super) fn new() -> Self {
        Self(Buffered::new(digest::Context::new(&digest::SHA256)))
    }

    /// The lowercase hex of the hash of everything put so far.
    pub(super) fn finish_hex(self) -> Hex64 {
        Hex64::of(self.0.into_inner().finish().as_ref())
    }
}

impl Sink for DigestSink {
    fn put(&mut self, s: &str) {
        self.0.put(s);
    }
}

/// The 64 lowercase hex digits of a 32-byte hash or MAC, kept on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Hex64([u8; 64]);

impl Hex64 {
    /// The SHA-256 of nothing, [`EMPTY_SHA256`].
    pub(super) const EMPTY_SHA256: Hex64 = {
        let mut out = [0u8; 64];
        let text = EMPTY_SHA256.as_bytes();
        let mut i = 0;
        while i < 64 {
            out[i] = text[i];
            i += 1;
        }
        Hex64(out)
    };

    pub(super) fn of(bytes: &[u8]) -> Self {
        let mut out = [b'0'; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
            pair[0] = HEX_LOWER[usize::from(b >> 4)];
            pair[1] = HEX_LOWER[usize::from(b & 0x0f)];
        }
        Self(out)
    }

    pub(super) fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A header name in lower case: the name itself when it is already, else a copy kept on the
/// stack (names are short; a longer one goes to the heap).
enum Lower<'h> {
    Borrowed(&'h str),
    Inline([u8; 48], usize),
    Owned(String),
}

impl<'h> Lower<'h> {
    fn of(name: &'h str) -> Self {
        if !name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Lower::Borrowed(name);
        }
        let mut buf = [0u8; 48];
        match buf.get_mut(..name.len()) {
            Some(piece) => {
                piece.copy_from_slice(name.as_bytes());
                piece.make_ascii_lowercase();
                Lower::Inline(buf, name.len())
            }
            None => Lower::Owned(name.to_ascii_lowercase()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Lower::Borrowed(s) => s,
            // Lower-casing ASCII letters keeps the bytes UTF-8.
            Lower::Inline(buf, len) => std::str::from_utf8(&buf[..*len]).unwrap_or_default(),
            Lower::Owned(s) => s,
        }
    }
}

/// The headers a request signs, in canonical order: lower-case names, trimmed values, repeated
/// names in request order.
pub(super) struct SortedHeaders<'h> {
    entries: Entries<'h>,
}

type Entry<'h> = (Lower<'h>, Cow<'h, str>);

/// How many signed headers are kept on the stack (a small PUT signs about ten).
const INLINE_ENTRIES: usize = 16;

/// The entries: on the stack up to [`INLINE_ENTRIES`], then in a list.
// The inline variant is large on purpose: it lives on the signer's stack for one signing, and
// boxing it would bring back the allocation it is there to save.
#[allow(clippy::large_enum_variant)]
enum Entries<'h> {
    Inline([Entry<'h>; INLINE_ENTRIES], usize),
    Listed(Vec<Entry<'h>>),
}

impl<'h> Entries<'h> {
    fn new() -> Self {
        Entries::Inline(
            std::array::from_fn(|_| (Lower::Borrowed(""), Cow::Borrowed(""))),
            0,
        )
    }

    fn push(&mut self, entry: Entry<'h>) {
        match self {
            Entries::Inline(items, len) if *len < INLINE_ENTRIES => {
                items[*len] = entry;
                *len += 1;
            }
            Entries::Inline(items, len) => {
                let mut list = Vec::with_capacity(*len * 2);
                list.extend(
                    items[..*len]
                        .iter_mut()
                        .map(|e| std::mem::replace(e, (Lower::Borrowed(""), Cow::Borrowed("")))),
                );
                list.push(entry);
                *self = Entries::Listed(list);
            }
            Entries::Listed(list) => list.push(entry),
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Entry<'h>] {
        match self {
            Entries::Inline(items, len) => &mut items[..*len],
            Entries::Listed(list) => list,
        }
    }

    fn as_slice(&self) -> &[Entry<'h>] {
        match self {
            Entries::Inline(items, len) => &items[..*len],
            Entries::Listed(list) => list,
        }
    }
}

impl SortedHeaders<'_> {
    /// `name:value\n` per distinct name, repeated names' values joined with `,`.
    pub(super) fn write_text(&self, out: &mut impl Sink) {
        let mut previous: Option<&str> = None;
        for (name, value) in self.entries.as_slice() {
            let name = name.as_str();
            if previous == Some(name) {
                out.put(",");
            } else {
                if previous.is_some() {
                    out.put("\n");
                }
                out.put(name);
                out.put(":");
                previous = Some(name);
            }
            out.put(value);
        }
        if previous.is_some() {
            out.put("\n");
        }
    }

    /// Each name once, in order (repeats are adjacent: the entries are sorted).
    fn distinct_names(&self) -> impl Iterator<Item = &str> {
        let mut previous = None;
        self.entries.as_slice().iter().filter_map(move |(name, _)| {
            let name = name.as_str();
            (previous.replace(name) != Some(name)).then_some(name)
        })
    }

    /// The signed-headers line: the distinct names, `;`-joined.
    pub(super) fn write_signed(&self, out: &mut impl Sink) {
        for (i, name) in self.distinct_names().enumerate() {
            if i > 0 {
                out.put(";");
            }
            out.put(name);
        }
    }

    pub(super) fn signed_line(&self) -> String {
        let mut line = String::with_capacity(64);
        self.write_signed(&mut line);
        line
    }
}

/// Canonicalize the request's headers plus the ones the signer sets (`None` when presigning,
/// where the signer adds query parameters instead).
pub(super) fn canonical_headers<'h>(
    request_headers: &[(&'h str, &'h str)],
    signer: Option<&SignerHeaders<'h>>,
) -> Result<SortedHeaders<'h>, SigningError> {
    let mut entries = Entries::new();
    let mut has_host = false;
    for (given, value) in request_headers {
        let name = given.trim();
        if !is_token(name) {
            return Err(SigningError::InvalidHeaderName((*given).to_owned()));
        }
        let lower = Lower::of(name);
        let l = lower.as_str();
        if is_unsigned_header(l) || signer.is_some_and(|s| s.replaces(l)) {
            continue;
        }
        has_host |= l == "host";
        entries.push((lower, trim_all(value)));
    }
    if !has_host {
        return Err(SigningError::MissingHost);
    }
    if let Some(signer) = signer {
        for (name, value) in signer.signed() {
            entries.push((Lower::Borrowed(name), trim_all(value)));
        }
    }
    // Stable: duplicates keep their request order.
    entries
        .as_mut_slice()
        .sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    Ok(SortedHeaders { entries })
}

/// Trim a header value and collapse every inner run of whitespace (space, tab, CR, LF, VT, FF,
/// as left by obsolete line folding) to a single space.
fn trim_all(value: &str) -> Cow<'_, str> {
    // A value with no edge whitespace and no run of it, nor any other whitespace than single
    // spaces, is its own canonical form: most are. One pass over the bytes tells.
    let bytes = value.as_bytes();
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
    let mut after_space = false;
    let plain = !bytes.first().is_some_and(|&b| is_ws(b))
        && !bytes.last().is_some_and(|&b| is_ws(b))
        && bytes.iter().all(|&b| {
            let fine = match b {
                b' ' => !after_space,
                _ => !is_ws(b),
            };
            after_space = b == b' ';
            fine
        });
    if plain {
        return Cow::Borrowed(value);
    }
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
    Cow::Owned(out)
}

// ---------------------------------------------------------------------------------------------
// URI
// ---------------------------------------------------------------------------------------------

/// The canonical URI: the path, normalized and encoded once more per the settings (borrowed
/// when neither changes it, as for S3).
pub(super) fn canonical_uri<'p>(path: &'p str, settings: &SigningSettings) -> Cow<'p, str> {
    let path: Cow<'p, str> = if settings.normalize_path {
        Cow::Owned(remove_dot_segments(path))
    } else {
        Cow::Borrowed(path)
    };
    if path.is_empty() {
        return Cow::Borrowed("/");
    }
    match settings.uri_encoding {
        UriEncoding::Single => path,
        UriEncoding::Double => {
            let mut out = String::with_capacity(path.len() + 16);
            percent_encode_into(&mut out, path.as_bytes(), KEEP_SLASH);
            Cow::Owned(out)
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

// ---------------------------------------------------------------------------------------------
// Query
// ---------------------------------------------------------------------------------------------

/// The canonical query string of `query` plus `extra` (the presign parameters, raw): every key
/// and value form-decoded, re-encoded with only unreserved characters bare, sorted by key then
/// value. When `presigning`, a query that already carries a SigV4 parameter is refused.
pub(super) fn canonical_query_string(
    query: &str,
    extra: &[(&'static str, String)],
    presigning: bool,
) -> Result<String, SigningError> {
    if query.is_empty() && extra.is_empty() {
        return Ok(String::new());
    }
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(extra.len() + 4);
    for part in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let key = form_decode(key);
        if presigning {
            refuse_signed_parameter(&key, extra)?;
        }
        pairs.push((
            encode_component(&key),
            encode_component(&form_decode(value)),
        ));
    }
    for (name, value) in extra {
        pairs.push((
            encode_component(name.as_bytes()),
            encode_component(value.as_bytes()),
        ));
    }
    pairs.sort();
    Ok(join_pairs(&pairs, query.len() + 16))
}

/// A presigned query must not carry the parameters the signer is about to add.
fn refuse_signed_parameter(
    key: &[u8],
    extra: &[(&'static str, String)],
) -> Result<(), SigningError> {
    if let Some((name, _)) = extra.iter().find(|(n, _)| n.as_bytes() == key) {
        return Err(SigningError::QueryAlreadySigned(name));
    }
    if key == PARAM_SIGNATURE.as_bytes() {
        return Err(SigningError::QueryAlreadySigned(PARAM_SIGNATURE));
    }
    Ok(())
}

fn encode_component(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    percent_encode_into(&mut out, raw, b"");
    out
}

fn join_pairs(pairs: &[(String, String)], capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The whole request
// ---------------------------------------------------------------------------------------------

/// Write the six lines of the canonical request.
pub(super) fn write_canonical_request(
    out: &mut impl Sink,
    method: &str,
    uri: &str,
    query: &str,
    headers: &SortedHeaders<'_>,
    payload_hash: &str,
) {
    for line in [method, "\n", uri, "\n", query, "\n"] {
        out.put(line);
    }
    headers.write_text(out);
    out.put("\n");
    headers.write_signed(out);
    out.put("\n");
    out.put(payload_hash);
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(trim_all("a\tb"), "a b");
        assert_eq!(trim_all("a b "), "a b");
        assert!(
            matches!(trim_all("a b c"), Cow::Borrowed("a b c")),
            "no copy"
        );
    }

    #[test]
    fn header_names_of_any_length_sign_in_lower_case() {
        // Around the stack copy's 48 bytes: below, at, above it (a heap copy), and well above.
        for len in [47, 48, 49, 100] {
            let name: String = "X-Amz-Meta-"
                .chars()
                .chain(std::iter::repeat('Q'))
                .take(len)
                .collect();
            let headers = [("Host", "h"), (name.as_str(), " v ")];
            let sorted = canonical_headers(&headers, None).unwrap();
            let mut text = String::new();
            sorted.write_text(&mut text);
            let lower = name.to_ascii_lowercase();
            assert_eq!(text, format!("host:h\n{lower}:v\n"), "{len}");
            assert_eq!(sorted.signed_line(), format!("host;{lower}"));
        }
        let err = canonical_headers(&[("host", "h"), (" bad name", "v")], None);
        assert!(matches!(err, Err(SigningError::InvalidHeaderName(n)) if n == " bad name"));
    }

    #[test]
    fn more_headers_than_the_stack_holds_sort_the_same() {
        // Below, at and above the inline count, names given in reverse order.
        for n in [INLINE_ENTRIES - 1, INLINE_ENTRIES, INLINE_ENTRIES + 1, 40] {
            let names: Vec<String> = (0..n).rev().map(|i| format!("x-amz-meta-{i:02}")).collect();
            let mut headers = vec![("Host", "h")];
            headers.extend(names.iter().map(|k| (k.as_str(), "v")));
            let sorted = canonical_headers(&headers, None).unwrap();
            let mut expected: Vec<&str> = names.iter().map(String::as_str).collect();
            expected.push("host");
            expected.sort_unstable();
            assert_eq!(sorted.signed_line(), expected.join(";"), "{n} headers");
        }
    }

    #[test]
    fn the_empty_payload_hash_is_the_sha256_of_nothing() {
        assert_eq!(Hex64::EMPTY_SHA256.as_str(), sha256_hex(b""));
        let hash = payload_hash(SignableBody::Bytes(b""), PayloadChecksumKind::Sha256).unwrap();
        assert_eq!(hash.as_str(), EMPTY_SHA256);
    }
}
