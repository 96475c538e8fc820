//! DynamoDB's resource layer speaks plain values and conditions, as boto3's does:
//! `table.put_item(Item={"n": 3})` sends `{"n": {"N": "3"}}`, items come back as plain values, and
//! a [`Condition`] given as `KeyConditionExpression`, `FilterExpression` or `ConditionExpression`
//! is built into its expression text, its placeholders added to `ExpressionAttributeNames` and
//! `ExpressionAttributeValues`. The client stays untouched.
//!
//! boto3 does this with its `TransformationInjector` on the resource's client
//! (`boto3.dynamodb.transform`): it walks the operation's shapes, builds every member of shape
//! `ConditionExpression` and then every `KeyExpression` with one placeholder numbering, and
//! converts every `AttributeValue` (the generated values included). The conversion itself, which
//! loses no digit and keeps sets sets, is `crate::dynamodb`'s.

use super::ResourceCustomization;
use crate::dynamodb::{
    from_attribute_value, to_attribute_value, Condition, ConditionExpressionBuilder, ValueError,
};
use crate::error::Error;
use boto_core::document::{Document, Map};
use boto_core::model::{ServiceModel, ShapeId, ShapeType};

/// Plain values and conditions in, plain values out, for every resource request.
pub(crate) struct PlainValues;

impl ResourceCustomization for PlainValues {
    fn name(&self) -> &'static str {
        "dynamodb-plain-values"
    }

    fn before_call(
        &self,
        model: &ServiceModel,
        operation: &str,
        input: &mut Document,
    ) -> Result<(), Error> {
        let Some(shape) = model.operation(operation).ok().and_then(|o| o.input) else {
            return Ok(());
        };
        build_conditions(model, shape, input)?;
        walk(model, shape, input, "AttributeValue", &mut |v| {
            *v = to_attribute_value(v)?;
            Ok(())
        })?;
        Ok(())
    }

    fn after_call(&self, model: &ServiceModel, operation: &str, output: &mut Document) {
        if let Some(shape) = model.operation(operation).ok().and_then(|o| o.output) {
            let _ = walk(model, shape, output, "AttributeValue", &mut |v| {
                *v = from_attribute_value(v);
                Ok(())
            });
        }
    }
}

/// Builds the conditions given in expression parameters (a map where the model wants a string),
/// then merges the placeholders they made into the request's top-level maps, as boto3 does.
fn build_conditions(
    model: &ServiceModel,
    shape: ShapeId,
    input: &mut Document,
) -> Result<(), ValueError> {
    let mut builder = ConditionExpressionBuilder::new();
    let (mut names, mut values) = (Map::default(), Map::default());
    for (target, is_key_condition) in [("ConditionExpression", false), ("KeyExpression", true)] {
        walk(model, shape, input, target, &mut |v| {
            if v.as_map().is_none() {
                return Ok(());
            }
            let condition = Condition::try_from(&*v)?;
            let built = builder.build(&condition, is_key_condition)?;
            names.extend(built.names);
            values.extend(built.values);
            *v = Document::String(built.expression);
            Ok(())
        })?;
    }
    for (member, generated) in [
        ("ExpressionAttributeNames", names),
        ("ExpressionAttributeValues", values),
    ] {
        if generated.is_empty() {
            continue;
        }
        match input.get_mut(member).and_then(Document::as_map_mut) {
            Some(given) => given.extend(generated),
            None => {
                let _ = input.insert(member, Document::Map(generated));
            }
        }
    }
    Ok(())
}

/// Applies `f` to every value held by a member whose shape is named `target`, walking the
/// value's own members in their order (boto3's `ParameterTransformer`).
fn walk(
    model: &ServiceModel,
    shape: ShapeId,
    value: &mut Document,
    target: &str,
    f: &mut dyn FnMut(&mut Document) -> Result<(), ValueError>,
) -> Result<(), ValueError> {
    let s = model.shape(shape);
    let mut visit = |member: ShapeId, v: &mut Document| {
        if model.shape(member).name == target {
            f(v)
        } else {
            walk(model, member, v, target, f)
        }
    };
    match (s.shape_type, value) {
        (ShapeType::Structure, Document::Map(m)) => {
            for (key, v) in m.iter_mut() {
                if let Some(member) = s.members.iter().find(|m| m.name == *key) {
                    visit(member.target, v)?;
                }
            }
        }
        (ShapeType::List, Document::List(items)) => {
            if let Some(item) = s.member.as_deref() {
                for v in items {
                    visit(item.target, v)?;
                }
            }
        }
        (ShapeType::Map, Document::Map(m)) => {
            if let Some(val) = s.value.as_deref() {
                for v in m.values_mut() {
                    visit(val.target, v)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}
