//! Batching windows of coordinator alerts, one row per alert kind (see
//! `kindred_service::emails::alerts`). Counts only, never who or what.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::schema::alert_windows;
use crate::{DbConnection, DbResult};

/// What [`record`] decided for one alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// No window was open: send this alert now; a window is open until `until`.
    SendNow { until: NaiveDateTime },
    /// Inside an open window (or one whose summary has not run yet): held,
    /// to be counted in the summary due at `until`.
    Held { until: NaiveDateTime },
}

#[derive(QueryableByName)]
struct WindowRow {
    #[diesel(sql_type = BigInt)]
    held: i64,
    #[diesel(sql_type = Timestamp)]
    until_at: NaiveDateTime,
}

/// Records one alert of `kind` at `now`; a new window would last until
/// `new_until`. One upsert, so concurrent alerts (from any process) are
/// counted exactly once each and only one of them opens a window.
pub fn record(
    conn: &mut DbConnection,
    kind: &str,
    now: NaiveDateTime,
    new_until: NaiveDateTime,
) -> DbResult<Recorded> {
    let p = match conn {
        DbConnection::Postgresql(_) => '$',
        DbConnection::Sqlite(_) => '?',
    };
    let open = format!("alert_windows.until_at > {p}3 OR alert_windows.held > 0");
    let sql = format!(
        "INSERT INTO alert_windows (kind, until_at, held) VALUES ({p}1, {p}2, 0) \
         ON CONFLICT (kind) DO UPDATE SET \
           held = CASE WHEN {open} THEN alert_windows.held + 1 ELSE 0 END, \
           until_at = CASE WHEN {open} THEN alert_windows.until_at ELSE {p}2 END \
         RETURNING held, until_at"
    );
    let q = diesel::sql_query(sql)
        .bind::<Text, _>(kind)
        .bind::<Timestamp, _>(crate::truncate_micros(new_until))
        .bind::<Timestamp, _>(now);
    let rows: Vec<WindowRow> = match conn {
        DbConnection::Postgresql(pg) => q.load(pg)?,
        DbConnection::Sqlite(lite) => q.load(lite)?,
    };
    let row = rows
        .into_iter()
        .next()
        .ok_or_else(|| crate::DbError::Corrupt("alert window upsert returned no row".into()))?;
    Ok(if row.held == 0 {
        Recorded::SendNow {
            until: row.until_at,
        }
    } else {
        Recorded::Held {
            until: row.until_at,
        }
    })
}

/// For the summary due now: the number of alerts of `kind` held so far, set
/// back to zero. When there were any, the window runs on until `next_until`
/// (the summary counts as the last alert), so a flood that goes on is
/// summarised once per window. Run it inside a write transaction.
pub fn take_held(conn: &mut DbConnection, kind: &str, next_until: NaiveDateTime) -> DbResult<i64> {
    let held: Option<i64> = match conn {
        // Waits for alerts being recorded right now (their row lock).
        DbConnection::Postgresql(pg) => alert_windows::table
            .find(kind)
            .select(alert_windows::held)
            .for_update()
            .first(pg)
            .optional()?,
        // The write transaction already holds SQLite's write lock.
        DbConnection::Sqlite(lite) => alert_windows::table
            .find(kind)
            .select(alert_windows::held)
            .first(lite)
            .optional()?,
    };
    let held = held.unwrap_or(0);
    if held > 0 {
        diesel::update(alert_windows::table.find(kind))
            .set((
                alert_windows::held.eq(0),
                alert_windows::until_at.eq(crate::truncate_micros(next_until)),
            ))
            .execute(conn)?;
    }
    Ok(held)
}
