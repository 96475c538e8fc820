//! Paginators driven by `paginators-1.json`: follow the output tokens into the next request's input
//! tokens until the service says there is no more (or repeats a token).

use crate::client::{SdkError, ServiceClient};
use crate::document::Document;
use crate::model::data_file;
use crate::path::search;

/// One operation's pagination config.
#[derive(Debug, Clone)]
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
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

impl PaginatorConfig {
    /// The config for `operation` (model name) of `service`, if it can be paginated.
    pub fn load(service: &str, operation: &str) -> Option<PaginatorConfig> {
        let data = data_file(service, "paginators-1").ok()??;
        let p = data.get("pagination")?.get(operation)?;
        Some(PaginatorConfig {
            input_tokens: strings(p.get("input_token")?),
            output_tokens: strings(p.get("output_token")?),
            limit_key: p
                .get("limit_key")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            more_results: p
                .get("more_results")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            result_keys: p.get("result_key").map(strings).unwrap_or_default(),
        })
    }
}

/// Pages of one operation, fetched lazily one request at a time.
#[derive(Debug)]
pub struct Paginator {
    client: ServiceClient,
    operation: String,
    input: Document,
    config: PaginatorConfig,
    done: bool,
    last_tokens: Option<Vec<Document>>,
}

impl Paginator {
    /// A paginator for `operation` with `input`; `None` when the operation does not paginate.
    pub fn new(client: &ServiceClient, operation: &str, input: Document) -> Option<Paginator> {
        let op = client.model().operation(operation).ok()?;
        let config = PaginatorConfig::load(client.model().service_name(), &op.name)?;
        Some(Paginator {
            client: client.clone(),
            operation: op.name.clone(),
            input,
            config,
            done: false,
            last_tokens: None,
        })
    }

    /// The config in use.
    pub fn config(&self) -> &PaginatorConfig {
        &self.config
    }

    /// Sets the page size through the limit key.
    pub fn page_size(mut self, size: i64) -> Self {
        if let Some(k) = &self.config.limit_key {
            let _ = self.input.insert(k.clone(), size);
        }
        self
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<Document, SdkError>> {
        if self.done {
            return None;
        }
        let page = match self.client.call(&self.operation, self.input.clone()).await {
            Ok(p) => p,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        let more = match &self.config.more_results {
            Some(path) => search(path, &page).as_bool().unwrap_or(false),
            None => true,
        };
        let tokens: Vec<Document> = self
            .config
            .output_tokens
            .iter()
            .map(|p| search(p, &page))
            .collect();
        let has_token = tokens
            .iter()
            .any(|t| !t.is_null() && t.as_str() != Some(""));
        if !more || !has_token || self.last_tokens.as_ref() == Some(&tokens) {
            self.done = true;
        } else {
            for (name, token) in self.config.input_tokens.iter().zip(&tokens) {
                if token.is_null() {
                    self.input.remove(name);
                } else {
                    let _ = self.input.insert(name.clone(), token.clone());
                }
            }
            self.last_tokens = Some(tokens);
        }
        Some(Ok(page))
    }
}
