//! The options of the `boto s3` commands, parsed by hand as aws-cli's argparse accepts them:
//! flags anywhere among the paths, `--flag value` or `--flag=value`, and exit status 252 for
//! anything unknown or missing.

use super::filter::Filters;
use crate::failure::Failure;

/// Everything one s3 command was given.
#[derive(Debug, Default)]
pub struct Options {
    /// The path arguments, in order.
    pub paths: Vec<String>,
    /// `--recursive` (always on for `sync`).
    pub recursive: bool,
    /// `--include` / `--exclude`.
    pub filters: Filters,
    /// `--dryrun`.
    pub dryrun: bool,
    /// `--quiet`.
    pub quiet: bool,
    /// `--only-show-errors`.
    pub only_show_errors: bool,
    /// `--no-progress`.
    pub no_progress: bool,
    /// `--storage-class`.
    pub storage_class: Option<String>,
    /// `--sse` (`AES256` when given without a value).
    pub sse: Option<String>,
    /// `--sse-kms-key-id`.
    pub sse_kms_key_id: Option<String>,
    /// `--acl`.
    pub acl: Option<String>,
    /// `--content-type`.
    pub content_type: Option<String>,
    /// `sync --delete`.
    pub delete: bool,
    /// `sync --exact-timestamps`.
    pub exact_timestamps: bool,
    /// `sync --size-only`.
    pub size_only: bool,
    /// `sync --checksum`: compare content instead of size and time.
    pub checksum: bool,
    /// `ls --human-readable`.
    pub human_readable: bool,
    /// `ls --summarize`.
    pub summarize: bool,
    /// `ls --page-size`.
    pub page_size: Option<i64>,
    /// `rb --force`.
    pub force: bool,
    /// `presign --expires-in` (seconds).
    pub expires_in: Option<u64>,
}

/// The flags each command takes (beyond its paths).
fn allowed(command: &str) -> &'static [&'static str] {
    const TRANSFER: &[&str] = &[
        "--recursive",
        "--include",
        "--exclude",
        "--dryrun",
        "--quiet",
        "--only-show-errors",
        "--no-progress",
        "--storage-class",
        "--sse",
        "--sse-kms-key-id",
        "--acl",
        "--content-type",
    ];
    const SYNC: &[&str] = &[
        "--include",
        "--exclude",
        "--dryrun",
        "--quiet",
        "--only-show-errors",
        "--no-progress",
        "--storage-class",
        "--sse",
        "--sse-kms-key-id",
        "--acl",
        "--content-type",
        "--delete",
        "--exact-timestamps",
        "--size-only",
        "--checksum",
    ];
    match command {
        "cp" | "mv" => TRANSFER,
        "sync" => SYNC,
        "rm" => &[
            "--recursive",
            "--include",
            "--exclude",
            "--dryrun",
            "--quiet",
            "--only-show-errors",
        ],
        "ls" => &[
            "--recursive",
            "--human-readable",
            "--summarize",
            "--page-size",
        ],
        "rb" => &["--force"],
        "presign" => &["--expires-in"],
        _ => &[],
    }
}

const SSE_VALUES: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

impl Options {
    /// Parses the arguments after `boto s3 COMMAND`.
    pub fn parse(command: &str, args: &[String]) -> Result<Options, Failure> {
        let allowed = allowed(command);
        let mut o = Options::default();
        let mut unknown = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            if !arg.starts_with("--") {
                o.paths.push(arg.clone());
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (arg.as_str(), None),
            };
            if !allowed.contains(&name) {
                unknown.push(arg.clone());
                continue;
            }
            let mut value = || -> Result<String, Failure> {
                if let Some(v) = &inline {
                    return Ok(v.clone());
                }
                match args.get(i) {
                    Some(v) if !v.starts_with("--") => {
                        i += 1;
                        Ok(v.clone())
                    }
                    _ => Err(usage(&format!("argument {name}: expected one argument"))),
                }
            };
            match name {
                "--recursive" => o.recursive = true,
                "--include" => o.filters.push(true, &value()?),
                "--exclude" => o.filters.push(false, &value()?),
                "--dryrun" => o.dryrun = true,
                "--quiet" => o.quiet = true,
                "--only-show-errors" => o.only_show_errors = true,
                "--no-progress" => o.no_progress = true,
                "--storage-class" => o.storage_class = Some(value()?),
                "--sse" => {
                    // argparse's nargs='?': a following known value belongs to the flag.
                    let v = match inline {
                        Some(v) => v,
                        None => match args.get(i) {
                            Some(v) if SSE_VALUES.contains(&v.as_str()) => {
                                i += 1;
                                v.clone()
                            }
                            _ => "AES256".to_string(),
                        },
                    };
                    if !SSE_VALUES.contains(&v.as_str()) {
                        return Err(usage(&format!(
                            "argument --sse: invalid choice: '{v}' (choose from 'AES256', 'aws:kms', 'aws:kms:dsse')"
                        )));
                    }
                    o.sse = Some(v);
                }
                "--sse-kms-key-id" => o.sse_kms_key_id = Some(value()?),
                "--acl" => o.acl = Some(value()?),
                "--content-type" => o.content_type = Some(value()?),
                "--delete" => o.delete = true,
                "--exact-timestamps" => o.exact_timestamps = true,
                "--size-only" => o.size_only = true,
                "--checksum" => o.checksum = true,
                "--human-readable" => o.human_readable = true,
                "--summarize" => o.summarize = true,
                "--page-size" => {
                    let v = value()?;
                    o.page_size = Some(v.parse().map_err(|_| {
                        usage(&format!("argument --page-size: invalid int value: '{v}'"))
                    })?);
                }
                "--force" => o.force = true,
                "--expires-in" => {
                    let v = value()?;
                    o.expires_in = Some(v.parse().map_err(|_| {
                        usage(&format!("argument --expires-in: invalid int value: '{v}'"))
                    })?);
                }
                _ => unknown.push(arg.clone()),
            }
        }
        if !unknown.is_empty() {
            // aws-cli words this one without its usage text.
            return Err(Failure::param(format!(
                "Unknown options: {}",
                unknown.join(",")
            )));
        }
        Ok(o)
    }

    /// The paths, which must number `n` (aws-cli's argparse message otherwise).
    pub fn expect_paths(&self, n: usize) -> Result<&[String], Failure> {
        match self.paths.len() {
            k if k == n => Ok(&self.paths),
            k if k < n => Err(usage("the following arguments are required: paths")),
            _ => Err(Failure::param(format!(
                "Unknown options: {}",
                self.paths[n..].join(",")
            ))),
        }
    }

    /// Whether per-file lines are printed (`--quiet` and `--only-show-errors` silence them).
    pub fn shows_success(&self) -> bool {
        !self.quiet && !self.only_show_errors
    }
}

/// A usage error (exit 252), worded as aws-cli's argparse words it.
pub fn usage(message: &str) -> Failure {
    Failure::param(format!(
        "usage: boto s3 <command> [<args>...]\nTo see help text, you can run:\n\n  boto help\n  boto s3 help\n\nboto: error: {message}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(command: &str, args: &[&str]) -> Result<Options, Failure> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Options::parse(command, &args)
    }

    #[test]
    fn flags_mix_with_paths_and_keep_their_order() {
        let o = parse(
            "cp",
            &[
                "a",
                "--exclude",
                "*",
                "s3://b/",
                "--include=*.txt",
                "--recursive",
            ],
        )
        .unwrap();
        assert_eq!(o.paths, ["a", "s3://b/"]);
        assert!(o.recursive);
        assert!(o.filters.accepts("x.txt"));
        assert!(!o.filters.accepts("x.jpg"));
    }

    #[test]
    fn sse_takes_a_value_only_when_it_is_one() {
        assert_eq!(
            parse("cp", &["--sse", "a", "b"]).unwrap().sse.unwrap(),
            "AES256"
        );
        let o = parse("cp", &["--sse", "aws:kms", "a", "b"]).unwrap();
        assert_eq!(o.sse.as_deref(), Some("aws:kms"));
        assert_eq!(o.paths.len(), 2);
    }

    #[test]
    fn unknown_and_misplaced_flags_are_usage_errors() {
        let e = parse("rm", &["s3://b/k", "--delete"]).unwrap_err();
        assert_eq!(e.status, 252);
        assert!(
            e.message.contains("Unknown options: --delete"),
            "{}",
            e.message
        );
        let e = parse("cp", &["--storage-class"]).unwrap_err();
        assert_eq!(e.status, 252);
        let o = parse("cp", &["a"]).unwrap();
        assert_eq!(o.expect_paths(2).unwrap_err().status, 252);
    }
}
