//! [`Session`]: credentials, region, endpoint URL, client config and the data folders of service
//! models, resolved once and shared by every client and resource made from it.

use crate::client::Client;
use crate::error::Error;
use crate::resource::ServiceResource;
use boto_core::client::{ClientConfig, ServiceClient};
use boto_core::config::{AddressingStyle, ConfigResolver, Env};
use boto_core::credentials::{DefaultChainBuilder, ProvideCredentials};
use boto_core::http::{HttpClient, HttpSettings};
use boto_core::model::{DataPath, ServiceModel};
use boto_core::retry::{RetryConfig, RetryMode, SharedRateLimiters};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use boto_core::auth::bearer::{BearerToken, ProvideToken};
pub use boto_core::credentials::Credentials;

struct Inner {
    resolver: ConfigResolver,
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Arc<dyn ProvideCredentials>,
    http: HttpClient,
    data_path: DataPath,
    unsigned: bool,
    /// A token given in code for the services that take `Authorization: Bearer`.
    bearer_token: Option<BearerToken>,
    /// The adaptive mode's rate limiters, shared by this session's clients per service endpoint.
    rate_limiters: SharedRateLimiters,
}

/// Where connectivity starts, like `boto3.Session`. Cheap to clone (clones share everything),
/// `Send + Sync`; clients made from one session share its connection pool.
///
/// Service models come from the embedded data, or, as botocore's loader finds them, from data
/// folders laid out `<service>/<api-version>/service-2.json[.gz]` (with `paginators-1`,
/// `waiters-2` and `endpoint-rule-set-1` beside it): [`SessionBuilder::data_path`], else
/// `AWS_DATA_PATH` (or `data_path` in the profile), then `~/.aws/models`. The newest api version
/// wins and a folder model wins over the embedded one of the same version, so a service that is
/// not embedded at all can be called too.
///
/// ```no_run
/// # fn demo() -> Result<(), boto::Error> {
/// let west = boto::Session::builder().region_name("us-west-2").build()?;
/// let backup = west.resource("s3")?.bucket("backupbucket");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.inner.resolver.profile_name())
            .field("region", &self.inner.region)
            .field("explicit_endpoint_url", &self.inner.endpoint_url)
            .field("data_path", &self.inner.data_path.dirs())
            .finish()
    }
}

/// Builds a [`Session`] (`boto3.Session(region_name=..., profile_name=..., ...)`).
#[derive(Default)]
pub struct SessionBuilder {
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<Credentials>,
    provider: Option<Arc<dyn ProvideCredentials>>,
    env: Option<Env>,
    http: Option<HttpSettings>,
    settings: Vec<(String, String)>,
    data_path: Vec<PathBuf>,
    unsigned: bool,
    bearer_token: Option<BearerToken>,
}

impl SessionBuilder {
    /// The region (`region_name`).
    pub fn region_name(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The shared-config profile (`profile_name`).
    pub fn profile_name(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// An endpoint URL for every client of this session (`http://127.0.0.1:5000`).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Explicit credentials (`aws_access_key_id=..., aws_secret_access_key=...`).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A custom credentials provider.
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Sets a config value above environment and files, by botocore's name: `max_attempts`,
    /// `retry_mode`, `s3.addressing_style`, `use_fips_endpoint`, `connect_timeout`,
    /// `max_pool_connections`, ... (what `botocore.config.Config(...)` carries; the full list is
    /// [`boto_core::config::KNOWN_SETTINGS`]). An unknown name or an invalid value fails
    /// [`SessionBuilder::build`] with an error naming it and what is allowed.
    pub fn config(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings.push((name.into(), value.into()));
        self
    }

    /// The environment to read `AWS_*` variables and `~` from (tests pass an in-memory one).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Adds a data folder of service models (botocore's `data_path`), searched in the order
    /// added; explicit folders replace `AWS_DATA_PATH`, and `~/.aws/models` is searched after
    /// them. Layout: `<service>/<api-version>/service-2.json` or `.json.gz`.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), boto::Error> {
    /// let session = boto::Session::builder().data_path("/opt/models").build()?;
    /// let kms = session.client("kms")?; // from /opt/models/kms/<newest>/service-2.json
    /// # Ok(()) }
    /// ```
    pub fn data_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_path.push(path.into());
        self
    }

    /// Signs nothing (botocore's `Config(signature_version=UNSIGNED)`, the CLI's
    /// `--no-sign-request`; also `.config("signature_version", "UNSIGNED")`): requests go out
    /// anonymous, presigned URLs carry no signature, and no credentials are looked up at all
    /// (no chain, no instance metadata), even when some were given.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// let public = boto::Session::builder().region_name("us-east-1").unsigned().build()?;
    /// let s3 = public.client("s3")?;
    /// let listing = s3.call("ListObjectsV2", boto::doc! {"Bucket": "some-public-bucket"}).await?;
    /// # drop(listing); Ok(()) }
    /// ```
    pub fn unsigned(mut self) -> Self {
        self.unsigned = true;
        self
    }

    /// A token for the services that take `Authorization: Bearer` (a Bedrock API key, a
    /// CodeCatalyst token), in place of the one `AWS_BEARER_TOKEN_<SIGNING NAME>` holds. Which
    /// scheme a call uses is the service's and `auth_scheme_preference`'s choice, as in botocore:
    /// Bedrock takes a token whenever one is found, unless `auth_scheme_preference` was set in
    /// code to prefer another scheme.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), boto::Error> {
    /// let session = boto::Session::builder()
    ///     .region_name("us-east-1")
    ///     .bearer_token("bedrock-api-key")
    ///     .build()?;
    /// let bedrock = session.client("bedrock-runtime")?;
    /// # drop(bedrock); Ok(()) }
    /// ```
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(BearerToken::new(token));
        self
    }

    /// Transport settings (timeouts, pool size); the default shares one process-wide pool.
    pub fn http_settings(mut self, settings: HttpSettings) -> Self {
        self.http = Some(settings);
        self
    }

    /// Resolves everything and builds the session.
    pub fn build(self) -> Result<Session, Error> {
        let env = self.env.unwrap_or_else(Env::real);
        let mut builder = ConfigResolver::builder(env);
        if let Some(p) = &self.profile {
            builder = builder.profile(p.clone());
        }
        if let Some(r) = &self.region {
            builder = builder.region(r.clone());
        }
        for (name, value) in &self.settings {
            builder = builder.set(name.clone(), value.clone());
        }
        let resolver = builder.build()?;
        let region = resolver.region()?;
        let http_settings = match self.http.clone() {
            Some(explicit) => explicit,
            None => {
                let cfg = Error::Config;
                let mut s = HttpSettings::default();
                s.connect_timeout = resolver
                    .connect_timeout()
                    .map_err(cfg)?
                    .unwrap_or(s.connect_timeout);
                s.read_timeout = resolver
                    .read_timeout()
                    .map_err(cfg)?
                    .unwrap_or(s.read_timeout);
                s.max_idle_per_host = resolver
                    .max_pool_connections()
                    .map_err(cfg)?
                    .unwrap_or(s.max_idle_per_host);
                s.ca_bundle = resolver.ca_bundle().map_err(cfg)?;
                s.verify = resolver.verify().map_err(cfg)?.unwrap_or(true);
                let env = resolver.env();
                s.proxy.https = env.get("HTTPS_PROXY").or_else(|| env.get("https_proxy"));
                s.proxy.no_proxy = env.get("NO_PROXY").or_else(|| env.get("no_proxy"));
                s
            }
        };
        let http = shared_http(http_settings)?;
        let unsigned = self.unsigned
            || resolver.signature_version()? == boto_core::config::SignatureVersion::Unsigned;
        let credentials: Arc<dyn ProvideCredentials> = match (self.provider, self.credentials) {
            _ if unsigned => Arc::new(NoCredentials),
            (Some(p), _) => p,
            (None, Some(c)) => Arc::new(c),
            (None, None) => {
                let factory = crate::credentials::ClientFactory::new(
                    resolver.clone(),
                    http.clone(),
                    region.clone(),
                );
                crate::credentials::install(DefaultChainBuilder::new(resolver.clone()), &factory)
                    .build_cached()
                    .map_err(Error::Credentials)?
            }
        };
        let data_path = if self.data_path.is_empty() {
            DataPath::new(resolver.data_path())
        } else {
            DataPath::new(self.data_path.into_iter().chain(resolver.models_dir()))
        };
        Ok(Session {
            inner: Arc::new(Inner {
                resolver,
                region,
                endpoint_url: self.endpoint_url,
                credentials,
                http,
                data_path,
                unsigned,
                bearer_token: self.bearer_token,
                rate_limiters: SharedRateLimiters::default(),
            }),
        })
    }
}

/// The provider of an unsigned session: it is never asked by the session's clients, and tells
/// anyone else who asks why there is nothing.
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> boto_core::credentials::ProvideFuture<'_> {
        Box::pin(std::future::ready(Err(
            boto_core::credentials::CredentialsError::not_found(
                "unsigned",
                "the session signs nothing (signature_version = UNSIGNED)",
            ),
        )))
    }

    fn name(&self) -> &'static str {
        "unsigned"
    }
}

/// One transport per distinct setting in the process: sessions with the same settings share a
/// connection pool and TLS configuration (loading root certificates costs milliseconds).
fn shared_http(settings: HttpSettings) -> Result<HttpClient, Error> {
    static POOLS: OnceLock<std::sync::Mutex<Vec<(HttpSettings, HttpClient)>>> = OnceLock::new();
    let pools = POOLS.get_or_init(Default::default);
    let mut pools = pools
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, client)) = pools.iter().find(|(s, _)| *s == settings) {
        return Ok(client.clone());
    }
    let client = HttpClient::new(settings.clone()).map_err(Error::Transport)?;
    pools.push((settings, client.clone()));
    Ok(client)
}

/// A region given to one client must be a DNS label, as the session's own is (see
/// [`ConfigResolver::region`]): it becomes part of the endpoint's host name.
fn check_region_name(region: &str) -> Result<(), boto_core::config::ConfigError> {
    if boto_core::endpoint::is_valid_region_name(region) {
        return Ok(());
    }
    Err(boto_core::config::ConfigError::InvalidValue {
        source: boto_core::config::ValueSource::Explicit("region_name".into()),
        value: region.to_string(),
        expected: boto_core::endpoint::REGION_NAME_RULE.into(),
    })
}

/// The default session, made on first use from the environment and shared files.
pub fn default_session() -> Result<Session, Error> {
    static DEFAULT: OnceLock<Session> = OnceLock::new();
    if let Some(s) = DEFAULT.get() {
        return Ok(s.clone());
    }
    let s = Session::builder().build()?;
    Ok(DEFAULT.get_or_init(|| s).clone())
}

impl Session {
    /// A builder, as `boto3.Session(...)` takes its arguments.
    ///
    /// ```no_run
    /// # fn demo() -> Result<(), boto::Error> {
    /// use boto::{Credentials, Session};
    /// let local = Session::builder()
    ///     .region_name("us-east-1")
    ///     .endpoint_url("http://127.0.0.1:9000")
    ///     .credentials(Credentials::from_keys("minio", "minio-secret", None))
    ///     .config("max_attempts", "5")
    ///     .build()?;
    /// let s3 = local.client("s3")?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// A session from the environment and shared files only.
    pub fn new() -> Result<Session, Error> {
        Session::builder().build()
    }

    /// The resolved region.
    pub fn region_name(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The profile in use.
    pub fn profile_name(&self) -> &str {
        self.inner.resolver.profile_name()
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> Arc<dyn ProvideCredentials> {
        self.inner.credentials.clone()
    }

    /// The data folders searched for service models, in order (see [`SessionBuilder::data_path`]).
    pub fn data_path(&self) -> &[PathBuf] {
        self.inner.data_path.dirs()
    }

    /// True when the session signs nothing (see [`SessionBuilder::unsigned`]).
    pub fn is_unsigned(&self) -> bool {
        self.inner.unsigned
    }

    /// A client for `service` in the session's region.
    ///
    /// `service` is botocore's name (`"s3"`, `"lambda"`, `"bedrock-runtime"`). Its model must be
    /// compiled in: the default features embed s3, sqs, sts, sso and sso-oidc; every other
    /// service has a cargo feature of the same name (`features = ["lambda"]`), and `full`
    /// embeds all of them. Otherwise this fails with [`Error::Model`] holding
    /// [`ModelError::NotCompiledIn`](crate::ModelError::NotCompiledIn), whose message names the
    /// feature to enable, or [`ModelError::UnknownService`](crate::ModelError::UnknownService)
    /// with close names for a name botocore does not have.
    ///
    /// ```
    /// # fn demo() -> Result<(), boto::Error> {
    /// let session = boto::Session::builder().region_name("us-east-1").build()?;
    /// let sqs = session.client("sqs")?; // in the default features
    /// match session.client("lamda") {
    ///     Err(e) => assert!(e.to_string().contains("did you mean lambda?"), "{e}"),
    ///     Ok(_) => unreachable!("no service is called lamda"),
    /// }
    /// # drop(sqs); Ok(()) }
    /// # demo().unwrap();
    /// ```
    pub fn client(&self, service: &str) -> Result<Client, Error> {
        self.client_in(service, None, None)
    }

    /// A client for `service` in `region` (`boto3.client("s3", region_name=...)`).
    pub fn client_in_region(&self, service: &str, region: &str) -> Result<Client, Error> {
        self.client_in(service, Some(region), None)
    }

    /// A client with its own region and/or endpoint
    /// (`boto3.client("s3", region_name=..., endpoint_url=...)`).
    pub fn client_with(
        &self,
        service: &str,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Result<Client, Error> {
        self.client_in(service, region, endpoint_url)
    }

    fn client_in(
        &self,
        service: &str,
        region: Option<&str>,
        endpoint: Option<&str>,
    ) -> Result<Client, Error> {
        let r = &self.inner.resolver;
        let cfg = Error::Config;
        if let Some(region) = region {
            check_region_name(region).map_err(cfg)?;
        }
        let model = ServiceModel::load_with(service, &self.inner.data_path)?;
        let endpoint_url = match endpoint.or(self.inner.endpoint_url.as_deref()) {
            Some(u) => Some(u.to_string()),
            None => r.endpoint_url(&model.metadata().service_id).map_err(cfg)?,
        };
        let mut retry = RetryConfig::default();
        retry.rate_limiters = Some(self.inner.rate_limiters.clone());
        let mode = r.retry_mode().map_err(cfg)?;
        retry.mode = mode;
        retry.max_attempts = match r.max_attempts().map_err(cfg)? {
            Some(n) => n,
            None if mode == RetryMode::Legacy => 5,
            None => 3,
        };
        let mut config = ClientConfig::new(self.inner.http.clone());
        config.region = region
            .map(str::to_string)
            .or_else(|| self.inner.region.clone());
        if config.region.is_none() {
            // As botocore's NoRegionError: only the services with a global endpoint go on.
            let fallback =
                boto_core::client::region_when_unset(model.service_name(), endpoint_url.is_some());
            let Some(fallback) = fallback else {
                return Err(Error::NoRegion {
                    service: model.service_name().to_string(),
                });
            };
            config.region = Some(fallback.to_string());
        }
        config.endpoint_url = endpoint_url;
        config.credentials = (!self.inner.unsigned).then(|| self.inner.credentials.clone());
        config.request_checksum_calculation = r.request_checksum_calculation().map_err(cfg)?;
        config.response_checksum_validation = r.response_checksum_validation().map_err(cfg)?;
        config.request_compression = r.request_compression().map_err(cfg)?;
        config.verify_message_md5 = r.sqs_verify_md5_checksums().map_err(cfg)?;
        config.endpoint_discovery = r.endpoint_discovery().map_err(cfg)?;
        config.s3_use_global_endpoint = r.s3_use_global_endpoint().map_err(cfg)?;
        config.retry = retry;
        config.env = r.env().clone();
        config.auth_scheme_preference = r.auth_scheme_preference().map_err(cfg)?;
        let (token, preferred) = self.token_provider(model.metadata().signing_name());
        config.bearer_token = token;
        config.bearer_token_preferred = preferred;
        let style = r.s3_addressing_style().map_err(cfg)?;
        config.accelerate = r
            .s3_bool("use_accelerate_endpoint")
            .map_err(cfg)?
            .unwrap_or(false);
        // As botocore: a custom endpoint (MinIO, LocalStack, ...) means path style unless virtual
        // hosting is asked for explicitly.
        let custom = config.endpoint_url.is_some();
        config.force_path_style = match style {
            Some(AddressingStyle::Path) => true,
            Some(AddressingStyle::Virtual) => false,
            _ => custom && !config.accelerate,
        };
        config.use_fips = r.use_fips_endpoint().map_err(cfg)?.unwrap_or(false);
        config.use_dualstack = r.use_dualstack_endpoint().map_err(cfg)?.unwrap_or(false);
        Ok(Client::new(ServiceClient::from_model(model, config)))
    }

    /// Where a client's bearer token comes from, as botocore's token resolver looks: the
    /// session's, then `AWS_BEARER_TOKEN_<SIGNING NAME>` (both of which Bedrock prefers over
    /// SigV4), then the profile's `sso_session`.
    fn token_provider(&self, signing_name: &str) -> (Option<Arc<dyn ProvideToken>>, bool) {
        let r = &self.inner.resolver;
        let given = self.inner.bearer_token.clone();
        if let Some(token) = given.or_else(|| BearerToken::from_env(r.env(), signing_name)) {
            return (Some(Arc::new(token)), true);
        }
        let sso =
            !self.inner.unsigned && r.profile().is_some_and(|p| p.get("sso_session").is_some());
        if !sso {
            return (None, false);
        }
        let factory = crate::credentials::ClientFactory::new(
            r.clone(),
            self.inner.http.clone(),
            self.inner.region.clone(),
        );
        let provider = crate::credentials::SsoTokenProvider::new(factory, r.profile_name());
        (Some(Arc::new(provider)), false)
    }

    /// The resource layer of `service` (`s3`, `sqs`, ...).
    pub fn resource(&self, service: &str) -> Result<ServiceResource, Error> {
        ServiceResource::new(self.client(service)?)
    }

    /// The resource layer of `service` in `region`.
    pub fn resource_in_region(
        &self,
        service: &str,
        region: &str,
    ) -> Result<ServiceResource, Error> {
        ServiceResource::new(self.client_in_region(service, region)?)
    }
}
