//! Batch actions (`batchActions` in the resource models): one request for many resources of one
//! type, each contributing an element of a list parameter (`Delete.Objects[*].Key`).

use super::params::{self, set_path, source_value};
use super::Resource;
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;

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
    let (_, request) = first.def().batch_actions.find(name).ok_or_else(|| {
        Error::Resource(format!(
            "{} has no batch action {name:?}",
            first.type_name()
        ))
    })?;
    let op = request
        .operation
        .as_deref()
        .ok_or_else(|| Error::Resource("the batch action's model has no operation".into()))?;
    let mut input = Document::map();
    for p in &request.params {
        match &p.list_target {
            Some((list, item)) => {
                for (i, r) in resources.iter().enumerate() {
                    let value = source_value(&p.source, Some(r))?;
                    // `AlarmNames[]` lists the values themselves; `Delete.Objects[*].Key` a member.
                    let target = if item.is_empty() {
                        format!("{list}[{i}]")
                    } else {
                        format!("{list}[{i}].{item}")
                    };
                    set_path(&mut input, &target, value);
                }
            }
            None => set_path(&mut input, &p.target, source_value(&p.source, Some(first))?),
        }
    }
    params::merge(&mut input, user);
    params::send(&first.client, op, &mut input, None).await
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
