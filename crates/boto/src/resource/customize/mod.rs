//! Resource-layer customizations: declared, named quirks of boto3's resources, one file each,
//! registered in one table keyed by service name (as `boto_core::customize` does for the client).
//! The generic resource code calls the hooks around every request it makes (actions, batch
//! actions, loads, collection pages); it names no service.

mod dynamodb_values;
mod s3_bucket_load;

use super::Resource;
use crate::error::Error;
use boto_core::document::Document;
use boto_core::model::ServiceModel;
use std::future::Future;
use std::pin::Pin;

/// A custom load in progress.
pub(crate) type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<Document, Error>> + Send + 'a>>;

/// Hooks a resource customization may implement. Each has a no-op default.
pub(crate) trait ResourceCustomization: Sync {
    /// A short name for logs.
    fn name(&self) -> &'static str;

    /// Before a resource request for `operation` (model name) is sent: rewrite `input`, or refuse
    /// it (a value the service cannot take).
    fn before_call(
        &self,
        _model: &ServiceModel,
        _operation: &str,
        _input: &mut Document,
    ) -> Result<(), Error> {
        Ok(())
    }

    /// After a resource request's response was parsed: rewrite `output`.
    fn after_call(&self, _model: &ServiceModel, _operation: &str, _output: &mut Document) {}

    /// A load for a resource the model gives none (or a different one); `None` leaves the
    /// model's load in charge.
    fn load<'a>(&self, _resource: &'a Resource) -> Option<LoadFuture<'a>> {
        None
    }
}

static S3: &[&dyn ResourceCustomization] = &[&s3_bucket_load::BucketLoad];
static DYNAMODB: &[&dyn ResourceCustomization] = &[&dynamodb_values::PlainValues];

/// The resource customizations of a service, in the order they run.
pub(crate) fn for_service(service: &str) -> &'static [&'static dyn ResourceCustomization] {
    match service {
        "s3" => S3,
        "dynamodb" => DYNAMODB,
        _ => &[],
    }
}

/// Runs every `before_call` hook of the model's service; the first refusal ends the call.
pub(crate) fn before_call(
    model: &ServiceModel,
    operation: &str,
    input: &mut Document,
) -> Result<(), Error> {
    for c in for_service(model.service_name()) {
        tracing::trace!(customization = c.name(), operation, "before resource call");
        c.before_call(model, operation, input)?;
    }
    Ok(())
}

/// Runs every `after_call` hook of the model's service.
pub(crate) fn after_call(model: &ServiceModel, operation: &str, output: &mut Document) {
    for c in for_service(model.service_name()) {
        tracing::trace!(customization = c.name(), operation, "after resource call");
        c.after_call(model, operation, output);
    }
}

/// The first custom load declared for `resource`, if any.
pub(crate) fn load(resource: &Resource) -> Option<LoadFuture<'_>> {
    for_service(resource.client().service_name())
        .iter()
        .find_map(|c| {
            let load = c.load(resource)?;
            tracing::trace!(customization = c.name(), "custom resource load");
            Some(load)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_quirk_once() {
        let names: Vec<&str> = ["s3", "dynamodb", "sqs"]
            .iter()
            .flat_map(|s| for_service(s).iter().map(|c| c.name()))
            .collect();
        assert_eq!(names, ["s3-bucket-load", "dynamodb-plain-values"]);
    }
}
