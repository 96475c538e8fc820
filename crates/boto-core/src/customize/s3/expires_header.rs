//! S3 returns the object's `Expires` metadata verbatim, and it need not be a valid date. A bad value
//! must not fail the whole GetObject/HeadObject: as botocore does, the header is kept as the string
//! `ExpiresString` and `Expires` is only set when it parses.

use super::super::Customization;
use crate::document::{Document, Name, Timestamp};
use crate::model::{Operation, ServiceModel};
use crate::protocol::ProtocolError;
use crate::protocol::RawResponse;

pub(crate) struct ExpiresHeader;

impl Customization for ExpiresHeader {
    fn name(&self) -> &'static str {
        "s3.expires_header"
    }

    fn before_parse(&self, _model: &ServiceModel, _op: &Operation, resp: &mut RawResponse) {
        let invalid = resp.header("expires").is_some_and(|v| {
            Timestamp::parse_rfc822(v).is_err() && Timestamp::parse_any(v).is_err()
        });
        if invalid {
            // Parsed as a string below; the typed member stays unset.
            for (name, _) in resp
                .headers
                .iter_mut()
                .filter(|(n, _)| n.eq_ignore_ascii_case("expires"))
            {
                *name = Name::new_static("x-boto-invalid-expires");
            }
        }
    }

    fn after_parse(
        &self,
        _op: &Operation,
        _given: &Document,
        resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        let raw = resp
            .header("expires")
            .or_else(|| resp.header("x-boto-invalid-expires"));
        if let Some(raw) = raw {
            output.set("ExpiresString", raw);
        }
        Ok(())
    }
}
