//! The storage executor on both databases: statements sent together answer in
//! order, and a batch that fails changes nothing.

use alongside_harness::{Backend, Server, TestResult, fail, on_every_backend};
use alongside_server::store::StoreError;
use alongside_server::store::sql::{Param, Statement};

on_every_backend!(a_batch_answers_each_statement_in_order, a_batch_that_breaks_a_unique_key_is_a_conflict_and_changes_nothing);

fn meta(key: &str, value: &str) -> Statement {
    Statement::new("INSERT INTO server_meta (key, value) VALUES ($1, $2)", vec![Param::from(key), Param::from(value)])
}

fn read_meta(key: &str) -> Statement {
    Statement::new("SELECT value FROM server_meta WHERE key = $1", vec![Param::from(key)])
}

async fn values(server: &Server, keys: &[&str]) -> TestResult<Vec<Option<String>>> {
    let reads: Vec<Statement> = keys.iter().map(|k| read_meta(k)).collect();
    let answers = server.db.read(move |tx| Box::pin(async move { tx.query_all(&reads).await })).await?;
    answers.iter().map(|rows| rows.first().map(|row| row.text(0)).transpose().map_err(Into::into)).collect()
}

async fn a_batch_answers_each_statement_in_order(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let writes = vec![meta("first", "one"), meta("second", "two"), meta("third", "three")];
    let answers = server.db.write(move |tx| Box::pin(async move { tx.query_all(&writes).await })).await?;
    assert_eq!(answers.len(), 3, "one answer per statement");
    assert!(answers.iter().all(Vec::is_empty), "inserts return no rows: {answers:?}");
    let read = values(&server, &["third", "missing", "first", "second"]).await?;
    assert_eq!(read, [Some("three".into()), None, Some("one".into()), Some("two".into())], "answers in the order asked");
    server.stop().await
}

async fn a_batch_that_breaks_a_unique_key_is_a_conflict_and_changes_nothing(backend: Backend) -> TestResult {
    let server = Server::start(backend).await?;
    let first = vec![meta("held", "before")];
    server.db.write(move |tx| Box::pin(async move { tx.query_all(&first).await })).await?;
    let batch = vec![meta("new", "a"), meta("held", "again"), meta("after", "b")];
    match server.db.write(move |tx| Box::pin(async move { tx.query_all(&batch).await })).await {
        Err(StoreError::Unique) => {}
        other => return Err(fail(format!("a broken unique key must be StoreError::Unique, was {other:?}"))),
    }
    let read = values(&server, &["held", "new", "after"]).await?;
    assert_eq!(read, [Some("before".into()), None, None], "the failed batch left nothing behind");
    server.stop().await
}
