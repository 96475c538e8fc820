//! Input event streams (Bedrock InvokeModelWithBidirectionalStream) end to end against a loopback
//! server that reads the chunked request body frame by frame, checks every message's signature
//! chain from the request's own signature, and answers each input event with an output event at
//! once. The client waits for each answer before it sends the next event, so a client that
//! buffered its input (or the response) would hang instead of passing.

#![cfg(feature = "bedrock-runtime")]

mod support;

use boto::{doc, Error, InputEvents};
use boto_core::auth::sigv4::{EventSigner, SigningParams, SigningSettings};
use boto_core::protocol::event_stream::{Decoder, HeaderValue, Message};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, UNIX_EPOCH};

const SECRET: &str = "secret";

/// What the server saw.
#[derive(Debug, Default)]
struct Report {
    headers: Vec<(String, String)>,
    /// The inner messages' payloads, in order.
    payloads: Vec<Vec<u8>>,
    /// Every outer message's signature matched the chain.
    chain_ok: bool,
    /// The last message was the empty closing one.
    closed: bool,
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.into())
}

fn output_chunk(bytes: &[u8]) -> Vec<u8> {
    let json = format!(r#"{{"bytes":"{}"}}"#, base64(bytes));
    Message {
        headers: vec![
            (":message-type".into(), text("event")),
            (":event-type".into(), text("chunk")),
            (":content-type".into(), text("application/json")),
        ],
        payload: json.into_bytes().into(),
    }
    .to_bytes()
    .unwrap()
}

fn exception(kind: &str, message: &str) -> Vec<u8> {
    Message {
        headers: vec![
            (":message-type".into(), text("exception")),
            (":exception-type".into(), text(kind)),
            (":content-type".into(), text("application/json")),
        ],
        payload: format!(r#"{{"message":"{message}"}}"#).into_bytes().into(),
    }
    .to_bytes()
    .unwrap()
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn write_chunk(stream: &mut TcpStream, data: &[u8]) {
    let _ = write!(stream, "{:x}\r\n", data.len());
    let _ = stream.write_all(data);
    let _ = stream.write_all(b"\r\n");
    let _ = stream.flush();
}

/// Reads one chunk of a chunked body; `None` at its end.
fn read_chunk(reader: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let size = usize::from_str_radix(line.trim().split(';').next()?, 16).ok()?;
    let mut data = vec![0; size];
    reader.read_exact(&mut data).ok()?;
    let mut crlf = [0u8; 2];
    reader.read_exact(&mut crlf).ok()?;
    (size > 0).then_some(data)
}

/// Serves one bidirectional call. Each input `chunk` event is answered with a `chunk` carrying
/// its bytes upper-cased; with `fail_after = Some(n)`, the n-th answer is a modeled exception.
fn echo_server(fail_after: Option<usize>) -> (String, std::thread::JoinHandle<Report>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_nodelay(true).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut report = Report {
            chain_ok: true,
            ..Report::default()
        };
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            if let Some((k, v)) = line.trim_end().split_once(':') {
                report.headers.push((k.to_string(), v.trim().to_string()));
            }
        }
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nx-amzn-requestid: req-bidi\r\n\
                  content-type: application/vnd.amazon.eventstream\r\n\
                  transfer-encoding: chunked\r\n\r\n",
            )
            .unwrap();
        let seed = header(&report.headers, "authorization")
            .and_then(|a| a.split("Signature=").nth(1))
            .unwrap_or_default()
            .to_string();
        let params = SigningParams {
            access_key: "AKIDEXAMPLE",
            secret_key: SECRET,
            session_token: None,
            region: "us-east-1",
            service: "bedrock",
            time: UNIX_EPOCH,
            settings: SigningSettings::default(),
        };
        let mut chain = EventSigner::new(&params, &seed).ok();
        report.chain_ok = chain.is_some();
        let mut decoder = Decoder::new();
        let mut answered = 0;
        'body: while let Some(data) = read_chunk(&mut reader) {
            decoder.push(&data);
            while let Some(outer) = decoder.next_message().unwrap() {
                let date = match outer.header(":date") {
                    Some(HeaderValue::Timestamp(ms)) => *ms,
                    _ => {
                        report.chain_ok = false;
                        0
                    }
                };
                let time = UNIX_EPOCH + Duration::from_millis(date as u64);
                let expected = chain
                    .as_mut()
                    .and_then(|c| c.sign(&outer.payload, time).ok());
                let got = match outer.header(":chunk-signature") {
                    Some(HeaderValue::Bytes(b)) => b.to_vec(),
                    _ => Vec::new(),
                };
                if expected.map(|e| e.signature_bytes) != Some(got) {
                    report.chain_ok = false;
                }
                if outer.payload.is_empty() {
                    report.closed = true;
                    break 'body;
                }
                let mut inner = Decoder::new();
                inner.push(&outer.payload);
                let event = inner
                    .next_message()
                    .unwrap()
                    .expect("a whole inner message");
                assert_eq!(event.header_str(":event-type"), Some("chunk"));
                report.payloads.push(event.payload.to_vec());
                answered += 1;
                let json = String::from_utf8_lossy(&event.payload).to_string();
                let reply = if fail_after == Some(answered) {
                    exception("throttlingException", "slow down")
                } else {
                    // Upper-casing the base64 text of the bytes stands in for a model's answer.
                    output_chunk(json.to_ascii_uppercase().as_bytes())
                };
                write_chunk(&mut stream, &reply);
            }
        }
        write_chunk(&mut stream, b"");
        report
    });
    (url, handle)
}

fn bedrock_at(url: &str) -> boto::Client {
    support::session_at(url, "us-east-1")
        .client("bedrock-runtime")
        .unwrap()
}

#[tokio::test]
async fn each_event_is_signed_sent_and_answered_before_the_next() {
    let (url, server) = echo_server(None);
    let (sender, events) = InputEvents::channel(1);
    let mut out = bedrock_at(&url)
        .invoke_with_events(
            "InvokeModelWithBidirectionalStream",
            doc! {"modelId": "amazon.nova-sonic-v1:0"},
            events,
        )
        .await
        .unwrap();
    assert_eq!(
        out["ResponseMetadata"]["RequestId"].as_str(),
        Some("req-bidi")
    );
    let mut replies = out.events().expect("an output event stream");
    for word in ["hello", "world", "again"] {
        sender
            .send(doc! {"chunk": {"bytes": boto::Document::Blob(word.as_bytes().to_vec().into())}})
            .await
            .unwrap();
        // The answer to this event arrives before the next is sent: nothing is buffered whole.
        let reply = tokio::time::timeout(Duration::from_secs(10), replies.next_event())
            .await
            .expect("the reply arrives while the request is still open")
            .unwrap()
            .unwrap();
        let got = reply["chunk"]["bytes"].as_blob().unwrap().to_vec();
        let sent = format!(r#"{{"bytes":"{}"}}"#, base64(word.as_bytes()));
        assert_eq!(String::from_utf8(got).unwrap(), sent.to_ascii_uppercase());
    }
    drop(sender);
    assert!(replies.next_event().await.is_none());
    let report = server.join().unwrap();
    assert_eq!(
        header(&report.headers, "x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(
        header(&report.headers, "content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(
        header(&report.headers, "transfer-encoding"),
        Some("chunked")
    );
    assert_eq!(header(&report.headers, "content-length"), None);
    assert!(header(&report.headers, "authorization")
        .unwrap()
        .contains("/us-east-1/bedrock/aws4_request"));
    assert!(
        report.chain_ok,
        "every message signature chains: {report:?}"
    );
    assert!(
        report.closed,
        "the stream ends with the empty signed message"
    );
    let payloads: Vec<String> = report
        .payloads
        .iter()
        .map(|p| String::from_utf8(p.clone()).unwrap())
        .collect();
    assert_eq!(
        payloads,
        ["hello", "world", "again"].map(|w| format!(r#"{{"bytes":"{}"}}"#, base64(w.as_bytes())))
    );
}

#[tokio::test]
async fn a_modeled_exception_event_is_a_service_error() {
    let (url, server) = echo_server(Some(2));
    let events = InputEvents::from_events(vec![
        doc! {"chunk": {"bytes": "b25l"}},
        doc! {"chunk": {"bytes": "dHdv"}},
    ]);
    let mut out = bedrock_at(&url)
        .invoke_with_events(
            "InvokeModelWithBidirectionalStream",
            doc! {"modelId": "m"},
            events,
        )
        .await
        .unwrap();
    let mut replies = out.events().unwrap();
    assert!(replies.next_event().await.unwrap().is_ok());
    let err = Error::from(replies.next_event().await.unwrap().unwrap_err());
    assert!(err.is("throttlingException"), "{err}");
    assert!(err.to_string().contains("slow down"), "{err}");
    server.join().unwrap();
}

#[tokio::test]
async fn an_event_the_model_does_not_know_fails_the_call_and_says_which() {
    let (url, _server) = echo_server(None);
    let events =
        InputEvents::from_events(vec![doc! {"chunk": {"bytes": "b25l"}}, doc! {"audio": {}}]);
    let client = bedrock_at(&url);
    let result = async {
        let mut out = client
            .invoke_with_events(
                "InvokeModelWithBidirectionalStream",
                doc! {"modelId": "m"},
                events,
            )
            .await?;
        let mut replies = out.events().unwrap();
        while let Some(e) = replies.next_event().await {
            e?;
        }
        Ok::<_, Error>(())
    }
    .await;
    let err = result.expect_err("an unknown event type is an error");
    let text = format!("{err}: {:?}", std::error::Error::source(&err));
    assert!(text.contains("input event 2"), "{text}");
    assert!(text.contains("audio is not an event"), "{text}");
}

#[tokio::test]
async fn events_on_an_operation_without_an_input_stream_are_refused_before_sending() {
    let client = bedrock_at("http://127.0.0.1:9");
    let err = client
        .invoke_with_events(
            "InvokeModel",
            doc! {"modelId": "m"},
            InputEvents::from_events(vec![]),
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("has no input event stream"),
        "{err}"
    );
    // And the stream member cannot be given inline.
    let err = client
        .call(
            "InvokeModelWithBidirectionalStream",
            doc! {"modelId": "m", "body": {"chunk": {"bytes": "eA=="}}},
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("input event stream"), "{err}");
}

#[test]
fn the_blocking_client_sends_events_and_iterates_the_replies() {
    let (url, server) = echo_server(None);
    let session = support::session_at(&url, "us-east-1");
    let client = boto::blocking::Session::from(session)
        .client("bedrock-runtime")
        .unwrap();
    let (sender, events) = InputEvents::channel(4);
    let feeder = std::thread::spawn(move || {
        for w in ["YQ==", "Yg=="] {
            sender.blocking_send(doc! {"chunk": {"bytes": w}}).unwrap();
        }
    });
    let mut out = client
        .invoke_with_events(
            "InvokeModelWithBidirectionalStream",
            doc! {"modelId": "m"},
            events,
        )
        .unwrap();
    let replies: Vec<_> = out.events().unwrap().collect::<Result<_, _>>().unwrap();
    feeder.join().unwrap();
    assert_eq!(replies.len(), 2);
    let report = server.join().unwrap();
    assert!(report.chain_ok && report.closed, "{report:?}");
}

/// With the `http2` feature the transport offers HTTP/2 by ALPN, as the AWS endpoints of these
/// operations require; here a TLS server on loopback that speaks only HTTP/2 takes the same
/// signed, full-duplex exchange.
#[cfg(feature = "http2")]
mod over_http2 {
    use super::*;
    use bytes::Bytes;
    use hyper::body::{Body, Frame, Incoming};
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use tokio::sync::mpsc;

    /// A response body fed by a channel, so replies go out while the request is still open.
    struct Replies(mpsc::UnboundedReceiver<Bytes>);

    impl Body for Replies {
        type Data = Bytes;
        type Error = std::convert::Infallible;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            self.0.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b))))
        }
    }

    #[derive(Default)]
    struct Seen {
        version: Option<hyper::Version>,
        authorization: String,
        outer: Vec<Message>,
    }

    async fn handle(
        req: hyper::Request<Incoming>,
        seen: Arc<Mutex<Seen>>,
    ) -> Result<hyper::Response<Replies>, std::convert::Infallible> {
        {
            let mut s = seen.lock().unwrap();
            s.version = Some(req.version());
            s.authorization = req
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut body = req.into_body();
        tokio::spawn(async move {
            let mut decoder = Decoder::new();
            while let Some(Ok(frame)) =
                std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
            {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                decoder.push(&data);
                while let Ok(Some(outer)) = decoder.next_message() {
                    let closing = outer.payload.is_empty();
                    if !closing {
                        let mut inner = Decoder::new();
                        inner.push(&outer.payload);
                        if let Ok(Some(event)) = inner.next_message() {
                            let text = String::from_utf8_lossy(&event.payload).to_ascii_uppercase();
                            let _ = tx.send(Bytes::from(output_chunk(text.as_bytes())));
                        }
                    }
                    seen.lock().unwrap().outer.push(outer);
                    if closing {
                        return; // dropping tx ends the response
                    }
                }
            }
        });
        Ok(hyper::Response::builder()
            .header("content-type", "application/vnd.amazon.eventstream")
            .header("x-amzn-requestid", "req-h2")
            .body(Replies(rx))
            .unwrap())
    }

    #[tokio::test]
    async fn events_travel_over_http2_when_the_server_negotiates_it() {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let (ca, cert, key) = support::tls::certificates();
        let certs: Vec<_> = CertificateDer::pem_file_iter(&cert)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let key = PrivateKeyDer::from_pem_file(&key).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Seen::default()));
        let server_seen = seen.clone();
        tokio::spawn(async move {
            let (tcp, _) = listener.accept().await.unwrap();
            let tls = acceptor.accept(tcp).await.unwrap();
            let service = hyper::service::service_fn(move |req| handle(req, server_seen.clone()));
            let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });

        let mut http = boto::HttpSettings::default();
        http.ca_bundle = Some(ca.clone());
        let session = boto::Session::builder()
            .env(support::empty_env())
            .region_name("us-east-1")
            .endpoint_url(&url)
            .http_settings(http)
            .credentials(boto::Credentials::from_keys("AKIDEXAMPLE", SECRET, None))
            .build()
            .unwrap();
        let client = session.client("bedrock-runtime").unwrap();
        let (sender, events) = InputEvents::channel(1);
        let mut out = client
            .invoke_with_events(
                "InvokeModelWithBidirectionalStream",
                doc! {"modelId": "m"},
                events,
            )
            .await
            .unwrap();
        assert_eq!(
            out["ResponseMetadata"]["RequestId"].as_str(),
            Some("req-h2")
        );
        let mut replies = out.events().unwrap();
        for word in ["b25l", "dHdv"] {
            sender.send(doc! {"chunk": {"bytes": word}}).await.unwrap();
            let reply = tokio::time::timeout(Duration::from_secs(10), replies.next_event())
                .await
                .expect("the reply arrives while the request is still open")
                .unwrap()
                .unwrap();
            assert!(reply["chunk"]["bytes"].as_blob().is_some(), "{reply:?}");
        }
        drop(sender);
        assert!(replies.next_event().await.is_none());

        let seen = seen.lock().unwrap();
        assert_eq!(seen.version, Some(hyper::Version::HTTP_2));
        let seed = seen.authorization.split("Signature=").nth(1).unwrap();
        let params = SigningParams {
            access_key: "AKIDEXAMPLE",
            secret_key: SECRET,
            session_token: None,
            region: "us-east-1",
            service: "bedrock",
            time: UNIX_EPOCH,
            settings: SigningSettings::default(),
        };
        let mut chain = EventSigner::new(&params, seed).unwrap();
        assert_eq!(seen.outer.len(), 3, "two events and the closing message");
        for outer in &seen.outer {
            let Some(HeaderValue::Timestamp(ms)) = outer.header(":date") else {
                panic!("no :date header")
            };
            let expected = chain
                .sign(
                    &outer.payload,
                    UNIX_EPOCH + Duration::from_millis(*ms as u64),
                )
                .unwrap();
            assert_eq!(
                outer.header(":chunk-signature"),
                Some(&HeaderValue::Bytes(expected.signature_bytes.into()))
            );
        }
        let _ = std::fs::remove_dir_all(cert.parent().unwrap());
    }
}
