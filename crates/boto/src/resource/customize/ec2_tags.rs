//! EC2 tags: the resource model cannot say that one CreateTags call tags several resources, so
//! boto3 injects `ServiceResource.create_tags(Resources=[..], Tags=[..])`, which calls CreateTags
//! and returns one `Tag` resource per resource and tag (`boto3.ec2.createtags`), and
//! `Instance.delete_tags(Tags=..)`, DeleteTags for the instance's own id (`boto3.ec2.deletetags`).
//!
//! boto3 injects `delete_tags` on Instance only; here every type whose model tags it (a
//! `CreateTags` action on an `Id`: Instance, Vpc, Volume, Image, ...) gets it, as the same call
//! works for all of them.

use super::{ActionFuture, ResourceActionFn, ResourceCustomization, ServiceActionFn};
use crate::error::Error;
use crate::resource::{ActionResult, Resource, ServiceResource};
use boto_core::document::Document;

/// The injected `create_tags` and `delete_tags`.
pub(crate) struct Tags;

impl ResourceCustomization for Tags {
    fn name(&self) -> &'static str {
        "ec2-tags"
    }

    fn service_action(&self, folded_name: &str) -> Option<ServiceActionFn> {
        (folded_name == "createtags").then_some(create_tags as ServiceActionFn)
    }

    fn resource_action(&self, resource: &Resource, folded_name: &str) -> Option<ResourceActionFn> {
        let taggable = resource.identifier("Id").is_some()
            && resource.identifiers().len() == 1
            && resource.has_action("CreateTags");
        (folded_name == "deletetags" && taggable).then_some(delete_tags as ResourceActionFn)
    }
}

fn create_tags(service: &ServiceResource, params: Document) -> ActionFuture<'_> {
    Box::pin(async move {
        let invalid = |what: &str| Error::Resource(format!("create_tags needs {what}"));
        let resources: Vec<String> = params["Resources"]
            .as_list()
            .ok_or_else(|| invalid("Resources, a list of resource ids"))?
            .iter()
            .map(|r| r.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("Resources as strings"))?;
        let tags: Vec<(String, String)> = params["Tags"]
            .as_list()
            .ok_or_else(|| invalid("Tags, a list of {Key, Value}"))?
            .iter()
            .map(|t| {
                let key = t["Key"].as_str()?.to_string();
                // A tag may have no value; its Tag resource has an empty one, as EC2 lists it.
                let value = t["Value"].as_str().unwrap_or_default().to_string();
                Some((key, value))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| invalid("every tag to have a Key"))?;
        service.client().call("CreateTags", params).await?;
        let mut made = Vec::with_capacity(resources.len() * tags.len());
        for id in &resources {
            for (key, value) in &tags {
                made.push(service.resource("Tag", &[id, key, value])?);
            }
        }
        Ok(ActionResult::Resources(made))
    })
}

fn delete_tags(resource: &Resource, mut params: Document) -> ActionFuture<'_> {
    Box::pin(async move {
        let id = resource.identifier("Id").unwrap_or_default();
        let _ = params.insert("Resources", Document::List(vec![Document::from(id)]));
        let output = resource.client().invoke("DeleteTags", params, None).await?;
        Ok(ActionResult::Response(output))
    })
}
