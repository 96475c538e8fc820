//! The container and EC2 instance metadata providers against real HTTP servers on 127.0.0.1.
//!
//! The servers are a few lines of hand-written HTTP/1.1 over `tokio::net::TcpStream` (hyper's
//! server side is not enabled): read the request head, record it, answer from a script.

use boto_core::config::{ConfigResolver, Env, SharedFiles};
use boto_core::credentials::{
    ContainerProvider, CredentialsError, DefaultChainBuilder, ImdsProvider, ProvideCredentials,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
const AUTH: &str = "Bearer-container-auth-token-0123456789";

#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

enum Reply {
    Status(u16, String),
    Hang,
}

type Handler = Arc<dyn Fn(&Req) -> Reply + Send + Sync>;

struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let log = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).to_string();
                    let mut lines = head.split("\r\n");
                    let mut first = lines.next().unwrap_or("").split(' ');
                    let method = first.next().unwrap_or("").to_string();
                    let path = first.next().unwrap_or("").to_string();
                    let headers = lines
                        .take_while(|l| !l.is_empty())
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                        .collect();
                    let req = Req {
                        method,
                        path,
                        headers,
                    };
                    log.lock().unwrap().push(req.clone());
                    match handler(&req) {
                        Reply::Hang => tokio::time::sleep(Duration::from_secs(10)).await,
                        Reply::Status(status, body) => {
                            let resp = format!(
                                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                                body.len()
                            );
                            let _ = stream.write_all(resp.as_bytes()).await;
                            let _ = stream.shutdown().await;
                        }
                    }
                });
            }
        });
        Server { base, requests }
    }

    fn requests(&self) -> Vec<Req> {
        self.requests.lock().unwrap().clone()
    }
}

fn creds_json(expiration: &str) -> String {
    format!(
        r#"{{"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIAHTTP", "SecretAccessKey": "{SECRET}", "Token": "{TOKEN}", "Expiration": "{expiration}", "AccountId": "123456789012"}}"#
    )
}

fn config(env: &[(&str, &str)]) -> ConfigResolver {
    ConfigResolver::builder(Env::from_vars(
        env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    ))
    .files(SharedFiles::empty())
    .build()
    .unwrap()
}

fn assert_no_secrets(text: &str) {
    for s in [SECRET, TOKEN, AUTH, "IMDSTOKEN"] {
        assert!(!text.contains(s), "secret {s} leaked in: {text}");
    }
}

/// An IMDS that requires the v2 token on GETs when `require_token`, answering the token PUT with
/// `token_status`.
async fn imds(token_status: u16, require_token: bool) -> Server {
    Server::start(move |req| {
        let token_ok = req
            .headers
            .get("x-aws-ec2-metadata-token")
            .map(String::as_str)
            == Some("IMDSTOKEN");
        match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token") if token_status == 200 => {
                Reply::Status(200, "IMDSTOKEN".into())
            }
            ("PUT", "/latest/api/token") => Reply::Status(token_status, String::new()),
            ("GET", _) if require_token && !token_ok => Reply::Status(401, String::new()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                Reply::Status(200, "my-role".into())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => {
                Reply::Status(200, creds_json("2099-01-01T00:00:00Z"))
            }
            _ => Reply::Status(404, String::new()),
        }
    })
    .await
}

#[tokio::test]
async fn imds_v2_token_flow() {
    let server = imds(200, true).await;
    let cfg = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base)]);
    let provider = ImdsProvider::from_config(&cfg).unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAHTTP");
    assert_eq!(creds.secret_access_key(), SECRET);
    assert_eq!(creds.session_token(), Some(TOKEN));
    assert_eq!(creds.provider_name(), "iam-role");
    assert!(creds.expiry().is_some());
    assert_no_secrets(&format!("{creds:?} {provider:?}"));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 3, "{reqs:?}");
    assert_eq!(
        (reqs[0].method.as_str(), reqs[0].path.as_str()),
        ("PUT", "/latest/api/token")
    );
    assert_eq!(
        reqs[0]
            .headers
            .get("x-aws-ec2-metadata-token-ttl-seconds")
            .map(String::as_str),
        Some("21600")
    );
    for r in &reqs[1..] {
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.headers
                .get("x-aws-ec2-metadata-token")
                .map(String::as_str),
            Some("IMDSTOKEN")
        );
    }
    assert_eq!(
        reqs[2].path,
        "/latest/meta-data/iam/security-credentials/my-role"
    );
}

#[tokio::test]
async fn imds_v1_fallback_when_allowed() {
    for status in [403, 404, 405] {
        let server = imds(status, false).await;
        let cfg = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base)]);
        let creds = ImdsProvider::from_config(&cfg)
            .unwrap()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIAHTTP");
        let reqs = server.requests();
        assert_eq!(reqs.len(), 3);
        assert!(reqs[1..]
            .iter()
            .all(|r| !r.headers.contains_key("x-aws-ec2-metadata-token")));
    }
}

#[tokio::test]
async fn imds_v1_fallback_refused_when_disabled() {
    let server = imds(403, false).await;
    for env in [vec![
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.base.as_str()),
        ("AWS_EC2_METADATA_V1_DISABLED", "true"),
    ]] {
        let cfg = config(&env);
        let e = ImdsProvider::from_config(&cfg)
            .unwrap()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(matches!(e, CredentialsError::ProviderFailed { .. }), "{e}");
        assert!(e.to_string().contains("IMDSv1 has been disabled"), "{e}");
    }
    // The profile key works too.
    let cfg = ConfigResolver::builder(Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        server.base.as_str(),
    )]))
    .files(
        SharedFiles::from_contents(
            "/c",
            Some("[default]\nec2_metadata_v1_disabled = true\n"),
            "/k",
            None,
        )
        .unwrap(),
    )
    .build()
    .unwrap();
    assert!(ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .is_err());
    assert!(
        server.requests().iter().all(|r| r.method == "PUT"),
        "no GET without a token"
    );
}

#[tokio::test]
async fn imds_token_timeout_falls_back_and_attempts_are_counted() {
    // The token PUT hangs: after metadata_service_timeout, IMDSv1 is used.
    let server = Server::start(|req| match (req.method.as_str(), req.path.as_str()) {
        ("PUT", _) => Reply::Hang,
        ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::Status(500, String::new()),
        _ => Reply::Status(404, String::new()),
    })
    .await;
    let cfg = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base),
        ("AWS_METADATA_SERVICE_TIMEOUT", "0.3"),
        ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"),
    ]);
    let e = ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert!(e.to_string().contains("status 500"), "{e}");
    let reqs = server.requests();
    assert_eq!(
        reqs.iter().filter(|r| r.method == "PUT").count(),
        1,
        "a timeout is not retried"
    );
    assert_eq!(
        reqs.iter().filter(|r| r.method == "GET").count(),
        3,
        "GETs use every attempt"
    );
}

#[tokio::test]
async fn imds_bad_request_disabled_and_unreachable() {
    let server = imds(400, false).await;
    let cfg = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base)]);
    let e = ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_found() && e.to_string().contains("400"), "{e}");

    let server = imds(200, true).await;
    let cfg = config(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let e = ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_found());
    assert!(server.requests().is_empty());

    // A closed port: not found (not a hard error), like botocore off EC2.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    };
    let cfg = config(&[(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        &format!("http://{closed}/"),
    )]);
    let e = ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");

    // A JSON error document instead of credentials.
    let server = Server::start(|req| match req.path.as_str() {
        "/latest/api/token" => Reply::Status(200, "IMDSTOKEN".into()),
        "/latest/meta-data/iam/security-credentials/" => Reply::Status(200, "r".into()),
        _ => Reply::Status(
            200,
            r#"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "denied"}"#.into(),
        ),
    })
    .await;
    let cfg = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &server.base)]);
    let e = ImdsProvider::from_config(&cfg)
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        e.is_not_found() && e.to_string().contains("AssumeRoleUnauthorizedAccess"),
        "{e}"
    );
}

async fn container_server() -> Server {
    Server::start(|req| {
        if req.path.starts_with("/v2/credentials/") || req.path == "/creds" {
            Reply::Status(200, creds_json("2099-01-01T00:00:00Z"))
        } else {
            Reply::Status(404, "not here".into())
        }
    })
    .await
}

#[tokio::test]
async fn container_relative_uri_with_auth_token() {
    let server = container_server().await;
    let env = Env::from_vars([
        (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/abc",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH),
    ]);
    let provider = ContainerProvider::new(env).with_relative_base(server.base.clone());
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.provider_name()),
        ("ASIAHTTP", "container-role")
    );
    assert_eq!(creds.account_id(), Some("123456789012"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, "/v2/credentials/abc");
    assert_eq!(
        reqs[0].headers.get("authorization").map(String::as_str),
        Some(AUTH)
    );
    assert_eq!(
        reqs[0].headers.get("accept").map(String::as_str),
        Some("application/json")
    );
    assert_no_secrets(&format!("{creds:?} {provider:?}"));
}

#[tokio::test]
async fn container_full_uri_with_token_file() {
    let server = container_server().await;
    let dir = std::env::temp_dir().join(format!("boto-container-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let token_file = dir.join("token");
    std::fs::write(&token_file, "file-token").unwrap();
    let full = format!("{}/creds", server.base);
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-file-set"),
    ]);
    let creds = ContainerProvider::new(env)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.session_token(), Some(TOKEN));
    let reqs = server.requests();
    assert_eq!(
        reqs[0].headers.get("authorization").map(String::as_str),
        Some("file-token")
    );

    // The file is read on every fetch; a newline makes it an illegal header value.
    std::fs::write(&token_file, format!("{AUTH}\n")).unwrap();
    let env = Env::from_vars([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
    ]);
    let e = ContainerProvider::new(env)
        .provide_credentials()
        .await
        .unwrap_err();
    let msg = format!("{e} {e:?}");
    assert!(
        msg.contains("not a legal header value") && msg.contains("token"),
        "{msg}"
    );
    assert_no_secrets(&msg);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn container_host_rules_and_retries() {
    for bad in [
        "http://example.com/creds",
        "http://169.254.169.254/creds",
        "https://localhost/creds",
        "not a url",
    ] {
        let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]);
        let e = ContainerProvider::new(env)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            matches!(e, CredentialsError::ProviderFailed { .. }),
            "{bad}: {e}"
        );
    }
    let e = ContainerProvider::new(Env::empty())
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(e.is_not_found());

    let server = container_server().await;
    let env = Env::from_vars([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/missing")]);
    let e = ContainerProvider::new(env)
        .with_relative_base(server.base.clone())
        .with_retries(3, Duration::from_millis(10))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("404") && e.to_string().contains("not here"),
        "{e}"
    );
    assert_eq!(server.requests().len(), 3);

    // Invalid JSON is retried and never echoed.
    let server =
        Server::start(|_| Reply::Status(200, format!("{{\"SecretAccessKey\": \"{SECRET}\""))).await;
    let env = Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        format!("{}/creds", server.base),
    )]);
    let e = ContainerProvider::new(env)
        .with_retries(2, Duration::ZERO)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_no_secrets(&format!("{e} {e:?}"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn default_chain_reaches_container_then_imds() {
    let container = container_server().await;
    let metadata = imds(200, true).await;
    let cfg = config(&[
        (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "/v2/credentials/x",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", AUTH),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &metadata.base),
    ]);
    let env = cfg.env().clone();
    let provider = DefaultChainBuilder::new(cfg.clone())
        .container(ContainerProvider::new(env).with_relative_base(container.base.clone()))
        .build_cached()
        .unwrap();
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.provider_name(), "container-role");
    assert!(metadata.requests().is_empty());
    // Cached: no second request.
    provider.provide_credentials().await.unwrap();
    assert_eq!(container.requests().len(), 1);

    // Without container variables the chain falls through to IMDS.
    let cfg = config(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &metadata.base)]);
    let creds = DefaultChainBuilder::new(cfg)
        .build_cached()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.provider_name(), "iam-role");
}
