//! Blocking collections (`bucket.objects`, `sqs.queues`): a [`Collection`] is iterated directly,
//! each page requested when the previous one is used up.

use super::block_on;
use super::client::Output;
use super::resource::Resource;
use crate::error::Error;
use crate::resource as r;
use boto_core::document::Document;

/// A blocking [`r::Collection`]: `.all()`, `.filter(..)`, `.limit(n)`, `.page_size(n)`, then
/// iterate it (`for obj in bucket.objects()?.all()`).
#[derive(Clone, Debug)]
pub struct Collection {
    inner: r::Collection,
}

impl From<r::Collection> for Collection {
    fn from(inner: r::Collection) -> Self {
        Collection { inner }
    }
}

impl Collection {
    /// Every item.
    pub fn all(self) -> Self {
        self
    }

    /// See [`r::Collection::filter`].
    pub fn filter(self, params: Document) -> Self {
        Collection {
            inner: self.inner.filter(params),
        }
    }

    /// See [`r::Collection::limit`].
    pub fn limit(self, n: usize) -> Self {
        Collection {
            inner: self.inner.limit(n),
        }
    }

    /// See [`r::Collection::page_size`].
    pub fn page_size(self, n: i64) -> Self {
        Collection {
            inner: self.inner.page_size(n),
        }
    }

    /// Starts iterating, reporting a collection whose request cannot be built here rather than as
    /// the first item (as iterating the collection itself does).
    pub fn iter(&self) -> Result<CollectionIter, Error> {
        Ok(CollectionIter {
            state: Ok(self.inner.iter()?),
        })
    }

    /// Every item, collected.
    pub fn collect_all(&self) -> Result<Vec<Resource>, Error> {
        self.iter()?.collect()
    }

    /// See [`r::Collection::batch_action`]: one request per page, each page's response returned.
    pub fn batch_action(&self, name: &str, params: Document) -> Result<Vec<Output>, Error> {
        let outputs = block_on(self.inner.batch_action(name, params))??;
        Ok(outputs.into_iter().map(Output::from).collect())
    }

    /// `collection.delete()` (`bucket.objects.filter(..).delete()`).
    pub fn delete(&self) -> Result<Vec<Output>, Error> {
        self.batch_action("Delete", Document::map())
    }
}

impl IntoIterator for Collection {
    type Item = Result<Resource, Error>;
    type IntoIter = CollectionIter;

    fn into_iter(self) -> CollectionIter {
        CollectionIter {
            state: self.inner.iter().map_err(Some),
        }
    }
}

/// Iterator over a blocking collection, item by item ([`Iterator`]) or page by page
/// ([`CollectionIter::next_page`]); both share one cursor.
#[derive(Debug)]
pub struct CollectionIter {
    /// The async cursor, or the error that ended iteration (taken once it was reported).
    state: Result<r::CollectionIter, Option<Error>>,
}

impl CollectionIter {
    /// The rest of the current page, or the next page, as one batch (what batch actions act on);
    /// `None` at the end. The collection's limit still applies.
    pub fn next_page(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        let outcome = match &mut self.state {
            Err(e) => return e.take().map(Err),
            Ok(it) => block_on(it.next_page()),
        };
        let page = self.settle(outcome)?;
        Some(page.map(|items| items.into_iter().map(Resource::from).collect()))
    }

    /// What a step of the async cursor gave; when blocking itself failed (inside a runtime), the
    /// error is reported once and the iterator ends.
    fn settle<T>(
        &mut self,
        outcome: Result<Option<Result<T, Error>>, Error>,
    ) -> Option<Result<T, Error>> {
        outcome.unwrap_or_else(|e| {
            self.state = Err(None);
            Some(Err(e))
        })
    }
}

impl Iterator for CollectionIter {
    type Item = Result<Resource, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let outcome = match &mut self.state {
            Err(e) => return e.take().map(Err),
            Ok(it) => block_on(it.next()),
        };
        let item = self.settle(outcome)?;
        Some(item.map(Resource::from))
    }
}
