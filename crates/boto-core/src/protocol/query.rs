//! The query and ec2 protocols: form-encoded `Action`/`Version` requests, XML responses.

use super::{uri, ProtocolError, RawResponse, RequestBody, SerializedRequest};
use crate::document::Document;
use crate::model::{
    Member, Operation, Protocol, ServiceModel, ShapeId, ShapeType, TimestampFormat,
};

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

struct Writer<'a> {
    model: &'a ServiceModel,
    ec2: bool,
    pairs: Vec<(String, String)>,
}

impl Writer<'_> {
    fn member_name(&self, m: &Member) -> String {
        if self.ec2 {
            if let Some(q) = &m.query_name {
                return q.clone();
            }
            return capitalize(m.location_name.as_deref().unwrap_or(&m.name));
        }
        m.wire_name().to_string()
    }

    fn value(
        &mut self,
        prefix: &str,
        member: Option<&Member>,
        shape_id: ShapeId,
        value: &Document,
    ) -> Result<(), ProtocolError> {
        let shape = self.model.shape(shape_id);
        match (shape.shape_type, value) {
            (_, Document::Null) => {}
            (ShapeType::Structure, Document::Map(values)) => {
                for (k, v) in values {
                    let Some(m) = shape.member_named(k) else {
                        continue;
                    };
                    let name = self.member_name(m);
                    let p = if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}.{name}")
                    };
                    self.value(&p, Some(m), m.target, v)?;
                }
            }
            (ShapeType::List, Document::List(items)) => {
                let Some(item) = shape.member.as_deref() else {
                    return Ok(());
                };
                if items.is_empty() {
                    if !self.ec2 {
                        self.pairs.push((prefix.to_string(), String::new()));
                    }
                    return Ok(());
                }
                let flattened = member.and_then(|m| m.flattened).unwrap_or(shape.flattened);
                let list_prefix = if self.ec2 {
                    prefix.to_string()
                } else if flattened {
                    match &item.location_name {
                        Some(n) => match prefix.rsplit_once('.') {
                            Some((head, _)) => format!("{head}.{n}"),
                            None => n.clone(),
                        },
                        None => prefix.to_string(),
                    }
                } else {
                    format!(
                        "{prefix}.{}",
                        item.location_name.as_deref().unwrap_or("member")
                    )
                };
                for (i, v) in items.iter().enumerate() {
                    self.value(
                        &format!("{list_prefix}.{}", i + 1),
                        Some(item),
                        item.target,
                        v,
                    )?;
                }
            }
            (ShapeType::Map, Document::Map(entries)) => {
                let (Some(k), Some(val)) = (shape.key.as_deref(), shape.value.as_deref()) else {
                    return Ok(());
                };
                let flattened = member.and_then(|m| m.flattened).unwrap_or(shape.flattened);
                let base = if flattened {
                    prefix.to_string()
                } else {
                    format!("{prefix}.entry")
                };
                for (i, (key, v)) in entries.iter().enumerate() {
                    let entry = format!("{base}.{}", i + 1);
                    let kname = k.location_name.as_deref().unwrap_or("key");
                    let vname = val.location_name.as_deref().unwrap_or("value");
                    self.pairs
                        .push((format!("{entry}.{kname}"), key.to_string()));
                    self.value(&format!("{entry}.{vname}"), Some(val), val.target, v)?;
                }
            }
            (t, v) => {
                let fmt = super::scalar::ts_format(
                    self.model,
                    member,
                    shape_id,
                    TimestampFormat::Iso8601,
                );
                let text = super::scalar::scalar_text(t, v, fmt).ok_or_else(|| {
                    ProtocolError::Serialize(format!(
                        "{prefix}: a {} cannot be form-encoded",
                        v.kind()
                    ))
                })?;
                self.pairs.push((prefix.to_string(), text));
            }
        }
        Ok(())
    }
}

pub(super) fn serialize(
    model: &ServiceModel,
    op: &Operation,
    input: &Document,
) -> Result<SerializedRequest, ProtocolError> {
    let mut w = Writer {
        model,
        ec2: model.metadata().protocol == Protocol::Ec2,
        pairs: vec![
            ("Action".to_string(), op.name.clone()),
            ("Version".to_string(), model.metadata().api_version.clone()),
        ],
    };
    if let Some(id) = op.input {
        w.value("", None, id, input)?;
    }
    let mut body = String::new();
    for (k, v) in &w.pairs {
        if !body.is_empty() {
            body.push('&');
        }
        uri::encode_into(&mut body, k, false);
        body.push('=');
        uri::encode_into(&mut body, v, false);
    }
    let mut req = SerializedRequest {
        method: "POST".into(),
        path: op.http.path.clone(),
        body: RequestBody::Bytes(body.into_bytes().into()),
        headers: super::request_headers(),
        ..Default::default()
    };
    req.header(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    Ok(req)
}

pub(super) fn parse(
    model: &ServiceModel,
    op: &Operation,
    resp: &RawResponse,
) -> Result<Document, ProtocolError> {
    let Some(id) = super::output_to_parse(op, resp) else {
        return Ok(Document::map());
    };
    Ok(Document::Map(super::xml_stream::read_body_structure(
        model,
        id,
        &resp.body,
        op.output_result_wrapper.as_deref(),
        &|_| false,
    )?))
}
