//! The call pipeline: a [`ServiceClient`] invokes operations by name with a [`Document`] input.
//!
//! [`ServiceClient::invoke`] reads top to bottom as the phases of one call (see `invoke.rs`), one
//! module each: `prepare` (look up the operation, customize the input, validate and serialize,
//! resolve the endpoint, decide the body's checksum) -> `signing_plan` (every signing decision,
//! pure) -> `digest` (one pass over the body for the checksum and the payload hash) -> `sign` ->
//! `response` (send, receive, parse into an [`Output`] or an [`SdkError`]) -> the retry decision
//! (`crate::retry`). Presigning and building a request are the same pipeline stopped
//! after signing.

mod attempt_headers;
mod auth_choice;
mod checksum;
#[cfg(feature = "request-compression")]
mod compress;
mod cross_region;
mod digest;
mod discovery;
mod endpoint;
mod error;
mod event_stream;
mod input_events;
mod invoke;
mod prepare;
mod presign_post;
mod recursion_detection;
mod redirect;
mod response;
mod sign;
mod signing_plan;

pub use error::{ConstructionError, SdkError};
pub use event_stream::EventStream;
pub use input_events::{EventSender, EventStreamClosed, InputEvents};
pub use presign_post::PresignedPost;
pub use signing_plan::{BodyKind, PlannedAuth, RequestFacts, SigningPlan};

use crate::auth::sigv4::SigningKeyCache;
use crate::config::ChecksumWhen;
use crate::credentials::ProvideCredentials;
use crate::document::Document;
use crate::http::{ByteStream, HttpClient};
use crate::model::{ModelError, ServiceModel};
use crate::retry::{RetryConfig, RetryState};
use std::fmt;
use std::sync::Arc;

/// Everything a client needs besides the model: region, endpoint, credentials, transport, retries.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The region to call and sign for.
    pub region: Option<String>,
    /// A custom endpoint (`http://127.0.0.1:5000`), fed to the endpoint rules as `SDK::Endpoint`.
    pub endpoint_url: Option<String>,
    /// Where credentials come from; `None` sends unsigned requests.
    pub credentials: Option<Arc<dyn ProvideCredentials>>,
    /// The shared transport.
    pub http: HttpClient,
    /// Retry settings.
    pub retry: RetryConfig,
    /// S3 path-style addressing (`addressing_style = path`).
    pub force_path_style: bool,
    /// FIPS endpoints.
    pub use_fips: bool,
    /// Dual-stack endpoints.
    pub use_dualstack: bool,
    /// S3 transfer acceleration.
    pub accelerate: bool,
    /// S3 in `us-east-1` goes to the global `s3.amazonaws.com` (`AWS::S3::UseGlobalEndpoint`;
    /// botocore's `s3.us_east_1_regional_endpoint = legacy`, which a session sets by default).
    pub s3_use_global_endpoint: bool,
    /// Appended to the User-Agent header.
    pub user_agent_extra: Option<String>,
    /// When request checksums are computed (`request_checksum_calculation`).
    pub request_checksum_calculation: ChecksumWhen,
    /// When response checksums are checked (`response_checksum_validation`).
    pub response_checksum_validation: ChecksumWhen,
    /// When request bodies are gzipped (`disable_request_compression`,
    /// `request_min_compression_size_bytes`).
    pub request_compression: crate::config::RequestCompression,
    /// Check the MD5 digests a message queue answers with against the messages sent and
    /// received (SQS; `sqs_verify_md5_checksums`, on by default).
    pub verify_message_md5: bool,
    /// When operations go to a discovered endpoint (`endpoint_discovery_enabled`).
    pub endpoint_discovery: crate::config::EndpointDiscovery,
    /// Which of a service's auth schemes to prefer (`auth_scheme_preference`).
    pub auth_scheme_preference: crate::config::AuthSchemePreference,
    /// Where the token of services that take `Authorization: Bearer` comes from (a Bedrock API
    /// key, a CodeCatalyst token from an SSO session); never shown in `Debug`.
    pub bearer_token: Option<std::sync::Arc<dyn crate::auth::bearer::ProvideToken>>,
    /// The token was given in code or found in the environment (`AWS_BEARER_TOKEN_<NAME>`):
    /// services that botocore lets prefer such a token (Bedrock) use it over SigV4.
    pub bearer_token_preferred: bool,
    /// Where the per-call environment is read from (the Lambda trace id of
    /// `X-Amzn-Trace-Id`): the session's.
    pub env: crate::config::Env,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<provider>"),
            )
            .field("retry", &self.retry)
            .field("force_path_style", &self.force_path_style)
            .field("use_fips", &self.use_fips)
            .field("use_dualstack", &self.use_dualstack)
            .field(
                "request_checksum_calculation",
                &self.request_checksum_calculation,
            )
            .field(
                "response_checksum_validation",
                &self.response_checksum_validation,
            )
            .finish()
    }
}

impl ClientConfig {
    /// A config with defaults around a transport.
    pub fn new(http: HttpClient) -> Self {
        ClientConfig {
            region: None,
            endpoint_url: None,
            credentials: None,
            http,
            retry: RetryConfig::default(),
            force_path_style: false,
            use_fips: false,
            use_dualstack: false,
            accelerate: false,
            s3_use_global_endpoint: false,
            user_agent_extra: None,
            request_checksum_calculation: ChecksumWhen::WhenSupported,
            response_checksum_validation: ChecksumWhen::WhenSupported,
            request_compression: Default::default(),
            verify_message_md5: true,
            endpoint_discovery: Default::default(),
            auth_scheme_preference: Default::default(),
            bearer_token: None,
            bearer_token_preferred: false,
            env: crate::config::Env::real(),
        }
    }
}

struct Inner {
    model: Arc<ServiceModel>,
    config: ClientConfig,
    retry_state: RetryState,
    signing_keys: SigningKeyCache,
    user_agent: String,
    /// Regions that redirects found, per region key (S3: bucket).
    regions: redirect::RegionCache,
    /// Endpoint discovery's facts about the service and the endpoints it found.
    discovery: discovery::Discovery,
}

/// A low-level client for one service: cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct ServiceClient {
    inner: Arc<Inner>,
}

impl fmt::Debug for ServiceClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceClient")
            .field("service", &self.inner.model.service_name())
            .field("config", &self.inner.config)
            .finish()
    }
}

/// A signed request that was not sent. `Debug` hides token and signature headers.
#[derive(Clone)]
#[non_exhaustive]
pub struct PreparedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers, including `authorization` (which holds a signature, never the secret key).
    pub headers: Vec<(String, String)>,
    /// Names of the headers whose values are secrets (as the signer and the model mark them).
    pub sensitive_headers: Vec<String>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field(
                "headers",
                &crate::http::redacted_headers(&self.headers, &self.sensitive_headers),
            )
            .finish()
    }
}

impl PreparedRequest {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The result of a call: the output document, plus the streaming payload (S3 GetObject's `Body`)
/// when the operation has one and it was not read into the document, or the event stream (S3
/// SelectObjectContent's `Payload`) when the output has one.
#[derive(Debug, Default)]
pub struct Output {
    /// The output members and `ResponseMetadata` (for an event-stream operation, every member
    /// but the stream: the headers', or the json protocols' `initial-response` event).
    pub document: Document,
    /// The streaming payload, unread.
    pub body: Option<ByteStream>,
    /// The event stream, unread: events arrive as [`EventStream::next_event`] asks for them.
    pub events: Option<EventStream>,
}

impl Output {
    /// Takes the event stream out of the output (`None` when the operation has none, or it was
    /// taken already).
    ///
    /// ```no_run
    /// # async fn demo(s3: boto_core::client::ServiceClient, input: boto_core::document::Document)
    /// # -> Result<(), boto_core::client::SdkError> {
    /// let mut out = s3.invoke("SelectObjectContent", input, None).await?;
    /// let mut events = out.events().expect("an event stream");
    /// while let Some(event) = events.next_event().await {
    ///     if let Some(records) = event?["Records"]["Payload"].as_blob() {
    ///         print!("{}", String::from_utf8_lossy(records));
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn events(&mut self) -> Option<EventStream> {
        self.events.take()
    }
}

impl std::ops::Deref for Output {
    type Target = Document;
    fn deref(&self) -> &Document {
        &self.document
    }
}

/// The region a client of `service` uses when none is configured, as botocore picks it: the
/// services with one global endpoint (S3, IAM, Route 53, CloudFront, STS, ...) `aws-global` (`us-east-1` with a custom endpoint); `None` when the service needs a region,
/// where botocore raises `NoRegionError`.
pub fn region_when_unset(service: &str, custom_endpoint: bool) -> Option<&'static str> {
    crate::customize::region_when_unset(service, custom_endpoint)
}

impl ServiceClient {
    /// A client for `service` (`"s3"`, `"sqs"`) with `config`.
    pub fn new(service: &str, config: ClientConfig) -> Result<Self, ModelError> {
        let model = ServiceModel::load(service)?;
        Ok(Self::from_model(model, config))
    }

    /// A client over an already-loaded model.
    pub fn from_model(model: Arc<ServiceModel>, config: ClientConfig) -> Self {
        let mut user_agent = format!("boto-rs/{} md/rust", env!("CARGO_PKG_VERSION"));
        if let Some(extra) = &config.user_agent_extra {
            user_agent.push(' ');
            user_agent.push_str(extra);
        }
        let retry_state = RetryState::for_client(&config.retry, || crate::retry::LimiterKey {
            service: model.service_name().to_string(),
            region: config.region.clone(),
            endpoint_url: config.endpoint_url.clone(),
        });
        let discovery = discovery::Discovery::of(&model);
        ServiceClient {
            inner: Arc::new(Inner {
                discovery,
                model,
                retry_state,
                config,
                signing_keys: SigningKeyCache::new(),
                user_agent,
                regions: Default::default(),
            }),
        }
    }

    /// The service model.
    pub fn model(&self) -> &Arc<ServiceModel> {
        &self.inner.model
    }

    /// The config.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The client's retry quota (shared by its clones, one per client as botocore keeps it) and
    /// adaptive rate limiter (shared with its session's clients of the same service endpoint
    /// when its config carries the session's limiters).
    pub fn retry_state(&self) -> &RetryState {
        &self.inner.retry_state
    }

    /// Calls `operation` (model name `ListObjectsV2` or `list_objects_v2`). A streaming output
    /// payload is read whole into the document, and an event stream into a list of its events,
    /// the first error event failing the call (use [`ServiceClient::invoke`] to stream either).
    pub async fn call(&self, operation: &str, input: Document) -> Result<Document, SdkError> {
        self.call_boxed(operation, input).await
    }

    /// [`ServiceClient::call`]'s work, boxed (see [`invoke::Boxed`]).
    fn call_boxed<'a>(
        &'a self,
        operation: &'a str,
        input: Document,
    ) -> invoke::Boxed<'a, Document> {
        Box::pin(self.call_whole(operation, input))
    }

    async fn call_whole(&self, operation: &str, input: Document) -> Result<Document, SdkError> {
        let out = invoke::call(self, operation, input, None).await?;
        let mut doc = out.document;
        if let Some(mut events) = out.events {
            // Like botocore's protocol tests show it: the stream read whole into a list.
            let mut list = Vec::new();
            while let Some(event) = events.next_event().await {
                list.push(event?);
            }
            if let Some(name) = self.event_stream_member(operation) {
                doc.set(name, Document::List(list));
            }
        }
        if let Some(body) = out.body {
            let bytes = body.collect().await.map_err(SdkError::Dispatch)?;
            if let Some(name) = self.streaming_output_name(operation) {
                doc.set(name, Document::Blob(bytes));
            }
        }
        Ok(doc)
    }

    /// Calls `operation` with an optional streaming request payload (`body` replaces the payload
    /// member, e.g. PutObject's `Body`), returning the streaming response payload unread.
    pub async fn invoke(
        &self,
        operation: &str,
        input: Document,
        body: Option<ByteStream>,
    ) -> Result<Output, SdkError> {
        self.invoke_boxed(operation, input, body).await
    }

    /// [`ServiceClient::invoke`]'s work, boxed (see [`invoke::Boxed`]).
    pub(crate) fn invoke_boxed<'a>(
        &'a self,
        operation: &'a str,
        input: Document,
        body: Option<ByteStream>,
    ) -> invoke::Boxed<'a, Output> {
        Box::pin(invoke::call(self, operation, input, body))
    }

    /// Calls `operation`, whose input has an event stream (Bedrock
    /// InvokeModelWithBidirectionalStream's `body`, Lex StartConversation's
    /// `requestEventStream`), sending `events` on it; `input` holds the other members. Each event
    /// is signed as it is sent, chained from the request's signature. The output's own event
    /// stream, if any, is read as the response arrives ([`Output::events`]), while the input is
    /// still being sent. There is one attempt: sent events cannot be replayed.
    ///
    /// The AWS endpoints of these operations speak HTTP/2 only: enable the `http2` cargo
    /// feature, which offers HTTP/2 by ALPN over TLS. Without it the body goes as HTTP/1.1
    /// chunked, which serves compatible and loopback servers.
    pub async fn invoke_with_events(
        &self,
        operation: &str,
        input: Document,
        events: InputEvents,
    ) -> Result<Output, SdkError> {
        invoke::call_with_events(self, operation, input, events).await
    }

    /// A presigned URL for `operation` with `input`, valid for `expires_in` seconds: the pipeline
    /// stopped before sending.
    pub async fn generate_presigned_url(
        &self,
        operation: &str,
        input: Document,
        expires_in: u64,
    ) -> Result<String, SdkError> {
        invoke::presign(self, operation, input, expires_in).await
    }

    /// An S3 presigned POST (`generate_presigned_post`) signed at `now`: the form URL and
    /// fields for a browser upload of `request.key` into `request.bucket` (see
    /// [`PostRequest`](crate::auth::post_policy::PostRequest)).
    pub async fn generate_presigned_post_at(
        &self,
        request: crate::auth::post_policy::PostRequest<'_>,
        now: std::time::SystemTime,
    ) -> Result<PresignedPost, SdkError> {
        presign_post::presign_post(self, request, now).await
    }

    /// Builds the request for `operation` and returns it signed, without sending it (for
    /// inspection and tests: the credential scope shows the signing region).
    pub async fn build_request(
        &self,
        operation: &str,
        input: Document,
    ) -> Result<PreparedRequest, SdkError> {
        invoke::build_request(self, operation, input).await
    }

    /// The name of the operation's event-stream output member (`Payload` of S3
    /// SelectObjectContent), if it has one.
    pub fn event_stream_member(&self, operation: &str) -> Option<String> {
        let model = &self.inner.model;
        let op = model.operation(operation).ok()?;
        crate::protocol::event_stream::event_stream_member(model, op).map(|m| m.name.to_string())
    }

    /// The name of the operation's streaming output member, if it has one.
    pub fn streaming_output_member(&self, operation: &str) -> Option<String> {
        self.streaming_output_name(operation).map(str::to_string)
    }

    /// [`Self::streaming_output_member`], borrowed from the model (asked for every response).
    pub(crate) fn streaming_output_name(&self, operation: &str) -> Option<&str> {
        let model = &self.inner.model;
        let op = model.operation(operation).ok()?;
        let shape = model.shape(op.output?);
        let payload = shape.payload.as_ref()?;
        let m = shape.member_named(payload)?;
        let target = model.shape(m.target);
        (target.streaming || m.streaming).then_some(m.name.as_str())
    }
}
