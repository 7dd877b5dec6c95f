//! The coordinators' console through real HTTP, like a browser without
//! JavaScript, checked against the API's view of what changed, on both
//! backends.

use kindred_tests::{both_backends, Db, TestApp};

use crate::web_client::{Page, WebClient};

both_backends!(
    web_console_queue_request_propose_and_approve,
    web_console_reject_needs_a_reason_and_returns_the_request,
    web_console_is_a_404_for_mentees_and_mentors,
    web_console_posts_without_the_csrf_token_change_nothing,
    web_console_dry_run_report_then_run_and_approve_all,
    web_console_health_shows_no_cell_under_five_people,
    web_console_safety_inbox_handle_reopen_and_end_the_match,
    web_console_queue_filters,
    web_console_admin_tags_and_dead_jobs,
    web_console_import_preview_import_and_export,
);

/// A coordinator signed in to the web app: (browser, API token).
async fn coordinator(app: &TestApp) -> (WebClient, String) {
    let token = app.coordinator("coord@example.org").await;
    let browser = WebClient::new(app);
    browser
        .login("coord@example.org", "coordinator passphrase")
        .await
        .redirects_to("/home");
    (browser, token)
}

/// The value of the first `name="mentor_id"` input on `page`.
fn first_mentor_id(page: &Page) -> String {
    let at = page
        .html
        .find("name=\"mentor_id\" value=\"")
        .unwrap_or_else(|| panic!("no suggestion to propose: {}", page.html));
    let rest = &page.html[at + "name=\"mentor_id\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn web_console_queue_request_propose_and_approve(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (mentee, request) = app.mentee_with_request("ana@example.org").await;
    let (browser, token) = coordinator(&app).await;

    let home = browser.get("/home").await;
    assert!(home.html.contains("href=\"/console\""), "the console link");
    browser
        .get("/console")
        .await
        .redirects_to("/console/requests");
    let queue = browser.get("/console/requests").await;
    assert_eq!(queue.status, 200, "{}", queue.html);
    assert_eq!(queue.header("cache-control"), "no-store");
    assert!(queue
        .html
        .contains(&format!("href=\"/console/requests/{request}\"")));
    assert!(queue.html.contains("waiting 0 days"));

    // The request: the mentee's profile with the private tag apart and
    // said to be private, and the mentor suggested with the explanation.
    let page = browser.get(&format!("/console/requests/{request}")).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let private_at = page.html.find("Private experiences").unwrap();
    assert!(page.html[private_at..].contains("Domestic abuse survivor"));
    assert!(page.html.contains("never shown to their mentor or mentee"));
    assert!(page
        .html
        .contains("Looking for someone who came out at work."));
    assert_eq!(first_mentor_id(&page), mentor.id);
    assert!(
        page.html.contains("private: coordinators only"),
        "the private part labelled"
    );

    // Propose → the match's review page; the API agrees.
    let csrf = page.csrf();
    let proposed = browser
        .post(
            &format!("/console/requests/{request}/propose"),
            &[("csrf", &csrf), ("mentor_id", &mentor.id)],
        )
        .await;
    assert_eq!(proposed.status, 303, "{}", proposed.html);
    let location = proposed.location().to_string();
    let id = location
        .strip_prefix("/console/matches/")
        .and_then(|rest| rest.strip_suffix("?notice=proposed"))
        .unwrap_or_else(|| panic!("{location}"))
        .to_string();
    let m = app.get(&format!("/matches/{id}"), Some(&token)).await;
    assert_eq!(m.body["state"], "proposed");
    assert_eq!(m.body["mentee_id"], mentee.id.as_str());

    let review = browser.get(&location).await;
    assert_eq!(review.status, 200, "{}", review.html);
    assert!(review.html.contains("The match is proposed."));
    assert!(review.html.contains("private_overlap"));
    assert!(review.html.contains("Mentor: "));
    let list = browser.get("/console/matches").await;
    assert!(list
        .html
        .contains(&format!("href=\"/console/matches/{id}\"")));

    // Approve → awaiting the mentor.
    let approved = browser
        .post(
            &format!("/console/matches/{id}/approve"),
            &[("csrf", &review.csrf())],
        )
        .await;
    approved.redirects_to("/console/matches?notice=approved");
    let m = app.get(&format!("/matches/{id}"), Some(&token)).await;
    assert_eq!(m.body["state"], "awaiting_mentor");
    let waiting = browser.get("/console/matches?state=awaiting_mentor").await;
    assert!(waiting
        .html
        .contains(&format!("href=\"/console/matches/{id}\"")));
    // Approving again: the page says it changed, nothing else happens.
    let again = browser
        .post(
            &format!("/console/matches/{id}/approve"),
            &[("csrf", &review.csrf())],
        )
        .await;
    assert_eq!(again.status, 409, "{}", again.html);
    assert!(again.html.contains("changed meanwhile"));
}

async fn web_console_reject_needs_a_reason_and_returns_the_request(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (_, request) = app.mentee_with_request("ana@example.org").await;
    let (browser, token) = coordinator(&app).await;
    let id = app.propose(&token, &mentor.id, &request).await;

    let review = browser.get(&format!("/console/matches/{id}")).await;
    let csrf = review.csrf();
    let missing = browser
        .post(
            &format!("/console/matches/{id}/reject"),
            &[("csrf", &csrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.html);
    assert!(missing.html.contains("role=\"alert\""));
    assert!(missing.html.contains("href=\"#reject-reason\""));
    assert!(missing.html.contains("id=\"reject-reason-error\""));
    let m = app.get(&format!("/matches/{id}"), Some(&token)).await;
    assert_eq!(m.body["state"], "proposed", "nothing changed");

    let rejected = browser
        .post(
            &format!("/console/matches/{id}/reject"),
            &[("csrf", &csrf), ("reason", "Both asked for evenings only")],
        )
        .await;
    rejected.redirects_to("/console/matches?notice=rejected");
    let m = app.get(&format!("/matches/{id}"), Some(&token)).await;
    assert_eq!(m.body["state"], "rejected");
    let r = app.get(&format!("/requests/{request}"), Some(&token)).await;
    assert_eq!(r.body["state"], "open", "back in the queue");
    // The pair is never proposed again: no suggestion of that mentor.
    let page = browser.get(&format!("/console/requests/{request}")).await;
    assert!(!page.html.contains(&format!("value=\"{}\"", mentor.id)));
}

async fn web_console_is_a_404_for_mentees_and_mentors(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (mentee, request) = app.mentee_with_request("ana@example.org").await;
    let coordinator = app.coordinator("coord@example.org").await;
    let id = app.propose(&coordinator, &mentor.id, &request).await;
    let unknown = browser_404_page(&app).await;

    for (email, person) in [("bea@example.org", &mentor), ("ana@example.org", &mentee)] {
        let browser = WebClient::new(&app);
        browser
            .login(email, "a long passphrase")
            .await
            .redirects_to("/home");
        let home = browser.get("/home").await;
        assert!(!home.html.contains("href=\"/console\""), "no console link");
        for path in [
            "/console".to_string(),
            "/console/requests".to_string(),
            format!("/console/requests/{request}"),
            "/console/matches".to_string(),
            format!("/console/matches/{id}"),
            "/console/runs".to_string(),
            "/console/health".to_string(),
            "/console/safety".to_string(),
            "/console/admin".to_string(),
            "/console/data".to_string(),
            format!("/console/people/{}", mentee.id),
            "/console/exports/participants.csv".to_string(),
            "/console/admin/tags/bisexual".to_string(),
            format!("/console/runs/{id}"),
            format!("/console/runs/{id}/approve"),
        ] {
            let page = browser.get(&path).await;
            assert_eq!(page.status, 404, "{path}");
            assert_eq!(h1(&page.html), unknown, "{path}: the ordinary 404 page");
            assert!(!page.html.contains("Open requests"), "{path}");
        }
        let csrf = home.csrf();
        for path in [
            format!("/console/requests/{request}/propose"),
            format!("/console/matches/{id}/approve"),
            format!("/console/matches/{id}/reject"),
            "/console/runs".to_string(),
            format!("/console/runs/{id}/approve"),
            format!("/console/matches/{id}/end"),
            format!("/console/safety/report/{id}"),
            "/console/admin/tags".to_string(),
            "/console/admin/tags/bisexual".to_string(),
            format!("/console/admin/jobs/{id}/retry"),
        ] {
            let page = browser
                .post(
                    &path,
                    &[
                        ("csrf", &csrf),
                        ("mentor_id", &person.id),
                        ("reason", "x"),
                        ("mode", "optimal"),
                        ("to", "handled"),
                    ],
                )
                .await;
            assert_eq!(page.status, 404, "{path}");
        }
    }
    let m = app.get(&format!("/matches/{id}"), Some(&coordinator)).await;
    assert_eq!(m.body["state"], "proposed", "nothing changed");
}

/// The 404 page a signed-in mentee gets for a path that does not exist.
async fn browser_404_page(app: &TestApp) -> String {
    let (_, _) = app.signup("carla@example.org", "mentee").await;
    let browser = WebClient::new(app);
    browser
        .login("carla@example.org", "a long passphrase")
        .await;
    let page = browser.get("/console-does-not-exist").await;
    assert_eq!(page.status, 404);
    h1(&page.html)
}

fn h1(html: &str) -> String {
    let start = html.find("<h1").expect("a heading");
    let end = html[start..].find("</h1>").unwrap() + start;
    html[start..end].to_string()
}

async fn web_console_posts_without_the_csrf_token_change_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (_, request) = app.mentee_with_request("ana@example.org").await;
    let (browser, token) = coordinator(&app).await;
    let id = app.propose(&token, &mentor.id, &request).await;
    for (path, form) in [
        (format!("/console/matches/{id}/approve"), vec![]),
        (
            format!("/console/matches/{id}/reject"),
            vec![("reason", "x")],
        ),
        (
            format!("/console/requests/{request}/propose"),
            vec![("mentor_id", mentor.id.as_str())],
        ),
    ] {
        let page = browser.post(&path, &form).await;
        assert_eq!(page.status, 403, "{path}: {}", page.html);
    }
    let m = app.get(&format!("/matches/{id}"), Some(&token)).await;
    assert_eq!(m.body["state"], "proposed");
    let all = app.get("/matches", Some(&token)).await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 1);
}

async fn web_console_dry_run_report_then_run_and_approve_all(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (_, _) = app.mentee_with_request("ana@example.org").await;
    let (_, _) = app.mentee_with_request("carla@example.org").await;
    let (browser, token) = coordinator(&app).await;

    let form = browser.get("/console/runs").await;
    assert_eq!(form.status, 200, "{}", form.html);
    let csrf = form.csrf();
    let bad = browser
        .post("/console/runs", &[("csrf", &csrf), ("mode", "fastest")])
        .await;
    assert_eq!(bad.status, 400, "{}", bad.html);

    // The dry run: a report with charts and tables, nothing written.
    let dry = browser
        .post(
            "/console/runs",
            &[("csrf", &csrf), ("mode", "optimal"), ("dry_run", "yes")],
        )
        .await;
    assert_eq!(dry.status, 303, "{}", dry.html);
    let report = browser.get(dry.location()).await;
    assert_eq!(report.status, 200, "{}", report.html);
    assert!(report.html.contains("Nothing was written"));
    assert_eq!(
        report
            .html
            .matches("<svg class=\"chart\" role=\"img\"")
            .count(),
        4
    );
    assert!(report
        .html
        .contains("<caption>New mentees per mentor</caption>"));
    assert!(
        report.html.contains(">Matched 2, Not matched 0</text>"),
        "every figure in words on the chart"
    );
    assert!(
        !report.html.contains("style="),
        "no inline style under the CSP"
    );
    let none = app.get("/matches", Some(&token)).await;
    assert_eq!(
        none.body["items"].as_array().unwrap().len(),
        0,
        "a dry run proposes nothing"
    );

    // For real: two proposals, then approve them all after the confirmation.
    let real = browser
        .post(
            "/console/runs",
            &[
                ("csrf", &report.csrf()),
                ("mode", "optimal"),
                ("dry_run", "no"),
            ],
        )
        .await;
    assert_eq!(real.status, 303, "{}", real.html);
    let run_path = real.location().to_string();
    let page = browser.get(&run_path).await;
    assert!(page
        .html
        .contains("2 proposals of this run wait for review."));
    let confirm = browser.get(&format!("{run_path}/approve")).await;
    assert_eq!(confirm.status, 200, "{}", confirm.html);
    assert!(confirm.html.contains("Yes, approve 2 proposals"));
    let proposed = app.get("/matches?state=proposed", Some(&token)).await;
    assert_eq!(
        proposed.body["items"].as_array().unwrap().len(),
        2,
        "nothing approved by the confirmation page"
    );
    let done = browser
        .post(&format!("{run_path}/approve"), &[("csrf", &confirm.csrf())])
        .await;
    done.redirects_to(&format!("{run_path}?notice=approved-all"));
    let waiting = app
        .get("/matches?state=awaiting_mentor", Some(&token))
        .await;
    let items = waiting.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", waiting.text);
    assert!(items.iter().all(|m| m["mentor_id"] == mentor.id.as_str()));
    let after = browser
        .get(&format!("{run_path}?notice=approved-all"))
        .await;
    assert!(after
        .html
        .contains("No proposal of this run waits for review."));
    assert!(after.html.contains("were approved"));
}

async fn web_console_health_shows_no_cell_under_five_people(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 3).await;
    let mut requests = Vec::new();
    for i in 0..6 {
        let (_, r) = app
            .mentee_with_request(&format!("mentee{i}@example.org"))
            .await;
        requests.push(r);
    }
    let (browser, token) = coordinator(&app).await;
    let m = app.propose(&token, &mentor.id, &requests[0]).await;
    app.activate(&token, &mentor.token, &m).await;

    let page = browser.get("/console/health").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(
        page.html
            .matches("<svg class=\"chart\" role=\"img\"")
            .count(),
        7
    );
    // This week: 6 requests (shown), 1 match started (withheld).
    let requests_table = &page.html[page
        .html
        .find("<caption>Requests made per week</caption>")
        .unwrap()..];
    let requests_table = &requests_table[..requests_table.find("</table>").unwrap()];
    assert!(requests_table.contains("<td>6</td>"), "{requests_table}");
    let started_table = &page.html[page
        .html
        .find("<caption>Matches started per week</caption>")
        .unwrap()..];
    let started_table = &started_table[..started_table.find("</table>").unwrap()];
    assert!(
        started_table.contains("<td>fewer than 5</td>"),
        "{started_table}"
    );
    assert!(
        !started_table.contains("<td>1</td>"),
        "a single match is never shown as 1"
    );
    assert!(
        page.html.contains("not shown (fewer than 5 people)"),
        "the median over 1 person"
    );

    let bad = browser.get("/console/health?from=yesterday").await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("href=\"#from\""));
    assert!(bad.html.contains("id=\"from-error\""));
    let wide = browser
        .get("/console/health?from=2020-01-01&to=2026-01-01")
        .await;
    assert_eq!(wide.status, 422, "{}", wide.html);
}

async fn web_console_safety_inbox_handle_reopen_and_end_the_match(db: Db) {
    let app = TestApp::spawn(db).await;
    let mentor = app.mentor("bea@example.org", 2).await;
    let (mentee, request) = app.mentee_with_request("ana@example.org").await;
    let (browser, token) = coordinator(&app).await;
    let m = app.propose(&token, &mentor.id, &request).await;
    app.activate(&token, &mentor.token, &m).await;
    let checkin = app
        .post(
            &format!("/matches/{m}/check-ins"),
            Some(&mentee.token),
            &serde_json::json!({"rating": 1, "note": "I do not feel safe <now>", "needs_support": true}),
        )
        .await;
    assert_eq!(checkin.status, 201, "{}", checkin.text);
    let report = app
        .post(
            "/reports",
            Some(&mentee.token),
            &serde_json::json!({"about_user_id": mentor.id, "match_id": m, "reason": "Pressured me to meet alone"}),
        )
        .await;
    assert_eq!(report.status, 201, "{}", report.text);

    let inbox = browser.get("/console/safety").await;
    assert_eq!(inbox.status, 200, "{}", inbox.html);
    let reported = inbox.html.find("Pressured me to meet alone").unwrap();
    let support = inbox.html.find("I do not feel safe &lt;now&gt;").unwrap();
    assert!(reported < support, "newest first");
    assert!(inbox
        .html
        .contains(&format!("href=\"/console/matches/{m}\"")));
    assert!(inbox.html.contains("It can be ended there."));

    let checkin_id = checkin.body["id"].as_str().unwrap();
    let handled = browser
        .post(
            &format!("/console/safety/check-in/{checkin_id}"),
            &[("csrf", &inbox.csrf()), ("to", "handled")],
        )
        .await;
    handled.redirects_to("/console/safety?state=open&notice=handled");
    let open = browser.get("/console/safety").await;
    assert!(!open.html.contains("I do not feel safe"));
    let done = browser.get("/console/safety?state=handled").await;
    assert!(done.html.contains("I do not feel safe"));
    assert!(done.html.contains("Handled by Coordinator on "));
    let reopened = browser
        .post(
            &format!("/console/safety/check-in/{checkin_id}"),
            &[("csrf", &inbox.csrf()), ("to", "open")],
        )
        .await;
    reopened.redirects_to("/console/safety?state=handled&notice=reopened");
    assert!(browser
        .get("/console/safety")
        .await
        .html
        .contains("I do not feel safe"));
    let unknown = browser
        .post(
            "/console/safety/report/00000000-0000-0000-0000-000000000000",
            &[("csrf", &inbox.csrf()), ("to", "handled")],
        )
        .await;
    assert_eq!(unknown.status, 404);

    // End the match from its page: a reason is required.
    let page = browser.get(&format!("/console/matches/{m}")).await;
    assert!(page.html.contains("id=\"end-reason\""));
    let missing = browser
        .post(
            &format!("/console/matches/{m}/end"),
            &[("csrf", &page.csrf()), ("reason", "")],
        )
        .await;
    assert_eq!(missing.status, 422, "{}", missing.html);
    assert!(missing.html.contains("id=\"end-reason-error\""));
    let ended = browser
        .post(
            &format!("/console/matches/{m}/end"),
            &[
                ("csrf", &page.csrf()),
                ("reason", "Ended after a safety report"),
            ],
        )
        .await;
    ended.redirects_to("/console/matches?notice=ended");
    let after = app.get(&format!("/matches/{m}"), Some(&token)).await;
    assert_eq!(after.body["state"], "ended");
}

async fn web_console_queue_filters(db: Db) {
    let app = TestApp::spawn(db).await;
    let (_, ana) = app.mentee_with_request("ana@example.org").await;
    // Carla speaks French only and shares only a support-category tag.
    let (carla, _) = app.signup("carla@example.org", "mentee").await;
    let mut body = kindred_tests::profile_body("mentee");
    body["languages"] = serde_json::json!(["fr"]);
    body["tags"] = serde_json::json!(["job-search"]);
    body["private_tags"] = serde_json::json!([]);
    let saved = app.put("/me/mentee-profile", Some(&carla), &body).await;
    assert_eq!(saved.status, 201, "{}", saved.text);
    let asked = app
        .post("/requests", Some(&carla), &serde_json::json!({}))
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text);
    let carla_request = asked.body["id"].as_str().unwrap().to_string();
    let (browser, _) = coordinator(&app).await;

    let names = |page: &Page| {
        [("Ana", &ana), ("Carla", &carla_request)]
            .iter()
            .filter(|(_, id)| {
                page.html
                    .contains(&format!("href=\"/console/requests/{id}\""))
            })
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
    };
    let all = browser.get("/console/requests").await;
    assert_eq!(names(&all).len(), 2, "{}", all.html);
    let french = browser.get("/console/requests?language=fr").await;
    assert_eq!(names(&french), vec!["Carla"]);
    let spanish = browser.get("/console/requests?language=es").await;
    assert_eq!(names(&spanish), vec!["Ana"]);
    let support = browser.get("/console/requests?category=support").await;
    assert_eq!(names(&support), vec!["Carla"], "{}", support.html);
    assert!(support.html.contains("<option value=\"support\" selected>"));
    let waiting = browser.get("/console/requests?waiting_days=3").await;
    assert!(names(&waiting).is_empty());
    assert!(waiting
        .html
        .contains("No open request matches these filters."));
    let bad = browser
        .get("/console/requests?waiting_days=soon&category=nope")
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("href=\"#waiting_days\""));
    assert!(bad.html.contains("id=\"category-error\""));
}

async fn web_console_admin_tags_and_dead_jobs(db: Db) {
    let app = TestApp::spawn(db).await;
    app.expect_dead();
    let (browser, token) = coordinator(&app).await;
    let page = browser.get("/console/admin").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("href=\"/console/admin/tags/bisexual\""));
    let csrf = page.csrf();

    // Add: a bad slug and a taken one are messages beside the field.
    let bad = browser
        .post(
            "/console/admin/tags",
            &[
                ("csrf", &csrf),
                ("slug", "Night Shift"),
                ("label", "Night shift"),
                ("category", "experience"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("id=\"slug-error\""));
    assert!(bad.html.contains("value=\"Night shift\""), "values kept");
    let taken = browser
        .post(
            "/console/admin/tags",
            &[
                ("csrf", &csrf),
                ("slug", "bisexual"),
                ("label", "Bi"),
                ("category", "identity"),
            ],
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.html);
    assert!(taken.html.contains("This short name is already used."));
    let added = browser
        .post(
            "/console/admin/tags",
            &[
                ("csrf", &csrf),
                ("slug", "night-shift"),
                ("label", "Night shift workers"),
                ("category", "experience"),
                ("sensitive", "yes"),
            ],
        )
        .await;
    added.redirects_to("/console/admin?notice=tag-added");
    let tags = app.get("/tags", Some(&token)).await;
    let night = tags
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "night-shift")
        .cloned()
        .unwrap();
    assert_eq!(night["label"], "Night shift workers");
    assert_eq!(night["sensitive"], true);

    // Edit: relabel and retire; an empty label is refused.
    let edit = browser.get("/console/admin/tags/night-shift").await;
    assert_eq!(edit.status, 200, "{}", edit.html);
    let empty = browser
        .post(
            "/console/admin/tags/night-shift",
            &[
                ("csrf", &edit.csrf()),
                ("label", " "),
                ("category", "experience"),
            ],
        )
        .await;
    assert_eq!(empty.status, 422, "{}", empty.html);
    assert!(empty.html.contains("id=\"label-error\""));
    let saved = browser
        .post(
            "/console/admin/tags/night-shift",
            &[
                ("csrf", &edit.csrf()),
                ("label", "Night workers"),
                ("category", "experience"),
                ("retired", "yes"),
            ],
        )
        .await;
    saved.redirects_to("/console/admin?notice=tag-saved");
    let all = app.get("/tags?include_retired=true", Some(&token)).await;
    let night = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "night-shift")
        .cloned()
        .unwrap();
    assert_eq!(night["label"], "Night workers");
    assert_eq!(night["retired"], true);
    assert_eq!(night["sensitive"], false, "the unticked box");
    assert_eq!(
        browser.get("/console/admin/tags/no-such-tag").await.status,
        404
    );

    // A dead job shows with its error and can be retried.
    let id = app
        .with_db(|conn| {
            kindred_jobs::enqueue_in(
                conn,
                &kindred_jobs::JobSpec::new("no_such_kind", serde_json::json!({})),
                1,
            )
            .unwrap()
            .unwrap()
        })
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let page = loop {
        let page = browser.get("/console/admin").await;
        if page
            .html
            .contains(&format!("/console/admin/jobs/{id}/retry"))
        {
            break page;
        }
        assert!(std::time::Instant::now() < deadline, "the job never died");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(page.html.contains("no handler"));
    let retried = browser
        .post(
            &format!("/console/admin/jobs/{id}/retry"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(retried.status, 303, "{}", retried.html);
    // Exactly "retried": the job was dead, so the retry took.
    retried.redirects_to("/console/admin?notice=retried");
}

/// The console's upload form with `csv` and the button `mode`.
fn upload_form(csrf: &str, mode: &str, csv: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("mode", mode.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
                .file_name("people.csv")
                .mime_str("text/csv")
                .unwrap(),
        )
}

/// Follows an import's page until it is done; returns the page.
async fn finished(browser: &WebClient, path: &str) -> Page {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let page = browser.get(path).await;
        assert_eq!(page.status, 200, "{}", page.html);
        if page.html.contains("data-running=\"no\"") {
            return page;
        }
        assert!(page.html.contains("<script src=\"/static/progress.js\""));
        assert!(page
            .header("content-security-policy")
            .contains("connect-src 'self'"));
        assert!(
            std::time::Instant::now() < deadline,
            "the import never ended"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn web_console_import_preview_import_and_export(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token) = coordinator(&app).await;
    let data = browser.get("/console/data").await;
    assert_eq!(data.status, 200, "{}", data.html);
    let csrf = data.csrf();
    let csv = crate::imports::file(&[
        crate::imports::row("ana@example.org", "Ana", "mentee"),
        "bea@example.org,Bea,mentor,,es,Mars/Base,,,online,,,2,,".to_string(),
        crate::imports::row("=HYPERLINK(1)@example.org", "=cmd", "mentee"),
        crate::imports::row("dora@example.org", "=HYPERLINK(\"http://x\")", "mentor"),
    ]);

    // A whole-file problem: the form again with the message beside the file.
    let bad = browser
        .post_multipart(
            "/console/imports",
            upload_form(&csrf, "preview", "favourite_colour\nblue\n"),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(bad.html.contains("id=\"file-error\""));
    assert!(bad.html.contains("favourite_colour"));
    // Without the form token: refused, nothing stored.
    let forged = browser
        .post_multipart("/console/imports", upload_form("", "import", &csv))
        .await;
    assert_eq!(forged.status, 403);

    // The dry run: the bad rows by number, nothing written.
    let preview = browser
        .post_multipart("/console/imports", upload_form(&csrf, "preview", &csv))
        .await;
    assert_eq!(preview.status, 303, "{}", preview.html);
    let report = finished(&browser, preview.location()).await;
    assert!(
        report.html.contains("nothing was written"),
        "{}",
        report.html
    );
    assert!(
        report.html.contains("<th scope=\"row\">3</th>"),
        "{}",
        report.html
    );
    assert!(
        report.html.contains("<th scope=\"row\">4</th>"),
        "{}",
        report.html
    );
    assert!(report.html.contains("timezone: "));
    let users = app.get("/profiles?role=mentee", Some(&token)).await;
    assert_eq!(
        users.body["items"].as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );

    // The import: two accounts, the same rows reported.
    let real = browser
        .post_multipart("/console/imports", upload_form(&csrf, "import", &csv))
        .await;
    assert_eq!(real.status, 303, "{}", real.html);
    let report = finished(&browser, real.location()).await;
    assert!(
        report
            .html
            .contains("New accounts (each got an invitation)</dt><dd>2</dd>"),
        "{}",
        report.html
    );
    assert!(report.html.contains("<th scope=\"row\">3</th>"));

    // The exports: CSV, no-store, formulas neutralised.
    let people = browser.get("/console/exports/participants.csv").await;
    assert_eq!(people.status, 200);
    assert!(people.header("content-type").starts_with("text/csv"));
    assert_eq!(people.header("cache-control"), "no-store");
    assert!(people
        .header("content-disposition")
        .contains("participants.csv"));
    assert!(people.html.contains("ana@example.org"));
    assert!(people.html.contains("'=HYPERLINK"), "{}", people.html);
    assert!(
        !people.html.contains("domestic-abuse-survivor"),
        "never a private tag"
    );
    let matches = browser.get("/console/exports/matches.csv").await;
    assert_eq!(matches.status, 200);
    assert_eq!(
        browser.get("/console/exports/passwords.csv").await.status,
        404
    );
}
