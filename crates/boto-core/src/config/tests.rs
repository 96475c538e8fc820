use super::parse::{parse_ini, shell_split};
use super::*;
use std::path::Path;

fn ini(text: &str) -> Result<parse::IniFile, ConfigError> {
    parse_ini(text, Arc::new(PathBuf::from("/x/config")))
}

fn files(config: &str, creds: &str) -> SharedFiles {
    SharedFiles::from_contents("/x/config", Some(config), "/x/credentials", Some(creds)).unwrap()
}

fn resolver(
    env: &[(&str, &str)],
    config: &str,
    creds: &str,
) -> Result<ConfigResolver, ConfigError> {
    ConfigResolver::builder(Env::from_vars(env.iter().copied()))
        .files(files(config, creds))
        .build()
}

#[test]
fn comments_whitespace_and_delimiters() {
    let f = ini("# top\n; also\n[default]\n  region = us-west-2 # not a comment\nOutput:json\n  ; indented comment\nempty =\n").unwrap();
    let s = f.section("default").unwrap();
    assert_eq!(s.get("region"), Some("us-west-2 # not a comment"));
    assert_eq!(s.get("output"), Some("json"));
    assert_eq!(s.get("empty"), Some(""));
    assert_eq!(s.property("output").unwrap().origin.line, 5);
}

#[test]
fn continuation_lines_and_nested_blocks() {
    let f = ini("[default]\ns3 =\n  addressing_style = path\n\n  signature_version=s3v4\nmulti = a\n  b\n\n  c\n\nnext = 1\n").unwrap();
    let s = f.section("default").unwrap();
    assert_eq!(s.get_nested("s3", "addressing_style"), Some("path"));
    assert_eq!(s.get_nested("s3", "signature_version"), Some("s3v4"));
    assert_eq!(s.get("s3"), None);
    assert_eq!(s.get("multi"), Some("a\nb\n\nc"));
    assert_eq!(s.get("next"), Some("1"));
}

#[test]
fn default_section_is_inherited() {
    let f = ini("[DEFAULT]\nregion = x\n[a]\nk = 1\n[b]\nregion = y\n").unwrap();
    assert_eq!(f.section("a").unwrap().get("region"), Some("x"));
    assert_eq!(f.section("b").unwrap().get("region"), Some("y"));
    assert!(f.section("DEFAULT").is_none());
}

#[test]
fn malformed_files_name_the_line() {
    let cases: &[(&str, usize)] = &[
        ("region = x\n", 1),
        ("[a]\nk = 1\n\njust words\n", 4),
        ("[a]\n[b]\n[a]\n", 3),
        ("[a]\nk = 1\nK = 2\n", 3),
        ("[a]\ns3 =\n  novalue\n", 3),
        ("[a]\n= v\n", 2),
    ];
    for (text, line) in cases {
        match ini(text) {
            Err(ConfigError::Parse { file, line: l, .. }) => {
                assert_eq!(file, Path::new("/x/config"));
                assert_eq!(l, *line, "{text:?}");
            }
            other => panic!("{text:?}: {other:?}"),
        }
    }
    let msg = ini("[a]\nbad line\n").unwrap_err().to_string();
    assert!(msg.starts_with("/x/config, line 2:"), "{msg}");
}

#[test]
fn parser_never_panics_on_odd_input() {
    let samples = [
        "",
        "\n\n",
        "[",
        "]",
        "[]",
        "[]]",
        "[[x]]",
        "[a]\n\t\tk\n",
        "\u{feff}[a]\nk=v",
        "[a]\r\nk=v\r\n  c\r",
        "[a]\nk=é\n  ü=ö\n",
        "  [a]\n k = v\n   x = y",
        "[a]\nk:\n  :\n",
        "\u{0}[a]",
        "[a]\nk = v\n\u{2003}cont",
    ];
    for s in samples {
        let _ = ini(s);
    }
    let f = ini("[a]\r\nk=v\r\n  c\r").unwrap();
    assert_eq!(f.section("a").unwrap().get("k"), Some("v\nc"));
    assert_eq!(
        ini("[[x]]\nk=1").unwrap().sections().next().unwrap().0,
        "[x]"
    );
}

#[test]
fn shell_split_matches_posix_shlex() {
    assert_eq!(
        shell_split(r#"cmd --a "b c" 'd "e"' f\ g "h\"i\$""#).unwrap(),
        vec!["cmd", "--a", "b c", "d \"e\"", "f g", "h\"i\\$"]
    );
    assert_eq!(
        shell_split("profile 'my prof'").unwrap(),
        vec!["profile", "my prof"]
    );
    assert!(shell_split("a 'unterminated").is_none());
    assert!(shell_split("trailing\\").is_none());
    assert_eq!(shell_split("  ").unwrap(), Vec::<String>::new());
}

#[test]
fn profile_map_like_botocore() {
    let f = files(
        "[default]\nregion = a\n[profile dev]\nregion = b\n[profile \"with space\"]\nregion = c\n\
         [profile]\nregion = ignored\n[profile a b]\nregion = ignored\n[sso-session s]\nsso_region = x\n\
         [services svc]\ns3 =\n  endpoint_url = http://s3\n[preview]\nk = v\n",
        "[dev]\naws_access_key_id = AK\nregion = from-creds\n[profile dev]\nk = literal\n[only]\nk = v\n",
    );
    assert_eq!(f.profile("default").unwrap().get("region"), Some("a"));
    assert_eq!(f.profile("dev").unwrap().get("region"), Some("from-creds"));
    assert_eq!(
        f.profile("dev").unwrap().get("aws_access_key_id"),
        Some("AK")
    );
    assert_eq!(
        f.config_file_profile("dev").unwrap().get("region"),
        Some("b")
    );
    assert_eq!(f.profile("with space").unwrap().get("region"), Some("c"));
    assert!(f.profile("profile dev").is_some());
    assert!(f.profile("only").is_some());
    assert!(f.profile("preview").is_none());
    assert!(f.profile("profile").is_none());
    assert_eq!(f.sso_session("s").unwrap().get("sso_region"), Some("x"));
    assert_eq!(
        f.services("svc").unwrap().get_nested("s3", "endpoint_url"),
        Some("http://s3")
    );
    let origin = &f.profile("dev").unwrap().property("region").unwrap().origin;
    assert_eq!(origin.file.as_path(), Path::new("/x/credentials"));
}

#[test]
fn profile_default_spellings_later_section_wins() {
    let f = files("[default]\nregion = a\n[profile default]\nregion = b\n", "");
    assert_eq!(f.profile("default").unwrap().get("region"), Some("b"));
    let f = files("[profile default]\nregion = b\n[default]\nregion = a\n", "");
    assert_eq!(f.profile("default").unwrap().get("region"), Some("a"));
}

struct TempDir(PathBuf);
impl TempDir {
    fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "boto-config-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn files_found_through_env_home_and_overrides() {
    let home = TempDir::new("home");
    std::fs::create_dir_all(home.0.join(".aws")).unwrap();
    std::fs::write(
        home.0.join(".aws/config"),
        "[profile p]\nregion = home-region\n",
    )
    .unwrap();
    let env = Env::from_vars([("HOME", home.0.to_str().unwrap()), ("AWS_PROFILE", "p")]);
    let cfg = ConfigResolver::load(env).unwrap();
    assert_eq!(cfg.region().unwrap().as_deref(), Some("home-region"));
    assert_eq!(
        cfg.profile_source(),
        &ProfileSource::Env("AWS_PROFILE".into())
    );

    let other = home.0.join("other.ini");
    std::fs::write(&other, "[default]\nregion = other\n").unwrap();
    let env = Env::from_vars([
        ("HOME", home.0.to_str().unwrap()),
        ("AWS_CONFIG_FILE", "~/other.ini"),
        ("AWS_SHARED_CREDENTIALS_FILE", "$HOME/missing"),
    ]);
    let cfg = ConfigResolver::load(env).unwrap();
    assert_eq!(cfg.files().config_path(), other);
    assert_eq!(cfg.files().credentials_path(), home.0.join("missing"));
    assert_eq!(cfg.region().unwrap().as_deref(), Some("other"));
    assert!(!cfg.files().has_credentials_file());

    // Missing everything is fine.
    let cfg = ConfigResolver::load(Env::from_vars([("HOME", "/definitely/not/here")])).unwrap();
    assert_eq!(cfg.profile_name(), "default");
    assert!(cfg.profile().is_none());

    // A directory at the path counts as missing; invalid UTF-8 is a parse error with its line.
    std::fs::write(home.0.join("bad"), b"[a]\nk = \xff\n").unwrap();
    let err = SharedFiles::load_from(home.0.join("bad"), home.0.join(".aws")).unwrap_err();
    assert!(matches!(err, ConfigError::Parse { line: 2, .. }), "{err}");
}

#[test]
fn expand_path_rules() {
    let env = Env::from_vars([("HOME", "/home/u"), ("X", "xx")]);
    assert_eq!(env.expand_path("~"), PathBuf::from("/home/u"));
    assert_eq!(
        env.expand_path("~/a/$X/${X}/$NOPE/${NOPE}"),
        PathBuf::from("/home/u/a/xx/xx/$NOPE/${NOPE}")
    );
    assert_eq!(env.expand_path("~other/a"), PathBuf::from("~other/a"));
    assert_eq!(env.expand_path("a$"), PathBuf::from("a$"));
    assert_eq!(
        env.expand_path("${unterminated"),
        PathBuf::from("${unterminated")
    );
    let env = Env::from_vars([("USERPROFILE", "C:\\Users\\u")]);
    assert_eq!(env.home_dir(), Some(PathBuf::from("C:\\Users\\u")));
    assert_eq!(Env::empty().expand_path("~/x"), PathBuf::from("~/x"));
}

#[test]
fn env_debug_never_shows_values() {
    let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "supersecret")]);
    let d = format!("{env:?}");
    assert!(
        d.contains("AWS_SECRET_ACCESS_KEY") && !d.contains("supersecret"),
        "{d}"
    );
    let f = files("[default]\naws_secret_access_key = supersecret\n", "");
    let d = format!("{f:?}");
    assert!(!d.contains("supersecret"), "{d}");
}

#[test]
fn profile_selection_order() {
    let cfg = resolver(
        &[("AWS_DEFAULT_PROFILE", "a"), ("AWS_PROFILE", "b")],
        "[profile a]\n[profile b]\n",
        "",
    )
    .unwrap();
    assert_eq!(cfg.profile_name(), "a");
    let err = resolver(&[("AWS_PROFILE", "nope")], "[default]\n", "").unwrap_err();
    assert!(matches!(err, ConfigError::ProfileNotFound { .. }));
    assert!(err.to_string().contains("(nope)") && err.to_string().contains("/x/credentials"));
    // Explicit profile wins and may come from the credentials file only.
    let cfg = ConfigResolver::builder(Env::from_vars([("AWS_PROFILE", "a")]))
        .files(files("[profile a]\n", "[c]\nregion = r\n"))
        .profile("c")
        .build()
        .unwrap();
    assert_eq!(cfg.profile_source(), &ProfileSource::Explicit);
    assert_eq!(cfg.region().unwrap().as_deref(), Some("r"));
}

#[test]
fn region_precedence() {
    let conf = "[default]\nregion = profile-r\n";
    let r = |env: &[(&str, &str)]| resolver(env, conf, "").unwrap().region().unwrap();
    assert_eq!(r(&[]).as_deref(), Some("profile-r"));
    assert_eq!(r(&[("AWS_DEFAULT_REGION", "d")]).as_deref(), Some("d"));
    assert_eq!(
        r(&[("AWS_DEFAULT_REGION", "d"), ("AWS_REGION", "r")]).as_deref(),
        Some("r")
    );
    assert_eq!(r(&[("AWS_REGION", "")]).as_deref(), Some("profile-r"));
    let cfg = ConfigResolver::builder(Env::from_vars([("AWS_REGION", "r")]))
        .files(files(conf, ""))
        .region("explicit")
        .build()
        .unwrap();
    assert_eq!(cfg.region().unwrap().as_deref(), Some("explicit"));
}

#[test]
fn typed_values_and_errors_name_their_source() {
    let conf = "[profile p]\nmax_attempts = 7\nretry_mode = adaptive\nuse_fips_endpoint = TRUE\n\
                use_dualstack_endpoint = yes\nconnect_timeout = 2.5\nread_timeout = -1\n\
                s3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n";
    let cfg = resolver(&[("AWS_PROFILE", "p")], conf, "").unwrap();
    assert_eq!(cfg.max_attempts().unwrap(), Some(7));
    assert_eq!(cfg.retry_mode().unwrap(), RetryMode::Adaptive);
    assert_eq!(cfg.use_fips_endpoint().unwrap(), Some(true));
    assert_eq!(
        cfg.connect_timeout().unwrap(),
        Some(Duration::from_millis(2500))
    );
    assert_eq!(
        cfg.s3_addressing_style().unwrap(),
        Some(AddressingStyle::Path)
    );
    assert_eq!(cfg.s3_bool("use_accelerate_endpoint").unwrap(), Some(true));
    assert_eq!(cfg.s3_setting("addressing_style"), Some("path"));
    let err = cfg.use_dualstack_endpoint().unwrap_err().to_string();
    assert!(
        err.contains("\"use_dualstack_endpoint\"")
            && err.contains("profile \"p\"")
            && err.contains("/x/config, line 5")
            && err.contains("\"yes\""),
        "{err}"
    );
    let err = cfg.read_timeout().unwrap_err().to_string();
    assert!(
        err.contains("read_timeout") && err.contains("line 7"),
        "{err}"
    );

    let cfg = resolver(
        &[("AWS_MAX_ATTEMPTS", "x"), ("AWS_RETRY_MODE", "fast")],
        "",
        "",
    )
    .unwrap();
    let err = cfg.max_attempts().unwrap_err().to_string();
    assert!(
        err.contains("environment variable AWS_MAX_ATTEMPTS"),
        "{err}"
    );
    assert!(cfg
        .retry_mode()
        .unwrap_err()
        .to_string()
        .contains("AWS_RETRY_MODE"));
    let cfg = resolver(&[], "", "").unwrap();
    assert_eq!(cfg.retry_mode().unwrap(), RetryMode::Standard);
    assert_eq!(cfg.max_attempts().unwrap(), None);
    assert_eq!(
        cfg.metadata_service_timeout().unwrap(),
        Duration::from_secs(1)
    );
    assert_eq!(cfg.metadata_service_num_attempts().unwrap(), 1);
    assert_eq!(
        cfg.ec2_metadata_service_endpoint_mode().unwrap(),
        ImdsEndpointMode::Ipv4
    );
    assert!(!cfg.ec2_metadata_v1_disabled().unwrap());
    assert!(!cfg.ec2_metadata_disabled());
}

#[test]
fn endpoint_url_order_matches_configured_endpoint_provider() {
    let conf = "[profile p]\nendpoint_url = http://profile\nservices = svc\n\
                [services svc]\ns3 =\n  endpoint_url = http://services-s3\n\
                elastic_beanstalk =\n  endpoint_url = http://services-eb\n";
    let env = |extra: &[(&'static str, &'static str)]| {
        let mut v = vec![("AWS_PROFILE", "p")];
        v.extend_from_slice(extra);
        v
    };
    let url = |extra: &[(&'static str, &'static str)], id: &str| {
        resolver(&env(extra), conf, "")
            .unwrap()
            .endpoint_url(id)
            .unwrap()
    };
    assert_eq!(url(&[], "S3").as_deref(), Some("http://services-s3"));
    assert_eq!(
        url(&[], "Elastic Beanstalk").as_deref(),
        Some("http://services-eb")
    );
    assert_eq!(url(&[], "SQS").as_deref(), Some("http://profile"));
    assert_eq!(
        url(&[("AWS_ENDPOINT_URL", "http://g")], "S3").as_deref(),
        Some("http://g")
    );
    assert_eq!(
        url(
            &[
                ("AWS_ENDPOINT_URL", "http://g"),
                ("AWS_ENDPOINT_URL_S3", "http://s")
            ],
            "S3"
        )
        .as_deref(),
        Some("http://s")
    );
    assert_eq!(
        url(
            &[("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK", "http://e")],
            "Elastic Beanstalk"
        )
        .as_deref(),
        Some("http://e")
    );
    assert_eq!(
        url(
            &[
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ("AWS_ENDPOINT_URL", "http://g")
            ],
            "S3"
        ),
        None
    );
    let cfg = ConfigResolver::builder(Env::from_vars(env(&[(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "true",
    )])))
    .files(files(conf, ""))
    .set("endpoint_url", "http://explicit")
    .build()
    .unwrap();
    assert_eq!(
        cfg.endpoint_url("S3").unwrap().as_deref(),
        Some("http://explicit")
    );
    // Profile-level ignore flag.
    let cfg = resolver(
        &[],
        "[default]\nendpoint_url = http://p\nignore_configured_endpoint_urls = true\n",
        "",
    )
    .unwrap();
    assert_eq!(cfg.endpoint_url("S3").unwrap(), None);
    // A dangling services reference is an error naming profile and section...
    let cfg = resolver(&[], "[default]\nservices = gone\n", "").unwrap();
    let err = cfg.endpoint_url("S3").unwrap_err();
    assert!(matches!(err, ConfigError::ServicesSectionNotFound { .. }));
    assert!(err.to_string().contains("[services gone]"));
    // ...but only reached when the environment did not answer first.
    let cfg = resolver(
        &[("AWS_ENDPOINT_URL", "http://g")],
        "[default]\nservices = gone\n",
        "",
    )
    .unwrap();
    assert_eq!(cfg.endpoint_url("S3").unwrap().as_deref(), Some("http://g"));
    assert_eq!(
        ConfigResolver::service_id_key("Route 53-Domains"),
        "Route_53_Domains"
    );
}

#[test]
fn generic_access_and_imds_settings() {
    let conf = "[default]\ncustom_key = v\nec2_metadata_service_endpoint_mode = IPv6\n\
                ec2_metadata_v1_disabled = true\nmetadata_service_timeout = 3\n";
    let cfg = resolver(
        &[
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4"),
        ],
        conf,
        "",
    )
    .unwrap();
    assert_eq!(cfg.get("custom_key"), Some("v"));
    let r = cfg.resolve("x", &["NOPE"], Some("custom_key")).unwrap();
    assert!(matches!(r.source, ValueSource::Profile { .. }));
    assert_eq!(
        cfg.ec2_metadata_service_endpoint_mode().unwrap(),
        ImdsEndpointMode::Ipv6
    );
    assert!(cfg.ec2_metadata_v1_disabled().unwrap());
    assert!(cfg.ec2_metadata_disabled());
    assert_eq!(
        cfg.metadata_service_timeout().unwrap(),
        Duration::from_secs(3)
    );
    assert_eq!(cfg.metadata_service_num_attempts().unwrap(), 4);
    let cfg = resolver(
        &[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5")],
        "",
        "",
    )
    .unwrap();
    assert!(cfg.ec2_metadata_service_endpoint_mode().is_err());
    let cfg = resolver(
        &[("AWS_IMDS_USE_IPV6", "true"), ("AWS_CA_BUNDLE", "/ca.pem")],
        "",
        "",
    )
    .unwrap();
    assert_eq!(
        cfg.ec2_metadata_service_endpoint_mode().unwrap(),
        ImdsEndpointMode::Ipv6
    );
    assert_eq!(cfg.ca_bundle().unwrap(), Some(PathBuf::from("/ca.pem")));
}

#[test]
fn odd_inputs_match_configparser() {
    let f = ini("  [a]\n k = v\n   x = y").unwrap();
    assert_eq!(f.section("a").unwrap().get("k"), Some("v\nx = y"));
    let f = ini("[a]\nk = v\n\u{2003}cont").unwrap();
    assert_eq!(f.section("a").unwrap().get("k"), Some("v\ncont"));
    let f = ini("[]]\nk=1").unwrap();
    assert!(f.section("]").is_some());
    // `k:` with an indented `:` continuation is a nested block whose line has no `=`.
    assert!(matches!(
        ini("[a]\nk:\n  :\n"),
        Err(ConfigError::Parse { line: 3, .. })
    ));
}

#[test]
fn data_path_entries_then_the_models_folder() {
    let r = resolver(
        &[
            ("AWS_DATA_PATH", "/a:~/b::$X/c"),
            ("HOME", "/h"),
            ("X", "/x"),
        ],
        "",
        "",
    )
    .unwrap();
    assert_eq!(
        r.data_path(),
        [
            PathBuf::from("/a"),
            PathBuf::from("/h/b"),
            PathBuf::from("/x/c"),
            PathBuf::from("/h/.aws/models"),
        ],
        "AWS_DATA_PATH entries in order, expanded, empty ones skipped, then ~/.aws/models"
    );
    let from_profile = resolver(&[("HOME", "/h")], "[default]\ndata_path = /p\n", "").unwrap();
    assert_eq!(
        from_profile.data_path(),
        [PathBuf::from("/p"), PathBuf::from("/h/.aws/models")]
    );
    let no_home = resolver(&[], "", "").unwrap();
    assert!(no_home.data_path().is_empty());
}

#[test]
fn verify_is_an_explicit_setting_only() {
    // botocore's `verify` is a client argument: no environment variable or profile key sets it.
    let cfg = resolver(
        &[("AWS_VERIFY", "false")],
        "[default]\nverify = false\n",
        "",
    )
    .unwrap();
    assert_eq!(cfg.verify().unwrap(), None);
    let explicit = |v: &str| {
        ConfigResolver::builder(Env::from_vars(std::iter::empty::<(&str, &str)>()))
            .files(files("", ""))
            .set("verify", v)
            .build()
            .unwrap()
            .verify()
    };
    assert_eq!(explicit("false").unwrap(), Some(false));
    assert_eq!(explicit("true").unwrap(), Some(true));
    assert!(explicit("maybe").is_err());
}
