//! Static keys from the shared files, and detection of profile features whose providers live in
//! the client layer (assume-role, web identity, SSO, login).

use super::{ChainSlot, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::config::{Env, Section, SharedFiles};
use std::path::Path;
use std::sync::Arc;

fn static_keys(
    name: &'static str,
    section: &Section,
    profile: &str,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(access) = section.get("aws_access_key_id") else {
        return Ok(None);
    };
    let Some(secret) = section.get("aws_secret_access_key") else {
        return Err(CredentialsError::InvalidProfile {
            file: section
                .property("aws_access_key_id")
                .map(|p| p.origin.file.as_ref().clone()),
            profile: profile.to_string(),
            key: Some("aws_secret_access_key".into()),
            message: "aws_access_key_id is set but aws_secret_access_key is missing".into(),
        });
    };
    let token = section
        .get("aws_security_token")
        .or_else(|| section.get("aws_session_token"))
        .map(str::to_string);
    Ok(Some(
        Credentials::new(access, secret, token, None, name)
            .with_account_id(section.get("aws_account_id").map(str::to_string)),
    ))
}

fn missing_reason(exists: bool, path: &Path, profile: &str, what: &str) -> String {
    if exists {
        format!("no {what} for profile {profile:?} in {}", path.display())
    } else {
        format!("no readable file at {}", path.display())
    }
}

/// Which shared file a static-keys provider reads.
#[derive(Debug, Clone, Copy)]
enum SharedFile {
    Credentials,
    Config,
}

impl SharedFile {
    fn provider_name(self) -> &'static str {
        match self {
            SharedFile::Credentials => "shared-credentials-file",
            SharedFile::Config => "config-file",
        }
    }
}

/// The static keys of `profile` in one of the shared files.
fn load_static(
    files: &SharedFiles,
    profile: &str,
    which: SharedFile,
) -> Result<Credentials, CredentialsError> {
    let name = which.provider_name();
    let (section, exists, path) = match which {
        SharedFile::Credentials => (
            files.credentials_file_profile(profile),
            files.has_credentials_file(),
            files.credentials_path(),
        ),
        SharedFile::Config => (
            files.config_file_profile(profile),
            files.has_config_file(),
            files.config_path(),
        ),
    };
    match section.map(|s| static_keys(name, s, profile)).transpose()? {
        Some(Some(c)) => Ok(c),
        _ => Err(CredentialsError::not_found(
            name,
            missing_reason(exists, path, profile, "aws_access_key_id"),
        )),
    }
}

/// Static keys (`aws_access_key_id`, `aws_secret_access_key`, `aws_security_token` or
/// `aws_session_token`, `aws_account_id`) of a `[NAME]` section of the shared credentials file,
/// like botocore's `SharedCredentialProvider`.
#[derive(Debug, Clone)]
pub struct SharedCredentialsFileProvider {
    files: Arc<SharedFiles>,
    profile: String,
}

impl SharedCredentialsFileProvider {
    /// Reads `profile` from `files`.
    pub fn new(files: Arc<SharedFiles>, profile: impl Into<String>) -> Self {
        SharedCredentialsFileProvider {
            files,
            profile: profile.into(),
        }
    }

    /// Loads synchronously.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        load_static(&self.files, &self.profile, SharedFile::Credentials)
    }
}

impl ProvideCredentials for SharedCredentialsFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }

    fn name(&self) -> &'static str {
        SharedFile::Credentials.provider_name()
    }
}

/// Static keys of a profile of the config file alone, like botocore's `ConfigProvider`.
#[derive(Debug, Clone)]
pub struct ConfigFileProvider {
    files: Arc<SharedFiles>,
    profile: String,
}

impl ConfigFileProvider {
    /// Reads `profile` from `files`.
    pub fn new(files: Arc<SharedFiles>, profile: impl Into<String>) -> Self {
        ConfigFileProvider {
            files,
            profile: profile.into(),
        }
    }

    /// Loads synchronously.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        load_static(&self.files, &self.profile, SharedFile::Config)
    }
}

impl ProvideCredentials for ConfigFileProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }

    fn name(&self) -> &'static str {
        SharedFile::Config.provider_name()
    }
}

/// A credential feature a profile (or the environment) selects whose provider is not part of this
/// module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileFeature {
    /// `role_arn` without `web_identity_token_file`: assume-role (botocore's
    /// `AssumeRoleProvider`); `source_profile` / `credential_source` say where the base
    /// credentials come from.
    AssumeRole {
        /// The role to assume.
        role_arn: String,
        /// The MFA device, when the profile names one.
        mfa_serial: Option<String>,
    },
    /// `web_identity_token_file` (profile) or `AWS_WEB_IDENTITY_TOKEN_FILE` (environment).
    WebIdentity {
        /// True when it came from the environment.
        from_env: bool,
    },
    /// `sso_role_name` / `sso_account_id` (optionally with `sso_session`).
    Sso,
    /// `login_session`.
    Login,
}

/// What `slot` would have to handle for `profile`, if anything: the same tests botocore's
/// providers use to decide whether they apply. `env` is consulted for web identity unless
/// `None` (botocore ignores the environment when the profile was chosen explicitly).
pub fn detect_profile_feature(
    slot: ChainSlot,
    profile: Option<&Section>,
    env: Option<&Env>,
) -> Option<ProfileFeature> {
    let get = |k: &str| profile.and_then(|p| p.get(k));
    let has = |k: &str| profile.is_some_and(|p| p.contains(k));
    match slot {
        ChainSlot::AssumeRole => match get("role_arn") {
            Some(arn) if !has("web_identity_token_file") => Some(ProfileFeature::AssumeRole {
                role_arn: arn.to_string(),
                mfa_serial: get("mfa_serial").map(str::to_string),
            }),
            _ => None,
        },
        ChainSlot::WebIdentity => {
            if env.is_some_and(|e| e.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()) {
                Some(ProfileFeature::WebIdentity { from_env: true })
            } else if get("web_identity_token_file").is_some_and(|v| !v.is_empty()) {
                Some(ProfileFeature::WebIdentity { from_env: false })
            } else {
                None
            }
        }
        ChainSlot::Sso => {
            (has("sso_role_name") || has("sso_account_id")).then_some(ProfileFeature::Sso)
        }
        ChainSlot::Login => has("login_session").then_some(ProfileFeature::Login),
    }
}

/// The default occupant of an empty [`ChainSlot`]: when the profile uses the slot's feature it
/// fails with [`CredentialsError::NotProvided`] (or [`CredentialsError::MfaRequired`] for an
/// assume-role profile with `mfa_serial`), so the chain does not silently fall through to other
/// credentials; otherwise it does not apply.
#[derive(Debug, Clone)]
pub struct ProfileFeatureProvider {
    slot: ChainSlot,
    files: Arc<SharedFiles>,
    profile: String,
    env: Option<Env>,
}

impl ProfileFeatureProvider {
    /// Detects `slot`'s feature in `profile`; `env` as in [`detect_profile_feature`].
    pub fn new(
        slot: ChainSlot,
        files: Arc<SharedFiles>,
        profile: impl Into<String>,
        env: Option<Env>,
    ) -> Self {
        ProfileFeatureProvider {
            slot,
            files,
            profile: profile.into(),
            env,
        }
    }

    fn check(&self) -> Result<Credentials, CredentialsError> {
        let section = self.files.profile(&self.profile);
        let feature = detect_profile_feature(self.slot, section, self.env.as_ref());
        let (profile, key) = match feature {
            None => {
                return Err(CredentialsError::not_found(
                    self.slot.provider_name(),
                    format!(
                        "profile {:?} does not use {}",
                        self.profile,
                        self.slot.feature()
                    ),
                ))
            }
            Some(ProfileFeature::AssumeRole {
                mfa_serial: Some(mfa_serial),
                ..
            }) => {
                return Err(CredentialsError::MfaRequired {
                    profile: self.profile.clone(),
                    mfa_serial,
                })
            }
            Some(ProfileFeature::AssumeRole { .. }) => (self.profile.clone(), "role_arn"),
            Some(ProfileFeature::WebIdentity { from_env: true }) => {
                ("environment".to_string(), "AWS_WEB_IDENTITY_TOKEN_FILE")
            }
            Some(ProfileFeature::WebIdentity { from_env: false }) => {
                (self.profile.clone(), "web_identity_token_file")
            }
            Some(ProfileFeature::Sso) => (self.profile.clone(), "sso_role_name/sso_account_id"),
            Some(ProfileFeature::Login) => (self.profile.clone(), "login_session"),
        };
        Err(CredentialsError::NotProvided {
            slot: self.slot,
            profile,
            key: key.to_string(),
        })
    }
}

impl ProvideCredentials for ProfileFeatureProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.check()))
    }

    fn name(&self) -> &'static str {
        self.slot.provider_name()
    }
}
