//! `waiters-2.json` compiled into one typed table per service, on first use: every acceptor's
//! matcher, expected value and state are settled once, so a waiter's attempt only compares.

use super::compiled::DataCache;
use super::{fold_name, ModelError};
use crate::document::Document;
use serde_json::Value;
use std::sync::Arc;

/// What an acceptor decides when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The waiter is done.
    Success,
    /// The waiter failed.
    Failure,
    /// Try again after the delay (also any state this engine does not know).
    Retry,
}

/// A value an acceptor expects, in the forms the comparison needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A number; an integer document matches `int`, a float one matches `float`.
    Number {
        /// The value when it is exact as an integer.
        int: Option<i64>,
        /// The value as a float.
        float: Option<f64>,
    },
    /// JSON `null`.
    Null,
    /// A list or an object: no document from a path compares equal to it.
    Other,
}

impl Expected {
    fn from_json(v: &Value) -> Expected {
        match v {
            Value::String(s) => Expected::String(s.clone()),
            Value::Bool(b) => Expected::Bool(*b),
            Value::Number(n) => Expected::Number {
                int: n.as_i64(),
                float: n.as_f64(),
            },
            Value::Null => Expected::Null,
            _ => Expected::Other,
        }
    }

    /// Whether a value found by a path equals this expectation.
    pub fn matches(&self, found: &Document) -> bool {
        match (found, self) {
            (Document::String(s), Expected::String(e)) => s == e,
            (Document::Bool(b), Expected::Bool(e)) => b == e,
            (Document::Int(i), Expected::Number { int, .. }) => *int == Some(*i),
            (Document::Float(f), Expected::Number { float, .. }) => *float == Some(*f),
            (Document::Null, Expected::Null) => true,
            _ => false,
        }
    }
}

/// What the `error` matcher expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorExpectation {
    /// `true`: any service error; `false`: no error at all.
    Any(bool),
    /// A service error with this code.
    Code(String),
    /// Anything else: never matches an error.
    Other,
}

/// How an acceptor looks at an attempt's result.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// The HTTP status equals this (`None` when the model's value is not an integer).
    Status(Option<i64>),
    /// The call failed (or did not) as described.
    Error(ErrorExpectation),
    /// The value at `argument` equals `expected`.
    Path {
        /// JMESPath into the output.
        argument: String,
        /// The value.
        expected: Expected,
    },
    /// Every element of the non-empty list at `argument` equals `expected`.
    PathAll {
        /// JMESPath into the output.
        argument: String,
        /// The value.
        expected: Expected,
    },
    /// Some element of the list at `argument` equals `expected`.
    PathAny {
        /// JMESPath into the output.
        argument: String,
        /// The value.
        expected: Expected,
    },
    /// A matcher this engine does not know: it never matches (a newer model still loads).
    Unknown,
}

/// One acceptor: a matcher and the state it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// How it matches.
    pub matcher: Matcher,
    /// Where a match leads.
    pub state: AcceptorState,
}

/// One waiter of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterConfig {
    /// The name in the model (`BucketExists`).
    pub name: String,
    /// The operation it polls (model name).
    pub operation: String,
    /// Seconds between attempts (botocore's default 5 when the model gives none).
    pub delay_secs: u64,
    /// Attempts before giving up, at least 1 (default 20).
    pub max_attempts: u32,
    /// Acceptors in model order: the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// Every waiter of one service.
#[derive(Debug, Default)]
pub struct WaiterTable {
    /// In model order, each with its folded name (so `bucket_exists` finds `BucketExists`).
    waiters: Vec<(String, Arc<WaiterConfig>)>,
}

impl WaiterTable {
    /// The waiter called `name`, in the model's or boto3's spelling.
    pub fn get(&self, name: &str) -> Option<&Arc<WaiterConfig>> {
        let want = fold_name(name);
        self.waiters
            .iter()
            .find(|(folded, _)| *folded == want)
            .map(|(_, w)| w)
    }

    /// Every waiter name, in model order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.waiters.iter().map(|(_, w)| w.name.as_str())
    }
}

fn compile_acceptor(a: &Value) -> Acceptor {
    let expected = &a["expected"];
    let argument = || a["argument"].as_str().unwrap_or_default().to_string();
    let matcher = match a["matcher"].as_str().unwrap_or_default() {
        "status" => Matcher::Status(expected.as_i64()),
        "error" => Matcher::Error(match expected {
            Value::Bool(b) => ErrorExpectation::Any(*b),
            Value::String(code) => ErrorExpectation::Code(code.clone()),
            _ => ErrorExpectation::Other,
        }),
        "path" => Matcher::Path {
            argument: argument(),
            expected: Expected::from_json(expected),
        },
        "pathAll" => Matcher::PathAll {
            argument: argument(),
            expected: Expected::from_json(expected),
        },
        "pathAny" => Matcher::PathAny {
            argument: argument(),
            expected: Expected::from_json(expected),
        },
        _ => Matcher::Unknown,
    };
    let state = match a["state"].as_str() {
        Some("success") => AcceptorState::Success,
        Some("failure") => AcceptorState::Failure,
        _ => AcceptorState::Retry,
    };
    Acceptor { matcher, state }
}

fn compile_waiter(name: &str, def: &Value) -> WaiterConfig {
    WaiterConfig {
        name: name.to_string(),
        operation: def["operation"].as_str().unwrap_or_default().to_string(),
        delay_secs: def["delay"].as_u64().unwrap_or(5),
        max_attempts: def["maxAttempts"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(20)
            .max(1),
        acceptors: def["acceptors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(compile_acceptor)
            .collect(),
    }
}

/// Compiles a `waiters-2.json` document.
pub fn compile_waiters(_service: &str, json: &Value) -> WaiterTable {
    let waiters = json
        .get("waiters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, def)| (fold_name(name), Arc::new(compile_waiter(name, def))))
        .collect();
    WaiterTable { waiters }
}

static WAITERS: DataCache<WaiterTable> = DataCache::new("waiters-2", compile_waiters);

/// The compiled waiters of an embedded service; `Ok(None)` when it has none.
pub fn waiters(service: &str) -> Result<Option<Arc<WaiterTable>>, ModelError> {
    WAITERS.get(service)
}

impl super::ServiceModel {
    /// The compiled waiters of this model (a folder model's own `waiters-2` file, else the
    /// embedded one); `Ok(None)` when it has none.
    pub fn waiters(&self) -> Result<Option<Arc<WaiterTable>>, ModelError> {
        WAITERS.get_for(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn acceptors_compile_to_typed_matchers() {
        let json = serde_json::json!({"version": 2, "waiters": {
            "BucketExists": {"operation": "HeadBucket", "delay": 5, "maxAttempts": 20,
                "acceptors": [
                    {"matcher": "status", "expected": 200, "state": "success"},
                    {"matcher": "error", "expected": "NoSuchBucket", "state": "retry"},
                    {"matcher": "error", "expected": false, "state": "success"},
                    {"matcher": "pathAll", "argument": "Items[].State", "expected": "ok",
                     "state": "success"},
                    {"matcher": "path", "argument": "Count", "expected": 3, "state": "failure"},
                    {"matcher": "somethingNew", "expected": 1, "state": "success"}
                ]},
            "Defaults": {"operation": "X", "maxAttempts": 0}
        }});
        let t = compile_waiters("s3", &json);
        let w = t.get("bucket_exists").unwrap();
        assert_eq!(w.operation, "HeadBucket");
        let m: Vec<&Matcher> = w.acceptors.iter().map(|a| &a.matcher).collect();
        assert_eq!(m[0], &Matcher::Status(Some(200)));
        assert_eq!(
            m[1],
            &Matcher::Error(ErrorExpectation::Code("NoSuchBucket".into()))
        );
        assert_eq!(m[2], &Matcher::Error(ErrorExpectation::Any(false)));
        assert!(matches!(m[3], Matcher::PathAll { argument, .. } if argument == "Items[].State"));
        assert_eq!(m[5], &Matcher::Unknown);
        assert_eq!(w.acceptors[1].state, AcceptorState::Retry);
        assert_eq!(w.acceptors[4].state, AcceptorState::Failure);
        let d = t.get("Defaults").unwrap();
        assert_eq!((d.delay_secs, d.max_attempts), (5, 1));
        assert_eq!(t.names().collect::<Vec<_>>(), ["BucketExists", "Defaults"]);
    }

    #[test]
    fn expected_values_compare_like_botocore() {
        let three = Expected::from_json(&serde_json::json!(3));
        assert!(three.matches(&doc!(3)));
        assert!(three.matches(&Document::Float(3.0)));
        let half = Expected::from_json(&serde_json::json!(2.5));
        assert!(!half.matches(&doc!(2)) && half.matches(&doc!(2.5)));
        assert!(Expected::Null.matches(&Document::Null));
        assert!(!Expected::Other.matches(&doc!([])));
        assert!(!Expected::String("a".into()).matches(&doc!(true)));
    }

    #[test]
    fn embedded_tables_compile_once() {
        let a = waiters("s3").unwrap().expect("s3 has waiters");
        assert!(Arc::ptr_eq(&a, &waiters("s3").unwrap().unwrap()));
        assert_eq!(a.get("BucketExists").unwrap().operation, "HeadBucket");
        assert!(waiters("nope").is_err());
    }
}
