//! The tree a parsed expression is: the node kinds of JMESPath's grammar, shaped as the Python
//! `jmespath` parser shapes them (a chain `a.b.c` is one subexpression with three children and
//! `a[0][1]` one index expression, which decides whether a later slice projects; see
//! `parser.rs`). Every node knows its height, so the parser can refuse a tree that evaluating
//! or dropping would need too deep a stack for.

use super::{Error, MAX_DEPTH};
use crate::document::Document;

/// A node and the height of the tree under it (a leaf is 1).
#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    height: usize,
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Comparator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

/// What a node does with the value it is applied to.
#[derive(Debug)]
pub(super) enum Kind {
    /// The value itself: the implicit left side of `[*]`, `*` or `[?..]` at the start of an
    /// expression, and the implicit right side of a projection.
    Identity,
    /// `@`
    Current,
    Field(String),
    /// `a.b.c`: each child applied to the previous one's result.
    Subexpression(Vec<Node>),
    /// `[n]`, negative from the end.
    Index(i64),
    /// `[start:stop:step]`
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `a[0]`, `a[0][1]`, `a[1:2]`: like a subexpression, a chain.
    IndexExpression(Vec<Node>),
    /// A list projection: the right side applied to each element of the left side's list.
    Projection(Box<Node>, Box<Node>),
    /// `*`: the right side applied to each value of the left side's map.
    ValueProjection(Box<Node>, Box<Node>),
    /// `[?condition]`: left, right, condition.
    FilterProjection(Box<Node>, Box<Node>, Box<Node>),
    /// `[]`: one level of nested lists merged.
    Flatten(Box<Node>),
    Literal(Document),
    /// `[a, b]`
    MultiSelectList(Vec<Node>),
    /// `{k: a, l: b}`
    MultiSelectHash(Vec<(String, Node)>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Pipe(Box<Node>, Box<Node>),
    Compare(Comparator, Box<Node>, Box<Node>),
    /// A call: name and arguments; the name is looked up when the call is evaluated, as
    /// Python does, so an unknown function is an error only if it is reached.
    Function(String, Vec<Node>),
    /// `&expr`: the expression itself as a value, for `sort_by` and friends.
    Expref(Box<Node>),
}

impl Node {
    /// A node over `kind`, or [`Error::TooDeep`] when the tree would be taller than
    /// [`MAX_DEPTH`].
    pub(super) fn new(kind: Kind) -> Result<Node, Error> {
        let below = match &kind {
            Kind::Identity
            | Kind::Current
            | Kind::Field(_)
            | Kind::Index(_)
            | Kind::Slice(..)
            | Kind::Literal(_) => 0,
            Kind::Subexpression(children)
            | Kind::IndexExpression(children)
            | Kind::MultiSelectList(children)
            | Kind::Function(_, children) => tallest(children.iter()),
            Kind::MultiSelectHash(pairs) => tallest(pairs.iter().map(|(_, n)| n)),
            Kind::Flatten(a) | Kind::Not(a) | Kind::Expref(a) => a.height,
            Kind::Projection(a, b)
            | Kind::ValueProjection(a, b)
            | Kind::Or(a, b)
            | Kind::And(a, b)
            | Kind::Pipe(a, b)
            | Kind::Compare(_, a, b) => a.height.max(b.height),
            Kind::FilterProjection(a, b, c) => a.height.max(b.height).max(c.height),
        };
        let height = below + 1;
        if height > MAX_DEPTH {
            return Err(Error::TooDeep);
        }
        Ok(Node { kind, height })
    }

    /// Appends `child` to a chain (subexpression or index expression), keeping the height.
    pub(super) fn push_child(&mut self, child: Node) -> Result<(), Error> {
        let height = self.height.max(child.height + 1);
        if height > MAX_DEPTH {
            return Err(Error::TooDeep);
        }
        if let Kind::Subexpression(children) | Kind::IndexExpression(children) = &mut self.kind {
            children.push(child);
            self.height = height;
        }
        Ok(())
    }
}

fn tallest<'n>(nodes: impl Iterator<Item = &'n Node>) -> usize {
    nodes.map(|n| n.height).max().unwrap_or(0)
}
