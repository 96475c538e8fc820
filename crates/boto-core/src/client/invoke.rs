//! One call, phase by phase. The three entry points share the prepare phase and stop at
//! different places, as presigning is the pipeline stopped before sending:
//!
//! ```text
//! call:          prepare -> plan -> [ sign -> send -> receive -> parse ] -> retry decision -> ...
//! presign:       prepare -> plan -> sign (into the query string)
//! build_request: prepare -> plan -> sign
//! ```
//!
//! Every phase is a function returning a typed value, in its own tracing span inside the call's
//! span; failures carry how far the call got (see [`SdkError`]).

use super::prepare::{prepare, Prepared, Purpose};
use super::response::{parse, receive, send};
use super::sign::sign;
use super::signing_plan::{self, BodyKind, RequestFacts, SigningPlan};
use super::{Output, PreparedRequest, SdkError, ServiceClient};
use crate::document::Document;
use crate::http::ByteStream;
use crate::retry::{self, BackoffBase, Failure, RetryDecision};
use tracing::Instrument;

/// Calls `operation`: prepare, plan, then attempts until one succeeds or the retry decision
/// says stop.
pub(super) async fn call(
    client: &ServiceClient,
    operation: &str,
    input: Document,
    body: Option<ByteStream>,
) -> Result<Output, SdkError> {
    let inner = &client.inner;
    async {
        let mut prepared = prepare(
            &inner.model,
            &inner.config,
            operation,
            input,
            body,
            Purpose::Call,
        )
        .await?;
        let plan = plan(&prepared, Purpose::Call)?;
        attempts(client, &mut prepared, &plan).await
    }
    .instrument(call_span(client, operation))
    .await
}

/// A presigned URL for `operation`, valid for `expires_in` seconds.
pub(super) async fn presign(
    client: &ServiceClient,
    operation: &str,
    input: Document,
    expires_in: u64,
) -> Result<String, SdkError> {
    let inner = &client.inner;
    let purpose = Purpose::Presign { expires_in };
    async {
        let mut prepared =
            prepare(&inner.model, &inner.config, operation, input, None, purpose).await?;
        move_form_body_into_query(&mut prepared);
        let plan = plan(&prepared, purpose)?;
        let signed = sign(client, &prepared, &plan)
            .instrument(tracing::debug_span!("sign"))
            .await?;
        Ok(signed.url)
    }
    .instrument(call_span(client, operation))
    .await
}

/// The signed request for `operation`, unsent.
pub(super) async fn build_request(
    client: &ServiceClient,
    operation: &str,
    input: Document,
) -> Result<PreparedRequest, SdkError> {
    let inner = &client.inner;
    async {
        let prepared = prepare(
            &inner.model,
            &inner.config,
            operation,
            input,
            None,
            Purpose::BuildRequest,
        )
        .await?;
        let plan = plan(&prepared, Purpose::BuildRequest)?;
        let signed = sign(client, &prepared, &plan)
            .instrument(tracing::debug_span!("sign"))
            .await?;
        Ok(PreparedRequest {
            method: prepared.request.method.clone(),
            url: signed.url,
            headers: signed.headers,
            sensitive_headers: signed.sensitive_headers,
        })
    }
    .instrument(call_span(client, operation))
    .await
}

fn call_span(client: &ServiceClient, operation: &str) -> tracing::Span {
    tracing::debug_span!(
        "invoke",
        service = client.inner.model.service_name(),
        operation
    )
}

/// The signing plan of a prepared request (pure: no I/O, no clock).
fn plan(prepared: &Prepared<'_>, purpose: Purpose) -> Result<SigningPlan, SdkError> {
    let body = match prepared.body.as_ref() {
        None => BodyKind::None,
        Some(b) if b.as_bytes().is_some() => BodyKind::InMemory,
        Some(_) => BodyKind::Stream,
    };
    let facts = RequestFacts {
        https: prepared.url.starts_with("https://"),
        body,
        presign_expires_in: match purpose {
            Purpose::Presign { expires_in } => Some(expires_in),
            _ => None,
        },
    };
    let schemes = prepared.endpoint.typed_auth_schemes();
    tracing::debug_span!("plan")
        .in_scope(|| {
            signing_plan::plan(
                prepared.model,
                prepared.op,
                prepared.config.region.as_deref(),
                &schemes,
                &facts,
                prepared.customizations,
            )
        })
        .map_err(SdkError::Construction)
}

/// Attempts the call until it succeeds or the retry decision says stop. Each attempt signs anew
/// (fresh credentials and date) and sends a replayed copy of the body.
async fn attempts(
    client: &ServiceClient,
    prepared: &mut Prepared<'_>,
    plan: &SigningPlan,
) -> Result<Output, SdkError> {
    let base = backoff_base(prepared);
    let mut retries = client.inner.retry_state.call();
    let mut attempt = 1u32;
    loop {
        let replay = prepared.body.as_ref().and_then(ByteStream::try_clone);
        let replayable = prepared.body.is_none() || replay.is_some();
        retries.before_attempt().await;
        let error = match attempt_once(client, prepared, plan, attempt).await {
            Ok(out) => {
                retries.succeeded();
                return Ok(out);
            }
            Err(e) => e,
        };
        let failure = Failure {
            retryable: error.is_retryable(),
            throttled: error.is_throttling(),
        };
        let decision = retries.failed(
            attempt,
            &prepared.config.retry,
            failure,
            replayable,
            base,
            retry::jitter(),
        );
        match decision {
            RetryDecision::Stop => return Err(error),
            RetryDecision::RetryAfter(pause) => {
                tracing::debug!(attempt, ?pause, error = %error, "retrying");
                tokio::time::sleep(pause).await;
                prepared.body = replay;
                attempt += 1;
            }
        }
    }
}

async fn attempt_once(
    client: &ServiceClient,
    prepared: &mut Prepared<'_>,
    plan: &SigningPlan,
    attempt: u32,
) -> Result<Output, SdkError> {
    let signed = sign(client, prepared, plan)
        .instrument(tracing::debug_span!("sign", attempt))
        .await?;
    let body = prepared.body.take();
    let http = &prepared.config.http;
    let response = send(http, prepared.request.method.clone(), signed, body, attempt).await?;
    let received = receive(client, prepared.op, response).await?;
    parse(prepared, received, attempt)
}

/// The standard backoff's base delays, with the service's own transient base if it has one.
fn backoff_base(prepared: &Prepared<'_>) -> BackoffBase {
    let mut base = BackoffBase::default();
    if let Some(d) = prepared
        .customizations
        .iter()
        .find_map(|c| c.retry_base_delay())
    {
        base.transient = d;
    }
    base
}

/// A presigned URL is fetched with a bare GET: a form-encoded body (query protocols) moves into
/// the query string and its Content-Type goes, as botocore's query-string auth does.
fn move_form_body_into_query(prepared: &mut Prepared<'_>) {
    let is_form = prepared
        .request
        .get_header("content-type")
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let Some(body) = prepared
        .body
        .as_ref()
        .and_then(|b| b.as_bytes())
        .filter(|_| is_form)
    else {
        return;
    };
    let form = String::from_utf8_lossy(body).into_owned();
    if !form.is_empty() {
        prepared
            .url
            .push(if prepared.url.contains('?') { '&' } else { '?' });
        prepared.url.push_str(&form);
    }
    prepared
        .request
        .headers
        .retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
    prepared.body = None;
}
