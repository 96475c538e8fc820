//! The error of a call, shaped by how far the request got.

use crate::http::TransportError;
use crate::protocol::{ProtocolError, ServiceError, ValidationError};
use std::fmt;

/// Why a call failed. `Display` shows the code, message and request id of service errors.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError {
    /// The request was never built: unknown operation, invalid input, no endpoint.
    Construction(ConstructionError),
    /// No credentials could be found or refreshed; nothing was sent.
    Credentials(Box<dyn std::error::Error + Send + Sync>),
    /// The transport failed (connect, timeout, connection reset); the request may have been sent
    /// unless the kind says it was a connect failure.
    Dispatch(TransportError),
    /// A response arrived but could not be understood.
    Response {
        /// What went wrong.
        error: ProtocolError,
        /// Its HTTP status.
        status: u16,
        /// The request id, if the headers carried one.
        request_id: Option<String>,
    },
    /// The service answered with an error.
    Service(Box<ServiceError>),
}

/// Why a request could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConstructionError {
    /// Unknown service or operation (with close names).
    Model(crate::model::ModelError),
    /// The input failed validation (every problem listed).
    Validation(ValidationError),
    /// The input is valid but cannot be put on the wire.
    Serialize(ProtocolError),
    /// The endpoint rules rejected the parameters or no endpoint could be made.
    Endpoint(String),
    /// Signing failed.
    Signing(String),
    /// This call cannot run here (a blocking call inside an async runtime, ...).
    Usage(String),
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstructionError::Model(e) => write!(f, "{e}"),
            ConstructionError::Validation(e) => write!(f, "{e}"),
            ConstructionError::Serialize(e) => write!(f, "{e}"),
            ConstructionError::Endpoint(e) => write!(f, "cannot resolve the endpoint: {e}"),
            ConstructionError::Signing(e) => write!(f, "cannot sign the request: {e}"),
            ConstructionError::Usage(e) => write!(f, "{e}"),
        }
    }
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "{e}"),
            SdkError::Credentials(e) => write!(f, "no usable credentials: {e}"),
            SdkError::Dispatch(e) => write!(f, "{e}"),
            SdkError::Response {
                error,
                status,
                request_id,
            } => {
                write!(f, "{error} (HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                f.write_str(")")
            }
            SdkError::Service(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SdkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Credentials(e) => Some(e.as_ref()),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Service(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl SdkError {
    /// The service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error code (`NoSuchBucket`).
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }

    /// True when the service error is `code`, or the modeled error shape named `code` (so
    /// `is("QueueDoesNotExist")` matches SQS's query-compatible `AWS.SimpleQueueService.NonExistentQueue`).
    pub fn is(&self, code: &str) -> bool {
        match self.service_error() {
            Some(e) => e.code == code || e.shape.as_deref() == Some(code),
            None => false,
        }
    }

    /// The request id, when the service assigned one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id.as_deref(),
            SdkError::Response { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Service(e) => Some(e.status),
            SdkError::Response { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The validation problems, when the input was rejected before sending.
    pub fn validation(&self) -> Option<&ValidationError> {
        match self {
            SdkError::Construction(ConstructionError::Validation(v)) => Some(v),
            _ => None,
        }
    }

    /// True when the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, SdkError::Dispatch(e) if e.kind() == crate::http::TransportErrorKind::Timeout)
    }

    /// True when another attempt could succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            SdkError::Dispatch(e) => e.is_retryable(),
            SdkError::Service(e) => crate::retry::is_retryable_service_error(e.status, &e.code),
            _ => false,
        }
    }
}

impl From<ConstructionError> for SdkError {
    fn from(e: ConstructionError) -> Self {
        SdkError::Construction(e)
    }
}
