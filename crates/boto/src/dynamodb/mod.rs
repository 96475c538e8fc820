//! DynamoDB the way boto3's resource layer speaks it (`boto3.dynamodb`), without loss:
//! - [`Number`]: numbers digit for digit (38 significant digits, beyond `i64` and `f64`), and
//!   [`Set`]: string, number and binary sets that stay sets when read and written back (see
//!   `value.rs` for how a plain [`Document`](crate::Document) holds them);
//! - [`Key`], [`Attr`] and [`Condition`]: boto3's conditions, built by
//!   [`ConditionExpressionBuilder`] into the same expression text and placeholders as boto3, and
//!   accepted as they are in a Table's `KeyConditionExpression`, `FilterExpression` and
//!   `ConditionExpression`;
//! - [`BatchWriter`]: `table.batch_writer()`, puts and deletes sent as BatchWriteItem requests of
//!   25, with unprocessed items sent again.
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::doc;
//! use boto::dynamodb::{Attr, Key, Number};
//! let table = boto::resource("dynamodb")?.resource("Table", &["orders"])?;
//! let total: Number = "12345678901234567890.123456789".parse()?;
//! table.action("put_item", doc! {"Item": {"pk": "a", "sk": "1", "total": total}}).await?;
//! let found = table
//!     .action("query", doc! {
//!         "KeyConditionExpression": Key::new("pk").eq("a"),
//!         "FilterExpression": Attr::new("total").gt(100),
//!     })
//!     .await?
//!     .into_output()?;
//! let total = Number::try_from(&found.document["Items"][0]["total"])?;
//! # Ok(()) }
//! ```

mod batch_writer;
mod conditions;
mod number;
mod value;

pub use batch_writer::BatchWriter;
pub use conditions::{Attr, BuiltExpression, Condition, ConditionExpressionBuilder, Key, Size};
pub use number::Number;
pub use value::Set;

pub(crate) use value::{from_attribute_value, to_attribute_value};

use std::fmt;

/// A value DynamoDB cannot take as given: a number out of its range or precision, text that is not
/// a number, a malformed set or condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    message: String,
    range: bool,
}

impl ValueError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            range: false,
        }
    }

    pub(crate) fn range(message: impl Into<String>) -> Self {
        ValueError {
            message: message.into(),
            range: true,
        }
    }

    /// A well-formed number beyond DynamoDB's range or its 38 digits.
    pub fn is_range(&self) -> bool {
        self.range
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}
