//! JMESPath over documents, as the paginator, waiter and resource models (and the CLI's
//! `--query`) use it: the whole language as the Python `jmespath` package that boto3 runs
//! implements it, evaluated on [`Document`] directly, borrowing the parts it selects.
//!
//! The contract: an expression that does not compile, or fails while it runs (a function given
//! the wrong type, a slice step of 0), gives `Null`, as does anything it names that is not
//! there; nothing panics, whatever the expression. Nesting is bounded (128 levels of expression,
//! and of the lists and maps an expression builds), so a hostile expression gives `Null` rather
//! than exhausting the stack. Blobs and timestamps are seen as the strings their JSON form holds
//! (see `value.rs`).
//!
//! Where Python answers differently: `$`, boto3's "whole response" path, is the document here
//! and a syntax error there; past the nesting bound (Python's is its recursion limit);
//! `to_string` of an expression reference (Python writes the object's repr); `to_number` of
//! digits of other scripts than ASCII; a lone UTF-16 surrogate in a literal; `merge` of pairs
//! keyed by numbers (Python hands the later arguments to `dict.update`); integers past 64 bits
//! (Python's are exact, ours the nearest float); and where `sort` puts NaN.
//!
//! The pieces, in the order an expression meets them: `lexer` (text to tokens, with `json` for
//! literals), `parser` (tokens to the `ast` tree), `eval` (the tree against a `value`),
//! `functions` (the built-ins, with `dumps` for `to_string`).

mod ast;
mod dumps;
mod eval;
mod functions;
mod json;
mod lexer;
mod parser;
mod value;

use crate::document::Document;
use ast::{Kind, Node};
use value::Value;

/// How deep an expression may nest, and how deeply the lists and maps it builds may: far past
/// anything a model or a person writes (Python's own limit is its recursion limit, about 1,000
/// frames), and small enough for a 1 MiB stack in a debug build.
const MAX_DEPTH: usize = 128;

/// Why an expression gave no value (all of them are `Null` to callers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Error {
    /// The expression does not lex or parse.
    Syntax,
    /// It nests past [`MAX_DEPTH`].
    TooDeep,
    /// A value of the wrong type for a function, or a comparison Python refuses.
    Type,
    /// A function called with the wrong number of arguments.
    Arity,
    UnknownFunction,
    /// A value the operation cannot take (a slice step of 0, `ceil` of infinity).
    InvalidValue,
}

/// boto3's resource models write `$` for "the whole response", which boto3 handles before it
/// calls JMESPath (where `$` is no token).
fn is_whole(expr: &str) -> bool {
    expr.trim() == "$"
}

fn evaluate(expr: &str, doc: &Document) -> Result<Document, Error> {
    let tree = parser::parse(expr)?;
    eval::eval(&tree, &Value::from_doc(doc))?.to_document()
}

/// Evaluates `expr` against `doc`; missing parts, and expressions that do not compile or fail
/// while they run, give `Null`.
pub fn search(expr: &str, doc: &Document) -> Document {
    if is_whole(expr) {
        return doc.clone();
    }
    evaluate(expr, doc).unwrap_or_default()
}

/// The part of `doc` that `expr` names, borrowed, when `expr` is a chain of fields and indexes
/// (`a.b`, `a[0]`, `a[-1].b`, `@`); `None` when it names nothing or is any other expression, for
/// which [`search`] builds the value. Counting a page's results needs no copy of them.
pub fn search_ref<'a>(expr: &str, doc: &'a Document) -> Option<&'a Document> {
    if is_whole(expr) {
        return Some(doc);
    }
    walk(&parser::parse(expr).ok()?, doc)
}

/// Follows a chain of fields and indexes; `None` for anything else.
fn walk<'a>(node: &Node, doc: &'a Document) -> Option<&'a Document> {
    match &node.kind {
        Kind::Identity | Kind::Current => Some(doc),
        Kind::Field(name) => doc.get(name),
        Kind::Index(i) => {
            let list = doc.as_list()?;
            let at = if *i < 0 {
                i.checked_add(list.len() as i64)?
            } else {
                *i
            };
            list.get(usize::try_from(at).ok()?)
        }
        Kind::Subexpression(chain) | Kind::IndexExpression(chain) => {
            chain.iter().try_fold(doc, |at, step| walk(step, at))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
