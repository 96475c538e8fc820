//! [`ContainerProvider`]: ECS task roles / EKS pod identity over HTTP.

use super::http::{excerpt, HttpClient, HttpError};
use super::{time, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::config::Env;
use http::{HeaderValue, Method};
use serde_json::Value as Json;
use std::net::IpAddr;
use std::time::Duration;

const NAME: &str = "container-role";
const DEFAULT_BASE: &str = "http://169.254.170.2";
const ALLOWED_HOSTS: [&str; 4] = [
    "169.254.170.2",
    "169.254.170.23",
    "fd00:ec2::23",
    "localhost",
];

/// Credentials from the container credentials endpoint, like botocore's `ContainerProvider`:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is appended to `http://169.254.170.2` (the base is
///   overridable with [`ContainerProvider::with_relative_base`], for tests);
/// - otherwise `AWS_CONTAINER_CREDENTIALS_FULL_URI` is used as is; its host must be a loopback
///   address or one of `169.254.170.2`, `169.254.170.23`, `fd00:ec2::23`, `localhost`
///   (`https://` URIs are allowed by botocore but need TLS, which this client does not have);
/// - the `Authorization` header comes from the file named by
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch) or else
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN`; it may not contain CR or LF.
///
/// Each fetch makes up to 3 attempts, 2 s timeout each, sleeping 1 s between them.
#[derive(Debug, Clone)]
pub struct ContainerProvider {
    env: Env,
    base: String,
    timeout: Duration,
    attempts: u32,
    retry_sleep: Duration,
    client: HttpClient,
}

impl ContainerProvider {
    /// Reads its settings from `env`.
    pub fn new(env: Env) -> Self {
        ContainerProvider {
            env,
            base: DEFAULT_BASE.into(),
            timeout: Duration::from_secs(2),
            attempts: 3,
            retry_sleep: Duration::from_secs(1),
            client: HttpClient::new(),
        }
    }

    /// Replaces `http://169.254.170.2` as the base of relative URIs.
    pub fn with_relative_base(mut self, base: impl Into<String>) -> Self {
        self.base = base.into().trim_end_matches('/').to_string();
        self
    }

    /// Sets the per-attempt timeout (default 2 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the attempts (default 3, at least 1) and the pause between them (default 1 s).
    pub fn with_retries(mut self, attempts: u32, sleep: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.retry_sleep = sleep;
        self
    }

    fn url(&self) -> Result<Option<String>, CredentialsError> {
        if let Some(rel) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            return Ok(Some(format!("{}{rel}", self.base)));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Ok(None);
        };
        validate_full_uri(&full)?;
        Ok(Some(full))
    }

    fn auth_header(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let (token, origin) = if let Some(path) =
            self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        {
            let token = std::fs::read_to_string(&path).map_err(|e| CredentialsError::ProviderFailed {
                provider: NAME,
                message: format!(
                    "cannot read the authorization token file {path:?} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)"
                ),
                source: Some(Box::new(e)),
            })?;
            (
                token,
                format!("the file {path:?} (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)"),
            )
        } else if let Some(token) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            (token, "AWS_CONTAINER_AUTHORIZATION_TOKEN".to_string())
        } else {
            return Ok(None);
        };
        let illegal = || {
            CredentialsError::failed(
                NAME,
                format!("the authorization token from {origin} is not a legal header value"),
            )
        };
        if token.contains(['\r', '\n']) {
            return Err(illegal());
        }
        let mut value = HeaderValue::from_str(&token).map_err(|_| illegal())?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let Some(url) = self.url()? else {
            return Err(CredentialsError::not_found(
                NAME,
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(self.retry_sleep).await;
            }
            let mut headers = vec![("accept", HeaderValue::from_static("application/json"))];
            if let Some(auth) = self.auth_header()? {
                headers.push(("authorization", auth));
            }
            match self
                .client
                .send(Method::GET, &url, &headers, self.timeout)
                .await
            {
                Err(HttpError::Invalid(m)) => return Err(CredentialsError::failed(NAME, m)),
                Err(e) => last = format!("request to {url} failed: {e}"),
                Ok(r) if r.status != 200 => {
                    last = format!(
                        "received status {} from container metadata at {url}: {}",
                        r.status,
                        excerpt(&r.body)
                    )
                }
                Ok(r) => match serde_json::from_slice::<Json>(&r.body) {
                    Ok(json) => return parse_credentials(&json),
                    Err(_) => {
                        last =
                            "unable to parse JSON returned from container metadata services".into()
                    }
                },
            }
            tracing::debug!(attempt, error = %last, "container credentials attempt failed");
        }
        Err(CredentialsError::failed(NAME, last))
    }
}

fn validate_full_uri(full: &str) -> Result<(), CredentialsError> {
    let uri: http::Uri = full.parse().map_err(|_| {
        CredentialsError::failed(
            NAME,
            format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {full:?} is not a valid URL"),
        )
    })?;
    if uri.scheme_str() == Some("https") {
        return Err(CredentialsError::failed(
            NAME,
            "https:// container credential URIs are not supported (this client has no TLS)",
        ));
    }
    let host = uri
        .host()
        .unwrap_or("")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    let loopback = host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if uri.scheme_str() == Some("http") && (loopback || ALLOWED_HOSTS.contains(&host.as_str())) {
        return Ok(());
    }
    Err(CredentialsError::failed(
        NAME,
        format!(
            "unsupported host {host:?} in AWS_CONTAINER_CREDENTIALS_FULL_URI; can only retrieve metadata from a loopback address or one of these hosts: {}",
            ALLOWED_HOSTS.join(", ")
        ),
    ))
}

fn parse_credentials(json: &Json) -> Result<Credentials, CredentialsError> {
    let field = |k: &str| -> Result<String, CredentialsError> {
        json.get(k)
            .and_then(Json::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                CredentialsError::failed(NAME, format!("the response has no string {k:?}"))
            })
    };
    let expiration = field("Expiration")?;
    let expiry = time::parse_rfc3339(&expiration).ok_or_else(|| {
        CredentialsError::failed(
            NAME,
            format!("Expiration {expiration:?} is not an RFC 3339 timestamp"),
        )
    })?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("Token")?),
        Some(expiry),
        NAME,
    )
    .with_account_id(
        json.get("AccountId")
            .and_then(Json::as_str)
            .map(str::to_string),
    ))
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
