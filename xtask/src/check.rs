//! `cargo xtask check-models`: cross-checks of the imported model files, in the spirit of
//! botocore's functional tests for paginators, waiters and resource models, and of the agreement
//! between the model folders, `VERSIONS.json` and the per-service cargo features.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::fsutil::{read_json, subdirs};
use crate::{features, option_value, workspace_root, Result};

/// Keys a paginator configuration may have.
const PAGINATOR_KEYS: &[&str] = &[
    "input_token",
    "output_token",
    "limit_key",
    "result_key",
    "more_results",
    "non_aggregate_keys",
];

struct Service<'a> {
    shapes: &'a Map<String, Value>,
    operations: &'a Map<String, Value>,
}

impl Service<'_> {
    /// The `input` or `output` shape name of an operation.
    fn io_shape(&self, operation: &str, io: &str) -> Option<&str> {
        self.operations
            .get(operation)?
            .get(io)?
            .get("shape")?
            .as_str()
    }

    /// Checks that a JMESPath expression over an instance of `root` refers to existing members.
    ///
    /// Alternatives separated by `||` are checked one by one. A plain path (identifiers, `.`,
    /// `[]`, `[*]`, `[N]`) is followed through the shapes as far as it goes; for anything more
    /// involved (function calls, comparisons, filters), only the first top-level identifier is
    /// checked.
    fn check_expression(&self, root: &str, expression: &str) -> std::result::Result<(), String> {
        for alternative in split_alternatives(expression) {
            let alternative = alternative.trim();
            if is_plain_path(alternative) {
                self.walk_path(root, alternative)?;
            } else if let Some(first) = first_identifier(alternative) {
                self.walk_path(root, first)?;
            }
        }
        Ok(())
    }

    fn walk_path(&self, root: &str, path: &str) -> std::result::Result<(), String> {
        let mut shape_name = root.to_string();
        let mut rest = path;
        while !rest.is_empty() {
            let shape = self
                .shapes
                .get(&shape_name)
                .ok_or_else(|| format!("shape `{shape_name}` does not exist"))?;
            let kind = shape.get("type").and_then(Value::as_str).unwrap_or("");
            if let Some(tail) = rest.strip_prefix('.') {
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix('[') {
                let end = tail
                    .find(']')
                    .ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
                let (inside, after) = (&tail[..end], &tail[end + 1..]);
                let target = match kind {
                    "list" => "member",
                    "map" if inside == "*" => "value",
                    _ => {
                        return Err(format!(
                            "`[{inside}]` in `{path}` applies to `{shape_name}`, a {kind}"
                        ))
                    }
                };
                shape_name = member_shape(shape.get(target))
                    .ok_or_else(|| format!("{kind} shape `{shape_name}` has no {target}"))?;
                rest = after;
            } else {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let (name, after) = (&rest[..end], &rest[end..]);
                if kind != "structure" {
                    return Err(format!(
                        "`{name}` in `{path}` looked up in `{shape_name}`, a {kind}"
                    ));
                }
                let member = shape
                    .get("members")
                    .and_then(|members| members.get(name))
                    .ok_or_else(|| {
                        format!("`{shape_name}` has no member `{name}` (in `{path}`)")
                    })?;
                shape_name = member_shape(Some(member))
                    .ok_or_else(|| format!("member `{shape_name}.{name}` has no shape"))?;
                rest = after;
            }
        }
        Ok(())
    }
}

fn member_shape(reference: Option<&Value>) -> Option<String> {
    Some(reference?.get("shape")?.as_str()?.to_string())
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `text` is a plain path: `ident(.ident | [] | [*] | [N])*`.
fn is_plain_path(text: &str) -> bool {
    let mut rest = text;
    let mut expect_ident = true;
    while !rest.is_empty() {
        if expect_ident {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if !is_identifier(&rest[..end]) {
                return false;
            }
            rest = &rest[end..];
            expect_ident = false;
        } else if let Some(tail) = rest.strip_prefix('.') {
            rest = tail;
            expect_ident = true;
        } else if let Some(tail) = rest.strip_prefix('[') {
            let Some(end) = tail.find(']') else {
                return false;
            };
            let inside = &tail[..end];
            let index = inside.strip_prefix('-').unwrap_or(inside);
            if !(inside.is_empty()
                || inside == "*"
                || (!index.is_empty() && index.chars().all(|c| c.is_ascii_digit())))
            {
                return false;
            }
            rest = &tail[end + 1..];
        } else {
            return false;
        }
    }
    !expect_ident
}

/// Splits an expression at its top-level `||` operators (not those inside brackets, parentheses,
/// literals or raw strings).
fn split_alternatives(expression: &str) -> Vec<&str> {
    let bytes = expression.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'`' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
            }
            b'[' | b'(' | b'{' => depth += 1,
            b']' | b')' | b'}' => depth = depth.saturating_sub(1),
            b'|' if depth == 0 && bytes.get(i + 1) == Some(&b'|') => {
                parts.push(&expression[start..i]);
                i += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&expression[start..]);
    parts
}

/// The first identifier of an expression that is neither a function name nor inside brackets,
/// literals (`` `...` ``) or raw strings (`'...'`).
fn first_identifier(expression: &str) -> Option<&str> {
    let bytes = expression.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let is_function = expression[i..].trim_start().starts_with('(');
                let after_dot = start > 0 && bytes[start - 1] == b'.';
                if depth == 0 && !is_function && !after_dot {
                    return Some(&expression[start..i]);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// A string or list of strings.
fn names(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_paginators(service: &Service, paginators: &Value, problems: &mut Vec<String>) {
    let Some(pagination) = paginators.get("pagination").and_then(Value::as_object) else {
        problems.push("paginators-1: no `pagination` object".into());
        return;
    };
    for (operation, config) in pagination {
        let here = format!("paginators-1: {operation}");
        if !service.operations.contains_key(operation) {
            problems.push(format!("{here}: operation does not exist"));
            continue;
        }
        let Some(config) = config.as_object() else {
            problems.push(format!("{here}: configuration is not an object"));
            continue;
        };
        for key in config.keys() {
            if !PAGINATOR_KEYS.contains(&key.as_str()) {
                problems.push(format!("{here}: unknown key `{key}`"));
            }
        }
        for required in ["input_token", "output_token"] {
            if !config.contains_key(required) {
                problems.push(format!("{here}: missing `{required}`"));
            }
        }
        if let (Some(input), Some(output)) = (config.get("input_token"), config.get("output_token"))
        {
            if names(input).len() != names(output).len() {
                problems.push(format!(
                    "{here}: {} input tokens but {} output tokens",
                    names(input).len(),
                    names(output).len()
                ));
            }
        }
        let input = service.io_shape(operation, "input");
        let output = service.io_shape(operation, "output");
        for (key, side, root) in [
            ("input_token", "input", input),
            ("limit_key", "input", input),
            ("output_token", "output", output),
            ("result_key", "output", output),
            ("more_results", "output", output),
            ("non_aggregate_keys", "output", output),
        ] {
            let Some(value) = config.get(key) else {
                continue;
            };
            let Some(root) = root else {
                problems.push(format!(
                    "{here}: has `{key}` but the operation has no {side}"
                ));
                continue;
            };
            for expression in names(value) {
                if let Err(problem) = service.check_expression(root, expression) {
                    problems.push(format!("{here}: {key} `{expression}`: {problem}"));
                }
            }
        }
    }
}

fn check_waiters(service: &Service, waiters: &Value, problems: &mut Vec<String>) {
    let Some(all) = waiters.get("waiters").and_then(Value::as_object) else {
        problems.push("waiters-2: no `waiters` object".into());
        return;
    };
    for (name, waiter) in all {
        let here = format!("waiters-2: {name}");
        let Some(operation) = waiter.get("operation").and_then(Value::as_str) else {
            problems.push(format!("{here}: no operation"));
            continue;
        };
        if !service.operations.contains_key(operation) {
            problems.push(format!("{here}: operation `{operation}` does not exist"));
            continue;
        }
        let acceptors = waiter
            .get("acceptors")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if acceptors.is_empty() {
            problems.push(format!("{here}: no acceptors"));
        }
        for acceptor in acceptors {
            let matcher = acceptor
                .get("matcher")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !matches!(matcher, "path" | "pathAll" | "pathAny") {
                continue;
            }
            let Some(argument) = acceptor.get("argument").and_then(Value::as_str) else {
                problems.push(format!("{here}: `{matcher}` acceptor without argument"));
                continue;
            };
            match service.io_shape(operation, "output") {
                Some(output) => {
                    if let Err(problem) = service.check_expression(output, argument) {
                        problems.push(format!("{here}: argument `{argument}`: {problem}"));
                    }
                }
                None => problems.push(format!(
                    "{here}: `{matcher}` acceptor but `{operation}` has no output"
                )),
            }
        }
    }
}

/// Checks every `request.operation` and `waiterName` in a resource model, and the `shape` of
/// every resource.
fn check_resources(
    service: &Service,
    waiters: Option<&Value>,
    value: &Value,
    trail: &str,
    problems: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = if trail.is_empty() {
                    key.clone()
                } else {
                    format!("{trail}.{key}")
                };
                if key == "request" {
                    match child.get("operation").and_then(Value::as_str) {
                        Some(op) if service.operations.contains_key(op) => {}
                        Some(op) => problems.push(format!(
                            "resources-1: {here}: operation `{op}` does not exist"
                        )),
                        None => problems.push(format!("resources-1: {here}: no operation")),
                    }
                }
                if key == "waiterName" {
                    let name = child.as_str().unwrap_or_default();
                    let exists = waiters
                        .and_then(|w| w.get("waiters"))
                        .and_then(|w| w.get(name))
                        .is_some();
                    if !exists {
                        problems.push(format!(
                            "resources-1: {here}: waiter `{name}` does not exist"
                        ));
                    }
                }
                check_resources(service, waiters, child, &here, problems);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_resources(
                    service,
                    waiters,
                    child,
                    &format!("{trail}[{index}]"),
                    problems,
                );
            }
        }
        _ => {}
    }
}

fn check_resource_shapes(service: &Service, resources: &Value, problems: &mut Vec<String>) {
    let Some(all) = resources.get("resources").and_then(Value::as_object) else {
        return;
    };
    for (name, resource) in all {
        if let Some(shape) = resource.get("shape").and_then(Value::as_str) {
            if !service.shapes.contains_key(shape) {
                problems.push(format!(
                    "resources-1: resources.{name}.shape: shape `{shape}` does not exist"
                ));
            }
        }
    }
}

fn load(dir: &Path, stem: &str) -> Result<Option<Value>> {
    let path = dir.join(format!("{stem}.json.gz"));
    if !path.is_file() {
        return Ok(None);
    }
    Ok(Some(read_json(&path)?.value))
}

/// Checks one imported service; returns its problems and the engine features its model needs
/// (read from the same parse, for the feature check).
fn check_service(dir: &Path) -> Result<(Vec<String>, Vec<&'static str>)> {
    let model = load(dir, "service-2")?
        .ok_or_else(|| format!("{} has no service-2.json.gz", dir.display()))?;
    let empty = Map::new();
    let service = Service {
        shapes: model
            .get("shapes")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
        operations: model
            .get("operations")
            .and_then(Value::as_object)
            .unwrap_or(&empty),
    };
    let mut problems = Vec::new();
    for name in service.operations.keys() {
        for io in ["input", "output"] {
            if let Some(shape) = service.io_shape(name, io) {
                if !service.shapes.contains_key(shape) {
                    problems.push(format!(
                        "service-2: {name}: {io} shape `{shape}` does not exist"
                    ));
                }
            }
        }
    }
    if let Some(paginators) = load(dir, "paginators-1")? {
        check_paginators(&service, &paginators, &mut problems);
    }
    let waiters = load(dir, "waiters-2")?;
    if let Some(waiters) = &waiters {
        check_waiters(&service, waiters, &mut problems);
    }
    if let Some(resources) = load(dir, "resources-1")? {
        check_resources(&service, waiters.as_ref(), &resources, "", &mut problems);
        check_resource_shapes(&service, &resources, &mut problems);
    }
    Ok((problems, features::engine_features(&model)))
}

/// Checks that the service folders under `models`, the `services` of `models/VERSIONS.json` and
/// the per-service features of both crates name the same services (each `services` entry a
/// folder with the engine features its model needs). Returns the problems.
fn check_agreement(models: &Path, services: &features::Services) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let folders: BTreeSet<String> = services.keys().cloned().collect();
    let versions = read_json(&models.join("VERSIONS.json"))?.value;
    let listed: BTreeSet<String> = versions
        .get("services")
        .and_then(Value::as_object)
        .map(|services| services.keys().cloned().collect())
        .unwrap_or_default();
    for missing in folders.difference(&listed) {
        problems.push(format!(
            "models/VERSIONS.json: does not list `{missing}`, which has a folder models/{missing}"
        ));
    }
    for extra in listed.difference(&folders) {
        problems.push(format!(
            "models/VERSIONS.json: lists `{extra}`, but models/{extra}/service-2.json.gz does not exist"
        ));
    }
    problems.extend(features::check(&workspace_root(), services)?);
    Ok(problems)
}

pub fn run(args: &[String]) -> Result<bool> {
    let mut models = workspace_root().join("models");
    let mut services = Vec::new();
    let mut whole_workspace = true;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(value) = option_value(arg, "--models", &mut rest) {
            models = PathBuf::from(value?);
            whole_workspace = false;
        } else if arg.starts_with('-') {
            return Err(format!("check-models: unknown option `{arg}`"));
        } else {
            services.push(arg.clone());
            whole_workspace = false;
        }
    }
    if services.is_empty() {
        services = subdirs(&models)?
            .into_iter()
            .filter(|name| models.join(name).join("service-2.json.gz").is_file())
            .collect();
    }
    if services.is_empty() {
        return Err(format!(
            "no imported services in {} (run `cargo xtask import-models`)",
            models.display()
        ));
    }
    // Each model is read once: its checks and its engine features come from the same parse.
    let mut per_service = Vec::with_capacity(services.len());
    let mut engine = features::Services::new();
    for service in &services {
        let (problems, needs) = check_service(&models.join(service))?;
        per_service.push((service, problems));
        engine.insert(service.clone(), needs);
    }
    let mut total = 0;
    if whole_workspace {
        let problems = check_agreement(&models, &engine)?;
        for problem in &problems {
            println!("{problem}");
        }
        total += problems.len();
    }
    for (service, problems) in &per_service {
        for problem in problems {
            println!("{service}: {problem}");
        }
        total += problems.len();
    }
    if total == 0 {
        println!("check-models: {} services, no problems", services.len());
        Ok(true)
    } else {
        println!(
            "check-models: {} services, {total} problem(s)",
            services.len()
        );
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths() {
        assert!(is_plain_path("NextMarker"));
        assert!(is_plain_path("Contents[-1].Key"));
        assert!(is_plain_path("Reservations[].Instances[*].State.Name"));
        assert!(!is_plain_path("length(Reservations[]) > `0`"));
        assert!(!is_plain_path("Foo[?Bar=='x']"));
        assert!(!is_plain_path("Foo."));
    }

    #[test]
    fn first_identifiers() {
        assert_eq!(
            first_identifier("length(Reservations[]) > `0`"),
            Some("Reservations")
        );
        assert_eq!(
            first_identifier("contains(`[\"a\"]`, Foo.Bar)"),
            Some("Foo")
        );
        assert_eq!(first_identifier("`true`"), None);
    }

    #[test]
    fn alternatives() {
        assert_eq!(
            split_alternatives("NextMarker || Contents[-1].Key"),
            vec!["NextMarker ", " Contents[-1].Key"]
        );
        assert_eq!(
            split_alternatives("length(A[?B == 'x' || C == '||']) > `0`"),
            vec!["length(A[?B == 'x' || C == '||']) > `0`"]
        );
    }

    #[test]
    fn walks_shapes() {
        let model = serde_json::json!({
            "shapes": {
                "Out": {"type": "structure", "members": {
                    "NextMarker": {"shape": "S"},
                    "Contents": {"shape": "L"}
                }},
                "L": {"type": "list", "member": {"shape": "O"}},
                "O": {"type": "structure", "members": {"Key": {"shape": "S"}}},
                "S": {"type": "string"}
            }
        });
        let empty = Map::new();
        let service = Service {
            shapes: model["shapes"].as_object().unwrap(),
            operations: &empty,
        };
        assert!(service
            .check_expression("Out", "NextMarker || Contents[-1].Key")
            .is_ok());
        assert!(service.check_expression("Out", "Contents[].Nope").is_err());
        assert!(service.check_expression("Out", "Missing").is_err());
        assert!(service.check_expression("Out", "NextMarker[0]").is_err());
        assert!(service
            .check_expression("Out", "length(Contents[]) > `0`")
            .is_ok());
    }
}
