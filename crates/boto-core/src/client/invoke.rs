//! One call, phase by phase. Each phase has a tracing span; failures carry how far the call got.

use super::{
    checksum, endpoint, ClientConfig, ConstructionError, Output, PreparedRequest, SdkError,
    ServiceClient,
};
use crate::auth::sigv4::{
    self, PayloadChecksumKind, SignableBody, SignableRequest, SigningParams, SigningSettings,
    UriEncoding,
};
use crate::customize;
use crate::document::{Document, Map};
use crate::http::{ByteStream, HttpRequest};
use crate::model::{Operation, ServiceModel};
use crate::protocol::{self, Parsed, RawResponse, RequestBody, SerializedRequest};
use crate::retry;
use tracing::Instrument;

/// Where the pipeline stops.
pub(super) enum Stop {
    /// Send and parse (a normal call).
    Transmit,
    /// Sign into the query string and return the URL.
    Presign { expires_in: u64 },
    /// Sign and return the request unsent.
    BeforeTransmit,
}

pub(super) enum Completed {
    Output(Output),
    Presigned(String),
    Prepared(PreparedRequest),
}

/// The per-call context: named fields, no type map.
struct CallContext<'a> {
    model: &'a ServiceModel,
    config: &'a ClientConfig,
    op: &'a Operation,
    request: SerializedRequest,
    url: String,
    signing_region: String,
    signing_name: String,
    endpoint_headers: Vec<(String, String)>,
    body: Option<ByteStream>,
    /// The input as the caller gave it, before customizations filled anything in (only kept for
    /// services with customizations, which may need to know what was theirs).
    given_input: Document,
}

pub(super) async fn invoke(
    client: &ServiceClient,
    operation: &str,
    input: Document,
    body: Option<ByteStream>,
    stop: Stop,
) -> Result<Completed, SdkError> {
    let inner = &client.inner;
    let model = &*inner.model;
    let config = &inner.config;

    // 1. Operation lookup.
    let op = model
        .operation(operation)
        .map_err(|e| SdkError::Construction(ConstructionError::Model(e)))?;
    let span = tracing::debug_span!("invoke", service = model.service_name(), operation = %op.name);
    let mut input = input;
    let customizations = customize::for_service(model.service_name());
    let given_input = if customizations.is_empty() {
        Document::Null
    } else {
        input.clone()
    };
    for c in customizations {
        c.transform_input(op, &mut input);
    }
    if !matches!(stop, Stop::Presign { .. }) {
        checksum::response::request_validation(op, &mut input);
    }
    async move {
        // 2. Validate + serialize.
        let mut request = tracing::debug_span!("serialize").in_scope(|| {
            protocol::serialize(model, op, &input).map_err(|e| match e {
                protocol::ProtocolError::Validation(v) => {
                    SdkError::Construction(ConstructionError::Validation(v))
                }
                other => SdkError::Construction(ConstructionError::Serialize(other)),
            })
        })?;
        // 3. Customizations.
        for c in customizations {
            c.after_serialize(op, &input, &mut request);
        }
        // 4. Endpoint.
        let resolved = tracing::debug_span!("endpoint")
            .in_scope(|| endpoint::resolve(model, config, op, &input))?;
        let mut signing_region = config
            .region
            .clone()
            .unwrap_or_else(|| "us-east-1".to_string());
        let mut signing_name = model.metadata().signing_name().to_string();
        let schemes = resolved.auth_schemes();
        if !schemes.is_empty() && !schemes.iter().any(|s| s["name"] == "sigv4") {
            let names: Vec<&str> = schemes.iter().filter_map(|s| s["name"].as_str()).collect();
            return Err(SdkError::Construction(ConstructionError::Signing(format!(
                "this endpoint needs the auth scheme(s) {}, which are not supported yet (only sigv4)",
                names.join(", ")
            ))));
        }
        if let Some(scheme) = schemes.iter().find(|s| s["name"] == "sigv4") {
            if let Some(r) = scheme["signingRegion"].as_str() {
                signing_region = r.to_string();
            }
            if let Some(n) = scheme["signingName"].as_str() {
                signing_name = n.to_string();
            }
        }
        let url = endpoint::join_url(
            &resolved.url,
            request.host_prefix.as_deref(),
            &request.path,
            &request.query_string(),
        )?;
        let endpoint_headers = resolved
            .headers
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect();
        let body = match (body, &request.body) {
            (Some(_), RequestBody::Bytes(_)) => {
                return Err(SdkError::Construction(ConstructionError::Usage(format!(
                    "{} got its payload twice: as a member of the input and as a body stream",
                    op.name
                ))))
            }
            (Some(b), _) => Some(b),
            (None, RequestBody::Bytes(b)) => Some(ByteStream::from(b.clone())),
            (None, _) => None,
        };
        // 5. Checksums (not for presigned URLs, as botocore).
        if !matches!(stop, Stop::Presign { .. }) {
            if let Some(plan) = checksum::plan(model, op, &input)? {
                let source = checksum::Source::of(body.as_ref());
                checksum::apply(plan, model, op, &mut request, source)
                    .instrument(tracing::debug_span!("checksum"))
                    .await?;
            }
        }
        let mut ctx = CallContext {
            model,
            config,
            op,
            request,
            url,
            signing_region,
            signing_name,
            endpoint_headers,
            body,
            given_input,
        };
        match stop {
            Stop::Presign { expires_in } => {
                move_form_body_into_query(&mut ctx);
                let (url, _) = sign(client, &mut ctx, Some(expires_in)).await?;
                Ok(Completed::Presigned(url))
            }
            Stop::BeforeTransmit => {
                let (url, headers) = sign(client, &mut ctx, None).await?;
                Ok(Completed::Prepared(PreparedRequest {
                    method: ctx.request.method.clone(),
                    url,
                    headers,
                }))
            }
            Stop::Transmit => transmit_with_retries(client, ctx)
                .await
                .map(Completed::Output),
        }
    }
    .instrument(span)
    .await
}

/// Signs the request of `ctx`: returns the URL and the full header list (or, presigning, the URL
/// with the signature in its query string).
async fn sign(
    client: &ServiceClient,
    ctx: &mut CallContext<'_>,
    presign: Option<u64>,
) -> Result<(String, Vec<(String, String)>), SdkError> {
    let inner = &client.inner;
    let host = host_header(&ctx.url);
    let mut headers: Vec<(String, String)> = vec![
        ("host".into(), host),
        ("user-agent".into(), inner.user_agent.clone()),
    ];
    headers.extend(ctx.request.headers.iter().cloned());
    headers.extend(ctx.endpoint_headers.iter().cloned());
    // Content-Length: the body's, `0` for bodiless PUT/POST/DELETE (S3 answers 411 otherwise),
    // never twice (the input may carry ContentLength already).
    let content_length = ctx.body.as_ref().and_then(ByteStream::content_length);
    let has_length = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
    if presign.is_none() && !has_length {
        let bodiless_ok = matches!(ctx.request.method.as_str(), "GET" | "HEAD" | "OPTIONS");
        match content_length {
            Some(len) if len > 0 || !bodiless_ok => {
                headers.push(("content-length".into(), len.to_string()))
            }
            None if ctx.body.is_none() && !bodiless_ok => {
                headers.push(("content-length".into(), "0".into()))
            }
            _ => {}
        }
    }
    let anonymous = ctx.op.auth_type.as_deref() == Some("none")
        || ctx.op.auth.iter().all(|a| a == "smithy.api#noAuth") && !ctx.op.auth.is_empty();
    let Some(provider) = ctx.config.credentials.as_ref().filter(|_| !anonymous) else {
        return Ok((ctx.url.clone(), headers));
    };
    let creds = tracing::debug_span!("credentials")
        .in_scope(|| provider.provide_credentials())
        .await
        .map_err(|e| SdkError::Credentials(Box::new(e)))?;
    let is_s3 = ctx
        .model
        .metadata()
        .signature_version
        .as_deref()
        .is_some_and(|v| v.starts_with("s3"));
    let https = ctx.url.starts_with("https://");
    let in_memory = ctx.body.as_ref().map(|b| b.as_bytes().cloned());
    let payload = if presign.is_some() {
        PayloadChecksumKind::UnsignedPayload
    } else if is_s3 && (https || !matches!(in_memory, None | Some(Some(_)))) {
        // Over TLS the payload hash adds nothing S3 needs; a stream cannot be hashed up front.
        PayloadChecksumKind::UnsignedPayload
    } else if ctx.op.unsigned_payload && https {
        PayloadChecksumKind::UnsignedPayload
    } else {
        PayloadChecksumKind::Sha256
    };
    let mut settings = if is_s3 {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    };
    if let Some(expires_in) = presign {
        settings = if is_s3 {
            SigningSettings::s3_presigned(expires_in)
        } else {
            settings
        };
        settings.location = sigv4::SignatureLocation::QueryString { expires_in };
    }
    settings.payload_checksum = payload;
    if is_s3 {
        settings.uri_encoding = UriEncoding::Single;
    }
    let (path, query) = split_url(&ctx.url);
    let body_bytes = in_memory.flatten().unwrap_or_default();
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest {
        method: &ctx.request.method,
        path,
        query,
        headers: &header_refs,
        body: SignableBody::Bytes(&body_bytes),
    };
    let params = SigningParams {
        access_key: creds.access_key_id(),
        secret_key: creds.secret_access_key(),
        session_token: creds.session_token(),
        region: &ctx.signing_region,
        service: &ctx.signing_name,
        time: std::time::SystemTime::now(),
        settings,
    };
    let out = sigv4::sign_with_cache(&signable, &params, &inner.signing_keys)
        .map_err(|e| SdkError::Construction(ConstructionError::Signing(e.to_string())))?;
    if presign.is_some() {
        let base = ctx.url.split('?').next().unwrap_or_default();
        return Ok((format!("{base}?{}", out.presigned_query(query)), headers));
    }
    for (name, value) in out.headers() {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        headers.push((name.to_string(), value.clone()));
    }
    Ok((ctx.url.clone(), headers))
}

/// A presigned URL is fetched with a bare GET: a form-encoded body (query protocols) moves into
/// the query string and its Content-Type goes, as botocore's query-string auth does.
fn move_form_body_into_query(ctx: &mut CallContext<'_>) {
    let is_form = ctx
        .request
        .get_header("content-type")
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let Some(body) = ctx
        .body
        .as_ref()
        .and_then(|b| b.as_bytes())
        .filter(|_| is_form)
    else {
        return;
    };
    let form = String::from_utf8_lossy(body).into_owned();
    if !form.is_empty() {
        ctx.url.push(if ctx.url.contains('?') { '&' } else { '?' });
        ctx.url.push_str(&form);
    }
    ctx.request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
    ctx.body = None;
}

fn host_header(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    // Default ports are left out of Host, as HTTP clients send it.
    authority
        .strip_suffix(":443")
        .filter(|_| url.starts_with("https://"))
        .or_else(|| {
            authority
                .strip_suffix(":80")
                .filter(|_| url.starts_with("http://"))
        })
        .unwrap_or(authority)
        .to_string()
}

fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path_start = rest.find('/').unwrap_or(rest.len());
    let path_and_query = &rest[path_start..];
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    (if path.is_empty() { "/" } else { path }, query)
}

async fn transmit_with_retries(
    client: &ServiceClient,
    mut ctx: CallContext<'_>,
) -> Result<Output, SdkError> {
    let max_attempts = ctx.config.retry.max_attempts.max(1);
    let mut attempt = 1u32;
    loop {
        // Keep a replayable copy of the body for the next attempt, if the body can replay.
        let replay = ctx.body.as_ref().and_then(ByteStream::try_clone);
        let can_retry = ctx.body.is_none() || replay.is_some();
        let result = attempt_once(client, &mut ctx, attempt).await;
        match result {
            Ok(out) => return Ok(out),
            Err(e) => {
                if attempt >= max_attempts || !can_retry || !e.is_retryable() {
                    return Err(e);
                }
                let throttled = e
                    .service_error()
                    .is_some_and(|s| retry::is_throttling(&s.code));
                let scale = retry::base_scale(ctx.model.service_name(), throttled);
                let pause = retry::backoff(attempt, retry::jitter(), scale);
                tracing::debug!(attempt, ?pause, error = %e, "retrying");
                tokio::time::sleep(pause).await;
                ctx.body = replay;
                attempt += 1;
            }
        }
    }
}

async fn attempt_once(
    client: &ServiceClient,
    ctx: &mut CallContext<'_>,
    attempt: u32,
) -> Result<Output, SdkError> {
    let (url, headers) = sign(client, ctx, None).await?;
    let request = HttpRequest {
        method: ctx.request.method.clone(),
        url,
        headers,
        body: ctx.body.take().unwrap_or_default(),
    };
    let response = client
        .inner
        .config
        .http
        .send(request)
        .instrument(tracing::debug_span!("transmit", attempt))
        .await
        .map_err(SdkError::Dispatch)?;
    let status = response.status;
    let streaming =
        client.streaming_output_member(&ctx.op.name).is_some() && protocol::is_success(status);
    let mut raw = RawResponse {
        status,
        headers: response.headers,
        body: Default::default(),
    };
    let mut stream = None;
    let expected = protocol::is_success(status)
        .then(|| checksum::response::expected(ctx.op, &raw.headers))
        .flatten();
    if streaming {
        stream = Some(match expected {
            Some((alg, value)) => checksum::response::validating(response.body, alg, value),
            None => response.body,
        });
    } else {
        raw.body = response.body.collect().await.map_err(SdkError::Dispatch)?;
        if let Some((alg, value)) = expected {
            checksum::response::check(alg, &value, &raw.body).map_err(|e| SdkError::Response {
                error: protocol::ProtocolError::Parse(e.to_string()),
                status,
                request_id: raw.request_id().map(str::to_string),
            })?;
        }
    }
    let customizations = crate::customize::for_service(ctx.model.service_name());
    if protocol::is_success(status) {
        for c in customizations {
            c.before_parse(ctx.op, &mut raw);
        }
    }
    let parsed = tracing::debug_span!("parse")
        .in_scope(|| protocol::parse(ctx.model, ctx.op, &raw))
        .map_err(|error| SdkError::Response {
            error,
            status,
            request_id: raw.request_id().map(str::to_string),
        })?;
    match parsed {
        Parsed::Error(mut e) => {
            e.operation = Some(ctx.op.name.clone());
            Err(SdkError::Service(Box::new(e)))
        }
        Parsed::Output(mut document) => {
            for c in customizations {
                c.after_parse(ctx.op, &ctx.given_input, &raw, &mut document);
            }
            let _ = document.insert("ResponseMetadata", response_metadata(&raw, attempt));
            Ok(Output {
                document,
                body: stream,
            })
        }
    }
}

fn response_metadata(raw: &RawResponse, attempt: u32) -> Document {
    let mut meta = Map::new();
    if let Some(id) = raw.request_id() {
        meta.insert("RequestId".into(), id.into());
    }
    if let Some(host_id) = raw.header("x-amz-id-2") {
        meta.insert("HostId".into(), host_id.into());
    }
    meta.insert("HTTPStatusCode".into(), Document::Int(raw.status as i64));
    let mut headers = Map::new();
    for (k, v) in &raw.headers {
        headers.insert(k.to_ascii_lowercase(), v.as_str().into());
    }
    meta.insert("HTTPHeaders".into(), Document::Map(headers));
    meta.insert("RetryAttempts".into(), Document::Int(attempt as i64 - 1));
    Document::Map(meta)
}
