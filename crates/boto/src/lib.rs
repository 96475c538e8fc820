//! boto-rs: the AWS SDK that boto3 describes, in Rust.
//!
//! Three layers, as in boto3:
//! - [`Session`]: where connectivity starts: credentials, region, endpoint URL and client config,
//!   resolved from arguments, the `AWS_*` environment and the shared `~/.aws` files. A lazily made
//!   default session backs [`client()`] and [`resource()`].
//! - [`Client`]: one call per API operation, by name (`"ListObjectsV2"` or `"list_objects_v2"`),
//!   with [`Document`] input and output, driven by the service models.
//! - [`resource`](mod@resource): boto3's object-oriented layer (`s3.bucket("b").objects().all()`), driven by
//!   boto3's resource models; every resource carries its session.
//!
//! Everything is async on tokio; [`blocking`] offers the same shapes for scripts.
//!
//! # Services and cargo features
//!
//! Every service of the pinned botocore (445 of them) can be called; its model is embedded when
//! its cargo feature, named exactly as botocore names the service, is on:
//! - the default features embed `s3`, `sqs`, `sts`, and `sso` / `sso-oidc` (for SSO credentials);
//! - add services by name: `boto = { version = "0.1", features = ["lambda", "bedrock-runtime"] }`;
//! - `full` embeds every service (about 4 MB of compressed data; the `boto` CLI uses it);
//! - two engine parts come only with the services that use them: endpoint discovery (with
//!   `dynamodb`, `timestream-query`, `timestream-write`) and gzip request compression (with
//!   `cloudwatch`). A model of such a service loaded from a data folder into a build without its
//!   feature runs without them (an operation that requires discovery says which feature to
//!   enable); the features `endpoint-discovery` and `request-compression` turn them on alone.
//!
//! A client for a service that exists but is not compiled in fails with
//! [`ModelError::NotCompiledIn`] (``lambda is not compiled in: enable the cargo feature `lambda`,
//! or put its model in AWS_DATA_PATH``); a misspelt name fails with
//! [`ModelError::UnknownService`] and close names (`lamda: no such service, did you mean lambda?`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::doc;
//! let s3 = boto::client("s3")?;
//! let resp = s3.call("list_objects_v2", doc! {"Bucket": "videobucket"}).await?;
//! for obj in resp["Contents"].iter() {
//!     println!("{}", obj["Key"].as_str().unwrap_or_default());
//! }
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth_token;
mod client;
pub mod credentials;
pub mod dsql;
pub mod dynamodb;
mod error;
pub mod rds;
pub mod resource;
mod session;
pub mod transfer;

pub mod blocking;

/// The engine crate, for its lower-level pieces (models, protocols, the signer).
pub use boto_core as core;
pub use boto_core::client::{
    ConstructionError, EventSender, EventStreamClosed, InputEvents, Output, PreparedRequest,
    PresignedPost, SdkError, ServiceClient,
};
pub use boto_core::config::{ConfigError, Env};
pub use boto_core::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
pub use boto_core::doc;
pub use boto_core::document::{Document, Map, MapHash, MapHasher, Name, Timestamp};
pub use boto_core::http::{ByteStream, HttpSettings, TransportError, TransportErrorKind};
pub use boto_core::model::ModelError;
pub use boto_core::paginate::PaginationError;
pub use boto_core::protocol::{ServiceError, ValidationError, ValidationProblem};
pub use boto_core::waiter::{Waiter, WaiterError};
pub use client::{Client, Paginator};
pub use error::Error;
pub use session::{default_session, Credentials, Session, SessionBuilder};

/// A client of the default session (`boto3.client("sqs")`).
pub fn client(service: &str) -> Result<Client, Error> {
    default_session()?.client(service)
}

/// A resource of the default session (`boto3.resource("s3")`).
pub fn resource(service: &str) -> Result<resource::ServiceResource, Error> {
    default_session()?.resource(service)
}
