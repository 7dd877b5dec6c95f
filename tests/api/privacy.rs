//! The privacy and safety rules that every route and email keeps (API.md,
//! "Privacy and safety rules"): participants never see a private overlap,
//! required tags are met by public tags only, decline reasons and check-in
//! answers stay with coordinators (and their author), a block hides the
//! blocker's card and does not show in the reason the blocked person sees,
//! and emails name tags by their labels.

use kindred_tests::{both_backends, Db, Person, TestApp};
use serde_json::{json, Value};

both_backends!(
    participants_see_only_public_explanations_in_routes_and_emails,
    required_tags_are_met_by_public_tags_only,
    decline_reasons_and_check_in_answers_stay_with_coordinators,
    a_block_hides_the_card_and_is_not_shown_to_the_blocked_person,
);

/// The private-overlap component of a coordinator's view of a match.
fn private_overlap(m: &Value) -> Option<&Value> {
    m["explanation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "private_overlap")
}

/// A participant's view of a match: no private overlap, and `total` and
/// `score` equal to the sum of the components shown (and below the real score).
fn assert_public_view(m: &Value, real_score: i64) {
    assert!(private_overlap(m).is_none(), "private overlap shown: {m}");
    assert!(!m.to_string().contains("keeps private"), "{m}");
    let sum: i64 = m["explanation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["points"].as_i64().unwrap())
        .sum();
    assert_eq!(m["explanation"]["total"], sum, "{m}");
    assert_eq!(m["score"], sum, "{m}");
    assert!(
        sum < real_score,
        "the private points are not in the score: {m}"
    );
}

/// The one item of `list` with id `id`.
fn item<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

/// Both bodies of an email, for "never says" checks.
fn bodies(mail: &kindred_testkit::ReceivedEmail) -> String {
    format!(
        "{}\n{}",
        mail.text_body.as_deref().unwrap_or_default(),
        mail.html_body.as_deref().unwrap_or_default()
    )
}

fn assert_email_keeps_privacy(mail: &kindred_testkit::ReceivedEmail) {
    let text = bodies(mail);
    assert!(
        !text.contains("keeps private") && !text.contains("private_overlap"),
        "an email mentions a private overlap: {text}"
    );
    assert!(
        !text.contains("domestic"),
        "a private tag in an email: {text}"
    );
    // tags by their labels, never by slugs
    assert!(
        text.contains("Coming out at work") && text.contains("Bisexual"),
        "labels expected: {text}"
    );
    assert!(
        !text.contains("coming-out-at-work"),
        "a slug in an email: {text}"
    );
}

async fn participants_see_only_public_explanations_in_routes_and_emails(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    // Mentor and mentee share two public tags and one private tag
    // (`domestic-abuse-survivor`, see `profile_body`). A second mentor
    // without the private tag keeps it rare enough to score.
    let mentor = app.mentor("mentor@example.org", 2).await;
    let other = app.mentor("other@example.org", 2).await;
    let mut body = kindred_tests::profile_body("mentor");
    body["private_tags"] = json!([]);
    let res = app
        .put("/me/mentor-profile", Some(&other.token), &body)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let (mentee, r) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &r).await;

    // Coordinators see the whole explanation and the real score.
    let full = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    let overlap = private_overlap(&full.body).expect("coordinators see the private overlap");
    assert!(overlap["points"].as_i64().unwrap() > 0, "{}", full.text);
    let real = full.body["score"].as_i64().unwrap();
    assert_eq!(full.body["explanation"]["total"], real);

    // The mentor notice names no private overlap, and tags by label.
    let res = app
        .post(
            &format!("/matches/{m}/approve"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        private_overlap(&res.body).is_some(),
        "the coordinator's answer"
    );
    let notice = app
        .email_to(&mentor.email, "A new Kindred mentee match")
        .await;
    assert_email_keeps_privacy(&notice);
    let text = bodies(&notice);
    let why = text
        .lines()
        .find(|l| l.contains("You both list"))
        .unwrap_or_else(|| panic!("no shared-experience sentence: {text}"));
    assert!(
        why.contains("Coming out at work") && why.contains("Bisexual"),
        "{why}"
    );

    // The mentor, in the match, in the list and in the accept answer.
    let seen = app.get(&format!("/matches/{m}"), Some(&mentor.token)).await;
    assert_public_view(&seen.body, real);
    let list = app.get("/matches", Some(&mentor.token)).await;
    assert_public_view(item(&list.body["items"], &m), real);
    let res = app
        .post(
            &format!("/matches/{m}/accept"),
            Some(&mentor.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_public_view(&res.body, real);

    // Both introductions.
    for p in [&mentor, &mentee] {
        let intro = app.email_to(&p.email, "Meet your Kindred match").await;
        assert_email_keeps_privacy(&intro);
    }

    // The mentee: the match, the list, the state filter and the export.
    let seen = app.get(&format!("/matches/{m}"), Some(&mentee.token)).await;
    assert_public_view(&seen.body, real);
    let list = app.get("/matches?state=active", Some(&mentee.token)).await;
    assert_public_view(item(&list.body["items"], &m), real);
    let export = app.get("/me/export", Some(&mentee.token)).await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert_public_view(item(&export.body["matches"], &m), real);
    let export = app.get("/me/export", Some(&mentor.token)).await;
    assert_public_view(item(&export.body["matches"], &m), real);

    // Coordinators still see everything, in the list too.
    let list = app.get("/matches", Some(&coordinator)).await;
    let mine = item(&list.body["items"], &m);
    assert!(private_overlap(mine).is_some());
    assert_eq!(mine["score"], real);
    app.stop().await;
}

async fn required_tags_are_met_by_public_tags_only(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    // Keeps `domestic-abuse-survivor` private (profile_body).
    let private = app.mentor("private@example.org", 2).await;
    let (mentee, first) = app.mentee_with_request("mentee@example.org").await;
    // A request requiring that tag (the first one is withdrawn so that a
    // new one can be opened).
    assert_eq!(
        app.delete(&format!("/requests/{first}"), Some(&mentee.token))
            .await
            .status,
        204
    );
    let res = app
        .post(
            "/requests",
            Some(&mentee.token),
            &json!({"required_tags": ["domestic-abuse-survivor"]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let r = res.body["id"].as_str().unwrap().to_string();

    // A private tag never meets it: no suggestion, no manual pairing, no run.
    let sugg = app
        .get(&format!("/requests/{r}/suggestions"), Some(&coordinator))
        .await;
    assert_eq!(sugg.status, 200, "{}", sugg.text);
    assert_eq!(sugg.body, json!([]), "a private tag met a required tag");
    app.post(
        "/matches",
        Some(&coordinator),
        &json!({"mentor_id": private.id, "request_id": r}),
    )
    .await
    .problem(409);
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal", "dry_run": true}),
        )
        .await;
    assert_eq!(run.status, 201, "{}", run.text);
    assert_eq!(run.body["proposals"], 0, "{}", run.text);

    // A mentor who shows it publicly meets it.
    let public = app.mentor("public@example.org", 2).await;
    let mut body = kindred_tests::profile_body("mentor");
    body["tags"] = json!(["bisexual", "domestic-abuse-survivor"]);
    body["private_tags"] = json!([]);
    let res = app
        .put("/me/mentor-profile", Some(&public.token), &body)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let sugg = app
        .get(&format!("/requests/{r}/suggestions"), Some(&coordinator))
        .await;
    let ids: Vec<&str> = sugg
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["mentor_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [public.id.as_str()]);
    let run = app
        .post(
            "/matching-runs",
            Some(&coordinator),
            &json!({"mode": "optimal"}),
        )
        .await;
    assert_eq!(run.body["proposals"], 1, "{}", run.text);
    let list = app.get("/matches", Some(&coordinator)).await;
    assert_eq!(list.body["items"][0]["mentor_id"], public.id.as_str());
    app.stop().await;
}

async fn decline_reasons_and_check_in_answers_stay_with_coordinators(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, r) = app.mentee_with_request("mentee@example.org").await;

    // A decline with a reason: the mentee sees only that it was declined.
    let m = app.propose(&coordinator, &mentor.id, &r).await;
    app.post(
        &format!("/matches/{m}/approve"),
        Some(&coordinator),
        &json!({}),
    )
    .await;
    let reason = "I am going through a divorce";
    let res = app
        .post(
            &format!("/matches/{m}/decline"),
            Some(&mentor.token),
            &json!({ "reason": reason }),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "declined");
    assert!(res.body.get("ended_reason").is_none(), "{}", res.text);
    let seen = app.get(&format!("/matches/{m}"), Some(&mentee.token)).await;
    assert_eq!(seen.body["state"], "declined");
    assert!(!seen.text.contains(reason), "{}", seen.text);
    assert!(seen.body.get("ended_reason").is_none());
    for who in [&mentee, &mentor] {
        let list = app.get("/matches", Some(&who.token)).await;
        assert!(!list.text.contains(reason), "{}", list.text);
        let export = app.get("/me/export", Some(&who.token)).await;
        assert!(!export.text.contains(reason), "{}", export.text);
    }
    let full = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(full.body["ended_reason"], reason);

    // Check-ins of an active match: each participant sees only their own.
    let mentor2 = app.mentor("mentor2@example.org", 2).await;
    let m2 = app.propose(&coordinator, &mentor2.id, &r).await;
    app.activate(&coordinator, &mentor2.token, &m2).await;
    for (who, rating, note) in [(&mentee, 4, "Good first call"), (&mentor2, 1, "Very hard")] {
        let res = app
            .post(
                &format!("/matches/{m2}/check-ins"),
                Some(&who.token),
                &json!({"rating": rating, "note": note, "needs_support": rating == 1}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    app.email_to("coord@example.org", "asks for support").await;
    for (who, rating) in [(&mentee, 4), (&mentor2, 1)] {
        let list = app
            .get(&format!("/matches/{m2}/check-ins"), Some(&who.token))
            .await;
        assert_eq!(list.status, 200, "{}", list.text);
        let items = list.body.as_array().unwrap();
        assert_eq!(items.len(), 1, "only their own check-in: {}", list.text);
        assert_eq!(items[0]["author_id"], who.id.as_str());
        assert_eq!(items[0]["rating"], rating);
    }
    let all = app
        .get(&format!("/matches/{m2}/check-ins"), Some(&coordinator))
        .await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    assert!(all.text.contains("Very hard") && all.text.contains("Good first call"));
    app.stop().await;
}

/// An active match between a new mentor and a new mentee.
async fn active_pair(app: &TestApp, coordinator: &str, n: u32) -> (Person, Person, String) {
    let mentor = app.mentor(&format!("mentor{n}@example.org"), 2).await;
    let (mentee, r) = app
        .mentee_with_request(&format!("mentee{n}@example.org"))
        .await;
    let m = app.propose(coordinator, &mentor.id, &r).await;
    app.activate(coordinator, &mentor.token, &m).await;
    (mentor, mentee, m)
}

async fn a_block_hides_the_card_and_is_not_shown_to_the_blocked_person(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;

    // The mentor blocks the mentee.
    let (mentor, mentee, m) = active_pair(&app, &coordinator, 1).await;
    let card = format!("/mentors/{}", mentor.id);
    assert_eq!(app.get(&card, Some(&mentee.token)).await.status, 200);
    let res = app
        .post(
            "/blocks",
            Some(&mentor.token),
            &json!({"user_id": mentee.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.get(&card, Some(&mentee.token)).await.problem(404);
    assert_eq!(app.get(&card, Some(&coordinator)).await.status, 200);
    assert_eq!(app.get(&card, Some(&mentor.token)).await.status, 200);
    let seen = app.get(&format!("/matches/{m}"), Some(&mentee.token)).await;
    assert_eq!(seen.body["state"], "ended");
    assert_eq!(seen.body["ended_reason"], "the match was closed");
    let export = app.get("/me/export", Some(&mentee.token)).await;
    assert!(!export.text.contains("safety"), "{}", export.text);
    let list = app.get("/matches", Some(&mentee.token)).await;
    assert!(!list.text.contains("safety"), "{}", list.text);
    // The blocker and coordinators see the real reason.
    let own = app.get(&format!("/matches/{m}"), Some(&mentor.token)).await;
    assert_eq!(own.body["ended_reason"], "ended for safety reasons");
    let full = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(full.body["ended_reason"], "ended for safety reasons");

    // The mentee blocks the mentor: the mentor sees a neutral reason, and
    // the mentee no longer reads the card either.
    let (mentor, mentee, m) = active_pair(&app, &coordinator, 2).await;
    let res = app
        .post(
            "/blocks",
            Some(&mentee.token),
            &json!({"user_id": mentor.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let seen = app.get(&format!("/matches/{m}"), Some(&mentor.token)).await;
    assert_eq!(seen.body["ended_reason"], "the match was closed");
    let own = app.get(&format!("/matches/{m}"), Some(&mentee.token)).await;
    assert_eq!(own.body["ended_reason"], "ended for safety reasons");
    app.get(&format!("/mentors/{}", mentor.id), Some(&mentee.token))
        .await
        .problem(404);
    app.stop().await;
}
