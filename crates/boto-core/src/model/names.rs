//! Operation naming: boto3's snake_case method names, lookups that accept either spelling, and the
//! "did you mean" suggestions of unknown-name errors.

/// Folds a name for lookups: lowercase with underscores and dashes removed, so `ListObjectsV2`,
/// `list_objects_v2` and `listobjectsv2` meet.
pub fn fold_name(name: &str) -> String {
    if name.is_ascii() {
        // Every model name: a byte loop, several times faster than the char-wise lowercasing
        // (the first client folds each operation's name).
        let mut folded = String::with_capacity(name.len());
        for b in name.bytes().filter(|b| !matches!(b, b'_' | b'-')) {
            folded.push(char::from(b.to_ascii_lowercase()));
        }
        return folded;
    }
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// boto3's snake_case form of a CamelCase name: `ListObjectsV2` -> `list_objects_v2`,
/// `GetQueueURL` -> `get_queue_url`, `DescribeDBInstances` -> `describe_db_instances`.
///
/// An underscore goes before an uppercase letter that follows a lowercase letter or digit, and before
/// the last capital of a run of capitals that a lowercase letter follows.
pub fn xform_name(name: &str) -> String {
    if name.contains('_') {
        return name.to_string();
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Levenshtein distance over folded names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// Up to `limit` candidates closest to `name`, nearest first; only reasonably close ones (or ones that
/// contain the name) are offered.
pub fn closest_names<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let folded = fold_name(name);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let fc = fold_name(c);
            let d = distance(&folded, &fc);
            let close = d <= (folded.len().max(3) / 3).max(2)
                || (folded.len() >= 3 && fc.contains(&folded));
            close.then_some((d, c))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(limit)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names_match_boto3() {
        for (camel, snake) in [
            ("ListObjectsV2", "list_objects_v2"),
            ("GetQueueUrl", "get_queue_url"),
            ("PutObject", "put_object"),
            ("DescribeDBInstances", "describe_db_instances"),
            ("CreateMultipartUpload", "create_multipart_upload"),
            ("GetBucketAcl", "get_bucket_acl"),
            ("ListQueues", "list_queues"),
            ("AssumeRoleWithSAML", "assume_role_with_saml"),
        ] {
            assert_eq!(xform_name(camel), snake);
        }
    }

    #[test]
    fn folded_names_meet_whatever_the_spelling() {
        for name in [
            "ListObjectsV2",
            "list_objects_v2",
            "listobjectsv2",
            "List-Objects-V2",
        ] {
            assert_eq!(fold_name(name), "listobjectsv2", "{name}");
        }
        // Outside ASCII, Unicode lowercasing (one char may become several).
        assert_eq!(fold_name("Ärger_İ"), "ärgeri\u{307}");
    }

    #[test]
    fn suggestions_rank_near_names() {
        let ops = ["ListObjects", "ListObjectsV2", "ListBuckets", "PutObject"];
        assert_eq!(
            closest_names("ListObject", ops.into_iter(), 2),
            ["ListObjects", "ListObjectsV2"]
        );
        assert!(closest_names("zzzzzz", ops.into_iter(), 3).is_empty());
    }
}
