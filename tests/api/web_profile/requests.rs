//! "Ask for a mentor" and withdraw, and what one person's pages never
//! show of another's, through real HTTP on both backends.

use kindred_tests::{both_backends, profile_body, Db, TestApp};
use serde_json::json;

use super::{beside, full_mentee_form, signed_in, summary_links_to};
use crate::web_client::Page;

both_backends!(
    web_profile_ask_for_a_mentor_and_withdraw,
    web_profile_pages_show_only_your_own_data,
);

/// The id in the withdraw form of the request page.
pub(crate) fn request_id(page: &Page) -> String {
    let at = page
        .html
        .find("name=\"id\" value=\"")
        .unwrap_or_else(|| panic!("no withdraw form in {}", page.html));
    let rest = &page.html[at + 17..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn web_profile_ask_for_a_mentor_and_withdraw(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "eli@example.org", "mentee").await;

    // No profile yet: to the profile first, with a notice.
    browser
        .get("/request")
        .await
        .redirects_to("/profile?role=mentee&notice=profile-first");
    let first = browser
        .get("/profile?role=mentee&notice=profile-first")
        .await;
    assert!(first
        .html
        .contains("Before you ask for a mentor, fill in your mentee profile"));
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);

    let form = browser.get("/request").await;
    assert_eq!(form.status, 200, "{}", form.html);
    assert!(form.html.contains("<h1>Ask for a mentor</h1>"));
    assert!(form
        .html
        .contains("id=\"req-tag-job-search\" name=\"required_tag\""));
    assert!(form.html.contains("<label for=\"excluded_regions\">"));
    assert!(form.html.contains("<label for=\"note\">"));

    // Errors: too many tags, a region too long; nothing is created.
    let long_region = "x".repeat(101);
    let mut too_many: Vec<(&str, &str)> = [
        "job-search",
        "career-growth",
        "education",
        "housing",
        "healthcare-access",
        "mental-health-coping",
        "legal-rights",
        "building-community",
        "relationships",
        "finances",
        "confidence",
    ]
    .iter()
    .map(|slug| ("required_tag", *slug))
    .collect();
    let regions = format!("Sevilla\n{long_region}");
    too_many.push(("excluded_regions", &regions));
    let bad = browser.submit("/request", &too_many).await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(beside(&bad, "excluded_regions").contains("Use 1 to 100 characters"));
    assert!(summary_links_to(&bad, "excluded_regions"));
    let first_tag = bad.html.find("id=\"req-tag-").unwrap();
    let first_id = &bad.html[first_tag + 4..];
    let first_id = first_id[..first_id.find('"').unwrap()].trim_end_matches("-error");
    assert!(
        beside(&bad, first_id).contains("Choose at most 10."),
        "{first_id}"
    );
    assert!(bad.html.contains("id=\"req-tag-finances\" name=\"required_tag\" value=\"finances\" class=\"profile-tag-box\" checked"));
    assert!(
        browser
            .get("/request")
            .await
            .html
            .contains("<h1>Ask for a mentor</h1>"),
        "nothing created"
    );

    let asked = browser
        .submit(
            "/request",
            &[
                ("required_tag", "job-search"),
                ("excluded_regions", "Sevilla\r\n\r\nCádiz"),
                ("note", "Someone near Madrid, please."),
            ],
        )
        .await;
    asked.redirects_to("/request?notice=created");
    let shown = browser.get("/request?notice=created").await;
    assert!(shown.html.contains("Your request has been sent."));
    assert!(shown.html.contains("<h1>Your request for a mentor</h1>"));
    assert!(shown.html.contains("<strong>Waiting for a match</strong>"));
    assert!(shown.html.contains("<li>Job search</li>"));
    assert!(shown.html.contains("<li>Cádiz</li>"));
    assert!(shown.html.contains("Someone near Madrid, please."));
    assert!(shown.html.contains(">Withdraw my request</button>"));
    let id = request_id(&shown);
    let api = app.get(&format!("/requests/{id}"), Some(&token)).await;
    assert_eq!(api.status, 200, "{}", api.text);
    assert_eq!(api.body["state"], "open");
    assert_eq!(api.body["required_tags"], json!(["job-search"]));
    assert_eq!(api.body["excluded_regions"], json!(["Sevilla", "Cádiz"]));
    assert_eq!(api.body["note"], "Someone near Madrid, please.");

    // A second request while one is open: back to the page, still one.
    let csrf = shown.csrf();
    browser
        .post("/request", &[("csrf", &csrf), ("note", "again")])
        .await
        .redirects_to("/request");
    assert_eq!(request_id(&browser.get("/request").await), id);

    let out = browser
        .post("/request/withdraw", &[("csrf", &csrf), ("id", &id)])
        .await;
    out.redirects_to("/request?notice=withdrawn");
    let api = app.get(&format!("/requests/{id}"), Some(&token)).await;
    assert_eq!(api.body["state"], "withdrawn");
    let after = browser.get("/request?notice=withdrawn").await;
    assert!(after.html.contains("Your request has been withdrawn."));
    assert!(after.html.contains("<h1>Ask for a mentor</h1>"));

    // A request a mentor was already asked about cannot be withdrawn here.
    let mentor = app.mentor("mentor@example.org", 2).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let csrf = after.csrf();
    browser
        .post("/request", &[("csrf", &csrf)])
        .await
        .redirects_to("/request?notice=created");
    let id = request_id(&browser.get("/request").await);
    let m = app.propose(&coordinator, &mentor.id, &id).await;
    let res = app
        .post(
            &format!("/matches/{m}/approve"),
            Some(&coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    browser
        .post("/request/withdraw", &[("csrf", &csrf), ("id", &id)])
        .await
        .redirects_to("/request?notice=cannot-withdraw");
    let refused = browser.get("/request?notice=cannot-withdraw").await;
    assert!(refused.html.contains("could not be withdrawn"));
    let api = app.get(&format!("/requests/{id}"), Some(&token)).await;
    assert_eq!(api.body["state"], "open");
}

async fn web_profile_pages_show_only_your_own_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, _, _) = signed_in(&app, "gil@example.org", "mentee").await;
    browser
        .submit("/profile", &full_mentee_form())
        .await
        .redirects_to("/profile?role=mentee&notice=saved");

    // Someone else, with their own profile and an open request.
    let (other, request) = app.mentee_with_request("hana@example.org").await;
    let mut body = profile_body("mentee");
    body["bio"] = json!("Hana-bio-4471");
    body["region"] = json!("Hana-town-4471");
    body["private_tags"] = json!(["living-with-hiv"]);
    let res = app
        .put("/me/mentee-profile", Some(&other.token), &body)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    let mine = browser.get("/profile").await;
    assert_eq!(mine.status, 200);
    for theirs in [
        "Hana-bio-4471",
        "Hana-town-4471",
        "hana@example.org",
        &other.id,
        &request,
    ] {
        assert!(
            !mine.html.contains(theirs),
            "{theirs} on someone else's page"
        );
    }
    assert!(mine.html.contains("id=\"tag-living-with-hiv\" name=\"tag\" value=\"living-with-hiv\" class=\"profile-tag-box profile-sensitive\">"), "not ticked for me");
    assert!(mine.html.contains("id=\"tag-domestic-abuse-survivor-private\" name=\"vis-domestic-abuse-survivor\" value=\"private\" checked"));
    let ask = browser.get("/request").await;
    assert!(
        ask.html.contains("<h1>Ask for a mentor</h1>"),
        "their request is not mine"
    );
    assert!(!ask.html.contains(&request));

    // Their request cannot be withdrawn from my session.
    let csrf = ask.csrf();
    let res = browser
        .post("/request/withdraw", &[("csrf", &csrf), ("id", &request)])
        .await;
    assert_eq!(res.status, 404, "{}", res.html);
    let api = app
        .get(&format!("/requests/{request}"), Some(&other.token))
        .await;
    assert_eq!(api.body["state"], "open");
}
