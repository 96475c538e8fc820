//! Runs the transfers a command planned, many at once on one tokio runtime, and prints each
//! result the moment it finishes, in aws-cli's words (`upload: ./a to s3://b/a`,
//! `(dryrun) delete: s3://b/k`, `download failed: ... <error>`).
//!
//! In flight at once: at most [`SLOTS`] requests, a small transfer taking one slot and a large
//! one as many as it runs parts in parallel, so thousands of small files overlap their round
//! trips while two big files do not multiply their parts. The planner waits for a slot before
//! it takes the next entry, so the listing, the queue and the memory all stay bounded.

use super::args::Options;
use super::content_type;
use super::location::{display_local, s3_url};
use super::progress::{Bar, Console};
use crate::failure::Failure;
use boto::transfer::{self, Progress, TransferConfig};
use boto::{doc, Client, Document};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Requests in flight at once, all transfers together.
pub const SLOTS: usize = 64;

/// Files up to this size are read into memory in one go and sent from there: a tree of small
/// files then costs no blocking-pool round trips per file (at most [`SLOTS`] such buffers).
const SMALL_FILE: u64 = 256 << 10;

/// One thing to do to one file or object.
#[derive(Debug, Clone)]
pub enum Action {
    /// A local file to an object.
    Upload {
        /// The file.
        path: PathBuf,
        /// The destination bucket.
        bucket: String,
        /// The destination key.
        key: String,
    },
    /// Stdin to an object.
    UploadStream {
        /// The destination bucket.
        bucket: String,
        /// The destination key.
        key: String,
    },
    /// An object to a local file, whose modification time then becomes the object's.
    Download {
        /// The source bucket.
        bucket: String,
        /// The source key.
        key: String,
        /// The file.
        path: PathBuf,
        /// The object's LastModified (seconds since the epoch).
        mtime: f64,
    },
    /// An object to stdout.
    DownloadStream {
        /// The source bucket.
        bucket: String,
        /// The source key.
        key: String,
    },
    /// An object to another (managed copy).
    Copy {
        /// The source bucket.
        src_bucket: String,
        /// The source key.
        src_key: String,
        /// The destination bucket.
        bucket: String,
        /// The destination key.
        key: String,
    },
    /// Removes an object.
    DeleteObject {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// Removes a local file.
    DeleteLocal(PathBuf),
}

impl Action {
    /// Where it reads, as printed.
    fn source(&self) -> String {
        match self {
            Action::Upload { path, .. } | Action::DeleteLocal(path) => display_local(path),
            Action::UploadStream { .. } => "-".into(),
            Action::Download { bucket, key, .. }
            | Action::DownloadStream { bucket, key }
            | Action::DeleteObject { bucket, key } => s3_url(bucket, key),
            Action::Copy {
                src_bucket,
                src_key,
                ..
            } => s3_url(src_bucket, src_key),
        }
    }

    /// Where it writes, as printed (deletes have none).
    fn destination(&self) -> Option<String> {
        match self {
            Action::Upload { bucket, key, .. }
            | Action::UploadStream { bucket, key }
            | Action::Copy { bucket, key, .. } => Some(s3_url(bucket, key)),
            Action::Download { path, .. } => Some(display_local(path)),
            Action::DownloadStream { .. } => Some("-".into()),
            Action::DeleteObject { .. } | Action::DeleteLocal(_) => None,
        }
    }

    /// aws-cli's name for it.
    fn verb(&self) -> &'static str {
        match self {
            Action::Upload { .. } | Action::UploadStream { .. } => "upload",
            Action::Download { .. } | Action::DownloadStream { .. } => "download",
            Action::Copy { .. } => "copy",
            Action::DeleteObject { .. } | Action::DeleteLocal(_) => "delete",
        }
    }
}

/// A planned action: `size` bytes, and for `mv` the removal of its source afterwards.
#[derive(Debug)]
pub struct Task {
    /// What to do.
    pub action: Action,
    /// Its size in bytes (for the slots and the progress total).
    pub size: u64,
    /// `mv`: remove the source once the copy is in place (printed as `move:`).
    pub then_remove: Option<Action>,
}

/// What a command shares with its transfers.
pub struct Executor {
    client: Client,
    extra: Document,
    content_type: Option<String>,
    show: bool,
    errors: bool,
    dryrun: bool,
    console: Arc<Console>,
    slots: Arc<Semaphore>,
    running: JoinSet<()>,
    state: Arc<Outcome>,
    config: TransferConfig,
}

/// How the transfers went, for the exit status.
#[derive(Debug, Default)]
pub struct Outcome {
    failed: AtomicBool,
    skipped: AtomicBool,
}

impl Executor {
    /// An executor for `opts` on `client`, printing through `console`.
    pub fn new(client: Client, opts: &Options, console: Arc<Console>) -> Executor {
        let mut extra = Document::map();
        if let Some(v) = &opts.storage_class {
            extra.set("StorageClass", v.as_str());
        }
        if let Some(v) = &opts.sse {
            extra.set("ServerSideEncryption", v.as_str());
        }
        if let Some(v) = &opts.sse_kms_key_id {
            extra.set("SSEKMSKeyId", v.as_str());
        }
        if let Some(v) = &opts.acl {
            extra.set("ACL", v.as_str());
        }
        Executor {
            client,
            extra,
            content_type: opts.content_type.clone(),
            show: opts.shows_success(),
            errors: !opts.quiet,
            dryrun: opts.dryrun,
            console,
            slots: Arc::new(Semaphore::new(SLOTS)),
            running: JoinSet::new(),
            state: Arc::new(Outcome::default()),
            config: TransferConfig::default(),
        }
    }

    /// Records a skipped file (printed as a warning; the command exits 2).
    pub fn skip(&self, warning: &str) {
        self.state.skipped.store(true, Ordering::Relaxed);
        if self.errors {
            self.console.err(warning);
        }
    }

    /// Prints success lines from now on only when `show` (streams print errors only).
    pub fn set_show(&mut self, show: bool) {
        self.show &= show;
    }

    /// Starts `task` once a slot is free (dry runs only print).
    pub async fn submit(&mut self, task: Task) {
        while self.running.try_join_next().is_some() {}
        if self.dryrun {
            if self.show {
                self.console.out(&format!("(dryrun) {}", line(&task)));
            }
            return;
        }
        let need = self.slots_for(task.size);
        let Ok(permit) = self.slots.clone().acquire_many_owned(need).await else {
            return;
        };
        self.console.total.fetch_add(task.size, Ordering::Relaxed);
        self.console.remaining.fetch_add(1, Ordering::Relaxed);
        let job = Job {
            client: self.client.clone(),
            extra: self.extra_for(&task.action),
            console: self.console.clone(),
            state: self.state.clone(),
            show: self.show,
            errors: self.errors,
            config: self.config.clone(),
        };
        self.running.spawn(async move {
            job.run(task).await;
            drop(permit);
        });
    }

    /// Waits for every transfer; the status aws-cli exits with (0, 1 for a failure, 2 when
    /// files were skipped).
    pub async fn finish(mut self) -> Result<(), Failure> {
        self.console.listed.store(true, Ordering::Relaxed);
        while self.running.join_next().await.is_some() {}
        self.console.clear();
        if self.state.failed.load(Ordering::Relaxed) {
            return Err(Failure::new(crate::failure::status::GENERIC, String::new()));
        }
        if self.state.skipped.load(Ordering::Relaxed) {
            return Err(Failure::new(crate::failure::status::USAGE, String::new()));
        }
        Ok(())
    }

    fn slots_for(&self, size: u64) -> u32 {
        if size < self.config.multipart_threshold {
            return 1;
        }
        let parts = size.div_ceil(self.config.multipart_chunksize.max(1));
        parts
            .clamp(1, self.config.max_concurrency as u64)
            .min(SLOTS as u64) as u32
    }

    fn extra_for(&self, action: &Action) -> Document {
        let mut extra = self.extra.clone();
        match action {
            Action::Upload { path, .. } => {
                let guessed = || content_type::guess(&path.to_string_lossy()).map(str::to_string);
                if let Some(t) = self.content_type.clone().or_else(guessed) {
                    extra.set("ContentType", t);
                }
            }
            Action::UploadStream { .. } => {
                if let Some(t) = &self.content_type {
                    extra.set("ContentType", t.as_str());
                }
            }
            Action::Copy { .. } => {
                if let Some(t) = &self.content_type {
                    extra.set("ContentType", t.as_str());
                    extra.set("MetadataDirective", "REPLACE");
                }
            }
            _ => return Document::map(),
        }
        extra
    }
}

/// `verb: src to dst` (or `verb: src` for deletes), `move` for an `mv`.
fn line(task: &Task) -> String {
    let verb = if task.then_remove.is_some() {
        "move"
    } else {
        task.action.verb()
    };
    match task.action.destination() {
        Some(dst) => format!("{verb}: {} to {dst}", task.action.source()),
        None => format!("{verb}: {}", task.action.source()),
    }
}

/// One transfer and what it needs.
struct Job {
    client: Client,
    extra: Document,
    console: Arc<Console>,
    state: Arc<Outcome>,
    show: bool,
    errors: bool,
    config: TransferConfig,
}

impl Job {
    async fn run(self, task: Task) {
        let name = task
            .action
            .destination()
            .unwrap_or_else(|| task.action.source());
        let bar = self.console.bar(&name, task.size);
        let mut result = self.act(&task.action, task.size, bar.clone()).await;
        if result.is_ok() {
            if let Some(remove) = &task.then_remove {
                result = self.act(remove, 0, None).await;
            }
        }
        self.console.finish(&bar);
        self.console.remaining.fetch_sub(1, Ordering::Relaxed);
        match result {
            Ok(()) if self.show => self.console.out(&line(&task)),
            Ok(()) => {}
            Err(_) if !self.errors => self.state.failed.store(true, Ordering::Relaxed),
            Err(message) => {
                self.state.failed.store(true, Ordering::Relaxed);
                let verb = if task.then_remove.is_some() {
                    "move"
                } else {
                    task.action.verb()
                };
                let place = match task.action.destination() {
                    Some(dst) => format!("{} to {dst}", task.action.source()),
                    None => task.action.source(),
                };
                self.console
                    .err(&format!("{verb} failed: {place} {message}"));
            }
        }
    }

    fn config(&self, bar: Option<Arc<Bar>>) -> TransferConfig {
        let mut config = self.config.clone();
        let console = self.console.clone();
        config.progress = Some(Progress::from(move |n: u64| {
            console.done.fetch_add(n, Ordering::Relaxed);
            if let Some(b) = &bar {
                b.add(n);
            }
        }));
        config
    }

    /// Does one action of `size` bytes. Large files go up and down resumably, so that running
    /// an interrupted command again continues it (see `boto::transfer::upload_file_resumable`).
    async fn act(&self, action: &Action, size: u64, bar: Option<Arc<Bar>>) -> Result<(), String> {
        let c = &self.client;
        let large = size >= self.config.multipart_threshold;
        match action {
            Action::Upload { path, bucket, key } => {
                let config = self.config(bar);
                let extra = self.extra.clone();
                let done = if large {
                    transfer::upload_file_resumable(c, path, bucket, key, extra, &config).await
                } else if size <= SMALL_FILE {
                    let data = std::fs::read(path).map_err(|e| e.to_string())?;
                    transfer::upload_fileobj(c, &data[..], bucket, key, extra, &config).await
                } else {
                    transfer::upload_file(c, path, bucket, key, extra, &config).await
                };
                done.map(drop).map_err(|e| message(e, "PutObject"))
            }
            Action::UploadStream { bucket, key } => {
                let config = self.config(bar);
                let stdin = tokio::io::stdin();
                transfer::upload_fileobj(c, stdin, bucket, key, self.extra.clone(), &config)
                    .await
                    .map(drop)
                    .map_err(|e| message(e, "PutObject"))
            }
            Action::Download {
                bucket,
                key,
                path,
                mtime,
            } => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    tokio::fs::create_dir_all(dir)
                        .await
                        .map_err(|e| e.to_string())?;
                }
                if large {
                    let config = self.config(bar);
                    transfer::download_file_resumable(c, bucket, key, path, &config)
                        .await
                        .map_err(|e| message(e, "GetObject"))?;
                } else {
                    self.get_small(bucket, key, path).await?;
                }
                set_mtime(path, *mtime).map_err(|e| e.to_string())
            }
            Action::DownloadStream { bucket, key } => {
                let config = self.config(bar);
                let stdout = tokio::io::stdout();
                transfer::download_fileobj(c, bucket, key, stdout, &config)
                    .await
                    .map(drop)
                    .map_err(|e| message(e, "GetObject"))
            }
            Action::Copy {
                src_bucket,
                src_key,
                bucket,
                key,
            } => {
                let config = self.config(bar);
                let source = doc! {"Bucket": src_bucket.as_str(), "Key": src_key.as_str()};
                transfer::copy(c, source, bucket, key, self.extra.clone(), &config)
                    .await
                    .map(drop)
                    .map_err(|e| message(e, "CopyObject"))
            }
            Action::DeleteObject { bucket, key } => c
                .call(
                    "DeleteObject",
                    doc! {"Bucket": bucket.as_str(), "Key": key.as_str()},
                )
                .await
                .map(drop)
                .map_err(|e| message(e, "DeleteObject")),
            Action::DeleteLocal(path) => tokio::fs::remove_file(path)
                .await
                .map_err(|e| e.to_string()),
        }
    }
}

impl Job {
    /// A small object whose size the listing told: one GetObject (the engine checks the
    /// checksum S3 sends as the body streams) into a temporary file beside `path`, renamed into
    /// place when complete. The transfer manager's `download_file` asks HeadObject first, which
    /// doubles the requests of a tree of small files.
    async fn get_small(&self, bucket: &str, key: &str, path: &Path) -> Result<(), String> {
        let out = self
            .client
            .invoke("GetObject", doc! {"Bucket": bucket, "Key": key}, None)
            .await
            .map_err(|e| message(e, "GetObject"))?;
        let body = out.body.ok_or("GetObject returned no body")?;
        let tmp = temp_beside(path);
        match body.into_file(&tmp).await {
            Ok(n) => {
                self.console.done.fetch_add(n, Ordering::Relaxed);
                tokio::fs::rename(&tmp, path)
                    .await
                    .map_err(|e| e.to_string())
            }
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                Err(e.to_string())
            }
        }
    }
}

/// A name for a temporary file next to `path`, unique to this process and call.
fn temp_beside(path: &Path) -> PathBuf {
    use std::sync::atomic::AtomicU64;
    static N: AtomicU64 = AtomicU64::new(0);
    let mut name = path.as_os_str().to_owned();
    name.push(format!(
        ".boto-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    PathBuf::from(name)
}

/// An error as aws-cli words it after `... failed: SRC to DST`.
fn message(error: boto::Error, operation: &str) -> String {
    Failure::call(error, operation).message
}

/// Sets a downloaded file's modification time to the object's, as aws-cli does (sync compares it).
fn set_mtime(path: &std::path::Path, secs: f64) -> std::io::Result<()> {
    if secs <= 0.0 {
        return Ok(());
    }
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(secs);
    std::fs::File::options()
        .write(true)
        .open(path)?
        .set_modified(time)
}
