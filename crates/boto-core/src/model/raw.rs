//! The JSON layout of `service-2.json`, read from the parsed document by hand and then compiled
//! into the arena types of the parent module. Unknown keys are ignored, so newer model files
//! still load; a key of the wrong type is an error that names where it is
//! (`shapes.Bucket.members.Name.flattened: expected a boolean, found a string`).
//!
//! Reading by hand rather than through serde's derive keeps the proc macro (and its `syn`) out
//! of every build, and the code that reads the traits is a fraction of what the derive made.

use indexmap::IndexMap;
use serde_json::{Map, Value};

pub(super) struct RawService {
    pub metadata: RawMetadata,
    pub operations: IndexMap<String, RawOperation>,
    pub shapes: IndexMap<String, RawShape>,
}

#[derive(Default)]
pub(super) struct RawMetadata {
    pub api_version: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub protocol: Option<String>,
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
    pub aws_query_compatible: Option<Value>,
    pub auth: Vec<String>,
    pub checksum_format: Option<String>,
}

pub(super) struct RawOperation {
    pub http: RawHttp,
    pub input: Option<RawRef>,
    pub output: Option<RawRef>,
    pub errors: Vec<RawRef>,
    pub endpoint: Option<RawEndpointTrait>,
    pub authtype: Option<String>,
    pub auth: Vec<String>,
    pub deprecated: bool,
    pub http_checksum: Option<RawHttpChecksum>,
    pub http_checksum_required: bool,
    pub unsigned_payload: bool,
    pub requestcompression: Option<RawRequestCompression>,
    pub endpointdiscovery: Option<RawEndpointDiscovery>,
    pub endpointoperation: bool,
    pub static_context_params: IndexMap<String, RawStaticContext>,
    pub context_params: IndexMap<String, Value>,
}

#[derive(Default)]
pub(super) struct RawHttp {
    pub method: Option<String>,
    pub request_uri: Option<String>,
    pub response_code: Option<u16>,
}

pub(super) struct RawEndpointTrait {
    pub host_prefix: Option<String>,
}

pub(super) struct RawHttpChecksum {
    pub request_algorithm_member: Option<String>,
    pub request_checksum_required: bool,
    pub request_validation_mode_member: Option<String>,
    pub response_algorithms: Vec<String>,
}

pub(super) struct RawStaticContext {
    pub value: Value,
}

/// A reference to a shape with the member-level traits botocore allows on it.
pub(super) struct RawRef {
    pub shape: String,
    /// Only on an operation's input reference (legacy models): the payload member.
    pub payload: Option<String>,
    pub result_wrapper: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    pub query_name: Option<String>,
    pub xml_namespace: Option<RawXmlNamespace>,
    pub xml_attribute: bool,
    pub flattened: Option<bool>,
    pub idempotency_token: bool,
    pub json_value: bool,
    pub host_label: bool,
    pub timestamp_format: Option<String>,
    pub streaming: bool,
    pub eventpayload: bool,
    pub eventheader: bool,
    pub context_param: Option<RawContextParam>,
    pub deprecated: bool,
}

pub(super) struct RawContextParam {
    pub name: String,
}

/// `xmlNamespace`: a bare URI, or an object with `prefix` and `uri`.
pub(super) enum RawXmlNamespace {
    Uri(String),
    Full {
        prefix: Option<String>,
        uri: Option<String>,
    },
}

pub(super) struct RawShape {
    pub kind: String,
    pub members: IndexMap<String, RawRef>,
    pub member: Option<RawRef>,
    pub key: Option<RawRef>,
    pub value: Option<RawRef>,
    pub required: Vec<String>,
    pub enum_values: Option<Vec<String>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub payload: Option<String>,
    pub flattened: bool,
    pub location_name: Option<String>,
    pub xml_namespace: Option<RawXmlNamespace>,
    pub timestamp_format: Option<String>,
    pub streaming: bool,
    pub eventstream: bool,
    // Serialization traits botocore also reads from the shape itself (a member's own traits
    // override them).
    pub location: Option<String>,
    pub query_name: Option<String>,
    pub xml_attribute: bool,
    pub json_value: bool,
    pub host_label: bool,
    pub idempotency_token: bool,
    pub eventpayload: bool,
    pub exception: bool,
    pub error: Option<RawErrorTrait>,
    pub sensitive: bool,
    pub document: bool,
    pub union: bool,
    pub requires_length: bool,
}

pub(super) struct RawErrorTrait {
    pub code: Option<String>,
    pub http_status_code: Option<u16>,
    pub sender_fault: bool,
}

/// The `endpointdiscovery` trait.
#[derive(Default)]
pub(super) struct RawEndpointDiscovery {
    pub required: bool,
}

/// The `requestcompression` trait: the encodings the service accepts for the request body.
#[derive(Default)]
pub(super) struct RawRequestCompression {
    pub encodings: Vec<String>,
}

/// What went wrong where: `path: expected ..., found ...`.
pub(super) type ReadError = String;

type Read<T> = Result<T, ReadError>;

/// The name of a JSON value's type, for errors.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(at: &str, expected: &str, found: &Value) -> ReadError {
    format!("{at}: expected {expected}, found {}", kind(found))
}

/// One JSON object and where it sits in the file; a key that is absent (or `null`) reads as
/// absent, its default for flags and lists.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    at: &'a str,
}

impl<'a> Obj<'a> {
    fn of(v: &'a Value, at: &'a str) -> Read<Obj<'a>> {
        match v {
            Value::Object(map) => Ok(Obj { map, at }),
            other => Err(wrong(at, "an object", other)),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn path(&self, key: &str) -> String {
        if self.at.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.at)
        }
    }

    fn str(&self, key: &str) -> Read<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(wrong(&self.path(key), "a string", other)),
        }
    }

    fn opt_bool(&self, key: &str) -> Read<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong(&self.path(key), "a boolean", other)),
        }
    }

    fn bool(&self, key: &str) -> Read<bool> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    fn f64(&self, key: &str) -> Read<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(other) => Err(wrong(&self.path(key), "a number", other)),
        }
    }

    fn u16(&self, key: &str) -> Read<Option<u16>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| wrong(&self.path(key), "an integer from 0 to 65535", v)),
        }
    }

    fn strings(&self, key: &str) -> Read<Vec<String>> {
        Ok(self.opt_strings(key)?.unwrap_or_default())
    }

    fn opt_strings(&self, key: &str) -> Read<Option<Vec<String>>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(wrong(&self.path(key), "an array of strings", v));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong(
                    &format!("{}[{i}]", self.path(key)),
                    "a string",
                    other,
                )),
            })
            .collect::<Read<Vec<_>>>()
            .map(Some)
    }

    /// A nested object read by `read`, which is given the object and its path.
    fn nested<T>(&self, key: &str, read: impl Fn(&Obj<'_>) -> Read<T>) -> Read<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                let at = self.path(key);
                read(&Obj::of(v, &at)?).map(Some)
            }
        }
    }

    /// An object of named entries, each read by `read` in file order.
    fn entries<T>(
        &self,
        key: &str,
        read: impl Fn(&Value, &str) -> Read<T>,
    ) -> Read<IndexMap<String, T>> {
        let Some(v) = self.get(key) else {
            return Ok(IndexMap::new());
        };
        let at = self.path(key);
        let entries = Obj::of(v, &at)?;
        let mut out = IndexMap::with_capacity(entries.map.len());
        for (name, value) in entries.map {
            out.insert(name.clone(), read(value, &entries.path(name))?);
        }
        Ok(out)
    }

    fn shape_ref(&self, key: &str) -> Read<Option<RawRef>> {
        self.nested(key, RawRef::read)
    }

    fn namespace(&self, key: &str) -> Read<Option<RawXmlNamespace>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(uri)) => Ok(Some(RawXmlNamespace::Uri(uri.clone()))),
            Some(v @ Value::Object(_)) => {
                let at = self.path(key);
                let o = Obj::of(v, &at)?;
                Ok(Some(RawXmlNamespace::Full {
                    prefix: o.str("prefix")?,
                    uri: o.str("uri")?,
                }))
            }
            Some(other) => Err(wrong(&self.path(key), "a string or an object", other)),
        }
    }

    /// `jsonvalue` as the models spell it, or `jsonValue`.
    fn json_value(&self) -> Read<bool> {
        Ok(self.bool("jsonvalue")? || self.bool("jsonValue")?)
    }
}

impl RawService {
    pub(super) fn read(v: &Value) -> Read<RawService> {
        let o = Obj::of(v, "")?;
        let metadata = match o.get("metadata") {
            Some(m) => RawMetadata::read(&Obj::of(m, "metadata")?)?,
            None => return Err("metadata: missing".to_string()),
        };
        Ok(RawService {
            metadata,
            operations: o.entries("operations", |v, at| RawOperation::read(&Obj::of(v, at)?))?,
            shapes: o.entries("shapes", |v, at| RawShape::read(&Obj::of(v, at)?))?,
        })
    }
}

impl RawMetadata {
    fn read(o: &Obj<'_>) -> Read<RawMetadata> {
        Ok(RawMetadata {
            api_version: o.str("apiVersion")?,
            endpoint_prefix: o.str("endpointPrefix")?,
            protocol: o.str("protocol")?,
            protocols: o.strings("protocols")?,
            json_version: o.str("jsonVersion")?,
            target_prefix: o.str("targetPrefix")?,
            service_id: o.str("serviceId")?,
            service_full_name: o.str("serviceFullName")?,
            signature_version: o.str("signatureVersion")?,
            signing_name: o.str("signingName")?,
            global_endpoint: o.str("globalEndpoint")?,
            xml_namespace: o.str("xmlNamespace")?,
            uid: o.str("uid")?,
            aws_query_compatible: o.get("awsQueryCompatible").cloned(),
            auth: o.strings("auth")?,
            checksum_format: o.str("checksumFormat")?,
        })
    }
}

impl RawOperation {
    fn read(o: &Obj<'_>) -> Read<RawOperation> {
        let errors = match o.get("errors") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let at = o.path("errors");
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| RawRef::read(&Obj::of(e, &format!("{at}[{i}]"))?))
                    .collect::<Read<_>>()?
            }
            Some(other) => return Err(wrong(&o.path("errors"), "an array", other)),
        };
        Ok(RawOperation {
            http: o
                .nested("http", |h| {
                    Ok(RawHttp {
                        method: h.str("method")?,
                        request_uri: h.str("requestUri")?,
                        response_code: h.u16("responseCode")?,
                    })
                })?
                .unwrap_or_default(),
            input: o.shape_ref("input")?,
            output: o.shape_ref("output")?,
            errors,
            endpoint: o.nested("endpoint", |e| {
                Ok(RawEndpointTrait {
                    host_prefix: e.str("hostPrefix")?,
                })
            })?,
            authtype: o.str("authtype")?,
            auth: o.strings("auth")?,
            deprecated: o.bool("deprecated")?,
            http_checksum: o.nested("httpChecksum", |c| {
                Ok(RawHttpChecksum {
                    request_algorithm_member: c.str("requestAlgorithmMember")?,
                    request_checksum_required: c.bool("requestChecksumRequired")?,
                    request_validation_mode_member: c.str("requestValidationModeMember")?,
                    response_algorithms: c.strings("responseAlgorithms")?,
                })
            })?,
            http_checksum_required: o.bool("httpChecksumRequired")?,
            unsigned_payload: o.bool("unsignedPayload")?,
            requestcompression: o.nested("requestcompression", |c| {
                Ok(RawRequestCompression {
                    encodings: c.strings("encodings")?,
                })
            })?,
            endpointdiscovery: o.nested("endpointdiscovery", |d| {
                Ok(RawEndpointDiscovery {
                    required: d.bool("required")?,
                })
            })?,
            endpointoperation: o.bool("endpointoperation")?,
            static_context_params: o.entries("staticContextParams", |v, at| {
                let c = Obj::of(v, at)?;
                // Required, but `null` is a value a static parameter may have.
                let value = c.map.get("value").cloned();
                Ok(RawStaticContext {
                    value: value.ok_or_else(|| format!("{at}: missing \"value\""))?,
                })
            })?,
            context_params: o.entries("contextParams", |v, _| Ok(v.clone()))?,
        })
    }
}

impl RawRef {
    fn read(o: &Obj<'_>) -> Read<RawRef> {
        Ok(RawRef {
            shape: o
                .str("shape")?
                .ok_or_else(|| format!("{}: the shape reference has no \"shape\"", o.at))?,
            payload: o.str("payload")?,
            result_wrapper: o.str("resultWrapper")?,
            location: o.str("location")?,
            location_name: o.str("locationName")?,
            query_name: o.str("queryName")?,
            xml_namespace: o.namespace("xmlNamespace")?,
            xml_attribute: o.bool("xmlAttribute")?,
            flattened: o.opt_bool("flattened")?,
            idempotency_token: o.bool("idempotencyToken")?,
            json_value: o.json_value()?,
            host_label: o.bool("hostLabel")?,
            timestamp_format: o.str("timestampFormat")?,
            streaming: o.bool("streaming")?,
            eventpayload: o.bool("eventpayload")?,
            eventheader: o.bool("eventheader")?,
            context_param: o.nested("contextParam", |c| {
                Ok(RawContextParam {
                    name: c
                        .str("name")?
                        .ok_or_else(|| format!("{}: missing \"name\"", c.at))?,
                })
            })?,
            deprecated: o.bool("deprecated")?,
        })
    }
}

impl RawShape {
    fn read(o: &Obj<'_>) -> Read<RawShape> {
        Ok(RawShape {
            kind: o
                .str("type")?
                .ok_or_else(|| format!("{}: the shape has no \"type\"", o.at))?,
            members: o.entries("members", |v, at| RawRef::read(&Obj::of(v, at)?))?,
            member: o.shape_ref("member")?,
            key: o.shape_ref("key")?,
            value: o.shape_ref("value")?,
            required: o.strings("required")?,
            enum_values: o.opt_strings("enum")?,
            min: o.f64("min")?,
            max: o.f64("max")?,
            payload: o.str("payload")?,
            flattened: o.bool("flattened")?,
            location_name: o.str("locationName")?,
            xml_namespace: o.namespace("xmlNamespace")?,
            timestamp_format: o.str("timestampFormat")?,
            streaming: o.bool("streaming")?,
            eventstream: o.bool("eventstream")?,
            location: o.str("location")?,
            query_name: o.str("queryName")?,
            xml_attribute: o.bool("xmlAttribute")?,
            json_value: o.json_value()?,
            host_label: o.bool("hostLabel")?,
            idempotency_token: o.bool("idempotencyToken")?,
            eventpayload: o.bool("eventpayload")?,
            exception: o.bool("exception")?,
            error: o.nested("error", |e| {
                Ok(RawErrorTrait {
                    code: e.str("code")?,
                    http_status_code: e.u16("httpStatusCode")?,
                    sender_fault: e.bool("senderFault")?,
                })
            })?,
            sensitive: o.bool("sensitive")?,
            document: o.bool("document")?,
            union: o.bool("union")?,
            requires_length: o.bool("requiresLength")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RawService;

    fn read(json: &str) -> Result<RawService, String> {
        RawService::read(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn a_value_of_the_wrong_type_is_named_by_its_path() {
        let err = read(
            r#"{"metadata": {}, "shapes": {"B": {"type": "structure",
                "members": {"N": {"shape": "S", "flattened": "yes"}}}}}"#,
        )
        .err()
        .unwrap();
        assert_eq!(
            err,
            "shapes.B.members.N.flattened: expected a boolean, found a string"
        );
        let err = read(r#"{"metadata": {"protocols": ["json", 3]}}"#)
            .err()
            .unwrap();
        assert_eq!(
            err,
            "metadata.protocols[1]: expected a string, found a number"
        );
        assert_eq!(read("{}").err().unwrap(), "metadata: missing");
        let err = read(r#"{"metadata": {}, "operations": {"Op": {"errors": [{}]}}}"#)
            .err()
            .unwrap();
        assert!(err.starts_with("operations.Op.errors[0]:"), "{err}");
        let err =
            read(r#"{"metadata": {}, "operations": {"Op": {"staticContextParams": {"P": {}}}}}"#)
                .err()
                .unwrap();
        assert_eq!(
            err,
            "operations.Op.staticContextParams.P: missing \"value\""
        );
    }

    #[test]
    fn both_spellings_of_a_trait_and_both_namespace_forms_are_read() {
        let raw = read(
            r#"{"metadata": {"apiVersion": "1"}, "shapes": {
                "A": {"type": "string", "jsonvalue": true, "xmlNamespace": "urn:a"},
                "B": {"type": "string", "jsonValue": true,
                      "xmlNamespace": {"prefix": "p", "uri": "urn:b"}},
                "C": {"type": "string", "unknownTrait": {"x": 1}, "min": null}}}"#,
        )
        .unwrap();
        assert!(raw.shapes["A"].json_value && raw.shapes["B"].json_value);
        assert!(!raw.shapes["C"].json_value && raw.shapes["C"].min.is_none());
        assert!(matches!(
            &raw.shapes["A"].xml_namespace,
            Some(super::RawXmlNamespace::Uri(u)) if u == "urn:a"
        ));
        assert!(matches!(
            &raw.shapes["B"].xml_namespace,
            Some(super::RawXmlNamespace::Full { prefix: Some(p), uri: Some(u) }) if p == "p" && u == "urn:b"
        ));
        assert_eq!(raw.metadata.api_version.as_deref(), Some("1"));
    }
}
