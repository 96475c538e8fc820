//! The adaptive retry mode's client-side rate limiter is shared by the clients of one session
//! per service endpoint (service, region, custom endpoint): once one client is throttled, a
//! second client of the same session and service waits for the same tokens, while a client of
//! another session, or of another region, starts at full speed. Against a loopback server that
//! throttles every request.

mod support;

use boto::{doc, Credentials, Session};
use std::io::{BufRead, BufReader, Read, Write};
use std::time::{Duration, Instant};
use support::empty_env;

/// A loopback STS that answers every request with `Throttling` (400), for as long as the test
/// process runs.
fn throttling_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
                let answer = format!(
                    "HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                    xml.len()
                );
                let _ = stream.write_all(answer.as_bytes());
            });
        }
    });
    url
}

fn adaptive_session(url: &str) -> Session {
    Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .config("retry_mode", "adaptive")
        .config("max_attempts", "1")
        .build()
        .unwrap()
}

/// How long one (throttled) call takes.
async fn timed_call(client: &boto::Client) -> Duration {
    let start = Instant::now();
    let err = client.call("GetCallerIdentity", doc! {}).await.unwrap_err();
    assert!(err.is("Throttling"), "{err}");
    start.elapsed()
}

#[tokio::test]
async fn clients_of_one_session_share_the_throttled_rate() {
    let url = throttling_server();
    let session = adaptive_session(&url);
    let first = session.client("sts").unwrap();
    let second = session.client("sts").unwrap();
    let limiter = |c: &boto::Client| {
        c.service_client()
            .retry_state()
            .limiter()
            .map(|l| (l.send_rate(), l.measured_rate()))
    };
    assert_eq!(limiter(&second), Some((None, 0.0)), "not limiting yet");

    timed_call(&first).await;
    let shared = limiter(&first);
    assert!(shared.unwrap().0.is_some(), "the first client is limited");
    assert_eq!(limiter(&second), shared, "and the second with it");
    // Take whatever token the bucket held: the next send must wait for the cut rate.
    let own = first.service_client().retry_state().limiter().unwrap();
    for _ in 0..3 {
        if own.try_acquire().is_some() {
            break;
        }
    }
    let waited = timed_call(&second).await;
    assert!(
        waited >= Duration::from_millis(500),
        "the second client waited for the first one's rate: {waited:?}"
    );

    // Another session, and this session in another region, have limiters of their own.
    let elsewhere = adaptive_session(&url).client("sts").unwrap();
    let west = session.client_in_region("sts", "us-west-2").unwrap();
    for other in [&elsewhere, &west] {
        assert_eq!(limiter(other).unwrap().0, None);
        let quick = timed_call(other).await;
        assert!(quick < Duration::from_millis(400), "{quick:?}");
    }
}
