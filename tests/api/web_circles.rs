//! Peer-support circles in the web app through real HTTP, like a browser
//! without JavaScript, checked against the API's view of what changed, on
//! both backends: a member asks to join; a coordinator runs formation and
//! approves; the member sees the invitation with the group agreement and
//! joins (not without ticking it); the facilitator starts the circle and
//! takes attendance; a check-in asking for support; leaving; the manual
//! circle form's field messages; the console's circle pages are a 404 for
//! anyone but coordinators.

use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::json;

use crate::circles::{circle_member, facilitator};
use crate::web_client::{Page, WebClient};

both_backends!(
    web_circles_from_asking_to_leaving,
    web_circles_manual_circle_form_shows_the_field_messages,
    web_circles_console_and_other_circles_are_a_404,
    web_circles_withdraw_reject_revoke_and_end,
);

const PASSWORD: &str = "a long passphrase";

async fn browser(app: &TestApp, email: &str, password: &str) -> WebClient {
    let b = WebClient::new(app);
    b.login(email, password).await.redirects_to("/home");
    b
}

/// Posts `fields` to `action` with the CSRF token of the page at `from`.
async fn post_from(b: &WebClient, from: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let page = b.get(from).await;
    assert_eq!(page.status, 200, "{from}: {}", page.html);
    let csrf = page.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(action, &all).await
}

/// The page's `<main>`.
fn main_of(page: &Page) -> &str {
    let start = page.html.find("<main").expect("a <main>");
    let end = page.html.find("</main>").expect("a </main>");
    &page.html[start..end]
}

/// A mentee with a profile and no circle request yet.
async fn mentee(app: &TestApp, email: &str, name: &str) -> Person {
    let (token, id) = app.signup_named(email, name, "mentee").await;
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    Person {
        token,
        id,
        email: email.to_string(),
    }
}

async fn web_circles_from_asking_to_leaving(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;

    // Ana asks in the web app: topics (never shown to others) and a note.
    let ana = mentee(&app, "ana@example.org", "Ana").await;
    let ana_web = browser(&app, "ana@example.org", PASSWORD).await;
    let page = ana_web.get("/circles").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("href=\"/circles\""), "the header link");
    assert!(page
        .html
        .contains("Topics are used to form circles. They are never shown to other members."));
    assert!(page
        .html
        .contains("name=\"topic\" value=\"coming-out-at-work\""));
    assert!(page.html.contains("You are not in a circle yet."));
    let csrf = page.csrf();
    let asked = ana_web
        .post(
            "/circles",
            &[
                ("csrf", &csrf),
                ("topic", "coming-out-at-work"),
                ("request_note", "Evenings suit me."),
            ],
        )
        .await;
    asked.redirects_to("/circles?notice=asked");
    let page = ana_web.get("/circles?notice=asked").await;
    let main = main_of(&page);
    assert!(main.contains("You asked to join a circle."));
    assert!(main.contains("Waiting for a circle"));
    assert!(main.contains("Coming out at work"), "{main}");
    assert!(main.contains("Evenings suit me."));
    assert!(main.contains("action=\"/circles/withdraw\""));
    let mine = app.get("/circle-requests?state=open", Some(&coord)).await;
    let items = mine.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", mine.text);
    assert_eq!(items[0]["user_id"], ana.id);
    assert_eq!(items[0]["topics"], json!(["coming-out-at-work"]));
    let mut people = vec![ana.clone()];
    for (i, name) in ["Bea", "Cruz", "Dani", "Eli"].iter().enumerate() {
        let (p, _) = circle_member(&app, &format!("member{i}@example.org"), name).await;
        people.push(p);
    }

    // The coordinator runs formation for real and approves the circle.
    let coord_web = browser(&app, "coord@example.org", "coordinator passphrase").await;
    let runs = coord_web.get("/console/circle-runs").await;
    assert_eq!(runs.status, 200, "{}", runs.html);
    assert!(
        runs.html.contains("href=\"/console/circles\""),
        "console nav"
    );
    let started = post_from(
        &coord_web,
        "/console/circle-runs",
        "/console/circle-runs",
        &[("dry_run", "no"), ("min_size", "4"), ("max_size", "8")],
    )
    .await;
    assert_eq!(started.status, 303, "{}", started.html);
    let run_path = started.location().to_string();
    assert!(run_path.starts_with("/console/circle-runs/"), "{run_path}");
    let report = coord_web.get(&run_path).await;
    assert_eq!(report.status, 200, "{}", report.html);
    assert_eq!(report.html.matches("<svg class=\"chart\"").count(), 4);
    assert!(report.html.contains("Placed and not placed, by category"));
    assert!(
        report.html.contains("<th scope=\"row\">5</th><td>1</td>"),
        "one circle of five: {}",
        report.html
    );
    let proposed = app.get("/circles?state=proposed", Some(&coord)).await;
    let cid = proposed.body["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no proposed circle: {}", proposed.text))
        .to_string();
    assert!(report
        .html
        .contains(&format!("href=\"/console/circles/{cid}\"")));
    let list = coord_web.get("/console/circles").await;
    assert!(list
        .html
        .contains(&format!("href=\"/console/circles/{cid}\"")));
    assert!(list.html.contains("Fran"));
    let review = coord_web.get(&format!("/console/circles/{cid}")).await;
    assert_eq!(review.status, 200, "{}", review.html);
    assert!(
        review.html.contains("private: coordinators only"),
        "the private part labelled"
    );
    assert!(review.html.contains("Ana"));
    let approved = post_from(
        &coord_web,
        &format!("/console/circles/{cid}"),
        &format!("/console/circles/{cid}/approve"),
        &[],
    )
    .await;
    approved.redirects_to(&format!("/console/circles/{cid}?notice=approved"));
    let view = app.get(&format!("/circles/{cid}"), Some(&coord)).await;
    assert_eq!(view.body["state"], "approved", "{}", view.text);

    // Ana sees the invitation with the agreement; joining needs the box.
    let list = ana_web.get("/circles").await;
    assert!(list.html.contains(&format!("href=\"/circles/{cid}\"")));
    assert!(list.html.contains("In a circle"));
    let circle_path = format!("/circles/{cid}");
    let page = ana_web.get(&circle_path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let main = main_of(&page).to_string();
    assert!(main.contains("What is shared in the circle stays in the circle."));
    assert!(main.contains("names and pronouns"));
    assert!(main.contains("no advice") || main.contains("do not give advice"));
    assert!(main.contains("through Report"));
    assert!(main.contains("name=\"agree_to_guidelines\""));
    assert!(main.contains("Bea"), "the other members' names");
    assert!(
        main.contains("(Europe&#x2f;Madrid)"),
        "the slot in Ana's zone"
    );
    assert!(
        !main.contains("member0@example.org"),
        "never an email address"
    );
    assert!(
        !main.contains("Domestic abuse survivor"),
        "never a private tag"
    );
    let join = format!("{circle_path}/join");
    let refused = post_from(&ana_web, &circle_path, &join, &[]).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused
        .html
        .contains("Tick the box to agree to the group agreement."));
    assert!(refused.html.contains("href=\"#agree\""));
    assert!(refused.html.contains("aria-invalid=\"true\""));
    let view = app.get(&circle_path, Some(&ana.token)).await;
    assert_eq!(view.body["my_state"], "invited");
    let joined = post_from(
        &ana_web,
        &circle_path,
        &join,
        &[("agree_to_guidelines", "yes")],
    )
    .await;
    joined.redirects_to(&format!("{circle_path}?notice=joined"));
    let page = ana_web.get(&format!("{circle_path}?notice=joined")).await;
    assert!(page.html.contains("You joined the circle."));
    assert!(page.html.contains("action=\"/circles/"), "forms");
    assert!(page.html.contains("name=\"rating\""), "the check-in form");
    assert!(page.html.contains("Only coordinators read this."));
    let view = app.get(&circle_path, Some(&ana.token)).await;
    assert_eq!(view.body["my_state"], "joined");
    for p in people.iter().skip(1).take(3) {
        let res = app
            .post(
                &format!("/circles/{cid}/join"),
                Some(&p.token),
                &json!({"agree_to_guidelines": true}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    // The facilitator leads it: members with states, start, attendance.
    let fac_web = browser(&app, &fac.email, PASSWORD).await;
    let list = fac_web.get("/circles").await;
    assert!(list.html.contains("Circles you lead"));
    assert!(list.html.contains(&format!("href=\"/circles/{cid}\"")));
    let page = fac_web.get(&circle_path).await;
    assert!(page.html.contains("Eli</strong>"));
    assert!(
        page.html.contains("· invited"),
        "Eli has not joined: {}",
        page.html
    );
    assert!(page.html.contains("name=\"meeting_details\""));
    let start = format!("{circle_path}/start");
    let empty = post_from(&fac_web, &circle_path, &start, &[("meeting_details", "  ")]).await;
    assert_eq!(empty.status, 422, "{}", empty.html);
    assert!(empty.html.contains("href=\"#meeting-details\""));
    let started = post_from(
        &fac_web,
        &circle_path,
        &start,
        &[("meeting_details", "Community centre, room 2")],
    )
    .await;
    started.redirects_to(&format!("{circle_path}?notice=started"));
    let view = app.get(&circle_path, Some(&coord)).await;
    assert_eq!(view.body["state"], "active", "{}", view.text);
    let page = ana_web.get(&circle_path).await;
    assert!(main_of(&page).contains("Community centre, room 2"));
    // Pretend it started eight days ago: session 1 has begun.
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
    let page = fac_web.get(&circle_path).await;
    let action = format!("{circle_path}/sessions/1/attendance");
    assert!(
        page.html.contains(&format!("action=\"{action}\"")),
        "{}",
        page.html
    );
    assert!(page.html.contains("Ana was there"));
    assert!(!page.html.contains("Eli was there"), "only joined members");
    let present: Vec<(&str, &str)> = people
        .iter()
        .take(3)
        .map(|p| ("present", p.id.as_str()))
        .collect();
    let saved = post_from(&fac_web, &circle_path, &action, &present).await;
    saved.redirects_to(&format!("{circle_path}?notice=attendance"));
    let sessions = app
        .get(&format!("/circles/{cid}/sessions"), Some(&fac.token))
        .await;
    assert_eq!(
        sessions.body[0]["present"].as_array().unwrap().len(),
        3,
        "{}",
        sessions.text
    );

    // Ana checks in asking for support: the resources come first.
    let checked = post_from(
        &ana_web,
        &circle_path,
        &format!("{circle_path}/check-in"),
        &[
            ("rating", "2"),
            ("needs_support", "yes"),
            ("note", "A hard week."),
        ],
    )
    .await;
    checked.redirects_to(&format!("{circle_path}?notice=support#support-now"));
    let page = ana_web.get(&format!("{circle_path}?notice=support")).await;
    assert!(page.html.contains("Support for you now"));
    assert!(page.html.contains("id=\"support-now\""));
    let check_ins = app
        .get(&format!("/circles/{cid}/check-ins"), Some(&coord))
        .await;
    assert_eq!(check_ins.body[0]["rating"], 2, "{}", check_ins.text);
    assert_eq!(check_ins.body[0]["needs_support"], true);
    assert_eq!(check_ins.body[0]["note"], "A hard week.");
    // A rating is required.
    let bad = post_from(
        &ana_web,
        &circle_path,
        &format!("{circle_path}/check-in"),
        &[],
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("Choose how it is going."));

    // Ana leaves after the confirmation.
    let leave = format!("{circle_path}/leave");
    let confirm = ana_web.get(&leave).await;
    assert_eq!(confirm.status, 200, "{}", confirm.html);
    assert!(confirm.html.contains("You do not need to give a reason."));
    let left = post_from(&ana_web, &leave, &leave, &[]).await;
    left.redirects_to(&format!("{circle_path}?notice=left"));
    let view = app.get(&circle_path, Some(&ana.token)).await;
    assert_eq!(view.body["my_state"], "left", "{}", view.text);
    let page = ana_web.get(&circle_path).await;
    assert!(
        !page.html.contains("name=\"rating\""),
        "no check-in after leaving"
    );
}

async fn web_circles_manual_circle_form_shows_the_field_messages(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;
    let (_, rid) = circle_member(&app, "ana@example.org", "Ana").await;
    let coord_web = browser(&app, "coord@example.org", "coordinator passphrase").await;
    let form = coord_web.get("/console/circles/new").await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(
        form.html.contains(&format!("value=\"{}\"", fac.id)),
        "the facilitator"
    );
    assert!(
        form.html.contains(&format!("value=\"{rid}\"")),
        "the open request"
    );
    // No request and a time that is not one.
    let page = post_from(
        &coord_web,
        "/console/circles/new",
        "/console/circles/new",
        &[
            ("facilitator_id", &fac.id),
            ("slot_day", "mon"),
            ("slot_start", "25:00"),
            ("slot_end", "19:00"),
        ],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("href=\"#request-ids\""), "{}", page.html);
    assert!(page.html.contains("between 1 and 20 requests"));
    assert!(page.html.contains("href=\"#slot-start\""));
    assert!(page.html.contains("value=\"25:00\""), "the typed time kept");
    assert!(page.html.contains("aria-invalid=\"true\""));
    // One request alone breaks the size rule; the engine says so.
    let page = post_from(
        &coord_web,
        "/console/circles/new",
        "/console/circles/new",
        &[
            ("facilitator_id", &fac.id),
            ("request_id", &rid),
            ("slot_day", "mon"),
            ("slot_start", "17:00"),
            ("slot_end", "18:30"),
        ],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(
        page.html
            .contains("1 members; a circle has between 4 and 8"),
        "{}",
        page.html
    );
    let none = app.get("/circles", Some(&coord)).await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
}

async fn web_circles_console_and_other_circles_are_a_404(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;
    let mut ids = Vec::new();
    for (i, name) in ["Alex", "Bea", "Cruz", "Dani"].iter().enumerate() {
        ids.push(
            circle_member(&app, &format!("m{i}@example.org"), name)
                .await
                .0,
        );
    }
    let run = app.post("/circle-runs", Some(&coord), &json!({})).await;
    assert_eq!(run.status, 201, "{}", run.text);
    let cid = run.body["circle_ids"][0].as_str().unwrap().to_string();
    mentee(&app, "zoe@example.org", "Zoe").await;
    for (email, password) in [
        ("zoe@example.org", PASSWORD),
        ("m0@example.org", PASSWORD),
        (fac.email.as_str(), PASSWORD),
    ] {
        let b = browser(&app, email, password).await;
        for path in [
            "/console/circles".to_string(),
            "/console/circles?flagged=1".to_string(),
            format!("/console/circles/{cid}"),
            "/console/circles/new".to_string(),
            "/console/circle-runs".to_string(),
            format!("/console/circle-runs/{}", run.body["id"].as_str().unwrap()),
            "/console/facilitators".to_string(),
        ] {
            let page = b.get(&path).await;
            assert_eq!(page.status, 404, "{email} {path}: {}", page.html);
            assert!(page.html.contains("Page not found"));
        }
        // A proposed circle is the coordinators' alone.
        let page = b.get(&format!("/circles/{cid}")).await;
        assert_eq!(page.status, 404, "{email}: {}", page.html);
        // A POST to the console changes nothing.
        let home = b.get("/home").await;
        let csrf = home.csrf();
        let res = b
            .post(
                &format!("/console/circles/{cid}/approve"),
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(res.status, 404, "{}", res.html);
    }
    let view = app.get(&format!("/circles/{cid}"), Some(&coord)).await;
    assert_eq!(view.body["state"], "proposed");
    // Once approved, someone outside it still gets the 404 page.
    let res = app
        .post(&format!("/circles/{cid}/approve"), Some(&coord), &json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let zoe = browser(&app, "zoe@example.org", PASSWORD).await;
    assert_eq!(zoe.get(&format!("/circles/{cid}")).await.status, 404);
    let m0 = browser(&app, "m0@example.org", PASSWORD).await;
    let page = m0.get(&format!("/circles/{cid}")).await;
    assert_eq!(page.status, 200, "{}", page.html);
    // Blocking and reporting only people of the same circle.
    assert_eq!(
        m0.get(&format!("/circles/{cid}/people/{}/report", ids[1].id))
            .await
            .status,
        200
    );
    let outsider = app.get("/me", Some(&coord)).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        m0.get(&format!("/circles/{cid}/people/{outsider}/report"))
            .await
            .status,
        404
    );
    // A report needs words; then only coordinators read it.
    let report = format!("/circles/{cid}/people/{}/report", ids[1].id);
    let page = post_from(&m0, &report, &report, &[("reason", "")]).await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("href=\"#report-reason\""));
    let sent = post_from(
        &m0,
        &report,
        &report,
        &[("reason", "Shared my story outside.")],
    )
    .await;
    sent.redirects_to(&format!("/circles/{cid}?notice=reported"));
    let reports = app.get("/reports", Some(&coord)).await;
    assert!(
        reports.text.contains("Shared my story outside."),
        "{}",
        reports.text
    );
    assert!(reports.text.contains(&ids[1].id));
    // Blocking someone of the circle: the page says what it does.
    let block = format!("/circles/{cid}/people/{}/block", ids[2].id);
    let page = m0.get(&block).await;
    assert!(page
        .html
        .contains("You will never be placed in a circle with Cruz again."));
    let done = post_from(&m0, &block, &block, &[]).await;
    done.redirects_to("/circles?notice=blocked");
}

async fn web_circles_withdraw_reject_revoke_and_end(db: Db) {
    let app = TestApp::spawn(db).await;
    let coord = app.coordinator("coord@example.org").await;
    let fac = facilitator(&app, &coord, "fran@example.org").await;
    // A member asks and withdraws in the web app.
    let zoe = mentee(&app, "zoe@example.org", "Zoe").await;
    let zoe_web = browser(&app, "zoe@example.org", PASSWORD).await;
    let asked = post_from(&zoe_web, "/circles", "/circles", &[("topic", "bisexual")]).await;
    asked.redirects_to("/circles?notice=asked");
    let again = post_from(&zoe_web, "/circles", "/circles", &[]).await;
    again.redirects_to("/circles?notice=already-asked");
    let page = zoe_web.get("/circles?notice=already-asked").await;
    assert!(page.html.contains("You already asked to join a circle."));
    assert!(!page.html.contains("name=\"topic\""), "no second form");
    let mine = app.get("/circle-requests?state=open", Some(&coord)).await;
    let rid = mine.body["items"][0]["id"].as_str().unwrap().to_string();
    let withdrawn = post_from(&zoe_web, "/circles", "/circles/withdraw", &[("id", &rid)]).await;
    withdrawn.redirects_to("/circles?notice=withdrawn");
    let page = zoe_web.get("/circles?notice=withdrawn").await;
    assert!(page.html.contains("Your circle request was withdrawn."));
    assert!(page.html.contains("name=\"topic\""), "the form again");
    let r = app
        .get(&format!("/circle-requests/{rid}"), Some(&zoe.token))
        .await;
    assert_eq!(r.body["state"], "withdrawn", "{}", r.text);

    for (i, name) in ["Alex", "Bea", "Cruz", "Dani", "Eli"].iter().enumerate() {
        circle_member(&app, &format!("m{i}@example.org"), name).await;
    }
    let run = app.post("/circle-runs", Some(&coord), &json!({})).await;
    let cid = run.body["circle_ids"][0].as_str().unwrap().to_string();
    let coord_web = browser(&app, "coord@example.org", "coordinator passphrase").await;
    let review = format!("/console/circles/{cid}");
    // Rejecting needs a reason.
    let page = post_from(
        &coord_web,
        &review,
        &format!("{review}/reject"),
        &[("reason", " ")],
    )
    .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("Write between 1 and 2000 characters."));
    assert!(page.html.contains("href=\"#reject-reason\""));
    let done = post_from(
        &coord_web,
        &review,
        &format!("{review}/reject"),
        &[("reason", "Two of them know each other")],
    )
    .await;
    done.redirects_to(&format!("{review}?notice=rejected"));
    let page = coord_web.get(&review).await;
    assert!(page.html.contains("Two of them know each other"));
    assert!(
        !page.html.contains("action=\"/console/circles/"),
        "no action left"
    );
    let view = app.get(&format!("/circles/{cid}"), Some(&coord)).await;
    assert_eq!(view.body["state"], "rejected");

    // The requests reopened: a second run, approved; then the facilitator's
    // role is revoked and the circle is flagged.
    let run = app.post("/circle-runs", Some(&coord), &json!({})).await;
    let cid = run.body["circle_ids"][0]
        .as_str()
        .unwrap_or_else(|| panic!("{}", run.text))
        .to_string();
    let review = format!("/console/circles/{cid}");
    post_from(&coord_web, &review, &format!("{review}/approve"), &[])
        .await
        .redirects_to(&format!("{review}?notice=approved"));
    let list = coord_web.get("/console/facilitators").await;
    assert!(list.html.contains("Peer support facilitation, 20 hours"));
    assert!(list.html.contains("1 of 2"), "the load: {}", list.html);
    let revoked = post_from(
        &coord_web,
        "/console/facilitators",
        &format!("/console/facilitators/{}/revoke", fac.id),
        &[],
    )
    .await;
    revoked.redirects_to("/console/facilitators?notice=revoked");
    let flagged = coord_web.get("/console/circles?flagged=1").await;
    assert!(flagged.html.contains("Showing flagged circles only."));
    assert!(flagged
        .html
        .contains(&format!("href=\"/console/circles/{cid}\"")));
    assert!(flagged.html.contains("(flagged)"));
    let page = coord_web.get(&review).await;
    assert!(page.html.contains("Flagged on "), "{}", page.html);
    // The coordinator ends it with a reason.
    let ended = post_from(
        &coord_web,
        &review,
        &format!("{review}/end"),
        &[("reason", "No facilitator")],
    )
    .await;
    ended.redirects_to(&format!("{review}?notice=ended"));
    let view = app.get(&format!("/circles/{cid}"), Some(&coord)).await;
    assert_eq!(view.body["state"], "ended", "{}", view.text);
}
