//! Wiring shared by `kindred serve` and the integration tests: open the
//! database, migrate and seed, start the mail loop and the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use kindred_config::{MailTransport, Settings};
use kindred_db::{Pool, PoolOptions};
use kindred_mail::{Mailer, TransportConfig};
use tokio::sync::{watch, Notify};

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error(transparent)]
    Db(#[from] kindred_db::DbError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Opens the pool, applies migrations and seeds the default taxonomy (once).
/// Returns the pool and how many migrations ran.
pub fn open_database(settings: &Settings) -> Result<(Pool, Vec<String>), LaunchError> {
    let pool = kindred_db::open_pool(
        &settings.database.url,
        &PoolOptions {
            max_size: settings.database.pool_size,
            connection_timeout: settings.database.connection_timeout.as_std(),
            sqlite_busy_timeout: settings.database.sqlite_busy_timeout.as_std(),
        },
    )?;
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    let applied = kindred_db::migrate_with(&mut conn, |conn| {
        let seeds = kindred_core::default_taxonomy();
        let rows: Vec<kindred_db::tags::NewTag<'_>> = seeds
            .iter()
            .map(|s| kindred_db::tags::NewTag {
                slug: s.slug,
                label: s.label,
                category: s.category.as_str(),
                sensitive: s.sensitive,
            })
            .collect();
        let seeded = kindred_db::tags::seed_if_empty(conn, &rows)?;
        if seeded > 0 {
            tracing::info!(tags = seeded, "seeded the default taxonomy");
        }
        Ok(())
    })?;
    Ok((pool, applied))
}

/// The mail transport the settings ask for.
pub fn build_mailer(settings: &Settings) -> Result<Mailer, LaunchError> {
    let config = match settings.mail.transport {
        MailTransport::Smtp => TransportConfig::Smtp {
            url: settings
                .mail
                .smtp_url
                .as_ref()
                .map(|s| s.expose_secret().clone())
                .ok_or_else(|| LaunchError::Mail("mail.smtp_url is required for smtp".into()))?,
            timeout: settings.mail.smtp_timeout.as_std(),
            pool_size: settings.mail.smtp_pool_size,
        },
        MailTransport::File => TransportConfig::File {
            dir: settings.mail.file_dir.clone(),
        },
        MailTransport::Memory => TransportConfig::Memory,
    };
    Mailer::new(&config).map_err(|e| LaunchError::Mail(e.to_string()))
}

/// A running service.
pub struct Launched {
    pub addr: SocketAddr,
    pub pool: Pool,
    pub mailer: Mailer,
    pub migrations_applied: Vec<String>,
    pub server: ServerHandle,
    server_task: tokio::task::JoinHandle<std::io::Result<()>>,
    shutdown: watch::Sender<bool>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Launched {
    /// Waits until the server stops (Ctrl-C / SIGTERM), then stops the mail loop.
    pub async fn wait(self) -> std::io::Result<()> {
        let result = self
            .server_task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        let _ = self.shutdown.send(true);
        for task in self.background {
            let _ = task.await;
        }
        result
    }

    /// Stops everything (tests).
    pub async fn stop(self) {
        self.server.stop(true).await;
        let _ = self.wait().await;
    }
}

/// Starts the whole service inside the current tokio runtime.
pub async fn launch(settings: Settings) -> Result<Launched, LaunchError> {
    let settings = Arc::new(settings);
    let db_settings = Arc::clone(&settings);
    let (pool, migrations_applied) =
        tokio::task::spawn_blocking(move || open_database(&db_settings))
            .await
            .map_err(|e| LaunchError::Mail(format!("start-up task failed: {e}")))??;
    let mailer = build_mailer(&settings)?;
    let wake = Arc::new(Notify::new());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let background = if settings.jobs.in_process {
        crate::schedule::spawn_background(
            pool.clone(),
            Arc::clone(&settings),
            mailer.clone(),
            Arc::clone(&wake),
            shutdown_rx,
        )
    } else {
        Vec::new()
    };

    let addr = format!("{}:{}", settings.server.host, settings.server.port);
    let listener = TcpListener::bind(&addr).map_err(|source| LaunchError::Bind {
        addr: addr.clone(),
        source,
    })?;
    let local = listener
        .local_addr()
        .map_err(|source| LaunchError::Bind { addr, source })?;
    let state = crate::AppState::new(pool.clone(), Arc::clone(&settings), wake);
    crate::spawn_housekeeping(&state);
    let server = crate::build_server(state, listener).map_err(|source| LaunchError::Bind {
        addr: local.to_string(),
        source,
    })?;
    let handle = server.handle();
    let server_task = tokio::spawn(server);
    Ok(Launched {
        addr: local,
        pool,
        mailer,
        migrations_applied,
        server: handle,
        server_task,
        shutdown,
        background,
    })
}

/// `kindred worker`: the scheduler, job worker and mail delivery without the
/// HTTP API. Any number may run against one PostgreSQL database.
pub async fn run_worker(
    settings: Settings,
    mut stop: watch::Receiver<bool>,
) -> Result<(), LaunchError> {
    let settings = Arc::new(settings);
    let db_settings = Arc::clone(&settings);
    let (pool, _) = tokio::task::spawn_blocking(move || open_database(&db_settings))
        .await
        .map_err(|e| LaunchError::Mail(format!("start-up task failed: {e}")))??;
    let mailer = build_mailer(&settings)?;
    let wake = Arc::new(Notify::new());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let tasks = crate::schedule::spawn_background(pool, settings, mailer, wake, shutdown_rx);
    let _ = stop.changed().await;
    let _ = shutdown.send(true);
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}
