//! One pooled connection for the length of a request, and the transaction around a write.
//!
//! [`Db`] owns the pooled connection. A write opens a transaction with [`Db::begin`] and ends it with
//! [`Db::finish`], which commits on `Ok` and rolls back on `Err`. A write whose code returned
//! early, or panicked, with its transaction open does not hand that transaction to the next
//! request: the connection is then taken out of the pool and closed instead of returned, and
//! PostgreSQL rolls the transaction back.

use deadpool_postgres::{Object, Pool};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::super::StoreResult;

/// A query's parameters.
pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A pooled connection, in a transaction or not.
pub(super) struct Db {
    conn: Option<Object>,
    in_transaction: bool,
}

impl Db {
    /// Takes a connection from the pool.
    pub(super) async fn get(pool: &Pool) -> StoreResult<Self> {
        let conn = pool.get().await?;
        Ok(Self { conn: Some(conn), in_transaction: false })
    }

    fn conn(&self) -> &Object {
        // Only `Drop` takes it.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("connection taken before drop"))
    }

    /// Opens a transaction (READ COMMITTED; each write locks what it changes, see `super`).
    pub(super) async fn begin(&mut self) -> StoreResult<()> {
        self.conn().batch_execute("BEGIN").await?;
        self.in_transaction = true;
        Ok(())
    }

    /// Commits the transaction if `result` is `Ok`, else rolls it back; returns `result`, or
    /// the commit's error.
    pub(super) async fn finish<T>(&mut self, result: StoreResult<T>) -> StoreResult<T> {
        if !self.in_transaction {
            // Ended already ([`undo`](Self::undo)).
            return result;
        }
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let ended = self.conn().batch_execute(end).await;
        self.in_transaction = false;
        match (result, ended) {
            (Ok(value), Ok(())) => Ok(value),
            (Ok(_), Err(e)) => Err(e.into()),
            (Err(e), _) => Err(e),
        }
    }

    /// Rolls the transaction back (nothing it did stays) and answers `value`.
    pub(super) async fn undo<T>(&mut self, value: T) -> StoreResult<T> {
        self.conn().batch_execute("ROLLBACK").await?;
        self.in_transaction = false;
        Ok(value)
    }

    async fn statement(&self, sql: &str) -> StoreResult<tokio_postgres::Statement> {
        Ok(self.conn().prepare_cached(sql).await?)
    }

    /// Every row of a query.
    pub(super) async fn query(&self, sql: &str, params: Params<'_>) -> StoreResult<Vec<Row>> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().query(&statement, params).await?)
    }

    /// The row of a query that returns at most one.
    pub(super) async fn query_opt(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> StoreResult<Option<Row>> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().query_opt(&statement, params).await?)
    }

    /// The row of a query that returns exactly one.
    pub(super) async fn query_one(&self, sql: &str, params: Params<'_>) -> StoreResult<Row> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().query_one(&statement, params).await?)
    }

    /// Runs a statement; how many rows it changed.
    pub(super) async fn execute(&self, sql: &str, params: Params<'_>) -> StoreResult<u64> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().execute(&statement, params).await?)
    }

    /// Runs a statement and keeps PostgreSQL's own error, for callers that map some of its
    /// codes (a unique violation) to their own answer.
    pub(super) async fn execute_raw(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> StoreResult<Result<u64, tokio_postgres::Error>> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().execute(&statement, params).await)
    }

    /// [`query_opt`](Self::query_opt), keeping PostgreSQL's own error.
    pub(super) async fn query_opt_raw(
        &self,
        sql: &str,
        params: Params<'_>,
    ) -> StoreResult<Result<Option<Row>, tokio_postgres::Error>> {
        let statement = self.statement(sql).await?;
        Ok(self.conn().query_opt(&statement, params).await)
    }

    /// Runs several statements (no parameters) in one round trip.
    pub(super) async fn batch(&self, sql: &str) -> StoreResult<()> {
        Ok(self.conn().batch_execute(sql).await?)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if self.in_transaction {
            if let Some(conn) = self.conn.take() {
                // Never hand a connection with an open transaction to the next request.
                drop(Object::take(conn));
            }
        }
    }
}
