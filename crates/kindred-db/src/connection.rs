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
                // by default in SQLite; busy_timeout makes writers queue instead of failing;
                // secure_delete overwrites deleted content (erased people's data) with
                // zeros instead of leaving it in free space and free pages.
                conn.batch_execute(&format!(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {}; PRAGMA secure_delete = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
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

#[derive(diesel::QueryableByName)]
struct CheckpointResult {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
}

/// After an erasure has committed: on SQLite, copies the WAL into the main
/// file and truncates the WAL to zero bytes, so the pages that still held
/// the erased data (old versions of rewritten pages) are gone from disk too
/// (`secure_delete` has already zeroed the freed space in the new pages).
/// Retries briefly while another connection holds a read snapshot; returns
/// whether the WAL is now empty (`false`: it stayed busy, and the next
/// checkpoint will finish the job).
/// PostgreSQL: nothing to do (dead tuples are not readable through any query
/// and VACUUM reclaims them).
pub fn checkpoint_after_erasure(conn: &mut DbConnection) -> Result<bool, DbError> {
    use diesel::RunQueryDsl;
    let DbConnection::Sqlite(conn) = conn else {
        return Ok(true);
    };
    for attempt in 0..20 {
        let rows: Vec<CheckpointResult> =
            diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").load(conn)?;
        if rows.first().is_none_or(|r| r.busy == 0) {
            return Ok(true);
        }
        std::thread::sleep(Duration::from_millis(10 * (attempt + 1)));
    }
    Ok(false)
}

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

/// Creates the SQLite file's folder (and missing parents) 0700 and the file
/// itself 0600 if they do not exist yet, so the database (and the `-wal` and
/// `-shm` files, which SQLite creates with the database file's mode) is
/// readable by the service's user only. Existing folders and files are left
/// as they are.
fn ensure_parent_dir(path: &Path) -> Result<(), DbError> {
    if path.as_os_str() == DbTarget::SQLITE_MEMORY || path.as_os_str().is_empty() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(parent)
                .map_err(|e| DbError::BadUrl(format!("cannot create {}: {e}", parent.display())))?;
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(DbError::BadUrl(format!(
            "cannot create {}: {e}",
            path.display()
        ))),
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sqlite_pool(path: &Path) -> Pool {
        open_pool(
            &DbTarget::Sqlite(path.to_path_buf()),
            &PoolOptions::default(),
        )
        .unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn the_sqlite_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/nested/kindred.db");
        let pool = sqlite_pool(&path);
        let mut conn = pool.get().unwrap();
        conn.batch_execute("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a');")
            .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        let wal = path.with_extension("db-wal");
        assert!(wal.exists());
        assert_eq!(mode(&wal), 0o600, "SQLite copies the database file's mode");
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        assert_eq!(mode(&dir.path().join("data")), 0o700);
    }

    #[test]
    fn secure_delete_is_on_and_the_checkpoint_empties_the_wal() {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct On {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            secure_delete: i32,
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let pool = sqlite_pool(&path);
        let mut conn = pool.get().unwrap();
        let DbConnection::Sqlite(c) = &mut *conn else {
            unreachable!()
        };
        let on: On = diesel::sql_query("PRAGMA secure_delete")
            .get_result(c)
            .unwrap();
        assert_eq!(on.secure_delete, 1);
        conn.batch_execute(
            "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('needle-4711'); DELETE FROM t;",
        )
        .unwrap();
        let wal = path.with_extension("db-wal");
        assert!(std::fs::metadata(&wal).unwrap().len() > 0);
        assert!(checkpoint_after_erasure(&mut conn).unwrap());
        assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0);
        let main = std::fs::read(&path).unwrap();
        assert!(!main.windows(11).any(|w| w == b"needle-4711"));
    }
}
