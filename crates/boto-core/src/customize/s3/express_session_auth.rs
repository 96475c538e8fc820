//! S3 Express directory buckets normally sign with session credentials from `CreateSession`
//! (the `sigv4-s3express` auth scheme). boto-rs does not implement that handshake yet, so it tells
//! the rules so (`DisableS3ExpressSessionAuth`), and they answer with plain SigV4 for the
//! `s3express` signing name, which the service also accepts.

use super::super::Customization;
use crate::endpoint::Params;
use crate::model::Operation;

pub(crate) struct ExpressSessionAuth;

impl Customization for ExpressSessionAuth {
    fn name(&self) -> &'static str {
        "s3.express_session_auth"
    }

    fn endpoint_params(&self, _op: &Operation, params: &mut Params) {
        params.insert("DisableS3ExpressSessionAuth", true);
    }
}
