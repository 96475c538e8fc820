//! Paginators driven by `paginators-1.json`: follow the output tokens into the next request's input
//! tokens until the service says there is no more (or repeats a token).
//!
//! The configs come from the service's compiled table ([`crate::model::paginators`]), read once
//! per process. A [`Paginator`] is a [`futures_core::Stream`] of pages; [`Paginator::next_page`]
//! is the same thing as a method.

use crate::client::{SdkError, ServiceClient};
use crate::document::Document;
use crate::encoding::{python_json, python_string};
use crate::path::{search, search_ref};
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
    /// A starting token was given: the first page is trimmed as botocore trims it.
    resumed: bool,
    /// The first page was handled.
    started: bool,
    /// The config's `non_aggregate_keys`, as the first page had them.
    non_aggregate: Document,
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
            resumed: false,
            started: false,
            non_aggregate: Document::map(),
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
        self.resumed = true;
        let decoded = crate::encoding::base64_decode(token)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .filter(serde_json::Value::is_object);
        match decoded {
            Some(serde_json::Value::Object(map)) => {
                for (k, v) in map {
                    if k == "boto_truncate_amount" {
                        self.skip_first = v.as_u64().unwrap_or(0) as usize;
                    } else if v.is_null() {
                        self.input.remove(&k);
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

    /// A resume token, encoded as botocore's `TokenEncoder` does (`json.dumps` of the input
    /// tokens in config order, `null` for an absent one, then `boto_truncate_amount`; base64),
    /// so the token is the one boto3 hands out for the same listing.
    fn encode_token(&self, tokens: &[Document], truncate: Option<usize>) -> String {
        let mut text = String::from("{");
        for (i, (name, value)) in self.config.input_tokens.iter().zip(tokens).enumerate() {
            if i > 0 {
                text.push_str(", ");
            }
            python_string(name, &mut text);
            text.push_str(": ");
            python_json(&serde_json::to_value(value).unwrap_or_default(), &mut text);
        }
        if let Some(n) = truncate {
            if !self.config.input_tokens.is_empty() {
                text.push_str(", ");
            }
            text.push_str(&format!("\"boto_truncate_amount\": {n}"));
        }
        text.push('}');
        crate::encoding::base64_encode(text.as_bytes())
    }

    /// The input tokens `input` carries, in config order (`Null` where one is absent).
    fn tokens_of(&self, input: &Document) -> Vec<Document> {
        self.config
            .input_tokens
            .iter()
            .map(|name| input.get(name).cloned().unwrap_or_default())
            .collect()
    }

    /// The next page's tokens as botocore's `_get_next_token` reads them: `None` when
    /// `more_results` says there is no more, else one per input token, an empty one as `Null`.
    fn next_tokens(&self, page: &Document) -> Option<Vec<Document>> {
        if let Some(path) = &self.config.more_results {
            if !truthy(&search(path, page)) {
                return None;
            }
        }
        Some(
            self.config
                .output_tokens
                .iter()
                .map(|p| search(p, page))
                .map(|t| if truthy(&t) { t } else { Document::Null })
                .collect(),
        )
    }

    /// The first page of a resumed listing, as botocore's `_handle_first_request` leaves it:
    /// the primary result list without the `skip` items handed out before, and the other result
    /// keys emptied (they were handed out whole with the page that was cut).
    fn trim_resumed_page(&self, page: &mut Document, skip: usize) {
        let mut keys = self.config.result_keys.iter();
        if let Some(primary) = keys.next() {
            if let Some(Document::List(list)) = path_mut(page, primary) {
                list.drain(..skip.min(list.len()));
            }
        }
        for key in keys {
            let emptied = match search(key, page) {
                Document::List(_) => Document::List(Vec::new()),
                Document::String(_) => Document::String(String::new()),
                n @ (Document::Int(_) | Document::Float(_)) => n,
                _ => Document::Null,
            };
            set_path(page, key, emptied);
        }
    }

    /// How many items the page's primary (first) result key holds: botocore counts only it
    /// against `MaxItems`, whatever the other result keys hold.
    fn primary_count(&self, page: &Document) -> usize {
        self.config
            .result_keys
            .first()
            .map(|k| match search_ref(k, page) {
                Some(found) => found.as_list().map_or(0, |items| items.len()),
                None => search(k, page).as_list().map_or(0, |items| items.len()),
            })
            .unwrap_or(0)
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
        let request_input = self.input.clone();
        let (client, operation, input) = (
            self.client.clone(),
            self.operation.clone(),
            request_input.clone(),
        );
        Ok(InFlight {
            request_input,
            future: Box::pin(async move { client.call(&operation, input).await }),
        })
    }

    /// Applies `max_items` to a fetched page and follows its tokens, in botocore's order: a page
    /// that crosses the limit is cut (only its primary result key) and ends the listing with a
    /// token that resumes inside it; a page that meets the limit exactly ends it with the next
    /// page's token.
    fn finish(
        &mut self,
        flight: InFlight,
        result: Result<Document, SdkError>,
    ) -> Result<Document, PaginationError> {
        let InFlight { request_input, .. } = flight;
        let mut page = match result {
            Ok(p) => p,
            Err(e) => {
                self.done = true;
                return Err(PaginationError::Call(e));
            }
        };
        let mut skip = 0;
        if !self.started {
            self.started = true;
            if self.resumed {
                skip = std::mem::take(&mut self.skip_first);
                self.trim_resumed_page(&mut page, skip);
            }
            self.non_aggregate = self.non_aggregate_part(&page);
        }
        let count = self.primary_count(&page);
        if let Some(max) = self.max_items {
            if self.items + count > max {
                let keep = max - self.items;
                if let Some(Document::List(list)) = self
                    .config
                    .result_keys
                    .first()
                    .and_then(|k| path_mut(&mut page, k))
                {
                    list.truncate(keep);
                }
                let tokens = self.tokens_of(&request_input);
                self.resume_token = Some(self.encode_token(&tokens, Some(keep + skip)));
                self.items = max;
                self.done = true;
                return Ok(page);
            }
        }
        self.items += count;
        let next = match self.next_tokens(&page) {
            Some(next) if next.iter().any(|t| !t.is_null()) => next,
            _ => {
                self.done = true;
                return Ok(page);
            }
        };
        if self.max_items == Some(self.items) {
            self.resume_token = Some(self.encode_token(&next, None));
            self.done = true;
            return Ok(page);
        }
        if self.last_tokens.as_ref() == Some(&next) {
            // botocore raises here rather than end a listing that may be incomplete.
            self.repeated_token = Some(next);
            return Ok(page);
        }
        for (name, token) in self.config.input_tokens.iter().zip(&next) {
            if token.is_null() {
                self.input.remove(name);
            } else {
                let _ = self.input.insert(name.clone(), token.clone());
            }
        }
        self.last_tokens = Some(next);
        Ok(page)
    }

    /// The `non_aggregate_keys` of `page` (each present, `Null` where the page lacks it).
    fn non_aggregate_part(&self, page: &Document) -> Document {
        let mut part = Document::map();
        for key in &self.config.non_aggregate_keys {
            set_path(&mut part, key, search(key, page));
        }
        part
    }

    /// Every page merged into one result, as botocore's `build_full_result`: each result key's
    /// values concatenated across pages (numbers added, text joined), the non-aggregate keys as
    /// the first page had them, and `NextToken` when `max_items` cut the listing short.
    pub async fn build_full_result(mut self) -> Result<Document, PaginationError> {
        let mut complete = Document::map();
        while let Some(page) = self.next_page().await {
            let page = page?;
            for key in &self.config.result_keys {
                let value = search(key, &page);
                if value.is_null() {
                    continue;
                }
                match path_mut(&mut complete, key) {
                    Some(existing) if !existing.is_null() => merge_value(existing, value),
                    _ => set_path(&mut complete, key, value),
                }
            }
        }
        merge_maps(&mut complete, std::mem::take(&mut self.non_aggregate));
        if let Some(token) = &self.resume_token {
            complete.set("NextToken", token.as_str());
        }
        Ok(complete)
    }
}

/// Python's truth of a token or `more_results` value: not null, false, empty or zero.
fn truthy(v: &Document) -> bool {
    match v {
        Document::Null => false,
        Document::Bool(b) => *b,
        Document::String(s) => !s.is_empty(),
        Document::Int(i) => *i != 0,
        Document::Float(f) => *f != 0.0,
        Document::List(l) => !l.is_empty(),
        Document::Map(m) => !m.is_empty(),
        _ => true,
    }
}

/// The value at a dotted path (`DistributionList.Items`), when every step is a map key.
fn path_mut<'a>(doc: &'a mut Document, path: &str) -> Option<&'a mut Document> {
    path.split('.').try_fold(doc, |d, key| d.get_mut(key))
}

/// Sets the value at a dotted path, making the maps on the way (botocore's
/// `set_value_from_jmespath`); a step through a non-map value is left alone.
fn set_path(doc: &mut Document, path: &str, value: Document) {
    let mut here = doc;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        if here.is_null() {
            *here = Document::map();
        }
        let Some(map) = here.as_map_mut() else { return };
        if keys.peek().is_none() {
            map.insert(key.into(), value);
            return;
        }
        here = map.entry(key.into()).or_insert_with(Document::map);
    }
}

/// Appends a later page's value of a result key to what earlier pages gave.
fn merge_value(existing: &mut Document, mut value: Document) {
    match (existing, &mut value) {
        (Document::List(a), Document::List(b)) => a.append(b),
        (Document::Int(a), Document::Int(b)) => *a += *b,
        (Document::Float(a), Document::Float(b)) => *a += *b,
        (Document::Float(a), Document::Int(b)) => *a += *b as f64,
        (Document::String(a), Document::String(b)) => a.push_str(b),
        _ => {}
    }
}

/// botocore's `merge_dicts`: maps merge key by key, anything else replaces.
fn merge_maps(into: &mut Document, from: Document) {
    let Some(from) = from.into_map() else { return };
    let Some(into) = into.as_map_mut() else {
        return;
    };
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(existing @ Document::Map(_)), value @ Document::Map(_)) => {
                merge_maps(existing, value)
            }
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

impl futures_core::Stream for Paginator {
    type Item = Result<Document, PaginationError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}
