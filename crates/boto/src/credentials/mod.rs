//! Credential providers that call AWS themselves: STS `AssumeRole` (role profiles, including
//! `source_profile` chains and `credential_source`), STS `AssumeRoleWithWebIdentity`, and IAM
//! Identity Center (SSO) `GetRoleCredentials`.
//!
//! They sit above the call pipeline and use it like any client (botocore injects a client creator
//! the same way), so `boto_core::credentials` never depends on the pipeline that depends on it.
//! [`install`] puts them into their slots of the default chain.

mod assume_role;
mod sso;
mod web_identity;

use boto_core::client::{ClientConfig, SdkError, ServiceClient};
use boto_core::config::ConfigResolver;
use boto_core::credentials::{
    ChainSlot, Credentials, CredentialsError, DefaultChainBuilder, ProvideCredentials,
};
use boto_core::document::Document;
use boto_core::http::HttpClient;
use std::sync::Arc;
use std::time::SystemTime;

pub use assume_role::AssumeRoleProvider;
pub use sso::{SsoProvider, SsoTokenProvider};
pub use web_identity::WebIdentityProvider;

/// What the providers need to make their own clients: the session's config and transport.
#[derive(Clone, Debug)]
pub struct ClientFactory {
    resolver: ConfigResolver,
    http: HttpClient,
    region: Option<String>,
}

impl ClientFactory {
    /// A factory over a session's resolved config and transport.
    pub fn new(resolver: ConfigResolver, http: HttpClient, region: Option<String>) -> Self {
        ClientFactory {
            resolver,
            http,
            region,
        }
    }

    /// The config in use.
    pub fn resolver(&self) -> &ConfigResolver {
        &self.resolver
    }

    /// A client for `service` signed with `credentials` (or unsigned), in `region` or the
    /// session's region.
    fn client(
        &self,
        service: &'static str,
        provider: &'static str,
        credentials: Option<Arc<dyn ProvideCredentials>>,
        region: Option<&str>,
    ) -> Result<ServiceClient, CredentialsError> {
        let model = boto_core::model::ServiceModel::load(service).map_err(|e| {
            CredentialsError::failed(
                provider,
                format!("{service} is not available in this build: {e}"),
            )
        })?;
        let mut config = ClientConfig::new(self.http.clone());
        config.region = region
            .map(str::to_string)
            .or_else(|| self.region.clone())
            .or_else(|| Some("us-east-1".to_string()));
        config.endpoint_url = self
            .resolver
            .endpoint_url(&model.metadata().service_id)
            .map_err(CredentialsError::Config)?;
        config.credentials = credentials;
        Ok(ServiceClient::from_model(model, config))
    }
}

/// Installs the assume-role, web-identity and SSO providers into their chain slots.
pub fn install(builder: DefaultChainBuilder, factory: &ClientFactory) -> DefaultChainBuilder {
    let profile = factory.resolver.profile_name().to_string();
    builder
        .provider_at(
            ChainSlot::AssumeRole,
            Arc::new(AssumeRoleProvider::new(factory.clone(), profile.clone())),
        )
        .provider_at(
            ChainSlot::WebIdentity,
            Arc::new(WebIdentityProvider::new(factory.clone(), profile.clone())),
        )
        .provider_at(
            ChainSlot::Sso,
            Arc::new(SsoProvider::new(factory.clone(), profile)),
        )
}

fn call_failed(provider: &'static str, what: &str, e: SdkError) -> CredentialsError {
    CredentialsError::ProviderFailed {
        provider,
        message: format!("{what} failed"),
        source: Some(Box::new(e)),
    }
}

/// Reads STS's `Credentials` structure.
fn sts_credentials(
    provider: &'static str,
    resp: &Document,
) -> Result<Credentials, CredentialsError> {
    let c = &resp["Credentials"];
    let (Some(akid), Some(secret)) = (c["AccessKeyId"].as_str(), c["SecretAccessKey"].as_str())
    else {
        return Err(CredentialsError::failed(
            provider,
            "the STS response carries no credentials",
        ));
    };
    let expiry = c["Expiration"].as_timestamp().map(SystemTime::from);
    let account = resp["AssumedRoleUser"]["Arn"]
        .as_str()
        .and_then(|arn| arn.split(':').nth(4))
        .filter(|a| !a.is_empty())
        .map(str::to_string);
    Ok(Credentials::new(
        akid,
        secret,
        c["SessionToken"].as_str().map(str::to_string),
        expiry,
        provider,
    )
    .with_account_id(account))
}

/// botocore's default role session name.
fn default_session_name() -> String {
    let secs = SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("botocore-session-{secs}")
}
