//! The string-level parts of the rules standard library: `parseURL`, `uriEncode`, `substring`,
//! `isValidHostLabel`, `aws.isVirtualHostableS3Bucket`, `split`, plus IP address checks.
//!
//! These follow botocore (which builds on Python's `urllib.parse` and a few regular expressions);
//! comments note where a Python detail is reproduced.

use std::borrow::Cow;
use std::rc::Rc;

use super::value::{Text, Value};
use crate::encoding::{is_unreserved, percent_encode, KEEP_SLASH};

/// The result of `parseURL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedUrl {
    pub(crate) scheme: Rc<str>,
    pub(crate) authority: Rc<str>,
    pub(crate) path: Rc<str>,
    pub(crate) normalized_path: Rc<str>,
    pub(crate) is_ip: bool,
}

impl ParsedUrl {
    /// The attribute `key` (`scheme`, `authority`, `path`, `normalizedPath`, `isIp`).
    pub(crate) fn get<'a>(&self, key: &str) -> Option<Value<'a>> {
        let text = |s: &Rc<str>| Value::Str(Text::Shared(s.clone()));
        Some(match key {
            "scheme" => text(&self.scheme),
            "authority" => text(&self.authority),
            "path" => text(&self.path),
            "normalizedPath" => text(&self.normalized_path),
            "isIp" => Value::Bool(self.is_ip),
            _ => return None,
        })
    }
}

/// The parts of a URL as Python's `urlparse` splits them (only what `parseURL` needs).
struct UrlParts<'s> {
    scheme: String,
    netloc: &'s str,
    path: &'s str,
    query: &'s str,
}

/// Python's `urlsplit` pre-processing: leading C0 controls and spaces are stripped, tab, CR and
/// LF removed everywhere.
fn clean_url(input: &str) -> Cow<'_, str> {
    let trimmed = input.trim_start_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\r', '\n']) {
        Cow::Owned(
            trimmed
                .chars()
                .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(trimmed)
    }
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// Python 3.11 `urllib.parse.urlparse` of an already cleaned URL (see [`clean_url`]), restricted
/// to what `parseURL` looks at. `None` where Python raises `ValueError`.
fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let mut scheme = String::new();
    let mut rest = url;
    if let Some(i) = url.find(':') {
        let candidate = &url[..i];
        if i > 0
            && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
            && candidate.chars().all(is_scheme_char)
        {
            scheme = candidate.to_ascii_lowercase();
            rest = &url[i + 1..];
        }
    }
    let mut netloc = "";
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = &after[..end];
        rest = &after[end..];
        let open = netloc.contains('[');
        let close = netloc.contains(']');
        if open != close {
            return None; // "Invalid IPv6 URL"
        }
        if open {
            let bracketed = partition(partition(netloc, '[').1, ']').0;
            if !valid_bracketed_host(bracketed) {
                return None;
            }
        }
    }
    if let Some(i) = rest.find('#') {
        rest = &rest[..i];
    }
    let mut query = "";
    if let Some(i) = rest.find('?') {
        query = &rest[i + 1..];
        rest = &rest[..i];
    }
    // `urlparse` (unlike `urlsplit`) splits `;params` off the last path segment for http(s).
    let mut path = rest;
    if (scheme == "http" || scheme == "https") && path.contains(';') {
        let i = match path.rfind('/') {
            Some(slash) => path[slash..].find(';').map(|j| slash + j),
            None => path.find(';'),
        };
        if let Some(i) = i {
            path = &path[..i];
        }
    }
    Some(UrlParts {
        scheme,
        netloc,
        path,
        query,
    })
}

/// Python `str.partition` on a char.
fn partition(s: &str, sep: char) -> (&str, &str, bool) {
    match s.find(sep) {
        Some(i) => (&s[..i], &s[i + sep.len_utf8()..], true),
        None => (s, "", false),
    }
}

/// Python `str.rpartition` on a char, returning the part after the separator (or all of `s`).
fn after_last(s: &str, sep: char) -> &str {
    match s.rfind(sep) {
        Some(i) => &s[i + sep.len_utf8()..],
        None => s,
    }
}

/// `(hostname, port)` of a netloc, as Python's `_hostinfo` computes them (hostname lowercased
/// before any `%zone`).
fn host_info(netloc: &str) -> (String, &str) {
    let hostinfo = after_last(netloc, '@');
    let (_, bracketed, has_open) = partition(hostinfo, '[');
    let (hostname, port) = if has_open {
        let (host, after, _) = partition(bracketed, ']');
        (host, partition(after, ':').1)
    } else {
        let (host, port, _) = partition(hostinfo, ':');
        (host, port)
    };
    let (addr, zone, has_zone) = partition(hostname, '%');
    let mut host = addr.to_lowercase();
    if has_zone {
        host.push('%');
        host.push_str(zone);
    }
    (host, port)
}

/// Python's `port` property: `false` where it raises.
fn port_ok(port: &str) -> bool {
    if port.is_empty() {
        return true;
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = port.trim_start_matches('0');
    digits.len() <= 5
        && digits
            .parse::<u32>()
            .map_or(digits.is_empty(), |p| p <= 65535)
}

/// `parseURL`: `None` for anything but an absolute http(s) URL without query string.
pub(crate) fn parse_url(input: &str) -> Option<ParsedUrl> {
    let cleaned = clean_url(input);
    let parts = split_url(&cleaned)?;
    let (hostname, port) = host_info(parts.netloc);
    if !port_ok(port) {
        return None;
    }
    if (parts.scheme != "http" && parts.scheme != "https") || !parts.query.is_empty() {
        return None;
    }
    // Python's `quote(path, safe="/")`: its always-safe set is the RFC 3986 unreserved one.
    let mut normalized = percent_encode(remove_dot_segments(parts.path).as_bytes(), KEEP_SLASH);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    // botocore checks the IP on the raw input; an IPv6 check fails on tab/CR/LF.
    let raw_has_unsafe = input.contains(['\t', '\r', '\n']);
    let is_ip = is_ipv4_like(&hostname)
        || (!raw_has_unsafe && !hostname.is_empty() && is_ipv6_with_zone(&hostname));
    Some(ParsedUrl {
        scheme: Rc::from(parts.scheme.as_str()),
        authority: Rc::from(parts.netloc),
        path: Rc::from(parts.path),
        normalized_path: Rc::from(normalized.as_str()),
        is_ip,
    })
}

/// botocore's `normalize_url_path`: RFC 3986 dot-segment removal that also collapses `//`.
fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut result = String::with_capacity(path.len() + 1);
    if path.starts_with('/') {
        result.push('/');
    }
    result.push_str(&out.join("/"));
    if path.ends_with('/') && !out.is_empty() {
        result.push('/');
    }
    result
}

/// `uriEncode`: percent-encodes everything but unreserved characters.
pub(crate) fn uri_encode(s: &str) -> String {
    percent_encode(s.as_bytes(), b"")
}

/// botocore's `IPV4_RE` (`^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$`, so a final newline is allowed).
pub(crate) fn is_ipv4_like(s: &str) -> bool {
    let s = s.strip_suffix('\n').unwrap_or(s);
    let mut count = 0;
    for part in s.split('.') {
        count += 1;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    count == 4
}

/// Strict dotted-quad IPv4 (Python's `ipaddress`: octets 0-255 without leading zeros).
fn is_ipv4_strict(s: &str) -> bool {
    let mut count = 0;
    for part in s.split('.') {
        count += 1;
        if part.is_empty()
            || part.len() > 3
            || !part.bytes().all(|b| b.is_ascii_digit())
            || (part.len() > 1 && part.starts_with('0'))
            || part.parse::<u16>().map_or(true, |v| v > 255)
        {
            return false;
        }
    }
    count == 4
}

/// An IPv6 address without zone. With `strict_v4` an embedded IPv4 tail must be a real address
/// (Python `ipaddress`), otherwise any `d{1,3}.d{1,3}.d{1,3}.d{1,3}` (urllib3's pattern).
fn is_ipv6(s: &str, strict_v4: bool) -> bool {
    fn h16(p: &str) -> bool {
        !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_hexdigit())
    }
    // Counts the 16-bit units of a `:`-separated run; the last element may be an IPv4 tail.
    fn units(run: &str, allow_v4_tail: bool, strict_v4: bool) -> Option<usize> {
        if run.is_empty() {
            return Some(0);
        }
        let parts: Vec<&str> = run.split(':').collect();
        let last = parts.len() - 1;
        let mut n = 0;
        for (i, p) in parts.iter().enumerate() {
            if i == last && allow_v4_tail && p.contains('.') {
                let ok = if strict_v4 {
                    is_ipv4_strict(p)
                } else {
                    is_ipv4_like(p) && !p.ends_with('\n')
                };
                if !ok {
                    return None;
                }
                n += 2;
            } else if h16(p) {
                n += 1;
            } else {
                return None;
            }
        }
        Some(n)
    }
    match s.find("::") {
        Some(i) => {
            let (left, right) = (&s[..i], &s[i + 2..]);
            if right.contains("::") {
                return false;
            }
            match (units(left, false, strict_v4), units(right, true, strict_v4)) {
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
        None => units(s, true, strict_v4) == Some(8),
    }
}

/// botocore's `UNRESERVED_PAT` for zone ids: RFC 3986 unreserved plus `!`.
fn is_zone_id_char(b: u8) -> bool {
    is_unreserved(b) || b == b'!'
}

/// botocore's `IPV6_ADDRZ_RE` applied to `[host]`: an IPv6 address with an optional zone id of
/// unreserved characters and `%XX` escapes.
fn is_ipv6_with_zone(host: &str) -> bool {
    let (addr, zone, has_zone) = partition(host, '%');
    if !is_ipv6(addr, false) {
        return false;
    }
    if !has_zone {
        return true;
    }
    if zone.is_empty() {
        return false;
    }
    let bytes = zone.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
        } else if is_zone_id_char(bytes[i]) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// Python's `_check_bracketed_host`: an IPvFuture (`v1.x`) or an IPv6 address (scope allowed).
fn valid_bracketed_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('v') {
        let (hex, tail, has_dot) = partition(rest, '.');
        return has_dot
            && !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && !tail.is_empty()
            && !tail.contains('\n');
    }
    let (addr, scope, has_scope) = partition(host, '%');
    if has_scope && (scope.is_empty() || scope.contains('%')) {
        return false;
    }
    is_ipv6(addr, true)
}

/// botocore's `VALID_HOST_LABEL_RE` (`^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$`, a final newline allowed).
fn is_host_label(label: &str) -> bool {
    let label = label.strip_suffix('\n').unwrap_or(label);
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `isValidHostLabel(value, allowSubDomains)`.
pub(crate) fn is_valid_host_label(value: &str, allow_subdomains: &Value<'_>) -> bool {
    match allow_subdomains {
        Value::Bool(false) => !value.contains('.') && is_host_label(value),
        Value::Bool(true) => value.split('.').all(is_host_label),
        _ => is_host_label(value),
    }
}

/// `aws.isVirtualHostableS3Bucket(value, allowSubDomains)`.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: &Value<'_>) -> bool {
    if value.chars().count() < 3 {
        return false;
    }
    let has_upper = if value.is_ascii() {
        value.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        value.to_lowercase() != value
    };
    if has_upper || is_ipv4_like(value) {
        return false;
    }
    is_valid_host_label(value, allow_subdomains)
}

/// `substring(value, start, stop, reverse)`; `None` when out of range or not ASCII. Indices
/// follow Python slicing (botocore does not reject negative ones).
pub(crate) fn substring<'a>(
    value: &Text<'a>,
    start: i64,
    stop: i64,
    reverse: bool,
) -> Option<Text<'a>> {
    let s = value.as_str();
    if !s.is_ascii() {
        return None;
    }
    let len = i64::try_from(s.len()).unwrap_or(i64::MAX);
    if start >= stop || len < stop {
        return None;
    }
    let (a, b) = if reverse {
        (len.saturating_sub(stop), len.saturating_sub(start))
    } else {
        (start, stop)
    };
    let clamp = |i: i64| -> usize {
        let i = if i < 0 {
            i.saturating_add(len).max(0)
        } else {
            i.min(len)
        };
        usize::try_from(i).unwrap_or(0)
    };
    let (a, b) = (clamp(a), clamp(b));
    if a >= b {
        return value.slice(0, 0);
    }
    value.slice(a, b)
}

/// Smithy `split(value, delimiter, limit)`: `limit` 0 means no limit, otherwise at most `limit`
/// parts. `None` for an empty delimiter or a negative limit.
pub(crate) fn split(value: &str, delimiter: &str, limit: i64) -> Option<Rc<[Rc<str>]>> {
    if delimiter.is_empty() || limit < 0 {
        return None;
    }
    let parts: Rc<[Rc<str>]> = if limit == 0 {
        value.split(delimiter).map(Rc::from).collect()
    } else {
        let n = usize::try_from(limit).unwrap_or(usize::MAX);
        value.splitn(n, delimiter).map(Rc::from).collect()
    };
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_url_basics() {
        let u = parse_url("https://example.com/a/./b/../c//d").expect("url");
        assert_eq!(&*u.scheme, "https");
        assert_eq!(&*u.authority, "example.com");
        assert_eq!(&*u.path, "/a/./b/../c//d");
        assert_eq!(&*u.normalized_path, "/a/c/d/");
        assert!(!u.is_ip);

        let u = parse_url("http://127.0.0.1:5000").expect("url");
        assert_eq!(&*u.authority, "127.0.0.1:5000");
        assert_eq!(&*u.path, "");
        assert_eq!(&*u.normalized_path, "/");
        assert!(u.is_ip);

        let u = parse_url("HTTPS://[fe80::1%25en0]:443/p%20q").expect("url");
        assert_eq!(&*u.scheme, "https");
        assert!(u.is_ip);
        assert_eq!(&*u.normalized_path, "/p%2520q/");

        let u = parse_url("https://[::ffff:10.0.0.1]").expect("url");
        assert!(u.is_ip);

        assert!(parse_url("ftp://example.com").is_none());
        assert!(parse_url("https://example.com?x=1").is_none());
        assert!(parse_url("https://example.com:port").is_none());
        assert!(parse_url("https://example.com:70000").is_none());
        assert!(parse_url("https://[::1").is_none());
        assert!(parse_url("https://[1.2.3.4]").is_none());
        assert!(parse_url("example.com").is_none());
        assert!(parse_url("https://example.com#frag").is_some());
        assert_eq!(
            &*parse_url("https://h/a;b/c;d").expect("url").path,
            "/a;b/c"
        );
    }

    #[test]
    fn ip_checks() {
        assert!(is_ipv6("::1", false));
        assert!(is_ipv6("1:2:3:4:5:6:7:8", false));
        assert!(!is_ipv6("1:2:3:4:5:6:7:8:9", false));
        assert!(!is_ipv6("1::2::3", false));
        assert!(is_ipv6("::", false));
        assert!(is_ipv6("1:2:3:4:5:6:1.2.3.4", false));
        assert!(!is_ipv6("1:2:3:4:5:6:7:1.2.3.4", false));
        assert!(is_ipv6("::999.1.1.1", false));
        assert!(!is_ipv6("::999.1.1.1", true));
        assert!(is_ipv4_like("1.2.3.4"));
        assert!(is_ipv4_like("1.2.3.4\n"));
        assert!(!is_ipv4_like("1.2.3"));
        assert!(is_ipv6_with_zone("fe80::1%25en0"));
        assert!(!is_ipv6_with_zone("fe80::1%"));
    }

    #[test]
    fn host_labels() {
        let f = Value::Bool(false);
        let t = Value::Bool(true);
        assert!(is_valid_host_label("abc-1", &f));
        assert!(!is_valid_host_label("-abc", &f));
        assert!(!is_valid_host_label("abc-", &f));
        assert!(!is_valid_host_label("a.b", &f));
        assert!(is_valid_host_label("a.b", &t));
        assert!(!is_valid_host_label("a..b", &t));
        assert!(!is_valid_host_label(&"a".repeat(64), &f));
        assert!(is_virtual_hostable_s3_bucket("my.bucket", &t));
        assert!(!is_virtual_hostable_s3_bucket("my.bucket", &f));
        assert!(!is_virtual_hostable_s3_bucket("MyBucket", &f));
        assert!(!is_virtual_hostable_s3_bucket("ab", &f));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", &t));
    }

    #[test]
    fn substrings_and_encoding() {
        let t = Text::Borrowed("abcdef");
        assert_eq!(
            substring(&t, 0, 4, false).map(|t| t.as_str().to_string()),
            Some("abcd".into())
        );
        assert_eq!(
            substring(&t, 0, 4, true).map(|t| t.as_str().to_string()),
            Some("cdef".into())
        );
        assert!(substring(&t, 0, 7, false).is_none());
        assert!(substring(&t, 3, 3, false).is_none());
        assert!(substring(&Text::Borrowed("ab\u{e9}def"), 0, 2, false).is_none());
        assert_eq!(uri_encode("a b/c~d%"), "a%20b%2Fc~d%25");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
        let parts = split("a--b--c", "--", 2).expect("split");
        assert_eq!(parts.len(), 2);
        assert_eq!(&*parts[1], "b--c");
        assert!(split("a", "", 0).is_none());
    }
}
