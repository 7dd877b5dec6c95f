//! Persistence for Kindred: the diesel schema, one connection type over SQLite
//! and PostgreSQL, the embedded migrations (one portable set for both backends) and the queries the service uses.
//!
//! Everything here is synchronous diesel; async callers run it on a blocking
//! thread (`web::block` / `spawn_blocking`) through the r2d2 [`Pool`].

pub mod alert_windows;
pub mod circles;
pub mod connection;
pub mod erasure;
pub mod imports;
pub mod jobs;
pub mod lease;
pub mod matches;
pub mod models;
pub mod notifications;
pub mod outbox;
pub mod profiles;
pub mod ratelimit;
pub mod requests;
pub mod reset_codes;
pub mod runs;
pub mod safety;
pub mod schema;
pub mod secrets;
pub mod tags;
pub mod tokens;
pub mod users;

pub use connection::{
    checkpoint_after_erasure, migrate_with, open_pool, Backend, ConnectionManager, DbConnection,
    DbTarget, Pool, PoolOptions, PooledConnection,
};

use chrono::NaiveDateTime;

/// Errors from the persistence layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database url: {0}")]
    BadUrl(String),
    #[error("database connection failed: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl DbError {
    /// True when the error is a unique-constraint violation (a lost race or a duplicate).
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// The current time as stored: UTC without offset, truncated to microseconds
/// so values read back compare equal on both backends.
pub fn now() -> NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    truncate_micros(now)
}

pub fn truncate_micros(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    let nanos = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(nanos).unwrap_or(t)
}

/// A fresh random identifier (UUID v7: time-ordered, so indexes stay compact
/// and cursors sort by creation).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Runs `f` in a transaction; any `Err` rolls everything back. On SQLite the
/// write lock is taken first, so two writers queue on the busy timeout
/// instead of failing to upgrade a read lock half-way.
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    conn.transaction::<T, E, _>(|c| {
        if let DbConnection::Sqlite(lite) = c {
            // A write statement (even one touching no row) takes the RESERVED lock now.
            use diesel::connection::SimpleConnection;
            lite.batch_execute("UPDATE users SET id = id WHERE 0")?;
        }
        f(c)
    })
}

/// Locks the row `id` of `table` until the transaction ends (PostgreSQL,
/// `SELECT … FOR UPDATE`). SQLite write transactions ([`write_tx`]) run one
/// at a time already.
pub fn lock_row(conn: &mut DbConnection, table: &'static str, id: &str) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
            .bind::<diesel::sql_types::Text, _>(id)
            .execute(pg)?;
    }
    Ok(())
}

/// Serialises decisions about `key` (e.g. one mentor's capacity) until the
/// transaction ends: a transaction-scoped advisory lock on PostgreSQL; on
/// SQLite write transactions run one at a time already.
pub fn advisory_lock(conn: &mut DbConnection, key: &str) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1)::bigint)")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

/// Runs a read-only closure in a transaction (a consistent snapshot).
pub fn read_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    conn.transaction::<T, E, _>(f)
}

/// Whether the database answers (a trivial statement; readiness checks).
pub fn ping(conn: &mut DbConnection) -> DbResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1")?;
    Ok(())
}
