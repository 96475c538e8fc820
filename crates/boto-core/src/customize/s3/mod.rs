//! S3's customizations.

mod ascii_metadata;
mod bucket_in_endpoint;
mod bucket_location;
mod bucket_name;
mod copy_source;
mod error_in_200;
mod expect_continue;
mod expires_header;
mod express_session_auth;
mod listing_encoding;
mod region_redirect;
mod signing;
mod sse_customer_key;

pub(super) use ascii_metadata::AsciiMetadata;
pub(super) use bucket_in_endpoint::BucketInEndpoint;
pub(super) use bucket_location::BucketLocation;
pub(super) use bucket_name::BucketName;
pub(super) use copy_source::CopySource;
pub(super) use error_in_200::ErrorIn200;
pub(super) use expect_continue::ExpectContinue;
pub(super) use expires_header::ExpiresHeader;
pub(super) use express_session_auth::ExpressSessionAuth;
pub(super) use listing_encoding::ListingEncoding;
pub(super) use region_redirect::RegionRedirect;
pub(super) use signing::S3Signing;
pub(super) use sse_customer_key::SseCustomerKey;
