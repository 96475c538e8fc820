//! `boto s3 cp` and `boto s3 mv`: local↔S3, S3↔S3 (managed copy) and `-` streams, one file or
//! (`--recursive`) a whole tree, with aws-cli's rules for where each file lands: a destination
//! that ends in `/` or is an existing directory takes the source's name, and a tree keeps its
//! paths below the source root.

use super::args::{usage, Options};
use super::exec::{Action, Executor, Task};
use super::listing::{self, Entry, Item, Listing};
use super::location::{key_name, Location};
use super::progress::Console;
use crate::failure::{status, Failure};
use boto::{doc, Client};
use std::path::Path;
use std::sync::Arc;

/// Runs `cp` (or `mv` when `remove_source`).
pub async fn run(
    client: &Client,
    opts: &Options,
    remove_source: bool,
    console: Arc<Console>,
) -> Result<(), Failure> {
    let [src, dst] = opts.expect_paths(2)? else {
        unreachable!("expect_paths(2) returns two paths")
    };
    let (src, dst) = (Location::parse(src), Location::parse(dst));
    let mut ex = Executor::new(client.clone(), opts, console);
    if matches!(src, Location::Stream) || matches!(dst, Location::Stream) {
        if remove_source || opts.recursive {
            return Err(usage(
                "Streaming currently is only compatible with non-recursive cp commands",
            ));
        }
        ex.set_show(false);
    }
    let plan = Plan {
        opts,
        remove_source,
    };
    let result = match (&src, &dst) {
        (Location::Stream, Location::S3 { bucket, key }) => {
            let task = Task {
                action: Action::UploadStream {
                    bucket: bucket.clone(),
                    key: key.clone(),
                },
                size: 0,
                then_remove: None,
            };
            ex.submit(task).await;
            Ok(())
        }
        (Location::S3 { bucket, key }, Location::Stream) => {
            let task = Task {
                action: Action::DownloadStream {
                    bucket: bucket.clone(),
                    key: key.clone(),
                },
                size: 0,
                then_remove: None,
            };
            ex.submit(task).await;
            Ok(())
        }
        (Location::Local(path), Location::S3 { bucket, key }) => {
            plan.upload(&mut ex, path, bucket, key).await
        }
        (Location::S3 { .. }, Location::Local(_)) | (Location::S3 { .. }, Location::S3 { .. }) => {
            plan.download_or_copy(&mut ex, client, &src, &dst).await
        }
        _ => Err(usage("Error: Invalid argument type")),
    };
    let finished = ex.finish().await;
    result.and(finished)
}

struct Plan<'a> {
    opts: &'a Options,
    remove_source: bool,
}

impl Plan<'_> {
    fn task(&self, action: Action, size: u64, source: Action) -> Task {
        Task {
            action,
            size,
            then_remove: self.remove_source.then_some(source),
        }
    }

    async fn upload(
        &self,
        ex: &mut Executor,
        path: &Path,
        bucket: &str,
        key: &str,
    ) -> Result<(), Failure> {
        if self.opts.recursive {
            let prefix = dir_prefix(key);
            let listing = if path.is_dir() {
                listing::local(path.to_path_buf())
            } else {
                empty()
            };
            return drain(ex, listing, self.opts, |e| {
                let file = path.join(&e.rel);
                Ok(self.task(
                    Action::Upload {
                        path: file.clone(),
                        bucket: bucket.to_string(),
                        key: format!("{prefix}{}", e.rel),
                    },
                    e.size,
                    Action::DeleteLocal(file),
                ))
            })
            .await;
        }
        if !path.exists() {
            return Err(Failure::new(
                status::OTHER,
                format!("The user-provided path {} does not exist.", path.display()),
            ));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}{name}")
        } else {
            key.to_string()
        };
        match listing::file_item(path, name) {
            Item::Entry(e) if self.opts.filters.accepts(&e.rel) => {
                let task = self.task(
                    Action::Upload {
                        path: path.to_path_buf(),
                        bucket: bucket.to_string(),
                        key,
                    },
                    e.size,
                    Action::DeleteLocal(path.to_path_buf()),
                );
                ex.submit(task).await;
            }
            Item::Entry(_) => {}
            Item::Skipped(w) => ex.skip(&w),
            Item::Fatal(f) => return Err(f),
        }
        Ok(())
    }

    async fn download_or_copy(
        &self,
        ex: &mut Executor,
        client: &Client,
        src: &Location,
        dst: &Location,
    ) -> Result<(), Failure> {
        let Location::S3 {
            bucket: sb,
            key: sk,
        } = src
        else {
            return Err(usage("Error: Invalid argument type"));
        };
        if self.remove_source && src == dst {
            return Err(Failure::param(format!(
                "Cannot mv a file onto itself: s3://{sb}/{sk} - s3://{sb}/{sk}"
            )));
        }
        let target = |e: &Entry, single: bool| -> Result<Action, String> {
            let src_key = if single {
                sk.clone()
            } else {
                format!("{}{}", dir_prefix(sk), e.rel)
            };
            Ok(match dst {
                Location::Local(root) => {
                    let path = if single {
                        if root.is_dir() || root.to_string_lossy().ends_with('/') {
                            root.join(&e.rel)
                        } else {
                            root.clone()
                        }
                    } else {
                        if e.rel.split('/').any(|c| c == "..") {
                            return Err(format!(
                                "warning: Skipping file s3://{sb}/{src_key}. File references a parent directory."
                            ));
                        }
                        root.join(&e.rel)
                    };
                    Action::Download {
                        bucket: sb.clone(),
                        key: src_key,
                        path,
                        mtime: e.mtime,
                    }
                }
                Location::S3 { bucket, key } => {
                    let key = if single && !(key.is_empty() || key.ends_with('/')) {
                        key.clone()
                    } else if single {
                        format!("{key}{}", e.rel)
                    } else {
                        format!("{}{}", dir_prefix(key), e.rel)
                    };
                    Action::Copy {
                        src_bucket: sb.clone(),
                        src_key,
                        bucket: bucket.clone(),
                        key,
                    }
                }
                Location::Stream => unreachable!("streams are planned before"),
            })
        };
        let removal = |e: &Entry, single: bool| Action::DeleteObject {
            bucket: sb.clone(),
            key: if single {
                sk.clone()
            } else {
                format!("{}{}", dir_prefix(sk), e.rel)
            },
        };
        if self.opts.recursive {
            let listing = listing::s3(client.clone(), sb.clone(), dir_prefix(sk), false);
            return drain(ex, listing, self.opts, |e| {
                target(e, false).map(|action| self.task(action, e.size, removal(e, false)))
            })
            .await;
        }
        let head = client
            .call(
                "HeadObject",
                doc! {"Bucket": sb.as_str(), "Key": sk.as_str()},
            )
            .await
            .map_err(|e| listing::fatal(e, "HeadObject"))?;
        let entry = listing::object_entry(key_name(sk), &head);
        if self.opts.filters.accepts(&entry.rel) {
            let action = target(&entry, true).map_err(Failure::param)?;
            ex.submit(self.task(action, entry.size, removal(&entry, true)))
                .await;
        }
        Ok(())
    }
}

/// A listing with nothing in it (a tree root that does not exist).
pub fn empty() -> Listing {
    tokio::sync::mpsc::channel(1).1
}

/// `key` as the prefix of a tree: empty, or ending in `/`.
pub fn dir_prefix(key: &str) -> String {
    if key.is_empty() || key.ends_with('/') {
        key.to_string()
    } else {
        format!("{key}/")
    }
}

/// Feeds every accepted entry of `listing` to `ex` as the task `make` plans for it, or the
/// warning `make` gives for skipping it.
pub async fn drain(
    ex: &mut Executor,
    mut listing: Listing,
    opts: &Options,
    mut make: impl FnMut(&Entry) -> Result<Task, String>,
) -> Result<(), Failure> {
    while let Some(item) = listing.recv().await {
        match item {
            Item::Entry(e) => {
                if opts.filters.accepts(&e.rel) {
                    match make(&e) {
                        Ok(task) => ex.submit(task).await,
                        Err(warning) => ex.skip(&warning),
                    }
                }
            }
            Item::Skipped(w) => ex.skip(&w),
            Item::Fatal(f) => return Err(f),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn tree_prefixes_end_in_a_slash() {
        assert_eq!(super::dir_prefix(""), "");
        assert_eq!(super::dir_prefix("a"), "a/");
        assert_eq!(super::dir_prefix("a/"), "a/");
    }
}
