//! `boto`: the command-line tool. For now one generic command, `call`, that runs any operation of
//! any embedded service by name with a JSON input and prints the JSON output:
//!
//! ```text
//! boto call s3 list_objects_v2 '{"Bucket": "videobucket"}'
//! boto call sqs ListQueues
//! ```
//!
//! Region, credentials and endpoint come from the environment and `~/.aws` like every session;
//! `--region R`, `--profile P` and `--endpoint-url URL` override them.

use boto::blocking::Session;
use boto::Document;
use std::process::ExitCode;

const USAGE: &str =
    "usage: boto [--region R] [--profile P] [--endpoint-url URL] call SERVICE OPERATION [JSON]";

fn run(args: Vec<String>) -> Result<(), String> {
    let mut builder = Session::builder();
    let mut rest = Vec::new();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--region" => builder = builder.region_name(value("--region")?),
            "--profile" => builder = builder.profile_name(value("--profile")?),
            "--endpoint-url" => builder = builder.endpoint_url(value("--endpoint-url")?),
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ => rest.push(arg),
        }
    }
    let [command, service, operation, input @ ..] = rest.as_slice() else {
        return Err(USAGE.to_string());
    };
    if command != "call" || input.len() > 1 {
        return Err(USAGE.to_string());
    }
    let input = match input.first() {
        Some(text) => {
            Document::from_json(text).map_err(|e| format!("the input is not JSON: {e}"))?
        }
        None => Document::map(),
    };
    let session = builder.build().map_err(|e| e.to_string())?;
    let client = session.client(service).map_err(|e| e.to_string())?;
    let mut output = client.call(operation, input).map_err(|e| e.to_string())?;
    output.remove("ResponseMetadata");
    println!("{output:#}");
    Ok(())
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("boto: {message}");
            ExitCode::FAILURE
        }
    }
}
