//! RFC 3986 percent-encoding as AWS uses it: everything but `A-Z a-z 0-9 - _ . ~` is encoded,
//! with `/` optionally kept (greedy path labels).

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `s` percent-encoded to `out`.
pub fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

/// `s` percent-encoded.
pub fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, keep_slash);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_reserved_and_utf8() {
        assert_eq!(super::encode("a b/c~é", false), "a%20b%2Fc~%C3%A9");
        assert_eq!(super::encode("a b/c", true), "a%20b/c");
    }
}
