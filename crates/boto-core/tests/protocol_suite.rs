//! Conformance of the protocol engine with botocore's protocol test cases.
//!
//! The cases come from botocore's source distribution (`tests/unit/protocols/{input,output}/*.json`
//! and `tests/unit/protocols/legacy/{input,output}/*.json`), found via `BOTO_BOTOCORE_SDIST` or
//! `<workspace>/.cache/botocore-<version>` (the version pinned in `tests/requirements.txt`;
//! `scripts/setup-test-env.sh` prepares it).
//!
//! Each case runs the way botocore's `tests/unit/test_protocols.py` runs it:
//! - the model is the suite's `metadata` + `shapes` with one operation, the case's `given`;
//! - input cases serialize `params` without parameter validation (botocore calls the serializer
//!   directly), with idempotency tokens fixed to `00000000-0000-4000-8000-000000000000`; top-level
//!   `"NaN"` / `"Infinity"` / `"-Infinity"` strings become floats; bodies are compared as JSON values
//!   (json, rest-json), canonical XML (rest-xml), decoded CBOR (smithy-rpc-v2-cbor) or bytes
//!   (query, ec2); the path plus query string is compared with `uri`; the expected headers must be
//!   present (with botocore's Content-Type and list-header normalizations) and `forbidHeaders`
//!   absent; `host` is the host prefix plus the suite's `clientEndpoint` host;
//! - output cases parse `response` (query output shapes get the `<Operation>Result` wrapper,
//!   CBOR bodies are base64-decoded) and compare with `result`, or for `error` cases with
//!   `{"Error": {"Code": errorCode, "Message": errorMessage}}` plus the modeled error members.
//!   Timestamps compare as epoch seconds, blobs as UTF-8 text, special floats as their names.
//!
//! Every case is one trial (this target runs on `libtest-mimic`), named
//! `protocol::<protocol>::<direction>::<file>::<case id>`, where `<file>` is the case file without
//! its direction folder (`rest-xml.json`, `legacy/rest-xml.json`) and legacy cases, which have no
//! id, use `suite:case` indexes; select cases by name (`cargo test --test protocol_suite --
//! rest-json`, or nextest's `-E 'test(/rest-json/)'`). Known failures live in
//! `tests/data/protocol-skips.json`, each with a reason: such a case is an ignored trial plus a
//! `<name>::skipped` trial that fails once the case passes; an entry for a case that no longer
//! exists is a failing `protocol-skips::` trial, so the list stays honest. After a run the suite
//! prints `protocol <name> input:/output:` count lines.

mod common;

use common::harness::{self, KnownFailure};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use boto_core::document::Document;
use boto_core::encoding::{base64_decode, base64_encode};
use boto_core::model::{Location, ServiceModel, ShapeType};
use boto_core::protocol::cbor::{self, Cbor};
use boto_core::protocol::event_stream;
use boto_core::protocol::{
    parse, serialize_with, Parsed, RawResponse, RequestBody, SerializeOptions, SerializedRequest,
};
use libtest_mimic::{Arguments, Trial};
use serde_json::{json, Map, Value};

const FIXED_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Direction {
    Input,
    Output,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Input => "input",
            Direction::Output => "output",
        }
    }
}

struct Case {
    /// `input/rest-xml.json`, `legacy/output/query.json`
    file: String,
    suite: Arc<Value>,
    case: Value,
    id: String,
    protocol: String,
}

/// One case file: `rel` is its path under `tests/unit/protocols` (as the skips file names it).
struct CaseFile {
    direction: Direction,
    rel: String,
    path: PathBuf,
}

impl CaseFile {
    /// The file as trial names show it: the path without its direction folder.
    fn name_part(&self) -> String {
        self.rel
            .split('/')
            .filter(|part| *part != self.direction.name())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// What every trial name of this file contains.
    fn marker(&self) -> String {
        format!("::{}::{}::", self.direction.name(), self.name_part())
    }

    fn trial_name(&self, protocol: &str, id: &str) -> String {
        format!("protocol::{protocol}{}{id}", self.marker())
    }
}

fn protocols_root() -> PathBuf {
    common::sdist_folder(&["tests", "unit", "protocols"])
}

fn case_files(root: &Path) -> Vec<CaseFile> {
    let mut files = Vec::new();
    for direction in [Direction::Input, Direction::Output] {
        for folder in [root.to_path_buf(), root.join("legacy")] {
            let dir = folder.join(direction.name());
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "json") {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.push(CaseFile {
                        direction,
                        rel,
                        path,
                    });
                }
            }
        }
    }
    files.sort_by(|a, b| (a.direction, &a.rel).cmp(&(b.direction, &b.rel)));
    files
}

fn load_cases(file: &CaseFile) -> Vec<Case> {
    let path = &file.path;
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let suites: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    for (si, mut suite) in suites.into_iter().enumerate() {
        let protocol = suite["metadata"]["protocol"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        let Some(Value::Array(list)) = suite.get_mut("cases").map(Value::take) else {
            continue;
        };
        let suite = Arc::new(suite);
        for (ci, case) in list.into_iter().enumerate() {
            let id = case["id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{si}:{ci}"));
            cases.push(Case {
                file: file.rel.clone(),
                suite: suite.clone(),
                case,
                id,
                protocol: protocol.clone(),
            });
        }
    }
    cases
}

struct Skip {
    file: String,
    case: String,
    reason: String,
}

fn load_skips() -> Vec<Skip> {
    harness::skip_entries("protocol-skips.json")
        .into_iter()
        .map(|s| Skip {
            file: s.field("file"),
            case: s.field("case"),
            reason: s.field("reason"),
        })
        .collect()
}

fn build_model(case: &Case) -> Result<(ServiceModel, String), String> {
    let given = &case.case["given"];
    let op_name = given["name"]
        .as_str()
        .unwrap_or("OperationName")
        .to_string();
    let mut ops = Map::new();
    ops.insert(op_name.clone(), given.clone());
    let service = json!({
        "metadata": case.suite["metadata"],
        "shapes": case.suite["shapes"],
        "operations": Value::Object(ops),
    });
    ServiceModel::from_json("protocol-test", &service.to_string())
        .map(|m| (m, op_name))
        .map_err(|e| format!("model does not load: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Value comparison (Python equality: 1 == 1.0, NaN shown as "NaN", blobs as text, timestamps as
// epoch seconds).

fn num_eq(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-9 * a.abs().max(1.0)
}

fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => num_eq(x, y),
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn special_float(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("Infinity")
    } else if f == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// A parsed document as botocore's test runner sees it after `_fixup_parsed_result`.
fn doc_to_json(d: &Document) -> Value {
    match d {
        Document::Null => Value::Null,
        Document::Bool(b) => Value::Bool(*b),
        Document::Int(i) => json!(i),
        Document::Float(f) => match special_float(*f) {
            Some(s) => json!(s),
            None => json!(f),
        },
        Document::String(s) => json!(s),
        Document::Blob(b) => json!(String::from_utf8_lossy(b)),
        Document::Timestamp(t) => json!(t.as_epoch_f64()),
        Document::List(items) => Value::Array(items.iter().map(doc_to_json).collect()),
        Document::Map(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), doc_to_json(v)))
                .collect(),
        ),
        #[allow(unreachable_patterns)]
        _ => Value::String(format!("{d:?}")),
    }
}

/// A decoded CBOR item as JSON for comparison (byte strings as text, special floats as names).
fn cbor_to_json(c: &Cbor) -> Value {
    match c {
        Cbor::Int(i) => match i64::try_from(*i) {
            Ok(v) => json!(v),
            Err(_) => json!(*i as f64),
        },
        Cbor::Bytes(b) => json!(String::from_utf8_lossy(b)),
        Cbor::Text(s) => json!(s),
        Cbor::Array(items) => Value::Array(items.iter().map(cbor_to_json).collect()),
        Cbor::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Cbor::Text(s) => s.clone(),
                        other => cbor_to_json(other).to_string(),
                    };
                    (key, cbor_to_json(v))
                })
                .collect(),
        ),
        Cbor::Tag(tag, inner) => json!({ format!("tag{tag}"): cbor_to_json(inner) }),
        Cbor::Bool(b) => json!(b),
        Cbor::Null | Cbor::Undefined => Value::Null,
        Cbor::Float(f) => match special_float(*f) {
            Some(s) => json!(s),
            None => json!(f),
        },
    }
}

/// Params as botocore's runner hands them over: JSON types, with top-level special floats.
fn params_document(params: &Value) -> Document {
    let mut doc = Document::from_json(&params.to_string()).unwrap_or(Document::map());
    if let Document::Map(m) = &mut doc {
        for (_, v) in m.iter_mut() {
            if let Document::String(s) = v {
                let f = match s.as_str() {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    _ => continue,
                };
                *v = Document::Float(f);
            }
        }
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// Canonical XML (like `ET.canonicalize(strip_text=True)`): attributes sorted, text stripped,
// empty elements expanded, no declaration or comments.

fn canonical_xml(text: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(text).ok()?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = String::new();
    let mut depth = 0usize;
    let mut seen_root = false;
    let start = |out: &mut String, e: &quick_xml::events::BytesStart<'_>| -> Option<String> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attrs: Vec<(String, String)> = Vec::new();
        for a in e.attributes() {
            let a = a.ok()?;
            attrs.push((
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                a.unescape_value().ok()?.into_owned(),
            ));
        }
        attrs.sort();
        out.push('<');
        out.push_str(&name);
        for (k, v) in attrs {
            out.push_str(&format!(" {k}=\"{}\"", escape(&v)));
        }
        out.push('>');
        Some(name)
    };
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                start(&mut out, &e)?;
                depth += 1;
                seen_root = true;
            }
            Event::Empty(e) => {
                let name = start(&mut out, &e)?;
                out.push_str(&format!("</{name}>"));
                seen_root = true;
            }
            Event::End(e) => {
                depth = depth.checked_sub(1)?;
                out.push_str(&format!(
                    "</{}>",
                    String::from_utf8_lossy(e.name().as_ref())
                ));
            }
            Event::Text(t) => {
                let t = t.unescape().ok()?;
                let t = t.trim();
                if !t.is_empty() {
                    if depth == 0 {
                        return None;
                    }
                    out.push_str(&escape(t));
                }
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                let s = s.trim();
                out.push_str(&escape(s));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (seen_root && depth == 0).then_some(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

// ---------------------------------------------------------------------------------------------
// Input cases.

fn body_bytes(body: &RequestBody) -> Vec<u8> {
    match body {
        RequestBody::Bytes(b) => b.to_vec(),
        _ => Vec::new(),
    }
}

fn actual_uri(req: &SerializedRequest) -> String {
    let q = req.query_string();
    if q.is_empty() {
        req.path.clone()
    } else if req.path.contains('?') {
        format!("{}&{q}", req.path)
    } else {
        format!("{}?{q}", req.path)
    }
}

fn request_json(req: &SerializedRequest, cbor_body: bool) -> Value {
    let body = body_bytes(&req.body);
    let body = if cbor_body {
        match cbor::decode(&body) {
            Ok(c) if !body.is_empty() => {
                json!({"base64": base64_encode(&body), "decoded": cbor_to_json(&c)})
            }
            _ => json!(base64_encode(&body)),
        }
    } else {
        json!(String::from_utf8_lossy(&body))
    };
    json!({
        "method": req.method,
        "uri": actual_uri(req),
        "headers": req.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body": body,
        "body_kind": format!("{:?}", req.body),
        "host_prefix": req.host_prefix,
    })
}

fn host_of(endpoint: &str) -> &str {
    let rest = endpoint
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(endpoint);
    rest.split('/').next().unwrap_or("")
}

fn check_input(case: &Case) -> Result<(), String> {
    let (model, op_name) = build_model(case)?;
    let op = model.operation(&op_name).map_err(|e| e.to_string())?;
    let params = params_document(&case.case["params"]);
    let options = SerializeOptions::new()
        .validate(false)
        .idempotency_token(|| FIXED_TOKEN.to_string());
    let protocol = case.protocol.as_str();
    let is_cbor = protocol == "smithy-rpc-v2-cbor";
    let req = serialize_with(&model, op, &params, &options)
        .map_err(|e| format!("serialize failed: {e}"))?;
    let actual_json = request_json(&req, is_cbor);
    let expected = &case.case["serialized"];
    let fail = |what: String| {
        Err(format!(
            "{what}\n  given:    {}\n  params:   {}\n  expected: {}\n  actual:   {}",
            case.case["given"], case.case["params"], expected, actual_json
        ))
    };

    // Body.
    let actual_body = body_bytes(&req.body);
    if is_cbor && !actual_body.is_empty() {
        let exp_bytes = expected["body"]
            .as_str()
            .and_then(|s| base64_decode(s).ok())
            .unwrap_or_default();
        let a = cbor::decode(&actual_body).map(|c| cbor_to_json(&c));
        let e = cbor::decode(&exp_bytes).map(|c| cbor_to_json(&c));
        match (a, e) {
            (Ok(a), Ok(e)) if json_eq(&a, &e) => {}
            (a, e) => return fail(format!("CBOR body differs: actual {a:?}, expected {e:?}")),
        }
    } else if let Some(exp) = expected.get("body").and_then(Value::as_str) {
        let ok = match protocol {
            "json" | "rest-json" => {
                match (
                    serde_json::from_slice::<Value>(&actual_body),
                    serde_json::from_str::<Value>(exp),
                ) {
                    (Ok(a), Ok(e)) => json_eq(&a, &e),
                    _ if protocol == "json" => false,
                    _ => actual_body == exp.as_bytes(),
                }
            }
            "rest-xml" => match (canonical_xml(&actual_body), canonical_xml(exp.as_bytes())) {
                (Some(a), Some(e)) => a == e,
                _ => actual_body == exp.as_bytes(),
            },
            _ => actual_body == exp.as_bytes(),
        };
        if !ok {
            return fail("body differs".into());
        }
    }

    // Headers.
    let mut actual_headers: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in &req.headers {
        actual_headers
            .entry(k.to_ascii_lowercase())
            .or_insert_with(|| v.to_string());
    }
    let mut expected_headers: BTreeMap<String, String> = expected["headers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    // botocore's `_clean_list_header_values`.
    if let Some(input) = op.input.map(|id| model.shape(id)) {
        for m in &input.members {
            let target = model.shape(m.target);
            if m.location != Location::Header || target.shape_type != ShapeType::List {
                continue;
            }
            let h = m.wire_name().to_ascii_lowercase();
            if let Some(v) = expected_headers.get_mut(&h) {
                *v = v.replace(", ", ",");
            }
            let ts = target
                .member
                .as_deref()
                .is_some_and(|i| model.shape(i.target).shape_type == ShapeType::Timestamp);
            if ts {
                if let Some(v) = actual_headers.get_mut(&h) {
                    *v = v.replace(", ", ",");
                }
            }
        }
    }
    match protocol {
        "query" | "ec2" => {
            let ct = expected_headers
                .get("content-type")
                .cloned()
                .unwrap_or_default();
            if !ct.contains("charset=utf-8") {
                expected_headers.insert("content-type".into(), format!("{ct}; charset=utf-8"));
            }
        }
        "rest-xml" => {
            expected_headers.remove("content-type");
        }
        "rest-json"
            if expected_headers
                .get("content-type")
                .is_some_and(|ct| ct != "application/json") =>
        {
            expected_headers.remove("content-type");
        }
        _ => {}
    }
    for (k, v) in &expected_headers {
        match actual_headers.get(k) {
            Some(a) if a == v => {}
            Some(a) => return fail(format!("header {k}: {a:?} != expected {v:?}")),
            None => return fail(format!("header {k} is missing")),
        }
    }
    for h in expected["forbidHeaders"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
    {
        let h = h.as_str().unwrap_or("").to_ascii_lowercase();
        if actual_headers.contains_key(&h) {
            return fail(format!("forbidden header {h} is present"));
        }
    }

    // URI, method, host.
    let uri = actual_uri(&req);
    let exp_uri = expected["uri"].as_str().unwrap_or("");
    if uri != exp_uri {
        return fail(format!("URI {uri:?} != expected {exp_uri:?}"));
    }
    if let Some(m) = expected.get("method").and_then(Value::as_str) {
        if req.method != m {
            return fail(format!("method {} != expected {m}", req.method));
        }
    }
    if let Some(h) = expected.get("host").and_then(Value::as_str) {
        let endpoint = case.suite["clientEndpoint"].as_str().unwrap_or("");
        let host = format!(
            "{}{}",
            req.host_prefix.as_deref().unwrap_or(""),
            host_of(endpoint)
        );
        if host != h {
            return fail(format!("host {host:?} != expected {h:?}"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output cases.

fn check_output(case: &Case) -> Result<(), String> {
    let (model, op_name) = build_model(case)?;
    let mut op = model
        .operation(&op_name)
        .map_err(|e| e.to_string())?
        .clone();
    let protocol = case.protocol.as_str();
    let is_error = case.case.get("error").is_some();
    let response = &case.case["response"];
    // Event stream bodies are binary framing, given base64-encoded like CBOR bodies.
    let event_stream = event_stream::event_stream_member(&model, &op).is_some();
    let body = match response.get("body").and_then(Value::as_str) {
        Some(b) if protocol == "smithy-rpc-v2-cbor" || event_stream => {
            base64_decode(b).map_err(|e| format!("response body is not base64: {e}"))?
        }
        Some(b) => b.as_bytes().to_vec(),
        None if protocol == "query" => b"<xml/>".to_vec(),
        None => Vec::new(),
    };
    let headers = response["headers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().into(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let raw = RawResponse {
        status: response["status_code"].as_u64().unwrap_or(200) as u16,
        headers,
        body: body.into(),
    };
    if !is_error && protocol == "query" {
        if let Some(out) = op.output {
            if !model.shape(out).members.is_empty() {
                op.output_result_wrapper = Some(format!("{op_name}Result"));
            }
        }
    }
    let parsed = if event_stream {
        event_stream::parse_buffered(&model, &op, &raw)
    } else {
        parse(&model, &op, &raw)
    };
    let (expected, actual) = if is_error {
        let mut expected = Map::new();
        expected.insert(
            "Error".into(),
            json!({
                "Code": case.case["errorCode"].as_str().unwrap_or(""),
                "Message": case.case["errorMessage"].as_str().unwrap_or(""),
            }),
        );
        if let Some(fields) = case.case["error"].as_object() {
            expected.extend(fields.clone());
        }
        let actual = match &parsed {
            Ok(Parsed::Error(e)) => {
                let mut fields = match doc_to_json(&e.fields) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                fields.insert(
                    "Error".into(),
                    json!({"Code": e.code, "Message": e.message.as_deref().unwrap_or("")}),
                );
                Value::Object(fields)
            }
            Ok(Parsed::Output(d)) => json!({"unexpected output": doc_to_json(d)}),
            Err(e) => json!({"parse error": e.to_string()}),
        };
        (Value::Object(expected), actual)
    } else {
        let actual = match &parsed {
            Ok(Parsed::Output(d)) => doc_to_json(d),
            Ok(Parsed::Error(e)) => json!({"unexpected error": format!("{e}")}),
            Err(e) => json!({"parse error": e.to_string()}),
        };
        (case.case["result"].clone(), actual)
    };
    if json_eq(&actual, &expected) {
        Ok(())
    } else {
        Err(format!(
            "result differs\n  given:    {}\n  response: {}\n  expected: {}\n  actual:   {}",
            case.case["given"], response, expected, actual
        ))
    }
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let args = Arguments::from_args();
    let skips = load_skips();
    let files = case_files(&protocols_root());
    let markers: Vec<String> = files.iter().map(CaseFile::marker).collect();
    let whole = ["protocol::input", "protocol::output", "protocol-skips::"];
    let loaded = harness::sources_to_load(&args, &markers, &whole);
    let mut cases: Vec<harness::Case> = Vec::new();
    let mut seen_skips = vec![false; skips.len()];
    let mut found = [0usize; 2];
    for (file, _) in files.iter().zip(&loaded).filter(|(_, load)| **load) {
        for case in load_cases(file) {
            found[file.direction as usize] += 1;
            let skip_index = skips
                .iter()
                .position(|s| s.file == case.file && s.case == case.id);
            if let Some(i) = skip_index {
                seen_skips[i] = true;
            }
            let known_failure = skip_index.map(|i| KnownFailure {
                list: "protocol-skips.json",
                reason: skips[i].reason.clone(),
            });
            let name = file.trial_name(&case.protocol, &case.id);
            let group = format!("protocol {} {}", case.protocol, file.direction.name());
            let direction = file.direction;
            let case = Arc::new(case);
            let check: harness::Check = Arc::new(move || match direction {
                Direction::Input => check_input(&case),
                Direction::Output => check_output(&case),
            });
            cases.push(harness::Case {
                name,
                group,
                batch: format!("protocol::{}", direction.name()),
                known_failure,
                check,
            });
        }
    }
    let mut trials: Vec<Trial> = harness::case_trials(cases);
    if harness::all_loaded(&loaded) {
        for direction in [Direction::Input, Direction::Output] {
            assert!(
                found[direction as usize] > 0,
                "no {} cases found under {}",
                direction.name(),
                protocols_root().display()
            );
        }
        for (skip, _) in skips.iter().zip(&seen_skips).filter(|(_, seen)| !**seen) {
            trials.push(harness::failing_trial(
                format!("protocol-skips::{}::{}::no-such-case", skip.file, skip.case),
                format!(
                    "{} | {}: listed in protocol-skips.json ({}) but no such case exists",
                    skip.file, skip.case, skip.reason
                ),
            ));
        }
    }
    harness::run(&args, trials, |groups| {
        for (group, counts) in groups {
            println!(
                "{group}: {}/{} ({} skipped)",
                counts.passed,
                counts.total(),
                counts.skipped
            );
        }
    });
}
