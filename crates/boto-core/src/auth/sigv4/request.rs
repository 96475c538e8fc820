//! What the signer reads of a request: [`SignableRequest`] (method, path, query, headers, exactly
//! as they will be sent) and [`SignableBody`] (the body or its precomputed hash), plus the checks
//! on their syntax.

use std::fmt;

/// The body, as far as the payload hash is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SignableBody<'a> {
    /// The full body; its SHA-256 is computed when
    /// [`PayloadChecksumKind::Sha256`](super::PayloadChecksumKind::Sha256) is used.
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
///
/// `Debug` redacts the values of `authorization`, `proxy-authorization` and
/// `x-amz-security-token` headers the caller passes in.
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
                    if is_secret_input_header(name) {
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

/// Headers a caller may hand in that carry credentials. Unlike the signer's own output (which
/// marks its secrets as it makes them), the input is arbitrary, so here a name list is the only
/// way to know.
fn is_secret_input_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
        || name.eq_ignore_ascii_case("x-amz-security-token")
        || name.eq_ignore_ascii_case("proxy-authorization")
}

/// RFC 9110 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// An RFC 9110 `token`: what a method or a header name must be.
pub(super) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// A SHA-256 or signature as SigV4 writes it: exactly 64 lowercase hex digits.
pub(super) fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
