//! S3's customizations.

mod bucket_in_endpoint;

pub(super) use bucket_in_endpoint::BucketInEndpoint;
