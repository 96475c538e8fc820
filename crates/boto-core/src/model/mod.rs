//! Service models: the data every call is driven by.
//!
//! [`ServiceModel::load`] decodes a service's embedded `service-2` data once per process (lazily, on
//! first use) and shares it as an `Arc`. Shapes live in one arena and refer to each other by
//! [`ShapeId`]; members carry their effective wire traits so protocols never walk JSON per request.
//! Unknown services and operations are errors that name the closest known names.
//!
//! [`ServiceModel::load_with`] also looks in data folders ([`DataPath`]: `AWS_DATA_PATH`,
//! `~/.aws/models`, or folders given explicitly) as botocore's loader does; a model carries its
//! [`ModelSource`], and [`ServiceModel::data_file`], [`ServiceModel::paginators`],
//! [`ServiceModel::waiters`] and the endpoint rules follow that source, not the service name.
//!
//! The other data files are compiled the same way, once per process on first use, into typed
//! tables ([`DataCache`]): [`paginators`] and [`waiters`]; the resource layer above keeps its
//! own table of `resources-1` in the same kind of cache.

mod compile;
mod compiled;
mod data_path;
mod gzip_member;
mod names;
mod paginators;
mod precompiled;
mod raw;
mod registry;
mod waiters;
pub(crate) mod wire;

pub use compiled::DataCache;
pub(crate) use data_path::Folder;
pub use data_path::{read_json, read_text, DataPath, ModelSource};
pub use names::{closest_names, fold_name, xform_name};
pub use paginators::{compile_paginators, paginators, PaginatorConfig, PaginatorTable};
pub use registry::{
    available_services, canonical_service_name, data_file, partitions_json, ServiceData,
};
pub(crate) use registry::{is_known_service, precompiled_rule_set};
pub use waiters::{
    compile_waiters, waiters, Acceptor, AcceptorState, ErrorExpectation, Expected, Matcher,
    WaiterConfig, WaiterTable,
};

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The wire protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `query`: form-encoded input, XML output.
    Query,
    /// `ec2`: query with EC2's naming and error layout.
    Ec2,
    /// `json`: `X-Amz-Target` JSON RPC.
    Json,
    /// `rest-json`: HTTP bindings plus JSON bodies.
    RestJson,
    /// `rest-xml`: HTTP bindings plus XML bodies (S3).
    RestXml,
    /// `smithy-rpc-v2-cbor`: CBOR RPC.
    RpcV2Cbor,
}

impl Protocol {
    /// Parses the model's protocol name.
    pub fn from_name(name: &str) -> Option<Protocol> {
        Some(match name {
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::RpcV2Cbor,
            _ => return None,
        })
    }

    /// The name the models use.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
            Protocol::Json => "json",
            Protocol::RestJson => "rest-json",
            Protocol::RestXml => "rest-xml",
            Protocol::RpcV2Cbor => "smithy-rpc-v2-cbor",
        }
    }
}

/// Index of a shape in its model's arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeId(pub(crate) u32);

/// What kind of value a shape describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ShapeType {
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Short,
    Byte,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Boolean,
    Blob,
    Timestamp,
    /// A shape type this engine does not know (kept so a newer model still loads).
    Unknown,
}

impl ShapeType {
    fn from_name(name: &str) -> ShapeType {
        match name {
            "structure" => ShapeType::Structure,
            "list" => ShapeType::List,
            "map" => ShapeType::Map,
            "string" => ShapeType::String,
            "integer" => ShapeType::Integer,
            "long" => ShapeType::Long,
            "short" => ShapeType::Short,
            "byte" => ShapeType::Byte,
            "float" => ShapeType::Float,
            "double" => ShapeType::Double,
            "bigInteger" => ShapeType::BigInteger,
            "bigDecimal" => ShapeType::BigDecimal,
            "boolean" => ShapeType::Boolean,
            "blob" => ShapeType::Blob,
            "timestamp" => ShapeType::Timestamp,
            _ => ShapeType::Unknown,
        }
    }

    /// The model's name for this type.
    pub fn name(self) -> &'static str {
        match self {
            ShapeType::Structure => "structure",
            ShapeType::List => "list",
            ShapeType::Map => "map",
            ShapeType::String => "string",
            ShapeType::Integer => "integer",
            ShapeType::Long => "long",
            ShapeType::Short => "short",
            ShapeType::Byte => "byte",
            ShapeType::Float => "float",
            ShapeType::Double => "double",
            ShapeType::BigInteger => "bigInteger",
            ShapeType::BigDecimal => "bigDecimal",
            ShapeType::Boolean => "boolean",
            ShapeType::Blob => "blob",
            ShapeType::Timestamp => "timestamp",
            ShapeType::Unknown => "unknown",
        }
    }
}

/// Where a member travels in an HTTP request or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In the body (the default).
    Body,
    /// One header, named by the member's wire name.
    Header,
    /// Every header starting with the prefix (the member's wire name), as a map.
    Headers,
    /// A `{label}` in the request URI.
    Uri,
    /// A query-string parameter.
    Querystring,
    /// The HTTP status code (responses).
    StatusCode,
}

/// An XML namespace declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct XmlNamespace {
    /// The prefix, for `xmlns:prefix=`; `None` for a default namespace.
    pub prefix: Option<String>,
    /// The namespace URI.
    pub uri: String,
}

/// Timestamp wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2015-01-25T08:00:00Z`
    Iso8601,
    /// `Sun, 25 Jan 2015 08:00:00 GMT`
    Rfc822,
    /// `1422172800`
    UnixTimestamp,
}

impl TimestampFormat {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "iso8601" => Some(TimestampFormat::Iso8601),
            "rfc822" => Some(TimestampFormat::Rfc822),
            "unixTimestamp" => Some(TimestampFormat::UnixTimestamp),
            _ => None,
        }
    }
}

/// A member of a structure (or the member/key/value of a list or map), with its effective traits.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Member {
    /// The member's name in documents (`Bucket`), the key it has in a [`Map`](crate::document::Map).
    pub name: crate::document::Name,
    /// The shape it holds.
    pub target: ShapeId,
    /// Where it travels (the member's `location`, else its target shape's).
    pub location: Location,
    /// The effective `locationName` (wire name): the member's, else its target shape's, as botocore
    /// resolves it; `None` when neither gives one.
    pub location_name: Option<String>,
    /// EC2's `queryName`.
    pub query_name: Option<String>,
    /// A namespace declared on the member.
    pub xml_namespace: Option<XmlNamespace>,
    /// Serialized as an XML attribute.
    pub xml_attribute: bool,
    /// Member-level `flattened` (overrides the target's).
    pub flattened: Option<bool>,
    /// Filled with a fresh UUID when absent.
    pub idempotency_token: bool,
    /// A header carrying base64-encoded JSON.
    pub json_value: bool,
    /// Part of the host prefix.
    pub host_label: bool,
    /// Member-level timestamp format (overrides the target's).
    pub timestamp_format: Option<TimestampFormat>,
    /// A streaming payload member.
    pub streaming: bool,
    /// An event payload member.
    pub event_payload: bool,
    /// An event member carried in a message header (`eventheader`).
    pub event_header: bool,
    /// Name of the endpoint-rule parameter this member feeds.
    pub context_param: Option<String>,
    /// Deprecated by the model.
    pub deprecated: bool,
}

impl Member {
    /// The wire name: `locationName` when given, else the member name.
    pub fn wire_name(&self) -> &str {
        self.location_name.as_deref().unwrap_or(&self.name)
    }
}

/// One shape's [`XmlMember`] table, built on first use.
type XmlMembers = OnceLock<Box<[XmlMember]>>;

/// How a structure member is found in an XML body.
#[derive(Debug, Clone)]
pub(crate) struct XmlMember {
    /// The element name of its value or, for a flattened list, of each item (the list member's
    /// name when it has one, as botocore looks it up first).
    pub key: String,
    /// A flattened list's own member name, where its items may stand instead (Smithy), when it
    /// differs from `key`.
    pub own: Option<String>,
    /// A flattened list or map: its items stand directly in the structure.
    pub flattened: bool,
    /// Read from an attribute of the structure's element, not from a child.
    pub attribute: bool,
}

impl XmlMember {
    fn of(model: &ServiceModel, member: &Member) -> XmlMember {
        let target = model.shape(member.target);
        let flattened = member.flattened.unwrap_or(target.flattened)
            && matches!(target.shape_type, ShapeType::List | ShapeType::Map);
        let item_name = (flattened && target.shape_type == ShapeType::List)
            .then(|| target.member.as_deref()?.location_name.as_deref())
            .flatten();
        let key = item_name.unwrap_or(member.wire_name()).to_string();
        let own = (flattened && key != member.wire_name()).then(|| member.wire_name().to_string());
        XmlMember {
            key,
            own,
            flattened,
            attribute: member.xml_attribute,
        }
    }
}

/// Error traits of an exception shape.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ErrorTrait {
    /// The error code the service sends, when it differs from the shape name (query protocols).
    pub code: Option<String>,
    /// The HTTP status the service answers with.
    pub http_status: Option<u16>,
    /// True for client faults.
    pub sender_fault: bool,
}

/// One shape of a service model.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Shape {
    /// The shape's name in the model.
    pub name: String,
    /// Its type.
    pub shape_type: ShapeType,
    /// Structure members, in model order.
    pub members: Vec<Member>,
    /// Required member names (structures).
    pub required: Vec<String>,
    /// The element of a list.
    pub member: Option<Box<Member>>,
    /// A map's key.
    pub key: Option<Box<Member>>,
    /// A map's value.
    pub value: Option<Box<Member>>,
    /// Allowed values of an enum string (left open when validating: new values may appear).
    pub enum_values: Option<Vec<String>>,
    /// `min` (length, count or value, depending on the type).
    pub min: Option<f64>,
    /// `max`.
    pub max: Option<f64>,
    /// The structure member that is the HTTP payload.
    pub payload: Option<String>,
    /// Flattened XML list or map.
    pub flattened: bool,
    /// Shape-level XML name.
    pub location_name: Option<String>,
    /// Shape-level XML namespace.
    pub xml_namespace: Option<XmlNamespace>,
    /// Shape-level timestamp format.
    pub timestamp_format: Option<TimestampFormat>,
    /// A streaming blob.
    pub streaming: bool,
    /// An event stream union.
    pub event_stream: bool,
    /// An exception structure.
    pub exception: bool,
    /// The exception's error traits.
    pub error: Option<ErrorTrait>,
    /// Holds secrets: never log.
    pub sensitive: bool,
    /// A `document` (free-form JSON) shape.
    pub document: bool,
    /// A union structure: exactly one member set.
    pub union: bool,
    requires_length: bool,
}

impl Shape {
    /// The member called `name`.
    pub fn member_named(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// True when the model says a streaming body must have a known length.
    pub fn requires_length(&self) -> bool {
        self.requires_length
    }
}

/// HTTP binding of an operation.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct HttpBinding {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// The path template, such as `/{Bucket}/{Key+}`.
    pub path: String,
    /// Literal query parameters from the template (`?list-type=2`, `?uploads`).
    pub query: Vec<(String, Option<String>)>,
    /// The success status code, when the model gives one.
    pub response_code: Option<u16>,
}

/// The `httpChecksum` trait.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct HttpChecksum {
    /// Member naming the requested checksum algorithm.
    pub request_algorithm_member: Option<String>,
    /// A checksum is required on the request.
    pub request_checksum_required: bool,
    /// Member enabling response validation.
    pub request_validation_mode_member: Option<String>,
    /// Algorithms the response may carry.
    pub response_algorithms: Vec<String>,
}

/// One operation of a service.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Operation {
    /// `ListObjectsV2`
    pub name: String,
    /// `list_objects_v2`, as boto3 names the client method.
    pub snake_name: String,
    /// HTTP binding.
    pub http: HttpBinding,
    /// Input structure.
    pub input: Option<ShapeId>,
    /// Output structure.
    pub output: Option<ShapeId>,
    /// The `locationName` on the operation's input reference: the root element of a rest-xml
    /// request body.
    pub input_location_name: Option<String>,
    /// The `xmlNamespace` on the operation's input reference, declared on that root element.
    pub input_xml_namespace: Option<XmlNamespace>,
    /// The element wrapping the output in query-protocol responses (`GetCallerIdentityResult`).
    pub output_result_wrapper: Option<String>,
    /// Modeled errors.
    pub errors: Vec<ShapeId>,
    /// `endpoint.hostPrefix`, such as `{AccountId}.`.
    pub host_prefix: Option<String>,
    /// Legacy `authtype` (`none`, `v4-unsigned-body`, ...).
    pub auth_type: Option<String>,
    /// Smithy auth schemes in preference order.
    pub auth: Vec<String>,
    /// The request must carry a checksum (Content-MD5 or a flexible checksum).
    pub http_checksum_required: bool,
    /// Flexible checksums.
    pub http_checksum: Option<HttpChecksum>,
    /// The payload may be sent unsigned.
    pub unsigned_payload: bool,
    /// The encodings the request body may be compressed with (`requestcompression`: `gzip`).
    pub request_compression: Vec<String>,
    /// The `endpointdiscovery` trait: `Some(required)` when the operation may (`false`) or must
    /// (`true`) go to an endpoint the service's discovery operation names.
    pub endpoint_discovery: Option<bool>,
    /// The `endpointoperation` trait: this operation names the endpoints (`DescribeEndpoints`).
    pub endpoint_operation: bool,
    /// Deprecated by the model.
    pub deprecated: bool,
    /// Endpoint-rule parameters fixed for this operation.
    pub static_context_params: Vec<(String, serde_json::Value)>,
    /// Endpoint-rule parameters taken from input paths (operationContextParams).
    pub context_params: Vec<(String, serde_json::Value)>,
}

/// Service-wide metadata.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Metadata {
    /// `2006-03-01`
    pub api_version: String,
    /// Host prefix for endpoints (`s3`, `sqs`).
    pub endpoint_prefix: String,
    /// The protocol in use: of the `protocols` the model lists, the one botocore prefers (json,
    /// rest-json, rest-xml, smithy-rpc-v2-cbor, query, ec2, in that order), else `protocol`.
    pub protocol: Protocol,
    /// Every protocol the service declares.
    pub protocols: Vec<String>,
    /// JSON protocol version (`1.0`, `1.1`).
    pub json_version: Option<String>,
    /// `X-Amz-Target` prefix.
    pub target_prefix: Option<String>,
    /// `S3`, `SQS`: the name used for `AWS_ENDPOINT_URL_<SERVICE>` and error messages.
    pub service_id: String,
    /// The long name.
    pub service_full_name: Option<String>,
    /// `v4`, `s3`, `s3v4`.
    pub signature_version: Option<String>,
    /// Signing name when it differs from the endpoint prefix.
    pub signing_name: Option<String>,
    /// A global endpoint host, when the service has one.
    pub global_endpoint: Option<String>,
    /// XML namespace for query/rest-xml bodies.
    pub xml_namespace: Option<String>,
    /// `s3-2006-03-01`
    pub uid: Option<String>,
    /// The service speaks JSON but reports query-protocol error codes (`awsQueryCompatible`).
    pub aws_query_compatible: bool,
    /// Smithy auth schemes.
    pub auth: Vec<String>,
}

impl Metadata {
    /// The name to sign with.
    pub fn signing_name(&self) -> &str {
        self.signing_name
            .as_deref()
            .unwrap_or(&self.endpoint_prefix)
    }
}

/// A decoded service model.
pub struct ServiceModel {
    service_name: String,
    metadata: Metadata,
    shapes: precompiled::Shapes,
    /// Built on first lookup by name (a precompiled model never needs it to serve a call).
    shape_index: OnceLock<HashMap<String, ShapeId>>,
    /// Per shape, the XML names of its members, built when an XML body is first read as it.
    xml_members: OnceLock<Box<[XmlMembers]>>,
    operations: Vec<Operation>,
    operation_index: HashMap<String, usize>,
    error_codes: HashMap<String, ShapeId>,
    /// Embedded or a folder's file (set by the folder loader in `data_path.rs`).
    source: ModelSource,
}

impl fmt::Debug for ServiceModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceModel")
            .field("service", &self.service_name)
            .field("api_version", &self.metadata.api_version)
            .field("protocol", &self.metadata.protocol)
            .field("operations", &self.operations.len())
            .field("shapes", &self.shapes.len())
            .finish()
    }
}

/// Why a model or an operation could not be found or read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelError {
    /// No service has this name: neither an embedded one nor one of the pinned botocore.
    UnknownService {
        /// What was asked for.
        name: String,
        /// The closest known names.
        did_you_mean: Vec<String>,
    },
    /// The pinned botocore has this service, but this build does not embed its model.
    NotCompiledIn {
        /// The service (`lambda`).
        service: String,
        /// The cargo feature of `boto` / `boto-core` that embeds it (named as the service).
        feature: String,
    },
    /// The service has no such operation.
    UnknownOperation {
        /// The service.
        service: String,
        /// What was asked for.
        name: String,
        /// The closest operation names.
        did_you_mean: Vec<String>,
    },
    /// The data is present but malformed.
    Invalid {
        /// The service.
        service: String,
        /// What is wrong.
        reason: String,
    },
    /// A data file from a data folder is unreadable or malformed.
    InvalidFile {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong (for JSON: the problem and its line and column).
        reason: String,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn hint(f: &mut fmt::Formatter<'_>, names: &[String]) -> fmt::Result {
            if !names.is_empty() {
                write!(f, "; did you mean {}?", names.join(", "))?;
            }
            Ok(())
        }
        match self {
            ModelError::UnknownService { name, did_you_mean } => {
                write!(f, "{name}: no such service")?;
                if did_you_mean.is_empty() {
                    write!(
                        f,
                        " (embedded services: {})",
                        available_services().join(", ")
                    )
                } else {
                    write!(f, ", did you mean {}?", did_you_mean.join(", "))
                }
            }
            ModelError::NotCompiledIn { service, feature } => write!(
                f,
                "{service} is not compiled in: enable the cargo feature `{feature}`, \
                 or put its model in AWS_DATA_PATH"
            ),
            ModelError::UnknownOperation {
                service,
                name,
                did_you_mean,
            } => {
                write!(f, "service {service:?} has no operation {name:?}")?;
                hint(f, did_you_mean)
            }
            ModelError::Invalid { service, reason } => {
                write!(f, "the model data of {service:?} is invalid: {reason}")
            }
            ModelError::InvalidFile { path, reason } => {
                write!(f, "the data file {} is invalid: {reason}", path.display())
            }
        }
    }
}

impl std::error::Error for ModelError {}

impl ServiceModel {
    /// The shared, lazily decoded model of an embedded service (`"s3"`, `"sqs"`, ...).
    ///
    /// ```
    /// let s3 = boto_core::model::ServiceModel::load("s3").unwrap();
    /// assert_eq!(s3.operation("list_objects_v2").unwrap().name, "ListObjectsV2");
    /// assert!(boto_core::model::ServiceModel::load("s4").unwrap_err().to_string().contains("s3"));
    /// ```
    pub fn load(service: &str) -> Result<Arc<ServiceModel>, ModelError> {
        registry::load_model(service)
    }

    /// Decodes a model from `service-2.json` text (used for data outside the embedded set, and by the
    /// protocol conformance tests).
    pub fn from_json(service_name: &str, json: &str) -> Result<ServiceModel, ModelError> {
        compile::compile(service_name, json)
    }

    /// The precompiled form of this model, as `cargo xtask precompile` writes it (before
    /// compression) and the embedded models are read from: the same model comes back from
    /// [`ServiceModel::from_precompiled`] without any JSON being parsed.
    ///
    /// ```
    /// use boto_core::model::ServiceModel;
    /// let sqs = ServiceModel::load("sqs").unwrap();
    /// let again = ServiceModel::from_precompiled("sqs", sqs.to_precompiled()).unwrap();
    /// assert_eq!(again.operation("SendMessage").unwrap().http.method, "POST");
    /// ```
    pub fn to_precompiled(&self) -> Vec<u8> {
        precompiled::encode(self)
    }

    /// A model from its precompiled bytes (see [`ServiceModel::to_precompiled`]). Metadata and
    /// operations are decoded now; each shape on first use. Bytes of another format version, or
    /// malformed ones, are [`ModelError::Invalid`].
    pub fn from_precompiled(
        service_name: &str,
        bytes: Vec<u8>,
    ) -> Result<ServiceModel, ModelError> {
        precompiled::decode(service_name, bytes)
    }

    /// The name it was loaded under (`s3`).
    pub fn service_name(&self) -> &str {
        &self.service_name
    }

    /// Service metadata.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// A shape by id. Ids only come from this model, so the lookup cannot miss.
    pub fn shape(&self, id: ShapeId) -> &Shape {
        self.shapes.get(id)
    }

    /// How each member of the structure `id` is found in an XML body, in member order (built
    /// once per shape: an XML listing reads the same shape for every item).
    pub(crate) fn xml_members(&self, id: ShapeId) -> &[XmlMember] {
        let table = self
            .xml_members
            .get_or_init(|| (0..self.shapes.len()).map(|_| OnceLock::new()).collect());
        let Some(slot) = table.get(id.0 as usize) else {
            return &[];
        };
        slot.get_or_init(|| {
            self.shape(id)
                .members
                .iter()
                .map(|m| XmlMember::of(self, m))
                .collect()
        })
    }

    /// The id of every shape, in model order.
    pub fn shape_ids(&self) -> impl Iterator<Item = ShapeId> {
        (0..self.shapes.len() as u32).map(ShapeId)
    }

    fn shape_index(&self) -> &HashMap<String, ShapeId> {
        self.shape_index.get_or_init(|| {
            (0..self.shapes.len() as u32)
                .map(ShapeId)
                .filter_map(|id| Some((self.shapes.name(id)?.to_string(), id)))
                .collect()
        })
    }

    /// A shape by name.
    pub fn shape_named(&self, name: &str) -> Option<&Shape> {
        self.shape_index().get(name).map(|id| self.shape(*id))
    }

    /// The exception shape a service error code maps to: the shape whose `error.code` is `code`,
    /// or else the exception shape named `code` (botocore's `shape_for_error_code`).
    pub fn error_shape(&self, code: &str) -> Option<ShapeId> {
        self.error_codes.get(code).copied().or_else(|| {
            self.shape_index()
                .get(code)
                .copied()
                .filter(|id| self.shape(*id).exception)
        })
    }

    /// Every operation, in model order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// An operation by its model name (`ListObjectsV2`) or boto3's method name (`list_objects_v2`).
    pub fn operation(&self, name: &str) -> Result<&Operation, ModelError> {
        if let Some(i) = self.operation_index.get(name) {
            return Ok(&self.operations[*i]);
        }
        if let Some(i) = self.operation_index.get(&names::fold_name(name)) {
            return Ok(&self.operations[*i]);
        }
        let candidates = self.operations.iter().map(|o| o.name.as_str());
        Err(ModelError::UnknownOperation {
            service: self.service_name.clone(),
            name: name.to_string(),
            did_you_mean: closest_names(name, candidates, 3),
        })
    }
}

#[cfg(test)]
mod tests;
