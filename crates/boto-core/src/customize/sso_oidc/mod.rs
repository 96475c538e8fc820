//! SSO OIDC's customizations.

mod oauth2_errors;

pub(super) use oauth2_errors::OAuth2Errors;
