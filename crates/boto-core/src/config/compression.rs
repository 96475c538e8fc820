//! botocore's request compression settings: `disable_request_compression` (false) and
//! `request_min_compression_size_bytes` (10240, at most 10 MiB), from the session,
//! `AWS_DISABLE_REQUEST_COMPRESSION` / `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`, or the profile
//! key of the same name.

use super::{ConfigError, ConfigResolver};

/// The body size from which a compressible request is gzipped, when nothing says otherwise.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u64 = 10_240;
/// The largest `request_min_compression_size_bytes` botocore accepts (10 MiB).
pub const MAX_MIN_COMPRESSION_SIZE: u64 = 10_485_760;

/// When request bodies are compressed (for operations with the `requestcompression` trait).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestCompression {
    /// Never compress.
    pub disabled: bool,
    /// Compress bodies of at least this many bytes.
    pub min_size: u64,
}

impl Default for RequestCompression {
    fn default() -> Self {
        RequestCompression {
            disabled: false,
            min_size: DEFAULT_MIN_COMPRESSION_SIZE,
        }
    }
}

impl ConfigResolver {
    /// The request compression settings.
    ///
    /// # Errors
    ///
    /// A value that is not a boolean, or a size that is not a whole number in `0..=10485760`.
    pub fn request_compression(&self) -> Result<RequestCompression, ConfigError> {
        let name = "disable_request_compression";
        let disabled = match self.resolve(name, &["AWS_DISABLE_REQUEST_COMPRESSION"], Some(name)) {
            Some(r) => r.to_bool()?,
            None => false,
        };
        let name = "request_min_compression_size_bytes";
        let min_size = match self.resolve(
            name,
            &["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
            Some(name),
        ) {
            Some(r) => match r.value.trim().parse::<u64>() {
                Ok(n) if n <= MAX_MIN_COMPRESSION_SIZE => n,
                _ => return Err(r.invalid("a whole number of bytes from 0 to 10485760")),
            },
            None => DEFAULT_MIN_COMPRESSION_SIZE,
        };
        Ok(RequestCompression { disabled, min_size })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Env, SharedFiles};

    fn resolver(vars: &[(&str, &str)], config: &str) -> ConfigResolver {
        let files = SharedFiles::from_contents("/c", Some(config), "/k", None).unwrap();
        ConfigResolver::builder(Env::from_vars(vars.iter().copied()))
            .files(files)
            .build()
            .unwrap()
    }

    #[test]
    fn defaults_env_and_profile() {
        assert_eq!(
            resolver(&[], "").request_compression(),
            Ok(RequestCompression::default())
        );
        let r = resolver(
            &[("AWS_DISABLE_REQUEST_COMPRESSION", "true")],
            "[default]\nrequest_min_compression_size_bytes = 100\n",
        );
        assert_eq!(
            r.request_compression(),
            Ok(RequestCompression {
                disabled: true,
                min_size: 100
            })
        );
    }

    #[test]
    fn bad_values_are_errors() {
        for v in ["-1", "10485761", "ten"] {
            let r = resolver(&[("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", v)], "");
            let err = r.request_compression().unwrap_err().to_string();
            assert!(err.contains("10485760"), "{v}: {err}");
        }
        let r = resolver(&[("AWS_DISABLE_REQUEST_COMPRESSION", "maybe")], "");
        assert!(r.request_compression().is_err());
    }
}
