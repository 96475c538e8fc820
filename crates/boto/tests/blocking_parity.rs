//! Every public method of the async API has a blocking twin of the same name and parameter names
//! (`boto::blocking` mirrors the async API module for module), and every public free function of
//! the async modules has a blocking free function of the same shape.
//!
//! The sources are read as tokens (comments, strings, char literals and lifetimes skipped), which is enough
//! to find `pub fn` / `pub async fn` items of inherent `impl` blocks and of modules; function
//! bodies, inline modules (`mod tests`) and `pub(crate)` items are not API and are skipped. A few
//! names have no twin on purpose: each is in [`ALLOWED`] with its reason, and an entry that no
//! longer matches anything fails the run, so the list cannot go stale.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `(async type or "fn" for a free function, method or "*" for the whole type, reason)`.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "DbAction",
        "*",
        "a plain enum shared by both facades: boto::blocking::dsql re-exports it",
    ),
    (
        "Error",
        "*",
        "one error type for both facades: boto::blocking returns boto::Error",
    ),
    (
        "Waiter",
        "new",
        "built from the engine's ServiceClient; blocking code gets one from Client::waiter",
    ),
    (
        "ClientFactory",
        "*",
        "credential-provider plumbing: providers run inside the engine for either facade",
    ),
    (
        "AssumeRoleProvider",
        "*",
        "a credentials provider, passed as is to blocking::SessionBuilder::credentials_provider",
    ),
    (
        "SsoProvider",
        "*",
        "a credentials provider, passed as is to blocking::SessionBuilder::credentials_provider",
    ),
    (
        "SsoTokenProvider",
        "*",
        "a bearer-token provider the session makes for either facade's clients",
    ),
    (
        "WebIdentityProvider",
        "*",
        "a credentials provider, passed as is to blocking::SessionBuilder::credentials_provider",
    ),
    (
        "Number",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "Set",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "Key",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "Attr",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "ConditionExpressionBuilder",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "ValueError",
        "*",
        "a DynamoDB value type with no I/O: boto::blocking::dynamodb re-exports it",
    ),
    (
        "fn",
        "install",
        "credential-chain plumbing used while a session builds, for either facade",
    ),
];

/// Async types whose blocking twin has another name.
const RENAMED: &[(&str, &str)] = &[("Paginator", "Pages")];

/// Engine types the async facade hands out whose async methods need twins too.
const ENGINE_TYPES: &[(&str, &str)] = &[
    ("../../boto-core/src/waiter.rs", "Waiter"),
    ("../../boto-core/src/client/event_stream.rs", "EventStream"),
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Skips a `"..."` string starting at `i` (the opening quote); returns the index after it.
fn skip_string(s: &[char], mut i: usize) -> usize {
    i += 1;
    while i < s.len() && s[i] != '"' {
        i += if s[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

/// Skips a raw string `#*"..."#*` starting at `i` (the first `#` or quote).
fn skip_raw_string(s: &[char], mut i: usize) -> usize {
    let mut hashes = 0;
    while i < s.len() && s[i] == '#' {
        hashes += 1;
        i += 1;
    }
    i += 1;
    while i < s.len() {
        if s[i] == '"'
            && s[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// Rust source as identifiers and punctuation, without comments or literals.
fn tokens(src: &str) -> Vec<Tok> {
    let s: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' {
            i = skip_string(&s, i);
        } else if c == '\'' {
            // A char literal ('{', '\n', '\u{7b}') or a lifetime ('a, 'static).
            if next == Some('\\') {
                // Past the backslash and the escaped char, then to the closing quote.
                i += 3;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if s.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                // A lifetime is no name: `&'a self` reads as `& self`.
                i += 1;
                while i < s.len() && is_ident_char(s[i]) {
                    i += 1;
                }
            }
        } else if is_ident_start(c) {
            let start = i;
            while i < s.len() && is_ident_char(s[i]) {
                i += 1;
            }
            let word: String = s[start..i].iter().collect();
            match (word.as_str(), s.get(i)) {
                ("r" | "br", Some('"' | '#')) => i = skip_raw_string(&s, i),
                ("b", Some('"')) => i = skip_string(&s, i),
                ("b", Some('\'')) => {
                    i += 1;
                    while i < s.len() && s[i] != '\'' {
                        i += if s[i] == '\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                _ => out.push(Tok::Ident(word)),
            }
        } else if c.is_ascii_digit() {
            while i < s.len() && is_ident_char(s[i]) {
                i += 1;
            }
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

/// A function's name and its parameter names (without `self`).
type Sig = (String, Vec<String>);

/// A method found in an impl block.
#[derive(Debug, PartialEq)]
struct Method {
    ty: String,
    sig: Sig,
    public: bool,
    in_trait_impl: bool,
}

/// What one file declares.
#[derive(Debug, Default)]
struct Items {
    methods: Vec<Method>,
    /// Public free functions at module level.
    free: Vec<Sig>,
    /// Types declared `pub struct` / `pub enum` at module level.
    pub_types: Vec<String>,
}

enum Frame {
    Module,
    Impl { ty: String, is_trait: bool },
    Opaque,
}

fn ident(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn is(t: Option<&Tok>, word: &str) -> bool {
    ident(t) == Some(word)
}

/// The index of the next `{` or `;` from `i`.
fn to_body(toks: &[Tok], mut i: usize) -> usize {
    while i < toks.len() && !matches!(toks[i], Tok::Punct('{') | Tok::Punct(';')) {
        i += 1;
    }
    i
}

/// The parameter names of the signature whose `(` is at `open` (`self` in any form left out);
/// a pattern that is not a plain name (`(a, b): (u8, u8)`) is kept as `_`.
fn params(toks: &[Tok], open: usize) -> Vec<String> {
    let mut out = Vec::new();
    let (mut parens, mut angles) = (0i32, 0i32);
    let mut start = true;
    let mut prev_dash = false;
    for t in &toks[open..] {
        match t {
            Tok::Punct('(' | '[') => {
                parens += 1;
                if parens == 1 {
                    prev_dash = false;
                    continue;
                }
            }
            Tok::Punct(')' | ']') => {
                parens -= 1;
                if parens == 0 {
                    break;
                }
            }
            Tok::Punct('<') => angles += 1,
            Tok::Punct('>') if !prev_dash => angles -= 1,
            Tok::Punct(',') if parens == 1 && angles == 0 => {
                start = true;
                prev_dash = false;
                continue;
            }
            _ => {}
        }
        prev_dash = *t == Tok::Punct('-');
        if start && parens == 1 {
            match t {
                Tok::Punct('&') => continue,
                Tok::Ident(w) if w == "mut" => continue,
                Tok::Ident(w) if w == "self" => {}
                Tok::Ident(w) => out.push(w.clone()),
                _ => out.push("_".into()),
            }
            start = false;
        }
    }
    out
}

/// The self type of an impl header (`impl<T> fmt::Debug for Named<T>` gives `Named`, a trait
/// impl) from the tokens between `impl` and `{`.
fn impl_target(header: &[Tok]) -> (String, bool) {
    let mut depth = 0i32;
    let mut after_for = None;
    let mut last_top_ident = None;
    let mut prev_dash = false;
    for (k, t) in header.iter().enumerate() {
        match t {
            Tok::Punct('<') => depth += 1,
            Tok::Punct('>') if !prev_dash => depth -= 1,
            Tok::Ident(w) if depth == 0 && w == "for" => after_for = Some(k),
            _ => {}
        }
        prev_dash = *t == Tok::Punct('-');
    }
    let start = after_for.map_or(0, |k| k + 1);
    let mut depth = 0i32;
    for t in &header[start..] {
        match t {
            Tok::Punct('<') => depth += 1,
            Tok::Punct('>') => depth -= 1,
            Tok::Ident(w) if depth == 0 && w != "where" => last_top_ident = Some(w.clone()),
            Tok::Ident(_) if depth == 0 => break,
            _ => {}
        }
    }
    (last_top_ident.unwrap_or_default(), after_for.is_some())
}

fn scan(src: &str) -> Items {
    let toks = tokens(src);
    let mut items = Items::default();
    let mut stack = vec![Frame::Module];
    let mut pending: Option<Frame> = None;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match t {
            Tok::Punct('{') => {
                stack.push(pending.take().unwrap_or(Frame::Opaque));
                i += 1;
                continue;
            }
            Tok::Punct('}') => {
                stack.pop();
                i += 1;
                continue;
            }
            _ => {}
        }
        let top = stack.last().unwrap_or(&Frame::Opaque);
        if matches!(top, Frame::Opaque) {
            i += 1;
            continue;
        }
        let word = ident(Some(t));
        // `pub` exactly: `pub(crate)` is followed by `(`.
        let public = word == Some("pub") && matches!(toks.get(i + 1), Some(Tok::Ident(_)));
        let mut j = if public { i + 1 } else { i };
        while ["async", "const", "unsafe", "extern"]
            .iter()
            .any(|q| is(toks.get(j), q))
        {
            j += 1;
        }
        if is(toks.get(j), "fn") {
            let name = ident(toks.get(j + 1)).unwrap_or_default().to_string();
            let open = (j..toks.len())
                .find(|&k| toks[k] == Tok::Punct('('))
                .unwrap_or(toks.len() - 1);
            let sig = (name, params(&toks, open));
            match top {
                Frame::Module if public => items.free.push(sig),
                Frame::Impl { ty, is_trait } => items.methods.push(Method {
                    ty: ty.clone(),
                    sig,
                    public,
                    in_trait_impl: *is_trait,
                }),
                _ => {}
            }
            // The signature may hold `impl Trait`; the body is opaque.
            i = to_body(&toks, j);
            continue;
        }
        if matches!(top, Frame::Module) {
            if public && (is(toks.get(j), "struct") || is(toks.get(j), "enum")) {
                if let Some(name) = ident(toks.get(j + 1)) {
                    items.pub_types.push(name.to_string());
                }
            }
            if word == Some("impl") {
                let body = to_body(&toks, i + 1);
                let (ty, is_trait) = impl_target(&toks[i + 1..body]);
                pending = Some(Frame::Impl { ty, is_trait });
                i = body;
                continue;
            }
            if word == Some("mod") {
                // Inline modules (`mod tests { .. }`) are not API; `mod x;` files are walked.
                i = to_body(&toks, i + 1);
                continue;
            }
        }
        i += 1;
    }
    items
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Functions by name with their parameter names: per type, and per group of free functions
/// (`transfer` or the root).
#[derive(Debug, Default)]
struct Surface {
    methods: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    free: BTreeMap<&'static str, BTreeMap<String, Vec<String>>>,
}

fn group(file: &Path) -> &'static str {
    let in_transfer_dir = file
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|n| n == "transfer");
    if in_transfer_dir || file.file_name().is_some_and(|n| n == "transfer.rs") {
        "transfer"
    } else {
        "root"
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The public async API: inherent `pub` methods of public types, and `pub` free functions.
fn async_surface(src: &Path) -> Surface {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.retain(|f| !f.starts_with(src.join("blocking")) && *f != src.join("blocking.rs"));
    let scanned: Vec<(PathBuf, Items)> =
        files.iter().map(|f| (f.clone(), scan(&read(f)))).collect();
    let pub_types: BTreeSet<String> = scanned
        .iter()
        .flat_map(|(_, it)| it.pub_types.iter().cloned())
        .collect();
    let mut s = Surface::default();
    for (file, it) in scanned {
        for m in it.methods {
            if m.public && !m.in_trait_impl && pub_types.contains(&m.ty) {
                s.methods.entry(m.ty).or_default().extend([m.sig]);
            }
        }
        s.free.entry(group(&file)).or_default().extend(it.free);
    }
    for (file, ty) in ENGINE_TYPES {
        for m in scan(&read(&src.join(file))).methods {
            if m.ty == *ty && m.public && !m.in_trait_impl {
                s.methods.entry(m.ty).or_default().extend([m.sig]);
            }
        }
    }
    s
}

/// The blocking API: `pub` inherent methods and trait methods (`Iterator::next` answers for the
/// async `next`), and `pub` free functions.
fn blocking_surface(src: &Path) -> Surface {
    let mut files = Vec::new();
    if src.join("blocking").is_dir() {
        rust_files(&src.join("blocking"), &mut files);
    }
    if src.join("blocking.rs").is_file() {
        files.push(src.join("blocking.rs"));
    }
    let mut s = Surface::default();
    for f in &files {
        let it = scan(&read(f));
        for m in it.methods {
            if m.public || m.in_trait_impl {
                s.methods.entry(m.ty).or_default().extend([m.sig]);
            }
        }
        s.free.entry(group(f)).or_default().extend(it.free);
    }
    s
}

fn allowed(ty: &str, name: &str) -> bool {
    ALLOWED
        .iter()
        .any(|(t, m, _)| *t == ty && (*m == name || *m == "*"))
}

/// What has no twin, or a twin with other parameters (`Client::waiter ...`,
/// `fn transfer::upload_file ...`).
fn missing(a: &Surface, b: &Surface) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |what: String,
                       allow: bool,
                       ours: &Vec<String>,
                       theirs: Option<&Vec<String>>| {
        match theirs {
            _ if allow => {}
            None => out.push(format!("{what}: no twin")),
            Some(p) if p != ours => out.push(format!(
                "{what}: takes ({}), its twin ({})",
                ours.join(", "),
                p.join(", ")
            )),
            Some(_) => {}
        }
    };
    for (ty, fns) in &a.methods {
        let twin = RENAMED
            .iter()
            .find(|(from, _)| from == ty)
            .map_or(ty.as_str(), |(_, to)| to);
        for (name, params) in fns {
            compare(
                format!("{ty}::{name} (blocking type {twin})"),
                allowed(ty, name),
                params,
                b.methods.get(twin).and_then(|f| f.get(name)),
            );
        }
    }
    for (group, fns) in &a.free {
        for (name, params) in fns {
            compare(
                format!("fn {group}::{name}"),
                allowed("fn", name),
                params,
                b.free.get(group).and_then(|f| f.get(name)),
            );
        }
    }
    out
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_public_async_method_has_a_blocking_twin() {
    let src = src_dir();
    let (a, b) = (async_surface(&src), blocking_surface(&src));
    let gaps = missing(&a, &b);
    assert!(
        gaps.is_empty(),
        "public async API without a blocking twin of the same name and parameters (add it to \
         boto::blocking, or to ALLOWED in this file with a reason):\n  {}",
        gaps.join("\n  ")
    );
}

#[test]
fn the_scan_sees_the_api_it_checks() {
    // A scanner that found nothing would pass the parity test vacuously.
    let a = async_surface(&src_dir());
    for (ty, m) in [
        ("Session", "resource_in_region"),
        ("SessionBuilder", "build"),
        ("Client", "call"),
        ("Client", "build_request"),
        ("Paginator", "next_page"),
        ("Waiter", "wait"),
        ("ServiceResource", "create_bucket"),
        ("Resource", "load"),
        ("Resource", "wait_until"),
        ("ActionResult", "into_resource"),
        ("Collection", "iter"),
        ("CollectionIter", "next_page"),
    ] {
        assert!(
            a.methods.get(ty).is_some_and(|n| n.contains_key(m)),
            "{ty}::{m} not found; found {:?}",
            a.methods
        );
    }
    for (group, f) in [
        ("root", "client"),
        ("root", "default_session"),
        ("root", "batch_action"),
        ("transfer", "upload_file"),
    ] {
        assert!(
            a.free[group].contains_key(f),
            "fn {group}::{f}: {:?}",
            a.free
        );
    }
    assert_eq!(
        a.methods["Client"]["upload_file"],
        ["path", "bucket", "key"],
        "parameters are read too"
    );
    let b = blocking_surface(&src_dir());
    assert!(
        b.methods["Pages"].contains_key("next"),
        "trait methods count"
    );
}

#[test]
fn every_allow_list_entry_still_matches_something() {
    let a = async_surface(&src_dir());
    for (ty, name, reason) in ALLOWED {
        assert!(!reason.is_empty());
        let used = if *ty == "fn" {
            a.free.values().any(|n| n.contains_key(*name))
        } else {
            a.methods
                .get(*ty)
                .is_some_and(|n| *name == "*" || n.contains_key(*name))
        };
        assert!(
            used,
            "ALLOWED entry ({ty}, {name}) matches nothing: remove it"
        );
    }
}

#[test]
fn the_scanner_reads_items_not_bodies_comments_or_literals() {
    let src = r##"
        //! pub fn in_a_comment() {}
        /* pub fn in_a_block_comment() { /* nested */ } */
        pub struct Thing;
        pub(crate) struct Hidden;
        pub async fn free_one(path: impl AsRef<Path>) -> Result<(), E> {
            let brace = '{';
            let s = "} pub fn in_a_string() {";
            let r = r#"}"#;
            impl Local { pub fn in_a_body() {} }
            Ok(())
        }
        pub(crate) fn crate_only() {}
        fn private() {}
        impl<'a> Thing {
            /// pub fn in_a_doc() {}
            pub fn method<T: Into<String>>(&'a self, t: impl Fn() -> T, mut u: Vec<(u8, u8)>) -> &'a str { "{" }
            pub async fn async_method(&self) {}
            pub(crate) fn crate_method(self: Arc<Self>, (a, b): (u8, u8)) {}
            fn private_method(&self) {}
        }
        impl fmt::Debug for Thing {
            fn fmt(&self) {}
        }
        #[cfg(test)]
        mod tests {
            pub fn test_helper() {}
            impl Thing { pub fn test_only(&self) {} }
        }
        pub fn free_two() {}
    "##;
    let it = scan(src);
    let names = |fns: &[Sig]| -> Vec<String> { fns.iter().map(|(n, _)| n.clone()).collect() };
    assert_eq!(names(&it.free), ["free_one", "free_two"]);
    assert_eq!(it.free[0].1, ["path"]);
    assert_eq!(it.pub_types, ["Thing"]);
    let methods: Vec<(&str, &str, Vec<&str>, bool, bool)> = it
        .methods
        .iter()
        .map(|m| {
            let params = m.sig.1.iter().map(String::as_str).collect();
            (
                m.ty.as_str(),
                m.sig.0.as_str(),
                params,
                m.public,
                m.in_trait_impl,
            )
        })
        .collect();
    assert_eq!(
        methods,
        [
            ("Thing", "method", vec!["t", "u"], true, false),
            ("Thing", "async_method", vec![], true, false),
            ("Thing", "crate_method", vec!["_"], false, false),
            ("Thing", "private_method", vec![], false, false),
            ("Thing", "fmt", vec![], false, true),
        ]
    );
}

fn fns(list: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    list.iter()
        .map(|(n, p)| (n.to_string(), p.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[test]
fn a_missing_or_different_twin_is_reported() {
    let a = Surface {
        methods: BTreeMap::from([
            (
                "Client".to_string(),
                fns(&[("call", &["operation", "input"]), ("waiter", &["name"])]),
            ),
            ("Paginator".to_string(), fns(&[("next_page", &[])])),
            ("Waiter".to_string(), fns(&[("new", &["client", "name"])])),
        ]),
        free: BTreeMap::from([
            ("transfer", fns(&[("upload_file", &["client", "path"])])),
            ("root", fns(&[("client", &["service"])])),
        ]),
    };
    let b = Surface {
        methods: BTreeMap::from([
            ("Client".to_string(), fns(&[("call", &["operation"])])),
            ("Pages".to_string(), fns(&[("next_page", &[])])),
        ]),
        free: BTreeMap::from([(
            "root",
            fns(&[
                ("upload_file", &["client", "path"]),
                ("client", &["service"]),
            ]),
        )]),
    };
    assert_eq!(
        missing(&a, &b),
        [
            "Client::call (blocking type Client): takes (operation, input), its twin (operation)",
            "Client::waiter (blocking type Client): no twin",
            "fn transfer::upload_file: no twin",
        ]
    );
}
