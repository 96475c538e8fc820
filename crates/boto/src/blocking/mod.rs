//! The blocking API: the same shapes as the async one, for scripts and plain `fn main`.
//!
//! Contract:
//! - It mirrors the async API module for module (as `reqwest::blocking` does): [`Session`] and
//!   [`SessionBuilder`] in `session.rs`, [`Client`], [`Pages`] (the paginator), [`Waiter`] and
//!   [`Output`] in `client.rs`, [`ServiceResource`], [`Resource`] and [`ActionResult`] in
//!   `resource.rs`, [`Collection`] in `collection.rs`, and [`transfer`] as `boto::transfer`.
//!   Every public async method has a twin here with the same name and arguments;
//!   `tests/blocking_parity.rs` fails when one is missing. Where the async API hands out a
//!   paginator or a stream, the twin is an [`Iterator`]; a streaming body is [`std::io::Read`].
//! - Every call runs to completion on one shared background runtime (one worker thread), so the
//!   connection pool and credential cache are shared with the async clients of the same session.
//! - Called from inside an async runtime, a call returns [`Error::Usage`]: never a deadlock,
//!   never a panic. An iterator reports that error once and then ends.
//!
//! ```no_run
//! # fn demo() -> Result<(), boto::Error> {
//! let s3 = boto::blocking::resource("s3")?;
//! for obj in s3.bucket("videobucket")?.objects()?.all() {
//!     println!("{}", obj?.key().unwrap_or_default());
//! }
//! # Ok(()) }
//! ```

mod client;
mod collection;
pub mod dsql;
pub mod dynamodb;
pub mod rds;
mod resource;
mod session;
pub mod transfer;

pub use client::{BodyReader, Client, EventStream, Output, Pages, Waiter};
pub use collection::{Collection, CollectionIter};
pub use resource::{batch_action, ActionResult, Resource, ServiceResource};
pub use session::{Session, SessionBuilder};

pub use crate::session::{Credentials, SessionBuilder as AsyncSessionBuilder};

use crate::error::Error;
use std::future::Future;
use std::sync::OnceLock;

/// The shared runtime every blocking call runs on, started on first use. A failure to start it is
/// kept and reported by every call, rather than retried on each one.
fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("boto-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::Usage(format!("cannot start the blocking runtime: {e}")))
}

/// Runs `f` to completion on the shared runtime, or refuses when the caller is itself on a runtime
/// (blocking there would stall, or with tokio panic, the caller's executor).
fn block_on<F: Future>(f: F) -> Result<F::Output, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Usage(
            "boto::blocking was called from inside an async runtime; use the async API there"
                .into(),
        ));
    }
    Ok(runtime()?.block_on(f))
}

/// The default session, made on first use from the environment and shared files
/// (see [`crate::default_session`]).
pub fn default_session() -> Result<Session, Error> {
    crate::default_session().map(Session::from)
}

/// A client of the default session (`boto3.client("sqs")`).
pub fn client(service: &str) -> Result<Client, Error> {
    crate::client(service).map(Client::from)
}

/// A client of the default session in `region` (`boto3.client("s3", region_name=...)`).
pub fn client_in_region(service: &str, region: &str) -> Result<Client, Error> {
    crate::default_session()?
        .client_in_region(service, region)
        .map(Client::from)
}

/// A resource of the default session (`boto3.resource("s3")`).
pub fn resource(service: &str) -> Result<ServiceResource, Error> {
    crate::resource(service).map(ServiceResource::from)
}
