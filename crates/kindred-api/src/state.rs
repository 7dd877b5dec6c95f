//! Shared application state handed to every handler.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use kindred_config::{Cidr, Settings};
use kindred_db::{DbConnection, Pool};
use kindred_service::ratelimit::{LoginAttempt, RateLimits, UserAction};
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
        let limits = Arc::new(RateLimits::for_deployment(&settings, &pool));
        Self {
            pool,
            settings,
            metrics: Arc::new(Metrics::new()),
            limits,
            outbox_wake,
        }
    }

    /// Runs one service call with a pooled connection on actix's blocking
    /// pool. (The mail loop is woken after a successful unsafe request, in
    /// the middleware of `build_server`.)
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
        Ok(actix_web::web::block(move || f(&pool, &settings)).await??)
    }

    /// Wakes the outbox delivery loop: something committed may have queued email.
    pub fn mail_queued(&self) {
        self.outbox_wake.notify_one();
    }

    /// Runs a rate-limit check: inline when the limits are in memory, on
    /// the blocking pool when they are in the database (PostgreSQL).
    async fn limit<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&RateLimits) -> ServiceResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let limits = Arc::clone(&self.limits);
        if !limits.uses_database() {
            return Ok(f(&limits)?);
        }
        Ok(actix_web::web::block(move || f(&limits)).await??)
    }

    /// [`RateLimits::check`] for `route` from the client address `ip`.
    pub async fn limit_route(&self, route: &str, ip: &str, account: Option<&str>) -> ApiResult<()> {
        let (route, ip, account) = (route.to_owned(), ip.to_owned(), account.map(str::to_owned));
        self.limit(move |l| l.check(&route, &ip, account.as_deref()))
            .await
    }

    /// [`RateLimits::check_user`].
    pub async fn limit_user(&self, action: UserAction, user_id: &str) -> ApiResult<()> {
        let user_id = user_id.to_owned();
        self.limit(move |l| l.check_user(action, &user_id)).await
    }

    /// [`RateLimits::login_attempt`].
    pub async fn login_attempt(&self, ip: &str, account: &str) -> ApiResult<LoginAttempt> {
        let (ip, account) = (ip.to_owned(), account.to_owned());
        self.limit(move |l| l.login_attempt(&ip, &account)).await
    }

    /// [`RateLimits::login_succeeded`]. The login itself has succeeded: a
    /// failure to give the cells back is logged (without the key), not returned.
    pub async fn login_succeeded(&self, attempt: LoginAttempt) {
        if let Err(e) = self.limit(move |l| l.login_succeeded(attempt)).await {
            tracing::warn!(error = ?e, "could not give back a successful login's rate-limit cells");
        }
    }

    /// The client's address for per-address rate limits (see [`client_addr`]).
    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> String {
        let server = &self.settings.server;
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect();
        let peer = req.peer_addr().map(|a| a.ip());
        client_addr(
            peer,
            &forwarded,
            server.trust_forwarded_for,
            &server.trusted_proxies,
        )
        .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
    }
}

/// Chooses the client address of a request that reached us from `peer`.
///
/// `X-Forwarded-For` is read only when `trust_forwarded_for` is on and the
/// peer itself is one of `trusted_proxies`. Each proxy appends the address
/// it saw, so the list reads `client, proxy1, proxy2`, but everything left
/// of what our own proxies wrote is whatever the client sent. The answer is
/// therefore the right-most entry that is not a trusted proxy; if every entry
/// is a trusted proxy, the left-most one; if that entry is not an address
/// (a proxy wrote garbage), the peer. `Forwarded:` is never read.
pub fn client_addr(
    peer: Option<IpAddr>,
    forwarded_for: &[&str],
    trust_forwarded_for: bool,
    trusted_proxies: &[Cidr],
) -> Option<IpAddr> {
    let peer = peer.map(|p| p.to_canonical());
    let trusted = |ip: IpAddr| trusted_proxies.iter().any(|c| c.contains(ip));
    if !trust_forwarded_for || !peer.is_some_and(trusted) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let mut chosen = peer;
    for entry in entries.iter().rev() {
        match parse_forwarded_entry(entry) {
            Some(ip) if trusted(ip) => chosen = Some(ip),
            Some(ip) => return Some(ip),
            // Not an address where a trusted proxy should have written one:
            // nothing to its left can be believed; fall back to the peer.
            None => return peer,
        }
    }
    chosen
}

/// One `X-Forwarded-For` entry: `203.0.113.9`, `203.0.113.9:4711`, `2001:db8::1`
/// or `[2001:db8::1]:4711`.
fn parse_forwarded_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    entry
        .parse::<SocketAddr>()
        .ok()
        .map(|a| a.ip().to_canonical())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn proxies(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|c| c.parse().unwrap()).collect()
    }

    #[test]
    fn the_header_is_ignored_unless_turned_on_and_from_a_trusted_proxy() {
        let p = proxies(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.5");
        assert_eq!(client_addr(peer, &["203.0.113.9"], false, &p), peer);
        // A client talking to us directly cannot name itself.
        let direct = ip("198.51.100.7");
        assert_eq!(client_addr(direct, &["203.0.113.9"], true, &p), direct);
        assert_eq!(client_addr(direct, &["203.0.113.9"], true, &[]), direct);
        assert_eq!(client_addr(None, &["203.0.113.9"], true, &p), None);
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        let peer = ip("10.0.0.5");
        // One proxy: it appended the real client.
        assert_eq!(
            client_addr(peer, &["203.0.113.9"], true, &p),
            ip("203.0.113.9")
        );
        // The client forged a left-most entry: ignored.
        assert_eq!(
            client_addr(peer, &["1.1.1.1, 203.0.113.9"], true, &p),
            ip("203.0.113.9")
        );
        // Two proxies (a CDN at 192.0.2.1, then ours), entries over two headers.
        assert_eq!(
            client_addr(peer, &["6.6.6.6, 203.0.113.9", "192.0.2.1"], true, &p),
            ip("203.0.113.9")
        );
        // A forged entry that claims to be a trusted proxy does not help:
        // the real client is right of it.
        assert_eq!(
            client_addr(peer, &["10.9.9.9, 203.0.113.9, 192.0.2.1"], true, &p),
            ip("203.0.113.9")
        );
        // Ports and IPv6 forms.
        assert_eq!(
            client_addr(peer, &["203.0.113.9:4711"], true, &p),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_addr(peer, &["[2001:db8::1]:80"], true, &p),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_addr(peer, &["2001:db8::2"], true, &p),
            ip("2001:db8::2")
        );
    }

    #[test]
    fn all_trusted_missing_or_garbage_entries() {
        let p = proxies(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.5");
        assert_eq!(client_addr(peer, &[], true, &p), peer);
        assert_eq!(client_addr(peer, &[" , "], true, &p), peer);
        // Only proxies in the chain: the left-most is closest to the client.
        assert_eq!(
            client_addr(peer, &["10.1.1.1, 10.2.2.2"], true, &p),
            ip("10.1.1.1")
        );
        // Garbage where our proxy should have written an address: the peer.
        assert_eq!(client_addr(peer, &["203.0.113.9, unknown"], true, &p), peer);
        assert_eq!(
            client_addr(peer, &["1.2.3.4, not-an-ip, 203.0.113.9"], true, &p),
            ip("203.0.113.9")
        );
        // An IPv4-mapped peer is still recognised as the proxy.
        assert_eq!(
            client_addr(ip("::ffff:10.0.0.5"), &["203.0.113.9"], true, &p),
            ip("203.0.113.9")
        );
    }
}
