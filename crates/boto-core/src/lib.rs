//! boto-core: the engine of boto-rs, like botocore is for boto3.
//!
//! The module tree is the pipeline of one call: [`model`] (service data) -> [`document`] (values) ->
//! `protocol` (serialize / parse) -> `endpoint` (URL) -> [`auth`] (SigV4) -> `http` (transport) ->
//! `retry` -> `paginate` / `waiter`. Each module documents its own contract.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod client;
pub mod config;
pub mod credentials;
pub(crate) mod customize;
pub mod document;
pub mod encoding;
pub mod endpoint;
pub mod http;
pub(crate) mod inline_text;
pub mod md5;
pub mod model;
pub mod paginate;
pub mod path;
pub mod protocol;
pub mod retry;
pub mod waiter;
