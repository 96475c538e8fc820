//! S3's customizations.

mod bucket_in_endpoint;
mod bucket_location;
mod copy_source;
mod expires_header;
mod listing_encoding;

pub(super) use bucket_in_endpoint::BucketInEndpoint;
pub(super) use bucket_location::BucketLocation;
pub(super) use copy_source::CopySource;
pub(super) use expires_header::ExpiresHeader;
pub(super) use listing_encoding::ListingEncoding;
