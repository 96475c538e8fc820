//! Request compression (the `requestcompression` trait) as botocore does it: CloudWatch
//! PutMetricData bodies of at least `request_min_compression_size_bytes` go gzipped with
//! `Content-Encoding: gzip`, smaller ones and disabled sessions go plain; moto accepts the gzipped
//! body as it does boto3's. Without compression a large metric upload costs several times the bytes.

#![cfg(feature = "cloudwatch")]

mod support;

use boto::{doc, Document};
use std::io::{BufRead, BufReader, Read, Write};

/// One request as the server saw it: lower-cased headers and the raw body.
type Captured = (Vec<(String, String)>, Vec<u8>);

/// Serves one request and hands back what it saw.
fn capture_server() -> (String, std::thread::JoinHandle<Captured>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.trim_end().split_once(':') {
                headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
        stream.write_all(reply.as_bytes()).unwrap();
        (headers, body)
    });
    (url, handle)
}

fn metrics(n: usize) -> Document {
    let data: Vec<Document> = (0..n)
        .map(|i| {
            doc! {"MetricName": format!("m{i}"), "Value": i as f64,
            "Dimensions": [{"Name": "host", "Value": format!("h{i}")}]}
        })
        .collect();
    doc! {"Namespace": "ns-gzip", "MetricData": Document::List(data)}
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn put(session: boto::Session, n: usize) -> Captured {
    let (url, server) = capture_server();
    let cw = session.client_with("cloudwatch", None, Some(&url)).unwrap();
    cw.call("PutMetricData", metrics(n)).await.unwrap();
    server.join().unwrap()
}

fn session(extra: &[(&str, &str)]) -> boto::Session {
    let mut b = boto::Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .credentials(boto::Credentials::from_keys("AKIDEXAMPLE", "secret", None));
    for (k, v) in extra {
        b = b.config(*k, *v);
    }
    b.build().unwrap()
}

#[tokio::test]
async fn large_bodies_go_gzipped_small_and_disabled_ones_plain() {
    let (headers, body) = put(session(&[]), 300).await;
    assert_eq!(header(&headers, "content-encoding"), Some("gzip"));
    let plain = gunzip(&body);
    assert!(
        plain.len() > 10_240 && body.len() * 4 < plain.len(),
        "{} -> {}",
        plain.len(),
        body.len()
    );
    let sent: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(sent["Namespace"], "ns-gzip");
    assert_eq!(sent["MetricData"].as_array().unwrap().len(), 300);

    let (headers, body) = put(session(&[]), 2).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());

    let (headers, _) = put(session(&[("disable_request_compression", "true")]), 300).await;
    assert_eq!(header(&headers, "content-encoding"), None);

    let (headers, _) = put(session(&[("request_min_compression_size_bytes", "0")]), 2).await;
    assert_eq!(header(&headers, "content-encoding"), Some("gzip"));
}

#[test]
fn bad_settings_are_errors() {
    let err = boto::Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .config("request_min_compression_size_bytes", "20000000")
        .build()
        .and_then(|s| s.client("cloudwatch"))
        .unwrap_err();
    assert!(err.to_string().contains("10485760"), "{err}");
}

#[tokio::test]
async fn moto_takes_the_gzipped_metrics_as_it_takes_boto3s() {
    let cw = support::session("us-east-1").client("cloudwatch").unwrap();
    let ns = support::unique("gzip-ns");
    let mut input = metrics(300);
    input.set("Namespace", ns.as_str());
    cw.call("PutMetricData", input).await.unwrap();
    let listed = cw
        .paginate("ListMetrics", doc! {"Namespace": ns.as_str()})
        .unwrap()
        .build_full_result()
        .await
        .unwrap();
    assert_eq!(listed["Metrics"].as_list().map(<[_]>::len), Some(300));
}
