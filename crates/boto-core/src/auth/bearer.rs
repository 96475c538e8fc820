//! Bearer tokens (`Authorization: Bearer <token>`, the `smithy.api#httpBearerAuth` scheme), as
//! botocore sends them for services that take them: Amazon Bedrock's API keys and CodeCatalyst's
//! tokens. A token never shows in `Debug` output.

use crate::config::Env;
use crate::credentials::CredentialsError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// What [`ProvideToken::provide_token`] returns.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<BearerToken, CredentialsError>> + Send + 'a>>;

/// Something that produces a bearer token when a request needs one (asked at every signing, so
/// a provider may refresh an expiring token); usable as `Arc<dyn ProvideToken>`.
pub trait ProvideToken: Send + Sync {
    /// Produces the token.
    fn provide_token(&self) -> TokenFuture<'_>;
}

/// A fixed token provides itself.
impl ProvideToken for BearerToken {
    fn provide_token(&self) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// A bearer token.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// A token from its text.
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken(token.into())
    }

    /// The token the environment holds for a service, as botocore's scoped environment token
    /// provider finds it: `AWS_BEARER_TOKEN_<SIGNING NAME>`, upper case, with dashes and blanks
    /// as underscores (`AWS_BEARER_TOKEN_BEDROCK`).
    ///
    /// ```
    /// use boto_core::auth::bearer::BearerToken;
    /// use boto_core::config::Env;
    /// let env = Env::from_vars([("AWS_BEARER_TOKEN_BEDROCK", "key")]);
    /// assert_eq!(BearerToken::from_env(&env, "bedrock"), Some(BearerToken::new("key")));
    /// assert_eq!(BearerToken::from_env(&env, "codecatalyst"), None);
    /// ```
    pub fn from_env(env: &Env, signing_name: &str) -> Option<Self> {
        if signing_name.trim().is_empty() {
            return None;
        }
        env.get(&Self::env_var(signing_name)).map(BearerToken)
    }

    /// The variable that holds a service's token: `AWS_BEARER_TOKEN_<SIGNING NAME>`, upper case,
    /// dashes and blanks as underscores.
    pub fn env_var(signing_name: &str) -> String {
        format!(
            "AWS_BEARER_TOKEN_{}",
            signing_name.replace(['-', ' '], "_").to_uppercase()
        )
    }

    /// The token's text (a secret: do not log it).
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_hidden_in_debug() {
        let t = BearerToken::new("s3cr3t");
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert_eq!(t.secret(), "s3cr3t");
    }
}
