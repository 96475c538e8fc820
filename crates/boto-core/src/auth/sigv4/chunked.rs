//! aws-chunked streaming signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`): each chunk of an S3
//! upload is signed with the request's signing key, chained from the previous chunk's signature
//! (the first from the request's own, the seed), and framed as
//! `hex(len);chunk-signature=<sig>\r\n<data>\r\n`.

use std::fmt;

use ring::hmac;

use super::canonical::{sha256_hex, EMPTY_SHA256};
use super::key::{signature, signing_key};
use super::request::is_lower_hex_64;
use super::time::AmzDate;
use super::{SigningError, SigningKeyCache, SigningParams};

/// The algorithm identifier used in the string to sign of each aws-chunked chunk.
pub const CHUNK_ALGORITHM: &str = "AWS4-HMAC-SHA256-PAYLOAD";

/// Length of `";chunk-signature="`.
const CHUNK_SIGNATURE_PREFIX_LEN: u64 = 17;
/// Length of a hex signature.
const SIGNATURE_HEX_LEN: u64 = 64;

/// Signs the chunks of an S3 aws-chunked upload (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`).
///
/// Seed it with the signature of the request headers (signed with
/// [`PayloadChecksumKind::StreamingAwsChunked`](super::PayloadChecksumKind::StreamingAwsChunked),
/// and carrying `content-encoding: aws-chunked`, `x-amz-decoded-content-length` and the encoded
/// `content-length` from [`aws_chunked_encoded_length`]), then frame each data chunk with
/// [`ChunkSigner::encode_chunk`] and end with [`ChunkSigner::finish`]. Each chunk's string to sign is
/// `AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous signature>\n<sha256("")>\n<sha256(chunk)>`.
///
/// `Debug` does not show the signing key.
pub struct ChunkSigner {
    key: hmac::Key,
    amz_date: String,
    scope: String,
    previous_signature: String,
    finished: bool,
}

impl fmt::Debug for ChunkSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChunkSigner")
            .field("amz_date", &self.amz_date)
            .field("scope", &self.scope)
            .field("previous_signature", &self.previous_signature)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl ChunkSigner {
    /// A chunk signer for the request signed with `params` whose signature is `seed_signature`.
    ///
    /// # Errors
    ///
    /// Invalid `params` (as for [`sign`](super::sign)) or a seed that is not 64 lowercase hex
    /// digits.
    pub fn new(params: &SigningParams<'_>, seed_signature: &str) -> Result<Self, SigningError> {
        Self::build(params, seed_signature, None)
    }

    /// Like [`ChunkSigner::new`], taking the signing key from `cache`.
    ///
    /// # Errors
    ///
    /// As for [`ChunkSigner::new`].
    pub fn with_cache(
        params: &SigningParams<'_>,
        seed_signature: &str,
        cache: &SigningKeyCache,
    ) -> Result<Self, SigningError> {
        Self::build(params, seed_signature, Some(cache))
    }

    fn build(
        params: &SigningParams<'_>,
        seed_signature: &str,
        cache: Option<&SigningKeyCache>,
    ) -> Result<Self, SigningError> {
        params.validate()?;
        if !is_lower_hex_64(seed_signature) {
            return Err(SigningError::InvalidSeedSignature);
        }
        let stamp = AmzDate::from_system_time(params.time)?;
        Ok(Self {
            key: signing_key(params, &stamp.date(), cache),
            amz_date: stamp.datetime_string(),
            scope: params.credential_scope(&stamp),
            previous_signature: seed_signature.to_owned(),
            finished: false,
        })
    }

    /// The signature of the last chunk signed (the seed before any).
    pub fn previous_signature(&self) -> &str {
        &self.previous_signature
    }

    /// Whether the final (empty) chunk has been signed.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Sign the next chunk and return its signature. An empty `data` is the final chunk, after
    /// which the stream is finished.
    ///
    /// # Errors
    ///
    /// [`SigningError::StreamFinished`] after the final chunk.
    pub fn sign_chunk(&mut self, data: &[u8]) -> Result<String, SigningError> {
        if self.finished {
            return Err(SigningError::StreamFinished);
        }
        let string_to_sign = format!(
            "{CHUNK_ALGORITHM}\n{}\n{}\n{}\n{EMPTY_SHA256}\n{}",
            self.amz_date,
            self.scope,
            self.previous_signature,
            sha256_hex(data)
        );
        let signature = signature(&self.key, &string_to_sign);
        self.previous_signature.clone_from(&signature);
        if data.is_empty() {
            self.finished = true;
        }
        Ok(signature)
    }

    /// Sign a non-empty data chunk and append its framing
    /// `hex(len);chunk-signature=<sig>\r\n<data>\r\n` to `out`.
    ///
    /// # Errors
    ///
    /// [`SigningError::EmptyChunk`] for empty `data`, [`SigningError::StreamFinished`] after
    /// [`ChunkSigner::finish`].
    pub fn encode_chunk_into(
        &mut self,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), SigningError> {
        if data.is_empty() {
            return Err(SigningError::EmptyChunk);
        }
        let signature = self.sign_chunk(data)?;
        out.reserve(data.len() + 90);
        out.extend_from_slice(
            format!("{:x};chunk-signature={signature}\r\n", data.len()).as_bytes(),
        );
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Sign a non-empty data chunk and return its framing
    /// `hex(len);chunk-signature=<sig>\r\n<data>\r\n`.
    ///
    /// # Errors
    ///
    /// As for [`ChunkSigner::encode_chunk_into`].
    pub fn encode_chunk(&mut self, data: &[u8]) -> Result<Vec<u8>, SigningError> {
        let mut out = Vec::with_capacity(data.len() + 90);
        self.encode_chunk_into(data, &mut out)?;
        Ok(out)
    }

    /// Sign the final empty chunk and return its framing `0;chunk-signature=<sig>\r\n\r\n`.
    ///
    /// # Errors
    ///
    /// [`SigningError::StreamFinished`] if already finished.
    pub fn finish(&mut self) -> Result<Vec<u8>, SigningError> {
        let signature = self.sign_chunk(&[])?;
        Ok(format!("0;chunk-signature={signature}\r\n\r\n").into_bytes())
    }
}

/// The `content-length` of an aws-chunked (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) body carrying
/// `decoded_len` bytes (the `x-amz-decoded-content-length`) in chunks of `chunk_size` bytes
/// (the last data chunk may be shorter), including the final empty chunk.
///
/// # Errors
///
/// [`SigningError::InvalidChunkSize`] for a zero chunk size, [`SigningError::LengthOverflow`]
/// if the result does not fit in `u64`.
pub fn aws_chunked_encoded_length(decoded_len: u64, chunk_size: u64) -> Result<u64, SigningError> {
    if chunk_size == 0 {
        return Err(SigningError::InvalidChunkSize);
    }
    let frame = |len: u64| -> Option<u64> {
        // hex(len) ";chunk-signature=" sig "\r\n" data "\r\n"
        hex_digits(len)
            .checked_add(CHUNK_SIGNATURE_PREFIX_LEN + SIGNATURE_HEX_LEN + 2)?
            .checked_add(len)?
            .checked_add(2)
    };
    let full_chunks = decoded_len / chunk_size;
    let remainder = decoded_len % chunk_size;
    let total = frame(chunk_size)
        .and_then(|f| f.checked_mul(full_chunks))
        .and_then(|t| {
            if remainder > 0 {
                t.checked_add(frame(remainder)?)
            } else {
                Some(t)
            }
        })
        .and_then(|t| t.checked_add(frame(0)?));
    total.ok_or(SigningError::LengthOverflow)
}

fn hex_digits(mut n: u64) -> u64 {
    let mut digits = 1;
    while n >= 16 {
        n /= 16;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::super::test_support::params;
    use super::super::SigningSettings;
    use super::*;

    #[test]
    fn chunked_lengths() {
        assert_eq!(aws_chunked_encoded_length(66_560, 65_536), Ok(66_824));
        assert_eq!(aws_chunked_encoded_length(0, 65_536), Ok(86));
        assert_eq!(aws_chunked_encoded_length(65_536, 65_536), Ok(65_626 + 86));
        assert_eq!(
            aws_chunked_encoded_length(1, 0),
            Err(SigningError::InvalidChunkSize)
        );
        assert_eq!(
            aws_chunked_encoded_length(u64::MAX, 1),
            Err(SigningError::LengthOverflow)
        );
        assert!(aws_chunked_encoded_length(u64::MAX, u64::MAX).is_err());
    }

    #[test]
    fn chunk_signer_state() {
        let p = params(SigningSettings::s3());
        assert_eq!(
            ChunkSigner::new(&p, "nothex").map(|_| ()),
            Err(SigningError::InvalidSeedSignature)
        );
        let mut signer = ChunkSigner::new(&p, EMPTY_SHA256).unwrap();
        assert_eq!(signer.encode_chunk(b""), Err(SigningError::EmptyChunk));
        assert!(signer.encode_chunk(b"abc").is_ok());
        assert!(signer.finish().is_ok());
        assert!(signer.is_finished());
        assert_eq!(signer.finish(), Err(SigningError::StreamFinished));
        assert_eq!(signer.encode_chunk(b"x"), Err(SigningError::StreamFinished));
        assert!(!format!("{signer:?}").contains("wJalr"));
    }
}
