//! A migrated throw-away database per test, on either backend, and the
//! [`both_backends!`](crate::both_backends) macro that runs one test body on both.

use kindred_db::{Pool, PoolOptions, PooledConnection};

pub use kindred_db::Backend;

/// A fresh, empty database URL for `backend`: a new PostgreSQL database
/// ([`crate::postgres_url_for_test`]) or a new SQLite file, whose directory is
/// returned too (keep it alive as long as the database is used).
pub fn database_url_for_test(backend: Backend) -> (Option<tempfile::TempDir>, String) {
    match backend {
        Backend::Sqlite => {
            let (dir, url) = crate::sqlite_url_for_test();
            (Some(dir), url)
        }
        Backend::Postgres => (None, crate::postgres_url_for_test()),
    }
}

/// Opens a pool on `url` (default options). Panics on a bad URL.
pub fn open_test_pool(url: &str) -> Pool {
    let target = url
        .parse::<kindred_db::DbTarget>()
        .unwrap_or_else(|e| panic!("bad test database url {url}: {e}"));
    kindred_db::open_pool(&target, &PoolOptions::default())
        .unwrap_or_else(|e| panic!("cannot open a pool on {url}: {e}"))
}

/// A new database with every migration applied, and a pool on it.
///
/// Blocking (PostgreSQL: `CREATE DATABASE` through `psql`); from async code
/// on a current-thread runtime wrap it in `spawn_blocking`.
pub struct TestDb {
    backend: Backend,
    url: String,
    pool: Pool,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb")
            .field("backend", &self.backend)
            .field("url", &self.url)
            .finish()
    }
}

impl TestDb {
    pub fn new(backend: Backend) -> TestDb {
        let (dir, url) = database_url_for_test(backend);
        let pool = open_test_pool(&url);
        let mut conn = pool
            .get()
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        kindred_db::migrate_with(&mut conn, |_| Ok(()))
            .unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
        drop(conn);
        TestDb {
            backend,
            url,
            pool,
            _dir: dir,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL (e.g. for a child process).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The shared pool.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A connection from the shared pool.
    pub fn conn(&self) -> PooledConnection {
        self.pool
            .get()
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", self.url))
    }

    /// A second, separate pool on the same database, as another process would have.
    pub fn open_pool(&self) -> Pool {
        open_test_pool(&self.url)
    }
}

/// Declares each test body `async fn name(backend: Backend)` once and runs it
/// against both backends: `mod sqlite { #[tokio::test] async fn name() }` and
/// `mod postgres { … }`, on a multi-thread runtime (2 worker threads unless
/// given: `both_backends!(worker_threads = 4; a, b)`). The argument is a
/// [`kindred_db::Backend`] (re-exported here as [`Backend`]).
#[macro_export]
macro_rules! both_backends {
    (worker_threads = $threads:literal; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = $threads)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = $threads)]
                async fn $name() {
                    super::$name($crate::Backend::Postgres).await
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        $crate::both_backends!(worker_threads = 2; $($name),*);
    };
}
