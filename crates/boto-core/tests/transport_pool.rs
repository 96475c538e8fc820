//! The HTTP/1.1 transport drives its connections from the calling task and pools them: no task
//! is left running per connection, a connection whose response was read to the end carries the
//! next request, one dropped half-read is closed, and one the server closed while it sat in the
//! pool is replaced without the caller seeing an error.
//!
//! The server is scripted (keep-alive HTTP/1.1 over std threads) because moto closes every
//! connection and s3s-fs cannot be told to drop an idle one.

use boto_core::http::{ByteStream, HttpClient, HttpRequest, HttpSettings};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

struct Server {
    url: String,
    connections: Arc<AtomicUsize>,
    hosts: Arc<Mutex<Vec<String>>>,
}

/// Answers every request on a connection in turn: `/big` with 4 MiB, `/last` with 2 bytes and
/// then closes the connection (no `Connection: close`, as a server's idle timeout does), anything
/// else with 2 bytes.
fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let hosts = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (connections.clone(), hosts.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let path = line.split(' ').nth(1).unwrap_or("/").to_string();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = h.to_ascii_lowercase().strip_prefix("host:") {
                            seen.lock().unwrap().push(v.trim().to_string());
                        }
                        if h == "\r\n" {
                            break;
                        }
                    }
                    let body = if path == "/big" {
                        vec![b'x'; 4 << 20]
                    } else {
                        b"ok".to_vec()
                    };
                    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
                    if writer.write_all(head.as_bytes()).is_err()
                        || writer.write_all(&body).is_err()
                    {
                        return;
                    }
                    if path == "/last" {
                        return;
                    }
                }
            });
        }
    });
    Server {
        url,
        connections,
        hosts,
    }
}

fn get(url: String) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url,
        headers: Default::default(),
        body: ByteStream::default(),
    }
}

fn client() -> HttpClient {
    HttpClient::new(HttpSettings::default()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_spawns_no_task_and_its_connection_carries_the_next() {
    let s = server();
    let http = client();
    let metrics = tokio::runtime::Handle::current().metrics();
    for i in 0..3 {
        let resp = http.send(get(format!("{}/k{i}", s.url))).await.unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(&resp.body.collect().await.unwrap()[..], b"ok");
        // hyper's pooled client leaves one task per connection running.
        assert_eq!(metrics.num_alive_tasks(), 0, "request {i}");
    }
    let big = http.send(get(format!("{}/big", s.url))).await.unwrap();
    assert_eq!(big.body.collect().await.unwrap().len(), 4 << 20);
    assert_eq!(s.connections.load(Ordering::SeqCst), 1);
    let port = s.url.rsplit(':').next().unwrap();
    let hosts = s.hosts.lock().unwrap().clone();
    assert_eq!(hosts.len(), 4);
    assert!(
        hosts.iter().all(|h| *h == format!("127.0.0.1:{port}")),
        "{hosts:?}"
    );
}

#[tokio::test]
async fn a_body_dropped_half_read_closes_its_connection_and_the_next_request_opens_one() {
    let s = server();
    let http = client();
    let mut big = http.send(get(format!("{}/big", s.url))).await.unwrap().body;
    let first = big.next_chunk().await.unwrap().unwrap();
    assert!(!first.is_empty() && first.len() < 4 << 20);
    drop(big);
    let resp = http.send(get(format!("{}/after", s.url))).await.unwrap();
    assert_eq!(&resp.body.collect().await.unwrap()[..], b"ok");
    assert_eq!(s.connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_pooled_connection_the_server_closed_is_replaced_unseen() {
    let s = server();
    let http = client();
    for path in ["/last", "/again", "/last", "/again"] {
        let resp = http.send(get(format!("{}{path}", s.url))).await.unwrap();
        assert_eq!(&resp.body.collect().await.unwrap()[..], b"ok", "{path}");
        // Give the server's close time to arrive, so the pool holds a dead connection.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(s.connections.load(Ordering::SeqCst), 3);
}
