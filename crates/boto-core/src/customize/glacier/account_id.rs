//! Every Glacier operation takes the owning `accountId` in its path, and `-` means the caller's
//! own account. botocore's `inject_account_id` fills in `-` when the caller gives none (or
//! `None`), and so does boto-rs.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::model::Operation;

pub(crate) struct AccountId;

impl Customization for AccountId {
    fn name(&self) -> &'static str {
        "glacier.account_id"
    }

    fn transform_input(
        &self,
        _op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        if input.get("accountId").is_none_or(Document::is_null) {
            if input.is_null() {
                **input = Document::map();
            }
            let _ = input.insert("accountId", "-");
        }
        Ok(())
    }
}
