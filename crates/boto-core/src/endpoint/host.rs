//! What a region name and a resolved endpoint URL may look like.
//!
//! The region is pasted into host names by the endpoint rules (`sts.{Region}.amazonaws.com`), so
//! a region such as `attacker.example#` or `attacker.example?` would send the signed request, and
//! its session token, to another host. botocore refuses such regions when a client is made
//! (`validate_region_name`) and such endpoint URLs when its endpoint is built
//! (`is_valid_endpoint_url`); both checks live here.

/// True when `region` is a DNS label, as botocore's `validate_region_name` demands: 1 to 63
/// letters, digits and hyphens, neither starting nor ending with a hyphen, and not all digits.
pub fn is_valid_region_name(region: &str) -> bool {
    let b = region.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !b.iter().all(u8::is_ascii_digit)
}

/// What [`is_valid_region_name`] allows, for error messages.
pub const REGION_NAME_RULE: &str =
    "a region name: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen \
     (e.g. us-east-1)";

/// Checks that a resolved endpoint URL addresses exactly one host: `http` or `https`, an
/// authority of host names made of DNS labels (or an IPv4 / bracketed IPv6 address) with an
/// optional port, no user info, and no query, fragment, backslash, blank or control character
/// anywhere that could move the real host elsewhere. Returns what is wrong.
pub(crate) fn check_endpoint_url(url: &str) -> Result<(), &'static str> {
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '#' | '?' | '\\'))
    {
        return Err("holds a blank, control character, `#`, `?` or `\\`");
    }
    let (scheme, rest) = url.split_once("://").ok_or("is not an absolute URL")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err("is neither http nor https");
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    if authority.contains('@') {
        return Err("holds user info (`@`) in its authority");
    }
    let (host, port) = split_port(authority).ok_or("has a malformed host or port")?;
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|c| c.is_ascii_digit()) {
            return Err("has a malformed port");
        }
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ok = !v6.is_empty()
            && v6
                .bytes()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'.' | b'%'));
        return if ok {
            Ok(())
        } else {
            Err("has a malformed IPv6 host")
        };
    }
    if is_dns_name(host) {
        Ok(())
    } else {
        Err("has a host that is not made of DNS labels")
    }
}

/// `host` and the text after its port colon, if any (IPv6 hosts are bracketed).
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        return match after {
            "" => Some((host, None)),
            _ => after.strip_prefix(':').map(|p| (host, Some(p))),
        };
    }
    Some(match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

/// Dot-separated labels of 1 to 63 letters, digits and hyphens (no leading or trailing hyphen),
/// at most 255 characters, an optional final dot (botocore's `is_valid_endpoint_url` rule).
fn is_dns_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.len() <= 255
        && host.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_dns_labels() {
        for ok in [
            "us-east-1",
            "eu-west-2",
            "cn-north-1",
            "us-gov-west-1",
            "local",
            "a",
            "x1",
        ] {
            assert!(is_valid_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "attacker.example#",
            "attacker.example?",
            "us-east-1.evil.com",
            "evil.com/",
            "us-east-1@evil",
            "-us",
            "us-",
            "123",
            "us east",
            "us-east-1\n",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!is_valid_region_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn endpoint_urls_name_one_host() {
        for ok in [
            "https://sts.us-east-1.amazonaws.com",
            "https://bucket.s3.us-west-2.amazonaws.com/",
            "https://s3.us-west-2.amazonaws.com/my.bucket/key",
            "http://127.0.0.1:5000",
            "http://localhost:9000/path/",
            "http://[::1]:8080/x",
            "HTTPS://example.com.",
        ] {
            assert_eq!(check_endpoint_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "https://sts.attacker.example#.amazonaws.com",
            "https://sts.attacker.example?.amazonaws.com",
            "https://user@attacker.example/.amazonaws.com",
            "https://attacker.example\\.amazonaws.com",
            "https://a b.com",
            "https://a\r\n.com",
            "ftp://example.com",
            "example.com",
            "https://",
            "https://:80",
            "https://host:port",
            "https://host:123456",
            "https://[zz]:1",
            "https://-a.com",
            "https://a..com",
            "https://a_b.com",
        ] {
            assert!(check_endpoint_url(bad).is_err(), "{bad:?}");
        }
    }
}
