//! S3 stores user metadata (`x-amz-meta-*` headers) as US-ASCII; other characters would be
//! mangled or refused after the upload was sent. botocore's `validate_ascii_metadata` (PutObject,
//! CopyObject, CreateMultipartUpload) refuses such metadata up front, naming the key.

use super::super::Customization;
use crate::client::ConstructionError;
use crate::customize::InputEdit;
use crate::model::Operation;
use crate::protocol::{ValidationError, ValidationProblem};

pub(crate) struct AsciiMetadata;

impl Customization for AsciiMetadata {
    fn name(&self) -> &'static str {
        "s3.ascii_metadata"
    }

    fn transform_input(
        &self,
        op: &Operation,
        input: &mut InputEdit<'_>,
    ) -> Result<(), ConstructionError> {
        if !matches!(
            op.name.as_str(),
            "PutObject" | "CopyObject" | "CreateMultipartUpload"
        ) {
            return Ok(());
        }
        // Not a map: validation reports the type.
        let Some(metadata) = input["Metadata"].as_map() else {
            return Ok(());
        };
        let problems: Vec<ValidationProblem> = metadata
            .iter()
            .filter(|(k, v)| !k.is_ascii() || v.as_str().is_some_and(|v| !v.is_ascii()))
            .map(|(k, v)| ValidationProblem::InvalidValue {
                path: format!("Metadata.{k}"),
                detail: format!(
                    "non-ASCII characters in S3 metadata for key {k:?}, value {:?}: S3 metadata \
                     can only contain ASCII characters",
                    v.as_str().unwrap_or_default()
                ),
            })
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        Err(ConstructionError::Validation(ValidationError {
            operation: op.name.clone(),
            problems,
        }))
    }
}
