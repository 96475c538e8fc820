//! A small regular-expression matcher for the `regionRegex` patterns of `partitions.json`.
//!
//! Supports the Python `re` subset those patterns use (and a little more): literals, `.`, escapes
//! (`\d \D \w \W \s \S`, `\A`, `\Z` and escaped punctuation), character classes with ranges and
//! negation, groups (`(...)`, `(?:...)`, `(?P<name>...)`), alternation, the quantifiers `* + ?
//! {n} {n,} {n,m}` (greedy or lazy), and the anchors `^` / `$` (Python semantics: `$` also matches
//! before a final newline). Anything else is rejected when the pattern is compiled.
//!
//! Matching follows `re.match`: anchored at the start of the input, not at the end. It runs as a
//! Thompson-NFA simulation, so it is linear in the input and never recurses on the input.

use std::fmt;

/// Most instructions a compiled pattern may have (guards against `{n,m}` blow-ups).
const MAX_PROGRAM: usize = 20_000;
/// Deepest group nesting accepted.
const MAX_NESTING: usize = 64;

/// A compiled pattern.
#[derive(Clone)]
pub(crate) struct Regex {
    program: Vec<Inst>,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regex({} instructions)", self.program.len())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Perl {
    Digit,
    Word,
    Space,
}

impl Perl {
    fn matches(self, c: char) -> bool {
        match self {
            Perl::Digit => c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()),
            Perl::Word => c == '_' || c.is_alphanumeric(),
            Perl::Space => c.is_whitespace(),
        }
    }
}

#[derive(Clone, Debug)]
enum ClassItem {
    Range(char, char),
    Perl(Perl, bool),
}

#[derive(Clone, Debug)]
enum Pred {
    Lit(char),
    Any,
    Perl(Perl, bool),
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
}

impl Pred {
    fn matches(&self, c: char) -> bool {
        match self {
            Pred::Lit(l) => *l == c,
            Pred::Any => c != '\n',
            Pred::Perl(p, negated) => p.matches(c) != *negated,
            Pred::Class { negated, items } => {
                let hit = items.iter().any(|item| match item {
                    ClassItem::Range(lo, hi) => *lo <= c && c <= *hi,
                    ClassItem::Perl(p, neg) => p.matches(c) != *neg,
                });
                hit != *negated
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Node {
    Empty,
    Pred(Pred),
    /// `^` or `\A`.
    Start,
    /// `$`: end of input or before a final newline.
    End,
    /// `\Z`: end of input only.
    AbsEnd,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Debug)]
enum Inst {
    Pred(Pred),
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    AbsEnd,
    Match,
}

impl Regex {
    /// Compiles `pattern`, or explains why it is not supported.
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            depth: 0,
        };
        let node = parser.parse_alt()?;
        if parser.pos != chars.len() {
            return Err(format!("unbalanced ')' in pattern {pattern:?}"));
        }
        let mut program = Vec::new();
        emit(&node, &mut program)?;
        program.push(Inst::Match);
        Ok(Regex { program })
    }

    /// Whether the pattern matches at the start of `input` (Python `re.match`).
    pub(crate) fn is_match(&self, input: &str) -> bool {
        if self.program.len() <= SMALL {
            // Small programs (all partition patterns): bit sets and a fixed stack, no allocation.
            self.run(input, &mut SmallSeen(0), &mut PendingBits(0))
        } else {
            let mut seen = vec![false; self.program.len()];
            self.run(input, &mut seen, &mut Vec::new())
        }
    }

    /// Thompson simulation. The set of threads after a step is the set of `Pred` instructions
    /// reached by the step's epsilon closures, which is what `seen` records.
    fn run<S: Seen, K: Stack>(&self, input: &str, seen: &mut S, stack: &mut K) -> bool {
        if self.closure(seen, stack, 0, input, 0) {
            return true;
        }
        let mut current = seen.snapshot();
        for (pos, c) in input.char_indices() {
            seen.clear();
            let after = pos + c.len_utf8();
            let mut alive = false;
            for pc in S::members(&current) {
                if let Some(Inst::Pred(pred)) = self.program.get(pc) {
                    if pred.matches(c) {
                        alive = true;
                        if self.closure(seen, stack, pc + 1, input, after) {
                            return true;
                        }
                    }
                }
            }
            if !alive {
                return false;
            }
            current = seen.snapshot();
        }
        false
    }

    /// Visits the epsilon closure of `pc` at byte offset `pos`, marking every instruction
    /// reached in `seen`; returns true on reaching `Match`.
    fn closure<S: Seen, K: Stack>(
        &self,
        seen: &mut S,
        stack: &mut K,
        pc: usize,
        input: &str,
        pos: usize,
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if pc >= self.program.len() || seen.test_and_set(pc) {
                continue;
            }
            match &self.program[pc] {
                Inst::Match => return true,
                Inst::Pred(_) => {}
                Inst::Jmp(to) => stack.push(*to),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Start if pos == 0 => stack.push(pc + 1),
                Inst::End if matches!(input.get(pos..), Some("" | "\n") | None) => {
                    stack.push(pc + 1)
                }
                Inst::AbsEnd if pos >= input.len() => stack.push(pc + 1),
                Inst::Start | Inst::End | Inst::AbsEnd => {}
            }
        }
        false
    }
}

/// Programs up to this many instructions use [`SmallSeen`] / [`PendingBits`].
const SMALL: usize = 128;

/// The set of instructions reached in one step.
trait Seen {
    type Snapshot;
    /// Marks `pc`; returns whether it was marked already.
    fn test_and_set(&mut self, pc: usize) -> bool;
    fn clear(&mut self);
    fn snapshot(&self) -> Self::Snapshot;
    /// The marked instructions of a snapshot.
    fn members(snapshot: &Self::Snapshot) -> impl Iterator<Item = usize> + '_;
}

struct SmallSeen(u128);

impl Seen for SmallSeen {
    type Snapshot = u128;
    fn test_and_set(&mut self, pc: usize) -> bool {
        let bit = 1u128
            .checked_shl(u32::try_from(pc).unwrap_or(u32::MAX))
            .unwrap_or(0);
        let was = self.0 & bit != 0;
        self.0 |= bit;
        was
    }
    fn clear(&mut self) {
        self.0 = 0;
    }
    fn snapshot(&self) -> u128 {
        self.0
    }
    fn members(snapshot: &u128) -> impl Iterator<Item = usize> + '_ {
        let mut bits = *snapshot;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let pc = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(pc)
        })
    }
}

impl Seen for Vec<bool> {
    type Snapshot = Vec<bool>;
    fn test_and_set(&mut self, pc: usize) -> bool {
        match self.get_mut(pc) {
            Some(s) => std::mem::replace(s, true),
            None => true,
        }
    }
    fn clear(&mut self) {
        self.iter_mut().for_each(|s| *s = false);
    }
    fn snapshot(&self) -> Vec<bool> {
        self.clone()
    }
    fn members(snapshot: &Vec<bool>) -> impl Iterator<Item = usize> + '_ {
        snapshot
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(pc, _)| pc)
    }
}

/// The work stack of an epsilon closure.
trait Stack {
    fn clear(&mut self);
    fn push(&mut self, pc: usize);
    fn pop(&mut self) -> Option<usize>;
}

impl Stack for Vec<usize> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn push(&mut self, pc: usize) {
        Vec::push(self, pc);
    }
    fn pop(&mut self) -> Option<usize> {
        Vec::pop(self)
    }
}

/// The pending work of a small program's closure as a bit set (visiting order does not matter
/// for a yes/no match).
struct PendingBits(u128);

impl Stack for PendingBits {
    fn clear(&mut self) {
        self.0 = 0;
    }
    fn push(&mut self, pc: usize) {
        // Every target of a program of at most SMALL instructions is below SMALL.
        if pc < SMALL {
            self.0 |= 1u128 << pc;
        }
    }
    fn pop(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let pc = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(pc)
    }
}

fn emit(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
    if prog.len() > MAX_PROGRAM {
        return Err("pattern too large".to_string());
    }
    match node {
        Node::Empty => {}
        Node::Pred(p) => prog.push(Inst::Pred(p.clone())),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::AbsEnd => prog.push(Inst::AbsEnd),
        Node::Concat(nodes) => {
            for n in nodes {
                emit(n, prog)?;
            }
        }
        Node::Alt(branches) => {
            // split L1, next; L1: branch; jmp end; next: split ...
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(branch, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    emit(branch, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(node, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    emit(node, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let optional = max.saturating_sub(*min);
                    let mut splits = Vec::new();
                    for _ in 0..optional {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        emit(node, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    if prog.len() > MAX_PROGRAM {
        return Err("pattern too large".to_string());
    }
    Ok(())
}

struct Parser<'p> {
    chars: &'p [char],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn parse_alt(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.parse_concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.parse_concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(branches)
        })
    }

    fn parse_concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.parse_atom()?;
            let atom = self.parse_quantifier(atom)?;
            items.push(atom);
        }
        Ok(Node::Concat(items))
    }

    fn parse_atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.pos += 1;
        match c {
            '^' => Ok(Node::Start),
            '$' => Ok(Node::End),
            '.' => Ok(Node::Pred(Pred::Any)),
            '(' => {
                self.depth += 1;
                if self.depth > MAX_NESTING {
                    return Err("groups nested too deeply".to_string());
                }
                if self.peek() == Some('?') {
                    self.pos += 1;
                    match self.peek() {
                        Some(':') => self.pos += 1,
                        Some('P') if self.chars.get(self.pos + 1) == Some(&'<') => {
                            self.pos += 2;
                            while let Some(c) = self.peek() {
                                self.pos += 1;
                                if c == '>' {
                                    break;
                                }
                                if !(c == '_' || c.is_alphanumeric()) {
                                    return Err("invalid group name".to_string());
                                }
                            }
                        }
                        _ => return Err("unsupported group construct '(?'".to_string()),
                    }
                }
                let inner = self.parse_alt()?;
                if self.peek() != Some(')') {
                    return Err("missing ')'".to_string());
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(Node::Concat(vec![inner]))
            }
            '[' => self.parse_class(),
            '\\' => self.parse_escape(false).map(|e| match e {
                Escaped::Char(c) => Node::Pred(Pred::Lit(c)),
                Escaped::Perl(p, neg) => Node::Pred(Pred::Perl(p, neg)),
                Escaped::Start => Node::Start,
                Escaped::AbsEnd => Node::AbsEnd,
            }),
            '*' | '+' | '?' => Err(format!("nothing to repeat before '{c}'")),
            other => Ok(Node::Pred(Pred::Lit(other))),
        }
    }

    fn parse_escape(&mut self, in_class: bool) -> Result<Escaped, String> {
        let Some(c) = self.peek() else {
            return Err("pattern ends with '\\'".to_string());
        };
        self.pos += 1;
        Ok(match c {
            'd' => Escaped::Perl(Perl::Digit, false),
            'D' => Escaped::Perl(Perl::Digit, true),
            'w' => Escaped::Perl(Perl::Word, false),
            'W' => Escaped::Perl(Perl::Word, true),
            's' => Escaped::Perl(Perl::Space, false),
            'S' => Escaped::Perl(Perl::Space, true),
            'n' => Escaped::Char('\n'),
            't' => Escaped::Char('\t'),
            'r' => Escaped::Char('\r'),
            'f' => Escaped::Char('\x0c'),
            'v' => Escaped::Char('\x0b'),
            'A' if !in_class => Escaped::Start,
            'Z' if !in_class => Escaped::AbsEnd,
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("unsupported escape '\\{c}'"));
            }
            c => Escaped::Char(c),
        })
    }

    fn parse_class(&mut self) -> Result<Node, String> {
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("unterminated character class".to_string());
            };
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                match self.parse_escape(true)? {
                    Escaped::Char(c) => c,
                    Escaped::Perl(p, neg) => {
                        items.push(ClassItem::Perl(p, neg));
                        continue;
                    }
                    Escaped::Start | Escaped::AbsEnd => {
                        return Err("anchor inside character class".to_string())
                    }
                }
            } else {
                c
            };
            // A range `lo-hi`, unless the '-' is the last character before ']'.
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
                self.pos += 1;
                let Some(h) = self.peek() else {
                    return Err("unterminated character class".to_string());
                };
                self.pos += 1;
                let hi = if h == '\\' {
                    match self.parse_escape(true)? {
                        Escaped::Char(c) => c,
                        _ => return Err("bad character range".to_string()),
                    }
                } else {
                    h
                };
                if hi < lo {
                    return Err("bad character range".to_string());
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Ok(Node::Pred(Pred::Class { negated, items }))
    }

    fn parse_quantifier(&mut self, atom: Node) -> Result<Node, String> {
        let mut node = atom;
        loop {
            let (min, max) = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    (0, None)
                }
                Some('+') => {
                    self.pos += 1;
                    (1, None)
                }
                Some('?') => {
                    self.pos += 1;
                    (0, Some(1))
                }
                Some('{') => match self.parse_braces() {
                    Some((min, max)) => (min, max),
                    None => return Ok(node),
                },
                _ => return Ok(node),
            };
            if matches!(
                node,
                Node::Start | Node::End | Node::AbsEnd | Node::Repeat { .. }
            ) {
                return Err("nothing to repeat".to_string());
            }
            // A lazy marker changes nothing for a yes/no match.
            if self.peek() == Some('?') {
                self.pos += 1;
            }
            if let Some(max) = max {
                if max < min {
                    return Err("bad repeat interval".to_string());
                }
            }
            node = Node::Repeat {
                node: Box::new(node),
                min,
                max,
            };
        }
    }

    /// Parses `{n}`, `{n,}`, `{,m}` or `{n,m}`; `None` (nothing consumed) means a literal `{`.
    fn parse_braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        let mut i = start + 1;
        let read_num = |i: &mut usize| -> Option<Option<u32>> {
            let from = *i;
            let mut value: u32 = 0;
            while let Some(c) = self.chars.get(*i).filter(|c| c.is_ascii_digit()) {
                value = value.checked_mul(10)?.checked_add(c.to_digit(10)?)?;
                *i += 1;
            }
            Some(if *i == from { None } else { Some(value) })
        };
        let min = read_num(&mut i)?;
        let max = if self.chars.get(i) == Some(&',') {
            i += 1;
            read_num(&mut i)?
        } else {
            Some(min?)
        };
        if self.chars.get(i) != Some(&'}') {
            return None;
        }
        self.pos = i + 1;
        Some((min.unwrap_or(0), max))
    }
}

enum Escaped {
    Char(char),
    Perl(Perl, bool),
    Start,
    AbsEnd,
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, s: &str) -> bool {
        Regex::new(p).expect("pattern compiles").is_match(s)
    }

    #[test]
    fn partition_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        assert!(m(aws, "us-west-2"));
        assert!(m(aws, "eu-central-1"));
        assert!(!m(aws, "us-gov-west-1"));
        assert!(!m(aws, "cn-north-1"));
        assert!(m(aws, "us-west-2\n"));
        assert!(!m(aws, "us-west-2\n\n"));
        assert!(!m(aws, "us-west-"));
        assert!(m(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(m(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
    }

    #[test]
    fn general_features() {
        assert!(m("a{2,3}b", "aab"));
        assert!(!m("a{2,3}b", "ab"));
        assert!(m("[a-c]+x", "abcx"));
        assert!(m("[^a-c]", "d"));
        assert!(!m("[^a-c]", "a"));
        assert!(m("(?:ab|cd)*$", "abcdab"));
        assert!(m("x?", ""));
        assert!(m(r"a\Z", "a"));
        assert!(!m(r"a\Z", "a\n"));
        assert!(m("a{", "a{"));
        assert!(m("(a*)*b", "aaab"));
        assert!(m("[]a]", "]"));
        assert!(m("[a-]", "-"));
    }

    #[test]
    fn rejects_unsupported() {
        assert!(Regex::new("(?i)a").is_err());
        assert!(Regex::new("(a").is_err());
        assert!(Regex::new("a)").is_err());
        assert!(Regex::new("*").is_err());
        assert!(Regex::new(r"\1").is_err());
        assert!(Regex::new("[a").is_err());
        assert!(Regex::new("a{99999}{99999}").is_err());
    }
}
