//! Rule evaluation.
//!
//! Variables live in slots (one per parameter or `assign` name). botocore gives each rule a copy
//! of its parent's scope; here a rule's assignments are recorded in an undo log and cleared when
//! the rule is done, which is equivalent because a name can never be assigned twice in one scope.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use super::arn::parse_arn;
use super::functions;
use super::partition::Partitions;
use super::rules::{
    AttrPath, AttrSegment, Call, EndpointSpec, Expr, Func, ParameterType, Prop, Rule, RuleKind,
    RuleSet, Template, TemplatePart,
};
use super::value::{Text, Value};
use super::{Endpoint, EndpointError, ParamValue, Params};

type Result<T> = std::result::Result<T, EndpointError>;

fn eval_error(msg: impl Into<String>) -> EndpointError {
    EndpointError::Evaluation(msg.into())
}

impl RuleSet {
    /// Resolves the endpoint for `params` (see [`Params`]) using `partitions` for
    /// `aws.partition`.
    ///
    /// Returns the first matching endpoint rule's endpoint, or [`EndpointError::Rule`] with the
    /// message of the first matching error rule, [`EndpointError::NoMatch`] when no rule matches,
    /// [`EndpointError::InvalidParameter`] for a missing required or mistyped parameter, or
    /// [`EndpointError::Evaluation`] when the rules misuse a function.
    pub fn resolve(&self, partitions: &Partitions, params: &Params) -> Result<Endpoint> {
        self.resolve_reading(partitions, params).0
    }

    /// [`RuleSet::resolve`], also telling which declared parameters the evaluation read (by
    /// declaration index). The outcome depends on nothing else but the presence and type of the
    /// others, which is what lets [`super::MemoizedRuleSet`] share an entry between inputs
    /// that differ only in parameters the rules never looked at (S3's `Key`, for one).
    pub(crate) fn resolve_reading(
        &self,
        partitions: &Partitions,
        params: &Params,
    ) -> (Result<Endpoint>, Vec<bool>) {
        let mut ctx = Ctx {
            ruleset: self,
            partitions,
            slots: vec![None; self.slot_names.len()],
            undo: Vec::new(),
            read: vec![Cell::new(false); self.params.len()],
        };
        let result = ctx.run(params);
        (result, ctx.read.into_iter().map(Cell::into_inner).collect())
    }
}

impl<'a> Ctx<'a> {
    fn run(&mut self, params: &'a Params) -> Result<Endpoint> {
        let ctx = self;
        let this = ctx.ruleset;
        for (i, spec) in this.params.iter().enumerate() {
            let value = match params.get(&spec.name) {
                Some(given) => {
                    let (ok, class) = match (spec.ty, given) {
                        (ParameterType::String, ParamValue::String(_)) => (true, "str"),
                        (ParameterType::Boolean, ParamValue::Bool(_)) => (true, "bool"),
                        (ParameterType::StringArray, ParamValue::StringArray(_)) => (true, "tuple"),
                        (ParameterType::String, _) => (false, "str"),
                        (ParameterType::Boolean, _) => (false, "bool"),
                        (ParameterType::StringArray, _) => (false, "tuple"),
                    };
                    if !ok {
                        return Err(EndpointError::InvalidParameter(format!(
                            "Value ({}) is the wrong type. Must be <class '{class}'>.",
                            spec.name
                        )));
                    }
                    Some(match given {
                        ParamValue::String(s) => Value::Str(Text::Borrowed(s)),
                        ParamValue::Bool(b) => Value::Bool(*b),
                        ParamValue::StringArray(items) => Value::StrList(items),
                    })
                }
                None => match &spec.default {
                    Some(default) => Some(Value::from_json(default)),
                    None if spec.required => {
                        return Err(EndpointError::InvalidParameter(format!(
                            "Cannot find value for required parameter {}",
                            spec.name
                        )))
                    }
                    None => None,
                },
            };
            if let Some(slot) = ctx.slots.get_mut(i) {
                *slot = value;
            }
        }
        match ctx.rules(&this.rules)? {
            Some(endpoint) => match super::host::check_endpoint_url(&endpoint.url) {
                Ok(()) => Ok(endpoint),
                Err(problem) => Err(EndpointError::UnsafeUrl(format!(
                    "the endpoint rules produced {:?}, which {problem}",
                    endpoint.url
                ))),
            },
            None => {
                let mut msg = String::from("No endpoint found for parameters:");
                for (name, value) in params.iter() {
                    let _ = write!(msg, "\n{name}: ");
                    match value {
                        ParamValue::String(s) => msg.push_str(s),
                        ParamValue::Bool(b) => msg.push_str(if *b { "True" } else { "False" }),
                        ParamValue::StringArray(items) => {
                            msg.push_str(&Value::StrList(items).py_str());
                        }
                    }
                }
                Err(EndpointError::NoMatch(msg))
            }
        }
    }
}

struct Ctx<'a> {
    ruleset: &'a RuleSet,
    partitions: &'a Partitions,
    /// `None`: not in scope; `Some(Value::None)`: assigned Python `None`.
    slots: Vec<Option<Value<'a>>>,
    /// Slots assigned so far, in order, so a rule can drop its own assignments.
    undo: Vec<usize>,
    /// Which parameter slots the rules have read (a `Cell` so templates can record through `&self`).
    read: Vec<Cell<bool>>,
}

impl<'a> Ctx<'a> {
    fn unwind(&mut self, mark: usize) {
        while self.undo.len() > mark {
            if let Some(slot) = self.undo.pop() {
                if let Some(s) = self.slots.get_mut(slot) {
                    *s = None;
                }
            }
        }
    }

    /// The value in `slot`, noting the read when it is a parameter's.
    fn slot(&self, slot: usize) -> Option<&Value<'a>> {
        if let Some(read) = self.read.get(slot) {
            read.set(true);
        }
        self.slots.get(slot).and_then(Option::as_ref)
    }

    fn slot_name(&self, slot: usize) -> &str {
        self.ruleset
            .slot_names
            .get(slot)
            .map(String::as_str)
            .unwrap_or("?")
    }

    fn rules(&mut self, rules: &'a [Rule]) -> Result<Option<Endpoint>> {
        for rule in rules {
            let mark = self.undo.len();
            let outcome = self.rule(rule);
            self.unwind(mark);
            if let Some(endpoint) = outcome? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn rule(&mut self, rule: &'a Rule) -> Result<Option<Endpoint>> {
        for condition in &rule.conditions {
            let result = self.call(condition)?;
            if matches!(result, Value::None | Value::Bool(false)) {
                return Ok(None);
            }
        }
        match &rule.kind {
            RuleKind::Endpoint(spec) => self.endpoint(spec).map(Some),
            RuleKind::Error(expr) => {
                let message = self.expr(expr)?;
                Err(EndpointError::Rule(message.py_str().into_owned()))
            }
            RuleKind::Tree(subtree) => self.rules(subtree.rules()),
        }
    }

    fn endpoint(&mut self, spec: &'a EndpointSpec) -> Result<Endpoint> {
        let url = match self.expr(&spec.url)? {
            Value::Str(Text::Borrowed(s)) => s.to_string(),
            Value::Str(Text::Shared(s)) => s.to_string(),
            other => {
                return Err(eval_error(format!(
                    "endpoint url resolved to a {} instead of a string",
                    other.py_type()
                )))
            }
        };
        let mut properties = Map::new();
        for (key, prop) in &spec.properties {
            properties.insert(key.clone(), self.prop(prop)?);
        }
        let mut headers = BTreeMap::new();
        for (name, exprs) in &spec.headers {
            let mut values = Vec::with_capacity(exprs.len());
            for e in exprs {
                values.push(self.expr(e)?.py_str().into_owned());
            }
            headers.insert(name.clone(), values);
        }
        Ok(Endpoint {
            url,
            properties,
            headers,
        })
    }

    fn prop(&self, prop: &'a Prop) -> Result<Json> {
        Ok(match prop {
            Prop::Static(v) => v.clone(),
            Prop::Template(t) => Json::String(self.template(t)?),
            Prop::Array(items) => {
                Json::Array(items.iter().map(|p| self.prop(p)).collect::<Result<_>>()?)
            }
            Prop::Object(entries) => {
                let mut map = Map::new();
                for (k, p) in entries {
                    map.insert(k.clone(), self.prop(p)?);
                }
                Json::Object(map)
            }
        })
    }

    fn template(&self, template: &'a Template) -> Result<String> {
        let mut out = String::new();
        for part in &template.parts {
            match part {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Var { slot, attrs } => {
                    let mut value = self.slot(*slot).cloned().ok_or_else(|| {
                        eval_error(format!(
                            "template variable `{}` is not set",
                            self.slot_name(*slot)
                        ))
                    })?;
                    for attr in attrs {
                        value = value.get_key(attr).ok_or_else(|| {
                            eval_error(format!(
                                "template variable `{}` has no attribute `{attr}`",
                                self.slot_name(*slot)
                            ))
                        })?;
                    }
                    out.push_str(&value.py_str());
                }
            }
        }
        Ok(out)
    }

    fn expr(&mut self, expr: &'a Expr) -> Result<Value<'a>> {
        Ok(match expr {
            Expr::Literal(json) => Value::from_json(json),
            Expr::Ref(slot) => self.slot(*slot).cloned().unwrap_or(Value::None),
            Expr::Template(t) => Value::Str(Text::Shared(Rc::from(self.template(t)?))),
            Expr::Call(call) => self.call(call)?,
        })
    }

    /// Evaluates argument `i` of `call`.
    fn arg(&mut self, call: &'a Call, i: usize) -> Result<Value<'a>> {
        match call.args.get(i) {
            Some(e) => self.expr(e),
            None => Err(eval_error("missing function argument")),
        }
    }

    fn call(&mut self, call: &'a Call) -> Result<Value<'a>> {
        let result = self.apply(call)?;
        if let Some(slot) = call.assign {
            // Whether the slot is taken decides between assigning and failing.
            if let Some(read) = self.read.get(slot) {
                read.set(true);
            }
            match self.slots.get_mut(slot) {
                Some(s @ None) => *s = Some(result.clone()),
                Some(Some(_)) => {
                    return Err(eval_error(format!(
                    "Assignment {} already exists in scoped variables and cannot be overwritten",
                    self.slot_name(slot)
                )))
                }
                None => return Err(eval_error("assignment to an unknown slot")),
            }
            self.undo.push(slot);
        }
        Ok(result)
    }

    fn apply(&mut self, call: &'a Call) -> Result<Value<'a>> {
        Ok(match &call.func {
            Func::IsSet => Value::Bool(!self.arg(call, 0)?.is_none()),
            Func::Not => Value::Bool(!self.arg(call, 0)?.truthy()),
            Func::GetAttr(path) => {
                let target = self.arg(call, 0)?;
                let path_value = self.arg(call, 1)?;
                match path {
                    Some(p) => get_attr(target, p),
                    None => match path_value.as_str() {
                        Some(p) => get_attr(target, &AttrPath::parse(p)),
                        None => {
                            return Err(eval_error(format!(
                                "getAttr path must be a string, not {}",
                                path_value.py_type()
                            )))
                        }
                    },
                }
            }
            Func::Substring => {
                let value = self.arg(call, 0)?;
                let start = self.arg(call, 1)?;
                let stop = self.arg(call, 2)?;
                let reverse = self.arg(call, 3)?;
                let Value::Str(text) = &value else {
                    return Err(eval_error(format!(
                        "Input must be a string, not <class '{}'>.",
                        value.py_type()
                    )));
                };
                let (Some(start), Some(stop)) = (start.as_int(), stop.as_int()) else {
                    return Err(eval_error("substring indices must be integers"));
                };
                let reverse = matches!(reverse, Value::Bool(true));
                functions::substring(text, start, stop, reverse).map_or(Value::None, Value::Str)
            }
            Func::StringEquals => {
                let a = self.arg(call, 0)?;
                let b = self.arg(call, 1)?;
                match (a.as_str(), b.as_str()) {
                    (Some(x), Some(y)) => Value::Bool(x == y),
                    _ => {
                        return Err(eval_error(format!(
                            "Both values must be strings, not <class '{}'> and <class '{}'>.",
                            a.py_type(),
                            b.py_type()
                        )))
                    }
                }
            }
            Func::BooleanEquals => {
                let a = self.arg(call, 0)?;
                let b = self.arg(call, 1)?;
                match (&a, &b) {
                    (Value::Bool(x), Value::Bool(y)) => Value::Bool(x == y),
                    _ => {
                        return Err(eval_error(format!(
                            "Both arguments must be bools, not <class '{}'> and <class '{}'>.",
                            a.py_type(),
                            b.py_type()
                        )))
                    }
                }
            }
            Func::UriEncode => match self.arg(call, 0)? {
                Value::None => Value::None,
                Value::Str(t) => {
                    Value::Str(Text::Shared(Rc::from(functions::uri_encode(t.as_str()))))
                }
                other => Value::Str(Text::Shared(Rc::from(functions::uri_encode(
                    &other.py_str(),
                )))),
            },
            Func::ParseUrl => match self.arg(call, 0)? {
                Value::Str(t) => {
                    functions::parse_url(t.as_str()).map_or(Value::None, |u| Value::Url(Rc::new(u)))
                }
                _ => Value::None,
            },
            Func::IsValidHostLabel => {
                let value = self.arg(call, 0)?;
                let allow = self.arg(call, 1)?;
                Value::Bool(
                    value
                        .as_str()
                        .is_some_and(|s| functions::is_valid_host_label(s, &allow)),
                )
            }
            Func::Partition => {
                let region = self.arg(call, 0)?;
                let region = match &region {
                    Value::None => None,
                    Value::Str(t) => Some(t.as_str()),
                    other => {
                        return Err(eval_error(format!(
                            "aws.partition expects a string, not <class '{}'>",
                            other.py_type()
                        )))
                    }
                };
                self.partitions
                    .resolve(region)
                    .map_or(Value::None, Value::Partition)
            }
            Func::ParseArn => match self.arg(call, 0)? {
                Value::Str(t) => {
                    parse_arn(t.as_str()).map_or(Value::None, |a| Value::Arn(Rc::new(a)))
                }
                _ => Value::None,
            },
            Func::IsVirtualHostableS3Bucket => {
                let value = self.arg(call, 0)?;
                let allow = self.arg(call, 1)?;
                Value::Bool(
                    value
                        .as_str()
                        .is_some_and(|s| functions::is_virtual_hostable_s3_bucket(s, &allow)),
                )
            }
            Func::Coalesce => {
                let mut result = Value::None;
                for i in 0..call.args.len() {
                    let v = self.arg(call, i)?;
                    if !v.is_none() {
                        result = v;
                        break;
                    }
                }
                result
            }
            Func::Split => {
                let value = self.arg(call, 0)?;
                let delimiter = self.arg(call, 1)?;
                let limit = self.arg(call, 2)?;
                let (Some(v), Some(d), Some(l)) =
                    (value.as_str(), delimiter.as_str(), limit.as_int())
                else {
                    return Err(eval_error("split expects (string, string, integer)"));
                };
                functions::split(v, d, l).map_or(Value::None, Value::Strings)
            }
            Func::Ite => match self.arg(call, 0)? {
                Value::Bool(true) => self.arg(call, 1)?,
                Value::Bool(false) => self.arg(call, 2)?,
                other => {
                    return Err(eval_error(format!(
                        "ite condition must be a bool, not <class '{}'>",
                        other.py_type()
                    )))
                }
            },
        })
    }
}

/// `getAttr`: missing keys and out-of-range indices give `None`.
fn get_attr<'a>(value: Value<'a>, path: &AttrPath) -> Value<'a> {
    let mut current = value;
    for segment in &path.segments {
        match segment {
            AttrSegment::Key(key) => match current.get_key(key) {
                Some(v) => current = v,
                None => return Value::None,
            },
            AttrSegment::Index { name, index } => {
                if let Some(name) = name {
                    match current.get_key(name) {
                        Some(v) => current = v,
                        None => return Value::None,
                    }
                }
                return current.get_index(*index).unwrap_or(Value::None);
            }
        }
    }
    current
}
