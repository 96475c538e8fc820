//! The precompiled form of a rule set: a compiled [`RuleSet`] (slots, split templates, parsed
//! attribute paths) written as bytes by `cargo xtask precompile` into
//! `models/<service>/endpoint-rule-set-1.bin.gz`, so the first call of a process decodes the
//! tree directly instead of parsing JSON and compiling it. Rule sets from data folders still
//! compile from JSON (`rules.rs`) into the same types.
//!
//! Each tree rule's children are written with their length in front, so decoding skips them;
//! they are decoded when an evaluation first enters the tree (`Subtree::rules`).

use std::sync::Arc;

use super::rules::{
    AttrPath, AttrSegment, Call, EndpointSpec, Expr, Func, PackedRules, ParameterSpec,
    ParameterType, Prop, Rule, RuleKind, RuleSet, Subtree, Template, TemplatePart,
};
use super::EndpointError;
use crate::model::wire::{Malformed, Read, Reader, Writer};

const MAGIC: &[u8; 8] = b"botoeps\0";
/// Bumped whenever the layout changes.
const FORMAT: u64 = 2;
/// Deepest nesting a reader follows (compiled rule sets are limited to 200 on the JSON side).
const MAX_DEPTH: usize = 400;

impl RuleSet {
    /// The precompiled bytes of this rule set (not compressed), as `cargo xtask precompile`
    /// writes them; [`RuleSet::from_precompiled`] reads them back.
    ///
    /// ```
    /// use boto_core::endpoint::RuleSet;
    /// let rules = RuleSet::from_json_str(r#"{"version": "1.0", "parameters": {},
    ///     "rules": [{"conditions": [], "type": "endpoint", "endpoint": {"url": "https://x"}}]}"#)
    ///     .unwrap();
    /// let again = RuleSet::from_precompiled(&rules.to_precompiled()).unwrap();
    /// assert_eq!(again.version(), "1.0");
    /// ```
    pub fn to_precompiled(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.buf.extend_from_slice(MAGIC);
        w.u64(FORMAT);
        w.str(&self.version);
        w.usize(self.params.len());
        for p in &self.params {
            parameter_out(&mut w, p);
        }
        w.strs(&self.slot_names);
        rules_out(&mut w, &self.rules);
        w.buf
    }

    /// The rule set embedded for `service`, decoded from its precompiled form (each call decodes
    /// anew; clients keep theirs per process). `Ok(None)` when this build embeds no rule set
    /// for `service`.
    ///
    /// ```
    /// use boto_core::endpoint::RuleSet;
    /// let rules = RuleSet::embedded("sqs").unwrap().expect("sqs is embedded by default");
    /// assert!(rules.parameter_for_builtin("AWS::Region").is_some());
    /// assert!(RuleSet::embedded("no-such-service").unwrap().is_none());
    /// ```
    pub fn embedded(service: &str) -> Result<Option<RuleSet>, EndpointError> {
        match crate::model::precompiled_rule_set(service) {
            None => Ok(None),
            Some(Err(e)) => Err(EndpointError::InvalidRuleSet(e.to_string())),
            Some(Ok(bytes)) => RuleSet::from_precompiled(&bytes).map(Some),
        }
    }

    /// A rule set from its precompiled bytes; bytes of another format version, or malformed
    /// ones, are [`EndpointError::InvalidRuleSet`].
    pub fn from_precompiled(bytes: &[u8]) -> Result<RuleSet, EndpointError> {
        let mut r = Reader::new(bytes);
        if r.bytes(MAGIC.len()).ok() != Some(&MAGIC[..]) {
            return Err(invalid("the precompiled rule set has no boto-rs header"));
        }
        match r.u64() {
            Ok(FORMAT) => {}
            Ok(other) => {
                return Err(invalid(&format!(
                    "the precompiled rule set has format {other}, this build reads {FORMAT}: \
                     run `cargo xtask precompile`"
                )))
            }
            Err(_) => return Err(invalid("truncated header")),
        }
        let shared: Arc<[u8]> = Arc::from(bytes);
        let read = |r: &mut Reader| -> Read<RuleSet> {
            let version = r.string()?;
            let n = r.count()?;
            let params = (0..n).map(|_| parameter_in(r)).collect::<Read<Vec<_>>>()?;
            let slot_names = r.strings()?;
            let rules = rules_in(r, &shared, 0, 0)?;
            Ok(RuleSet {
                version,
                params,
                slot_names,
                rules,
            })
        };
        match read(&mut r) {
            Ok(rules) if r.is_done() => Ok(rules),
            _ => Err(invalid(
                "the precompiled rule set is malformed: run `cargo xtask precompile`",
            )),
        }
    }
}

fn invalid(msg: &str) -> EndpointError {
    EndpointError::InvalidRuleSet(msg.to_string())
}

fn deeper(depth: usize) -> Read<usize> {
    if depth >= MAX_DEPTH {
        return Err(Malformed);
    }
    Ok(depth + 1)
}

fn parameter_out(w: &mut Writer, p: &ParameterSpec) {
    w.str(&p.name);
    w.u8(match p.ty {
        ParameterType::String => 0,
        ParameterType::Boolean => 1,
        ParameterType::StringArray => 2,
    });
    w.opt_str(p.builtin.as_deref());
    w.opt_json(p.default.as_ref());
    w.bool(p.required);
    w.opt_str(p.documentation.as_deref());
    w.opt_json(p.deprecated.as_ref());
}

fn parameter_in(r: &mut Reader) -> Read<ParameterSpec> {
    Ok(ParameterSpec {
        name: r.string()?,
        ty: match r.u8()? {
            0 => ParameterType::String,
            1 => ParameterType::Boolean,
            2 => ParameterType::StringArray,
            _ => return Err(Malformed),
        },
        builtin: r.opt_string()?,
        default: r.opt_json()?,
        required: r.bool()?,
        documentation: r.opt_string()?,
        deprecated: r.opt_json()?,
    })
}

/// The rules of a packed subtree.
pub(super) fn subtree(p: &PackedRules) -> Read<Vec<Rule>> {
    let mut r = Reader::new(p.bytes.get(p.start..p.end).ok_or(Malformed)?);
    let rules = rules_in(&mut r, &p.bytes, p.start, p.depth)?;
    if !r.is_done() {
        return Err(Malformed);
    }
    Ok(rules)
}

fn rules_out(w: &mut Writer, rules: &[Rule]) {
    w.usize(rules.len());
    for rule in rules {
        w.usize(rule.conditions.len());
        for c in &rule.conditions {
            call_out(w, c);
        }
        match &rule.kind {
            RuleKind::Endpoint(ep) => {
                w.u8(0);
                endpoint_out(w, ep);
            }
            RuleKind::Error(e) => {
                w.u8(1);
                expr_out(w, e);
            }
            RuleKind::Tree(subtree) => {
                w.u8(2);
                let mut inner = Writer::default();
                rules_out(&mut inner, subtree.rules());
                w.usize(inner.buf.len());
                w.buf.extend_from_slice(&inner.buf);
            }
        }
    }
}

/// Reads a list of rules; `r` reads `shared` from offset `base` on (so a nested subtree can be
/// found again in `shared`).
fn rules_in(r: &mut Reader, shared: &Arc<[u8]>, base: usize, depth: usize) -> Read<Vec<Rule>> {
    let depth = deeper(depth)?;
    let n = r.count()?;
    let mut rules = Vec::with_capacity(n);
    for _ in 0..n {
        let k = r.count()?;
        let conditions = (0..k)
            .map(|_| call_in(r, depth))
            .collect::<Read<Vec<_>>>()?;
        let kind = match r.u8()? {
            0 => RuleKind::Endpoint(Box::new(endpoint_in(r, depth)?)),
            1 => RuleKind::Error(expr_in(r, depth)?),
            2 => {
                let len = r.usize()?;
                let start = base + r.pos();
                r.bytes(len)?;
                RuleKind::Tree(Subtree::packed(PackedRules {
                    bytes: shared.clone(),
                    start,
                    end: start + len,
                    depth,
                }))
            }
            _ => return Err(Malformed),
        };
        rules.push(Rule { conditions, kind });
    }
    Ok(rules)
}

fn endpoint_out(w: &mut Writer, ep: &EndpointSpec) {
    expr_out(w, &ep.url);
    w.usize(ep.properties.len());
    for (k, p) in &ep.properties {
        w.str(k);
        prop_out(w, p);
    }
    w.usize(ep.headers.len());
    for (name, values) in &ep.headers {
        w.str(name);
        w.usize(values.len());
        for v in values {
            expr_out(w, v);
        }
    }
}

fn endpoint_in(r: &mut Reader, depth: usize) -> Read<EndpointSpec> {
    let url = expr_in(r, depth)?;
    let n = r.count()?;
    let properties = (0..n)
        .map(|_| Ok((r.string()?, prop_in(r, depth)?)))
        .collect::<Read<Vec<_>>>()?;
    let n = r.count()?;
    let mut headers = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let k = r.count()?;
        let values = (0..k)
            .map(|_| expr_in(r, depth))
            .collect::<Read<Vec<_>>>()?;
        headers.push((name, values));
    }
    Ok(EndpointSpec {
        url,
        properties,
        headers,
    })
}

fn prop_out(w: &mut Writer, p: &Prop) {
    match p {
        Prop::Static(v) => {
            w.u8(0);
            w.json(v);
        }
        Prop::Template(t) => {
            w.u8(1);
            template_out(w, t);
        }
        Prop::Array(items) => {
            w.u8(2);
            w.usize(items.len());
            for item in items {
                prop_out(w, item);
            }
        }
        Prop::Object(pairs) => {
            w.u8(3);
            w.usize(pairs.len());
            for (k, v) in pairs {
                w.str(k);
                prop_out(w, v);
            }
        }
    }
}

fn prop_in(r: &mut Reader, depth: usize) -> Read<Prop> {
    let depth = deeper(depth)?;
    Ok(match r.u8()? {
        0 => Prop::Static(r.json()?),
        1 => Prop::Template(template_in(r)?),
        2 => {
            let n = r.count()?;
            Prop::Array(
                (0..n)
                    .map(|_| prop_in(r, depth))
                    .collect::<Read<Vec<_>>>()?,
            )
        }
        3 => {
            let n = r.count()?;
            Prop::Object(
                (0..n)
                    .map(|_| Ok((r.string()?, prop_in(r, depth)?)))
                    .collect::<Read<Vec<_>>>()?,
            )
        }
        _ => return Err(Malformed),
    })
}

fn expr_out(w: &mut Writer, e: &Expr) {
    match e {
        Expr::Literal(v) => {
            w.u8(0);
            w.json(v);
        }
        Expr::Ref(slot) => {
            w.u8(1);
            w.usize(*slot);
        }
        Expr::Template(t) => {
            w.u8(2);
            template_out(w, t);
        }
        Expr::Call(c) => {
            w.u8(3);
            call_out(w, c);
        }
    }
}

fn expr_in(r: &mut Reader, depth: usize) -> Read<Expr> {
    let depth = deeper(depth)?;
    Ok(match r.u8()? {
        0 => Expr::Literal(r.json()?),
        1 => Expr::Ref(r.usize()?),
        2 => Expr::Template(template_in(r)?),
        3 => Expr::Call(Box::new(call_in(r, depth)?)),
        _ => return Err(Malformed),
    })
}

/// Function codes, in a fixed order (`GetAttr` carries its pre-parsed path after the code).
const FUNCS: [&str; 15] = [
    "isSet",
    "not",
    "getAttr",
    "substring",
    "stringEquals",
    "booleanEquals",
    "uriEncode",
    "parseURL",
    "isValidHostLabel",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
    "coalesce",
    "split",
    "ite",
];

fn func_code(f: &Func) -> u8 {
    match f {
        Func::IsSet => 0,
        Func::Not => 1,
        Func::GetAttr(_) => 2,
        Func::Substring => 3,
        Func::StringEquals => 4,
        Func::BooleanEquals => 5,
        Func::UriEncode => 6,
        Func::ParseUrl => 7,
        Func::IsValidHostLabel => 8,
        Func::Partition => 9,
        Func::ParseArn => 10,
        Func::IsVirtualHostableS3Bucket => 11,
        Func::Coalesce => 12,
        Func::Split => 13,
        Func::Ite => 14,
    }
}

fn call_out(w: &mut Writer, c: &Call) {
    w.u8(func_code(&c.func));
    if let Func::GetAttr(path) = &c.func {
        match path {
            None => w.u8(0),
            Some(path) => {
                w.u8(1);
                attr_path_out(w, path);
            }
        }
    }
    w.usize(c.args.len());
    for a in &c.args {
        expr_out(w, a);
    }
    w.u64(c.assign.map_or(0, |s| s as u64 + 1));
}

fn call_in(r: &mut Reader, depth: usize) -> Read<Call> {
    let depth = deeper(depth)?;
    let code = r.u8()?;
    let name = FUNCS.get(code as usize).ok_or(Malformed)?;
    let (mut func, _, _) = Func::from_name(name).ok_or(Malformed)?;
    if let Func::GetAttr(path) = &mut func {
        *path = match r.u8()? {
            0 => None,
            1 => Some(attr_path_in(r)?),
            _ => return Err(Malformed),
        };
    }
    let n = r.count()?;
    let args = (0..n)
        .map(|_| expr_in(r, depth))
        .collect::<Read<Vec<_>>>()?;
    let assign = match r.usize()? {
        0 => None,
        s => Some(s - 1),
    };
    Ok(Call { func, args, assign })
}

fn template_out(w: &mut Writer, t: &Template) {
    w.usize(t.parts.len());
    for part in &t.parts {
        match part {
            TemplatePart::Literal(s) => {
                w.u8(0);
                w.str(s);
            }
            TemplatePart::Var { slot, attrs } => {
                w.u8(1);
                w.usize(*slot);
                w.strs(attrs);
            }
        }
    }
}

fn template_in(r: &mut Reader) -> Read<Template> {
    let n = r.count()?;
    let mut parts = Vec::with_capacity(n);
    for _ in 0..n {
        parts.push(match r.u8()? {
            0 => TemplatePart::Literal(r.string()?),
            1 => TemplatePart::Var {
                slot: r.usize()?,
                attrs: r.strings()?,
            },
            _ => return Err(Malformed),
        });
    }
    Ok(Template { parts })
}

fn attr_path_out(w: &mut Writer, p: &AttrPath) {
    w.usize(p.segments.len());
    for s in &p.segments {
        match s {
            AttrSegment::Key(k) => {
                w.u8(0);
                w.str(k);
            }
            AttrSegment::Index { name, index } => {
                w.u8(1);
                w.opt_str(name.as_deref());
                w.usize(*index);
            }
        }
    }
}

fn attr_path_in(r: &mut Reader) -> Read<AttrPath> {
    let n = r.count()?;
    let mut segments = Vec::with_capacity(n);
    for _ in 0..n {
        segments.push(match r.u8()? {
            0 => AttrSegment::Key(r.string()?),
            1 => AttrSegment::Index {
                name: r.opt_string()?,
                index: r.usize()?,
            },
            _ => return Err(Malformed),
        });
    }
    Ok(AttrPath { segments })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every function code maps back to the function it was written for.
    #[test]
    fn function_codes_round_trip() {
        for (code, name) in FUNCS.iter().enumerate() {
            let (func, _, _) = Func::from_name(name).unwrap();
            assert_eq!(func_code(&func) as usize, code, "{name}");
        }
    }

    /// Counts (decoded, all) subtrees, looking only into decoded ones.
    fn subtrees(rules: &[Rule]) -> (usize, usize) {
        let mut counts = (0, 0);
        for rule in rules {
            if let RuleKind::Tree(t) = &rule.kind {
                counts.1 += 1;
                if t.is_decoded() {
                    counts.0 += 1;
                    let (d, a) = subtrees(t.rules());
                    counts = (counts.0 + d, counts.1 + a);
                }
            }
        }
        counts
    }

    #[test]
    fn a_first_resolution_decodes_only_the_trees_it_enters() {
        let json = crate::model::data_file("s3", "endpoint-rule-set-1")
            .unwrap()
            .unwrap();
        let compiled = RuleSet::from_json(&json).unwrap();
        let rules = RuleSet::embedded("s3").unwrap().unwrap();
        assert_eq!(
            subtrees(&rules.rules).0,
            0,
            "nothing decoded before a resolution"
        );
        let partitions =
            super::super::Partitions::from_json_str(&crate::model::partitions_json().unwrap())
                .unwrap();
        let params = super::super::Params::new()
            .with("Region", "us-west-2")
            .with("Bucket", "examplebucket")
            .with("UseFIPS", false)
            .with("UseDualStack", false)
            .with("Accelerate", false)
            .with("ForcePathStyle", false);
        let lazy = rules.resolve(&partitions, &params).unwrap();
        assert_eq!(lazy, compiled.resolve(&partitions, &params).unwrap());
        let (decoded, seen) = subtrees(&rules.rules);
        assert!(
            decoded > 0 && decoded < seen,
            "{decoded} of {seen} subtrees decoded"
        );
        // Everything decodes to what the JSON compiles to.
        assert_eq!(format!("{rules:?}"), format!("{compiled:?}"));
    }

    #[test]
    fn bad_bytes_are_errors() {
        let rules = RuleSet::from_json(&serde_json::json!({
            "version": "1.0",
            "parameters": {"Region": {"type": "string", "builtIn": "AWS::Region"}},
            "rules": [{"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                       "type": "endpoint", "endpoint": {"url": "https://{Region}.x"}}]
        }))
        .unwrap();
        let bytes = rules.to_precompiled();
        for cut in 0..bytes.len() {
            assert!(
                RuleSet::from_precompiled(&bytes[..cut]).is_err(),
                "cut {cut}"
            );
        }
        let mut other = bytes.clone();
        other[MAGIC.len()] = 9;
        let err = RuleSet::from_precompiled(&other).unwrap_err().to_string();
        assert!(
            err.contains("format 9") && err.contains("xtask precompile"),
            "{err}"
        );
        let again = RuleSet::from_precompiled(&bytes).unwrap();
        assert_eq!(format!("{again:?}"), format!("{rules:?}"));
    }
}
