//! API Gateway's customizations.

mod accept_json;

pub(super) use accept_json::AcceptJson;
