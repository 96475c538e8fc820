//! `boto SERVICE OPERATION ...` and `boto SERVICE wait WAITER ...`: any operation of any
//! service, found in its model at run time, paginated in full as aws-cli does unless told not to.

use crate::failure::Failure;
use crate::global::Globals;
use crate::params::{self, flag_name, Controls};
use crate::{help, output, streaming};
use boto::core::model::{closest_names, ServiceModel};
use boto::{Document, Map};
use std::sync::Arc;

/// aws-cli's command name for a service (`s3api` for S3's low-level operations).
pub fn service_for_command(command: &str) -> &str {
    match command {
        "s3api" => "s3",
        other => other,
    }
}

/// Runs `boto COMMAND args...` for a service command.
pub fn run(globals: &Globals, command: &str, args: &[String]) -> Result<String, Failure> {
    let service = service_for_command(command);
    let model = ServiceModel::load(service).map_err(|e| Failure::param(e.to_string()))?;
    let waiters: Vec<String> = boto::core::model::waiters(service)
        .ok()
        .flatten()
        .map(|t| t.names().map(str::to_string).collect())
        .unwrap_or_default();
    let Some((name, rest)) = args.split_first() else {
        return Err(Failure::new(
            crate::failure::status::USAGE,
            format!("usage: boto [options] {command} <subcommand> [parameters]\nTo see help text, you can run:\n  boto {command} help"),
        ));
    };
    if name == "help" {
        return Ok(help::service(&model, command, &waiters));
    }
    if name == "wait" {
        return wait(globals, &model, command, &waiters, rest);
    }
    let names: Vec<String> = model
        .operations()
        .iter()
        .map(|o| flag_name(&o.name))
        .collect();
    let Some(index) = names.iter().position(|n| n == name) else {
        return Err(invalid_choice(command, name, &names));
    };
    let op = &model.operations()[index];
    let pagination = pagination(service, &op.name);
    let streams = params::Streams {
        input: streaming::input_member(&model, op),
        outfile: streaming::output_member(&model, op).is_some(),
    };
    let (input, controls) = params::parse(&model, op, pagination.is_some(), &streams, rest)?;
    if controls.help {
        return Ok(help::operation(
            &model,
            command,
            &op.name,
            pagination.is_some(),
        ));
    }
    if controls.skeleton {
        let template = match op.input {
            Some(id) => params::skeleton(&model, id, &mut Vec::new()),
            None => Document::map(),
        };
        return Ok(output::json(&template, true));
    }
    if globals.debug {
        crate::debug::line(&format!(
            "{service} {} input {}",
            op.name,
            crate::debug::redacted(&model, op.input, &input).to_json()
        ));
    }
    let session = globals.session()?;
    let client = session
        .client(service)
        .map_err(|e| Failure::call(e, &op.name))?;
    let options = globals.output()?;
    if controls.body_file.is_some() || controls.outfile.is_some() {
        let mut result = streamed_call(&client, &model, op, input, &controls)?;
        result.remove("ResponseMetadata");
        return Ok(output::render(&result, &op.name, options));
    }
    let mut result = match pagination {
        Some(keys) if !controls.no_paginate && options.format.streams_pages() => {
            return stream(&client, &op.name, input, &controls, &keys, options)
        }
        Some(keys) if !controls.no_paginate => {
            paginate(&client, &op.name, input, &controls, &keys)?
        }
        _ => client
            .call(&op.name, input)
            .map_err(|e| Failure::call(e, &op.name))?,
    };
    result.remove("ResponseMetadata");
    Ok(output::render(&result, &op.name, options))
}

/// A call with a streaming payload: the input's from `--body FILE`, the output's written to
/// `outfile` as it arrives (and left out of the response, as aws-cli leaves it out).
fn streamed_call(
    client: &boto::blocking::Client,
    model: &ServiceModel,
    op: &boto::core::model::Operation,
    input: Document,
    controls: &Controls,
) -> Result<Document, Failure> {
    let body = match &controls.body_file {
        Some(path) => Some(boto::ByteStream::from_path_blocking(path).map_err(|e| {
            Failure::param(format!(
                "Error parsing parameter: Unable to read {}: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let output = client
        .invoke(&op.name, input, body)
        .map_err(|e| Failure::call(e, &op.name))?;
    let mut document = output.document;
    if let (Some(path), Some(mut reader)) = (&controls.outfile, output.body) {
        let written =
            std::fs::File::create(path).and_then(|mut file| std::io::copy(&mut reader, &mut file));
        if let Err(e) = written {
            return Err(Failure::new(
                crate::failure::status::OTHER,
                format!("[Errno {}] {e}: '{path}'", e.raw_os_error().unwrap_or(0)),
            ));
        }
    }
    if let Some(member) = streaming::output_member(model, op) {
        document.remove(&member);
    }
    Ok(document)
}

fn invalid_choice(command: &str, name: &str, names: &[String]) -> Failure {
    let close = closest_names(name, names.iter().map(String::as_str), 3);
    let mut message = format!(
        "usage: boto [options] <command> <subcommand> [parameters]\n\
         To see help text, you can run:\n  boto {command} help\n\
         argument operation: Invalid choice: '{name}'"
    );
    if !close.is_empty() {
        message.push_str(&format!(", maybe you meant: {}", close.join(", ")));
    }
    Failure::new(crate::failure::status::USAGE, message)
}

/// The result keys and `non_aggregate_keys` of a paginated operation.
struct PageKeys {
    result_keys: Vec<String>,
    non_aggregate: Vec<String>,
}

fn pagination(service: &str, operation: &str) -> Option<PageKeys> {
    let table = boto::core::model::paginators(service).ok()??;
    let config = table.get(operation)?.clone();
    let raw = boto::core::model::data_file(service, "paginators-1")
        .ok()
        .flatten();
    let non_aggregate = raw
        .as_ref()
        .and_then(|r| {
            r["pagination"][operation]["non_aggregate_keys"]
                .as_array()
                .cloned()
        })
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    Some(PageKeys {
        result_keys: config.result_keys.clone(),
        non_aggregate,
    })
}

fn pages(
    client: &boto::blocking::Client,
    operation: &str,
    input: Document,
    controls: &Controls,
) -> Result<boto::blocking::Pages, Failure> {
    let mut pages = client
        .paginate(operation, input)
        .map_err(|e| Failure::call(e, operation))?;
    if let Some(n) = controls.page_size {
        pages = pages.page_size(n);
    }
    if let Some(n) = controls.max_items {
        pages = pages.max_items(n);
    }
    if let Some(t) = &controls.starting_token {
        pages = pages.starting_token(t);
    }
    Ok(pages)
}

/// Each page printed as it arrives, as aws-cli's text formatter does: the first with the
/// `non_aggregate_keys`, every page with its result keys (a missing one as null, which text
/// prints as `None`), and the resume token last when `--max-items` stopped early.
fn stream(
    client: &boto::blocking::Client,
    operation: &str,
    input: Document,
    controls: &Controls,
    keys: &PageKeys,
    options: output::Options<'_>,
) -> Result<String, Failure> {
    let mut pages = pages(client, operation, input, controls)?;
    let mut first = true;
    while let Some(page) = pages.next_page() {
        let mut page = page.map_err(|e| Failure::call(e, operation))?;
        let mut current = Document::map();
        if options.format == output::Format::YamlStream {
            page.remove("ResponseMetadata");
            current = page;
        } else {
            if first {
                for key in &keys.non_aggregate {
                    set_path(&mut current, key, lookup(&page, key).unwrap_or_default());
                }
            }
            for key in &keys.result_keys {
                set_path(&mut current, key, lookup(&page, key).unwrap_or_default());
            }
        }
        first = false;
        if !crate::write_out(&output::render_page(&current, options))? {
            return Ok(String::new());
        }
    }
    if let Some(token) = pages.resume_token() {
        // Text prints aws-cli's `{"NextToken": {"NextToken": T}}` through the query; a YAML
        // stream ends with one more element, `NextToken: T`.
        let mut last = Document::map();
        let options = match options.format {
            output::Format::Text => {
                let mut inner = Document::map();
                inner.set("NextToken", token.to_string());
                last.set("NextToken", inner);
                options
            }
            _ => {
                last.set("NextToken", token.to_string());
                output::Options {
                    query: None,
                    ..options
                }
            }
        };
        crate::print(&output::render_page(&last, options))?;
    }
    Ok(String::new())
}

/// Every page merged as botocore's `build_full_result` merges them: each result key's lists
/// concatenated, the `non_aggregate_keys` of the first page, and `NextToken` when stopped early.
fn paginate(
    client: &boto::blocking::Client,
    operation: &str,
    input: Document,
    controls: &Controls,
    keys: &PageKeys,
) -> Result<Document, Failure> {
    let mut pages = pages(client, operation, input, controls)?;
    let mut merged = Document::map();
    let mut first = None;
    while let Some(page) = pages.next_page() {
        let page = page.map_err(|e| Failure::call(e, operation))?;
        for key in &keys.result_keys {
            let Some(value) = lookup(&page, key) else {
                continue;
            };
            let mut value = value;
            match lookup_mut(&mut merged, key) {
                None => set_path(&mut merged, key, value),
                Some(have) => match (have, &mut value) {
                    (Document::List(have), Document::List(more)) => have.append(more),
                    (Document::String(have), Document::String(more)) => have.push_str(more),
                    (Document::Int(have), Document::Int(more)) => *have += *more,
                    _ => {}
                },
            }
        }
        if first.is_none() {
            first = Some(page);
        }
    }
    if let Some(first) = first {
        for key in &keys.non_aggregate {
            // botocore keeps a missing one as None (`"Prefix": null`).
            if lookup_mut(&mut merged, key).is_none() {
                set_path(&mut merged, key, lookup(&first, key).unwrap_or_default());
            }
        }
    }
    if let Some(token) = pages.resume_token() {
        merged.set("NextToken", token.to_string());
    }
    Ok(merged)
}

/// A result key's value: dotted paths walked directly (an empty list is still a value, as
/// in botocore), anything else through the engine's JMESPath.
fn lookup(doc: &Document, path: &str) -> Option<Document> {
    if path
        .chars()
        .all(|c| c.is_alphanumeric() || c == '.' || c == '_')
    {
        let mut at = doc;
        for part in path.split('.') {
            at = at.get(part)?;
        }
        return (!at.is_null()).then(|| at.clone());
    }
    let found = boto::core::path::search(path, doc);
    (!found.is_null()).then_some(found)
}

fn lookup_mut<'d>(doc: &'d mut Document, path: &str) -> Option<&'d mut Document> {
    let mut at = doc;
    for part in path.split('.') {
        at = at.get_mut(part)?;
    }
    Some(at)
}

fn set_path(doc: &mut Document, path: &str, value: Document) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or(path);
    let mut at = doc;
    for part in parts {
        if at.get(part).is_none() {
            at.set(part, Document::Map(Map::default()));
        }
        match at.get_mut(part) {
            Some(next) => at = next,
            None => return,
        }
    }
    at.set(last, value);
}

/// `boto SERVICE wait WAITER ...`: polls until the waiter succeeds; prints nothing, as aws-cli.
fn wait(
    globals: &Globals,
    model: &Arc<ServiceModel>,
    command: &str,
    waiters: &[String],
    args: &[String],
) -> Result<String, Failure> {
    let names: Vec<String> = waiters.iter().map(|w| flag_name(w)).collect();
    let Some((name, rest)) = args.split_first() else {
        let mut out = format!("boto {command} wait WAITER [parameters]\n\nAvailable waiters:\n");
        for n in &names {
            out.push_str(&format!("  o {n}\n"));
        }
        return Ok(out);
    };
    let Some(index) = names.iter().position(|n| n == name) else {
        return Err(invalid_choice(&format!("{command} wait"), name, &names));
    };
    let waiter_name = &waiters[index];
    let table = boto::core::model::waiters(model.service_name())
        .ok()
        .flatten()
        .ok_or_else(|| Failure::param(format!("{command} has no waiters")))?;
    let config = table
        .get(waiter_name)
        .ok_or_else(|| Failure::param(format!("no waiter {name}")))?;
    let op = model
        .operation(&config.operation)
        .map_err(|e| Failure::param(e.to_string()))?;
    let (input, controls) = params::parse(model, op, false, &Default::default(), rest)?;
    if controls.help {
        return Ok(help::operation(model, command, &op.name, false).replacen(
            &flag_name(&op.name),
            &format!("wait {name}"),
            1,
        ));
    }
    let client = globals
        .session()?
        .client(model.service_name())
        .map_err(|e| Failure::call(e, &op.name))?;
    client.wait(waiter_name, input).map_err(|e| match e {
        boto::Error::Waiter(w) => Failure::new(
            crate::failure::status::SERVICE,
            format!("Waiter {waiter_name} failed: {w}"),
        ),
        other => Failure::call(other, &op.name),
    })?;
    Ok(String::new())
}
