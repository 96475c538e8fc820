//! The first phase of every call, shared by calling, presigning and building a request: look the
//! operation up, run the input customizations, validate and serialize, resolve the endpoint and
//! decide the body's checksum. What comes out is a request that only needs its body digested
//! (`digest.rs`, once the signing plan says whether the payload hash is signed too) and signing.

use super::{checksum, endpoint, ClientConfig, ConstructionError, SdkError};
use crate::config::ChecksumWhen;
use crate::customize::{self, Customization};
use crate::document::Document;
use crate::endpoint::Endpoint;
use crate::http::ByteStream;
use crate::model::{Operation, ServiceModel};
use crate::protocol::{self, RequestBody, SerializedRequest};

/// What a prepared request is for: it decides whether checksums are added and how the request is
/// signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Send it and parse the answer.
    Call,
    /// Sign it into a URL valid for `expires_in` seconds.
    Presign { expires_in: u64 },
    /// Sign it and hand it back unsent.
    BuildRequest,
}

/// A serialized, addressed request with its body and the call's customizations.
pub(super) struct Prepared<'a> {
    pub(super) model: &'a ServiceModel,
    pub(super) config: &'a ClientConfig,
    pub(super) op: &'a Operation,
    pub(super) customizations: &'static [&'static dyn Customization],
    pub(super) request: SerializedRequest,
    pub(super) endpoint: std::sync::Arc<Endpoint>,
    /// The full URL: endpoint, host prefix, path and query.
    pub(super) url: String,
    pub(super) body: Option<ByteStream>,
    /// The input as the caller gave it, before customizations filled anything in (which the
    /// customizations' later hooks may need to know).
    pub(super) given_input: Document,
    /// The body will be an input event stream, written (and signed) message by message.
    pub(super) input_events: bool,
    /// The response's checksum is checked (the validation-mode member is set).
    pub(super) validate_response: bool,
    /// What a customization asked for after the last attempt's service error.
    pub(super) redirect: Option<crate::customize::Redirect>,
    /// The request goes to a discovered endpoint (see `discovery.rs`).
    pub(super) discovered: bool,
    /// Which attempt of which call this is, for the headers that say so (calls only).
    pub(super) attempts: Option<super::attempt_headers::CallAttempts>,
    /// The `Date` of the last attempt's response, if it got one.
    pub(super) answered: Option<super::attempt_headers::ServerDate>,
    /// The request checksum to add, not yet summed (see `digest.rs`).
    pub(super) checksum: Option<checksum::Plan>,
    /// The hex SHA-256 of a file body, summed once for every attempt of this prepared request.
    pub(super) payload_sha256: Option<String>,
}

/// Runs the prepare phase.
pub(super) async fn prepare<'a>(
    model: &'a ServiceModel,
    config: &'a ClientConfig,
    operation: &str,
    mut input: Document,
    body: Option<ByteStream>,
    purpose: Purpose,
) -> Result<Prepared<'a>, SdkError> {
    let op = model
        .operation(operation)
        .map_err(ConstructionError::Model)?;
    let customizations = customize::for_service(model.service_name(), config);
    if !customizations.is_empty() && tracing::enabled!(tracing::Level::TRACE) {
        let names: Vec<&str> = customizations.iter().map(|c| c.name()).collect();
        tracing::trace!(customizations = ?names, "service customizations");
    }
    let given_input = customize_input(model, op, customizations, purpose, config, &mut input)?;
    let validate_response = checksum::response::asked_for(op, &input);
    let mut request = serialize(model, op, customizations, &input)?;
    if purpose == Purpose::Call {
        super::recursion_detection::add(&config.env, &mut request);
    }
    // Without the `request-compression` feature (which CloudWatch's brings) bodies go as they
    // are: compression only saves bytes on the wire, every service takes the plain body too.
    #[cfg(feature = "request-compression")]
    if !matches!(purpose, Purpose::Presign { .. }) {
        super::compress::compress(op, config.request_compression, &mut request);
    }
    let mut endpoint = tracing::debug_span!("endpoint")
        .in_scope(|| endpoint::resolve(model, config, op, &input, customizations))?;
    for c in customizations {
        c.after_endpoint(op, &input, &mut endpoint)?;
    }
    let url = endpoint::join_url(
        &endpoint.url,
        request.host_prefix.as_deref(),
        &request.path,
        &request.query_string(),
    )?;
    let body = take_body(op, body, &request.body)?;
    let digests: Vec<_> = customizations
        .iter()
        .filter_map(|c| c.body_digest(op, &request))
        .collect();
    if !digests.is_empty() {
        let source = checksum::Source::of(body.as_ref());
        digest_body(digests, source, &mut request).await?;
    }
    let checksum = match purpose {
        Purpose::Presign { .. } => None,
        _ => checksum::plan(model, op, &input, config.request_checksum_calculation)?,
    };
    Ok(Prepared {
        model,
        config,
        op,
        customizations,
        request,
        endpoint,
        url,
        body,
        // Nothing wrote to the input: it is still the caller's.
        given_input: given_input.unwrap_or(input),
        input_events: false,
        validate_response,
        redirect: None,
        discovered: false,
        attempts: None,
        answered: None,
        checksum,
        payload_sha256: None,
    })
}

/// Input customizations, then the response-validation member (not for presigned URLs, whose
/// response the SDK never sees). Returns the input as given when a customization may need it.
fn customize_input(
    model: &ServiceModel,
    op: &Operation,
    customizations: &[&dyn Customization],
    purpose: Purpose,
    config: &ClientConfig,
    input: &mut Document,
) -> Result<Option<Document>, ConstructionError> {
    for c in customizations {
        c.rename_input(model, op, input)?;
    }
    let mut edit = customize::InputEdit::new(input);
    for c in customizations {
        c.transform_input(op, &mut edit)?;
    }
    if !matches!(purpose, Purpose::Presign { .. })
        && config.response_checksum_validation == ChecksumWhen::WhenSupported
    {
        checksum::response::request_validation(op, &mut edit);
    }
    Ok(edit.into_given())
}

fn serialize(
    model: &ServiceModel,
    op: &Operation,
    customizations: &[&dyn Customization],
    input: &Document,
) -> Result<SerializedRequest, ConstructionError> {
    let mut request = tracing::debug_span!("serialize").in_scope(|| {
        protocol::serialize(model, op, input).map_err(|e| match e {
            protocol::ProtocolError::Validation(v) => ConstructionError::Validation(v),
            other => ConstructionError::Serialize(other),
        })
    })?;
    for c in customizations {
        c.after_serialize(op, input, &mut request)?;
    }
    super::discovery::api_version_header(model, op, &mut request);
    Ok(request)
}

/// The body to send: the caller's stream, or the serialized payload; never both.
fn take_body(
    op: &Operation,
    stream: Option<ByteStream>,
    serialized: &RequestBody,
) -> Result<Option<ByteStream>, ConstructionError> {
    Ok(match (stream, serialized) {
        (Some(_), RequestBody::Bytes(_)) => {
            return Err(ConstructionError::Usage(format!(
                "{} got its payload twice: as a member of the input and as a body stream",
                op.name
            )))
        }
        (Some(b), _) => Some(b),
        (None, RequestBody::Bytes(b)) => Some(ByteStream::from(b.clone())),
        (None, _) => None,
    })
}

/// Feeds the body digests customizations asked for from the body in memory or a replayable copy,
/// in one pass, then lets them write their headers.
async fn digest_body(
    mut digests: Vec<Box<dyn crate::customize::BodyDigest>>,
    source: checksum::Source,
    request: &mut SerializedRequest,
) -> Result<(), ConstructionError> {
    let fed = source
        .feed("digest it", |chunk| {
            digests.iter_mut().for_each(|d| d.update(chunk))
        })
        .await?;
    if !fed {
        return Ok(());
    }
    for d in digests {
        d.finish(request);
    }
    Ok(())
}
