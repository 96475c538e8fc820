//! `boto help`, `boto SERVICE help` and `boto SERVICE OPERATION help`. The imported models
//! carry no documentation text (it is stripped at import), so help shows names, types and
//! required marks, and each parameter's shape.

use crate::params::{flag_name, flags};
use boto::core::model::{ServiceModel, ShapeId, ShapeType};
use std::fmt::Write;

const NOTE: &str =
    "(The service documentation is not embedded: boto-rs strips it from the models. \
Shapes are shown instead.)";

/// The top-level help.
pub fn top() -> String {
    let mut out = String::from(
        "usage: boto [options] <command> <subcommand> [parameters]\n\n\
         Every service of botocore, as aws-cli names it (s3api for S3's operations):\n  \
         boto SERVICE OPERATION [--param value ...]   e.g. boto sqs list-queues\n  \
         boto SERVICE wait WAITER [--param value ...]\n  \
         boto SERVICE help | boto SERVICE OPERATION help\n  \
         boto s3 ls/cp/rm/presign ...                  high-level S3 commands\n  \
         boto call SERVICE OPERATION [JSON]            any operation, input as JSON\n  \
         boto configure list|get|set ...\n  \
         boto completion bash|zsh|fish                 a completion script for the shell\n\n\
         Global options: --output json|text|table|yaml|yaml-stream|off, --query JMESPATH,\n  \
         --color on|off|auto, --region R, --profile P, --endpoint-url URL, --no-sign-request,\n  \
         --no-verify-ssl, --ca-bundle PATH, --cli-read-timeout S, --cli-connect-timeout S,\n  \
         --debug\n\n",
    );
    out.push_str(NOTE);
    out.push_str("\n\nAvailable services:\n");
    for name in boto::core::model::available_services() {
        let shown = if name == "s3" { "s3api" } else { name };
        let _ = writeln!(out, "  o {shown}");
    }
    out
}

/// One service's operations (and waiters).
pub fn service(model: &ServiceModel, command: &str, waiters: &[String]) -> String {
    let meta = model.metadata();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{command}: {} (API {})\n\n{NOTE}\n\nAvailable commands:",
        meta.service_full_name
            .as_deref()
            .unwrap_or(&meta.service_id),
        meta.api_version
    );
    let mut names: Vec<String> = model
        .operations()
        .iter()
        .map(|op| flag_name(&op.name))
        .collect();
    names.push("help".into());
    if !waiters.is_empty() {
        names.push("wait".into());
    }
    names.sort();
    for n in names {
        let _ = writeln!(out, "  o {n}");
    }
    if !waiters.is_empty() {
        out.push_str("\nWaiters (boto ");
        out.push_str(command);
        out.push_str(" wait NAME):\n");
        for w in waiters {
            let _ = writeln!(out, "  o {}", flag_name(w));
        }
    }
    out
}

/// One operation's synopsis and parameters.
pub fn operation(model: &ServiceModel, command: &str, op: &str, paginates: bool) -> String {
    let Ok(operation) = model.operation(op) else {
        return String::new();
    };
    let members = flags(model, operation);
    let required: Vec<String> = operation
        .input
        .map(|id| model.shape(id).required.clone())
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{command} {} ({})\n\n{NOTE}\n\nSYNOPSIS\n  {}",
        flag_name(&operation.name),
        operation.name,
        flag_name(&operation.name)
    );
    for (flag, m) in &members {
        let kind = model.shape(m.target).shape_type;
        let value = if kind == ShapeType::Boolean {
            format!("--{flag} | --no-{flag}")
        } else {
            format!("--{flag} <value>")
        };
        if required.iter().any(|r| m.name == *r) {
            let _ = writeln!(out, "    {value}");
        } else {
            let _ = writeln!(out, "    [{value}]");
        }
    }
    let streamed_in = crate::streaming::input_member(model, operation);
    let streamed_out = crate::streaming::output_member(model, operation);
    if streamed_out.is_some() {
        out.push_str("    <outfile>\n");
    }
    out.push_str("    [--cli-input-json <value>]\n");
    if paginates {
        out.push_str(
            "    [--starting-token <value>]\n    [--page-size <value>]\n    [--max-items <value>]\n    [--no-paginate]\n",
        );
    }
    out.push_str("\nOPTIONS\n");
    for (flag, m) in &members {
        let mark = if required.iter().any(|r| m.name == *r) {
            " (required)"
        } else {
            ""
        };
        if streamed_in.as_deref() == Some(m.name.as_str()) {
            let _ = writeln!(
                out,
                "  --{flag} (path to a file: its contents are sent){mark}\n"
            );
            continue;
        }
        let _ = writeln!(out, "  --{flag} ({}){mark}", type_name(model, m.target));
        describe(model, m.target, 2, &mut Vec::new(), &mut out);
        out.push('\n');
    }
    if let Some(member) = &streamed_out {
        let _ = writeln!(
            out,
            "  outfile (string) (required)\n    Filename where the {member} is saved; it is \
             left out of the output.\n"
        );
    }
    if let Some(id) = operation.output {
        out.push_str("OUTPUT\n");
        for m in &model.shape(id).members {
            let _ = writeln!(out, "  {} -> ({})", m.name, type_name(model, m.target));
            describe(model, m.target, 2, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// aws-cli's type word for a shape (`string`, `list`, `structure`, `map`, `integer`, ...).
fn type_name(model: &ServiceModel, id: ShapeId) -> String {
    let shape = model.shape(id);
    match &shape.enum_values {
        Some(values) => format!("string, one of: {}", values.join(" | ")),
        None => shape.shape_type.name().to_string(),
    }
}

/// The members of a structure, list or map shape, indented, each shape shown once per path.
fn describe(
    model: &ServiceModel,
    id: ShapeId,
    depth: usize,
    seen: &mut Vec<ShapeId>,
    out: &mut String,
) {
    if seen.contains(&id) || depth > 12 {
        return;
    }
    seen.push(id);
    let shape = model.shape(id);
    let pad = "  ".repeat(depth);
    match shape.shape_type {
        ShapeType::Structure => {
            for m in &shape.members {
                let mark = if shape.required.iter().any(|r| m.name == *r) {
                    " (required)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "{pad}{} -> ({}){mark}",
                    m.name,
                    type_name(model, m.target)
                );
                describe(model, m.target, depth + 1, seen, out);
            }
        }
        ShapeType::List => {
            if let Some(m) = &shape.member {
                let _ = writeln!(out, "{pad}({})", type_name(model, m.target));
                describe(model, m.target, depth + 1, seen, out);
            }
        }
        ShapeType::Map => {
            if let (Some(k), Some(v)) = (&shape.key, &shape.value) {
                let _ = writeln!(
                    out,
                    "{pad}key -> ({}), value -> ({})",
                    type_name(model, k.target),
                    type_name(model, v.target)
                );
                describe(model, v.target, depth + 1, seen, out);
            }
        }
        _ => {}
    }
    seen.pop();
}
