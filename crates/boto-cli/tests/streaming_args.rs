//! aws-cli's shape for streaming payloads, from the model: `--body FILE` sends a file,
//! a positional `outfile` receives the body and the printed response leaves it out.

mod support;
use support::{boto, boto_try, unique};

#[test]
fn put_object_body_is_a_file_and_get_object_writes_outfile() {
    let bucket = unique("stream");
    boto(&["s3api", "create-bucket", "--bucket", &bucket]);
    let dir = std::env::temp_dir().join(unique("boto-stream"));
    std::fs::create_dir_all(&dir).unwrap();
    let source = dir.join("source.bin");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&source, &data).unwrap();
    let source = source.to_str().unwrap();
    let out = boto(&[
        "s3api",
        "put-object",
        "--bucket",
        &bucket,
        "--key",
        "k",
        "--body",
        source,
    ]);
    assert!(out.contains("\"ETag\""), "{out}");

    // The outfile may come after an option's value, as argparse takes it.
    let target = dir.join("target.bin");
    let target = target.to_str().unwrap();
    let out = boto(&[
        "s3api",
        "get-object",
        "--bucket",
        &bucket,
        "--key",
        "k",
        target,
    ]);
    assert_eq!(std::fs::read(target).unwrap(), data);
    let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(printed["ContentLength"], 200_000, "{out}");
    assert!(
        printed.get("Body").is_none(),
        "the body is not printed: {out}"
    );

    // ... or anywhere else; a range only writes what came.
    let args = [
        "s3api",
        "get-object",
        target,
        "--bucket",
        &bucket,
        "--key",
        "k",
    ];
    let mut ranged = args.to_vec();
    ranged.extend(["--range", "bytes=0-9"]);
    boto(&ranged);
    assert_eq!(std::fs::read(target).unwrap(), &data[..10]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_shows_the_outfile_and_the_body_file() {
    let help = boto(&["s3api", "get-object", "help"]);
    assert!(
        help.contains("    <outfile>\n") && help.contains("  outfile (string) (required)"),
        "{help}"
    );
    let help = boto(&["s3api", "put-object", "help"]);
    assert!(help.contains("--body (path to a file"), "{help}");
}

#[test]
fn streaming_arguments_fail_as_aws_cli_does() {
    let r = boto_try(&["s3api", "get-object", "--bucket", "b", "--key", "k"]);
    assert_eq!(r.status, 252, "{r:?}");
    assert!(
        r.stderr
            .contains("the following arguments are required: outfile"),
        "{r:?}"
    );
    let r = boto_try(&[
        "s3api",
        "put-object",
        "--bucket",
        "b",
        "--key",
        "k",
        "--body",
        "/no/such/file",
    ]);
    assert_eq!(r.status, 252, "{r:?}");
    assert!(
        r.stderr
            .contains("Error parsing parameter '--body': Blob values must be a path to a file."),
        "{r:?}"
    );
}
