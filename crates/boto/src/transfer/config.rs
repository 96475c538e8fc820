//! [`TransferConfig`]: when transfers split, how big the parts are, and how fast they may go.

use super::progress::Progress;

/// S3 accepts at most this many parts in one multipart upload.
pub(crate) const MAX_PARTS: u64 = 10_000;
/// S3's largest part.
pub(crate) const MAX_PART_SIZE: u64 = 5 << 30;

/// When and how transfers split (boto3's `TransferConfig`). Build one with
/// `TransferConfig { max_concurrency: 4, ..Default::default() }`.
#[derive(Debug, Clone)]
pub struct TransferConfig {
    /// Files this large or larger move in parts (8 MiB).
    pub multipart_threshold: u64,
    /// The size of each part (8 MiB; S3 needs at least 5 MiB for all but the last). For a file
    /// that would need more than 10,000 parts it doubles until the parts fit, as s3transfer's
    /// chunk size adjuster does.
    pub multipart_chunksize: u64,
    /// Parts in flight at once (10).
    pub max_concurrency: usize,
    /// The most bytes per second one transfer moves, all parts together (`None`: no limit).
    pub max_bandwidth: Option<u64>,
    /// Attempts per downloaded range when its body breaks off (5, as s3transfer); each attempt
    /// asks only for the bytes still missing. Request-level retries (status codes, connection
    /// failures before the body) follow the client's retry settings on top of this.
    pub num_download_attempts: u32,
    /// Called with the number of bytes moved each time a transfer makes progress (boto3's
    /// `Callback`); `None` costs nothing.
    pub progress: Option<Progress>,
}

impl Default for TransferConfig {
    fn default() -> Self {
        TransferConfig {
            multipart_threshold: 8 << 20,
            multipart_chunksize: 8 << 20,
            max_concurrency: 10,
            max_bandwidth: None,
            num_download_attempts: 5,
            progress: None,
        }
    }
}

impl TransferConfig {
    /// The part size for an object of `size` bytes: the configured one, doubled until the parts
    /// number at most 10,000, and never above S3's 5 GiB.
    pub(crate) fn chunk_size(&self, size: u64) -> u64 {
        let mut chunk = self.multipart_chunksize.max(1);
        while size.div_ceil(chunk) > MAX_PARTS && chunk < MAX_PART_SIZE {
            chunk = chunk.saturating_mul(2);
        }
        chunk.min(MAX_PART_SIZE)
    }

    /// `(offset, length)` of each part of an object of `size` bytes.
    pub(crate) fn part_ranges(&self, size: u64) -> Vec<(u64, u64)> {
        equal_parts(size, self.chunk_size(size))
    }

    pub(crate) fn concurrency(&self) -> usize {
        self.max_concurrency.max(1)
    }
}

/// `size` bytes cut into `chunk`-sized pieces (the last one shorter).
pub(crate) fn equal_parts(size: u64, chunk: u64) -> Vec<(u64, u64)> {
    let chunk = chunk.max(1);
    (0..size.div_ceil(chunk))
        .map(|i| (i * chunk, chunk.min(size - i * chunk)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_file_exactly() {
        let c = TransferConfig {
            multipart_chunksize: 5,
            ..Default::default()
        };
        assert_eq!(c.part_ranges(12), vec![(0, 5), (5, 5), (10, 2)]);
        assert_eq!(c.part_ranges(10), vec![(0, 5), (5, 5)]);
        assert!(c.part_ranges(0).is_empty());
    }

    /// Without the adjustment a 100 GiB file needs 12,800 parts of 8 MiB and S3 refuses the
    /// upload after 78 GiB were sent.
    #[test]
    fn the_chunk_grows_to_stay_under_ten_thousand_parts() {
        let c = TransferConfig::default();
        assert_eq!(c.chunk_size(1 << 30), 8 << 20);
        let big = 100u64 << 30;
        let chunk = c.chunk_size(big);
        assert_eq!(chunk, 16 << 20);
        assert!(big.div_ceil(chunk) <= MAX_PARTS);
        // 5 TiB, S3's largest object, fits too.
        let huge = 5u64 << 40;
        assert!(huge.div_ceil(c.chunk_size(huge)) <= MAX_PARTS);
        assert!(c.chunk_size(u64::MAX) <= MAX_PART_SIZE);
    }
}
