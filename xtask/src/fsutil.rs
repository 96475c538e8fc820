//! Reading (possibly gzip-compressed) JSON and writing deterministic gzip files.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use flate2::{Compression, GzBuilder};
use serde_json::Value;

use crate::Result;

/// A JSON document read from disk.
pub struct Loaded {
    pub value: Value,
    /// Size of the file on disk.
    pub disk_bytes: u64,
    /// Size of the JSON text (after decompression).
    pub json_bytes: u64,
}

/// Finds `<dir>/<stem>.json` or `<dir>/<stem>.json.gz`, in that order (as botocore's loader).
pub fn find_json(dir: &Path, stem: &str) -> Option<PathBuf> {
    [".json", ".json.gz"]
        .iter()
        .map(|ext| dir.join(format!("{stem}{ext}")))
        .find(|path| path.is_file())
}

/// Reads a JSON file, decompressing it first when it is gzip data.
pub fn read_json(path: &Path) -> Result<Loaded> {
    let raw = fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let disk_bytes = raw.len() as u64;
    let text = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 8);
        MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| format!("decompressing {}: {e}", path.display()))?;
        out
    } else {
        raw
    };
    let value =
        serde_json::from_slice(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
    Ok(Loaded {
        value,
        disk_bytes,
        json_bytes: text.len() as u64,
    })
}

/// Gzip-compresses `data` at best compression with a fixed header (no file name, mtime 0), so
/// the same input always gives the same bytes.
pub fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::best());
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("compressing: {e}"))
}

/// Writes `bytes` to `path` unless the file already holds exactly those bytes (which keeps its
/// mtime, and so cargo's rebuild checks, quiet on a re-import). Returns the size written.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<u64> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(bytes.len() as u64);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))?;
    Ok(bytes.len() as u64)
}

/// Writes `value` minified and gzip-compressed to `path`. Returns the compressed size.
pub fn write_json_gz(path: &Path, value: &Value) -> Result<u64> {
    let json = serde_json::to_vec(value).map_err(|e| format!("serializing: {e}"))?;
    write_if_changed(path, &gzip(&json)?)
}

/// Names of the subdirectories of `dir`, sorted.
pub fn subdirs(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("listing {}: {e}", dir.display()))?;
        if entry.path().is_dir() {
            if let Some(name) = entry.file_name().to_str() {
                names.push(name.to_string());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// The newest (lexicographically greatest) API version directory under `service_dir` that
/// holds a `<stem>.json` or `<stem>.json.gz` file.
pub fn newest_version(service_dir: &Path, stem: &str) -> Option<String> {
    subdirs(service_dir)
        .ok()?
        .into_iter()
        .rev()
        .find(|version| find_json(&service_dir.join(version), stem).is_some())
}
