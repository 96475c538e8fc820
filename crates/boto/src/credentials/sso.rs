//! IAM Identity Center (SSO): the access token `aws sso login` cached under `~/.aws/sso/cache/`
//! is traded for role credentials with SSO `GetRoleCredentials`, or, for bearer-token services,
//! sent as it is ([`SsoTokenProvider`]). A token of an `sso_session` that is about to expire is
//! refreshed through SSO OIDC first; an expired one is reported with the command that renews it.

use super::{call_failed, ClientFactory};
use boto_core::auth::bearer::{BearerToken, ProvideToken, TokenFuture};
use boto_core::credentials::time::{format_rfc3339, parse_rfc3339};
use boto_core::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use boto_core::doc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const NAME: &str = "sso";

/// A cached token this close to expiring is refreshed first (botocore's window).
const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);

/// SSO credentials for a profile with `sso_account_id` / `sso_role_name` (and either
/// `sso_session` or the legacy `sso_start_url` / `sso_region`).
#[derive(Debug, Clone)]
pub struct SsoProvider {
    factory: ClientFactory,
    profile: String,
}

impl SsoProvider {
    /// For `profile`, with clients made by `factory`.
    pub fn new(factory: ClientFactory, profile: impl Into<String>) -> Self {
        SsoProvider {
            factory,
            profile: profile.into(),
        }
    }

    fn invalid(&self, key: &str, message: impl Into<String>) -> CredentialsError {
        CredentialsError::InvalidProfile {
            file: Some(self.factory.resolver().files().config_path().to_path_buf()),
            profile: self.profile.clone(),
            key: Some(key.to_string()),
            message: message.into(),
        }
    }
}

impl SsoProvider {
    /// The profile's SSO access token (refreshed through SSO OIDC when it is about to expire and
    /// the profile names an `sso_session`), the SSO region, and when the token expires.
    async fn access_token(
        &self,
        section: &boto_core::config::Section,
    ) -> Result<(String, String, SystemTime), CredentialsError> {
        let resolver = self.factory.resolver();
        let files = resolver.shared_files();
        // Only `sso-session` profiles carry a refreshable token (the CLI's newer format).
        let refreshable = section.get("sso_session").is_some();
        let (cache_key, region) = match section.get("sso_session") {
            Some(name) => {
                let session = files.sso_session(name).ok_or_else(|| {
                    self.invalid(
                        "sso_session",
                        format!("there is no [sso-session {name}] section"),
                    )
                })?;
                let region = session.get("sso_region").ok_or_else(|| {
                    self.invalid(
                        "sso_region",
                        format!("[sso-session {name}] has no sso_region"),
                    )
                })?;
                (name.to_string(), region.to_string())
            }
            None => {
                let url = section.get("sso_start_url").ok_or_else(|| {
                    self.invalid("sso_start_url", "set sso_session or sso_start_url")
                })?;
                let region = section
                    .get("sso_region")
                    .ok_or_else(|| self.invalid("sso_region", "missing"))?;
                (url.to_string(), region.to_string())
            }
        };
        let home = resolver.env().home_dir().ok_or_else(|| {
            CredentialsError::failed(NAME, "no home directory to find the SSO token cache in")
        })?;
        let path = home
            .join(".aws")
            .join("sso")
            .join("cache")
            .join(cache_file_name(&cache_key));
        let relogin = format!("run `aws sso login --profile {}`", self.profile);
        let text = tokio::fs::read_to_string(&path).await.map_err(|_| {
            CredentialsError::failed(
                NAME,
                format!("no cached SSO token at {}; {relogin}", path.display()),
            )
        })?;
        let mut cached: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            CredentialsError::failed(
                NAME,
                format!(
                    "the SSO token cache {} is not JSON; {relogin}",
                    path.display()
                ),
            )
        })?;
        let expires = cached["expiresAt"].as_str().and_then(parse_rfc3339);
        let soon = SystemTime::now() + REFRESH_WINDOW;
        if refreshable && expires.is_none_or(|t| t < soon) {
            if let Some(fresh) = self.refresh(&cached, &region).await {
                // A cache that cannot be written is only a lost optimisation.
                if let Err(e) = write_cache(&path, &fresh).await {
                    tracing::warn!(path = %path.display(), error = %e, "could not update the SSO token cache");
                }
                cached = fresh;
            }
        }
        let token = cached["accessToken"].as_str().ok_or_else(|| {
            CredentialsError::failed(
                NAME,
                format!("{} has no accessToken; {relogin}", path.display()),
            )
        })?;
        let expires = cached["expiresAt"]
            .as_str()
            .and_then(parse_rfc3339)
            .filter(|t| *t > SystemTime::now())
            .ok_or_else(|| {
                CredentialsError::failed(NAME, format!("the SSO session has expired; {relogin}"))
            })?;
        Ok((token.to_string(), region, expires))
    }

    /// Trades the cached refresh token for a new access token with SSO-OIDC `CreateToken`, as
    /// botocore's SSOTokenProvider does. `None` when the cache cannot refresh (missing keys, an
    /// expired client registration) or the call fails: the cached token is then used as it is.
    async fn refresh(&self, cached: &serde_json::Value, region: &str) -> Option<serde_json::Value> {
        let field = |k: &str| cached[k].as_str();
        let (client_id, secret, refresh_token, registration) = (
            field("clientId")?,
            field("clientSecret")?,
            field("refreshToken")?,
            field("registrationExpiresAt")?,
        );
        if parse_rfc3339(registration).is_none_or(|t| t <= SystemTime::now()) {
            return None;
        }
        let oidc = self
            .factory
            .client("sso-oidc", NAME, None, Some(region))
            .ok()?;
        let input = doc! {
            "grantType": "refresh_token",
            "clientId": client_id,
            "clientSecret": secret,
            "refreshToken": refresh_token,
        };
        let resp = match oidc.call("CreateToken", input).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "SSO token refresh failed; using the cached token");
                return None;
            }
        };
        let access = resp["accessToken"].as_str()?;
        let expires_in = resp["expiresIn"]
            .as_i64()
            .and_then(|s| u64::try_from(s).ok())?;
        let mut fresh = serde_json::json!({
            "startUrl": cached["startUrl"],
            "region": region,
            "accessToken": access,
            "expiresAt": format_rfc3339(SystemTime::now() + Duration::from_secs(expires_in)),
            "clientId": client_id,
            "clientSecret": secret,
            "registrationExpiresAt": registration,
        });
        if let Some(new_refresh) = resp["refreshToken"].as_str() {
            fresh["refreshToken"] = new_refresh.into();
        }
        Some(fresh)
    }
}

/// Replaces the token cache file (write a sibling, then rename, so readers never see half a file).
async fn write_cache(path: &std::path::Path, token: &serde_json::Value) -> std::io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    tokio::fs::write(&tmp, serde_json::to_vec_pretty(token)?).await?;
    tokio::fs::rename(&tmp, path).await
}

/// SHA-1 of the cache key, hex: the file name the AWS CLI uses for the token cache.
fn cache_file_name(key: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, key.as_bytes());
    format!("{}.json", boto_core::encoding::hex_encode(digest.as_ref()))
}

impl ProvideCredentials for SsoProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let resolver = self.factory.resolver();
            let files = resolver.shared_files();
            let Some(section) = files.profile(&self.profile) else {
                return Err(CredentialsError::not_found(
                    NAME,
                    format!("profile {:?} does not exist", self.profile),
                ));
            };
            if section.get("sso_account_id").is_none() && section.get("sso_role_name").is_none() {
                return Err(CredentialsError::not_found(
                    NAME,
                    format!("profile {:?} does not use SSO", self.profile),
                ));
            }
            let account = section
                .get("sso_account_id")
                .ok_or_else(|| self.invalid("sso_account_id", "missing"))?
                .to_string();
            let role = section
                .get("sso_role_name")
                .ok_or_else(|| self.invalid("sso_role_name", "missing"))?
                .to_string();
            let (token, region, _) = self.access_token(section).await?;
            let sso = self.factory.client("sso", NAME, None, Some(&region))?;
            let resp = sso
                .call(
                    "GetRoleCredentials",
                    doc! {"roleName": role, "accountId": account.as_str(), "accessToken": token.as_str()},
                )
                .await
                .map_err(|e| call_failed(NAME, "sso:GetRoleCredentials", e))?;
            let c = &resp["roleCredentials"];
            let (Some(akid), Some(secret)) =
                (c["accessKeyId"].as_str(), c["secretAccessKey"].as_str())
            else {
                return Err(CredentialsError::failed(
                    NAME,
                    "the SSO response carries no credentials",
                ));
            };
            let expiry = c["expiration"]
                .as_i64()
                .and_then(|ms| u64::try_from(ms).ok())
                .map(|ms| std::time::UNIX_EPOCH + Duration::from_millis(ms));
            Ok(Credentials::new(
                akid,
                secret,
                c["sessionToken"].as_str().map(str::to_string),
                expiry,
                NAME,
            )
            .with_account_id(Some(account)))
        })
    }

    fn name(&self) -> &'static str {
        NAME
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cache_file_names_are_the_sha1_of_the_key() {
        // `printf my-sso | sha1sum`
        assert_eq!(
            super::cache_file_name("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
    }
}

/// Bearer tokens from a profile's `sso_session` (botocore's `SSOTokenProvider`), for the services
/// that take `Authorization: Bearer` (CodeCatalyst): the access token `aws sso login` cached,
/// refreshed through SSO OIDC when it is about to expire. Asked at every signing, it keeps the
/// token it read until that token comes within the refresh window of expiring, as botocore's
/// deferred refreshable token does, so a call does not read the cache file.
#[derive(Debug, Clone)]
pub struct SsoTokenProvider {
    sso: SsoProvider,
    kept: Arc<Mutex<Option<(BearerToken, SystemTime)>>>,
}

impl SsoTokenProvider {
    /// For `profile`, with the refresh client made by `factory`.
    pub fn new(factory: ClientFactory, profile: impl Into<String>) -> Self {
        SsoTokenProvider {
            sso: SsoProvider::new(factory, profile),
            kept: Arc::default(),
        }
    }
}

impl ProvideToken for SsoTokenProvider {
    fn provide_token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            let fresh_until = SystemTime::now() + REFRESH_WINDOW;
            if let Some((token, _)) = self.kept_token().filter(|(_, t)| *t > fresh_until) {
                return Ok(token);
            }
            let files = self.sso.factory.resolver().shared_files();
            let profile = &self.sso.profile;
            let section = files
                .profile(profile)
                .filter(|s| s.get("sso_session").is_some())
                .ok_or_else(|| {
                    CredentialsError::not_found(
                        NAME,
                        format!("profile {profile:?} names no sso_session for a bearer token"),
                    )
                })?;
            let (token, _, expires) = self.sso.access_token(section).await?;
            let token = BearerToken::new(token);
            if let Ok(mut kept) = self.kept.lock() {
                *kept = Some((token.clone(), expires));
            }
            Ok(token)
        })
    }
}

impl SsoTokenProvider {
    fn kept_token(&self) -> Option<(BearerToken, SystemTime)> {
        self.kept.lock().ok().and_then(|k| k.clone())
    }
}
