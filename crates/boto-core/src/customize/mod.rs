//! Service customizations: declared, named quirks, one file each under `customize/<service>/`,
//! registered in one table keyed by service name. The engine calls the hooks; it names no service.

mod s3;

use crate::document::Document;
use crate::model::Operation;
use crate::protocol::{RawResponse, SerializedRequest};

/// Hooks a customization may implement. Each has a no-op default.
pub trait Customization: Sync {
    /// A short name for logs.
    fn name(&self) -> &'static str;

    /// Before validation and serialization: rewrite convenience forms of the input.
    fn transform_input(&self, _op: &Operation, _input: &mut Document) {}

    /// After serialization, before endpoint resolution and signing.
    fn after_serialize(&self, _op: &Operation, _input: &Document, _req: &mut SerializedRequest) {}

    /// Before a successful response is parsed (headers may be corrected here).
    fn before_parse(&self, _op: &Operation, _resp: &mut RawResponse) {}

    /// After a successful response was parsed into `output`; `given` is the input as the caller
    /// passed it (before `transform_input`) and `resp` what was parsed.
    fn after_parse(
        &self,
        _op: &Operation,
        _given: &Document,
        _resp: &RawResponse,
        _output: &mut Document,
    ) {
    }
}

static S3: &[&dyn Customization] = &[
    &s3::CopySource,
    &s3::BucketInEndpoint,
    &s3::ExpiresHeader,
    &s3::BucketLocation,
    &s3::ListingEncoding,
];

/// The customizations of a service, in the order they run.
pub fn for_service(service: &str) -> &'static [&'static dyn Customization] {
    match service {
        "s3" => S3,
        _ => &[],
    }
}
