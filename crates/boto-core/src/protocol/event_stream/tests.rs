use super::*;
use crate::model::ServiceModel;
use bytes::Bytes;

fn string(s: &str) -> HeaderValue {
    HeaderValue::String(s.into())
}

fn event(kind: &str, content_type: &str, payload: &[u8]) -> Message {
    Message {
        headers: vec![
            (":message-type".into(), string("event")),
            (":event-type".into(), string(kind)),
            (":content-type".into(), string(content_type)),
        ],
        payload: Bytes::copy_from_slice(payload),
    }
}

fn every_header_type() -> Message {
    Message {
        headers: vec![
            ("t".into(), HeaderValue::Bool(true)),
            ("f".into(), HeaderValue::Bool(false)),
            ("b".into(), HeaderValue::Byte(-3)),
            ("s".into(), HeaderValue::Short(-300)),
            ("i".into(), HeaderValue::Int(-70_000)),
            ("l".into(), HeaderValue::Long(-5_000_000_000)),
            (
                "y".into(),
                HeaderValue::Bytes(Bytes::from_static(b"\x00\xff")),
            ),
            ("str".into(), string("héllo")),
            ("ts".into(), HeaderValue::Timestamp(1_422_172_800_123)),
            ("u".into(), HeaderValue::Uuid([7; 16])),
        ],
        payload: Bytes::from_static(b"payload"),
    }
}

fn sample() -> (Vec<Message>, Vec<u8>) {
    let msgs = vec![
        every_header_type(),
        Message::default(),
        event("Records", "application/octet-stream", b"a,b\n1,2\n"),
    ];
    let wire = msgs.iter().flat_map(|m| m.to_bytes().unwrap()).collect();
    (msgs, wire)
}

fn decode_all(chunks: &[&[u8]]) -> Result<Vec<Message>, FrameError> {
    let mut d = Decoder::new();
    let mut out = Vec::new();
    for c in chunks {
        d.push(c);
        while let Some(m) = d.next_message()? {
            out.push(m);
        }
    }
    d.finish()?;
    Ok(out)
}

#[test]
fn a_frame_from_botocores_suite_decodes_and_encodes_back() {
    // legacy/output/rest-xml.json, "REST XML Event Stream", first message of case 0.
    let wire = crate::encoding::base64_decode(
        "AAAAbAAAAFPLgkVrDTptZXNzYWdlLXR5cGUHAAVldmVudAs6ZXZlbnQtdHlwZQcABVR5cGVBDTpjb250ZW50LXR5cGUHABhhcHBsaWNhdGlvbi9vY3RldC1zdHJlYW1zb21lYnl0ZXMesj2H",
    )
    .unwrap();
    let msgs = decode_all(&[&wire]).unwrap();
    assert_eq!(
        msgs,
        vec![event("TypeA", "application/octet-stream", b"somebytes")]
    );
    assert_eq!(msgs[0].to_bytes().unwrap(), wire);
    let m = every_header_type();
    assert_eq!(decode_all(&[&m.to_bytes().unwrap()]).unwrap(), vec![m]);
}

#[test]
fn every_split_point_gives_the_same_messages() {
    let (msgs, wire) = sample();
    for i in 0..=wire.len() {
        let (a, b) = wire.split_at(i);
        assert_eq!(decode_all(&[a, b]).unwrap(), msgs, "split at {i}");
    }
    for i in 0..wire.len() {
        for j in i..=wire.len() {
            let got = decode_all(&[&wire[..i], &wire[i..j], &wire[j..]]).unwrap();
            assert_eq!(got.len(), 3, "splits at {i}, {j}");
        }
    }
    let bytewise: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(decode_all(&bytewise).unwrap(), msgs);
}

#[test]
fn a_stream_cut_anywhere_inside_a_message_is_torn() {
    let (_, wire) = sample();
    let first = every_header_type().to_bytes().unwrap().len();
    for cut in 1..wire.len() {
        let boundary = cut == first || cut == first + 16;
        match decode_all(&[&wire[..cut]]) {
            Ok(_) => assert!(boundary, "cut at {cut} decoded"),
            Err(FrameError::Truncated { buffered, needed }) => {
                assert!(!boundary, "cut at {cut}");
                assert!(buffered > 0);
                // The length is known once a message's 12-byte prelude is in.
                let start = [0, first, first + 16]
                    .into_iter()
                    .rfind(|s| *s < cut)
                    .unwrap();
                assert_eq!(needed.is_some(), cut - start >= 12, "cut at {cut}");
            }
            Err(e) => panic!("cut at {cut}: {e}"),
        }
    }
}

#[test]
fn corrupt_checksums_are_errors_that_stick() {
    let wire = event("Stats", "text/xml", b"<Stats/>").to_bytes().unwrap();
    for at in 0..wire.len() {
        let mut bad = wire.clone();
        bad[at] ^= 0x01;
        let mut d = Decoder::new();
        d.push(&bad);
        let e = match d.next_message() {
            Err(e) => e,
            // A flipped length bit can ask for more bytes than exist: the end says torn.
            Ok(None) => d.finish().unwrap_err(),
            Ok(Some(m)) => panic!("flip at {at} decoded {m:?}"),
        };
        match (at, &e) {
            (0..=11, FrameError::PreludeChecksum { .. }) => {}
            (12.., FrameError::MessageChecksum { expected, actual }) => {
                assert_ne!(expected, actual)
            }
            _ => panic!("flip at {at}: {e:?}"),
        }
        assert!(!e.to_string().is_empty());
        assert_eq!(d.next_message().unwrap_err(), e, "errors stick");
        assert!(d.finish().is_err());
    }
}

fn frame_with(total: u32, headers_len: u32, rest: &[u8]) -> Vec<u8> {
    let mut out = total.to_be_bytes().to_vec();
    out.extend_from_slice(&headers_len.to_be_bytes());
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(rest);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out
}

#[test]
fn lengths_out_of_range_fail_before_buffering() {
    let cases = [
        (frame_with(15, 0, &[]), "TotalLength"),
        (frame_with(20, 8, &[]), "TotalLength"),
        (frame_with(u32::MAX, 0, &[]), "PayloadLength"),
        (frame_with(u32::MAX, 200_000, &[]), "HeadersLength"),
    ];
    for (wire, want) in cases {
        let mut d = Decoder::new();
        d.push(&wire[..12]);
        let e = d.next_message().unwrap_err();
        assert!(format!("{e:?}").starts_with(want), "{e:?} for {want}");
        assert!(d.buffered() < 64);
    }
}

#[test]
fn bad_headers_are_typed_errors() {
    // Type byte 10 does not exist.
    let wire = frame_with(16 + 3, 3, &[1, b'x', 10]);
    match decode_all(&[&wire]) {
        Err(FrameError::HeaderType { name, type_byte }) => {
            assert_eq!((name.as_str(), type_byte), ("x", 10))
        }
        other => panic!("{other:?}"),
    }
    // A string header whose length runs past the header block.
    let wire = frame_with(16 + 6, 6, &[1, b'x', 7, 0, 9, b'a']);
    assert!(matches!(decode_all(&[&wire]), Err(FrameError::Header(_))));
    // A name that is not UTF-8.
    let wire = frame_with(16 + 3, 3, &[1, 0xff, 0]);
    assert!(matches!(decode_all(&[&wire]), Err(FrameError::Header(_))));
}

#[test]
fn random_bytes_never_panic() {
    let mut seed = 0x2545_f491_u32;
    for _ in 0..2000 {
        let len = (seed % 64) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                seed as u8
            })
            .collect();
        let _ = decode_all(&[&bytes]);
        // A valid prelude over garbage headers must not panic either.
        let total = 16 + bytes.len() as u32;
        let _ = decode_all(&[&frame_with(total, bytes.len() as u32, &bytes)]);
    }
}

// --- Events read along a model ---------------------------------------------------------------

const SHAPES: &str = r#"
  "Output": {"type": "structure", "members": {
     "Payload": {"shape": "Stream"}, "Id": {"shape": "Str", "location": "header", "locationName": "x-id"},
     "Note": {"shape": "Str"}},
     "payload": "Payload"},
  "Stream": {"type": "structure", "eventstream": true, "members": {
     "Records": {"shape": "Records"}, "Stats": {"shape": "Stats"}, "Bad": {"shape": "Bad"}}},
  "Records": {"type": "structure", "event": true, "members": {"Payload": {"shape": "Blob", "eventpayload": true}}},
  "Stats": {"type": "structure", "event": true, "members": {
     "Details": {"shape": "Details", "eventpayload": true},
     "At": {"shape": "Time", "eventheader": true}, "N": {"shape": "Int", "eventheader": true}}},
  "Bad": {"type": "structure", "exception": true, "members": {"Message": {"shape": "Str"}, "Why": {"shape": "Str"}}},
  "Details": {"type": "structure", "members": {"BytesScanned": {"shape": "Int"}}},
  "Blob": {"type": "blob"}, "Str": {"type": "string"}, "Int": {"type": "long"}, "Time": {"type": "timestamp"}
"#;

fn model(protocol: &str) -> ServiceModel {
    let json = format!(
        r#"{{"metadata": {{"protocol": "{protocol}", "apiVersion": "2020-01-01", "endpointPrefix": "svc",
            "serviceId": "Svc", "signatureVersion": "v4", "targetPrefix": "Svc", "jsonVersion": "1.1"}},
           "operations": {{"Op": {{"name": "Op", "http": {{"method": "POST", "requestUri": "/"}},
                                  "output": {{"shape": "Output"}}}}}},
           "shapes": {{{SHAPES}}}}}"#
    );
    ServiceModel::from_json("svc", &json).unwrap()
}

fn exception(kind: &str, payload: &[u8]) -> Message {
    Message {
        headers: vec![
            (":message-type".into(), string("exception")),
            (":exception-type".into(), string(kind)),
        ],
        payload: Bytes::copy_from_slice(payload),
    }
}

#[test]
fn rest_xml_events_headers_and_exceptions() {
    let model = model("rest-xml");
    let op = model.operation("Op").unwrap();
    let stream = event_stream_member(&model, op).unwrap();
    assert_eq!(stream.name, "Payload");
    let records = parse_event(&model, stream.target, &event("Records", "x", b"1,2\n")).unwrap();
    let Some(Parsed::Output(d)) = records else {
        panic!("{records:?}")
    };
    assert_eq!(d["Records"]["Payload"].as_blob().unwrap(), &b"1,2\n"[..]);

    let mut stats = event(
        "Stats",
        "text/xml",
        b"<Details><BytesScanned>42</BytesScanned></Details>",
    );
    stats
        .headers
        .push(("At".into(), HeaderValue::Timestamp(1_500)));
    stats.headers.push(("N".into(), HeaderValue::Int(7)));
    let Some(Parsed::Output(d)) = parse_event(&model, stream.target, &stats).unwrap() else {
        panic!()
    };
    assert_eq!(d["Stats"]["Details"]["BytesScanned"].as_i64(), Some(42));
    assert_eq!(d["Stats"]["N"].as_i64(), Some(7));
    assert_eq!(
        d["Stats"]["At"],
        Document::Timestamp(crate::document::Timestamp::from_secs_nanos(1, 500_000_000))
    );

    let unknown = parse_event(&model, stream.target, &event("Newer", "x", b"")).unwrap();
    assert!(unknown.is_none());

    let bad = exception("Bad", b"<Bad><Message>no</Message><Why>because</Why></Bad>");
    let Some(Parsed::Error(e)) = parse_event(&model, stream.target, &bad).unwrap() else {
        panic!()
    };
    assert_eq!((e.code.as_str(), e.message.as_deref()), ("Bad", Some("no")));
    assert_eq!(e.fields["Why"].as_str(), Some("because"));
    assert_eq!(e.fields["Error"]["Code"].as_str(), Some("Bad"));

    let error = Message {
        headers: vec![
            (":message-type".into(), string("error")),
            (":error-code".into(), string("InternalError")),
            (":error-message".into(), string("try again")),
        ],
        payload: Bytes::new(),
    };
    let Some(Parsed::Error(e)) = parse_event(&model, stream.target, &error).unwrap() else {
        panic!()
    };
    assert_eq!(
        (e.code.as_str(), e.message.as_deref()),
        ("InternalError", Some("try again"))
    );
}

#[test]
fn buffered_parse_fills_headers_and_lists_events() {
    let model = model("rest-xml");
    let op = model.operation("Op").unwrap();
    let wire: Vec<u8> = [event("Records", "x", b"r1"), event("Records", "x", b"r2")]
        .iter()
        .flat_map(|m| m.to_bytes().unwrap())
        .collect();
    let resp = RawResponse {
        status: 200,
        headers: vec![("x-id".into(), "abc".into())],
        body: wire.clone().into(),
    };
    let Parsed::Output(d) = parse_buffered(&model, op, &resp).unwrap() else {
        panic!()
    };
    assert_eq!(d["Id"].as_str(), Some("abc"));
    assert_eq!(
        d["Payload"][1]["Records"]["Payload"].as_blob().unwrap(),
        &b"r2"[..]
    );

    let torn = RawResponse {
        body: wire[..wire.len() - 1].to_vec().into(),
        ..resp
    };
    assert!(matches!(
        parse_buffered(&model, op, &torn),
        Err(ProtocolError::EventStream(FrameError::Truncated { .. }))
    ));
}

#[test]
fn json_and_cbor_payloads_and_the_initial_response() {
    for protocol in ["json", "rest-json", "smithy-rpc-v2-cbor"] {
        let model = model(protocol);
        let op = model.operation("Op").unwrap();
        let stream = event_stream_member(&model, op).unwrap().target;
        let (details, bad) = if protocol.contains("cbor") {
            let map = |k: &str, v: crate::protocol::cbor::Cbor| {
                crate::protocol::cbor::encode(&crate::protocol::cbor::Cbor::Map(vec![(
                    crate::protocol::cbor::Cbor::Text(k.into()),
                    v,
                )]))
            };
            (
                map("BytesScanned", crate::protocol::cbor::Cbor::Int(9)),
                map("Message", crate::protocol::cbor::Cbor::Text("upper".into())),
            )
        } else {
            (
                br#"{"BytesScanned": 9}"#.to_vec(),
                br#"{"Message": "upper"}"#.to_vec(),
            )
        };
        let Some(Parsed::Output(d)) =
            parse_event(&model, stream, &event("Stats", "x", &details)).unwrap()
        else {
            panic!("{protocol}")
        };
        assert_eq!(
            d["Stats"]["Details"]["BytesScanned"].as_i64(),
            Some(9),
            "{protocol}"
        );
        let Some(Parsed::Error(e)) = parse_event(&model, stream, &exception("Bad", &bad)).unwrap()
        else {
            panic!("{protocol}")
        };
        assert_eq!(e.message.as_deref(), Some("upper"), "{protocol}");
    }
    let model = model("json");
    let op = model.operation("Op").unwrap();
    let initial = event(INITIAL_RESPONSE, "application/json", br#"{"Note": "i-1"}"#);
    assert_eq!(
        parse_initial_response(&model, op, &initial).unwrap()["Note"].as_str(),
        Some("i-1")
    );
    assert!(parse_initial_response(&model, op, &event("Stats", "x", b"{}")).is_err());
    assert!(has_initial_response(model.metadata().protocol));
}
