//! Downloads: one HeadObject says the size, the ETag and the checksum S3 keeps; the bytes then
//! come by one GET (small objects) or by ranged GETs several at a time, each pinned to the ETag
//! with `If-Match`. A body that breaks off (reset, truncation, stall) is asked again for the
//! bytes still missing, up to [`TransferConfig::num_download_attempts`] times per range.
//! What is verified is listed in the module documentation of [`crate::transfer`].

use super::checksum::{self, Hasher, Reported};
use super::config::{equal_parts, TransferConfig};
use super::progress::Meter;
use super::TransferError;
use crate::client::Client;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;
use bytes::{Bytes, BytesMut};
use std::collections::VecDeque;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// How the downloaded bytes will be checked.
#[derive(Debug, Clone)]
enum Verify {
    /// Nothing S3 reported can be checked here.
    Nothing,
    /// The full-object checksum, over all the bytes in order.
    Whole(Reported),
    /// The composite checksum, from each range's checksum: the ranges are the parts.
    Composite(Reported),
}

/// What the download knows of the object before its bytes.
#[derive(Debug)]
struct Plan {
    size: u64,
    /// `(offset, length)` of each GET; one range with `single` set is a plain GET.
    ranges: Vec<(u64, u64)>,
    single: bool,
    verify: Verify,
    /// HeadObject of a part reports that part's own checksum (S3 does for objects uploaded with
    /// checksums): each range is checked, and fetched again, on its own.
    part_checksums: bool,
}

/// The object and how to ask for it, shared by the range tasks.
#[derive(Debug)]
struct Source {
    client: Client,
    bucket: String,
    key: String,
    etag: Option<String>,
    attempts: u32,
    meter: Meter,
}

async fn plan(src: &mut Source, config: &TransferConfig) -> Result<Plan, Error> {
    let head = src
        .client
        .call(
            "HeadObject",
            doc! {"Bucket": src.bucket.as_str(), "Key": src.key.as_str(), "ChecksumMode": "ENABLED"},
        )
        .await?;
    let size = head["ContentLength"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    src.etag = head["ETag"].as_str().map(str::to_string);
    let parts_in_etag = src
        .etag
        .as_deref()
        .and_then(|e| e.trim_matches('"').rsplit_once('-'))
        .and_then(|(_, n)| n.parse::<u64>().ok());
    let reported = Reported::of(&head);
    // A plain value on a multipart object may be composite with its `-N` left off (moto does
    // that): only a declared FULL_OBJECT value is taken as the bytes' checksum there.
    let whole = reported.clone().filter(|r| match parts_in_etag {
        None => r.composite != Some(true),
        Some(_) => r.composite == Some(false),
    });
    if size < config.multipart_threshold {
        return Ok(Plan {
            size,
            ranges: vec![(0, size)],
            single: true,
            verify: whole.map_or(Verify::Nothing, Verify::Whole),
            part_checksums: false,
        });
    }
    if let (Some(parts), Some(r)) = (
        parts_in_etag,
        reported.filter(|r| r.composite != Some(false)),
    ) {
        if let Some((part_size, first)) = part_size(src, parts, size).await? {
            // The object's own value repeated on the part says nothing about the part.
            let part_checksums =
                part_checksum(&first, r.algorithm).is_some_and(|p| p.value != r.value);
            return Ok(Plan {
                size,
                ranges: equal_parts(size, part_size),
                single: false,
                verify: Verify::Composite(r),
                part_checksums,
            });
        }
    }
    Ok(Plan {
        size,
        ranges: config.part_ranges(size),
        single: false,
        verify: whole.map_or(Verify::Nothing, Verify::Whole),
        part_checksums: false,
    })
}

/// The part size of a multipart object, when its parts are of one size (all but the last, as
/// every transfer manager uploads them): from HeadObject of part 1, checked against the part
/// count and the size. `None` when the layout cannot be known.
async fn part_size(src: &Source, parts: u64, size: u64) -> Result<Option<(u64, Document)>, Error> {
    let Some(first) = head_part(src, 1).await else {
        return Ok(None);
    };
    let p = first["ContentLength"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0);
    let count = first["PartsCount"]
        .as_i64()
        .and_then(|n| u64::try_from(n).ok());
    let fits = p > 0 && count == Some(parts) && (parts - 1) * p < size && size <= parts * p;
    Ok(fits.then_some((p, first)))
}

/// The checksum of the part itself in a part's HeadObject output (not the object's composite).
fn part_checksum(head: &Document, alg: checksum::Algorithm) -> Option<Reported> {
    Reported::of(head).filter(|r| r.algorithm == alg && r.composite != Some(true))
}

/// HeadObject of part `number`, with its checksum; `None` when the server does not answer it.
async fn head_part(src: &Source, number: i64) -> Option<Document> {
    src.client
        .call(
            "HeadObject",
            // No If-Match: some servers compare it with the part's ETag. The ranged GETs are
            // pinned to the object's ETag, so a replaced object still fails them.
            doc! {
                "Bucket": src.bucket.as_str(), "Key": src.key.as_str(), "PartNumber": number,
                "ChecksumMode": "ENABLED",
            },
        )
        .await
        .ok()
}

/// Where one range's bytes go: `at` is the offset within the range (a restarted GET writes
/// from 0 again).
trait Sink {
    fn put(&mut self, at: u64, data: &[u8]) -> std::io::Result<()>;
}

/// A range of the temporary file.
struct FileRange {
    file: std::fs::File,
    base: u64,
    pos: Option<u64>,
}

impl Sink for FileRange {
    fn put(&mut self, at: u64, data: &[u8]) -> std::io::Result<()> {
        if self.pos != Some(at) {
            self.file.seek(SeekFrom::Start(self.base + at))?;
        }
        self.file.write_all(data)?;
        self.pos = Some(at + data.len() as u64);
        Ok(())
    }
}

impl Sink for BytesMut {
    fn put(&mut self, at: u64, data: &[u8]) -> std::io::Result<()> {
        self.truncate(at as usize);
        self.extend_from_slice(data);
        Ok(())
    }
}

/// Fetches `len` bytes at `offset` into `sink`, and returns the range's checksum when `alg`
/// asks for one. A body that fails part-way is asked again (`Range` from the first missing
/// byte, `If-Match` the ETag) while attempts remain; a failure after the last byte (the
/// engine's checksum of a plain GET did not match) starts the range again from its first byte.
async fn fetch(
    src: &Source,
    offset: u64,
    len: u64,
    single: bool,
    alg: Option<checksum::Algorithm>,
    sink: &mut (dyn Sink + Send),
) -> Result<Option<Vec<u8>>, Error> {
    let mut got = 0u64;
    let mut reported = 0u64;
    let mut hasher = alg.map(Hasher::new);
    let mut last_error = None;
    for _ in 0..src.attempts.max(1) {
        let mut input = doc! {"Bucket": src.bucket.as_str(), "Key": src.key.as_str()};
        if let Some(tag) = &src.etag {
            input.set("IfMatch", tag.as_str());
        }
        if single && got == 0 {
            // A plain GET carries the object's checksum, which the engine checks as it reads.
            input.set("ChecksumMode", "ENABLED");
        } else {
            input.set(
                "Range",
                format!("bytes={}-{}", offset + got, offset + len - 1),
            );
        }
        let out = match src.client.invoke("GetObject", input, None).await {
            Ok(out) => out,
            Err(e) if e.code() == Some("PreconditionFailed") => {
                return Err(TransferError::ObjectChanged {
                    bucket: src.bucket.clone(),
                    key: src.key.clone(),
                }
                .into())
            }
            Err(e) => return Err(e),
        };
        let mut body = out
            .body
            .ok_or_else(|| Error::Resource("GetObject returned no body".into()))?;
        let broke = loop {
            match body.next_chunk().await {
                None => break None,
                Some(Err(e)) => break Some(e),
                Some(Ok(chunk)) => {
                    let n = chunk.len() as u64;
                    if got + n > len {
                        return Err(Error::Resource(format!(
                            "the range at {offset} of {}/{} returned more than its {len} bytes",
                            src.bucket, src.key
                        )));
                    }
                    src.meter.throttle(n).await;
                    sink.put(got, &chunk)?;
                    if let Some(h) = hasher.as_mut() {
                        h.update(&chunk);
                    }
                    got += n;
                    if got > reported {
                        src.meter.moved(got - reported);
                        reported = got;
                    }
                }
            }
        };
        match broke {
            None if got == len => return Ok(hasher.map(Hasher::finish)),
            None => {
                tracing::debug!(offset, got, len, "a range ended early; asking for the rest");
                last_error = Some(Error::Resource(format!(
                    "the range at {offset} of {}/{} ended after {got} of {len} bytes",
                    src.bucket, src.key
                )));
            }
            Some(e) => {
                tracing::debug!(offset, got, len, error = %e, "a range broke off; asking for the rest");
                if got == len {
                    got = 0;
                    hasher = alg.map(Hasher::new);
                }
                last_error = Some(Error::from(e));
            }
        }
    }
    Err(last_error.unwrap_or_else(|| Error::Resource("no download attempt was made".into())))
}

fn composite_alg(verify: &Verify) -> Option<checksum::Algorithm> {
    match verify {
        Verify::Composite(r) => Some(r.algorithm),
        _ => None,
    }
}

/// Compares what was computed with what S3 reported.
fn check(reported: &Reported, actual: &[u8]) -> Result<(), Error> {
    let actual = checksum::base64(actual);
    if actual == reported.value {
        return Ok(());
    }
    Err(TransferError::ChecksumMismatch {
        algorithm: reported.algorithm.name(),
        expected: reported.value.clone(),
        actual,
    }
    .into())
}

fn check_composite(verify: &Verify, parts: &[Option<Vec<u8>>]) -> Result<(), Error> {
    if let Verify::Composite(r) = verify {
        let parts: Vec<Vec<u8>> = parts
            .iter()
            .map(|p| p.clone().unwrap_or_default())
            .collect();
        check(r, &checksum::composite(r.algorithm, &parts))?;
    }
    Ok(())
}

/// A temporary file next to the destination, removed when dropped unless kept.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A temporary name no other transfer uses: the process, a counter and the clock.
fn temp_path(path: &Path) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    path.with_file_name(format!(
        ".{name}.boto-{}-{}-{nanos:x}.part",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

fn source(client: &Client, bucket: &str, key: &str, config: &TransferConfig) -> Source {
    Source {
        client: client.clone(),
        bucket: bucket.to_string(),
        key: key.to_string(),
        etag: None,
        attempts: config.num_download_attempts,
        meter: Meter::new(config),
    }
}

/// See [`crate::transfer::download_file`].
pub(crate) async fn to_path(
    client: &Client,
    bucket: &str,
    key: &str,
    path: &Path,
    config: &TransferConfig,
) -> Result<u64, Error> {
    let mut src = source(client, bucket, key, config);
    let plan = plan(&mut src, config).await?;
    let mut tmp = TempFile {
        path: temp_path(path),
        keep: false,
    };
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp.path)?
        .set_len(plan.size)?;
    let src = Arc::new(src);
    // A mismatch over the whole object cannot say which range was hit: fetch it all once more
    // (a byte flipped in transit rarely strikes twice) before reporting the corruption.
    let mut fetched = fill(&src, &plan, &tmp.path, config).await;
    if let Err(Error::Transfer(t)) = &fetched {
        if matches!(**t, TransferError::ChecksumMismatch { .. }) {
            tracing::debug!(bucket, key, error = %t, "the download did not check out; fetching it again");
            fetched = fill(&src, &plan, &tmp.path, config).await;
        }
    }
    fetched?;
    tokio::fs::rename(&tmp.path, path).await?;
    tmp.keep = true;
    Ok(plan.size)
}

/// Fetches every range of `plan` into the temporary file and checks the result.
async fn fill(
    src: &Arc<Source>,
    plan: &Plan,
    tmp: &Path,
    config: &TransferConfig,
) -> Result<(), Error> {
    // A CRC32 over the whole object is the ranges' CRC32s combined: each range hashes its bytes
    // as they arrive, so the file is not read back (on tmpfs that read was a fifth of the CPU).
    let crc32_on_the_fly = !plan.single
        && matches!(&plan.verify, Verify::Whole(r) if r.algorithm == checksum::Algorithm::Crc32);
    let alg =
        composite_alg(&plan.verify).or(crc32_on_the_fly.then_some(checksum::Algorithm::Crc32));
    let slots = Arc::new(tokio::sync::Semaphore::new(config.concurrency()));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, &(offset, len)) in plan.ranges.iter().enumerate() {
        let (src, slots, file) = (src.clone(), slots.clone(), tmp.to_path_buf());
        let (single, part_checksums) = (plan.single, plan.part_checksums);
        tasks.spawn(async move {
            let _slot = slots
                .acquire_owned()
                .await
                .map_err(|e| Error::Usage(e.to_string()))?;
            let mut sink = FileRange {
                file: std::fs::OpenOptions::new().write(true).open(&file)?,
                base: offset,
                pos: None,
            };
            let expected = match (part_checksums, alg) {
                (true, Some(a)) => head_part(&src, i as i64 + 1)
                    .await
                    .and_then(|h| part_checksum(&h, a)),
                _ => None,
            };
            let mut sum = fetch(&src, offset, len, single, alg, &mut sink).await?;
            if let Some(expected) = expected {
                // The part's own checksum says which range was hit: fetch only that one again.
                let mut tries = 1;
                while let Err(e) = check(&expected, sum.as_deref().unwrap_or_default()) {
                    if tries >= src.attempts.max(1) {
                        return Err(e);
                    }
                    tracing::debug!(part = i + 1, error = %e, "a part did not check out; fetching it again");
                    sum = fetch(&src, offset, len, single, alg, &mut sink).await?;
                    tries += 1;
                }
            }
            sink.file.flush()?;
            Ok::<_, Error>((i, sum))
        });
    }
    let mut sums = vec![None; plan.ranges.len()];
    while let Some(done) = tasks.join_next().await {
        match done.map_err(|e| Error::Usage(format!("a download task failed: {e}")))? {
            Ok((i, sum)) => sums[i] = sum,
            Err(e) => {
                // Stop the other ranges before the temporary file goes.
                tasks.abort_all();
                while tasks.join_next().await.is_some() {}
                return Err(e);
            }
        }
    }
    check_composite(&plan.verify, &sums)?;
    if let (Verify::Whole(r), true) = (&plan.verify, crc32_on_the_fly) {
        return check(r, &checksum::crc32_of_ranges(&plan.ranges, &sums));
    }
    if let Verify::Whole(r) = &plan.verify {
        let (file, alg) = (tmp.to_path_buf(), r.algorithm);
        let sum = tokio::task::spawn_blocking(move || hash_file(&file, alg))
            .await
            .map_err(|e| Error::Usage(format!("the checksum task failed: {e}")))??;
        check(r, &sum)?;
    }
    Ok(())
}

fn hash_file(path: &Path, alg: checksum::Algorithm) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut h = Hasher::new(alg);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(h.finish());
        }
        h.update(&buf[..n]);
    }
}

/// See [`crate::transfer::download_fileobj`]: ranges are fetched concurrently into memory (at
/// most `max_concurrency` of them) and written to `writer` in order.
pub(crate) async fn to_writer<W: AsyncWrite + Unpin>(
    client: &Client,
    bucket: &str,
    key: &str,
    mut writer: W,
    config: &TransferConfig,
) -> Result<u64, Error> {
    let mut src = source(client, bucket, key, config);
    let plan = plan(&mut src, config).await?;
    let src = Arc::new(src);
    let alg = composite_alg(&plan.verify);
    let mut whole = match &plan.verify {
        Verify::Whole(r) => Some(Hasher::new(r.algorithm)),
        _ => None,
    };
    let mut pending = VecDeque::new();
    let mut ranges = plan.ranges.iter().copied();
    let mut sums = Vec::with_capacity(plan.ranges.len());
    let spawn = |(offset, len): (u64, u64)| {
        let src = src.clone();
        let single = plan.single;
        tokio::spawn(async move {
            let mut buf = BytesMut::with_capacity(len as usize);
            let sum = fetch(&src, offset, len, single, alg, &mut buf).await?;
            Ok::<(Bytes, Option<Vec<u8>>), Error>((buf.freeze(), sum))
        })
    };
    let result = async {
        loop {
            while pending.len() < config.concurrency() {
                match ranges.next() {
                    Some(r) => pending.push_back(spawn(r)),
                    None => break,
                }
            }
            let Some(next) = pending.front_mut() else {
                break;
            };
            let (bytes, sum) = next
                .await
                .map_err(|e| Error::Usage(format!("a download task failed: {e}")))??;
            pending.pop_front();
            if let Some(h) = whole.as_mut() {
                h.update(&bytes);
            }
            writer.write_all(&bytes).await?;
            sums.push(sum);
        }
        writer.flush().await?;
        Ok::<(), Error>(())
    }
    .await;
    for task in &pending {
        task.abort();
    }
    result?;
    check_composite(&plan.verify, &sums)?;
    if let (Verify::Whole(r), Some(h)) = (&plan.verify, whole) {
        check(r, &h.finish())?;
    }
    Ok(plan.size)
}
