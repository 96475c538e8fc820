//! Shared configuration: the environment, `~/.aws/config`, `~/.aws/credentials`, and the
//! per-setting precedence botocore applies to them.
//!
//! - [`Env`] abstracts environment lookups (and the home directory) so tests use an in-memory map.
//! - [`SharedFiles`] parses both files exactly like botocore's `configloader` (see [`parse`] for
//!   the INI rules) and builds its profile map.
//! - [`ConfigResolver`] picks the profile and resolves each setting in botocore's order:
//!   explicit session value > environment variable(s) > profile key > default.
//!
//! ```
//! use boto_core::config::{ConfigResolver, Env};
//! let env = Env::from_vars([("AWS_DEFAULT_REGION", "eu-west-1"), ("HOME", "/nonexistent")]);
//! let cfg = ConfigResolver::load(env).unwrap();
//! assert_eq!(cfg.region().unwrap().as_deref(), Some("eu-west-1"));
//! assert_eq!(cfg.endpoint_url("S3").unwrap(), None);
//! ```
//!
//! Empty environment variables count as unset throughout.

mod auth_scheme;
mod checksum;
mod compression;
mod endpoint_discovery;
mod env;
mod files;
mod message_md5;
pub mod parse;
mod s3_regional;
mod signature;

pub use auth_scheme::AuthSchemePreference;
pub use checksum::ChecksumWhen;
pub use compression::{RequestCompression, DEFAULT_MIN_COMPRESSION_SIZE, MAX_MIN_COMPRESSION_SIZE};
pub use endpoint_discovery::EndpointDiscovery;
pub use env::Env;
pub use files::{SharedFiles, DEFAULT_CONFIG_FILE, DEFAULT_CREDENTIALS_FILE};
pub use parse::{Origin, Property, Section, Value};
pub use signature::SignatureVersion;

use indexmap::IndexMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why configuration could not be loaded or a setting could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file exists but could not be read.
    Io {
        /// The file.
        file: PathBuf,
        /// The operating system's message.
        message: String,
    },
    /// A file is malformed.
    Parse {
        /// The file.
        file: PathBuf,
        /// The 1-based line at fault.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A profile was asked for (explicitly or through `AWS_PROFILE` / `AWS_DEFAULT_PROFILE`) but
    /// neither file defines it.
    ProfileNotFound {
        /// The profile name.
        profile: String,
        /// The config file looked in.
        config_file: PathBuf,
        /// The credentials file looked in.
        credentials_file: PathBuf,
    },
    /// A setting has a value of the wrong type or outside its allowed set.
    InvalidValue {
        /// Where the value came from (names the variable, or file, profile and key).
        source: ValueSource,
        /// The offending value (settings read through typed accessors are never secrets).
        value: String,
        /// What was expected, e.g. `"true or false"`.
        expected: String,
    },
    /// A setting was given by a name this SDK does not know (a typo would otherwise be
    /// silently ignored).
    UnknownSetting {
        /// The name as given.
        name: String,
    },
    /// The profile's `services` key names a `[services NAME]` section that does not exist.
    ServicesSectionNotFound {
        /// The profile.
        profile: String,
        /// The missing section's name.
        services: String,
        /// The config file.
        file: PathBuf,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io { file, message } => {
                write!(f, "cannot read {}: {message}", file.display())
            }
            ConfigError::Parse {
                file,
                line,
                message,
            } => write!(f, "{}, line {line}: {message}", file.display()),
            ConfigError::ProfileNotFound {
                profile,
                config_file,
                credentials_file,
            } => write!(
                f,
                "the config profile ({profile}) could not be found in {} or {}",
                config_file.display(),
                credentials_file.display()
            ),
            ConfigError::InvalidValue {
                source,
                value,
                expected,
            } => write!(
                f,
                "invalid value {:?} for {source}: expected {expected}",
                truncate(value, 80)
            ),
            ConfigError::UnknownSetting { name } => {
                write!(f, "unknown setting {:?}", truncate(name, 80))?;
                if let Some(close) = closest_setting(name) {
                    write!(f, " (did you mean {close}?)")?;
                }
                write!(f, "; the settings are: {}", KNOWN_SETTINGS.join(", "))
            }
            ConfigError::ServicesSectionNotFound {
                profile,
                services,
                file,
            } => write!(
                f,
                "profile {profile:?} uses `services = {services}` but {} has no [services {services}] section",
                file.display()
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Every setting name [`ConfigResolverBuilder::set`] accepts: the ones this SDK reads, by
/// botocore's names. A setting read anywhere by its logical name is listed here, one line each.
pub const KNOWN_SETTINGS: &[&str] = &[
    "region",
    "max_attempts",
    "retry_mode",
    "endpoint_url",
    "ignore_configured_endpoint_urls",
    "endpoint_discovery_enabled",
    "use_dualstack_endpoint",
    "use_fips_endpoint",
    "ca_bundle",
    // botocore's client argument `verify=False` (aws-cli's `--no-verify-ssl`); explicit only.
    "verify",
    "data_path",
    "s3.addressing_style",
    "s3.us_east_1_regional_endpoint",
    "s3_us_east_1_regional_endpoint",
    "connect_timeout",
    "read_timeout",
    "max_pool_connections",
    "metadata_service_timeout",
    "metadata_service_num_attempts",
    "ec2_metadata_service_endpoint",
    "ec2_metadata_service_endpoint_mode",
    "imds_use_ipv6",
    "ec2_metadata_v1_disabled",
    // The checksum and compression settings (read by their own accessors).
    "request_checksum_calculation",
    "response_checksum_validation",
    "request_min_compression_size_bytes",
    "disable_request_compression",
    // boto-rs's own: SQS message digests checked (customize/sqs/message_md5.rs).
    "sqs_verify_md5_checksums",
    // `UNSIGNED` for anonymous access (botocore's `signature_version=UNSIGNED`).
    "signature_version",
    "s3.signature_version",
    // Which of a service's auth schemes to use (config/auth_scheme.rs).
    "auth_scheme_preference",
];

/// The known setting closest to `name` (edit distance at most 3), for "did you mean".
fn closest_setting(name: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    let name = name.to_ascii_lowercase();
    KNOWN_SETTINGS
        .iter()
        .map(|k| (distance(&name, k), *k))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Where a resolved value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// Set explicitly on the session/client (the logical setting name).
    Explicit(String),
    /// An environment variable.
    Env(String),
    /// A key of the selected profile.
    Profile {
        /// The profile name.
        profile: String,
        /// The key, as `s3.addressing_style` for a nested one.
        key: String,
        /// File and line.
        origin: Origin,
    },
    /// The built-in default.
    Default,
}

impl fmt::Display for ValueSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSource::Explicit(name) => write!(f, "explicitly set {name}"),
            ValueSource::Env(var) => write!(f, "environment variable {var}"),
            ValueSource::Profile {
                profile,
                key,
                origin,
            } => write!(f, "key {key:?} in profile {profile:?} ({origin})"),
            ValueSource::Default => f.write_str("the default"),
        }
    }
}

/// A setting's value with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resolved {
    /// The raw text.
    pub value: String,
    /// Where it came from.
    pub source: ValueSource,
}

impl Resolved {
    fn invalid(&self, expected: &str) -> ConfigError {
        ConfigError::InvalidValue {
            source: self.source.clone(),
            value: self.value.clone(),
            expected: expected.to_string(),
        }
    }

    /// Reads `true` / `false` (any case); anything else is an error naming the source.
    pub fn to_bool(&self) -> Result<bool, ConfigError> {
        match self.value.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(self.invalid("true or false")),
        }
    }

    /// Reads a non-negative integer.
    pub fn to_u32(&self) -> Result<u32, ConfigError> {
        self.value
            .trim()
            .parse::<u32>()
            .map_err(|_| self.invalid("a non-negative integer"))
    }

    /// Reads a timeout in seconds (fractions allowed): more than 0 and at most
    /// [`crate::http::MAX_TIMEOUT`], so no deadline computed from it can overflow.
    pub fn to_timeout(&self) -> Result<Duration, ConfigError> {
        let max = crate::http::MAX_TIMEOUT;
        self.value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0 && *s <= max.as_secs_f64())
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                self.invalid(&format!(
                    "a number of seconds above 0 and at most {} (one year)",
                    max.as_secs()
                ))
            })
    }

    /// Reads a non-negative number of seconds (fractions allowed).
    pub fn to_seconds(&self) -> Result<Duration, ConfigError> {
        self.value
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| self.invalid("a non-negative number of seconds"))
    }
}

/// The retry strategy (`retry_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryMode {
    /// botocore's original retry handler.
    Legacy,
    /// The standardized SDK retry behaviour (the default).
    Standard,
    /// Standard plus client-side rate limiting.
    Adaptive,
}

/// S3 bucket addressing (`s3 = \n  addressing_style = ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressingStyle {
    /// Virtual-hosted when the bucket name allows it, else path.
    Auto,
    /// `bucket.s3.amazonaws.com`.
    Virtual,
    /// `s3.amazonaws.com/bucket`.
    Path,
}

/// Which address family the EC2 instance metadata service is reached over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImdsEndpointMode {
    /// `http://169.254.169.254/`.
    Ipv4,
    /// `http://[fd00:ec2::254]/`.
    Ipv6,
}

/// How the profile name was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    /// Passed explicitly to the builder (botocore's `Session(profile=...)`): this disables the
    /// environment credentials provider, as in botocore.
    Explicit,
    /// From an environment variable (`AWS_DEFAULT_PROFILE`, then `AWS_PROFILE`, as botocore orders
    /// them).
    Env(String),
    /// Nothing chose one: `default`.
    Default,
}

/// Resolves settings for one profile with botocore's precedence.
///
/// Cheap to clone (the parsed files are shared).
#[derive(Debug, Clone)]
pub struct ConfigResolver {
    env: Env,
    files: Arc<SharedFiles>,
    profile_name: String,
    profile_source: ProfileSource,
    overrides: IndexMap<String, String>,
}

/// Builds a [`ConfigResolver`]; see [`ConfigResolver::builder`].
#[derive(Debug, Clone)]
pub struct ConfigResolverBuilder {
    env: Env,
    profile: Option<String>,
    config_file: Option<PathBuf>,
    credentials_file: Option<PathBuf>,
    files: Option<Arc<SharedFiles>>,
    overrides: IndexMap<String, String>,
}

impl ConfigResolverBuilder {
    /// Uses `profile`, like botocore's `Session(profile=...)`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Reads this config file instead of `AWS_CONFIG_FILE` / `~/.aws/config`.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config_file = Some(path.into());
        self
    }

    /// Reads this credentials file instead of `AWS_SHARED_CREDENTIALS_FILE` /
    /// `~/.aws/credentials`.
    pub fn credentials_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Uses already-loaded files (no file system access).
    pub fn files(mut self, files: SharedFiles) -> Self {
        self.files = Some(Arc::new(files));
        self
    }

    /// Sets the region explicitly (highest precedence).
    pub fn region(self, region: impl Into<String>) -> Self {
        self.set("region", region)
    }

    /// Sets any logical setting explicitly (highest precedence), e.g. `("max_attempts", "5")`.
    /// Logical names are botocore's: `region`, `max_attempts`, `retry_mode`, `endpoint_url`,
    /// `ca_bundle`, `use_fips_endpoint`, `connect_timeout`, ...
    pub fn set(mut self, logical: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.insert(logical.into(), value.into());
        self
    }

    /// Loads the files and selects the profile. A profile that was asked for (explicitly or
    /// through the environment) must exist; the implicit `default` may be absent.
    ///
    /// Every explicitly set name must be one of [`KNOWN_SETTINGS`].
    pub fn build(self) -> Result<ConfigResolver, ConfigError> {
        if let Some(name) = self
            .overrides
            .keys()
            .find(|k| !KNOWN_SETTINGS.contains(&k.as_str()))
        {
            return Err(ConfigError::UnknownSetting { name: name.clone() });
        }
        let env = self.env;
        let files = match self.files {
            Some(f) => f,
            None => {
                let config = self.config_file.unwrap_or_else(|| {
                    env.expand_path(
                        &env.get("AWS_CONFIG_FILE")
                            .unwrap_or_else(|| DEFAULT_CONFIG_FILE.into()),
                    )
                });
                let creds = self.credentials_file.unwrap_or_else(|| {
                    env.expand_path(
                        &env.get("AWS_SHARED_CREDENTIALS_FILE")
                            .unwrap_or_else(|| DEFAULT_CREDENTIALS_FILE.into()),
                    )
                });
                Arc::new(SharedFiles::load_from(config, creds)?)
            }
        };
        let (profile_name, profile_source) = match self.profile {
            Some(p) => (p, ProfileSource::Explicit),
            None => match ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"]
                .iter()
                .find_map(|v| env.get(v).map(|p| (p, *v)))
            {
                Some((p, var)) => (p, ProfileSource::Env(var.to_string())),
                None => ("default".to_string(), ProfileSource::Default),
            },
        };
        if profile_source != ProfileSource::Default && files.profile(&profile_name).is_none() {
            return Err(ConfigError::ProfileNotFound {
                profile: profile_name,
                config_file: files.config_path().to_path_buf(),
                credentials_file: files.credentials_path().to_path_buf(),
            });
        }
        Ok(ConfigResolver {
            env,
            files,
            profile_name,
            profile_source,
            overrides: self.overrides,
        })
    }
}

impl ConfigResolver {
    /// A builder reading the environment from `env`.
    pub fn builder(env: Env) -> ConfigResolverBuilder {
        ConfigResolverBuilder {
            env,
            profile: None,
            config_file: None,
            credentials_file: None,
            files: None,
            overrides: IndexMap::new(),
        }
    }

    /// `builder(env).build()`: files and profile from the environment.
    pub fn load(env: Env) -> Result<Self, ConfigError> {
        Self::builder(env).build()
    }

    /// The environment this resolver reads.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The loaded files.
    pub fn files(&self) -> &SharedFiles {
        &self.files
    }

    /// The loaded files, shared.
    pub fn shared_files(&self) -> Arc<SharedFiles> {
        self.files.clone()
    }

    /// The selected profile's name (`default` when none was chosen).
    pub fn profile_name(&self) -> &str {
        &self.profile_name
    }

    /// How the profile was chosen.
    pub fn profile_source(&self) -> &ProfileSource {
        &self.profile_source
    }

    /// The selected profile (merged view), `None` when the implicit `default` is absent.
    pub fn profile(&self) -> Option<&Section> {
        self.files.profile(&self.profile_name)
    }

    /// The text value of any key of the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.profile().and_then(|p| p.get(key))
    }

    /// A key of a nested sub-section of the selected profile, e.g. `("s3", "addressing_style")`.
    pub fn get_nested(&self, section: &str, key: &str) -> Option<&str> {
        self.profile().and_then(|p| p.get_nested(section, key))
    }

    fn profile_value(&self, key: &str) -> Option<Resolved> {
        let prop = self.profile()?.property(key)?;
        Some(Resolved {
            value: prop.as_text()?.to_string(),
            source: ValueSource::Profile {
                profile: self.profile_name.clone(),
                key: key.to_string(),
                origin: prop.origin.clone(),
            },
        })
    }

    fn nested_value(&self, section: &str, key: &str) -> Option<Resolved> {
        let prop = self.profile()?.property(section)?;
        let value = prop.as_nested()?.get(key)?;
        Some(Resolved {
            value: value.clone(),
            source: ValueSource::Profile {
                profile: self.profile_name.clone(),
                key: format!("{section}.{key}"),
                origin: prop.origin.clone(),
            },
        })
    }

    /// Resolves a setting generically: the explicit value for `logical`, then each of `env_vars`
    /// in order, then `profile_key` of the selected profile.
    pub fn resolve(
        &self,
        logical: &str,
        env_vars: &[&str],
        profile_key: Option<&str>,
    ) -> Option<Resolved> {
        if let Some(v) = self.overrides.get(logical) {
            return Some(Resolved {
                value: v.clone(),
                source: ValueSource::Explicit(logical.to_string()),
            });
        }
        for var in env_vars {
            if let Some(v) = self.env.get(var) {
                return Some(Resolved {
                    value: v,
                    source: ValueSource::Env(var.to_string()),
                });
            }
        }
        profile_key.and_then(|k| self.profile_value(k))
    }

    fn resolve_bool(
        &self,
        logical: &str,
        env_vars: &[&str],
        key: &str,
    ) -> Result<Option<bool>, ConfigError> {
        self.resolve(logical, env_vars, Some(key))
            .map(|r| r.to_bool())
            .transpose()
    }

    /// The region: explicit, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    ///
    /// botocore itself only reads `AWS_DEFAULT_REGION`; `AWS_REGION` is honoured first here as the
    /// other AWS SDKs and the AWS CLI v2 do.
    ///
    /// The region must be a DNS label ([`crate::endpoint::is_valid_region_name`], botocore's
    /// `validate_region_name`): it becomes part of host names, so `attacker.example#` would
    /// send signed requests elsewhere.
    pub fn region(&self) -> Result<Option<String>, ConfigError> {
        let Some(r) = self.resolve(
            "region",
            &["AWS_REGION", "AWS_DEFAULT_REGION"],
            Some("region"),
        ) else {
            return Ok(None);
        };
        if !crate::endpoint::is_valid_region_name(&r.value) {
            return Err(r.invalid(crate::endpoint::REGION_NAME_RULE));
        }
        Ok(Some(r.value))
    }

    /// `max_attempts`: explicit, `AWS_MAX_ATTEMPTS`, profile `max_attempts` (no default here:
    /// the retry handler has its own).
    pub fn max_attempts(&self) -> Result<Option<u32>, ConfigError> {
        self.resolve("max_attempts", &["AWS_MAX_ATTEMPTS"], Some("max_attempts"))
            .map(|r| r.to_u32())
            .transpose()
    }

    /// `retry_mode`: explicit, `AWS_RETRY_MODE`, profile `retry_mode`, default `standard`.
    pub fn retry_mode(&self) -> Result<RetryMode, ConfigError> {
        let Some(r) = self.resolve("retry_mode", &["AWS_RETRY_MODE"], Some("retry_mode")) else {
            return Ok(RetryMode::Standard);
        };
        match r.value.trim().to_ascii_lowercase().as_str() {
            "legacy" => Ok(RetryMode::Legacy),
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            _ => Err(r.invalid("one of legacy, standard, adaptive")),
        }
    }

    /// `ignore_configured_endpoint_urls`: explicit, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, profile
    /// key; `false` when unset.
    pub fn ignore_configured_endpoint_urls(&self) -> Result<bool, ConfigError> {
        Ok(self
            .resolve_bool(
                "ignore_configured_endpoint_urls",
                &["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
                "ignore_configured_endpoint_urls",
            )?
            .unwrap_or(false))
    }

    /// The environment-variable / config-key form of a model `serviceId`: spaces and hyphens
    /// become underscores (`"Elastic Beanstalk"` -> `"Elastic_Beanstalk"`).
    pub fn service_id_key(service_id: &str) -> String {
        service_id
            .trim()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect()
    }

    /// The configured endpoint URL for the service whose model `serviceId` is `service_id`, in
    /// botocore's `ConfiguredEndpointProvider` order:
    /// 1. explicit `endpoint_url`;
    /// 2. (everything below is skipped when [`Self::ignore_configured_endpoint_urls`] is true)
    ///    `AWS_ENDPOINT_URL_<SERVICE>` (`S3` -> `AWS_ENDPOINT_URL_S3`,
    ///    `Elastic Beanstalk` -> `AWS_ENDPOINT_URL_ELASTIC_BEANSTALK`);
    /// 3. `AWS_ENDPOINT_URL`;
    /// 4. `endpoint_url` in the `<service>` sub-section of the `[services NAME]` section the
    ///    profile's `services = NAME` points to (a missing section is an error);
    /// 5. the profile's own `endpoint_url`.
    pub fn endpoint_url(&self, service_id: &str) -> Result<Option<String>, ConfigError> {
        if let Some(v) = self.overrides.get("endpoint_url") {
            return Ok(Some(v.clone()));
        }
        if self.ignore_configured_endpoint_urls()? {
            return Ok(None);
        }
        let key = Self::service_id_key(service_id);
        let service_var = format!("AWS_ENDPOINT_URL_{}", key.to_uppercase());
        if let Some(v) = self.env.get(&service_var) {
            return Ok(Some(v));
        }
        if let Some(v) = self.env.get("AWS_ENDPOINT_URL") {
            return Ok(Some(v));
        }
        if let Some(services) = self.get("services") {
            let section = self.files.services(services).filter(|s| !s.is_empty());
            let Some(section) = section else {
                return Err(ConfigError::ServicesSectionNotFound {
                    profile: self.profile_name.clone(),
                    services: services.to_string(),
                    file: self.files.config_path().to_path_buf(),
                });
            };
            if let Some(url) = section
                .get_nested(&key.to_lowercase(), "endpoint_url")
                .filter(|u| !u.is_empty())
            {
                return Ok(Some(url.to_string()));
            }
        }
        Ok(self
            .get("endpoint_url")
            .filter(|u| !u.is_empty())
            .map(str::to_string))
    }

    /// `use_dualstack_endpoint`: explicit, `AWS_USE_DUALSTACK_ENDPOINT`, profile key.
    pub fn use_dualstack_endpoint(&self) -> Result<Option<bool>, ConfigError> {
        self.resolve_bool(
            "use_dualstack_endpoint",
            &["AWS_USE_DUALSTACK_ENDPOINT"],
            "use_dualstack_endpoint",
        )
    }

    /// `use_fips_endpoint`: explicit, `AWS_USE_FIPS_ENDPOINT`, profile key.
    pub fn use_fips_endpoint(&self) -> Result<Option<bool>, ConfigError> {
        self.resolve_bool(
            "use_fips_endpoint",
            &["AWS_USE_FIPS_ENDPOINT"],
            "use_fips_endpoint",
        )
    }

    /// `ca_bundle`: explicit, `AWS_CA_BUNDLE`, profile `ca_bundle`.
    pub fn ca_bundle(&self) -> Result<Option<PathBuf>, ConfigError> {
        Ok(self
            .resolve("ca_bundle", &["AWS_CA_BUNDLE"], Some("ca_bundle"))
            .map(|r| PathBuf::from(r.value)))
    }

    /// `verify`: whether TLS certificates are checked (botocore's `verify`, a client argument,
    /// never read from the environment or a profile). `false` skips the check.
    pub fn verify(&self) -> Result<Option<bool>, ConfigError> {
        self.resolve("verify", &[], None)
            .map(|r| r.to_bool())
            .transpose()
    }

    /// The data folders to search for service models, in botocore's order: each entry of
    /// `data_path` (explicit, `AWS_DATA_PATH`, profile `data_path`; split on the platform's path
    /// separator, `:` on Unix, each with `$VAR` and `~` expanded), then [`Self::models_dir`].
    pub fn data_path(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> =
            match self.resolve("data_path", &["AWS_DATA_PATH"], Some("data_path")) {
                Some(r) => std::env::split_paths(&r.value)
                    .filter(|p| !p.as_os_str().is_empty())
                    .map(|p| self.env.expand_path(&p.to_string_lossy()))
                    .collect(),
                None => Vec::new(),
            };
        dirs.extend(self.models_dir());
        dirs
    }

    /// `~/.aws/models` (home from the [`Env`]), always searched after the `data_path` entries.
    pub fn models_dir(&self) -> Option<PathBuf> {
        self.env.home_dir().map(|h| h.join(".aws").join("models"))
    }

    /// A key of the profile's `s3` sub-section (botocore's `s3` config), e.g.
    /// `"use_accelerate_endpoint"`.
    pub fn s3_setting(&self, key: &str) -> Option<&str> {
        self.get_nested("s3", key)
    }

    /// A boolean key of the profile's `s3` sub-section.
    pub fn s3_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        self.nested_value("s3", key)
            .map(|r| r.to_bool())
            .transpose()
    }

    /// `s3.addressing_style`: explicit `s3.addressing_style`, then the profile's `s3` block.
    pub fn s3_addressing_style(&self) -> Result<Option<AddressingStyle>, ConfigError> {
        let r = match self.overrides.get("s3.addressing_style") {
            Some(v) => Some(Resolved {
                value: v.clone(),
                source: ValueSource::Explicit("s3.addressing_style".into()),
            }),
            None => self.nested_value("s3", "addressing_style"),
        };
        let Some(r) = r else { return Ok(None) };
        match r.value.trim() {
            "auto" => Ok(Some(AddressingStyle::Auto)),
            "virtual" => Ok(Some(AddressingStyle::Virtual)),
            "path" => Ok(Some(AddressingStyle::Path)),
            _ => Err(r.invalid("one of auto, virtual, path")),
        }
    }

    /// `connect_timeout` (seconds): explicit, then the profile key (botocore treats it as client
    /// config; here it is offered as an optional profile value).
    pub fn connect_timeout(&self) -> Result<Option<Duration>, ConfigError> {
        self.resolve("connect_timeout", &[], Some("connect_timeout"))
            .map(|r| r.to_timeout())
            .transpose()
    }

    /// `read_timeout` (seconds): explicit, then the profile key.
    pub fn read_timeout(&self) -> Result<Option<Duration>, ConfigError> {
        self.resolve("read_timeout", &[], Some("read_timeout"))
            .map(|r| r.to_timeout())
            .transpose()
    }

    /// `max_pool_connections`: explicit only (botocore's client `Config`), at least 1.
    pub fn max_pool_connections(&self) -> Result<Option<usize>, ConfigError> {
        self.resolve("max_pool_connections", &[], None)
            .map(|r| match r.to_u32() {
                Ok(n) if n >= 1 => Ok(n as usize),
                _ => Err(r.invalid("a whole number of connections, at least 1")),
            })
            .transpose()
    }

    /// `metadata_service_timeout`: `AWS_METADATA_SERVICE_TIMEOUT`, profile key, default 1 s.
    pub fn metadata_service_timeout(&self) -> Result<Duration, ConfigError> {
        Ok(self
            .resolve(
                "metadata_service_timeout",
                &["AWS_METADATA_SERVICE_TIMEOUT"],
                Some("metadata_service_timeout"),
            )
            .map(|r| r.to_timeout())
            .transpose()?
            .unwrap_or(Duration::from_secs(1)))
    }

    /// `metadata_service_num_attempts`: `AWS_METADATA_SERVICE_NUM_ATTEMPTS`, profile key,
    /// default 1.
    pub fn metadata_service_num_attempts(&self) -> Result<u32, ConfigError> {
        Ok(self
            .resolve(
                "metadata_service_num_attempts",
                &["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
                Some("metadata_service_num_attempts"),
            )
            .map(|r| r.to_u32())
            .transpose()?
            .unwrap_or(1))
    }

    /// `ec2_metadata_service_endpoint`: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, profile key.
    pub fn ec2_metadata_service_endpoint(&self) -> Option<String> {
        self.resolve(
            "ec2_metadata_service_endpoint",
            &["AWS_EC2_METADATA_SERVICE_ENDPOINT"],
            Some("ec2_metadata_service_endpoint"),
        )
        .map(|r| r.value)
    }

    /// The IMDS endpoint mode: `ec2_metadata_service_endpoint_mode`
    /// (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE`, profile key; `ipv4`/`ipv6`, any case), else
    /// `imds_use_ipv6` (`AWS_IMDS_USE_IPV6`, profile key), else IPv4.
    pub fn ec2_metadata_service_endpoint_mode(&self) -> Result<ImdsEndpointMode, ConfigError> {
        if let Some(r) = self.resolve(
            "ec2_metadata_service_endpoint_mode",
            &["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
            Some("ec2_metadata_service_endpoint_mode"),
        ) {
            return match r.value.trim().to_ascii_lowercase().as_str() {
                "ipv4" => Ok(ImdsEndpointMode::Ipv4),
                "ipv6" => Ok(ImdsEndpointMode::Ipv6),
                _ => Err(r.invalid("ipv4 or ipv6")),
            };
        }
        let v6 = self.resolve_bool("imds_use_ipv6", &["AWS_IMDS_USE_IPV6"], "imds_use_ipv6")?;
        Ok(if v6 == Some(true) {
            ImdsEndpointMode::Ipv6
        } else {
            ImdsEndpointMode::Ipv4
        })
    }

    /// `ec2_metadata_v1_disabled`: `AWS_EC2_METADATA_V1_DISABLED`, profile key, default false.
    pub fn ec2_metadata_v1_disabled(&self) -> Result<bool, ConfigError> {
        Ok(self
            .resolve_bool(
                "ec2_metadata_v1_disabled",
                &["AWS_EC2_METADATA_V1_DISABLED"],
                "ec2_metadata_v1_disabled",
            )?
            .unwrap_or(false))
    }

    /// `AWS_EC2_METADATA_DISABLED` (environment only): true when it is `true` in any case; any
    /// other value leaves IMDS enabled, as in botocore.
    pub fn ec2_metadata_disabled(&self) -> bool {
        self.env
            .get("AWS_EC2_METADATA_DISABLED")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests;
