//! STS `AssumeRoleWithWebIdentity`: a token file (EKS service accounts, GitHub OIDC, ...) traded
//! for role credentials. The token file is re-read on every refresh because it rotates.

use super::{call_failed, default_session_name, sts_credentials, ClientFactory};
use boto_core::config::ProfileSource;
use boto_core::credentials::{CredentialsError, ProvideCredentials, ProvideFuture};
use boto_core::doc;

const NAME: &str = "assume-role-with-web-identity";

/// Web identity from the profile (`web_identity_token_file`, `role_arn`, `role_session_name`) or
/// the environment (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`).
#[derive(Debug, Clone)]
pub struct WebIdentityProvider {
    factory: ClientFactory,
    profile: String,
}

impl WebIdentityProvider {
    /// For `profile`, with clients made by `factory`.
    pub fn new(factory: ClientFactory, profile: impl Into<String>) -> Self {
        WebIdentityProvider {
            factory,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let resolver = self.factory.resolver();
            let files = resolver.shared_files();
            let section = files.profile(&self.profile);
            let get = |k: &str| section.and_then(|s| s.get(k)).map(str::to_string);
            // As botocore: the environment counts unless the profile was chosen explicitly.
            let env = (!matches!(resolver.profile_source(), ProfileSource::Explicit))
                .then(|| resolver.env().clone());
            let from_env = |k: &str| env.as_ref().and_then(|e| e.get(k));
            let (token_file, role_arn, session_name) = match get("web_identity_token_file") {
                Some(file) => (file, get("role_arn"), get("role_session_name")),
                None => match from_env("AWS_WEB_IDENTITY_TOKEN_FILE") {
                    Some(file) => (
                        file,
                        from_env("AWS_ROLE_ARN"),
                        from_env("AWS_ROLE_SESSION_NAME"),
                    ),
                    None => {
                        return Err(CredentialsError::not_found(
                            NAME,
                            "no web_identity_token_file or AWS_WEB_IDENTITY_TOKEN_FILE",
                        ))
                    }
                },
            };
            let role_arn = role_arn.ok_or_else(|| CredentialsError::Partial {
                provider: NAME,
                missing: "role_arn / AWS_ROLE_ARN".into(),
            })?;
            let path = resolver.env().expand_path(&token_file);
            let token = tokio::fs::read_to_string(&path).await.map_err(|e| {
                CredentialsError::ProviderFailed {
                    provider: NAME,
                    message: format!("cannot read the web identity token file {}", path.display()),
                    source: Some(Box::new(e)),
                }
            })?;
            let sts = self
                .factory
                .client("sts", NAME, None, get("region").as_deref())?;
            let input = doc! {
                "RoleArn": role_arn.as_str(),
                "RoleSessionName": session_name.unwrap_or_else(default_session_name),
                "WebIdentityToken": token.trim(),
            };
            let resp = sts
                .call("AssumeRoleWithWebIdentity", input)
                .await
                .map_err(|e| call_failed(NAME, "sts:AssumeRoleWithWebIdentity", e))?;
            sts_credentials(NAME, &resp)
        })
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
