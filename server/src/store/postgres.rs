//! The PostgreSQL engine, for production and scale-out: several server
//! instances may share one database. A write transaction runs at READ
//! COMMITTED and takes the row locks its queries ask for (a participant's
//! sequence row); a read transaction is one REPEATABLE READ snapshot.
//!
//! Connections are made without TLS; run the database on the same host or a
//! private network (a TLS connector is future work).

use std::sync::Arc;

use bytes::BytesMut;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Object, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{IsolationLevel, NoTls};

use futures_util::future::join_all;

use super::sql::{BoxFuture, Cell, Dialect, Executor, Param, Row, Statement, Work};
use super::{PoolUse, StoreError, StoreResult};

const POOL_SIZE: usize = 16;

/// The `LISTEN`/`NOTIFY` channel that carries event announcements between
/// server instances.
pub const EVENTS_CHANNEL: &str = "alongside_events";

/// The PostgreSQL engine.
#[derive(Clone)]
pub struct PostgresEngine {
    pool: Pool,
    config: Arc<tokio_postgres::Config>,
}

impl PostgresEngine {
    /// The pool's connections, and how many are taken or awaited now.
    pub fn pool_use(&self) -> PoolUse {
        let status = self.pool.status();
        PoolUse { open: status.size, in_use: status.size.saturating_sub(status.available), max: status.max_size, waiting: status.waiting }
    }
}

impl std::fmt::Debug for PostgresEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresEngine").field("pool", &self.pool.status()).finish_non_exhaustive()
    }
}

fn pool_error(error: deadpool_postgres::PoolError) -> StoreError {
    StoreError::Pool(error.to_string())
}

/// A failed statement: a broken uniqueness constraint is a typed conflict.
fn statement_error(error: tokio_postgres::Error) -> StoreError {
    if error.code() == Some(&SqlState::UNIQUE_VIOLATION) { StoreError::Unique } else { StoreError::Postgres(error) }
}

impl PostgresEngine {
    /// Connects to the database at `url`.
    pub async fn open(url: &str) -> StoreResult<PostgresEngine> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(|e| StoreError::Pool(e.to_string()))?;
        drop(pool.get().await.map_err(pool_error)?);
        Ok(PostgresEngine { pool, config: Arc::new(config) })
    }

    async fn client(&self) -> StoreResult<Object> {
        self.pool.get().await.map_err(pool_error)
    }

    /// Runs `work` in a READ COMMITTED transaction.
    pub async fn write<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        self.run(Some((IsolationLevel::ReadCommitted, false)), work).await
    }

    /// Runs `work` in a read-only REPEATABLE READ transaction: every statement
    /// sees the same snapshot.
    pub async fn read<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        self.run(Some((IsolationLevel::RepeatableRead, true)), work).await
    }

    /// Runs `work` with each statement committed on its own: for work of one
    /// statement, which then costs one round trip, not three.
    pub async fn once<R: Send + 'static>(&self, work: impl Work<R>) -> StoreResult<R> {
        self.run(None, work).await
    }

    async fn run<R: Send + 'static>(&self, transaction: Option<(IsolationLevel, bool)>, work: impl Work<R>) -> StoreResult<R> {
        let mut client = self.client().await?;
        let Some((isolation, read_only)) = transaction else {
            return work(&mut PostgresExecutor { client: &client }).await;
        };
        let tx = client.build_transaction().isolation_level(isolation).read_only(read_only).start().await?;
        let value = work(&mut PostgresExecutor { client: &tx }).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Sends each of `payloads`, in order, to every instance listening on
    /// [`EVENTS_CHANNEL`] (this one included), in one statement.
    pub async fn notify(&self, payloads: &[String]) -> StoreResult<()> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached("SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS sent (payload, n) ORDER BY n")
            .await?;
        client.execute(&statement, &[&EVENTS_CHANNEL, &payloads]).await?;
        Ok(())
    }

    /// Listens on [`EVENTS_CHANNEL`] on a connection of its own, forwarding
    /// every payload, until `forward` is closed; reconnects after a failure.
    pub async fn listen(&self, forward: tokio::sync::mpsc::Sender<String>) {
        use futures_util::StreamExt;
        let mut failures: u32 = 0;
        while !forward.is_closed() {
            match self.config.connect(NoTls).await {
                Ok((client, mut connection)) => {
                    let (received, mut payloads) = tokio::sync::mpsc::channel::<String>(64);
                    let driver = tokio::spawn(async move {
                        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                        while let Some(Ok(message)) = messages.next().await {
                            if let tokio_postgres::AsyncMessage::Notification(notification) = message
                                && received.send(notification.payload().to_owned()).await.is_err()
                            {
                                return;
                            }
                        }
                    });
                    match client.batch_execute(&format!("LISTEN {EVENTS_CHANNEL}")).await {
                        Ok(()) => {
                            failures = 0;
                            while let Some(payload) = payloads.recv().await {
                                if forward.send(payload).await.is_err() {
                                    driver.abort();
                                    return;
                                }
                            }
                            tracing::warn!("the events listener's connection ended; reconnecting");
                        }
                        Err(error) => tracing::warn!(%error, "LISTEN failed; retrying"),
                    }
                    driver.abort();
                }
                Err(error) => tracing::warn!(%error, "the events listener cannot connect; retrying"),
            }
            failures = failures.saturating_add(1);
            tokio::time::sleep(std::time::Duration::from_millis(250 * u64::from(failures.min(20)))).await;
        }
    }
}

/// Statements on a transaction, or on the connection itself (autocommit).
struct PostgresExecutor<'c, C> {
    client: &'c C,
}

impl ToSql for Param {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Int(value) if *ty == Type::INT4 => i32::try_from(*value)?.to_sql(ty, out),
            Param::Int(value) => value.to_sql(ty, out),
            Param::Text(value) => value.to_sql(ty, out),
            Param::Null => Ok(IsNull::Yes),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [Type::INT8, Type::INT4, Type::TEXT, Type::VARCHAR, Type::UNKNOWN].contains(ty)
    }

    to_sql_checked!();
}

fn row(row: &tokio_postgres::Row) -> StoreResult<Row> {
    let cells = row
        .columns()
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let ty = column.type_();
            let cell = if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int)
            } else if *ty == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))
            } else {
                row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text)
            };
            Ok(cell)
        })
        .collect::<StoreResult<Vec<Cell>>>()?;
    Ok(Row(cells))
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl<C: GenericClient + Send> Executor for PostgresExecutor<'_, C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<u64>> {
        Box::pin(async move {
            let statement = self.client.prepare_cached(sql).await?;
            self.client.execute(&statement, &refs(params)).await.map_err(statement_error)
        })
    }

    fn query<'a>(&'a mut self, sql: &'a str, params: &'a [Param]) -> BoxFuture<'a, StoreResult<Vec<Row>>> {
        Box::pin(async move {
            let statement = self.client.prepare_cached(sql).await?;
            let rows = self.client.query(&statement, &refs(params)).await.map_err(statement_error)?;
            rows.iter().map(row).collect()
        })
    }

    fn batch<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, StoreResult<()>> {
        Box::pin(async move { self.client.batch_execute(sql).await.map_err(StoreError::from) })
    }

    fn query_all<'a>(&'a mut self, statements: &'a [Statement]) -> BoxFuture<'a, StoreResult<Vec<Vec<Row>>>> {
        // tokio-postgres pipelines requests whose futures are polled together:
        // every statement is sent before the first answer is awaited.
        Box::pin(async move {
            let client = self.client;
            let prepared = join_all(statements.iter().map(|s| client.prepare_cached(&s.sql))).await;
            let prepared = prepared.into_iter().collect::<Result<Vec<_>, _>>()?;
            let params: Vec<Vec<&(dyn ToSql + Sync)>> = statements.iter().map(|s| refs(&s.params)).collect();
            let answers = join_all(prepared.iter().zip(&params).map(|(statement, params)| client.query(statement, params))).await;
            answers.into_iter().map(|answer| answer.map_err(statement_error).and_then(|rows| rows.iter().map(row).collect())).collect()
        })
    }
}
