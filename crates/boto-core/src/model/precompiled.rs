//! The precompiled form of a service model: the arena of [`ServiceModel`] written as bytes by
//! `cargo xtask precompile` (into `models/<service>/service-2.bin.gz`), so the first client of a
//! process reads it without parsing JSON.
//!
//! Metadata, operations and the error-code table are decoded when the model loads (they are
//! few); each shape is decoded the first time it is asked for, through a table of offsets, so a
//! program that calls three S3 operations materialises a few dozen of its 700 shapes. Models from
//! data folders never come this way: they compile from JSON (`compile.rs`) into the same types.

use super::wire::{Malformed, Read, Reader, Writer};
use super::*;
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"botomdl\0";
/// Bumped whenever the layout changes; a file of another format is refused with a message
/// naming the command that rewrites it.
pub(crate) const FORMAT: u64 = 2;

/// The shapes of a model: decoded ones in their slots, plus the bytes the others come from.
pub(super) struct Shapes {
    // Boxed: a slot is 16 bytes until its shape is decoded, where an inline `Shape` would make
    // every slot of a large model (S3: ~1,500) the full size of one, decoded or not.
    slots: Box<[OnceLock<Box<Shape>>]>,
    packed: Option<Packed>,
}

/// A precompiled model's shape section: `count` fixed-width offsets, then the shapes.
struct Packed {
    bytes: Box<[u8]>,
    table: usize,
    section: usize,
}

impl Shapes {
    /// Shapes that are all decoded already (a model compiled from JSON).
    pub(super) fn decoded(shapes: Vec<Shape>) -> Shapes {
        Shapes {
            slots: shapes
                .into_iter()
                .map(|shape| OnceLock::from(Box::new(shape)))
                .collect(),
            packed: None,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.slots.len()
    }

    /// How many shapes are decoded so far.
    #[cfg(test)]
    pub(super) fn decoded_count(&self) -> usize {
        self.slots.iter().filter(|s| s.get().is_some()).count()
    }

    /// The shape in `slot`, decoded on first use. The bytes were checked when the model loaded
    /// (magic, format, offsets) and `xtask precompile` tests every shape of every model, so a
    /// shape that still does not decode is a defect of the build: it comes back as an
    /// `Unknown` shape (and an error in the log) rather than a panic.
    pub(super) fn get(&self, id: ShapeId) -> &Shape {
        let slot = &self.slots[id.0 as usize];
        slot.get_or_init(|| {
            let decoded = self.packed.as_ref().ok_or(Malformed).and_then(|p| {
                let mut r = Reader::at(&p.bytes, p.offset(id.0 as usize)?);
                shape(&mut r, self.len())
            });
            Box::new(decoded.unwrap_or_else(|_| {
                tracing::error!(shape = id.0, "a precompiled shape does not decode");
                placeholder(id)
            }))
        })
    }

    /// The name of the shape in `slot`, without decoding the rest of it.
    pub(super) fn name(&self, id: ShapeId) -> Option<&str> {
        if let Some(shape) = self.slots[id.0 as usize].get() {
            return Some(&shape.name);
        }
        let p = self.packed.as_ref()?;
        Reader::at(&p.bytes, p.offset(id.0 as usize).ok()?)
            .str()
            .ok()
    }
}

impl Packed {
    fn offset(&self, i: usize) -> Read<usize> {
        let at = self.table + 4 * i;
        let rel = Reader::at(&self.bytes, at).u32_fixed()? as usize;
        Ok(self.section + rel)
    }
}

fn placeholder(id: ShapeId) -> Shape {
    Shape {
        name: format!("<undecodable shape {}>", id.0),
        shape_type: ShapeType::Unknown,
        members: Vec::new(),
        required: Vec::new(),
        member: None,
        key: None,
        value: None,
        enum_values: None,
        min: None,
        max: None,
        payload: None,
        flattened: false,
        location_name: None,
        xml_namespace: None,
        timestamp_format: None,
        streaming: false,
        event_stream: false,
        exception: false,
        error: None,
        sensitive: false,
        document: false,
        union: false,
        requires_length: false,
    }
}

/// The precompiled bytes of `model` (not compressed; the importer gzips them).
pub fn encode(model: &ServiceModel) -> Vec<u8> {
    let mut w = Writer::default();
    w.buf.extend_from_slice(MAGIC);
    w.u64(FORMAT);
    metadata_out(&mut w, &model.metadata);
    let mut codes: Vec<(&String, &ShapeId)> = model.error_codes.iter().collect();
    codes.sort_by_key(|(code, _)| code.as_str());
    w.usize(codes.len());
    for (code, id) in codes {
        w.str(code);
        w.u64(u64::from(id.0));
    }
    w.usize(model.operations.len());
    for op in &model.operations {
        operation_out(&mut w, op);
    }
    let n = model.shapes.len();
    w.usize(n);
    let mut section = Writer::default();
    for i in 0..n {
        w.u32_fixed(section.buf.len() as u32);
        shape_out(&mut section, model.shape(ShapeId(i as u32)));
    }
    w.buf.extend_from_slice(&section.buf);
    w.buf
}

/// A model from its precompiled bytes (decompressed).
pub(super) fn decode(service_name: &str, bytes: Vec<u8>) -> Result<ServiceModel, ModelError> {
    let invalid = |reason: String| ModelError::Invalid {
        service: service_name.to_string(),
        reason,
    };
    let mut r = Reader::new(&bytes);
    if r.bytes(MAGIC.len()).ok() != Some(&MAGIC[..]) {
        return Err(invalid(
            "the precompiled model has no boto-rs header".into(),
        ));
    }
    let format = r.u64().map_err(|_| invalid("truncated header".into()))?;
    if format != FORMAT {
        return Err(invalid(format!(
            "the precompiled model has format {format}, this build reads {FORMAT}: \
             run `cargo xtask precompile`"
        )));
    }
    let malformed =
        |_| invalid("the precompiled model is malformed: run `cargo xtask precompile`".into());
    let (metadata, error_codes, operations, count, table) = (|| {
        let metadata = metadata_in(&mut r)?;
        let n_codes = r.count()?;
        let mut codes = Vec::with_capacity(n_codes);
        for _ in 0..n_codes {
            codes.push((r.string()?, r.u32()?));
        }
        let n_ops = r.count()?;
        let mut ops = Vec::with_capacity(n_ops);
        for _ in 0..n_ops {
            ops.push(operation_in(&mut r)?);
        }
        let count = r.usize()?;
        let table = r.pos();
        r.bytes(count.checked_mul(4).ok_or(Malformed)?)?;
        Ok::<_, Malformed>((metadata, codes, ops, count, table))
    })()
    .map_err(malformed)?;
    let section = table + 4 * count;
    let packed = Packed {
        bytes: bytes.into_boxed_slice(),
        table,
        section,
    };
    // Every offset must land inside the section, and every id must name a shape, so no lookup
    // can index out of bounds later.
    for i in 0..count {
        if packed.offset(i).map_or(true, |o| o >= packed.bytes.len()) {
            return Err(malformed(Malformed));
        }
    }
    let in_range = |id: u32| (id as usize) < count;
    let ids_ok = error_codes.iter().all(|(_, id)| in_range(*id))
        && operations.iter().all(|op| {
            op.input.is_none_or(|i| in_range(i.0))
                && op.output.is_none_or(|i| in_range(i.0))
                && op.errors.iter().all(|i| in_range(i.0))
        });
    if !ids_ok {
        return Err(malformed(Malformed));
    }
    let mut operation_index = HashMap::with_capacity(operations.len() * 2);
    for (i, op) in operations.iter().enumerate() {
        operation_index.insert(op.name.clone(), i);
        operation_index.insert(names::fold_name(&op.name), i);
    }
    Ok(ServiceModel {
        service_name: service_name.to_string(),
        metadata,
        shapes: Shapes {
            slots: (0..count).map(|_| OnceLock::new()).collect(),
            packed: Some(packed),
        },
        shape_index: OnceLock::new(),
        xml_members: OnceLock::new(),
        operations,
        operation_index,
        error_codes: error_codes
            .into_iter()
            .map(|(code, id)| (code, ShapeId(id)))
            .collect(),
        source: ModelSource::default(),
    })
}

fn namespace_out(w: &mut Writer, ns: Option<&XmlNamespace>) {
    match ns {
        None => w.u8(0),
        Some(ns) => {
            w.u8(1);
            w.opt_str(ns.prefix.as_deref());
            w.str(&ns.uri);
        }
    }
}

fn namespace_in(r: &mut Reader) -> Read<Option<XmlNamespace>> {
    Ok(match r.u8()? {
        0 => None,
        1 => Some(XmlNamespace {
            prefix: r.opt_string()?,
            uri: r.string()?,
        }),
        _ => return Err(Malformed),
    })
}

fn timestamp_out(w: &mut Writer, t: Option<TimestampFormat>) {
    w.u8(match t {
        None => 0,
        Some(TimestampFormat::Iso8601) => 1,
        Some(TimestampFormat::Rfc822) => 2,
        Some(TimestampFormat::UnixTimestamp) => 3,
    });
}

fn timestamp_in(r: &mut Reader) -> Read<Option<TimestampFormat>> {
    Ok(match r.u8()? {
        0 => None,
        1 => Some(TimestampFormat::Iso8601),
        2 => Some(TimestampFormat::Rfc822),
        3 => Some(TimestampFormat::UnixTimestamp),
        _ => return Err(Malformed),
    })
}

fn opt_id_out(w: &mut Writer, id: Option<ShapeId>) {
    w.u64(id.map_or(0, |i| u64::from(i.0) + 1));
}

fn opt_id_in(r: &mut Reader) -> Read<Option<ShapeId>> {
    Ok(match r.u32()? {
        0 => None,
        n => Some(ShapeId(n - 1)),
    })
}

/// Packs booleans into one integer, first flag in the lowest bit.
fn flags_out(w: &mut Writer, flags: &[bool]) {
    let bits = flags
        .iter()
        .enumerate()
        .fold(0u64, |acc, (i, f)| acc | (u64::from(*f) << i));
    w.u64(bits);
}

fn flags_in<const N: usize>(r: &mut Reader) -> Read<[bool; N]> {
    let bits = r.u64()?;
    if bits >> N != 0 {
        return Err(Malformed);
    }
    Ok(std::array::from_fn(|i| bits & (1 << i) != 0))
}

const SHAPE_TYPES: [ShapeType; 16] = [
    ShapeType::Structure,
    ShapeType::List,
    ShapeType::Map,
    ShapeType::String,
    ShapeType::Integer,
    ShapeType::Long,
    ShapeType::Short,
    ShapeType::Byte,
    ShapeType::Float,
    ShapeType::Double,
    ShapeType::BigInteger,
    ShapeType::BigDecimal,
    ShapeType::Boolean,
    ShapeType::Blob,
    ShapeType::Timestamp,
    ShapeType::Unknown,
];

const LOCATIONS: [Location; 6] = [
    Location::Body,
    Location::Header,
    Location::Headers,
    Location::Uri,
    Location::Querystring,
    Location::StatusCode,
];

fn member_out(w: &mut Writer, m: &Member) {
    w.str(&m.name);
    w.u64(u64::from(m.target.0));
    w.usize(LOCATIONS.iter().position(|l| *l == m.location).unwrap_or(0));
    w.opt_str(m.location_name.as_deref());
    w.opt_str(m.query_name.as_deref());
    namespace_out(w, m.xml_namespace.as_ref());
    flags_out(
        w,
        &[
            m.xml_attribute,
            m.idempotency_token,
            m.json_value,
            m.host_label,
            m.streaming,
            m.event_payload,
            m.event_header,
            m.deprecated,
        ],
    );
    w.u8(match m.flattened {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    timestamp_out(w, m.timestamp_format);
    w.opt_str(m.context_param.as_deref());
}

fn member_in(r: &mut Reader, shapes: usize) -> Read<Member> {
    let name = r.string()?;
    let target = r.u32()?;
    if target as usize >= shapes {
        return Err(Malformed);
    }
    let location = LOCATIONS.get(r.usize()?).ok_or(Malformed)?.clone();
    let location_name = r.opt_string()?;
    let query_name = r.opt_string()?;
    let xml_namespace = namespace_in(r)?;
    let [xml_attribute, idempotency_token, json_value, host_label, streaming, event_payload, event_header, deprecated] =
        flags_in::<8>(r)?;
    let flattened = match r.u8()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return Err(Malformed),
    };
    Ok(Member {
        name: name.into(),
        target: ShapeId(target),
        location,
        location_name,
        query_name,
        xml_namespace,
        xml_attribute,
        flattened,
        idempotency_token,
        json_value,
        host_label,
        timestamp_format: timestamp_in(r)?,
        streaming,
        event_payload,
        event_header,
        context_param: r.opt_string()?,
        deprecated,
    })
}

fn opt_member_out(w: &mut Writer, m: Option<&Member>) {
    match m {
        None => w.u8(0),
        Some(m) => {
            w.u8(1);
            member_out(w, m);
        }
    }
}

fn opt_member_in(r: &mut Reader, shapes: usize) -> Read<Option<Box<Member>>> {
    Ok(match r.u8()? {
        0 => None,
        1 => Some(Box::new(member_in(r, shapes)?)),
        _ => return Err(Malformed),
    })
}

fn shape_out(w: &mut Writer, s: &Shape) {
    // The name comes first: `Shapes::name` reads only it.
    w.str(&s.name);
    w.usize(
        SHAPE_TYPES
            .iter()
            .position(|t| *t == s.shape_type)
            .unwrap_or(SHAPE_TYPES.len() - 1),
    );
    w.usize(s.members.len());
    for m in &s.members {
        member_out(w, m);
    }
    w.strs(&s.required);
    opt_member_out(w, s.member.as_deref());
    opt_member_out(w, s.key.as_deref());
    opt_member_out(w, s.value.as_deref());
    match &s.enum_values {
        None => w.u8(0),
        Some(values) => {
            w.u8(1);
            w.strs(values);
        }
    }
    w.opt_f64(s.min);
    w.opt_f64(s.max);
    w.opt_str(s.payload.as_deref());
    w.opt_str(s.location_name.as_deref());
    namespace_out(w, s.xml_namespace.as_ref());
    timestamp_out(w, s.timestamp_format);
    flags_out(
        w,
        &[
            s.flattened,
            s.streaming,
            s.event_stream,
            s.exception,
            s.sensitive,
            s.document,
            s.union,
            s.requires_length,
        ],
    );
    match &s.error {
        None => w.u8(0),
        Some(e) => {
            w.u8(1);
            w.opt_str(e.code.as_deref());
            w.u64(e.http_status.map_or(0, |s| u64::from(s) + 1));
            w.bool(e.sender_fault);
        }
    }
}

fn shape(r: &mut Reader, shapes: usize) -> Read<Shape> {
    let name = r.string()?;
    let shape_type = *SHAPE_TYPES.get(r.usize()?).ok_or(Malformed)?;
    let n = r.count()?;
    let mut members = Vec::with_capacity(n);
    for _ in 0..n {
        members.push(member_in(r, shapes)?);
    }
    let required = r.strings()?;
    let member = opt_member_in(r, shapes)?;
    let key = opt_member_in(r, shapes)?;
    let value = opt_member_in(r, shapes)?;
    let enum_values = match r.u8()? {
        0 => None,
        1 => Some(r.strings()?),
        _ => return Err(Malformed),
    };
    let min = r.opt_f64()?;
    let max = r.opt_f64()?;
    let payload = r.opt_string()?;
    let location_name = r.opt_string()?;
    let xml_namespace = namespace_in(r)?;
    let timestamp_format = timestamp_in(r)?;
    let [flattened, streaming, event_stream, exception, sensitive, document, union, requires_length] =
        flags_in::<8>(r)?;
    let error = match r.u8()? {
        0 => None,
        1 => Some(ErrorTrait {
            code: r.opt_string()?,
            http_status: match r.u16()? {
                0 => None,
                n => Some(n - 1),
            },
            sender_fault: r.bool()?,
        }),
        _ => return Err(Malformed),
    };
    Ok(Shape {
        name,
        shape_type,
        members,
        required,
        member,
        key,
        value,
        enum_values,
        min,
        max,
        payload,
        flattened,
        location_name,
        xml_namespace,
        timestamp_format,
        streaming,
        event_stream,
        exception,
        error,
        sensitive,
        document,
        union,
        requires_length,
    })
}

fn json_pairs_out(w: &mut Writer, pairs: &[(String, serde_json::Value)]) {
    w.usize(pairs.len());
    for (k, v) in pairs {
        w.str(k);
        w.json(v);
    }
}

fn json_pairs_in(r: &mut Reader) -> Read<Vec<(String, serde_json::Value)>> {
    let n = r.count()?;
    (0..n).map(|_| Ok((r.string()?, r.json()?))).collect()
}

fn operation_out(w: &mut Writer, op: &Operation) {
    w.str(&op.name);
    w.str(&op.snake_name);
    w.str(&op.http.method);
    w.str(&op.http.path);
    w.usize(op.http.query.len());
    for (k, v) in &op.http.query {
        w.str(k);
        w.opt_str(v.as_deref());
    }
    w.u64(op.http.response_code.map_or(0, |c| u64::from(c) + 1));
    opt_id_out(w, op.input);
    opt_id_out(w, op.output);
    w.opt_str(op.input_location_name.as_deref());
    namespace_out(w, op.input_xml_namespace.as_ref());
    w.opt_str(op.output_result_wrapper.as_deref());
    w.usize(op.errors.len());
    for e in &op.errors {
        w.u64(u64::from(e.0));
    }
    w.opt_str(op.host_prefix.as_deref());
    w.opt_str(op.auth_type.as_deref());
    w.strs(&op.auth);
    flags_out(
        w,
        &[
            op.http_checksum_required,
            op.unsigned_payload,
            op.deprecated,
            op.endpoint_operation,
        ],
    );
    w.u8(match op.endpoint_discovery {
        None => 0,
        Some(false) => 1,
        Some(true) => 2,
    });
    match &op.http_checksum {
        None => w.u8(0),
        Some(c) => {
            w.u8(1);
            w.opt_str(c.request_algorithm_member.as_deref());
            w.bool(c.request_checksum_required);
            w.opt_str(c.request_validation_mode_member.as_deref());
            w.strs(&c.response_algorithms);
        }
    }
    w.strs(&op.request_compression);
    json_pairs_out(w, &op.static_context_params);
    json_pairs_out(w, &op.context_params);
}

fn operation_in(r: &mut Reader) -> Read<Operation> {
    let name = r.string()?;
    let snake_name = r.string()?;
    let method = r.string()?;
    let path = r.string()?;
    let n = r.count()?;
    let mut query = Vec::with_capacity(n);
    for _ in 0..n {
        query.push((r.string()?, r.opt_string()?));
    }
    let response_code = match r.u16()? {
        0 => None,
        c => Some(c - 1),
    };
    let input = opt_id_in(r)?;
    let output = opt_id_in(r)?;
    let input_location_name = r.opt_string()?;
    let input_xml_namespace = namespace_in(r)?;
    let output_result_wrapper = r.opt_string()?;
    let n = r.count()?;
    let errors = (0..n)
        .map(|_| r.u32().map(ShapeId))
        .collect::<Read<Vec<_>>>()?;
    let host_prefix = r.opt_string()?;
    let auth_type = r.opt_string()?;
    let auth = r.strings()?;
    let [http_checksum_required, unsigned_payload, deprecated, endpoint_operation] =
        flags_in::<4>(r)?;
    let endpoint_discovery = match r.u8()? {
        0 => None,
        1 => Some(false),
        2 => Some(true),
        _ => return Err(Malformed),
    };
    let http_checksum = match r.u8()? {
        0 => None,
        1 => Some(HttpChecksum {
            request_algorithm_member: r.opt_string()?,
            request_checksum_required: r.bool()?,
            request_validation_mode_member: r.opt_string()?,
            response_algorithms: r.strings()?,
        }),
        _ => return Err(Malformed),
    };
    Ok(Operation {
        name,
        snake_name,
        http: HttpBinding {
            method,
            path,
            query,
            response_code,
        },
        input,
        output,
        input_location_name,
        input_xml_namespace,
        output_result_wrapper,
        errors,
        host_prefix,
        auth_type,
        auth,
        http_checksum_required,
        http_checksum,
        unsigned_payload,
        request_compression: r.strings()?,
        endpoint_discovery,
        endpoint_operation,
        deprecated,
        static_context_params: json_pairs_in(r)?,
        context_params: json_pairs_in(r)?,
    })
}

fn metadata_out(w: &mut Writer, m: &Metadata) {
    w.str(&m.api_version);
    w.str(&m.endpoint_prefix);
    w.str(m.protocol.name());
    w.strs(&m.protocols);
    w.opt_str(m.json_version.as_deref());
    w.opt_str(m.target_prefix.as_deref());
    w.str(&m.service_id);
    w.opt_str(m.service_full_name.as_deref());
    w.opt_str(m.signature_version.as_deref());
    w.opt_str(m.signing_name.as_deref());
    w.opt_str(m.global_endpoint.as_deref());
    w.opt_str(m.xml_namespace.as_deref());
    w.opt_str(m.uid.as_deref());
    w.bool(m.aws_query_compatible);
    w.strs(&m.auth);
}

fn metadata_in(r: &mut Reader) -> Read<Metadata> {
    Ok(Metadata {
        api_version: r.string()?,
        endpoint_prefix: r.string()?,
        protocol: Protocol::from_name(r.str()?).ok_or(Malformed)?,
        protocols: r.strings()?,
        json_version: r.opt_string()?,
        target_prefix: r.opt_string()?,
        service_id: r.string()?,
        service_full_name: r.opt_string()?,
        signature_version: r.opt_string()?,
        signing_name: r.opt_string()?,
        global_endpoint: r.opt_string()?,
        xml_namespace: r.opt_string()?,
        uid: r.opt_string()?,
        aws_query_compatible: r.bool()?,
        auth: r.strings()?,
    })
}
