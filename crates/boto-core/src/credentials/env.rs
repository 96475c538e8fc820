//! [`EnvironmentProvider`]: `AWS_ACCESS_KEY_ID` and friends.

use super::{time, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::config::Env;

const NAME: &str = "env";

/// Credentials from the environment, as botocore's `EnvProvider` reads them:
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, the token from `AWS_SECURITY_TOKEN` or else
/// `AWS_SESSION_TOKEN` (botocore's order), `AWS_CREDENTIAL_EXPIRATION` (RFC 3339) and
/// `AWS_ACCOUNT_ID`. Without an access key id it does not apply; with one but no secret it is an
/// error.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads from `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    /// Loads synchronously.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(access) = self.env.get("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_found(
                NAME,
                "AWS_ACCESS_KEY_ID is not set",
            ));
        };
        let Some(secret) = self.env.get("AWS_SECRET_ACCESS_KEY") else {
            return Err(CredentialsError::Partial {
                provider: NAME,
                missing: "AWS_SECRET_ACCESS_KEY".into(),
            });
        };
        let token = self
            .env
            .get("AWS_SECURITY_TOKEN")
            .or_else(|| self.env.get("AWS_SESSION_TOKEN"));
        let expiry = match self.env.get("AWS_CREDENTIAL_EXPIRATION") {
            None => None,
            Some(raw) => Some(time::parse_rfc3339(&raw).ok_or_else(|| {
                CredentialsError::failed(
                    NAME,
                    format!("AWS_CREDENTIAL_EXPIRATION {raw:?} is not an RFC 3339 timestamp"),
                )
            })?),
        };
        Ok(Credentials::new(access, secret, token, expiry, NAME)
            .with_account_id(self.env.get("AWS_ACCOUNT_ID")))
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(std::future::ready(self.load()))
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
