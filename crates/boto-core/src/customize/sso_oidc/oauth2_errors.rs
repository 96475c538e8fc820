//! SSO OIDC answers errors the OAuth 2.0 way, with the text in `error_description` where every
//! other JSON service says `message`. Like botocore's `_map_oauth2_errors`, the description is
//! copied into `Message` (unless the body has a message already) before the error is parsed, so
//! the error's message is the service's text and not empty.

use super::super::Customization;
use crate::model::{Operation, ServiceModel};
use crate::protocol::RawResponse;

pub(crate) struct OAuth2Errors;

impl Customization for OAuth2Errors {
    fn name(&self) -> &'static str {
        "sso-oidc.oauth2_errors"
    }

    fn before_parse_error(&self, _model: &ServiceModel, _op: &Operation, resp: &mut RawResponse) {
        let Ok(serde_json::Value::Object(mut body)) = serde_json::from_slice(&resp.body) else {
            return; // not JSON: the parser reports what it can
        };
        let text = |v: Option<&serde_json::Value>| {
            v.and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(description) = text(body.get("error_description")) else {
            return;
        };
        if text(body.get("Message")).is_some() || text(body.get("message")).is_some() {
            return;
        }
        body.insert("Message".into(), description.into());
        if let Ok(bytes) = serde_json::to_vec(&body) {
            resp.body = bytes.into();
        }
    }
}

#[cfg(all(test, feature = "sso-oidc"))]
mod tests {
    use super::*;

    fn error(body: &str) -> RawResponse {
        RawResponse {
            status: 400,
            headers: vec![("x-amzn-ErrorType".into(), "InvalidGrantException".into())],
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn the_description_becomes_the_message_unless_there_is_one() {
        let model = ServiceModel::load("sso-oidc").unwrap();
        let op = model.operation("CreateToken").unwrap();
        let mut resp = error(r#"{"error":"invalid_grant","error_description":"Invalid grant"}"#);
        OAuth2Errors.before_parse_error(&model, op, &mut resp);
        let body: serde_json::Value = serde_json::from_slice(&resp.body).unwrap();
        assert_eq!(body["Message"], "Invalid grant");
        assert_eq!(body["error"], "invalid_grant");
        let kept = r#"{"error_description":"d","message":"mine"}"#;
        let mut resp = error(kept);
        OAuth2Errors.before_parse_error(&model, op, &mut resp);
        assert_eq!(&resp.body[..], kept.as_bytes());
        let mut resp = error("<html>");
        OAuth2Errors.before_parse_error(&model, op, &mut resp);
        assert_eq!(&resp.body[..], b"<html>");
    }
}
