//! S3 Control's operations carry the model's `{AccountId}.` host prefix and the static context
//! parameter `RequiresAccountId`, with which the endpoint rules put the account id in the host
//! themselves; applying both sends `123456789012.123456789012.s3-control...`. botocore's
//! `remove_accid_host_prefix_from_model` drops the model's prefix when both are there, and so
//! does boto-rs (the account id is still validated as a host label by the rules).

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::SerializedRequest;

pub(crate) struct AccountHost;

impl Customization for AccountHost {
    fn name(&self) -> &'static str {
        "s3control.account_host"
    }

    fn after_serialize(
        &self,
        op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        let rules_add_it = op
            .static_context_params
            .iter()
            .any(|(name, value)| name == "RequiresAccountId" && value.as_bool() == Some(true));
        if rules_add_it && op.host_prefix.as_deref() == Some("{AccountId}.") {
            req.host_prefix = None;
        }
        Ok(())
    }
}
