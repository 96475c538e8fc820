//! EC2 CopySnapshot copies a snapshot from another region, which must authorize the copy: the
//! request carries `PresignedUrl`, the same CopySnapshot presigned for the source region. botocore's
//! `inject_presigned_url_ec2` makes it (unless the caller gave one): the call's parameters plus
//! `DestinationRegion` (the client's region), presigned for `SourceRegion` with the client's
//! credentials for an hour; the call then sends `DestinationRegion` too. boto-rs does the same.

use super::super::{CrossRegionPresign, Customization};
use crate::document::Document;
use crate::model::Operation;

/// How long the URL is valid, in seconds (botocore's `generate_presigned_url` default).
const EXPIRES_IN: u64 = 3600;

pub(crate) struct PresignedCopy;

impl Customization for PresignedCopy {
    fn name(&self) -> &'static str {
        "ec2.presigned_copy"
    }

    fn cross_region_presign(
        &self,
        op: &Operation,
        region: Option<&str>,
        input: &mut Document,
    ) -> Option<CrossRegionPresign> {
        if op.name != "CopySnapshot" || input.get("PresignedUrl").is_some() {
            return None;
        }
        // Without either region there is nothing to presign; validation names a missing
        // SourceRegion, and a client without a region fails before sending.
        let source = input.get("SourceRegion")?.as_str()?.to_string();
        let destination = region?;
        input.set("DestinationRegion", destination);
        Some(CrossRegionPresign {
            member: "PresignedUrl",
            region: source,
            input: input.clone(),
            extra_query: Vec::new(),
            expires_in: EXPIRES_IN,
        })
    }
}

#[cfg(all(test, feature = "ec2"))]
mod tests {
    use super::*;
    use crate::doc;
    use crate::model::ServiceModel;

    fn ask(op: &str, region: Option<&str>, input: &mut Document) -> Option<CrossRegionPresign> {
        let model = ServiceModel::load("ec2").unwrap();
        PresignedCopy.cross_region_presign(model.operation(op).unwrap(), region, input)
    }

    #[test]
    fn the_url_is_asked_for_the_source_region_with_the_destination_set() {
        let mut input = doc! {"SourceRegion": "us-east-1", "SourceSnapshotId": "snap-1"};
        let asked = ask("CopySnapshot", Some("us-west-2"), &mut input).unwrap();
        assert_eq!(asked.region, "us-east-1");
        assert_eq!(asked.member, "PresignedUrl");
        assert_eq!(asked.expires_in, 3600);
        assert_eq!(asked.input["DestinationRegion"].as_str(), Some("us-west-2"));
        assert_eq!(input["DestinationRegion"].as_str(), Some("us-west-2"));
        assert_eq!(
            input["SourceRegion"].as_str(),
            Some("us-east-1"),
            "EC2 models it"
        );
    }

    #[test]
    fn a_given_url_and_other_operations_are_left_alone() {
        let mut given =
            doc! {"SourceRegion": "us-east-1", "SourceSnapshotId": "s", "PresignedUrl": "u"};
        assert!(ask("CopySnapshot", Some("us-west-2"), &mut given).is_none());
        assert!(given.get("DestinationRegion").is_none());
        let mut other = doc! {"SourceRegion": "us-east-1", "SourceImageId": "ami-1", "Name": "n"};
        assert!(ask("CopyImage", Some("us-west-2"), &mut other).is_none());
    }
}
