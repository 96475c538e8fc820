//! The JSON layout of `service-2.json`, read once by serde and then compiled into the arena types of
//! the parent module. Unknown keys are ignored, so newer model files still load.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct RawService {
    pub metadata: RawMetadata,
    #[serde(default)]
    pub operations: IndexMap<String, RawOperation>,
    #[serde(default)]
    pub shapes: IndexMap<String, RawShape>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawMetadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub protocol: Option<String>,
    #[serde(default)]
    pub protocols: Vec<String>,
    pub json_version: Option<String>,
    pub target_prefix: Option<String>,
    pub service_id: Option<String>,
    pub service_full_name: Option<String>,
    pub signature_version: Option<String>,
    pub signing_name: Option<String>,
    pub global_endpoint: Option<String>,
    pub xml_namespace: Option<String>,
    pub uid: Option<String>,
    #[serde(default)]
    pub aws_query_compatible: Option<serde_json::Value>,
    #[serde(default)]
    pub auth: Vec<String>,
    pub checksum_format: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawOperation {
    #[serde(default)]
    pub http: RawHttp,
    pub input: Option<RawRef>,
    pub output: Option<RawRef>,
    #[serde(default)]
    pub errors: Vec<RawRef>,
    pub endpoint: Option<RawEndpointTrait>,
    pub authtype: Option<String>,
    #[serde(default)]
    pub auth: Vec<String>,
    #[serde(default)]
    pub deprecated: bool,
    pub http_checksum: Option<RawHttpChecksum>,
    #[serde(default)]
    pub http_checksum_required: bool,
    #[serde(default)]
    pub unsigned_payload: bool,
    pub requestcompression: Option<RawRequestCompression>,
    pub endpointdiscovery: Option<RawEndpointDiscovery>,
    #[serde(default)]
    pub endpointoperation: bool,
    #[serde(default)]
    pub static_context_params: IndexMap<String, RawStaticContext>,
    #[serde(default)]
    pub context_params: IndexMap<String, serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawHttp {
    pub method: Option<String>,
    pub request_uri: Option<String>,
    pub response_code: Option<u16>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawEndpointTrait {
    pub host_prefix: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawHttpChecksum {
    pub request_algorithm_member: Option<String>,
    #[serde(default)]
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<String>,
    #[serde(default)]
    pub response_algorithms: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct RawStaticContext {
    pub value: serde_json::Value,
}

/// A reference to a shape with the member-level traits botocore allows on it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawRef {
    pub shape: String,
    /// Only on an operation's input reference (legacy models): the payload member.
    pub payload: Option<String>,
    pub result_wrapper: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub xml_namespace: Option<RawXmlNamespace>,
    #[serde(default)]
    pub xml_attribute: bool,
    pub flattened: Option<bool>,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default, alias = "jsonvalue")]
    pub json_value: bool,
    #[serde(default)]
    pub host_label: bool,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default)]
    pub eventheader: bool,
    pub context_param: Option<RawContextParam>,
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Deserialize)]
pub(super) struct RawContextParam {
    pub name: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawXmlNamespace {
    Uri(String),
    Full {
        prefix: Option<String>,
        uri: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawShape {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub members: IndexMap<String, RawRef>,
    pub member: Option<RawRef>,
    pub key: Option<RawRef>,
    pub value: Option<RawRef>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub payload: Option<String>,
    #[serde(default)]
    pub flattened: bool,
    pub location_name: Option<String>,
    pub xml_namespace: Option<RawXmlNamespace>,
    pub timestamp_format: Option<String>,
    #[serde(default)]
    pub streaming: bool,
    #[serde(default)]
    pub eventstream: bool,
    // Serialization traits botocore also reads from the shape itself (a member's own traits
    // override them).
    pub location: Option<String>,
    pub query_name: Option<String>,
    #[serde(default)]
    pub xml_attribute: bool,
    #[serde(default, alias = "jsonvalue")]
    pub json_value: bool,
    #[serde(default)]
    pub host_label: bool,
    #[serde(default)]
    pub idempotency_token: bool,
    #[serde(default)]
    pub eventpayload: bool,
    #[serde(default)]
    pub exception: bool,
    pub error: Option<RawErrorTrait>,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub document: bool,
    #[serde(default)]
    pub union: bool,
    #[serde(default)]
    pub requires_length: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    #[serde(default)]
    pub sender_fault: bool,
}

/// The `endpointdiscovery` trait.
#[derive(Deserialize, Default)]
pub(super) struct RawEndpointDiscovery {
    #[serde(default)]
    pub required: bool,
}

/// The `requestcompression` trait: the encodings the service accepts for the request body.
#[derive(Deserialize, Default)]
pub(super) struct RawRequestCompression {
    #[serde(default)]
    pub encodings: Vec<String>,
}
