//! Blocking DynamoDB conveniences: [`BatchWriter`] (`table.batch_writer()`), which also flushes
//! when dropped, and the value types of [`crate::dynamodb`], which need no blocking form.

use super::block_on;
use super::resource::Resource;
use crate::dynamodb as d;
use crate::error::Error;
use boto_core::document::Document;

pub use crate::dynamodb::{
    Attr, BuiltExpression, Condition, ConditionExpressionBuilder, Key, Number, Set, Size,
    ValueError,
};

/// A blocking [`d::BatchWriter`]: puts and deletes sent as BatchWriteItem requests of 25.
/// Dropping it sends what is left; call [`close`](Self::close) to see that final flush's error.
///
/// ```no_run
/// # fn demo() -> Result<(), boto::Error> {
/// use boto::doc;
/// let table = boto::blocking::resource("dynamodb")?.resource("Table", &["orders"])?;
/// let mut batch = table.batch_writer(None)?;
/// for i in 0..100 {
///     batch.put_item(doc! {"pk": "a", "sk": i})?;
/// }
/// batch.close()?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BatchWriter {
    /// Taken by `close`, so the drop has nothing left to do.
    inner: Option<d::BatchWriter>,
}

impl Resource {
    /// See [`crate::resource::Resource::batch_writer`].
    pub fn batch_writer(&self, overwrite_by_pkeys: Option<&[&str]>) -> Result<BatchWriter, Error> {
        Ok(BatchWriter {
            inner: Some(self.as_async().batch_writer(overwrite_by_pkeys)?),
        })
    }
}

impl BatchWriter {
    fn writer(&mut self) -> Result<&mut d::BatchWriter, Error> {
        self.inner
            .as_mut()
            .ok_or_else(|| Error::Usage("the batch writer was closed".into()))
    }

    /// See [`d::BatchWriter::put_item`].
    pub fn put_item(&mut self, item: Document) -> Result<(), Error> {
        let w = self.writer()?;
        block_on(w.put_item(item))?
    }

    /// See [`d::BatchWriter::delete_item`].
    pub fn delete_item(&mut self, key: Document) -> Result<(), Error> {
        let w = self.writer()?;
        block_on(w.delete_item(key))?
    }

    /// How many requests are waiting to be sent.
    pub fn pending(&self) -> usize {
        self.inner.as_ref().map_or(0, d::BatchWriter::pending)
    }

    /// See [`d::BatchWriter::flush`].
    pub fn flush(&mut self) -> Result<(), Error> {
        let w = self.writer()?;
        block_on(w.flush())?
    }

    /// Flushes and ends the writer, returning the flush's error.
    pub fn close(mut self) -> Result<(), Error> {
        match self.inner.take() {
            Some(w) => block_on(w.close())?,
            None => Ok(()),
        }
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        let Some(w) = self.inner.as_mut() else {
            return;
        };
        if w.pending() == 0 {
            return;
        }
        if let Err(e) = block_on(w.flush()).and_then(|r| r) {
            tracing::warn!(error = %e, "a DynamoDB batch_writer could not flush when dropped");
        }
    }
}
