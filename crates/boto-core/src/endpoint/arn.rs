//! `aws.parseArn`.

use std::rc::Rc;

use super::value::{Text, Value};

/// A parsed ARN as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedArn {
    pub(crate) partition: Rc<str>,
    pub(crate) service: Rc<str>,
    pub(crate) region: Rc<str>,
    pub(crate) account_id: Rc<str>,
    /// The resource, split on both `:` and `/`.
    pub(crate) resource_id: Rc<[Rc<str>]>,
}

impl ParsedArn {
    /// The attribute `key` (`partition`, `service`, `region`, `accountId`, `resourceId`).
    pub(crate) fn get<'a>(&self, key: &str) -> Option<Value<'a>> {
        let text = |s: &Rc<str>| Value::Str(Text::Shared(s.clone()));
        Some(match key {
            "partition" => text(&self.partition),
            "service" => text(&self.service),
            "region" => text(&self.region),
            "accountId" => text(&self.account_id),
            "resourceId" => Value::Strings(self.resource_id.clone()),
            _ => return None,
        })
    }
}

/// Parses `arn:partition:service:region:account:resource`; `None` when it is not an ARN or
/// partition, service or resource is empty (botocore's rules).
pub(crate) fn parse_arn(value: &str) -> Option<ParsedArn> {
    let rest = value.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let partition = parts.next()?;
    let service = parts.next()?;
    let region = parts.next()?;
    let account = parts.next()?;
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id: Rc<[Rc<str>]> = resource.split([':', '/']).map(Rc::from).collect();
    Some(ParsedArn {
        partition: Rc::from(partition),
        service: Rc::from(service),
        region: Rc::from(region),
        account_id: Rc::from(account),
        resource_id,
    })
}

#[cfg(test)]
mod tests {
    use super::parse_arn;

    #[test]
    fn parses() {
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my:ap").expect("arn");
        assert_eq!(&*arn.partition, "aws");
        assert_eq!(&*arn.service, "s3");
        assert_eq!(&*arn.region, "us-west-2");
        assert_eq!(&*arn.account_id, "123456789012");
        let ids: Vec<&str> = arn.resource_id.iter().map(|s| &**s).collect();
        assert_eq!(ids, ["accesspoint", "my", "ap"]);
        let empty_fields = parse_arn("arn:aws:s3:::bucket").expect("arn");
        assert_eq!(&*empty_fields.region, "");
    }

    #[test]
    fn rejects() {
        assert!(parse_arn("arn:aws:s3:us-west-2:123").is_none());
        assert!(parse_arn("arn::s3:r:a:res").is_none());
        assert!(parse_arn("arn:aws::r:a:res").is_none());
        assert!(parse_arn("arn:aws:s3:r:a:").is_none());
        assert!(parse_arn("notarn:aws:s3:r:a:res").is_none());
        assert!(parse_arn("").is_none());
    }
}
