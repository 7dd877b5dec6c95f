//! Blocks and reports outlive erasure: a blocked and reported person who
//! erases their account and registers again with the same email is still
//! never proposed to the person who blocked them (matching runs,
//! suggestions, manual pairing), and coordinators see on the new account
//! that an earlier account with that email was reported (how often, when),
//! without the erased data.

use diesel::prelude::*;
use kindred_tests::{both_backends, profile_body, Db, TestApp};
use serde_json::{json, Value};

both_backends!(
    a_block_and_a_report_follow_the_person_across_erasure,
    a_block_by_the_erased_person_follows_them_too,
    erasure_keeps_no_identity_without_a_block_or_report
);

fn profile_item<'a>(page: &'a Value, user_id: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["user_id"] == user_id)
        .unwrap_or_else(|| panic!("no profile of {user_id} in {page}"))
}

async fn a_block_and_a_report_follow_the_person_across_erasure(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let blocker = app.mentor("blocker@example.org", 3).await;
    let other = app.mentor("other-mentor@example.org", 3).await;
    let (mentee, _) = app.mentee_with_request("returning@example.org").await;

    // The mentor blocks and reports the mentee.
    let res = app
        .post(
            "/blocks",
            Some(&blocker.token),
            &json!({"user_id": mentee.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let report = app
        .post(
            "/reports",
            Some(&blocker.token),
            &json!({"about_user_id": mentee.id, "reason": "Sent threatening messages."}),
        )
        .await;
    assert_eq!(report.status, 201, "{}", report.text);
    let reported_at: chrono::DateTime<chrono::Utc> =
        report.body["created_at"].as_str().unwrap().parse().unwrap();

    // The mentee erases the account and registers again with the same email.
    assert_eq!(app.delete("/me", Some(&mentee.token)).await.status, 204);
    let (token, new_id) = app
        .signup_named("returning@example.org", "New Me", "mentee")
        .await;
    assert_ne!(new_id, mentee.id);
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.post("/requests", Some(&token), &json!({})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let request_id = res.body["id"].as_str().unwrap().to_string();

    // Suggestions offer the other mentor, never the blocker.
    let sugg = app
        .get(
            &format!("/requests/{request_id}/suggestions"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(sugg.status, 200, "{}", sugg.text);
    let mentors: Vec<&str> = sugg
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["mentor_id"].as_str().unwrap())
        .collect();
    assert_eq!(mentors, vec![other.id.as_str()], "{}", sugg.text);

    // Manual pairing with the blocker is refused.
    app.post(
        "/matches",
        Some(&coordinator),
        &json!({"mentor_id": blocker.id, "request_id": request_id}),
    )
    .await
    .problem(409);

    // A matching run proposes the new account to the other mentor only.
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 1, "{}", run.text);
    let list = app.get("/matches", Some(&coordinator)).await;
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", list.text);
    assert_eq!(items[0]["mentee_id"], new_id.as_str());
    assert_eq!(items[0]["mentor_id"], other.id.as_str());

    // Coordinators see the earlier report's count and date on the new
    // account, never its text or the erased account.
    let page = app.get("/profiles?role=mentee", Some(&coordinator)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let earlier = &profile_item(&page.body, &new_id)["earlier_reports"];
    assert_eq!(earlier["count"], 1, "{}", page.text);
    let last_at: chrono::DateTime<chrono::Utc> =
        earlier["last_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(last_at, reported_at);
    assert!(!page.text.contains("threatening"));
    assert!(!page.text.contains(&mentee.id));
    // Nobody else carries the mark.
    let mentors_page = app.get("/profiles?role=mentor", Some(&coordinator)).await;
    assert!(profile_item(&mentors_page.body, &blocker.id)
        .get("earlier_reports")
        .is_none());
    assert!(profile_item(&mentors_page.body, &other.id)
        .get("earlier_reports")
        .is_none());
    // The new account's own view of its profile does not show it.
    let own = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(own.status, 200, "{}", own.text);
    assert!(own.body.get("earlier_reports").is_none(), "{}", own.text);
    app.stop().await;
}

/// The other direction: the erased person had blocked a mentor. Their new
/// account (registered with the same address in other letter case) is not
/// proposed to that mentor either.
async fn a_block_by_the_erased_person_follows_them_too(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let blocked = app.mentor("blocked-mentor@example.org", 3).await;
    let (mentee, _) = app.mentee_with_request("careful@example.org").await;
    let res = app
        .post(
            "/blocks",
            Some(&mentee.token),
            &json!({"user_id": blocked.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(app.delete("/me", Some(&mentee.token)).await.status, 204);
    let (token, _) = app
        .signup_named("Careful@Example.ORG", "New Me", "mentee")
        .await;
    app.put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    let res = app.post("/requests", Some(&token), &json!({})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let request_id = res.body["id"].as_str().unwrap().to_string();
    let sugg = app
        .get(
            &format!("/requests/{request_id}/suggestions"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(sugg.body, json!([]), "{}", sugg.text);
    app.post(
        "/matches",
        Some(&coordinator),
        &json!({"mentor_id": blocked.id, "request_id": request_id}),
    )
    .await
    .problem(409);
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "stable"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 0, "{}", run.text);
    // Nobody reported the erased account: nothing to show coordinators.
    let page = app.get("/profiles?role=mentee", Some(&coordinator)).await;
    let item = &page.body["items"][0];
    assert!(item.get("earlier_reports").is_none(), "{}", page.text);
    app.stop().await;
}

async fn erasure_keeps_no_identity_without_a_block_or_report(db: Db) {
    use kindred_db::schema::safety_identities;
    let app = TestApp::spawn(db).await;
    let (token, id) = app.signup("quiet@example.org", "mentee").await;
    let rows = {
        let id = id.clone();
        app.with_db(move |conn| -> i64 {
            safety_identities::table
                .filter(safety_identities::user_id.eq(id))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await
    };
    assert_eq!(rows, 1, "written at verification");
    assert_eq!(app.delete("/me", Some(&token)).await.status, 204);
    let rows = app
        .with_db(move |conn| -> i64 {
            safety_identities::table
                .filter(safety_identities::user_id.eq(id))
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(rows, 0, "nothing needs it after erasure");
    app.stop().await;
}
