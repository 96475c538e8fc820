//! boto3's `resources-1.json` compiled into typed tables, once per service on first use.
//!
//! Compiling settles what the engine would otherwise re-read from JSON on every action,
//! collection and load: names are folded once for lookup (`receive_messages` finds
//! `ReceiveMessages`), each parameter's source becomes an enum with its literal already a
//! [`Document`], list targets of batch actions are split, and whether a resource reference is
//! plural is decided. The table is lenient like the JSON reading it replaces: a missing field is
//! an empty value, never an error, so a newer model still loads.

use boto_core::document::Document;
use boto_core::model::{fold_name, DataCache, ModelError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Definitions keyed by name, in model order, found by folded spelling.
#[derive(Debug)]
pub(crate) struct Named<T> {
    /// (folded name, model name, definition)
    entries: Vec<(String, String, T)>,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named {
            entries: Vec::new(),
        }
    }
}

impl<T> Named<T> {
    fn compile(obj: &Value, each: impl Fn(&Value) -> T) -> Self {
        let entries = obj
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (fold_name(k), k.clone(), each(v)))
            .collect();
        Named { entries }
    }

    /// The first definition whose name folds like `name`, with its model name.
    pub(crate) fn find(&self, name: &str) -> Option<(&str, &T)> {
        let want = fold_name(name);
        self.entries
            .iter()
            .find(|(folded, _, _)| *folded == want)
            .map(|(_, name, def)| (name.as_str(), def))
    }
}

/// Where a request parameter (or a non-response identifier) takes its value.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// The parent resource's identifier of this name.
    Identifier(String),
    /// A path into the parent resource's loaded data.
    Data(String),
    /// A constant (`string`, `integer`, `boolean` sources).
    Literal(Document),
    /// A source this engine does not read (it gives no value).
    Other,
}

impl Source {
    fn compile(p: &Value) -> Source {
        let text = |key: &str| p[key].as_str().unwrap_or_default().to_string();
        match p["source"].as_str().unwrap_or_default() {
            "identifier" => Source::Identifier(text("name")),
            "data" => Source::Data(text("path")),
            "string" | "integer" | "boolean" => {
                Source::Literal(serde_json::from_value(p["value"].clone()).unwrap_or_default())
            }
            _ => Source::Other,
        }
    }
}

/// One request parameter: where its value goes and where it comes from.
#[derive(Debug)]
pub(crate) struct Param {
    /// The input path it is written to (`Delete.Objects[*].Key`).
    pub(crate) target: String,
    /// For a batch action's per-resource parameter: the list path and the item path
    /// (`Delete.Objects`, `Key`).
    pub(crate) list_target: Option<(String, String)>,
    pub(crate) source: Source,
}

/// Splits `Delete.Objects[*].Key` into the list path `Delete.Objects` and the item path `Key`.
fn split_list_target(target: &str) -> Option<(String, String)> {
    let (list, item) = target
        .split_once("[*]")
        .or_else(|| target.split_once("[]"))?;
    Some((list.to_string(), item.trim_start_matches('.').to_string()))
}

fn params(v: &Value) -> Vec<Param> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let target = p["target"].as_str().unwrap_or_default().to_string();
            Param {
                list_target: split_list_target(&target),
                target,
                source: Source::compile(p),
            }
        })
        .collect()
}

/// An operation and the parameters a resource fills in for it.
#[derive(Debug)]
pub(crate) struct RequestDef {
    pub(crate) operation: Option<String>,
    pub(crate) params: Vec<Param>,
}

impl RequestDef {
    fn compile(v: &Value) -> RequestDef {
        RequestDef {
            operation: v["operation"].as_str().map(str::to_string),
            params: params(&v["params"]),
        }
    }
}

/// Where an identifier of a resource built from a response comes from.
#[derive(Debug, Clone)]
pub(crate) enum IdentSource {
    /// A path into the response.
    Response(String),
    /// A path into the request that was sent.
    RequestParameter(String),
    /// Given by the caller (`bucket.Object(key)`); no value until one is given.
    Input,
    /// The parent, or a constant.
    Param(Source),
}

/// One identifier of a resource reference.
#[derive(Debug, Clone)]
pub(crate) struct IdentRef {
    /// The identifier it sets.
    pub(crate) target: String,
    pub(crate) from: IdentSource,
    /// A response path with a `[]` projection: when it finds nothing, the listing was empty.
    pub(crate) projected: bool,
}

/// A reference to resources built from a request and its response (an action's `resource`,
/// a collection's, a `has` entry's).
#[derive(Debug, Clone, Default)]
pub(crate) struct ResourceRef {
    pub(crate) type_name: String,
    pub(crate) identifiers: Vec<IdentRef>,
    /// Where the resources' data is in the response.
    pub(crate) path: Option<String>,
    /// A `[]` in the data path or an identifier path: it describes a list of resources.
    pub(crate) plural: bool,
}

impl ResourceRef {
    fn compile(v: &Value) -> ResourceRef {
        let has_projection = |x: &Value| x["path"].as_str().is_some_and(|p| p.contains("[]"));
        let idents = v["identifiers"].as_array().into_iter().flatten();
        let identifiers = idents
            .clone()
            .map(|i| {
                let path = || i["path"].as_str().unwrap_or_default().to_string();
                let source = i["source"].as_str().unwrap_or_default();
                IdentRef {
                    target: i["target"].as_str().unwrap_or_default().to_string(),
                    from: match source {
                        "response" => IdentSource::Response(path()),
                        "requestParameter" => IdentSource::RequestParameter(path()),
                        "input" => IdentSource::Input,
                        _ => IdentSource::Param(Source::compile(i)),
                    },
                    projected: source == "response" && has_projection(i),
                }
            })
            .collect();
        ResourceRef {
            type_name: v["type"].as_str().unwrap_or_default().to_string(),
            identifiers,
            path: v["path"].as_str().map(str::to_string),
            plural: has_projection(v) || idents.clone().any(has_projection),
        }
    }
}

/// An action: its request, and the resources it returns (`None`: it returns the response).
#[derive(Debug)]
pub(crate) struct ActionDef {
    pub(crate) request: RequestDef,
    pub(crate) resource: Option<ResourceRef>,
}

impl ActionDef {
    fn compile(v: &Value) -> ActionDef {
        let resource = &v["resource"];
        ActionDef {
            request: RequestDef::compile(&v["request"]),
            resource: (!resource.is_null()).then(|| ResourceRef::compile(resource)),
        }
    }
}

/// A collection (`hasMany`): the listing request and the resources of each page.
#[derive(Debug)]
pub(crate) struct CollectionDef {
    pub(crate) request: RequestDef,
    pub(crate) resource: ResourceRef,
}

/// A resource's `load`: the request and where its data is in the response.
#[derive(Debug)]
pub(crate) struct LoadDef {
    pub(crate) request: RequestDef,
    pub(crate) path: Option<String>,
}

/// A resource waiter: the client waiter and the parameters taken from the resource.
#[derive(Debug)]
pub(crate) struct WaiterDef {
    pub(crate) waiter_name: String,
    pub(crate) params: Vec<Param>,
}

/// One resource type (`Bucket`, `Queue`, `Table`).
#[derive(Debug)]
pub(crate) struct ResourceType {
    pub(crate) name: String,
    folded: String,
    /// Identifier names in model order.
    pub(crate) identifiers: Vec<String>,
    pub(crate) load: Option<LoadDef>,
    pub(crate) actions: Named<ActionDef>,
    pub(crate) batch_actions: Named<RequestDef>,
    pub(crate) waiters: Named<WaiterDef>,
    pub(crate) has: Named<ResourceRef>,
    pub(crate) has_many: Named<Arc<CollectionDef>>,
}

fn collections(v: &Value) -> Named<Arc<CollectionDef>> {
    Named::compile(v, |c| {
        Arc::new(CollectionDef {
            request: RequestDef::compile(&c["request"]),
            resource: ResourceRef::compile(&c["resource"]),
        })
    })
}

impl ResourceType {
    fn compile(name: &str, def: &Value) -> ResourceType {
        let load = &def["load"];
        ResourceType {
            name: name.to_string(),
            folded: fold_name(name),
            identifiers: def["identifiers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| i["name"].as_str().map(str::to_string))
                .collect(),
            load: (!load.is_null()).then(|| LoadDef {
                request: RequestDef::compile(&load["request"]),
                path: load["path"].as_str().map(str::to_string),
            }),
            actions: Named::compile(&def["actions"], ActionDef::compile),
            batch_actions: Named::compile(&def["batchActions"], |b| {
                RequestDef::compile(&b["request"])
            }),
            waiters: Named::compile(&def["waiters"], |w| WaiterDef {
                waiter_name: w["waiterName"].as_str().unwrap_or_default().to_string(),
                params: params(&w["params"]),
            }),
            has: Named::compile(&def["has"], |h| ResourceRef::compile(&h["resource"])),
            has_many: collections(&def["hasMany"]),
        }
    }
}

/// Index of a type in its model's table.
pub(crate) type TypeId = usize;

/// The compiled resource model of one service.
#[derive(Debug)]
pub(crate) struct ResourceModel {
    pub(crate) service_actions: Named<ActionDef>,
    pub(crate) service_collections: Named<Arc<CollectionDef>>,
    types: Vec<ResourceType>,
    type_index: HashMap<String, TypeId>,
}

impl ResourceModel {
    /// The type by id. Ids only come from this model, so the lookup cannot miss.
    pub(crate) fn ty(&self, id: TypeId) -> &ResourceType {
        &self.types[id]
    }

    /// The type with exactly this name (as references in the model spell it).
    pub(crate) fn type_named(&self, name: &str) -> Option<TypeId> {
        self.type_index.get(name).copied()
    }

    /// The first type whose name folds like `name` (as callers may spell it).
    pub(crate) fn find_type(&self, name: &str) -> Option<TypeId> {
        let want = fold_name(name);
        self.types.iter().position(|t| t.folded == want)
    }
}

fn compile(_service: &str, json: &Value) -> ResourceModel {
    let service = &json["service"];
    let types: Vec<ResourceType> = json["resources"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, def)| ResourceType::compile(name, def))
        .collect();
    let type_index = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    ResourceModel {
        service_actions: Named::compile(&service["actions"], ActionDef::compile),
        service_collections: collections(&service["hasMany"]),
        types,
        type_index,
    }
}

static MODELS: DataCache<ResourceModel> = DataCache::new("resources-1", compile);

/// The compiled resource model of an embedded service; `Ok(None)` when it has none.
pub(crate) fn load(service: &str) -> Result<Option<Arc<ResourceModel>>, ModelError> {
    MODELS.get(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_compiles_once_with_typed_definitions() {
        let s3 = load("s3").unwrap().expect("s3 has resources");
        assert!(Arc::ptr_eq(&s3, &load("s3").unwrap().unwrap()));
        let bucket = s3.ty(s3.find_type("bucket").unwrap());
        assert_eq!(bucket.name, "Bucket");
        assert_eq!(bucket.identifiers, ["Name"]);
        assert!(bucket.load.is_none(), "boto3 injects the Bucket load");
        let (name, put) = bucket.actions.find("put_object").unwrap();
        assert_eq!(name, "PutObject");
        assert_eq!(put.request.operation.as_deref(), Some("PutObject"));
        assert!(matches!(&put.request.params[0].source, Source::Identifier(n) if n == "Name"));
        let made = put.resource.as_ref().unwrap();
        assert_eq!(made.type_name, "Object");
        assert!(!made.plural);
        let (_, objects) = bucket.has_many.find("objects").unwrap();
        assert_eq!(objects.request.operation.as_deref(), Some("ListObjects"));
        assert!(objects.resource.plural);
        assert!(objects.resource.identifiers.iter().any(|i| i.projected));
        let (_, object) = bucket.has.find("Object").unwrap();
        assert!(object
            .identifiers
            .iter()
            .any(|i| matches!(i.from, IdentSource::Input)));
        let object_type = s3.ty(s3.type_named("Object").unwrap());
        let head = object_type.load.as_ref().unwrap();
        assert_eq!(head.request.operation.as_deref(), Some("HeadObject"));
        let (_, exists) = object_type.waiters.find("exists").unwrap();
        assert_eq!(exists.waiter_name, "ObjectExists");
        let summary = s3.ty(s3.type_named("ObjectSummary").unwrap());
        assert!(summary.batch_actions.find("delete").is_some());
        assert!(s3.service_actions.find("create_bucket").is_some());
        assert!(s3.service_collections.find("buckets").is_some());
        assert!(load("s4").is_err());
    }

    /// Every type a reference names exists, and every action names an operation of the service.
    #[test]
    fn every_embedded_resource_model_resolves() {
        for service in boto_core::model::available_services() {
            let Some(m) = load(service).unwrap() else {
                continue;
            };
            let ops = boto_core::model::ServiceModel::load(service).unwrap();
            let check_ref = |r: &ResourceRef, at: &str| {
                assert!(m.type_named(&r.type_name).is_some(), "{service}: {at}");
            };
            let check_request = |r: &RequestDef, at: &str| {
                let op = r.operation.as_deref().unwrap_or_default();
                assert!(ops.operation(op).is_ok(), "{service}: {at}: {op}");
            };
            let mut actions: Vec<(&str, &ActionDef)> = Vec::new();
            let mut collections: Vec<(&str, &CollectionDef)> = Vec::new();
            for (_, name, a) in &m.service_actions.entries {
                actions.push((name, a));
            }
            for (_, name, c) in &m.service_collections.entries {
                collections.push((name, c));
            }
            for t in &m.types {
                for (_, name, a) in &t.actions.entries {
                    actions.push((name, a));
                }
                for (_, name, c) in &t.has_many.entries {
                    collections.push((name, c));
                }
                for (_, name, r) in &t.has.entries {
                    check_ref(r, name);
                }
                for (_, name, b) in &t.batch_actions.entries {
                    check_request(b, name);
                }
                if let Some(load) = &t.load {
                    check_request(&load.request, &t.name);
                }
            }
            assert!(!actions.is_empty() && !collections.is_empty(), "{service}");
            for (name, a) in actions {
                check_request(&a.request, name);
                if let Some(r) = &a.resource {
                    check_ref(r, name);
                }
            }
            for (name, c) in collections {
                check_request(&c.request, name);
                check_ref(&c.resource, name);
            }
        }
    }

    #[test]
    fn batch_targets_split_and_literals_decode() {
        let json = serde_json::json!({"resources": {"Thing": {
            "identifiers": [{"name": "Id"}],
            "batchActions": {"Delete": {"request": {"operation": "DeleteThings", "params": [
                {"target": "Delete.Items[*].Id", "source": "identifier", "name": "Id"},
                {"target": "Quiet", "source": "boolean", "value": true},
                {"target": "Odd", "source": "somethingNew"}
            ]}}}
        }}});
        let m = compile("x", &json);
        let thing = m.ty(m.type_named("Thing").unwrap());
        let (_, delete) = thing.batch_actions.find("delete").unwrap();
        let p = &delete.params;
        assert_eq!(
            p[0].list_target,
            Some(("Delete.Items".to_string(), "Id".to_string()))
        );
        assert!(matches!(
            &p[1].source,
            Source::Literal(Document::Bool(true))
        ));
        assert!(p[1].list_target.is_none());
        assert!(matches!(p[2].source, Source::Other));
        assert!(m.type_named("thing").is_none() && m.find_type("thing").is_some());
    }
}
