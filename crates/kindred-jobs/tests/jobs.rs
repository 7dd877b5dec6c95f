//! The durable job queue on SQLite and PostgreSQL: idempotent enqueue,
//! retries with backoff then dead, operator retry, lease-expiry rescue,
//! unknown kinds, erasure, two concurrent workers, and a SIGKILLed worker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use kindred_db::jobs::{self, JobRow, NewJob};
use kindred_db::{DbConnection, Pool, PoolOptions};
use kindred_jobs::{JobError, JobSpec, Queue, Registry, Worker, WorkerSettings};
use serde_json::json;

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

struct TestDb {
    url: String,
    pool: Pool,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    fn new(backend: Backend) -> TestDb {
        let (dir, url) = match backend {
            Backend::Sqlite => {
                let (dir, url) = kindred_testkit::sqlite_url_for_test();
                (Some(dir), url)
            }
            Backend::Postgres => (None, kindred_testkit::postgres_url_for_test()),
        };
        let pool = open(&url);
        kindred_db::migrate_with(&mut pool.get().unwrap(), |_| Ok(())).unwrap();
        TestDb {
            url,
            pool,
            _dir: dir,
        }
    }

    fn conn(&self) -> kindred_db::PooledConnection {
        self.pool.get().unwrap()
    }

    fn get(&self, id: &str) -> JobRow {
        jobs::get(&mut self.conn(), id).unwrap().unwrap()
    }

    fn counts(&self) -> BTreeMap<String, i64> {
        jobs::counts_by_state(&mut self.conn()).unwrap()
    }
}

fn open(url: &str) -> Pool {
    let target = url.parse::<kindred_config::DatabaseUrl>().unwrap();
    kindred_db::open_pool(&target, &PoolOptions::default()).unwrap()
}

fn enqueue(conn: &mut DbConnection, kind: &str, key: Option<&str>, max_attempts: i32) -> String {
    jobs::enqueue(
        conn,
        &NewJob {
            kind,
            unique_key: key,
            payload: &json!({"match_id": "m1"}),
            run_at: kindred_db::now(),
            max_attempts,
            subject_user_id: None,
        },
    )
    .unwrap()
    .unwrap()
}

fn settings() -> WorkerSettings {
    WorkerSettings {
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        concurrency: 4,
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(10),
        batch: 10,
    }
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await
                }
            )*
        }
    };
}

both_backends!(
    enqueue_is_idempotent_by_unique_key,
    retries_back_off_then_dead_and_retry_dead_revives,
    expired_lease_is_rescued_and_the_old_worker_cannot_complete,
    unknown_kind_and_permanent_errors_are_dead,
    erasure_cancels_and_listing_pages,
    two_workers_run_each_job_exactly_once,
    killed_worker_loses_nothing,
);

async fn enqueue_is_idempotent_by_unique_key(backend: Backend) {
    let db = TestDb::new(backend);
    let queue = Queue::new(db.pool.clone(), 5);
    let spec = JobSpec::new("mentor_notice", json!({"match_id": "m1"}))
        .unique_key("mentor_notice:m1")
        .subject_user("u1");
    let first = queue.enqueue(spec.clone()).await.unwrap();
    assert!(first.is_some());
    assert_eq!(queue.enqueue(spec.clone()).await.unwrap(), None);

    // Inside a caller's transaction, the duplicate is a no-op and the
    // transaction stays usable (no unique violation aborting it on PostgreSQL).
    let mut conn = db.conn();
    let (dup, other) = kindred_db::write_tx(&mut conn, |c| {
        let dup = queue.enqueue_in(c, &spec)?;
        let other = queue.enqueue_in(c, &JobSpec::new("mentor_notice", json!({})))?;
        Ok::<_, kindred_db::DbError>((dup, other))
    })
    .unwrap();
    assert_eq!(dup, None);
    assert!(other.is_some());

    // Concurrent enqueues of one key from many connections: exactly one wins,
    // nobody errors.
    let key = "checkin:m2:1";
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let pool = db.pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                kindred_db::write_tx(&mut conn, |c| {
                    let spec =
                        JobSpec::new("checkin_reminder", json!({"match_id": "m2"})).unique_key(key);
                    kindred_jobs::enqueue_in(c, &spec, 5)
                })
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let winners = results.iter().filter(|r| matches!(r, Ok(Some(_)))).count();
    assert_eq!(winners, 1);

    let row = jobs::get_by_unique_key(&mut conn, "mentor_notice:m1")
        .unwrap()
        .unwrap();
    assert_eq!(Some(row.id.clone()), first);
    assert_eq!(row.state, "pending");
    assert_eq!(row.max_attempts, 5);
    assert_eq!(row.subject_user_id.as_deref(), Some("u1"));
    assert_eq!(row.payload_json().unwrap(), json!({"match_id": "m1"}));
    assert_eq!(db.counts()["pending"], 3);
}

async fn retries_back_off_then_dead_and_retry_dead_revives(backend: Backend) {
    let db = TestDb::new(backend);
    let id = enqueue(&mut db.conn(), "flaky", None, 3);
    let healthy = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicUsize::new(0));
    let registry = {
        let (healthy, calls) = (healthy.clone(), calls.clone());
        Registry::new().with("flaky", move |_row| {
            let (healthy, calls) = (healthy.clone(), calls.clone());
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                if healthy.load(Ordering::SeqCst) {
                    Ok(())
                } else {
                    Err(JobError::retry("smtp: 451 try again later"))
                }
            }
        })
    };
    let worker = Worker::new(db.pool.clone(), registry, settings());

    let base = 0.2_f64;
    for attempt in 1..=2 {
        let before = kindred_db::now();
        let report = worker.run_once().await.unwrap();
        assert_eq!((report.claimed, report.retried), (1, 1), "{report:?}");
        let row = db.get(&id);
        assert_eq!(row.state, "pending");
        assert_eq!(row.attempts, attempt);
        assert_eq!(row.last_error.as_deref(), Some("smtp: 451 try again later"));
        assert!(row.locked_until.is_none());
        let delay = (row.run_at - before).as_seconds_f64();
        let expected = base * f64::from(1 << (attempt - 1));
        assert!(
            delay >= expected * 0.8 - 0.01 && delay <= expected * 1.2 + 1.0,
            "attempt {attempt}: delay {delay}s, expected ~{expected}s"
        );
        // Not due yet: nothing to claim.
        assert_eq!(worker.run_once().await.unwrap().claimed, 0);
        let wait = (row.run_at - kindred_db::now())
            .to_std()
            .unwrap_or_default();
        tokio::time::sleep(wait + Duration::from_millis(20)).await;
    }
    let report = worker.run_once().await.unwrap();
    assert_eq!((report.claimed, report.dead), (1, 1), "{report:?}");
    let row = db.get(&id);
    assert_eq!(row.state, "dead");
    assert_eq!(row.attempts, 3);
    assert_eq!(row.last_error.as_deref(), Some("smtp: 451 try again later"));
    assert!(row.finished_at.is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(db.counts()["dead"], 1);
    let dead = jobs::list(&mut db.conn(), Some("dead"), None, 50).unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].id, id);

    // An operator retries it: fresh budget, due now.
    let queue = Queue::new(db.pool.clone(), 5);
    assert!(queue.retry_dead(&id).await.unwrap());
    assert!(!queue.retry_dead(&id).await.unwrap(), "only dead jobs");
    let row = db.get(&id);
    assert_eq!((row.state.as_str(), row.attempts), ("pending", 0));
    assert!(row.finished_at.is_none());
    healthy.store(true, Ordering::SeqCst);
    let report = worker.run_once().await.unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let row = db.get(&id);
    assert_eq!((row.state.as_str(), row.attempts), ("done", 1));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(!queue.retry_dead(&id).await.unwrap());
}

async fn expired_lease_is_rescued_and_the_old_worker_cannot_complete(backend: Backend) {
    let db = TestDb::new(backend);
    // A job under a live lease held by a healthy worker "alive".
    let fresh = enqueue(&mut db.conn(), "work", None, 3);
    let live = kindred_db::write_tx(&mut db.conn(), |c| {
        jobs::claim(c, "alive", kindred_db::now(), TimeDelta::minutes(5), 10)
    })
    .unwrap();
    assert_eq!(live.iter().map(|r| &r.id).collect::<Vec<_>>(), vec![&fresh]);

    // A "ghost" worker claimed two more and died; their leases have run out
    // (a negative lease: expired the moment it was taken).
    let id = enqueue(&mut db.conn(), "work", None, 3);
    let exhausted = enqueue(&mut db.conn(), "work", None, 1);
    let claimed = kindred_db::write_tx(&mut db.conn(), |c| {
        jobs::claim(c, "ghost", kindred_db::now(), TimeDelta::minutes(-1), 10)
    })
    .unwrap();
    assert_eq!(claimed.len(), 2, "the live lease is not taken");
    assert!(claimed
        .iter()
        .all(|r| r.state == "running" && r.attempts == 1));
    assert_eq!(claimed[0].locked_by.as_deref(), Some("ghost"));

    let runs = Arc::new(Mutex::new(Vec::new()));
    let registry = {
        let runs = runs.clone();
        Registry::new().with("work", move |row: JobRow| {
            let runs = runs.clone();
            async move {
                runs.lock().unwrap().push(row.id);
                Ok(())
            }
        })
    };
    let worker = Worker::new(db.pool.clone(), registry, settings());
    let report = worker.run_once().await.unwrap();
    assert_eq!((report.claimed, report.done), (1, 1), "{report:?}");
    assert_eq!(*runs.lock().unwrap(), vec![id.clone()]);
    let row = db.get(&id);
    assert_eq!(row.state, "done");
    assert_eq!(row.attempts, 2);
    assert_eq!(row.locked_by.as_deref(), Some(worker.worker_id()));

    // The job that had used its only attempt is not run again: dead.
    let row = db.get(&exhausted);
    assert_eq!(row.state, "dead");
    assert!(row.last_error.unwrap().contains("lease expired"));

    // The ghost wakes up: its outcome is ignored.
    let mut conn = db.conn();
    assert!(!jobs::complete(&mut conn, &id, "ghost").unwrap());
    assert!(!jobs::fail(&mut conn, &id, "ghost", "late", None).unwrap());
    assert_eq!(db.get(&id).state, "done");
    // The live lease still belongs to "alive".
    assert!(!jobs::complete(&mut conn, &fresh, "ghost").unwrap());
    assert!(jobs::complete(&mut conn, &fresh, "alive").unwrap());
    assert!(!jobs::complete(&mut conn, &fresh, "alive").unwrap(), "once");
}

async fn unknown_kind_and_permanent_errors_are_dead(backend: Backend) {
    let db = TestDb::new(backend);
    let unknown = enqueue(&mut db.conn(), "no_such_kind", None, 5);
    let permanent = enqueue(&mut db.conn(), "broken", None, 5);
    let panics = enqueue(&mut db.conn(), "panics", None, 2);
    let registry = Registry::new()
        .with("broken", |_row| async {
            Err(JobError::permanent("match m1 no longer exists"))
        })
        .with("panics", |_row| async {
            if true {
                panic!("handler bug");
            }
            Ok(())
        });
    let worker = Worker::new(db.pool.clone(), registry, settings());
    let report = worker.run_once().await.unwrap();
    assert_eq!(
        (report.claimed, report.dead, report.retried),
        (3, 2, 1),
        "{report:?}"
    );
    let row = db.get(&unknown);
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 1));
    let err = row.last_error.unwrap();
    assert!(
        err.contains("no handler registered for job kind `no_such_kind`"),
        "{err}"
    );
    let row = db.get(&permanent);
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 1));
    assert_eq!(row.last_error.as_deref(), Some("match m1 no longer exists"));
    // A panic fails the job (retryable), not the worker.
    let row = db.get(&panics);
    assert_eq!(row.state, "pending");
    assert!(row.last_error.unwrap().contains("panicked"));
}

async fn erasure_cancels_and_listing_pages(backend: Backend) {
    let db = TestDb::new(backend);
    let mut conn = db.conn();
    let mut ids = Vec::new();
    for i in 0..5 {
        let subject = if i < 3 {
            Some("u-erase")
        } else {
            Some("u-keep")
        };
        let id = jobs::enqueue(
            &mut conn,
            &NewJob {
                kind: "checkin_reminder",
                unique_key: None,
                payload: &json!({"match_id": format!("m{i}")}),
                run_at: kindred_db::now() + TimeDelta::hours(1),
                max_attempts: 3,
                subject_user_id: subject,
            },
        )
        .unwrap()
        .unwrap();
        ids.push(id);
    }
    // One of the person's jobs is running right now.
    let running = enqueue(&mut conn, "work", None, 3);
    diesel::update(jobs::jobs::table.find(&running))
        .set(jobs::jobs::subject_user_id.eq("u-erase"))
        .execute(&mut *conn)
        .unwrap();
    let claimed = jobs::claim(
        &mut conn,
        "w1",
        kindred_db::now(),
        TimeDelta::minutes(5),
        10,
    )
    .unwrap();
    assert_eq!(claimed.len(), 1);

    assert_eq!(jobs::cancel_for_user(&mut conn, "u-erase").unwrap(), 4);
    assert_eq!(jobs::cancel_for_user(&mut conn, "u-erase").unwrap(), 0);
    assert!(
        !jobs::complete(&mut conn, &running, "w1").unwrap(),
        "cancelled stays cancelled"
    );
    let counts = db.counts();
    assert_eq!(counts["cancelled"], 4);
    assert_eq!(counts["pending"], 2);
    assert_eq!(counts["running"], 0);
    assert_eq!(counts["done"], 0);

    // Keyset pages in id order.
    let page1 = jobs::list(&mut conn, None, None, 4).unwrap();
    let page2 = jobs::list(&mut conn, None, Some(&page1[3].id), 4).unwrap();
    assert_eq!(page1.len(), 4);
    assert_eq!(page2.len(), 2);
    let all: Vec<String> = page1.iter().chain(&page2).map(|r| r.id.clone()).collect();
    let mut expected = ids.clone();
    expected.push(running.clone());
    assert_eq!(all, expected);
    let pending = jobs::list(&mut conn, Some("pending"), None, 100).unwrap();
    assert_eq!(
        pending.iter().map(|r| &r.id).collect::<Vec<_>>(),
        vec![&ids[3], &ids[4]]
    );

    // Purging finished history.
    assert_eq!(
        jobs::purge_finished(&mut conn, kindred_db::now() + TimeDelta::seconds(1)).unwrap(),
        4
    );
    assert_eq!(jobs::list(&mut conn, None, None, 100).unwrap().len(), 2);
}

async fn two_workers_run_each_job_exactly_once(backend: Backend) {
    const JOBS: usize = 500;
    let db = TestDb::new(backend);
    {
        let mut conn = db.conn();
        kindred_db::write_tx(&mut conn, |c| {
            for i in 0..JOBS {
                let spec = JobSpec::new("count", json!({"n": i})).unique_key(format!("count:{i}"));
                kindred_jobs::enqueue_in(c, &spec, 5)?;
            }
            Ok::<_, kindred_db::DbError>(())
        })
        .unwrap();
    }
    let seen: Arc<Mutex<HashMap<String, Vec<&'static str>>>> = Arc::default();
    let registry = |who: &'static str| {
        let seen = seen.clone();
        Registry::new().with("count", move |row: JobRow| {
            let seen = seen.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                seen.lock().unwrap().entry(row.id).or_default().push(who);
                Ok(())
            }
        })
    };
    let small_batches = WorkerSettings {
        batch: 5,
        ..settings()
    };
    // Separate pools, as two processes would have.
    let a = Worker::new(open(&db.url), registry("a"), small_batches.clone());
    let b = Worker::new(open(&db.url), registry("b"), small_batches);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let ha = tokio::spawn(a.run(shutdown.clone()));
    let hb = tokio::spawn(b.run(shutdown));
    loop {
        let done = db.counts()["done"];
        if done == JOBS as i64 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "timed out with {done} done"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed();
    stop.send(true).unwrap();
    ha.await.unwrap();
    hb.await.unwrap();

    let seen = seen.lock().unwrap();
    let duplicates: Vec<_> = seen.iter().filter(|(_, w)| w.len() > 1).collect();
    let by_a = seen.values().flatten().filter(|w| **w == "a").count();
    let by_b = seen.values().flatten().filter(|w| **w == "b").count();
    println!(
        "{backend:?}: two workers ran {JOBS} jobs in {elapsed:?}: worker a {by_a}, worker b {by_b}, duplicates {}",
        duplicates.len()
    );
    assert!(duplicates.is_empty(), "ran twice: {duplicates:?}");
    assert_eq!(seen.len(), JOBS);
    assert!(
        by_a > 0 && by_b > 0,
        "both workers took part: a {by_a}, b {by_b}"
    );
    let all = jobs::list(&mut db.conn(), Some("done"), None, 1000).unwrap();
    assert_eq!(all.len(), JOBS);
    assert!(all.iter().all(|r| r.attempts == 1));
}

async fn killed_worker_loses_nothing(backend: Backend) {
    const JOBS: usize = 1000;
    const CONCURRENCY: usize = 4;
    const BATCH: u32 = 8;
    let db = TestDb::new(backend);
    let mut all_ids = Vec::with_capacity(JOBS);
    {
        let mut conn = db.conn();
        kindred_db::write_tx(&mut conn, |c| {
            for i in 0..JOBS {
                let spec = JobSpec::new("crash_test", json!({"n": i}));
                all_ids.push(kindred_jobs::enqueue_in(c, &spec, 5)?.unwrap_or_default());
            }
            Ok::<_, kindred_db::DbError>(())
        })
        .unwrap();
    }
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("ran.txt");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_jobs-crash-worker"))
            .arg(&db.url)
            .arg(&out)
            .args(["1000", "3", &CONCURRENCY.to_string(), &BATCH.to_string()])
            .spawn()
            .unwrap()
    };
    let lines = || -> Vec<String> {
        std::fs::read_to_string(&out)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    };

    let mut first = spawn();
    let started = Instant::now();
    while lines().len() < 300 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "helper too slow"
        );
        assert!(first.try_wait().unwrap().is_none(), "helper exited early");
        std::thread::sleep(Duration::from_millis(5));
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let at_kill = lines().len();
    let in_flight = db.counts()["running"];

    let mut second = spawn();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "restarted helper did not finish"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());

    let ran = lines();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for id in &ran {
        *counts.entry(id.as_str()).or_default() += 1;
    }
    let missing: Vec<_> = all_ids
        .iter()
        .filter(|id| !counts.contains_key(id.as_str()))
        .collect();
    let duplicates = ran.len() - counts.len();
    println!(
        "{backend:?}: killed after {at_kill} lines with {in_flight} jobs leased; \
         {} lines in total, {} distinct, {duplicates} duplicates (bound: concurrency {CONCURRENCY})",
        ran.len(),
        counts.len()
    );
    assert!(missing.is_empty(), "lost {} jobs", missing.len());
    assert_eq!(counts.len(), JOBS);
    assert!(
        duplicates <= CONCURRENCY,
        "{duplicates} duplicates > {CONCURRENCY} in flight"
    );
    assert!(counts.values().all(|&n| n <= 2));
    let c = db.counts();
    assert_eq!(c["done"], JOBS as i64, "{c:?}");
}
