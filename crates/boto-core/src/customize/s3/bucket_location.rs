//! GetBucketLocation answers with a bare `<LocationConstraint>` root element whose text is the
//! region (empty for us-east-1), not a structure holding a `LocationConstraint` member.

use super::super::Customization;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::ProtocolError;
use crate::protocol::RawResponse;

pub(crate) struct BucketLocation;

impl Customization for BucketLocation {
    fn name(&self) -> &'static str {
        "s3.bucket_location"
    }

    fn after_parse(
        &self,
        op: &Operation,
        _given: &Document,
        resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        if op.name != "GetBucketLocation" || !output["LocationConstraint"].is_null() {
            return Ok(());
        }
        let Ok(text) = std::str::from_utf8(&resp.body) else {
            return Ok(());
        };
        let Some(start) = text.find("<LocationConstraint") else {
            return Ok(());
        };
        let rest = &text[start..];
        let Some(open_end) = rest.find('>') else {
            return Ok(());
        };
        if rest[..open_end].ends_with('/') {
            return Ok(()); // `<LocationConstraint/>`: us-east-1, left unset as botocore does.
        }
        let Some(close) = rest.find("</LocationConstraint>") else {
            return Ok(());
        };
        let region = rest[open_end + 1..close].trim();
        if !region.is_empty() {
            output.set("LocationConstraint", region);
        }
        Ok(())
    }
}
