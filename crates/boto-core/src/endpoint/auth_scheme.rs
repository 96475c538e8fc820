//! The `authSchemes` property of a resolved endpoint as typed values: which signer the endpoint
//! asks for, and the scope (signing name and region) it overrides.

use super::Endpoint;
use crate::document::Name;
use serde_json::Value;

/// One entry of an endpoint's `authSchemes` list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `sigv4`: a SigV4 signature, optionally for another signing name or region.
    SigV4 {
        /// Overrides the model's signing name (S3 Express: `s3express`).
        signing_name: Option<Name>,
        /// Overrides the client's region in the credential scope.
        signing_region: Option<Name>,
        /// The path is encoded once, not twice, in the canonical request.
        disable_double_encoding: bool,
    },
    /// `sigv4a`: an asymmetric multi-region signature.
    SigV4a {
        /// Overrides the model's signing name.
        signing_name: Option<Name>,
        /// The regions the signature is valid for (`*` for all).
        signing_region_set: Vec<String>,
    },
    /// Any other scheme (`sigv4-s3express`, ...), by name.
    Other {
        /// The scheme's name as the rules gave it.
        name: String,
    },
}

impl AuthScheme {
    /// The scheme's name as the rule set spells it.
    pub fn name(&self) -> &str {
        match self {
            AuthScheme::SigV4 { .. } => "sigv4",
            AuthScheme::SigV4a { .. } => "sigv4a",
            AuthScheme::Other { name } => name,
        }
    }

    fn from_json(v: &Value) -> Option<AuthScheme> {
        let text = |key: &str| v.get(key).and_then(Value::as_str).map(Name::from);
        Some(match v.get("name")?.as_str()? {
            "sigv4" => AuthScheme::SigV4 {
                signing_name: text("signingName"),
                signing_region: text("signingRegion"),
                disable_double_encoding: v
                    .get("disableDoubleEncoding")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            "sigv4a" => AuthScheme::SigV4a {
                signing_name: text("signingName"),
                signing_region_set: v
                    .get("signingRegionSet")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|r| r.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            other => AuthScheme::Other {
                name: other.to_string(),
            },
        })
    }
}

impl Endpoint {
    /// The `authSchemes` property as the rules wrote it, or an empty slice.
    pub fn auth_schemes(&self) -> &[Value] {
        self.properties
            .get("authSchemes")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The endpoint's auth schemes, typed, in the rules' order of preference (empty when the
    /// rules name none, which means the service model's signer applies).
    pub fn typed_auth_schemes(&self) -> Vec<AuthScheme> {
        self.typed_auth_scheme_iter().collect()
    }

    /// [`typed_auth_schemes`](Self::typed_auth_schemes), each typed only when it is reached.
    pub(crate) fn typed_auth_scheme_iter(&self) -> impl Iterator<Item = AuthScheme> + '_ {
        self.auth_schemes().iter().filter_map(AuthScheme::from_json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(schemes: Value) -> Endpoint {
        let mut properties = serde_json::Map::new();
        properties.insert("authSchemes".into(), schemes);
        Endpoint {
            url: "https://example.com".into(),
            properties,
            headers: Default::default(),
        }
    }

    #[test]
    fn typed_schemes() {
        let e = endpoint(serde_json::json!([
            {"name": "sigv4a", "signingName": "s3", "signingRegionSet": ["*"]},
            {"name": "sigv4", "signingName": "s3express", "signingRegion": "us-west-2",
             "disableDoubleEncoding": true},
            {"name": "sigv4-s3express"},
            {"noname": true}
        ]));
        let schemes = e.typed_auth_schemes();
        assert_eq!(schemes.len(), 3);
        assert_eq!(
            schemes[0],
            AuthScheme::SigV4a {
                signing_name: Some("s3".into()),
                signing_region_set: vec!["*".into()]
            }
        );
        assert_eq!(
            schemes[1],
            AuthScheme::SigV4 {
                signing_name: Some("s3express".into()),
                signing_region: Some("us-west-2".into()),
                disable_double_encoding: true
            }
        );
        assert_eq!(schemes[2].name(), "sigv4-s3express");
        assert!(endpoint(Value::Null).typed_auth_schemes().is_empty());
    }
}
