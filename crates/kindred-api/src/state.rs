//! Shared application state handed to every handler.

use std::sync::Arc;

use kindred_config::Settings;
use kindred_db::{DbConnection, Pool};
use kindred_service::ratelimit::RateLimits;
use kindred_service::ServiceResult;

use crate::error::ApiResult;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<RateLimits>,
    /// Wakes the outbox delivery loop when a use case may have queued email.
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

    /// Runs one service call with a pooled connection on actix's blocking
    /// pool, then nudges the mail loop (the call may have queued email; a
    /// spare wake-up costs one empty claim).
    pub async fn call<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConnection, &Settings) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let settings = Arc::clone(&self.settings);
        let out = actix_web::web::block(move || -> ServiceResult<T> {
            let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
            f(&mut conn, &settings)
        })
        .await??;
        self.outbox_wake.notify_one();
        Ok(out)
    }

    /// Runs a service call that takes the pool itself (it does slow work,
    /// such as password hashing, without holding a connection).
    pub async fn call_with_pool<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&Pool, &Settings) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let settings = Arc::clone(&self.settings);
        let out = actix_web::web::block(move || f(&pool, &settings)).await??;
        self.outbox_wake.notify_one();
        Ok(out)
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
