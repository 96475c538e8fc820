//! `boto s3 sync`: the source and destination trees are listed side by side, both in key order,
//! and merged as aws-cli's comparator does. A file only at the source is copied; one at both is
//! copied when aws-cli's rule says so (below); one only at the destination is deleted with
//! `--delete`. The filters apply to both sides, so an excluded file is neither copied nor
//! deleted.
//!
//! aws-cli's rule, kept quirks and all: the sizes differ, or for an upload or copy the source
//! is newer than the destination, or for a download the local file is *newer* than the object
//! (a download sets the file's time to the object's, so an unchanged pair compares equal).
//! `--exact-timestamps` makes a download happen whenever the times differ; `--size-only`
//! compares sizes alone. `--checksum` (not in aws-cli) compares content when the sizes agree;
//! see [`super::compare`].

use super::args::{usage, Options};
use super::compare;
use super::cp::{dir_prefix, empty};
use super::exec::{Action, Executor, Task};
use super::listing::{self, Entry, Item, Listing};
use super::location::Location;
use super::progress::Console;
use crate::failure::Failure;
use boto::Client;
use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::Arc;

/// One side of the sync.
#[derive(Debug, Clone)]
pub enum Side {
    /// A local directory.
    Local(PathBuf),
    /// A bucket and a prefix (empty or ending in `/`).
    S3(String, String),
}

impl Side {
    fn of(location: Location) -> Result<Side, Failure> {
        match location {
            Location::Local(p) => Ok(Side::Local(p)),
            Location::S3 { bucket, key } => Ok(Side::S3(bucket, dir_prefix(&key))),
            Location::Stream => Err(usage(
                "Streaming currently is only compatible with non-recursive cp commands",
            )),
        }
    }

    fn list(&self, client: &Client) -> Listing {
        match self {
            Side::Local(root) if root.is_dir() => listing::local(root.clone()),
            Side::Local(_) => empty(),
            Side::S3(bucket, prefix) => {
                listing::s3(client.clone(), bucket.clone(), prefix.clone(), false)
            }
        }
    }
}

/// Runs `sync`.
pub async fn run(client: &Client, opts: &Options, console: Arc<Console>) -> Result<(), Failure> {
    let [src, dst] = opts.expect_paths(2)? else {
        unreachable!("expect_paths(2) returns two paths")
    };
    let src = Side::of(Location::parse(src))?;
    let dst = Side::of(Location::parse(dst))?;
    if matches!((&src, &dst), (Side::Local(_), Side::Local(_))) {
        return Err(usage("Error: Invalid argument type"));
    }
    if let Side::Local(root) = &src {
        if !root.is_dir() {
            return Err(Failure::new(
                crate::failure::status::OTHER,
                format!("The user-provided path {} does not exist.", root.display()),
            ));
        }
    }
    let mut ex = Executor::new(client.clone(), opts, console);
    let result = merge(client, opts, &src, &dst, &mut ex).await;
    let finished = ex.finish().await;
    result.and(finished)
}

async fn merge(
    client: &Client,
    opts: &Options,
    src: &Side,
    dst: &Side,
    ex: &mut Executor,
) -> Result<(), Failure> {
    let (mut from, mut to) = (src.list(client), dst.list(client));
    let mut a = next(&mut from, opts, ex).await?;
    let mut b = next(&mut to, opts, ex).await?;
    loop {
        let order = match (&a, &b) {
            (Some(x), Some(y)) => x.rel.cmp(&y.rel),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => return Ok(()),
        };
        match order {
            Ordering::Equal => {
                if let (Some(x), Some(y)) = (&a, &b) {
                    if should_sync(client, opts, src, dst, x, y).await {
                        ex.submit(transfer(src, dst, x)).await;
                    }
                }
                a = next(&mut from, opts, ex).await?;
                b = next(&mut to, opts, ex).await?;
            }
            Ordering::Less => {
                if let Some(x) = a.take() {
                    ex.submit(transfer(src, dst, &x)).await;
                }
                a = next(&mut from, opts, ex).await?;
            }
            Ordering::Greater => {
                if let Some(y) = b.take() {
                    if opts.delete {
                        ex.submit(delete(dst, &y)).await;
                    }
                }
                b = next(&mut to, opts, ex).await?;
            }
        }
    }
}

/// The next entry the filters accept (warnings go to the executor).
async fn next(
    listing: &mut Listing,
    opts: &Options,
    ex: &Executor,
) -> Result<Option<Entry>, Failure> {
    while let Some(item) = listing.recv().await {
        match item {
            Item::Entry(e) if opts.filters.accepts(&e.rel) => return Ok(Some(e)),
            Item::Entry(_) => {}
            Item::Skipped(w) => ex.skip(&w),
            Item::Fatal(f) => return Err(f),
        }
    }
    Ok(None)
}

/// aws-cli's decision for a file at both sides (see this module).
async fn should_sync(
    client: &Client,
    opts: &Options,
    src: &Side,
    dst: &Side,
    x: &Entry,
    y: &Entry,
) -> bool {
    if x.size != y.size {
        return true;
    }
    if opts.size_only {
        return false;
    }
    if opts.checksum {
        if let Some(same) = compare::same_content(client, src, dst, x, y).await {
            return !same;
        }
    }
    let delta = y.mtime - x.mtime;
    match (src, dst) {
        (Side::S3(..), Side::Local(_)) if opts.exact_timestamps => delta != 0.0,
        (Side::S3(..), Side::Local(_)) => delta > 0.0,
        _ => delta < 0.0,
    }
}

fn transfer(src: &Side, dst: &Side, e: &Entry) -> Task {
    let action = match (src, dst) {
        (Side::Local(root), Side::S3(bucket, prefix)) => Action::Upload {
            path: root.join(&e.rel),
            bucket: bucket.clone(),
            key: format!("{prefix}{}", e.rel),
        },
        (Side::S3(bucket, prefix), Side::Local(root)) => Action::Download {
            bucket: bucket.clone(),
            key: format!("{prefix}{}", e.rel),
            path: root.join(&e.rel),
            mtime: e.mtime,
        },
        (Side::S3(sb, sp), Side::S3(bucket, prefix)) => Action::Copy {
            src_bucket: sb.clone(),
            src_key: format!("{sp}{}", e.rel),
            bucket: bucket.clone(),
            key: format!("{prefix}{}", e.rel),
        },
        (Side::Local(_), Side::Local(_)) => unreachable!("rejected before listing"),
    };
    Task {
        action,
        size: e.size,
        then_remove: None,
    }
}

fn delete(dst: &Side, e: &Entry) -> Task {
    let action = match dst {
        Side::Local(root) => Action::DeleteLocal(root.join(&e.rel)),
        Side::S3(bucket, prefix) => Action::DeleteObject {
            bucket: bucket.clone(),
            key: format!("{prefix}{}", e.rel),
        },
    };
    Task {
        action,
        size: 0,
        then_remove: None,
    }
}
