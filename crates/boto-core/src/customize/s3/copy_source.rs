//! `CopySource` of CopyObject / UploadPartCopy, as botocore takes it: either the string
//! `bucket/key[?versionId=v]` or a map `{Bucket, Key, VersionId}`. Either way the bucket and key
//! are percent-encoded (keeping `/` and `~`) before they go into the `x-amz-copy-source` header.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::uri;

pub(crate) struct CopySource;

fn encode(source: &str) -> String {
    match source.split_once("?versionId=") {
        Some((path, version)) => format!("{}?versionId={version}", uri::encode(path, true)),
        None => uri::encode(source, true),
    }
}

impl Customization for CopySource {
    fn name(&self) -> &'static str {
        "s3.copy_source"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        if op.name != "CopyObject" && op.name != "UploadPartCopy" {
            return Ok(());
        }
        let value = match &input["CopySource"] {
            Document::String(s) => encode(s),
            Document::Map(m) => {
                let (Some(bucket), Some(key)) = (
                    m.get("Bucket").and_then(Document::as_str),
                    m.get("Key").and_then(Document::as_str),
                ) else {
                    // Left as is: validation reports the map as the wrong type.
                    return Ok(());
                };
                let mut v = uri::encode(&format!("{bucket}/{key}"), true);
                if let Some(version) = m.get("VersionId").and_then(Document::as_str) {
                    v.push_str("?versionId=");
                    v.push_str(version);
                }
                v
            }
            _ => return Ok(()),
        };
        let _ = input.insert("CopySource", value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc;

    #[test]
    fn strings_and_maps_are_encoded() {
        let s3 = crate::model::ServiceModel::load("s3").unwrap();
        let op = s3.operation("CopyObject").unwrap();
        let mut input = doc! {"CopySource": {"Bucket": "b", "Key": "a b/ü.txt", "VersionId": "v1"}};
        CopySource
            .transform_input(op, &mut InputEdit::new(&mut input))
            .unwrap();
        assert_eq!(
            input["CopySource"].as_str(),
            Some("b/a%20b/%C3%BC.txt?versionId=v1")
        );
        let mut input = doc! {"CopySource": "b/a b?versionId=v2"};
        CopySource
            .transform_input(op, &mut InputEdit::new(&mut input))
            .unwrap();
        assert_eq!(input["CopySource"].as_str(), Some("b/a%20b?versionId=v2"));
    }
}
