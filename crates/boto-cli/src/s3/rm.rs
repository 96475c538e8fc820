//! `boto s3 rm`: one object, or (`--recursive`) every object below a prefix that the filters
//! accept, empty "folder" objects included as aws-cli deletes them.

use super::args::{usage, Options};
use super::cp::{dir_prefix, drain};
use super::exec::{Action, Executor, Task};
use super::listing;
use super::location::{key_name, Location};
use super::progress::Console;
use crate::failure::Failure;
use boto::Client;
use std::sync::Arc;

/// Runs `rm`.
pub async fn run(client: &Client, opts: &Options, console: Arc<Console>) -> Result<(), Failure> {
    let [path] = opts.expect_paths(1)? else {
        unreachable!("expect_paths(1) returns one path")
    };
    let Location::S3 { bucket, key } = Location::parse(path) else {
        return Err(usage("Error: Invalid argument type"));
    };
    let mut ex = Executor::new(client.clone(), opts, console);
    let result = if opts.recursive {
        let prefix = dir_prefix(&key);
        let listing = listing::s3(client.clone(), bucket.clone(), prefix.clone(), true);
        drain(&mut ex, listing, opts, |e| {
            Ok(Task {
                action: Action::DeleteObject {
                    bucket: bucket.clone(),
                    key: format!("{prefix}{}", e.rel),
                },
                size: 0,
                then_remove: None,
            })
        })
        .await
    } else {
        if opts.filters.accepts(key_name(&key)) {
            let task = Task {
                action: Action::DeleteObject { bucket, key },
                size: 0,
                then_remove: None,
            };
            ex.submit(task).await;
        }
        Ok(())
    };
    let finished = ex.finish().await;
    result.and(finished)
}
