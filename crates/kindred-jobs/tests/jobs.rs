//! The durable job queue on SQLite and PostgreSQL: idempotent typed enqueue,
//! retries with backoff then dead, operator retry, lease-expiry rescue,
//! unknown kinds and undecodable payloads, erasure, two concurrent workers, a
//! SIGKILLed worker; the leased-rows engine under the outbox (owners,
//! exhausted leases) and the purge of finished history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use kindred_db::jobs::{self, JobRow, NewJob};
use kindred_db::{DbConnection, Pool};
use kindred_jobs::{
    BackgroundJob, EnqueueOptions, JobError, JobSpec, OutboxSettings, OutboxWorker, Registry,
    Worker, WorkerSettings,
};
use kindred_testkit::{both_backends, Backend, TestDb};
use serde::{Deserialize, Serialize};
use serde_json::json;

fn get(db: &TestDb, id: &str) -> JobRow {
    jobs::get(&mut db.conn(), id).unwrap().unwrap()
}

fn state_counts(db: &TestDb) -> BTreeMap<String, i64> {
    jobs::counts_by_state(&mut db.conn()).unwrap()
}

/// Enqueues a typed job in a transaction of its own.
fn enqueue_alone<J: BackgroundJob>(
    pool: &Pool,
    job: &J,
    options: EnqueueOptions,
) -> Option<String> {
    let mut conn = pool.get().unwrap();
    kindred_db::write_tx(&mut conn, |c| kindred_jobs::enqueue(c, job, options)).unwrap()
}

/// Dead → pending with a fresh budget (the operator's retry).
fn retry_dead(pool: &Pool, id: &str) -> bool {
    let mut conn = pool.get().unwrap();
    kindred_db::write_tx(&mut conn, |c| jobs::retry_dead(c, id)).unwrap()
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

fn with_max_attempts(n: i32) -> EnqueueOptions {
    EnqueueOptions {
        max_attempts: Some(n),
        ..EnqueueOptions::default()
    }
}

fn settings() -> WorkerSettings {
    WorkerSettings {
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        concurrency: 4,
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(10),
        batch: 10,
        retention: kindred_jobs::DEFAULT_RETENTION,
    }
}

// ------------------------------------------------------------ typed jobs

/// A notice to a match's mentor: one per match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct MentorNotice {
    match_id: String,
}

impl BackgroundJob for MentorNotice {
    const KIND: &'static str = "mentor_notice";
    type Context = ();

    fn unique_key(&self) -> Option<String> {
        Some(format!("mentor_notice:{}", self.match_id))
    }

    async fn run(self, _ctx: ()) -> Result<(), JobError> {
        Ok(())
    }
}

/// A check-in reminder, deduplicated by an explicit key.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CheckinReminder {
    match_id: String,
    #[serde(skip)]
    key: String,
}

impl BackgroundJob for CheckinReminder {
    const KIND: &'static str = "checkin_reminder";
    type Context = ();

    fn unique_key(&self) -> Option<String> {
        Some(self.key.clone())
    }

    async fn run(self, _ctx: ()) -> Result<(), JobError> {
        Ok(())
    }
}

/// Not deduplicated.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Digest {}

impl BackgroundJob for Digest {
    const KIND: &'static str = "digest";
    type Context = ();

    async fn run(self, _ctx: ()) -> Result<(), JobError> {
        Ok(())
    }
}

/// Fails (retryably) until the context says the far end is healthy.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Flaky {
    match_id: String,
}

impl BackgroundJob for Flaky {
    const KIND: &'static str = "flaky";
    type Context = (Arc<AtomicBool>, Arc<AtomicUsize>);

    async fn run(self, (healthy, calls): Self::Context) -> Result<(), JobError> {
        calls.fetch_add(1, Ordering::SeqCst);
        if healthy.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(JobError::retry("smtp: 451 try again later"))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Broken {
    match_id: String,
}

impl BackgroundJob for Broken {
    const KIND: &'static str = "broken";
    type Context = ();

    async fn run(self, _ctx: ()) -> Result<(), JobError> {
        Err(JobError::permanent(format!(
            "match {} no longer exists",
            self.match_id
        )))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Panics {}

impl BackgroundJob for Panics {
    const KIND: &'static str = "panics";
    type Context = ();

    async fn run(self, _ctx: ()) -> Result<(), JobError> {
        if true {
            panic!("handler bug");
        }
        Ok(())
    }
}

/// Records which worker ran it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Count {
    n: usize,
}

type Seen = Arc<Mutex<HashMap<usize, Vec<&'static str>>>>;

impl BackgroundJob for Count {
    const KIND: &'static str = "count";
    type Context = (Seen, &'static str);

    fn unique_key(&self) -> Option<String> {
        Some(format!("count:{}", self.n))
    }

    async fn run(self, (seen, who): Self::Context) -> Result<(), JobError> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        seen.lock().unwrap().entry(self.n).or_default().push(who);
        Ok(())
    }
}

both_backends!(
    worker_threads = 4;
    enqueue_is_idempotent_by_unique_key,
    retries_back_off_then_dead_and_retry_dead_revives,
    expired_lease_is_rescued_and_the_old_worker_cannot_complete,
    unknown_kind_and_permanent_errors_are_dead,
    a_typed_payload_that_does_not_decode_is_dead,
    erasure_cancels_and_listing_pages,
    two_workers_run_each_job_exactly_once,
    killed_worker_loses_nothing,
    outbox_leases_have_owners_and_exhausted_leases_are_buried,
    workers_purge_finished_rows_after_the_retention,
);

async fn enqueue_is_idempotent_by_unique_key(backend: Backend) {
    let db = TestDb::new(backend);
    let job = MentorNotice {
        match_id: "m1".into(),
    };
    let options = EnqueueOptions {
        subject_user: Some("u1".into()),
        max_attempts: Some(5),
        ..EnqueueOptions::default()
    };
    let first = enqueue_alone(db.pool(), &job, options.clone());
    assert!(first.is_some());
    assert_eq!(enqueue_alone(db.pool(), &job, options.clone()), None);

    // Inside a caller's transaction, the duplicate is a no-op and the
    // transaction stays usable (no unique violation aborting it on PostgreSQL).
    let mut conn = db.conn();
    let (dup, other) = kindred_db::write_tx(&mut conn, |c| {
        let dup = kindred_jobs::enqueue(c, &job, options.clone())?;
        let other = kindred_jobs::enqueue(c, &Digest {}, with_max_attempts(5))?;
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
            let pool = db.pool().clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                kindred_db::write_tx(&mut conn, |c| {
                    let job = CheckinReminder {
                        match_id: "m2".into(),
                        key: key.into(),
                    };
                    kindred_jobs::enqueue(c, &job, with_max_attempts(5))
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
    assert_eq!(state_counts(&db)["pending"], 3);

    // The untyped lower layer shares the key space.
    let spec =
        JobSpec::new("mentor_notice", json!({"match_id": "m1"})).unique_key("mentor_notice:m1");
    assert_eq!(kindred_jobs::enqueue_in(&mut conn, &spec, 5).unwrap(), None);
    // Without options: due now, the default attempt budget.
    let id = kindred_jobs::enqueue(&mut conn, &Digest {}, EnqueueOptions::default())
        .unwrap()
        .unwrap();
    let row = get(&db, &id);
    assert_eq!(row.max_attempts, kindred_jobs::DEFAULT_MAX_ATTEMPTS);
    assert!(row.run_at <= kindred_db::now());
    assert_eq!(row.kind, "digest");
}

async fn retries_back_off_then_dead_and_retry_dead_revives(backend: Backend) {
    let db = TestDb::new(backend);
    let flaky = Flaky {
        match_id: "m1".into(),
    };
    let id = enqueue_alone(db.pool(), &flaky, with_max_attempts(3)).unwrap();
    let healthy = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicUsize::new(0));
    let mut registry = Registry::new();
    registry.register_job::<Flaky>((healthy.clone(), calls.clone()));
    let worker = Worker::new(db.pool().clone(), registry, settings());

    let base = 0.2_f64;
    for attempt in 1..=2 {
        let before = kindred_db::now();
        let report = worker.run_once().await.unwrap();
        assert_eq!((report.claimed, report.retried), (1, 1), "{report:?}");
        let row = get(&db, &id);
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
    let row = get(&db, &id);
    assert_eq!(row.state, "dead");
    assert_eq!(row.attempts, 3);
    assert_eq!(row.last_error.as_deref(), Some("smtp: 451 try again later"));
    assert!(row.finished_at.is_some());
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(state_counts(&db)["dead"], 1);
    let dead = jobs::list(&mut db.conn(), Some("dead"), None, 50).unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].id, id);

    // An operator retries it: fresh budget, due now.
    assert!(retry_dead(db.pool(), &id));
    assert!(!retry_dead(db.pool(), &id), "only dead jobs");
    let row = get(&db, &id);
    assert_eq!((row.state.as_str(), row.attempts), ("pending", 0));
    assert!(row.finished_at.is_none());
    healthy.store(true, Ordering::SeqCst);
    let report = worker.run_once().await.unwrap();
    assert_eq!(report.done, 1, "{report:?}");
    let row = get(&db, &id);
    assert_eq!((row.state.as_str(), row.attempts), ("done", 1));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(!retry_dead(db.pool(), &id));
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
    let worker = Worker::new(db.pool().clone(), registry, settings());
    let report = worker.run_once().await.unwrap();
    assert_eq!((report.claimed, report.done), (1, 1), "{report:?}");
    assert_eq!(*runs.lock().unwrap(), vec![id.clone()]);
    let row = get(&db, &id);
    assert_eq!(row.state, "done");
    assert_eq!(row.attempts, 2);
    assert_eq!(row.locked_by.as_deref(), Some(worker.worker_id()));

    // The job that had used its only attempt is not run again: dead.
    let row = get(&db, &exhausted);
    assert_eq!(row.state, "dead");
    assert!(row.last_error.unwrap().contains("lease expired"));

    // The ghost wakes up: its outcome is ignored.
    let mut conn = db.conn();
    assert!(!jobs::complete(&mut conn, &id, "ghost").unwrap());
    assert!(!jobs::fail(&mut conn, &id, "ghost", "late", None).unwrap());
    assert_eq!(get(&db, &id).state, "done");
    // The live lease still belongs to "alive".
    assert!(!jobs::complete(&mut conn, &fresh, "ghost").unwrap());
    assert!(jobs::complete(&mut conn, &fresh, "alive").unwrap());
    assert!(!jobs::complete(&mut conn, &fresh, "alive").unwrap(), "once");
}

async fn unknown_kind_and_permanent_errors_are_dead(backend: Backend) {
    let db = TestDb::new(backend);
    let unknown = enqueue(&mut db.conn(), "no_such_kind", None, 5);
    let broken = Broken {
        match_id: "m1".into(),
    };
    let permanent = enqueue_alone(db.pool(), &broken, with_max_attempts(5)).unwrap();
    let panics = enqueue_alone(db.pool(), &Panics {}, with_max_attempts(2)).unwrap();
    let mut registry = Registry::new();
    registry
        .register_job::<Broken>(())
        .register_job::<Panics>(());
    let worker = Worker::new(db.pool().clone(), registry, settings());
    let report = worker.run_once().await.unwrap();
    assert_eq!(
        (report.claimed, report.dead, report.retried),
        (3, 2, 1),
        "{report:?}"
    );
    let row = get(&db, &unknown);
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 1));
    let err = row.last_error.unwrap();
    assert!(
        err.contains("no handler registered for job kind `no_such_kind`"),
        "{err}"
    );
    let row = get(&db, &permanent);
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 1));
    assert_eq!(row.last_error.as_deref(), Some("match m1 no longer exists"));
    // A panic fails the job (retryable), not the worker.
    let row = get(&db, &panics);
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
    let counts = state_counts(&db);
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
            for n in 0..JOBS {
                kindred_jobs::enqueue(c, &Count { n }, with_max_attempts(5))?;
            }
            Ok::<_, kindred_db::DbError>(())
        })
        .unwrap();
    }
    let seen: Seen = Arc::default();
    let registry = |who: &'static str| {
        let mut registry = Registry::new();
        registry.register_job::<Count>((seen.clone(), who));
        registry
    };
    let small_batches = WorkerSettings {
        batch: 5,
        ..settings()
    };
    // Separate pools, as two processes would have.
    let a = Worker::new(db.open_pool(), registry("a"), small_batches.clone());
    let b = Worker::new(db.open_pool(), registry("b"), small_batches);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let ha = tokio::spawn(a.run(shutdown.clone()));
    let hb = tokio::spawn(b.run(shutdown));
    loop {
        let done = state_counts(&db)["done"];
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
            .arg(db.url())
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
    let in_flight = state_counts(&db)["running"];

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
    let c = state_counts(&db);
    assert_eq!(c["done"], JOBS as i64, "{c:?}");
}

async fn a_typed_payload_that_does_not_decode_is_dead(backend: Backend) {
    let db = TestDb::new(backend);
    // A `count` job whose payload lacks `n`.
    let id = enqueue(&mut db.conn(), "count", None, 5);
    let seen: Seen = Arc::default();
    let mut registry = Registry::new();
    registry.register_job::<Count>((seen.clone(), "a"));
    let worker = Worker::new(db.pool().clone(), registry, settings());
    let report = worker.run_once().await.unwrap();
    assert_eq!((report.claimed, report.dead), (1, 1), "{report:?}");
    let row = get(&db, &id);
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 1));
    let err = row.last_error.unwrap();
    assert!(err.contains("does not decode"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
}

/// A rendered email as the outbox stores it.
fn email_json(to: &str) -> String {
    let rendered = kindred_mail::templates::checkin_reminder("A", "B", "http://x/", "footer");
    let email = kindred_mail::OutgoingEmail::new(to, "Kindred <k@example.org>", rendered);
    serde_json::to_string(&email).unwrap()
}

fn queue_email(conn: &mut DbConnection, key: &str) -> String {
    kindred_db::outbox::enqueue(
        conn,
        &kindred_db::outbox::NewEmail {
            user_id: None,
            kind: "checkin_reminder",
            dedupe_key: Some(key),
            recipient: "p@example.org",
            message: &email_json("p@example.org"),
        },
    )
    .unwrap()
    .unwrap()
}

fn memory_mailer() -> kindred_mail::Mailer {
    kindred_mail::Mailer::new(&kindred_mail::TransportConfig::Memory).unwrap()
}

fn outbox_settings() -> OutboxSettings {
    OutboxSettings {
        batch_size: 10,
        max_attempts: 3,
        retry_base: Duration::from_millis(200),
        retry_max: Duration::from_secs(10),
        lease: Duration::from_secs(30),
        poll_interval: Duration::from_millis(20),
        concurrency: 4,
        retention: kindred_jobs::DEFAULT_RETENTION,
    }
}

async fn outbox_leases_have_owners_and_exhausted_leases_are_buried(backend: Backend) {
    use kindred_db::outbox;
    let db = TestDb::new(backend);
    let mut conn = db.conn();
    let a = queue_email(&mut conn, "lease:a");
    let b = queue_email(&mut conn, "lease:b");

    // A "ghost" sender claimed both and died: the leases have run out.
    let claimed = kindred_db::write_tx(&mut conn, |c| {
        outbox::claim_due(c, "ghost", kindred_db::now(), TimeDelta::minutes(-1), 10, 3)
    })
    .unwrap();
    assert_eq!(
        claimed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec![a.as_str(), b.as_str()],
        "in due order"
    );
    assert!(claimed.iter().all(|r| r.state == "sending"
        && r.attempts == 1
        && r.locked_by.as_deref() == Some("ghost")));

    // A rescuer takes them over.
    let rescued = kindred_db::write_tx(&mut conn, |c| {
        outbox::claim_due(
            c,
            "rescuer",
            kindred_db::now(),
            TimeDelta::minutes(5),
            10,
            3,
        )
    })
    .unwrap();
    assert_eq!(rescued.len(), 2);
    assert!(rescued
        .iter()
        .all(|r| r.attempts == 2 && r.locked_by.as_deref() == Some("rescuer")));
    // Nothing else is due: the live leases are not taken.
    let none = kindred_db::write_tx(&mut conn, |c| {
        outbox::claim_due(c, "other", kindred_db::now(), TimeDelta::minutes(5), 10, 3)
    })
    .unwrap();
    assert!(none.is_empty());

    // The ghost wakes up: its outcomes are ignored.
    assert!(!outbox::mark_sent(&mut conn, &a, "ghost").unwrap());
    assert!(!outbox::mark_failed(&mut conn, &b, "ghost", "late", None).unwrap());
    assert!(!outbox::renew(&mut conn, &b, "ghost", kindred_db::now()).unwrap());
    assert!(outbox::mark_sent(&mut conn, &a, "rescuer").unwrap());
    assert!(
        !outbox::mark_sent(&mut conn, &a, "rescuer").unwrap(),
        "once"
    );
    let row = outbox::get(&mut conn, &a).unwrap().unwrap();
    assert_eq!(row.state, "sent");
    assert_eq!(row.message, outbox::SENT_MESSAGE_PLACEHOLDER);
    assert!(row.sent_at.is_some() && row.locked_until.is_none());

    // The rescuer's lease on b runs out too (renewed into the past), on its
    // last attempt under a budget of 2: the next claim buries it.
    let past = kindred_db::now() - TimeDelta::minutes(1);
    assert!(outbox::renew(&mut conn, &b, "rescuer", past).unwrap());
    let claimed = kindred_db::write_tx(&mut conn, |c| {
        outbox::claim_due(c, "third", kindred_db::now(), TimeDelta::minutes(5), 10, 2)
    })
    .unwrap();
    assert!(claimed.is_empty());
    let row = outbox::get(&mut conn, &b).unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("dead", 2));
    assert!(row.last_error.unwrap().contains("lease expired"));
    assert!(!outbox::mark_sent(&mut conn, &b, "rescuer").unwrap());

    // The same engine under jobs: renew keeps a lease its own.
    let job = enqueue(&mut conn, "work", None, 3);
    jobs::claim(
        &mut conn,
        "w1",
        kindred_db::now(),
        TimeDelta::minutes(-1),
        10,
    )
    .unwrap();
    let later = kindred_db::now() + TimeDelta::minutes(5);
    assert!(jobs::renew(&mut conn, &job, "w1", later).unwrap());
    assert!(!jobs::renew(&mut conn, &job, "w2", later).unwrap());
    let taken = jobs::claim(
        &mut conn,
        "w2",
        kindred_db::now(),
        TimeDelta::minutes(5),
        10,
    )
    .unwrap();
    assert!(taken.is_empty(), "a renewed lease is not rescued");

    // The worker records itself as the owner.
    let c = queue_email(&mut conn, "lease:c");
    let worker = OutboxWorker::new(
        db.pool().clone(),
        memory_mailer(),
        outbox_settings(),
        Default::default(),
    );
    let report = worker.deliver_due().await.unwrap();
    assert_eq!((report.sent, report.lost), (1, 0), "{report:?}");
    let row = outbox::get(&mut conn, &c).unwrap().unwrap();
    assert_eq!(row.state, "sent");
    assert_eq!(row.locked_by.as_deref(), Some(worker.owner_id()));
}

async fn workers_purge_finished_rows_after_the_retention(backend: Backend) {
    use kindred_db::schema::outbox as ob;
    let db = TestDb::new(backend);
    let mut conn = db.conn();
    let now = kindred_db::now();
    let old = now - TimeDelta::days(15);
    let recent = now - TimeDelta::days(1);
    let later = now + TimeDelta::days(1);
    let job = |conn: &mut DbConnection, state: &str, finished: Option<chrono::NaiveDateTime>| {
        let id = enqueue(conn, "work", None, 3);
        diesel::update(jobs::jobs::table.find(&id))
            .set((
                jobs::jobs::state.eq(state),
                jobs::jobs::finished_at.eq(finished),
                jobs::jobs::run_at.eq(later),
            ))
            .execute(conn)
            .unwrap();
        id
    };
    let done_old = job(&mut conn, "done", Some(old));
    let done_recent = job(&mut conn, "done", Some(recent));
    let cancelled_old = job(&mut conn, "cancelled", Some(old));
    let dead_old = job(&mut conn, "dead", Some(old));
    let pending = job(&mut conn, "pending", None);
    let email = |conn: &mut DbConnection, key: &str, state: &str, at: chrono::NaiveDateTime| {
        let id = queue_email(conn, key);
        let sent_at = (state == "sent").then_some(at);
        diesel::update(ob::table.find(&id))
            .set((
                ob::state.eq(state),
                ob::sent_at.eq(sent_at),
                ob::created_at.eq(at),
                ob::next_attempt_at.eq(later),
            ))
            .execute(conn)
            .unwrap();
        id
    };
    let sent_old = email(&mut conn, "p:1", "sent", old);
    let sent_recent = email(&mut conn, "p:2", "sent", recent);
    let cancelled_email = email(&mut conn, "p:3", "cancelled", old);
    let dead_email = email(&mut conn, "p:4", "dead", old);
    let pending_email = email(&mut conn, "p:5", "pending", old);

    let job_ids = |conn: &mut DbConnection| -> Vec<String> {
        let mut ids: Vec<String> = jobs::list(conn, None, None, 100)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    let email_ids = |conn: &mut DbConnection| -> Vec<String> {
        let mut ids: Vec<String> = kindred_db::outbox::list(conn, None, None, 100)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    // The plain functions: a week's retention takes the old finished rows only.
    let week = Duration::from_secs(7 * 24 * 3600);
    assert_eq!(kindred_jobs::purge_jobs(&mut conn, now, week).unwrap(), 2);
    assert_eq!(kindred_jobs::purge_outbox(&mut conn, now, week).unwrap(), 2);
    assert_eq!(
        job_ids(&mut conn),
        sorted(vec![done_recent.clone(), dead_old.clone(), pending.clone()])
    );
    assert_eq!(
        email_ids(&mut conn),
        sorted(vec![
            sent_recent.clone(),
            dead_email.clone(),
            pending_email.clone()
        ])
    );
    assert!(!job_ids(&mut conn).contains(&done_old));
    assert!(!job_ids(&mut conn).contains(&cancelled_old));
    assert!(!email_ids(&mut conn).contains(&sent_old));
    assert!(!email_ids(&mut conn).contains(&cancelled_email));
    assert_eq!(kindred_jobs::purge_jobs(&mut conn, now, week).unwrap(), 0);

    // The running workers purge when they start: with an hour's retention the
    // recent finished rows go too; dead and unfinished rows stay.
    let hour = Duration::from_secs(3600);
    let worker = Worker::new(
        db.pool().clone(),
        Registry::new(),
        WorkerSettings {
            retention: hour,
            ..settings()
        },
    );
    let outbox = OutboxWorker::new(
        db.pool().clone(),
        memory_mailer(),
        OutboxSettings {
            retention: hour,
            ..outbox_settings()
        },
        Default::default(),
    );
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let tasks = [
        tokio::spawn(worker.clone().run(shutdown.clone())),
        tokio::spawn(outbox.run(shutdown)),
    ];
    let started = Instant::now();
    while job_ids(&mut conn).contains(&done_recent) || email_ids(&mut conn).contains(&sent_recent) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the workers did not purge"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(job_ids(&mut conn), sorted(vec![dead_old, pending]));
    assert_eq!(
        email_ids(&mut conn),
        sorted(vec![dead_email, pending_email])
    );
    // Nothing is left for an explicit purge.
    assert_eq!(worker.purge_finished().await.unwrap(), 0);
}
