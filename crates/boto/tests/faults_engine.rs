//! Engine faults seen through the `Session`: hostile regions are refused when the session or
//! client is made, settings are checked by name and value, and `max_pool_connections` decides
//! how many connections the pool keeps.

use boto::{doc, Credentials, Session};
use boto_core::config::Env;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

fn builder() -> boto::SessionBuilder {
    Session::builder()
        .env(Env::from_vars([("HOME", "/nonexistent")]))
        .credentials(Credentials::from_keys(
            "AKID",
            "secret",
            Some("TOKEN".into()),
        ))
}

#[test]
fn hostile_regions_are_refused_before_any_request() {
    // `attacker.example#` would make the STS host `sts.attacker.example#.amazonaws.com`: the
    // signed request and its session token would go to attacker.example.
    for region in [
        "attacker.example#",
        "attacker.example?",
        "evil.com/",
        "a@b",
        "us east",
    ] {
        let err = builder()
            .region_name(region)
            .build()
            .expect_err(region)
            .to_string();
        assert!(
            err.contains("region") && err.contains("letters, digits and hyphens"),
            "{region}: {err}"
        );
        let session = builder().region_name("us-east-1").build().unwrap();
        let err = session
            .client_in_region("sts", region)
            .expect_err(region)
            .to_string();
        assert!(err.contains("region_name"), "{region}: {err}");
        let env = Env::from_vars([("HOME", "/nonexistent"), ("AWS_REGION", region)]);
        let err = Session::builder()
            .env(env)
            .build()
            .expect_err(region)
            .to_string();
        assert!(err.contains("AWS_REGION"), "{region}: {err}");
    }
    assert!(builder().region_name("eu-west-3").build().is_ok());
}

#[test]
fn settings_are_checked_by_name_and_value() {
    let err = builder()
        .config("max_atempts", "5")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("did you mean max_attempts"), "{err}");
    let session = builder()
        .region_name("us-east-1")
        .config("retry_mode", "fast")
        .build()
        .unwrap();
    let err = session.client("sts").unwrap_err().to_string();
    assert!(err.contains("legacy, standard, adaptive"), "{err}");
    let err = builder()
        .config("read_timeout", "1e19")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("read_timeout"), "{err}");
    let err = builder()
        .config("max_pool_connections", "none")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("max_pool_connections"), "{err}");
}

/// A keep-alive server that counts connections and holds each answer until `burst` requests
/// are in, so a burst of concurrent calls needs that many connections.
fn counting_server(burst: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    let barrier = Arc::new(Barrier::new(burst));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            seen.fetch_add(1, Ordering::SeqCst);
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    barrier.wait();
                    let body = "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1\
                        </Account></GetCallerIdentityResult></GetCallerIdentityResponse>";
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if writer.write_all(reply.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, connections)
}

async fn connections_for_two_bursts(max_pool: Option<&str>) -> usize {
    const BURST: usize = 4;
    let (url, connections) = counting_server(BURST);
    let mut b = builder().region_name("us-east-1").endpoint_url(&url);
    if let Some(n) = max_pool {
        b = b.config("max_pool_connections", n);
    }
    let sts = b.build().unwrap().client("sts").unwrap();
    for _ in 0..2 {
        let calls = (0..BURST).map(|_| sts.call("GetCallerIdentity", doc! {}));
        for r in futures_join(calls).await {
            r.unwrap();
        }
        // Let the pool take the connections back.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    connections.load(Ordering::SeqCst)
}

async fn futures_join<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futs.map(Box::pin).collect();
    // Concurrent: every future is polled by a select loop until all are done.
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    results.into_iter().flatten().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_pool_connections_is_how_many_connections_the_pool_keeps() {
    // Two bursts of 4 concurrent calls. The default pool (10) keeps all 4 connections for the
    // second burst; with max_pool_connections = 1 only one is kept, so 3 more are opened.
    assert_eq!(connections_for_two_bursts(None).await, 4);
    assert_eq!(connections_for_two_bursts(Some("1")).await, 4 + 3);
}
