//! Collections (`bucket.objects`, `sqs.queues`): lazily paginated listings of resources.
//!
//! [`CollectionIter`] is a [`futures_core::Stream`] of resources, the async twin of boto3's
//! `for obj in bucket.objects.all()`; its `next()` and `next_page()` methods poll the same state.

use super::model::{CollectionDef, ResourceModel, ResourceRef};
use super::params::{build_request_params, build_resources};
use super::{customize, Resource};
use crate::client::Client;
use crate::error::Error;
use boto_core::client::Output;
use boto_core::document::Document;
use boto_core::paginate::Paginator;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};

/// A collection: `.all()`, `.filter(..)`, `.limit(n)`, `.page_size(n)`, then iterate.
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// use boto::doc;
/// use futures_util::StreamExt;
/// let bucket = boto::resource("s3")?.bucket("videobucket")?;
/// let mut objects = bucket.objects()?.filter(doc! {"Prefix": "cats/"}).iter()?;
/// while let Some(obj) = objects.next().await {
///     println!("{}", obj?.key().unwrap_or_default());
/// }
/// // Or as any stream:
/// let keys: Vec<String> = bucket
///     .objects()?
///     .all()
///     .iter()?
///     .map(|obj| obj.map(|o| o.key().unwrap_or_default().to_string()))
///     .collect::<Vec<_>>()
///     .await
///     .into_iter()
///     .collect::<Result<_, _>>()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Collection {
    client: Client,
    model: Arc<ResourceModel>,
    parent: Option<Resource>,
    def: Arc<CollectionDef>,
    params: Document,
    limit: Option<usize>,
    page_size: Option<i64>,
}

impl fmt::Debug for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Collection")
            .field("operation", &self.def.request.operation)
            .field("params", &self.params)
            .field("limit", &self.limit)
            .finish()
    }
}

impl Collection {
    pub(crate) fn new(
        client: Client,
        model: Arc<ResourceModel>,
        parent: Option<Resource>,
        def: Arc<CollectionDef>,
    ) -> Self {
        Collection {
            client,
            model,
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
        if let (Some(mine), Some(theirs)) = (self.params.as_map_mut(), params.into_map()) {
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
        let request = &self.def.request;
        let op = request.operation.clone().unwrap_or_default();
        let mut input =
            build_request_params(&request.params, self.parent.as_ref(), self.params.clone())?;
        customize::before_call(self.client.service_client().model(), &op, &mut input)?;
        let pages = match Paginator::new(self.client.service_client(), &op, input.clone()) {
            Some(p) => Pages::Paginated(Box::new(match self.page_size {
                Some(n) => p.page_size(n),
                None => p,
            })),
            None => Pages::Single {
                done: false,
                call: Mutex::new(None),
            },
        };
        Ok(CollectionIter {
            collection: self.clone(),
            op,
            input,
            pages,
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

type CallFuture = Pin<Box<dyn Future<Output = Result<Document, Error>> + Send>>;

/// Where a collection's pages come from.
enum Pages {
    /// The operation paginates.
    Paginated(Box<Paginator>),
    /// One request is the whole listing. The call is behind a mutex only so the iterator stays
    /// `Sync` (a boxed future is not); it is reached through `get_mut`, never locked.
    Single {
        done: bool,
        call: Mutex<Option<CallFuture>>,
    },
}

/// Iterates a collection lazily, page by page: a [`futures_core::Stream`] of resources.
pub struct CollectionIter {
    collection: Collection,
    op: String,
    input: Document,
    pages: Pages,
    buffer: VecDeque<Resource>,
    yielded: usize,
}

impl fmt::Debug for CollectionIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CollectionIter")
            .field("collection", &self.collection)
            .field("op", &self.op)
            .field("buffered", &self.buffer.len())
            .field("yielded", &self.yielded)
            .finish_non_exhaustive()
    }
}

impl CollectionIter {
    /// The next resource, or `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub async fn next(&mut self) -> Option<Result<Resource, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// The rest of the current page, or the next page, as one batch (what batch actions act on);
    /// `None` at the end. The collection's limit still applies.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        std::future::poll_fn(|cx| self.poll_batch(cx)).await
    }

    fn remaining(&self) -> Option<usize> {
        self.collection
            .limit
            .map(|l| l.saturating_sub(self.yielded))
    }

    /// Fetches pages until the buffer holds a resource. `Err` carries what the caller's poll ends
    /// with: the page's error, or `None` when the collection is exhausted.
    fn poll_refill<T>(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Option<Result<T, Error>>>> {
        while self.buffer.is_empty() {
            match ready!(self.poll_resources(cx)) {
                Some(Ok(items)) => self.buffer.extend(items),
                Some(Err(e)) => return Poll::Ready(Err(Some(Err(e)))),
                None => return Poll::Ready(Err(None)),
            }
        }
        Poll::Ready(Ok(()))
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Resource, Error>>> {
        if self.remaining() == Some(0) {
            return Poll::Ready(None);
        }
        if let Err(end) = ready!(self.poll_refill(cx)) {
            return Poll::Ready(end);
        }
        self.yielded += 1;
        Poll::Ready(self.buffer.pop_front().map(Ok))
    }

    fn poll_batch(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<Resource>, Error>>> {
        let remaining = self.remaining();
        if remaining == Some(0) {
            return Poll::Ready(None);
        }
        if let Err(end) = ready!(self.poll_refill(cx)) {
            return Poll::Ready(end);
        }
        let mut page: Vec<Resource> = self.buffer.drain(..).collect();
        if let Some(r) = remaining {
            page.truncate(r);
        }
        self.yielded += page.len();
        Poll::Ready(Some(Ok(page)))
    }

    /// Requests pages until one builds resources (an empty page has no identifiers to read:
    /// that is not an error); `None` when there are no more pages.
    fn poll_resources(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Vec<Resource>, Error>>> {
        loop {
            let mut page = match ready!(self.poll_response(cx)) {
                Some(Ok(page)) => page,
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            };
            let c = &self.collection;
            customize::after_call(c.client.service_client().model(), &self.op, &mut page);
            let resource = &c.def.resource;
            match build_resources(
                &c.client,
                &c.model,
                c.parent.as_ref(),
                resource,
                &self.input,
                &page,
            ) {
                Ok(items) => return Poll::Ready(Some(Ok(items))),
                Err(_) if page_is_empty(resource, &page) => continue,
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }

    /// The next raw response of the listing.
    fn poll_response(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Document, Error>>> {
        match &mut self.pages {
            Pages::Paginated(p) => p
                .poll_page(cx)
                .map(|page| page.map(|r| r.map_err(Error::from))),
            Pages::Single { done, call } => {
                if *done {
                    return Poll::Ready(None);
                }
                let call = call.get_mut().unwrap_or_else(PoisonError::into_inner);
                let future = call.get_or_insert_with(|| {
                    let (client, op, input) = (
                        self.collection.client.clone(),
                        self.op.clone(),
                        self.input.clone(),
                    );
                    Box::pin(async move { client.call(&op, input).await })
                });
                let result = ready!(future.as_mut().poll(cx));
                *call = None;
                *done = true;
                Poll::Ready(Some(result))
            }
        }
    }
}

impl futures_core::Stream for CollectionIter {
    type Item = Result<Resource, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

fn page_is_empty(def: &ResourceRef, page: &Document) -> bool {
    match &def.path {
        Some(p) => boto_core::path::search(p, page)
            .as_list()
            .is_none_or(|l| l.is_empty()),
        None => true,
    }
}
