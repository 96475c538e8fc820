//! Request signing. [`sigv4`] is AWS Signature Version 4 as a pure function: the caller passes the clock.
//! [`post_policy`] builds and signs the policy of an S3 form POST upload, as purely.
//! [`bearer`] holds the tokens of services that take `Authorization: Bearer`.
pub mod bearer;
pub mod plan;
pub mod post_policy;
pub mod sigv4;
