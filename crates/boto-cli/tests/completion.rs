//! Shell completion: the scripts call back into `boto __complete`, whose answers come from the
//! embedded models.

mod support;
use support::run;

fn complete(words: &[&str]) -> Vec<String> {
    let mut args = vec!["__complete"];
    args.extend_from_slice(words);
    let r = run(env!("CARGO_BIN_EXE_boto"), &args);
    assert_eq!(r.status, 0, "{r:?}");
    r.stdout.lines().map(str::to_string).collect()
}

#[test]
fn services_operations_waiters_and_commands() {
    let all = complete(&[""]);
    for name in [
        "sqs",
        "s3api",
        "s3",
        "dynamodb",
        "ec2",
        "configure",
        "completion",
    ] {
        assert!(all.iter().any(|c| c == name), "{name} in {all:?}");
    }
    assert!(all.len() > 400, "every embedded service: {}", all.len());
    assert_eq!(complete(&["sq"]), ["sqs"]);
    assert_eq!(
        complete(&["sqs", "send-"]),
        ["send-message", "send-message-batch"]
    );
    // Global options anywhere before.
    assert_eq!(
        complete(&["--region", "us-east-1", "sqs", "list-q"]),
        ["list-queue-tags", "list-queues"]
    );
    assert!(complete(&["dynamodb", "wait", ""]).contains(&"table-exists".to_string()));
    assert!(complete(&["s3", ""]).contains(&"sync".to_string()));
    assert_eq!(complete(&["configure", ""]), ["get", "list", "set"]);
    assert!(complete(&["no-such-service", ""]).is_empty());
}

#[test]
fn parameters_and_their_values() {
    let flags = complete(&["sqs", "send-message", "--queue-url", "U", "--"]);
    assert!(flags.contains(&"--message-body".to_string()), "{flags:?}");
    assert!(
        !flags.contains(&"--queue-url".to_string()),
        "given already: {flags:?}"
    );
    assert!(
        flags.contains(&"--output".to_string()),
        "global options too: {flags:?}"
    );
    // Pagination flags only where the operation paginates.
    assert!(complete(&["s3api", "list-objects-v2", "--max"]).contains(&"--max-items".to_string()));
    assert!(complete(&["sqs", "send-message", "--max"]).is_empty());
    // Enum values, and the choices of global options.
    assert_eq!(
        complete(&["dynamodb", "create-table", "--billing-mode", ""]),
        ["PAY_PER_REQUEST", "PROVISIONED"]
    );
    assert_eq!(complete(&["--output", "y"]), ["yaml", "yaml-stream"]);
    assert_eq!(complete(&["sqs", "--color", ""]), ["auto", "off", "on"]);
    // A free-form value: nothing, so the shell falls back to file names.
    assert!(complete(&["sqs", "send-message", "--message-body", ""]).is_empty());
}

#[test]
fn the_bash_script_completes_through_the_callback() {
    let script = run(env!("CARGO_BIN_EXE_boto"), &["completion", "bash"]);
    assert_eq!(script.status, 0);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_boto"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let test = format!(
        "{}\nCOMP_WORDS=(boto sqs send-message-b); COMP_CWORD=2; _boto_complete; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.stdout
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &test])
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "send-message-batch\n",
        "{out:?}"
    );
    for shell in ["zsh", "fish"] {
        let r = run(env!("CARGO_BIN_EXE_boto"), &["completion", shell]);
        assert!(
            r.status == 0 && r.stdout.contains("boto __complete"),
            "{r:?}"
        );
    }
    let r = run(env!("CARGO_BIN_EXE_boto"), &["completion", "tcsh"]);
    assert_eq!(r.status, 2, "{r:?}");
}
