//! Object listings ask for `EncodingType=url` unless the caller chose an encoding, so that keys
//! holding characters XML 1.0 cannot carry still list; the keys and markers in the answer are
//! then decoded back, as botocore does (which leaves `EncodingType: url` in the answer). A caller
//! who asked for `url` gets the encoded values.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::ProtocolError;
use crate::protocol::RawResponse;

pub(crate) struct ListingEncoding;

/// Encoded top-level members, and encoded (list, member) pairs, of one listing operation.
type Encoded = (
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

/// What comes back encoded, per operation.
fn encoded_members(op: &str) -> Option<Encoded> {
    const PREFIXES: (&str, &str) = ("CommonPrefixes", "Prefix");
    match op {
        "ListObjects" => Some((
            &["Delimiter", "Marker", "NextMarker", "Prefix"],
            &[("Contents", "Key"), PREFIXES],
        )),
        "ListObjectsV2" => Some((
            &["Delimiter", "Prefix", "StartAfter"],
            &[("Contents", "Key"), PREFIXES],
        )),
        "ListObjectVersions" => Some((
            &["KeyMarker", "NextKeyMarker", "Prefix", "Delimiter"],
            &[("Versions", "Key"), ("DeleteMarkers", "Key"), PREFIXES],
        )),
        _ => None,
    }
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; a `%` that does
/// not start a valid escape stays as it is.
fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_in_place(value: &mut Document) {
    if let Document::String(s) = value {
        // Most keys need no decoding: leave them where they are instead of copying each.
        if s.bytes().any(|b| b == b'%' || b == b'+') {
            *s = url_decode(s);
        }
    }
}

impl Customization for ListingEncoding {
    fn name(&self) -> &'static str {
        "s3.listing_encoding"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        if encoded_members(&op.name).is_some() && input["EncodingType"].is_null() {
            let _ = input.insert("EncodingType", "url");
        }
        Ok(())
    }

    fn after_parse(
        &self,
        op: &Operation,
        given: &Document,
        _resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        let Some((top, nested)) = encoded_members(&op.name) else {
            return Ok(());
        };
        // Only what this customization asked for is decoded.
        if !given["EncodingType"].is_null() || output["EncodingType"].as_str() != Some("url") {
            return Ok(());
        }
        for name in top {
            if let Some(v) = output.get_mut(name) {
                decode_in_place(v);
            }
        }
        for (list, member) in nested {
            if let Some(items) = output.get_mut(list).and_then(Document::as_list_mut) {
                for item in items {
                    if let Some(v) = item.get_mut(member) {
                        decode_in_place(v);
                    }
                }
            }
        }
        // The caller did not ask for an encoding, so none shows.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::url_decode;

    #[test]
    fn decodes_form_encoding() {
        assert_eq!(url_decode("a+b%2Bc%C3%BC%01"), "a b+cü\u{1}");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode("%zz%4"), "%zz%4");
    }
}
