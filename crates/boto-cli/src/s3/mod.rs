//! `boto s3`: aws-cli's high-level S3 commands, run on one tokio runtime so that many files move
//! at once (see [`exec`]).
//!
//! ```text
//! boto s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize]
//! boto s3 cp|mv SRC DST [--recursive] [--include P] [--exclude P] [--dryrun] ...
//! boto s3 sync SRC DST [--delete] [--exact-timestamps] [--size-only] [--checksum] ...
//! boto s3 rm s3://BUCKET/KEY [--recursive]
//! boto s3 mb s3://BUCKET | rb s3://BUCKET [--force] | presign s3://BUCKET/KEY [--expires-in S]
//! ```
//!
//! One file per command (`ls`, `cp` for cp and mv, `sync`, `rm`, `bucket` for mb and rb,
//! `presign`) over the shared parts: `args` (options), `location` (paths and how they print),
//! `filter` (`--include` / `--exclude`), `listing` (streamed walks of both sides), `exec` (the
//! transfers and their printed results), `progress`, `compare` (`sync --checksum`).

mod args;
mod bucket;
mod compare;
mod content_type;
mod cp;
mod exec;
mod filter;
mod listing;
mod location;
mod ls;
mod presign;
mod progress;
mod rm;
mod sync;
mod units;

use crate::failure::Failure;
use crate::global::Globals;
use args::{usage, Options};
use progress::Console;

/// The s3 commands, for usage messages.
pub const USAGE: &str =
    "  s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize]
  s3 cp|mv SRC DST [--recursive] [--include P] [--exclude P] [--dryrun] [--quiet]
  s3 sync SRC DST [--delete] [--exact-timestamps] [--size-only] [--checksum]
  s3 rm s3://BUCKET/KEY [--recursive]
  s3 mb s3://BUCKET | s3 rb s3://BUCKET [--force]
  s3 presign s3://BUCKET/KEY [--expires-in SECONDS]";

/// `boto s3 help`.
const HELP: &str = "usage: boto s3 <command> [<args>...]

aws-cli's high-level S3 commands:

  s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize]
  s3 cp|mv SRC DST [--recursive] [--include P] [--exclude P] [--dryrun] [--quiet]
                   [--only-show-errors] [--no-progress] [--storage-class C] [--sse [ALG]]
                   [--sse-kms-key-id K] [--acl A] [--content-type T]
  s3 sync SRC DST [--delete] [--exact-timestamps] [--size-only] [--checksum] (and cp's options)
  s3 rm s3://BUCKET/KEY [--recursive] [--include P] [--exclude P] [--dryrun]
  s3 mb s3://BUCKET | s3 rb s3://BUCKET [--force]
  s3 presign s3://BUCKET/KEY [--expires-in SECONDS]

SRC and DST are local paths, s3://BUCKET/KEY, or - (stdin / stdout, cp only). Filters apply in
order, the last match wins. sync --checksum compares content (CRC32 or the MD5 ETag) instead of
size and time. An interrupted cp of a large file continues where it stopped when run again.";

const COMMANDS: &[&str] = &["ls", "cp", "mv", "rm", "sync", "mb", "rb", "presign"];

/// Runs `boto s3 COMMAND ARGS...`.
pub fn run(globals: &Globals, args: &[String]) -> Result<(), Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(usage(&format!(
            "the following arguments are required: subcommand\n\n{USAGE}"
        )));
    };
    if command == "help" || command == "--help" {
        println!("{HELP}");
        return Ok(());
    }
    if !COMMANDS.contains(&command.as_str()) {
        return Err(usage(&format!(
            "argument subcommand: Invalid choice, valid choices are:\n\n{USAGE}"
        )));
    }
    let opts = Options::parse(command, rest)?;
    let session = globals.session()?;
    // One thread: a small request then never hops between threads (DESIGN.md: 21-31% less
    // CPU per request than a multi-thread runtime), and file reads and writes of small files
    // happen inline on it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(crate::failure::status::OTHER, e.to_string()))?;
    runtime.block_on(async {
        let client = session
            .as_async()
            .client("s3")
            .map_err(|e| Failure::call(e, ""))?;
        let progress = !opts.no_progress && opts.shows_success() && !opts.dryrun;
        let console = Console::new(progress);
        let ticker = console.spawn_ticker();
        let result = match command.as_str() {
            "ls" => ls::run(&client, &opts).await,
            "cp" => cp::run(&client, &opts, false, console.clone()).await,
            "mv" => cp::run(&client, &opts, true, console.clone()).await,
            "rm" => rm::run(&client, &opts, console.clone()).await,
            "sync" => sync::run(&client, &opts, console.clone()).await,
            "mb" => bucket::make(&client, &opts).await,
            "rb" => bucket::remove(&client, &opts, console.clone()).await,
            _ => presign::run(&client, &opts).await,
        };
        if let Some(t) = ticker {
            t.abort();
        }
        console.clear();
        result
    })
}
