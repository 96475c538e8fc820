//! Bearer tokens (`smithy.api#httpBearerAuth`) and `auth_scheme_preference`, as botocore chooses
//! and sends them: Bedrock takes its API key from `AWS_BEARER_TOKEN_BEDROCK` (or the session)
//! instead of SigV4, unless a preference set in code says otherwise. The same call goes through
//! the pinned boto3 and boto-rs to a TLS loopback server, and what authorizes it is compared.

#![cfg(feature = "bedrock")]

mod support;

use boto::{doc, Credentials, Session};
use boto_core::config::Env;
use support::tls::scripted_tls_server;

const TOKEN: &str = "bedrock-api-key-123";

fn answer() -> String {
    let body = r#"{"modelSummaries":[]}"#;
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn authorization(head: &str) -> String {
    let value = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("authorization")
                .then(|| v.trim().to_string())
        })
        .unwrap_or_default();
    // A SigV4 signature differs per instant: keep its scheme only.
    if value.starts_with("AWS4-HMAC-SHA256") {
        "AWS4-HMAC-SHA256".into()
    } else {
        value
    }
}

/// How boto3 authorizes `ListFoundationModels` with `env` and, if given, a preference set in code.
fn boto3_authorization(env: &[(&str, &str)], preference: Option<&str>) -> String {
    let (url, ca, server) = scripted_tls_server(vec![answer()]);
    let script = r#"
import boto3, json, os, sys
from botocore.config import Config
os.environ.update(json.loads(sys.argv[3]))
cfg = Config(auth_scheme_preference=sys.argv[4]) if sys.argv[4] else None
c = boto3.client('bedrock', region_name='us-east-1', endpoint_url=sys.argv[1], verify=sys.argv[2],
                 aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret', config=cfg)
print(json.dumps(c.list_foundation_models()['modelSummaries']))
"#;
    let vars: serde_json::Map<_, _> = env
        .iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
        .collect();
    let vars = serde_json::Value::Object(vars).to_string();
    let ca = ca.to_string_lossy().into_owned();
    let out = support::python_json(script, &[&url, &ca, &vars, preference.unwrap_or("")], "");
    assert_eq!(out, serde_json::json!([]));
    authorization(&server.join().unwrap()[0])
}

async fn boto_rs_authorization(env: &[(&str, &str)], preference: Option<&str>) -> String {
    let (url, ca, server) = scripted_tls_server(vec![answer()]);
    let mut vars = vec![("HOME", "/nonexistent-boto-test-home")];
    vars.extend_from_slice(env);
    let mut http = boto::HttpSettings::default();
    http.ca_bundle = Some(ca);
    let mut builder = Session::builder()
        .env(Env::from_vars(vars))
        .region_name("us-east-1")
        .endpoint_url(&url)
        .http_settings(http)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None));
    if let Some(p) = preference {
        builder = builder.config("auth_scheme_preference", p);
    }
    let out = builder
        .build()
        .unwrap()
        .client("bedrock")
        .unwrap()
        .call("ListFoundationModels", doc! {})
        .await
        .unwrap();
    assert!(out["modelSummaries"]
        .as_list()
        .is_some_and(|l| l.is_empty()));
    authorization(&server.join().unwrap()[0])
}

/// The environment, a preference set in code, and the Authorization expected.
type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, &'a str);

#[tokio::test]
async fn the_scheme_and_its_header_match_boto3() {
    let token = [("AWS_BEARER_TOKEN_BEDROCK", TOKEN)];
    let env_prefers_v4 = [
        ("AWS_BEARER_TOKEN_BEDROCK", TOKEN),
        ("AWS_AUTH_SCHEME_PREFERENCE", "sigv4"),
    ];
    let bearer = format!("Bearer {TOKEN}");
    let cases: [Case<'_>; 4] = [
        (&[], None, "AWS4-HMAC-SHA256"),
        (&token, None, &bearer),
        (&env_prefers_v4, None, &bearer),
        (&token, Some("sigv4,httpBearerAuth"), "AWS4-HMAC-SHA256"),
    ];
    for (env, preference, expected) in cases {
        let env_owned: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let pref = preference.map(str::to_string);
        let theirs = tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> = env_owned
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            boto3_authorization(&env, pref.as_deref())
        })
        .await
        .unwrap();
        let ours = boto_rs_authorization(env, preference).await;
        assert_eq!(ours, theirs, "{env:?} {preference:?}");
        assert_eq!(ours, expected, "{env:?} {preference:?}");
    }
}

#[tokio::test]
async fn a_token_given_to_the_session_is_used_and_never_goes_over_plain_http() {
    let (url, ca, server) = scripted_tls_server(vec![answer()]);
    let mut http = boto::HttpSettings::default();
    http.ca_bundle = Some(ca);
    let session = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(&url)
        .http_settings(http)
        .bearer_token("from-code")
        .build()
        .unwrap();
    let bedrock = session.client("bedrock").unwrap();
    bedrock.call("ListFoundationModels", doc! {}).await.unwrap();
    assert_eq!(
        authorization(&server.join().unwrap()[0]),
        "Bearer from-code"
    );
    let debug = format!(
        "{:?}",
        bedrock
            .build_request("ListFoundationModels", doc! {})
            .await
            .unwrap()
    );
    assert!(!debug.contains("from-code"), "{debug}");

    let plain = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .bearer_token("from-code")
        .build()
        .unwrap();
    let err = plain
        .client("bedrock")
        .unwrap()
        .call("ListFoundationModels", doc! {})
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot sign the request: bearer authorization requires an HTTPS endpoint"
    );
}

#[tokio::test]
async fn preferring_bearer_without_a_token_names_the_variable() {
    let session = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .config("auth_scheme_preference", "httpBearerAuth")
        .build()
        .unwrap();
    let err = session
        .client("bedrock")
        .unwrap()
        .call("ListFoundationModels", doc! {})
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("AWS_BEARER_TOKEN_BEDROCK"),
        "{err}"
    );
}

/// A profile whose `sso_session` has a cached token gives CodeCatalyst (a bearer-only service)
/// that token, as botocore's SSO token provider does; Bedrock keeps SigV4 there, as the token
/// did not come from the environment.
#[cfg(feature = "codecatalyst")]
#[tokio::test]
async fn an_sso_session_token_is_the_bearer_token_as_boto3_sends_it() {
    let home = std::env::temp_dir().join(support::unique("boto-bearer-home"));
    std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile cc]\nsso_session = corp\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
    )
    .unwrap();
    // The CLI names the cache after the SHA-1 of the session name.
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, b"corp");
    let cache = home.join(".aws/sso/cache").join(format!(
        "{}.json",
        boto_core::encoding::hex_encode(digest.as_ref())
    ));
    std::fs::write(
        &cache,
        r#"{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "sso-token-123", "expiresAt": "2999-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let body = r#"{"items":[]}"#;
    let ok = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let home_str = home.to_string_lossy().into_owned();

    let (url, ca, server) = scripted_tls_server(vec![ok.clone(), ok.clone()]);
    let mut http = boto::HttpSettings::default();
    http.ca_bundle = Some(ca);
    let session = Session::builder()
        .env(Env::from_vars([("HOME", home_str.as_str())]))
        .profile_name("cc")
        .endpoint_url(&url)
        .http_settings(http)
        .build()
        .unwrap();
    let codecatalyst = session.client("codecatalyst").unwrap();
    let out = codecatalyst.call("ListSpaces", doc! {}).await.unwrap();
    assert!(out["items"].as_list().is_some_and(|l| l.is_empty()));
    // The token read is kept until it nears its expiry: the next call reads no cache file.
    std::fs::remove_file(&cache).unwrap();
    codecatalyst.call("ListSpaces", doc! {}).await.unwrap();
    let heads = server.join().unwrap();
    assert_eq!(authorization(&heads[1]), "Bearer sso-token-123");
    let ours = authorization(&heads[0]);
    std::fs::write(
        &cache,
        r#"{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "sso-token-123", "expiresAt": "2999-01-01T00:00:00Z"}"#,
    )
    .unwrap();

    let (url2, ca2, server2) = scripted_tls_server(vec![ok]);
    let script = r#"
import json, os, sys
os.environ["HOME"] = sys.argv[3]  # before botocore computes its token cache folder
import boto3
for k in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(k, None)
s = boto3.session.Session(profile_name="cc")
c = s.client("codecatalyst", endpoint_url=sys.argv[1], verify=sys.argv[2])
print(json.dumps(c.list_spaces()["items"]))
"#;
    let ca2 = ca2.to_string_lossy().into_owned();
    let printed = tokio::task::spawn_blocking(move || {
        support::python_json(script, &[&url2, &ca2, &home_str], "")
    })
    .await
    .unwrap();
    assert_eq!(printed, serde_json::json!([]));
    let theirs = authorization(&server2.join().unwrap()[0]);
    assert_eq!(ours, theirs);
    assert_eq!(ours, "Bearer sso-token-123");
}
