//! Paginators driven by `paginators-1.json`: follow the output tokens into the next request's input
//! tokens until the service says there is no more (or repeats a token).
//!
//! The configs come from the service's compiled table ([`crate::model::paginators`]), read once
//! per process. A [`Paginator`] is a [`futures_core::Stream`] of pages; [`Paginator::next_page`]
//! is the same thing as a method.

use crate::client::{SdkError, ServiceClient};
use crate::document::Document;
use crate::path::search;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};

pub use crate::model::PaginatorConfig;

impl PaginatorConfig {
    /// The config for `operation` (model name) of `service`, if it can be paginated.
    pub fn load(service: &str, operation: &str) -> Option<Arc<PaginatorConfig>> {
        crate::model::paginators(service)
            .ok()??
            .get(operation)
            .cloned()
    }
}

/// Why a paginator stopped with an error.
#[derive(Debug)]
#[non_exhaustive]
pub enum PaginationError {
    /// A page's request failed; the paginator ends after it.
    Call(SdkError),
    /// The service sent the same next token twice (botocore raises `PaginationError` here rather
    /// than end a listing that may be incomplete, or loop forever). The page that carried the
    /// repeated token was handed out; the paginator ends after this error.
    RepeatedToken {
        /// The operation (model name).
        operation: String,
        /// The repeated output tokens, in the config's `output_token` order.
        tokens: Vec<Document>,
    },
}

impl PaginationError {
    /// The call error, when a request failed.
    pub fn sdk(&self) -> Option<&SdkError> {
        match self {
            PaginationError::Call(e) => Some(e),
            PaginationError::RepeatedToken { .. } => None,
        }
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Transparent: the call error says everything (and owns the source chain).
            PaginationError::Call(e) => fmt::Display::fmt(e, f),
            PaginationError::RepeatedToken { operation, .. } => write!(
                f,
                "{operation} returned the same next token twice; the listing would loop"
            ),
        }
    }
}

impl std::error::Error for PaginationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PaginationError::Call(e) => e.source(),
            PaginationError::RepeatedToken { .. } => None,
        }
    }
}

impl From<SdkError> for PaginationError {
    fn from(e: SdkError) -> Self {
        PaginationError::Call(e)
    }
}

type PageFuture = Pin<Box<dyn Future<Output = Result<Document, SdkError>> + Send>>;

/// The request of the page being fetched.
struct InFlight {
    /// The input it was sent with (where a `max_items` cut resumes).
    request_input: Document,
    /// Items still wanted when it was sent.
    remaining: Option<usize>,
    future: PageFuture,
}

/// Pages of one operation, fetched lazily one request at a time.
///
/// Poll it as a stream (`StreamExt::next`) or call [`Paginator::next_page`]; both share one
/// request in flight, so a dropped `next_page` future resumes where it stopped.
pub struct Paginator {
    client: ServiceClient,
    operation: String,
    input: Document,
    config: Arc<PaginatorConfig>,
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
    /// The service sent these next tokens twice: the next poll reports it.
    repeated_token: Option<Vec<Document>>,
    /// Behind a mutex only so the paginator stays `Sync` (a boxed future is not); it is reached
    /// through `get_mut`, never locked.
    in_flight: Mutex<Option<InFlight>>,
}

impl fmt::Debug for Paginator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("input", &self.input)
            .field("config", &self.config)
            .field("done", &self.done)
            .field("items", &self.items)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

impl Paginator {
    /// A paginator for `operation` with `input`; `None` when the operation does not paginate.
    pub fn new(client: &ServiceClient, operation: &str, input: Document) -> Option<Paginator> {
        let op = client.model().operation(operation).ok()?;
        let config = client.model().paginators().ok()??.get(&op.name).cloned()?;
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
            repeated_token: None,
            in_flight: Mutex::new(None),
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
    pub async fn next_page(&mut self) -> Option<Result<Document, PaginationError>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn in_flight(&mut self) -> &mut Option<InFlight> {
        self.in_flight
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Polls for the next page: starts its request when none is in flight, then drives it.
    pub fn poll_page(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Document, PaginationError>>> {
        if self.in_flight().is_none() {
            match self.start() {
                Ok(flight) => *self.in_flight() = Some(flight),
                Err(end) => return Poll::Ready(end),
            }
        }
        let Some(flight) = self.in_flight().as_mut() else {
            return Poll::Ready(None);
        };
        let result = ready!(flight.future.as_mut().poll(cx));
        let Some(flight) = self.in_flight().take() else {
            return Poll::Ready(None);
        };
        Poll::Ready(Some(self.finish(flight, result)))
    }

    /// The request for the next page, or how the listing ends instead.
    fn start(&mut self) -> Result<InFlight, Option<Result<Document, PaginationError>>> {
        if let Some(tokens) = self.repeated_token.take() {
            self.done = true;
            return Err(Some(Err(PaginationError::RepeatedToken {
                operation: self.operation.clone(),
                tokens,
            })));
        }
        if self.done {
            return Err(None);
        }
        let remaining = self.max_items.map(|m| m.saturating_sub(self.items));
        if remaining == Some(0) {
            self.done = true;
            return Err(None);
        }
        let request_input = self.input.clone();
        let (client, operation, input) = (
            self.client.clone(),
            self.operation.clone(),
            request_input.clone(),
        );
        Ok(InFlight {
            request_input,
            remaining,
            future: Box::pin(async move { client.call(&operation, input).await }),
        })
    }

    /// Follows the tokens of a fetched page and applies `max_items` to it.
    fn finish(
        &mut self,
        flight: InFlight,
        result: Result<Document, SdkError>,
    ) -> Result<Document, PaginationError> {
        let InFlight {
            request_input,
            remaining,
            ..
        } = flight;
        let page = match result {
            Ok(p) => p,
            Err(e) => {
                self.done = true;
                return Err(PaginationError::Call(e));
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
            self.repeated_token = Some(tokens);
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
        Ok(page)
    }
}

impl futures_core::Stream for Paginator {
    type Item = Result<Document, PaginationError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}
