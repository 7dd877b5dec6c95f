//! The three journeys end to end, the state table, capacity under
//! concurrency, blocks, and erasure with matches — all through HTTP.

use kindred_tests::{both_backends, Db, TestApp};
use serde_json::json;

both_backends!(
    journeys_end_to_end,
    declined_and_rejected_pairs_are_never_proposed_again,
    invalid_transitions_are_409_with_the_current_state,
    capacity_holds_under_concurrent_approvals_and_acceptances,
    concurrent_matching_runs_never_double_propose,
    a_block_ends_the_match_and_the_pair_forever,
    erasure_ends_matches_and_leaves_no_personal_data,
    requests_rules,
    auto_approve_sends_proposals_straight_to_mentors,
);

async fn journeys_end_to_end(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, request_id) = app.mentee_with_request("mentee@example.org").await;

    // Mentee: the request is visible to them, open, with its waiting time.
    let res = app
        .get(&format!("/requests/{request_id}"), Some(&mentee.token))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "open");

    // Coordinator: the queue, suggestions, a dry run, then a real run.
    let queue = app.get("/requests?state=open", Some(&coordinator)).await;
    assert_eq!(queue.body["items"][0]["id"], request_id.as_str());
    assert!(queue.body["items"][0]["waiting_seconds"].is_i64());
    let sugg = app
        .get(
            &format!("/requests/{request_id}/suggestions?limit=5"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(sugg.status, 200, "{}", sugg.text);
    assert_eq!(sugg.body[0]["mentor_id"], mentor.id.as_str());
    assert!(sugg.body[0]["explanation"]["components"].is_array());
    assert!(
        !sugg.text.contains("domestic-abuse-survivor"),
        "private tags never named"
    );

    let dry = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal", "dry_run": true}),
        )
        .await;
    assert_eq!(dry.status, 201, "{}", dry.text);
    assert_eq!(dry.body["proposals"], 1);
    let none = app.get("/matches", Some(&coordinator)).await;
    assert_eq!(
        none.body["items"].as_array().unwrap().len(),
        0,
        "a dry run proposes nothing"
    );

    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 1);
    assert_eq!(run.body["unmatched"], 0);
    assert!(run.body["total_score"].as_i64().unwrap() > 0);
    assert!(run.body["duration_ms"].is_i64());
    assert_eq!(run.body["report"]["certificate"]["held"], true);
    assert!(run.body["report"]["fairness"]["load_gini"].is_number());
    let run_id = run.body["id"].as_str().unwrap();
    let again = app
        .get(&format!("/matching-runs/{run_id}"), Some(&coordinator))
        .await;
    assert_eq!(again.body["proposals"], 1);

    let list = app.get("/matches?state=proposed", Some(&coordinator)).await;
    let m = &list.body["items"][0];
    let match_id = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["mentor_id"], mentor.id.as_str());
    assert_eq!(m["mentee_id"], mentee.id.as_str());
    assert_eq!(m["request_id"], request_id.as_str());
    assert!(m["explanation"]["shared_tags"]
        .as_array()
        .unwrap()
        .contains(&json!("bisexual")));
    assert!(!list.text.contains("domestic-abuse-survivor"));
    assert!(
        m["mentor"].get("email").is_none(),
        "no contact details before active"
    );

    // Coordinator approves; the mentor is told.
    let res = app
        .post(
            &format!("/matches/{match_id}/approve"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "awaiting_mentor");
    assert!(res.body["respond_by"].is_string());
    let notice = app
        .email_to(&mentor.email, "A new Kindred mentee match")
        .await;
    assert!(notice
        .text_body
        .unwrap()
        .contains("Peer support does not replace"));

    // Mentor: sees it awaiting them, with the explanation, no contact yet.
    let mine = app
        .get("/matches?state=awaiting_mentor", Some(&mentor.token))
        .await;
    assert_eq!(mine.body["items"][0]["id"], match_id.as_str());
    assert!(mine.body["items"][0]["explanation"]["total"].is_i64());
    assert!(mine.body["items"][0]["mentee"].get("email").is_none());
    // The mentee may now see the mentor's public card (never private tags).
    let card = app
        .get(&format!("/mentors/{}", mentor.id), Some(&mentee.token))
        .await;
    assert_eq!(card.status, 200, "{}", card.text);
    assert!(
        !card.text.contains("domestic-abuse-survivor") && !card.text.contains("mentor@example.org")
    );

    let res = app
        .post(
            &format!("/matches/{match_id}/accept"),
            Some(&mentor.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "active");
    assert_eq!(
        res.body["mentee"]["email"],
        mentee.email.as_str(),
        "the mentor sees the mentee's contact once active"
    );
    let intro_mentee = app.email_to(&mentee.email, "Meet your Kindred match").await;
    assert!(intro_mentee
        .text_body
        .as_deref()
        .unwrap()
        .contains(&mentor.email));
    let intro_mentor = app.email_to(&mentor.email, "Meet your Kindred match").await;
    assert!(intro_mentor
        .text_body
        .as_deref()
        .unwrap()
        .contains(&mentee.email));
    let seen = app
        .get(&format!("/matches/{match_id}"), Some(&mentee.token))
        .await;
    assert_eq!(seen.body["mentor"]["email"], mentor.email.as_str());
    assert!(
        seen.body["mentee"].get("email").is_none(),
        "never one's own"
    );
    let req = app
        .get(&format!("/requests/{request_id}"), Some(&mentee.token))
        .await;
    assert_eq!(req.body["state"], "matched");

    // Check-ins from both; needs_support alerts the coordinator.
    let res = app
        .post(
            &format!("/matches/{match_id}/check-ins"),
            Some(&mentee.token),
            &json!({"rating": 4, "note": "Good first call", "needs_support": false}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post(
            &format!("/matches/{match_id}/check-ins"),
            Some(&mentor.token),
            &json!({"rating": 2, "needs_support": true}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.email_to("coord@example.org", "asks for support").await;
    let list = app
        .get(
            &format!("/matches/{match_id}/check-ins"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    let queue = app
        .get("/check-ins?needs_support=true", Some(&coordinator))
        .await;
    assert_eq!(queue.body.as_array().unwrap().len(), 1);
    app.post(
        &format!("/matches/{match_id}/check-ins"),
        Some(&mentee.token),
        &json!({"rating": 9}),
    )
    .await
    .field_error("rating");

    // Reports alert coordinators at once.
    let res = app
        .post("/reports", Some(&mentee.token), &json!({"about_user_id": mentor.id, "match_id": match_id, "reason": "Made a remark that felt unsafe."}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let alert = app
        .email_to("coord@example.org", "a new concern was reported")
        .await;
    assert!(
        !alert.text_body.unwrap().contains("felt unsafe"),
        "the report text stays in the app"
    );
    let reports = app.get("/reports", Some(&coordinator)).await;
    assert_eq!(reports.body["items"].as_array().unwrap().len(), 1);

    // The mentee ends it with a reason; the request closes.
    app.post(
        &format!("/matches/{match_id}/end"),
        Some(&mentee.token),
        &json!({}),
    )
    .await
    .field_error("reason");
    let res = app
        .post(
            &format!("/matches/{match_id}/end"),
            Some(&mentee.token),
            &json!({"reason": "Moving abroad"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "ended");
    assert_eq!(res.body["ended_reason"], "Moving abroad");
    assert!(
        res.body["mentor"].get("email").is_none(),
        "contacts disappear once not active"
    );
    let req = app
        .get(&format!("/requests/{request_id}"), Some(&mentee.token))
        .await;
    assert_eq!(req.body["state"], "closed");

    // The audit log tells who did what, when and why.
    let events = app
        .get(&format!("/matches/{match_id}/events"), Some(&coordinator))
        .await;
    let steps: Vec<(String, String)> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["to_state"].as_str().unwrap().to_string(),
                e["actor_role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("proposed", "coordinator"),
            ("awaiting_mentor", "coordinator"),
            ("active", "mentor"),
            ("ended", "mentee")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(events.body[3]["reason"], "Moving abroad");
    assert_eq!(events.body[3]["actor_id"], mentee.id.as_str());

    let metrics = app
        .get("/api/v1/metrics/programme", Some(&coordinator))
        .await;
    assert_eq!(metrics.status, 200, "{}", metrics.text);
    assert_eq!(metrics.body["ended"], 1);
    assert_eq!(metrics.body["ended_early"], 1);
    assert_eq!(metrics.body["ended_early_reasons"]["Moving abroad"], 1);
    assert_eq!(metrics.body["acceptance_rate"], 1.0);
    assert!(metrics.body["median_hours_to_match"].is_number());
    app.get("/api/v1/metrics/programme", Some(&mentee.token))
        .await
        .problem(403);
    app.stop().await;
}

async fn declined_and_rejected_pairs_are_never_proposed_again(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 3).await;
    let (_m1, r1) = app.mentee_with_request("m1@example.org").await;
    let (_m2, r2) = app.mentee_with_request("m2@example.org").await;

    let a = app.propose(&coordinator, &mentor.id, &r1).await;
    app.post(
        &format!("/matches/{a}/reject"),
        Some(&coordinator),
        &json!({}),
    )
    .await
    .field_error("reason");
    let res = app
        .post(
            &format!("/matches/{a}/reject"),
            Some(&coordinator),
            &json!({"reason": "Same workplace"}),
        )
        .await;
    assert_eq!(res.body["state"], "rejected");
    let b = app.propose(&coordinator, &mentor.id, &r2).await;
    app.post(
        &format!("/matches/{b}/approve"),
        Some(&coordinator),
        &json!({}),
    )
    .await;
    let res = app
        .post(
            &format!("/matches/{b}/decline"),
            Some(&mentor.token),
            &json!({"reason": "Not the right fit"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "declined");

    // Both requests are open again, but this mentor is never proposed for them.
    for r in [&r1, &r2] {
        let res = app.get(&format!("/requests/{r}"), Some(&coordinator)).await;
        assert_eq!(res.body["state"], "open");
        let sugg = app
            .get(&format!("/requests/{r}/suggestions"), Some(&coordinator))
            .await;
        assert_eq!(sugg.body, json!([]));
        let res = app
            .post(
                "/matches",
                Some(&coordinator),
                &json!({"mentor_id": mentor.id, "request_id": r}),
            )
            .await;
        res.problem(409);
    }
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "stable"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 0);
    assert_eq!(run.body["unmatched"], 2);
    assert_eq!(
        run.body["report"]["unmatched"][0]["reason"],
        "no_feasible_mentor"
    );
    app.stop().await;
}

async fn invalid_transitions_are_409_with_the_current_state(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 3).await;
    let (mentee, r) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &r).await;
    // Proposed: only approve/reject; the mentor cannot act yet.
    let res = app
        .post(
            &format!("/matches/{m}/end"),
            Some(&coordinator),
            &json!({"reason": "x"}),
        )
        .await;
    assert_eq!(res.problem(409)["current_state"], "proposed");
    // Participants do not see a proposal under review at all.
    app.post(
        &format!("/matches/{m}/accept"),
        Some(&mentor.token),
        &json!({}),
    )
    .await
    .problem(404);
    app.get(&format!("/matches/{m}"), Some(&mentee.token))
        .await
        .problem(404);
    assert_eq!(
        app.get("/matches", Some(&mentor.token)).await.body["items"],
        json!([])
    );
    // Under review the proposal is invisible to participants and strangers alike.
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&mentor.token),
        &json!({}),
    )
    .await
    .problem(404);
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&mentee.token),
        &json!({}),
    )
    .await
    .problem(404);
    let (stranger, _) = app.signup("stranger@example.org", "mentor").await;
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&stranger),
        &json!({}),
    )
    .await
    .problem(404);
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&coordinator),
        &json!({}),
    )
    .await;
    let res = app
        .post(
            &format!("/matches/{m}/approve"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.problem(409)["current_state"], "awaiting_mentor");
    // Once it reached the mentor, a participant with the wrong role gets 403.
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&mentor.token),
        &json!({}),
    )
    .await
    .problem(403);
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&mentee.token),
        &json!({}),
    )
    .await
    .problem(403);
    // A body sent to decline must be valid.
    let res = app
        .client
        .post(app.url(&format!("/matches/{m}/decline")))
        .bearer_auth(&mentor.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.problem(400);
    app.post(
        &format!("/matches/{m}/decline"),
        Some(&mentor.token),
        &json!({"reason": 42}),
    )
    .await
    .field_error("reason");
    app.post(
        &format!("/matches/{m}/accept"),
        Some(&mentee.token),
        &json!({}),
    )
    .await
    .problem(403);
    app.post(
        &format!("/matches/{m}/accept"),
        Some(&mentor.token),
        &json!({}),
    )
    .await;
    let res = app
        .post(
            &format!("/matches/{m}/decline"),
            Some(&mentor.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.problem(409)["current_state"], "active");
    app.post(
        &format!("/matches/{m}/end"),
        Some(&coordinator),
        &json!({"reason": "Programme closed"}),
    )
    .await;
    let res = app
        .post(
            &format!("/matches/{m}/end"),
            Some(&mentee.token),
            &json!({"reason": "again"}),
        )
        .await;
    assert_eq!(res.problem(409)["current_state"], "ended");
    // A second request while one is matched or open is 409.
    let (other, _) = app.mentee_with_request("other@example.org").await;
    app.post("/requests", Some(&other.token), &json!({}))
        .await
        .problem(409);
    app.stop().await;
}

async fn capacity_holds_under_concurrent_approvals_and_acceptances(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("busy@example.org", 2).await;
    let mut matches = Vec::new();
    for i in 0..6 {
        let (_, r) = app.mentee_with_request(&format!("m{i}@example.org")).await;
        // Manual pairings bypass the run's capacity accounting on purpose: six
        // proposals for a mentor with room for two.
        let res = app
            .post(
                "/matches",
                Some(&coordinator),
                &json!({"mentor_id": mentor.id, "request_id": r}),
            )
            .await;
        if res.status == 201 {
            matches.push(res.body["id"].as_str().unwrap().to_string());
        }
    }
    assert!(matches.len() >= 2, "proposals: {}", matches.len());
    let approvals = futures_util::future::join_all(matches.iter().map(|m| {
        let (app, coordinator) = (&app, &coordinator);
        async move {
            app.post(
                &format!("/matches/{m}/approve"),
                Some(coordinator),
                &json!({}),
            )
            .await
        }
    }))
    .await;
    let ok: Vec<&String> = matches
        .iter()
        .zip(&approvals)
        .filter(|(_, r)| r.status == 200)
        .map(|(m, _)| m)
        .collect();
    for r in approvals.iter().filter(|r| r.status != 200) {
        r.problem(409);
    }
    assert_eq!(ok.len(), 2, "exactly capacity approvals win");
    let accepts = futures_util::future::join_all(ok.iter().map(|m| {
        let (app, token) = (&app, &mentor.token);
        async move {
            app.post(&format!("/matches/{m}/accept"), Some(token), &json!({}))
                .await
        }
    }))
    .await;
    assert!(accepts.iter().all(|r| r.status == 200));
    let loads: i64 = app
        .with_db({
            let id = mentor.id.clone();
            move |conn| {
                kindred_db::matches::mentor_load(conn, &id, &kindred_db::matches::capacity_states())
                    .unwrap()
            }
        })
        .await;
    assert_eq!(loads, 2);
    app.stop().await;
}

async fn concurrent_matching_runs_never_double_propose(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    for i in 0..3 {
        app.mentor(&format!("mentor{i}@example.org"), 2).await;
    }
    for i in 0..5 {
        app.mentee_with_request(&format!("mentee{i}@example.org"))
            .await;
    }
    let body = json!({"mode": "optimal"});
    let (a, b) = tokio::join!(
        app.post("/matching-runs", Some(&coordinator), &body),
        app.post("/matching-runs", Some(&coordinator), &body)
    );
    assert!(a.status == 201 || a.status == 409, "{}", a.text);
    assert!(b.status == 201 || b.status == 409, "{}", b.text);
    let total =
        a.body["proposals"].as_i64().unwrap_or(0) + b.body["proposals"].as_i64().unwrap_or(0);
    assert_eq!(
        total, 5,
        "every request proposed exactly once across both runs"
    );
    let all = app.get("/matches?limit=200", Some(&coordinator)).await;
    let mut requests: Vec<&str> = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["request_id"].as_str().unwrap())
        .collect();
    let n = requests.len();
    requests.sort();
    requests.dedup();
    assert_eq!(requests.len(), n, "no request has two proposals");
    assert_eq!(n, 5);
    app.stop().await;
}

async fn a_block_ends_the_match_and_the_pair_forever(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, r) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &r).await;
    app.activate(&coordinator, &mentor.token, &m).await;
    app.post(
        "/blocks",
        Some(&mentee.token),
        &json!({"user_id": mentee.id}),
    )
    .await
    .field_error("user_id");
    app.post(
        "/blocks",
        Some(&mentee.token),
        &json!({"user_id": "no-such-user"}),
    )
    .await
    .problem(404);
    let res = app
        .post(
            "/blocks",
            Some(&mentor.token),
            &json!({"user_id": mentee.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.get(&format!("/matches/{m}"), Some(&mentee.token)).await;
    assert_eq!(res.body["state"], "ended");
    // Whoever blocked, the pair is never proposed again, in either direction.
    let (_, r2) = {
        let res = app.post("/requests", Some(&mentee.token), &json!({})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        ((), res.body["id"].as_str().unwrap().to_string())
    };
    let sugg = app
        .get(&format!("/requests/{r2}/suggestions"), Some(&coordinator))
        .await;
    assert_eq!(sugg.body, json!([]));
    app.post(
        "/matches",
        Some(&coordinator),
        &json!({"mentor_id": mentor.id, "request_id": r2}),
    )
    .await
    .problem(409);
    app.stop().await;
}

async fn erasure_ends_matches_and_leaves_no_personal_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, r) = app.mentee_with_request("leaving@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &r).await;
    app.activate(&coordinator, &mentor.token, &m).await;
    app.post(
        &format!("/matches/{m}/check-ins"),
        Some(&mentee.token),
        &json!({"rating": 3, "note": "private thoughts", "needs_support": false}),
    )
    .await;
    app.post(
        "/reports",
        Some(&mentee.token),
        &json!({"about_user_id": mentor.id, "reason": "my own words"}),
    )
    .await;

    let export = app.get("/me/export", Some(&mentee.token)).await;
    assert_eq!(export.body["requests"][0]["id"], r.as_str());
    assert_eq!(export.body["matches"][0]["id"], m.as_str());
    assert_eq!(export.body["check_ins"][0]["note"], "private thoughts");
    assert_eq!(export.body["reports"][0]["reason"], "my own words");

    // Introductions went out; sent emails keep no body.
    app.email_to(&mentor.email, "Meet your Kindred match").await;
    app.wait_outbox_idle().await;
    // The mentee ends it with a reason of their own, then starts a second
    // match whose introduction (with their address) is still retrying.
    app.post(
        &format!("/matches/{m}/end"),
        Some(&mentee.token),
        &json!({"reason": "he mocked my HIV status"}),
    )
    .await;
    let mentor2 = app.mentor("mentor2@example.org", 2).await;
    let r2 = app
        .post("/requests", Some(&mentee.token), &json!({}))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let m2 = app.propose(&coordinator, &mentor2.id, &r2).await;
    app.post(
        &format!("/matches/{m2}/approve"),
        Some(&coordinator),
        &json!({}),
    )
    .await;
    app.wait_outbox_idle().await;
    app.sink.set_down(true);
    let res = app
        .post(
            &format!("/matches/{m2}/accept"),
            Some(&mentor2.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    assert_eq!(app.delete("/me", Some(&mentee.token)).await.status, 204);
    let res = app.get(&format!("/matches/{m2}"), Some(&coordinator)).await;
    assert_eq!(res.body["state"], "ended");
    assert_eq!(res.body["ended_reason"], "account deleted");
    assert_eq!(res.body["mentee"]["display_name"], "Deleted user");
    let res = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert!(
        res.body.get("ended_reason").is_none(),
        "their own reason is erased: {}",
        res.text
    );
    app.sink.set_down(false);

    // Search every text column of every table for anything that was theirs.
    let needles = [
        "leaving@example.org",
        "private thoughts",
        "my own words",
        "Looking for someone",
        "mocked my HIV",
    ];
    let uid = mentee.id.clone();
    let found: Vec<String> = app
        .with_db(move |conn| kindred_tests::search_all_text(conn, &needles, &uid))
        .await;
    assert!(found.is_empty(), "personal data left behind: {found:?}");
    // Explanations of their matches named shared experiences: gone too.
    let res = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(res.body["explanation"]["shared_tags"], json!([]));
    app.stop().await;
}

async fn requests_rules(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (token, _) = app.signup("noprofile@example.org", "mentee").await;
    app.post("/requests", Some(&token), &json!({}))
        .await
        .problem(409);
    let (mentor_token, _) = app.signup("m@example.org", "mentor").await;
    app.post("/requests", Some(&mentor_token), &json!({}))
        .await
        .problem(403);
    let res = app
        .put(
            "/me/mentee-profile",
            Some(&token),
            &kindred_tests::profile_body("mentee"),
        )
        .await;
    assert_eq!(res.status, 201);
    let res = app
        .post("/requests", Some(&token), &json!({"required_tags": ["no-such-tag", "bisexual", "bisexual"], "excluded_regions": [""], "note": "n".repeat(2001)}))
        .await;
    let body = res.problem(422);
    for f in [
        "required_tags[0]",
        "required_tags[2]",
        "excluded_regions[0]",
        "note",
    ] {
        assert!(body["errors"][f].is_array(), "{f}: {}", body["errors"]);
    }
    let res = app
        .post(
            "/requests",
            Some(&token),
            &json!({"required_tags": ["bisexual"], "excluded_regions": ["Madrid"]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.body["id"].as_str().unwrap().to_string();
    app.post("/requests", Some(&token), &json!({}))
        .await
        .problem(409);
    // Withdraw, then a new one is allowed.
    app.delete(&format!("/requests/{id}"), Some(&mentor_token))
        .await
        .problem(404);
    assert_eq!(
        app.delete(&format!("/requests/{id}"), Some(&token))
            .await
            .status,
        204
    );
    let res = app
        .get(&format!("/requests/{id}"), Some(&coordinator))
        .await;
    assert_eq!(res.body["state"], "withdrawn");
    app.delete(&format!("/requests/{id}"), Some(&token))
        .await
        .problem(409);
    assert_eq!(
        app.post("/requests", Some(&token), &json!({})).await.status,
        201
    );
    app.stop().await;
}

async fn auto_approve_sends_proposals_straight_to_mentors(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.matching.auto_approve = true).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 1).await;
    app.mentee_with_request("a@example.org").await;
    app.mentee_with_request("b@example.org").await;
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal"}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 1, "capacity 1: one proposal");
    let list = app.get("/matches", Some(&coordinator)).await;
    assert_eq!(list.body["items"][0]["state"], "awaiting_mentor");
    app.email_to(&mentor.email, "A new Kindred mentee match")
        .await;
    let events = app
        .get(
            &format!(
                "/matches/{}/events",
                list.body["items"][0]["id"].as_str().unwrap()
            ),
            Some(&coordinator),
        )
        .await;
    assert_eq!(events.body[1]["actor_role"], "system");
    assert_eq!(events.body[1]["reason"], "auto-approved");
    app.stop().await;
}
