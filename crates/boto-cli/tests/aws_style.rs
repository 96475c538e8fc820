//! `boto SERVICE OPERATION --param value`: aws-cli's command shape for every service, from the
//! models at run time, through the binary against moto.

mod support;
use support::{boto, boto_try, json, moto_url, unique};

#[test]
fn sqs_with_kebab_flags_shorthand_json_and_files() {
    let name = unique("kebab");
    let created = json(&[
        "sqs",
        "create-queue",
        "--queue-name",
        &name,
        "--attributes",
        "DelaySeconds=5,MaximumMessageSize=2048",
    ]);
    let url = created["QueueUrl"].as_str().unwrap().to_string();
    assert!(url.ends_with(&name), "{created}");
    // A list of scalars as space-separated values.
    let attrs = json(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        &url,
        "--attribute-names",
        "DelaySeconds",
        "MaximumMessageSize",
    ]);
    assert_eq!(attrs["Attributes"]["DelaySeconds"], "5", "{attrs}");
    assert_eq!(attrs["Attributes"]["MaximumMessageSize"], "2048", "{attrs}");
    assert_eq!(attrs["Attributes"].as_object().unwrap().len(), 2, "{attrs}");
    // The same map as JSON, and `--flag=value`.
    boto(&[
        "sqs",
        "set-queue-attributes",
        &format!("--queue-url={url}"),
        "--attributes",
        r#"{"DelaySeconds": "0"}"#,
    ]);
    let attrs = json(&[
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        &url,
        "--attribute-names",
        "All",
    ]);
    assert_eq!(attrs["Attributes"]["DelaySeconds"], "0", "{attrs}");
    // file:// gives the text of a file; an integer flag; message attributes as shorthand.
    let dir = std::env::temp_dir().join(unique("boto-cli-files"));
    std::fs::create_dir_all(&dir).unwrap();
    let body = dir.join("body.txt");
    std::fs::write(&body, "from a file").unwrap();
    boto(&[
        "sqs",
        "send-message",
        "--queue-url",
        &url,
        "--message-body",
        &format!("file://{}", body.display()),
        "--delay-seconds",
        "0",
        "--message-attributes",
        r#"{"color": {"DataType": "String", "StringValue": "blue"}}"#,
    ]);
    let got = json(&[
        "sqs",
        "receive-message",
        "--queue-url",
        &url,
        "--message-attribute-names",
        "All",
    ]);
    assert_eq!(got["Messages"][0]["Body"], "from a file", "{got}");
    assert_eq!(
        got["Messages"][0]["MessageAttributes"]["color"]["StringValue"], "blue",
        "{got}"
    );
    // --cli-input-json fills the input; the flags given win over it.
    let input = dir.join("input.json");
    std::fs::write(
        &input,
        format!(r#"{{"QueueUrl": "{url}", "MessageBody": "json"}}"#),
    )
    .unwrap();
    let sent = json(&[
        "sqs",
        "send-message",
        "--cli-input-json",
        &format!("file://{}", input.display()),
    ]);
    assert!(sent["MessageId"].is_string(), "{sent}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn blobs_come_from_fileb_and_booleans_are_flags() {
    let bucket = unique("blob");
    boto(&["s3api", "create-bucket", "--bucket", &bucket]);
    let dir = std::env::temp_dir().join(unique("boto-cli-blob"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("data.bin");
    let bytes: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &bytes).unwrap();
    boto(&[
        "s3api",
        "put-object",
        "--bucket",
        &bucket,
        "--key",
        "k",
        "--body",
        &format!("fileb://{}", file.display()),
    ]);
    let head = json(&["s3api", "head-object", "--bucket", &bucket, "--key", "k"]);
    assert_eq!(head["ContentLength"], 1000, "{head}");
    let _ = std::fs::remove_dir_all(&dir);

    // --dry-run sends DryRun=true (moto refuses it as aws does); --no-dry-run sends false.
    let dry = boto_try(&["ec2", "describe-instances", "--dry-run"]);
    assert_eq!(dry.status, 254, "{dry:?}");
    assert!(dry.stderr.contains("(DryRunOperation)"), "{}", dry.stderr);
    let wet = json(&["ec2", "describe-instances", "--no-dry-run"]);
    assert!(wet["Reservations"].is_array(), "{wet}");
}

#[test]
fn pages_merge_and_resume_with_next_token() {
    let prefix = unique("pages");
    for i in 0..5 {
        boto(&[
            "sqs",
            "create-queue",
            "--queue-name",
            &format!("{prefix}-{i}"),
        ]);
    }
    let all = json(&[
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &prefix,
        "--page-size",
        "2",
    ]);
    assert_eq!(all["QueueUrls"].as_array().unwrap().len(), 5, "{all}");
    assert!(all.get("NextToken").is_none(), "{all}");

    let first = json(&[
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &prefix,
        "--max-items",
        "2",
    ]);
    assert_eq!(first["QueueUrls"].as_array().unwrap().len(), 2, "{first}");
    let token = first["NextToken"]
        .as_str()
        .expect("a NextToken after --max-items");
    let rest = json(&[
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &prefix,
        "--starting-token",
        token,
    ]);
    let mut urls: Vec<_> = first["QueueUrls"].as_array().unwrap().clone();
    urls.extend(rest["QueueUrls"].as_array().unwrap().iter().cloned());
    urls.dedup();
    assert_eq!(urls.len(), 5, "{first} then {rest}");

    // --no-paginate: one call, the service's own token.
    let one = json(&[
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &prefix,
        "--no-paginate",
        "--max-results",
        "2",
    ]);
    assert_eq!(one["QueueUrls"].as_array().unwrap().len(), 2, "{one}");
    assert!(one["NextToken"].is_string(), "{one}");
}

#[test]
fn output_text_and_query() {
    let name = unique("query");
    let created = json(&["sqs", "create-queue", "--queue-name", &name]);
    let url = created["QueueUrl"].as_str().unwrap();
    let text = boto(&[
        "sqs",
        "create-queue",
        "--queue-name",
        &name,
        "--output",
        "text",
    ]);
    assert_eq!(text, format!("{url}\n"));
    let listed = boto(&[
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &name,
        "--output",
        "text",
    ]);
    assert_eq!(listed, format!("QUEUEURLS\t{url}\n"));
    let queried = boto(&[
        "--query",
        "QueueUrls[0]",
        "sqs",
        "list-queues",
        "--queue-name-prefix",
        &name,
    ]);
    assert_eq!(queried, format!("\"{url}\"\n"));
    // 4-space indentation, as aws-cli's json.dumps(indent=4).
    let json_text = boto(&["sqs", "list-queues", "--queue-name-prefix", &name]);
    assert_eq!(
        json_text,
        format!("{{\n    \"QueueUrls\": [\n        \"{url}\"\n    ]\n}}\n")
    );
    let bad = boto_try(&["sqs", "list-queues", "--output", "yaml-ish"]);
    assert_eq!(bad.status, 252, "{bad:?}");
}

#[test]
fn errors_and_exit_codes() {
    let missing = boto_try(&["s3api", "list-objects-v2", "--bucket", &unique("nobucket")]);
    assert_eq!(missing.status, 254, "{missing:?}");
    assert!(
        missing.stderr.contains(
            "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "
        ),
        "{}",
        missing.stderr
    );
    let unknown = boto_try(&["sqs", "list-queues", "--no-such-flag", "x"]);
    assert_eq!(unknown.status, 252, "{unknown:?}");
    assert!(
        unknown.stderr.contains("--no-such-flag"),
        "{}",
        unknown.stderr
    );
    let required = boto_try(&["sqs", "send-message", "--queue-url", "u"]);
    assert_eq!(required.status, 252, "{required:?}");
    assert!(
        required.stderr.contains("--message-body"),
        "{}",
        required.stderr
    );
    let bad_int = boto_try(&[
        "sqs",
        "list-queues",
        "--max-results",
        "many",
        "--no-paginate",
    ]);
    assert_eq!(bad_int.status, 252, "{bad_int:?}");
    let bad_op = boto_try(&["sqs", "list-queue"]);
    assert_eq!(bad_op.status, 2, "{bad_op:?}");
    assert!(bad_op.stderr.contains("list-queues"), "{}", bad_op.stderr);
    let bad_service = boto_try(&["sqss", "list-queues"]);
    assert_eq!(bad_service.status, 252, "{bad_service:?}");
    assert!(bad_service.stderr.contains("sqs"), "{}", bad_service.stderr);
    let no_command = boto_try(&[]);
    assert_eq!(no_command.status, 2, "{no_command:?}");
}

#[test]
fn help_lists_operations_parameters_and_shapes() {
    let version = boto(&["--version"]);
    assert!(version.starts_with("boto-cli/"), "{version}");
    let top = boto(&["help"]);
    assert!(
        top.contains("o s3api") && top.contains("o dynamodb"),
        "{top}"
    );
    let sqs = boto(&["sqs", "help"]);
    assert!(
        sqs.contains("o send-message") && sqs.contains("o list-queues"),
        "{sqs}"
    );
    assert!(sqs.contains("documentation is not embedded"), "{sqs}");
    let op = boto(&["sqs", "send-message", "help"]);
    assert!(op.contains("\n    --queue-url <value>\n"), "{op}");
    assert!(op.contains("[--delay-seconds <value>]"), "{op}");
    assert!(op.contains("--message-attributes (map)"), "{op}");
    assert!(op.contains("StringValue -> (string)"), "{op}");
    let paged = boto(&["sqs", "list-queues", "help"]);
    assert!(paged.contains("[--max-items <value>]"), "{paged}");
    let ec2 = boto(&["ec2", "describe-instances", "help"]);
    assert!(ec2.contains("[--dry-run | --no-dry-run]"), "{ec2}");
}

#[test]
fn waiters_poll_until_done() {
    let table = unique("waited");
    boto(&[
        "dynamodb",
        "create-table",
        "--table-name",
        &table,
        "--attribute-definitions",
        "AttributeName=id,AttributeType=S",
        "--key-schema",
        "AttributeName=id,KeyType=HASH",
        "--billing-mode",
        "PAY_PER_REQUEST",
    ]);
    let r = boto_try(&["dynamodb", "wait", "table-exists", "--table-name", &table]);
    assert_eq!((r.status, r.stdout.as_str()), (0, ""), "{r:?}");
    let names = boto(&["dynamodb", "wait"]);
    assert!(names.contains("table-not-exists"), "{names}");
    let _ = moto_url();
}

#[test]
fn debug_traces_the_call_and_redacts_secrets() {
    let user = unique("debug");
    boto(&["iam", "create-user", "--user-name", &user]);
    let r = boto_try(&[
        "--debug",
        "iam",
        "create-login-profile",
        "--user-name",
        &user,
        "--password",
        "Sup3r-S3cret-pw",
    ]);
    assert_eq!(r.status, 0, "{r:?}");
    assert!(
        r.stderr.contains("span invoke") && r.stderr.contains("span transmit"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("\"Password\":\"*** sensitive ***\""),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("Sup3r-S3cret-pw"),
        "the password was logged: {}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("testing"),
        "a credential was logged: {}",
        r.stderr
    );
    let quiet = boto_try(&["iam", "get-user", "--user-name", &user]);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn global_options_anywhere_and_their_failures() {
    // After the operation, as aws-cli accepts them.
    let out = boto(&[
        "sts",
        "get-caller-identity",
        "--output",
        "text",
        "--region",
        "eu-west-1",
    ]);
    assert!(out.contains("123456789012"), "{out}");
    let r = boto_try(&["--profile", "no-such-profile", "sqs", "list-queues"]);
    assert_eq!(r.status, 253, "{r:?}");
    let r = boto_try(&["--cli-read-timeout", "soon", "sqs", "list-queues"]);
    assert_eq!(r.status, 252, "{r:?}");
    let r = boto_try(&[
        "--cli-read-timeout",
        "5",
        "--cli-connect-timeout",
        "0",
        "sqs",
        "list-queues",
    ]);
    assert_eq!(r.status, 0, "{r:?}");
    // Unsigned requests (the engine's own tests prove no credential is looked up). moto tells
    // services apart by the signature's scope, so an unsigned call goes to S3, its default.
    let r = boto_try(&["s3api", "list-buckets", "--no-sign-request"]);
    assert_eq!(r.status, 0, "{r:?}");
}

#[test]
fn malformed_parameters_fail_with_252_never_a_panic() {
    let cases: &[&[&str]] = &[
        &[
            "sqs",
            "create-queue",
            "--queue-name",
            "q",
            "--attributes",
            "{bad json",
        ],
        &[
            "sqs",
            "create-queue",
            "--queue-name",
            "q",
            "--attributes",
            "A=[b",
        ],
        &[
            "sqs",
            "create-queue",
            "--queue-name",
            "q",
            "--attributes",
            "=x",
        ],
        &[
            "sqs",
            "create-queue",
            "--queue-name",
            "q",
            "--attributes",
            "A='open",
        ],
        &["sqs", "create-queue", "--queue-name"],
        &["sqs", "create-queue", "--queue-name", "a", "b"],
        &["sqs", "list-queues", "--max-items", "-1"],
        &["sqs", "list-queues", "--cli-input-json", "[1]"],
        &[
            "sqs",
            "list-queues",
            "--cli-input-json",
            "file:///nonexistent/input.json",
        ],
        &[
            "sqs",
            "send-message",
            "--queue-url",
            "u",
            "--message-body",
            "file:///nonexistent/b",
        ],
        &[
            "s3api",
            "put-object",
            "--bucket",
            "b",
            "--key",
            "k",
            "--body",
            "fileb:///nonexistent",
        ],
        &[
            "ec2",
            "describe-instances",
            "--filters",
            "Name=a,Values=b",
            "--max-results",
            "1.5",
        ],
        &[
            "dynamodb",
            "list-tables",
            "--limit",
            "99999999999999999999",
            "--no-paginate",
        ],
        &["sqs", "list-queues", "stray"],
    ];
    for args in cases {
        let r = boto_try(args);
        assert_eq!(r.status, 252, "boto {args:?}: {r:?}");
        assert!(
            !r.stderr.contains("panicked"),
            "boto {args:?}: {}",
            r.stderr
        );
    }
}
