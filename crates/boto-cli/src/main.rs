//! `boto`: the command-line tool, shaped like aws-cli.
//!
//! ```text
//! boto sqs send-message --queue-url U --message-body B   any operation of any service, aws-cli style
//! boto s3api list-objects-v2 --bucket B --max-items 10   paginated in full unless told otherwise
//! boto dynamodb wait table-exists --table-name T         waiters
//! boto help | boto sqs help | boto sqs send-message help
//! boto call s3 list_objects_v2 '{"Bucket": "videobucket"}'
//! boto s3 ls|cp|mv|rm|sync|mb|rb|presign ...                aws-cli's high-level S3 commands
//! ```
//!
//! Arguments are parsed by hand, along the chosen operation's input shape only: no parser is
//! built for the other operations or services, so start-up costs one model decode.
//! Region, credentials and endpoint come from the environment and `~/.aws` like every session;
//! the global options (`--region`, `--profile`, `--endpoint-url`, `--output`, `--query`, ...)
//! override them and may appear anywhere, as in aws-cli.

mod configure;
mod debug;
mod failure;
mod global;
mod help;
mod legacy;
mod operation;
mod output;
mod params;
mod s3;
mod shorthand;

use failure::{status, Failure};
use global::Globals;
use std::io::Write;
use std::process::ExitCode;

fn run(args: Vec<String>) -> Result<(), Failure> {
    let (globals, rest) = Globals::parse(args)?;
    if globals.debug {
        debug::install();
    }
    let Some((command, args)) = rest.split_first() else {
        return Err(Failure::new(
            status::USAGE,
            format!(
                "{}\n\n{}",
                legacy::USAGE,
                "To see help text, you can run:\n  boto help"
            ),
        ));
    };
    match command.as_str() {
        "help" | "-h" | "--help" => print(&help::top()),
        "--version" => print(&format!(
            "boto-cli/{} (models: botocore's, documentation stripped)\n",
            env!("CARGO_PKG_VERSION")
        )),
        "configure" => print(&configure::run(&globals, args)?),
        "call" => {
            let session = globals.session()?;
            legacy::call(&session, args).map_err(|m| Failure::new(status::GENERIC, m))
        }
        "s3" => s3::run(&globals, args),
        _ => print(&operation::run(&globals, command, args)?),
    }
}

/// Writes the output; a closed pipe (`boto ... | head`) is not an error.
fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::new(status::OTHER, e.to_string()))
        }
        _ => Ok(()),
    }
}

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // aws-cli sets errors apart with a blank line before them (and says nothing when
            // `configure get` finds no value).
            if !failure.message.is_empty() {
                eprintln!("\n{}", failure.message);
            }
            ExitCode::from(failure.status)
        }
    }
}
