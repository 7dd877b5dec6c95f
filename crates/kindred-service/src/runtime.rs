//! The process around the use cases: opening and migrating the database,
//! the mailer, and the background tasks (job worker, scheduler tick, mail
//! delivery) that `kindred serve` and `kindred worker` both run.

use std::sync::Arc;

use kindred_config::{MailTransport, Settings};
use kindred_db::{Pool, PoolOptions};
use kindred_mail::{Mailer, TransportConfig};
use tokio::sync::{watch, Notify};

/// Why the process could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] kindred_db::DbError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("start-up task failed: {0}")]
    Task(String),
}

/// Settings that can only be checked against the engine's own types, checked
/// before anything starts (a bad `[matching.weights]` key is named here,
/// not on the first matching run).
pub fn check_settings(settings: &Settings) -> Result<(), StartError> {
    crate::matchmaking::weights(settings)
        .map(|_| ())
        .map_err(|e| match e {
            crate::ServiceError::Internal(m) => StartError::Config(m),
            other => StartError::Config(other.to_string()),
        })
}

/// Checks the settings, opens the pool, applies migrations and seeds the
/// default taxonomy (once). Returns the pool and the migrations that ran.
pub fn open_database(settings: &Settings) -> Result<(Pool, Vec<String>), StartError> {
    check_settings(settings)?;
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

/// [`open_database`] on a blocking thread.
pub async fn open_database_async(
    settings: &Arc<Settings>,
) -> Result<(Pool, Vec<String>), StartError> {
    let settings = Arc::clone(settings);
    tokio::task::spawn_blocking(move || open_database(&settings))
        .await
        .map_err(|e| StartError::Task(e.to_string()))?
}

/// The mail transport the settings ask for.
pub fn build_mailer(settings: &Settings) -> Result<Mailer, StartError> {
    let config = match settings.mail.transport {
        MailTransport::Smtp => TransportConfig::Smtp {
            url: settings
                .mail
                .smtp_url
                .as_ref()
                .map(|s| s.expose_secret().clone())
                .ok_or_else(|| StartError::Mail("mail.smtp_url is required for smtp".into()))?,
            timeout: settings.mail.smtp_timeout.as_std(),
            pool_size: settings.mail.smtp_pool_size,
        },
        MailTransport::File => TransportConfig::File {
            dir: settings.mail.file_dir.clone(),
        },
        MailTransport::Memory => TransportConfig::Memory,
    };
    Mailer::new(&config).map_err(|e| StartError::Mail(e.to_string()))
}

/// Spawns the scheduler's pieces in this runtime: the job worker, the
/// tick that enqueues periodic jobs, and the outbox delivery loop.
pub fn spawn_background(
    pool: Pool,
    settings: Arc<Settings>,
    mailer: kindred_mail::Mailer,
    outbox_wake: Arc<tokio::sync::Notify>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let outbox = kindred_jobs::OutboxWorker::new(
        pool.clone(),
        mailer,
        kindred_jobs::OutboxSettings::from_config(&settings),
        Arc::clone(&outbox_wake),
    );
    let ctx = crate::jobs::JobContext {
        pool: pool.clone(),
        settings: Arc::clone(&settings),
        outbox_wake,
    };
    let worker = kindred_jobs::Worker::new(
        pool.clone(),
        crate::jobs::registry(ctx),
        kindred_jobs::WorkerSettings::from_config(&settings),
    );
    let mut tasks = vec![
        tokio::spawn(outbox.run(shutdown.clone())),
        tokio::spawn(worker.run(shutdown.clone())),
    ];
    let mut tick_shutdown = shutdown;
    tasks.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(settings.schedule.tick.as_std());
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = tick_shutdown.changed() => break,
            }
            if *tick_shutdown.borrow() {
                break;
            }
            let (pool, settings) = (pool.clone(), Arc::clone(&settings));
            let result = tokio::task::spawn_blocking(move || -> crate::ServiceResult<()> {
                let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
                crate::jobs::enqueue_digest(&mut conn, &settings)
            })
            .await;
            if let Ok(Err(e)) = result {
                tracing::warn!(error = %e, "scheduler tick failed");
            }
        }
    }));
    tasks
}

/// `kindred worker`: the scheduler, job worker and mail delivery without the
/// HTTP API. Any number may run against one PostgreSQL database.
pub async fn run_worker(
    settings: Settings,
    mut stop: watch::Receiver<bool>,
) -> Result<(), StartError> {
    let settings = Arc::new(settings);
    let (pool, _) = open_database_async(&settings).await?;
    let mailer = build_mailer(&settings)?;
    let wake = Arc::new(Notify::new());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let tasks = spawn_background(pool, settings, mailer, wake, shutdown_rx);
    let _ = stop.changed().await;
    let _ = shutdown.send(true);
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}
