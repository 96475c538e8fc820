//! RFC 3986 percent-encoding as the protocols use it: everything but `A-Z a-z 0-9 - _ . ~` is
//! encoded, with `/` optionally kept (greedy path labels). The encoding itself is
//! [`crate::encoding::percent_encode_into`]; this is the protocols' `keep_slash` view of it.

use crate::encoding::{is_unreserved, percent_encode_into, KEEP_SLASH};

fn safe_set(keep_slash: bool) -> &'static [u8] {
    if keep_slash {
        KEEP_SLASH
    } else {
        b""
    }
}

/// Appends `s` percent-encoded to `out`.
pub fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    percent_encode_into(out, s.as_bytes(), safe_set(keep_slash));
}

/// `s` percent-encoded.
pub fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, keep_slash);
    out
}

/// `s` percent-encoded, borrowed when no byte of it needs encoding (the usual bucket name).
pub fn encode_cow(s: &str, keep_slash: bool) -> std::borrow::Cow<'_, str> {
    // The bytes `encode_into` leaves bare.
    let safe = safe_set(keep_slash);
    let plain = s.bytes().all(|b| is_unreserved(b) || safe.contains(&b));
    if plain {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(encode(s, keep_slash))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn borrows_only_what_needs_no_encoding() {
        for (s, keep) in [
            ("my-bucket.x_y~1", false),
            ("a/b", true),
            ("a/b", false),
            ("a b", true),
            ("é", false),
        ] {
            let cow = super::encode_cow(s, keep);
            assert_eq!(cow, super::encode(s, keep), "{s:?}");
            assert_eq!(
                matches!(cow, std::borrow::Cow::Borrowed(_)),
                cow == s,
                "{s:?}"
            );
        }
    }

    #[test]
    fn encodes_reserved_and_utf8() {
        assert_eq!(super::encode("a b/c~é", false), "a%20b%2Fc~%C3%A9");
        assert_eq!(super::encode("a b/c", true), "a%20b/c");
    }
}
