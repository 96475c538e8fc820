//! Glacier wants its API version on every request in `x-amz-glacier-version`; botocore's
//! `add_glacier_version` sends the model's `apiVersion`.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::SerializedRequest;

/// The `apiVersion` of Glacier's model (the only one it has had; a test checks the model).
pub(crate) const API_VERSION: &str = "2012-06-01";

pub(crate) struct VersionHeader;

impl Customization for VersionHeader {
    fn name(&self) -> &'static str {
        "glacier.version_header"
    }

    fn after_serialize(
        &self,
        _op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if req.get_header("x-amz-glacier-version").is_none() {
            req.header("x-amz-glacier-version", API_VERSION);
        }
        Ok(())
    }
}

#[cfg(all(test, feature = "glacier"))]
mod tests {
    #[test]
    fn the_version_is_the_models() {
        let model = crate::model::ServiceModel::load("glacier").unwrap();
        assert_eq!(model.metadata().api_version, super::API_VERSION);
    }
}
