//! Waiters driven by `waiters-2.json`: call an operation every `delay` seconds until one of its
//! acceptors (`status`, `error`, `path`, `pathAll`, `pathAny` matchers) says success or failure,
//! or the attempts run out.

use crate::client::{SdkError, ServiceClient};
use crate::document::Document;
use crate::model::{closest_names, data_file, fold_name};
use crate::path::search;
use serde_json::Value;
use std::fmt;
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

impl std::error::Error for WaiterError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Success,
    Failure,
    Retry,
}

/// One waiter of a service, ready to wait.
#[derive(Debug, Clone)]
pub struct Waiter {
    client: ServiceClient,
    name: String,
    operation: String,
    delay: Duration,
    max_attempts: u32,
    acceptors: Vec<Value>,
}

impl Waiter {
    /// The waiter `name` (`BucketExists` or `bucket_exists`) of the client's service.
    pub fn new(client: &ServiceClient, name: &str) -> Result<Waiter, WaiterError> {
        let unknown = |names: Vec<String>| WaiterError::Unknown {
            name: name.to_string(),
            did_you_mean: closest_names(name, names.iter().map(String::as_str), 3),
        };
        let data = data_file(client.model().service_name(), "waiters-2")
            .ok()
            .flatten();
        let waiters = data
            .as_ref()
            .and_then(|d| d.get("waiters"))
            .and_then(Value::as_object);
        let Some(waiters) = waiters else {
            return Err(unknown(Vec::new()));
        };
        let want = fold_name(name);
        let Some((key, def)) = waiters.iter().find(|(k, _)| fold_name(k) == want) else {
            return Err(unknown(waiters.keys().cloned().collect()));
        };
        Ok(Waiter {
            client: client.clone(),
            name: key.clone(),
            operation: def["operation"].as_str().unwrap_or_default().to_string(),
            delay: Duration::from_secs(def["delay"].as_u64().unwrap_or(5)),
            max_attempts: def["maxAttempts"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(20)
                .max(1),
            acceptors: def["acceptors"].as_array().cloned().unwrap_or_default(),
        })
    }

    /// The waiter's name in the model.
    pub fn name(&self) -> &str {
        &self.name
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

    fn evaluate(&self, result: &Result<Document, SdkError>) -> Option<State> {
        for a in &self.acceptors {
            let expected = &a["expected"];
            let matched = match (a["matcher"].as_str().unwrap_or_default(), result) {
                ("status", Ok(doc)) => {
                    expected.as_i64() == doc["ResponseMetadata"]["HTTPStatusCode"].as_i64()
                }
                ("status", Err(e)) => e.status().map(i64::from) == expected.as_i64(),
                ("error", Ok(_)) => expected == &Value::Bool(false),
                ("error", Err(e)) => match expected {
                    Value::Bool(b) => *b && e.service_error().is_some(),
                    Value::String(code) => e.is(code),
                    _ => false,
                },
                ("path", Ok(doc)) => matches(
                    &search(a["argument"].as_str().unwrap_or_default(), doc),
                    expected,
                ),
                ("pathAll", Ok(doc)) => {
                    match search(a["argument"].as_str().unwrap_or_default(), doc) {
                        Document::List(items) => {
                            !items.is_empty() && items.iter().all(|i| matches(i, expected))
                        }
                        _ => false,
                    }
                }
                ("pathAny", Ok(doc)) => {
                    match search(a["argument"].as_str().unwrap_or_default(), doc) {
                        Document::List(items) => items.iter().any(|i| matches(i, expected)),
                        _ => false,
                    }
                }
                _ => false,
            };
            if matched {
                return match a["state"].as_str() {
                    Some("success") => Some(State::Success),
                    Some("failure") => Some(State::Failure),
                    _ => Some(State::Retry),
                };
            }
        }
        None
    }

    /// Calls the operation with `input` until the waiter succeeds; returns the last output.
    pub async fn wait(&self, input: Document) -> Result<Document, WaiterError> {
        for attempt in 1..=self.max_attempts {
            let result = self.client.call(&self.operation, input.clone()).await;
            match (self.evaluate(&result), result) {
                (Some(State::Success), Ok(doc)) => return Ok(doc),
                (Some(State::Success), Err(e)) => {
                    // A success by status or error code: hand back what botocore would, the error's fields.
                    return Ok(e
                        .service_error()
                        .map(|s| s.fields.clone())
                        .unwrap_or_default());
                }
                (Some(State::Failure), result) => {
                    return Err(WaiterError::Failure {
                        waiter: self.name.clone(),
                        attempt,
                        last_error: result.err(),
                    })
                }
                (None, Err(error)) => {
                    return Err(WaiterError::Call {
                        waiter: self.name.clone(),
                        error,
                    })
                }
                (Some(State::Retry), _) | (None, Ok(_)) => {}
            }
            if attempt < self.max_attempts {
                tokio::time::sleep(self.delay).await;
            }
        }
        Err(WaiterError::MaxAttemptsExceeded {
            waiter: self.name.clone(),
            attempts: self.max_attempts,
        })
    }
}

/// Compares a searched value with an acceptor's `expected` JSON.
fn matches(found: &Document, expected: &Value) -> bool {
    match (found, expected) {
        (Document::String(s), Value::String(e)) => s == e,
        (Document::Bool(b), Value::Bool(e)) => b == e,
        (Document::Int(i), Value::Number(n)) => n.as_i64() == Some(*i),
        (Document::Float(f), Value::Number(n)) => n.as_f64() == Some(*f),
        (Document::Null, Value::Null) => true,
        _ => false,
    }
}
