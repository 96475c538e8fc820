//! Connect and read deadlines are separate, as botocore's are, and no timeout value can panic.
//!
//! Each test runs against its own loopback listener that misbehaves in one way (accepts and
//! never answers, never finishes the TLS handshake, trickles a body). The timeouts are short
//! and the bounds asserted are far from the old behaviour (connect + read per attempt), so the
//! tests neither wait long nor flake.

use boto_core::config::{ConfigResolver, Env};
use boto_core::http::{ByteStream, HttpClient, HttpRequest, HttpSettings, TransportErrorKind};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

fn settings(connect: Duration, read: Duration) -> HttpSettings {
    let mut s = HttpSettings::default();
    s.connect_timeout = connect;
    s.read_timeout = read;
    s
}

fn get(url: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.into(),
        headers: Default::default(),
        body: ByteStream::default(),
    }
}

/// A listener whose connections are accepted, read, and then held open with no reply.
fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            held.push(stream);
        }
    });
    format!("127.0.0.1:{}", addr.port())
}

#[tokio::test]
async fn a_stall_before_the_response_head_fails_after_read_timeout_alone() {
    // Without separate deadlines this waited connect_timeout + read_timeout (120 s by default;
    // 3.3 s here) for a server that took the request and went quiet.
    let addr = silent_server();
    let client =
        HttpClient::new(settings(Duration::from_secs(3), Duration::from_millis(300))).unwrap();
    let start = Instant::now();
    let err = client
        .send(get(&format!("http://{addr}/")))
        .await
        .unwrap_err();
    let waited = start.elapsed();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("read_timeout"), "{err}");
    assert!(
        waited >= Duration::from_millis(280) && waited < Duration::from_millis(2500),
        "waited {waited:?}: the read timeout is 300 ms and the connect timeout 3 s"
    );
}

#[tokio::test]
async fn a_tls_handshake_that_never_completes_fails_after_connect_timeout() {
    // TCP connects, the TLS handshake never gets an answer: connect_timeout covers TCP and TLS
    // together. Before, only TCP was bounded by it and the handshake waited out the read
    // deadline on top (here 5.3 s).
    let addr = silent_server();
    let client =
        HttpClient::new(settings(Duration::from_millis(300), Duration::from_secs(5))).unwrap();
    let start = Instant::now();
    let err = client
        .send(get(&format!("https://{addr}/")))
        .await
        .unwrap_err();
    let waited = start.elapsed();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("connect_timeout"), "{err}");
    assert!(
        waited >= Duration::from_millis(280) && waited < Duration::from_millis(3000),
        "waited {waited:?}: the connect timeout is 300 ms and the read timeout 5 s"
    );
}

#[tokio::test]
async fn a_body_that_keeps_coming_is_not_timed_out_but_a_stalled_one_is() {
    // 10 chunks 100 ms apart under a 400 ms read timeout: the whole body takes a second, longer
    // than the timeout, and still arrives; then a stall of 1 s fails it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for (i, stream) in listener.incoming().enumerate() {
            let Ok(mut s) = stream else { return };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            // The server closes each connection after its answer, so it says so: a client
            // that pooled it could otherwise send the second request before the close arrives.
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 20\r\nconnection: close\r\n\r\n");
            for n in 0..10 {
                std::thread::sleep(Duration::from_millis(100));
                if i == 1 && n == 5 {
                    std::thread::sleep(Duration::from_millis(1000));
                }
                let _ = s.write_all(b"ab");
            }
        }
    });
    let client =
        HttpClient::new(settings(Duration::from_secs(2), Duration::from_millis(400))).unwrap();
    let url = format!("http://{addr}/");
    let resp = client.send(get(&url)).await.unwrap();
    assert_eq!(
        &resp.body.collect().await.unwrap()[..],
        &b"ab".repeat(10)[..]
    );
    let resp = client.send(get(&url)).await.unwrap();
    let err = resp.body.collect().await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
}

#[tokio::test]
async fn a_slow_upload_is_not_timed_out_while_it_sends() {
    // The request body goes out in 6 pieces 150 ms apart (900 ms) under a 400 ms read timeout:
    // progress on the upload restarts the deadline.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut s, _)) = listener.accept() else {
            return;
        };
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !got.ends_with(b"abcabcabcabcabcabc") {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    });
    let (tx, rx) =
        tokio::sync::mpsc::channel::<Result<http_body::Frame<bytes::Bytes>, std::io::Error>>(1);
    tokio::spawn(async move {
        for _ in 0..6 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let _ = tx
                .send(Ok(http_body::Frame::data(bytes::Bytes::from_static(
                    b"abc",
                ))))
                .await;
        }
    });
    let body = http_body_util::StreamBody::new(tokio_stream(rx));
    let client =
        HttpClient::new(settings(Duration::from_secs(2), Duration::from_millis(400))).unwrap();
    let mut req = get(&format!("http://{addr}/"));
    req.method = "PUT".into();
    req.headers.push("content-length", "18");
    req.body = ByteStream::from_body(body);
    let resp = client.send(req).await.unwrap();
    assert_eq!(resp.status, 200);
}

/// An mpsc receiver as a `Stream` (no extra dependency for one adapter).
fn tokio_stream<T>(rx: tokio::sync::mpsc::Receiver<T>) -> impl futures_core::Stream<Item = T> {
    struct S<T>(tokio::sync::mpsc::Receiver<T>);
    impl<T> futures_core::Stream for S<T> {
        type Item = T;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<T>> {
            self.0.poll_recv(cx)
        }
    }
    S(rx)
}

#[test]
fn timeouts_out_of_range_are_configuration_errors_not_panics() {
    // `read_timeout = 1e19` used to overflow adding a Duration to an Instant, on the first
    // request. Now it is refused where it is configured, naming the setting.
    for bad in ["1e19", "0", "-1", "nan", "inf", "soon", "", "31536001"] {
        for name in ["read_timeout", "connect_timeout"] {
            let cfg = ConfigResolver::builder(Env::empty())
                .set(name, bad)
                .build()
                .unwrap();
            let got = if name == "read_timeout" {
                cfg.read_timeout()
            } else {
                cfg.connect_timeout()
            };
            let err = got.expect_err(bad).to_string();
            assert!(
                err.contains(name) && err.contains("at most"),
                "{name} = {bad}: {err}"
            );
        }
    }
    let cfg = ConfigResolver::builder(Env::empty())
        .set("read_timeout", "0.25")
        .build()
        .unwrap();
    assert_eq!(
        cfg.read_timeout().unwrap(),
        Some(Duration::from_millis(250))
    );

    let huge = settings(Duration::from_secs(1), Duration::from_secs_f64(1e19));
    let err = HttpClient::new(huge).unwrap_err().to_string();
    assert!(err.contains("read_timeout"), "{err}");
    let zero = settings(Duration::ZERO, Duration::from_secs(1));
    let err = HttpClient::new(zero).unwrap_err().to_string();
    assert!(err.contains("connect_timeout"), "{err}");
    let mut no_pool = HttpSettings::default();
    no_pool.max_idle_per_host = 0;
    let err = HttpClient::new(no_pool).unwrap_err().to_string();
    assert!(err.contains("max_pool_connections"), "{err}");
}

#[tokio::test]
async fn the_longest_allowed_timeout_does_not_overflow() {
    let addr = silent_server();
    let max = boto_core::http::MAX_TIMEOUT;
    let client = HttpClient::new(settings(max, max)).unwrap();
    let send = client.send(get(&format!("http://{addr}/")));
    // It waits (a year); what matters is that computing its deadlines did not panic.
    assert!(tokio::time::timeout(Duration::from_millis(300), send)
        .await
        .is_err());
}
