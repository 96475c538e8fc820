//! [`ProviderChain`] and botocore's default chain ([`DefaultChainBuilder`]).

use super::{
    ConfigFileProvider, ContainerProvider, CredentialsError, EnvironmentProvider, ImdsProvider,
    ProcessProvider, ProfileFeatureProvider, ProvideCredentials, ProvideFuture, RefreshingProvider,
    SharedCredentialsFileProvider,
};
use crate::config::{ConfigResolver, ProfileSource};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The positions in the default chain reserved for providers that need an STS / SSO client and
/// therefore live in the client layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainSlot {
    /// `role_arn` profiles (botocore's `AssumeRoleProvider`), right after the environment.
    AssumeRole,
    /// Web identity (`web_identity_token_file` / `AWS_WEB_IDENTITY_TOKEN_FILE`).
    WebIdentity,
    /// IAM Identity Center (`sso_*` keys).
    Sso,
    /// `login_session` profiles, between the credentials file and `credential_process`.
    Login,
}

impl ChainSlot {
    /// The feature's human name.
    pub fn feature(self) -> &'static str {
        match self {
            ChainSlot::AssumeRole => "assume-role",
            ChainSlot::WebIdentity => "assume-role-with-web-identity",
            ChainSlot::Sso => "SSO",
            ChainSlot::Login => "login",
        }
    }

    /// botocore's method name for the slot's provider.
    pub fn provider_name(self) -> &'static str {
        match self {
            ChainSlot::AssumeRole => "assume-role",
            ChainSlot::WebIdentity => "assume-role-with-web-identity",
            ChainSlot::Sso => "sso",
            ChainSlot::Login => "login",
        }
    }
}

/// Tries providers in order. The first success wins and is remembered: later calls (refreshes)
/// go straight to it, falling back to the whole chain only if it stops applying. A provider's
/// `NotFound` moves on; any other error stops the chain. When nothing applies, the error lists
/// every source tried.
pub struct ProviderChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    winner: AtomicUsize,
}

impl fmt::Debug for ProviderChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderChain")
            .field("providers", &self.provider_names())
            .finish()
    }
}

impl ProviderChain {
    /// A chain of `providers`, tried in order.
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        ProviderChain {
            providers,
            winner: AtomicUsize::new(usize::MAX),
        }
    }

    /// The providers' names, in order.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }

    async fn resolve(&self) -> Result<super::Credentials, CredentialsError> {
        let winner = self.winner.load(Ordering::Acquire);
        if let Some(p) = self.providers.get(winner) {
            match p.provide_credentials().await {
                Err(e) if e.is_not_found() => {}
                other => return other,
            }
        }
        let mut tried = Vec::new();
        for (i, p) in self.providers.iter().enumerate() {
            tracing::debug!(provider = p.name(), "looking for credentials");
            match p.provide_credentials().await {
                Ok(c) => {
                    tracing::info!(provider = p.name(), "found credentials");
                    self.winner.store(i, Ordering::Release);
                    return Ok(c);
                }
                Err(CredentialsError::NotFound { tried: t }) => tried.extend(t),
                Err(e) => return Err(e),
            }
        }
        Err(CredentialsError::NotFound { tried })
    }
}

impl ProvideCredentials for ProviderChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }

    fn ready_credentials(&self) -> Option<super::Credentials> {
        let winner = self.winner.load(Ordering::Acquire);
        self.providers.get(winner)?.ready_credentials()
    }

    fn name(&self) -> &'static str {
        "chain"
    }
}

/// Builds botocore's default credential chain (`create_credential_resolver`) for the profile a
/// [`ConfigResolver`] selected:
///
/// 1. environment (`env`) — left out when the profile was chosen explicitly, as in botocore;
/// 2. [`ChainSlot::AssumeRole`];
/// 3. [`ChainSlot::WebIdentity`];
/// 4. [`ChainSlot::Sso`];
/// 5. shared credentials file (`shared-credentials-file`);
/// 6. [`ChainSlot::Login`];
/// 7. `credential_process` (`custom-process`);
/// 8. config file static keys (`config-file`);
/// 9. container (`container-role`);
/// 10. EC2 instance metadata (`iam-role`).
///
/// (botocore's legacy `AWS_CREDENTIAL_FILE` and boto2 config providers are not included.)
///
/// A slot without an installed provider holds a [`ProfileFeatureProvider`]: if the profile uses
/// that feature the chain stops with [`CredentialsError::NotProvided`] /
/// [`CredentialsError::MfaRequired`] rather than silently using other credentials.
pub struct DefaultChainBuilder {
    config: ConfigResolver,
    slots: HashMap<ChainSlot, Arc<dyn ProvideCredentials>>,
    container: Option<ContainerProvider>,
    imds: Option<ImdsProvider>,
}

impl fmt::Debug for DefaultChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChainBuilder")
            .field("profile", &self.config.profile_name())
            .field("slots", &self.slots.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl DefaultChainBuilder {
    /// Starts from the profile, files and environment of `config`.
    pub fn new(config: ConfigResolver) -> Self {
        DefaultChainBuilder {
            config,
            slots: HashMap::new(),
            container: None,
            imds: None,
        }
    }

    /// Installs the client layer's provider at `slot`.
    pub fn provider_at(mut self, slot: ChainSlot, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.slots.insert(slot, provider);
        self
    }

    /// Replaces the container provider (e.g. one with a test base address).
    pub fn container(mut self, provider: ContainerProvider) -> Self {
        self.container = Some(provider);
        self
    }

    /// Replaces the instance metadata provider.
    pub fn imds(mut self, provider: ImdsProvider) -> Self {
        self.imds = Some(provider);
        self
    }

    /// Builds the chain. Fails only on invalid IMDS settings (endpoint mode, timeout, attempts).
    pub fn build(self) -> Result<ProviderChain, CredentialsError> {
        let cfg = &self.config;
        let files = cfg.shared_files();
        let profile = cfg.profile_name().to_string();
        let explicit = matches!(cfg.profile_source(), ProfileSource::Explicit);
        let env = cfg.env().clone();
        let imds = match self.imds {
            Some(p) => p,
            None => ImdsProvider::from_config(cfg)?,
        };
        let mut slots = self.slots;
        let mut slot = |s: ChainSlot| -> Arc<dyn ProvideCredentials> {
            slots.remove(&s).unwrap_or_else(|| {
                let env = (!explicit).then(|| env.clone());
                Arc::new(ProfileFeatureProvider::new(
                    s,
                    files.clone(),
                    profile.clone(),
                    env,
                ))
            })
        };
        let mut providers: Vec<Arc<dyn ProvideCredentials>> = Vec::with_capacity(10);
        if !explicit {
            providers.push(Arc::new(EnvironmentProvider::new(env.clone())));
        }
        providers.push(slot(ChainSlot::AssumeRole));
        providers.push(slot(ChainSlot::WebIdentity));
        providers.push(slot(ChainSlot::Sso));
        providers.push(Arc::new(SharedCredentialsFileProvider::new(
            files.clone(),
            profile.clone(),
        )));
        providers.push(slot(ChainSlot::Login));
        providers.push(Arc::new(ProcessProvider::new(
            files.clone(),
            profile.clone(),
        )));
        providers.push(Arc::new(ConfigFileProvider::new(
            files.clone(),
            profile.clone(),
        )));
        providers.push(Arc::new(
            self.container
                .unwrap_or_else(|| ContainerProvider::new(env.clone())),
        ));
        providers.push(Arc::new(imds));
        Ok(ProviderChain::new(providers))
    }

    /// [`Self::build`] wrapped in a [`RefreshingProvider`] (botocore's refresh windows), ready to
    /// share as `Arc<dyn ProvideCredentials>`.
    pub fn build_cached(self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        Ok(Arc::new(RefreshingProvider::new(Arc::new(self.build()?))))
    }
}
