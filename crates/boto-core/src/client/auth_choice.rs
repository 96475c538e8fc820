//! Which of its auth schemes a request uses, as botocore chooses its signer: an operation's own
//! `auth` trait first (its first scheme this SDK speaks), then the service's, which the
//! `auth_scheme_preference` setting may reorder; and for the services botocore lets take a
//! bearer token from the environment (Bedrock's API keys), that token when there is one and the
//! preference was not set in code. SigV4a is not spoken here and is passed over, as botocore
//! passes it over without the CRT.

use super::ConstructionError;
use crate::config::AuthSchemePreference;
use crate::model::{Operation, ServiceModel};

/// The signing names whose bearer token from the environment is preferred (botocore's
/// `get_bearer_auth_supported_services`).
const ENV_BEARER_SERVICES: &[&str] = &["bedrock"];

const BEARER: &str = "smithy.api#httpBearerAuth";

/// What the choice depends on besides the model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthSettings<'a> {
    /// `auth_scheme_preference`.
    pub(crate) preference: &'a AuthSchemePreference,
    /// The client can get a bearer token.
    pub(crate) bearer_token: bool,
    /// That token was given in code or found in the environment, not in an SSO session.
    pub(crate) bearer_token_preferred: bool,
    /// The client signs nothing (`signature_version = UNSIGNED`).
    pub(crate) unsigned: bool,
}

/// The scheme chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Anonymous,
    SigV4,
    Bearer,
}

/// Chooses the scheme of `op`.
pub(crate) fn choose(
    model: &ServiceModel,
    op: &Operation,
    settings: &AuthSettings<'_>,
) -> Result<Scheme, ConstructionError> {
    let no_auth = op.auth_type.as_deref() == Some("none")
        || (!op.auth.is_empty() && op.auth.iter().all(|a| a == "smithy.api#noAuth"));
    if no_auth || settings.unsigned {
        return Ok(Scheme::Anonymous);
    }
    if !op.auth.is_empty() {
        return first_spoken(&op.auth);
    }
    if op.auth_type.as_deref() == Some("bearer") {
        return Ok(Scheme::Bearer);
    }
    let meta = model.metadata();
    let options = &meta.auth;
    let mut chosen = if !options.is_empty() {
        first_spoken(options)?
    } else if meta.signature_version.as_deref() == Some("bearer") {
        Scheme::Bearer
    } else {
        Scheme::SigV4
    };
    let preference = settings.preference;
    if !preference.schemes.is_empty() && !options.is_empty() {
        chosen = preferred(&preference.schemes, options)?;
    }
    let env_bearer = ENV_BEARER_SERVICES.contains(&meta.signing_name())
        && options.iter().any(|o| o == BEARER)
        && settings.bearer_token
        && settings.bearer_token_preferred;
    if env_bearer && (chosen == Scheme::Bearer || !preference.in_code) {
        chosen = Scheme::Bearer;
    }
    Ok(chosen)
}

/// A scheme's short name (`sigv4`) to the scheme, for the ones spoken here.
fn spoken(short: &str) -> Option<Scheme> {
    match short {
        "sigv4" => Some(Scheme::SigV4),
        "httpBearerAuth" => Some(Scheme::Bearer),
        "noAuth" => Some(Scheme::Anonymous),
        _ => None,
    }
}

fn short(name: &str) -> &str {
    name.rsplit('#').next().unwrap_or(name)
}

fn first_spoken(options: &[String]) -> Result<Scheme, ConstructionError> {
    options
        .iter()
        .find_map(|o| spoken(short(o)))
        .ok_or_else(|| unsupported(options))
}

/// The preferred schemes the service offers, in the preference's order, then the rest the
/// service offers in its order: the first spoken here wins.
fn preferred(preference: &[String], options: &[String]) -> Result<Scheme, ConstructionError> {
    let offered: Vec<&str> = options.iter().map(|o| short(o)).collect();
    let mut order: Vec<&str> = Vec::new();
    for name in preference
        .iter()
        .map(String::as_str)
        .chain(offered.iter().copied())
    {
        if offered.contains(&name) && !order.contains(&name) {
            order.push(name);
        }
    }
    order
        .into_iter()
        .find_map(spoken)
        .ok_or_else(|| unsupported(options))
}

fn unsupported(options: &[String]) -> ConstructionError {
    let mut names: Vec<String> = options.iter().map(|o| short(o).to_string()).collect();
    names.sort();
    ConstructionError::UnsupportedAuthSchemes(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn settings(preference: &AuthSchemePreference, bearer_token: bool) -> AuthSettings<'_> {
        AuthSettings {
            preference,
            bearer_token,
            bearer_token_preferred: bearer_token,
            unsigned: false,
        }
    }

    fn prefer(schemes: &[&str], in_code: bool) -> AuthSchemePreference {
        AuthSchemePreference {
            schemes: names(schemes),
            in_code,
        }
    }

    #[test]
    fn the_preference_reorders_what_the_service_offers() {
        let offered = names(&["aws.auth#sigv4", "smithy.api#httpBearerAuth"]);
        let pick = |pref: &[&str]| preferred(&names(pref), &offered).unwrap();
        assert_eq!(pick(&["httpBearerAuth"]), Scheme::Bearer);
        assert_eq!(pick(&["sigv4a", "httpBearerAuth", "sigv4"]), Scheme::Bearer);
        assert_eq!(pick(&["sigv4"]), Scheme::SigV4);
        assert_eq!(
            pick(&["noAuth", "unknown"]),
            Scheme::SigV4,
            "not offered: the service's order"
        );
        let v4a_only = names(&["aws.auth#sigv4a"]);
        let err = preferred(&names(&["sigv4a"]), &v4a_only).unwrap_err();
        assert!(
            matches!(err, ConstructionError::UnsupportedAuthSchemes(ref n) if n == &["sigv4a"])
        );
        let with_v4a = names(&["aws.auth#sigv4a", "aws.auth#sigv4"]);
        assert_eq!(
            first_spoken(&with_v4a).unwrap(),
            Scheme::SigV4,
            "sigv4a passed over"
        );
    }

    #[test]
    fn sqs_signs_with_sigv4_whatever_the_preference_and_unsigned_is_anonymous() {
        let model = ServiceModel::load("sqs").unwrap();
        let op = model.operation("ListQueues").unwrap();
        let preference = prefer(&["httpBearerAuth", "noAuth"], false);
        let mut s = settings(&preference, true);
        assert_eq!(choose(&model, op, &s).unwrap(), Scheme::SigV4);
        s.unsigned = true;
        assert_eq!(choose(&model, op, &s).unwrap(), Scheme::Anonymous);
    }

    #[cfg(feature = "bedrock-runtime")]
    #[test]
    fn bedrock_takes_a_token_from_the_environment_unless_code_prefers_sigv4() {
        let model = ServiceModel::load("bedrock-runtime").unwrap();
        let op = model.operation("Converse").unwrap();
        let none = AuthSchemePreference::default();
        let pick =
            |p: &AuthSchemePreference, token| choose(&model, op, &settings(p, token)).unwrap();
        assert_eq!(pick(&none, false), Scheme::SigV4);
        assert_eq!(pick(&none, true), Scheme::Bearer);
        let env_v4 = prefer(&["sigv4"], false);
        assert_eq!(
            pick(&env_v4, true),
            Scheme::Bearer,
            "a preference from the environment"
        );
        let code_v4 = prefer(&["sigv4"], true);
        assert_eq!(
            pick(&code_v4, true),
            Scheme::SigV4,
            "a preference set in code"
        );
        let code_bearer = prefer(&["httpBearerAuth"], true);
        assert_eq!(
            pick(&code_bearer, false),
            Scheme::Bearer,
            "then the token is missing"
        );
    }

    #[cfg(feature = "codecatalyst")]
    #[test]
    fn a_bearer_service_signs_with_its_token() {
        let model = ServiceModel::load("codecatalyst").unwrap();
        let op = model.operation("ListSpaces").unwrap();
        let none = AuthSchemePreference::default();
        assert_eq!(
            choose(&model, op, &settings(&none, false)).unwrap(),
            Scheme::Bearer
        );
    }
}
