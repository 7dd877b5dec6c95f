//! Per-client-address and per-account limits on the unauthenticated routes
//! (login, registration, verification, password reset), and per-user limits
//! on the signed-in routes that create things (reports, check-ins, blocks,
//! requests), with one GCRA ([`gcra`]) over a store of arrival times:
//!
//! - SQLite deployments are a single node: the store is this process's memory.
//! - On PostgreSQL several API instances may share one database: the store is
//!   the `rate_limit_cells` table, so a limit holds across instances (each
//!   take is one atomic upsert; keys are stored as keyed hashes). Checks then
//!   do database I/O: call them on a blocking thread ([`RateLimits::uses_database`]).
//!
//! Login is keyed so that a third party cannot keep the owner out: failures
//! are counted per (account, client address) with the tight per-account
//! quota and, more loosely, per account across all addresses
//! (`per_account_ceiling_per_hour`). An attempt takes one cell of each up
//! front (so parallel guesses cannot overrun the quota) and a successful
//! login gives both back.

pub mod gcra;

use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use kindred_config::{DatabaseUrl, RateLimitSettings, Settings};
use kindred_db::Pool;

use crate::error::{ServiceError, ServiceResult};
use gcra::{Cells, DbCells, Gcra, MemoryCells};

/// The signed-in actions limited per user; each has its own limiter, so a
/// burst of reports does not use up the allowance for check-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    Report,
    CheckIn,
    Block,
    Request,
}

impl UserAction {
    fn limiter_name(self) -> &'static str {
        match self {
            UserAction::Report => "user_report",
            UserAction::CheckIn => "user_check_in",
            UserAction::Block => "user_block",
            UserAction::Request => "user_request",
        }
    }
}

enum Store {
    Memory(Mutex<MemoryCells>),
    Database {
        pool: Pool,
        /// Keys the hashes of cell keys (`rate_limit_key_hmac`), read once.
        secret: OnceLock<Vec<u8>>,
    },
}

pub struct RateLimits {
    enabled: bool,
    store: Store,
    per_ip: Gcra,
    per_account: Gcra,
    /// Login failures per (account, client address).
    login_pair: Gcra,
    /// Login failures per account, from every address.
    login_ceiling: Gcra,
    per_user_per_minute: u32,
    per_user_burst: u32,
}

/// One login attempt's cells, to be given back when the login succeeds.
#[must_use = "give the attempt back with `login_succeeded` when the login works"]
pub struct LoginAttempt {
    pair: String,
    account: String,
}

fn limited(wait: Duration) -> ServiceError {
    ServiceError::RateLimited {
        retry_after_secs: wait.as_secs() + 1,
    }
}

/// Takes one cell of `g` for `key`, or answers `429`.
fn take(g: &Gcra, cells: &mut dyn Cells, key: &str) -> ServiceResult<()> {
    g.take(cells, key)?.map_err(limited)
}

impl RateLimits {
    fn with_store(settings: &RateLimitSettings, store: Store) -> Self {
        let hour = Duration::from_secs(3600);
        let minute = Duration::from_secs(60);
        Self {
            enabled: settings.enabled,
            store,
            per_ip: Gcra::new(
                "ip",
                minute,
                settings.per_ip_per_minute,
                settings.per_ip_burst,
            ),
            per_account: Gcra::new(
                "account",
                hour,
                settings.per_account_per_hour,
                settings.per_account_burst,
            ),
            login_pair: Gcra::new(
                "login_pair",
                hour,
                settings.per_account_per_hour,
                settings.per_account_burst,
            ),
            login_ceiling: Gcra::new(
                "login_account",
                hour,
                settings.per_account_ceiling_per_hour,
                settings.per_account_ceiling_per_hour,
            ),
            per_user_per_minute: settings.per_user_per_minute,
            per_user_burst: settings.per_user_burst,
        }
    }

    /// Limits kept in this process's memory.
    pub fn in_memory(settings: &RateLimitSettings) -> Self {
        Self::with_store(settings, Store::Memory(Mutex::new(MemoryCells::default())))
    }

    /// Limits kept in the database behind `pool`, shared by every process
    /// that uses it.
    pub fn in_database(settings: &RateLimitSettings, pool: Pool) -> Self {
        Self::with_store(
            settings,
            Store::Database {
                pool,
                secret: OnceLock::new(),
            },
        )
    }

    /// The store for this deployment: the database on PostgreSQL (several
    /// instances may share it), memory on SQLite (a single node).
    pub fn for_deployment(settings: &Settings, pool: &Pool) -> Self {
        match settings.database.url {
            DatabaseUrl::Postgres(_) => Self::in_database(&settings.rate_limit, pool.clone()),
            DatabaseUrl::Sqlite(_) => Self::in_memory(&settings.rate_limit),
        }
    }

    /// Whether checks do database I/O (run them on a blocking thread). False
    /// when limits are off.
    pub fn uses_database(&self) -> bool {
        self.enabled && matches!(self.store, Store::Database { .. })
    }

    /// Runs `f` over the store's cells (one pooled connection for the
    /// database store).
    fn with_cells<T>(
        &self,
        f: impl FnOnce(&mut dyn Cells) -> ServiceResult<T>,
    ) -> ServiceResult<T> {
        match &self.store {
            Store::Memory(cells) => f(&mut *cells.lock().unwrap_or_else(PoisonError::into_inner)),
            Store::Database { pool, secret } => {
                let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
                let key: &[u8] = match secret.get() {
                    Some(key) => key,
                    None => {
                        let loaded = gcra::key_secret(&mut conn)?;
                        secret.get_or_init(|| loaded)
                    }
                };
                f(&mut DbCells {
                    conn: &mut conn,
                    secret: key,
                })
            }
        }
    }

    /// Checks (and consumes) one request for the client address and, when
    /// given, the account (normalised email). `429` carries `Retry-After`.
    pub fn check(&self, route: &str, ip: &str, account: Option<&str>) -> ServiceResult<()> {
        if !self.enabled {
            return Ok(());
        }
        self.with_cells(|cells| {
            take(&self.per_ip, cells, &format!("{route}|{ip}"))?;
            if let Some(account) = account {
                take(&self.per_account, cells, &format!("{route}|{account}"))?;
            }
            Ok(())
        })
    }

    /// Before a login: consumes one request of the client address, one
    /// failure of (account, address) and one of the account's ceiling.
    /// Hand the attempt to [`RateLimits::login_succeeded`] if the password
    /// was right, so only failures count.
    pub fn login_attempt(&self, ip: &str, account: &str) -> ServiceResult<LoginAttempt> {
        let attempt = LoginAttempt {
            pair: format!("{account}|{ip}"),
            account: account.to_owned(),
        };
        if !self.enabled {
            return Ok(attempt);
        }
        self.with_cells(|cells| {
            take(&self.per_ip, cells, &format!("login|{ip}"))?;
            take(&self.login_pair, cells, &attempt.pair)?;
            if let Err(wait) = self.login_ceiling.take(cells, &attempt.account)? {
                self.login_pair.give_back(cells, &attempt.pair)?;
                return Err(limited(wait));
            }
            Ok(())
        })?;
        Ok(attempt)
    }

    /// Gives back what a successful login's attempt took.
    pub fn login_succeeded(&self, attempt: LoginAttempt) -> ServiceResult<()> {
        if !self.enabled {
            return Ok(());
        }
        self.with_cells(|cells| {
            self.login_pair.give_back(cells, &attempt.pair)?;
            self.login_ceiling.give_back(cells, &attempt.account)
        })
    }

    /// Checks (and consumes) one `action` of the signed-in user `user_id`.
    pub fn check_user(&self, action: UserAction, user_id: &str) -> ServiceResult<()> {
        if !self.enabled {
            return Ok(());
        }
        let g = Gcra::new(
            action.limiter_name(),
            Duration::from_secs(60),
            self.per_user_per_minute,
            self.per_user_burst,
        );
        self.with_cells(|cells| take(&g, cells, user_id))
    }

    /// Drops idle keys so the store does not grow without bound; returns
    /// how many. Database I/O when [`RateLimits::uses_database`].
    pub fn housekeeping(&self) -> ServiceResult<usize> {
        if !self.enabled {
            return Ok(0);
        }
        self.with_cells(|cells| {
            let now = cells.now_ms();
            cells.purge(now)
        })
    }
}
