//! Shared config and credentials files on disk, found through an in-memory environment (the real
//! `~/.aws` and process environment are never touched).

use boto_core::config::{AddressingStyle, ConfigError, ConfigResolver, Env, RetryMode};
use boto_core::credentials::{DefaultChainBuilder, ProvideCredentials};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Home(PathBuf);

impl Home {
    fn new(config: Option<&str>, credentials: Option<&str>) -> Home {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "boto-config-files-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        if let Some(c) = config {
            std::fs::write(dir.join(".aws/config"), c).unwrap();
        }
        if let Some(c) = credentials {
            std::fs::write(dir.join(".aws/credentials"), c).unwrap();
        }
        Home(dir)
    }

    fn env(&self, extra: &[(&str, &str)]) -> Env {
        let mut vars = vec![("HOME".to_string(), self.0.to_str().unwrap().to_string())];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(vars)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CONFIG: &str = "\
# A realistic config file
[default]
region = us-east-1
retry_mode = adaptive
max_attempts = 5

[profile dev]
region = eu-central-1
services = local
endpoint_url = http://profile-wide:4566
s3 =
    addressing_style = path
use_fips_endpoint = false
aws_access_key_id = CONFIGKEY
aws_secret_access_key = config-secret

[services local]
s3 =
    endpoint_url = http://localhost:4566
";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = DEFAULTKEY
aws_secret_access_key = default-secret

[dev]
aws_access_key_id = CREDSKEY
aws_secret_access_key = creds-secret
aws_session_token = creds-token
";

#[test]
fn default_profile_from_home() {
    let home = Home::new(Some(CONFIG), Some(CREDENTIALS));
    let cfg = ConfigResolver::load(home.env(&[])).unwrap();
    assert_eq!(cfg.profile_name(), "default");
    assert_eq!(cfg.region().unwrap().as_deref(), Some("us-east-1"));
    assert_eq!(cfg.retry_mode().unwrap(), RetryMode::Adaptive);
    assert_eq!(cfg.max_attempts().unwrap(), Some(5));
    assert_eq!(cfg.endpoint_url("S3").unwrap(), None);
}

#[test]
fn named_profile_with_services_and_nested_s3() {
    let home = Home::new(Some(CONFIG), Some(CREDENTIALS));
    let cfg = ConfigResolver::load(home.env(&[("AWS_PROFILE", "dev")])).unwrap();
    assert_eq!(cfg.region().unwrap().as_deref(), Some("eu-central-1"));
    assert_eq!(
        cfg.endpoint_url("S3").unwrap().as_deref(),
        Some("http://localhost:4566")
    );
    assert_eq!(
        cfg.endpoint_url("DynamoDB").unwrap().as_deref(),
        Some("http://profile-wide:4566")
    );
    assert_eq!(
        cfg.s3_addressing_style().unwrap(),
        Some(AddressingStyle::Path)
    );
    assert_eq!(cfg.use_fips_endpoint().unwrap(), Some(false));
    assert_eq!(cfg.retry_mode().unwrap(), RetryMode::Standard);
    // Credentials-file keys override config-file keys for the same profile.
    assert_eq!(cfg.get("aws_access_key_id"), Some("CREDSKEY"));
}

#[tokio::test]
async fn chain_reads_credentials_file_before_config_file() {
    let home = Home::new(Some(CONFIG), Some(CREDENTIALS));
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let cfg = ConfigResolver::load(env).unwrap();
    let creds = DefaultChainBuilder::new(cfg)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "CREDSKEY");
    assert_eq!(creds.provider_name(), "shared-credentials-file");
    assert_eq!(creds.session_token(), Some("creds-token"));

    let home = Home::new(Some(CONFIG), None);
    let env = home.env(&[
        ("AWS_PROFILE", "dev"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let cfg = ConfigResolver::load(env).unwrap();
    let creds = DefaultChainBuilder::new(cfg)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.provider_name()),
        ("CONFIGKEY", "config-file")
    );
}

#[test]
fn env_file_overrides_and_missing_files() {
    let home = Home::new(None, None);
    let custom = home.0.join("custom-config");
    std::fs::write(&custom, "[profile x]\nregion = ap-south-1\n").unwrap();
    let env = home.env(&[
        ("AWS_CONFIG_FILE", custom.to_str().unwrap()),
        ("AWS_DEFAULT_PROFILE", "x"),
    ]);
    let cfg = ConfigResolver::load(env).unwrap();
    assert_eq!(cfg.region().unwrap().as_deref(), Some("ap-south-1"));

    let cfg = ConfigResolver::load(home.env(&[])).unwrap();
    assert!(cfg.profile().is_none());
    assert_eq!(cfg.region().unwrap(), None);
    let e = ConfigResolver::load(home.env(&[("AWS_PROFILE", "ghost")])).unwrap_err();
    assert!(matches!(e, ConfigError::ProfileNotFound { .. }), "{e}");
}

#[test]
fn malformed_file_names_file_and_line() {
    let home = Home::new(Some("[default]\nregion = x\nthis line is junk\n"), None);
    let e = ConfigResolver::load(home.env(&[])).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains(".aws/config") && msg.contains("line 3"),
        "{msg}"
    );
    let home = Home::new(None, Some("aws_access_key_id = before-any-section\n"));
    let msg = ConfigResolver::load(home.env(&[])).unwrap_err().to_string();
    assert!(msg.contains(".aws/credentials, line 1"), "{msg}");
    assert!(!msg.contains("before-any-section"), "{msg}");
}
