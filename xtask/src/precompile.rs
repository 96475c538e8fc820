//! `cargo xtask precompile`: writes the precompiled form of every imported model and endpoint
//! rule set beside its JSON (`service-2.bin.gz`, `endpoint-rule-set-1.bin.gz`), which is what
//! the library embeds, so a process's first client decodes tables instead of parsing JSON.
//!
//! The bytes come from boto-core's own compiler (`ServiceModel::from_json`, `RuleSet::from_json`)
//! and encoder, so they always mean what the JSON means to this engine; `--check` only reports
//! files that are missing or stale (a format or compiler change not yet re-run), and the test
//! `precompiled_models` of boto-core fails on the same condition.

use std::fs;
use std::path::{Path, PathBuf};

use boto_core::endpoint::RuleSet;
use boto_core::model::ServiceModel;

use crate::fsutil::{gzip, subdirs, write_if_changed};
use crate::{option_value, workspace_root, Result};

/// The files this command writes: (JSON input, precompiled output).
const FILES: [(&str, &str); 2] = [
    ("service-2.json.gz", "service-2.bin.gz"),
    ("endpoint-rule-set-1.json.gz", "endpoint-rule-set-1.bin.gz"),
];

struct Options {
    models: PathBuf,
    check: bool,
    services: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        models: workspace_root().join("models"),
        check: false,
        services: Vec::new(),
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if let Some(v) = option_value(arg, "--models", &mut rest) {
            options.models = PathBuf::from(v?);
        } else if arg == "--check" {
            options.check = true;
        } else if arg.starts_with('-') {
            return Err(format!("unknown option `{arg}`"));
        } else {
            options.services.push(arg.clone());
        }
    }
    Ok(options)
}

fn gunzip(path: &Path) -> Result<Vec<u8>> {
    let raw = fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let mut out = Vec::with_capacity(raw.len() * 8);
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&raw[..]), &mut out)
        .map_err(|e| format!("decompressing {}: {e}", path.display()))?;
    Ok(out)
}

/// The precompiled bytes (uncompressed) of one JSON file of `service`.
fn precompiled(service: &str, input: &str, json: &[u8]) -> Result<Vec<u8>> {
    if input.starts_with("service-2") {
        let text = std::str::from_utf8(json).map_err(|e| format!("{service}: {e}"))?;
        let model = ServiceModel::from_json(service, text).map_err(|e| e.to_string())?;
        Ok(model.to_precompiled())
    } else {
        let rules = RuleSet::from_json_slice(json).map_err(|e| format!("{service}: {e}"))?;
        Ok(rules.to_precompiled())
    }
}

/// Precompiles (or, with `check`, compares) one service's files; returns the names of the
/// files that were stale.
pub fn service(dir: &Path, service: &str, check: bool) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for (input, output) in FILES {
        let source = dir.join(input);
        let target = dir.join(output);
        if !source.is_file() {
            if target.is_file() {
                stale.push(format!("{service}/{output} (its JSON is gone)"));
                if !check {
                    fs::remove_file(&target)
                        .map_err(|e| format!("removing {}: {e}", target.display()))?;
                }
            }
            continue;
        }
        let bytes = precompiled(service, input, &gunzip(&source)?)?;
        let fresh = target.is_file() && gunzip(&target)? == bytes;
        if !fresh {
            stale.push(format!("{service}/{output}"));
            if !check {
                write_if_changed(&target, &gzip(&bytes)?)?;
            }
        }
    }
    Ok(stale)
}

pub fn run(args: &[String]) -> Result<bool> {
    let options = parse(args)?;
    let services = if options.services.is_empty() {
        subdirs(&options.models)?
    } else {
        options.services.clone()
    };
    let mut stale = Vec::new();
    for name in &services {
        let dir = options.models.join(name);
        if !dir.is_dir() {
            return Err(format!("no such service folder: {}", dir.display()));
        }
        stale.extend(service(&dir, name, options.check)?);
    }
    if options.check {
        if stale.is_empty() {
            println!(
                "precompiled data of {} services is up to date",
                services.len()
            );
            return Ok(true);
        }
        println!(
            "stale precompiled data (run `cargo xtask precompile`):\n  {}",
            stale.join("\n  ")
        );
        return Ok(false);
    }
    println!(
        "precompiled {} services: {} files rewritten",
        services.len(),
        stale.len()
    );
    Ok(true)
}
