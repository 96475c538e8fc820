//! Collections (`bucket.objects`, `sqs.queues`): lazily paginated listings of resources.

use super::params::{build_request_params, build_resources};
use super::{Defs, Resource};
use crate::client::Client;
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;
use boto_core::paginate::Paginator;
use serde_json::Value;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

/// A collection: `.all()`, `.filter(..)`, `.limit(n)`, `.page_size(n)`, then iterate.
#[derive(Clone)]
pub struct Collection {
    client: Client,
    defs: Arc<Defs>,
    parent: Option<Resource>,
    def: Value,
    params: Document,
    limit: Option<usize>,
    page_size: Option<i64>,
}

impl fmt::Debug for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Collection")
            .field("operation", &self.def["request"]["operation"])
            .field("params", &self.params)
            .field("limit", &self.limit)
            .finish()
    }
}

impl Collection {
    pub(crate) fn new(
        client: Client,
        defs: Arc<Defs>,
        parent: Option<Resource>,
        def: Value,
    ) -> Self {
        Collection {
            client,
            defs,
            parent,
            def,
            params: Document::map(),
            limit: None,
            page_size: None,
        }
    }

    /// Every item (`.all()`).
    pub fn all(self) -> Self {
        self
    }

    /// Items matching request parameters (`.filter(Prefix="photos/")`).
    pub fn filter(mut self, params: Document) -> Self {
        if let (Some(mine), Document::Map(theirs)) = (self.params.as_map_mut(), params) {
            mine.extend(theirs);
        }
        self
    }

    /// At most `n` items.
    pub fn limit(mut self, n: usize) -> Self {
        self.limit = Some(n);
        self
    }

    /// Items per request.
    pub fn page_size(mut self, n: i64) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Starts iterating; each page is requested when the previous one is used up.
    pub fn iter(&self) -> Result<CollectionIter, Error> {
        let request = &self.def["request"];
        let op = request["operation"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let input = build_request_params(request, self.parent.as_ref(), self.params.clone())?;
        let paginator = Paginator::new(self.client.service_client(), &op, input.clone()).map(|p| {
            match self.page_size {
                Some(n) => p.page_size(n),
                None => p,
            }
        });
        Ok(CollectionIter {
            collection: self.clone(),
            op,
            input,
            paginator,
            single_done: false,
            buffer: VecDeque::new(),
            yielded: 0,
        })
    }

    /// Runs a batch action (`Delete`) on every page of the collection: one request per page, as
    /// `bucket.objects.filter(Prefix=..).delete()` does in boto3. Returns each page's response.
    pub async fn batch_action(&self, name: &str, params: Document) -> Result<Vec<Output>, Error> {
        let mut it = self.iter()?;
        let mut outputs = Vec::new();
        while let Some(page) = it.next_page().await {
            let page = page?;
            if !page.is_empty() {
                outputs.push(super::batch::run(&page, name, params.clone()).await?);
            }
        }
        Ok(outputs)
    }

    /// The `Delete` batch action (`bucket.objects.all().delete()`).
    pub async fn delete(&self) -> Result<Vec<Output>, Error> {
        self.batch_action("Delete", Document::map()).await
    }

    /// Every item, collected.
    pub async fn collect_all(&self) -> Result<Vec<Resource>, Error> {
        let mut it = self.iter()?;
        let mut out = Vec::new();
        while let Some(r) = it.next().await {
            out.push(r?);
        }
        Ok(out)
    }
}

/// Iterates a collection lazily, page by page.
#[derive(Debug)]
pub struct CollectionIter {
    collection: Collection,
    op: String,
    input: Document,
    paginator: Option<Paginator>,
    single_done: bool,
    buffer: VecDeque<Resource>,
    yielded: usize,
}

impl CollectionIter {
    /// The next resource, or `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Resource, Error>> {
        if self.collection.limit.is_some_and(|l| self.yielded >= l) {
            return None;
        }
        while self.buffer.is_empty() {
            match self.fetch_page().await? {
                Ok(items) => self.buffer.extend(items),
                Err(e) => return Some(Err(e)),
            }
        }
        self.yielded += 1;
        self.buffer.pop_front().map(Ok)
    }

    /// The rest of the current page, or the next page, as one batch (what batch actions act on);
    /// `None` at the end. The collection's limit still applies.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        let remaining = self
            .collection
            .limit
            .map(|l| l.saturating_sub(self.yielded));
        if remaining == Some(0) {
            return None;
        }
        let mut page: Vec<Resource> = self.buffer.drain(..).collect();
        while page.is_empty() {
            match self.fetch_page().await? {
                Ok(items) => page = items,
                Err(e) => return Some(Err(e)),
            }
        }
        if let Some(r) = remaining {
            page.truncate(r);
        }
        self.yielded += page.len();
        Some(Ok(page))
    }

    /// Requests one more page and builds its resources; `None` when there are no more pages.
    async fn fetch_page(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        loop {
            let page = match &mut self.paginator {
                Some(p) => match p.next_page().await? {
                    Err(e) => return Some(Err(e.into())),
                    Ok(page) => page,
                },
                None => {
                    if self.single_done {
                        return None;
                    }
                    self.single_done = true;
                    match self
                        .collection
                        .client
                        .call(&self.op, self.input.clone())
                        .await
                    {
                        Ok(page) => page,
                        Err(e) => return Some(Err(e)),
                    }
                }
            };
            let c = &self.collection;
            match build_resources(
                &c.client,
                &c.defs,
                c.parent.as_ref(),
                &c.def["resource"],
                &self.input,
                &page,
            ) {
                Ok(items) => return Some(Ok(items)),
                // An empty page has no identifiers to read: that is not an error.
                Err(_) if page_is_empty(&c.def["resource"], &page) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

fn page_is_empty(def: &Value, page: &Document) -> bool {
    match def["path"].as_str() {
        Some(p) => boto_core::path::search(p, page)
            .as_list()
            .is_none_or(|l| l.is_empty()),
        None => true,
    }
}
