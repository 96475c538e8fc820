//! EC2 RunInstances and Auto Scaling CreateLaunchConfiguration take `UserData` as base64 text.
//! botocore's `base64_encode_user_data` encodes it for the caller, whether given as text or as
//! bytes, so a script is passed as it reads; boto-rs does the same.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::encoding::base64_encode;
use crate::model::Operation;

/// The operations botocore encodes `UserData` for.
const OPERATIONS: &[&str] = &["RunInstances", "CreateLaunchConfiguration"];

pub(crate) struct UserData;

impl Customization for UserData {
    fn name(&self) -> &'static str {
        "ec2.user_data"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        if !OPERATIONS.contains(&op.name.as_str()) {
            return Ok(());
        }
        let Some(value) = input.get_mut("UserData") else {
            return Ok(());
        };
        let encoded = match value {
            Document::String(text) => base64_encode(text.as_bytes()),
            Document::Blob(bytes) => base64_encode(bytes),
            _ => return Ok(()), // validation names the wrong type
        };
        *value = Document::String(encoded);
        Ok(())
    }
}
