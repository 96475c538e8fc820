//! botocore's `endpoint_discovery_enabled`: `true`, `false` or `auto` (the default), from the
//! session, `AWS_ENDPOINT_DISCOVERY_ENABLED`, or the profile key of the same name.

use super::{ConfigError, ConfigResolver};

/// When operations with the `endpointdiscovery` trait go to a discovered endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EndpointDiscovery {
    /// Only for services that require it, and then only the operations that require it.
    #[default]
    Auto,
    /// For every operation that supports it.
    Enabled,
    /// Never; an operation that requires it fails before sending.
    Disabled,
}

impl ConfigResolver {
    /// `endpoint_discovery_enabled`.
    ///
    /// # Errors
    ///
    /// A value other than `true`, `false` or `auto` (any case).
    pub fn endpoint_discovery(&self) -> Result<EndpointDiscovery, ConfigError> {
        let name = "endpoint_discovery_enabled";
        let Some(r) = self.resolve(name, &["AWS_ENDPOINT_DISCOVERY_ENABLED"], Some(name)) else {
            return Ok(EndpointDiscovery::Auto);
        };
        match r.value.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(EndpointDiscovery::Auto),
            "true" => Ok(EndpointDiscovery::Enabled),
            "false" => Ok(EndpointDiscovery::Disabled),
            _ => Err(r.invalid("true, false or auto")),
        }
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
    fn auto_by_default_then_env_then_profile() {
        assert_eq!(
            resolver(&[], "").endpoint_discovery(),
            Ok(EndpointDiscovery::Auto)
        );
        let env = [("AWS_ENDPOINT_DISCOVERY_ENABLED", "TRUE")];
        let profile = "[default]\nendpoint_discovery_enabled = false\n";
        assert_eq!(
            resolver(&env, profile).endpoint_discovery(),
            Ok(EndpointDiscovery::Enabled)
        );
        assert_eq!(
            resolver(&[], profile).endpoint_discovery(),
            Ok(EndpointDiscovery::Disabled)
        );
        let bad = [("AWS_ENDPOINT_DISCOVERY_ENABLED", "yes")];
        let err = resolver(&bad, "").endpoint_discovery().unwrap_err();
        assert!(err.to_string().contains("true, false or auto"), "{err}");
    }
}
