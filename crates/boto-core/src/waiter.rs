//! Waiters driven by `waiters-2.json`: call an operation every `delay` seconds until one of its
//! acceptors (`status`, `error`, `path`, `pathAll`, `pathAny` matchers) says success or failure,
//! or the attempts run out.
//!
//! The definitions come from the service's compiled table ([`crate::model::waiters`]), read once
//! per process: an attempt only compares its result with typed acceptors.

use crate::client::{SdkError, ServiceClient};
use crate::document::Document;
use crate::model::{closest_names, AcceptorState, ErrorExpectation, Matcher, WaiterConfig};
use crate::path::search;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why waiting ended without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError {
    /// No such waiter for this service.
    Unknown {
        /// What was asked for.
        name: String,
        /// Close names.
        did_you_mean: Vec<String>,
    },
    /// An acceptor matched with state `failure`.
    Failure {
        /// The waiter.
        waiter: String,
        /// The attempt that failed.
        attempt: u32,
        /// The last call's error, if it was one.
        last_error: Option<SdkError>,
    },
    /// The attempts ran out.
    MaxAttemptsExceeded {
        /// The waiter.
        waiter: String,
        /// How many calls were made.
        attempts: u32,
    },
    /// A call failed with an error no acceptor expects.
    Call {
        /// The waiter.
        waiter: String,
        /// The error.
        error: SdkError,
    },
}

impl fmt::Display for WaiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Unknown { name, did_you_mean } => {
                write!(f, "no waiter named {name:?}")?;
                if !did_you_mean.is_empty() {
                    write!(f, "; did you mean {}?", did_you_mean.join(", "))?;
                }
                Ok(())
            }
            WaiterError::Failure {
                waiter,
                attempt,
                last_error,
            } => {
                write!(
                    f,
                    "waiter {waiter} reached a failure state on attempt {attempt}"
                )?;
                if let Some(e) = last_error {
                    write!(f, ": {e}")?;
                }
                Ok(())
            }
            WaiterError::MaxAttemptsExceeded { waiter, attempts } => {
                write!(f, "waiter {waiter} gave up after {attempts} attempts")
            }
            WaiterError::Call { waiter, error } => {
                write!(f, "waiter {waiter} hit an unexpected error: {error}")
            }
        }
    }
}

/// Transparent: `Display` shows the call error it wraps, so `source()` continues below it.
impl std::error::Error for WaiterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Failure {
                last_error: Some(e),
                ..
            }
            | WaiterError::Call { error: e, .. } => e.source(),
            _ => None,
        }
    }
}

/// One waiter of a service, ready to wait.
#[derive(Debug, Clone)]
pub struct Waiter {
    client: ServiceClient,
    config: Arc<WaiterConfig>,
    delay: Duration,
    max_attempts: u32,
}

impl Waiter {
    /// The waiter `name` (`BucketExists` or `bucket_exists`) of the client's service.
    pub fn new(client: &ServiceClient, name: &str) -> Result<Waiter, WaiterError> {
        let unknown = |names: Vec<&str>| WaiterError::Unknown {
            name: name.to_string(),
            did_you_mean: closest_names(name, names.into_iter(), 3),
        };
        let Some(table) = client.model().waiters().ok().flatten() else {
            return Err(unknown(Vec::new()));
        };
        let Some(config) = table.get(name) else {
            return Err(unknown(table.names().collect()));
        };
        Ok(Waiter {
            client: client.clone(),
            config: config.clone(),
            delay: Duration::from_secs(config.delay_secs),
            max_attempts: config.max_attempts,
        })
    }

    /// The waiter's name in the model.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// Overrides the pause between attempts (`WaiterConfig.Delay`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Overrides the number of attempts (`WaiterConfig.MaxAttempts`).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    fn evaluate(&self, result: &Result<Document, SdkError>) -> Option<AcceptorState> {
        self.config
            .acceptors
            .iter()
            .find(|a| matched(&a.matcher, result))
            .map(|a| a.state)
    }

    /// Calls the operation with `input` until the waiter succeeds; returns the last output.
    pub async fn wait(&self, input: Document) -> Result<Document, WaiterError> {
        for attempt in 1..=self.max_attempts {
            let result = self
                .client
                .call(&self.config.operation, input.clone())
                .await;
            match (self.evaluate(&result), result) {
                (Some(AcceptorState::Success), Ok(doc)) => return Ok(doc),
                (Some(AcceptorState::Success), Err(e)) => {
                    // A success by status or error code: hand back what botocore would, the error's fields.
                    return Ok(e
                        .service_error()
                        .map(|s| s.fields.clone())
                        .unwrap_or_default());
                }
                (Some(AcceptorState::Failure), result) => {
                    return Err(WaiterError::Failure {
                        waiter: self.config.name.clone(),
                        attempt,
                        last_error: result.err(),
                    })
                }
                (None, Err(error)) => {
                    return Err(WaiterError::Call {
                        waiter: self.config.name.clone(),
                        error,
                    })
                }
                (Some(AcceptorState::Retry), _) | (None, Ok(_)) => {}
            }
            if attempt < self.max_attempts {
                tokio::time::sleep(self.delay).await;
            }
        }
        Err(WaiterError::MaxAttemptsExceeded {
            waiter: self.config.name.clone(),
            attempts: self.max_attempts,
        })
    }
}

/// Whether one acceptor's matcher matches an attempt's result.
fn matched(matcher: &Matcher, result: &Result<Document, SdkError>) -> bool {
    match (matcher, result) {
        (Matcher::Status(expected), Ok(doc)) => {
            *expected == doc["ResponseMetadata"]["HTTPStatusCode"].as_i64()
        }
        (Matcher::Status(expected), Err(e)) => e.status().map(i64::from) == *expected,
        (Matcher::Error(expected), Ok(_)) => *expected == ErrorExpectation::Any(false),
        (Matcher::Error(expected), Err(e)) => match expected {
            ErrorExpectation::Any(b) => *b && e.service_error().is_some(),
            ErrorExpectation::Code(code) => e.is(code),
            ErrorExpectation::Other => false,
        },
        (Matcher::Path { argument, expected }, Ok(doc)) => expected.matches(&search(argument, doc)),
        (Matcher::PathAll { argument, expected }, Ok(doc)) => match &search(argument, doc) {
            Document::List(items) => !items.is_empty() && items.iter().all(|i| expected.matches(i)),
            _ => false,
        },
        (Matcher::PathAny { argument, expected }, Ok(doc)) => match &search(argument, doc) {
            Document::List(items) => items.iter().any(|i| expected.matches(i)),
            _ => false,
        },
        _ => false,
    }
}
