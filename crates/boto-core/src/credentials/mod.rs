//! AWS credentials: the [`Credentials`] value, the [`ProvideCredentials`] trait, the providers
//! botocore ships (environment, shared files, `credential_process`, container, EC2 instance
//! metadata), botocore's default chain ([`DefaultChainBuilder`]) and a refreshing cache
//! ([`RefreshingProvider`]).
//!
//! Secrets (secret access key, session token, `credential_process` output, container
//! authorization token) never appear in `Debug`, `Display`, errors or logs.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use boto_core::config::{ConfigResolver, Env};
//! use boto_core::credentials::{DefaultChainBuilder, ProvideCredentials};
//! let config = ConfigResolver::load(Env::real())?;
//! let provider = DefaultChainBuilder::new(config).build_cached()?;
//! let creds = provider.provide_credentials().await?;
//! println!("{creds:?}"); // access key id only
//! # Ok(()) }
//! ```

mod cache;
mod chain;
mod container;
mod env;
mod http;
mod imds;
mod process;
mod profile;
pub mod time;

pub use cache::RefreshingProvider;
pub use chain::{ChainSlot, DefaultChainBuilder, ProviderChain};
pub use container::ContainerProvider;
pub use env::EnvironmentProvider;
pub use imds::ImdsProvider;
pub use process::ProcessProvider;
pub use profile::{
    detect_profile_feature, ConfigFileProvider, ProfileFeature, ProfileFeatureProvider,
    SharedCredentialsFileProvider,
};

use crate::config::ConfigError;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// A set of AWS credentials.
///
/// `Debug` shows the access key id, provider and expiry; the secret key and session token are
/// always redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    // Shared: every signing takes a copy of the credentials, which should not copy the strings.
    keys: Arc<Keys>,
    expiry: Option<SystemTime>,
    provider_name: &'static str,
}

#[derive(Clone, PartialEq, Eq)]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    account_id: Option<String>,
}

impl Credentials {
    /// Credentials from their parts; `provider_name` says where they came from (e.g. `"env"`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Credentials {
            keys: Arc::new(Keys {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                account_id: None,
            }),
            expiry,
            provider_name,
        }
    }

    /// Explicit, non-expiring credentials (provider name `"explicit"`).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            "explicit",
        )
    }

    /// Sets the account id the credentials belong to.
    pub fn with_account_id(mut self, account_id: Option<String>) -> Self {
        Arc::make_mut(&mut self.keys).account_id = account_id;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.keys.access_key_id
    }

    /// The secret access key. Handle with care: never log it.
    pub fn secret_access_key(&self) -> &str {
        &self.keys.secret_access_key
    }

    /// The session token of temporary credentials. Never log it.
    pub fn session_token(&self) -> Option<&str> {
        self.keys.session_token.as_deref()
    }

    /// When the credentials expire (`None`: they do not).
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Which provider produced them (botocore's method names: `env`, `shared-credentials-file`,
    /// `config-file`, `custom-process`, `container-role`, `iam-role`, `explicit`, ...).
    pub fn provider_name(&self) -> &'static str {
        self.provider_name
    }

    /// The account id, when the source reported one.
    pub fn account_id(&self) -> Option<&str> {
        self.keys.account_id.as_deref()
    }

    /// True when the credentials expire at or before `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expiry.is_some_and(|e| e <= now)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Credentials");
        d.field("provider_name", &self.provider_name)
            .field("access_key_id", &self.keys.access_key_id)
            .field("secret_access_key", &"** redacted **");
        if self.keys.session_token.is_some() {
            d.field("session_token", &"** redacted **");
        }
        if let Some(e) = self.expiry {
            d.field("expiry", &time::format_rfc3339(e));
        }
        if let Some(a) = &self.keys.account_id {
            d.field("account_id", a);
        }
        d.finish()
    }
}

/// The future [`ProvideCredentials::provide_credentials`] returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Something that can produce credentials; usable as `Arc<dyn ProvideCredentials>`.
///
/// A provider that does not apply (its variables or profile keys are absent) returns
/// [`CredentialsError::NotFound`] so a chain moves on; any other error stops the chain.
pub trait ProvideCredentials: Send + Sync {
    /// Produces credentials.
    fn provide_credentials(&self) -> ProvideFuture<'_>;

    /// Credentials at hand without waiting (static keys, a cache's still-fresh copy), which the
    /// same call of [`Self::provide_credentials`] would return. The signer asks this first, so
    /// the usual request skips building a future; `None` (the default) means "ask
    /// `provide_credentials`".
    fn ready_credentials(&self) -> Option<Credentials> {
        None
    }

    /// A short name for chain listings and errors.
    fn name(&self) -> &'static str {
        "custom"
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(Ok(self.clone())))
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        Some(self.clone())
    }

    fn name(&self) -> &'static str {
        self.provider_name
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }

    fn ready_credentials(&self) -> Option<Credentials> {
        (**self).ready_credentials()
    }

    fn name(&self) -> &'static str {
        (**self).name()
    }
}

/// One source a chain (or provider) looked at without finding credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTried {
    /// The provider's name.
    pub provider: &'static str,
    /// Why it had nothing, e.g. `AWS_ACCESS_KEY_ID is not set`.
    pub reason: String,
}

/// Why credentials could not be provided. `Display` never includes secrets.
#[derive(Debug)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No source had credentials; lists every source tried.
    NotFound {
        /// The sources tried, in order.
        tried: Vec<SourceTried>,
    },
    /// A profile is configured wrongly.
    InvalidProfile {
        /// The file holding the bad key, when known.
        file: Option<PathBuf>,
        /// The profile.
        profile: String,
        /// The key at fault, when one is.
        key: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// Some but not all of a credential set was found (e.g. an access key id without a secret).
    Partial {
        /// The provider.
        provider: &'static str,
        /// The missing variable or key.
        missing: String,
    },
    /// The profile needs an MFA code (assume-role with `mfa_serial`), which is not supported.
    MfaRequired {
        /// The profile.
        profile: String,
        /// The MFA device ARN it names.
        mfa_serial: String,
    },
    /// The profile uses a feature whose provider lives in the client layer (assume-role, web
    /// identity, SSO, login) and none was installed at its [`ChainSlot`].
    NotProvided {
        /// The slot that would handle it.
        slot: ChainSlot,
        /// The profile (or `environment` for web identity from environment variables).
        profile: String,
        /// The key that selects the feature (`role_arn`, `web_identity_token_file`, ...).
        key: String,
    },
    /// A provider applied but failed.
    ProviderFailed {
        /// The provider.
        provider: &'static str,
        /// What went wrong (never secret material).
        message: String,
        /// The underlying error, when there is one.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Configuration needed to build a provider is invalid.
    Config(ConfigError),
}

impl CredentialsError {
    /// A `NotFound` with a single entry.
    pub fn not_found(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::NotFound {
            tried: vec![SourceTried {
                provider,
                reason: reason.into(),
            }],
        }
    }

    /// A `ProviderFailed` without a source.
    pub fn failed(provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError::ProviderFailed {
            provider,
            message: message.into(),
            source: None,
        }
    }

    /// True for [`CredentialsError::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, CredentialsError::NotFound { .. })
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound { tried } => {
                f.write_str("unable to locate credentials")?;
                if !tried.is_empty() {
                    f.write_str("; tried: ")?;
                    for (i, t) in tried.iter().enumerate() {
                        if i > 0 {
                            f.write_str("; ")?;
                        }
                        write!(f, "{} ({})", t.provider, t.reason)?;
                    }
                }
                Ok(())
            }
            CredentialsError::InvalidProfile {
                file,
                profile,
                key,
                message,
            } => {
                write!(f, "invalid profile {profile:?}")?;
                if let Some(k) = key {
                    write!(f, ", key {k:?}")?;
                }
                if let Some(file) = file {
                    write!(f, " in {}", file.display())?;
                }
                write!(f, ": {message}")
            }
            CredentialsError::Partial { provider, missing } => {
                write!(f, "partial credentials found in {provider}, missing: {missing}")
            }
            CredentialsError::MfaRequired {
                profile,
                mfa_serial,
            } => write!(
                f,
                "profile {profile:?} requires an MFA code for {mfa_serial}; MFA prompts are not supported"
            ),
            CredentialsError::NotProvided { slot, profile, key } => write!(
                f,
                "profile {profile:?} uses {key}; {} is provided by the client layer and no provider was installed",
                slot.feature()
            ),
            CredentialsError::ProviderFailed {
                provider,
                message,
                source,
            } => {
                write!(f, "{provider}: {message}")?;
                if let Some(s) = source {
                    write!(f, ": {s}")?;
                }
                Ok(())
            }
            CredentialsError::Config(e) => write!(f, "{e}"),
        }
    }
}

/// Transparent: `Display` already shows the message of a wrapped error (a provider's cause, a
/// config problem), so `source()` continues the chain below it rather than repeating it; the
/// wrapped error keeps its type in the variant.
impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CredentialsError::ProviderFailed {
                source: Some(s), ..
            } => s.source(),
            CredentialsError::Config(e) => e.source(),
            _ => None,
        }
    }
}

impl From<ConfigError> for CredentialsError {
    fn from(e: ConfigError) -> Self {
        CredentialsError::Config(e)
    }
}

#[cfg(test)]
mod tests;
