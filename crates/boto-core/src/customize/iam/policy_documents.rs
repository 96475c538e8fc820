//! IAM returns every policy document (a role's trust policy, an inline policy, a policy
//! version's `Document`) as URL-encoded JSON text. botocore's `json_decode_policies` URL-decodes
//! and parses it, so boto3 hands out the policy as a dict; here it becomes a [`Document`] map.
//! Text that is not JSON after decoding is left as the service sent it, as botocore does.
//!
//! botocore finds these members by their shape, `policyDocumentType`. In IAM's output shapes the
//! members targeting it are exactly the names below, and no member of another shape uses those
//! names, so matching on the name finds the same values without walking the model.

use super::super::Customization;
use crate::document::Document;
use crate::encoding::percent_decode;
use crate::model::Operation;
use crate::protocol::{ProtocolError, RawResponse};

/// The output members of IAM whose shape is `policyDocumentType`.
const POLICY_MEMBERS: &[&str] = &[
    "AssumeRolePolicyDocument",
    "AssumeRolePolicyDocumentTemplate",
    "Document",
    "PolicyDocument",
];

pub(crate) struct PolicyDocuments;

impl Customization for PolicyDocuments {
    fn name(&self) -> &'static str {
        "iam.policy_documents"
    }

    fn after_parse(
        &self,
        _op: &Operation,
        _given: &Document,
        _resp: &RawResponse,
        output: &mut Document,
    ) -> Result<(), ProtocolError> {
        decode_policies(output);
        Ok(())
    }
}

fn decode_policies(value: &mut Document) {
    match value {
        Document::Map(map) => {
            for (key, v) in map.iter_mut() {
                if POLICY_MEMBERS.contains(&key.as_str()) {
                    if let Document::String(text) = v {
                        if let Some(parsed) = decode_policy(text) {
                            *v = parsed;
                        }
                        continue;
                    }
                }
                decode_policies(v);
            }
        }
        Document::List(items) => items.iter_mut().for_each(decode_policies),
        _ => {}
    }
}

/// `json.loads(unquote(text))`, or `None` when the text is not JSON.
fn decode_policy(text: &str) -> Option<Document> {
    let decoded = String::from_utf8(percent_decode(text)).ok()?;
    Document::from_json(&decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn encoded_policies_become_documents_wherever_they_are() {
        let policy = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        let mut out = doc! {
            "Role": {"RoleName": "r", "AssumeRolePolicyDocument": policy},
            "PolicyVersion": {"Document": policy, "VersionId": "v1"},
            "Policies": [{"PolicyDocument": policy}],
            "Other": policy,
        };
        decode_policies(&mut out);
        assert_eq!(
            out["Role"]["AssumeRolePolicyDocument"]["Version"].as_str(),
            Some("2012-10-17")
        );
        assert!(out["PolicyVersion"]["Document"]["Statement"]
            .as_list()
            .is_some());
        assert!(out["Policies"][0]["PolicyDocument"].as_map().is_some());
        assert_eq!(out["Other"].as_str(), Some(policy), "only policy members");
        assert_eq!(out["Role"]["RoleName"].as_str(), Some("r"));
    }

    #[test]
    fn text_that_is_not_json_is_kept() {
        let mut out = doc! {"PolicyDocument": "not%20json"};
        decode_policies(&mut out);
        assert_eq!(out["PolicyDocument"].as_str(), Some("not%20json"));
    }
}
