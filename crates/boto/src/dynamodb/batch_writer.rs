//! `table.batch_writer()` (boto3's `boto3.dynamodb.table.BatchWriter`): puts and deletes are
//! buffered and sent as BatchWriteItem requests of 25; items the service leaves unprocessed go to
//! the back of the buffer and are sent again with the next request.
//!
//! With `overwrite_by_pkeys`, a new request replaces any buffered request for the same primary
//! key, as boto3's does (DynamoDB refuses a batch that writes one key twice).
//!
//! There is no async drop: call [`BatchWriter::close`] (or [`BatchWriter::flush`]) when done. A
//! writer dropped with requests still buffered logs a warning naming how many were lost. The
//! blocking twin flushes on drop too.

use crate::error::Error;
use crate::resource::Resource;
use boto_core::document::{Document, Map};
use std::collections::VecDeque;

/// The most requests one BatchWriteItem takes.
const FLUSH_AMOUNT: usize = 25;

/// Buffers writes to one table and sends them in batches.
///
/// ```no_run
/// # async fn demo() -> Result<(), boto::Error> {
/// use boto::doc;
/// let table = boto::resource("dynamodb")?.resource("Table", &["orders"])?;
/// let mut batch = table.batch_writer(Some(&["pk", "sk"]))?;
/// for i in 0..100 {
///     batch.put_item(doc! {"pk": "a", "sk": i, "status": "new"}).await?;
/// }
/// batch.delete_item(doc! {"pk": "a", "sk": 7}).await?;
/// batch.close().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BatchWriter {
    table: Resource,
    table_name: String,
    overwrite_by_pkeys: Option<Vec<String>>,
    buffer: VecDeque<Document>,
}

impl Resource {
    /// `table.batch_writer(overwrite_by_pkeys=..)` (DynamoDB Tables): a [`BatchWriter`] for this
    /// table. Makes no request.
    pub fn batch_writer(&self, overwrite_by_pkeys: Option<&[&str]>) -> Result<BatchWriter, Error> {
        BatchWriter::new(self, overwrite_by_pkeys)
    }
}

impl BatchWriter {
    pub(crate) fn new(
        table: &Resource,
        overwrite_by_pkeys: Option<&[&str]>,
    ) -> Result<BatchWriter, Error> {
        let is_table = table.client().service_name() == "dynamodb" && table.type_name() == "Table";
        let name = table
            .identifier("Name")
            .filter(|_| is_table)
            .ok_or_else(|| {
                Error::Resource(format!(
                    "batch_writer is for DynamoDB tables, not {table:?}"
                ))
            })?;
        Ok(BatchWriter {
            table_name: name.to_string(),
            table: table.clone(),
            overwrite_by_pkeys: overwrite_by_pkeys
                .map(|keys| keys.iter().map(|k| k.to_string()).collect()),
            buffer: VecDeque::new(),
        })
    }

    /// Buffers `PutRequest` of `item` (plain values); sends a batch when 25 are waiting.
    pub async fn put_item(&mut self, item: Document) -> Result<(), Error> {
        self.add("PutRequest", "Item", item).await
    }

    /// Buffers `DeleteRequest` of `key` (plain values); sends a batch when 25 are waiting.
    pub async fn delete_item(&mut self, key: Document) -> Result<(), Error> {
        self.add("DeleteRequest", "Key", key).await
    }

    /// How many requests are waiting to be sent.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }

    /// Sends everything buffered, batch by batch, until nothing is left (unprocessed items
    /// included).
    pub async fn flush(&mut self) -> Result<(), Error> {
        while !self.buffer.is_empty() {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Flushes and ends the writer (leaving boto3's `with` block).
    pub async fn close(mut self) -> Result<(), Error> {
        self.flush().await
    }

    async fn add(&mut self, kind: &str, member: &str, value: Document) -> Result<(), Error> {
        if value.as_map().is_none() {
            return Err(Error::Resource(format!(
                "a batch {member} is a map of attributes, not a {}",
                value.kind()
            )));
        }
        let mut inner = Map::default();
        inner.insert(member.into(), value);
        let mut request = Map::default();
        request.insert(kind.into(), Document::Map(inner));
        let request = Document::Map(request);
        if let Some(keys) = &self.overwrite_by_pkeys {
            let new_key = primary_key(&request, keys);
            self.buffer.retain(|queued| {
                let same = primary_key(queued, keys) == new_key;
                if same {
                    tracing::debug!(?queued, "overwrite_by_pkeys: dropping the earlier request");
                }
                !same
            });
        }
        self.buffer.push_back(request);
        if self.buffer.len() >= FLUSH_AMOUNT {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Sends the first 25 requests; what comes back unprocessed joins the end of the buffer.
    async fn send_batch(&mut self) -> Result<(), Error> {
        let n = self.buffer.len().min(FLUSH_AMOUNT);
        let batch: Vec<Document> = self.buffer.drain(..n).collect();
        let mut items = Map::default();
        items.insert(
            self.table_name.as_str().into(),
            Document::List(batch.clone()),
        );
        let mut input = Map::default();
        input.insert("RequestItems".into(), Document::Map(items));
        let response =
            match crate::resource::call_for(&self.table, "BatchWriteItem", Document::Map(input))
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    // Nothing was written: keep the batch for a later flush.
                    for (i, request) in batch.into_iter().enumerate() {
                        self.buffer.insert(i, request);
                    }
                    return Err(e);
                }
            };
        let unprocessed = response["UnprocessedItems"][self.table_name.as_str()].iter();
        let unprocessed: Vec<Document> = unprocessed.cloned().collect();
        tracing::debug!(
            sent = n,
            unprocessed = unprocessed.len(),
            "batch_writer sent a batch"
        );
        self.buffer.extend(unprocessed);
        Ok(())
    }
}

/// The values of `keys` in a put's item or a delete's key, for de-duplication.
fn primary_key<'a>(request: &'a Document, keys: &[String]) -> Vec<&'a Document> {
    let attributes = match request.get("PutRequest") {
        Some(put) => &put["Item"],
        None => &request["DeleteRequest"]["Key"],
    };
    keys.iter().map(|k| &attributes[k.as_str()]).collect()
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        if !self.buffer.is_empty() {
            tracing::warn!(
                table = %self.table_name,
                pending = self.buffer.len(),
                "a DynamoDB batch_writer was dropped with requests never sent: call close().await"
            );
        }
    }
}
