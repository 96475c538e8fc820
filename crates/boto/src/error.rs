//! The crate's error: a call failure ([`SdkError`]) or a session/config problem. Each variant keeps
//! the engine's typed error; like them, every variant is transparent: `Display` shows the wrapped
//! error's message and `source()` continues below it, so no message appears twice in a chain.

pub use boto_core::client::SdkError;
use boto_core::config::ConfigError;
use boto_core::credentials::CredentialsError;
use boto_core::http::TransportError;
use std::error::Error as StdError;
use std::fmt;

/// Any failure of boto-rs. `Display` shows the service's code, message and request id.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A call failed (validation, credentials, transport, response, or a service error).
    Sdk(SdkError),
    /// Unknown service (with close names).
    Model(boto_core::model::ModelError),
    /// Shared config files, environment values or session settings are invalid.
    Config(ConfigError),
    /// The credential chain could not be set up (a call that cannot get credentials is
    /// [`SdkError::Credentials`]).
    Credentials(CredentialsError),
    /// The transport could not be set up (TLS roots, proxy settings).
    Transport(TransportError),
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
    /// A DynamoDB value cannot be sent as given (a number beyond DynamoDB's range, a malformed
    /// condition).
    Value(crate::dynamodb::ValueError),
    /// An S3 transfer failed as a whole (a multipart upload and its cleanup, a corrupt
    /// download); [`Error::sdk`] still finds the call error inside.
    Transfer(Box<crate::transfer::TransferError>),
    /// No region is configured and the service has no global endpoint (botocore's
    /// `NoRegionError`, raised when the client is made).
    NoRegion {
        /// The service whose client was asked for.
        service: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sdk(e) => write!(f, "{e}"),
            Error::Model(e) => write!(f, "{e}"),
            Error::Config(e) => write!(f, "invalid configuration: {e}"),
            Error::Credentials(e) => write!(f, "{e}"),
            Error::Transport(e) => write!(f, "{e}"),
            Error::Usage(e) => write!(f, "{e}"),
            Error::Resource(e) => write!(f, "{e}"),
            Error::Io(e) => write!(f, "{e}"),
            Error::Waiter(e) => write!(f, "{e}"),
            Error::Pagination(e) => write!(f, "{e}"),
            Error::Value(e) => write!(f, "{e}"),
            Error::Transfer(e) => write!(f, "{e}"),
            Error::NoRegion { service } => write!(
                f,
                "You must specify a region for {service}: set region_name, AWS_REGION or \
                 AWS_DEFAULT_REGION, or region in the profile"
            ),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Sdk(e) => e.source(),
            Error::Model(e) => e.source(),
            Error::Config(e) => e.source(),
            Error::Credentials(e) => e.source(),
            Error::Transport(e) => e.source(),
            Error::Io(e) => e.source(),
            Error::Waiter(e) => e.source(),
            Error::Pagination(e) => e.source(),
            Error::Transfer(e) => e.source(),
            Error::Usage(_) | Error::Resource(_) | Error::Value(_) | Error::NoRegion { .. } => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
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

impl From<crate::dynamodb::ValueError> for Error {
    fn from(e: crate::dynamodb::ValueError) -> Self {
        Error::Value(e)
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
            Error::Transfer(t) => match &**t {
                crate::transfer::TransferError::Multipart { error, .. } => error.sdk(),
                _ => None,
            },
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
