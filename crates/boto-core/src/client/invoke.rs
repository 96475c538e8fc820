//! One call, phase by phase. The three entry points share the prepare phase and stop at
//! different places, as presigning is the pipeline stopped before sending:
//!
//! ```text
//! call:          (cross-region presign) -> prepare -> (endpoint discovery) -> plan -> digest -> [ sign -> send -> receive -> parse ] -> retry decision -> ...
//!                -> (a customization's redirect: once more, prepared for the region it names)
//! presign:       prepare -> plan -> sign (into the query string)
//! build_request: (cross-region presign) -> prepare -> plan -> digest -> sign
//! ```
//!
//! All three start in the region a redirect remembered for the call's region key, if any.
//!
//! Every phase is a function returning a typed value, in its own tracing span inside the call's
//! span; failures carry how far the call got (see [`SdkError`]).

use super::attempt_headers::{CallAttempts, ServerDate};
use super::auth_choice::AuthSettings;
use super::cross_region;
use super::digest;
use super::discovery;
use super::input_events::{EventBody, InputEvents};
use super::prepare::{prepare, Prepared, Purpose};
use super::redirect;
use super::response::{parse, receive, send};
use super::sign::sign;
use super::signing_plan::{self, BodyKind, RequestFacts, SigningPlan};
use super::{ClientConfig, ConstructionError, Output, PreparedRequest, SdkError, ServiceClient};
use crate::customize::Redirect;
use crate::document::Document;
use crate::http::ByteStream;
use crate::protocol::event_stream;
use crate::retry::{self, BackoffBase, Failure, RetryDecision};
use std::future::Future;
use std::pin::Pin;
use tracing::Instrument;

/// Calls `operation`: prepare, plan, then attempts until one succeeds or the retry decision
/// says stop; then, if a customization asked for it, once more in the region it named.
pub(super) async fn call(
    client: &ServiceClient,
    operation: &str,
    input: Document,
    body: Option<ByteStream>,
) -> Result<Output, SdkError> {
    call_redirecting(client, operation, input, body, true)
        .instrument(call_span(client, operation))
        .await
}

/// A call's future, boxed. The compiler copies an async fn's state machine (and its drop glue)
/// into every codegen unit that awaits it; the pipeline is awaited from many (calls,
/// paginators, waiters, the credential providers, the transfer manager), and behind one box
/// its code is in the binary once (−360 KB of the default build's 5.5 MB).
pub(crate) type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, SdkError>> + Send + 'a>>;

/// A call made to find a redirect's region. Like botocore's, it follows a redirect that names
/// its region (S3 answers a HeadBucket signed for elsewhere with a 301 naming it), but never
/// probes again.
pub(super) fn probe<'a>(
    client: &'a ServiceClient,
    operation: &'static str,
    input: Document,
) -> Boxed<'a, Output> {
    Box::pin(
        call_redirecting(client, operation, input, None, false)
            .instrument(tracing::debug_span!("redirect_probe", operation)),
    )
}

/// The call: once, then once more where a customization's redirect points (`may_probe` is
/// false for a probe, which follows only a redirect that names its region).
async fn call_redirecting(
    client: &ServiceClient,
    operation: &str,
    mut input: Document,
    body: Option<ByteStream>,
    may_probe: bool,
) -> Result<Output, SdkError> {
    let inner = &client.inner;
    let (key, moved) = starting_config(client, operation, &input);
    let config = moved.as_ref().unwrap_or(&inner.config);
    cross_region::fill(client, config, operation, &mut input).await?;
    // A copy to send again after a redirect (`None` for a one-shot stream, which cannot be).
    let spare = body.as_ref().map(ByteStream::try_clone);
    let mut prepared = prepare(&inner.model, config, operation, input, body, Purpose::Call).await?;
    prepared.discovered = discovery::route(client, &mut prepared).await?;
    let first_plan = ready(&mut prepared, Purpose::Call).await?;
    let error = match attempts(client, &mut prepared, &first_plan).await {
        Ok(out) => return Ok(out),
        Err(error) => error,
    };
    let target = redirect_target(client, &mut prepared, config, spare, may_probe).await;
    let Some((region, body)) = target else {
        return Err(error);
    };
    tracing::debug!(%region, "the service named another region: sending again there");
    redirect::remember(client, key, &region);
    let input = std::mem::take(&mut prepared.given_input);
    // The resend is the call's next attempt, as botocore's redirector retries within the call.
    let mut carried = prepared.attempts.take();
    if let Some(a) = carried.as_mut() {
        a.next(
            prepared.answered.as_ref().map(|d| d.as_str()),
            read_timeout(config),
        );
    }
    drop(prepared);
    let redirected = redirect::in_region(config, &region);
    let mut prepared = prepare(
        &inner.model,
        &redirected,
        operation,
        input,
        body,
        Purpose::Call,
    )
    .await?;
    prepared.attempts = carried;
    let plan = ready(&mut prepared, Purpose::Call).await?;
    attempts(client, &mut prepared, &plan).await
}

fn read_timeout(config: &ClientConfig) -> std::time::Duration {
    config.http.settings().read_timeout
}

/// Where a failed call goes again when a customization redirected it: the region (found,
/// a region name, not the one just tried) and the body to send. `None` leaves the error.
async fn redirect_target(
    client: &ServiceClient,
    prepared: &mut Prepared<'_>,
    config: &ClientConfig,
    spare: Option<Option<ByteStream>>,
    may_probe: bool,
) -> Option<(String, Option<ByteStream>)> {
    let redirect = match prepared.redirect.take()? {
        Redirect::Probe { .. } if !may_probe => return None,
        other => other,
    };
    let body = match spare {
        None => None,
        Some(copy) => Some(copy?), // a one-shot stream cannot be sent again
    };
    let region = redirect::region_of(client, redirect).await?;
    (config.region.as_deref() != Some(region.as_str())).then_some((region, body))
}

/// The call's region key (if a customization gives it one), and the client's config moved to
/// the region a redirect remembered for that key (if one did).
pub(super) fn starting_config(
    client: &ServiceClient,
    operation: &str,
    input: &Document,
) -> (Option<crate::document::Name>, Option<ClientConfig>) {
    let model = &client.inner.model;
    let Ok(op) = model.operation(operation) else {
        return (None, None); // prepare reports it
    };
    let customizations = crate::customize::for_service(model.service_name(), &client.inner.config);
    let key = redirect::region_key(customizations, op, input);
    let moved = redirect::cached_region(client, key.as_deref())
        .map(|region| redirect::in_region(&client.inner.config, &region));
    (key, moved)
}

/// Calls `operation`, whose input has an event stream, with `events` as that stream. One
/// attempt only: the events are consumed as they are sent, so a failed call cannot be replayed.
pub(super) async fn call_with_events(
    client: &ServiceClient,
    operation: &str,
    input: Document,
    events: InputEvents,
) -> Result<Output, SdkError> {
    let inner = &client.inner;
    async {
        let mut prepared = prepare(
            &inner.model,
            &inner.config,
            operation,
            input,
            None,
            Purpose::Call,
        )
        .await?;
        let Some(member) = event_stream::input_event_stream_member(prepared.model, prepared.op)
        else {
            return Err(ConstructionError::Usage(format!(
                "{} has no input event stream; call it without events",
                prepared.op.name
            ))
            .into());
        };
        let stream_shape = member.target;
        prepared.input_events = true;
        prepared.attempts = Some(CallAttempts::new(&prepared.config.retry));
        let plan = ready(&mut prepared, Purpose::Call).await?;
        let mut signed = sign(client, &prepared, &plan)
            .instrument(tracing::debug_span!("sign", attempt = 1))
            .await?;
        let body = EventBody::new(
            events,
            inner.model.clone(),
            stream_shape,
            signed.event_signer.take(),
        );
        let http = &prepared.config.http;
        let (method, url) = (&prepared.request.method, &prepared.url);
        let response = send(
            http,
            method,
            url,
            signed,
            Some(ByteStream::from_body(body)),
            1,
        )
        .await?;
        let received = receive(client, prepared.op, prepared.validate_response, response).await?;
        parse(&mut prepared, received, 1)
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
        let (_, moved) = starting_config(client, operation, &input);
        let config = moved.as_ref().unwrap_or(&inner.config);
        let mut prepared = prepare(&inner.model, config, operation, input, None, purpose).await?;
        move_form_body_into_query(&mut prepared);
        let plan = plan(&prepared, purpose)?;
        let signed = sign(client, &prepared, &plan)
            .instrument(tracing::debug_span!("sign"))
            .await?;
        Ok(signed.into_url(&prepared.url))
    }
    .instrument(call_span(client, operation))
    .await
}

/// The signed request for `operation`, unsent.
pub(super) async fn build_request(
    client: &ServiceClient,
    operation: &str,
    mut input: Document,
) -> Result<PreparedRequest, SdkError> {
    let inner = &client.inner;
    async {
        let (_, moved) = starting_config(client, operation, &input);
        let config = moved.as_ref().unwrap_or(&inner.config);
        cross_region::fill(client, config, operation, &mut input).await?;
        let mut prepared = prepare(
            &inner.model,
            config,
            operation,
            input,
            None,
            Purpose::BuildRequest,
        )
        .await?;
        let plan = ready(&mut prepared, Purpose::BuildRequest).await?;
        let signed = sign(client, &prepared, &plan)
            .instrument(tracing::debug_span!("sign"))
            .await?;
        let (headers, sensitive_headers) = signed.headers.to_pairs();
        Ok(PreparedRequest {
            method: prepared.request.method.to_string(),
            url: signed.url.unwrap_or_else(|| prepared.url.clone()),
            headers,
            sensitive_headers,
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

/// The signing plan of a prepared request that is to be sent (or built), with its body digested
/// as the plan needs (`digest.rs`): the one pass over the body before the first attempt.
async fn ready(prepared: &mut Prepared<'_>, purpose: Purpose) -> Result<SigningPlan, SdkError> {
    let plan = plan(prepared, purpose)?;
    digest::digest(prepared, &plan).await?;
    Ok(plan)
}

/// The signing plan of a prepared request (pure: no I/O, no clock).
pub(super) fn plan(prepared: &Prepared<'_>, purpose: Purpose) -> Result<SigningPlan, SdkError> {
    let body = match prepared.body.as_ref() {
        _ if prepared.input_events => BodyKind::Events,
        None => BodyKind::None,
        Some(b) if b.as_bytes().is_some() => BodyKind::InMemory,
        Some(b) if b.replays() => BodyKind::Replayable,
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
    let schemes = prepared.endpoint.typed_auth_scheme_iter();
    tracing::debug_span!("plan")
        .in_scope(|| {
            signing_plan::plan(
                prepared.model,
                prepared.op,
                prepared.config.region.as_deref(),
                schemes,
                &facts,
                prepared.customizations,
                &AuthSettings {
                    preference: &prepared.config.auth_scheme_preference,
                    bearer_token: prepared.config.bearer_token.is_some(),
                    bearer_token_preferred: prepared.config.bearer_token_preferred,
                    unsigned: prepared.config.credentials.is_none(),
                },
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
    if prepared.attempts.is_none() {
        prepared.attempts = Some(CallAttempts::new(&prepared.config.retry));
    }
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
        if prepared.redirect.is_some() {
            return Err(error); // sent again elsewhere, not retried here
        }
        // An endpoint the service disowns is discovered anew, and the retry goes there.
        let rediscovered = prepared.discovered && discovery::forget_if_invalid(client, &error);
        if rediscovered {
            prepared.discovered = discovery::route(client, prepared).await?;
        }
        let failure = Failure {
            retryable: error.is_retryable() || rediscovered,
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
                let timeout = read_timeout(prepared.config);
                if let Some(a) = prepared.attempts.as_mut() {
                    a.next(prepared.answered.as_ref().map(|d| d.as_str()), timeout);
                }
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
    prepared.answered = None;
    let (method, url) = (&prepared.request.method, &prepared.url);
    let response = send(http, method, url, signed, body, attempt).await?;
    prepared.answered = response
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("date"))
        .map(|(_, v)| ServerDate::of(v));
    let received = receive(client, prepared.op, prepared.validate_response, response).await?;
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
pub(super) fn move_form_body_into_query(prepared: &mut Prepared<'_>) {
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
    prepared.request.headers.remove("content-type");
    prepared.body = None;
}
