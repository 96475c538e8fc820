use super::cache::{ADVISORY_REFRESH, MANDATORY_REFRESH};
use super::*;
use crate::config::{ConfigResolver, Env, SharedFiles};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLETOKEN";

fn files(config: &str, creds: &str) -> Arc<SharedFiles> {
    Arc::new(
        SharedFiles::from_contents("/x/config", Some(config), "/x/credentials", Some(creds))
            .unwrap(),
    )
}

fn resolver(env: &[(&str, &str)], config: &str, creds: &str) -> ConfigResolver {
    ConfigResolver::builder(Env::from_vars(env.iter().copied()))
        .files(
            SharedFiles::from_contents("/x/config", Some(config), "/x/credentials", Some(creds))
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn debug_is_redacted() {
    let c = Credentials::new(
        "AKID",
        SECRET,
        Some(TOKEN.into()),
        Some(std::time::UNIX_EPOCH + Duration::from_secs(86_400)),
        "env",
    );
    let d = format!("{c:?} {c:#?}");
    assert!(
        d.contains("AKID") && d.contains("1970-01-02T00:00:00Z") && d.contains("redacted"),
        "{d}"
    );
    assert_no_secret(&d);
    assert_eq!(c.secret_access_key(), SECRET);
    assert_eq!(c.session_token(), Some(TOKEN));
    let cache = RefreshingProvider::new(Arc::new(Credentials::from_keys(
        "AKID",
        SECRET,
        Some(TOKEN.into()),
    )));
    block(cache.provide_credentials()).unwrap();
    assert_no_secret(&format!("{cache:?}"));
}

#[test]
fn rfc3339_parsing() {
    use time::{format_rfc3339, parse_rfc3339};
    let t = parse_rfc3339("2024-02-29T23:59:58Z").unwrap();
    assert_eq!(format_rfc3339(t), "2024-02-29T23:59:58Z");
    assert_eq!(
        parse_rfc3339("2024-03-01T01:00:00+01:00"),
        parse_rfc3339("2024-03-01T00:00:00Z")
    );
    assert_eq!(
        parse_rfc3339("2024-03-01T00:00:00-0130"),
        parse_rfc3339("2024-03-01 01:30:00")
    );
    let frac = parse_rfc3339("1970-01-01T00:00:01.5Z").unwrap();
    assert_eq!(
        frac.duration_since(std::time::UNIX_EPOCH).unwrap(),
        Duration::from_millis(1500)
    );
    for bad in [
        "",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "1969-12-31T23:59:59Z",
        "2024-01-01T00:00:00+25:00",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00 junk",
        "é2024-01-01T00:00:00Z",
        "+024-01-01T00:00:00Z",
    ] {
        assert!(parse_rfc3339(bad).is_none(), "{bad}");
    }
}

#[test]
fn environment_provider() {
    let p = |vars: &[(&str, &str)]| {
        EnvironmentProvider::new(Env::from_vars(vars.iter().copied())).load()
    };
    assert!(p(&[]).unwrap_err().is_not_found());
    let c = p(&[
        ("AWS_ACCESS_KEY_ID", "AK"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"),
        ("AWS_ACCOUNT_ID", "123"),
    ])
    .unwrap();
    assert_eq!(
        (
            c.access_key_id(),
            c.session_token(),
            c.provider_name(),
            c.account_id()
        ),
        ("AK", Some(TOKEN), "env", Some("123"))
    );
    assert_eq!(c.expiry(), time::parse_rfc3339("2030-01-01T00:00:00Z"));
    let c = p(&[
        ("AWS_ACCESS_KEY_ID", "AK"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_SESSION_TOKEN", "new"),
        ("AWS_SECURITY_TOKEN", "old"),
    ])
    .unwrap();
    assert_eq!(c.session_token(), Some("old"));
    let e = p(&[("AWS_ACCESS_KEY_ID", "AK")]).unwrap_err();
    assert!(
        e.to_string().contains("missing: AWS_SECRET_ACCESS_KEY"),
        "{e}"
    );
    let e = p(&[
        ("AWS_ACCESS_KEY_ID", "AK"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_CREDENTIAL_EXPIRATION", "soon"),
    ])
    .unwrap_err();
    assert!(
        e.to_string().contains("AWS_CREDENTIAL_EXPIRATION \"soon\""),
        "{e}"
    );
    assert_no_secret(&format!("{e} {e:?}"));
}

#[test]
fn shared_file_providers() {
    let f = files(
        "[profile p]\naws_access_key_id = CFG\naws_secret_access_key = s\n[profile half]\naws_access_key_id = X\n",
        &format!("[p]\naws_access_key_id = CRED\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\naws_account_id = 9\n"),
    );
    let c = SharedCredentialsFileProvider::new(f.clone(), "p")
        .load()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name(), c.account_id()),
        ("CRED", "shared-credentials-file", Some("9"))
    );
    let c = ConfigFileProvider::new(f.clone(), "p").load().unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name(), c.session_token()),
        ("CFG", "config-file", None)
    );
    let e = SharedCredentialsFileProvider::new(f.clone(), "nope")
        .load()
        .unwrap_err();
    assert!(
        e.is_not_found() && e.to_string().contains("/x/credentials"),
        "{e}"
    );
    let e = ConfigFileProvider::new(f.clone(), "half")
        .load()
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("\"half\"")
            && msg.contains("aws_secret_access_key")
            && msg.contains("/x/config"),
        "{msg}"
    );
    let none =
        Arc::new(SharedFiles::from_contents("/y/config", None, "/y/credentials", None).unwrap());
    let e = ConfigFileProvider::new(none, "default").load().unwrap_err();
    assert!(
        e.to_string().contains("no readable file at /y/config"),
        "{e}"
    );
}

struct TempDir(std::path::PathBuf);
impl TempDir {
    fn new(tag: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "boto-creds-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    }
}
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn process(cmd: &str, extra: &str) -> Result<Credentials, CredentialsError> {
    let f = files(
        &format!("[default]\ncredential_process = {cmd}\n{extra}"),
        "",
    );
    block(ProcessProvider::new(f, "default").provide_credentials())
}

#[cfg(unix)]
#[test]
fn credential_process_success_and_failures() {
    let dir = TempDir::new("proc");
    let ok = dir.file("ok.json", &format!(
        r#"{{"Version": 1, "AccessKeyId": "AKP", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "2031-01-01T00:00:00Z"}}"#));
    let c = process(&format!("cat '{ok}'"), "aws_account_id = 42\n").unwrap();
    assert_eq!(
        (c.access_key_id(), c.provider_name(), c.account_id()),
        ("AKP", "custom-process", Some("42"))
    );
    assert_eq!(c.expiry(), time::parse_rfc3339("2031-01-01T00:00:00Z"));

    let cases = [
        (
            format!(r#"{{"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "{SECRET}"}}"#),
            "unsupported Version 2",
        ),
        (
            format!(r#"{{"AccessKeyId": "a", "SecretAccessKey": "{SECRET}"}}"#),
            "Version key was not provided",
        ),
        (
            format!(
                r#"{{"Version": 1, "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}"}}"#
            ),
            "\"AccessKeyId\"",
        ),
        (
            format!(
                r#"{{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": 5, "SessionToken": "{TOKEN}"}}"#
            ),
            "must be a string",
        ),
        (
            format!(r#"{{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": "{SECRET}" "#),
            "not valid JSON",
        ),
        (
            format!(
                r#"{{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": "{SECRET}", "Expiration": "later"}}"#
            ),
            "Expiration \"later\"",
        ),
        (format!("[\"{SECRET}\"]"), "not a JSON object"),
    ];
    for (i, (out, want)) in cases.iter().enumerate() {
        let path = dir.file(&format!("bad{i}.json"), out);
        let e = process(&format!("cat {path}"), "").unwrap_err();
        let msg = format!("{e} {e:?}");
        assert!(
            msg.contains(want) && msg.contains("\"cat\"") && msg.contains("\"default\""),
            "{msg}"
        );
        assert_no_secret(&msg);
    }
    // Non-zero exit: stdout (which may hold secrets) and arguments are not in the error.
    let e = process(
        &format!("sh -c 'echo {SECRET}; echo diagnostic >&2; exit 3'"),
        "",
    )
    .unwrap_err();
    let msg = format!("{e} {e:?}");
    assert!(msg.contains("exited with") && msg.contains("3"), "{msg}");
    assert_no_secret(&msg);
    // Missing program, bad quoting, nothing configured.
    let e = process("/nonexistent/program --secret-arg", "").unwrap_err();
    assert!(
        e.to_string().contains("cannot run") && !e.to_string().contains("--secret-arg"),
        "{e}"
    );
    let e = process("cat 'unterminated", "").unwrap_err();
    assert!(
        matches!(e, CredentialsError::InvalidProfile { ref key, .. } if key.as_deref() == Some("credential_process")),
        "{e}"
    );
    assert!(e.to_string().contains("/x/config"));
    let e = block(ProcessProvider::new(files("[default]\n", ""), "default").provide_credentials())
        .unwrap_err();
    assert!(e.is_not_found());
}

#[test]
fn profile_feature_detection_and_placeholders() {
    let f = files(
        "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
         [profile mfa]\nrole_arn = arn:r\nmfa_serial = arn:mfa\n\
         [profile web]\nrole_arn = arn:r\nweb_identity_token_file = /t\n\
         [profile sso]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n\
         [profile login]\nlogin_session = arn:x\n[profile plain]\nregion = x\n",
        "",
    );
    let check = |slot, profile: &str, env: Option<Env>| {
        block(ProfileFeatureProvider::new(slot, f.clone(), profile, env).provide_credentials())
            .unwrap_err()
    };
    let e = check(ChainSlot::AssumeRole, "role", None);
    assert!(matches!(
        e,
        CredentialsError::NotProvided {
            slot: ChainSlot::AssumeRole,
            ..
        }
    ));
    assert!(
        e.to_string().contains(
            "profile \"role\" uses role_arn; assume-role is provided by the client layer"
        ),
        "{e}"
    );
    let e = check(ChainSlot::AssumeRole, "mfa", None);
    assert!(
        matches!(e, CredentialsError::MfaRequired { .. })
            && e.to_string().contains("not supported"),
        "{e}"
    );
    assert!(check(ChainSlot::AssumeRole, "web", None).is_not_found());
    assert!(matches!(
        check(ChainSlot::WebIdentity, "web", None),
        CredentialsError::NotProvided { .. }
    ));
    let env = Env::from_vars([("AWS_WEB_IDENTITY_TOKEN_FILE", "/tok")]);
    assert!(matches!(
        check(ChainSlot::WebIdentity, "plain", Some(env.clone())),
        CredentialsError::NotProvided { .. }
    ));
    assert!(check(ChainSlot::WebIdentity, "plain", None).is_not_found());
    assert!(matches!(
        check(ChainSlot::Sso, "sso", None),
        CredentialsError::NotProvided {
            slot: ChainSlot::Sso,
            ..
        }
    ));
    assert!(matches!(
        check(ChainSlot::Login, "login", None),
        CredentialsError::NotProvided {
            slot: ChainSlot::Login,
            ..
        }
    ));
    for slot in [
        ChainSlot::AssumeRole,
        ChainSlot::WebIdentity,
        ChainSlot::Sso,
        ChainSlot::Login,
    ] {
        assert!(check(slot, "plain", None).is_not_found());
        assert!(check(slot, "absent", None).is_not_found());
    }
}

fn no_imds(cfg: &ConfigResolver) -> ImdsProvider {
    ImdsProvider::from_config(cfg)
        .unwrap()
        .with_endpoint("http://127.0.0.1:9/")
}

#[test]
fn default_chain_order_and_errors() {
    let cfg = resolver(&[("AWS_EC2_METADATA_DISABLED", "true")], "", "");
    let chain = DefaultChainBuilder::new(cfg).build().unwrap();
    assert_eq!(
        chain.provider_names(),
        [
            "env",
            "assume-role",
            "assume-role-with-web-identity",
            "sso",
            "shared-credentials-file",
            "login",
            "custom-process",
            "config-file",
            "container-role",
            "iam-role",
        ]
    );
    let e = block(chain.provide_credentials()).unwrap_err();
    let msg = e.to_string();
    for name in chain.provider_names() {
        assert!(msg.contains(name), "{name} missing from {msg}");
    }
    assert!(msg.contains("AWS_EC2_METADATA_DISABLED"), "{msg}");

    // Env wins over files; an explicit profile removes env from the chain.
    let conf = "[profile p]\naws_access_key_id = CFG\naws_secret_access_key = s\n";
    let env = [
        ("AWS_ACCESS_KEY_ID", "ENV"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_PROFILE", "p"),
    ];
    let c = block(
        DefaultChainBuilder::new(resolver(&env, conf, ""))
            .build()
            .unwrap()
            .provide_credentials(),
    )
    .unwrap();
    assert_eq!(c.access_key_id(), "ENV");
    let cfg = ConfigResolver::builder(Env::from_vars(env))
        .files(
            SharedFiles::from_contents(
                "/x/config",
                Some(conf),
                "/x/credentials",
                Some("[p]\naws_access_key_id = CRED\naws_secret_access_key = s\n"),
            )
            .unwrap(),
        )
        .profile("p")
        .build()
        .unwrap();
    let chain = DefaultChainBuilder::new(cfg.clone()).build().unwrap();
    assert_eq!(chain.provider_names()[0], "assume-role");
    assert_eq!(
        block(chain.provide_credentials()).unwrap().access_key_id(),
        "CRED"
    );

    // A role profile stops the chain with a clear message, even when static keys exist too...
    let conf = "[default]\nrole_arn = arn:r\naws_access_key_id = A\naws_secret_access_key = s\n";
    let cfg = resolver(&[], conf, "");
    let e = block(
        DefaultChainBuilder::new(cfg.clone())
            .imds(no_imds(&cfg))
            .build()
            .unwrap()
            .provide_credentials(),
    )
    .unwrap_err();
    assert!(matches!(e, CredentialsError::NotProvided { .. }), "{e}");
    // ...and the client layer's provider takes that slot.
    let role_creds = Credentials::new("ROLE", "s", None, None, "assume-role");
    let c = block(
        DefaultChainBuilder::new(cfg.clone())
            .provider_at(ChainSlot::AssumeRole, Arc::new(role_creds))
            .build()
            .unwrap()
            .provide_credentials(),
    )
    .unwrap();
    assert_eq!(c.access_key_id(), "ROLE");

    // Invalid IMDS settings fail the build with the key named.
    let cfg = resolver(&[("AWS_METADATA_SERVICE_TIMEOUT", "soon")], "", "");
    let e = DefaultChainBuilder::new(cfg).build().unwrap_err();
    assert!(
        e.to_string().contains("AWS_METADATA_SERVICE_TIMEOUT"),
        "{e}"
    );
}

/// A provider that counts calls, optionally waits for a gate, and returns credentials expiring
/// `ttl` from now.
struct Counting {
    calls: AtomicUsize,
    ttl: std::sync::atomic::AtomicU64,
    gate: tokio::sync::Semaphore,
    fail: std::sync::atomic::AtomicBool,
}

impl Counting {
    fn new(ttl: Duration, open: bool) -> Arc<Self> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            ttl: ttl.as_secs().into(),
            gate: tokio::sync::Semaphore::new(if open {
                tokio::sync::Semaphore::MAX_PERMITS
            } else {
                0
            }),
            fail: false.into(),
        })
    }
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            self.gate
                .acquire()
                .await
                .map_err(|_| CredentialsError::failed("counting", "closed"))?
                .forget();
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::failed("counting", "boom"));
            }
            Ok(Credentials::new(
                format!("AK{n}"),
                SECRET,
                None,
                Some(SystemTime::now() + Duration::from_secs(self.ttl.load(Ordering::SeqCst))),
                "counting",
            ))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mandatory_refresh_is_single_flight() {
    // First, cache credentials that are already inside the mandatory window.
    let inner = Counting::new(MANDATORY_REFRESH - Duration::from_secs(60), false);
    let cache = Arc::new(RefreshingProvider::new(inner.clone()));
    inner.gate.add_permits(1);
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AK1"
    );
    inner.ttl.store(3600, Ordering::SeqCst);
    // Now every caller must wait for the one refresh.
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let c = cache.clone();
            tokio::spawn(async move { c.provide_credentials().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
    assert!(
        tasks.iter().all(|t| !t.is_finished()),
        "callers must wait in the mandatory window"
    );
    inner.gate.add_permits(1000);
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id(), "AK2");
    }
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2, "exactly one refresh");

    // Cold start: many callers, nothing cached, one fetch.
    let inner = Counting::new(Duration::from_secs(3600), false);
    let cache = Arc::new(RefreshingProvider::new(inner.clone()));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let c = cache.clone();
            tokio::spawn(async move { c.provide_credentials().await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    inner.gate.add_permits(1000);
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id(), "AK1");
    }
    assert_eq!(inner.calls.load(Ordering::SeqCst), 1, "exactly one fetch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advisory_refresh_does_not_block_other_callers() {
    // Inside the advisory window but outside the mandatory one.
    let inner = Counting::new(ADVISORY_REFRESH - Duration::from_secs(120), false);
    let cache = Arc::new(RefreshingProvider::new(inner.clone()));
    inner.gate.add_permits(1);
    assert_eq!(
        cache.provide_credentials().await.unwrap().access_key_id(),
        "AK1"
    );
    // The next caller starts the (blocked) refresh...
    let refresher = {
        let c = cache.clone();
        tokio::spawn(async move { c.provide_credentials().await })
    };
    while inner.calls.load(Ordering::SeqCst) < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // ...while everyone else gets the cached credentials at once.
    let others: Vec<_> = (0..32)
        .map(|_| {
            let c = cache.clone();
            tokio::spawn(async move { c.provide_credentials().await })
        })
        .collect();
    for t in others {
        let r = tokio::time::timeout(Duration::from_secs(5), t)
            .await
            .expect("caller waited")
            .unwrap();
        assert_eq!(r.unwrap().access_key_id(), "AK1");
    }
    inner.gate.add_permits(1);
    assert_eq!(refresher.await.unwrap().unwrap().access_key_id(), "AK2");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 2, "exactly one refresh");
}

#[test]
fn refresh_failures_and_clock() {
    block(async {
        let inner = Counting::new(Duration::from_secs(3600), true);
        let now = Arc::new(std::sync::Mutex::new(SystemTime::now()));
        let clock = now.clone();
        let cache =
            RefreshingProvider::new(inner.clone()).with_clock(move || *clock.lock().unwrap());
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AK1"
        );
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AK1"
        );
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        // Advisory window: a failing refresh keeps the old credentials.
        inner.fail.store(true, Ordering::SeqCst);
        *now.lock().unwrap() += Duration::from_secs(3600) - Duration::from_secs(12 * 60);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AK1"
        );
        assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
        // Mandatory window: the error surfaces.
        *now.lock().unwrap() += Duration::from_secs(5 * 60);
        let e = cache.provide_credentials().await.unwrap_err();
        assert!(e.to_string().contains("boom"));
        // Recovery.
        inner.fail.store(false, Ordering::SeqCst);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "AK4"
        );
        // Refreshed credentials that are already expired are an error.
        *now.lock().unwrap() = SystemTime::now() + Duration::from_secs(7200);
        let e = cache.provide_credentials().await.unwrap_err();
        assert!(e.to_string().contains("still expired"), "{e}");
        // Non-expiring credentials are cached for good.
        let cache = RefreshingProvider::new(Arc::new(Credentials::from_keys("A", "s", None)));
        cache.provide_credentials().await.unwrap();
        assert!(cache.current().is_some());
        cache.invalidate();
        assert!(cache.current().is_none());
    });
}

#[test]
fn chain_remembers_the_winner() {
    struct Once(AtomicUsize, &'static str);
    impl ProvideCredentials for Once {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(std::future::ready(if n == 0 {
                Err(CredentialsError::not_found(self.1, "not yet"))
            } else {
                Ok(Credentials::from_keys(self.1, "s", None))
            }))
        }
    }
    let a = Arc::new(Once(AtomicUsize::new(0), "a"));
    let b = Arc::new(Once(AtomicUsize::new(1), "b"));
    let chain = ProviderChain::new(vec![a.clone(), b.clone()]);
    assert_eq!(
        block(chain.provide_credentials()).unwrap().access_key_id(),
        "b"
    );
    // `a` would now succeed, but the chain sticks with `b` (botocore refreshes through the
    // provider that produced the credentials).
    assert_eq!(
        block(chain.provide_credentials()).unwrap().access_key_id(),
        "b"
    );
    assert_eq!(a.0.load(Ordering::SeqCst), 1);
    let e = block(ProviderChain::new(vec![]).provide_credentials()).unwrap_err();
    assert_eq!(e.to_string(), "unable to locate credentials");
}

#[test]
fn imds_static_stability_extension() {
    let now = SystemTime::now();
    let far = now + Duration::from_secs(6 * 3600);
    assert_eq!(imds::extend_if_stale(far, now, 300), far);
    let stale = now - Duration::from_secs(60);
    assert_eq!(
        imds::extend_if_stale(stale, now, 300),
        now + Duration::from_secs(15 * 60 + 300)
    );
}

#[test]
fn error_display_forms() {
    let e = CredentialsError::NotFound {
        tried: vec![
            SourceTried {
                provider: "env",
                reason: "AWS_ACCESS_KEY_ID is not set".into(),
            },
            SourceTried {
                provider: "iam-role",
                reason: "x".into(),
            },
        ],
    };
    assert_eq!(
        e.to_string(),
        "unable to locate credentials; tried: env (AWS_ACCESS_KEY_ID is not set); iam-role (x)"
    );
    let e: CredentialsError = crate::config::ConfigError::Io {
        file: "/f".into(),
        message: "denied".into(),
    }
    .into();
    // The config error keeps its type, and its message is shown once: in Display, not again
    // as a source.
    assert!(matches!(
        &e,
        CredentialsError::Config(crate::config::ConfigError::Io { .. })
    ));
    assert!(e.to_string().contains("denied"), "{e}");
    assert!(std::error::Error::source(&e).is_none());
}

#[tokio::test]
async fn ready_credentials_are_what_a_fresh_cache_holds_and_nothing_else() {
    let inner = Counting::new(Duration::from_secs(3600), true);
    let cache = RefreshingProvider::new(inner.clone());
    assert!(cache.ready_credentials().is_none(), "nothing fetched yet");
    let fetched = cache.provide_credentials().await.unwrap();
    let ready = cache
        .ready_credentials()
        .expect("fresh credentials are at hand");
    assert_eq!(ready.access_key_id(), fetched.access_key_id());
    assert_eq!(
        inner.calls.load(Ordering::SeqCst),
        1,
        "asking fetched nothing"
    );
    // Inside the advisory window they are no longer "ready": the next call refreshes them.
    let inner = Counting::new(ADVISORY_REFRESH - Duration::from_secs(60), true);
    let cache = RefreshingProvider::new(inner.clone());
    cache.provide_credentials().await.unwrap();
    assert!(cache.ready_credentials().is_none());
    let keys = Credentials::from_keys("AK", SECRET, None);
    assert_eq!(keys.ready_credentials().unwrap().access_key_id(), "AK");
    let chain = ProviderChain::new(vec![Arc::new(keys)]);
    assert!(
        chain.ready_credentials().is_none(),
        "no provider has answered yet"
    );
    chain.provide_credentials().await.unwrap();
    assert_eq!(chain.ready_credentials().unwrap().access_key_id(), "AK");
}
