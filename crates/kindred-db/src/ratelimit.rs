//! Rate-limit cells shared by every API instance on one database: one GCRA
//! theoretical arrival time (`tat_ms`, milliseconds since the Unix epoch)
//! per limiter key. The caller passes a keyed hash as `key`, never a raw
//! email or address. Each function is one statement, so a take is atomic
//! across processes without a transaction.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::schema::rate_limit_cells;
use crate::{DbConnection, DbResult};

#[derive(QueryableByName)]
struct Tat {
    #[diesel(sql_type = BigInt)]
    tat_ms: i64,
}

/// Takes one cell of `key` at `now_ms`: the stored arrival time (or now, if
/// it lies in the past) moves on by `interval_ms`, unless it is already more
/// than `tolerance_ms` ahead of now. `Ok(Ok(()))` when taken; `Ok(Err(tat))`
/// with the stored arrival time when refused (nothing is written then).
///
/// One `INSERT … ON CONFLICT (key) DO UPDATE … WHERE … RETURNING`: the row
/// lock of the conflicting row serialises concurrent takes of one key, from
/// any process.
pub fn take(
    conn: &mut DbConnection,
    key: &str,
    now_ms: i64,
    interval_ms: i64,
    tolerance_ms: i64,
) -> DbResult<Result<(), i64>> {
    let (greatest, p) = match conn {
        DbConnection::Postgresql(_) => ("GREATEST", '$'),
        DbConnection::Sqlite(_) => ("MAX", '?'),
    };
    let sql = format!(
        "INSERT INTO rate_limit_cells (key, tat_ms) VALUES ({p}1, {p}2 + {p}3) \
         ON CONFLICT (key) DO UPDATE \
           SET tat_ms = {greatest}(rate_limit_cells.tat_ms, {p}2) + {p}3 \
           WHERE rate_limit_cells.tat_ms - {p}2 <= {p}4 \
         RETURNING tat_ms"
    );
    let q = diesel::sql_query(sql)
        .bind::<Text, _>(key)
        .bind::<BigInt, _>(now_ms)
        .bind::<BigInt, _>(interval_ms)
        .bind::<BigInt, _>(tolerance_ms);
    let taken: Vec<Tat> = match conn {
        DbConnection::Postgresql(pg) => q.load(pg)?,
        DbConnection::Sqlite(lite) => q.load(lite)?,
    };
    if taken.first().map(|t| t.tat_ms).is_some() {
        return Ok(Ok(()));
    }
    // Refused: how far ahead the cell is, for Retry-After. (Purged meanwhile:
    // it is free now.)
    let tat = rate_limit_cells::table
        .find(key)
        .select(rate_limit_cells::tat_ms)
        .first::<i64>(conn)
        .optional()?;
    Ok(Err(tat.unwrap_or(now_ms)))
}

/// Gives back one cell taken for `key` (a successful login costs nothing).
pub fn give_back(conn: &mut DbConnection, key: &str, interval_ms: i64) -> DbResult<()> {
    diesel::update(rate_limit_cells::table.find(key))
        .set(rate_limit_cells::tat_ms.eq(rate_limit_cells::tat_ms - interval_ms))
        .execute(conn)?;
    Ok(())
}

/// Deletes the cells that hold nothing any more (arrival time passed).
pub fn purge_idle(conn: &mut DbConnection, now_ms: i64) -> DbResult<usize> {
    Ok(
        diesel::delete(rate_limit_cells::table.filter(rate_limit_cells::tat_ms.le(now_ms)))
            .execute(conn)?,
    )
}

/// Rows in the table (tests, metrics).
pub fn count(conn: &mut DbConnection) -> DbResult<i64> {
    Ok(rate_limit_cells::table.count().get_result(conn)?)
}
