//! Event-stream output (S3 SelectObjectContent) end to end: a loopback server that writes frames
//! in pieces split at awkward byte boundaries (inside preludes, headers and CRCs), holding back the
//! rest until the client has seen the first event, so an event stream that buffered the whole body
//! would hang; a corrupt frame, a torn stream and error events; the blocking iterator; and moto.

mod support;

use boto::{doc, Document, Error};
use boto_core::client::SdkError;
use boto_core::protocol::event_stream::{FrameError, HeaderValue, Message};
use boto_core::protocol::ProtocolError;
use std::io::{BufRead, BufReader, Read, Write};
use std::sync::mpsc;
use std::time::Duration;

fn text(s: &str) -> HeaderValue {
    HeaderValue::String(s.into())
}

fn event(kind: &str, content_type: &str, payload: &str) -> Vec<u8> {
    Message {
        headers: vec![
            (":message-type".into(), text("event")),
            (":event-type".into(), text(kind)),
            (":content-type".into(), text(content_type)),
        ],
        payload: payload.as_bytes().to_vec().into(),
    }
    .to_bytes()
    .unwrap()
}

fn records(csv: &str) -> Vec<u8> {
    event("Records", "application/octet-stream", csv)
}

fn stats() -> Vec<u8> {
    event(
        "Stats",
        "text/xml",
        r#"<Stats xmlns=""><BytesScanned>10</BytesScanned><BytesProcessed>10</BytesProcessed><BytesReturned>8</BytesReturned></Stats>"#,
    )
}

fn end() -> Vec<u8> {
    Message {
        headers: vec![
            (":message-type".into(), text("event")),
            (":event-type".into(), text("End")),
        ],
        payload: Default::default(),
    }
    .to_bytes()
    .unwrap()
}

fn error_message(code: &str, message: &str) -> Vec<u8> {
    Message {
        headers: vec![
            (":message-type".into(), text("error")),
            (":error-code".into(), text(code)),
            (":error-message".into(), text(message)),
        ],
        payload: Default::default(),
    }
    .to_bytes()
    .unwrap()
}

/// Cuts `body` at every offset in `cuts` (and nowhere else).
fn pieces(body: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    for &c in cuts.iter().filter(|c| **c > 0 && **c < body.len()) {
        if c > at {
            out.push(body[at..c].to_vec());
            at = c;
        }
    }
    out.push(body[at..].to_vec());
    out
}

/// Cut points at awkward places of every frame: 1 byte in, inside the prelude, right after it,
/// inside the headers, 1 and 3 bytes before the end (inside the message CRC).
fn awkward_cuts(frames: &[Vec<u8>]) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut start = 0;
    for f in frames {
        let n = f.len();
        for c in [1, 5, 11, 12, 13, 20, n - 3, n - 1] {
            if c < n {
                cuts.push(start + c);
            }
        }
        start += n;
    }
    cuts.sort();
    cuts.dedup();
    cuts
}

/// Serves one SelectObjectContent response: a 200 whose body is `pieces`, written one at a time
/// with a pause between. With `gate = Some((n, rx))`, waits after the first `n` pieces until the
/// client signals it has read an event; the thread answers whether that signal came.
fn stream_server(
    pieces: Vec<Vec<u8>>,
    gate: Option<(usize, mpsc::Receiver<()>)>,
) -> (String, std::thread::JoinHandle<bool>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_nodelay(true).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body).unwrap();
        let total: usize = pieces.iter().map(Vec::len).sum();
        let head = format!(
            "HTTP/1.1 200 OK\r\nx-amz-request-id: req-42\r\ncontent-type: application/octet-stream\r\ncontent-length: {total}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let mut released = gate.is_none();
        for (i, piece) in pieces.iter().enumerate() {
            if let Some((n, rx)) = &gate {
                if i == *n {
                    released = rx.recv_timeout(Duration::from_secs(10)).is_ok();
                }
            }
            // The client may have hung up after an error: stop quietly.
            if stream
                .write_all(piece)
                .and_then(|()| stream.flush())
                .is_err()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        released
    });
    (url, handle)
}

fn select_input() -> Document {
    doc! {
        "Bucket": "bucket",
        "Key": "data.csv",
        "Expression": "SELECT * FROM S3Object",
        "ExpressionType": "SQL",
        "InputSerialization": {"CSV": {"FileHeaderInfo": "NONE"}},
        "OutputSerialization": {"CSV": {}},
    }
}

fn s3_at(url: &str) -> boto::Client {
    support::session_at(url, "us-east-1").client("s3").unwrap()
}

#[tokio::test]
async fn events_arrive_one_by_one_across_awkward_splits() {
    let frames = vec![records("a,1\n"), records("b,2\n"), stats(), end()];
    let body = frames.concat();
    let cuts = awkward_cuts(&frames);
    let split = pieces(&body, &cuts);
    // Hold back everything after the first frame's last piece until the client saw an event.
    let first_frame_pieces = cuts.iter().filter(|c| **c < frames[0].len()).count() + 1;
    let (tx, rx) = mpsc::channel();
    let (url, server) = stream_server(split, Some((first_frame_pieces, rx)));
    let mut out = s3_at(&url)
        .invoke("SelectObjectContent", select_input(), None)
        .await
        .unwrap();
    assert_eq!(
        out["ResponseMetadata"]["RequestId"].as_str(),
        Some("req-42")
    );
    assert!(out.body.is_none());
    let mut events = out.events().expect("an event stream");
    let first = events.next_event().await.unwrap().unwrap();
    assert_eq!(
        first["Records"]["Payload"].as_blob().unwrap(),
        &b"a,1\n"[..]
    );
    tx.send(()).unwrap();
    let second = events.next_event().await.unwrap().unwrap();
    assert_eq!(
        second["Records"]["Payload"].as_blob().unwrap(),
        &b"b,2\n"[..]
    );
    let stats = events.next_event().await.unwrap().unwrap();
    assert_eq!(stats["Stats"]["Details"]["BytesScanned"].as_i64(), Some(10));
    assert_eq!(stats["Stats"]["Details"]["BytesReturned"].as_i64(), Some(8));
    let end = events.next_event().await.unwrap().unwrap();
    assert_eq!(end, doc! {"End": {}});
    assert!(events.next_event().await.is_none());
    assert!(
        server.join().unwrap(),
        "the first event was only seen after the whole body was sent"
    );
}

#[tokio::test]
async fn the_stream_is_a_futures_stream() {
    use futures_util::StreamExt;
    let frames = vec![records("x\n"), end()];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let mut out = s3_at(&url)
        .invoke("SelectObjectContent", select_input(), None)
        .await
        .unwrap();
    let events: Vec<_> = out.events().unwrap().collect().await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].as_ref().unwrap(), &doc! {"End": {}});
    server.join().unwrap();
}

#[tokio::test]
async fn a_corrupt_frame_is_a_clear_error_and_ends_the_stream() {
    let mut bad = stats();
    let n = bad.len();
    bad[n - 6] ^= 0x20; // inside the payload: the message CRC no longer matches
    let frames = vec![records("a,1\n"), bad, end()];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let mut out = s3_at(&url)
        .invoke("SelectObjectContent", select_input(), None)
        .await
        .unwrap();
    let mut events = out.events().unwrap();
    assert!(events.next_event().await.unwrap().is_ok());
    let err = events.next_event().await.unwrap().unwrap_err();
    match &err {
        SdkError::Response {
            error: ProtocolError::EventStream(FrameError::MessageChecksum { expected, actual }),
            request_id,
            ..
        } => {
            assert_ne!(expected, actual);
            assert_eq!(request_id.as_deref(), Some("req-42"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("checksum mismatch"), "{err}");
    assert!(
        events.next_event().await.is_none(),
        "nothing after a corrupt frame"
    );
    server.join().unwrap();
}

#[tokio::test]
async fn a_stream_torn_mid_frame_is_an_error() {
    let whole_end = end();
    let frames = [records("a,1\n"), whole_end[..whole_end.len() - 2].to_vec()];
    let (url, server) = stream_server(pieces(&frames.concat(), &[3, 40]), None);
    let mut out = s3_at(&url)
        .invoke("SelectObjectContent", select_input(), None)
        .await
        .unwrap();
    let mut events = out.events().unwrap();
    assert!(events.next_event().await.unwrap().is_ok());
    let err = events.next_event().await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::Response {
                error: ProtocolError::EventStream(FrameError::Truncated { .. }),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("ended inside a message"), "{err}");
    server.join().unwrap();
}

#[tokio::test]
async fn an_error_event_is_a_service_error() {
    let frames = vec![
        records("a,1\n"),
        error_message("InternalError", "We encountered an internal error."),
        end(),
    ];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let mut out = s3_at(&url)
        .invoke("SelectObjectContent", select_input(), None)
        .await
        .unwrap();
    let mut events = out.events().unwrap();
    assert!(events.next_event().await.unwrap().is_ok());
    let err = events.next_event().await.unwrap().unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!(service.code, "InternalError");
    assert_eq!(
        service.message.as_deref(),
        Some("We encountered an internal error.")
    );
    assert_eq!(service.request_id.as_deref(), Some("req-42"));
    assert_eq!(service.operation.as_deref(), Some("SelectObjectContent"));
    assert!(events.next_event().await.is_none());
    server.join().unwrap();
}

#[tokio::test]
async fn an_exception_event_of_an_unmodeled_type_keeps_its_type_as_the_code() {
    let exception = Message {
        headers: vec![
            (":message-type".into(), text("exception")),
            (":exception-type".into(), text("ThrottlingException")),
            (":content-type".into(), text("text/xml")),
        ],
        payload: b"<Error><Message>slow down</Message></Error>"
            .to_vec()
            .into(),
    }
    .to_bytes()
    .unwrap();
    let frames = vec![exception];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let err = s3_at(&url)
        .call("SelectObjectContent", select_input())
        .await
        .unwrap_err();
    let service = err.sdk().and_then(SdkError::service_error).unwrap();
    assert_eq!(service.code, "ThrottlingException");
    server.join().unwrap();
}

#[tokio::test]
async fn call_reads_the_stream_into_a_list() {
    let frames = vec![records("a,1\n"), stats(), end()];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let doc = s3_at(&url)
        .call("SelectObjectContent", select_input())
        .await
        .unwrap();
    let list = doc["Payload"].as_list().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(
        list[1]["Stats"]["Details"]["BytesProcessed"].as_i64(),
        Some(10)
    );
    server.join().unwrap();
}

#[test]
fn blocking_events_are_an_iterator() {
    let frames = vec![records("a,1\n"), records("b,2\n"), end()];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    let client = boto::blocking::Client::from(s3_at(&url));
    let mut out = client
        .invoke("SelectObjectContent", select_input(), None)
        .unwrap();
    let events: Vec<Result<Document, Error>> = out.events().unwrap().collect();
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[1].as_ref().unwrap()["Records"]["Payload"]
            .as_blob()
            .unwrap(),
        &b"b,2\n"[..]
    );
    server.join().unwrap();
}

#[tokio::test]
async fn select_object_content_against_moto() {
    let s3 = support::session("us-east-1").client("s3").unwrap();
    let bucket = support::unique("select");
    s3.call("CreateBucket", doc! {"Bucket": bucket.as_str()})
        .await
        .unwrap();
    s3.call(
        "PutObject",
        doc! {"Bucket": bucket.as_str(), "Key": "data.csv", "Body": "name,n\nann,1\nbob,2\n"},
    )
    .await
    .unwrap();
    let mut input = select_input();
    input.set("Bucket", bucket.as_str());
    // moto's S3 Select parser (py-partiql-parser) only takes this query in lower case.
    input.set(
        "Expression",
        "select * from s3object s where s.name = 'bob'",
    );
    input.set(
        "InputSerialization",
        doc! {"CSV": {"FileHeaderInfo": "USE"}},
    );
    let mut out = s3.invoke("SelectObjectContent", input, None).await.unwrap();
    let mut events = out.events().unwrap();
    let mut got = Vec::new();
    while let Some(event) = events.next_event().await {
        got.push(event.unwrap());
    }
    // What boto3 1.44.8 yields from the same moto for the same call:
    // [{'Records': {'Payload': b'bob,2\n'}},
    //  {'Stats': {'Details': {'BytesScanned': 64, 'BytesProcessed': 64, 'BytesReturned': 6}}},
    //  {'End': {}}]
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[0]["Records"]["Payload"].as_blob().unwrap(),
        &b"bob,2\n"[..]
    );
    assert_eq!(
        got[1],
        doc! {"Stats": {"Details": {"BytesScanned": 64, "BytesProcessed": 64, "BytesReturned": 6}}}
    );
    assert_eq!(got[2], doc! {"End": {}});
}

/// A json-protocol service shaped like Kinesis SubscribeToShard (no such model is embedded in
/// this build): other output members come in an `initial-response` event, and the stream has a
/// modeled exception.
const SUBSCRIBE_MODEL: &str = r#"{
  "metadata": {"protocol": "json", "apiVersion": "2013-12-02", "endpointPrefix": "streams",
               "serviceId": "Streams", "signatureVersion": "v4", "targetPrefix": "Streams_20131202",
               "jsonVersion": "1.1"},
  "operations": {"Subscribe": {"name": "Subscribe", "http": {"method": "POST", "requestUri": "/"},
                               "input": {"shape": "In"}, "output": {"shape": "Out"}}},
  "shapes": {
    "In": {"type": "structure", "members": {"Shard": {"shape": "Str"}}},
    "Out": {"type": "structure", "members": {"EventStream": {"shape": "Events"}, "Note": {"shape": "Str"}}},
    "Events": {"type": "structure", "eventstream": true, "members": {
      "SubscribeEvent": {"shape": "SubscribeEvent"},
      "ResourceNotFoundException": {"shape": "ResourceNotFoundException"}}},
    "SubscribeEvent": {"type": "structure", "event": true, "members": {
      "Records": {"shape": "Strs"}, "Seq": {"shape": "Str"}}},
    "ResourceNotFoundException": {"type": "structure", "exception": true, "members": {"message": {"shape": "Str"}}},
    "Strs": {"type": "list", "member": {"shape": "Str"}},
    "Str": {"type": "string"}
  }
}"#;

fn json_event(kind: &str, payload: &str) -> Vec<u8> {
    event(kind, "application/json", payload)
}

#[tokio::test]
async fn json_initial_response_fills_the_output_and_a_modeled_exception_is_an_error() {
    use boto_core::client::{ClientConfig, ServiceClient};
    use boto_core::http::{HttpClient, HttpSettings};
    use boto_core::model::ServiceModel;
    let exception = Message {
        headers: vec![
            (":message-type".into(), text("exception")),
            (":exception-type".into(), text("ResourceNotFoundException")),
            (":content-type".into(), text("application/json")),
        ],
        payload: br#"{"message": "shard s-1 is gone"}"#.to_vec().into(),
    }
    .to_bytes()
    .unwrap();
    let frames = vec![
        json_event("initial-response", r#"{"Note": "hello"}"#),
        json_event("SubscribeEvent", r#"{"Records": ["r1", "r2"], "Seq": "7"}"#),
        exception,
    ];
    let (url, server) = stream_server(pieces(&frames.concat(), &awkward_cuts(&frames)), None);
    // Named after an embedded service only so the endpoint rules (which take our URL) resolve.
    let model = ServiceModel::from_json("sqs", SUBSCRIBE_MODEL).unwrap();
    let mut config = ClientConfig::new(HttpClient::new(HttpSettings::default()).unwrap());
    config.endpoint_url = Some(url);
    config.region = Some("us-east-1".into());
    let client = ServiceClient::from_model(std::sync::Arc::new(model), config);
    let mut out = client
        .invoke("Subscribe", doc! {"Shard": "s-1"}, None)
        .await
        .unwrap();
    assert_eq!(out["Note"].as_str(), Some("hello"), "{:?}", out.document);
    let mut events = out.events().unwrap();
    let first = events.next_event().await.unwrap().unwrap();
    assert_eq!(first["SubscribeEvent"]["Records"][1].as_str(), Some("r2"));
    assert_eq!(first["SubscribeEvent"]["Seq"].as_str(), Some("7"));
    let err = events.next_event().await.unwrap().unwrap_err();
    let service = err.service_error().expect("a service error");
    assert_eq!(service.code, "ResourceNotFoundException");
    assert_eq!(service.message.as_deref(), Some("shard s-1 is gone"));
    assert_eq!(service.shape.as_deref(), Some("ResourceNotFoundException"));
    assert_eq!(service.operation.as_deref(), Some("Subscribe"));
    assert!(events.next_event().await.is_none());
    server.join().unwrap();
}
