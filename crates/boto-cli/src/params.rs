//! An operation's command-line parameters, read along its input shape as aws-cli reads them:
//! `--queue-url U` for member `QueueUrl` (botocore's `xform_name` with dashes), booleans as
//! `--flag` / `--no-flag`, lists of scalars as space-separated values, structures, lists and
//! maps as JSON or shorthand, `file://` for text and `fileb://` for bytes.
//!
//! Only the chosen operation's members are looked at: nothing is built for the other
//! operations or services, which keeps start-up to the cost of decoding one model.

use crate::failure::Failure;
use crate::renames;
use crate::shorthand;
use boto::core::model::{xform_name, Member, Operation, ServiceModel, ShapeId, ShapeType};
use boto::{Document, Timestamp};

/// aws-cli's flag name of a member: `QueueUrl` -> `queue-url`.
pub fn flag_name(member: &str) -> String {
    xform_name(member).replace('_', "-")
}

/// An operation's input members as (flag name, member), in model order, with aws-cli's
/// renames ([`crate::renames`]).
pub fn flags<'m>(model: &'m ServiceModel, op: &Operation) -> Vec<(String, &'m Member)> {
    let op_flag = flag_name(&op.name);
    op.input
        .map(|id| model.shape(id).members.iter())
        .into_iter()
        .flatten()
        .map(|m| {
            let flag = flag_name(&m.name);
            match renames::shown(model.service_name(), &op_flag, &flag) {
                Some(renamed) => (renamed.to_string(), m),
                None => (flag, m),
            }
        })
        .collect()
}

/// What the command line asks beside the input: pagination and aws-cli's own options.
#[derive(Debug, Default)]
pub struct Controls {
    /// `--no-paginate`: one call, as the service answers it.
    pub no_paginate: bool,
    /// `--max-items N`.
    pub max_items: Option<usize>,
    /// `--page-size N`.
    pub page_size: Option<i64>,
    /// `--starting-token T`.
    pub starting_token: Option<String>,
    /// `help` after the operation.
    pub help: bool,
    /// `--generate-cli-skeleton [input]`: print an input template instead of calling.
    pub skeleton: bool,
    /// The file a streaming input member (`--body`) is sent from.
    pub body_file: Option<std::path::PathBuf>,
    /// The positional `outfile` a streaming output is written to.
    pub outfile: Option<String>,
}

/// The operation's streaming members (see [`crate::streaming`]).
#[derive(Debug, Default)]
pub struct Streams {
    /// The input member that takes a file path.
    pub input: Option<String>,
    /// Whether the output is streamed to a positional `outfile`.
    pub outfile: bool,
}

/// Reads `args` (everything after the operation name) into the operation's input.
pub fn parse(
    model: &ServiceModel,
    op: &Operation,
    paginates: bool,
    streams: &Streams,
    args: &[String],
) -> Result<(Document, Controls), Failure> {
    let input_shape = op.input;
    let op_flag = flag_name(&op.name);
    let members = flags(model, op);
    let mut input = Document::map();
    let mut controls = Controls::default();
    let mut given = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "help" {
            controls.help = true;
            continue;
        }
        let Some(name) = arg.strip_prefix("--") else {
            if streams.outfile && controls.outfile.is_none() {
                controls.outfile = Some(arg.clone());
                continue;
            }
            return Err(Failure::param(format!("Unknown options: {arg}")));
        };
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (name, None),
        };
        // The values of this flag: up to the next `--option`.
        let mut values: Vec<String> = inline.into_iter().collect();
        while i < args.len() && !args[i].starts_with("--") {
            values.push(args[i].clone());
            i += 1;
        }
        // argparse gives a word after a one-value option to the positional `outfile`.
        if streams.outfile && controls.outfile.is_none() && values.len() > 1 {
            let takes_many = members
                .iter()
                .any(|(f, m)| f == name && model.shape(m.target).shape_type == ShapeType::List);
            if !takes_many {
                controls.outfile = values.pop();
            }
        }
        let one = |values: &[String]| -> Result<String, Failure> {
            match values {
                [v] => Ok(v.clone()),
                [] => Err(Failure::param(format!(
                    "argument --{name}: expected one argument"
                ))),
                _ => Err(Failure::param(format!(
                    "Unknown options: {}",
                    values[1..].join(", ")
                ))),
            }
        };
        match name {
            "no-paginate" if paginates => controls.no_paginate = true,
            "max-items" if paginates => controls.max_items = Some(number(name, &one(&values)?)?),
            "page-size" if paginates => controls.page_size = Some(number(name, &one(&values)?)?),
            "starting-token" if paginates => controls.starting_token = Some(one(&values)?),
            "generate-cli-skeleton" if values.is_empty() || values == ["input"] => {
                controls.skeleton = true
            }
            "cli-input-json" => {
                let text = read_value(&one(&values)?)?;
                let doc = Document::from_json(&text)
                    .map_err(|e| Failure::param(format!("Invalid JSON received: {e}")))?;
                let Some(map) = doc.into_map() else {
                    return Err(Failure::param("--cli-input-json must be a JSON object"));
                };
                for (k, v) in map {
                    if input.get(&k).is_none() {
                        input.set(k, v);
                    }
                }
            }
            _ => {
                let name = renames::original(model.service_name(), &op_flag, name).unwrap_or(name);
                // A flag of its own first (`--no-reboot` is NoReboot), then the negation of
                // a boolean (`--no-dry-run`).
                let exact = members
                    .iter()
                    .find(|(f, _)| f == name)
                    .map(|(_, m)| (*m, false));
                let found = exact.or_else(|| {
                    let bare = name.strip_prefix("no-")?;
                    members
                        .iter()
                        .find(|(f, m)| {
                            f == bare && model.shape(m.target).shape_type == ShapeType::Boolean
                        })
                        .map(|(_, m)| (*m, true))
                });
                let Some((member, negated)) = found else {
                    return Err(Failure::param(format!("Unknown options: --{name}")));
                };
                if streams.input.as_deref() == Some(member.name.as_str()) {
                    let path = crate::streaming::input_path(name, &one(&values)?)?;
                    controls.body_file = Some(path);
                    given.push(member.name.clone());
                    continue;
                }
                let target = model.shape(member.target);
                let value = if target.shape_type == ShapeType::Boolean && values.is_empty() {
                    Document::Bool(!negated)
                } else if target.shape_type == ShapeType::List
                    && values.len() != 1
                    && !values.is_empty()
                {
                    // `--attribute-names All Policy`, or one shorthand item per value.
                    let element = target.member.as_ref().map(|m| m.target);
                    let items = values
                        .iter()
                        .map(|v| from_text(model, element, &read_value(v)?, name))
                        .collect::<Result<Vec<_>, _>>()?;
                    Document::List(items)
                } else {
                    from_text(
                        model,
                        Some(member.target),
                        &read_value(&one(&values)?)?,
                        name,
                    )?
                };
                given.push(member.name.clone());
                input.set(member.name.clone(), value);
            }
        }
    }
    if !controls.help && !controls.skeleton {
        if let Some(id) = input_shape {
            let mut missing: Vec<String> = model
                .shape(id)
                .required
                .iter()
                .filter(|r| input.get(r.as_str()).is_none() && !given.iter().any(|g| g == *r))
                .map(|r| format!("--{}", flag_name(r)))
                .collect();
            if streams.outfile && controls.outfile.is_none() {
                missing.push("outfile".into());
            }
            if !missing.is_empty() {
                return Err(Failure::param(format!(
                    "the following arguments are required: {}",
                    missing.join(", ")
                )));
            }
        }
    }
    Ok((input, controls))
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, Failure> {
    text.parse()
        .map_err(|_| Failure::param(format!("argument --{flag}: invalid value: {text:?}")))
}

/// A value as given, or the contents of the file it names (`file://` text, `fileb://` bytes
/// kept as Latin-1-free text only when they are UTF-8; see [`blob_value`]).
fn read_value(value: &str) -> Result<String, Failure> {
    if let Some(path) = value.strip_prefix("file://") {
        return std::fs::read_to_string(path).map_err(|e| {
            Failure::param(format!(
                "Error parsing parameter: Unable to load paramfile {value}: {e}"
            ))
        });
    }
    Ok(value.to_string())
}

/// One command-line value as a document of shape `shape`.
fn from_text(
    model: &ServiceModel,
    shape: Option<ShapeId>,
    text: &str,
    flag: &str,
) -> Result<Document, Failure> {
    let Some(id) = shape else {
        return Ok(Document::String(text.to_string()));
    };
    let kind = model.shape(id).shape_type;
    let bad = |why: &str| Failure::param(format!("Error parsing parameter '--{flag}': {why}"));
    Ok(match kind {
        ShapeType::Structure | ShapeType::List | ShapeType::Map => {
            let trimmed = text.trim_start();
            let raw = if trimmed.starts_with('{') || trimmed.starts_with('[') {
                Document::from_json(text)
                    .map_err(|e| bad(&format!("Invalid JSON: {e}\nJSON received: {text}")))?
            } else if kind == ShapeType::List {
                let element = model.shape(id).member.as_ref().map(|m| m.target);
                let scalar = element.is_some_and(|e| !is_container(model.shape(e).shape_type));
                if scalar {
                    Document::List(
                        text.split(',')
                            .map(|s| Document::String(s.to_string()))
                            .collect(),
                    )
                } else {
                    Document::List(vec![shorthand::parse(text).map_err(|e| bad(&e))?])
                }
            } else {
                shorthand::parse(text).map_err(|e| bad(&e))?
            };
            coerce(model, id, raw).map_err(|e| bad(&e))?
        }
        ShapeType::Blob => match text.strip_prefix("fileb://") {
            Some(path) => Document::Blob(
                std::fs::read(path)
                    .map_err(|e| bad(&format!("Unable to load paramfile {text}: {e}")))?
                    .into(),
            ),
            None => Document::Blob(text.as_bytes().to_vec().into()),
        },
        _ => coerce(model, id, Document::String(text.to_string())).map_err(|e| bad(&e))?,
    })
}

fn is_container(kind: ShapeType) -> bool {
    matches!(
        kind,
        ShapeType::Structure | ShapeType::List | ShapeType::Map
    )
}

/// Converts JSON or shorthand values to the types the shape asks for: strings to numbers,
/// booleans, timestamps and blobs, a lone value to a one-item list.
pub fn coerce(model: &ServiceModel, id: ShapeId, value: Document) -> Result<Document, String> {
    let shape = model.shape(id);
    // Documents own their parts (and drop them without recursion), so parts are taken out with
    // `into_*` once the kind is known.
    Ok(match shape.shape_type {
        ShapeType::Structure if !shape.document && value.as_map().is_some() => {
            let mut out = Document::map();
            for (k, v) in value.into_map().unwrap_or_default() {
                let member = shape.member_named(&k).ok_or_else(|| {
                    format!(
                        "Unknown parameter in input: \"{k}\", must be one of: {}",
                        shape
                            .members
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
                out.set(k, coerce(model, member.target, v)?);
            }
            out
        }
        ShapeType::List => {
            let element = shape.member.as_ref().map(|m| m.target);
            let items = if value.as_list().is_some() {
                value.into_list().unwrap_or_default()
            } else {
                vec![value]
            };
            Document::List(
                items
                    .into_iter()
                    .map(|v| match element {
                        Some(e) => coerce(model, e, v),
                        None => Ok(v),
                    })
                    .collect::<Result<_, _>>()?,
            )
        }
        ShapeType::Map if value.as_map().is_some() => {
            let value_shape = shape.value.as_ref().map(|m| m.target);
            let mut out = Document::map();
            for (k, v) in value.into_map().unwrap_or_default() {
                out.set(
                    k,
                    match value_shape {
                        Some(s) => coerce(model, s, v)?,
                        None => v,
                    },
                );
            }
            out
        }
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte
            if value.as_str().is_some() =>
        {
            let s = value.as_str().unwrap_or_default();
            Document::Int(
                s.trim()
                    .parse()
                    .map_err(|_| format!("invalid literal for int(): {s}"))?,
            )
        }
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal
            if value.as_str().is_some() =>
        {
            let s = value.as_str().unwrap_or_default();
            Document::Float(
                s.trim()
                    .parse()
                    .map_err(|_| format!("could not convert string to float: {s}"))?,
            )
        }
        ShapeType::Boolean if value.as_str().is_some() => {
            let s = value.as_str().unwrap_or_default();
            match s.to_ascii_lowercase().as_str() {
                "true" => Document::Bool(true),
                "false" => Document::Bool(false),
                _ => return Err(format!("invalid boolean: {s}")),
            }
        }
        ShapeType::Timestamp if value.as_str().is_some() => {
            let s = value.as_str().unwrap_or_default();
            Document::Timestamp(
                Timestamp::parse_any(s).map_err(|e| format!("invalid timestamp {s:?}: {e}"))?,
            )
        }
        ShapeType::Timestamp if matches!(value, Document::Int(_)) => {
            Document::Timestamp(Timestamp::from_secs(value.as_i64().unwrap_or_default()))
        }
        ShapeType::Blob if value.as_str().is_some() => {
            Document::Blob(value.into_string().unwrap_or_default().into_bytes().into())
        }
        _ => value,
    })
}

/// aws-cli's `--generate-cli-skeleton`: every member with a placeholder of its type (`""`,
/// `0`, `true`, the first enum value, one-item lists, `KeyName` maps, `null` blobs); a shape
/// already being filled (a recursive one) gives `{}`.
pub fn skeleton(model: &ServiceModel, id: ShapeId, stack: &mut Vec<ShapeId>) -> Document {
    let shape = model.shape(id);
    if stack.contains(&id) {
        return Document::map();
    }
    stack.push(id);
    let out = match shape.shape_type {
        ShapeType::Structure => {
            let mut out = Document::map();
            for m in &shape.members {
                out.set(m.name.clone(), skeleton(model, m.target, stack));
            }
            out
        }
        ShapeType::List => Document::List(
            shape
                .member
                .as_ref()
                .map(|m| skeleton(model, m.target, stack))
                .into_iter()
                .collect(),
        ),
        ShapeType::Map => {
            let mut out = Document::map();
            if let Some(v) = &shape.value {
                out.set("KeyName", skeleton(model, v.target, stack));
            }
            out
        }
        ShapeType::String => Document::String(
            shape
                .enum_values
                .as_ref()
                .and_then(|e| e.first().cloned())
                .unwrap_or_default(),
        ),
        ShapeType::Boolean => Document::Bool(true),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => Document::Float(0.0),
        ShapeType::Integer | ShapeType::Long | ShapeType::Short | ShapeType::Byte => {
            Document::Int(0)
        }
        ShapeType::BigInteger => Document::Int(0),
        ShapeType::Timestamp => Document::String("1970-01-01T00:00:00".into()),
        ShapeType::Blob | ShapeType::Unknown => Document::Null,
    };
    stack.pop();
    out
}
