//! Tokens to a tree: a Pratt (top-down operator precedence) parser with the binding powers of
//! the Python `jmespath` package, including its leniencies, so an expression boto3 accepts is
//! accepted here and means the same: function arguments and multi-select hash pairs may omit
//! the comma (`f(a b)`, `{a: a b: b}`), and a slice that follows an index (`a[0][1:]`) is part
//! of the index chain rather than a new projection.

use super::ast::{Comparator, Kind, Node};
use super::lexer::{tokenize, Token};
use super::{Error, MAX_DEPTH};

/// Parses a whole expression.
pub(super) fn parse(expr: &str) -> Result<Node, Error> {
    let mut parser = Parser {
        tokens: tokenize(expr)?,
        at: 0,
        depth: 0,
    };
    let node = parser.expression(0)?;
    if !matches!(parser.current(), Token::Eof) {
        return Err(Error::Syntax);
    }
    Ok(node)
}

/// Below this binding power a token ends the right side of a projection.
const PROJECTION_STOP: u8 = 10;

fn binding_power(token: &Token) -> u8 {
    match token {
        Token::Pipe => 1,
        Token::Or => 2,
        Token::And => 3,
        Token::Eq | Token::Ne | Token::Lt | Token::Lte | Token::Gt | Token::Gte => 5,
        Token::Flatten => 9,
        Token::Star => 20,
        Token::Filter => 21,
        Token::Dot => 40,
        Token::Not => 45,
        Token::LBrace => 50,
        Token::LBracket => 55,
        Token::LParen => 60,
        _ => 0,
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// How many `expression` calls are open: nesting such as `((((a))))` makes no taller tree
    /// but does recurse here.
    depth: usize,
}

fn node(kind: Kind) -> Result<Node, Error> {
    Node::new(kind)
}

fn boxed(kind: Kind) -> Result<Box<Node>, Error> {
    Node::new(kind).map(Box::new)
}

impl Parser {
    fn current(&self) -> &Token {
        self.tokens.get(self.at).unwrap_or(&Token::Eof)
    }

    fn peek(&self, ahead: usize) -> &Token {
        self.tokens.get(self.at + ahead).unwrap_or(&Token::Eof)
    }

    /// Takes the current token out (its text is moved into the tree) and moves on.
    fn take(&mut self) -> Token {
        let token = self
            .tokens
            .get_mut(self.at)
            .map_or(Token::Eof, |t| std::mem::replace(t, Token::Eof));
        self.at += 1;
        token
    }

    /// Moves past the current token when `is` accepts it, else fails.
    fn expect(&mut self, is: fn(&Token) -> bool) -> Result<(), Error> {
        if is(self.current()) {
            self.at += 1;
            Ok(())
        } else {
            Err(Error::Syntax)
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Node, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::TooDeep);
        }
        let first = self.take();
        let mut left = self.nud(first)?;
        while rbp < binding_power(self.current()) {
            left = self.led(left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    /// A token at the start of an expression. Like `led`, one call per token: these two and
    /// `expression` are what recurses, so their frames stay small in a debug build.
    fn nud(&mut self, token: Token) -> Result<Node, Error> {
        match token {
            Token::Literal(value) => node(Kind::Literal(value)),
            Token::Identifier(name) => node(Kind::Field(name)),
            Token::QuotedIdentifier(name) => self.quoted_field(name),
            Token::Star => self.star(),
            Token::Filter => self.filter(node(Kind::Identity)?),
            Token::LBrace => self.multi_select_hash(),
            Token::LParen => self.parenthesized(),
            Token::Flatten => self.flatten(node(Kind::Identity)?),
            Token::Not => self.not(),
            Token::LBracket => self.bracket(),
            Token::Current => node(Kind::Current),
            Token::Expref => self.expref(),
            _ => Err(Error::Syntax),
        }
    }

    fn quoted_field(&mut self, name: String) -> Result<Node, Error> {
        // `"f"(x)` is no call: a function name is never quoted.
        if matches!(self.current(), Token::LParen) {
            return Err(Error::Syntax);
        }
        node(Kind::Field(name))
    }

    /// `*` at the start: the values of a map.
    fn star(&mut self) -> Result<Node, Error> {
        let right = if matches!(self.current(), Token::RBracket) {
            node(Kind::Identity)?
        } else {
            self.projection_rhs(binding_power(&Token::Star))?
        };
        node(Kind::ValueProjection(
            boxed(Kind::Identity)?,
            Box::new(right),
        ))
    }

    fn parenthesized(&mut self) -> Result<Node, Error> {
        let inner = self.expression(0)?;
        self.expect(|t| matches!(t, Token::RParen))?;
        Ok(inner)
    }

    fn flatten(&mut self, left: Node) -> Result<Node, Error> {
        let left = boxed(Kind::Flatten(Box::new(left)))?;
        let right = self.projection_rhs(binding_power(&Token::Flatten))?;
        node(Kind::Projection(left, Box::new(right)))
    }

    fn not(&mut self) -> Result<Node, Error> {
        let inner = self.expression(binding_power(&Token::Not))?;
        node(Kind::Not(Box::new(inner)))
    }

    fn expref(&mut self) -> Result<Node, Error> {
        let inner = self.expression(0)?;
        node(Kind::Expref(Box::new(inner)))
    }

    /// `[` at the start: an index or slice of the current value, `[*]`, or a multi-select list.
    fn bracket(&mut self) -> Result<Node, Error> {
        match (self.current(), self.peek(1)) {
            (Token::Number(_) | Token::Colon, _) => {
                let right = self.index_or_slice()?;
                self.project_if_slice(node(Kind::Identity)?, right)
            }
            (Token::Star, Token::RBracket) => {
                self.at += 2;
                self.list_projection(node(Kind::Identity)?)
            }
            _ => self.multi_select_list(),
        }
    }

    fn list_projection(&mut self, left: Node) -> Result<Node, Error> {
        let right = self.projection_rhs(binding_power(&Token::Star))?;
        node(Kind::Projection(Box::new(left), Box::new(right)))
    }

    /// The current token, after `left`.
    fn led(&mut self, left: Node) -> Result<Node, Error> {
        let token = self.take();
        match token {
            Token::Dot => self.dot(left),
            Token::Pipe => self.binary(left, Token::Pipe, Kind::Pipe),
            Token::Or => self.binary(left, Token::Or, Kind::Or),
            Token::And => self.binary(left, Token::And, Kind::And),
            Token::LParen => self.call(left),
            Token::Filter => self.filter(left),
            Token::Eq => self.compare(left, Comparator::Eq),
            Token::Ne => self.compare(left, Comparator::Ne),
            Token::Lt => self.compare(left, Comparator::Lt),
            Token::Lte => self.compare(left, Comparator::Lte),
            Token::Gt => self.compare(left, Comparator::Gt),
            Token::Gte => self.compare(left, Comparator::Gte),
            Token::Flatten => self.flatten(left),
            Token::LBracket => self.index_after(left),
            // `*`, `!` and `{` bind but have no meaning after an expression.
            _ => Err(Error::Syntax),
        }
    }

    fn dot(&mut self, left: Node) -> Result<Node, Error> {
        if matches!(self.current(), Token::Star) {
            self.at += 1;
            let right = self.projection_rhs(binding_power(&Token::Dot))?;
            return node(Kind::ValueProjection(Box::new(left), Box::new(right)));
        }
        let right = self.dot_rhs(binding_power(&Token::Dot))?;
        if let Kind::Subexpression(_) = left.kind {
            let mut chain = left;
            chain.push_child(right)?;
            Ok(chain)
        } else {
            node(Kind::Subexpression(vec![left, right]))
        }
    }

    fn binary(
        &mut self,
        left: Node,
        operator: Token,
        kind: fn(Box<Node>, Box<Node>) -> Kind,
    ) -> Result<Node, Error> {
        let right = self.expression(binding_power(&operator))?;
        node(kind(Box::new(left), Box::new(right)))
    }

    fn call(&mut self, left: Node) -> Result<Node, Error> {
        let Kind::Field(name) = left.kind else {
            return Err(Error::Syntax);
        };
        let mut args = Vec::new();
        while !matches!(self.current(), Token::RParen) {
            let arg = self.expression(0)?;
            if matches!(self.current(), Token::Comma) {
                self.at += 1;
            }
            args.push(arg);
        }
        self.at += 1;
        node(Kind::Function(name, args))
    }

    /// `[` after an expression: an index or slice of it, or `[*]`.
    fn index_after(&mut self, left: Node) -> Result<Node, Error> {
        if matches!(self.current(), Token::Number(_) | Token::Colon) {
            let right = self.index_or_slice()?;
            if let Kind::IndexExpression(_) = left.kind {
                let mut chain = left;
                chain.push_child(right)?;
                return Ok(chain);
            }
            return self.project_if_slice(left, right);
        }
        self.expect(|t| matches!(t, Token::Star))?;
        self.expect(|t| matches!(t, Token::RBracket))?;
        self.list_projection(left)
    }

    fn compare(&mut self, left: Node, op: Comparator) -> Result<Node, Error> {
        let right = self.expression(binding_power(&Token::Eq))?;
        node(Kind::Compare(op, Box::new(left), Box::new(right)))
    }

    /// After `[?` (the token already taken): the condition, `]`, and what is projected.
    fn filter(&mut self, left: Node) -> Result<Node, Error> {
        let condition = self.expression(0)?;
        self.expect(|t| matches!(t, Token::RBracket))?;
        let right = if matches!(self.current(), Token::Flatten) {
            node(Kind::Identity)?
        } else {
            self.projection_rhs(binding_power(&Token::Filter))?
        };
        node(Kind::FilterProjection(
            Box::new(left),
            Box::new(right),
            Box::new(condition),
        ))
    }

    /// After `[`, at a number or colon: `n]` or a slice.
    fn index_or_slice(&mut self) -> Result<Node, Error> {
        if matches!(self.current(), Token::Colon) || matches!(self.peek(1), Token::Colon) {
            return self.slice();
        }
        let Token::Number(index) = self.take() else {
            return Err(Error::Syntax);
        };
        self.expect(|t| matches!(t, Token::RBracket))?;
        node(Kind::Index(index))
    }

    fn slice(&mut self) -> Result<Node, Error> {
        let mut parts = [None; 3];
        let mut part = 0;
        loop {
            match self.current() {
                Token::RBracket => break,
                Token::Colon => {
                    part += 1;
                    if part == 3 {
                        return Err(Error::Syntax);
                    }
                }
                // A second number in one part replaces the first, as in Python's parser.
                Token::Number(n) => parts[part] = Some(*n),
                _ => return Err(Error::Syntax),
            }
            self.at += 1;
        }
        self.at += 1;
        node(Kind::Slice(parts[0], parts[1], parts[2]))
    }

    /// A slice projects what follows it; a plain index does not.
    fn project_if_slice(&mut self, left: Node, right: Node) -> Result<Node, Error> {
        let is_slice = matches!(right.kind, Kind::Slice(..));
        let chain = node(Kind::IndexExpression(vec![left, right]))?;
        if !is_slice {
            return Ok(chain);
        }
        let rest = self.projection_rhs(binding_power(&Token::Star))?;
        node(Kind::Projection(Box::new(chain), Box::new(rest)))
    }

    /// What a projection applies to each element: nothing (identity) when a low-binding token
    /// ends it, else an index, filter or `.` chain.
    fn projection_rhs(&mut self, rbp: u8) -> Result<Node, Error> {
        match self.current() {
            t if binding_power(t) < PROJECTION_STOP => node(Kind::Identity),
            Token::LBracket | Token::Filter => self.expression(rbp),
            Token::Dot => {
                self.at += 1;
                self.dot_rhs(rbp)
            }
            _ => Err(Error::Syntax),
        }
    }

    /// After a `.`: a name, `*`, a call, or a multi-select.
    fn dot_rhs(&mut self, rbp: u8) -> Result<Node, Error> {
        match self.current() {
            Token::Identifier(_) | Token::QuotedIdentifier(_) | Token::Star => self.expression(rbp),
            Token::LBracket => {
                self.at += 1;
                self.multi_select_list()
            }
            Token::LBrace => {
                self.at += 1;
                self.multi_select_hash()
            }
            _ => Err(Error::Syntax),
        }
    }

    /// After `[`: expressions separated by commas, then `]`.
    fn multi_select_list(&mut self) -> Result<Node, Error> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if matches!(self.current(), Token::RBracket) {
                break;
            }
            self.expect(|t| matches!(t, Token::Comma))?;
        }
        self.at += 1;
        node(Kind::MultiSelectList(items))
    }

    /// After `{`: `key: expression` pairs, then `}`.
    fn multi_select_hash(&mut self) -> Result<Node, Error> {
        let mut pairs = Vec::new();
        loop {
            let key = match self.take() {
                Token::Identifier(name) | Token::QuotedIdentifier(name) => name,
                _ => return Err(Error::Syntax),
            };
            self.expect(|t| matches!(t, Token::Colon))?;
            let value = self.expression(0)?;
            pairs.push((key, value));
            match self.current() {
                Token::Comma => self.at += 1,
                Token::RBrace => {
                    self.at += 1;
                    break;
                }
                _ => {}
            }
        }
        node(Kind::MultiSelectHash(pairs))
    }
}
