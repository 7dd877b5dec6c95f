//! `kindred worker` as a real process: SIGKILL in the middle of sending
//! loses nothing and duplicates at most the in-flight batch; two workers on
//! one PostgreSQL deliver each email exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kindred_testkit::{Backend, SmtpSink, TestDb};

/// Rows one worker claims at a time: the most that can be in flight at a crash.
const BATCH: usize = 20;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn enqueue(pool: &kindred_db::Pool, n: usize) {
    let mut conn = pool.get().unwrap();
    kindred_db::write_tx(&mut conn, |conn| -> kindred_db::DbResult<()> {
        for i in 0..n {
            let to = format!("p{i}@example.org");
            let rendered =
                kindred_mail::templates::checkin_reminder("A", "B", "http://x/", "footer");
            let email = kindred_mail::OutgoingEmail::new(&to, "Kindred <k@example.org>", rendered);
            kindred_db::outbox::enqueue(
                conn,
                &kindred_db::outbox::NewEmail {
                    user_id: None,
                    kind: "checkin_reminder",
                    dedupe_key: Some(&format!("crash:{i}")),
                    recipient: &to,
                    message: &serde_json::to_string(&email).unwrap(),
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
}

fn worker(url: &str, sink: &SmtpSink) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kindred"))
        .arg("worker")
        .env("KINDRED_CONFIG_DIR", root().join("config"))
        .env("KINDRED_ENV", "test")
        .env("KINDRED__DATABASE__URL", url)
        .env("KINDRED__MAIL__TRANSPORT", "smtp")
        .env("KINDRED__MAIL__SMTP_URL", sink.url())
        .env("KINDRED__MAIL__BATCH_SIZE", BATCH.to_string())
        .env("KINDRED__MAIL__SMTP_POOL_SIZE", "4")
        .env("KINDRED__JOBS__LEASE", "2s")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start kindred worker")
}

/// (received, distinct Message-IDs)
fn counts(sink: &SmtpSink) -> (usize, usize) {
    let mut ids: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| m.header("Message-ID").unwrap_or_default().to_string())
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    (total, ids.len())
}

fn wait_for(sink: &SmtpSink, unique: usize, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while counts(sink).1 < unique {
        assert!(
            Instant::now() < deadline,
            "only {:?} of {unique} arrived",
            counts(sink)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn sent_rows(pool: &kindred_db::Pool) -> i64 {
    kindred_db::outbox::count_in_state(&mut pool.get().unwrap(), kindred_db::outbox::SENT).unwrap()
}

fn crash_and_restart(db: &TestDb) {
    const N: usize = 1000;
    let (url, pool) = (db.url(), db.pool());
    enqueue(pool, N);
    let sink = SmtpSink::start_blocking();
    sink.set_delay(Duration::from_millis(3));
    let mut first = worker(url, &sink);
    wait_for(&sink, 300, 60);
    first.kill().unwrap(); // SIGKILL: no chance to finish or clean up
    first.wait().unwrap();
    let at_kill = counts(&sink);
    let mut second = worker(url, &sink);
    wait_for(&sink, N, 90);
    // Delivered is not yet recorded: the second worker marks its last batch
    // sent right after the SMTP exchange. Give it until then (a loaded CI
    // machine can take longer than a fixed pause).
    let deadline = Instant::now() + Duration::from_secs(30);
    while sent_rows(pool) < i64::try_from(N).unwrap() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    second.kill().unwrap();
    second.wait().unwrap();
    let (total, unique) = counts(&sink);
    let duplicates = total - unique;
    println!("crash test ({url}): killed after {} delivered; {total} received, {unique} distinct, {duplicates} duplicated", at_kill.0);
    assert_eq!(unique, N, "none lost");
    assert!(
        duplicates <= BATCH,
        "duplicates ({duplicates}) at most the in-flight batch ({BATCH})"
    );
    assert_eq!(
        sent_rows(pool),
        i64::try_from(N).unwrap(),
        "every row ends sent"
    );
}

#[test]
fn sigkill_mid_send_loses_nothing_sqlite() {
    crash_and_restart(&TestDb::new(Backend::Sqlite));
}

#[test]
fn sigkill_mid_send_loses_nothing_postgres() {
    crash_and_restart(&TestDb::new(Backend::Postgres));
}

#[test]
fn two_workers_on_one_postgres_send_each_email_once() {
    const N: usize = 1000;
    let db = TestDb::new(Backend::Postgres);
    let (url, pool) = (db.url(), db.pool());
    let sink = SmtpSink::start_blocking();
    sink.set_delay(Duration::from_millis(1));
    let mut a = worker(url, &sink);
    let mut b = worker(url, &sink);
    // Enqueue while both are already polling, so they compete for every batch.
    std::thread::sleep(Duration::from_millis(500));
    enqueue(pool, N);
    wait_for(&sink, N, 90);
    std::thread::sleep(Duration::from_secs(1));
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
    let (total, unique) = counts(&sink);
    println!(
        "two workers: {total} received, {unique} distinct, {} connections",
        sink.connections_accepted()
    );
    assert_eq!((total, unique), (N, N), "each email exactly once");
}
