//! Wiring shared by `kindred serve` and the integration tests: open the
//! database (`kindred_service::runtime`), start the background tasks and the
//! HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use kindred_config::Settings;
use kindred_db::Pool;
use kindred_mail::Mailer;
use kindred_service::runtime::{self, StartError};
use tokio::sync::{watch, Notify};

#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
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

    /// Asks everything to stop without waiting: the background tasks get the
    /// shutdown signal and the server a non-graceful stop (a test app being
    /// dropped; its runtime ends right after).
    pub fn stop_now(&self) {
        let _ = self.shutdown.send(true);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let server = self.server.clone();
            runtime.spawn(async move { server.stop(false).await });
        }
    }

    /// Stops everything (tests).
    pub async fn stop(self) {
        self.server.stop(true).await;
        let _ = self.wait().await;
    }
}

/// Starts the whole service (the API only) inside the current tokio runtime.
pub async fn launch(settings: Settings) -> Result<Launched, LaunchError> {
    launch_with(settings, crate::api_only).await
}

/// Starts the whole service with the API and the routes of `mount` (the
/// `kindred` binary and `TestApp` mount the web app, `kindred_web::configure`).
pub async fn launch_with(settings: Settings, mount: crate::Mount) -> Result<Launched, LaunchError> {
    let settings = Arc::new(settings);
    let (pool, migrations_applied) = runtime::open_database_async(&settings).await?;
    let mailer = runtime::build_mailer(&settings)?;
    let wake = Arc::new(Notify::new());
    let (shutdown, shutdown_rx) = watch::channel(false);
    let background = if settings.jobs.in_process {
        runtime::spawn_background(
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
    let server =
        crate::build_server_with(state, listener, mount).map_err(|source| LaunchError::Bind {
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
