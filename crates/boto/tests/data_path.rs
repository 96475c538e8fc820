//! Service models from data folders at run time, called on moto: a folder copy of botocore's sqs
//! data that wins over the embedded model (and is observably different), a service that is not
//! embedded (kms) with its endpoint rule set read from the folder, and `AWS_DATA_PATH` /
//! `~/.aws/models` read through the session's `Env`.

mod support;

use boto::{doc, Credentials, Error, SdkError, Session};
use boto_core::client::ConstructionError;
use boto_core::config::Env;
use boto_core::model::{available_services, read_json, ModelError};
use std::path::{Path, PathBuf};
use support::{empty_env, moto_url, unique};

/// botocore's own data folder in the pinned venv.
fn botocore_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../.venv/lib/python3.11/site-packages/botocore/data")
}

/// A fresh folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(unique("boto-data-path-it"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies botocore's `<service>/<version>/` files named in `files` into `root`; returns the
/// copy's folder.
fn copy_service(root: &Path, service: &str, version: &str, files: &[&str]) -> PathBuf {
    let from = botocore_data().join(service).join(version);
    let to = root.join(service).join(version);
    std::fs::create_dir_all(&to).unwrap();
    for f in files {
        std::fs::copy(from.join(f), to.join(f))
            .unwrap_or_else(|e| panic!("copy {}: {e}", from.join(f).display()));
    }
    to
}

/// The sqs model of botocore's data without `PurgeQueue`, written as plain `service-2.json`
/// beside the copied (gzipped) paginators and rule set.
fn sqs_without_purge(root: &Path) -> PathBuf {
    let dir = copy_service(
        root,
        "sqs",
        "2012-11-05",
        &["paginators-1.json", "endpoint-rule-set-1.json.gz"],
    );
    let from = botocore_data().join("sqs/2012-11-05/service-2.json.gz");
    let mut model = read_json(&from).unwrap();
    let removed = model["operations"]
        .as_object_mut()
        .unwrap()
        .remove("PurgeQueue");
    assert!(removed.is_some(), "botocore's sqs has PurgeQueue");
    let file = dir.join("service-2.json");
    std::fs::write(&file, serde_json::to_vec(&model).unwrap()).unwrap();
    file
}

fn builder(env: Env) -> boto::SessionBuilder {
    Session::builder()
        .env(env)
        .region_name("us-east-1")
        .credentials(Credentials::from_keys("testing", "testing", None))
}

fn is_unknown_operation(e: &Error, name: &str) -> bool {
    matches!(e, Error::Sdk(SdkError::Construction(ConstructionError::Model(
        ModelError::UnknownOperation { name: n, .. }))) if n == name)
        || matches!(e, Error::Model(ModelError::UnknownOperation { name: n, .. }) if n == name)
}

#[tokio::test]
async fn a_folder_copy_of_sqs_wins_over_the_embedded_model() {
    let t = TempDir::new();
    let file = sqs_without_purge(&t.0);
    let folder = builder(empty_env())
        .endpoint_url(moto_url())
        .data_path(&t.0)
        .build()
        .unwrap();
    let sqs = folder.client("sqs").unwrap();
    let model = sqs.service_client().model();
    assert_eq!(model.source().file(), Some(file.as_path()));

    let name = unique("folder-queue");
    let created = sqs
        .call("CreateQueue", doc! {"QueueName": &name})
        .await
        .unwrap();
    let url = created["QueueUrl"].as_str().unwrap().to_string();
    sqs.call("SendMessage", doc! {"QueueUrl": &url, "MessageBody": "hi"})
        .await
        .unwrap();
    let queues = sqs
        .paginate("ListQueues", doc! {"QueueNamePrefix": &name})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert!(queues.iter().any(|q| q.as_str() == Some(url.as_str())));
    let err = sqs
        .call("PurgeQueue", doc! {"QueueUrl": &url})
        .await
        .unwrap_err();
    assert!(is_unknown_operation(&err, "PurgeQueue"), "{err:?}");

    // The embedded model is untouched for a session without the folder, in the same process.
    let embedded = support::session("us-east-1").client("sqs").unwrap();
    assert!(embedded.service_client().model().source().is_embedded());
    embedded
        .call("PurgeQueue", doc! {"QueueUrl": &url})
        .await
        .unwrap();
}

#[tokio::test]
async fn a_service_that_is_not_embedded_is_called_with_its_folder_rule_set() {
    let t = TempDir::new();
    copy_service(
        &t.0,
        "kms",
        "2014-11-01",
        &[
            "service-2.json.gz",
            "paginators-1.json",
            "endpoint-rule-set-1.json.gz",
        ],
    );
    let embedded = available_services().contains(&"kms");
    if !embedded {
        let err = support::session("us-east-1").client("kms").unwrap_err();
        assert!(
            matches!(err, Error::Model(ModelError::NotCompiledIn { .. })),
            "{err:?}"
        );
    }

    // The rule set picks the AWS host: it can only come from the folder when kms is not embedded.
    let offline = builder(empty_env()).data_path(&t.0).build().unwrap();
    let kms = offline.client("kms").unwrap();
    assert!(!kms.service_client().model().source().is_embedded());
    let request = kms.build_request("ListKeys", doc! {}).await.unwrap();
    assert_eq!(request.url, "https://kms.us-east-1.amazonaws.com/");

    let on_moto = builder(empty_env())
        .endpoint_url(moto_url())
        .data_path(&t.0)
        .build()
        .unwrap();
    let kms = on_moto.client("kms").unwrap();
    let key = kms
        .call("CreateKey", doc! {"Description": "from a data folder"})
        .await
        .unwrap();
    let id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_string();
    let keys = kms
        .paginate("ListKeys", doc! {})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert!(
        keys.iter()
            .any(|k| k["KeyId"].as_str() == Some(id.as_str())),
        "{keys:?}"
    );
}

#[tokio::test]
async fn secretsmanager_from_a_folder_with_its_sdk_extras_file() {
    // Its sdk-extras file (merged as botocore does; the merge itself is unit-tested in boto-core)
    // must not get in the way of loading and calling.
    let t = TempDir::new();
    copy_service(
        &t.0,
        "secretsmanager",
        "2017-10-17",
        &[
            "service-2.json.gz",
            "service-2.sdk-extras.json",
            "paginators-1.json",
            "endpoint-rule-set-1.json.gz",
        ],
    );
    let session = builder(empty_env())
        .endpoint_url(moto_url())
        .data_path(&t.0)
        .build()
        .unwrap();
    let sm = session.client("secretsmanager").unwrap();
    let source = sm.service_client().model().source();
    assert!(source.file().unwrap().starts_with(&t.0), "{source:?}");
    let name = unique("folder-secret");
    sm.call(
        "CreateSecret",
        doc! {"Name": &name, "SecretString": "s3cr3t"},
    )
    .await
    .unwrap();
    let listed = sm
        .paginate("ListSecrets", doc! {})
        .unwrap()
        .collect_results()
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|s| s["Name"].as_str() == Some(name.as_str())),
        "{listed:?}"
    );
}

#[tokio::test]
async fn without_a_rule_set_a_folder_service_needs_an_endpoint_url() {
    if available_services().contains(&"kms") {
        // The embedded rule set would be the fallback; nothing to show here in this build.
        return;
    }
    let t = TempDir::new();
    copy_service(&t.0, "kms", "2014-11-01", &["service-2.json.gz"]);
    let offline = builder(empty_env()).data_path(&t.0).build().unwrap();
    let err = offline
        .client("kms")
        .unwrap()
        .call("ListKeys", doc! {})
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Sdk(SdkError::Construction(ConstructionError::NoEndpoint { service })) if service == "kms"
        ),
        "{err:?}"
    );
    let on_moto = builder(empty_env())
        .endpoint_url(moto_url())
        .data_path(&t.0)
        .build()
        .unwrap();
    let keys = on_moto
        .client("kms")
        .unwrap()
        .call("ListKeys", doc! {})
        .await
        .unwrap();
    assert!(keys["Keys"].as_list().is_some(), "{keys:?}");
}

#[tokio::test]
async fn aws_data_path_and_the_models_folder_come_from_the_env() {
    let (empty, sqs_dir, home) = (TempDir::new(), TempDir::new(), TempDir::new());
    let file = sqs_without_purge(&sqs_dir.0);
    let models = home.0.join(".aws/models");
    copy_service(
        &models,
        "kms",
        "2014-11-01",
        &["service-2.json.gz", "endpoint-rule-set-1.json.gz"],
    );
    let data_path = format!("{}:{}", empty.0.display(), sqs_dir.0.display());
    let env = Env::from_vars([
        ("HOME", home.0.to_string_lossy().to_string()),
        ("AWS_DATA_PATH", data_path),
    ]);
    let session = builder(env).endpoint_url(moto_url()).build().unwrap();
    assert_eq!(
        session.data_path(),
        [empty.0.clone(), sqs_dir.0.clone(), models.clone()]
    );

    let sqs = session.client("sqs").unwrap();
    assert_eq!(
        sqs.service_client().model().source().file(),
        Some(file.as_path())
    );
    let err = sqs
        .call("PurgeQueue", doc! {"QueueUrl": "http://nowhere/q"})
        .await
        .unwrap_err();
    assert!(is_unknown_operation(&err, "PurgeQueue"), "{err:?}");

    let kms = session.client("kms").unwrap();
    let source = kms.service_client().model().source();
    assert!(source.file().unwrap().starts_with(&models), "{source:?}");
    let keys = kms.call("ListKeys", doc! {}).await.unwrap();
    assert!(keys["Keys"].as_list().is_some(), "{keys:?}");

    // An explicit data_path replaces AWS_DATA_PATH; ~/.aws/models stays last.
    let env = Env::from_vars([
        ("HOME", home.0.to_string_lossy().to_string()),
        ("AWS_DATA_PATH", sqs_dir.0.to_string_lossy().to_string()),
    ]);
    let explicit = builder(env).data_path(&empty.0).build().unwrap();
    assert_eq!(explicit.data_path(), [empty.0.clone(), models]);
    let sqs = explicit.client("sqs").unwrap();
    assert!(sqs.service_client().model().source().is_embedded());
}

#[test]
fn a_malformed_folder_model_names_the_file() {
    let t = TempDir::new();
    let dir = t.0.join("sqs/2012-11-05");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("service-2.json");
    std::fs::write(&file, "{\"metadata\": [").unwrap();
    let session = builder(empty_env()).data_path(&t.0).build().unwrap();
    let err = session.client("sqs").unwrap_err();
    match &err {
        Error::Model(ModelError::InvalidFile { path, reason }) => {
            assert_eq!(path, &file);
            assert!(reason.contains("EOF"), "{reason}");
        }
        other => panic!("expected InvalidFile, got {other:?}"),
    }
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
}

#[test]
fn the_blocking_session_takes_a_data_path_too() {
    let t = TempDir::new();
    let file = sqs_without_purge(&t.0);
    let session = boto::blocking::Session::builder()
        .env(empty_env())
        .region_name("us-east-1")
        .credentials(Credentials::from_keys("testing", "testing", None))
        .data_path(&t.0)
        .build()
        .unwrap();
    assert_eq!(session.data_path().first(), Some(&t.0));
    let sqs = session.client("sqs").unwrap();
    let err = sqs
        .call("PurgeQueue", doc! {"QueueUrl": "http://nowhere/q"})
        .unwrap_err();
    assert!(is_unknown_operation(&err, "PurgeQueue"), "{err:?}");
    let model = sqs.service_client().model().clone();
    assert_eq!(model.source().file(), Some(file.as_path()));
}
