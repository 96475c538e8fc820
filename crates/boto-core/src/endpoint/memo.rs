//! A bounded memo of resolved endpoints for one compiled rule set.
//!
//! Resolution is a pure function of the rule set, the partitions document and the values of the
//! declared parameters (names the rule set does not declare are never read). A client sends call
//! after call with the same Region, Bucket, flags and so on, so evaluating the rules (regexes,
//! `parseURL`, templates) again for each of them is wasted work.
//!
//! An entry's key covers every declared parameter, absent ones included: the value of each one
//! the evaluation read, and the presence and type of each one it did not (those still decide the
//! required and type checks). An input that matches it leads a deterministic evaluation down the
//! same path, reading the same values, so two inputs that could resolve differently never share
//! an entry, while parameters the rules never consult (S3's `Key`, `Prefix`, `CopySource`) do not
//! split entries. Errors are not remembered: they are rare, and their text names the parameters.

use std::collections::VecDeque;
use std::mem::{discriminant, Discriminant};
use std::sync::{Arc, Mutex};

use super::partition::Partitions;
use super::rules::RuleSet;
use super::{Endpoint, EndpointError, ParamValue, Params};

/// How many distinct parameter sets one rule set remembers; the oldest goes first when full.
/// A client usually needs one or a few (one per bucket); a few dozen bounds the memory of a
/// client that walks many buckets while keeping the scan over entries short.
const CAPACITY: usize = 32;

/// What an entry requires of one declared parameter.
enum Seen {
    /// The evaluation read it: the same value (or the same absence).
    Value(Option<ParamValue>),
    /// The evaluation never read it: only presence and type matter.
    Kind(Option<Discriminant<ParamValue>>),
}

impl Seen {
    fn matches(&self, given: Option<&ParamValue>) -> bool {
        match self {
            Seen::Value(v) => v.as_ref() == given,
            Seen::Kind(k) => *k == given.map(discriminant),
        }
    }
}

/// One [`Seen`] per declared parameter, in declaration order.
type Key = Vec<Seen>;

/// A compiled rule set with the endpoints it recently resolved.
///
/// One instance must always be used with the same [`Partitions`] (the client passes the
/// process-wide document), since the partitions are not part of the key.
pub(crate) struct MemoizedRuleSet {
    rules: RuleSet,
    // Held only for a lookup or an insertion, never while evaluating (nor across an await).
    recent: Mutex<VecDeque<(Key, Arc<Endpoint>)>>,
    #[cfg(test)]
    evaluations: std::sync::atomic::AtomicUsize,
}

impl MemoizedRuleSet {
    /// Wraps `rules` with an empty memo.
    pub(crate) fn new(rules: RuleSet) -> MemoizedRuleSet {
        MemoizedRuleSet {
            rules,
            recent: Mutex::new(VecDeque::with_capacity(CAPACITY)),
            #[cfg(test)]
            evaluations: Default::default(),
        }
    }

    /// The compiled rule set.
    pub(crate) fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Resolves like [`RuleSet::resolve`], answering from the memo when the same declared
    /// parameter values were resolved before.
    pub(crate) fn resolve(
        &self,
        partitions: &Partitions,
        params: &Params,
    ) -> Result<Arc<Endpoint>, EndpointError> {
        // The declared parameters' values, in the rule set's order (looked up again on a miss
        // rather than gathered into a list on every call).
        let given = || self.rules.params.iter().map(|spec| params.get(&spec.name));
        if let Ok(recent) = self.recent.lock() {
            let hit = recent
                .iter()
                .find(|(key, _)| key.iter().zip(given()).all(|(seen, now)| seen.matches(now)));
            if let Some((_, endpoint)) = hit {
                return Ok(endpoint.clone());
            }
        }
        #[cfg(test)]
        self.evaluations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (result, read) = self.rules.resolve_reading(partitions, params);
        let endpoint = Arc::new(result?);
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() == CAPACITY {
                recent.pop_front();
            }
            let key = given()
                .zip(read)
                .map(|(v, read)| match read {
                    true => Seen::Value(v.cloned()),
                    false => Seen::Kind(v.map(discriminant)),
                })
                .collect();
            recent.push_back((key, endpoint.clone()));
        }
        Ok(endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    const RULES: &str = r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "required": true},
            "UseFIPS": {"type": "Boolean", "required": true, "default": false},
            "Bucket": {"type": "String", "required": false},
            "Key": {"type": "String", "required": false}
        },
        "rules": [
            {"conditions": [{"fn": "isSet", "argv": [{"ref": "Bucket"}]}],
             "endpoint": {"url": "https://{Bucket}.svc.{Region}.example", "properties": {}, "headers": {}},
             "type": "endpoint"},
            {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
             "endpoint": {"url": "https://svc-fips.{Region}.example", "properties": {}, "headers": {}},
             "type": "endpoint"},
            {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "bad"]}],
             "error": "bad region", "type": "error"},
            {"conditions": [],
             "endpoint": {"url": "https://svc.{Region}.example", "properties": {}, "headers": {}},
             "type": "endpoint"}
        ]
    }"#;

    const PARTITIONS: &str = r#"{"version": "1.1", "partitions": [
        {"id": "aws", "regionRegex": "^us\\-\\w+\\-\\d+$", "regions": {},
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                     "supportsFIPS": true, "supportsDualStack": true}}
    ]}"#;

    fn setup() -> (MemoizedRuleSet, Partitions) {
        let rules = RuleSet::from_json_str(RULES).unwrap();
        let partitions = Partitions::from_json_str(PARTITIONS).unwrap();
        (MemoizedRuleSet::new(rules), partitions)
    }

    fn evaluations(memo: &MemoizedRuleSet) -> usize {
        memo.evaluations.load(Ordering::Relaxed)
    }

    #[test]
    fn a_repeated_resolution_comes_from_the_memo() {
        let (memo, partitions) = setup();
        let params = Params::new().with("Region", "us-west-2");
        let first = memo.resolve(&partitions, &params).unwrap();
        assert_eq!(first.url, "https://svc.us-west-2.example");
        for _ in 0..5 {
            assert_eq!(memo.resolve(&partitions, &params).unwrap(), first);
        }
        assert_eq!(evaluations(&memo), 1);
        // Names the rule set does not declare are never read, so they do not split entries.
        let extra = params.clone().with("Undeclared", "x");
        assert_eq!(memo.resolve(&partitions, &extra).unwrap(), first);
        assert_eq!(evaluations(&memo), 1);
    }

    #[test]
    fn any_parameter_change_misses() {
        let (memo, partitions) = setup();
        let base = Params::new().with("Region", "us-west-2");
        let cases = [
            (base.clone(), "https://svc.us-west-2.example"),
            (
                base.clone().with("Region", "eu-west-1"),
                "https://svc.eu-west-1.example",
            ),
            (
                base.clone().with("UseFIPS", true),
                "https://svc-fips.us-west-2.example",
            ),
            // An explicit default is a different key from an absent value, and still correct.
            (
                base.clone().with("UseFIPS", false),
                "https://svc.us-west-2.example",
            ),
            (
                base.clone().with("Bucket", "b1"),
                "https://b1.svc.us-west-2.example",
            ),
            (
                base.clone().with("Bucket", "b2"),
                "https://b2.svc.us-west-2.example",
            ),
        ];
        for (i, (params, url)) in cases.iter().enumerate() {
            assert_eq!(memo.resolve(&partitions, params).unwrap().url, *url);
            assert_eq!(evaluations(&memo), i + 1, "case {i} must miss");
        }
        // All of them are remembered now.
        for (params, url) in &cases {
            assert_eq!(memo.resolve(&partitions, params).unwrap().url, *url);
        }
        assert_eq!(evaluations(&memo), cases.len());
    }

    #[test]
    fn parameters_the_rules_never_read_share_an_entry_by_type_only() {
        let (memo, partitions) = setup();
        let key = |k: &str| Params::new().with("Region", "us-west-2").with("Key", k);
        let first = memo.resolve(&partitions, &key("a")).unwrap();
        assert_eq!(first.url, "https://svc.us-west-2.example");
        assert_eq!(memo.resolve(&partitions, &key("b")).unwrap(), first);
        assert_eq!(evaluations(&memo), 1);
        // Absent is another key (a required parameter's absence fails), and so is another type
        // (a mistyped value fails), even though the rules never read `Key`.
        let absent = Params::new().with("Region", "us-west-2");
        assert_eq!(memo.resolve(&partitions, &absent).unwrap(), first);
        assert_eq!(evaluations(&memo), 2);
        let mistyped = absent.clone().with("Key", true);
        assert!(matches!(
            memo.resolve(&partitions, &mistyped),
            Err(EndpointError::InvalidParameter(_))
        ));
        assert_eq!(evaluations(&memo), 3);
        // With a bucket the rules stop before reading UseFIPS, so its value cannot matter.
        let bucket = absent.clone().with("Bucket", "b").with("UseFIPS", false);
        let url = memo.resolve(&partitions, &bucket).unwrap().url.clone();
        assert_eq!(url, "https://b.svc.us-west-2.example");
        let fips = bucket.clone().with("UseFIPS", true);
        assert_eq!(memo.resolve(&partitions, &fips).unwrap().url, url);
        assert_eq!(evaluations(&memo), 4);
        // Yet once the bucket goes, UseFIPS is read and its value decides.
        let no_bucket = Params::new()
            .with("Region", "us-west-2")
            .with("UseFIPS", true);
        let fips_url = memo.resolve(&partitions, &no_bucket).unwrap().url.clone();
        assert_eq!(fips_url, "https://svc-fips.us-west-2.example");
        assert_eq!(evaluations(&memo), 5);
    }

    #[test]
    fn errors_are_not_remembered() {
        let (memo, partitions) = setup();
        let params = Params::new().with("Region", "bad");
        for n in 1..=3 {
            let err = memo.resolve(&partitions, &params).unwrap_err();
            assert_eq!(err, EndpointError::Rule("bad region".into()));
            assert_eq!(evaluations(&memo), n);
        }
        // A mistyped value is an error too, never confused with the string it resembles.
        let mistyped = Params::new()
            .with("Region", "us-west-2")
            .with("UseFIPS", "true");
        assert!(memo.resolve(&partitions, &mistyped).is_err());
        assert!(memo.resolve(&partitions, &mistyped).is_err());
        assert_eq!(evaluations(&memo), 5);
    }

    #[test]
    fn the_memo_is_bounded_and_drops_the_oldest() {
        let (memo, partitions) = setup();
        let bucket = |i: usize| {
            Params::new()
                .with("Region", "us-west-2")
                .with("Bucket", format!("b{i}"))
        };
        for i in 0..=CAPACITY {
            memo.resolve(&partitions, &bucket(i)).unwrap();
        }
        assert_eq!(memo.recent.lock().unwrap().len(), CAPACITY);
        assert_eq!(evaluations(&memo), CAPACITY + 1);
        // The newest is still there; the first one was evicted.
        memo.resolve(&partitions, &bucket(CAPACITY)).unwrap();
        assert_eq!(evaluations(&memo), CAPACITY + 1);
        let url = memo.resolve(&partitions, &bucket(0)).unwrap().url.clone();
        assert_eq!(url, "https://b0.svc.us-west-2.example");
        assert_eq!(evaluations(&memo), CAPACITY + 2);
    }
}
