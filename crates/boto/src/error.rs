//! The crate's error: a call failure ([`SdkError`]) or a session/config problem.

pub use boto_core::client::SdkError;
use std::fmt;

/// Any failure of boto-rs. `Display` shows the service's code, message and request id.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A call failed (validation, credentials, transport, response, or a service error).
    Sdk(SdkError),
    /// Unknown service (with close names).
    Model(boto_core::model::ModelError),
    /// Shared config files or environment values are invalid.
    Config(String),
    /// The call cannot run here (e.g. a blocking call inside an async runtime).
    Usage(String),
    /// A resource was asked for something its model does not have, or a response lacked an
    /// identifier it needs.
    Resource(String),
    /// Local I/O (reading a file to upload, writing a download).
    Io(std::io::Error),
    /// A waiter ended without success.
    Waiter(boto_core::waiter::WaiterError),
    /// A paginator stopped: the service repeated a next token. (A failed page request is
    /// [`Error::Sdk`].)
    Pagination(boto_core::paginate::PaginationError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sdk(e) => write!(f, "{e}"),
            Error::Model(e) => write!(f, "{e}"),
            Error::Config(e) => write!(f, "invalid configuration: {e}"),
            Error::Usage(e) => write!(f, "{e}"),
            Error::Resource(e) => write!(f, "{e}"),
            Error::Io(e) => write!(f, "{e}"),
            Error::Waiter(e) => write!(f, "{e}"),
            Error::Pagination(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sdk(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::Waiter(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SdkError> for Error {
    fn from(e: SdkError) -> Self {
        Error::Sdk(e)
    }
}

impl From<boto_core::model::ModelError> for Error {
    fn from(e: boto_core::model::ModelError) -> Self {
        Error::Model(e)
    }
}

impl From<boto_core::http::TransportError> for Error {
    fn from(e: boto_core::http::TransportError) -> Self {
        Error::Sdk(SdkError::Dispatch(e))
    }
}

impl From<boto_core::waiter::WaiterError> for Error {
    fn from(e: boto_core::waiter::WaiterError) -> Self {
        Error::Waiter(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl Error {
    /// The call error, if this is one.
    pub fn sdk(&self) -> Option<&SdkError> {
        match self {
            Error::Sdk(e) => Some(e),
            _ => None,
        }
    }

    /// The service error code (`NoSuchBucket`).
    pub fn code(&self) -> Option<&str> {
        self.sdk().and_then(SdkError::code)
    }

    /// True when the service error is `code` or the modeled error `code` (see [`SdkError::is`]).
    pub fn is(&self, code: &str) -> bool {
        self.sdk().is_some_and(|e| e.is(code))
    }

    /// The request id of a service error.
    pub fn request_id(&self) -> Option<&str> {
        self.sdk().and_then(SdkError::request_id)
    }

    /// The HTTP status of a service error.
    pub fn status(&self) -> Option<u16> {
        self.sdk().and_then(SdkError::status)
    }
}
