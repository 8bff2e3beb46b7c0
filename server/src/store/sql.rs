//! The one way queries run: an [`Executor`] is an open transaction on either
//! database. Queries are written once, in PostgreSQL's `$1` placeholder style
//! (the SQLite executor reads `$1` as `?1`), with plain types both databases
//! share: 64-bit integers, text and NULL.

use std::future::Future;
use std::pin::Pin;

use super::{StoreError, StoreResult};

/// A future an executor or a transaction body returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Which database a statement runs on, for the few places the dialects differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A statement parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Param::Int(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Text(value.to_owned())
    }
}

impl From<&String> for Param {
    fn from(value: &String) -> Self {
        Param::Text(value.clone())
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Text(value)
    }
}

impl<T: Into<Param>> From<Option<T>> for Param {
    fn from(value: Option<T>) -> Self {
        value.map_or(Param::Null, Into::into)
    }
}

/// Parameters from a list of values of different types.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        [$($crate::store::sql::Param::from($value)),*]
    };
}
pub(crate) use params;

/// One value of a result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Int(i64),
    Text(String),
    Null,
}

/// One result row, read by column index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&self, index: usize) -> StoreResult<&Cell> {
        self.0.get(index).ok_or_else(|| StoreError::Corrupt(format!("a result row has no column {index}")))
    }

    pub fn int(&self, index: usize) -> StoreResult<i64> {
        match self.cell(index)? {
            Cell::Int(value) => Ok(*value),
            other => Err(StoreError::Corrupt(format!("column {index} is {other:?}, not an integer"))),
        }
    }

    pub fn text(&self, index: usize) -> StoreResult<String> {
        match self.cell(index)? {
            Cell::Text(value) => Ok(value.clone()),
            other => Err(StoreError::Corrupt(format!("column {index} is {other:?}, not text"))),
        }
    }

    pub fn opt_int(&self, index: usize) -> StoreResult<Option<i64>> {
        match self.cell(index)? {
            Cell::Null => Ok(None),
            _ => self.int(index).map(Some),
        }
    }

    pub fn opt_text(&self, index: usize) -> StoreResult<Option<String>> {
        match self.cell(index)? {
            Cell::Null => Ok(None),
            _ => self.text(index).map(Some),
        }
    }
}

/// A statement with its parameters, for running several at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Param>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, params: impl Into<Vec<Param>>) -> Self {
        Statement { sql: sql.into(), params: params.into() }
    }
}

/// An open transaction: statements run in it, in order. Dropped without
/// commit by its engine when the body fails.
pub trait Executor: Send {
    fn dialect(&self) -> Dialect;

    /// Runs one statement; returns the number of rows it changed.
    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<u64>>;

    /// Runs one query; returns its rows.
    fn query<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<Vec<Row>>>;

    /// Runs several statements with no parameters (a migration).
    fn batch<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, StoreResult<()>>;

    /// Runs statements that do not depend on each other's results, in order;
    /// returns each one's rows. The first failure is the answer, and the
    /// statements after it change nothing (the transaction is rolled back).
    /// PostgreSQL sends them together, in one round trip (batching is where
    /// the dialects differ); SQLite, in process, runs them in turn.
    fn query_all<'a>(&'a mut self, statements: &'a [Statement]) -> BoxFuture<'a, StoreResult<Vec<Vec<Row>>>> {
        Box::pin(async move {
            let mut results = Vec::with_capacity(statements.len());
            for statement in statements {
                results.push(self.query(&statement.sql, &statement.params).await?);
            }
            Ok(results)
        })
    }
}

impl dyn Executor + '_ {
    /// The first row of a query, if any.
    pub async fn query_opt(&mut self, sql: &str, params: &[Param]) -> StoreResult<Option<Row>> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// The one row a query must return.
    pub async fn query_one(&mut self, sql: &str, params: &[Param]) -> StoreResult<Row> {
        self.query_opt(sql, params).await?.ok_or_else(|| StoreError::Corrupt("a query that returns one row returned none".into()))
    }
}

/// `$first, $first+1, …` for `count` values: the placeholders of an `IN` list.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Work to run inside one transaction.
pub trait Work<R>: for<'a> FnOnce(&'a mut dyn Executor) -> BoxFuture<'a, StoreResult<R>> + Send + 'static {}

impl<R, F> Work<R> for F where F: for<'a> FnOnce(&'a mut dyn Executor) -> BoxFuture<'a, StoreResult<R>> + Send + 'static {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_lists_number_their_placeholders() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(placeholders(1, 0), "");
    }
}
