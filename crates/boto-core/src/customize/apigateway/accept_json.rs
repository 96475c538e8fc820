//! API Gateway answers in HAL (`application/hal+json`) unless asked for plain JSON; botocore's
//! `add_accept_header` sends `Accept: application/json` on every request that has no `Accept`
//! of its own (GetExport takes one as a member), and so does boto-rs.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::SerializedRequest;

pub(crate) struct AcceptJson;

impl Customization for AcceptJson {
    fn name(&self) -> &'static str {
        "apigateway.accept_json"
    }

    fn after_serialize(
        &self,
        _op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if req.get_header("accept").is_none() {
            req.header("Accept", "application/json");
        }
        Ok(())
    }
}
