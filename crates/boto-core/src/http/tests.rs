//! When the TLS root certificates are loaded: at the first `https` connection, not before.

use super::{HttpClient, HttpRequest, HttpSettings};
use std::io::{Read, Write};

fn get(url: String) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url,
        headers: Vec::new(),
        sensitive_headers: Vec::new(),
        body: Default::default(),
    }
}

fn bundle(name: &str, text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("boto-lazy-tls-{}-{name}.pem", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// A server that answers one request with an empty 200.
fn answer_once() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        let _ = s.read(&mut buf);
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
    });
    url
}

#[tokio::test]
async fn plain_http_never_loads_the_roots() {
    let client = HttpClient::new(HttpSettings::default()).unwrap();
    let response = client.send(get(answer_once())).await.unwrap();
    assert_eq!(response.status, 200);
    assert!(client.secure.get().is_none(), "no TLS connector was built");
}

#[tokio::test]
async fn a_bundle_with_a_broken_certificate_fails_the_first_https_request_naming_it() {
    let path = bundle(
        "broken",
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
    );
    let settings = HttpSettings {
        ca_bundle: Some(path.clone()),
        ..HttpSettings::default()
    };
    let client = HttpClient::new(settings).expect("checked cheaply at first");
    let err = client
        .send(get("https://127.0.0.1:9/".into()))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(client.secure.get().is_none(), "a failure is not kept");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_bundle_without_certificates_is_refused_at_once() {
    let path = bundle("empty", "not a certificate");
    let settings = HttpSettings {
        ca_bundle: Some(path.clone()),
        ..HttpSettings::default()
    };
    let err = HttpClient::new(settings).expect_err("refused").to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_missing_bundle_is_refused_at_once() {
    let settings = HttpSettings {
        ca_bundle: Some("/nonexistent/ca.pem".into()),
        ..HttpSettings::default()
    };
    let err = HttpClient::new(settings).expect_err("refused").to_string();
    assert!(err.contains("/nonexistent/ca.pem"), "{err}");
}
