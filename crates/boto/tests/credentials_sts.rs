//! Credential providers that call AWS: assume-role profiles (source_profile chains, cycles, MFA),
//! web identity, against moto's STS; SSO against a scripted portal server (moto has none).

mod support;

use boto::{doc, Session};
use boto_core::config::Env;
use boto_core::credentials::CredentialsError;
use std::path::{Path, PathBuf};
use support::{moto_url, scripted_server, unique};

const CONFIG: &str = "\
[profile base]
aws_access_key_id = testing
aws_secret_access_key = testing

[profile role]
role_arn = arn:aws:iam::123456789012:role/test-role
source_profile = base
role_session_name = boto-rs-test
duration_seconds = 900

[profile chained]
role_arn = arn:aws:iam::123456789012:role/second
source_profile = role

[profile loop-a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = loop-a

[profile mfa]
role_arn = arn:aws:iam::123456789012:role/test-role
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/user

[profile both]
role_arn = arn:aws:iam::123456789012:role/test-role
source_profile = base
credential_source = Environment

[profile web]
web_identity_token_file = ~/token
role_arn = arn:aws:iam::123456789012:role/web-role
role_session_name = web-session

[profile dev-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
";

fn home() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("boto-home"));
    std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
    std::fs::write(dir.join(".aws/config"), CONFIG).unwrap();
    std::fs::write(dir.join("token"), "header.payload.signature\n").unwrap();
    dir
}

fn env(home: &Path, extra: &[(&str, &str)]) -> Env {
    let mut vars = vec![
        ("HOME".to_string(), home.display().to_string()),
        ("AWS_ENDPOINT_URL".to_string(), moto_url()),
        ("AWS_REGION".to_string(), "us-east-1".to_string()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(vars)
}

async fn credentials_of(profile: &str, env: Env) -> Result<boto::Credentials, CredentialsError> {
    let session = Session::builder()
        .env(env)
        .profile_name(profile)
        .build()
        .unwrap();
    session.credentials_provider().provide_credentials().await
}

#[tokio::test]
async fn role_profile_assumes_the_role_and_calls_with_it() {
    let home = home();
    let creds = credentials_of("role", env(&home, &[])).await.unwrap();
    assert_eq!(creds.provider_name(), "assume-role");
    assert!(creds.session_token().is_some());
    assert!(creds.expiry().is_some());
    assert_ne!(
        creds.access_key_id(),
        "testing",
        "temporary credentials, not the source keys"
    );
    let session = Session::builder()
        .env(env(&home, &[]))
        .profile_name("role")
        .build()
        .unwrap();
    let who = session
        .client("sts")
        .unwrap()
        .call("GetCallerIdentity", doc! {})
        .await
        .unwrap();
    let arn = who["Arn"].as_str().unwrap();
    assert!(arn.contains("assumed-role/test-role/boto-rs-test"), "{arn}");
}

#[tokio::test]
async fn source_profile_chains_assume_each_role_in_turn() {
    let home = home();
    let creds = credentials_of("chained", env(&home, &[])).await.unwrap();
    assert_eq!(creds.provider_name(), "assume-role");
    let session = Session::builder()
        .env(env(&home, &[]))
        .profile_name("chained")
        .build()
        .unwrap();
    let who = session
        .client("sts")
        .unwrap()
        .call("GetCallerIdentity", doc! {})
        .await
        .unwrap();
    assert!(
        who["Arn"]
            .as_str()
            .unwrap()
            .contains("assumed-role/second/"),
        "{who}"
    );
}

#[tokio::test]
async fn misconfigured_role_profiles_are_clear_errors() {
    let home = home();
    let err = credentials_of("loop-a", env(&home, &[])).await.unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("cycle"), "{err}");
    let err = credentials_of("mfa", env(&home, &[])).await.unwrap_err();
    assert!(matches!(err, CredentialsError::MfaRequired { .. }), "{err}");
    let err = credentials_of("both", env(&home, &[])).await.unwrap_err();
    assert!(err.to_string().contains("credential_source"), "{err}");
    assert!(
        !err.to_string().contains("testing"),
        "no secret in errors: {err}"
    );
}

#[tokio::test]
async fn web_identity_from_profile_and_environment() {
    let home = home();
    let creds = credentials_of("web", env(&home, &[])).await.unwrap();
    assert_eq!(creds.provider_name(), "assume-role-with-web-identity");
    assert!(creds.session_token().is_some());
    let token = home.join("token").display().to_string();
    let vars = [
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/env-role"),
        ("AWS_ROLE_SESSION_NAME", "env-session"),
    ];
    let session = Session::builder().env(env(&home, &vars)).build().unwrap();
    let creds = session
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "assume-role-with-web-identity");
}

fn sso_cache(home: &Path, expires_at: &str) {
    // sha1("corp"): the CLI names the token cache after the session name.
    let name = "corp";
    let digest = ring_sha1(name);
    let body = format!(
        r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "sso-token-123", "expiresAt": "{expires_at}"}}"#
    );
    std::fs::write(
        home.join(".aws/sso/cache").join(format!("{digest}.json")),
        body,
    )
    .unwrap();
}

fn ring_sha1(s: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, s.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn sso_trades_the_cached_token_for_role_credentials() {
    let home = home();
    sso_cache(&home, "2999-01-01T00:00:00Z");
    let body = r#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-session","expiration":32503680000000}}"#;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (url, server) = scripted_server(vec![response]);
    let creds = credentials_of(
        "dev-sso",
        env(&home, &[("AWS_ENDPOINT_URL_SSO", url.as_str())]),
    )
    .await
    .unwrap();
    assert_eq!(creds.access_key_id(), "ASIASSO");
    assert_eq!(creds.session_token(), Some("sso-session"));
    assert!(creds.expiry().is_some());
    let seen = server.join().unwrap();
    assert!(
        seen[0].starts_with("GET /federation/credentials?"),
        "{}",
        seen[0]
    );
    assert!(
        seen[0].contains("role_name=Admin") && seen[0].contains("account_id=123456789012"),
        "{}",
        seen[0]
    );
    assert!(
        seen[0]
            .to_ascii_lowercase()
            .contains("x-amz-sso_bearer_token: sso-token-123"),
        "{}",
        seen[0]
    );
    assert!(
        !seen[0].to_ascii_lowercase().contains("authorization:"),
        "SSO portal calls are unsigned"
    );
}

#[tokio::test]
async fn expired_sso_token_says_how_to_log_in_again() {
    let home = home();
    sso_cache(&home, "2001-01-01T00:00:00Z");
    let err = credentials_of("dev-sso", env(&home, &[]))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("aws sso login --profile dev-sso"),
        "{err}"
    );
}

#[tokio::test]
async fn an_expiring_sso_token_is_refreshed_through_sso_oidc() {
    let home = home();
    let soon = boto_core::credentials::time::format_rfc3339(
        std::time::SystemTime::now() + std::time::Duration::from_secs(120),
    );
    let cache = home
        .join(".aws/sso/cache")
        .join(format!("{}.json", ring_sha1("corp")));
    let body = format!(
        r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "old-token",
            "expiresAt": "{soon}", "clientId": "cid", "clientSecret": "csecret",
            "refreshToken": "refresh-1", "registrationExpiresAt": "2999-01-01T00:00:00Z"}}"#
    );
    std::fs::write(&cache, body).unwrap();
    let ok = |body: &str| {
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let token = r#"{"accessToken":"new-token","expiresIn":3600,"refreshToken":"refresh-2","tokenType":"Bearer"}"#;
    let creds = r#"{"roleCredentials":{"accessKeyId":"ASIANEW","secretAccessKey":"s","sessionToken":"t","expiration":32503680000000}}"#;
    let (url, server) = scripted_server(vec![ok(token), ok(creds)]);
    let env = env(
        &home,
        &[
            ("AWS_ENDPOINT_URL_SSO", url.as_str()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", url.as_str()),
        ],
    );
    let got = credentials_of("dev-sso", env).await.unwrap();
    assert_eq!(got.access_key_id(), "ASIANEW");
    let seen = server.join().unwrap();
    assert!(seen[0].starts_with("POST /token"), "{}", seen[0]);
    assert!(
        seen[1]
            .to_ascii_lowercase()
            .contains("x-amz-sso_bearer_token: new-token"),
        "{}",
        seen[1]
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cache).unwrap()).unwrap();
    assert_eq!(saved["accessToken"], "new-token");
    assert_eq!(saved["refreshToken"], "refresh-2");
    assert_eq!(saved["clientId"], "cid");
}
