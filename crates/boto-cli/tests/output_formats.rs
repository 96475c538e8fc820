//! `--output text|table|yaml|yaml-stream` and `--color` on moto (aws-cli's own layouts are
//! compared in differential.rs and the unit tests of `output/table.rs`).

mod support;
use support::{boto, unique};

fn bucket_of_five() -> String {
    let bucket = unique("formats");
    boto(&["s3api", "create-bucket", "--bucket", &bucket]);
    for i in 1..=5 {
        let put = format!("{{\"Bucket\": \"{bucket}\", \"Key\": \"k{i}\", \"Body\": \"x\"}}");
        boto(&["call", "s3", "PutObject", &put]);
    }
    bucket
}

#[test]
fn text_and_yaml_stream_print_page_by_page() {
    let bucket = bucket_of_five();
    let list = |output: &str| {
        boto(&[
            "--output",
            output,
            "s3api",
            "list-objects-v2",
            "--bucket",
            &bucket,
            "--page-size",
            "2",
            "--query",
            "Contents[].Key",
        ])
    };
    // The query applies to each page, as aws-cli applies it.
    assert_eq!(list("text"), "k1\tk2\nk3\tk4\nk5\n");
    assert_eq!(
        list("yaml-stream"),
        "- - k1\n  - k2\n- - k3\n  - k4\n- - k5\n"
    );
    // yaml and json print the merged result.
    assert_eq!(list("yaml"), "- k1\n- k2\n- k3\n- k4\n- k5\n");
    assert_eq!(list("off"), "");
    // --max-items stops early and says where to resume.
    let text = boto(&[
        "--output",
        "text",
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--page-size",
        "2",
        "--max-items",
        "3",
        "--query",
        "Contents[].Key",
    ]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(&lines[..2], ["k1\tk2", "k3"], "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    let stream = boto(&[
        "--output",
        "yaml-stream",
        "s3api",
        "list-objects-v2",
        "--bucket",
        &bucket,
        "--page-size",
        "2",
        "--max-items",
        "3",
        "--query",
        "Contents[].Key",
    ]);
    let (pages, token) = stream
        .split_once("- NextToken: ")
        .unwrap_or_else(|| panic!("{stream}"));
    assert_eq!(pages, "- - k1\n  - k2\n- - k3\n");
    assert!(
        !token.trim().is_empty() && token.ends_with('\n'),
        "{stream}"
    );
}

#[test]
fn yaml_documents() {
    let queue = unique("yamlq");
    let out = boto(&[
        "--output",
        "yaml",
        "sqs",
        "create-queue",
        "--queue-name",
        &queue,
    ]);
    assert!(
        out.starts_with("QueueUrl: http://") && out.ends_with(&format!("/{queue}\n")),
        "{out}"
    );
    // A response with nothing in it prints nothing, as in json.
    let url = out.trim_start_matches("QueueUrl: ").trim_end().to_string();
    let out = boto(&[
        "--output",
        "yaml",
        "sqs",
        "set-queue-attributes",
        "--queue-url",
        &url,
        "--attributes",
        "DelaySeconds=2",
    ]);
    assert_eq!(out, "");
    // Strings that would read as numbers are quoted.
    let out = boto(&[
        "--output",
        "yaml",
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        &url,
        "--attribute-names",
        "DelaySeconds",
    ]);
    assert_eq!(out, "Attributes:\n  DelaySeconds: '2'\n");
}

#[test]
fn table_colours_follow_color() {
    let queue = unique("colorq");
    boto(&["sqs", "create-queue", "--queue-name", &queue]);
    let table = |color: &str| {
        boto(&[
            "--output",
            "table",
            "--color",
            color,
            "sqs",
            "list-queues",
            "--queue-name-prefix",
            &queue,
        ])
    };
    // auto: not a terminal here, so plain.
    let plain = table("auto");
    assert!(
        plain.contains("|  ListQueues  |") || plain.contains("ListQueues"),
        "{plain}"
    );
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert_eq!(table("off"), plain);
    let coloured = table("on");
    assert!(coloured.contains("\x1b[1m\x1b[34mhttp://"), "{coloured:?}");
    assert_eq!(
        coloured
            .replace("\x1b[0m", "")
            .replace("\x1b[1m\x1b[34m", "")
            .replace("\x1b[2m\x1b[33m", ""),
        plain,
        "the same table under the colours"
    );
}

#[test]
fn the_format_not_given_comes_from_the_environment_or_the_profile() {
    let dir = std::env::temp_dir().join(unique("boto-output-config"));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[default]\noutput = text\n[profile y]\noutput = yaml\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    let queue = unique("cfgq");
    boto(&["sqs", "create-queue", "--queue-name", &queue]);
    let list = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_boto"));
        cmd.args(["--endpoint-url", support::moto_url()])
            .args(args)
            .args(["sqs", "list-queues", "--queue-name-prefix", &queue])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_DEFAULT_OUTPUT");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(
        list(&[], &[]).starts_with("QUEUEURLS\t"),
        "the default profile's text"
    );
    assert!(
        list(&[], &["--profile", "y"]).starts_with("QueueUrls:\n- "),
        "profile y's yaml"
    );
    let env = [("AWS_DEFAULT_OUTPUT", "table")];
    assert!(
        list(&env, &[]).starts_with("---"),
        "the environment over the profile"
    );
    assert!(
        list(&env, &["--output", "json"]).starts_with("{"),
        "the option over both"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A scripted SQS (JSON protocol) that answers ListQueues' first page at once and holds the
/// second until told: boto's text for page one must be out before page two exists.
#[test]
fn text_prints_each_page_before_the_next_is_fetched() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::mpsc;
    use std::time::Duration;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (go, wait) = mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let pages = [
            r#"{"QueueUrls": ["http://q/one"], "NextToken": "t1"}"#,
            r#"{"QueueUrls": ["http://q/two"]}"#,
        ];
        for (i, page) in pages.iter().enumerate() {
            let (mut conn, _) = listener.accept().unwrap();
            // The request: headers, then Content-Length bytes of body.
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if i == 1 {
                assert!(
                    String::from_utf8_lossy(&body).contains("t1"),
                    "asks for page two"
                );
                wait.recv_timeout(Duration::from_secs(10))
                    .expect("page one was printed");
            }
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            conn.write_all(reply.as_bytes()).unwrap();
        }
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boto"))
        .args([
            "--endpoint-url",
            &url,
            "--output",
            "text",
            "sqs",
            "list-queues",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_OUTPUT")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let _ = lines_tx.send(line.unwrap());
        }
    });
    let first = lines.recv_timeout(Duration::from_secs(10));
    // Let the server answer either way, so that nothing hangs.
    let _ = go.send(());
    assert_eq!(
        first.as_deref(),
        Ok("QUEUEURLS\thttp://q/one"),
        "page one before page two"
    );
    assert_eq!(
        lines.recv_timeout(Duration::from_secs(10)).as_deref(),
        Ok("QUEUEURLS\thttp://q/two")
    );
    assert!(child.wait().unwrap().success());
    server.join().unwrap();
}

/// `boto ... | head -1`: once stdout is closed, no more pages are fetched.
#[test]
fn a_closed_stdout_stops_the_pages() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    // Endless pages, each with a new token.
    std::thread::spawn(move || {
        for (i, conn) in listener.incoming().enumerate() {
            let Ok(mut conn) = conn else { return };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            count.fetch_add(1, Ordering::SeqCst);
            let page = format!(r#"{{"QueueUrls": ["http://q/{i}"], "NextToken": "t{i}"}}"#);
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = conn.write_all(reply.as_bytes());
        }
    });
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_boto"))
        .args([
            "--endpoint-url",
            &url,
            "--output",
            "text",
            "sqs",
            "list-queues",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_OUTPUT")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert_eq!(first, "QUEUEURLS\thttp://q/0\n");
    drop(stdout);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!(
                "boto kept paging after stdout closed ({} pages)",
                served.load(Ordering::SeqCst)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(
        served.load(Ordering::SeqCst) < 10,
        "{} pages",
        served.load(Ordering::SeqCst)
    );
}
