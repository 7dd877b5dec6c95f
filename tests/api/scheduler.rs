//! The scheduler over real SMTP with durations in seconds: reminders and
//! expiry, introductions with a calendar, check-in reminders inside the
//! send window with one-click unsubscribe, stalled-match alerts, the digest,
//! dead jobs, and erasure cancelling pending work.

use std::time::Duration;

use kindred_tests::{both_backends, Db, TestApp};
use serde_json::json;

both_backends!(
    mentor_reminder_then_expiry,
    introductions_carry_contacts_and_a_calendar,
    checkin_reminders_unsubscribe_and_stalled_alert,
    digest_and_dead_jobs,
    erasure_cancels_pending_jobs,
);

fn seconds(s: u64) -> kindred_config::Duration {
    kindred_config::Duration::from_secs(s)
}

/// An active (or awaiting) match between a fresh mentor and mentee.
async fn matched(
    app: &TestApp,
    coordinator: &str,
    accept: bool,
) -> (kindred_tests::Person, kindred_tests::Person, String) {
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, request) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(coordinator, &mentor.id, &request).await;
    let res = app
        .post(
            &format!("/matches/{m}/approve"),
            Some(coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    if accept {
        let res = app
            .post(
                &format!("/matches/{m}/accept"),
                Some(&mentor.token),
                &json!({}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    (mentor, mentee, m)
}

async fn mentor_reminder_then_expiry(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.matching.response_timeout = seconds(3)).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (mentor, _mentee, m) = matched(&app, &coordinator, false).await;
    let notice = app
        .email_to(&mentor.email, "A new Kindred mentee match")
        .await;
    assert!(
        notice.header("List-Unsubscribe").is_none(),
        "the notice itself is not optional"
    );
    let reminder = app
        .email_to(&mentor.email, "Reminder: a Kindred match is waiting")
        .await;
    assert!(reminder
        .header("List-Unsubscribe")
        .unwrap()
        .contains("/api/v1/unsubscribe?token="));
    assert_eq!(
        reminder.header("List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(
        reminder.html_body.is_some()
            && reminder
                .text_body
                .as_deref()
                .unwrap()
                .contains("Peer support does not replace")
    );
    app.email_to(&mentor.email, "suggestion has expired").await;
    app.email_to("coord@example.org", "expired without an answer")
        .await;
    let res = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(res.body["state"], "expired");
    let events = app
        .get(&format!("/matches/{m}/events"), Some(&coordinator))
        .await;
    let last = events.body.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to_state"], "expired");
    assert_eq!(last["actor_role"], "system");
    let request = res.body["request_id"].as_str().unwrap();
    let req = app
        .get(&format!("/requests/{request}"), Some(&coordinator))
        .await;
    assert_eq!(req.body["state"], "open", "the request reopens");
    // Exactly one reminder and one expiry notice, however long we wait.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        app.sink
            .messages_to(&mentor.email)
            .iter()
            .filter(|e| e.subject.starts_with("Reminder"))
            .count(),
        1
    );
    assert_eq!(
        app.sink
            .messages_to(&mentor.email)
            .iter()
            .filter(|e| e.subject.contains("expired"))
            .count(),
        1
    );
    app.stop().await;
}

async fn introductions_carry_contacts_and_a_calendar(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (mentor, mentee, _m) = matched(&app, &coordinator, true).await;
    for (me, other) in [(&mentor, &mentee), (&mentee, &mentor)] {
        let intro = app.email_to(&me.email, "Meet your Kindred match").await;
        assert_eq!(intro.rcpt_to, vec![me.email.clone()]);
        let text = intro.text_body.as_deref().unwrap();
        assert!(text.contains(&other.email), "the other's contact email");
        assert!(text.contains("Test Person"), "the other's display name");
        // Shared public tags by their taxonomy label, not the slug.
        assert!(text.contains("Bisexual"), "shared public tags");
        assert!(!text.contains("coming-out-at-work"), "labels, not slugs");
        assert!(
            !text.contains("domestic-abuse-survivor"),
            "never a private tag"
        );
        assert!(text.contains("Peer support does not replace"));
        assert!(intro.html_body.as_deref().unwrap().contains(&other.email));
        assert!(
            intro.header("List-Unsubscribe").is_none(),
            "introductions are not unsubscribable"
        );
        let (name, content_type, bytes) = intro
            .attachments
            .iter()
            .find(|a| a.0.ends_with(".ics"))
            .expect("a calendar attachment");
        assert!(
            content_type.starts_with("text/calendar"),
            "{name}: {content_type}"
        );
        // Names and descriptions may be non-ASCII: the part says its charset.
        let raw = intro.raw.to_ascii_lowercase();
        assert!(
            raw.contains("content-type: text/calendar; charset=utf-8"),
            "{name}: the calendar part declares its charset"
        );
        let ics = String::from_utf8(bytes.clone()).unwrap();
        assert!(ics.contains("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"));
        assert!(ics.contains("DTSTART;TZID=Europe/Madrid:"), "{ics}");
        // Both are free on Mondays 18:00–20:30 in Madrid: the event is then.
        assert!(ics.contains("T180000"), "{ics}");
        assert!(ics.contains("RRULE:FREQ="), "{ics}");
    }
    app.stop().await;
}

async fn checkin_reminders_unsubscribe_and_stalled_alert(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.schedule.checkin_interval = seconds(3);
        s.schedule.stalled_after_missed = 2;
    })
    .await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (mentor, mentee, m) = matched(&app, &coordinator, true).await;
    // The mentee checks in during the first period; the mentor does not.
    let res = app
        .post(
            &format!("/matches/{m}/check-ins"),
            Some(&mentee.token),
            &json!({"rating": 5, "needs_support": false}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);

    let reminder = app
        .email_to(&mentor.email, "Time for your Kindred check-in")
        .await;
    assert!(reminder
        .text_body
        .as_deref()
        .unwrap()
        .contains("Peer support does not replace"));
    let url = reminder
        .header("List-Unsubscribe")
        .unwrap()
        .trim_matches(|c| c == '<' || c == '>')
        // Links use server.public_url; the test server listens on a random port.
        .replace("http://127.0.0.1:8080", &app.base);
    // The mentee's period-1 job ran and queued nothing: they had checked in.
    let key = format!("checkin_reminder:{m}:{}:1", mentee.id);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let k = key.clone();
        let done = app
            .with_db(move |c| {
                kindred_db::jobs::get_by_unique_key(c, &k)
                    .unwrap()
                    .is_some_and(|j| j.state == "done")
            })
            .await;
        if done {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mentee's first check-in job never ran"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let k = key.clone();
    let queued = app
        .with_db(move |c| {
            kindred_db::outbox::list(c, None, None, 1000)
                .unwrap()
                .into_iter()
                .any(|r| r.dedupe_key.as_deref() == Some(k.as_str()))
        })
        .await;
    assert!(
        !queued,
        "a person who checked in is not reminded that period"
    );

    // One-click unsubscribe (RFC 8058) switches the reminders off.
    let res = app
        .client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    let res = TestApp::read(res).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["unsubscribed"], "checkin_reminders");
    let prefs = app.get("/me/notifications", Some(&mentor.token)).await;
    assert_eq!(prefs.body["checkin_reminders"], false);
    let tampered = format!("{url}x");
    TestApp::read(app.client.post(&tampered).send().await.unwrap())
        .await
        .problem(403);
    let before = app
        .sink
        .messages_to(&mentor.email)
        .iter()
        .filter(|e| e.subject.contains("check-in"))
        .count();

    // Nobody checks in for two whole periods: the coordinator is told, once.
    app.email_to("coord@example.org", "has gone quiet").await;
    // The mentee, who did not check in again, is reminded in a later period.
    app.email_to(&mentee.email, "Time for your Kindred check-in")
        .await;
    let after = app
        .sink
        .messages_to(&mentor.email)
        .iter()
        .filter(|e| e.subject.contains("check-in"))
        .count();
    assert!(
        after <= before + 1,
        "at most one reminder already queued before unsubscribing: {before} -> {after}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        app.sink
            .messages_to("coord@example.org")
            .iter()
            .filter(|e| e.subject.contains("gone quiet"))
            .count(),
        1
    );

    // Ending the match stops the reminders.
    app.post(
        &format!("/matches/{m}/end"),
        Some(&mentee.token),
        &json!({"reason": "done"}),
    )
    .await;
    app.wait_outbox_idle().await;
    let n = app.sink.messages_to(&mentee.email).len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    app.wait_outbox_idle().await;
    assert_eq!(
        app.sink.messages_to(&mentee.email).len(),
        n,
        "no reminders after the match ended"
    );
    app.stop().await;
}

async fn digest_and_dead_jobs(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.schedule.digest_interval = seconds(2)).await;
    // A job of a kind nobody handles is made to die below.
    app.expect_dead();
    let coordinator = app.coordinator("coord@example.org").await;
    let digest = app
        .email_to("coord@example.org", "Kindred coordinator digest")
        .await;
    assert!(
        digest.header("List-Unsubscribe").is_some(),
        "the digest is optional"
    );
    assert!(
        digest
            .text_body
            .as_deref()
            .unwrap()
            .contains("/console/matches"),
        "the digest links to the console's proposals"
    );

    // A job nobody can run ends dead, visible with its error, and can be retried.
    let id = app
        .with_db(|conn| {
            kindred_jobs::enqueue_in(
                conn,
                &kindred_jobs::JobSpec::new("no_such_kind", json!({})),
                3,
            )
            .unwrap()
            .unwrap()
        })
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let dead = loop {
        let res = app
            .get("/api/v1/admin/jobs?state=dead", Some(&coordinator))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        if let Some(job) = res.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["id"] == id.as_str())
        {
            break job.clone();
        }
        assert!(std::time::Instant::now() < deadline, "the job never died");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(dead["last_error"].as_str().unwrap().contains("no handler"));
    let (mentee, _) = app.signup("m@example.org", "mentee").await;
    app.get("/api/v1/admin/jobs?state=dead", Some(&mentee))
        .await
        .problem(403);
    app.post(
        &format!("/api/v1/admin/jobs/{id}/retry"),
        Some(&mentee),
        &json!({}),
    )
    .await
    .problem(403);
    let res = app
        .post(
            &format!("/api/v1/admin/jobs/{id}/retry"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["attempts"], 0);
    app.post(
        "/api/v1/admin/jobs/no-such-id/retry",
        Some(&coordinator),
        &json!({}),
    )
    .await
    .problem(404);
    app.stop().await;
}

async fn erasure_cancels_pending_jobs(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (_mentor, mentee, _m) = matched(&app, &coordinator, true).await;
    let uid = mentee.id.clone();
    let pending = move |conn: &mut kindred_db::DbConnection| {
        kindred_db::jobs::list(conn, Some("pending"), None, 1000)
            .unwrap()
            .into_iter()
            .filter(|j| j.subject_user_id.as_deref() == Some(uid.as_str()))
            .count()
    };
    let p = pending.clone();
    assert!(
        app.with_db(move |c| p(c)).await > 0,
        "check-in reminders are scheduled"
    );
    assert_eq!(app.delete("/me", Some(&mentee.token)).await.status, 204);
    assert_eq!(app.with_db(move |c| pending(c)).await, 0);
    // Job payloads carry ids, never personal data.
    let payloads: Vec<String> = app
        .with_db(|conn| {
            kindred_db::jobs::list(conn, None, None, 1000)
                .unwrap()
                .into_iter()
                .map(|j| j.payload)
                .collect()
        })
        .await;
    assert!(payloads.iter().all(|p| !p.contains('@')), "{payloads:?}");
    app.stop().await;
}
