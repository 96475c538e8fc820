//! Glacier checks archive uploads against two SHA-256 sums the client sends:
//! `x-amz-content-sha256` (of the whole body) and `x-amz-sha256-tree-hash` (the tree hash of its
//! 1 MiB chunks, see [`tree_hash`]). botocore's `add_glacier_checksums` computes both for
//! UploadArchive and UploadMultipartPart unless the caller set them (the `checksum` member sets
//! the tree hash).
//!
//! The body must be in memory to be hashed before it is sent; a streamed body keeps whatever
//! the caller set, and a missing hash is for the service to refuse.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::document::Document;
use crate::encoding::hex_encode;
use crate::model::Operation;
use crate::protocol::{RequestBody, SerializedRequest};
use ring::digest::{digest, Context, SHA256};

const OPERATIONS: &[&str] = &["UploadArchive", "UploadMultipartPart"];

/// Glacier's tree-hash chunk size.
const CHUNK: usize = 1024 * 1024;

pub(crate) struct Checksums;

impl Customization for Checksums {
    fn name(&self) -> &'static str {
        "glacier.checksums"
    }

    fn after_serialize(
        &self,
        op: &Operation,
        _input: &Document,
        req: &mut SerializedRequest,
    ) -> Result<(), ConstructionError> {
        if !OPERATIONS.contains(&op.name.as_str()) {
            return Ok(());
        }
        let body: &[u8] = match &req.body {
            RequestBody::Bytes(b) => b,
            RequestBody::Empty => &[],
            _ => return Ok(()),
        };
        let linear = (req.get_header("x-amz-content-sha256").is_none())
            .then(|| hex_encode(digest(&SHA256, body).as_ref()));
        let tree = (req.get_header("x-amz-sha256-tree-hash").is_none()).then(|| tree_hash(body));
        if let Some(sum) = linear {
            req.header("x-amz-content-sha256", sum);
        }
        if let Some(sum) = tree {
            req.header("x-amz-sha256-tree-hash", sum);
        }
        Ok(())
    }
}

/// The Glacier tree hash of `data`, in hex: the SHA-256 of each 1 MiB chunk, then of each
/// adjacent pair of digests, level by level (an odd one out moves up unchanged), to one digest.
/// Empty data hashes as the SHA-256 of nothing.
pub(crate) fn tree_hash(data: &[u8]) -> String {
    let mut level: Vec<[u8; 32]> = data.chunks(CHUNK).map(sha256).collect();
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
