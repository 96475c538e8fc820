//! Transfers that an interrupted run (a crash, a kill, a lost network) continues where it
//! stopped when run again with the same arguments.
//!
//! Uploads: a file at or above the multipart threshold goes up as a multipart upload that is
//! *not* aborted on failure. The next run finds the unfinished upload of the same key
//! (ListMultipartUploads; the newest when there are several), lists its parts and keeps every
//! part whose size is the one the file's part layout gives that number and whose content
//! matches the file's bytes at that place (the part's CRC32 when ListParts reports it, else its
//! ETag, which S3 makes the part's MD5); only the other parts are sent. Where uploads cannot be
//! listed (a server without ListMultipartUploads, a policy that denies it) it starts afresh.
//! The parameters given to
//! the first run's CreateMultipartUpload (content type, SSE, ...) stay the upload's.
//!
//! Downloads: the bytes arrive in order into `DEST.boto-partial`, with `DEST.boto-partial.meta`
//! beside it holding the object's size, ETag and LastModified. The next run continues from the
//! end of the partial file when the object still has that size, ETag and LastModified (and
//! pins the rest to the ETag); otherwise it starts over. A finished file is checked against
//! the object's full-object checksum when S3 reports one (objects uploaded in parts mostly have
//! a composite one, and are then checked for length only), then renamed into place.

use super::checksum::{base64, Hasher, Reported};
use super::config::TransferConfig;
use super::progress::Meter;
use super::upload::{self, Parts, Start};
use super::TransferError;
use crate::client::Client;
use crate::error::Error;
use boto_core::doc;
use boto_core::document::Document;
use boto_core::md5::Md5;
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// See [`super::upload_file_resumable`].
pub(crate) async fn upload_path(
    client: &Client,
    path: &Path,
    bucket: &str,
    key: &str,
    extra: &Document,
    config: &TransferConfig,
) -> Result<Document, Error> {
    let size = tokio::fs::metadata(path).await?.len();
    if size < config.multipart_threshold {
        return upload::from_path(client, path, bucket, key, extra, config).await;
    }
    let ranges = config.part_ranges(size);
    let found = match unfinished_upload(client, bucket, key).await? {
        // The upload may have been completed or aborted since it was listed (the last request
        // of a killed run can still arrive): then there is nothing to resume.
        Some((id, algorithm)) => match list_parts(client, bucket, key, &id).await {
            Ok(listed) => Some((id, algorithm, listed)),
            Err(e) if e.code() == Some("NoSuchUpload") => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let start = match found {
        Some((upload_id, algorithm, listed)) => {
            let file = path.to_path_buf();
            let layout = ranges.clone();
            let kept = tokio::task::spawn_blocking(move || keep_matching(&file, &layout, listed))
                .await
                .map_err(|e| Error::Usage(format!("checking stored parts failed: {e}")))??;
            Start::Resume {
                upload_id,
                algorithm,
                kept,
            }
        }
        None => Start::Create {
            extra,
            keep_on_failure: true,
        },
    };
    let mut parts: Parts<'_, tokio::io::Empty> = Parts::File {
        path: path.to_path_buf(),
        ranges: ranges.into_iter(),
    };
    let meter = Meter::new(config);
    let part_extra = Document::map();
    upload::multipart_from(
        client,
        bucket,
        key,
        start,
        &part_extra,
        &mut parts,
        config,
        &meter,
    )
    .await
}

/// The newest unfinished multipart upload of exactly `key`, with its checksum algorithm.
async fn unfinished_upload(
    client: &Client,
    bucket: &str,
    key: &str,
) -> Result<Option<(String, Option<String>)>, Error> {
    let out = match client
        .call(
            "ListMultipartUploads",
            doc! {"Bucket": bucket, "Prefix": key},
        )
        .await
    {
        Ok(out) => out,
        // A server without the operation (s3s-fs: NotImplemented) or a policy that denies it
        // (AccessDenied) leaves nothing to resume from: the upload starts afresh.
        Err(e) if e.code().is_some() => return Ok(None),
        Err(e) => return Err(e),
    };
    let newest = out["Uploads"]
        .iter()
        .filter(|u| u["Key"].as_str() == Some(key))
        .max_by_key(|u| u["Initiated"].as_timestamp().map(|t| t.secs()));
    Ok(newest.and_then(|u| {
        let id = u["UploadId"].as_str()?.to_string();
        let algorithm = u["ChecksumAlgorithm"].as_str().map(str::to_string);
        Some((id, algorithm))
    }))
}

/// Every part of the upload, by number.
async fn list_parts(
    client: &Client,
    bucket: &str,
    key: &str,
    upload_id: &str,
) -> Result<BTreeMap<i64, Document>, Error> {
    let mut parts = BTreeMap::new();
    let mut marker: Option<i64> = None;
    loop {
        let mut input = doc! {"Bucket": bucket, "Key": key, "UploadId": upload_id};
        if let Some(m) = marker {
            input.set("PartNumberMarker", m.to_string());
        }
        let out = client.call("ListParts", input).await?;
        for p in out["Parts"].iter() {
            if let Some(n) = p["PartNumber"].as_i64() {
                parts.insert(n, p.clone());
            }
        }
        let truncated = out["IsTruncated"].as_bool().unwrap_or(false);
        let next = out["NextPartNumberMarker"]
            .as_i64()
            .or_else(|| out["NextPartNumberMarker"].as_str()?.parse().ok());
        match next {
            Some(n) if truncated && Some(n) != marker => marker = Some(n),
            _ => return Ok(parts),
        }
    }
}

/// The listed parts that hold the file's bytes for their number, as CompleteMultipartUpload
/// wants them (`PartNumber`, `ETag`, checksum).
fn keep_matching(
    path: &Path,
    ranges: &[(u64, u64)],
    listed: BTreeMap<i64, Document>,
) -> Result<BTreeMap<i64, Document>, Error> {
    let mut file = std::fs::File::open(path)?;
    let mut kept = BTreeMap::new();
    let mut buf = vec![0u8; 1 << 20];
    for (number, part) in listed {
        let Some(&(offset, len)) = usize::try_from(number - 1).ok().and_then(|i| ranges.get(i))
        else {
            continue;
        };
        if part["Size"].as_i64().and_then(|s| u64::try_from(s).ok()) != Some(len) {
            continue;
        }
        let etag = part["ETag"].as_str().unwrap_or_default().trim_matches('"');
        let crc = part["ChecksumCRC32"].as_str();
        let mut md5 = Md5::default();
        let mut crc32 = crc32fast::Hasher::new();
        file.seek(SeekFrom::Start(offset))?;
        let mut left = len;
        while left > 0 {
            let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = file.read(&mut buf[..want])?;
            if n == 0 {
                break;
            }
            if crc.is_some() {
                crc32.update(&buf[..n]);
            } else {
                md5.update(&buf[..n]);
            }
            left -= n as u64;
        }
        let same = left == 0
            && match crc {
                Some(c) => base64(&crc32.finalize().to_be_bytes()) == c,
                None => md5.hex() == etag,
            };
        if same {
            let mut entry = doc! {"PartNumber": number, "ETag": part["ETag"].clone()};
            if let Some(c) = crc {
                entry.set("ChecksumCRC32", c);
            }
            kept.insert(number, entry);
        }
    }
    Ok(kept)
}

/// The partial file and its description, next to `dest`.
fn partial_paths(dest: &Path) -> (PathBuf, PathBuf) {
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".boto-partial");
    let mut meta = partial.clone();
    meta.push(".meta");
    (PathBuf::from(partial), PathBuf::from(meta))
}

/// See [`super::download_file_resumable`].
pub(crate) async fn download_path(
    client: &Client,
    bucket: &str,
    key: &str,
    dest: &Path,
    config: &TransferConfig,
) -> Result<u64, Error> {
    let head = client
        .call(
            "HeadObject",
            doc! {"Bucket": bucket, "Key": key, "ChecksumMode": "ENABLED"},
        )
        .await?;
    let size = u64::try_from(head["ContentLength"].as_i64().unwrap_or(0)).unwrap_or(0);
    let etag = head["ETag"].as_str().unwrap_or_default().to_string();
    let modified = head["LastModified"]
        .as_timestamp()
        .map(|t| t.to_iso8601())
        .unwrap_or_default();
    let identity = format!("{size}\n{etag}\n{modified}\n");
    let (partial, meta) = partial_paths(dest);
    let same_object = tokio::fs::read_to_string(&meta).await.ok().as_deref() == Some(&identity);
    let mut have = match tokio::fs::metadata(&partial).await {
        Ok(m) if same_object && m.len() <= size => m.len(),
        _ => {
            tokio::fs::write(&partial, b"").await?;
            tokio::fs::write(&meta, identity.as_bytes()).await?;
            0
        }
    };
    let meter = Meter::new(config);
    meter.moved(have);
    let mut file = tokio::fs::OpenOptions::new()
        .append(true)
        .open(&partial)
        .await?;
    let mut attempts = 0;
    while have < size {
        attempts += 1;
        let mut input = doc! {"Bucket": bucket, "Key": key, "Range": format!("bytes={have}-")};
        if !etag.is_empty() {
            input.set("IfMatch", etag.as_str());
        }
        let out = match client.invoke("GetObject", input, None).await {
            Ok(out) => out,
            Err(e) if e.code() == Some("PreconditionFailed") => {
                let _ = tokio::fs::remove_file(&meta).await;
                return Err(TransferError::ObjectChanged {
                    bucket: bucket.to_string(),
                    key: key.to_string(),
                }
                .into());
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
                    if have + n > size {
                        return Err(Error::Resource(format!(
                            "{bucket}/{key} returned more than its {size} bytes"
                        )));
                    }
                    meter.throttle(n).await;
                    file.write_all(&chunk).await?;
                    have += n;
                    meter.moved(n);
                }
            }
        };
        if let Some(e) = broke {
            if attempts >= config.num_download_attempts.max(1) {
                file.flush().await?;
                return Err(Error::Resource(format!(
                    "the download of {bucket}/{key} broke off at byte {have} ({e}); run it again to resume"
                )));
            }
        } else if have < size && attempts >= config.num_download_attempts.max(1) {
            return Err(Error::Resource(format!(
                "{bucket}/{key} ended at byte {have} of {size}; run it again to resume"
            )));
        }
    }
    file.flush().await?;
    drop(file);
    // An object uploaded in parts (ETag `...-N`) has a checksum of its parts' checksums unless
    // S3 says it is a full-object one.
    let whole = !etag.contains('-') || head["ChecksumType"].as_str() == Some("FULL_OBJECT");
    let reported = Reported::of(&head).filter(|r| whole && r.composite != Some(true));
    if let Some(reported) = reported {
        let path = partial.clone();
        let alg = reported.algorithm;
        let actual = tokio::task::spawn_blocking(move || -> std::io::Result<String> {
            let mut h = Hasher::new(alg);
            let mut f = std::fs::File::open(path)?;
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    return Ok(base64(&h.finish()));
                }
                h.update(&buf[..n]);
            }
        })
        .await
        .map_err(|e| Error::Usage(format!("checking the download failed: {e}")))??;
        if actual != reported.value {
            let _ = tokio::fs::remove_file(&partial).await;
            let _ = tokio::fs::remove_file(&meta).await;
            return Err(TransferError::ChecksumMismatch {
                algorithm: reported.algorithm.name(),
                expected: reported.value,
                actual,
            }
            .into());
        }
    }
    tokio::fs::rename(&partial, dest).await?;
    let _ = tokio::fs::remove_file(&meta).await;
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md5_hex(data: &[u8]) -> String {
        let mut m = Md5::default();
        m.update(data);
        m.hex()
    }

    #[test]
    fn only_parts_with_the_files_bytes_in_their_place_are_kept() {
        let data: Vec<u8> = (0..25u8).collect();
        let path = std::env::temp_dir().join(format!("boto-resume-{}", std::process::id()));
        std::fs::write(&path, &data).unwrap();
        let ranges = [(0, 10), (10, 10), (20, 5)];
        let crc = |d: &[u8]| base64(&crc32fast::hash(d).to_be_bytes());
        let listed: BTreeMap<i64, Document> = [
            // Right size and MD5: kept.
            (
                1,
                doc! {"PartNumber": 1, "Size": 10, "ETag": format!("\"{}\"", md5_hex(&data[..10]))},
            ),
            // Right size, other bytes.
            (
                2,
                doc! {"PartNumber": 2, "Size": 10, "ETag": md5_hex(&data[..10])},
            ),
            // Right CRC32 (preferred over the ETag when listed): kept.
            (
                3,
                doc! {"PartNumber": 3, "Size": 5, "ETag": "x", "ChecksumCRC32": crc(&data[20..])},
            ),
            // Beyond the file's layout.
            (
                4,
                doc! {"PartNumber": 4, "Size": 5, "ETag": md5_hex(&data[20..])},
            ),
        ]
        .into_iter()
        .collect();
        let kept = keep_matching(&path, &ranges, listed).unwrap();
        assert_eq!(kept.keys().copied().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(
            kept[&3]["ChecksumCRC32"].as_str(),
            Some(crc(&data[20..]).as_str())
        );
        let wrong_size: BTreeMap<i64, Document> = [(
            1,
            doc! {"PartNumber": 1, "Size": 9, "ETag": md5_hex(&data[..9])},
        )]
        .into_iter()
        .collect();
        assert!(keep_matching(&path, &ranges, wrong_size)
            .unwrap()
            .is_empty());
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn partial_files_sit_next_to_the_destination() {
        let (p, m) = partial_paths(Path::new("/d/file.bin"));
        assert_eq!(p, Path::new("/d/file.bin.boto-partial"));
        assert_eq!(m, Path::new("/d/file.bin.boto-partial.meta"));
    }
}
