//! Glacier's resources on moto, as boto3 uses them: `glacier.create_vault(vaultName=..)` and
//! `glacier.vaults` fill in the account id `-` (the resource model's constant), a Vault loads
//! from DescribeVault, uploads archives (a streamed body), starts jobs that load and list, and an
//! Account names its vaults.
#![cfg(feature = "glacier")]

mod support;

use boto::doc;
use boto::resource::Resource;
use support::{moto_url, session, unique};

/// Runs `script` with the pinned boto3 (`g` is a Glacier resource on moto) and returns what it
/// prints as JSON.
fn boto3(script: &str) -> serde_json::Value {
    let prelude = "import boto3, json, sys\n\
        s = boto3.Session(aws_access_key_id='testing', aws_secret_access_key='testing', region_name='us-east-1')\n\
        g = s.resource('glacier', endpoint_url=sys.argv[1])\n";
    support::python_json(&format!("{prelude}{script}"), &[&moto_url()], "")
}

fn ids(r: &Resource) -> Vec<String> {
    r.identifiers().iter().map(|(_, v)| v.clone()).collect()
}

#[tokio::test]
async fn vaults_archives_and_jobs() {
    let g = session("us-east-1").resource("glacier").unwrap();
    let name = unique("vault");
    let mut vault = g
        .action("create_vault", doc! {"vaultName": &name})
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(vault.type_name(), "Vault");
    assert_eq!(ids(&vault), ["-", name.as_str()]);
    assert!(vault
        .get_attr("VaultARN")
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .ends_with(&format!("vaults/{name}")));
    assert_eq!(vault.attr_loaded("VaultName").as_str(), Some(name.as_str()));

    // Service-level and account-level listings agree.
    let listed = g.collection("vaults").unwrap().collect_all().await.unwrap();
    assert!(listed.contains(&vault));
    let account = vault.related("Account").unwrap();
    assert_eq!(ids(&account), ["-"]);
    assert_eq!(account, g.resource("Account", &["-"]).unwrap());
    let by_account = account
        .collection("vaults")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(by_account.contains(&vault));
    assert_eq!(account.related_with("Vault", &[&name]).unwrap(), vault);

    // An archive from a streamed body.
    let archive = vault
        .action_with_body("upload_archive", doc! {}, Some("hello glacier".into()))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(archive.type_name(), "Archive");
    assert_eq!(archive.identifier("VaultName"), Some(name.as_str()));
    assert_eq!(archive.identifier("AccountId"), Some("-"));
    assert!(!archive.identifier("Id").unwrap().is_empty());
    assert_eq!(archive.related("Vault").unwrap(), vault);

    // Jobs: one started from the vault, one from the archive; both load and list.
    let mut inventory = vault
        .action("initiate_inventory_retrieval", doc! {})
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(inventory.type_name(), "Job");
    assert_eq!(
        inventory.get_attr("Action").await.unwrap().as_str(),
        Some("InventoryRetrieval")
    );
    let retrieval = archive
        .action("initiate_archive_retrieval", doc! {})
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    let jobs = vault
        .collection("jobs")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(
        jobs.contains(&inventory) && jobs.contains(&retrieval),
        "{jobs:?}"
    );
    assert!(jobs
        .iter()
        .all(|j| j.attr_loaded("VaultARN") == vault.attr_loaded("VaultARN")));
    assert_eq!(inventory.related("Vault").unwrap(), vault);

    archive.action("delete", doc! {}).await.unwrap();
}

#[tokio::test]
async fn vault_delete_and_its_absence() {
    let g = session("us-east-1").resource("glacier").unwrap();
    let name = unique("gone");
    let vault = g.resource("Vault", &["-", &name]).unwrap();
    vault.action("create", doc! {}).await.unwrap();
    let mut fresh = vault.clone();
    fresh.load().await.unwrap();
    vault.action("delete", doc! {}).await.unwrap();
    let err = fresh.load().await.unwrap_err();
    // AWS says ResourceNotFoundException, moto VaultNotFound.
    assert!(err.code().is_some_and(|c| c.contains("NotFound")), "{err}");
}

#[tokio::test]
async fn vault_listing_agrees_with_boto3() {
    let g = session("us-east-1").resource("glacier").unwrap();
    let name = unique("cmpvault");
    let mut vault = g
        .action("create_vault", doc! {"vaultName": &name})
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    vault.load().await.unwrap();
    let listed: Vec<Vec<String>> = g
        .collection("vaults")
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .iter()
        .map(ids)
        .filter(|ids| ids[1] == name)
        .collect();
    let ours = serde_json::json!({
        "vaults": listed,
        "arn": vault.attr_loaded("VaultARN").as_str(),
        "archives": vault.attr_loaded("NumberOfArchives").as_i64(),
    });
    let theirs = boto3(&format!(
        "v = g.Vault('-', {name:?})\n\
         print(json.dumps({{'vaults': [[x.account_id, x.name] for x in g.vaults.all() if x.name == {name:?}],\n\
           'arn': v.vault_arn, 'archives': v.number_of_archives}}))"
    ));
    assert_eq!(ours, theirs);
}

#[test]
fn blocking_vault_tour() {
    let g = boto::blocking::Session::from(session("us-east-1"))
        .resource("glacier")
        .unwrap();
    let name = unique("bvault");
    let mut vault = g
        .action("CreateVault", doc! {"vaultName": &name})
        .unwrap()
        .into_resource()
        .unwrap();
    assert_eq!(
        vault.get_attr("vault_name").unwrap().as_str(),
        Some(name.as_str())
    );
    let archive = vault
        .action_with_body("UploadArchive", doc! {}, Some("bytes".into()))
        .unwrap()
        .into_resource()
        .unwrap();
    let job = archive
        .action("InitiateArchiveRetrieval", doc! {})
        .unwrap()
        .into_resource()
        .unwrap();
    let jobs: Vec<_> = vault
        .collection("Jobs")
        .unwrap()
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(jobs.contains(&job));
    assert!(g
        .collection("Vaults")
        .unwrap()
        .collect_all()
        .unwrap()
        .contains(&vault));
}

#[tokio::test]
async fn a_finished_job_streams_its_output() {
    let g = session("us-east-1").resource("glacier").unwrap();
    let name = unique("outvault");
    let vault = g
        .action("create_vault", doc! {"vaultName": &name})
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    let archive = vault
        .action_with_body("upload_archive", doc! {}, Some("the archived bytes".into()))
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    // The model's jobParameters (Type, ArchiveId) stay beside the caller's Tier.
    let mut job = archive
        .action(
            "initiate_archive_retrieval",
            doc! {"jobParameters": {"Tier": "Expedited"}},
        )
        .await
        .unwrap()
        .into_resource()
        .unwrap();
    let in_progress = vault
        .collection("jobs_in_progress")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(in_progress.contains(&job), "{in_progress:?}");
    // moto finishes an expedited job after two seconds.
    let mut status = String::new();
    for _ in 0..40 {
        job.load().await.unwrap();
        status = job
            .attr_loaded("StatusCode")
            .as_str()
            .unwrap_or_default()
            .to_string();
        if status == "Succeeded" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "Succeeded");
    assert_eq!(
        job.attr_loaded("ArchiveId").as_str(),
        archive.identifier("Id")
    );
    let succeeded = vault
        .collection("succeeded_jobs")
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert!(succeeded.contains(&job));
    let output = job
        .action("get_output", doc! {})
        .await
        .unwrap()
        .into_output()
        .unwrap();
    let body = output
        .body
        .expect("a streamed body")
        .collect()
        .await
        .unwrap();
    assert_eq!(&body[..], b"the archived bytes");
}
