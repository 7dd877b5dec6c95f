//! Role × route matrix: every lifecycle and coordinator route tried as
//! anonymous, another mentee, another mentor, the match's mentee, its mentor
//! and a coordinator. Mutating routes are called with inputs that the allowed
//! actors would have rejected for state or validation reasons (409/422), so
//! the fixture stays the same across the whole matrix.

use kindred_tests::{both_backends, profile_body, Db, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

both_backends!(role_route_matrix);

const ACTORS: [&str; 6] = [
    "anonymous",
    "other_mentee",
    "other_mentor",
    "mentee",
    "mentor",
    "coordinator",
];

async fn role_route_matrix(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, request_id) = app.mentee_with_request("mentee@example.org").await;
    let other_mentor = app.mentor("other-mentor@example.org", 2).await;
    let (other_mentee_token, _) = app.signup("other-mentee@example.org", "mentee").await;
    app.put(
        "/me/mentee-profile",
        Some(&other_mentee_token),
        &profile_body("mentee"),
    )
    .await;
    let m = app.propose(&coordinator, &mentor.id, &request_id).await;
    app.activate(&coordinator, &mentor.token, &m).await;
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal", "dry_run": true}),
        )
        .await;
    let run_id = run.body["id"].as_str().unwrap().to_string();

    let tokens: Vec<Option<&str>> = vec![
        None,
        Some(&other_mentee_token),
        Some(&other_mentor.token),
        Some(&mentee.token),
        Some(&mentor.token),
        Some(&coordinator),
    ];
    let no_reason = json!({});
    let tag =
        json!({"slug": "bisexual", "label": "Bisexual", "category": "identity", "sensitive": true});
    let pair = json!({"mentor_id": mentor.id, "request_id": request_id});
    let dry = json!({"mode": "optimal", "dry_run": true});
    let bad_check_in = json!({"rating": 9});
    // (method, path, body, expected for each actor in ACTORS order)
    let rows: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::GET,
            "/me".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            "/me/mentee-profile".into(),
            None,
            [401, 200, 404, 200, 404, 404],
        ),
        (
            Method::GET,
            format!("/mentors/{}", mentor.id),
            None,
            [401, 404, 404, 200, 200, 200],
        ),
        (
            Method::GET,
            "/profiles?role=mentor".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/tags".into(),
            Some(tag),
            [401, 403, 403, 403, 403, 409],
        ),
        (
            Method::GET,
            format!("/requests/{request_id}"),
            None,
            [401, 404, 404, 200, 404, 200],
        ),
        (
            Method::DELETE,
            format!("/requests/{request_id}"),
            None,
            [401, 404, 404, 409, 404, 403],
        ),
        (
            Method::GET,
            "/requests?state=open".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            format!("/requests/{request_id}/suggestions"),
            None,
            [401, 404, 404, 403, 404, 200],
        ),
        (
            Method::POST,
            "/matching-runs".into(),
            Some(dry),
            [401, 403, 403, 403, 403, 201],
        ),
        (
            Method::GET,
            format!("/matching-runs/{run_id}"),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/matches".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/matches".into(),
            Some(pair),
            [401, 403, 403, 403, 403, 409],
        ),
        (
            Method::GET,
            format!("/matches/{m}"),
            None,
            [401, 404, 404, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/matches/{m}/events"),
            None,
            [401, 404, 404, 403, 403, 200],
        ),
        (
            Method::POST,
            format!("/matches/{m}/approve"),
            Some(no_reason.clone()),
            [401, 404, 404, 403, 403, 409],
        ),
        (
            Method::POST,
            format!("/matches/{m}/reject"),
            Some(json!({"reason": "x"})),
            [401, 404, 404, 403, 403, 409],
        ),
        (
            Method::POST,
            format!("/matches/{m}/accept"),
            Some(no_reason.clone()),
            [401, 404, 404, 403, 409, 403],
        ),
        (
            Method::POST,
            format!("/matches/{m}/decline"),
            Some(no_reason.clone()),
            [401, 404, 404, 403, 409, 403],
        ),
        (
            Method::POST,
            format!("/matches/{m}/end"),
            Some(no_reason),
            [401, 404, 404, 422, 422, 422],
        ),
        (
            Method::GET,
            format!("/matches/{m}/check-ins"),
            None,
            [401, 404, 404, 200, 200, 200],
        ),
        (
            Method::POST,
            format!("/matches/{m}/check-ins"),
            Some(bad_check_in),
            [401, 404, 404, 422, 422, 403],
        ),
        (
            Method::GET,
            "/check-ins?needs_support=true".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/reports".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        // The safety inbox; handling unknown ids, so nothing changes.
        (
            Method::GET,
            "/safety/inbox?state=all".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/reports/no-such-report/handled".into(),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        (
            Method::DELETE,
            "/reports/no-such-report/handled".into(),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        (
            Method::POST,
            "/check-ins/no-such-check-in/handled".into(),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        (
            Method::DELETE,
            "/check-ins/no-such-check-in/handled".into(),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            "/api/v1/metrics/programme".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        // CSV import and export (the import's body must be text/csv: 415
        // once the caller may import at all).
        (
            Method::POST,
            "/admin/imports".into(),
            Some(json!({"email": "x@example.org"})),
            [401, 403, 403, 403, 403, 415],
        ),
        (
            Method::GET,
            "/admin/imports/no-such-import".into(),
            None,
            [401, 403, 403, 403, 403, 404],
        ),
        (
            Method::GET,
            "/admin/exports/participants.csv".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::GET,
            "/admin/exports/matches.csv".into(),
            None,
            [401, 403, 403, 403, 403, 200],
        ),
        (
            Method::POST,
            "/me/consents".into(),
            Some(json!({"sensitive_tags": true})),
            [401, 200, 200, 200, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &rows {
        for (i, token) in tokens.iter().enumerate() {
            let res = app
                .request(method.clone(), path, *token, body.as_ref())
                .await;
            if res.status.as_u16() != expected[i] {
                failures.push(format!(
                    "{method} {path} as {}: expected {}, got {} {}",
                    ACTORS[i], expected[i], res.status, res.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Scoped lists: strangers see none of this match; participants see it.
    for (token, n) in [
        (&other_mentee_token, 0),
        (&other_mentor.token, 0),
        (&mentee.token, 1),
        (&mentor.token, 1),
    ] {
        let res = app.get("/matches", Some(token)).await;
        assert_eq!(res.body["items"].as_array().unwrap().len(), n);
    }
    // Nothing in the matrix changed the match.
    let res = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(res.body["state"], "active");
    app.stop().await;
}
