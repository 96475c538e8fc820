//! Turning resource-model request parameters and response identifiers into inputs and resources.

use super::{ActionResult, Defs, Resource};
use crate::client::Client;
use crate::error::Error;
use boto_core::document::Document;
use boto_core::http::ByteStream;
use boto_core::path::search;
use serde_json::Value;
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
        let slot = map.entry(name.to_string()).or_insert(Document::Null);
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
    match (into, from) {
        (Document::Map(a), Document::Map(b)) => {
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
        (slot, v) => *slot = v,
    }
}

pub(crate) fn source_value(param: &Value, parent: Option<&Resource>) -> Result<Document, Error> {
    let source = param["source"].as_str().unwrap_or_default();
    Ok(match source {
        "identifier" => {
            let name = param["name"].as_str().unwrap_or_default();
            let p = parent.ok_or_else(|| {
                Error::Resource(format!("identifier {name} needs a parent resource"))
            })?;
            Document::from(p.identifier(name).ok_or_else(|| {
                Error::Resource(format!("{} has no identifier {name}", p.type_name()))
            })?)
        }
        "data" => {
            let path = param["path"].as_str().unwrap_or_default();
            parent
                .and_then(|p| p.data())
                .map(|d| search(path, d))
                .unwrap_or_default()
        }
        "string" | "integer" | "boolean" => {
            serde_json::from_value(param["value"].clone()).unwrap_or_default()
        }
        _ => Document::Null,
    })
}

/// The input of a request definition: parameters from the parent's identifiers and data, then the
/// caller's parameters merged over them.
pub(crate) fn build_request_params(
    request: &Value,
    parent: Option<&Resource>,
    user: Document,
) -> Result<Document, Error> {
    let mut input = Document::map();
    for p in request["params"].as_array().into_iter().flatten() {
        let target = p["target"].as_str().unwrap_or_default();
        let value = source_value(p, parent)?;
        if !value.is_null() {
            set_path(&mut input, target, value);
        }
    }
    merge(&mut input, user);
    Ok(input)
}

/// Builds the resources a `resource` definition describes from a request and its response.
pub(crate) fn build_resources(
    client: &Client,
    defs: &Arc<Defs>,
    parent: Option<&Resource>,
    def: &Value,
    request: &Document,
    response: &Document,
) -> Result<Vec<Resource>, Error> {
    let type_name = def["type"].as_str().unwrap_or_default();
    let type_def = defs
        .resource_def(type_name)
        .ok_or_else(|| Error::Resource(format!("the model has no resource type {type_name:?}")))?;
    let order = super::identifier_names(type_def);
    let mut values: Vec<(String, Document)> = Vec::new();
    for ident in def["identifiers"].as_array().into_iter().flatten() {
        let target = ident["target"].as_str().unwrap_or_default().to_string();
        let path = ident["path"].as_str().unwrap_or_default();
        let v = match ident["source"].as_str().unwrap_or_default() {
            "response" => search(path, response),
            "requestParameter" => search(path, request),
            _ => source_value(ident, parent)?,
        };
        values.push((target, v));
    }
    // A listing with nothing in it (no `Messages`, no `Contents`) yields no resources.
    let projected_missing = def["identifiers"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(&values)
        .any(|(ident, (_, v))| {
            ident["source"] == "response"
                && ident["path"].as_str().is_some_and(|p| p.contains("[]"))
                && v.is_null()
        });
    if projected_missing {
        return Ok(Vec::new());
    }
    let data = def["path"].as_str().map(|p| search(p, response));
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
        for name in &order {
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
            defs: defs.clone(),
            type_name: type_name.to_string(),
            identifiers: ids,
            data: item_data,
        });
    }
    Ok(out)
}

fn is_plural(def: &Value) -> bool {
    def["path"].as_str().is_some_and(|p| p.contains("[]"))
        || def["identifiers"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["path"].as_str().is_some_and(|p| p.contains("[]")))
}

pub(crate) async fn run_action(
    client: &Client,
    defs: &Arc<Defs>,
    parent: Option<&Resource>,
    def: &Value,
    user: Document,
    body: Option<ByteStream>,
) -> Result<ActionResult, Error> {
    let request = &def["request"];
    let op = request["operation"]
        .as_str()
        .ok_or_else(|| Error::Resource("the action's model has no operation".into()))?;
    let mut input = build_request_params(request, parent, user)?;
    let dynamodb = client.service_name() == "dynamodb";
    if dynamodb {
        super::dynamodb::to_wire(client.service_client().model(), op, &mut input);
    }
    let resource_def = &def["resource"];
    let mut output = client.invoke(op, input.clone(), body).await?;
    if dynamodb {
        super::dynamodb::from_wire(client.service_client().model(), op, &mut output.document);
    }
    if resource_def.is_null() {
        return Ok(ActionResult::Response(output));
    }
    let response = output.document;
    let mut built = build_resources(client, defs, parent, resource_def, &input, &response)?;
    if is_plural(resource_def) {
        Ok(ActionResult::Resources(built))
    } else if built.len() == 1 {
        Ok(ActionResult::Resource(built.remove(0)))
    } else {
        Ok(ActionResult::Resources(built))
    }
}
