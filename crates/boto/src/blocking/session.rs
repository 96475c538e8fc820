//! The blocking [`Session`] and [`SessionBuilder`]: the async ones with blocking clients and
//! resources. Building a session makes no request, so nothing here blocks.

use super::client::Client;
use super::resource::ServiceResource;
use crate::error::Error;
use crate::session::Credentials;
use boto_core::credentials::ProvideCredentials;
use std::sync::Arc;

/// A blocking [`crate::Session`]. Cheap to clone; clones share everything.
#[derive(Clone, Debug)]
pub struct Session {
    inner: crate::Session,
}

/// Builds a blocking [`Session`] (see [`crate::SessionBuilder`]).
#[derive(Default)]
pub struct SessionBuilder {
    inner: crate::SessionBuilder,
}

impl SessionBuilder {
    /// See [`crate::SessionBuilder::region_name`].
    pub fn region_name(self, region: impl Into<String>) -> Self {
        self.map(|b| b.region_name(region))
    }

    /// See [`crate::SessionBuilder::profile_name`].
    pub fn profile_name(self, profile: impl Into<String>) -> Self {
        self.map(|b| b.profile_name(profile))
    }

    /// See [`crate::SessionBuilder::endpoint_url`].
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        self.map(|b| b.endpoint_url(url))
    }

    /// See [`crate::SessionBuilder::credentials`].
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.map(|b| b.credentials(credentials))
    }

    /// See [`crate::SessionBuilder::credentials_provider`].
    pub fn credentials_provider(self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.map(|b| b.credentials_provider(provider))
    }

    /// See [`crate::SessionBuilder::http_settings`].
    pub fn http_settings(self, settings: boto_core::http::HttpSettings) -> Self {
        self.map(|b| b.http_settings(settings))
    }

    /// See [`crate::SessionBuilder::config`].
    pub fn config(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|b| b.config(name, value))
    }

    /// See [`crate::SessionBuilder::data_path`].
    pub fn data_path(self, path: impl Into<std::path::PathBuf>) -> Self {
        self.map(|b| b.data_path(path))
    }

    /// See [`crate::SessionBuilder::env`].
    pub fn env(self, env: boto_core::config::Env) -> Self {
        self.map(|b| b.env(env))
    }

    /// See [`crate::SessionBuilder::bearer_token`].
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.map(|b| b.bearer_token(token))
    }

    /// See [`crate::SessionBuilder::unsigned`].
    pub fn unsigned(self) -> Self {
        self.map(|b| b.unsigned())
    }

    /// Resolves everything and builds the session.
    pub fn build(self) -> Result<Session, Error> {
        self.inner.build().map(Session::from)
    }

    fn map(self, f: impl FnOnce(crate::SessionBuilder) -> crate::SessionBuilder) -> Self {
        SessionBuilder {
            inner: f(self.inner),
        }
    }
}

impl From<crate::Session> for Session {
    fn from(inner: crate::Session) -> Self {
        Session { inner }
    }
}

impl Session {
    /// A builder, as `boto3.Session(...)` takes its arguments.
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// A session from the environment and shared files only (see [`crate::Session::new`]).
    pub fn new() -> Result<Session, Error> {
        crate::Session::new().map(Session::from)
    }

    /// The async session underneath.
    pub fn as_async(&self) -> &crate::Session {
        &self.inner
    }

    /// The resolved region.
    pub fn region_name(&self) -> Option<&str> {
        self.inner.region_name()
    }

    /// The profile in use.
    pub fn profile_name(&self) -> &str {
        self.inner.profile_name()
    }

    /// The credentials provider; clients made from this session resolve it on their first call.
    pub fn credentials_provider(&self) -> Arc<dyn ProvideCredentials> {
        self.inner.credentials_provider()
    }

    /// See [`crate::Session::is_unsigned`].
    pub fn is_unsigned(&self) -> bool {
        self.inner.is_unsigned()
    }

    /// See [`crate::Session::data_path`].
    pub fn data_path(&self) -> &[std::path::PathBuf] {
        self.inner.data_path()
    }

    /// A client in the session's region.
    pub fn client(&self, service: &str) -> Result<Client, Error> {
        self.inner.client(service).map(Client::from)
    }

    /// A client in `region`.
    pub fn client_in_region(&self, service: &str, region: &str) -> Result<Client, Error> {
        self.inner
            .client_in_region(service, region)
            .map(Client::from)
    }

    /// See [`crate::Session::client_with`].
    pub fn client_with(
        &self,
        service: &str,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Result<Client, Error> {
        self.inner
            .client_with(service, region, endpoint_url)
            .map(Client::from)
    }

    /// The resource layer of `service`.
    pub fn resource(&self, service: &str) -> Result<ServiceResource, Error> {
        self.inner.resource(service).map(ServiceResource::from)
    }

    /// The resource layer of `service` in `region`.
    pub fn resource_in_region(
        &self,
        service: &str,
        region: &str,
    ) -> Result<ServiceResource, Error> {
        self.inner
            .resource_in_region(service, region)
            .map(ServiceResource::from)
    }
}
