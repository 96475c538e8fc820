//! Service customizations: declared, named quirks, one file each under `customize/<service>/`,
//! registered in one table keyed by service name. The engine calls the hooks at fixed points of a
//! call (see `client/invoke.rs`); it names no service itself.
//!
//! The hooks, in the order a call reaches them:
//! [`cross_region_presign`](Customization::cross_region_presign) (the engine presigns what it
//! asks for and puts the URL into the input) ->
//! [`rename_input`](Customization::rename_input) ->
//! [`transform_input`](Customization::transform_input) ->
//! [`endpoint_params`](Customization::endpoint_params) ->
//! [`after_endpoint`](Customization::after_endpoint) ->
//! [`after_serialize`](Customization::after_serialize) ->
//! [`body_digest`](Customization::body_digest) ->
//! [`signing`](Customization::signing) ->
//! (send) -> [`check_response`](Customization::check_response) ->
//! [`before_parse`](Customization::before_parse) ->
//! [`after_parse`](Customization::after_parse), or for an error response
//! [`before_parse_error`](Customization::before_parse_error); between attempts,
//! [`retry_base_delay`](Customization::retry_base_delay); after a service error,
//! [`redirect`](Customization::redirect), whose answer the call honours once, re-sending to the
//! region it names and remembering that region for the client's later calls under the call's
//! [`region_key`](Customization::region_key).

mod apigateway;
mod cloudformation;
mod cloudsearchdomain;
mod dynamodb;
mod ec2;
mod glacier;
mod global_endpoint;
mod iam;
mod input_edit;
mod logs;
mod machinelearning;
mod parameter_alias;
mod rds;
mod route53;
mod s3;
mod s3control;
mod sqs;
mod sso_oidc;

pub(crate) use global_endpoint::region_when_unset;
pub(crate) use input_edit::InputEdit;

use crate::auth::plan::{RequestFacts, SigningPlan};
use crate::client::{ClientConfig, ConstructionError};
use crate::document::Document;
use crate::endpoint::{Endpoint, Params};
use crate::model::{Operation, ServiceModel};
use crate::protocol::{ProtocolError, RawResponse, SerializedRequest, ServiceError};
use std::sync::Arc;
use std::time::Duration;

/// A customization's answer to a service error: send the call again, once, in another region
/// (the endpoint resolved and the request signed anew for it).
#[derive(Debug, Clone, PartialEq)]
pub enum Redirect {
    /// The region is known (the error named it).
    To(String),
    /// The region must be asked for first: call `operation` with `input`; the region is the
    /// `header` of its answer, whether that is a success or an error.
    Probe {
        /// The operation to call (S3: `HeadBucket`).
        operation: &'static str,
        /// Its input.
        input: Document,
        /// The response header naming the region.
        header: &'static str,
    },
}

/// A customization's request for a URL presigned by the engine: the same operation, signed for
/// another region with the client's credentials, which the call then carries in one of its
/// members (the source region's authorization of a cross-region copy).
#[derive(Debug, Clone, PartialEq)]
pub struct CrossRegionPresign {
    /// The input member that receives the URL.
    pub member: &'static str,
    /// The region the URL is addressed to and signed for.
    pub region: String,
    /// The input the URL is presigned with.
    pub input: Document,
    /// Parameters appended to the URL's query after the input's, for names the operation's
    /// model lacks.
    pub extra_query: Vec<(&'static str, String)>,
    /// How long the URL is valid, in seconds.
    pub expires_in: u64,
}

/// A digest of a request body that a service wants in the request's headers (Glacier's
/// SHA-256 and tree hash), asked for by [`Customization::body_digest`].
pub trait BodyDigest: Send {
    /// The next bytes of the body.
    fn update(&mut self, chunk: &[u8]);
    /// The body has ended: write the headers.
    fn finish(self: Box<Self>, req: &mut SerializedRequest);
}

/// Hooks a customization may implement. Each has a no-op default.
pub trait Customization: Sync {
    /// A short name for logs.
    fn name(&self) -> &'static str;

    /// Before anything else, once per call (not for presigned URLs): ask for a URL of the same
    /// operation presigned in another region (`region` is the client's). The hook may rewrite
    /// the call's input (drop a member only the URL needs); the engine then presigns the
    /// request it returns (a `GET`, as the URL is fetched) and sets its member to the URL.
    fn cross_region_presign(
        &self,
        _op: &Operation,
        _region: Option<&str>,
        _input: &mut Document,
    ) -> Option<CrossRegionPresign> {
        None
    }

    /// First of the input hooks: take the names boto3 accepts for input members in place of the
    /// model's. The only input hook that sees the model.
    fn rename_input(
        &self,
        _model: &ServiceModel,
        _op: &Operation,
        _input: &mut Document,
    ) -> Result<(), ConstructionError> {
        Ok(())
    }

    /// Before validation and serialization: rewrite convenience forms of the input.
    /// An error here stops the call before anything is sent (input botocore refuses).
    /// Writing to `input` keeps a copy of the caller's input for the later hooks; reading does
    /// not.
    fn transform_input(
        &self,
        _op: &Operation,
        _input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        Ok(())
    }

    /// After the endpoint parameters were taken from the config and the input, before the rules
    /// run: set parameters the service needs fixed.
    fn endpoint_params(&self, _op: &Operation, _params: &mut Params) {}

    /// After the endpoint was resolved, before the URL is joined and signed: send the call
    /// elsewhere (an endpoint the input names).
    fn after_endpoint(
        &self,
        _op: &Operation,
        _input: &Document,
        _endpoint: &mut Arc<Endpoint>,
    ) -> Result<(), ConstructionError> {
        Ok(())
    }

    /// After serialization, before endpoint resolution and signing.
    fn after_serialize(
        &self,
        _op: &Operation,
        _input: &Document,
        _req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        Ok(())
    }

    /// After serialization, with the body known: ask for a digest of the body (in memory, or a
    /// file read once more for it) that goes into the request's headers. The engine feeds it
    /// every byte of the body, then lets it write its headers. A one-shot stream cannot be
    /// read ahead and is not digested.
    fn body_digest(
        &self,
        _op: &Operation,
        _req: &SerializedRequest,
    ) -> Option<Box<dyn BodyDigest>> {
        None
    }

    /// After the generic signing plan was made: change how the service's requests are signed
    /// (payload hash, URI encoding, extra signed headers).
    fn signing(&self, _op: &Operation, _facts: &RequestFacts, _plan: &mut SigningPlan) {}

    /// The key under which the region of a call is remembered per client when a
    /// [`redirect`](Customization::redirect) moved it (S3: the bucket); `None` for calls that
    /// are never redirected.
    fn region_key(&self, _op: &Operation, _input: &Document) -> Option<crate::document::Name> {
        None
    }

    /// After a service error (`given` is the caller's input, `resp` the error response): ask
    /// for the call to be sent again in another region.
    fn redirect(
        &self,
        _op: &Operation,
        _given: &Document,
        _error: &ServiceError,
        _resp: &RawResponse,
    ) -> Option<Redirect> {
        None
    }

    /// The base delay of the standard backoff after a transient (not throttling) error, when the
    /// service wants another than botocore's 50 ms.
    fn retry_base_delay(&self) -> Option<Duration> {
        None
    }

    /// Before a successful response is parsed: an integrity check of the body as received. An
    /// error here is reported as an unusable response and retried as a transient fault.
    fn check_response(&self, _op: &Operation, _resp: &RawResponse) -> Result<(), ProtocolError> {
        Ok(())
    }

    /// Before a successful response is parsed: headers may be corrected here, and a response may
    /// be turned into an error by changing its status.
    fn before_parse(&self, _model: &ServiceModel, _op: &Operation, _resp: &mut RawResponse) {}

    /// When a successful response's body is not one the protocol can read (malformed XML, a
    /// body torn mid-way): the response may be turned into an error by changing its status, and
    /// is then parsed as one; left alone, the parse error is reported.
    fn on_unparsable_body(
        &self,
        _model: &ServiceModel,
        _op: &Operation,
        _error: &ProtocolError,
        _resp: &mut RawResponse,
    ) {
    }

    /// Before an error response is parsed: a body in a form the protocol's error parser does
    /// not read may be put into one it does.
    fn before_parse_error(&self, _model: &ServiceModel, _op: &Operation, _resp: &mut RawResponse) {}

    /// After a successful response was parsed into `output`; `given` is the input as the caller
    /// passed it (before `transform_input`) and `resp` what was parsed. An error here (a
    /// response check that failed) is reported as an unusable response.
    fn after_parse(
        &self,
        _op: &Operation,
        _given: &Document,
        _resp: &RawResponse,
        _output: &mut Document,
    ) -> Result<(), ProtocolError> {
        Ok(())
    }
}

static S3: &[&dyn Customization] = &[
    &s3::BucketName,
    &s3::AsciiMetadata,
    &s3::SseCustomerKey,
    &s3::CopySource,
    &s3::BucketInEndpoint,
    &s3::ExpressSessionAuth,
    &s3::S3Signing,
    &s3::ErrorIn200,
    &s3::ExpiresHeader,
    &s3::BucketLocation,
    &s3::ListingEncoding,
    &s3::RegionRedirect,
    &s3::ExpectContinue,
];

/// S3 Control signs as S3 does (botocore gives both the `s3v4` signer).
static S3_CONTROL: &[&dyn Customization] = &[&s3control::AccountHost, &s3::S3Signing];

/// SQS's message digests, unless `sqs_verify_md5_checksums` turned them off.
static SQS: &[&dyn Customization] = &[&sqs::MessageMd5];

static DYNAMODB: &[&dyn Customization] = &[&dynamodb::RetryBackoff, &dynamodb::Crc32];

/// DynamoDB Streams shares DynamoDB's retry base, not its CRC32 header.
static DYNAMODB_STREAMS: &[&dyn Customization] = &[&dynamodb::RetryBackoff];

static IAM: &[&dyn Customization] = &[&iam::PolicyDocuments];

static EC2: &[&dyn Customization] = &[
    &ec2::FILTERS_ALIAS,
    &ec2::UserData,
    &ec2::ConsoleOutput,
    &ec2::PresignedCopy,
];

static RDS: &[&dyn Customization] = &[&rds::RDS];

/// Neptune and DocumentDB speak RDS's API, with two of its cross-region operations.
static RDS_CLUSTERS: &[&dyn Customization] = &[&rds::CLUSTERS];

/// Auto Scaling's launch configurations take EC2's user data, encoded the same way.
static AUTOSCALING: &[&dyn Customization] = &[&ec2::UserData];

static ROUTE53: &[&dyn Customization] = &[&route53::ResourceIds];

static APIGATEWAY: &[&dyn Customization] = &[&apigateway::AcceptJson];

static GLACIER: &[&dyn Customization] = &[
    &glacier::AccountId,
    &glacier::VersionHeader,
    &glacier::Checksums,
];

static CLOUDFORMATION: &[&dyn Customization] = &[&cloudformation::TemplateBody];

static CLOUDSEARCHDOMAIN: &[&dyn Customization] = &[
    &cloudsearchdomain::RETURN_FIELDS_ALIAS,
    &cloudsearchdomain::SearchAsPost,
];

static LOGS: &[&dyn Customization] = &[&logs::FROM_TIME_ALIAS];

static SSO_OIDC: &[&dyn Customization] = &[&sso_oidc::OAuth2Errors];

static MACHINELEARNING: &[&dyn Customization] = &[&machinelearning::PredictEndpoint];

/// The customizations of a service, in the order they run, as the client's settings leave them.
pub fn for_service(service: &str, config: &ClientConfig) -> &'static [&'static dyn Customization] {
    match service {
        "sqs" if config.verify_message_md5 => SQS,
        "s3" => S3,
        "s3control" => S3_CONTROL,
        "dynamodb" => DYNAMODB,
        "dynamodbstreams" => DYNAMODB_STREAMS,
        "iam" => IAM,
        "ec2" => EC2,
        "rds" => RDS,
        "neptune" | "docdb" => RDS_CLUSTERS,
        "autoscaling" => AUTOSCALING,
        "route53" => ROUTE53,
        "apigateway" => APIGATEWAY,
        "glacier" => GLACIER,
        "cloudformation" => CLOUDFORMATION,
        "cloudsearchdomain" => CLOUDSEARCHDOMAIN,
        "logs" => LOGS,
        "machinelearning" => MACHINELEARNING,
        "sso-oidc" => SSO_OIDC,
        _ => &[],
    }
}
