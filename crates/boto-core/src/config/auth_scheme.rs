//! botocore's `auth_scheme_preference`: the auth schemes to prefer where a service offers more
//! than one (`sigv4`, `httpBearerAuth`, `sigv4a`, `noAuth`), as a comma-separated list from the
//! session, `AWS_AUTH_SCHEME_PREFERENCE` or the profile key of the same name. Blanks inside the
//! names are dropped and empty entries skipped, as botocore does; a name this SDK does not know
//! is kept and passed over when choosing.

use super::{ConfigError, ConfigResolver, ValueSource};

/// The auth schemes to prefer, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AuthSchemePreference {
    /// Scheme names without their namespace (`sigv4`, `httpBearerAuth`).
    pub schemes: Vec<String>,
    /// Set on the session in code, not read from the environment or a profile. botocore lets
    /// a bearer token found in the environment win over a preference that came from there, but
    /// not over one given in code.
    pub in_code: bool,
}

impl ConfigResolver {
    /// `auth_scheme_preference`: explicit, then `AWS_AUTH_SCHEME_PREFERENCE`, then the profile.
    ///
    /// # Errors
    ///
    /// None today: every string is a list; the result type leaves room for checks.
    pub fn auth_scheme_preference(&self) -> Result<AuthSchemePreference, ConfigError> {
        let name = "auth_scheme_preference";
        let Some(r) = self.resolve(name, &["AWS_AUTH_SCHEME_PREFERENCE"], Some(name)) else {
            return Ok(AuthSchemePreference::default());
        };
        let schemes = r
            .value
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.chars().filter(|c| *c != ' ' && *c != '\t').collect())
            .collect();
        Ok(AuthSchemePreference {
            schemes,
            in_code: matches!(r.source, ValueSource::Explicit(_)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Env, SharedFiles};

    #[test]
    fn the_list_is_read_and_cleaned_as_botocore_cleans_it() {
        let files = SharedFiles::from_contents(
            "/c",
            Some("[default]\nauth_scheme_preference = sigv4a\n"),
            "/k",
            None,
        )
        .unwrap();
        let env = Env::from_vars([("AWS_AUTH_SCHEME_PREFERENCE", " http Bearer Auth ,, sigv4 ")]);
        let from_env = ConfigResolver::builder(env.clone())
            .files(files.clone())
            .build()
            .unwrap()
            .auth_scheme_preference()
            .unwrap();
        assert_eq!(from_env.schemes, ["httpBearerAuth", "sigv4"]);
        assert!(!from_env.in_code);
        let explicit = ConfigResolver::builder(env)
            .files(files.clone())
            .set("auth_scheme_preference", "sigv4")
            .build()
            .unwrap()
            .auth_scheme_preference()
            .unwrap();
        assert_eq!(explicit.schemes, ["sigv4"]);
        assert!(explicit.in_code);
        let profile = ConfigResolver::builder(Env::empty())
            .files(files)
            .build()
            .unwrap()
            .auth_scheme_preference()
            .unwrap();
        assert_eq!(profile.schemes, ["sigv4a"]);
        let none = ConfigResolver::builder(Env::empty())
            .files(SharedFiles::empty())
            .build()
            .unwrap()
            .auth_scheme_preference()
            .unwrap();
        assert_eq!(none, AuthSchemePreference::default());
    }
}
