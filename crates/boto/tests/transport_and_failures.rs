//! How the call fails when it cannot complete, and how it recovers: missing credentials, a closed
//! port, 503-then-200 retries that replay the body, a bad CA bundle, and one-shot stream bodies.

mod support;

use boto::{doc, ByteStream, Credentials, Error, Session};
use boto_core::client::SdkError;
use boto_core::config::Env;
use support::{scripted_server, session, unique};

#[tokio::test]
async fn missing_credentials_is_its_own_error_kind() {
    let env = Env::from_vars([
        ("HOME", "/nonexistent-boto-home"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let s = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Sdk(SdkError::Credentials(_))),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("unable to locate credentials"),
        "{err}"
    );
}

#[tokio::test]
async fn a_closed_port_is_a_dispatch_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let s = support::session_at(&url, "us-east-1");
    let err = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap_err();
    match err.sdk() {
        Some(SdkError::Dispatch(e)) => {
            assert_eq!(e.kind(), boto_core::http::TransportErrorKind::Connect)
        }
        other => panic!("expected a dispatch error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_503_is_retried_and_the_body_is_sent_again() {
    let busy = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: r1\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
    // The real MD5 of "hello": SQS digests are checked (customize/sqs/message_md5.rs).
    let body = r#"{"MessageId":"m-1","MD5OfMessageBody":"5d41402abc4b2a76b9719d911017c592"}"#;
    let ok = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: r2\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (url, server) = scripted_server(vec![busy.to_string(), ok]);
    let s = Session::builder()
        .env(Env::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_MAX_ATTEMPTS", "3"),
        ]))
        .region_name("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys("a", "b", None))
        .build()
        .unwrap();
    let out = s
        .client("sqs")
        .unwrap()
        .call(
            "SendMessage",
            doc! {"QueueUrl": "http://q", "MessageBody": "hello"},
        )
        .await
        .unwrap();
    assert_eq!(out["MessageId"].as_str(), Some("m-1"));
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"].as_i64(), Some(1));
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 2);
    for head in &seen {
        assert!(
            head.to_ascii_lowercase().contains("content-length: "),
            "{head}"
        );
    }
}

#[tokio::test]
async fn a_service_error_that_is_not_transient_is_not_retried() {
    let body = r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"nope"}"#;
    let resp = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: rq\r\nx-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (url, server) = scripted_server(vec![resp]);
    let s = support::session_at(&url, "us-east-1");
    let err = s
        .client("sqs")
        .unwrap()
        .call("GetQueueUrl", doc! {"QueueName": "x"})
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "query-compatible code"
    );
    assert!(
        err.is("QueueDoesNotExist"),
        "the modeled shape name matches too"
    );
    assert_eq!(err.request_id(), Some("rq"));
    assert_eq!(server.join().unwrap().len(), 1, "exactly one attempt");
}

#[test]
fn a_bad_ca_bundle_names_the_file() {
    let path = std::env::temp_dir().join(format!("{}.pem", unique("bad-bundle")));
    std::fs::write(&path, "not a certificate").unwrap();
    let env = Env::from_vars([
        ("HOME", "/nonexistent".to_string()),
        ("AWS_CA_BUNDLE", path.display().to_string()),
    ]);
    let err = Session::builder().env(env).build().unwrap_err().to_string();
    assert!(err.contains(&path.display().to_string()), "{err}");
}

#[tokio::test]
async fn a_one_shot_stream_uploads() {
    let s = session("us-east-1");
    let client = s.client("s3").unwrap();
    let bucket = unique("stream");
    client
        .call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    let data = bytes::Bytes::from(vec![7u8; 300_000]);
    let body = ByteStream::from_body(http_body_util::Full::new(data.clone()));
    assert!(
        body.try_clone().is_none(),
        "a one-shot stream cannot replay"
    );
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "s"},
            Some(body),
        )
        .await
        .unwrap();
    let got = client
        .call("GetObject", doc! {"Bucket": &bucket, "Key": "s"})
        .await
        .unwrap();
    assert_eq!(got["Body"].as_blob(), Some(&data));
}

#[tokio::test]
async fn an_invalid_expires_header_does_not_fail_head_object() {
    let head = |expires: &str| {
        format!("HTTP/1.1 200 OK\r\nx-amz-request-id: r\r\ncontent-length: 0\r\nlast-modified: Sun, 25 Jan 2015 08:00:00 GMT\r\nexpires: {expires}\r\nconnection: close\r\n\r\n")
    };
    let (url, server) = scripted_server(vec![
        head("soon, maybe"),
        head("Thu, 01 Jan 2037 00:00:00 GMT"),
    ]);
    let s = support::session_at(&url, "us-east-1");
    let client = s.client("s3").unwrap();
    let out = client
        .call("HeadObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert!(out["Expires"].is_null(), "{out}");
    assert_eq!(out["ExpiresString"].as_str(), Some("soon, maybe"));
    assert!(out["LastModified"].as_timestamp().is_some());
    let out = client
        .call("HeadObject", doc! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    assert_eq!(
        out["Expires"].as_timestamp().map(|t| t.secs()),
        Some(2_114_380_800)
    );
    assert_eq!(
        out["ExpiresString"].as_str(),
        Some("Thu, 01 Jan 2037 00:00:00 GMT")
    );
    server.join().unwrap();
}

#[tokio::test]
async fn a_download_whose_checksum_does_not_match_fails_at_the_end() {
    // CRC32("hello") = 0x3610A686, base64 "NhCmhg=="
    let get = |crc: &str| {
        format!("HTTP/1.1 200 OK\r\nx-amz-request-id: r\r\ncontent-length: 5\r\nx-amz-checksum-crc32: {crc}\r\nconnection: close\r\n\r\nhello")
    };
    let (url, server) = scripted_server(vec![get("NhCmhg=="), get("AAAAAA==")]);
    let s = support::session_at(&url, "us-east-1");
    let client = s.client("s3").unwrap();
    let good = client
        .invoke("GetObject", doc! {"Bucket": "b", "Key": "k"}, None)
        .await
        .unwrap();
    assert_eq!(&good.body.unwrap().collect().await.unwrap()[..], b"hello");
    let bad = client
        .invoke("GetObject", doc! {"Bucket": "b", "Key": "k"}, None)
        .await
        .unwrap();
    let err = bad.body.unwrap().collect().await.unwrap_err().to_string();
    assert!(err.contains("checksum"), "{err}");
    let seen = server.join().unwrap();
    assert!(
        seen[0]
            .to_ascii_lowercase()
            .contains("x-amz-checksum-mode: enabled"),
        "{}",
        seen[0]
    );
}

/// A body that trickles out `chunks` chunks, one every `gap`.
struct Trickle {
    chunks: usize,
    gap: std::time::Duration,
    sleep: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl http_body::Body for Trickle {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, std::io::Error>>> {
        use std::future::Future;
        if self.chunks == 0 {
            return std::task::Poll::Ready(None);
        }
        let gap = self.gap;
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(gap)));
        match sleep.as_mut().poll(cx) {
            std::task::Poll::Pending => std::task::Poll::Pending,
            std::task::Poll::Ready(()) => {
                self.sleep = None;
                self.chunks -= 1;
                std::task::Poll::Ready(Some(Ok(http_body::Frame::data(bytes::Bytes::from(
                    vec![b'z'; 1024],
                )))))
            }
        }
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.chunks as u64 * 1024)
    }
}

#[tokio::test]
async fn a_slow_upload_that_keeps_sending_does_not_time_out() {
    let mut settings = boto_core::http::HttpSettings::default();
    settings.connect_timeout = std::time::Duration::from_millis(500);
    settings.read_timeout = std::time::Duration::from_millis(500);
    let s = Session::builder()
        .env(support::empty_env())
        .region_name("us-east-1")
        .endpoint_url(support::s3s_url())
        .credentials(Credentials::from_keys(
            "boto-test",
            "boto-test-secret",
            None,
        ))
        .http_settings(settings)
        .build()
        .unwrap();
    let client = s.client("s3").unwrap();
    let bucket = unique("slow");
    client
        .call("CreateBucket", doc! {"Bucket": &bucket})
        .await
        .unwrap();
    // Six chunks 300 ms apart: 1.8 s in all, far past connect + read timeout, never idle 500 ms.
    let body = ByteStream::from_body(Trickle {
        chunks: 6,
        gap: std::time::Duration::from_millis(300),
        sleep: None,
    });
    client
        .invoke(
            "PutObject",
            doc! {"Bucket": &bucket, "Key": "slow"},
            Some(body),
        )
        .await
        .unwrap();
    let head = client
        .call("HeadObject", doc! {"Bucket": &bucket, "Key": "slow"})
        .await
        .unwrap();
    assert_eq!(head["ContentLength"].as_i64(), Some(6 * 1024));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let holder = std::thread::spawn(move || {
        // Accept and say nothing; keep the sockets open until the client gives up.
        let conns: Vec<_> = (0..3).filter_map(|_| listener.accept().ok()).collect();
        std::thread::sleep(std::time::Duration::from_secs(3));
        drop(conns);
    });
    let mut settings = boto_core::http::HttpSettings::default();
    settings.connect_timeout = std::time::Duration::from_millis(200);
    settings.read_timeout = std::time::Duration::from_millis(300);
    let s = Session::builder()
        .env(Env::from_vars([
            ("HOME", "/nonexistent"),
            ("AWS_MAX_ATTEMPTS", "1"),
        ]))
        .region_name("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys("a", "b", None))
        .http_settings(settings)
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap_err();
    assert!(err.sdk().is_some_and(|e| e.is_timeout()), "{err:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(holder);
}

#[tokio::test]
async fn a_repeated_pagination_token_is_an_error_not_a_silent_end() {
    let page = |token: &str| {
        let body = format!(
            "<ListBucketResult><Name>b</Name><IsTruncated>true</IsTruncated><KeyCount>1</KeyCount>\
             <Contents><Key>k{token}</Key></Contents><NextContinuationToken>{token}</NextContinuationToken></ListBucketResult>"
        );
        format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let (url, server) = scripted_server(vec![page("t1"), page("t2"), page("t2")]);
    let s = support::session_at(&url, "us-east-1");
    let mut pages = s
        .client("s3")
        .unwrap()
        .paginate("ListObjectsV2", doc! {"Bucket": "b"})
        .unwrap();
    for _ in 0..3 {
        pages.next_page().await.unwrap().unwrap();
    }
    let err = pages.next_page().await.unwrap().unwrap_err();
    // Its own error, not a response error with a made-up HTTP status.
    assert!(
        matches!(
            &err,
            boto::Error::Pagination(boto_core::paginate::PaginationError::RepeatedToken {
                operation,
                tokens,
            }) if operation == "ListObjectsV2" && tokens == &[doc!("t2")]
        ),
        "{err:?}"
    );
    assert!(err.sdk().is_none() && err.status().is_none(), "{err:?}");
    assert!(err.to_string().contains("same next token twice"), "{err}");
    assert!(pages.next_page().await.is_none());
    server.join().unwrap();
}

#[tokio::test]
async fn throttling_is_retried() {
    let throttled = r#"{"__type":"com.amazonaws.sqs#ThrottlingException","message":"slow down"}"#;
    let busy = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: t1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{throttled}",
        throttled.len()
    );
    let ok = "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 17\r\nconnection: close\r\n\r\n{\"QueueUrls\": []}";
    let (url, server) = scripted_server(vec![busy, ok.to_string()]);
    let s = support::session_at(&url, "us-east-1");
    let out = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap();
    assert_eq!(out["ResponseMetadata"]["RetryAttempts"].as_i64(), Some(1));
    assert_eq!(server.join().unwrap().len(), 2);
}

/// A proxy that records the first request head it gets, answers it, and hangs up.
fn fake_proxy(answer: &'static str) -> (String, std::thread::JoinHandle<Option<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://proxyuser:proxypass@{}",
        listener.local_addr().unwrap()
    );
    listener.set_nonblocking(true).unwrap();
    let handle = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::time::Instant::now() < deadline {
            if let Ok((mut stream, _)) = listener.accept() {
                stream.set_nonblocking(false).unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let _ = stream.write_all(answer.as_bytes());
                return Some(head);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        None
    });
    (url, handle)
}

#[tokio::test]
async fn https_goes_through_the_proxy_with_its_credentials() {
    let (proxy, seen) = fake_proxy("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
    let env = Env::from_vars([
        ("HOME", "/nonexistent".to_string()),
        ("HTTPS_PROXY", proxy.clone()),
        ("AWS_MAX_ATTEMPTS", "1".to_string()),
    ]);
    let s = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .credentials(Credentials::from_keys("a", "b", None))
        .build()
        .unwrap();
    let err = s
        .client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap_err();
    assert!(matches!(err.sdk(), Some(SdkError::Dispatch(_))), "{err:?}");
    let head = seen.join().unwrap().expect("the proxy was asked");
    assert!(
        head.starts_with("CONNECT sqs.us-east-1.amazonaws.com:443 HTTP/1.1"),
        "{head}"
    );
    // base64("proxyuser:proxypass")
    assert!(
        head.to_ascii_lowercase()
            .contains("proxy-authorization: basic chjvehl1c2vyonbyb3h5cgfzcw=="),
        "{head}"
    );
    let settings = boto_core::http::ProxySettings {
        https: Some(proxy),
        no_proxy: None,
    };
    let shown = format!("{settings:?}");
    assert!(
        !shown.contains("proxypass") && shown.contains("127.0.0.1"),
        "{shown}"
    );
}

#[tokio::test]
async fn no_proxy_hosts_and_plain_http_bypass_the_proxy() {
    let (proxy, seen) = fake_proxy("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
    let env = Env::from_vars([
        ("HOME", "/nonexistent".to_string()),
        ("HTTPS_PROXY", proxy),
        ("NO_PROXY", "127.0.0.1".to_string()),
    ]);
    let s = Session::builder()
        .env(env)
        .region_name("us-east-1")
        .endpoint_url(support::moto_url())
        .credentials(Credentials::from_keys("a", "b", None))
        .build()
        .unwrap();
    s.client("sqs")
        .unwrap()
        .call("ListQueues", doc! {})
        .await
        .unwrap();
    assert!(seen.join().unwrap().is_none(), "the proxy was not used");
}
