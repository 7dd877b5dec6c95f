//! The test app checks itself: a test that leaves a dead job or email
//! behind fails when its `TestApp` is dropped, unless it said it expects one.

use std::time::Duration;

use kindred_tests::{Db, TestApp};
use serde_json::json;

/// Enqueues a job of a kind nobody handles and waits until the worker has
/// given up on it.
async fn leave_a_dead_job(app: &TestApp) {
    app.with_db(|conn| {
        kindred_jobs::enqueue_in(
            conn,
            &kindred_jobs::JobSpec::new("no_such_kind", json!({})),
            1,
        )
        .unwrap()
        .unwrap()
    })
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.dead_counts().0 == 0 {
        assert!(std::time::Instant::now() < deadline, "the job never died");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[should_panic(expected = "1 job(s) and 0 email(s) ended dead")]
async fn a_dead_job_fails_the_test_on_drop() {
    let app = TestApp::spawn(Db::Sqlite).await;
    leave_a_dead_job(&app).await;
    drop(app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expected_dead_job_does_not() {
    let app = TestApp::spawn(Db::Sqlite).await;
    app.expect_dead();
    leave_a_dead_job(&app).await;
    assert_eq!(app.dead_counts(), (1, 0));
    drop(app);
}
