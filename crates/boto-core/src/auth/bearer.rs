//! Bearer tokens (`Authorization: Bearer <token>`, the `smithy.api#httpBearerAuth` scheme), as
//! botocore sends them for services that take them: Amazon Bedrock's API keys and CodeCatalyst's
//! tokens. A token never shows in `Debug` output.

use crate::config::Env;
use std::fmt;

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
        let var = format!(
            "AWS_BEARER_TOKEN_{}",
            signing_name.replace(['-', ' '], "_").to_uppercase()
        );
        env.get(&var).map(BearerToken)
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
