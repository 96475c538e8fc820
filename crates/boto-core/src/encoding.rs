//! The engine's one copy of each small wire encoding: base64 (standard alphabet, padded), hex
//! and RFC 3986 percent-encoding. Every protocol, the endpoint functions and the signer call
//! these, so an encoding rule is fixed in one place. Written here to keep the dependency graph
//! lean.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as padded standard base64.
pub fn base64_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    base64_each(input, |c| out.push(c));
    out
}

/// Padded standard base64 of `input`, one character at a time, for a caller with its own buffer.
pub(crate) fn base64_each(input: &[u8], mut out: impl FnMut(char)) {
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out(ALPHABET[(n >> 18) as usize & 63] as char);
        out(ALPHABET[(n >> 12) as usize & 63] as char);
        out(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out(if chunk.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
}

/// Error for text that is not valid base64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error;

impl std::fmt::Display for Base64Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid base64 text")
    }
}

impl std::error::Error for Base64Error {}

/// Decodes standard base64; padding is optional and ASCII whitespace is ignored (XML bodies wrap it).
pub fn base64_decode(input: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    let mut padding = 0;
    for c in input.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            c if c.is_ascii_whitespace() => continue,
            _ => return Err(Base64Error),
        };
        if padding > 0 {
            return Err(Base64Error);
        }
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 || padding > 2 {
        return Err(Base64Error);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Hex
// ---------------------------------------------------------------------------------------------

pub(crate) const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lowercase hex of bytes (`[0x0f, 0xff]` -> `"0fff"`), as SigV4 signatures, payload hashes and
/// cache file names want it.
pub fn hex_encode(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len() * 2);
    for &b in input {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0x0f)]));
    }
    out
}

/// The value of one hex digit, either case (`b'a'` and `b'A'` are both 10).
pub fn hex_digit_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Error for text that is not an even number of hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexError;

impl std::fmt::Display for HexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("invalid hex text")
    }
}

impl std::error::Error for HexError {}

/// Decodes hex digits of either case, two per byte; no whitespace or `0x` prefix is accepted.
pub fn hex_decode(input: &str) -> Result<Vec<u8>, HexError> {
    let digits = input.as_bytes();
    if digits.len() % 2 != 0 {
        return Err(HexError);
    }
    digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => match (hex_digit_value(*hi), hex_digit_value(*lo)) {
                (Some(hi), Some(lo)) => Ok(hi << 4 | lo),
                _ => Err(HexError),
            },
            _ => Err(HexError),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Percent-encoding
// ---------------------------------------------------------------------------------------------

/// The safe set that keeps `/` bare: paths, greedy labels, Python's `quote(s, safe="/")`.
pub const KEEP_SLASH: &[u8] = b"/";

/// RFC 3986 `unreserved`: `A-Z a-z 0-9 - . _ ~`, the bytes percent-encoding always leaves bare.
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `input` percent-encoded to `out`: every byte but the unreserved ones and the ASCII
/// bytes of `safe` becomes `%XX` with uppercase hex.
///
/// This is AWS's `uriEncode` (`safe = b""`), SigV4's path encoding and the REST protocols'
/// greedy labels ([`KEEP_SLASH`]), and Python's `urllib.parse.quote(s, safe)`, whose always-safe
/// set is the same unreserved one. Non-ASCII bytes in `safe` are ignored, so the output is
/// always ASCII.
pub fn percent_encode_into(out: &mut String, input: &[u8], safe: &[u8]) {
    for &b in input {
        if is_unreserved(b) || (b.is_ascii() && safe.contains(&b)) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
    }
}

/// `input` percent-encoded; see [`percent_encode_into`].
pub fn percent_encode(input: &[u8], safe: &[u8]) -> String {
    let mut out = String::with_capacity(input.len());
    percent_encode_into(&mut out, input, safe);
    out
}

/// Decodes `%XX` escapes (hex of either case). A `%` not followed by two hex digits is kept as a
/// literal `%`, as lenient servers and botocore do; `+` stays a `+`.
pub fn percent_decode(input: &str) -> Vec<u8> {
    decode_escapes(input, false)
}

/// `application/x-www-form-urlencoded` decoding: [`percent_decode`] plus `+` as a space (how
/// SigV4 reads query strings).
pub fn form_decode(input: &str) -> Vec<u8> {
    decode_escapes(input, true)
}

fn decode_escapes(input: &str, plus_is_space: bool) -> Vec<u8> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_digit_value);
            let lo = bytes.get(i + 2).copied().and_then(hex_digit_value);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if plus_is_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    out
}

/// Writes `v` as Python's `json.dumps` does by default (`", "` and `": "` separators, every
/// character outside printable ASCII escaped as `\uXXXX`), so what botocore builds as JSON text and
/// then signs or encodes (presigned POST policies, paginator resume tokens) comes out byte for byte.
pub(crate) fn python_json(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => python_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_string(k, out);
                out.push_str(": ");
                python_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`): only `' '..='~'` stays bare.
pub(crate) fn python_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = std::fmt::Write::write_fmt(out, format_args!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_values() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(raw.as_bytes()), enc);
            assert_eq!(base64_decode(enc).unwrap(), raw.as_bytes());
        }
        assert_eq!(base64_decode("Zm9v\nYmFy").unwrap(), b"foobar");
        assert!(base64_decode("Zm9v!").is_err());
        assert!(base64_decode("Z").is_err());
        assert!(base64_decode("Zg==Zg").is_err());
    }

    #[test]
    fn hex_known_values() {
        assert_eq!(hex_encode(&[0, 15, 255]), "000fff");
        assert_eq!(hex_encode(&[]), "");
        assert_eq!(hex_encode(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_decode("00abFF").unwrap(), [0x00, 0xab, 0xff]);
        assert_eq!(hex_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(hex_decode("abc"), Err(HexError));
        assert_eq!(hex_decode("0g"), Err(HexError));
        assert_eq!(hex_decode("+1"), Err(HexError));
        assert_eq!(hex_decode("é0"), Err(HexError));
        assert_eq!(hex_digit_value(b'F'), Some(15));
        assert_eq!(hex_digit_value(b'G'), None);
    }

    #[test]
    fn hex_round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let text = hex_encode(&all);
        assert_eq!(text.len(), 512);
        assert!(text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        assert_eq!(hex_decode(&text).unwrap(), all);
        assert_eq!(hex_decode(&text.to_ascii_uppercase()).unwrap(), all);
        for b in 0..=255u8 {
            assert_eq!(hex_decode(&hex_encode(&[b])).unwrap(), [b]);
        }
    }

    #[test]
    fn python_json_escapes_as_json_dumps() {
        let mut out = String::new();
        let v = serde_json::json!({"k": ["a\u{7f}\u{1}", 5, true, null], "é": "\n"});
        python_json(&v, &mut out);
        // `json.dumps({"k": ["a\x7f\x01", 5, True, None], "é": "\n"})` in Python.
        assert_eq!(
            out,
            r#"{"k": ["a\u007f\u0001", 5, true, null], "\u00e9": "\n"}"#
        );
    }

    #[test]
    fn percent_encode_known_values() {
        assert_eq!(percent_encode(b"", b""), "");
        assert_eq!(
            percent_encode("a b/c~é+%".as_bytes(), KEEP_SLASH),
            "a%20b/c~%C3%A9%2B%25"
        );
        assert_eq!(
            percent_encode("a b/c~é".as_bytes(), b""),
            "a%20b%2Fc~%C3%A9"
        );
        assert_eq!(percent_encode(b"a/b", b""), "a%2Fb");
        assert_eq!(percent_encode(b"AZaz09-._~", b""), "AZaz09-._~");
        assert_eq!(
            percent_encode(b"!*'();:@&=+$,?#[]", b""),
            "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D"
        );
        // Python's quote: extra safe bytes stay bare, non-ASCII "safe" bytes never do.
        assert_eq!(percent_encode(b"a=b&c", b"=&"), "a=b&c");
        assert_eq!(percent_encode(&[0xc3, 0xa9], &[0xc3]), "%C3%A9");
        let mut out = String::from("x?");
        percent_encode_into(&mut out, b"k v", b"");
        assert_eq!(out, "x?k%20v");
    }

    #[test]
    fn percent_decode_known_values() {
        assert_eq!(percent_decode("a%20b+c%2B%zz%4"), b"a b+c+%zz%4");
        assert_eq!(form_decode("a%20b+c%2B%zz%4"), b"a b c+%zz%4");
        assert_eq!(form_decode("%"), b"%");
        assert_eq!(percent_decode("%%41"), b"%A");
        assert_eq!(percent_decode("%c3%A9"), "é".as_bytes());
        assert_eq!(percent_decode("%+5"), b"%+5");
        assert_eq!(percent_decode(""), b"");
    }

    #[test]
    fn percent_round_trips_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        for safe in [&b""[..], KEEP_SLASH, b"=&+ "] {
            let text = percent_encode(&all, safe);
            assert!(text.is_ascii());
            assert_eq!(percent_decode(&text), all, "safe {safe:?}");
            for b in 0..=255u8 {
                let one = percent_encode(&[b], safe);
                let bare = is_unreserved(b) || safe.contains(&b);
                assert_eq!(one.len(), if bare { 1 } else { 3 }, "byte {b:#04x}");
                assert_eq!(percent_decode(&one), [b], "byte {b:#04x}");
                if b != b'+' {
                    assert_eq!(form_decode(&one), [b], "byte {b:#04x}");
                }
            }
        }
        // Form decoding round-trips everything once `+` is itself escaped.
        assert_eq!(form_decode(&percent_encode(&all, b"")), all);
    }
}
