//! Per-client-address and per-account limits on the unauthenticated routes
//! (login, registration, verification), using GCRA from `governor`.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ServiceError;

pub struct RateLimits {
    enabled: bool,
    per_ip: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(per: Duration, count: u32, burst: u32) -> Quota {
    let count = NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(per / count.get())
        .unwrap_or_else(|| Quota::per_second(count))
        .allow_burst(burst)
}

impl RateLimits {
    pub fn new(settings: &kindred_config::RateLimitSettings) -> Self {
        Self {
            enabled: settings.enabled,
            per_ip: RateLimiter::keyed(quota(
                Duration::from_secs(60),
                settings.per_ip_per_minute,
                settings.per_ip_burst,
            )),
            per_account: RateLimiter::keyed(quota(
                Duration::from_secs(3600),
                settings.per_account_per_hour,
                settings.per_account_burst,
            )),
        }
    }

    /// Checks (and consumes) one request for the client address and, when
    /// given, the account (normalised email). `429` carries `Retry-After`.
    pub fn check(&self, route: &str, ip: &str, account: Option<&str>) -> Result<(), ServiceError> {
        if !self.enabled {
            return Ok(());
        }
        let clock = DefaultClock::default();
        if let Err(not_until) = self.per_ip.check_key(&format!("{route}|{ip}")) {
            let wait = not_until.wait_time_from(clock.now());
            return Err(ServiceError::RateLimited {
                retry_after_secs: wait.as_secs() + 1,
            });
        }
        if let Some(account) = account {
            if let Err(not_until) = self.per_account.check_key(&format!("{route}|{account}")) {
                let wait = not_until.wait_time_from(clock.now());
                return Err(ServiceError::RateLimited {
                    retry_after_secs: wait.as_secs() + 1,
                });
            }
        }
        Ok(())
    }

    /// Drops idle keys so the maps do not grow without bound.
    pub fn housekeeping(&self) {
        self.per_ip.retain_recent();
        self.per_account.retain_recent();
    }
}
