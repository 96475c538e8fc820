//! GetConsoleOutput returns the console text base64-encoded; botocore's `decode_console_output`
//! decodes it (invalid UTF-8 replaced), so boto3 callers read text. Output that is not base64 is
//! left as sent, as botocore does.

use super::super::Customization;
use crate::document::Document;
use crate::encoding::base64_decode;
use crate::model::Operation;
use crate::protocol::{ProtocolError, RawResponse};

pub(crate) struct ConsoleOutput;

impl Customization for ConsoleOutput {
    fn name(&self) -> &'static str {
        "ec2.console_output"
    }

    fn after_parse(
        &self,
        op: &Operation,
        _given: &Document,
        _resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        if op.name != "GetConsoleOutput" {
            return Ok(());
        }
        let Some(Document::String(text)) = output.get_mut("Output") else {
            return Ok(());
        };
        if let Ok(bytes) = base64_decode(text) {
            *text = String::from_utf8_lossy(&bytes).into_owned();
        }
        Ok(())
    }
}
