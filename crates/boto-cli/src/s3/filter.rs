//! `--include` / `--exclude` as aws-cli applies them: every file starts included, each rule that
//! matches sets it, and the last matching rule wins. Patterns are Python `fnmatch` globs over the
//! path below the command's root (`*` crosses `/`), since aws-cli joins each pattern to the
//! source directory and matches whole paths.

/// The rules of one command, in command-line order.
#[derive(Debug, Default, Clone)]
pub struct Filters {
    rules: Vec<(bool, String)>,
}

impl Filters {
    /// Adds `--include PATTERN` (`include: true`) or `--exclude PATTERN`.
    pub fn push(&mut self, include: bool, pattern: &str) {
        self.rules.push((include, pattern.to_string()));
    }

    /// Whether the file at `rel` (below the root, `/`-separated) takes part.
    pub fn accepts(&self, rel: &str) -> bool {
        let mut keep = true;
        for (include, pattern) in &self.rules {
            if fnmatch(pattern.as_bytes(), rel.as_bytes()) {
                keep = *include;
            }
        }
        keep
    }
}

/// Python's `fnmatch.fnmatchcase`: `*` any run, `?` one character, `[abc]`, `[a-z]`, `[!abc]`;
/// an unclosed `[` is a literal. Works on bytes: UTF-8 sequences only compare whole under `*`.
fn fnmatch(pattern: &[u8], text: &[u8]) -> bool {
    // Backtracking over the last `*` keeps this linear in practice (no recursion).
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += utf8_len(text[t]);
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = class(&pattern[p..], text[t]) {
                        if matched {
                            p += next;
                            t += 1;
                            continue;
                        }
                    } else if text[t] == b'[' {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                c if c == text[t] => {
                    p += 1;
                    t += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// Matches `c` against the class at the start of `pattern` (`[...]`): whether it matched and
/// the class's length, or `None` when the class is not closed.
fn class(pattern: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(pattern.get(i), Some(b'!'));
    if negate {
        i += 1;
    }
    let start = i;
    let mut matched = false;
    while i < pattern.len() {
        if pattern[i] == b']' && i > start {
            return Some((matched != negate, i + 1));
        }
        if pattern.get(i + 1) == Some(&b'-') && pattern.get(i + 2).is_some_and(|&e| e != b']') {
            matched |= pattern[i] <= c && c <= pattern[i + 2];
            i += 3;
        } else {
            matched |= pattern[i] == c;
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_python_fnmatch() {
        assert!(fnmatch(b"*.txt", b"a/b.txt"));
        assert!(fnmatch(b"a?c", b"abc"));
        assert!(!fnmatch(b"a?c", b"ac"));
        assert!(fnmatch(b"[ab]x", b"bx"));
        assert!(!fnmatch(b"[!ab]x", b"bx"));
        assert!(fnmatch(b"[a-c]*", b"cat"));
        assert!(fnmatch(b"[x", b"[x"));
        assert!(fnmatch(b"*", b""));
        assert!(!fnmatch(b"a*b", b"acbd"));
        assert!(fnmatch(b"a*b*", b"acbd"));
    }

    #[test]
    fn the_last_matching_rule_wins() {
        let mut f = Filters::default();
        f.push(false, "*");
        f.push(true, "*.txt");
        assert!(f.accepts("a/b.txt"));
        assert!(!f.accepts("a/b.jpg"));
        // The other order: the exclude comes last and wins.
        let mut g = Filters::default();
        g.push(true, "*.txt");
        g.push(false, "*");
        assert!(!g.accepts("b.txt"));
        assert!(Filters::default().accepts("anything"));
    }
}
