//! Endpoint resolution: the Smithy endpoint rule-set engine, with botocore's semantics.
//!
//! Every service ships an `endpoint-rule-set-1.json`: declared parameters (`Region`, `UseFIPS`,
//! `Bucket`, ...) and a tree of rules whose conditions call a small standard library (`isSet`,
//! `stringEquals`, `aws.partition`, `parseURL`, ...). The first rule whose conditions hold yields
//! either an endpoint (URL, properties such as `authSchemes`, headers) or an error message.
//!
//! * [`RuleSet`] compiles a rule set once (parameters, rules, templates, attribute paths and
//!   variable slots are all resolved up front); evaluating it does not touch JSON text.
//! * [`Partitions`] is parsed from `partitions.json`; the caller decides where that comes from.
//! * [`Params`] carries the parameter values of one resolution (strings, booleans, string arrays).
//!
//! ```no_run
//! use boto_core::endpoint::{Params, Partitions, RuleSet};
//! # fn demo(rules_json: &str, partitions_json: &str) -> Result<(), boto_core::endpoint::EndpointError> {
//! let rules = RuleSet::from_json_str(rules_json)?;
//! let partitions = Partitions::from_json_str(partitions_json)?;
//! let params = Params::new()
//!     .with("Region", "us-west-2")
//!     .with("Bucket", "backupbucket")
//!     .with("UseFIPS", false)
//!     .with("UseDualStack", false)
//!     .with("Accelerate", false)
//!     .with("ForcePathStyle", false);
//! let endpoint = rules.resolve(&partitions, &params)?;
//! assert_eq!(endpoint.url, "https://backupbucket.s3.us-west-2.amazonaws.com");
//! # Ok(()) }
//! ```
//!
//! Semantics follow botocore's `endpoint_provider.py` (including its Python quirks where they are
//! observable: truthiness in `not`, only `false`/unset failing a condition, `str()` formatting of
//! non-string template values, falling through an exhausted tree rule, the partition matching
//! order). The Smithy functions `coalesce`, `split` and `ite` are supported as well.

use crate::document::Name;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

mod arn;
mod auth_scheme;
mod eval;
mod functions;
mod host;
mod memo;
mod partition;
mod precompiled;
pub(crate) mod regex;
mod rules;
mod value;

pub use auth_scheme::AuthScheme;
pub use host::{is_valid_region_name, REGION_NAME_RULE};
pub(crate) use memo::MemoizedRuleSet;
pub use partition::Partitions;
pub use rules::{ParameterSpec, ParameterType, RuleSet};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The endpoint URL, e.g. `https://bucket.s3.us-west-2.amazonaws.com`.
    pub url: String,
    /// Endpoint properties, e.g. `authSchemes` (a list of objects with `name`, `signingName`,
    /// `signingRegion`, `disableDoubleEncoding`, ...).
    pub properties: serde_json::Map<String, serde_json::Value>,
    /// Extra headers to send, name -> values.
    pub headers: BTreeMap<String, Vec<String>>,
}

/// Why an endpoint could not be resolved (or a rule set / partitions document not loaded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// The rule-set document is malformed or uses something unsupported.
    InvalidRuleSet(String),
    /// The partitions document is malformed.
    InvalidPartitions(String),
    /// A parameter is missing (required without default) or has the wrong type.
    InvalidParameter(String),
    /// An `error` rule matched; the message is the rule's (resolved) error text.
    Rule(String),
    /// No rule matched the parameters.
    NoMatch(String),
    /// Evaluation failed, e.g. a function received arguments of the wrong type.
    Evaluation(String),
    /// The rules produced a URL whose authority is not exactly one host (a `#`, `?`, `@`, `/`
    /// or blank smuggled in through a parameter): it is refused rather than sent elsewhere.
    UnsafeUrl(String),
}

impl EndpointError {
    /// The message without any prefix (for [`EndpointError::Rule`], exactly the rule's text).
    pub fn message(&self) -> &str {
        match self {
            EndpointError::InvalidRuleSet(m)
            | EndpointError::InvalidPartitions(m)
            | EndpointError::InvalidParameter(m)
            | EndpointError::Rule(m)
            | EndpointError::NoMatch(m)
            | EndpointError::Evaluation(m)
            | EndpointError::UnsafeUrl(m) => m,
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::InvalidRuleSet(m) => write!(f, "invalid endpoint rule set: {m}"),
            EndpointError::InvalidPartitions(m) => write!(f, "invalid partitions data: {m}"),
            other => f.write_str(other.message()),
        }
    }
}

impl std::error::Error for EndpointError {}

/// The value of one endpoint parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// A `string` parameter (a [`Name`]: a region, bucket or endpoint URL of up to 23 bytes is
    /// held inline, without an allocation per call).
    String(Name),
    /// A `boolean` parameter.
    Bool(bool),
    /// A `stringArray` parameter.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// The string, if this is [`ParamValue::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ParamValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is [`ParamValue::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

impl From<&str> for ParamValue {
    fn from(v: &str) -> Self {
        ParamValue::String(v.into())
    }
}

impl From<String> for ParamValue {
    fn from(v: String) -> Self {
        ParamValue::String(v.into())
    }
}

impl From<bool> for ParamValue {
    fn from(v: bool) -> Self {
        ParamValue::Bool(v)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(v: Vec<String>) -> Self {
        ParamValue::StringArray(v)
    }
}

impl From<&[&str]> for ParamValue {
    fn from(v: &[&str]) -> Self {
        ParamValue::StringArray(v.iter().map(|s| s.to_string()).collect())
    }
}

/// The parameter values of one resolution, by parameter name, in insertion order.
///
/// Parameters the rule set declares but that are absent here take their default (or fail when
/// required); names the rule set does not declare are ignored.
///
/// A name may be borrowed (`'a`), as the client borrows them from the rule set and the model for
/// each call, or owned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params<'a> {
    entries: Vec<(Cow<'a, str>, ParamValue)>,
}

impl<'a> Params<'a> {
    /// No parameters.
    pub fn new() -> Params<'a> {
        Params::default()
    }

    /// No parameters, with room for `n`.
    pub fn with_capacity(n: usize) -> Params<'a> {
        Params {
            entries: Vec::with_capacity(n),
        }
    }

    /// Sets `name` (replacing an earlier value) and returns `self`, for chaining.
    pub fn with(
        mut self,
        name: impl Into<Cow<'a, str>>,
        value: impl Into<ParamValue>,
    ) -> Params<'a> {
        self.insert(name, value);
        self
    }

    /// Sets `name`, replacing an earlier value.
    pub fn insert(
        &mut self,
        name: impl Into<Cow<'a, str>>,
        value: impl Into<ParamValue>,
    ) -> &mut Params<'a> {
        let name = name.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((name, value)),
        }
        self
    }

    /// Removes `name`, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.entries.iter().position(|(n, _)| n == name)?;
        Some(self.entries.remove(i).1)
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// All parameters, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.entries.iter().map(|(n, v)| (n.as_ref(), v))
    }

    /// How many parameters are set.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Builds parameters from a JSON object such as the `params` of an endpoint test case:
    /// strings, booleans and arrays of strings; `null` members are skipped.
    pub fn from_json(value: &serde_json::Value) -> Result<Params<'static>, EndpointError> {
        let obj = value.as_object().ok_or_else(|| {
            EndpointError::InvalidParameter("parameters must be a JSON object".to_string())
        })?;
        let mut params = Params::new();
        for (name, v) in obj {
            let value = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => ParamValue::String(s.as_str().into()),
                serde_json::Value::Bool(b) => ParamValue::Bool(*b),
                serde_json::Value::Array(items) => {
                    let mut strings = Vec::with_capacity(items.len());
                    for item in items {
                        match item.as_str() {
                            Some(s) => strings.push(s.to_string()),
                            None => {
                                return Err(EndpointError::InvalidParameter(format!(
                                    "Value ({name}) must be an array of strings"
                                )))
                            }
                        }
                    }
                    ParamValue::StringArray(strings)
                }
                _ => {
                    return Err(EndpointError::InvalidParameter(format!(
                        "Value ({name}) must be a string, a boolean or an array of strings"
                    )))
                }
            };
            params.entries.push((Cow::Owned(name.clone()), value));
        }
        Ok(params)
    }
}

impl<'a, K: Into<Cow<'a, str>>, V: Into<ParamValue>> FromIterator<(K, V)> for Params<'a> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut params = Params::new();
        for (k, v) in iter {
            params.insert(k, v);
        }
        params
    }
}

#[cfg(test)]
mod tests;
