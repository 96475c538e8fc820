//! Search is modelled as a GET with every parameter in the query string, which long queries
//! outgrow. botocore's `change_get_to_post` sends it as a POST with the same parameters as a
//! form-encoded body instead; so does boto-rs.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::{RequestBody, SerializedRequest};

pub(crate) struct SearchAsPost;

impl Customization for SearchAsPost {
    fn name(&self) -> &'static str {
        "cloudsearchdomain.search_as_post"
    }

    fn after_serialize(
        &self,
        op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if op.name != "Search" || req.method != "GET" || req.query.is_empty() {
            return Ok(());
        }
        let form = req.query_string();
        req.query.clear();
        req.method = "POST".into();
        req.headers.remove("content-type");
        req.header("Content-Type", "application/x-www-form-urlencoded");
        req.body = RequestBody::Bytes(form.into_bytes().into());
        Ok(())
    }
}
