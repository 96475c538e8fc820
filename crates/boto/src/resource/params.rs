//! Turning resource-model request parameters and response identifiers into inputs and resources.

use super::model::{ActionDef, IdentSource, Param, ResourceModel, ResourceRef, Source};
use super::{customize, ActionResult, Resource};
use crate::client::Client;
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;
use boto_core::http::ByteStream;
use boto_core::path::search;
use std::sync::Arc;

/// Sets `value` at a target path such as `QueueUrl`, `Delete.Objects[3].Key` or `Tags[*].Key`
/// (`[*]` and `[]` mean the first element), creating maps and list elements on the way.
pub(crate) fn set_path(doc: &mut Document, target: &str, value: Document) {
    let mut cur = doc;
    let parts: Vec<&str> = target.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let (name, index) = match part.find('[') {
            Some(p) => {
                let inner = part[p + 1..].trim_end_matches(']');
                (&part[..p], Some(inner.parse::<usize>().unwrap_or(0)))
            }
            None => (*part, None),
        };
        if cur.is_null() {
            *cur = Document::map();
        }
        let Some(map) = cur.as_map_mut() else { return };
        let slot = map.entry(name.into()).or_insert(Document::Null);
        cur = match index {
            Some(index) => {
                if slot.is_null() {
                    *slot = Document::List(Vec::new());
                }
                let Some(list) = slot.as_list_mut() else {
                    return;
                };
                while list.len() <= index {
                    list.push(Document::Null);
                }
                &mut list[index]
            }
            None => slot,
        };
        if last {
            *cur = value;
            return;
        }
    }
}

pub(crate) fn merge(into: &mut Document, from: Document) {
    if into.as_map().is_none() || from.as_map().is_none() {
        *into = from;
        return;
    }
    let (Some(a), Some(b)) = (into.as_map_mut(), from.into_map()) else {
        return;
    };
    for (k, v) in b {
        match a.get_mut(&k) {
            Some(existing) if existing.as_map().is_some() && v.as_map().is_some() => {
                merge(existing, v)
            }
            _ => {
                a.insert(k, v);
            }
        }
    }
}

pub(crate) fn source_value(source: &Source, parent: Option<&Resource>) -> Result<Document, Error> {
    Ok(match source {
        Source::Identifier(name) => {
            let p = parent.ok_or_else(|| {
                Error::Resource(format!("identifier {name} needs a parent resource"))
            })?;
            Document::from(p.identifier(name).ok_or_else(|| {
                Error::Resource(format!("{} has no identifier {name}", p.type_name()))
            })?)
        }
        Source::Data(path) => parent
            .and_then(|p| p.data())
            .map(|d| search(path, d))
            .unwrap_or_default(),
        Source::Literal(value) => value.clone(),
        Source::Other => Document::Null,
    })
}

/// Whether any parameter comes from the parent's loaded data.
fn reads_data(params: &[Param]) -> bool {
    params.iter().any(|p| matches!(p.source, Source::Data(_)))
}

/// The input of a request definition: parameters from the parent's identifiers and data, then the
/// caller's parameters merged over them.
pub(crate) fn build_request_params(
    params: &[Param],
    parent: Option<&Resource>,
    user: Document,
) -> Result<Document, Error> {
    let mut input = Document::map();
    for p in params {
        let value = source_value(&p.source, parent)?;
        if !value.is_null() {
            set_path(&mut input, &p.target, value);
        }
    }
    merge(&mut input, user);
    Ok(input)
}

/// Sends a resource request with the service's resource customizations around it; `input` is
/// left as it was sent.
pub(crate) async fn send(
    client: &Client,
    op: &str,
    input: &mut Document,
    body: Option<ByteStream>,
) -> Result<Output, Error> {
    let model = client.service_client().model();
    customize::before_call(model, op, input)?;
    let mut output = client.invoke(op, input.clone(), body).await?;
    customize::after_call(model, op, &mut output.document);
    Ok(output)
}

/// [`send`] with the streaming payload read into the document, as [`Client::call`] does.
pub(crate) async fn call(
    client: &Client,
    op: &str,
    mut input: Document,
) -> Result<Document, Error> {
    let model = client.service_client().model();
    customize::before_call(model, op, &mut input)?;
    let mut output = client.call(op, input).await?;
    customize::after_call(model, op, &mut output);
    Ok(output)
}

/// Builds the resources a reference describes from a request and its response.
pub(crate) fn build_resources(
    client: &Client,
    model: &Arc<ResourceModel>,
    parent: Option<&Resource>,
    def: &ResourceRef,
    request: &Document,
    response: &Document,
) -> Result<Vec<Resource>, Error> {
    let type_name = def.type_name.as_str();
    let ty = model
        .type_named(type_name)
        .ok_or_else(|| Error::Resource(format!("the model has no resource type {type_name:?}")))?;
    let order = &model.ty(ty).identifiers;
    let mut values: Vec<(&str, Document)> = Vec::with_capacity(def.identifiers.len());
    for ident in &def.identifiers {
        let v = match &ident.from {
            IdentSource::Response(path) => search(path, response),
            IdentSource::RequestParameter(path) => search(path, request),
            IdentSource::Input => Document::Null,
            IdentSource::Param(source) => source_value(source, parent)?,
        };
        values.push((&ident.target, v));
    }
    // A listing with nothing in it (no `Messages`, no `Contents`) yields no resources.
    let projected_missing = def
        .identifiers
        .iter()
        .zip(&values)
        .any(|(ident, (_, v))| ident.projected && v.is_null());
    if projected_missing {
        return Ok(Vec::new());
    }
    let data = def.path.as_deref().map(|p| search(p, response));
    let count = values
        .iter()
        .filter_map(|(_, v)| v.as_list().map(<[Document]>::len))
        .chain(
            data.as_ref()
                .and_then(|d| d.as_list().map(<[Document]>::len)),
        )
        .max();
    let plural = count.is_some();
    let n = count.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut ids = Vec::with_capacity(order.len());
        for name in order {
            let v = values.iter().find(|(t, _)| t == name).map(|(_, v)| v);
            let v = match v {
                Some(Document::List(items)) => items.get(i),
                other => other,
            };
            let text = match v {
                Some(Document::String(s)) => s.clone(),
                Some(Document::Int(n)) => n.to_string(),
                _ => {
                    return Err(Error::Resource(format!(
                        "the response gave no {name} identifier for {type_name}"
                    )))
                }
            };
            ids.push((name.clone(), text));
        }
        let item_data = match &data {
            Some(Document::List(items)) if plural => items.get(i).cloned(),
            Some(Document::Null) | None => None,
            Some(d) => Some(d.clone()),
        };
        out.push(Resource {
            client: client.clone(),
            model: model.clone(),
            ty,
            identifiers: ids,
            data: item_data,
        });
    }
    Ok(out)
}

pub(crate) async fn run_action(
    client: &Client,
    model: &Arc<ResourceModel>,
    parent: Option<&Resource>,
    def: &ActionDef,
    user: Document,
    body: Option<ByteStream>,
) -> Result<ActionResult, Error> {
    let op = def
        .request
        .operation
        .as_deref()
        .ok_or_else(|| Error::Resource("the action's model has no operation".into()))?;
    // A parameter from the parent's data loads it first, as boto3's data members do.
    let loaded;
    let parent = match parent {
        Some(p)
            if p.data.is_none() && p.def().load.is_some() && reads_data(&def.request.params) =>
        {
            let mut copy = p.clone();
            copy.load().await?;
            loaded = copy;
            Some(&loaded)
        }
        other => other,
    };
    let mut input = build_request_params(&def.request.params, parent, user)?;
    let output = send(client, op, &mut input, body).await?;
    let Some(resource_def) = &def.resource else {
        return Ok(ActionResult::Response(output));
    };
    let response = output.document;
    let mut built = build_resources(client, model, parent, resource_def, &input, &response)?;
    if resource_def.plural {
        Ok(ActionResult::Resources(built))
    } else if built.len() == 1 {
        Ok(ActionResult::Resource(built.remove(0)))
    } else {
        Ok(ActionResult::Resources(built))
    }
}
