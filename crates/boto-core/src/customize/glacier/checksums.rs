//! Glacier checks archive uploads against two SHA-256 sums the client sends:
//! `x-amz-content-sha256` (of the whole body) and `x-amz-sha256-tree-hash` (the tree hash of its
//! 1 MiB chunks, see [`tree_hash`]). botocore's `add_glacier_checksums` computes both for
//! UploadArchive and UploadMultipartPart unless the caller set them (the `checksum` member sets
//! the tree hash).
//!
//! The body is hashed as it is in memory, or, for a file, read once more for it; a one-shot
//! stream cannot be read ahead, so it keeps whatever the caller set, and a missing hash is for the
//! service to refuse.

use super::super::{BodyDigest, Customization};
use crate::encoding::hex_encode;
use crate::model::Operation;
use crate::protocol::SerializedRequest;
use ring::digest::{digest, Context, SHA256};

const OPERATIONS: &[&str] = &["UploadArchive", "UploadMultipartPart"];

/// Glacier's tree-hash chunk size.
const CHUNK: usize = 1024 * 1024;

pub(crate) struct Checksums;

impl Customization for Checksums {
    fn name(&self) -> &'static str {
        "glacier.checksums"
    }

    fn body_digest(&self, op: &Operation, req: &SerializedRequest) -> Option<Box<dyn BodyDigest>> {
        if !OPERATIONS.contains(&op.name.as_str()) {
            return None;
        }
        let linear = req.get_header("x-amz-content-sha256").is_none();
        let tree = req.get_header("x-amz-sha256-tree-hash").is_none();
        (linear || tree).then(|| {
            Box::new(ArchiveHashes {
                linear: linear.then(|| Context::new(&SHA256)),
                tree: tree.then(TreeHasher::default),
            }) as Box<dyn BodyDigest>
        })
    }
}

/// Both sums, fed chunk by chunk.
struct ArchiveHashes {
    linear: Option<Context>,
    tree: Option<TreeHasher>,
}

impl BodyDigest for ArchiveHashes {
    fn update(&mut self, chunk: &[u8]) {
        if let Some(ctx) = &mut self.linear {
            ctx.update(chunk);
        }
        if let Some(tree) = &mut self.tree {
            tree.update(chunk);
        }
    }

    fn finish(self: Box<Self>, req: &mut SerializedRequest) {
        if let Some(ctx) = self.linear {
            req.header("x-amz-content-sha256", hex_encode(ctx.finish().as_ref()));
        }
        if let Some(tree) = self.tree {
            req.header("x-amz-sha256-tree-hash", tree.finish());
        }
    }
}

/// The SHA-256 of each 1 MiB chunk as the bytes arrive, whatever their slicing.
#[derive(Default)]
struct TreeHasher {
    chunks: Vec<[u8; 32]>,
    current: Option<Context>,
    filled: usize,
}

impl TreeHasher {
    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let ctx = self.current.get_or_insert_with(|| Context::new(&SHA256));
            let take = (CHUNK - self.filled).min(data.len());
            ctx.update(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled == CHUNK {
                if let Some(done) = self.current.take() {
                    self.chunks.push(to_array(done.finish().as_ref()));
                }
                self.filled = 0;
            }
        }
    }

    fn finish(mut self) -> String {
        if let Some(last) = self.current.take() {
            self.chunks.push(to_array(last.finish().as_ref()));
        }
        combine(self.chunks)
    }
}

/// The Glacier tree hash of `data` in one piece (the reference the streaming hasher is tested
/// against), in hex: the SHA-256 of each 1 MiB chunk, then of each
/// adjacent pair of digests, level by level (an odd one out moves up unchanged), to one digest.
/// Empty data hashes as the SHA-256 of nothing.
#[cfg(test)]
fn tree_hash(data: &[u8]) -> String {
    combine(data.chunks(CHUNK).map(sha256).collect())
}

/// The tree of chunk digests folded to its root, in hex.
fn combine(mut level: Vec<[u8; 32]>) -> String {
    if level.is_empty() {
        level.push(sha256(&[]));
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut ctx = Context::new(&SHA256);
                    ctx.update(a);
                    ctx.update(b);
                    to_array(ctx.finish().as_ref())
                }
                // The odd one out (chunks(2) never yields an empty slice).
                [a, ..] => *a,
                [] => sha256(&[]),
            })
            .collect();
    }
    hex_encode(&level[0])
}

fn sha256(data: &[u8]) -> [u8; 32] {
    to_array(digest(&SHA256, data).as_ref())
}

fn to_array(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(bytes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streaming_tree_hash_is_the_whole_ones_however_the_bytes_are_sliced() {
        for size in [0usize, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            for slice in [1usize << 16, 333_333, CHUNK, 5 * CHUNK] {
                let mut h = TreeHasher::default();
                data.chunks(slice).for_each(|c| h.update(c));
                assert_eq!(h.finish(), tree_hash(&data), "{size} bytes in {slice}");
            }
        }
        // The known value of nothing: the SHA-256 of the empty string.
        assert_eq!(
            TreeHasher::default().finish(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
