//! Resource-layer customizations: declared, named quirks of boto3's resources, one file each,
//! registered in one table keyed by service name (as `boto_core::customize` does for the client).
//! The generic resource code calls the hooks around every request it makes (actions, batch
//! actions, loads, collection pages); it names no service.

mod dynamodb_values;
mod ec2_tags;
mod s3_bucket_load;

use super::{ActionResult, Resource, ServiceResource};
use crate::error::Error;
use boto_core::document::Document;
use boto_core::model::ServiceModel;
use std::future::Future;
use std::pin::Pin;

/// A custom load in progress.
pub(crate) type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<Document, Error>> + Send + 'a>>;

/// An injected action in progress.
pub(crate) type ActionFuture<'a> =
    Pin<Box<dyn Future<Output = Result<ActionResult, Error>> + Send + 'a>>;

/// A service-level action the model lacks (or models otherwise), as boto3 injects it.
pub(crate) type ServiceActionFn = for<'a> fn(&'a ServiceResource, Document) -> ActionFuture<'a>;

/// A resource action the model lacks (or models otherwise), as boto3 injects it.
pub(crate) type ResourceActionFn = for<'a> fn(&'a Resource, Document) -> ActionFuture<'a>;

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

    /// A service-level action by folded name (`createtags`) that replaces the model's.
    fn service_action(&self, _folded_name: &str) -> Option<ServiceActionFn> {
        None
    }

    /// An action of `resource` by folded name (`deletetags`) that replaces the model's.
    fn resource_action(
        &self,
        _resource: &Resource,
        _folded_name: &str,
    ) -> Option<ResourceActionFn> {
        None
    }
}

static S3: &[&dyn ResourceCustomization] = &[&s3_bucket_load::BucketLoad];
static DYNAMODB: &[&dyn ResourceCustomization] = &[&dynamodb_values::PlainValues];
static EC2: &[&dyn ResourceCustomization] = &[&ec2_tags::Tags];

/// The resource customizations of a service, in the order they run.
pub(crate) fn for_service(service: &str) -> &'static [&'static dyn ResourceCustomization] {
    match service {
        "s3" => S3,
        "dynamodb" => DYNAMODB,
        "ec2" => EC2,
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

/// The injected service-level action `name`, if one is declared.
pub(crate) fn service_action(service: &str, name: &str) -> Option<ServiceActionFn> {
    let folded = boto_core::model::fold_name(name);
    for_service(service)
        .iter()
        .find_map(|c| c.service_action(&folded))
}

/// The injected action `name` of `resource`, if one is declared.
pub(crate) fn resource_action(resource: &Resource, name: &str) -> Option<ResourceActionFn> {
    let folded = boto_core::model::fold_name(name);
    for_service(resource.client().service_name())
        .iter()
        .find_map(|c| c.resource_action(resource, &folded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_quirk_once() {
        let names: Vec<&str> = ["s3", "dynamodb", "ec2", "sqs"]
            .iter()
            .flat_map(|s| for_service(s).iter().map(|c| c.name()))
            .collect();
        assert_eq!(
            names,
            ["s3-bucket-load", "dynamodb-plain-values", "ec2-tags"]
        );
    }
}
