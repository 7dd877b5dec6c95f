//! Coordinator alerts batched when they flood: a burst of reports from many
//! people gives each coordinator one alert at once and, at the end of the
//! window, one summary with the count; a check-in asking for support still
//! alerts at once, because no alert of its kind was sent in the window.

use std::time::{Duration, Instant};

use kindred_tests::{both_backends, Db, TestApp};
use serde_json::json;

both_backends!(a_burst_of_reports_gives_one_alert_then_one_summary);

const WINDOW_SECS: u64 = 4;
const REPORTS: usize = 30;

fn subjects(app: &TestApp, to: &str, part: &str) -> Vec<String> {
    app.sink
        .messages_to(to)
        .into_iter()
        .map(|m| m.subject)
        .filter(|s| s.contains(part))
        .collect()
}

async fn a_burst_of_reports_gives_one_alert_then_one_summary(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.safety.alert_batch_window = kindred_config::Duration::from_secs(WINDOW_SECS);
    })
    .await;
    let coordinators = ["coord1@example.org", "coord2@example.org"];
    let mut coordinator_token = String::new();
    for c in coordinators {
        coordinator_token = app.coordinator(c).await;
    }
    let (_, reported) = app.signup("reported@example.org", "mentor").await;
    let mut reporters = Vec::new();
    for i in 0..6 {
        reporters.push(
            app.signup(&format!("reporter{i}@example.org"), "mentee")
                .await,
        );
    }

    // 30 reports from six people, all at once.
    let secret = "The unmistakable words of report";
    let started = Instant::now();
    let posts = (0..REPORTS).map(|i| {
        let (token, _) = &reporters[i % reporters.len()];
        let body = json!({"about_user_id": reported, "reason": format!("{secret} {i}")});
        let app = &app;
        async move { app.post("/reports", Some(token), &body).await }
    });
    for res in futures_util::future::join_all(posts).await {
        assert_eq!(res.status, 201, "{}", res.text);
    }
    app.wait_outbox_idle().await;
    let in_window = started.elapsed() < Duration::from_secs(WINDOW_SECS - 1);
    for c in coordinators {
        assert_eq!(
            subjects(&app, c, "a new concern was reported").len(),
            1,
            "one immediate alert to {c}"
        );
        if in_window {
            assert!(subjects(&app, c, "since the last alert").is_empty());
        }
    }

    // At the end of the window: one summary each, with the count.
    for c in coordinators {
        let summary = app.email_to(c, "since the last alert").await;
        assert_eq!(
            summary.subject,
            format!("Kindred: {} more reports since the last alert", REPORTS - 1)
        );
        let text = summary.text_body.as_deref().unwrap();
        assert!(text.contains("/api/v1/reports"), "{text}");
        assert!(text.contains("116 123"), "the support footer: {text}");
        let html = summary.html_body.as_deref().unwrap();
        assert!(html.contains("support-footer"), "{html}");
        for (_, reporter_id) in &reporters {
            assert!(!text.contains(reporter_id.as_str()) && !html.contains(reporter_id.as_str()));
        }
        assert!(!text.contains(secret) && !html.contains(secret));
        assert!(!text.contains(&reported) && !text.contains("reporter0@"));
    }
    // Nothing more arrives: still exactly one alert and one summary each.
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.wait_outbox_idle().await;
    for c in coordinators {
        assert_eq!(subjects(&app, c, "a new concern was reported").len(), 1);
        assert_eq!(subjects(&app, c, "since the last alert").len(), 1);
    }
    let reports = app
        .get("/reports?limit=100", Some(&coordinator_token))
        .await;
    assert_eq!(reports.body["items"].as_array().unwrap().len(), REPORTS);

    // A check-in asking for support is another kind: no alert of it was sent
    // in the window, so it alerts at once.
    let mentor = app.mentor("mentor@example.org", 1).await;
    let (mentee, request) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(&coordinator_token, &mentor.id, &request).await;
    app.activate(&coordinator_token, &mentor.token, &m).await;
    let res = app
        .post(
            &format!("/matches/{m}/check-ins"),
            Some(&mentee.token),
            &json!({"rating": 1, "needs_support": true}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.wait_outbox_idle().await;
    for c in coordinators {
        assert_eq!(subjects(&app, c, "asks for support").len(), 1, "{c}");
    }

    // Once a whole window has passed without reports, the next one alerts
    // at once again.
    tokio::time::sleep(Duration::from_secs(WINDOW_SECS + 1)).await;
    let (token, _) = &reporters[0];
    let res = app
        .post(
            "/reports",
            Some(token),
            &json!({"about_user_id": reported, "reason": "Again."}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.wait_outbox_idle().await;
    for c in coordinators {
        assert_eq!(subjects(&app, c, "a new concern was reported").len(), 2);
        assert_eq!(subjects(&app, c, "since the last alert").len(), 1);
    }
    app.stop().await;
}
