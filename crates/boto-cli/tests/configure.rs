//! `boto configure list / get / set` on the shared files named by AWS_CONFIG_FILE and
//! AWS_SHARED_CREDENTIALS_FILE, compared with aws-cli 1.46.2 when it is installed.

use std::path::Path;
use std::process::Command;

fn run(program: &str, home: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(program)
        .args(args)
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("conf/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("conf/credentials"))
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

const SETS: &[&[&str]] = &[
    &["configure", "set", "region", "us-west-2"],
    &["configure", "set", "aws_access_key_id", "AKIAFILE5678"],
    &["configure", "set", "aws_secret_access_key", "s3cr3tKEY9"],
    &[
        "configure",
        "set",
        "region",
        "ap-south-1",
        "--profile",
        "dev",
    ],
    &["configure", "set", "output", "text", "--profile", "dev"],
    &["configure", "set", "region", "eu-north-1"],
];

const GETS: &[&[&str]] = &[
    &["configure", "list"],
    &["configure", "list", "--profile", "dev"],
    &["configure", "get", "region"],
    &["configure", "get", "region", "--profile", "dev"],
    &["configure", "get", "profile.dev.output"],
    &["configure", "get", "aws_access_key_id"],
    &["configure", "get", "nothing-here"],
];

fn home(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("boto-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn set_writes_the_files_and_get_and_list_read_them() {
    let boto = env!("CARGO_BIN_EXE_boto");
    let dir = home("configure");
    for args in SETS {
        assert_eq!(run(boto, &dir, args).0, 0, "{args:?}");
    }
    let config = std::fs::read_to_string(dir.join("conf/config")).unwrap();
    assert_eq!(
        config,
        "[default]\nregion = eu-north-1\n[profile dev]\nregion = ap-south-1\noutput = text\n"
    );
    let credentials = std::fs::read_to_string(dir.join("conf/credentials")).unwrap();
    assert_eq!(
        credentials,
        "[default]\naws_access_key_id = AKIAFILE5678\naws_secret_access_key = s3cr3tKEY9\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("conf/credentials"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        run(boto, &dir, &["configure", "get", "region"]),
        (0, "eu-north-1\n".into())
    );
    assert_eq!(
        run(boto, &dir, &["configure", "get", "nothing-here"]),
        (1, String::new())
    );
    let (status, list) = run(boto, &dir, &["configure", "list"]);
    assert_eq!(status, 0);
    assert!(
        list.contains("****************5678 shared-credentials-file"),
        "{list}"
    );
    assert!(!list.contains("s3cr3t"), "a secret printed: {list}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_as_aws_cli() {
    let aws = std::env::var("AWSCLI").unwrap_or_else(|_| "/tmp/awscli-venv/bin/aws".into());
    if !Path::new(&aws).exists() {
        eprintln!("SKIPPED configure same_as_aws_cli: no aws-cli at $AWSCLI or {aws}");
        return;
    }
    let ours = home("configure-boto");
    let theirs = home("configure-aws");
    for args in SETS {
        run(env!("CARGO_BIN_EXE_boto"), &ours, args);
        run(&aws, &theirs, args);
    }
    for file in ["conf/config", "conf/credentials"] {
        assert_eq!(
            std::fs::read_to_string(ours.join(file)).unwrap(),
            std::fs::read_to_string(theirs.join(file)).unwrap(),
            "{file}"
        );
    }
    for args in GETS {
        let mine = run(env!("CARGO_BIN_EXE_boto"), &ours, args);
        let (status, text) = run(&aws, &theirs, args);
        // The Location column names the file as configured, which differs by folder.
        let text = text.replace(theirs.to_str().unwrap(), ours.to_str().unwrap());
        assert_eq!(mine, (status, text), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&ours);
    let _ = std::fs::remove_dir_all(&theirs);
}
