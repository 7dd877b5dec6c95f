//! Per-client-address and per-account limits on the unauthenticated routes
//! (login, registration, verification), and per-user limits on the
//! signed-in routes that create things (reports, check-ins, blocks,
//! requests), using GCRA. Everything is in memory, per process.
//!
//! Login is keyed so that a third party cannot keep the owner out: failures
//! are counted per (account, client address) with the tight per-account
//! quota and, more loosely, per account across all addresses
//! (`per_account_ceiling_per_hour`). An attempt takes one cell of each up
//! front (so parallel guesses cannot overrun the quota) and a successful
//! login gives both back.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter};

use crate::error::ServiceError;

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
    const ALL: [UserAction; 4] = [
        UserAction::Report,
        UserAction::CheckIn,
        UserAction::Block,
        UserAction::Request,
    ];

    fn index(self) -> usize {
        match self {
            UserAction::Report => 0,
            UserAction::CheckIn => 1,
            UserAction::Block => 2,
            UserAction::Request => 3,
        }
    }
}

pub struct RateLimits {
    enabled: bool,
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
    /// Login failures per (account, client address).
    login_pair: Refundable,
    /// Login failures per account, from every address.
    login_ceiling: Refundable,
    per_user: [DefaultKeyedRateLimiter<String>; UserAction::ALL.len()],
}

/// One login attempt's cells, to be given back when the login succeeds.
#[must_use = "give the attempt back with `login_succeeded` when the login works"]
pub struct LoginAttempt {
    pair: String,
    account: String,
}

fn quota(per: Duration, count: u32, burst: u32) -> Quota {
    let count = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(per / count.get())
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(burst)
}

fn limited(wait: Duration) -> ServiceError {
    ServiceError::RateLimited {
        retry_after_secs: wait.as_secs() + 1,
    }
}

fn not_until(n: &NotUntil<<DefaultClock as Clock>::Instant>) -> ServiceError {
    limited(n.wait_time_from(DefaultClock::default().now()))
}

/// A keyed GCRA whose cells can be given back. `governor` cannot return a
/// cell, which is what lets a successful login cost nothing.
struct Refundable {
    /// Emission interval: one cell per `interval`.
    interval: Duration,
    /// How far the theoretical arrival time may run ahead of now.
    tolerance: Duration,
    tat: Mutex<HashMap<String, Instant>>,
}

impl Refundable {
    fn new(per: Duration, count: u32, burst: u32) -> Self {
        let interval = per / count.max(1);
        Self {
            interval,
            tolerance: interval * (burst.max(1) - 1),
            tat: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.tat.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes one cell for `key`, or says how long until one is free.
    fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut map = self.map();
        let tat = map.get(key).copied().unwrap_or(now).max(now);
        let ahead = tat - now;
        if ahead > self.tolerance {
            return Err(ahead - self.tolerance);
        }
        map.insert(key.to_owned(), tat + self.interval);
        Ok(())
    }

    /// Returns one cell taken for `key`.
    fn give_back(&self, key: &str, now: Instant) {
        let mut map = self.map();
        if let Some(tat) = map.get_mut(key) {
            *tat = tat.checked_sub(self.interval).unwrap_or(now);
            if *tat <= now {
                map.remove(key);
            }
        }
    }

    fn retain_recent(&self, now: Instant) {
        self.map().retain(|_, tat| *tat > now);
    }
}

impl RateLimits {
    pub fn new(settings: &kindred_config::RateLimitSettings) -> Self {
        let hour = Duration::from_secs(3600);
        let per_user = || {
            RateLimiter::keyed(quota(
                Duration::from_secs(60),
                settings.per_user_per_minute,
                settings.per_user_burst,
            ))
        };
        Self {
            enabled: settings.enabled,
            per_ip: RateLimiter::keyed(quota(
                Duration::from_secs(60),
                settings.per_ip_per_minute,
                settings.per_ip_burst,
            )),
            per_account: RateLimiter::keyed(quota(
                hour,
                settings.per_account_per_hour,
                settings.per_account_burst,
            )),
            login_pair: Refundable::new(
                hour,
                settings.per_account_per_hour,
                settings.per_account_burst,
            ),
            login_ceiling: Refundable::new(
                hour,
                settings.per_account_ceiling_per_hour,
                settings.per_account_ceiling_per_hour,
            ),
            per_user: [per_user(), per_user(), per_user(), per_user()],
        }
    }

    /// Checks (and consumes) one request for the client address and, when
    /// given, the account (normalised email). `429` carries `Retry-After`.
    pub fn check(&self, route: &str, ip: &str, account: Option<&str>) -> Result<(), ServiceError> {
        if !self.enabled {
            return Ok(());
        }
        self.check_ip(route, ip)?;
        if let Some(account) = account {
            self.per_account
                .check_key(&format!("{route}|{account}"))
                .map_err(|n| not_until(&n))?;
        }
        Ok(())
    }

    fn check_ip(&self, route: &str, ip: &str) -> Result<(), ServiceError> {
        self.per_ip
            .check_key(&format!("{route}|{ip}"))
            .map_err(|n| not_until(&n))
    }

    /// Before a login: consumes one request of the client address, one
    /// failure of (account, address) and one of the account's ceiling.
    /// Hand the attempt to [`RateLimits::login_succeeded`] if the password
    /// was right, so only failures count.
    pub fn login_attempt(&self, ip: &str, account: &str) -> Result<LoginAttempt, ServiceError> {
        let attempt = LoginAttempt {
            pair: format!("{account}|{ip}"),
            account: account.to_owned(),
        };
        if !self.enabled {
            return Ok(attempt);
        }
        self.check_ip("login", ip)?;
        let now = Instant::now();
        self.login_pair.take(&attempt.pair, now).map_err(limited)?;
        if let Err(wait) = self.login_ceiling.take(&attempt.account, now) {
            self.login_pair.give_back(&attempt.pair, now);
            return Err(limited(wait));
        }
        Ok(attempt)
    }

    /// Gives back what a successful login's attempt took.
    pub fn login_succeeded(&self, attempt: LoginAttempt) {
        let now = Instant::now();
        self.login_pair.give_back(&attempt.pair, now);
        self.login_ceiling.give_back(&attempt.account, now);
    }

    /// Checks (and consumes) one `action` of the signed-in user `user_id`.
    pub fn check_user(&self, action: UserAction, user_id: &str) -> Result<(), ServiceError> {
        if !self.enabled {
            return Ok(());
        }
        self.per_user[action.index()]
            .check_key(&user_id.to_owned())
            .map_err(|n| not_until(&n))
    }

    /// Drops idle keys so the maps do not grow without bound.
    pub fn housekeeping(&self) {
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
        let now = Instant::now();
        self.login_pair.retain_recent(now);
        self.login_ceiling.retain_recent(now);
        for limiter in &self.per_user {
            limiter.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refundable_allows_the_burst_then_waits_one_interval() {
        let g = Refundable::new(Duration::from_secs(3600), 2, 2);
        let now = Instant::now();
        assert!(g.take("k", now).is_ok());
        assert!(g.take("k", now).is_ok());
        assert_eq!(g.take("k", now), Err(Duration::from_secs(1800)));
        assert!(g.take("other", now).is_ok());
        assert!(g.take("k", now + Duration::from_secs(1800)).is_ok());
    }

    #[test]
    fn a_cell_given_back_can_be_taken_again() {
        let g = Refundable::new(Duration::from_secs(3600), 1, 1);
        let now = Instant::now();
        assert!(g.take("k", now).is_ok());
        g.give_back("k", now);
        assert!(g.take("k", now).is_ok());
        assert!(g.take("k", now).is_err());
        g.retain_recent(now + Duration::from_secs(3601));
        assert!(g.map().is_empty());
    }
}
