//! What a command works on, streamed as it is found: a local directory walked in S3's key order,
//! or the objects under a prefix page by page. Nothing is collected: a bounded channel carries
//! the entries, so a walk of millions of files holds a few thousand at a time and transfers start
//! with the first page.

use boto::{doc, Client, Document};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// How many entries wait between the walker and the transfers.
const BACKLOG: usize = 2048;

/// One file or object.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path below the root, `/`-separated (the sort and compare key).
    pub rel: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, seconds since the epoch.
    pub mtime: f64,
    /// The S3 ETag (quotes removed), for objects.
    pub etag: Option<String>,
}

/// What a walk yields.
#[derive(Debug)]
pub enum Item {
    /// A file or object.
    Entry(Entry),
    /// A file that cannot be used (aws-cli skips it with a warning and exits 2).
    Skipped(String),
    /// The walk cannot go on (a listing failed).
    Fatal(crate::failure::Failure),
}

/// Receives the entries of one walk, in key order.
pub type Listing = mpsc::Receiver<Item>;

/// Walks `root` in the order S3 lists keys (a directory's names sorted with a `/` after each
/// directory name), following symlinks as aws-cli does.
pub fn local(root: PathBuf) -> Listing {
    let (tx, rx) = mpsc::channel(BACKLOG);
    tokio::task::spawn_blocking(move || walk(&root, "", &tx));
    rx
}

fn walk(dir: &Path, prefix: &str, tx: &mpsc::Sender<Item>) -> bool {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => {
            let shown = super::location::display_local(dir);
            return tx
                .blocking_send(Item::Skipped(format!(
                    "warning: Skipping file {shown}. File/Directory is not readable."
                )))
                .is_ok();
        }
    };
    let mut names: Vec<(String, PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let path = e.path();
            // The directory entry knows its type; only a symlink needs a stat to follow it.
            let is_dir = match e.file_type() {
                Ok(t) if t.is_symlink() => std::fs::metadata(&path).is_ok_and(|m| m.is_dir()),
                Ok(t) => t.is_dir(),
                Err(_) => false,
            };
            let mut name = e.file_name().to_string_lossy().into_owned();
            if is_dir {
                name.push('/');
            }
            (name, path, is_dir)
        })
        .collect();
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, path, is_dir) in names {
        let rel = format!("{prefix}{name}");
        let more = if is_dir {
            walk(&path, &rel, tx)
        } else {
            tx.blocking_send(file_item(&path, rel)).is_ok()
        };
        if !more {
            return false;
        }
    }
    true
}

/// A local file as an entry, or why it is skipped (unreadable, not a regular file, gone).
pub fn file_item(path: &Path, rel: String) -> Item {
    let shown = super::location::display_local(path);
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {
            if std::fs::File::open(path).is_err() {
                return Item::Skipped(format!(
                    "warning: Skipping file {shown}. File/Directory is not readable."
                ));
            }
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            Item::Entry(Entry {
                rel,
                size: m.len(),
                mtime,
                etag: None,
            })
        }
        Ok(_) => Item::Skipped(format!(
            "warning: Skipping file {shown}. File is character special device, block special device, FIFO, or socket."
        )),
        Err(_) => Item::Skipped(format!(
            "warning: Skipping file {shown}. File does not exist."
        )),
    }
}

/// Lists the objects under `prefix` (every level), each with its key relative to `prefix`.
/// Empty "folder" objects (`dir/`, 0 bytes) are left out unless `markers` (`rm` deletes them,
/// the other commands have nothing to copy in them).
pub fn s3(client: Client, bucket: String, prefix: String, markers: bool) -> Listing {
    let (tx, rx) = mpsc::channel(BACKLOG);
    tokio::spawn(async move {
        let mut pages = match client.paginate(
            "ListObjectsV2",
            doc! {"Bucket": bucket.as_str(), "Prefix": prefix.as_str()},
        ) {
            Ok(p) => p,
            Err(e) => {
                let _ = tx.send(Item::Fatal(fatal(e, "ListObjectsV2"))).await;
                return;
            }
        };
        while let Some(page) = pages.next_page().await {
            let page = match page {
                Ok(p) => p,
                Err(e) => {
                    let _ = tx.send(Item::Fatal(fatal(e, "ListObjectsV2"))).await;
                    return;
                }
            };
            for o in page["Contents"].iter() {
                let key = o["Key"].as_str().unwrap_or_default();
                let Some(rel) = key.strip_prefix(prefix.as_str()) else {
                    continue;
                };
                // A "directory marker" object stands for nothing to copy.
                if rel.is_empty() && !markers
                    || !markers && rel.ends_with('/') && o["Size"].as_i64() == Some(0)
                {
                    continue;
                }
                if tx.send(Item::Entry(object_entry(rel, o))).await.is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// An entry from a listed or head-ed object.
pub fn object_entry(rel: &str, object: &Document) -> Entry {
    let size = object["Size"]
        .as_i64()
        .or_else(|| object["ContentLength"].as_i64())
        .unwrap_or(0);
    Entry {
        rel: rel.to_string(),
        size: u64::try_from(size).unwrap_or(0),
        mtime: object["LastModified"]
            .as_timestamp()
            .map(|t| t.as_epoch_f64())
            .unwrap_or(0.0),
        etag: object["ETag"]
            .as_str()
            .map(|e| e.trim_matches('"').to_string()),
    }
}

/// A failed listing as aws-cli reports it: `fatal error: An error occurred (...) ...`.
pub fn fatal(error: boto::Error, operation: &str) -> crate::failure::Failure {
    let f = crate::failure::Failure::call(error, operation);
    crate::failure::Failure::new(
        crate::failure::status::GENERIC,
        format!("fatal error: {}", f.message),
    )
}
