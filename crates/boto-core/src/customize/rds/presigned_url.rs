//! RDS (and Neptune and DocumentDB, which share its API) copies encrypted snapshots and makes
//! clusters and replicas from another region when the request carries `PreSignedUrl`: the same
//! operation presigned for the source region. botocore's `inject_presigned_url_rds` makes it
//! from `SourceRegion`, a member its sdk-extras add to these operations and that RDS does not
//! know: it is taken out of the call; the URL carries the call's parameters and
//! `DestinationRegion` (the client's region), presigned for the source region with the client's
//! credentials for an hour. A `PreSignedUrl` the caller gave is kept. boto-rs does the same.

use super::super::{CrossRegionPresign, Customization};
use crate::document::Document;
use crate::model::Operation;

/// How long the URL is valid, in seconds (botocore's `generate_presigned_url` default).
const EXPIRES_IN: u64 = 3600;

/// The operations of one service that botocore registers `inject_presigned_url_rds` for.
pub(crate) struct PresignedUrl {
    pub(crate) operations: &'static [&'static str],
}

/// RDS's five.
pub(crate) const RDS: PresignedUrl = PresignedUrl {
    operations: &[
        "CopyDBClusterSnapshot",
        "CreateDBCluster",
        "CopyDBSnapshot",
        "CreateDBInstanceReadReplica",
        "StartDBInstanceAutomatedBackupsReplication",
    ],
};

/// Neptune's and DocumentDB's two.
pub(crate) const CLUSTERS: PresignedUrl = PresignedUrl {
    operations: &["CopyDBClusterSnapshot", "CreateDBCluster"],
};

impl Customization for PresignedUrl {
    fn name(&self) -> &'static str {
        "rds.presigned_url"
    }

    fn cross_region_presign(
        &self,
        op: &Operation,
        region: Option<&str>,
        input: &mut Document,
    ) -> Option<CrossRegionPresign> {
        if !self.operations.contains(&op.name.as_str()) {
            return None;
        }
        // Not a member of the service's API: it never goes on the wire, as in botocore.
        let source = input.remove("SourceRegion")?;
        if input.get("PreSignedUrl").is_some() {
            return None;
        }
        let source = source.as_str()?.to_string();
        let destination = region?.to_string();
        Some(CrossRegionPresign {
            member: "PreSignedUrl",
            region: source,
            input: input.clone(),
            extra_query: vec![("DestinationRegion", destination)],
            expires_in: EXPIRES_IN,
        })
    }
}

#[cfg(all(test, feature = "rds"))]
mod tests {
    use super::*;
    use crate::doc;
    use crate::model::ServiceModel;

    fn ask(op: &str, input: &mut Document) -> Option<CrossRegionPresign> {
        let model = ServiceModel::load("rds").unwrap();
        RDS.cross_region_presign(model.operation(op).unwrap(), Some("us-west-2"), input)
    }

    #[test]
    fn source_region_leaves_the_call_and_the_url_is_asked_for_it() {
        let mut input = doc! {"SourceDBSnapshotIdentifier": "a", "TargetDBSnapshotIdentifier": "b", "SourceRegion": "us-east-1"};
        let asked = ask("CopyDBSnapshot", &mut input).unwrap();
        assert!(input.get("SourceRegion").is_none());
        assert!(asked.input.get("SourceRegion").is_none());
        assert_eq!(asked.region, "us-east-1");
        assert_eq!(asked.member, "PreSignedUrl");
        assert_eq!(
            asked.extra_query,
            vec![("DestinationRegion", "us-west-2".to_string())]
        );
    }

    #[test]
    fn a_given_url_is_kept_and_a_local_copy_needs_none() {
        let mut given = doc! {"SourceDBSnapshotIdentifier": "a", "TargetDBSnapshotIdentifier": "b", "SourceRegion": "us-east-1", "PreSignedUrl": "u"};
        assert!(ask("CopyDBSnapshot", &mut given).is_none());
        assert!(given.get("SourceRegion").is_none(), "still not sent");
        assert_eq!(given["PreSignedUrl"].as_str(), Some("u"));
        let mut local = doc! {"SourceDBSnapshotIdentifier": "a", "TargetDBSnapshotIdentifier": "b"};
        assert!(ask("CopyDBSnapshot", &mut local).is_none());
    }
}
