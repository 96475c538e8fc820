//! Route 53 answers with ids as paths (`/hostedzone/Z123`, `/change/C456`,
//! `/delegationset/N789`) but takes the bare id on input. botocore's `fix_route53_ids` keeps the
//! last path segment of every top-level input member whose shape is `ResourceId`,
//! `DelegationSetId` or `ChangeId`, so one answer's `Id` can be passed to the next call as is.
//!
//! Those members, read off the model: the names in [`ALWAYS`] (in every operation that has
//! them), and `Id` in the operations of [`ID_OPERATIONS`] (elsewhere `Id` is another shape, such
//! as a traffic policy's, and is left alone).

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::model::Operation;

const ALWAYS: &[&str] = &[
    "HostedZoneId",
    "DelegationSetId",
    "ChangeId",
    "HostedZoneIdMarker",
    "StartAfterChangeId",
];

const ID_OPERATIONS: &[&str] = &[
    "DeleteHostedZone",
    "DeleteReusableDelegationSet",
    "GetChange",
    "GetHostedZone",
    "GetReusableDelegationSet",
    "UpdateHostedZoneComment",
];

pub(crate) struct ResourceIds;

impl Customization for ResourceIds {
    fn name(&self) -> &'static str {
        "route53.resource_ids"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        let Some(map) = input.as_map_mut() else {
            return Ok(());
        };
        for (name, value) in map.iter_mut() {
            let applies = ALWAYS.contains(&name.as_str())
                || (name == "Id" && ID_OPERATIONS.contains(&op.name.as_str()));
            if let (true, Document::String(id)) = (applies, value) {
                if let Some((_, last)) = id.rsplit_once('/') {
                    *id = last.to_string();
                }
            }
        }
        Ok(())
    }
}

#[cfg(all(test, feature = "route53"))]
mod tests {
    use super::*;
    use crate::model::ServiceModel;

    /// The two tables are what botocore's rule picks from the model.
    #[test]
    fn tables_match_the_model() {
        let model = ServiceModel::load("route53").unwrap();
        let id_shapes = ["ResourceId", "DelegationSetId", "ChangeId"];
        for op in model.operations() {
            let Some(input) = op.input else { continue };
            for m in &model.shape(input).members {
                let by_shape = id_shapes.contains(&model.shape(m.target).name.as_str());
                let by_table = ALWAYS.contains(&m.name.as_str())
                    || (m.name == "Id" && ID_OPERATIONS.contains(&op.name.as_str()));
                assert_eq!(by_shape, by_table, "{}.{}", op.name, m.name);
            }
        }
    }
}
