//! botocore's `s3.us_east_1_regional_endpoint`: `legacy` (its default) sends S3 calls in
//! `us-east-1` to the global `s3.amazonaws.com` (the rules' `AWS::S3::UseGlobalEndpoint`);
//! `regional` to `s3.us-east-1.amazonaws.com`. From the session (`s3.us_east_1_regional_endpoint`),
//! `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`, or the profile's `s3_us_east_1_regional_endpoint` or
//! `s3 = us_east_1_regional_endpoint = ...`, as botocore's config chain reads it.

use super::{ConfigError, ConfigResolver, Resolved, ValueSource};

impl ConfigResolver {
    /// Whether S3 in `us-east-1` uses the global endpoint (`legacy`, the default).
    ///
    /// # Errors
    ///
    /// A value other than `legacy` or `regional`.
    pub fn s3_use_global_endpoint(&self) -> Result<bool, ConfigError> {
        let explicit = "s3.us_east_1_regional_endpoint";
        let r = match self.overrides.get(explicit) {
            Some(v) => Some(Resolved {
                value: v.clone(),
                source: ValueSource::Explicit(explicit.into()),
            }),
            None => self
                .resolve(
                    "s3_us_east_1_regional_endpoint",
                    &["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
                    Some("s3_us_east_1_regional_endpoint"),
                )
                .or_else(|| self.nested_value("s3", "us_east_1_regional_endpoint")),
        };
        let Some(r) = r else { return Ok(true) };
        match r.value.trim() {
            "legacy" => Ok(true),
            "regional" => Ok(false),
            _ => Err(r.invalid("legacy or regional")),
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
    fn legacy_by_default_then_env_then_either_profile_key() {
        assert_eq!(resolver(&[], "").s3_use_global_endpoint(), Ok(true));
        let env = [("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "regional")];
        assert_eq!(resolver(&env, "").s3_use_global_endpoint(), Ok(false));
        let flat = "[default]\ns3_us_east_1_regional_endpoint = regional\n";
        assert_eq!(resolver(&[], flat).s3_use_global_endpoint(), Ok(false));
        let nested = "[default]\ns3 =\n  us_east_1_regional_endpoint = regional\n";
        assert_eq!(resolver(&[], nested).s3_use_global_endpoint(), Ok(false));
        let bad = [("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "global")];
        let err = resolver(&bad, "").s3_use_global_endpoint().unwrap_err();
        assert!(err.to_string().contains("legacy or regional"), "{err}");
    }
}
