//! Profile validation (every rule with a bad value), privacy and access rules.

use kindred_tests::{both_backends, profile_body, Db, TestApp};
use serde_json::{json, Value};

both_backends!(
    every_profile_rule_rejects_a_bad_value,
    all_violations_are_reported_at_once,
    sensitive_tags_need_consent,
    mentor_card_hides_private_tags_and_is_scoped,
    coordinators_list_profiles_with_pagination,
    a_rejected_profile_changes_nothing,
);

/// What to change in a valid body, and the field the 422 must name.
type BadValue = (Box<dyn Fn(&mut Value)>, &'static str);

fn bad_values(kind: &str) -> Vec<BadValue> {
    let mut cases: Vec<BadValue> = vec![
        (Box::new(|b| b["bio"] = json!("x".repeat(2001))), "bio"),
        (Box::new(|b| b["tags"] = json!(["no-such-tag"])), "tags[0]"),
        (
            Box::new(|b| b["tags"] = json!(["bisexual", "bisexual"])),
            "tags[1]",
        ),
        (
            Box::new(|b| b["private_tags"] = json!(["bisexual"])),
            "private_tags[0]",
        ),
        (
            Box::new(|b| b["private_tags"] = json!(["Not A Slug"])),
            "private_tags[0]",
        ),
        (Box::new(|b| b["languages"] = json!([])), "languages"),
        (
            Box::new(|b| b["languages"] = json!(["english!"])),
            "languages[0]",
        ),
        (
            Box::new(|b| b["languages"] = json!(["en", "EN"])),
            "languages[1]",
        ),
        (
            Box::new(|b| b["timezone"] = json!("Mars/Olympus_Mons")),
            "timezone",
        ),
        (
            Box::new(|b| {
                b["availability"] = json!([{"day": "funday", "start": "18:00", "end": "19:00"}])
            }),
            "availability[0].day",
        ),
        (
            Box::new(|b| {
                b["availability"] = json!([{"day": "mon", "start": "19:00", "end": "18:00"}])
            }),
            "availability[0].end",
        ),
        (
            Box::new(|b| {
                b["availability"] = json!([{"day": "mon", "start": "18:10", "end": "19:00"}])
            }),
            "availability[0].start",
        ),
        (
            Box::new(|b| {
                b["availability"] = json!([{"day": "mon", "start": "18:00", "end": "25:00"}])
            }),
            "availability[0].end",
        ),
        (
            Box::new(
                |b| b["availability"] = json!([{"day": "mon", "start": "18:00", "end": "20:00"}, {"day": "mon", "start": "19:00", "end": "21:00"}]),
            ),
            "availability[1]",
        ),
        (
            Box::new(|b| b["meeting_modes"] = json!([])),
            "meeting_modes",
        ),
        (
            Box::new(|b| b["meeting_modes"] = json!(["carrier_pigeon"])),
            "meeting_modes[0]",
        ),
        (
            Box::new(|b| {
                b["meeting_modes"] = json!(["in_person"]);
                b["region"] = Value::Null;
            }),
            "region",
        ),
        (Box::new(|b| b["region"] = json!("r".repeat(101))), "region"),
        (Box::new(|b| b["unknown_field"] = json!(1)), "unknown_field"),
    ];
    if kind == "mentor" {
        cases.push((Box::new(|b| b["capacity"] = json!(0)), "capacity"));
        cases.push((Box::new(|b| b["capacity"] = json!(21)), "capacity"));
        cases.push((
            Box::new(|b| {
                b.as_object_mut().unwrap().remove("capacity");
            }),
            "capacity",
        ));
        cases.push((Box::new(|b| b["goals"] = json!("mentees only")), "goals"));
    } else {
        cases.push((Box::new(|b| b["capacity"] = json!(3)), "capacity"));
        cases.push((Box::new(|b| b["accepting"] = json!(true)), "accepting"));
        cases.push((Box::new(|b| b["goals"] = json!("g".repeat(2001))), "goals"));
    }
    cases
}

async fn every_profile_rule_rejects_a_bad_value(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("rules@example.org", "mentee").await;
    app.post("/me/roles", Some(&token), &json!({"role": "mentor"}))
        .await;
    for kind in ["mentee", "mentor"] {
        let path = format!("/me/{kind}-profile");
        for (i, (mutate, field)) in bad_values(kind).into_iter().enumerate() {
            let mut body = profile_body(kind);
            mutate(&mut body);
            let res = app.put(&path, Some(&token), &body).await;
            assert_eq!(res.status, 422, "{kind} case {i} ({field}): {}", res.text);
            assert!(
                res.body["errors"][field].is_array(),
                "{kind} case {i}: expected an error at {field:?}, got {}",
                res.body["errors"]
            );
        }
        // Nothing was stored by any of the rejected bodies.
        app.get(&path, Some(&token)).await.problem(404);
        let ok = app.put(&path, Some(&token), &profile_body(kind)).await;
        assert_eq!(ok.status, 201, "{}", ok.text);
    }
    app.stop().await;
}

async fn all_violations_are_reported_at_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("many@example.org", "mentor").await;
    let mut body = profile_body("mentor");
    body["capacity"] = json!(99);
    body["languages"] = json!([]);
    body["timezone"] = json!("Nowhere/City");
    body["tags"] = json!(["no-such-tag"]);
    body["availability"] = json!([{"day": "mon", "start": "20:00", "end": "19:00"}]);
    let res = app.put("/me/mentor-profile", Some(&token), &body).await;
    let problem = res.problem(422);
    for field in [
        "capacity",
        "languages",
        "timezone",
        "tags[0]",
        "availability[0].end",
    ] {
        assert!(
            problem["errors"][field].is_array(),
            "{field}: {}",
            problem["errors"]
        );
    }
    // Malformed JSON is 400, a wrong type is 422 naming the field.
    let raw = app
        .client
        .put(app.url("/me/mentor-profile"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"bio\": ")
        .send()
        .await
        .unwrap();
    TestApp::read(raw).await.problem(400);
    let mut typed = profile_body("mentor");
    typed["capacity"] = json!("three");
    app.put("/me/mentor-profile", Some(&token), &typed)
        .await
        .field_error("capacity");
    app.stop().await;
}

async fn sensitive_tags_need_consent(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("consent@example.org", "mentee").await;
    let mut body = profile_body("mentee");
    body.as_object_mut().unwrap().remove("consents");
    app.put("/me/mentee-profile", Some(&token), &body)
        .await
        .field_error("consents.sensitive_tags");
    body["consents"] = json!({"sensitive_tags": false});
    app.put("/me/mentee-profile", Some(&token), &body)
        .await
        .field_error("consents.sensitive_tags");
    // Without sensitive tags, no consent is needed.
    body["tags"] = json!(["job-search"]);
    body["private_tags"] = json!([]);
    let res = app.put("/me/mentee-profile", Some(&token), &body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.stop().await;
}

async fn mentor_card_hides_private_tags_and_is_scoped(db: Db) {
    let app = TestApp::spawn(db).await;
    let (mentor, mentor_id) = app.signup("mentor@example.org", "mentor").await;
    app.put("/me/mentor-profile", Some(&mentor), &profile_body("mentor"))
        .await;
    let (mentee, mentee_id) = app.signup("mentee@example.org", "mentee").await;
    app.put("/me/mentee-profile", Some(&mentee), &profile_body("mentee"))
        .await;
    let (other, _) = app.signup("other@example.org", "mentee").await;
    let coordinator = app.coordinator("coord@example.org").await;

    let card = app
        .get(&format!("/mentors/{mentor_id}"), Some(&coordinator))
        .await;
    assert_eq!(card.status, 200, "{}", card.text);
    assert_eq!(card.body["tags"], json!(["bisexual", "coming-out-at-work"]));
    assert!(
        !card.text.contains("domestic-abuse-survivor"),
        "private tags never on the card"
    );
    assert!(
        !card.text.contains("mentor@example.org"),
        "no contact details on the card"
    );
    assert!(card.body.get("private_tags").is_none());

    // A mentee without a match, another mentee, anonymous: nothing to see.
    app.get(&format!("/mentors/{mentor_id}"), Some(&mentee))
        .await
        .problem(404);
    app.get(&format!("/mentors/{mentor_id}"), Some(&other))
        .await
        .problem(404);
    app.get(&format!("/mentors/{mentor_id}"), None)
        .await
        .problem(401);
    // A mentee is not a mentor: no card.
    app.get(&format!("/mentors/{mentee_id}"), Some(&coordinator))
        .await
        .problem(404);
    // The coordinator-only list is 403 for everyone else.
    app.get("/profiles?role=mentee", Some(&mentee))
        .await
        .problem(403);
    app.get("/profiles?role=mentee", Some(&mentor))
        .await
        .problem(403);
    app.get("/profiles?role=mentee", None).await.problem(401);
    app.stop().await;
}

async fn coordinators_list_profiles_with_pagination(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    for i in 0..3 {
        let (t, _) = app.signup(&format!("m{i}@example.org"), "mentor").await;
        app.put("/me/mentor-profile", Some(&t), &profile_body("mentor"))
            .await;
    }
    let first = app
        .get("/profiles?role=mentor&limit=2", Some(&coordinator))
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        first.body["items"][0]["private_tags"],
        json!(["domestic-abuse-survivor"])
    );
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/profiles?role=mentor&limit=2&cursor={cursor}"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
    assert!(second.body["next_cursor"].is_null());
    assert_ne!(
        first.body["items"][0]["user_id"],
        second.body["items"][0]["user_id"]
    );
    app.get("/profiles?role=mentor&limit=0", Some(&coordinator))
        .await
        .field_error("limit");
    app.get("/profiles?role=mentor&limit=201", Some(&coordinator))
        .await
        .field_error("limit");
    app.get("/profiles?role=admin", Some(&coordinator))
        .await
        .field_error("role");
    app.get(
        "/profiles?role=mentor&cursor=not*a*cursor",
        Some(&coordinator),
    )
    .await
    .field_error("cursor");
    app.stop().await;
}

async fn a_rejected_profile_changes_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("atomic@example.org", "mentee").await;
    app.put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    let before = app.get("/me/mentee-profile", Some(&token)).await;
    let mut bad = profile_body("mentee");
    bad["bio"] = json!("changed");
    bad["tags"] = json!(["no-such-tag"]);
    app.put("/me/mentee-profile", Some(&token), &bad)
        .await
        .problem(422);
    let after = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(before.body, after.body);
    app.stop().await;
}
