//! Batch actions (`batchActions` in the resource models): one request for many resources of one
//! type, each contributing an element of a list parameter (`Delete.Objects[*].Key`).

use super::params::{set_path, source_value};
use super::{find, Resource};
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;

/// Splits `Delete.Objects[*].Key` into the list path `Delete.Objects` and the item path `Key`.
fn split_list_target(target: &str) -> Option<(&str, &str)> {
    let (list, item) = target
        .split_once("[*]")
        .or_else(|| target.split_once("[]"))?;
    Some((list, item.trim_start_matches('.')))
}

/// Runs batch action `name` once for `resources` (all of one type, sharing the non-list params).
pub(crate) async fn run(
    resources: &[Resource],
    name: &str,
    user: Document,
) -> Result<Output, Error> {
    let Some(first) = resources.first() else {
        return Err(Error::Resource(
            "a batch action needs at least one resource".into(),
        ));
    };
    let (_, def) = find(&first.def()["batchActions"], name).ok_or_else(|| {
        Error::Resource(format!("{} has no batch action {name:?}", first.type_name))
    })?;
    let request = &def["request"];
    let op = request["operation"]
        .as_str()
        .ok_or_else(|| Error::Resource("the batch action's model has no operation".into()))?;
    let mut input = Document::map();
    for p in request["params"].as_array().into_iter().flatten() {
        let target = p["target"].as_str().unwrap_or_default();
        match split_list_target(target) {
            Some((list, item)) => {
                for (i, r) in resources.iter().enumerate() {
                    let value = source_value(p, Some(r))?;
                    set_path(&mut input, &format!("{list}[{i}].{item}"), value);
                }
            }
            None => set_path(&mut input, target, source_value(p, Some(first))?),
        }
    }
    super::params::merge(&mut input, user);
    first.client.invoke(op, input, None).await
}

/// Runs batch action `name` (`Delete`) on resources of one type, in one request
/// (`sqs` messages from one `receive_messages` call, S3 objects of one bucket).
pub async fn batch_action(
    resources: &[Resource],
    name: &str,
    params: Document,
) -> Result<Output, Error> {
    run(resources, name, params).await
}
