//! `sqs_verify_md5_checksums` (true by default): whether SQS's message digests are checked
//! (`customize/sqs/message_md5.rs`), from the session, `AWS_SQS_VERIFY_MD5_CHECKSUMS`, or the
//! profile key of the same name. botocore has no such check, so the name is boto-rs's own,
//! after the other AWS SDKs' switch for it.

use super::{ConfigError, ConfigResolver};

impl ConfigResolver {
    /// Whether SQS message digests are checked.
    ///
    /// # Errors
    ///
    /// A value that is not `true` or `false`.
    pub fn sqs_verify_md5_checksums(&self) -> Result<bool, ConfigError> {
        let name = "sqs_verify_md5_checksums";
        match self.resolve(name, &["AWS_SQS_VERIFY_MD5_CHECKSUMS"], Some(name)) {
            Some(r) => r.to_bool(),
            None => Ok(true),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigResolver, Env, SharedFiles};

    fn resolver(vars: &[(&str, &str)], config: &str) -> ConfigResolver {
        let files = SharedFiles::from_contents("/c", Some(config), "/k", None).unwrap();
        ConfigResolver::builder(Env::from_vars(vars.iter().copied()))
            .files(files)
            .build()
            .unwrap()
    }

    #[test]
    fn on_by_default_off_by_env_or_profile_and_checked() {
        assert_eq!(resolver(&[], "").sqs_verify_md5_checksums(), Ok(true));
        let env = [("AWS_SQS_VERIFY_MD5_CHECKSUMS", "false")];
        assert_eq!(resolver(&env, "").sqs_verify_md5_checksums(), Ok(false));
        let profile = "[default]\nsqs_verify_md5_checksums = false\n";
        assert_eq!(resolver(&[], profile).sqs_verify_md5_checksums(), Ok(false));
        let bad = [("AWS_SQS_VERIFY_MD5_CHECKSUMS", "maybe")];
        let err = resolver(&bad, "").sqs_verify_md5_checksums().unwrap_err();
        assert!(err.to_string().contains("true or false"), "{err}");
    }
}
