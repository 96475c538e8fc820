//! A bucket lives in one region, and S3 refuses requests for it that reach or are signed for
//! another: `301 PermanentRedirect`, `400 AuthorizationHeaderMalformed` (naming the `Region`),
//! `400 IllegalLocationConstraintException` (opt-in regions), or a bodiless `301`/`400` to a
//! HEAD. botocore's `S3RegionRedirectorv2` then sends the request once more, to the bucket's
//! region, and remembers that region per client for the bucket's later calls. The region comes
//! from the `x-amz-bucket-region` header, else the error's `Region`, else a `HeadBucket`.
//! Access-point ARNs name their region themselves and are never redirected.

use super::super::{Customization, Redirect};
use crate::doc;
use crate::document::Document;
use crate::model::Operation;
use crate::protocol::{RawResponse, ServiceError};

pub(crate) struct RegionRedirect;

const REGION_HEADER: &str = "x-amz-bucket-region";

/// The `<Region>` of an S3 error document.
fn region_in_body(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Region>")? + "<Region>".len();
    let end = start + text[start..].find("</Region>")?;
    let region = text[start..end].trim();
    (!region.is_empty()).then(|| region.to_string())
}

impl Customization for RegionRedirect {
    fn name(&self) -> &'static str {
        "s3.region_redirect"
    }

    fn region_key(&self, _op: &Operation, input: &Document) -> Option<crate::document::Name> {
        let bucket = input["Bucket"].as_str()?;
        (!bucket.starts_with("arn:")).then(|| bucket.into())
    }

    fn redirect(
        &self,
        op: &Operation,
        given: &Document,
        error: &ServiceError,
        resp: &RawResponse,
    ) -> Option<Redirect> {
        let bucket = self.region_key(op, given)?;
        let code = error.code.as_str();
        let header = resp.header(REGION_HEADER).filter(|r| !r.is_empty());
        let body_region = region_in_body(&resp.body);
        let bare_head = matches!(code, "301" | "400");
        let wrong_region = (bare_head && op.name == "HeadObject")
            || (bare_head && op.name == "HeadBucket" && header.is_some())
            || (code == "AuthorizationHeaderMalformed" && body_region.is_some())
            || matches!(resp.status, 301 | 302 | 307)
            || code == "PermanentRedirect"
            || (code == "IllegalLocationConstraintException" && op.name != "CreateBucket");
        if !wrong_region {
            return None;
        }
        Some(match header.map(str::to_string).or(body_region) {
            Some(region) => Redirect::To(region),
            None => Redirect::Probe {
                operation: "HeadBucket",
                input: doc! {"Bucket": bucket},
                header: REGION_HEADER,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceModel;

    fn error(code: &str, status: u16) -> ServiceError {
        ServiceError {
            code: code.into(),
            message: None,
            request_id: None,
            status,
            error_type: None,
            shape: None,
            fields: Document::Null,
            operation: None,
        }
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).into(), v.to_string()))
                .collect(),
            body: body.to_string().into(),
        }
    }

    #[test]
    fn redirects_as_botocore_decides() {
        let s3 = ServiceModel::load("s3").unwrap();
        let get = s3.operation("GetObject").unwrap();
        let head = s3.operation("HeadObject").unwrap();
        let create = s3.operation("CreateBucket").unwrap();
        let input = doc! {"Bucket": "b", "Key": "k"};
        let r = RegionRedirect;
        let moved = resp(301, &[("x-amz-bucket-region", "eu-west-1")], "");
        assert_eq!(
            r.redirect(get, &input, &error("PermanentRedirect", 301), &moved),
            Some(Redirect::To("eu-west-1".into()))
        );
        let malformed = resp(
            400,
            &[],
            "<Error><Code>AuthorizationHeaderMalformed</Code><Region>us-west-2</Region></Error>",
        );
        assert_eq!(
            r.redirect(
                get,
                &input,
                &error("AuthorizationHeaderMalformed", 400),
                &malformed
            ),
            Some(Redirect::To("us-west-2".into()))
        );
        // Bodiless HEAD: the region is asked for.
        assert!(matches!(
            r.redirect(head, &input, &error("400", 400), &resp(400, &[], "")),
            Some(Redirect::Probe {
                operation: "HeadBucket",
                ..
            })
        ));
        let opt_in = error("IllegalLocationConstraintException", 400);
        assert!(r
            .redirect(create, &input, &opt_in, &resp(400, &[], ""))
            .is_none());
        assert!(r
            .redirect(get, &input, &error("NoSuchKey", 404), &resp(404, &[], ""))
            .is_none());
        let arn = doc! {"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/ap", "Key": "k"};
        assert!(r
            .redirect(get, &arn, &error("PermanentRedirect", 301), &moved)
            .is_none());
    }
}
