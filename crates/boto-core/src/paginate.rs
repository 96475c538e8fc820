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
    /// `MaxItems`: stop after this many result items.
    max_items: Option<usize>,
    /// Items handed out so far.
    items: usize,
    /// Items to drop from the first page (a resumed `boto_truncate_amount`).
    skip_first: usize,
    /// Where to resume after `max_items` cut a listing short (botocore's `NextToken`).
    resume_token: Option<String>,
    /// The service sent the same next token twice: the next call reports it.
    repeated_token: bool,
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
            max_items: None,
            items: 0,
            skip_first: 0,
            resume_token: None,
            repeated_token: false,
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

    /// Stops after `n` result items (`PaginationConfig.MaxItems`); the page that crosses the limit
    /// is cut short and [`Paginator::resume_token`] says where to go on.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Resumes where a previous listing stopped (`PaginationConfig.StartingToken`): a token from
    /// [`Paginator::resume_token`] (botocore's encoding, so boto3's tokens work too), or a raw
    /// service token for a paginator with one input token.
    pub fn starting_token(mut self, token: &str) -> Self {
        let decoded = crate::encoding::base64_decode(token)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .filter(serde_json::Value::is_object);
        match decoded {
            Some(serde_json::Value::Object(map)) => {
                for (k, v) in map {
                    if k == "boto_truncate_amount" {
                        self.skip_first = v.as_u64().unwrap_or(0) as usize;
                    } else if let Ok(d) = serde_json::from_value::<Document>(v) {
                        let _ = self.input.insert(k, d);
                    }
                }
            }
            _ => {
                if let Some(name) = self.config.input_tokens.first() {
                    let _ = self.input.insert(name.clone(), token);
                }
            }
        }
        self
    }

    /// After a `max_items` cut: the token to pass to [`Paginator::starting_token`] to go on.
    pub fn resume_token(&self) -> Option<&str> {
        self.resume_token.as_deref()
    }

    /// The request tokens of the page about to be fetched, encoded botocore's way, plus how many
    /// of its items were already handed out.
    fn encode_token(&self, truncate: usize) -> String {
        let mut map = serde_json::Map::new();
        for name in &self.config.input_tokens {
            if let Some(v) = self.input.get(name) {
                map.insert(name.clone(), serde_json::to_value(v).unwrap_or_default());
            }
        }
        if truncate > 0 {
            map.insert("boto_truncate_amount".into(), truncate.into());
        }
        crate::encoding::base64_encode(serde_json::Value::Object(map).to_string().as_bytes())
    }

    /// Drops the first `skip` and keeps at most `keep` items of each top-level result list;
    /// returns how many items the primary result list had after the skip.
    fn trim_results(&self, page: &mut Document, skip: usize, keep: Option<usize>) -> usize {
        let mut primary = None;
        for key in &self.config.result_keys {
            let Some(list) = page.get_mut(key).and_then(Document::as_list_mut) else {
                continue;
            };
            list.drain(..skip.min(list.len()));
            let available = list.len();
            if let Some(k) = keep {
                list.truncate(k);
            }
            primary.get_or_insert(available);
        }
        primary.unwrap_or(0)
    }

    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Option<Result<Document, SdkError>> {
        if std::mem::take(&mut self.repeated_token) {
            self.done = true;
            return Some(Err(SdkError::Response {
                error: crate::protocol::ProtocolError::Parse(format!(
                    "{} returned the same next token twice; the listing would loop",
                    self.operation
                )),
                status: 200,
                request_id: None,
            }));
        }
        if self.done {
            return None;
        }
        let remaining = self.max_items.map(|m| m.saturating_sub(self.items));
        if remaining == Some(0) {
            self.done = true;
            return None;
        }
        let request_input = self.input.clone();
        let page = match self
            .client
            .call(&self.operation, request_input.clone())
            .await
        {
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
        if more && has_token && self.last_tokens.as_ref() == Some(&tokens) {
            // botocore raises here rather than end a listing that may be incomplete.
            self.repeated_token = true;
        } else if !more || !has_token {
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
        let mut page = page;
        let skip = std::mem::take(&mut self.skip_first);
        let available = self.trim_results(&mut page, skip, remaining);
        match remaining {
            Some(r) if available > r => {
                // Cut mid-page: resume at this page's request, skipping what was handed out.
                let next = std::mem::replace(&mut self.input, request_input);
                self.resume_token = Some(self.encode_token(skip + r));
                self.input = next;
                self.items += r;
                self.done = true;
            }
            Some(r) if available == r && !self.done => {
                self.resume_token = Some(self.encode_token(0));
                self.items += r;
                self.done = true;
            }
            _ => self.items += available,
        }
        Some(Ok(page))
    }
}
