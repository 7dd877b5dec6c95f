//! The mail outbox over real SMTP: outages are retried, permanent failures
//! and exhausted retries end `dead`, and every attempt is recorded.

use std::time::Duration;

use kindred_db::models::OutboxRow;
use kindred_tests::{both_backends, Db, TestApp};
use serde_json::json;

both_backends!(
    smtp_outage_is_retried_until_delivered,
    permanent_failures_and_exhausted_retries_are_dead
);

async fn outbox_rows(app: &TestApp) -> Vec<OutboxRow> {
    app.with_db(|conn| {
        use diesel::prelude::*;
        use kindred_db::schema::outbox;
        outbox::table
            .order(outbox::created_at.asc())
            .select(OutboxRow::as_select())
            .load(conn)
            .unwrap()
    })
    .await
}

async fn wait_until(
    app: &TestApp,
    what: &str,
    pred: impl Fn(&[OutboxRow]) -> bool,
) -> Vec<OutboxRow> {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let rows = outbox_rows(app).await;
        if pred(&rows) {
            return rows;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn register(email: &str) -> serde_json::Value {
    json!({"email": email, "password": "a long passphrase", "display_name": "Q", "role": "mentee"})
}

async fn smtp_outage_is_retried_until_delivered(db: Db) {
    let app = TestApp::spawn(db).await;
    app.sink.set_down(true);
    let res = app
        .post("/auth/register", None, &register("outage@example.org"))
        .await;
    assert_eq!(res.status, 202, "registration does not wait for SMTP");
    // `attempts` counts attempts started (it is raised when a row is
    // claimed): two have *failed* once the second one is back to pending.
    let rows = wait_until(&app, "two failed attempts", |rows| {
        rows.first()
            .is_some_and(|r| r.attempts >= 2 && r.state == "pending")
    })
    .await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].last_error.as_deref().is_some_and(|e| !e.is_empty()));
    assert!(app.sink.messages().is_empty());
    app.sink.set_down(false);
    let mail = app
        .email_to("outage@example.org", "verification code")
        .await;
    assert!(mail.text_body.unwrap().contains("Verification code: "));
    let rows = wait_until(&app, "sent", |rows| rows[0].state == "sent").await;
    assert!(rows[0].sent_at.is_some());
    assert!(
        rows[0].attempts >= 3,
        "failed attempts stay counted: {}",
        rows[0].attempts
    );
    assert_eq!(
        app.sink.messages_to("outage@example.org").len(),
        1,
        "delivered once"
    );
    app.stop().await;
}

async fn permanent_failures_and_exhausted_retries_are_dead(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.mail.max_attempts = 3;
        s.metrics.public = true;
    })
    .await;
    app.expect_dead();
    app.sink.reject_recipient("bounce@");
    app.post("/auth/register", None, &register("bounce@example.org"))
        .await;
    let rows = wait_until(&app, "dead after a 550", |rows| {
        rows.first().is_some_and(|r| r.state == "dead")
    })
    .await;
    assert_eq!(rows[0].attempts, 1, "a permanent failure is not retried");
    assert!(
        rows[0].last_error.as_deref().unwrap().contains("550"),
        "{:?}",
        rows[0].last_error
    );

    app.sink.set_down(true);
    app.post("/auth/register", None, &register("down@example.org"))
        .await;
    let rows = wait_until(&app, "dead after max_attempts", |rows| {
        rows.iter()
            .any(|r| r.recipient == "down@example.org" && r.state == "dead")
    })
    .await;
    let row = rows
        .iter()
        .find(|r| r.recipient == "down@example.org")
        .unwrap();
    assert_eq!(row.attempts, 3);
    let metrics = app.get("/metrics", None).await;
    assert!(
        metrics.text.contains("kindred_outbox_dead 2"),
        "{}",
        metrics.text
    );
    app.stop().await;
}
