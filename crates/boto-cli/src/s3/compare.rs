//! `sync --checksum`: whether a file and an object (or two objects) hold the same bytes, judged
//! by what S3 keeps: a full-object CRC32 or CRC32C checksum when the object has one (HeadObject
//! with `ChecksumMode`), else the ETag when it is a plain MD5 (a single-part upload without
//! SSE-KMS). Multipart objects without a full-object checksum cannot be judged without reading
//! them: the answer is then "don't know" and sync falls back to size and time.

use super::listing::Entry;
use super::sync::Side;
use boto::transfer::Md5;
use boto::{doc, Client, Document};
use std::io::Read;
use std::path::Path;

/// `Some(true)` when the content is the same, `Some(false)` when it differs, `None` when what
/// S3 keeps cannot tell.
pub async fn same_content(
    client: &Client,
    src: &Side,
    dst: &Side,
    x: &Entry,
    y: &Entry,
) -> Option<bool> {
    match (src, dst) {
        (Side::Local(root), Side::S3(bucket, prefix))
        | (Side::S3(bucket, prefix), Side::Local(root)) => {
            let (object, file) = if matches!(src, Side::Local(_)) {
                (y, x)
            } else {
                (x, y)
            };
            let key = format!("{prefix}{}", object.rel);
            let path = root.join(&file.rel);
            local_matches(client, bucket, &key, object, &path).await
        }
        (Side::S3(b1, p1), Side::S3(b2, p2)) => {
            if let (Some(e1), Some(e2)) = (&x.etag, &y.etag) {
                if !e1.contains('-') && !e2.contains('-') {
                    return Some(e1 == e2);
                }
            }
            let h1 = head(client, b1, &format!("{p1}{}", x.rel)).await?;
            let h2 = head(client, b2, &format!("{p2}{}", y.rel)).await?;
            let (c1, c2) = (full_checksum(&h1)?, full_checksum(&h2)?);
            (c1.0 == c2.0).then_some(c1.1 == c2.1)
        }
        (Side::Local(_), Side::Local(_)) => None,
    }
}

async fn local_matches(
    client: &Client,
    bucket: &str,
    key: &str,
    object: &Entry,
    path: &Path,
) -> Option<bool> {
    let head = head(client, bucket, key).await?;
    if let Some((algorithm, value)) = full_checksum(&head) {
        let path = path.to_path_buf();
        let local = tokio::task::spawn_blocking(move || crc_of(&path, algorithm))
            .await
            .ok()??;
        return Some(local == value);
    }
    let etag = object.etag.as_deref().filter(|e| !e.contains('-'))?;
    let path = path.to_path_buf();
    let md5 = tokio::task::spawn_blocking(move || md5_of(&path))
        .await
        .ok()??;
    Some(md5 == etag)
}

async fn head(client: &Client, bucket: &str, key: &str) -> Option<Document> {
    client
        .call(
            "HeadObject",
            doc! {"Bucket": bucket, "Key": key, "ChecksumMode": "ENABLED"},
        )
        .await
        .ok()
}

/// The object's full-object CRC (`"CRC32"` or `"CRC32C"`, base64), if S3 keeps one.
fn full_checksum(head: &Document) -> Option<(&'static str, String)> {
    if head["ChecksumType"].as_str() == Some("COMPOSITE") {
        return None;
    }
    for (member, name) in [("ChecksumCRC32", "CRC32"), ("ChecksumCRC32C", "CRC32C")] {
        if let Some(v) = head[member].as_str().filter(|v| !v.contains('-')) {
            return Some((name, v.to_string()));
        }
    }
    None
}

fn read_all(path: &Path, mut f: impl FnMut(&[u8])) -> Option<()> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            return Some(());
        }
        f(&buf[..n]);
    }
}

fn md5_of(path: &Path) -> Option<String> {
    let mut m = Md5::default();
    read_all(path, |b| m.update(b))?;
    Some(m.hex())
}

fn crc_of(path: &Path, algorithm: &str) -> Option<String> {
    let value = match algorithm {
        "CRC32" => {
            let mut h = crc32fast::Hasher::new();
            read_all(path, |b| h.update(b))?;
            h.finalize()
        }
        _ => {
            let mut crc = !0u32;
            read_all(path, |b| crc = crc32c_update(crc, b))?;
            !crc
        }
    };
    Some(boto::core::encoding::base64_encode(&value.to_be_bytes()))
}

/// CRC32C (Castagnoli), bitwise: only `sync --checksum` of CRC32C objects needs it.
fn crc32c_update(mut crc: u32, data: &[u8]) -> u32 {
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    #[test]
    fn crc32c_of_the_check_string() {
        assert_eq!(!super::crc32c_update(!0, b"123456789"), 0xE306_9283);
    }
}
