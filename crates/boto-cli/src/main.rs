//! `boto`: the command-line tool, shaped like aws-cli.
//!
//! ```text
//! boto sqs send-message --queue-url U --message-body B   any operation of any service, aws-cli style
//! boto s3api list-objects-v2 --bucket B --max-items 10   paginated in full unless told otherwise
//! boto dynamodb wait table-exists --table-name T         waiters
//! boto help | boto sqs help | boto sqs send-message help
//! source <(boto completion bash)                         completion for bash, zsh or fish
//! boto call s3 list_objects_v2 '{"Bucket": "videobucket"}'
//! boto s3 ls|cp|mv|rm|sync|mb|rb|presign ...                aws-cli's high-level S3 commands
//! ```
//!
//! Arguments are parsed by hand, along the chosen operation's input shape only: no parser is
//! built for the other operations or services, so start-up costs one model decode.
//! Region, credentials and endpoint come from the environment and `~/.aws` like every session;
//! the global options (`--region`, `--profile`, `--endpoint-url`, `--output`, `--query`, ...)
//! override them and may appear anywhere, as in aws-cli. Output formats, exit statuses,
//! completion, and which of aws-cli's per-command customizations are here (and which not):
//! see the crate's README.md.

mod completion;
mod configure;
mod debug;
mod failure;
mod global;
mod help;
mod legacy;
mod operation;
mod output;
mod params;
mod renames;
mod s3;
mod shorthand;
mod streaming;

use failure::{status, Failure};
use global::Globals;
use std::io::Write;
use std::process::ExitCode;

fn run(args: Vec<String>) -> Result<(), Failure> {
    // The shell's words go to the completer as they are, options included.
    if args.first().is_some_and(|a| a == "__complete") {
        return print(&completion::candidates(&args[1..]));
    }
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
        "completion" => print(&completion::script(args)?),
        "call" => {
            let session = globals.session()?;
            legacy::call(&session, args).map_err(|m| Failure::new(status::GENERIC, m))
        }
        "s3" => s3::run(&globals, args),
        _ => print(&operation::run(&globals, command, args)?),
    }
}

/// Writes the output; a closed pipe (`boto ... | head`) is not an error.
pub fn print(text: &str) -> Result<(), Failure> {
    write_out(text).map(|_| ())
}

/// Writes to stdout; `false` once the reader has gone (so that a command printing page by page
/// stops fetching pages nobody reads).
pub fn write_out(text: &str) -> Result<bool, Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Failure::new(status::OTHER, e.to_string())),
        Ok(()) => Ok(true),
    }
}

/// aws-cli's Ctrl-C: a line break on stdout and status 130 (128 + SIGINT), whatever the
/// command was doing. A thread of its own waits for the signal, so no command has to poll for it.
fn exit_130_on_ctrl_c() {
    let _ = std::thread::Builder::new().name("ctrl-c".into()).spawn(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        else {
            return;
        };
        if rt.block_on(tokio::signal::ctrl_c()).is_ok() {
            let mut out = std::io::stdout();
            let _ = out.write_all(b"\n").and_then(|()| out.flush());
            std::process::exit(i32::from(status::INTERRUPTED));
        }
    });
}

/// A bug is still an error in aws-cli's form: the message on stderr and status 255, not
/// Rust's panic report and 101.
fn exit_255_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unexpected error".into());
        let place = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("\ninternal error: {message}{place}");
        std::process::exit(i32::from(status::OTHER));
    }));
}

fn main() -> ExitCode {
    exit_255_on_panic();
    exit_130_on_ctrl_c();
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
