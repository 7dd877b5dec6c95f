//! Shared application state handed to every handler.

use std::sync::Arc;

use kindred_config::Settings;
use kindred_db::{DbConnection, Pool};

use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::ratelimit::RateLimits;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<RateLimits>,
    /// Wakes the outbox delivery loop when a handler queued email.
    pub outbox_wake: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Arc<Settings>, outbox_wake: Arc<tokio::sync::Notify>) -> Self {
        let limits = Arc::new(RateLimits::new(&settings.rate_limit));
        Self {
            pool,
            settings,
            metrics: Arc::new(Metrics::new()),
            limits,
            outbox_wake,
        }
    }

    /// Runs blocking database work on actix's blocking pool with a pooled connection.
    pub async fn db<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
            f(&mut conn)
        })
        .await?
    }

    /// Nudges the mail loop after a commit that queued email.
    pub fn mail_queued(&self) {
        self.outbox_wake.notify_one();
    }

    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> String {
        let info = req.connection_info();
        if self.settings.server.trust_forwarded_for {
            info.realip_remote_addr().unwrap_or("unknown").to_string()
        } else {
            info.peer_addr().unwrap_or("unknown").to_string()
        }
    }
}

/// Maps a missing row to 404.
pub fn found<T>(value: Option<T>) -> ApiResult<T> {
    value.ok_or(ApiError::NotFound)
}
