//! Input validation against the operation's input shape, reporting every problem at once, like
//! botocore's `ParamValidationError`: missing required members, unknown members, wrong types and
//! values below the model's `min`. As botocore's `ParamValidator`, only minimums are checked: a
//! `max` is the service's to enforce (IAM ListUsers takes `MaxItems` 1001 and answers for
//! itself), and models loosen maximums over time. Enums are left open (services add values).

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
    /// A value below `min` (or more than one member of a union).
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
        Some(id) => check(model, id, false, input, &At::Top("input"), &mut problems),
        None => {
            if let Some(m) = input.as_map() {
                for k in m.keys() {
                    problems.push(ValidationProblem::UnknownMember {
                        path: "input".into(),
                        member: k.to_string(),
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

/// Where a value sits in the input, written out only when a problem names it (a valid input,
/// the usual case, builds no strings).
enum At<'a> {
    /// The input itself, by the name problems give it (`input`).
    Top(&'a str),
    /// A member of a structure: `Bucket`, `a.b`.
    Member(&'a At<'a>, &'a str),
    /// An item of a list: `a[0]`.
    Index(&'a At<'a>, usize),
    /// An entry of a map: `Tags.key`.
    Key(&'a At<'a>, &'a str),
}

impl At<'_> {
    /// The path as botocore's messages write it.
    fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Top(name) => out.push_str(name),
            At::Member(At::Top(_), name) => out.push_str(name),
            At::Member(parent, name) | At::Key(parent, name) => {
                parent.write(out);
                out.push('.');
                out.push_str(name);
            }
            At::Index(parent, i) => {
                parent.write(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
}

fn check(
    model: &ServiceModel,
    id: ShapeId,
    host_label: bool,
    value: &Document,
    at: &At<'_>,
    out: &mut Vec<ValidationProblem>,
) {
    let shape = model.shape(id);
    if shape.document {
        return;
    }
    let wrong = |given: &'static str| ValidationProblem::InvalidType {
        path: at.render(),
        given,
        expected: shape.shape_type.name(),
    };
    // Host labels have an implicit minimum length of 1, as in botocore's `range_check`.
    let min = shape.min.or(host_label.then_some(1.0));
    let range = |out: &mut Vec<ValidationProblem>, n: f64, what: &str| {
        if let Some(min) = min {
            if n < min {
                out.push(ValidationProblem::OutOfRange {
                    path: at.render(),
                    detail: format!("{what} {n} is below the minimum {min}"),
                });
            }
        }
    };
    match (shape.shape_type, value) {
        (ShapeType::Structure, Document::Map(values)) => {
            for req in &shape.required {
                // An input event stream comes as a stream of its own, never in the document.
                let streamed = shape
                    .member_named(req)
                    .is_some_and(|m| model.shape(m.target).event_stream);
                if !streamed && values.get(req.as_str()).is_none_or(Document::is_null) {
                    out.push(ValidationProblem::MissingRequired {
                        path: at.render(),
                        member: req.clone(),
                    });
                }
            }
            let set = values.values().filter(|v| !v.is_null()).count();
            if shape.union && set > 1 {
                out.push(ValidationProblem::OutOfRange {
                    path: at.render(),
                    detail: format!("a union takes exactly one member, got {set}"),
                });
            }
            for (k, v) in values {
                match shape.member_named(k) {
                    Some(m) => {
                        if !v.is_null() {
                            check(model, m.target, m.host_label, v, &At::Member(at, k), out);
                        }
                    }
                    None => out.push(ValidationProblem::UnknownMember {
                        path: at.render(),
                        member: k.to_string(),
                        valid: shape.members.iter().map(|m| m.name.to_string()).collect(),
                    }),
                }
            }
        }
        (ShapeType::List, Document::List(items)) => {
            range(out, items.len() as f64, "length");
            if let Some(m) = shape.member.as_deref() {
                for (i, item) in items.iter().enumerate() {
                    check(model, m.target, false, item, &At::Index(at, i), out);
                }
            }
        }
        (ShapeType::Map, Document::Map(entries)) => {
            if let Some(v) = shape.value.as_deref() {
                for (k, item) in entries {
                    if !item.is_null() {
                        check(model, v.target, false, item, &At::Key(at, k), out);
                    }
                }
            }
        }
        (ShapeType::String, Document::String(s)) => {
            range(out, s.chars().count() as f64, "length");
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
        // botocore checks a blob's type only, never its length.
        (ShapeType::Blob, Document::Blob(_) | Document::String(_)) => {}
        // Epoch seconds (integer or fractional) are timestamps too, as botocore's
        // `parse_to_aware_datetime` reads them.
        (ShapeType::Timestamp, Document::Timestamp(_) | Document::Int(_) | Document::Float(_)) => {}
        (ShapeType::Timestamp, Document::String(s)) => {
            let epoch = s.trim().parse::<f64>().is_ok_and(f64::is_finite);
            if !epoch && Timestamp::parse_any(s).is_err() {
                out.push(wrong("string that is not a timestamp"));
            }
        }
        (ShapeType::Unknown, _) => {}
        (_, other) => out.push(wrong(other.kind())),
    }
}

#[cfg(test)]
mod tests {
    use crate::doc;
    use crate::document::Document;
    use crate::model::ServiceModel;
    use crate::protocol::{serialize, ProtocolError, RequestBody, SerializedRequest};

    /// A one-operation model in `protocol` whose input has a timestamp `When` (a header for the
    /// rest protocols), a `Count` between 1 and 10, and a `Name` of 3 to 5 characters.
    fn model(protocol: &str) -> ServiceModel {
        let location = if protocol.starts_with("rest") {
            r#", "location": "header", "locationName": "x-when""#
        } else {
            ""
        };
        let json = format!(
            r#"{{"metadata": {{"protocol": "{protocol}", "apiVersion": "2020-01-01",
                "targetPrefix": "Toy", "jsonVersion": "1.1", "endpointPrefix": "toy"}},
            "operations": {{"Put": {{"name": "Put", "http": {{"method": "POST", "requestUri": "/"}},
                "input": {{"shape": "PutInput"}}}}}},
            "shapes": {{
                "PutInput": {{"type": "structure", "members": {{
                    "When": {{"shape": "When"{location}}},
                    "Count": {{"shape": "Count"}},
                    "Name": {{"shape": "Name"}},
                    "Data": {{"shape": "Data"}}}}}},
                "When": {{"type": "timestamp"}},
                "Count": {{"type": "integer", "min": 1, "max": 10}},
                "Name": {{"type": "string", "min": 3, "max": 5}},
                "Data": {{"type": "blob", "min": 1, "max": 2}}}}}}"#
        );
        ServiceModel::from_json("toy", &json).unwrap()
    }

    fn put(protocol: &str, input: Document) -> Result<SerializedRequest, ProtocolError> {
        let model = model(protocol);
        let op = model.operation("Put").unwrap().clone();
        serialize(&model, &op, &input)
    }

    fn wire(req: &SerializedRequest) -> String {
        let mut text = format!("{:?}", req.headers);
        if let RequestBody::Bytes(b) = &req.body {
            text.push_str(&String::from_utf8_lossy(b));
        }
        text
    }

    const PROTOCOLS: [&str; 6] = [
        "query",
        "ec2",
        "json",
        "rest-json",
        "rest-xml",
        "smithy-rpc-v2-cbor",
    ];

    #[test]
    fn epoch_numbers_are_timestamps_in_every_protocol() {
        for protocol in PROTOCOLS {
            let from_int = put(protocol, doc! {"When": 1893553445}).unwrap();
            let from_float = put(protocol, doc! {"When": 1893553445.5}).unwrap();
            let from_text = put(protocol, doc! {"When": "1893553445"}).unwrap();
            let int = wire(&from_int);
            assert!(
                int.contains("2030") || int.contains("1893553445") || protocol.contains("cbor"),
                "{protocol}: {int}"
            );
            assert_eq!(int, wire(&from_text), "{protocol}");
            if !protocol.starts_with("rest") {
                // An RFC 822 header has whole seconds; every body format keeps the fraction.
                assert_ne!(int, wire(&from_float), "{protocol}: the fraction is kept");
            }
        }
        assert!(put("json", doc! {"When": "not a date"}).is_err());
    }

    #[test]
    fn only_minimums_are_checked_as_botocore_does() {
        for protocol in PROTOCOLS {
            let data = Document::Blob(b"xyz".to_vec().into());
            put(
                protocol,
                doc! {"Count": 1001, "Name": "far too long", "Data": data},
            )
            .unwrap_or_else(|e| panic!("{protocol}: {e}"));
        }
        let err = put("json", doc! {"Count": 0, "Name": "ab"}).unwrap_err();
        let ProtocolError::Validation(v) = err else {
            panic!("{err}")
        };
        assert_eq!(v.problems.len(), 2, "{v}");
        let text = v.to_string();
        assert!(
            text.contains("Count: value 0 is below the minimum 1"),
            "{text}"
        );
        assert!(
            text.contains("Name: length 2 is below the minimum 3"),
            "{text}"
        );
    }

    /// The problems `validate` reports for `input` to `op`, as their messages.
    fn problems(model: &ServiceModel, op: &str, input: &Document) -> Vec<String> {
        let err = super::validate(model, model.operation(op).unwrap(), input).unwrap_err();
        err.problems.iter().map(|p| p.to_string()).collect()
    }

    /// The paths of nested problems are botocore's (`ParamValidator` on the same inputs):
    /// `Delete.Objects[0].Key`, `Delete.Objects[1]`, `MessageAttributes.a.DataType`.
    #[test]
    fn nested_paths_are_written_as_botocore_writes_them() {
        let paths = |service: &str, op: &str, input: Document| -> Vec<String> {
            problems(&ServiceModel::load(service).unwrap(), op, &input)
        };
        let s3 = paths(
            "s3",
            "DeleteObjects",
            doc! {"Bucket": "b", "Delete": {"Objects": [{"Key": 1}, {}], "Quiet": "x", "Bogus": 1}},
        );
        let starts = [
            "Invalid type for parameter Delete.Objects[0].Key:",
            "Missing required parameter in Delete.Objects[1]: \"Key\"",
            "Invalid type for parameter Delete.Quiet:",
            "Unknown parameter in Delete: \"Bogus\", must be one of: Objects, Quiet",
        ];
        assert_eq!(s3.len(), starts.len(), "{s3:?}");
        for start in starts {
            assert!(s3.iter().any(|p| p.starts_with(start)), "{start}: {s3:?}");
        }
        let sqs = paths(
            "sqs",
            "SendMessage",
            doc! {"QueueUrl": "q", "MessageBody": "x", "MessageAttributes": {"a": {"DataType": 3}}},
        );
        assert_eq!(sqs.len(), 1, "{sqs:?}");
        assert!(
            sqs[0].starts_with("Invalid type for parameter MessageAttributes.a.DataType:"),
            "{sqs:?}"
        );
        let top = paths("s3", "ListObjectsV2", doc! {});
        assert_eq!(top, ["Missing required parameter in input: \"Bucket\""]);
    }

    /// Lists of lists and maps inside lists, against botocore's `ParamValidator` on the same
    /// toy model and input: `Grid[0][1]`, `Grid[1][0]`, `Rows[0].kk.N`, `Rows[1].jj`. (botocore
    /// also checks a map key's `min`, which is not checked here.)
    #[test]
    fn paths_through_lists_and_maps_are_botocores() {
        let json = r#"{"metadata": {"protocol": "json", "apiVersion": "2020-01-01",
            "targetPrefix": "Toy", "jsonVersion": "1.1", "endpointPrefix": "toy"},
          "operations": {"Put": {"name": "Put", "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "PutInput"}}},
          "shapes": {
            "PutInput": {"type": "structure", "members": {"Grid": {"shape": "Grid"},
              "Rows": {"shape": "Rows"}}},
            "Grid": {"type": "list", "member": {"shape": "Cells"}},
            "Cells": {"type": "list", "member": {"shape": "Cell"}},
            "Cell": {"type": "string", "min": 2},
            "Rows": {"type": "list", "member": {"shape": "Row"}},
            "Row": {"type": "map", "key": {"shape": "Cell"}, "value": {"shape": "Item"}},
            "Item": {"type": "structure", "required": ["N"], "members": {"N": {"shape": "Num"}}},
            "Num": {"type": "integer"}}}"#;
        let model = ServiceModel::from_json("toy", json).unwrap();
        let input = doc! {"Grid": [["ab", "x"], [1]], "Rows": [{"kk": {"N": "z"}}, {"jj": {}}]};
        let problems = problems(&model, "Put", &input);
        let starts = [
            "Invalid value for parameter Grid[0][1]: length 1 is below the minimum 2",
            "Invalid type for parameter Grid[1][0]:",
            "Invalid type for parameter Rows[0].kk.N:",
            "Missing required parameter in Rows[1].jj: \"N\"",
        ];
        assert_eq!(problems.len(), starts.len(), "{problems:?}");
        for (got, want) in problems.iter().zip(starts) {
            assert!(got.starts_with(want), "{want}: {problems:?}");
        }
    }
}
