//! URLs presigned for another region that a call carries in its input, as a customization's
//! [`cross_region_presign`](crate::customize::Customization::cross_region_presign) asks: the
//! same operation, prepared for that region (its endpoint and signing scope), stopped at
//! signing into the query string, sent as a `GET`.

use super::invoke::{move_form_body_into_query, plan};
use super::prepare::{prepare, Purpose};
use super::sign::sign;
use super::{redirect, ClientConfig, SdkError, ServiceClient};
use crate::customize::{self, CrossRegionPresign};
use crate::document::Document;
use crate::protocol::uri;
use tracing::Instrument;

/// Fills in the members the service's customizations presign, before the call is prepared.
pub(super) async fn fill(
    client: &ServiceClient,
    config: &ClientConfig,
    operation: &str,
    input: &mut Document,
) -> Result<(), SdkError> {
    let model = &client.inner.model;
    let Ok(op) = model.operation(operation) else {
        return Ok(()); // prepare reports it
    };
    for c in customize::for_service(model.service_name(), config) {
        let Some(request) = c.cross_region_presign(op, config.region.as_deref(), input) else {
            continue;
        };
        let member = request.member;
        let url = presign(client, config, operation, request)
            .instrument(tracing::debug_span!("cross_region_presign", member))
            .await?;
        input.set(member, url);
    }
    Ok(())
}

async fn presign(
    client: &ServiceClient,
    config: &ClientConfig,
    operation: &str,
    request: CrossRegionPresign,
) -> Result<String, SdkError> {
    let moved = redirect::in_region(config, &request.region);
    let purpose = Purpose::Presign {
        expires_in: request.expires_in,
    };
    let model = &client.inner.model;
    let mut prepared = prepare(model, &moved, operation, request.input, None, purpose).await?;
    move_form_body_into_query(&mut prepared);
    for (name, value) in &request.extra_query {
        let url = &mut prepared.url;
        url.push(if url.contains('?') { '&' } else { '?' });
        uri::encode_into(url, name, false);
        url.push('=');
        uri::encode_into(url, value, false);
    }
    prepared.request.method = "GET".into();
    let plan = plan(&prepared, purpose)?;
    Ok(sign(client, &prepared, &plan)
        .await?
        .into_url(&prepared.url))
}
