//! The compiled rule set and its parser.
//!
//! Compilation resolves everything evaluation would otherwise redo per call: each variable name
//! (parameters and `assign` targets) becomes a slot index, templates are split into literal and
//! variable parts, `getAttr` paths are parsed, function names are mapped to an enum and their
//! arity is checked.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value as Json};

use super::EndpointError;

/// Deepest nesting of rules / expressions / literals accepted.
const MAX_DEPTH: usize = 200;

/// The declared type of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

/// A parameter declared by a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSpec {
    pub(crate) name: String,
    pub(crate) ty: ParameterType,
    pub(crate) builtin: Option<String>,
    pub(crate) default: Option<Json>,
    pub(crate) required: bool,
    pub(crate) documentation: Option<String>,
    pub(crate) deprecated: Option<Json>,
}

impl ParameterSpec {
    /// The parameter name, e.g. `Region`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The declared type.
    pub fn parameter_type(&self) -> ParameterType {
        self.ty
    }

    /// The built-in it is bound to, e.g. `AWS::Region`, `AWS::UseFIPS`, `SDK::Endpoint`.
    pub fn builtin(&self) -> Option<&str> {
        self.builtin.as_deref()
    }

    /// The default value (used when the parameter is not given).
    pub fn default_value(&self) -> Option<&Json> {
        self.default.as_ref()
    }

    /// Whether the parameter must have a value (given or default).
    pub fn required(&self) -> bool {
        self.required
    }

    /// The documentation string.
    pub fn documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// The `deprecated` object (`message`, `since`), if any.
    pub fn deprecated(&self) -> Option<&Json> {
        self.deprecated.as_ref()
    }
}

/// A compiled endpoint rule set (`endpoint-rule-set-1.json`). Compile once, resolve many times.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) version: String,
    /// Parameter `i` lives in slot `i`.
    pub(crate) params: Vec<ParameterSpec>,
    /// Name of every slot (parameters first, then assigned variables).
    pub(crate) slot_names: Vec<String>,
    pub(crate) rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) conditions: Vec<Call>,
    pub(crate) kind: RuleKind,
}

#[derive(Debug, Clone)]
pub(crate) enum RuleKind {
    Endpoint(Box<EndpointSpec>),
    Error(Expr),
    Tree(Subtree),
}

/// The rules of a tree rule. From JSON they are compiled with the rest; from the precompiled
/// form they stay bytes until an evaluation first reaches them, so a first call decodes only
/// the branches its parameters lead into.
#[derive(Clone)]
pub(crate) struct Subtree {
    rules: OnceLock<Vec<Rule>>,
    packed: Option<PackedRules>,
}

/// Where a subtree's rules are in a precompiled rule set.
#[derive(Clone)]
pub(crate) struct PackedRules {
    pub(crate) bytes: Arc<[u8]>,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) depth: usize,
}

impl Subtree {
    pub(crate) fn compiled(rules: Vec<Rule>) -> Subtree {
        Subtree {
            rules: OnceLock::from(rules),
            packed: None,
        }
    }

    pub(crate) fn packed(packed: PackedRules) -> Subtree {
        Subtree {
            rules: OnceLock::new(),
            packed: Some(packed),
        }
    }

    /// The rules, decoded on first use. The precompiled bytes are checked by a test against
    /// their JSON for every service; should a subtree still not decode, it holds no rules (and
    /// the log says so), so evaluation falls through it instead of panicking.
    pub(crate) fn rules(&self) -> &[Rule] {
        self.rules.get_or_init(|| {
            let Some(p) = &self.packed else {
                return Vec::new();
            };
            super::precompiled::subtree(p).unwrap_or_else(|_| {
                tracing::error!("a precompiled endpoint rule subtree does not decode");
                Vec::new()
            })
        })
    }
}

#[cfg(test)]
impl Subtree {
    pub(crate) fn is_decoded(&self) -> bool {
        self.rules.get().is_some()
    }
}

impl fmt::Debug for Subtree {
    /// The rules themselves, decoded if need be: a precompiled rule set shows as its JSON twin.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.rules().fmt(f)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EndpointSpec {
    pub(crate) url: Expr,
    pub(crate) properties: Vec<(String, Prop)>,
    pub(crate) headers: Vec<(String, Vec<Expr>)>,
}

/// A property value: templates are resolved in strings at any depth; nothing else is evaluated.
#[derive(Debug, Clone)]
pub(crate) enum Prop {
    Static(Json),
    Template(Template),
    Array(Vec<Prop>),
    Object(Vec<(String, Prop)>),
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Literal(Json),
    Ref(usize),
    Template(Template),
    Call(Box<Call>),
}

#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) func: Func,
    pub(crate) args: Vec<Expr>,
    pub(crate) assign: Option<usize>,
}

#[derive(Debug, Clone)]
pub(crate) enum Func {
    IsSet,
    Not,
    /// With the path pre-parsed when it is a literal.
    GetAttr(Option<AttrPath>),
    Substring,
    StringEquals,
    BooleanEquals,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
    Coalesce,
    Split,
    Ite,
}

impl Func {
    pub(super) fn from_name(name: &str) -> Option<(Func, usize, Option<usize>)> {
        // (function, minimum arity, maximum arity)
        Some(match name {
            "isSet" => (Func::IsSet, 1, Some(1)),
            "not" => (Func::Not, 1, Some(1)),
            "getAttr" => (Func::GetAttr(None), 2, Some(2)),
            "substring" => (Func::Substring, 4, Some(4)),
            "stringEquals" => (Func::StringEquals, 2, Some(2)),
            "booleanEquals" => (Func::BooleanEquals, 2, Some(2)),
            "uriEncode" => (Func::UriEncode, 1, Some(1)),
            "parseURL" => (Func::ParseUrl, 1, Some(1)),
            "isValidHostLabel" => (Func::IsValidHostLabel, 2, Some(2)),
            "aws.partition" => (Func::Partition, 1, Some(1)),
            "aws.parseArn" => (Func::ParseArn, 1, Some(1)),
            "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, 2, Some(2)),
            "coalesce" => (Func::Coalesce, 1, None),
            "split" => (Func::Split, 3, Some(3)),
            "ite" => (Func::Ite, 3, Some(3)),
            _ => return None,
        })
    }
}

/// A template string: `https://{Bucket}.s3.{Region}.{PartitionResult#dnsSuffix}`.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub(crate) parts: Vec<TemplatePart>,
}

#[derive(Debug, Clone)]
pub(crate) enum TemplatePart {
    Literal(String),
    /// `{name}` or `{name#attr#...}`.
    Var {
        slot: usize,
        attrs: Vec<String>,
    },
}

/// A parsed `getAttr` path such as `resourceId[1]` or `a.b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttrPath {
    pub(crate) segments: Vec<AttrSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttrSegment {
    Key(String),
    /// `name[index]` (name optional); ends the path, like botocore.
    Index {
        name: Option<String>,
        index: usize,
    },
}

impl AttrPath {
    /// Parses like botocore: split on `.`; the first part containing `\w*[\d+]` ends the path.
    pub(crate) fn parse(path: &str) -> AttrPath {
        let mut segments = Vec::new();
        for part in path.split('.') {
            if let Some((name, index)) = find_index(part) {
                segments.push(AttrSegment::Index {
                    name: (!name.is_empty()).then(|| name.to_string()),
                    index,
                });
                break;
            }
            segments.push(AttrSegment::Key(part.to_string()));
        }
        AttrPath { segments }
    }
}

fn is_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// The leftmost match of `(\w*)\[(\d+)\]` in `part`: `(name, index)`.
fn find_index(part: &str) -> Option<(&str, usize)> {
    let mut start = 0;
    while start <= part.len() {
        let rest = part.get(start..)?;
        let word_len: usize = rest
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum();
        let after = &rest[word_len..];
        if let Some(inner) = after.strip_prefix('[') {
            let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && inner[digits..].starts_with(']') {
                let index = inner[..digits].parse::<usize>().unwrap_or(usize::MAX);
                return Some((&rest[..word_len], index));
            }
        }
        // No match starting anywhere inside the word run; continue after the next character.
        let skip = word_len + after.chars().next().map_or(1, char::len_utf8);
        start += skip;
    }
    None
}

/// botocore's `TEMPLATE_STRING_RE` (`\{[a-zA-Z#]+\}`) decides whether a string is a template.
fn looks_like_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'#') {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b'}' {
                return true;
            }
        }
        i += 1;
    }
    false
}

fn invalid(msg: impl Into<String>) -> EndpointError {
    EndpointError::InvalidRuleSet(msg.into())
}

struct Compiler {
    slots: HashMap<String, usize>,
    slot_names: Vec<String>,
}

impl Compiler {
    fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.slots.get(name) {
            return i;
        }
        let i = self.slot_names.len();
        self.slots.insert(name.to_string(), i);
        self.slot_names.push(name.to_string());
        i
    }

    fn rules(&mut self, value: &Json, depth: usize) -> Result<Vec<Rule>, EndpointError> {
        let list = value
            .as_array()
            .ok_or_else(|| invalid("`rules` must be an array"))?;
        list.iter().map(|r| self.rule(r, depth + 1)).collect()
    }

    fn rule(&mut self, value: &Json, depth: usize) -> Result<Rule, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid("rules are nested too deeply"));
        }
        let obj = value
            .as_object()
            .ok_or_else(|| invalid("a rule must be an object"))?;
        let conditions = match obj.get("conditions") {
            None => Vec::new(),
            Some(c) => {
                let list = c
                    .as_array()
                    .ok_or_else(|| invalid("`conditions` must be an array"))?;
                let mut out = Vec::with_capacity(list.len());
                for cond in list {
                    let call = cond
                        .as_object()
                        .filter(|o| o.contains_key("fn"))
                        .ok_or_else(|| {
                            invalid(format!("a condition must be a function call: {cond}"))
                        })?;
                    out.push(self.call(call, depth + 1)?);
                }
                out
            }
        };
        let ty = obj
            .get("type")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid("a rule needs a string `type`"))?;
        let kind = match ty {
            "endpoint" => {
                let ep = obj
                    .get("endpoint")
                    .and_then(Json::as_object)
                    .ok_or_else(|| invalid("an endpoint rule needs an `endpoint` object"))?;
                RuleKind::Endpoint(Box::new(self.endpoint(ep, depth + 1)?))
            }
            "error" => {
                let err = obj
                    .get("error")
                    .ok_or_else(|| invalid("an error rule needs an `error`"))?;
                RuleKind::Error(self.expr(err, depth + 1)?)
            }
            "tree" => {
                let rules = obj
                    .get("rules")
                    .ok_or_else(|| invalid("a tree rule needs `rules`"))?;
                RuleKind::Tree(Subtree::compiled(self.rules(rules, depth + 1)?))
            }
            other => {
                return Err(invalid(format!(
                    "Unknown rule type: {other}. A rule must be of type tree, endpoint or error."
                )))
            }
        };
        Ok(Rule { conditions, kind })
    }

    fn endpoint(
        &mut self,
        ep: &Map<String, Json>,
        depth: usize,
    ) -> Result<EndpointSpec, EndpointError> {
        let url = ep
            .get("url")
            .ok_or_else(|| invalid("an endpoint needs a `url`"))?;
        let url = self.expr(url, depth + 1)?;
        let properties = match ep.get("properties") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(props)) => props
                .iter()
                .map(|(k, v)| Ok((k.clone(), self.prop(v, depth + 1)?)))
                .collect::<Result<_, EndpointError>>()?,
            Some(_) => return Err(invalid("endpoint `properties` must be an object")),
        };
        let headers = match ep.get("headers") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Object(headers)) => {
                let mut out = Vec::with_capacity(headers.len());
                for (name, values) in headers {
                    let values = values
                        .as_array()
                        .ok_or_else(|| invalid(format!("header `{name}` must be an array")))?;
                    let exprs = values
                        .iter()
                        .map(|v| self.expr(v, depth + 1))
                        .collect::<Result<_, _>>()?;
                    out.push((name.clone(), exprs));
                }
                out
            }
            Some(_) => return Err(invalid("endpoint `headers` must be an object")),
        };
        Ok(EndpointSpec {
            url,
            properties,
            headers,
        })
    }

    fn prop(&mut self, value: &Json, depth: usize) -> Result<Prop, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid("properties are nested too deeply"));
        }
        if !contains_template(value, 0) {
            return Ok(Prop::Static(value.clone()));
        }
        Ok(match value {
            Json::String(s) => Prop::Template(self.template(s)?),
            Json::Array(items) => Prop::Array(
                items
                    .iter()
                    .map(|v| self.prop(v, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(map) => Prop::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.prop(v, depth + 1)?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
            other => Prop::Static(other.clone()),
        })
    }

    fn expr(&mut self, value: &Json, depth: usize) -> Result<Expr, EndpointError> {
        if depth > MAX_DEPTH {
            return Err(invalid("expressions are nested too deeply"));
        }
        match value {
            Json::Object(obj) if obj.contains_key("fn") => {
                Ok(Expr::Call(Box::new(self.call(obj, depth + 1)?)))
            }
            Json::Object(obj) if obj.contains_key("ref") => {
                let name = obj
                    .get("ref")
                    .and_then(Json::as_str)
                    .ok_or_else(|| invalid("`ref` must be a string"))?;
                Ok(Expr::Ref(self.slot(name)))
            }
            Json::String(s) if looks_like_template(s) => Ok(Expr::Template(self.template(s)?)),
            other => {
                if json_depth_exceeds(other, MAX_DEPTH) {
                    return Err(invalid("literal nested too deeply"));
                }
                Ok(Expr::Literal(other.clone()))
            }
        }
    }

    fn call(&mut self, obj: &Map<String, Json>, depth: usize) -> Result<Call, EndpointError> {
        let name = obj
            .get("fn")
            .and_then(Json::as_str)
            .ok_or_else(|| invalid("`fn` must be a string"))?;
        let (mut func, min, max) =
            Func::from_name(name).ok_or_else(|| invalid(format!("unknown function `{name}`")))?;
        let argv = match obj.get("argv") {
            Some(Json::Array(a)) => a.as_slice(),
            None => &[],
            Some(_) => return Err(invalid(format!("`argv` of `{name}` must be an array"))),
        };
        if argv.len() < min || max.is_some_and(|m| argv.len() > m) {
            return Err(invalid(format!(
                "function `{name}` called with {} argument(s)",
                argv.len()
            )));
        }
        let args = argv
            .iter()
            .map(|a| self.expr(a, depth + 1))
            .collect::<Result<Vec<_>, _>>()?;
        if let Func::GetAttr(path) = &mut func {
            if let Some(Expr::Literal(Json::String(p))) = args.get(1) {
                *path = Some(AttrPath::parse(p));
            }
        }
        let assign = match obj.get("assign") {
            None | Some(Json::Null) => None,
            Some(Json::String(a)) => Some(self.slot(a)),
            Some(_) => return Err(invalid("`assign` must be a string")),
        };
        Ok(Call { func, args, assign })
    }

    /// Parses a template with Python `str.format` field syntax (`{{` / `}}` escapes).
    fn template(&mut self, s: &str) -> Result<Template, EndpointError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '{' => {
                    let start = i + 1;
                    let mut end = None;
                    for (j, d) in chars.by_ref() {
                        if d == '}' {
                            end = Some(j);
                            break;
                        }
                        if d == '{' {
                            return Err(invalid(format!(
                                "unsupported nested field in template {s:?}"
                            )));
                        }
                    }
                    let end =
                        end.ok_or_else(|| invalid(format!("expected '}}' in template {s:?}")))?;
                    let field = &s[start..end];
                    // A conversion (`!r`) or format spec (`:x`) is not part of the reference.
                    let reference = field.split(['!', ':']).next().unwrap_or("");
                    let mut names = reference.split('#');
                    let var = names.next().unwrap_or("");
                    let attrs = names.map(str::to_string).collect();
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Var {
                        slot: self.slot(var),
                        attrs,
                    });
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => {
                    return Err(invalid(format!(
                        "single '}}' encountered in template {s:?}"
                    )));
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(TemplatePart::Literal(literal));
        }
        Ok(Template { parts })
    }
}

fn json_depth_exceeds(v: &Json, limit: usize) -> bool {
    if limit == 0 {
        return true;
    }
    match v {
        Json::Array(a) => a.iter().any(|x| json_depth_exceeds(x, limit - 1)),
        Json::Object(o) => o.values().any(|x| json_depth_exceeds(x, limit - 1)),
        _ => false,
    }
}

fn contains_template(v: &Json, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        // Deep enough to be treated as a template node; `prop` then reports the depth error.
        return true;
    }
    match v {
        Json::String(s) => looks_like_template(s),
        Json::Array(a) => a.iter().any(|x| contains_template(x, depth + 1)),
        Json::Object(o) => o.values().any(|x| contains_template(x, depth + 1)),
        _ => false,
    }
}

fn parameter(name: &str, spec: &Json) -> Result<ParameterSpec, EndpointError> {
    let obj = spec
        .as_object()
        .ok_or_else(|| invalid(format!("parameter `{name}` must be an object")))?;
    let ty_name = obj
        .get("type")
        .and_then(Json::as_str)
        .ok_or_else(|| invalid(format!("parameter `{name}` needs a string `type`")))?;
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => ParameterType::String,
        "boolean" => ParameterType::Boolean,
        "stringarray" => ParameterType::StringArray,
        _ => {
            return Err(invalid(format!(
                "Unknown parameter type: {ty_name}. A parameter must be of type string, boolean, or stringarray."
            )))
        }
    };
    let text = |key: &str| obj.get(key).and_then(Json::as_str).map(str::to_string);
    let default = obj.get("default").filter(|d| !d.is_null()).cloned();
    let deprecated = obj.get("deprecated").filter(|d| !d.is_null()).cloned();
    for value in [&default, &deprecated].into_iter().flatten() {
        if json_depth_exceeds(value, MAX_DEPTH) {
            return Err(invalid(format!("parameter `{name}` nested too deeply")));
        }
    }
    Ok(ParameterSpec {
        name: name.to_string(),
        ty,
        builtin: text("builtIn"),
        default,
        required: obj.get("required").and_then(Json::as_bool).unwrap_or(false),
        documentation: text("documentation"),
        deprecated,
    })
}

impl RuleSet {
    /// Compiles a rule set from `endpoint-rule-set-1.json` text.
    pub fn from_json_str(json: &str) -> Result<RuleSet, EndpointError> {
        let value: Json = serde_json::from_str(json).map_err(|e| invalid(e.to_string()))?;
        RuleSet::from_json(&value)
    }

    /// Compiles a rule set from `endpoint-rule-set-1.json` bytes (UTF-8 JSON).
    pub fn from_json_slice(json: &[u8]) -> Result<RuleSet, EndpointError> {
        let value: Json = serde_json::from_slice(json).map_err(|e| invalid(e.to_string()))?;
        RuleSet::from_json(&value)
    }

    /// Compiles a rule set from a parsed `endpoint-rule-set-1.json` document. Unknown top-level
    /// keys (`serviceId`, ...) are ignored.
    pub fn from_json(value: &Json) -> Result<RuleSet, EndpointError> {
        let root = value
            .as_object()
            .ok_or_else(|| invalid("the document is not a JSON object"))?;
        let version = match root.get("version") {
            Some(Json::String(v)) => v.clone(),
            Some(Json::Number(n)) => n.to_string(),
            None => String::new(),
            Some(_) => return Err(invalid("`version` must be a string")),
        };
        let params_json = match root.get("parameters") {
            None => None,
            Some(Json::Object(p)) => Some(p),
            Some(_) => return Err(invalid("`parameters` must be an object")),
        };
        let mut compiler = Compiler {
            slots: HashMap::new(),
            slot_names: Vec::new(),
        };
        let mut params = Vec::new();
        if let Some(p) = params_json {
            for (name, spec) in p {
                params.push(parameter(name, spec)?);
                compiler.slot(name);
            }
        }
        let rules_json = root
            .get("rules")
            .ok_or_else(|| invalid("missing `rules`"))?;
        let rules = compiler.rules(rules_json, 0)?;
        Ok(RuleSet {
            version,
            params,
            slot_names: compiler.slot_names,
            rules,
        })
    }

    /// The rule-set `version` (e.g. `1.0`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameters, in document order.
    pub fn parameters(&self) -> &[ParameterSpec] {
        &self.params
    }

    /// The declared parameter `name`.
    pub fn parameter(&self, name: &str) -> Option<&ParameterSpec> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameter bound to the built-in `builtin` (e.g. `AWS::Region` -> `Region`).
    pub fn parameter_for_builtin(&self, builtin: &str) -> Option<&ParameterSpec> {
        self.params
            .iter()
            .find(|p| p.builtin.as_deref() == Some(builtin))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_paths() {
        assert_eq!(
            AttrPath::parse("a.b"),
            AttrPath {
                segments: vec![AttrSegment::Key("a".into()), AttrSegment::Key("b".into())]
            }
        );
        assert_eq!(
            AttrPath::parse("resourceId[1]"),
            AttrPath {
                segments: vec![AttrSegment::Index {
                    name: Some("resourceId".into()),
                    index: 1
                }]
            }
        );
        assert_eq!(
            AttrPath::parse("[0].x"),
            AttrPath {
                segments: vec![AttrSegment::Index {
                    name: None,
                    index: 0
                }]
            }
        );
        assert_eq!(
            AttrPath::parse("a-b[2]"),
            AttrPath {
                segments: vec![AttrSegment::Index {
                    name: Some("b".into()),
                    index: 2
                }]
            }
        );
        assert_eq!(find_index("x[]y[3]"), Some(("y", 3)));
        assert_eq!(find_index("é[1]"), Some(("é", 1)));
        assert_eq!(find_index("abc"), None);
    }

    #[test]
    fn template_detection() {
        assert!(looks_like_template("https://{Region}.x"));
        assert!(looks_like_template("{url#scheme}"));
        assert!(!looks_like_template("{}"));
        assert!(!looks_like_template("{a1}"));
        assert!(!looks_like_template("plain"));
    }
}
