//! The coordinators' safety inbox (`GET /safety/inbox`, `POST`/`DELETE
//! /reports/{id}/handled` and `/check-ins/{id}/handled`): reports and
//! check-ins that asked for support, newest first across both kinds, with
//! the people and the match; handling moves an item from open to handled
//! (once: the first handling is kept); pages have no duplicates or gaps;
//! erasing a reporter, an author or the handling coordinator keeps the
//! inbox working and shows none of their erased data.

use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::{json, Value};

both_backends!(
    the_inbox_merges_reports_and_support_check_ins_newest_first,
    handling_moves_an_item_from_open_to_handled_once,
    only_coordinators_use_the_inbox_and_unknown_ids_are_404,
    the_inbox_pages_newest_first_without_duplicates_or_gaps,
    erasure_keeps_the_inbox_working_without_the_erased_data,
);

/// A named mentor with a profile.
async fn mentor(app: &TestApp, email: &str, name: &str) -> Person {
    let (token, id) = app.signup_named(email, name, "mentor").await;
    let res = app
        .put("/me/mentor-profile", Some(&token), &profile_body("mentor"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    Person {
        token,
        id,
        email: email.to_string(),
    }
}

/// A named mentee in an active match with `mentor`. Returns the mentee and the match id.
async fn matched_mentee(
    app: &TestApp,
    coordinator: &str,
    mentor: &Person,
    email: &str,
    name: &str,
) -> (Person, String) {
    let (token, id) = app.signup_named(email, name, "mentee").await;
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.post("/requests", Some(&token), &json!({})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let request_id = res.body["id"].as_str().unwrap().to_string();
    let m = app.propose(coordinator, &mentor.id, &request_id).await;
    app.activate(coordinator, &mentor.token, &m).await;
    let person = Person {
        token,
        id,
        email: email.to_string(),
    };
    (person, m)
}

async fn check_in(app: &TestApp, token: &str, m: &str, body: Value) -> String {
    let res = app
        .post(&format!("/matches/{m}/check-ins"), Some(token), &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn report(app: &TestApp, token: &str, body: &Value) -> String {
    let res = app.post("/reports", Some(token), body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

/// The whole inbox in one page of 200.
async fn inbox(app: &TestApp, coordinator: &str, state: &str) -> Vec<Value> {
    let res = app
        .get(
            &format!("/safety/inbox?state={state}&limit=200"),
            Some(coordinator),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.body["next_cursor"].is_null(), "{}", res.text);
    res.body["items"].as_array().unwrap().clone()
}

fn ids(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["id"].as_str().unwrap()).collect()
}

fn find<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {items:?}"))
}

async fn the_inbox_merges_reports_and_support_check_ins_newest_first(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mira = mentor(&app, "mira@example.org", "Mira").await;
    let (tomas, m) = matched_mentee(&app, &coordinator, &mira, "tomas@example.org", "Tomás").await;
    let (other, _) = app.mentee_with_request("other@example.org").await;

    let support = check_in(
        &app,
        &tomas.token,
        &m,
        json!({"rating": 1, "note": "I do not feel safe.", "needs_support": true}),
    )
    .await;
    // A check-in without a request for support is not in the inbox.
    let quiet = check_in(&app, &mira.token, &m, json!({"rating": 5})).await;
    let with_match = report(
        &app,
        &mira.token,
        &json!({"about_user_id": tomas.id, "match_id": m, "reason": "Rude messages."}),
    )
    .await;
    let without_match = report(
        &app,
        &other.token,
        &json!({"about_user_id": mira.id, "reason": "Asked for my address."}),
    )
    .await;

    let items = inbox(&app, &coordinator, "open").await;
    assert_eq!(ids(&items), [&without_match, &with_match, &support]);
    assert!(!ids(&items).contains(&quiet.as_str()));
    let created: Vec<&str> = items
        .iter()
        .map(|i| i["created_at"].as_str().unwrap())
        .collect();
    let mut newest_first = created.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, newest_first);

    let c = find(&items, &support);
    assert_eq!(c["kind"], "check_in");
    assert_eq!(c["author"]["id"], tomas.id);
    assert_eq!(c["author"]["display_name"], "Tomás");
    assert_eq!(c["author"]["erased"], false);
    assert_eq!(c["rating"], 1);
    assert_eq!(c["note"], "I do not feel safe.");
    assert!(c["reporter"].is_null() && c["about"].is_null() && c["reason"].is_null());
    assert!(c["handled_at"].is_null() && c["handled_by"].is_null());
    let ctx = &c["match_context"];
    assert_eq!(ctx["id"], m.as_str());
    assert_eq!(ctx["state"], "active");
    assert_eq!(ctx["mentor"]["display_name"], "Mira");
    assert_eq!(ctx["mentor"]["id"], mira.id);
    assert_eq!(ctx["mentee"]["display_name"], "Tomás");
    assert_eq!(ctx["can_end"], true);

    let r = find(&items, &with_match);
    assert_eq!(r["kind"], "report");
    assert_eq!(r["reporter"]["display_name"], "Mira");
    assert_eq!(r["about"]["display_name"], "Tomás");
    assert_eq!(r["about"]["id"], tomas.id);
    assert_eq!(r["reason"], "Rude messages.");
    assert_eq!(r["match_context"]["id"], m.as_str());
    assert!(r["author"].is_null() && r["rating"].is_null() && r["note"].is_null());
    let r = find(&items, &without_match);
    assert_eq!(r["about"]["display_name"], "Mira");
    assert!(r["match_context"].is_null());

    // Ending the match shows in the context: it can no longer be ended.
    let res = app
        .post(
            &format!("/matches/{m}/end"),
            Some(&coordinator),
            &json!({"reason": "Safety concern."}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let items = inbox(&app, &coordinator, "open").await;
    let ctx = &find(&items, &support)["match_context"];
    assert_eq!(ctx["state"], "ended");
    assert_eq!(ctx["can_end"], false);

    // The older lists keep working, with `handled_at`.
    let res = app.get("/reports", Some(&coordinator)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let reports = res.body["items"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports
        .iter()
        .all(|r| r["handled_at"].is_null() && r["status"] == "open"));
    let res = app
        .get("/check-ins?needs_support=true", Some(&coordinator))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(ids(res.body.as_array().unwrap()), [&support]);
    assert!(res.body[0]["handled_at"].is_null());
    app.stop().await;
}

async fn handling_moves_an_item_from_open_to_handled_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let second = app.coordinator("second-coord@example.org").await;
    let mira = mentor(&app, "mira@example.org", "Mira").await;
    let (tomas, m) = matched_mentee(&app, &coordinator, &mira, "tomas@example.org", "Tomás").await;
    let support = check_in(
        &app,
        &tomas.token,
        &m,
        json!({"rating": 2, "needs_support": true}),
    )
    .await;
    let r = report(
        &app,
        &tomas.token,
        &json!({"about_user_id": mira.id, "reason": "Missed three meetings."}),
    )
    .await;

    let res = app
        .post(
            &format!("/check-ins/{support}/handled"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["id"], support.as_str());
    assert_eq!(res.body["kind"], "check_in");
    assert_eq!(res.body["handled_by"]["display_name"], "Coordinator");
    let first_at = res.body["handled_at"].as_str().unwrap().to_string();
    let first_by = res.body["handled_by"]["id"].clone();

    // Twice (by another coordinator) keeps the first handling.
    let res = app
        .post(
            &format!("/check-ins/{support}/handled"),
            Some(&second),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["handled_at"], first_at.as_str());
    assert_eq!(res.body["handled_by"]["id"], first_by);

    assert_eq!(ids(&inbox(&app, &coordinator, "open").await), [&r]);
    let handled = inbox(&app, &coordinator, "handled").await;
    assert_eq!(ids(&handled), [&support]);
    assert_eq!(handled[0]["handled_at"], first_at.as_str());
    assert_eq!(ids(&inbox(&app, &coordinator, "all").await), [&r, &support]);
    // The default is open.
    let res = app.get("/safety/inbox", Some(&coordinator)).await;
    assert_eq!(ids(res.body["items"].as_array().unwrap()), [&r]);
    let res = app
        .get("/check-ins?needs_support=true", Some(&coordinator))
        .await;
    assert_eq!(res.body[0]["handled_at"], first_at.as_str());

    // A handled report is `resolved` in `GET /reports`.
    let res = app
        .post(&format!("/reports/{r}/handled"), Some(&second), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["kind"], "report");
    let res = app.get("/reports", Some(&coordinator)).await;
    assert_eq!(res.body["items"][0]["status"], "resolved");
    assert!(res.body["items"][0]["handled_at"].is_string());
    assert!(inbox(&app, &coordinator, "open").await.is_empty());
    let res = app
        .get("/api/v1/metrics/programme", Some(&coordinator))
        .await;
    assert_eq!(res.body["open_reports"], 0, "{}", res.text);

    // Reopening puts it back in the open list (and is a no-op when open).
    for _ in 0..2 {
        let res = app
            .delete(&format!("/reports/{r}/handled"), Some(&coordinator))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert!(res.body["handled_at"].is_null() && res.body["handled_by"].is_null());
    }
    let res = app
        .delete(&format!("/check-ins/{support}/handled"), Some(&coordinator))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        ids(&inbox(&app, &coordinator, "open").await),
        [&r, &support]
    );
    let res = app.get("/reports", Some(&coordinator)).await;
    assert_eq!(res.body["items"][0]["status"], "open");
    let res = app
        .get("/api/v1/metrics/programme", Some(&coordinator))
        .await;
    assert_eq!(res.body["open_reports"], 1, "{}", res.text);

    // A bad state or cursor is a 422 naming it.
    let res = app
        .get("/safety/inbox?state=closed", Some(&coordinator))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    res.field_error("state");
    let res = app
        .get("/safety/inbox?cursor=not%20a%20cursor", Some(&coordinator))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    res.field_error("cursor");
    app.stop().await;
}

async fn only_coordinators_use_the_inbox_and_unknown_ids_are_404(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mira = mentor(&app, "mira@example.org", "Mira").await;
    let (tomas, m) = matched_mentee(&app, &coordinator, &mira, "tomas@example.org", "Tomás").await;
    let support = check_in(
        &app,
        &tomas.token,
        &m,
        json!({"rating": 1, "needs_support": true}),
    )
    .await;
    let quiet = check_in(&app, &tomas.token, &m, json!({"rating": 4})).await;
    let r = report(
        &app,
        &tomas.token,
        &json!({"about_user_id": mira.id, "reason": "Shouted at me."}),
    )
    .await;

    // The participants, even the author and the reporter, get what they
    // get on `GET /reports`: 403, before any validation.
    for token in [&tomas.token, &mira.token] {
        assert_eq!(app.get("/reports", Some(token)).await.status, 403);
        for path in ["/safety/inbox", "/safety/inbox?state=bogus"] {
            let res = app.get(path, Some(token)).await;
            assert_eq!(res.status, 403, "{path}: {}", res.text);
        }
        for path in [
            format!("/reports/{r}/handled"),
            format!("/check-ins/{support}/handled"),
            "/reports/no-such-report/handled".to_string(),
        ] {
            let res = app.post(&path, Some(token), &json!({})).await;
            assert_eq!(res.status, 403, "POST {path}: {}", res.text);
            let res = app.delete(&path, Some(token)).await;
            assert_eq!(res.status, 403, "DELETE {path}: {}", res.text);
        }
    }
    assert_eq!(app.get("/safety/inbox", None).await.status, 401);
    // Nothing was handled by them.
    assert_eq!(
        ids(&inbox(&app, &coordinator, "open").await),
        [&r, &support]
    );

    // Unknown ids, a report's id as a check-in and a check-in that did not
    // ask for support: 404.
    for path in [
        "/reports/0190aaaa-0000-7000-8000-000000000000/handled".to_string(),
        "/check-ins/no-such-check-in/handled".to_string(),
        format!("/check-ins/{r}/handled"),
        format!("/reports/{support}/handled"),
        format!("/check-ins/{quiet}/handled"),
    ] {
        let res = app.post(&path, Some(&coordinator), &json!({})).await;
        assert_eq!(res.status, 404, "POST {path}: {}", res.text);
        let res = app.delete(&path, Some(&coordinator)).await;
        assert_eq!(res.status, 404, "DELETE {path}: {}", res.text);
    }
    app.stop().await;
}

async fn the_inbox_pages_newest_first_without_duplicates_or_gaps(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mira = mentor(&app, "mira@example.org", "Mira").await;
    let (tomas, m) = matched_mentee(&app, &coordinator, &mira, "tomas@example.org", "Tomás").await;
    // Seven items, alternating kinds, oldest first.
    let mut created = Vec::new();
    for i in 0..7 {
        let id = if i % 2 == 0 {
            check_in(
                &app,
                &tomas.token,
                &m,
                json!({"rating": 2, "note": format!("note {i}"), "needs_support": true}),
            )
            .await
        } else {
            report(
                &app,
                &mira.token,
                &json!({"about_user_id": tomas.id, "reason": format!("reason {i}")}),
            )
            .await
        };
        created.push(id);
    }
    // One handled item is not on the open pages.
    let res = app
        .post(
            &format!("/reports/{}/handled", created[3]),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    for (state, expected) in [
        ("all", created.iter().rev().cloned().collect::<Vec<_>>()),
        (
            "open",
            created
                .iter()
                .rev()
                .filter(|id| **id != created[3])
                .cloned()
                .collect(),
        ),
    ] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut path = format!("/safety/inbox?state={state}&limit=2");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let res = app.get(&path, Some(&coordinator)).await;
            assert_eq!(res.status, 200, "{}", res.text);
            let items = res.body["items"].as_array().unwrap();
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_string()));
            pages += 1;
            match res.body["next_cursor"].as_str() {
                Some(c) => {
                    assert!(
                        c.len() <= 100
                            && c.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                        "{c}"
                    );
                    cursor = Some(c.to_string());
                }
                None => break,
            }
            assert!(pages < 10, "the pages never end");
        }
        assert_eq!(seen, expected, "{state}");
        assert_eq!(pages, expected.len().div_ceil(2), "{state}");
    }
    app.stop().await;
}

async fn erasure_keeps_the_inbox_working_without_the_erased_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let leaving = app.coordinator("leaving-coord@example.org").await;
    let mira = mentor(&app, "mira@example.org", "Mirabel Quince").await;
    let (tomas, m) = matched_mentee(
        &app,
        &coordinator,
        &mira,
        "tomas@example.org",
        "Tomasz Wildeboer",
    )
    .await;
    let support = check_in(
        &app,
        &tomas.token,
        &m,
        json!({"rating": 1, "note": "Panic attacks before our calls.", "needs_support": true}),
    )
    .await;
    let by_tomas = report(
        &app,
        &tomas.token,
        &json!({"about_user_id": mira.id, "match_id": m, "reason": "Mocked my accent repeatedly."}),
    )
    .await;
    let about_tomas = report(
        &app,
        &mira.token,
        &json!({"about_user_id": tomas.id, "reason": "Aggressive messages."}),
    )
    .await;
    // The leaving coordinator handles one item, then erases their account.
    let res = app
        .post(
            &format!("/reports/{about_tomas}/handled"),
            Some(&leaving),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let leaving_id = res.body["handled_by"]["id"].as_str().unwrap().to_string();
    assert_eq!(app.delete("/me", Some(&leaving)).await.status, 204);
    // The mentee, reporter and author, erases theirs.
    assert_eq!(app.delete("/me", Some(&tomas.token)).await.status, 204);

    let res = app
        .get("/safety/inbox?state=all&limit=200", Some(&coordinator))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let items = res.body["items"].as_array().unwrap().clone();
    assert_eq!(ids(&items), [&about_tomas, &by_tomas, &support]);
    for erased in [
        "Tomasz",
        "Wildeboer",
        "tomas@example.org",
        "Panic attacks",
        "Mocked my accent",
        "leaving-coord@example.org",
    ] {
        assert!(
            !res.text.contains(erased),
            "{erased:?} still in the inbox: {}",
            res.text
        );
    }
    let c = find(&items, &support);
    assert_eq!(c["author"]["id"], tomas.id);
    assert_eq!(c["author"]["display_name"], "Deleted user");
    assert_eq!(c["author"]["erased"], true);
    assert!(c["note"].is_null());
    assert_eq!(c["rating"], 1, "the rating stays (docs/privacy.md)");
    assert_eq!(c["match_context"]["state"], "ended");
    assert_eq!(c["match_context"]["mentee"]["display_name"], "Deleted user");
    assert_eq!(
        c["match_context"]["mentor"]["display_name"],
        "Mirabel Quince"
    );
    let r = find(&items, &by_tomas);
    assert!(r["reporter"].is_null(), "{r}");
    assert_eq!(r["reason"], "[erased at the reporter's request]");
    assert_eq!(r["about"]["display_name"], "Mirabel Quince");
    // Reports about the erased person stay (they outlive erasure), and so
    // does the handling of the erased coordinator, by their tombstone.
    let r = find(&items, &about_tomas);
    assert_eq!(r["about"]["display_name"], "Deleted user");
    assert_eq!(r["reason"], "Aggressive messages.");
    assert!(r["handled_at"].is_string());
    assert_eq!(r["handled_by"]["id"], leaving_id.as_str());
    assert_eq!(r["handled_by"]["display_name"], "Deleted user");
    assert_eq!(r["handled_by"]["erased"], true);

    // Still usable: handle and reopen items that involve erased people.
    for path in [
        format!("/check-ins/{support}/handled"),
        format!("/reports/{by_tomas}/handled"),
    ] {
        let res = app.post(&path, Some(&coordinator), &json!({})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["handled_by"]["display_name"], "Coordinator");
    }
    let res = app
        .delete(
            &format!("/reports/{about_tomas}/handled"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        ids(&inbox(&app, &coordinator, "open").await),
        [&about_tomas]
    );
    assert_eq!(
        ids(&inbox(&app, &coordinator, "handled").await),
        [&by_tomas, &support]
    );
    app.stop().await;
}
