//! When the TLS root certificates are loaded: at the first `https` connection, not before.

use super::{HttpClient, HttpRequest, HttpSettings};
use std::io::{Read, Write};

fn get(url: String) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url,
        headers: Default::default(),
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

/// Reads up to the end of a request head; what came after it (a body sent too early) is kept.
fn read_head(s: &mut std::net::TcpStream) -> (String, Vec<u8>) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "the client closed before its request head was complete"
        );
        got.extend_from_slice(&buf[..n]);
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = got.split_off(end + 4);
            return (String::from_utf8_lossy(&got).to_lowercase(), rest);
        }
    }
}

/// What arrives within a short window (nothing, when the client holds its body back).
fn read_briefly(s: &mut std::net::TcpStream) -> Vec<u8> {
    s.set_read_timeout(Some(std::time::Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let got = match s.read(&mut buf) {
        Ok(n) => buf[..n].to_vec(),
        Err(_) => Vec::new(),
    };
    s.set_read_timeout(None).unwrap();
    got
}

/// Larger than the bodies that go with their head (`SENT_WITH_HEAD_MAX`).
const LARGE: usize = 100 * 1024;

fn put_expecting_continue(url: String, len: usize) -> HttpRequest {
    HttpRequest {
        method: "PUT".into(),
        url,
        headers: [("Expect", "100-continue")].into_iter().collect(),
        body: bytes::Bytes::from(vec![b'h'; len]).into(),
    }
}

/// Reads from `s` until `got` holds at least `n` bytes.
fn read_at_least(s: &mut std::net::TcpStream, mut got: Vec<u8>, n: usize) -> Vec<u8> {
    while got.len() < n {
        let mut buf = [0u8; 16];
        let read = s.read(&mut buf).expect("the body came");
        assert!(read > 0, "closed before the body");
        got.extend_from_slice(&buf[..read]);
    }
    got
}

/// Answers the request that follows a refusal with `200 OK` and returns its head (lower-cased):
/// on a new connection, or on `s` if the client kept it (then `after` holds what had come since
/// the refused request).
fn answer_the_next_request(
    listener: &std::net::TcpListener,
    mut s: std::net::TcpStream,
    mut after: Vec<u8>,
) -> String {
    after.extend(read_briefly(&mut s));
    let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
    if after.is_empty() {
        drop(s);
        let (mut s2, _) = listener.accept().unwrap();
        let (head, _) = read_head(&mut s2);
        s2.write_all(ok).unwrap();
        head
    } else {
        s.write_all(ok).unwrap();
        String::from_utf8_lossy(&after).to_lowercase()
    }
}

/// The next request on `listener`, which must expect a 100: the connection and what came after
/// its head.
fn accept_expecting_continue(listener: &std::net::TcpListener) -> (std::net::TcpStream, Vec<u8>) {
    let (mut s, _) = listener.accept().unwrap();
    let (head, early) = read_head(&mut s);
    assert!(head.contains("expect: 100-continue"), "{head}");
    (s, early)
}

#[tokio::test]
async fn a_body_that_expects_continue_waits_for_the_100() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/k", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut s, mut early) = accept_expecting_continue(&listener);
        early.extend(read_briefly(&mut s));
        assert!(early.is_empty(), "the body came before the 100: {early:?}");
        s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").unwrap();
        let mut body = vec![0u8; LARGE];
        s.read_exact(&mut body).unwrap();
        s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        body
    });
    let client = HttpClient::new(HttpSettings::default()).unwrap();
    let response = client
        .send(put_expecting_continue(url, LARGE))
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert!(server.join().unwrap() == vec![b'h'; LARGE]);
}

/// A 5-byte PUT that was to expect a 100: it goes with its head and without the `Expect` header
/// (a server would otherwise send a 100 nobody waits for), then the server sends `answer`; the
/// client reads `body`.
async fn a_small_body_goes_with_its_head(answer: &'static [u8], body: &[u8]) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/k", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let (head, early) = read_head(&mut s);
        s.set_read_timeout(Some(std::time::Duration::from_millis(500)))
            .unwrap();
        let early = read_at_least(&mut s, early, 5);
        s.write_all(answer).unwrap();
        (head, early)
    });
    let client = HttpClient::new(HttpSettings::default()).unwrap();
    let response = client.send(put_expecting_continue(url, 5)).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(&response.body.collect().await.unwrap()[..], body);
    let (head, early) = server.join().unwrap();
    assert_eq!(early, b"hhhhh");
    assert!(head.starts_with("put /k"), "{head}");
    assert!(!head.contains("expect:"), "{head}");
}

#[tokio::test]
async fn a_small_body_goes_with_its_head_without_waiting_for_the_100() {
    a_small_body_goes_with_its_head(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", b"").await;
}

#[tokio::test]
async fn a_small_body_sent_at_once_then_an_unasked_100_then_the_answer() {
    // A server may send a 100 it was not asked for; the client reads past it.
    let answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
    a_small_body_goes_with_its_head(answer, b"ok").await;
}

/// A PUT of `len` bytes that expects a 100 is refused before the server sends one; then a GET.
/// A large body is held back, so it is never sent. A small one went with the head, and the
/// server reads and discards it, as RFC 9110 asks of a server that keeps the connection. Either
/// way the refusal comes through, and the next request goes on this connection or a new one,
/// never after stray body bytes.
async fn refused_before_the_100_then_the_next_request(len: usize) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/k", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let (_, early) = read_head(&mut s);
        s.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        let after = if len == LARGE {
            assert!(!early.starts_with(b"hhhh"), "the refused body was sent");
            early
        } else {
            let mut rest = read_at_least(&mut s, early, len);
            assert!(
                rest[..len].iter().all(|&b| b == b'h'),
                "the body, sent at once"
            );
            rest.split_off(len)
        };
        let next_head = answer_the_next_request(&listener, s, after);
        assert!(next_head.starts_with("get /next"), "{next_head}");
    });
    let client = HttpClient::new(HttpSettings::default()).unwrap();
    let base = url.trim_end_matches("/k").to_string();
    let refused = client.send(put_expecting_continue(url, len)).await.unwrap();
    assert_eq!(refused.status, 403);
    let next = client.send(get(format!("{base}/next"))).await.unwrap();
    assert_eq!(next.status, 200);
    server.join().unwrap();
}

#[tokio::test]
async fn a_refusal_before_the_100_means_the_body_is_never_sent() {
    refused_before_the_100_then_the_next_request(LARGE).await;
}

#[tokio::test]
async fn a_small_body_refused_early_leaves_the_connection_usable() {
    refused_before_the_100_then_the_next_request(5).await;
}

#[test]
fn aws_header_names_are_the_names_http_would_make() {
    for name in [
        "X-Amz-Date",
        "x-amz-content-sha256",
        "AMZ-SDK-REQUEST",
        "X-Amz-Meta-A",
        "Host",
    ] {
        let made = super::header_name(name).unwrap();
        assert_eq!(made.as_str(), name.to_ascii_lowercase(), "{name}");
        assert_eq!(made, http::HeaderName::from_bytes(name.as_bytes()).unwrap());
    }
    for known in super::AWS_HEADER_NAMES {
        assert_eq!(super::header_name(known).unwrap().as_str(), known);
        let upper = known.to_ascii_uppercase();
        assert_eq!(super::header_name(&upper).unwrap().as_str(), known);
    }
    assert!(super::header_name("bad name").is_err());
    assert!(super::header_name("").is_err());
}

#[test]
fn header_values_move_in_with_the_bytes_http_allows() {
    let headers = |pairs: &[(&'static str, &[u8])]| -> super::Headers {
        pairs
            .iter()
            .map(|(k, v)| (*k, String::from_utf8(v.to_vec()).unwrap()))
            .collect()
    };
    let mut h = http::HeaderMap::new();
    let has_host = super::add_headers(
        &mut h,
        headers(&[
            ("X-Amz-Meta-Tab", b"a\tb"),
            ("x-amz-meta-utf8", "caf\u{e9}".as_bytes()),
            ("x-amz-meta-empty", b""),
            ("X-Amz-Date", b"20261203T000000Z"),
        ]),
    )
    .unwrap();
    assert!(!has_host);
    assert_eq!(h["x-amz-meta-tab"].as_bytes(), b"a\tb");
    assert_eq!(h["x-amz-meta-utf8"].as_bytes(), "caf\u{e9}".as_bytes());
    assert_eq!(h["x-amz-meta-empty"].as_bytes(), b"");
    assert_eq!(h["x-amz-date"].as_bytes(), b"20261203T000000Z");
    let has_host =
        super::add_headers(&mut http::HeaderMap::new(), headers(&[("HOST", b"h")])).unwrap();
    assert!(has_host);
    for bad in [&b"a\rb"[..], b"a\nb", b"a\0b"] {
        let err = super::add_headers(
            &mut http::HeaderMap::new(),
            headers(&[("x-amz-meta-k", bad)]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("x-amz-meta-k") && err.contains("cannot carry"),
            "{err}"
        );
    }
}

#[test]
fn the_pool_key_is_the_urls_scheme_and_authority() {
    for (url, key) in [
        (
            "http://127.0.0.1:8014/anchors/k?x-id=1",
            "http://127.0.0.1:8014",
        ),
        (
            "https://b.s3.us-east-1.amazonaws.com",
            "https://b.s3.us-east-1.amazonaws.com",
        ),
        ("http://h?list-type=2", "http://h"),
        ("http://u:p@[::1]:9000/#f", "http://u:p@[::1]:9000"),
    ] {
        assert_eq!(super::pool_key(url), key, "{url}");
    }
}

#[test]
fn errors_name_the_urls_authority() {
    assert_eq!(
        super::host_of("http://127.0.0.1:8014/b/k"),
        "127.0.0.1:8014"
    );
    assert_eq!(super::host_of("https://h?x=1"), "h");
    assert_eq!(super::host_of("h.example/x"), "h.example");
}
