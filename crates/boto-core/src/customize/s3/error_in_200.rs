//! S3 keeps slow operations (CopyObject, CompleteMultipartUpload, UploadPartCopy, ...) alive by
//! sending `200 OK` at once and whitespace while it works; when the work then fails, the body is an
//! `<Error>` document under that 200. botocore (`_handle_200_error`, `before-parse.s3.*`) treats
//! such a body, and one that is not well-formed XML at all (a connection torn mid-body), as a
//! `500`, so it is reported as a service error and retried. Operations whose payload is a blob or
//! string, and event streams, are left alone: their bodies are the caller's data.
//!
//! The whole body is read, not only its start: the error may follow any amount of whitespace.
//!
//! An empty `200` is an error too for the operations whose answer *is* the body
//! (CompleteMultipartUpload, CopyObject, UploadPartCopy): without the result document there is no
//! proof the object was written, and reporting success there loses the caller's data. Like any
//! 200-with-error it becomes a `500`, so it is retried whatever the code.

use super::super::Customization;
use crate::model::{Operation, ServiceModel, ShapeType};
use crate::protocol::RawResponse;
use quick_xml::events::Event;

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
            !is_well_formed_non_error(&resp.body)
        };
        if failed {
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

/// True when `body` is well-formed XML whose root element is not `Error`.
fn is_well_formed_non_error(body: &[u8]) -> bool {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut root_seen = false;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Err(_) => return false,
            Ok(Event::Eof) => return root_seen && depth == 0,
            Ok(Event::Start(e)) => {
                if !root_seen && e.local_name().as_ref() == b"Error" {
                    return false;
                }
                root_seen = true;
                depth += 1;
            }
            Ok(Event::Empty(e)) => {
                if !root_seen && e.local_name().as_ref() == b"Error" {
                    return false;
                }
                root_seen = true;
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_well_formed_non_error as ok;

    #[test]
    fn errors_anywhere_after_whitespace_are_found() {
        assert!(ok(
            b"<?xml version=\"1.0\"?><CopyObjectResult><ETag>x</ETag></CopyObjectResult>"
        ));
        let mut padded = vec![b' '; 4096];
        padded.extend_from_slice(b"<Error><Code>InternalError</Code></Error>");
        assert!(!ok(&padded));
        assert!(!ok(b"<Error/>"));
        // Torn mid-body: not well formed, so an error too.
        assert!(!ok(b"<CompleteMultipartUploadResult><ETag>x</ET"));
        assert!(!ok(b"   "));
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
