//! One connection type over SQLite and PostgreSQL, chosen from the URL scheme.

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::DbError;

/// The connection every query in Kindred goes through. Only what both
/// backends support is reachable through it; the few places where SQL must
/// differ match on the variant (see [`DbConnection::backend`]).
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgresql(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Where the database lives: parsed from the configured URL by scheme in
/// `kindred-config`, never guessed (`SqliteConnection` would treat any string
/// as a file name).
pub use kindred_config::DatabaseUrl as DbTarget;

/// Tunables for the pool and for SQLite.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connection_timeout: Duration,
    pub sqlite_busy_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

/// r2d2 manager that builds the right variant for the target.
#[derive(Debug)]
pub struct ConnectionManager {
    target: DbTarget,
    busy_timeout: Duration,
}

impl ConnectionManager {
    fn connect_target(&self) -> Result<DbConnection, DbError> {
        match &self.target {
            DbTarget::Sqlite(path) => {
                let path_str = path
                    .to_str()
                    .ok_or_else(|| DbError::BadUrl("sqlite path is not UTF-8".into()))?;
                let mut conn = SqliteConnection::establish(path_str)?;
                // WAL lets readers run beside the one writer; foreign keys are off
                // by default in SQLite; busy_timeout makes writers queue instead of failing.
                conn.batch_execute(&format!(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                    self.busy_timeout.as_millis()
                ))?;
                Ok(DbConnection::Sqlite(conn))
            }
            DbTarget::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                conn.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConnection::Postgresql(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        self.connect_target()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Opens a pool (creating the SQLite file's directory if needed).
pub fn open_pool(target: &DbTarget, options: &PoolOptions) -> Result<Pool, DbError> {
    if let DbTarget::Sqlite(path) = target {
        ensure_parent_dir(path)?;
    }
    let manager = ConnectionManager {
        target: target.clone(),
        busy_timeout: options.sqlite_busy_timeout,
    };
    r2d2::Pool::builder()
        .max_size(options.max_size)
        .connection_timeout(options.connection_timeout)
        .test_on_check_out(false)
        .build(manager)
        .map_err(DbError::from)
}

fn ensure_parent_dir(path: &Path) -> Result<(), DbError> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .map_err(|e| DbError::BadUrl(format!("cannot create {}: {e}", parent.display())))?;
        }
    }
    Ok(())
}

/// The migrations, one portable folder run on both backends: their SQL is
/// identical for SQLite and PostgreSQL (see docs/architecture.md, "Migrations").
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Key for the PostgreSQL advisory lock that serialises start-up work
/// (migrations, seeding) when many instances start at once.
const STARTUP_LOCK_KEY: i64 = 0x004b_494e_4452_4544; // "KINDRED" in ASCII

/// Applies pending migrations and runs `after` (e.g. seeding) under the same
/// lock, so concurrent instances never race each other. Returns the versions applied.
pub fn migrate_with<F>(conn: &mut DbConnection, after: F) -> Result<Vec<String>, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<(), DbError>,
{
    match conn.backend() {
        Backend::Postgres => {
            conn.batch_execute(&format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"))?;
            let result = run_migrations(conn).and_then(|applied| after(conn).map(|_| applied));
            let unlock =
                conn.batch_execute(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})"));
            let applied = result?;
            unlock?;
            Ok(applied)
        }
        Backend::Sqlite => {
            let applied = run_migrations(conn)?;
            after(conn)?;
            Ok(applied)
        }
    }
}

fn run_migrations(conn: &mut DbConnection) -> Result<Vec<String>, DbError> {
    let versions = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(versions.into_iter().map(|v| v.to_string()).collect())
}
