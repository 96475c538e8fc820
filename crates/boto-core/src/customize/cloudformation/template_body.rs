//! GetTemplate returns the template as text. botocore's `json_decode_template_body` parses a
//! JSON template (boto3 returns a dict, in the template's key order); a YAML template, or
//! anything else that is not JSON, stays text.

use super::super::Customization;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::{ProtocolError, RawResponse};

pub(crate) struct TemplateBody;

impl Customization for TemplateBody {
    fn name(&self) -> &'static str {
        "cloudformation.template_body"
    }

    fn after_parse(
        &self,
        op: &Operation,
        _given: &Document,
        _resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        if op.name != "GetTemplate" {
            return Ok(());
        }
        if let Some(Document::String(text)) = output.get("TemplateBody") {
            if let Ok(parsed) = Document::from_json(text) {
                output.set("TemplateBody", parsed);
            }
        }
        Ok(())
    }
}
