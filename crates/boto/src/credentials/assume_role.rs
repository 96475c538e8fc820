//! STS `AssumeRole` for profiles with `role_arn`: the source credentials come from
//! `source_profile` (static keys, `credential_process`, web identity, SSO, or another role
//! profile, recursively) or from `credential_source` (Environment, Ec2InstanceMetadata, EcsContainer).

use super::{call_failed, default_session_name, sts_credentials, ClientFactory};
use crate::credentials::{SsoProvider, WebIdentityProvider};
use boto_core::credentials::{
    ConfigFileProvider, ContainerProvider, Credentials, CredentialsError, EnvironmentProvider,
    ImdsProvider, ProcessProvider, ProvideCredentials, ProvideFuture,
    SharedCredentialsFileProvider,
};
use boto_core::doc;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

const NAME: &str = "assume-role";

/// Assumes the role of a `role_arn` profile.
#[derive(Debug, Clone)]
pub struct AssumeRoleProvider {
    factory: ClientFactory,
    profile: String,
}

impl AssumeRoleProvider {
    /// For `profile`, with clients made by `factory`.
    pub fn new(factory: ClientFactory, profile: impl Into<String>) -> Self {
        AssumeRoleProvider {
            factory,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let section = self.factory.resolver().files().profile(&self.profile);
            let applies = section.is_some_and(|s| {
                s.get("role_arn").is_some() && s.get("web_identity_token_file").is_none()
            });
            if !applies {
                return Err(CredentialsError::not_found(
                    NAME,
                    format!("profile {:?} has no role_arn", self.profile),
                ));
            }
            assume(&self.factory, &self.profile, Vec::new()).await
        })
    }

    fn name(&self) -> &'static str {
        NAME
    }
}

fn invalid(
    factory: &ClientFactory,
    profile: &str,
    key: &str,
    message: impl Into<String>,
) -> CredentialsError {
    CredentialsError::InvalidProfile {
        file: Some(factory.resolver().files().config_path().to_path_buf()),
        profile: profile.to_string(),
        key: Some(key.to_string()),
        message: message.into(),
    }
}

type BoxedCreds<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// Assumes `profile`'s role; `visited` holds the role profiles already on the path (cycles fail).
fn assume<'a>(
    factory: &'a ClientFactory,
    profile: &'a str,
    visited: Vec<String>,
) -> BoxedCreds<'a> {
    Box::pin(async move {
        let files = factory.resolver().shared_files();
        let section = files.profile(profile).ok_or_else(|| {
            invalid(
                factory,
                profile,
                "source_profile",
                format!("profile {profile:?} does not exist"),
            )
        })?;
        let role_arn = section.get("role_arn").unwrap_or_default().to_string();
        if let Some(mfa_serial) = section.get("mfa_serial") {
            return Err(CredentialsError::MfaRequired {
                profile: profile.to_string(),
                mfa_serial: mfa_serial.to_string(),
            });
        }
        let source_profile = section.get("source_profile").map(str::to_string);
        let credential_source = section.get("credential_source").map(str::to_string);
        let source: Arc<dyn ProvideCredentials> = match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    factory,
                    profile,
                    "credential_source",
                    "set source_profile or credential_source, not both",
                ))
            }
            (None, None) => {
                return Err(invalid(
                    factory,
                    profile,
                    "role_arn",
                    "a role profile needs source_profile or credential_source",
                ))
            }
            (None, Some(kind)) => {
                let env = factory.resolver().env().clone();
                match kind.as_str() {
                    "Environment" => Arc::new(EnvironmentProvider::new(env)),
                    "EcsContainer" => Arc::new(ContainerProvider::new(env)),
                    "Ec2InstanceMetadata" => Arc::new(ImdsProvider::from_config(factory.resolver()).map_err(CredentialsError::Config)?),
                    other => {
                        return Err(invalid(
                            factory,
                            profile,
                            "credential_source",
                            format!("{other:?} is not one of Environment, Ec2InstanceMetadata, EcsContainer"),
                        ))
                    }
                }
            }
            (Some(sp), None) => {
                let creds = source_credentials(factory, profile, &sp, visited).await?;
                Arc::new(creds)
            }
        };
        let mut input = doc! {
            "RoleArn": role_arn.as_str(),
            "RoleSessionName": section.get("role_session_name").map(str::to_string).unwrap_or_else(default_session_name),
        };
        if let Some(id) = section.get("external_id") {
            input.set("ExternalId", id);
        }
        if let Some(d) = section.get("duration_seconds") {
            let secs: i64 = d.parse().map_err(|_| {
                invalid(
                    factory,
                    profile,
                    "duration_seconds",
                    format!("{d:?} is not a number of seconds"),
                )
            })?;
            input.set("DurationSeconds", secs);
        }
        let region = section.get("region").map(str::to_string);
        let sts = factory.client("sts", NAME, Some(source), region.as_deref())?;
        let resp = sts
            .call("AssumeRole", input)
            .await
            .map_err(|e| call_failed(NAME, "sts:AssumeRole", e))?;
        sts_credentials(NAME, &resp)
    })
}

/// The credentials of `source`, the `source_profile` of `profile`.
async fn source_credentials(
    factory: &ClientFactory,
    profile: &str,
    source: &str,
    mut visited: Vec<String>,
) -> Result<Credentials, CredentialsError> {
    let files = factory.resolver().shared_files();
    let section = files.profile(source).ok_or_else(|| {
        invalid(
            factory,
            profile,
            "source_profile",
            format!("source profile {source:?} does not exist"),
        )
    })?;
    visited.push(profile.to_string());
    let is_role = section.get("role_arn").is_some();
    if is_role && source != profile {
        if visited.iter().any(|v| v == source) {
            return Err(invalid(
                factory,
                profile,
                "source_profile",
                format!(
                    "role profiles form a cycle: {} -> {source}",
                    visited.join(" -> ")
                ),
            ));
        }
        return assume(factory, source, visited).await;
    }
    if section.get("web_identity_token_file").is_some() {
        return WebIdentityProvider::new(factory.clone(), source)
            .provide_credentials()
            .await;
    }
    if section.get("sso_role_name").is_some() || section.get("sso_account_id").is_some() {
        return SsoProvider::new(factory.clone(), source)
            .provide_credentials()
            .await;
    }
    if section.get("credential_process").is_some() {
        return ProcessProvider::new(files.clone(), source)
            .provide_credentials()
            .await;
    }
    SharedCredentialsFileProvider::new(files.clone(), source)
        .load()
        .or_else(|_| ConfigFileProvider::new(files.clone(), source).load())
        .map_err(|_| {
            invalid(
                factory,
                source,
                "aws_access_key_id",
                "the source profile has no credentials (static keys, credential_process, web identity, SSO or role)",
            )
        })
}
