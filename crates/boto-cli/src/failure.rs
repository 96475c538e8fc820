//! Why the command failed, and the exit status aws-cli gives that kind of failure.

use std::fmt;

/// A failed command: what to print on stderr and the status to exit with.
#[derive(Debug)]
pub struct Failure {
    /// One of aws-cli's documented exit statuses.
    pub status: u8,
    /// The message, already in aws-cli's wording where it has one.
    pub message: String,
}

/// aws-cli's exit statuses (`aws help return-codes`).
pub mod status {
    /// A generic failure, and S3 transfer failures.
    pub const GENERIC: u8 = 1;
    /// The command line could not be parsed at all.
    pub const USAGE: u8 = 2;
    /// A parameter or the command syntax is invalid.
    pub const BAD_PARAMETERS: u8 = 252;
    /// Configuration or credentials are missing or invalid.
    pub const CONFIG: u8 = 253;
    /// The service answered with an error.
    pub const SERVICE: u8 = 254;
    /// Interrupted by Ctrl-C (128 + SIGINT).
    pub const INTERRUPTED: u8 = 130;
    /// Anything else.
    pub const OTHER: u8 = 255;
}

impl Failure {
    /// A failure with `status`.
    pub fn new(status: u8, message: impl Into<String>) -> Failure {
        Failure {
            status,
            message: message.into(),
        }
    }

    /// An invalid parameter or command (252).
    pub fn param(message: impl Into<String>) -> Failure {
        Failure::new(status::BAD_PARAMETERS, message)
    }

    /// A failed call, classified as aws-cli classifies it: a service error prints
    /// `An error occurred (Code) when calling the Op operation: message` and exits 254.
    pub fn call(error: boto::Error, operation: &str) -> Failure {
        if let Some(sdk) = error.sdk() {
            if let Some(service) = sdk.service_error() {
                let op = service.operation.as_deref().unwrap_or(operation);
                let message = service.message.as_deref().unwrap_or("Unknown");
                return Failure::new(
                    status::SERVICE,
                    format!(
                        "An error occurred ({}) when calling the {op} operation: {message}",
                        service.code
                    ),
                );
            }
            if sdk.validation().is_some() {
                return Failure::param(format!("Parameter validation failed:\n{error}"));
            }
        }
        let status = match &error {
            boto::Error::Config(_) | boto::Error::Credentials(_) => status::CONFIG,
            boto::Error::Sdk(boto::SdkError::Credentials(..)) => status::CONFIG,
            boto::Error::Model(_) => status::BAD_PARAMETERS,
            _ => status::OTHER,
        };
        Failure::new(status, error.to_string())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
