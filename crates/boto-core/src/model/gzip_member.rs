//! Decompression of the gzip files embedded in the binary, in one call into a buffer of the
//! final size.
//!
//! flate2's streaming `GzDecoder` suits files read at run time, but for data that is already in
//! memory it costs the first client a large zeroed inflate state, a growing output buffer and
//! a CRC-32 of every byte (a third of its model load in callgrind). The size is in the gzip
//! trailer, so the output is allocated once; the CRC is skipped because the bytes are part of
//! the executable, not read from disk or the network (a damaged copy fails to inflate or to
//! decode, and says so).

/// Why an embedded gzip member could not be read.
#[derive(Debug, Clone, Copy)]
pub(super) struct GzipError(&'static str);

impl std::fmt::Display for GzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

/// The largest output accepted (the largest imported model is a few MiB).
const MAX_OUTPUT: usize = 256 << 20;

/// Inflates one gzip member (RFC 1952) held in memory.
pub(super) fn inflate(member: &[u8]) -> Result<Vec<u8>, GzipError> {
    let truncated = GzipError("truncated gzip data");
    let [0x1f, 0x8b, 8, flags, _, _, _, _, _, _, rest @ ..] = member else {
        return Err(GzipError("not gzip data"));
    };
    let mut body = rest;
    if flags & FEXTRA != 0 {
        let [lo, hi, after @ ..] = body else {
            return Err(truncated);
        };
        let len = usize::from(u16::from_le_bytes([*lo, *hi]));
        body = after.get(len..).ok_or(truncated)?;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = body.iter().position(|&b| b == 0).ok_or(truncated)?;
            body = &body[end + 1..];
        }
    }
    if flags & FHCRC != 0 {
        body = body.get(2..).ok_or(truncated)?;
    }
    let Some((deflate, trailer)) = body.split_last_chunk::<8>() else {
        return Err(truncated);
    };
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    let size = usize::try_from(size).map_err(|_| GzipError("gzip data too large"))?;
    if size > MAX_OUTPUT {
        return Err(GzipError("gzip data too large"));
    }
    let mut out = vec![0; size];
    let written = miniz_oxide::inflate::decompress_slice_iter_to_slice(
        &mut out,
        std::iter::once(deflate),
        false,
        true,
    )
    .map_err(|_| GzipError("gzip data does not inflate"))?;
    if written != size {
        return Err(GzipError("gzip data is not the size its trailer gives"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::inflate;
    use std::io::Write;

    fn gzip(data: &[u8], name: Option<&str>) -> Vec<u8> {
        let mut builder = flate2::GzBuilder::new();
        if let Some(name) = name {
            builder = builder.filename(name).comment("c").extra(vec![1, 2, 3]);
        }
        let mut enc = builder.write(Vec::new(), flate2::Compression::best());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn members_with_and_without_optional_fields_inflate() {
        let data: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        assert_eq!(inflate(&gzip(&data, None)).unwrap(), data);
        assert_eq!(inflate(&gzip(&data, Some("x.bin"))).unwrap(), data);
        assert_eq!(inflate(&gzip(b"", None)).unwrap(), b"");
    }

    #[test]
    fn damaged_members_are_errors_not_panics() {
        let good = gzip(b"hello hello hello hello", None);
        assert!(inflate(b"").is_err());
        assert!(inflate(b"PK\x03\x04 not gzip").is_err());
        for cut in 0..good.len() {
            assert!(inflate(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut wrong_size = good.clone();
        let n = wrong_size.len();
        wrong_size[n - 4] ^= 1;
        assert!(inflate(&wrong_size).is_err());
        let mut huge = good;
        huge[n - 1] = 0xff;
        assert!(inflate(&huge).is_err());
    }
}
