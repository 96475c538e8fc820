//! Every public method of the async API has a blocking twin of the same name (`boto::blocking`
//! mirrors the async API module for module), and every public free function of the async modules
//! has a blocking free function.
//!
//! The sources are read as tokens (comments, strings and char literals skipped), which is enough
//! to find `pub fn` / `pub async fn` items of inherent `impl` blocks and of modules; function
//! bodies, inline modules (`mod tests`) and `pub(crate)` items are not API and are skipped. A few
//! names have no twin on purpose: each is in [`ALLOWED`] with its reason, and an entry that no
//! longer matches anything fails the run, so the list cannot go stale.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `(async type or "fn" for a free function, method or "*" for the whole type, reason)`.
const ALLOWED: &[(&str, &str, &str)] = &[
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
        "WebIdentityProvider",
        "*",
        "a credentials provider, passed as is to blocking::SessionBuilder::credentials_provider",
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
const ENGINE_TYPES: &[(&str, &str)] = &[("../../boto-core/src/waiter.rs", "Waiter")];

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
                i += 1;
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

/// What one file declares.
#[derive(Debug, Default)]
struct Items {
    /// `(type, method, public, in a trait impl)`.
    methods: Vec<(String, String, bool, bool)>,
    /// Public free functions at module level.
    free: Vec<String>,
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
            match top {
                Frame::Module if public => items.free.push(name),
                Frame::Impl { ty, is_trait } => {
                    items.methods.push((ty.clone(), name, public, *is_trait))
                }
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

/// Names per type and free functions per group (`transfer` or the root).
#[derive(Debug, Default)]
struct Surface {
    methods: BTreeMap<String, BTreeSet<String>>,
    free: BTreeMap<&'static str, BTreeSet<String>>,
}

fn group(file: &Path) -> &'static str {
    if file.file_name().is_some_and(|n| n == "transfer.rs") {
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
    let pub_types: BTreeSet<&str> = scanned
        .iter()
        .flat_map(|(_, it)| it.pub_types.iter().map(String::as_str))
        .collect();
    let mut s = Surface::default();
    for (file, it) in &scanned {
        for (ty, m, public, is_trait) in &it.methods {
            if *public && !is_trait && pub_types.contains(ty.as_str()) {
                s.methods.entry(ty.clone()).or_default().insert(m.clone());
            }
        }
        s.free
            .entry(group(file))
            .or_default()
            .extend(it.free.iter().cloned());
    }
    for (file, ty) in ENGINE_TYPES {
        for (t, m, public, is_trait) in scan(&read(&src.join(file))).methods {
            if t == *ty && public && !is_trait {
                s.methods.entry(t).or_default().insert(m);
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
        for (ty, m, public, is_trait) in it.methods {
            if public || is_trait {
                s.methods.entry(ty).or_default().insert(m);
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

/// What has no twin, in `file`-free wording (`Client::waiter`, `fn transfer::upload_file`).
fn missing(a: &Surface, b: &Surface) -> Vec<String> {
    let mut out = Vec::new();
    for (ty, names) in &a.methods {
        let twin = RENAMED
            .iter()
            .find(|(from, _)| from == ty)
            .map_or(ty.as_str(), |(_, to)| to);
        for name in names {
            let has = b.methods.get(twin).is_some_and(|n| n.contains(name));
            if !has && !allowed(ty, name) {
                out.push(format!("{ty}::{name} (blocking type {twin})"));
            }
        }
    }
    for (group, names) in &a.free {
        for name in names {
            let has = b.free.get(group).is_some_and(|n| n.contains(name));
            if !has && !allowed("fn", name) {
                out.push(format!("fn {group}::{name}"));
            }
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
        "public async API without a blocking twin of the same name (add it to boto::blocking, or \
         to ALLOWED in this file with a reason):\n  {}",
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
            a.methods.get(ty).is_some_and(|n| n.contains(m)),
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
        assert!(a.free[group].contains(f), "fn {group}::{f}: {:?}", a.free);
    }
    let b = blocking_surface(&src_dir());
    assert!(b.methods["Pages"].contains("next"), "trait methods count");
}

#[test]
fn every_allow_list_entry_still_matches_something() {
    let a = async_surface(&src_dir());
    for (ty, name, reason) in ALLOWED {
        assert!(!reason.is_empty());
        let used = if *ty == "fn" {
            a.free.values().any(|n| n.contains(*name))
        } else {
            a.methods
                .get(*ty)
                .is_some_and(|n| *name == "*" || n.contains(*name))
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
            pub fn method<T: Into<String>>(&'a self, t: impl Fn() -> T) -> &'a str { "{" }
            pub async fn async_method(&self) {}
            pub(crate) fn crate_method(&self) {}
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
    assert_eq!(it.free, ["free_one", "free_two"]);
    assert_eq!(it.pub_types, ["Thing"]);
    let methods: Vec<(&str, &str, bool, bool)> = it
        .methods
        .iter()
        .map(|(t, m, p, tr)| (t.as_str(), m.as_str(), *p, *tr))
        .collect();
    assert_eq!(
        methods,
        [
            ("Thing", "method", true, false),
            ("Thing", "async_method", true, false),
            ("Thing", "crate_method", false, false),
            ("Thing", "private_method", false, false),
            ("Thing", "fmt", false, true),
        ]
    );
}

#[test]
fn a_missing_twin_is_reported() {
    let a = Surface {
        methods: BTreeMap::from([
            (
                "Client".to_string(),
                BTreeSet::from(["call".to_string(), "waiter".to_string()]),
            ),
            (
                "Paginator".to_string(),
                BTreeSet::from(["next_page".to_string()]),
            ),
            ("Waiter".to_string(), BTreeSet::from(["new".to_string()])),
        ]),
        free: BTreeMap::from([("transfer", BTreeSet::from(["upload_file".to_string()]))]),
    };
    let b = Surface {
        methods: BTreeMap::from([
            ("Client".to_string(), BTreeSet::from(["call".to_string()])),
            (
                "Pages".to_string(),
                BTreeSet::from(["next_page".to_string()]),
            ),
        ]),
        free: BTreeMap::from([("root", BTreeSet::from(["upload_file".to_string()]))]),
    };
    assert_eq!(
        missing(&a, &b),
        [
            "Client::waiter (blocking type Client)",
            "fn transfer::upload_file"
        ]
    );
}
