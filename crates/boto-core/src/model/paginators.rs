//! `paginators-1.json` compiled into one typed table per service, on first use.
//!
//! botocore's layout allows a string or a list for `input_token`, `output_token` and
//! `result_key`; compiling settles each into a list once, so a paginator reads plain fields.

use super::compiled::DataCache;
use super::ModelError;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// One operation's pagination config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginatorConfig {
    /// Input members that take the tokens.
    pub input_tokens: Vec<String>,
    /// Output paths that give the tokens.
    pub output_tokens: Vec<String>,
    /// The page-size member.
    pub limit_key: Option<String>,
    /// Output path saying whether more pages exist.
    pub more_results: Option<String>,
    /// Output paths of the paged results.
    pub result_keys: Vec<String>,
    /// Output paths taken from the first page only when pages are merged into one result.
    pub non_aggregate_keys: Vec<String>,
}

/// Every paginator of one service, keyed by operation model name (`ListObjectsV2`).
#[derive(Debug, Default)]
pub struct PaginatorTable {
    by_operation: HashMap<String, Arc<PaginatorConfig>>,
}

impl PaginatorTable {
    /// The config of `operation` (model name), if it paginates.
    pub fn get(&self, operation: &str) -> Option<&Arc<PaginatorConfig>> {
        self.by_operation.get(operation)
    }

    /// The operations that paginate, in no particular order.
    pub fn operations(&self) -> impl Iterator<Item = &str> {
        self.by_operation.keys().map(String::as_str)
    }

    /// How many operations paginate.
    pub fn len(&self) -> usize {
        self.by_operation.len()
    }

    /// True when no operation paginates.
    pub fn is_empty(&self) -> bool {
        self.by_operation.is_empty()
    }
}

/// A string or a list of strings, as a list; anything else is empty.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// One entry; `None` without both token keys (it could not page anyway).
fn compile_one(p: &Value) -> Option<PaginatorConfig> {
    Some(PaginatorConfig {
        input_tokens: strings(p.get("input_token")?),
        output_tokens: strings(p.get("output_token")?),
        limit_key: text(p.get("limit_key")),
        more_results: text(p.get("more_results")),
        result_keys: p.get("result_key").map(strings).unwrap_or_default(),
        non_aggregate_keys: p.get("non_aggregate_keys").map(strings).unwrap_or_default(),
    })
}

/// Compiles a `paginators-1.json` document. Entries that cannot page are left out.
pub fn compile_paginators(_service: &str, json: &Value) -> PaginatorTable {
    let by_operation = json
        .get("pagination")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(op, p)| Some((op.clone(), Arc::new(compile_one(p)?))))
        .collect();
    PaginatorTable { by_operation }
}

static PAGINATORS: DataCache<PaginatorTable> = DataCache::new("paginators-1", compile_paginators);

/// The compiled paginators of an embedded service; `Ok(None)` when it has none.
pub fn paginators(service: &str) -> Result<Option<Arc<PaginatorTable>>, ModelError> {
    PAGINATORS.get(service)
}

impl super::ServiceModel {
    /// The compiled paginators of this model (a folder model's own `paginators-1` file, else
    /// the embedded one); `Ok(None)` when it has none.
    pub fn paginators(&self) -> Result<Option<Arc<PaginatorTable>>, ModelError> {
        PAGINATORS.get_for(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_or_list_fields_settle_into_lists() {
        let json = serde_json::json!({"pagination": {
            "ListObjectsV2": {"input_token": "ContinuationToken",
                "output_token": "NextContinuationToken", "limit_key": "MaxKeys",
                "more_results": "IsTruncated", "result_key": ["Contents", "CommonPrefixes"]},
            "ListParts": {"input_token": ["A", "B"], "output_token": ["NextA", "NextB"]},
            "Broken": {"input_token": "A"}
        }});
        let t = compile_paginators("x", &json);
        assert_eq!(t.len(), 2, "an entry without output_token is left out");
        let l = t.get("ListObjectsV2").unwrap();
        assert_eq!(l.input_tokens, ["ContinuationToken"]);
        assert_eq!(l.limit_key.as_deref(), Some("MaxKeys"));
        assert_eq!(l.more_results.as_deref(), Some("IsTruncated"));
        assert_eq!(l.result_keys, ["Contents", "CommonPrefixes"]);
        let p = t.get("ListParts").unwrap();
        assert_eq!(p.output_tokens, ["NextA", "NextB"]);
        assert!(p.result_keys.is_empty() && p.limit_key.is_none());
        assert!(t.get("Broken").is_none());
    }

    #[test]
    fn embedded_tables_compile_once() {
        let a = paginators("s3").unwrap().expect("s3 has paginators");
        let b = paginators("s3").unwrap().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        let list = a.get("ListObjectsV2").unwrap();
        assert_eq!(list.output_tokens, ["NextContinuationToken"]);
        assert!(paginators("nope").is_err());
    }
}
