//! The command boto had before the model-driven ones: `boto call SERVICE OP [JSON]` (input as
//! one JSON document, operation in any spelling). The high-level `boto s3` commands live in
//! [`crate::s3`].

use boto::blocking::Session;
use boto::Document;

/// Usage of these commands.
pub const USAGE: &str = "usage: boto [--region R] [--profile P] [--endpoint-url URL] COMMAND
  call SERVICE OPERATION [JSON]
  s3 ls|cp|mv|rm|sync|mb|rb|presign ...   (boto s3 help)";

pub fn call(session: &Session, args: &[String]) -> Result<(), String> {
    let [service, operation, input @ ..] = args else {
        return Err(USAGE.to_string());
    };
    if input.len() > 1 {
        return Err(USAGE.to_string());
    }
    let input = match input.first() {
        Some(text) => {
            Document::from_json(text).map_err(|e| format!("the input is not JSON: {e}"))?
        }
        None => Document::map(),
    };
    let client = session.client(service).map_err(|e| e.to_string())?;
    let mut output = client.call(operation, input).map_err(|e| e.to_string())?;
    output.remove("ResponseMetadata");
    println!("{output:#}");
    Ok(())
}
