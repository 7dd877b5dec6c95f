//! One GCRA (generic cell rate algorithm) over a small store of theoretical
//! arrival times (TAT), so the same limiter runs in memory (one process) or
//! in the database (every instance on one PostgreSQL).
//!
//! A limiter lets one cell through every `interval`, and up to `burst` at
//! once: a take at `now` succeeds while the stored TAT (or `now`, if that is
//! later) is at most `tolerance = interval × (burst − 1)` ahead of `now`, and
//! moves the TAT on by one interval. A cell given back moves it back.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kindred_db::DbConnection;

use crate::error::ServiceResult;

/// Domain separation for the keyed hash of database cell keys.
const KEY_CONTEXT: &[u8] = b"kindred-rate-limit-key\0";

/// Where the arrival times live. `take` must be atomic per key.
pub trait Cells {
    /// The store's clock, in milliseconds.
    fn now_ms(&self) -> i64;
    /// Takes one cell of `key`: `Ok(Err(tat))` (the stored arrival time)
    /// when it is more than `tolerance_ms` ahead of `now_ms`.
    fn take(
        &mut self,
        key: &str,
        now_ms: i64,
        interval_ms: i64,
        tolerance_ms: i64,
    ) -> ServiceResult<Result<(), i64>>;
    /// Gives back one cell of `key`.
    fn give_back(&mut self, key: &str, now_ms: i64, interval_ms: i64) -> ServiceResult<()>;
    /// Forgets keys whose arrival time has passed (they hold nothing).
    fn purge(&mut self, now_ms: i64) -> ServiceResult<usize>;
}

/// One limiter: its name (part of every key) and its rate.
#[derive(Debug, Clone, Copy)]
pub struct Gcra {
    name: &'static str,
    interval_ms: i64,
    tolerance_ms: i64,
}

impl Gcra {
    /// `count` cells per `per`, up to `burst` at once (both at least 1).
    pub fn new(name: &'static str, per: Duration, count: u32, burst: u32) -> Self {
        let interval = per / count.max(1);
        let interval_ms = i64::try_from(interval.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        Self {
            name,
            interval_ms,
            tolerance_ms: interval_ms.saturating_mul(i64::from(burst.max(1) - 1)),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}|{key}", self.name)
    }

    /// Takes one cell for `key` now, or says how long until one is free.
    pub fn take(&self, cells: &mut dyn Cells, key: &str) -> ServiceResult<Result<(), Duration>> {
        let now = cells.now_ms();
        self.take_at(cells, key, now)
    }

    pub fn take_at(
        &self,
        cells: &mut dyn Cells,
        key: &str,
        now_ms: i64,
    ) -> ServiceResult<Result<(), Duration>> {
        Ok(cells
            .take(&self.key(key), now_ms, self.interval_ms, self.tolerance_ms)?
            .map_err(|tat| {
                let wait = tat.saturating_sub(now_ms).saturating_sub(self.tolerance_ms);
                Duration::from_millis(u64::try_from(wait).unwrap_or(0))
            }))
    }

    /// Gives back one cell taken for `key`.
    pub fn give_back(&self, cells: &mut dyn Cells, key: &str) -> ServiceResult<()> {
        let now = cells.now_ms();
        self.give_back_at(cells, key, now)
    }

    pub fn give_back_at(&self, cells: &mut dyn Cells, key: &str, now_ms: i64) -> ServiceResult<()> {
        cells.give_back(&self.key(key), now_ms, self.interval_ms)
    }
}

/// Arrival times in this process's memory, on a monotonic clock.
pub struct MemoryCells {
    origin: Instant,
    tat: HashMap<String, i64>,
}

impl Default for MemoryCells {
    fn default() -> Self {
        Self {
            origin: Instant::now(),
            tat: HashMap::new(),
        }
    }
}

impl MemoryCells {
    #[cfg(test)]
    fn len(&self) -> usize {
        self.tat.len()
    }
}

impl Cells for MemoryCells {
    fn now_ms(&self) -> i64 {
        i64::try_from(self.origin.elapsed().as_millis()).unwrap_or(i64::MAX)
    }

    fn take(
        &mut self,
        key: &str,
        now_ms: i64,
        interval_ms: i64,
        tolerance_ms: i64,
    ) -> ServiceResult<Result<(), i64>> {
        let stored = self.tat.get(key).copied();
        let tat = stored.unwrap_or(now_ms).max(now_ms);
        if tat - now_ms > tolerance_ms {
            return Ok(Err(tat));
        }
        self.tat.insert(key.to_owned(), tat + interval_ms);
        Ok(Ok(()))
    }

    fn give_back(&mut self, key: &str, now_ms: i64, interval_ms: i64) -> ServiceResult<()> {
        if let Some(tat) = self.tat.get_mut(key) {
            *tat -= interval_ms;
            if *tat <= now_ms {
                self.tat.remove(key);
            }
        }
        Ok(())
    }

    fn purge(&mut self, now_ms: i64) -> ServiceResult<usize> {
        let before = self.tat.len();
        self.tat.retain(|_, tat| *tat > now_ms);
        Ok(before - self.tat.len())
    }
}

/// Arrival times in the `rate_limit_cells` table, on the wall clock (shared
/// by every instance). Keys are stored as `HMAC-SHA256(secret, key)`, so
/// the table holds no email or address.
pub struct DbCells<'a> {
    pub conn: &'a mut DbConnection,
    pub secret: &'a [u8],
}

impl DbCells<'_> {
    fn hashed(&self, key: &str) -> ServiceResult<String> {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(self.secret)
            .map_err(|e| crate::error::ServiceError::Internal(format!("rate limit key: {e}")))?;
        mac.update(KEY_CONTEXT);
        mac.update(key.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

impl Cells for DbCells<'_> {
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }

    fn take(
        &mut self,
        key: &str,
        now_ms: i64,
        interval_ms: i64,
        tolerance_ms: i64,
    ) -> ServiceResult<Result<(), i64>> {
        let key = self.hashed(key)?;
        Ok(kindred_db::ratelimit::take(
            self.conn,
            &key,
            now_ms,
            interval_ms,
            tolerance_ms,
        )?)
    }

    fn give_back(&mut self, key: &str, _now_ms: i64, interval_ms: i64) -> ServiceResult<()> {
        let key = self.hashed(key)?;
        Ok(kindred_db::ratelimit::give_back(
            self.conn,
            &key,
            interval_ms,
        )?)
    }

    fn purge(&mut self, now_ms: i64) -> ServiceResult<usize> {
        Ok(kindred_db::ratelimit::purge_idle(self.conn, now_ms)?)
    }
}

/// The secret that keys the hashes of database cell keys, created on first use.
pub fn key_secret(conn: &mut DbConnection) -> ServiceResult<Vec<u8>> {
    let hex_key = kindred_db::secrets::get_or_create(conn, "rate_limit_key_hmac", || {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    })?;
    hex::decode(hex_key)
        .map_err(|e| crate::error::ServiceError::Internal(format!("rate limit key: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use kindred_testkit::{Backend, TestDb};

    const HOUR: Duration = Duration::from_secs(3600);
    const T0: i64 = 1_800_000_000_000;

    /// Two per hour, both at once: the third waits half an hour; other keys
    /// are independent; after the wait one more goes through.
    fn burst_then_one_interval(cells: &mut dyn Cells) {
        let g = Gcra::new("t", HOUR, 2, 2);
        assert!(g.take_at(cells, "k", T0).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0).unwrap().is_ok());
        assert_eq!(
            g.take_at(cells, "k", T0).unwrap(),
            Err(Duration::from_secs(1800))
        );
        assert_eq!(
            g.take_at(cells, "k", T0 + 600_000).unwrap(),
            Err(Duration::from_secs(1200))
        );
        assert!(g.take_at(cells, "other", T0).unwrap().is_ok());
        // Another limiter with the same key has its own cells.
        let h = Gcra::new("u", HOUR, 2, 2);
        assert!(h.take_at(cells, "k", T0).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0 + 1_800_000).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0 + 1_800_000).unwrap().is_err());
    }

    /// A cell given back can be taken again; idle keys are purged.
    fn refund_and_purge(cells: &mut dyn Cells) -> usize {
        let g = Gcra::new("r", HOUR, 1, 1);
        assert!(g.take_at(cells, "k", T0).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0).unwrap().is_err());
        g.give_back_at(cells, "k", T0).unwrap();
        assert!(g.take_at(cells, "k", T0).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0).unwrap().is_err());
        // Refunds never bank credit: a long-idle key gives back nothing extra.
        g.give_back_at(cells, "k", T0).unwrap();
        g.give_back_at(cells, "k", T0).unwrap();
        assert!(g.take_at(cells, "k", T0).unwrap().is_ok());
        assert!(g.take_at(cells, "k", T0).unwrap().is_err());
        let held = Gcra::new("r", HOUR, 1, 1);
        assert!(held.take_at(cells, "long", T0 + 1000).unwrap().is_ok());
        cells.purge(T0 + 3_600_000).unwrap()
    }

    #[test]
    fn memory_store_burst_wait_refund_purge() {
        let mut cells = MemoryCells::default();
        burst_then_one_interval(&mut cells);
        let mut cells = MemoryCells::default();
        assert_eq!(refund_and_purge(&mut cells), 1);
        assert_eq!(cells.len(), 1, "the cell still ahead of the clock stays");
        cells.purge(T0 + 3_601_000).unwrap();
        assert_eq!(cells.len(), 0);
    }

    fn database_store(backend: Backend) {
        let db = TestDb::new(backend);
        let mut conn = db.conn();
        let secret = key_secret(&mut conn).unwrap();
        assert_eq!(secret, key_secret(&mut conn).unwrap(), "created once");
        let mut cells = DbCells {
            conn: &mut conn,
            secret: &secret,
        };
        burst_then_one_interval(&mut cells);
        let mut cells = DbCells {
            conn: &mut conn,
            secret: &secret,
        };
        // Purged at T0 + 1h: "r|k", "t|other" and "u|k"; "t|k" (T0 + 1.5h)
        // and "r|long" (T0 + 1h + 1s) are still ahead.
        assert_eq!(refund_and_purge(&mut cells), 3);
        assert_eq!(kindred_db::ratelimit::count(&mut conn).unwrap(), 2);
        // Keys are stored hashed: no raw key in the table.
        let keys: Vec<String> = {
            use diesel::prelude::*;
            kindred_db::schema::rate_limit_cells::table
                .select(kindred_db::schema::rate_limit_cells::key)
                .load(&mut *conn)
                .unwrap()
        };
        assert_eq!(keys.len(), 2);
        for key in keys {
            assert!(
                key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
                "{key}"
            );
        }
    }

    #[test]
    fn database_store_burst_wait_refund_purge_sqlite() {
        database_store(Backend::Sqlite);
    }

    #[test]
    fn database_store_burst_wait_refund_purge_postgres() {
        database_store(Backend::Postgres);
    }

    /// Takes from many threads (separate connections, as separate processes
    /// would have) never grant more than the burst.
    #[test]
    fn concurrent_database_takes_grant_exactly_the_burst() {
        let db = TestDb::new(Backend::Postgres);
        let secret = key_secret(&mut db.conn()).unwrap();
        let g = Gcra::new("c", HOUR, 1, 5);
        let granted = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let mut conn = db.pool().get().unwrap();
                    for _ in 0..5 {
                        let mut cells = DbCells {
                            conn: &mut conn,
                            secret: &secret,
                        };
                        if g.take_at(&mut cells, "k", T0).unwrap().is_ok() {
                            granted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        assert_eq!(granted.into_inner(), 5);
    }
}
