//! `cargo xtask` — developer tasks for boto-rs.
//!
//! * `import-models`: imports botocore's and boto3's model data into `models/`, stripped of
//!   documentation, minified and gzip-compressed deterministically, and writes one cargo feature
//!   per imported service into the manifests of `boto-core` and `boto`.
//! * `check-models`: cross-checks the imported paginators, waiters and resource models against
//!   the service models they refer to, and checks that the model folders, `VERSIONS.json` and
//!   the per-service cargo features of `boto-core` and `boto` agree.
//! * `precompile`: writes the precompiled models and rule sets the library embeds (also run by
//!   `import-models`).

mod check;
mod features;
mod fsutil;
mod import;
mod precompile;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are reported to the user as plain messages.
pub type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  import-models [--botocore-data DIR] [--boto3-data DIR] [--out DIR] [--all | SERVICE...]
      Import botocore/boto3 model data into DIR (default: <workspace>/models); with the
      default DIR, also write one cargo feature per imported service (and `full`) into the
      generated sections of crates/boto-core/Cargo.toml and crates/boto/Cargo.toml.
      --botocore-data DIR   botocore's data folder (default: found through <workspace>/.venv)
      --boto3-data DIR      boto3's data folder (default: found through <workspace>/.venv)
      --out DIR             output folder (default: <workspace>/models)
      --all                 every service in botocore's data folder
      SERVICE...            botocore service names
                            (default: s3 sqs sts iam dynamodb sns ec2 sso sso-oidc)

  check-models [--models DIR] [SERVICE...]
      Check that the imported paginators, waiters and resource models agree with the
      service models (default: every service imported into <workspace>/models). Without
      --models and SERVICE, also check that the model folders, models/VERSIONS.json and the
      per-service features of both crates' Cargo.toml name the same services.

  precompile [--models DIR] [--check] [SERVICE...]
      Write the precompiled form of each service's model and endpoint rule set
      (service-2.bin.gz, endpoint-rule-set-1.bin.gz, which the library embeds) from its
      JSON, with boto-core's own compiler (default: every service in <workspace>/models).
      import-models runs it for what it imports.
      --check               only report missing or stale files (exit status 1 if any)

  help
      Show this message.";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest: Vec<String> = args.collect();
    let outcome = match command.as_str() {
        "import-models" => import::run(&rest),
        "check-models" => check::run(&rest),
        "precompile" => precompile::run(&rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(true)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this package's directory. `cargo run` names that directory
/// at run time; the compile-time value is only a fallback, since one target dir shared by two
/// checkouts can hand one checkout the binary linked in the other.
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Takes the value of an option given as `--name VALUE` or `--name=VALUE`.
///
/// `arg` is the current argument; `rest` yields the following ones. Returns `None` when `arg`
/// is not the option `name`.
pub fn option_value<'a>(
    arg: &'a str,
    name: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Option<Result<&'a str>> {
    if arg == name {
        Some(
            rest.next()
                .map(String::as_str)
                .ok_or_else(|| format!("option {name} needs a value")),
        )
    } else {
        arg.strip_prefix(name)
            .and_then(|tail| tail.strip_prefix('='))
            .map(Ok)
    }
}
