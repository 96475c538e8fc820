//! boto3's resource layer, driven by its `resources-1.json` models (not written per resource):
//! [`ServiceResource`] is `boto3.resource("s3")`, [`Resource`] an object with identifiers, lazily
//! loaded attributes, actions and sub-resources, and [`Collection`] a lazily paginated listing.
//!
//! Every resource carries its client (and so its session): code passes resources around.
//! Action, collection and attribute names accept boto3's spelling (`receive_messages`) or the
//! model's (`ReceiveMessages`).
//!
//! The model is compiled once per process into typed tables (`model.rs`); service quirks the
//! model leaves out (S3's Bucket load, DynamoDB's plain values) are declared under `customize/`,
//! and this generic code names no service. Collection iterators are [`futures_core::Stream`]s.

mod batch;
mod collection;
mod conveniences;
mod customize;
mod model;
mod params;

pub use batch::batch_action;
pub use collection::{Collection, CollectionIter};

use crate::client::Client;
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;
use boto_core::http::ByteStream;
use model::{IdentSource, ResourceModel, ResourceType, Source, TypeId};
use std::fmt;
use std::sync::Arc;

/// Folds names so `receive_messages`, `ReceiveMessages` and `receivemessages` meet.
use boto_core::model::fold_name as fold;

/// What an action returns: the response, a resource, or several.
#[derive(Debug)]
pub enum ActionResult {
    /// The raw response (with a streaming body for S3 `Object.get`).
    Response(Output),
    /// One resource.
    Resource(Resource),
    /// Several resources (e.g. `Queue.receive_messages`).
    Resources(Vec<Resource>),
}

impl ActionResult {
    /// The resources it holds (one, several, or none for a plain response).
    pub fn into_resources(self) -> Vec<Resource> {
        match self {
            ActionResult::Resource(r) => vec![r],
            ActionResult::Resources(rs) => rs,
            ActionResult::Response(_) => Vec::new(),
        }
    }

    /// The one resource, or an error naming what came back instead.
    pub fn into_resource(self) -> Result<Resource, Error> {
        match self {
            ActionResult::Resource(r) => Ok(r),
            other => Err(Error::Resource(format!(
                "the action returned {other:?}, not one resource"
            ))),
        }
    }

    /// The response, when the action does not build resources.
    pub fn into_output(self) -> Result<Output, Error> {
        match self {
            ActionResult::Response(o) => Ok(o),
            other => Err(Error::Resource(format!(
                "the action returned resources, not a response: {other:?}"
            ))),
        }
    }
}

/// `boto3.resource(service)`: the entry point to a service's resources.
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// use boto::doc;
/// let s3 = boto::resource("s3")?;
/// let bucket = s3.bucket("videobucket")?;
/// bucket.put_object("cats/3.mp4", "frames").await?;
/// let mut it = bucket.objects()?.filter(doc! {"Prefix": "cats/"}).iter()?;
/// while let Some(obj) = it.next().await {
///     let obj = obj?;
///     println!("{} {:?}", obj.key().unwrap_or_default(), obj.size());
/// }
/// let queue = boto::resource("sqs")?.get_queue_by_name("jobs").await?;
/// for message in queue.receive_messages(doc! {"WaitTimeSeconds": 5}).await? {
///     println!("{}", message.body().unwrap_or_default());
///     message.delete().await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ServiceResource {
    client: Client,
    model: Arc<ResourceModel>,
}

impl fmt::Debug for ServiceResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceResource")
            .field("service", &self.client.service_name())
            .finish()
    }
}

impl ServiceResource {
    pub(crate) fn new(client: Client) -> Result<Self, Error> {
        let model = model::load(client.service_name())?.ok_or_else(|| {
            Error::Resource(format!(
                "{} has no resource model; use its client",
                client.service_name()
            ))
        })?;
        Ok(ServiceResource { client, model })
    }

    /// The low-level client underneath (`resource.meta.client`).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// A resource by type and identifiers, in the model's identifier order
    /// (`s3.resource("Object", &["bucket", "key"])`). No request is made.
    pub fn resource(&self, type_name: &str, identifiers: &[&str]) -> Result<Resource, Error> {
        let ty = self.model.find_type(type_name).ok_or_else(|| {
            Error::Resource(format!(
                "{} has no resource type {type_name:?}",
                self.client.service_name()
            ))
        })?;
        let names = &self.model.ty(ty).identifiers;
        if names.len() != identifiers.len() {
            return Err(Error::Resource(format!(
                "{} takes {} identifier(s) ({}), got {}",
                self.model.ty(ty).name,
                names.len(),
                names.join(", "),
                identifiers.len()
            )));
        }
        Ok(Resource {
            client: self.client.clone(),
            model: self.model.clone(),
            ty,
            identifiers: names
                .iter()
                .cloned()
                .zip(identifiers.iter().map(|s| s.to_string()))
                .collect(),
            data: None,
        })
    }

    /// Runs a service-level action (`create_bucket`, `get_queue_by_name`, `create_queue`).
    pub async fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        if let Some(injected) = customize::service_action(self.client.service_name(), name) {
            return injected(self, params).await;
        }
        let (_, def) = self.model.service_actions.find(name).ok_or_else(|| {
            Error::Resource(format!(
                "{} has no service action {name:?}",
                self.client.service_name()
            ))
        })?;
        params::run_action(&self.client, &self.model, None, def, params, None).await
    }

    /// A service-level collection (`s3.buckets`, `sqs.queues`).
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        let (_, def) = self.model.service_collections.find(name).ok_or_else(|| {
            Error::Resource(format!(
                "{} has no collection {name:?}",
                self.client.service_name()
            ))
        })?;
        Ok(Collection::new(
            self.client.clone(),
            self.model.clone(),
            None,
            def.clone(),
        ))
    }
}

/// Calls `op` on `resource`'s client as the resource layer does (with its service's resource
/// customizations around it), for conveniences that make their own requests.
pub(crate) async fn call_for(
    resource: &Resource,
    op: &str,
    input: Document,
) -> Result<Document, Error> {
    params::call(&resource.client, op, input).await
}

/// One resource: type, identifiers, and (once loaded or listed) its data.
#[derive(Clone)]
pub struct Resource {
    client: Client,
    model: Arc<ResourceModel>,
    ty: TypeId,
    identifiers: Vec<(String, String)>,
    data: Option<Document>,
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}(", self.client.service_name(), self.type_name())?;
        for (i, (k, v)) in self.identifiers.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}={v:?}", boto_core::model::xform_name(k))?;
        }
        f.write_str(")")
    }
}

impl PartialEq for Resource {
    fn eq(&self, other: &Self) -> bool {
        self.type_name() == other.type_name() && self.identifiers == other.identifiers
    }
}

impl Resource {
    /// The resource type (`Bucket`).
    pub fn type_name(&self) -> &str {
        &self.def().name
    }

    /// The client it uses.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// An identifier by name (`Name`, `Key`, `Url`; folded spelling accepted).
    pub fn identifier(&self, name: &str) -> Option<&str> {
        let want = fold(name);
        self.identifiers
            .iter()
            .find(|(k, _)| fold(k) == want)
            .map(|(_, v)| v.as_str())
    }

    /// All identifiers in model order.
    pub fn identifiers(&self) -> &[(String, String)] {
        &self.identifiers
    }

    /// The data loaded so far (from `load` or from the listing that produced this resource).
    pub fn data(&self) -> Option<&Document> {
        self.data.as_ref()
    }

    /// Whether the model gives this resource the action `name`.
    pub(crate) fn has_action(&self, name: &str) -> bool {
        self.def().actions.find(name).is_some()
    }

    fn def(&self) -> &ResourceType {
        self.model.ty(self.ty)
    }

    /// Loads (or reloads) the data with the model's `load` request.
    pub async fn load(&mut self) -> Result<(), Error> {
        let custom = match customize::load(self) {
            Some(load) => Some(load.await?),
            None => None,
        };
        if let Some(data) = custom {
            self.data = Some(data);
            return Ok(());
        }
        let Some(load) = &self.def().load else {
            return Err(Error::Resource(format!(
                "{} cannot be loaded (its model has no load request)",
                self.type_name()
            )));
        };
        let input =
            params::build_request_params(&load.request.params, Some(self), Document::map())?;
        let op = load.request.operation.as_deref().unwrap_or_default();
        let resp = params::call(&self.client, op, input).await?;
        let data = match &load.path {
            Some(path) => boto_core::path::search(path, &resp),
            None => resp,
        };
        if data.is_null() {
            return Err(Error::Resource(format!(
                "loading {} found no data at {:?} in the {op} response",
                self.type_name(),
                load.path.as_deref().unwrap_or_default()
            )));
        }
        self.data = Some(data);
        Ok(())
    }

    /// An attribute of the resource's shape, loading the data first when it is not there
    /// (`obj.get_attr("ContentLength")`). Identifiers answer too.
    pub async fn get_attr(&mut self, name: &str) -> Result<Document, Error> {
        if let Some(v) = self.identifier(name) {
            return Ok(Document::from(v));
        }
        if self.data.is_none() {
            self.load().await?;
        }
        Ok(self.attr_loaded(name))
    }

    /// An attribute from data already present (no request); `Null` when absent.
    pub fn attr_loaded(&self, name: &str) -> Document {
        let want = fold(name);
        self.data
            .as_ref()
            .and_then(|d| d.as_map())
            .and_then(|m| m.iter().find(|(k, _)| fold(k) == want))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Runs an action (`put_object`, `delete`, `send_message`, `receive_messages`).
    pub async fn action(&self, name: &str, params: Document) -> Result<ActionResult, Error> {
        self.action_with_body(name, params, None).await
    }

    /// Runs an action with a streaming request payload (`put_object` from a file).
    pub async fn action_with_body(
        &self,
        name: &str,
        params: Document,
        body: Option<ByteStream>,
    ) -> Result<ActionResult, Error> {
        if let Some(injected) = customize::resource_action(self, name) {
            if body.is_none() {
                return injected(self, params).await;
            }
        }
        let (_, def) = self.def().actions.find(name).ok_or_else(|| {
            Error::Resource(format!("{} has no action {name:?}", self.type_name()))
        })?;
        params::run_action(&self.client, &self.model, Some(self), def, params, body).await
    }

    /// Waits with one of the resource's waiters (`wait_until_exists` is `wait_until("Exists")`),
    /// its parameters taken from the identifiers.
    pub async fn wait_until(&self, name: &str) -> Result<(), Error> {
        let (_, def) = self.def().waiters.find(name).ok_or_else(|| {
            Error::Resource(format!("{} has no waiter {name:?}", self.type_name()))
        })?;
        let input = params::build_request_params(&def.params, Some(self), Document::map())?;
        self.client.wait(&def.waiter_name, input).await.map(|_| ())
    }

    /// `wait_until_exists()`.
    pub async fn wait_until_exists(&self) -> Result<(), Error> {
        self.wait_until("Exists").await
    }

    /// `wait_until_not_exists()`.
    pub async fn wait_until_not_exists(&self) -> Result<(), Error> {
        self.wait_until("NotExists").await
    }

    /// A collection of this resource (`bucket.objects`, `queue.dead_letter_source_queues`).
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        let (_, def) = self.def().has_many.find(name).ok_or_else(|| {
            Error::Resource(format!("{} has no collection {name:?}", self.type_name()))
        })?;
        Ok(Collection::new(
            self.client.clone(),
            self.model.clone(),
            Some(self.clone()),
            def.clone(),
        ))
    }

    /// A related resource from the model's `has` (`object_summary.object()`), made from
    /// identifiers and data already present.
    pub fn related(&self, name: &str) -> Result<Resource, Error> {
        self.related_with(name, &[])
    }

    /// A related resource that takes identifiers of its own (`bucket.Object(key)` is
    /// `bucket.related_with("Object", &[key])`), given in model order.
    pub fn related_with(&self, name: &str, inputs: &[&str]) -> Result<Resource, Error> {
        let (_, def) = self.def().has.find(name).ok_or_else(|| {
            Error::Resource(format!(
                "{} has no related resource {name:?}",
                self.type_name()
            ))
        })?;
        let wanted = def
            .identifiers
            .iter()
            .filter(|i| matches!(i.from, IdentSource::Input))
            .count();
        if inputs.len() != wanted {
            return Err(Error::Resource(format!(
                "{name} of {} takes {wanted} identifier(s), got {}",
                self.type_name(),
                inputs.len()
            )));
        }
        if self.data.is_none() {
            if let Some(path) = def.identifiers.iter().find_map(|i| match &i.from {
                IdentSource::Param(Source::Data(path)) => Some(path),
                _ => None,
            }) {
                return Err(Error::Resource(format!(
                    "{name} of {} is found from its data ({path}): load() it first",
                    self.type_name()
                )));
            }
        }
        // Identifiers taken from the caller ("input") become fixed values.
        let mut resource_def = def.clone();
        let mut inputs = inputs.iter();
        for ident in &mut resource_def.identifiers {
            if matches!(ident.from, IdentSource::Input) {
                if let Some(value) = inputs.next() {
                    ident.from = IdentSource::Param(Source::Literal(Document::from(*value)));
                }
            }
        }
        let mut built = params::build_resources(
            &self.client,
            &self.model,
            Some(self),
            &resource_def,
            &Document::map(),
            &Document::Null,
        )?;
        if built.len() == 1 {
            Ok(built.remove(0))
        } else {
            Err(Error::Resource(format!(
                "{name} of {} did not resolve to one resource",
                self.type_name()
            )))
        }
    }
}
