//! S3 keeps slow operations (CopyObject, CompleteMultipartUpload, UploadPartCopy, ...) alive by
//! sending `200 OK` at once and whitespace while it works; when the work then fails, the body is an
//! `<Error>` document under that 200. botocore (`_handle_200_error`, `before-parse.s3.*`) treats
//! such a body, and one that is not well-formed XML at all (a connection torn mid-body), as a
//! `500`, so it is reported as a service error and retried. Operations whose payload is a blob or
//! string, and event streams, are left alone: their bodies are the caller's data.
//!
//! The body is not parsed twice for this: before the parse only the root element's name is
//! read (it may follow any amount of whitespace); a body the rest-xml parser then finds
//! malformed, which it reads whole and as strictly as ElementTree, is turned into the `500` by
//! [`Customization::on_unparsable_body`].
//!
//! An empty `200` is an error too for the operations whose answer *is* the body
//! (CompleteMultipartUpload, CopyObject, UploadPartCopy): without the result document there is no
//! proof the object was written, and reporting success there loses the caller's data. Like any
//! 200-with-error it becomes a `500`, so it is retried whatever the code.

use super::super::Customization;
use crate::model::{Operation, ServiceModel, ShapeType};
use crate::protocol::{xml_reader, ProtocolError, RawResponse};

pub(crate) struct ErrorIn200;

/// Operations whose success is only shown by the result document in the body.
const RESULT_IN_BODY: &[&str] = &["CompleteMultipartUpload", "CopyObject", "UploadPartCopy"];

impl Customization for ErrorIn200 {
    fn name(&self) -> &'static str {
        "s3.error_in_200"
    }

    fn before_parse(&self, model: &ServiceModel, op: &Operation, resp: &mut RawResponse) {
        if resp.status != 200 || !body_is_structured(model, op) {
            return;
        }
        let failed = if resp.body.is_empty() {
            RESULT_IN_BODY.contains(&op.name.as_str())
        } else {
            // Whitespace alone is not a document (ElementTree fails on it).
            !matches!(root_name(&resp.body), Some(name) if name != b"Error")
        };
        if failed {
            resp.status = 500;
        }
    }

    fn on_unparsable_body(
        &self,
        model: &ServiceModel,
        op: &Operation,
        error: &ProtocolError,
        resp: &mut RawResponse,
    ) {
        // A document nested past the parser's limit is well-formed, only refused here.
        if resp.status == 200 && !xml_reader::is_too_deep(error) && body_is_structured(model, op) {
            resp.status = 500;
        }
    }
}

/// True when the operation's output body is an XML structure (not a raw payload or events).
fn body_is_structured(model: &ServiceModel, op: &Operation) -> bool {
    let Some(output) = op.output.map(|id| model.shape(id)) else {
        return false;
    };
    if output
        .members
        .iter()
        .any(|m| model.shape(m.target).event_stream)
    {
        return false;
    }
    match output
        .payload
        .as_deref()
        .and_then(|p| output.member_named(p))
    {
        Some(m) => !matches!(
            model.shape(m.target).shape_type,
            ShapeType::Blob | ShapeType::String
        ),
        None => true,
    }
}

/// The local name of the root element of an XML body: what follows the first `<` that does not
/// open a declaration, processing instruction or comment. `None` when the body has no element,
/// or text before it.
fn root_name(body: &[u8]) -> Option<&[u8]> {
    let mut rest = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    loop {
        rest = rest.trim_ascii_start();
        if let Some(after) = rest.strip_prefix(b"<!--") {
            rest = &after[find(after, b"-->")? + 3..];
        } else if let Some(after) = rest.strip_prefix(b"<?") {
            rest = &after[find(after, b"?>")? + 2..];
        } else if let Some(after) = rest.strip_prefix(b"<!") {
            rest = &after[find(after, b">")? + 1..];
        } else {
            let after = rest.strip_prefix(b"<")?;
            let len = after
                .iter()
                .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
                .unwrap_or(after.len());
            let qname = &after[..len];
            let local = match qname.iter().rposition(|&b| b == b':') {
                Some(i) => &qname[i + 1..],
                None => qname,
            };
            return (!local.is_empty()).then_some(local);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::root_name;

    #[test]
    fn the_root_is_found_after_whitespace_declarations_and_comments() {
        assert_eq!(
            root_name(
                b"<?xml version=\"1.0\"?><CopyObjectResult><ETag>x</ETag></CopyObjectResult>"
            ),
            Some(&b"CopyObjectResult"[..])
        );
        let mut padded = vec![b' '; 4096];
        padded.extend_from_slice(b"<Error><Code>InternalError</Code></Error>");
        assert_eq!(root_name(&padded), Some(&b"Error"[..]));
        assert_eq!(root_name(b"<!-- x --><s3:Error/>"), Some(&b"Error"[..]));
        assert_eq!(root_name(b"\xef\xbb\xbf<Error\n/>"), Some(&b"Error"[..]));
        assert_eq!(root_name(b"   "), None);
        assert_eq!(root_name(b"text<Error/>"), None);
        assert_eq!(root_name(b"<!-- never closed"), None);
    }

    /// Without the rule an empty 200 to CompleteMultipartUpload parses as success: the caller is
    /// told the object exists when S3 never confirmed it.
    #[test]
    fn an_empty_result_body_is_an_error_only_where_the_result_is_the_body() {
        use super::super::super::Customization;
        let s3 = crate::model::ServiceModel::load("s3").unwrap();
        let status_after = |op: &str, body: &'static [u8]| {
            let mut resp = crate::protocol::RawResponse {
                status: 200,
                headers: vec![],
                body: bytes::Bytes::from_static(body),
            };
            super::ErrorIn200.before_parse(&s3, s3.operation(op).unwrap(), &mut resp);
            resp.status
        };
        for op in ["CompleteMultipartUpload", "CopyObject", "UploadPartCopy"] {
            assert_eq!(status_after(op, b""), 500, "{op}");
            assert_eq!(
                status_after(op, b"<Error><Code>AccessDenied</Code></Error>"),
                500
            );
        }
        assert_eq!(status_after("ListObjectsV2", b""), 200);
        assert_eq!(status_after("PutObject", b""), 200);
        assert_eq!(status_after("GetObject", b"<Error/>"), 200);
    }
}
