//! `TestDb` and `both_backends!`: a fresh, migrated database per call on either backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kindred_testkit::{both_backends, Backend, TestDb};

both_backends!(a_test_db_is_fresh_and_migrated);

async fn a_test_db_is_fresh_and_migrated(backend: Backend) {
    let (a, b) = tokio::task::spawn_blocking(move || (TestDb::new(backend), TestDb::new(backend)))
        .await
        .unwrap();
    assert_ne!(a.url(), b.url(), "two databases");
    assert_eq!(a.backend(), backend);
    assert_eq!(a.conn().backend(), backend);
    // Migrated: migrating again applies nothing; the tables are there and empty.
    assert!(kindred_db::migrate_with(&mut a.conn(), |_| Ok(()))
        .unwrap()
        .is_empty());
    assert_eq!(
        kindred_db::outbox::count_in_state(&mut a.conn(), kindred_db::outbox::PENDING).unwrap(),
        0
    );
    // A second pool sees the same database; the other database does not.
    let row = kindred_db::outbox::enqueue(
        &mut a.conn(),
        &kindred_db::outbox::NewEmail {
            user_id: None,
            kind: "test",
            dedupe_key: None,
            recipient: "p@example.org",
            message: "{}",
        },
    )
    .unwrap();
    assert!(row.is_some());
    let other_pool = a.open_pool();
    let pending = |conn: &mut kindred_db::DbConnection| {
        kindred_db::outbox::count_in_state(conn, kindred_db::outbox::PENDING).unwrap()
    };
    assert_eq!(pending(&mut other_pool.get().unwrap()), 1);
    assert_eq!(pending(&mut b.conn()), 0);
}
