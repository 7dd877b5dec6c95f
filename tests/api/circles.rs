//! Peer-support circles through the API: facilitators, circle requests,
//! runs and manual circles, the life cycle, sessions, attendance,
//! check-ins, and who sees what.

use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::{json, Value};

both_backends!(
    a_circle_from_request_to_end,
    manual_circles_keep_the_hard_rules,
    who_may_do_and_see_what,
    erasure_and_blocks_inside_a_circle,
    an_unanswered_invitation_offers_the_place_to_the_next_request,
    attendance_and_missed_sessions,
    the_demo_programme_forms_circles,
);

/// A facilitator with a profile (`max_circles` 2) sharing the mentees' availability.
pub async fn facilitator(app: &TestApp, coordinator: &str, email: &str) -> Person {
    let (token, id) = app.signup_named(email, "Fran", "mentor").await;
    let res = app
        .post(
            "/facilitators",
            Some(coordinator),
            &json!({"user_id": id, "trained_on": "2026-10-01", "training": "Peer support facilitation, 20 hours"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["training"], "Peer support facilitation, 20 hours");
    // The role shows on the account; a new login is not needed.
    let me = app.get("/me", Some(&token)).await;
    assert!(
        me.body["roles"]
            .as_array()
            .unwrap()
            .contains(&json!("facilitator")),
        "{}",
        me.text
    );
    let mut body = profile_body("mentor");
    body.as_object_mut().unwrap().remove("capacity");
    body.as_object_mut().unwrap().remove("accepting");
    body["max_circles"] = json!(2);
    let res = app
        .put("/me/facilitator-profile", Some(&token), &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["max_circles"], 2);
    Person {
        token,
        id,
        email: email.to_string(),
    }
}

/// A mentee with a profile and an open circle request. Returns the person
/// and the request id.
pub async fn circle_member(app: &TestApp, email: &str, name: &str) -> (Person, String) {
    let (token, id) = app.signup_named(email, name, "mentee").await;
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post(
            "/circle-requests",
            Some(&token),
            &json!({"topics": ["coming-out-at-work"], "note": "Evenings suit me."}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["state"], "open");
    let rid = res.body["id"].as_str().unwrap().to_string();
    (
        Person {
            token,
            id,
            email: email.to_string(),
        },
        rid,
    )
}

const NAMES: [&str; 6] = ["Alex", "Bea", "Cruz", "Dani", "Eli", "Fer"];

async fn members(app: &TestApp, n: usize) -> Vec<(Person, String)> {
    let mut out = Vec::new();
    for (i, name) in NAMES.iter().take(n).enumerate() {
        out.push(circle_member(app, &format!("member{i}@example.org"), name).await);
    }
    out
}

/// Runs formation for real and returns the one circle's id.
async fn run_one_circle(app: &TestApp, coordinator: &str) -> String {
    let res = app
        .post("/circle-runs", Some(coordinator), &json!({}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["circles"], 1, "{}", res.text);
    res.body["circle_ids"][0].as_str().unwrap().to_string()
}

fn component_names(view: &Value) -> Vec<String> {
    view["explanation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

async fn a_circle_from_request_to_end(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;
    let people = members(&app, 5).await;

    // A dry run reports and creates nothing.
    let res = app
        .post("/circle-runs", Some(&coord), &json!({"dry_run": true}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        (res.body["circles"].as_i64(), res.body["placed"].as_i64()),
        (Some(1), Some(5)),
        "{}",
        res.text
    );
    assert!(res.body["upper_bound"].as_i64().unwrap() >= res.body["total_score"].as_i64().unwrap());
    assert_eq!(res.body["circle_ids"], json!([]));
    let run_id = res.body["id"].as_str().unwrap().to_string();
    let again = app
        .get(&format!("/circle-runs/{run_id}"), Some(&coord))
        .await;
    assert_eq!(again.body["total_score"], res.body["total_score"]);
    let listed = app.get("/circles", Some(&coord)).await;
    assert_eq!(listed.body["items"], json!([]));

    let id = run_one_circle(&app, &coord).await;
    let path = format!("/circles/{id}");
    // Proposed circles are the coordinators' alone.
    assert_eq!(app.get(&path, Some(&people[0].0.token)).await.status, 404);
    assert_eq!(app.get(&path, Some(&fac.token)).await.status, 404);
    let view = app.get(&path, Some(&coord)).await;
    assert_eq!(view.body["state"], "proposed");
    assert_eq!(view.body["facilitator_id"], fac.id.as_str());
    assert_eq!(view.body["member_ids"].as_array().unwrap().len(), 5);
    assert_eq!(
        view.body["slot"],
        json!({"day": "mon", "start": "17:00", "end": "18:30"}),
        "{}",
        view.text
    );
    // Everyone shares a private experience: coordinators see that it counted.
    assert!(
        component_names(&view.body).contains(&"private_overlap".to_string()),
        "{}",
        view.text
    );
    let requests = app.get("/circle-requests?state=placed", Some(&coord)).await;
    assert_eq!(requests.body["items"].as_array().unwrap().len(), 5);

    let res = app
        .post(&format!("{path}/approve"), Some(&coord), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "approved");
    assert_eq!(
        app.post(&format!("{path}/approve"), Some(&coord), &json!({}))
            .await
            .status,
        409
    );
    // Each member is invited by email with the group agreement; the
    // facilitator is told. Nobody's address or private tag is in them.
    let invite = app
        .email_to(
            &people[0].0.email,
            "invited to a Kindred peer-support circle",
        )
        .await;
    let text = invite.text_body.clone().unwrap();
    assert!(text.contains("Fran"), "{text}");
    assert!(text.contains(&format!("/circles/{id}")), "{text}");
    assert!(text.to_lowercase().contains("confidential"), "{text}");
    for p in &people[1..] {
        assert!(!invite.raw.contains(&p.0.email), "another member's address");
    }
    assert!(
        !invite.raw.contains("domestic"),
        "a private tag in an invitation"
    );
    let fac_mail = app
        .email_to(&fac.email, "circle for you to facilitate")
        .await;
    assert!(fac_mail
        .text_body
        .unwrap()
        .contains(&format!("/circles/{id}")));

    // A member's view: names and pronouns, no email address, no private overlap.
    let mine = app.get(&path, Some(&people[0].0.token)).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["my_state"], "invited");
    assert!(!mine.text.contains("@example.org"), "{}", mine.text);
    assert!(!component_names(&mine.body).contains(&"private_overlap".to_string()));
    let shown: i64 = mine.body["explanation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["points"].as_i64().unwrap())
        .sum();
    assert_eq!(mine.body["score"].as_i64(), Some(shown));
    assert!(mine.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["display_name"] == "Bea"));
    assert!(mine.body.get("meeting_details").is_none());
    let theirs = app.get("/circles", Some(&people[1].0.token)).await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);

    // Joining needs the group agreement.
    let res = app
        .post(
            &format!("{path}/join"),
            Some(&people[0].0.token),
            &json!({"agree_to_guidelines": false}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.body["errors"]["agree_to_guidelines"].is_array());
    for (p, _) in people.iter().take(3) {
        let res = app
            .post(
                &format!("{path}/join"),
                Some(&p.token),
                &json!({"agree_to_guidelines": true}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["my_state"], "joined");
    }
    // Three joined: fewer than min_size (4), so it cannot start.
    let start = json!({"meeting_details": "Video call: https://meet.example.org/circle"});
    let res = app
        .post(&format!("{path}/start"), Some(&fac.token), &start)
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    // Only the facilitator starts it.
    let res = app
        .post(
            &format!("{path}/join"),
            Some(&people[3].0.token),
            &json!({"agree_to_guidelines": true}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        app.post(&format!("{path}/start"), Some(&people[0].0.token), &start)
            .await
            .status,
        403
    );
    let res = app
        .post(&format!("{path}/start"), Some(&fac.token), &start)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "active");
    assert_eq!(
        res.body["meeting_details"],
        "Video call: https://meet.example.org/circle"
    );
    // Everyone who joined gets the meeting details and a weekly calendar
    // event in their own zone, with nobody's address in it.
    let started = app.email_to(&people[0].0.email, "circle has started").await;
    assert!(started
        .text_body
        .clone()
        .unwrap()
        .contains("https://meet.example.org/circle"));
    let (name, kind, bytes) = started.attachments.first().expect("a calendar").clone();
    assert_eq!(
        (name.as_str(), kind.as_str()),
        ("kindred-circle.ics", "text/calendar")
    );
    let ics = String::from_utf8(bytes).unwrap();
    assert!(
        ics.contains("RRULE:FREQ=WEEKLY") && ics.contains("TZID=Europe/Madrid"),
        "{ics}"
    );
    assert!(
        !ics.contains("@example.org") && !ics.contains("ATTENDEE"),
        "{ics}"
    );
    app.email_to(&fac.email, "circle has started").await;
    // Someone invited who has not joined yet does not see where it meets.
    let before = app.get(&path, Some(&people[4].0.token)).await;
    assert_eq!(before.body["state"], "active");
    assert!(
        before.body.get("meeting_details").is_none(),
        "{}",
        before.text
    );
    // The fifth joins after the start and gets the details then.
    let res = app
        .post(
            &format!("{path}/join"),
            Some(&people[4].0.token),
            &json!({"agree_to_guidelines": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.email_to(&people[4].0.email, "circle has started").await;

    // Sessions: upcoming ones, none begun, so no attendance yet.
    let sessions = app
        .get(&format!("{path}/sessions"), Some(&people[0].0.token))
        .await;
    assert_eq!(sessions.status, 200, "{}", sessions.text);
    assert!(!sessions.body.as_array().unwrap().is_empty());
    let res = app
        .post(
            &format!("{path}/sessions/1/attendance"),
            Some(&fac.token),
            &json!({"present": []}),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);

    // A check-in asking for support: the note is the coordinators' alone.
    let res = app
        .post(
            &format!("{path}/check-ins"),
            Some(&people[1].0.token),
            &json!({"rating": 2, "needs_support": true, "note": "A hard week at home."}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // The facilitator and the coordinators are alerted at once; the note
    // stays in the app.
    let alert = app.email_to(&fac.email, "asked for support").await;
    assert!(alert.text_body.clone().unwrap().contains("Bea"));
    assert!(
        !alert.raw.contains("hard week"),
        "the note reached the facilitator"
    );
    let alert = app
        .email_to("coord@example.org", "circle check-in asks for support")
        .await;
    assert!(!alert.raw.contains("hard week"), "the note left the app");
    let for_fac = app
        .get(&format!("{path}/check-ins"), Some(&fac.token))
        .await;
    assert_eq!(for_fac.body, json!([]));
    let for_coord = app.get(&format!("{path}/check-ins"), Some(&coord)).await;
    assert_eq!(for_coord.body[0]["note"], "A hard week at home.");
    let for_other = app
        .get(&format!("{path}/check-ins"), Some(&people[2].0.token))
        .await;
    assert_eq!(for_other.body, json!([]));

    // Leaving needs no reason; the request closes.
    let res = app
        .post(
            &format!("{path}/leave"),
            Some(&people[4].0.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["my_state"], "left");
    assert!(res.body.get("meeting_details").is_none(), "{}", res.text);
    let req = app
        .get(
            &format!("/circle-requests/{}", people[4].1),
            Some(&people[4].0.token),
        )
        .await;
    assert_eq!(req.body["state"], "closed");

    let res = app
        .post(
            &format!("{path}/end"),
            Some(&people[0].0.token),
            &json!({"reason": "done"}),
        )
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .post(
            &format!("{path}/end"),
            Some(&fac.token),
            &json!({"reason": "Our twelve weeks are over."}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "ended");
    let ended = app.email_to(&people[0].0.email, "circle has ended").await;
    assert!(
        !ended.raw.contains("twelve weeks"),
        "the end reason is not sent to members"
    );
    let facs = app.get("/facilitators", Some(&coord)).await;
    assert_eq!(facs.body["items"][0]["circles"], 0, "{}", facs.text);
    // The export holds the person's circle data.
    let export = app.get("/me/export", Some(&people[1].0.token)).await;
    let circles = &export.body["circles"];
    assert_eq!(
        circles["requests"][0]["topics"],
        json!(["coming-out-at-work"]),
        "{}",
        export.text
    );
    assert_eq!(circles["circles"][0]["id"], id.as_str());
    assert_eq!(circles["check_ins"][0]["note"], "A hard week at home.");
}

async fn manual_circles_keep_the_hard_rules(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;
    let people = members(&app, 4).await;
    let ids: Vec<String> = people.iter().map(|p| p.1.clone()).collect();
    let slot = json!({"day": "mon", "start": "17:00", "end": "18:30"});

    // Too few members, and a slot outside everyone's availability.
    let res = app
        .post("/circles", Some(&coord), &json!({"facilitator_id": fac.id, "request_ids": &ids[..3], "slot": {"day": "tue", "start": "17:00", "end": "18:30"}}))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.body["errors"]["request_ids"].is_array(), "{}", res.text);
    assert!(res.body["errors"]["slot"].is_array(), "{}", res.text);
    // A slot shorter than the session length.
    let res = app
        .post("/circles", Some(&coord), &json!({"facilitator_id": fac.id, "request_ids": ids, "slot": {"day": "mon", "start": "17:00", "end": "17:30"}}))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.body["errors"]["slot.end"].is_array(), "{}", res.text);
    // Not a facilitator.
    let res = app
        .post(
            "/circles",
            Some(&coord),
            &json!({"facilitator_id": people[0].0.id, "request_ids": ids, "slot": slot}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.body["errors"]["facilitator_id"].is_array());
    // A block between two of them.
    let res = app
        .post(
            "/blocks",
            Some(&people[0].0.token),
            &json!({"user_id": people[1].0.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post(
            "/circles",
            Some(&coord),
            &json!({"facilitator_id": fac.id, "request_ids": ids, "slot": slot}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("block"), "{}", res.text);
    // Nothing was written by the refusals.
    let listed = app.get("/circles", Some(&coord)).await;
    assert_eq!(listed.body["items"], json!([]));
    let open = app.get("/circle-requests", Some(&coord)).await;
    assert_eq!(open.body["items"].as_array().unwrap().len(), 4);

    // Without the blocked person (and a fifth) it works, and reject reopens.
    let (_, extra) = circle_member(&app, "member9@example.org", "Gus").await;
    let ok_ids = vec![ids[0].clone(), ids[2].clone(), ids[3].clone(), extra];
    let res = app.post("/circles", Some(&coord), &json!({"facilitator_id": fac.id, "request_ids": ok_ids, "slot": slot, "note": "hand-made"})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["state"], "proposed");
    assert_eq!(res.body["slot"], slot);
    let id = res.body["id"].as_str().unwrap().to_string();
    let res = app
        .post(
            &format!("/circles/{id}/reject"),
            Some(&coord),
            &json!({"reason": ""}),
        )
        .await;
    assert_eq!(res.status, 422);
    let res = app
        .post(
            &format!("/circles/{id}/reject"),
            Some(&coord),
            &json!({"reason": "Try another mix."}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["state"], "rejected");
    let open = app.get("/circle-requests?state=open", Some(&coord)).await;
    assert_eq!(open.body["items"].as_array().unwrap().len(), 5);
    assert_eq!(
        app.post(&format!("/circles/{id}/approve"), Some(&coord), &json!({}))
            .await
            .status,
        409
    );
}

async fn who_may_do_and_see_what(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let (member, rid) = circle_member(&app, "member0@example.org", "Alex").await;
    for (path, body) in [
        ("/circle-runs", json!({})),
        (
            "/facilitators",
            json!({"user_id": member.id, "trained_on": "2026-01-01", "training": "x"}),
        ),
    ] {
        assert_eq!(
            app.post(path, Some(&member.token), &body).await.status,
            403,
            "{path}"
        );
    }
    assert_eq!(
        app.get("/circle-requests", Some(&member.token))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/facilitators", Some(&member.token)).await.status,
        403
    );
    // A facilitator profile needs the role.
    let mut body = profile_body("mentor");
    body.as_object_mut().unwrap().remove("capacity");
    body.as_object_mut().unwrap().remove("accepting");
    body["max_circles"] = json!(1);
    assert_eq!(
        app.put("/me/facilitator-profile", Some(&member.token), &body)
            .await
            .status,
        403
    );
    // One request at a time; topics are taxonomy tags.
    let res = app
        .post("/circle-requests", Some(&member.token), &json!({}))
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let (other, _) = app.signup("other@example.org", "mentee").await;
    let _ = app
        .put("/me/mentee-profile", Some(&other), &profile_body("mentee"))
        .await;
    let res = app
        .post(
            "/circle-requests",
            Some(&other),
            &json!({"topics": ["no-such-tag", "bisexual", "bisexual"]}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.body["errors"]["topics[0]"].is_array() && res.body["errors"]["topics[2]"].is_array(),
        "{}",
        res.text
    );
    // Someone else's request is not found; the author withdraws their own.
    assert_eq!(
        app.get(&format!("/circle-requests/{rid}"), Some(&other))
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete(&format!("/circle-requests/{rid}"), Some(&other))
            .await
            .status,
        404
    );
    assert_eq!(
        app.delete(&format!("/circle-requests/{rid}"), Some(&member.token))
            .await
            .status,
        204
    );
    assert_eq!(
        app.get(&format!("/circle-requests/{rid}"), Some(&coord))
            .await
            .body["state"],
        "withdrawn"
    );
    // Training records: a date in the future or an unknown person is 422.
    let res = app
        .post(
            "/facilitators",
            Some(&coord),
            &json!({"user_id": "nobody", "trained_on": "2999-01-01", "training": " "}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    for f in ["user_id", "trained_on", "training"] {
        assert!(res.body["errors"][f].is_array(), "{f}: {}", res.text);
    }
    // Run sizes are checked.
    let res = app
        .post(
            "/circle-runs",
            Some(&coord),
            &json!({"min_size": 6, "max_size": 5}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        app.get("/circles/nope", Some(&member.token)).await.status,
        404
    );
    assert_eq!(
        app.get("/circles?state=bogus", Some(&coord)).await.status,
        422
    );
}

/// An approved circle of five with everyone joined. Returns (coordinator,
/// facilitator, members, circle id).
async fn approved_circle(
    app: &TestApp,
    join: usize,
) -> (String, Person, Vec<(Person, String)>, String) {
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(app, &coord, "fran@example.org").await;
    let people = members(app, 5).await;
    let id = run_one_circle(app, &coord).await;
    let res = app
        .post(&format!("/circles/{id}/approve"), Some(&coord), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    for (p, _) in people.iter().take(join) {
        let res = app
            .post(
                &format!("/circles/{id}/join"),
                Some(&p.token),
                &json!({"agree_to_guidelines": true}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    (coord, fac, people, id)
}

async fn erasure_and_blocks_inside_a_circle(db: Db) {
    let app = TestApp::spawn(db).await;
    let (coord, fac, people, id) = approved_circle(&app, 4).await;
    let path = format!("/circles/{id}");
    // A block between two members of the circle: the circle stays; the
    // facilitator and the coordinators are told.
    let res = app
        .post(
            "/blocks",
            Some(&people[0].0.token),
            &json!({"user_id": people[1].0.id}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(app.get(&path, Some(&coord)).await.body["state"], "approved");
    let alert = app.email_to(&fac.email, "block between two members").await;
    let text = alert.text_body.unwrap();
    assert!(text.contains("Alex") && text.contains("Bea"), "{text}");
    app.email_to("coord@example.org", "block between two members")
        .await;

    // Erasure takes the person out of the circle and closes their request.
    assert_eq!(
        app.delete("/me", Some(&people[2].0.token)).await.status,
        204
    );
    let view = app.get(&path, Some(&coord)).await;
    let erased = view.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == people[2].0.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(erased["state"], "removed", "{}", view.text);
    assert_eq!(view.body["member_ids"].as_array().unwrap().len(), 4);
    // Their topics and note are gone from the database.
    let rid = people[2].1.clone();
    let (topics, note) = app
        .with_db(move |conn| {
            let r = kindred_db::circles::requests::get(conn, &rid)
                .unwrap()
                .unwrap();
            (r.topics, r.note)
        })
        .await;
    assert_eq!((topics.as_str(), note), ("[]", None));
    // Two more leave: the circle is below min_size.
    for p in [&people[3].0, &people[4].0] {
        assert_eq!(
            app.post(&format!("{path}/leave"), Some(&p.token), &json!({}))
                .await
                .status,
            200
        );
    }
    let view = app.get(&path, Some(&fac.token)).await;
    assert_eq!(view.body["member_ids"].as_array().unwrap().len(), 2);
    // Five, then four (min_size), then three: told once, when it fell below.
    let below = app
        .email_to(&fac.email, "fewer members than it needs")
        .await;
    let text = below.text_body.unwrap();
    // Fluent isolates placeables (U+2068 … U+2069).
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect();
    assert!(
        plain.contains("now has 3 members, fewer than the minimum of 4"),
        "{text}"
    );
    app.email_to("coord@example.org", "fewer members than it needs")
        .await;
    app.wait_outbox_idle().await;
    let told = app
        .sink
        .messages_to(&fac.email)
        .into_iter()
        .filter(|m| m.subject.contains("fewer members than it needs"))
        .count();
    assert_eq!(told, 1, "told once, when the circle fell below min_size");

    // A facilitator whose role is revoked: their running circle is flagged.
    assert_eq!(
        app.delete(&format!("/facilitators/{}", fac.id), Some(&coord))
            .await
            .status,
        204
    );
    let view = app.get(&path, Some(&coord)).await;
    assert!(view.body["flagged_at"].is_string(), "{}", view.text);
    app.email_to("coord@example.org", "lost the role").await;
    let me = app.get("/me", Some(&fac.token)).await;
    assert!(!me.body["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("facilitator")));
    assert_eq!(
        app.delete(&format!("/facilitators/{}", fac.id), Some(&coord))
            .await
            .status,
        404
    );
}

async fn an_unanswered_invitation_offers_the_place_to_the_next_request(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.circles.invite_timeout = kindred_config::Duration::from_secs(2);
    })
    .await;
    let (coord, _fac, people, id) = approved_circle(&app, 4).await;
    // A sixth person asks after the run; the fifth never answers.
    let (sixth, sixth_rid) = circle_member(&app, "member6@example.org", "Gala").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let view = app.get(&format!("/circles/{id}"), Some(&coord)).await;
        let states: Vec<(String, String)> = view.body["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["user_id"].as_str().unwrap().to_string(),
                    m["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let fifth = states
            .iter()
            .find(|s| s.0 == people[4].0.id)
            .map(|s| s.1.clone());
        let new = states.iter().find(|s| s.0 == sixth.id).map(|s| s.1.clone());
        if fifth.as_deref() == Some("expired") && new.as_deref() == Some("invited") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no expiry and offer: {states:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let req = app
        .get(&format!("/circle-requests/{sixth_rid}"), Some(&sixth.token))
        .await;
    assert_eq!(req.body["state"], "placed");
    let old = app
        .get(
            &format!("/circle-requests/{}", people[4].1),
            Some(&people[4].0.token),
        )
        .await;
    assert_eq!(old.body["state"], "closed");
    app.email_to(&people[4].0.email, "invitation has expired")
        .await;
    app.email_to(&sixth.email, "invited to a Kindred peer-support circle")
        .await;
    let res = app
        .post(
            &format!("/circles/{id}/join"),
            Some(&sixth.token),
            &json!({"agree_to_guidelines": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn attendance_and_missed_sessions(db: Db) {
    // Reminders 8 days ahead: the first session (within a week) is due at once.
    let app = TestApp::spawn_with(db, |s| {
        s.circles.reminder_before = kindred_config::Duration::from_days(8);
    })
    .await;
    let (coord, fac, people, id) = approved_circle(&app, 4).await;
    let start = json!({"meeting_details": "Community centre, room 2"});
    assert_eq!(
        app.post(&format!("/circles/{id}/start"), Some(&fac.token), &start)
            .await
            .status,
        200
    );
    let reminder = app.email_to(&people[3].0.email, "meets soon").await;
    assert!(reminder
        .text_body
        .unwrap()
        .contains("Community centre, room 2"));
    app.email_to(&fac.email, "meets soon").await;
    // Someone who joins after the start is reminded of the next session too.
    let res = app
        .post(
            &format!("/circles/{id}/join"),
            Some(&people[4].0.token),
            &json!({"agree_to_guidelines": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.email_to(&people[4].0.email, "meets soon").await;
    // Pretend the circle started three weeks ago.
    let cid = id.clone();
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use kindred_db::schema::circles;
        let at = kindred_db::now() - chrono::TimeDelta::days(22);
        diesel::update(circles::table.find(&cid))
            .set(circles::started_at.eq(Some(at)))
            .execute(conn)
            .unwrap();
    })
    .await;
    let sessions = app
        .get(&format!("/circles/{id}/sessions"), Some(&fac.token))
        .await;
    let begun = sessions
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["starts_at"].as_str().unwrap() < chrono::Utc::now().to_rfc3339().as_str())
        .count();
    assert!(begun >= 3, "{}", sessions.text);
    // Someone who is not a member cannot be marked present.
    let res = app
        .post(
            &format!("/circles/{id}/sessions/1/attendance"),
            Some(&fac.token),
            &json!({"present": [coord.clone()]}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        app.post(
            &format!("/circles/{id}/sessions/1/attendance"),
            Some(&people[0].0.token),
            &json!({"present": []})
        )
        .await
        .status,
        403
    );
    // Member 0 misses sessions 1 and 2.
    let others: Vec<String> = people.iter().skip(1).map(|p| p.0.id.clone()).collect();
    for n in 1..=2 {
        let res = app
            .post(
                &format!("/circles/{id}/sessions/{n}/attendance"),
                Some(&fac.token),
                &json!({"present": others}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let mine = app
        .get(&format!("/circles/{id}/sessions"), Some(&people[0].0.token))
        .await;
    assert_eq!(mine.body[0]["me_present"], false, "{}", mine.text);
    assert!(mine.body[0].get("present").is_none());
    let theirs = app
        .get(&format!("/circles/{id}/sessions"), Some(&fac.token))
        .await;
    assert_eq!(theirs.body[1]["present"].as_array().unwrap().len(), 4);
    let missed = app
        .with_db({
            let id = id.clone();
            let user = people[0].0.id.clone();
            move |conn| {
                kindred_db::circles::members::of_circle(conn, &id)
                    .unwrap()
                    .into_iter()
                    .find(|m| m.user_id == user)
                    .unwrap()
                    .missed_in_row
            }
        })
        .await;
    assert_eq!(missed, 2);
    let note = app.email_to(&people[0].0.email, "We missed you").await;
    assert!(note.text_body.unwrap().contains("Fran"));
    let told = app.email_to(&fac.email, "missed").await;
    assert!(told.text_body.unwrap().contains("Alex"));
    // Recording the same session again sends nothing more.
    let res = app
        .post(
            &format!("/circles/{id}/sessions/2/attendance"),
            Some(&fac.token),
            &json!({"present": others}),
        )
        .await;
    assert_eq!(res.status, 200);
    app.wait_outbox_idle().await;
    let notes = app
        .sink
        .messages_to(&people[0].0.email)
        .into_iter()
        .filter(|m| m.subject.contains("We missed you"))
        .count();
    assert_eq!(notes, 1);
}

/// `kindred demo` loads facilitators and circle requests too; a run over
/// them forms circles that keep the bounds, and reports its bound.
async fn the_demo_programme_forms_circles(db: Db) {
    let app = TestApp::spawn(db).await;
    let pool = app.pool.clone();
    tokio::task::spawn_blocking(move || kindred_service::demo::seed(&pool, 40, 120, 7).unwrap())
        .await
        .unwrap();
    let coord = app.coordinator("coord@example.org").await;
    let facs = app.get("/facilitators", Some(&coord)).await;
    assert_eq!(
        facs.body["items"].as_array().unwrap().len(),
        5,
        "{}",
        facs.text
    );
    let res = app.post("/circle-runs", Some(&coord), &json!({})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let report = &res.body["report"];
    assert_eq!(report["requests"], 60, "{}", res.text);
    assert!(res.body["circles"].as_i64().unwrap() >= 1, "{}", res.text);
    assert!(
        res.body["upper_bound"].as_i64().unwrap() >= res.body["total_score"].as_i64().unwrap(),
        "{}",
        res.text
    );
    let placed = res.body["placed"].as_i64().unwrap();
    let unplaced = res.body["unplaced_requests"].as_array().unwrap().len() as i64;
    assert_eq!(placed + unplaced, 60);
    for id in res.body["circle_ids"].as_array().unwrap() {
        let c = app
            .get(&format!("/circles/{}", id.as_str().unwrap()), Some(&coord))
            .await;
        let n = c.body["member_ids"].as_array().unwrap().len();
        assert!((4..=8).contains(&n), "{}", c.text);
    }
}
