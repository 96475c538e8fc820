//! Input validation against the operation's input shape, reporting every problem at once, like
//! botocore's `ParamValidationError`: missing required members, unknown members, wrong types and
//! values outside the model's `min`/`max`. Enums are left open (services add values).

use crate::document::{Document, Timestamp};
use crate::model::{Operation, ServiceModel, ShapeId, ShapeType};
use std::fmt;

/// One problem with the input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValidationProblem {
    /// A required member is absent.
    MissingRequired {
        /// Where (`input`, `input.Delete`).
        path: String,
        /// The member.
        member: String,
    },
    /// A member the shape does not have.
    UnknownMember {
        /// Where.
        path: String,
        /// The unexpected name.
        member: String,
        /// What the shape accepts.
        valid: Vec<String>,
    },
    /// A value of the wrong kind.
    InvalidType {
        /// The parameter path (`Delete.Objects[0].Key`).
        path: String,
        /// What was given.
        given: &'static str,
        /// What the shape wants.
        expected: &'static str,
    },
    /// A value outside `min` / `max`.
    OutOfRange {
        /// The parameter path.
        path: String,
        /// Describes the violated bound.
        detail: String,
    },
    /// A value the service's own rules refuse (an S3 bucket name that is not one).
    InvalidValue {
        /// The parameter path.
        path: String,
        /// What is wrong with it.
        detail: String,
    },
}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationProblem::MissingRequired { path, member } => {
                write!(f, "Missing required parameter in {path}: \"{member}\"")
            }
            ValidationProblem::UnknownMember {
                path,
                member,
                valid,
            } => write!(
                f,
                "Unknown parameter in {path}: \"{member}\", must be one of: {}",
                valid.join(", ")
            ),
            ValidationProblem::InvalidType {
                path,
                given,
                expected,
            } => {
                write!(
                    f,
                    "Invalid type for parameter {path}: got {} {given}, expected {} {expected}",
                    article(given),
                    article(expected)
                )
            }
            ValidationProblem::OutOfRange { path, detail }
            | ValidationProblem::InvalidValue { path, detail } => {
                write!(f, "Invalid value for parameter {path}: {detail}")
            }
        }
    }
}

/// `a` or `an` for a kind name.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Every problem found in one input.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// The operation.
    pub operation: String,
    /// The problems, in document order.
    pub problems: Vec<ValidationProblem>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parameter validation failed for {}:", self.operation)?;
        for p in &self.problems {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Checks `input` against `op`'s input shape.
pub fn validate(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<(), ValidationError> {
    let mut problems = Vec::new();
    match op.input {
        Some(id) => check(model, id, input, "input", "", &mut problems),
        None => {
            if let Some(m) = input.as_map() {
                for k in m.keys() {
                    problems.push(ValidationProblem::UnknownMember {
                        path: "input".into(),
                        member: k.clone(),
                        valid: Vec::new(),
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            operation: op.name.clone(),
            problems,
        })
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn check(
    model: &ServiceModel,
    id: ShapeId,
    value: &Document,
    context: &str,
    path: &str,
    out: &mut Vec<ValidationProblem>,
) {
    let shape = model.shape(id);
    let shown = if path.is_empty() {
        context.to_string()
    } else {
        path.to_string()
    };
    if shape.document {
        return;
    }
    let wrong = |given: &'static str| ValidationProblem::InvalidType {
        path: shown.clone(),
        given,
        expected: shape.shape_type.name(),
    };
    let range = |out: &mut Vec<ValidationProblem>, n: f64, what: &str| {
        if let Some(min) = shape.min {
            if n < min {
                out.push(ValidationProblem::OutOfRange {
                    path: shown.clone(),
                    detail: format!("{what} {n} is below the minimum {min}"),
                });
            }
        }
        if let Some(max) = shape.max {
            if n > max {
                out.push(ValidationProblem::OutOfRange {
                    path: shown.clone(),
                    detail: format!("{what} {n} is above the maximum {max}"),
                });
            }
        }
    };
    match (shape.shape_type, value) {
        (ShapeType::Structure, Document::Map(values)) => {
            let here = if path.is_empty() {
                context.to_string()
            } else {
                path.to_string()
            };
            for req in &shape.required {
                // An input event stream comes as a stream of its own, never in the document.
                let streamed = shape
                    .member_named(req)
                    .is_some_and(|m| model.shape(m.target).event_stream);
                if !streamed && values.get(req).is_none_or(Document::is_null) {
                    out.push(ValidationProblem::MissingRequired {
                        path: here.clone(),
                        member: req.clone(),
                    });
                }
            }
            let set = values.values().filter(|v| !v.is_null()).count();
            if shape.union && set > 1 {
                out.push(ValidationProblem::OutOfRange {
                    path: here.clone(),
                    detail: format!("a union takes exactly one member, got {set}"),
                });
            }
            for (k, v) in values {
                match shape.member_named(k) {
                    Some(m) => {
                        if !v.is_null() {
                            check(model, m.target, v, context, &join(path, k), out);
                        }
                    }
                    None => out.push(ValidationProblem::UnknownMember {
                        path: here.clone(),
                        member: k.clone(),
                        valid: shape.members.iter().map(|m| m.name.clone()).collect(),
                    }),
                }
            }
        }
        (ShapeType::List, Document::List(items)) => {
            range(out, items.len() as f64, "length");
            if let Some(m) = shape.member.as_deref() {
                for (i, item) in items.iter().enumerate() {
                    check(
                        model,
                        m.target,
                        item,
                        context,
                        &format!("{shown}[{i}]"),
                        out,
                    );
                }
            }
        }
        (ShapeType::Map, Document::Map(entries)) => {
            if let Some(v) = shape.value.as_deref() {
                for (k, item) in entries {
                    if !item.is_null() {
                        check(model, v.target, item, context, &format!("{shown}.{k}"), out);
                    }
                }
            }
        }
        (ShapeType::String, Document::String(s)) => {
            if shape.min.is_some_and(|m| m > 0.0) {
                range(out, s.chars().count() as f64, "length");
            }
        }
        (
            ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Short
            | ShapeType::Byte
            | ShapeType::BigInteger,
            Document::Int(i),
        ) => range(out, *i as f64, "value"),
        (
            ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal,
            Document::Int(_) | Document::Float(_),
        ) => range(out, value.as_f64().unwrap_or_default(), "value"),
        (ShapeType::Boolean, Document::Bool(_)) => {}
        (ShapeType::Blob, Document::Blob(b)) => {
            if shape.min.is_some_and(|m| m > 0.0) {
                range(out, b.len() as f64, "length");
            }
        }
        (ShapeType::Blob, Document::String(_)) => {}
        (ShapeType::Timestamp, Document::Timestamp(_)) => {}
        (ShapeType::Timestamp, Document::String(s)) => {
            if Timestamp::parse_any(s).is_err() {
                out.push(wrong("string that is not a timestamp"));
            }
        }
        (ShapeType::Unknown, _) => {}
        (_, other) => out.push(wrong(other.kind())),
    }
}
