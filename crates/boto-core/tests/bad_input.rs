//! Bad input, from the user and from the wire: every case must end in a clear typed error (or a
//! harmless answer) and never in a panic, a stack overflow or a request sent somewhere else.
//!
//! One run goes through the whole table (`harness = false`), so the count line `bad input: N passed, M failed` sums it
//! up; each failing case is named with what went wrong.

use boto_core::client::{ClientConfig, SdkError, ServiceClient};
use boto_core::config::{ConfigResolver, Env, SharedFiles};
use boto_core::credentials::Credentials;
use boto_core::doc;
use boto_core::document::{Document, Map};
use boto_core::http::{HttpClient, HttpSettings};
use boto_core::model::ServiceModel;
use boto_core::protocol::{self, RawResponse};
use std::fmt::Display;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, OnceLock};

type Outcome = Result<(), String>;

/// A named case of the table.
type Case = (&'static str, Box<dyn Fn() -> Outcome>);

/// `r` must be an error whose message holds every one of `needles` (any case).
fn fails_with<T, E: Display>(r: Result<T, E>, needles: &[&str]) -> Outcome {
    match r {
        Ok(_) => Err("accepted".into()),
        Err(e) => {
            let text = e.to_string();
            let lower = text.to_lowercase();
            match needles.iter().find(|n| !lower.contains(&n.to_lowercase())) {
                None => Ok(()),
                Some(n) => Err(format!("the error does not mention {n:?}: {text}")),
            }
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// Runs `fut` on a runtime worker thread (their stacks are 2 MiB: where a deep recursion would
/// abort the process).
fn on_worker<F: std::future::Future<Output = Outcome> + Send + 'static>(fut: F) -> Outcome {
    runtime()
        .block_on(runtime().spawn(fut))
        .unwrap_or_else(|e| Err(format!("the task failed: {e}")))
}

fn client(service: &str, region: &str, endpoint: Option<&str>) -> ServiceClient {
    let mut config = ClientConfig::new(HttpClient::new(HttpSettings::default()).unwrap());
    config.region = Some(region.into());
    config.endpoint_url = endpoint.map(str::to_string);
    config.credentials = Some(Arc::new(Credentials::from_keys(
        "AKID",
        "secret",
        Some("SESSION-TOKEN".into()),
    )));
    config.retry.max_attempts = 1;
    ServiceClient::new(service, config).unwrap()
}

/// A loopback server answering every request with `head` and `body` (raw bytes).
fn answering(head: Vec<u8>, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { return };
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let _ = s.write_all(&head);
            let _ = s.write_all(&body);
        }
    });
    url
}

fn ok_head(len: usize, content_type: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {len}\r\nconnection: close\r\n\r\n")
        .into_bytes()
}

fn nested_doc(depth: usize) -> Document {
    let mut d = Document::from("leaf");
    for _ in 0..depth {
        let mut m = Map::default();
        m.insert("a".into(), Document::List(vec![d]));
        d = Document::Map(m);
    }
    d
}

/// The authority of a URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

fn config_file(text: &str) -> Result<SharedFiles, boto_core::config::ConfigError> {
    SharedFiles::from_contents("/x/config", Some(text), "/x/credentials", None)
}

fn credentials_file(text: &str) -> Result<SharedFiles, boto_core::config::ConfigError> {
    SharedFiles::from_contents("/x/config", None, "/x/credentials", Some(text))
}

fn setting(name: &str, value: &str) -> Result<ConfigResolver, boto_core::config::ConfigError> {
    ConfigResolver::builder(Env::empty())
        .set(name, value)
        .build()
}

fn cases() -> Vec<Case> {
    let mut c: Vec<Case> = Vec::new();

    // --- config and credentials files ---
    c.push((
        "config: key before any section",
        Box::new(|| fails_with(config_file("region = us-east-1\n"), &["line 1", "section"])),
    ));
    c.push((
        "config: unterminated section header",
        Box::new(|| fails_with(config_file("[profile x\nregion = us-east-1\n"), &["line 1"])),
    ));
    c.push((
        "config: a section twice",
        Box::new(|| {
            fails_with(
                config_file("[default]\n[default]\n"),
                &["line 2", "more than once"],
            )
        }),
    ));
    c.push((
        "config: a key twice",
        Box::new(|| {
            fails_with(
                config_file("[default]\nregion = a\nregion = b\n"),
                &["line 3", "region"],
            )
        }),
    ));
    c.push((
        "config: nested block line without =",
        Box::new(|| {
            fails_with(
                config_file("[default]\ns3 =\n  nonsense\n"),
                &["line 3", "s3"],
            )
        }),
    ));
    c.push((
        "config: a line that is no key",
        Box::new(|| {
            fails_with(
                config_file("[default]\njust words\n"),
                &["line 2", "key = value"],
            )
        }),
    ));
    c.push((
        "config: control bytes and a NUL survive as text",
        Box::new(|| {
            let files = config_file("[default]\nregion = us-\u{0}east\u{7}-1\n")
                .map_err(|e| e.to_string())?;
            let cfg = ConfigResolver::builder(Env::empty())
                .files(files)
                .build()
                .map_err(|e| e.to_string())?;
            fails_with(cfg.region(), &["region"])
        }),
    ));
    c.push((
        "config: not UTF-8",
        Box::new(|| {
            let dir = std::env::temp_dir().join(format!("boto-bad-input-{}", std::process::id()));
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let path = dir.join("config");
            std::fs::write(&path, b"[default]\nregion = \xff\xfe\n").map_err(|e| e.to_string())?;
            let r = SharedFiles::load_from(&path, dir.join("none"));
            let _ = std::fs::remove_dir_all(&dir);
            fails_with(r, &["config"])
        }),
    ));
    c.push((
        "config: a profile asked for that does not exist",
        Box::new(|| {
            fails_with(
                ConfigResolver::builder(Env::empty())
                    .files(SharedFiles::empty())
                    .profile("nope")
                    .build(),
                &["nope", "could not be found"],
            )
        }),
    ));
    c.push((
        "credentials: malformed file",
        Box::new(|| {
            fails_with(
                credentials_file("aws_access_key_id = AKID\n"),
                &["credentials", "line 1"],
            )
        }),
    ));
    c.push((
        "credentials: secrets never echoed in the parse error",
        Box::new(|| {
            let err = credentials_file(
                "[default]\naws_secret_access_key = TOPSECRET\naws_secret_access_key = TOPSECRET\n",
            )
            .err()
            .ok_or("accepted a duplicate key")?;
            let text = format!("{err} {err:?}");
            if text.contains("TOPSECRET") {
                Err(format!("the secret is in the error: {text}"))
            } else {
                Ok(())
            }
        }),
    ));

    // --- settings ---
    c.push((
        "setting: unknown name",
        Box::new(|| {
            fails_with(
                setting("max_atempts", "5"),
                &[
                    "unknown setting",
                    "max_atempts",
                    "did you mean max_attempts",
                ],
            )
        }),
    ));
    c.push((
        "setting: retry_mode = fast",
        Box::new(|| {
            let cfg = setting("retry_mode", "fast").map_err(|e| e.to_string())?;
            fails_with(cfg.retry_mode(), &["fast", "legacy, standard, adaptive"])
        }),
    ));
    c.push((
        "setting: max_attempts = -1",
        Box::new(|| {
            let cfg = setting("max_attempts", "-1").map_err(|e| e.to_string())?;
            fails_with(cfg.max_attempts(), &["max_attempts", "integer"])
        }),
    ));
    c.push((
        "setting: max_attempts = 99999999999999999999",
        Box::new(|| {
            let cfg = setting("max_attempts", "99999999999999999999").map_err(|e| e.to_string())?;
            fails_with(cfg.max_attempts(), &["max_attempts"])
        }),
    ));
    c.push((
        "setting: use_fips_endpoint = maybe",
        Box::new(|| {
            let cfg = setting("use_fips_endpoint", "maybe").map_err(|e| e.to_string())?;
            fails_with(
                cfg.use_fips_endpoint(),
                &["use_fips_endpoint", "true or false"],
            )
        }),
    ));
    c.push((
        "setting: read_timeout = 1e19",
        Box::new(|| {
            let cfg = setting("read_timeout", "1e19").map_err(|e| e.to_string())?;
            fails_with(cfg.read_timeout(), &["read_timeout", "at most"])
        }),
    ));
    c.push((
        "setting: connect_timeout = -5",
        Box::new(|| {
            let cfg = setting("connect_timeout", "-5").map_err(|e| e.to_string())?;
            fails_with(cfg.connect_timeout(), &["connect_timeout"])
        }),
    ));
    c.push((
        "setting: max_pool_connections = 0",
        Box::new(|| {
            let cfg = setting("max_pool_connections", "0").map_err(|e| e.to_string())?;
            fails_with(
                cfg.max_pool_connections(),
                &["max_pool_connections", "at least 1"],
            )
        }),
    ));
    c.push((
        "setting: metadata_service_timeout = inf",
        Box::new(|| {
            let cfg = setting("metadata_service_timeout", "inf").map_err(|e| e.to_string())?;
            fails_with(
                cfg.metadata_service_timeout(),
                &["metadata_service_timeout"],
            )
        }),
    ));
    c.push((
        "setting: s3.addressing_style = sideways",
        Box::new(|| {
            let cfg = setting("s3.addressing_style", "sideways").map_err(|e| e.to_string())?;
            fails_with(cfg.s3_addressing_style(), &["auto, virtual, path"])
        }),
    ));

    // --- hostile regions: never a request to another host ---
    for region in [
        "attacker.example#",
        "attacker.example?",
        "evil.com/",
        "us-east-1@evil.com",
        "a b",
        "",
        "-x",
        "x\r\nHost: evil",
    ] {
        c.push((
            Box::leak(format!("region {region:?} from the config").into_boxed_str()),
            Box::new(move || {
                let cfg = setting("region", region).map_err(|e| e.to_string())?;
                fails_with(cfg.region(), &["region"])
            }),
        ));
        c.push((
            Box::leak(format!("region {region:?} on a client").into_boxed_str()),
            Box::new(move || {
                let sts = client("sts", region, None);
                let r = runtime().block_on(sts.build_request("GetCallerIdentity", doc! {}));
                fails_with(r, &["region"])
            }),
        ));
    }

    // --- hostile endpoint URLs ---
    for url in [
        "http://user@evil.example/",
        "http://a b/",
        "http://h\r\nX-Injected: 1/",
        "ftp://example.com",
        "http://[::1",
        "not a url",
        "http://",
        "http://host:99999999/",
        "http://evil.example#.amazonaws.com",
    ] {
        c.push((
            Box::leak(format!("endpoint_url {url:?}").into_boxed_str()),
            Box::new(move || {
                let sts = client("sts", "us-east-1", Some(url));
                let r = runtime().block_on(sts.build_request("GetCallerIdentity", doc! {}));
                fails_with(r, &[])
            }),
        ));
    }

    // --- hostile bucket names and keys: an answer or an error, the host stays AWS's ---
    let buckets = [
        "a/../b",
        "bucket#frag",
        "x?y=1",
        "b@evil.example",
        "evil.example:80",
        "UPPER",
        "..",
        "a\r\nb",
        "\u{0}",
        &*"b".repeat(300),
    ];
    for bucket in buckets {
        let name: &'static str = Box::leak(
            format!("bucket {:?}", bucket.chars().take(20).collect::<String>()).into_boxed_str(),
        );
        let bucket = bucket.to_string();
        c.push((
            name,
            Box::new(move || {
                let s3 = client("s3", "us-east-1", None);
                match runtime().block_on(
                    s3.build_request("GetObject", doc! {"Bucket": bucket.as_str(), "Key": "k"}),
                ) {
                    Err(_) => Ok(()),
                    Ok(req) => {
                        let host = authority(&req.url);
                        if host.ends_with(".amazonaws.com") && !host.contains(['@', '#', '?']) {
                            Ok(())
                        } else {
                            Err(format!("the request goes to {host}: {}", req.url))
                        }
                    }
                }
            }),
        ));
    }
    for key in [
        "../../etc/passwd",
        "a\r\nX-Injected: 1",
        "\u{0}",
        "?x=1#y",
        "%",
        &*"k".repeat(100_000),
    ] {
        let name: &'static str = Box::leak(
            format!("key {:?}", key.chars().take(20).collect::<String>()).into_boxed_str(),
        );
        let key = key.to_string();
        c.push((
            name,
            Box::new(move || {
                let s3 = client("s3", "us-east-1", None);
                match runtime().block_on(
                    s3.build_request("GetObject", doc! {"Bucket": "bucket", "Key": key.as_str()}),
                ) {
                    Err(_) => Ok(()),
                    Ok(req)
                        if authority(&req.url) == "bucket.s3.us-east-1.amazonaws.com"
                            && !req.url.contains(['\r', '\n', '#'])
                            && !req.url.contains("?x=1") =>
                    {
                        Ok(())
                    }
                    Ok(req) => Err(format!(
                        "unexpected URL {}",
                        &req.url[..req.url.len().min(120)]
                    )),
                }
            }),
        ));
    }

    // --- wrong types ---
    c.push((
        "wrong types: Bucket is a number, MaxKeys a word",
        Box::new(|| {
            let s3 = client("s3", "us-east-1", None);
            let r = runtime()
                .block_on(s3.build_request("ListObjectsV2", doc! {"Bucket": 5, "MaxKeys": "ten"}));
            fails_with(r, &["Bucket"])
        }),
    ));
    c.push((
        "wrong types: a list where a structure goes",
        Box::new(|| {
            let s3 = client("s3", "us-east-1", None);
            let r = runtime().block_on(
                s3.build_request("PutBucketTagging", doc! {"Bucket": "b", "Tagging": [1, 2]}),
            );
            fails_with(r, &["Tagging"])
        }),
    ));
    c.push((
        "wrong types: the input is not a map",
        Box::new(|| {
            let sts = client("sts", "us-east-1", None);
            let r =
                runtime().block_on(sts.build_request("GetCallerIdentity", Document::List(vec![])));
            fails_with(r, &[])
        }),
    ));
    c.push((
        "wrong types: an operation that does not exist",
        Box::new(|| {
            let sts = client("sts", "us-east-1", None);
            let r = runtime().block_on(sts.build_request("GetCallerIdentty", doc! {}));
            fails_with(r, &["GetCallerIdentty"])
        }),
    ));

    // --- 100,000-deep values ---
    c.push((
        "deep: a 100,000-level input on a worker",
        Box::new(|| {
            on_worker(async {
                let s3 = client("s3", "us-east-1", None);
                let input = doc! {"Bucket": "b", "Tagging": {"TagSet": [nested_doc(100_000)]}};
                let r = s3.build_request("PutBucketTagging", input.clone()).await;
                let same = input == input.clone();
                let text = input.to_json();
                let debug = format!("{input:?}");
                drop(input);
                if !same || text.len() < 100_000 || debug.len() < 100_000 {
                    return Err("clone, comparison or text went wrong".into());
                }
                fails_with(r, &["Tag"])
            })
        }),
    ));
    c.push((
        "deep: JSON text 100,000 levels deep",
        Box::new(|| {
            fails_with(
                Document::from_json(&"[".repeat(100_000)),
                &["recursion limit"],
            )
        }),
    ));
    c.push((
        "deep: serde of a 100,000-level document",
        Box::new(|| {
            on_worker(async {
                fails_with(serde_json::to_value(nested_doc(100_000)), &["deeper than"])
            })
        }),
    ));
    c.push((
        "deep: 50,000 nested XML elements (350 KB) from an endpoint",
        Box::new(|| {
            on_worker(async {
                let body = format!("{}{}", "<a>".repeat(50_000), "</a>".repeat(50_000));
                let url = answering(ok_head(body.len(), "application/xml"), body.into_bytes());
                let s3 = client("s3", "us-east-1", Some(&url));
                fails_with(s3.call("ListBuckets", doc! {}).await, &["nest deeper than"])
            })
        }),
    ));
    c.push((
        "deep: 50,000 nested XML elements in an error body",
        Box::new(|| {
            on_worker(async {
                let body = format!("<ErrorResponse>{}", "<Error>".repeat(50_000));
                let head = format!(
                    "HTTP/1.1 400 Bad\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let url = answering(head.into_bytes(), body.into_bytes());
                let sts = client("sts", "us-east-1", Some(&url));
                match sts.call("GetCallerIdentity", doc! {}).await {
                    Ok(_) => Err("accepted".into()),
                    Err(_) => Ok(()),
                }
            })
        }),
    ));
    c.push((
        "deep: 100,000 nested JSON arrays from an endpoint",
        Box::new(|| {
            on_worker(async {
                let body = "[".repeat(100_000);
                let url = answering(
                    ok_head(body.len(), "application/x-amz-json-1.0"),
                    body.into_bytes(),
                );
                let sqs = client("sqs", "us-east-1", Some(&url));
                fails_with(sqs.call("ListQueues", doc! {}).await, &["JSON"])
            })
        }),
    ));
    c.push((
        "deep: 100,000 nested CBOR arrays",
        Box::new(|| {
            on_worker(async {
                fails_with(protocol::cbor::decode(&vec![0x81u8; 100_000]), &["deep"])
            })
        }),
    ));

    // --- header values, both ways ---
    c.push((
        "header: CR LF in a metadata value is refused, not injected",
        Box::new(|| {
            on_worker(async {
                let url = answering(ok_head(0, "text/plain"), Vec::new());
                let s3 = client("s3", "us-east-1", Some(&url));
                let input =
                    doc! {"Bucket": "b", "Key": "k", "Metadata": {"x": "v\r\nX-Injected: 1"}};
                match s3.call("PutObject", input).await {
                    Err(e @ SdkError::Dispatch(_)) if !e.is_retryable() => {
                        fails_with(Err::<(), _>(e), &["x-amz-meta-x", "cannot carry"])
                    }
                    Err(e) => Err(format!(
                        "not an error saying the request was never sent: {e}"
                    )),
                    Ok(_) => Err("sent".into()),
                }
            })
        }),
    ));
    c.push((
        "header: a NUL in ContentType",
        Box::new(|| {
            on_worker(async {
                let url = answering(ok_head(0, "text/plain"), Vec::new());
                let s3 = client("s3", "us-east-1", Some(&url));
                match s3
                    .call(
                        "PutObject",
                        doc! {"Bucket": "b", "Key": "k", "ContentType": "a\u{0}b"},
                    )
                    .await
                {
                    Err(SdkError::Construction(_)) | Err(SdkError::Dispatch(_)) => Ok(()),
                    Err(e) => Err(format!(
                        "an error, but not one saying the request was never sent: {e}"
                    )),
                    Ok(_) => Err("sent a NUL in a header".into()),
                }
            })
        }),
    ));
    c.push(("header: non-UTF-8 and control bytes in response headers", Box::new(|| on_worker(async {
        let mut head = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\nx-amz-meta-a: \xff\xfe\x01\r\netag: \"\x80\"\r\ncontent-type: \xc3\x28\r\n\r\n".to_vec();
        head.shrink_to_fit();
        let url = answering(head, Vec::new());
        let s3 = client("s3", "us-east-1", Some(&url));
        match s3.call("HeadObject", doc! {"Bucket": "b", "Key": "k"}).await {
            Ok(_) | Err(_) => Ok(()),
        }
    }))));

    // --- huge numbers ---
    c.push(("numbers: an integer member of 10^22 in XML", Box::new(|| {
        let model = ServiceModel::load("s3").unwrap();
        let op = model.operation("ListObjectsV2").unwrap();
        let body = "<ListBucketResult><MaxKeys>9999999999999999999999</MaxKeys><KeyCount>-99999999999999999999</KeyCount></ListBucketResult>";
        let raw = RawResponse { status: 200, headers: vec![], body: body.into() };
        fails_with(protocol::parse(&model, op, &raw), &["MaxKeys"])
    })));
    c.push((
        "numbers: 1e400 and a 10,000-digit integer in JSON",
        Box::new(|| {
            let model = ServiceModel::load("sqs").unwrap();
            let op = model.operation("GetQueueAttributes").unwrap();
            let body = format!(
                "{{\"Attributes\": {{\"a\": 1e400}}, \"X\": {}}}",
                "9".repeat(10_000)
            );
            let raw = RawResponse {
                status: 200,
                headers: vec![],
                body: body.into(),
            };
            let _ = protocol::parse(&model, op, &raw);
            Ok(())
        }),
    ));
    c.push(("numbers: a timestamp in the year 99999 and a Content-Length of 10^20", Box::new(|| on_worker(async {
        let head = b"HTTP/1.1 200 OK\r\ncontent-length: 100000000000000000000\r\nlast-modified: Mon, 01 Jan 99999 00:00:00 GMT\r\nconnection: close\r\n\r\n".to_vec();
        let url = answering(head, Vec::new());
        let s3 = client("s3", "us-east-1", Some(&url));
        let _ = s3.call("HeadObject", doc! {"Bucket": "b", "Key": "k"}).await;
        Ok(())
    }))));
    c.push((
        "numbers: a truncated body shorter than its Content-Length",
        Box::new(|| {
            on_worker(async {
                let head = b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\nconnection: close\r\n\r\n"
                    .to_vec();
                let url = answering(head, b"<ListAllMyBucketsResult>".to_vec());
                let s3 = client("s3", "us-east-1", Some(&url));
                fails_with(s3.call("ListBuckets", doc! {}).await, &[])
            })
        }),
    ));
    c
}

/// One libtest-mimic trial runs the whole table and prints its count line.
fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trial = libtest_mimic::Trial::test("bad_input_table", || run_table().map_err(Into::into));
    libtest_mimic::run(&args, vec![trial]).exit();
}

fn run_table() -> Result<(), String> {
    let cases = cases();
    let mut failed = Vec::new();
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for (name, case) in &cases {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(case)).unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                Err(format!("panicked: {msg}"))
            });
        if let Err(why) = outcome {
            failed.push(format!("{name}: {why}"));
        }
    }
    std::panic::set_hook(quiet);
    for f in &failed {
        eprintln!("FAILED {f}");
    }
    println!(
        "bad input: {} passed, {} failed",
        cases.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} bad-input cases failed:\n{}",
            failed.len(),
            failed.join("\n")
        ))
    }
}
