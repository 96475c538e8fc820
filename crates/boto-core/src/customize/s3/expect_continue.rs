//! botocore's `add_expect_header`: S3 PUT and POST requests whose body is file-like carry
//! `Expect: 100-continue`, so a server that refuses the request (a bad signature, a redirect to
//! another region) says so before a large body is sent. PutObject and UploadPart bodies are always
//! file-like there (bytes are wrapped in a file object), so they always carry it when a body is
//! given; other operations only when the caller streams one. The transport holds a body over
//! 64 KiB back until the `100 Continue` arrives or a short wait passes (`http::HttpClient::send`);
//! a smaller one goes with the head and without the header, which would only make the server
//! send a 100 nobody waits for (botocore holds every body back, a round trip each).

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::{RequestBody, SerializedRequest};

pub(crate) struct ExpectContinue;

/// The operations whose body botocore always turns into a file object.
const ALWAYS_FILE_LIKE: [&str; 2] = ["PutObject", "UploadPart"];

impl Customization for ExpectContinue {
    fn name(&self) -> &'static str {
        "s3.expect_continue"
    }

    fn after_serialize(
        &self,
        op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if !matches!(&*req.method, "PUT" | "POST") {
            return Ok(());
        }
        let file_like = match req.body {
            RequestBody::StreamingPayload => true,
            RequestBody::Bytes(_) => ALWAYS_FILE_LIKE.contains(&op.name.as_str()),
            RequestBody::Empty => false,
        };
        if file_like && req.get_header("expect").is_none() {
            req.header("Expect", "100-continue");
        }
        Ok(())
    }
}
