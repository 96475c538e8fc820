//! [`ImdsProvider`]: the EC2 instance profile role through the instance metadata service.

use super::http::{HttpClient, HttpError, Response};
use super::{time, Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::config::{ConfigError, ConfigResolver, ImdsEndpointMode};
use http::{HeaderValue, Method};
use serde_json::Value as Json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NAME: &str = "iam-role";
const IPV4_ENDPOINT: &str = "http://169.254.169.254/";
const IPV6_ENDPOINT: &str = "http://[fd00:ec2::254]/";
const TOKEN_PATH: &str = "latest/api/token";
const ROLE_PATH: &str = "latest/meta-data/iam/security-credentials/";
const TOKEN_TTL: &str = "21600";
/// botocore's `ec2_credential_refresh_window` (the advisory refresh window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Credentials of the instance's IAM role, like botocore's `InstanceMetadataProvider` /
/// `InstanceMetadataFetcher`:
///
/// 1. `PUT /latest/api/token` with `x-aws-ec2-metadata-token-ttl-seconds: 21600`. A 200 gives the
///    IMDSv2 token; 403/404/405, a timeout, or exhausted attempts fall back to IMDSv1 (no token) —
///    unless `ec2_metadata_v1_disabled` / `AWS_EC2_METADATA_V1_DISABLED` is true, which is an
///    error; a 400 means "no credentials here".
/// 2. `GET /latest/meta-data/iam/security-credentials/` (the role name), then `.../<role>`, each
///    with `x-aws-ec2-metadata-token` when there is a token; non-200, empty or (for the
///    credentials) non-JSON answers are retried up to the attempt count, then "not found".
///
/// Settings: `AWS_EC2_METADATA_DISABLED`, `ec2_metadata_service_endpoint` (or the IPv4/IPv6 default
/// by `ec2_metadata_service_endpoint_mode` / `imds_use_ipv6`), `metadata_service_timeout`
/// (default 1 s) and `metadata_service_num_attempts` (default 1). Credentials whose expiry is
/// already inside the refresh window get it extended by 17–25 minutes (botocore's static
/// stability rule), so an IMDS outage does not stop a running program.
#[derive(Debug, Clone)]
pub struct ImdsProvider {
    endpoint: String,
    timeout: Duration,
    attempts: u32,
    disabled: bool,
    v1_disabled: bool,
    client: HttpClient,
}

enum Fetched {
    Ok(Response),
    Exhausted(String),
}

impl ImdsProvider {
    /// Reads the settings through `config` (environment and profile).
    pub fn from_config(config: &ConfigResolver) -> Result<Self, ConfigError> {
        let endpoint = match config.ec2_metadata_service_endpoint() {
            Some(e) => e,
            None => match config.ec2_metadata_service_endpoint_mode()? {
                ImdsEndpointMode::Ipv4 => IPV4_ENDPOINT.to_string(),
                ImdsEndpointMode::Ipv6 => IPV6_ENDPOINT.to_string(),
            },
        };
        Ok(ImdsProvider {
            endpoint,
            timeout: config.metadata_service_timeout()?,
            attempts: config.metadata_service_num_attempts()?.max(1),
            disabled: config.ec2_metadata_disabled(),
            v1_disabled: config.ec2_metadata_v1_disabled()?,
            client: HttpClient::new(),
        })
    }

    /// Uses `endpoint` (e.g. `http://127.0.0.1:8080/`) instead of the configured one.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    fn url(&self, path: &str) -> String {
        if self.endpoint.ends_with('/') {
            format!("{}{path}", self.endpoint)
        } else {
            format!("{}/{path}", self.endpoint)
        }
    }

    /// `Ok(Some(token))`, `Ok(None)` for "fall back to v1", `Err` for "stop".
    async fn token(&self) -> Result<Option<HeaderValue>, CredentialsError> {
        let url = self.url(TOKEN_PATH);
        let headers = [
            (
                "x-aws-ec2-metadata-token-ttl-seconds",
                HeaderValue::from_static(TOKEN_TTL),
            ),
            ("user-agent", HeaderValue::from_static("boto-rs")),
        ];
        for _ in 0..self.attempts {
            match self
                .client
                .send(Method::PUT, &url, &headers, self.timeout)
                .await
            {
                Ok(r) if r.status == 200 => {
                    let mut v = HeaderValue::from_maybe_shared(r.body).map_err(|_| {
                        CredentialsError::failed(
                            NAME,
                            "IMDS returned a token that is not a legal header value",
                        )
                    })?;
                    v.set_sensitive(true);
                    return Ok(Some(v));
                }
                Ok(r) if matches!(r.status, 403..=405) => return Ok(None),
                Ok(r) if r.status == 400 => {
                    return Err(CredentialsError::not_found(
                        NAME,
                        format!("IMDS at {} rejected the token request (400)", self.endpoint),
                    ))
                }
                Ok(_) => {}
                Err(HttpError::Timeout) => return Ok(None),
                Err(HttpError::Invalid(m)) => {
                    return Err(CredentialsError::failed(
                        NAME,
                        format!("invalid IMDS endpoint: {m}"),
                    ))
                }
                Err(e) => tracing::debug!(error = %e, "IMDS token request failed"),
            }
        }
        Ok(None)
    }

    async fn get(
        &self,
        path: &str,
        token: Option<&HeaderValue>,
        want_json: bool,
    ) -> Result<Fetched, CredentialsError> {
        let url = self.url(path);
        let mut headers = vec![("user-agent", HeaderValue::from_static("boto-rs"))];
        if let Some(t) = token {
            headers.push(("x-aws-ec2-metadata-token", t.clone()));
        }
        let mut last = String::from("no attempt made");
        for _ in 0..self.attempts {
            match self
                .client
                .send(Method::GET, &url, &headers, self.timeout)
                .await
            {
                Ok(r) if r.status != 200 => last = format!("status {}", r.status),
                Ok(r) if r.body.is_empty() => last = "empty response".into(),
                Ok(r) if want_json && serde_json::from_slice::<Json>(&r.body).is_err() => {
                    last = "response is not JSON".into()
                }
                Ok(r) => return Ok(Fetched::Ok(r)),
                Err(HttpError::Invalid(m)) => {
                    return Err(CredentialsError::failed(
                        NAME,
                        format!("invalid IMDS endpoint: {m}"),
                    ))
                }
                Err(e) => last = e.to_string(),
            }
        }
        Ok(Fetched::Exhausted(last))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.disabled {
            return Err(CredentialsError::not_found(
                NAME,
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        }
        let token = self.token().await?;
        if token.is_none() && self.v1_disabled {
            return Err(CredentialsError::failed(
                NAME,
                "unable to retrieve a token for use in an IMDSv2 call and IMDSv1 has been disabled",
            ));
        }
        let not_found = |what: &str, why: String| {
            CredentialsError::not_found(
                NAME,
                format!("no {what} from IMDS at {} ({why})", self.endpoint),
            )
        };
        let role = match self.get(ROLE_PATH, token.as_ref(), false).await? {
            Fetched::Ok(r) => String::from_utf8_lossy(&r.body).trim().to_string(),
            Fetched::Exhausted(why) => return Err(not_found("IAM role", why)),
        };
        if role.is_empty() || role.contains(['/', '?', '#']) {
            return Err(not_found("IAM role", "unusable role name".into()));
        }
        let body = match self
            .get(&format!("{ROLE_PATH}{role}"), token.as_ref(), true)
            .await?
        {
            Fetched::Ok(r) => r.body,
            Fetched::Exhausted(why) => return Err(not_found("credentials", why)),
        };
        let json: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
        let field = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_string);
        let (Some(access), Some(secret), Some(token), Some(expiration)) = (
            field("AccessKeyId"),
            field("SecretAccessKey"),
            field("Token"),
            field("Expiration"),
        ) else {
            let code = field("Code").unwrap_or_else(|| "none".into());
            return Err(not_found(
                "credentials",
                format!("the response lacks credential fields; Code: {code}"),
            ));
        };
        let expiry = time::parse_rfc3339(&expiration).ok_or_else(|| {
            CredentialsError::failed(
                NAME,
                format!("Expiration {expiration:?} is not an RFC 3339 timestamp"),
            )
        })?;
        let expiry = extend_if_stale(expiry, SystemTime::now(), jitter_secs());
        tracing::info!(role = %role, "found credentials from the IAM role of the instance");
        Ok(Credentials::new(
            access,
            secret,
            Some(token),
            Some(expiry),
            NAME,
        ))
    }
}

/// A pseudo-random 120..=600 seconds (no RNG dependency needed for a jitter).
fn jitter_secs() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    120 + u64::from(nanos) % 481
}

/// botocore's `_evaluate_expiration`: if `expiry` is within window+jitter of `now`, push it to
/// `now + window + jitter`.
pub(crate) fn extend_if_stale(expiry: SystemTime, now: SystemTime, jitter: u64) -> SystemTime {
    let offset = REFRESH_WINDOW + Duration::from_secs(jitter);
    let threshold = expiry.checked_sub(offset).unwrap_or(UNIX_EPOCH);
    if now >= threshold {
        now + offset
    } else {
        expiry
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }

    fn name(&self) -> &'static str {
        NAME
    }
}
