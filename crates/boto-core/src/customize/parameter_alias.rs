//! Input member names boto3 takes in place of the model's (botocore's `ParameterAlias`): names
//! that are awkward or reserved words in Python (`from`, `return`) or that differ from the rest of
//! the service (EC2's few `Filter` members, which every other EC2 operation calls `Filters`). The
//! alias is renamed to the model's name before validation; giving both is an error, as botocore's
//! `AliasConflictParameterError`.

use super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::model::{Operation, ServiceModel};

/// `alias` is taken for the input member `original` of `operation` (every operation that has
/// such a member when `operation` is `None`).
pub(crate) struct ParameterAlias {
    pub(crate) name: &'static str,
    pub(crate) operation: Option<&'static str>,
    pub(crate) original: &'static str,
    pub(crate) alias: &'static str,
}

impl Customization for ParameterAlias {
    fn name(&self) -> &'static str {
        self.name
    }

    fn rename_input(
        &self,
        model: &ServiceModel,
        op: &Operation,
        input: &mut Document,
    ) -> Result<(), ConstructionError> {
        if self.operation.is_some_and(|o| o != op.name) || input.get(self.alias).is_none() {
            return Ok(());
        }
        let modeled = op
            .input
            .is_some_and(|id| model.shape(id).member_named(self.original).is_some());
        if !modeled {
            return Ok(()); // validation names the unknown member
        }
        if input.get(self.original).is_some() {
            return Err(ConstructionError::Usage(format!(
                "Parameter '{}' and its alias '{}' were provided for operation {}.  {}",
                self.original, self.alias, op.name, "Only one of them may be used."
            )));
        }
        if let Some(value) = input.remove(self.alias) {
            input.set(self.original, value);
        }
        Ok(())
    }
}

#[cfg(all(test, feature = "cloudsearchdomain"))]
mod tests {
    use super::*;
    use crate::customize::cloudsearchdomain::RETURN_FIELDS_ALIAS;

    #[test]
    fn search_takes_return_fields_for_return() {
        let model = ServiceModel::load("cloudsearchdomain").unwrap();
        let search = model.operation("Search").unwrap();
        let mut input = crate::doc! {"query": "q", "returnFields": "title"};
        RETURN_FIELDS_ALIAS
            .rename_input(&model, search, &mut input)
            .unwrap();
        assert_eq!(input, crate::doc! {"query": "q", "return": "title"});
        let suggest = model.operation("Suggest").unwrap();
        let mut other = crate::doc! {"query": "q", "returnFields": "title"};
        RETURN_FIELDS_ALIAS
            .rename_input(&model, suggest, &mut other)
            .unwrap();
        assert_eq!(other["returnFields"].as_str(), Some("title"), "Search only");
    }
}
