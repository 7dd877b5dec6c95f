//! Peer-support circles in a real headless Chromium, on both backends: a
//! member asks to join a circle; a coordinator grants the facilitator role,
//! previews and runs formation (the report's charts), tries a manual circle
//! with errors and approves the run's circle; the member joins (first
//! without ticking the group agreement); the facilitator starts the circle
//! and takes attendance; the member checks in. axe-core (WCAG 2.2 AA) checks
//! every page, also at 320 px. The member and the coordinator use
//! different languages, swapped between the backends.

use kindred_testkit::Browser;
use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::json;

use super::steps::Journey;
use super::PASSWORD;
use crate::circles::circle_member;

both_backends!(web_journey_circles_in_chromium);

/// Logs out with the header's button.
async fn log_out(j: &mut Journey<'_>) {
    super::people::log_out(j).await;
}

/// Sets an input's value directly (a date input's typing depends on the
/// browser's locale).
async fn set_value(j: &Journey<'_>, id: &str, value: &str) {
    j.browser
        .eval_with(
            "document.getElementById(arguments[0]).value = arguments[1]; return true;",
            vec![json!(id), json!(value)],
        )
        .await;
}

async fn web_journey_circles_in_chromium(db: Db) {
    let sqlite = matches!(db, Db::Sqlite);
    let (member_lang, coord_lang) = if sqlite { ("es", "en") } else { ("en", "es") };
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    // Fran will facilitate: a mentor until a coordinator grants the role.
    let (fran_token, fran_id) = app.signup_named("fran@example.org", "Fran", "mentor").await;
    // Ana asks in the browser; four others asked through the API.
    let (ana_token, ana_id) = app.signup_named("ana@example.org", "Ana", "mentee").await;
    let res = app
        .put(
            "/me/mentee-profile",
            Some(&ana_token),
            &profile_body("mentee"),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mut others: Vec<Person> = Vec::new();
    for (i, name) in ["Bea", "Cruz", "Dani", "Eli"].iter().enumerate() {
        others.push(
            circle_member(&app, &format!("member{i}@example.org"), name)
                .await
                .0,
        );
    }

    let browser = Browser::start().await;
    // docs/web.md's circle screenshots come from the SQLite run with
    // KINDRED_WRITE_SCREENSHOTS=1 (the member in Spanish, the coordinator
    // and the facilitator in English).
    let shots = if sqlite && std::env::var_os("KINDRED_WRITE_SCREENSHOTS").is_some() {
        Some(kindred_tests::workspace_root().join("docs/screenshots"))
    } else {
        Some(std::env::temp_dir().join(format!("kindred-circle-shots-{}", std::process::id())))
    };
    let mut j = Journey::new(&app, &browser, shots);

    // Ana asks to join a circle.
    assert_eq!(
        j.log_in("ana@example.org", PASSWORD, member_lang).await,
        "/home"
    );
    j.goto("/circles").await;
    j.check("circles: the member's page with the form", false)
        .await;
    j.shot("circles-ask").await;
    j.browser.click_id("topic-coming-out-at-work").await;
    j.browser.fill_id("request-note", "Evenings suit me.").await;
    j.click_submit("ask-submit").await;
    assert_eq!(j.path().await, "/circles?notice=asked");
    j.check("circles: the request waiting", false).await;
    log_out(&mut j).await;

    // The coordinator grants Fran the role (an error first), previews a
    // run, runs it, tries a manual circle, approves.
    assert_eq!(
        j.log_in("coord@example.org", "coordinator passphrase", coord_lang)
            .await,
        "/home"
    );
    j.goto("/console/circles").await;
    j.check("console: circles", false).await;
    j.goto("/console/facilitators").await;
    j.check("console: facilitators, none yet", false).await;
    j.browser.fill_id("user-id", &fran_id).await;
    j.click_submit("grant-submit").await;
    assert!(j.browser.source().await.contains("aria-invalid=\"true\""));
    j.check("console: the grant form with errors", false).await;
    // By email this time (the looked-up account gets the role).
    j.browser.fill_id("user-id", "fran@example.org").await;
    set_value(&j, "trained-on", "2026-10-01").await;
    j.browser
        .fill_id("training", "Peer support facilitation, 20 hours")
        .await;
    j.click_submit("grant-submit").await;
    assert_eq!(j.path().await, "/console/facilitators?notice=granted");
    let facs = app.get("/facilitators", Some(&coord)).await;
    assert_eq!(facs.body["items"][0]["user_id"], fran_id, "{}", facs.text);
    j.check("console: a facilitator granted", false).await;
    j.shot("console-facilitators").await;
    // Fran's facilitator profile (the API; the page is checked below).
    let mut body = profile_body("mentor");
    body.as_object_mut().unwrap().remove("capacity");
    body.as_object_mut().unwrap().remove("accepting");
    body["max_circles"] = json!(2);
    let res = app
        .put("/me/facilitator-profile", Some(&fran_token), &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);

    j.goto("/console/circle-runs").await;
    j.check("console: circle runs", false).await;
    j.click_submit("circle-run-submit").await;
    assert!(j.path().await.starts_with("/console/circle-runs/"));
    let report = j.browser.source().await;
    assert!(
        report.contains("<svg class=\"chart\""),
        "the report's charts"
    );
    j.check("console: a dry circle run's report", false).await;
    j.click_submit("real-run-submit").await;
    j.check("console: a circle run's report", false).await;
    j.shot("console-circle-run").await;
    let proposed = app.get("/circles?state=proposed", Some(&coord)).await;
    let cid = proposed.body["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no proposed circle: {}", proposed.text))
        .to_string();

    j.goto("/console/circles/new").await;
    j.check("console: a manual circle", false).await;
    j.click_submit("create-submit").await;
    assert!(j.browser.source().await.contains("aria-invalid=\"true\""));
    j.check("console: a manual circle with errors", false).await;
    j.shot("console-manual-circle-errors").await;

    j.goto(&format!("/console/circles/{cid}")).await;
    j.check("console: a proposed circle's review", false).await;
    j.shot("console-circle-review").await;
    j.click_submit("approve-submit").await;
    assert_eq!(
        j.path().await,
        format!("/console/circles/{cid}?notice=approved")
    );
    j.check("console: an approved circle", false).await;
    log_out(&mut j).await;

    // Ana joins, after trying without the agreement.
    assert_eq!(
        j.log_in("ana@example.org", PASSWORD, member_lang).await,
        "/home"
    );
    j.goto("/circles").await;
    j.check("circles: invited", false).await;
    j.goto(&format!("/circles/{cid}")).await;
    j.check("circle: the invitation and the agreement", false)
        .await;
    j.shot("circle-invitation").await;
    j.click_submit("join-submit").await;
    assert!(j.browser.source().await.contains("href=\"#agree\""));
    j.check("circle: join without the agreement", false).await;
    j.browser.click_id("agree").await;
    j.click_submit("join-submit").await;
    assert_eq!(j.path().await, format!("/circles/{cid}?notice=joined"));
    j.check("circle: joined", false).await;
    log_out(&mut j).await;
    for p in others.iter().take(3) {
        let res = app
            .post(
                &format!("/circles/{cid}/join"),
                Some(&p.token),
                &json!({"agree_to_guidelines": true}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    // Fran starts the circle and, a week on, takes attendance.
    assert_eq!(
        j.log_in("fran@example.org", PASSWORD, coord_lang).await,
        "/home"
    );
    j.check("home: a facilitator", false).await;
    j.goto("/profile?role=facilitator").await;
    assert!(j.browser.source().await.contains("id=\"max_circles\""));
    j.check("profile: the facilitator profile", false).await;
    j.goto("/circles").await;
    j.check("circles: a facilitator's list", false).await;
    j.goto(&format!("/circles/{cid}")).await;
    j.check("circle: the facilitator's page", false).await;
    j.shot("circle-facilitator").await;
    j.browser
        .fill_id("meeting-details", "Community centre, room 2")
        .await;
    j.click_submit("start-submit").await;
    assert_eq!(j.path().await, format!("/circles/{cid}?notice=started"));
    j.check("circle: started", false).await;
    let backdate = cid.clone();
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use kindred_db::schema::circles;
        let at = kindred_db::now() - chrono::TimeDelta::days(8);
        diesel::update(circles::table.find(&backdate))
            .set(circles::started_at.eq(Some(at)))
            .execute(conn)
            .unwrap();
    })
    .await;
    j.goto(&format!("/circles/{cid}")).await;
    j.check("circle: a session to record", false).await;
    j.browser.click_id("present-1-1").await;
    j.click_submit("attendance-1").await;
    assert_eq!(j.path().await, format!("/circles/{cid}?notice=attendance"));
    j.check("circle: attendance saved", false).await;
    j.shot("circle-attendance").await;
    let sessions = app
        .get(&format!("/circles/{cid}/sessions"), Some(&fran_token))
        .await;
    assert_eq!(
        sessions.body[0]["present"].as_array().unwrap().len(),
        1,
        "{}",
        sessions.text
    );
    log_out(&mut j).await;

    // Ana checks in, and sees the pages to report and to leave.
    assert_eq!(
        j.log_in("ana@example.org", PASSWORD, member_lang).await,
        "/home"
    );
    j.goto(&format!("/circles/{cid}")).await;
    assert!(j
        .browser
        .source()
        .await
        .contains("Community centre, room 2"));
    j.check("circle: active, with the meeting details", false)
        .await;
    j.shot("circle-active").await;
    j.browser.click_id("rating-4").await;
    j.browser.fill_id("checkin-note", "Good so far.").await;
    j.click_submit("checkin-submit").await;
    assert_eq!(j.path().await, format!("/circles/{cid}?notice=checked-in"));
    j.check("circle: checked in", false).await;
    let check_ins = app
        .get(&format!("/circles/{cid}/check-ins"), Some(&coord))
        .await;
    assert_eq!(check_ins.body[0]["rating"], 4, "{}", check_ins.text);
    assert_eq!(check_ins.body[0]["author_id"], ana_id);
    j.goto(&format!("/circles/{cid}/people/{}/report", others[0].id))
        .await;
    j.check("circle: report a member", false).await;
    j.goto(&format!("/circles/{cid}/people/{}/block", others[0].id))
        .await;
    j.check("circle: block a member", false).await;
    j.goto(&format!("/circles/{cid}/leave")).await;
    j.check("circle: leave, the confirmation", false).await;

    assert!(j.checked.len() >= 30, "{:?}", j.checked);
    drop(j);
    browser.close().await;
}
