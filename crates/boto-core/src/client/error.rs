//! The error of a call, shaped by how far the request got: never built ([`ConstructionError`]),
//! no credentials, dispatch failed (it may have been sent), an answer that could not be read, or
//! the service's own error.
//!
//! Every variant that wraps another error is transparent: `Display` shows the wrapped error's
//! message (after this layer's context, if any) and `source()` is the wrapped error's own source,
//! so an error-chain printer never shows a message twice while the wrapped value keeps its type.

use crate::auth::sigv4::SigningError;
use crate::credentials::CredentialsError;
use crate::endpoint::EndpointError;
use crate::http::TransportError;
use crate::protocol::{ProtocolError, ServiceError, ValidationError};
use std::error::Error as StdError;
use std::fmt;

/// Why a call failed. `Display` shows the code, message and request id of service errors.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError {
    /// The request was never built: unknown operation, invalid input, no endpoint.
    Construction(ConstructionError),
    /// No credentials could be found or refreshed; nothing was sent.
    Credentials(Box<CredentialsError>),
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
    /// The endpoint rules rejected the parameters, or the rule set or partitions could not be
    /// loaded.
    Endpoint {
        /// What the rules said.
        error: EndpointError,
        /// No region was configured (the likely cause when the rules need one).
        region_missing: bool,
    },
    /// The service has no endpoint rules and no `endpoint_url` was given.
    NoEndpoint {
        /// The service.
        service: String,
    },
    /// An endpoint URL that cannot be used.
    InvalidEndpointUrl {
        /// The URL as given or resolved.
        url: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The endpoint asks for auth schemes none of which is supported (only `sigv4` is).
    UnsupportedAuthSchemes(Vec<String>),
    /// The request is to carry a bearer token, and the client has none.
    NoBearerToken {
        /// The environment variable that would hold one (`AWS_BEARER_TOKEN_BEDROCK`).
        env_var: String,
    },
    /// A bearer token would travel over plain HTTP (or into a URL): refused.
    BearerNeedsHttps,
    /// Signing failed.
    Signing(SigningError),
    /// This call cannot run here or with these arguments (a blocking call inside an async
    /// runtime, a payload given twice, ...).
    Usage(String),
}

impl fmt::Display for ConstructionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConstructionError::Model(e) => write!(f, "{e}"),
            ConstructionError::Validation(e) => write!(f, "{e}"),
            ConstructionError::Serialize(e) => write!(f, "{e}"),
            ConstructionError::Endpoint {
                error,
                region_missing,
            } => {
                write!(f, "cannot resolve the endpoint: {error}")?;
                if *region_missing {
                    f.write_str(
                        "; no region is configured: set region_name, AWS_REGION or \
                         AWS_DEFAULT_REGION, or region in the profile",
                    )?;
                }
                Ok(())
            }
            ConstructionError::NoEndpoint { service } => write!(
                f,
                "cannot resolve the endpoint: {service} has no endpoint rules; set endpoint_url"
            ),
            ConstructionError::InvalidEndpointUrl { url, problem } => {
                write!(f, "cannot resolve the endpoint: {url:?} {problem}")
            }
            ConstructionError::UnsupportedAuthSchemes(names) => write!(
                f,
                "cannot sign the request: this endpoint needs the auth scheme(s) {}, which are not \
                 supported yet (only sigv4)",
                names.join(", ")
            ),
            ConstructionError::NoBearerToken { env_var } => write!(
                f,
                "cannot sign the request: it needs a bearer token and none was found (set \
                 {env_var}, or give the session a token)"
            ),
            ConstructionError::BearerNeedsHttps => f.write_str(
                "cannot sign the request: bearer authorization requires an HTTPS endpoint",
            ),
            ConstructionError::Signing(e) => write!(f, "cannot sign the request: {e}"),
            ConstructionError::Usage(e) => f.write_str(e),
        }
    }
}

impl StdError for ConstructionError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ConstructionError::Model(e) => e.source(),
            ConstructionError::Validation(e) => e.source(),
            ConstructionError::Serialize(e) => e.source(),
            ConstructionError::Endpoint { error, .. } => error.source(),
            ConstructionError::Signing(e) => e.source(),
            _ => None,
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

impl StdError for SdkError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Construction(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
            SdkError::Dispatch(e) => e.source(),
            SdkError::Response { error, .. } => error.source(),
            SdkError::Service(e) => e.source(),
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
            SdkError::Response {
                error: ProtocolError::Integrity(_),
                ..
            } => true,
            _ => false,
        }
    }

    /// True when the service throttled the call.
    pub fn is_throttling(&self) -> bool {
        self.service_error()
            .is_some_and(|s| crate::retry::is_throttling(&s.code))
    }
}

impl From<ConstructionError> for SdkError {
    fn from(e: ConstructionError) -> Self {
        SdkError::Construction(e)
    }
}

impl From<CredentialsError> for SdkError {
    fn from(e: CredentialsError) -> Self {
        SdkError::Credentials(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::TransportErrorKind;

    /// Every message of an error chain, outermost first.
    fn chain(e: &dyn StdError) -> Vec<String> {
        let mut out = vec![e.to_string()];
        let mut next = e.source();
        while let Some(s) = next {
            out.push(s.to_string());
            next = s.source();
        }
        out
    }

    #[test]
    fn no_message_is_shown_twice_in_a_chain() {
        let io = std::io::Error::other("connection reset by peer");
        let errors = [
            SdkError::Dispatch(TransportError::new(
                TransportErrorKind::Io,
                "request failed",
                Some(Box::new(io)),
            )),
            SdkError::Construction(ConstructionError::Endpoint {
                error: EndpointError::Rule("Invalid region".into()),
                region_missing: true,
            }),
            SdkError::Credentials(Box::new(CredentialsError::NotFound { tried: vec![] })),
        ];
        for e in &errors {
            let messages = chain(e);
            for (i, m) in messages.iter().enumerate() {
                for later in &messages[i + 1..] {
                    assert!(!m.contains(later.as_str()), "{m:?} repeats {later:?}");
                }
            }
        }
        assert!(errors[1].to_string().contains("Invalid region"));
        assert!(errors[1].to_string().contains("no region is configured"));
    }
}
