//! Turns the raw layout into the arena model: names resolved to ids, traits parsed once.

use super::raw::{RawRef, RawService, RawXmlNamespace};
use super::*;
use std::sync::OnceLock;

fn invalid(service: &str, reason: String) -> ModelError {
    ModelError::Invalid {
        service: service.to_string(),
        reason,
    }
}

fn namespace(raw: &Option<RawXmlNamespace>) -> Option<XmlNamespace> {
    match raw {
        None => None,
        Some(RawXmlNamespace::Uri(uri)) => Some(XmlNamespace {
            prefix: None,
            uri: uri.clone(),
        }),
        Some(RawXmlNamespace::Full { prefix, uri }) => Some(XmlNamespace {
            prefix: prefix.clone(),
            uri: uri.clone().unwrap_or_default(),
        }),
    }
}

fn location(name: Option<&str>) -> Location {
    match name {
        Some("header") => Location::Header,
        Some("headers") => Location::Headers,
        Some("uri") => Location::Uri,
        Some("querystring") => Location::Querystring,
        Some("statusCode") => Location::StatusCode,
        _ => Location::Body,
    }
}

pub(super) fn compile(service_name: &str, json: &str) -> Result<ServiceModel, ModelError> {
    let doc: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| invalid(service_name, format!("service-2 JSON: {e}")))?;
    let raw = RawService::read(&doc)
        .map_err(|e| invalid(service_name, format!("service-2 JSON: {e}")))?;
    drop(doc);
    let shape_index: HashMap<String, ShapeId> = raw
        .shapes
        .keys()
        .enumerate()
        .map(|(i, name)| (name.clone(), ShapeId(i as u32)))
        .collect();
    // The context names the reference in errors; it is only formatted when one occurs.
    let resolve = |r: &RawRef, context: &dyn Fn() -> String| -> Result<ShapeId, ModelError> {
        shape_index.get(&r.shape).copied().ok_or_else(|| {
            invalid(
                service_name,
                format!("{} refers to missing shape {:?}", context(), r.shape),
            )
        })
    };
    // Like botocore's shape resolver, a member's effective traits are the target shape's
    // serialization traits overlaid with the member reference's own.
    let member =
        |name: &str, r: &RawRef, context: &dyn Fn() -> String| -> Result<Member, ModelError> {
            let target = resolve(r, context)?;
            let s = raw.shapes.get(&r.shape);
            Ok(Member {
                name: name.into(),
                target,
                location: location(
                    r.location
                        .as_deref()
                        .or_else(|| s.and_then(|s| s.location.as_deref())),
                ),
                location_name: r
                    .location_name
                    .clone()
                    .or_else(|| s.and_then(|s| s.location_name.clone())),
                query_name: r
                    .query_name
                    .clone()
                    .or_else(|| s.and_then(|s| s.query_name.clone())),
                xml_namespace: namespace(&r.xml_namespace),
                xml_attribute: r.xml_attribute || s.is_some_and(|s| s.xml_attribute),
                flattened: r.flattened,
                idempotency_token: r.idempotency_token || s.is_some_and(|s| s.idempotency_token),
                json_value: r.json_value || s.is_some_and(|s| s.json_value),
                host_label: r.host_label || s.is_some_and(|s| s.host_label),
                timestamp_format: r
                    .timestamp_format
                    .as_deref()
                    .and_then(TimestampFormat::from_name),
                streaming: r.streaming,
                event_payload: r.eventpayload || s.is_some_and(|s| s.eventpayload),
                event_header: r.eventheader,
                context_param: r.context_param.as_ref().map(|c| c.name.clone()),
                deprecated: r.deprecated,
            })
        };

    let mut shapes = Vec::with_capacity(raw.shapes.len());
    for (name, s) in &raw.shapes {
        let members = s
            .members
            .iter()
            .map(|(m, r)| member(m, r, &|| format!("{name}.{m}")))
            .collect::<Result<Vec<_>, _>>()?;
        let boxed = |r: &Option<RawRef>, what: &str| -> Result<Option<Box<Member>>, ModelError> {
            r.as_ref()
                .map(|r| member(what, r, &|| format!("{name}.{what}")).map(Box::new))
                .transpose()
        };
        shapes.push(Shape {
            name: name.clone(),
            shape_type: ShapeType::from_name(&s.kind),
            members,
            required: s.required.clone(),
            member: boxed(&s.member, "member")?,
            key: boxed(&s.key, "key")?,
            value: boxed(&s.value, "value")?,
            enum_values: s.enum_values.clone(),
            min: s.min,
            max: s.max,
            payload: s.payload.clone(),
            flattened: s.flattened,
            location_name: s.location_name.clone(),
            xml_namespace: namespace(&s.xml_namespace),
            timestamp_format: s
                .timestamp_format
                .as_deref()
                .and_then(TimestampFormat::from_name),
            streaming: s.streaming,
            event_stream: s.eventstream,
            exception: s.exception,
            error: s.error.as_ref().map(|e| ErrorTrait {
                code: e.code.clone(),
                http_status: e.http_status_code,
                sender_fault: e.sender_fault,
            }),
            sensitive: s.sensitive,
            document: s.document,
            union: s.union,
            requires_length: s.requires_length,
        });
    }

    // An operation's input reference may name the payload member itself (older models); it
    // applies to the input shape, as botocore's trait merging does.
    for op in raw.operations.values() {
        if let Some(r) = &op.input {
            if let (Some(payload), Some(id)) = (&r.payload, shape_index.get(&r.shape)) {
                let shape = &mut shapes[id.0 as usize];
                if shape.payload.is_none() {
                    shape.payload = Some(payload.clone());
                }
            }
        }
    }

    let mut operations = Vec::with_capacity(raw.operations.len());
    let mut operation_index = HashMap::with_capacity(raw.operations.len() * 2);
    for (key, op) in &raw.operations {
        // botocore names an operation by its key (`OperationModel.name`): paginators, waiters and
        // boto3's method names use it. The `name` field is the wire name, which differs only in
        // CloudFront (`AssociateAlias2020_05_31`, rest-xml, so never sent), and botocore does not
        // look operations up by it either.
        let name = key.clone();
        let context = || format!("operation {name}");
        let request_uri = op
            .http
            .request_uri
            .clone()
            .unwrap_or_else(|| "/".to_string());
        let (path, query) = split_request_uri(&request_uri);
        let snake_name = xform_name(&name);
        let index = operations.len();
        operation_index.insert(name.clone(), index);
        operation_index.insert(names::fold_name(&name), index);
        operations.push(Operation {
            snake_name,
            http: HttpBinding {
                method: op.http.method.clone().unwrap_or_else(|| "POST".to_string()),
                path,
                query,
                response_code: op.http.response_code,
            },
            input: op
                .input
                .as_ref()
                .map(|r| resolve(r, &context))
                .transpose()?,
            output: op
                .output
                .as_ref()
                .map(|r| resolve(r, &context))
                .transpose()?,
            input_location_name: op.input.as_ref().and_then(|r| r.location_name.clone()),
            input_xml_namespace: op.input.as_ref().and_then(|r| namespace(&r.xml_namespace)),
            output_result_wrapper: op.output.as_ref().and_then(|r| r.result_wrapper.clone()),
            errors: op
                .errors
                .iter()
                .map(|r| resolve(r, &context))
                .collect::<Result<_, _>>()?,
            host_prefix: op.endpoint.as_ref().and_then(|e| e.host_prefix.clone()),
            auth_type: op.authtype.clone(),
            auth: op.auth.clone(),
            http_checksum_required: op.http_checksum_required,
            http_checksum: op.http_checksum.as_ref().map(|c| HttpChecksum {
                request_algorithm_member: c.request_algorithm_member.clone(),
                request_checksum_required: c.request_checksum_required,
                request_validation_mode_member: c.request_validation_mode_member.clone(),
                response_algorithms: c.response_algorithms.clone(),
            }),
            unsigned_payload: op.unsigned_payload,
            request_compression: op
                .requestcompression
                .as_ref()
                .map(|c| c.encodings.clone())
                .unwrap_or_default(),
            endpoint_discovery: op.endpointdiscovery.as_ref().map(|d| d.required),
            endpoint_operation: op.endpointoperation,
            deprecated: op.deprecated,
            static_context_params: op
                .static_context_params
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            context_params: op
                .context_params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            name,
        });
    }

    let m = raw.metadata;
    let protocol = choose_protocol(&m.protocols, m.protocol.as_deref()).ok_or_else(|| {
        invalid(
            service_name,
            format!(
                "no supported protocol among {:?} / {:?}",
                m.protocols, m.protocol
            ),
        )
    })?;
    let endpoint_prefix = m
        .endpoint_prefix
        .unwrap_or_else(|| service_name.to_string());
    let metadata = Metadata {
        api_version: m.api_version.unwrap_or_default(),
        service_id: m.service_id.unwrap_or_else(|| endpoint_prefix.clone()),
        endpoint_prefix,
        protocol,
        protocols: m.protocols,
        json_version: m.json_version,
        target_prefix: m.target_prefix,
        service_full_name: m.service_full_name,
        signature_version: m.signature_version,
        signing_name: m.signing_name,
        global_endpoint: m.global_endpoint,
        xml_namespace: m.xml_namespace,
        uid: m.uid,
        aws_query_compatible: m.aws_query_compatible.is_some(),
        auth: m.auth,
    };
    let _ = m.checksum_format;
    // botocore's `shape_for_error_code`: every exception shape, under its `error.code` or name.
    let mut error_codes = HashMap::new();
    for (i, shape) in shapes.iter().enumerate() {
        if shape.exception {
            let code = shape
                .error
                .as_ref()
                .and_then(|e| e.code.clone())
                .unwrap_or_else(|| shape.name.clone());
            error_codes.entry(code).or_insert(ShapeId(i as u32));
        }
    }
    Ok(ServiceModel {
        error_codes,
        service_name: service_name.to_string(),
        metadata,
        shapes: super::precompiled::Shapes::decoded(shapes),
        shape_index: OnceLock::from(shape_index),
        xml_members: OnceLock::new(),
        operations,
        operation_index,
        source: ModelSource::default(),
    })
}

/// Splits `/{Bucket}?list-type=2&uploads` into the path and its literal query parameters.
/// botocore's order of preference when a model lists several `protocols`
/// (`PRIORITY_ORDERED_SUPPORTED_PROTOCOLS`): the client speaks the first of these the service
/// lists, whatever order the model lists them in (CodeBuild lists `smithy-rpc-v2-cbor` first
/// and botocore still speaks `json` to it).
const PROTOCOL_PREFERENCE: [Protocol; 6] = [
    Protocol::Json,
    Protocol::RestJson,
    Protocol::RestXml,
    Protocol::RpcV2Cbor,
    Protocol::Query,
    Protocol::Ec2,
];

/// The protocol a client speaks: by [`PROTOCOL_PREFERENCE`] among `protocols` when the model
/// lists any, else the legacy `protocol` (as botocore's `ServiceModel.resolved_protocol`).
fn choose_protocol(protocols: &[String], legacy: Option<&str>) -> Option<Protocol> {
    if protocols.is_empty() {
        return legacy.and_then(Protocol::from_name);
    }
    PROTOCOL_PREFERENCE
        .into_iter()
        .find(|p| protocols.iter().any(|listed| listed == p.name()))
}

fn split_request_uri(uri: &str) -> (String, Vec<(String, Option<String>)>) {
    match uri.split_once('?') {
        None => (uri.to_string(), Vec::new()),
        Some((path, query)) => {
            let params = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (p.to_string(), None),
                })
                .collect();
            (path.to_string(), params)
        }
    }
}
