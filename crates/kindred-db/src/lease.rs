//! Leased rows: the one claim / renew / finish mechanism behind both tables of
//! background work, `jobs` ([`crate::jobs`]) and `outbox` ([`crate::outbox`]).
//!
//! A table of leased work has an `id`, a `state`, an `attempts` counter, a
//! column saying when a pending row is due, `locked_until` (the lease) and
//! `locked_by` (the lease owner), and `last_error`. A [`LeasedTable`] names
//! those columns and states for one table; the functions here are the only
//! statements that move rows in and out of the leased state:
//!
//! * [`claim`]: due pending rows, and leased rows whose lease ran out (their
//!   worker died) while they still have attempts left, become leased by the
//!   caller until `now + lease`, with the attempt counted now (so a crash
//!   counts). Before that, rows whose lease ran out on their *last* attempt
//!   are buried (`dead`, "lease expired on the last attempt"): work that kills
//!   its worker every time cannot loop forever. PostgreSQL claims with
//!   `FOR UPDATE SKIP LOCKED`, so concurrent workers never take the same row
//!   and never wait on each other; SQLite has one writer, so the same
//!   statement is atomic. Run it in a short write transaction (`write_tx`).
//! * [`renew`]: extends a lease the caller still holds.
//! * [`finish_done`], [`finish_retry`], [`finish_dead`]: record an outcome.
//!   Each acts only on a row still leased *and owned by the caller*
//!   (`locked_by`), and says whether it did: a worker that lost its lease (it
//!   ran past it and another worker rescued the row, or the row was cancelled)
//!   cannot overwrite what the rescuer records.
//!
//! The statements are plain SQL built from the table description (static
//! strings only: no value is ever spliced in, except the attempt budget,
//! which is an integer). Every statement binds `$1 = now`, so the extra
//! assignments of a table ([`LeasedTable::on_claim`] …) may use `$1`.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::SqlQuery;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;

use crate::{DbConnection, DbResult};

/// The error recorded on a row buried by [`claim`].
pub const LEASE_EXPIRED_ON_LAST_ATTEMPT: &str =
    "lease expired on the last attempt (the worker stopped or the job ran longer than its lease)";

/// Where a row's attempt budget comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptBudget {
    /// A column of the row (`jobs.max_attempts`).
    Column(&'static str),
    /// The same for every row (the outbox: `mail.max_attempts`).
    Fixed(i32),
}

impl AttemptBudget {
    fn sql(self) -> String {
        match self {
            AttemptBudget::Column(c) => c.to_string(),
            AttemptBudget::Fixed(n) => n.max(1).to_string(),
        }
    }
}

/// How one table stores leased work. The `on_*` strings are extra
/// assignments (`", updated_at = $1"`: leading comma, `$1` is now), empty if none.
#[derive(Debug, Clone, Copy)]
pub struct LeasedTable {
    pub table: &'static str,
    /// When a pending row is due (`run_at`, `next_attempt_at`).
    pub due_column: &'static str,
    pub pending: &'static str,
    /// The leased state (`running`, `sending`).
    pub leased: &'static str,
    /// The success state (`done`, `sent`).
    pub done: &'static str,
    pub dead: &'static str,
    /// `last_error` is truncated to this many characters.
    pub max_error_chars: usize,
    /// Extra assignments on claim and renew.
    pub on_claim: &'static str,
    /// Extra assignments on success.
    pub on_done: &'static str,
    /// Extra assignments on a retry.
    pub on_retry: &'static str,
    /// Extra assignments on death (also when [`claim`] buries a row).
    pub on_dead: &'static str,
}

/// A row type of a leased table, for ordering what [`claim`] returns.
pub trait LeasedRow {
    fn lease_id(&self) -> &str;
    fn due_at(&self) -> NaiveDateTime;
}

/// SQL written with PostgreSQL placeholders (`$1`) as a query for `conn`'s
/// backend (SQLite: `?1`, numbered the same).
fn query(conn: &DbConnection, sql: &str) -> SqlQuery {
    match conn {
        DbConnection::Postgresql(_) => diesel::sql_query(sql),
        DbConnection::Sqlite(_) => diesel::sql_query(sql.replace('$', "?")),
    }
}

/// Runs a bound [`SqlQuery`] on the connection's own backend.
macro_rules! execute {
    ($conn:expr, $q:expr) => {
        match $conn {
            DbConnection::Postgresql(c) => $q.execute(c)?,
            DbConnection::Sqlite(c) => $q.execute(c)?,
        }
    };
}

fn truncate(error: &str, max: usize) -> String {
    error.chars().take(max).collect()
}

/// Leased rows whose lease ran out on their last attempt → dead. Part of
/// [`claim`]; public for callers that want to bury without claiming.
pub fn bury_exhausted(
    conn: &mut DbConnection,
    t: &LeasedTable,
    budget: AttemptBudget,
    now: NaiveDateTime,
) -> DbResult<usize> {
    let sql = format!(
        "UPDATE {table} SET state = '{dead}', locked_until = NULL, last_error = $2{on_dead} \
         WHERE state = '{leased}' AND locked_until <= $1 AND attempts >= {budget}",
        table = t.table,
        dead = t.dead,
        leased = t.leased,
        on_dead = t.on_dead,
        budget = budget.sql(),
    );
    let error = truncate(LEASE_EXPIRED_ON_LAST_ATTEMPT, t.max_error_chars);
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(error);
    Ok(execute!(conn, q))
}

/// Claims up to `limit` rows for `owner` (see the module documentation),
/// returned in due order.
pub fn claim<R>(
    conn: &mut DbConnection,
    t: &LeasedTable,
    budget: AttemptBudget,
    owner: &str,
    now: NaiveDateTime,
    lease: TimeDelta,
    limit: i64,
) -> DbResult<Vec<R>>
where
    R: LeasedRow + QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
{
    bury_exhausted(conn, t, budget, now)?;
    let lock = match conn {
        DbConnection::Postgresql(_) => " FOR UPDATE SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    };
    let sql = format!(
        "UPDATE {table} SET state = '{leased}', attempts = attempts + 1, \
           locked_until = $2, locked_by = $3{on_claim} \
         WHERE id IN (SELECT id FROM {table} \
           WHERE (state = '{pending}' AND {due} <= $1) \
              OR (state = '{leased}' AND locked_until <= $1 AND attempts < {budget}) \
           ORDER BY {due}, id LIMIT $4{lock}) \
         RETURNING *",
        table = t.table,
        leased = t.leased,
        pending = t.pending,
        due = t.due_column,
        on_claim = t.on_claim,
        budget = budget.sql(),
    );
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(crate::truncate_micros(now + lease))
        .bind::<Text, _>(owner)
        .bind::<BigInt, _>(limit);
    let mut rows: Vec<R> = match conn {
        DbConnection::Postgresql(pg) => q.load(pg)?,
        DbConnection::Sqlite(lite) => q.load(lite)?,
    };
    // RETURNING gives no order guarantee.
    rows.sort_by(|a, b| (a.due_at(), a.lease_id()).cmp(&(b.due_at(), b.lease_id())));
    Ok(rows)
}

/// Extends `owner`'s lease on row `id` to `until`. False if the row is no
/// longer leased by `owner`.
pub fn renew(
    conn: &mut DbConnection,
    t: &LeasedTable,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> DbResult<bool> {
    let sql = format!(
        "UPDATE {table} SET locked_until = $4{on_claim} \
         WHERE id = $2 AND state = '{leased}' AND locked_by = $3",
        table = t.table,
        leased = t.leased,
        on_claim = t.on_claim,
    );
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(id)
        .bind::<Text, _>(owner)
        .bind::<Timestamp, _>(crate::truncate_micros(until));
    let n = execute!(conn, q);
    Ok(n > 0)
}

/// Records success. Acts only on a row still leased by `owner`; returns whether it did.
pub fn finish_done(
    conn: &mut DbConnection,
    t: &LeasedTable,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    let sql = format!(
        "UPDATE {table} SET state = '{done}', locked_until = NULL{on_done} \
         WHERE id = $2 AND state = '{leased}' AND locked_by = $3",
        table = t.table,
        done = t.done,
        leased = t.leased,
        on_done = t.on_done,
    );
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(id)
        .bind::<Text, _>(owner);
    let n = execute!(conn, q);
    Ok(n > 0)
}

/// Records a failed attempt to try again at `retry_at` (pending again). Same
/// ownership rule and return value as [`finish_done`].
pub fn finish_retry(
    conn: &mut DbConnection,
    t: &LeasedTable,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
    error: &str,
    retry_at: NaiveDateTime,
) -> DbResult<bool> {
    let sql = format!(
        "UPDATE {table} SET state = '{pending}', {due} = $5, locked_until = NULL, \
           last_error = $4{on_retry} \
         WHERE id = $2 AND state = '{leased}' AND locked_by = $3",
        table = t.table,
        pending = t.pending,
        due = t.due_column,
        leased = t.leased,
        on_retry = t.on_retry,
    );
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(id)
        .bind::<Text, _>(owner)
        .bind::<Nullable<Text>, _>(Some(truncate(error, t.max_error_chars)))
        .bind::<Timestamp, _>(crate::truncate_micros(retry_at));
    let n = execute!(conn, q);
    Ok(n > 0)
}

/// Records a failure that is final (`dead`). Same ownership rule and return
/// value as [`finish_done`].
pub fn finish_dead(
    conn: &mut DbConnection,
    t: &LeasedTable,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
    error: &str,
) -> DbResult<bool> {
    let sql = format!(
        "UPDATE {table} SET state = '{dead}', locked_until = NULL, last_error = $4{on_dead} \
         WHERE id = $2 AND state = '{leased}' AND locked_by = $3",
        table = t.table,
        dead = t.dead,
        leased = t.leased,
        on_dead = t.on_dead,
    );
    let q = query(conn, &sql)
        .bind::<Timestamp, _>(now)
        .bind::<Text, _>(id)
        .bind::<Text, _>(owner)
        .bind::<Nullable<Text>, _>(Some(truncate(error, t.max_error_chars)));
    let n = execute!(conn, q);
    Ok(n > 0)
}

/// [`finish_retry`] when `retry_at` is given, else [`finish_dead`].
pub fn finish_failed(
    conn: &mut DbConnection,
    t: &LeasedTable,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> DbResult<bool> {
    match retry_at {
        Some(at) => finish_retry(conn, t, id, owner, now, error, at),
        None => finish_dead(conn, t, id, owner, now, error),
    }
}
