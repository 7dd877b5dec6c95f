//! The web app's profile editor and "ask for a mentor" pages through real
//! HTTP, like a browser without JavaScript, checked against the API's view
//! of what was stored, on both backends.

use kindred_tests::{both_backends, profile_body, Db, TestApp};
use serde_json::json;

use crate::web_client::{Page, WebClient};

both_backends!(
    web_profile_a_full_mentee_profile_is_stored_as_typed,
    web_profile_sensitive_tags_without_consent_store_nothing,
    web_profile_time_zone_and_availability_errors_sit_beside_their_fields,
    web_profile_mentor_capacity_and_both_roles,
    web_profile_posts_without_the_csrf_token_change_nothing,
    web_profile_forms_show_taxonomy_edits_at_once,
);

mod requests;

const PASSWORD: &str = "a long passphrase";
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A signed-up person signed in to the web app: (browser, API token, user id).
pub(crate) async fn signed_in(
    app: &TestApp,
    email: &str,
    role: &str,
) -> (WebClient, String, String) {
    let (token, id) = app.signup(email, role).await;
    let browser = WebClient::new(app);
    browser.login(email, PASSWORD).await.redirects_to("/home");
    (browser, token, id)
}

/// The message shown beside input `id` (its `-error` paragraph).
pub(crate) fn beside<'a>(page: &'a Page, id: &str) -> &'a str {
    let marker = format!("id=\"{id}-error\"");
    let at = page
        .html
        .find(&marker)
        .unwrap_or_else(|| panic!("no message beside #{id} in {}", page.html));
    let rest = &page.html[at..];
    &rest[..rest.find("</p>").unwrap()]
}

pub(crate) fn summary_links_to(page: &Page, id: &str) -> bool {
    let summary = page
        .html
        .find("class=\"error-summary\"")
        .unwrap_or(usize::MAX);
    page.html
        .find(&format!("href=\"#{id}\""))
        .is_some_and(|at| at > summary)
}

pub(crate) fn full_mentee_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("role", "mentee"),
        ("bio", "I moved to Madrid last year."),
        ("goals", "Feel confident at work."),
        ("tag", "bisexual"),
        ("vis-bisexual", "public"),
        ("tag", "domestic-abuse-survivor"),
        ("vis-domestic-abuse-survivor", "private"),
        ("tag", "job-search"),
        ("vis-job-search", "public"),
        ("vis-racism", "public"),
        ("consent_sensitive", "yes"),
        ("lang", "en"),
        ("lang", "es"),
        ("languages_other", "eu, pt-BR"),
        ("timezone", "Europe/Madrid"),
        ("avail-mon-0-start", "18:00"),
        ("avail-mon-0-end", "20:30"),
        ("avail-mon-1-start", ""),
        ("avail-mon-1-end", ""),
        ("avail-wed-0-start", "19:00"),
        ("avail-wed-0-end", "00:00"),
        ("mode", "online"),
        ("mode", "in_person"),
        ("region", "Madrid"),
    ]
}

async fn web_profile_a_full_mentee_profile_is_stored_as_typed(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "ana@example.org", "mentee").await;

    let empty = browser.get("/profile").await;
    assert_eq!(empty.status, 200, "{}", empty.html);
    assert_eq!(empty.header("cache-control"), "no-store");
    assert!(empty.html.contains("<h1>Your mentee profile</h1>"));
    assert!(empty.html.contains("<legend>Who you are</legend>"));
    assert!(empty.html.contains("<label for=\"tag-bisexual\">Bisexual <span class=\"profile-sensitive-mark\">(sensitive)</span></label>"));
    assert!(empty.html.contains("<option value=\"Europe/Madrid\">"));
    // An empty time zone: our own script may fill in the browser's zone,
    // and only this page's policy allows our scripts.
    assert_eq!(empty.html.matches("<script").count(), 1);
    assert!(empty
        .html
        .contains("<script src=\"/static/profile.js\" defer></script>"));
    assert_eq!(
        empty.header("content-security-policy"),
        format!("{CSP}; script-src 'self'")
    );
    let js = browser.get("/static/profile.js").await;
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert!(js.html.contains("resolvedOptions().timeZone"));

    let saved = browser.submit("/profile", &full_mentee_form()).await;
    saved.redirects_to("/profile?role=mentee&notice=saved");

    let stored = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    let p = &stored.body;
    assert_eq!(p["tags"], json!(["bisexual", "job-search"]));
    assert_eq!(p["private_tags"], json!(["domestic-abuse-survivor"]));
    assert_eq!(p["consents"]["sensitive_tags"], true);
    assert_eq!(p["languages"], json!(["en", "es", "eu", "pt-BR"]));
    assert_eq!(p["timezone"], "Europe/Madrid");
    assert_eq!(
        p["availability"],
        json!([
            {"day": "mon", "start": "18:00", "end": "20:30"},
            {"day": "wed", "start": "19:00", "end": "24:00"}
        ])
    );
    assert_eq!(p["meeting_modes"], json!(["online", "in_person"]));
    assert_eq!(p["region"], "Madrid");
    assert_eq!(p["goals"], "Feel confident at work.");
    assert_eq!(p["bio"], "I moved to Madrid last year.");

    // The form comes back filled in, the private tag marked private.
    let page = browser.get("/profile?role=mentee&notice=saved").await;
    assert!(page.html.contains("Your profile has been saved."));
    assert!(!page.html.contains("<script"), "a zone is set: no script");
    assert_eq!(page.header("content-security-policy"), CSP);
    let html = &page.html;
    assert!(html.contains("id=\"tag-domestic-abuse-survivor\" name=\"tag\" value=\"domestic-abuse-survivor\" class=\"profile-tag-box profile-sensitive\" checked"));
    assert!(html.contains("id=\"tag-domestic-abuse-survivor-private\" name=\"vis-domestic-abuse-survivor\" value=\"private\" checked"));
    assert!(
        html.contains("id=\"tag-bisexual-public\" name=\"vis-bisexual\" value=\"public\" checked")
    );
    assert!(html.contains("id=\"tag-racism\" name=\"tag\" value=\"racism\" class=\"profile-tag-box profile-sensitive\">"));
    assert!(
        html.contains("id=\"consent_sensitive\" name=\"consent_sensitive\" value=\"yes\" checked")
    );
    assert!(html.contains("id=\"lang-es\" name=\"lang\" value=\"es\" checked"));
    assert!(
        html.contains("id=\"lang-eu\" name=\"lang\" value=\"eu\" checked"),
        "a listed language"
    );
    assert!(html.contains("id=\"languages_other\" name=\"languages_other\" type=\"text\" autocomplete=\"off\" value=\"pt-BR\""));
    assert!(html.contains("value=\"Europe&#x2f;Madrid\" aria-describedby=\"timezone-hint\""));
    assert!(html.contains("id=\"avail-mon-0-start\" name=\"avail-mon-0-start\" value=\"18:00\""));
    assert!(html.contains("id=\"avail-wed-0-end\" name=\"avail-wed-0-end\" value=\"00:00\""));
    assert!(
        html.contains("id=\"avail-mon-1-start\""),
        "an empty row after the stored one"
    );
    assert!(html.contains("id=\"mode-in_person\" name=\"mode\" value=\"in_person\" checked"));
    assert!(html.contains("<a href=\"/request\">Ask for a mentor</a>"));

    // Saving the same form again changes nothing; in Spanish the words change.
    browser
        .submit("/profile", &full_mentee_form())
        .await
        .redirects_to("/profile?role=mentee&notice=saved");
    let again = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(again.body["private_tags"], p["private_tags"]);
    assert_eq!(again.body["availability"], p["availability"]);
    // Long texts in a non-Latin script fit in the form (2000 characters each).
    let long = "ع".repeat(2000);
    let mut form = full_mentee_form();
    form.retain(|(k, _)| *k != "bio" && *k != "goals");
    form.push(("bio", &long));
    form.push(("goals", &long));
    browser
        .submit("/profile", &form)
        .await
        .redirects_to("/profile?role=mentee&notice=saved");
    let stored = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(stored.body["bio"].as_str().unwrap().chars().count(), 2000);
    browser.get("/lang/es?next=/profile").await;
    let es = browser.get("/profile").await;
    assert!(es.html.contains("<html lang=\"es\">"));
    assert!(es.html.contains("Privada: solo para emparejar"));
    assert!(es.html.contains("Superviviente de violencia doméstica"));
}

async fn web_profile_sensitive_tags_without_consent_store_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "bea@example.org", "mentee").await;
    let form: Vec<_> = full_mentee_form()
        .into_iter()
        .filter(|(k, _)| *k != "consent_sensitive")
        .collect();
    let refused = browser.submit("/profile", &form).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.html.contains("<title>Error:"));
    assert!(refused.html.contains("role=\"alert\""));
    assert!(summary_links_to(&refused, "consent_sensitive"));
    assert!(beside(&refused, "consent_sensitive").contains("tick this box"));
    assert!(refused.html.contains(
        "Consent for sensitive experiences: To keep the sensitive experiences you ticked"
    ));
    // Shown whatever the browser's CSS can do, and marked invalid.
    assert!(refused
        .html
        .contains("profile-consent profile-consent-shown field-invalid"));
    assert!(refused.html.contains(
        "aria-describedby=\"consent_sensitive-hint consent_sensitive-error\" aria-invalid=\"true\""
    ));
    // What was typed is kept.
    assert!(refused.html.contains("id=\"tag-domestic-abuse-survivor-private\" name=\"vis-domestic-abuse-survivor\" value=\"private\" checked"));
    assert!(refused.html.contains("I moved to Madrid last year."));
    assert_eq!(
        app.get("/me/mentee-profile", Some(&token)).await.status,
        404
    );

    // With a stored profile, a save without consent leaves it as it was.
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mut form = form;
    form.retain(|(k, _)| *k != "bio");
    form.push(("bio", "Changed bio"));
    assert_eq!(browser.submit("/profile", &form).await.status, 422);
    let stored = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(stored.body["bio"], profile_body("mentee")["bio"]);
}

async fn web_profile_time_zone_and_availability_errors_sit_beside_their_fields(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "cai@example.org", "mentee").await;
    let form = [
        ("role", "mentee"),
        ("tag", "job-search"),
        ("vis-job-search", "public"),
        ("languages_other", "english!"),
        ("timezone", "Mars/Olympus_Mons"),
        ("avail-mon-0-start", "19:00"),
        ("avail-mon-0-end", "18:00"),
        ("avail-tue-0-start", "18:10"),
        ("avail-tue-0-end", "19:00"),
        ("avail-thu-0-start", "18:00"),
        ("avail-thu-0-end", "20:00"),
        ("avail-thu-1-start", "19:00"),
        ("avail-thu-1-end", "21:00"),
        ("mode", "in_person"),
        ("region", ""),
    ];
    let page = browser.submit("/profile", &form).await;
    assert_eq!(page.status, 422, "{}", page.html);
    for (id, text) in [
        ("timezone", "Choose a time zone from the list"),
        ("avail-mon-0-end", "End after the start time."),
        ("avail-tue-0-start", "Use steps of 15 minutes"),
        ("avail-thu-1-start", "overlaps another time"),
        ("languages_other", "Enter language codes"),
        ("region", "Enter a region to meet in person"),
    ] {
        assert!(summary_links_to(&page, id), "summary link to #{id}");
        assert!(
            beside(&page, id).contains(text),
            "#{id}: {}",
            beside(&page, id)
        );
    }
    assert!(page
        .html
        .contains("Monday, time 1: End after the start time."));
    assert!(page.html.contains("Thursday, time 2: This overlaps"));
    assert!(page
        .html
        .contains("id=\"timezone\" name=\"timezone\" type=\"text\" list=\"timezone-list\""));
    assert!(
        page.html.contains("value=\"Mars&#x2f;Olympus_Mons\""),
        "kept as typed"
    );
    assert!(page
        .html
        .contains("id=\"avail-tue-0-start\" name=\"avail-tue-0-start\" value=\"18:10\" aria-invalid=\"true\" aria-describedby=\"avail-tue-0-start-error\""));
    // The summary follows the form: the time zone before the times before the region.
    let zone = page.html.find("href=\"#timezone\"").unwrap();
    let time = page.html.find("href=\"#avail-mon-0-end\"").unwrap();
    let region = page.html.find("href=\"#region\"").unwrap();
    assert!(zone < time && time < region);
    assert_eq!(
        app.get("/me/mentee-profile", Some(&token)).await.status,
        404
    );

    // No language and no way to meet: beside the first of each group.
    let page = browser
        .submit("/profile", &[("role", "mentee"), ("timezone", "UTC")])
        .await;
    assert_eq!(page.status, 422);
    assert!(beside(&page, "lang-en").contains("Choose at least one language."));
    assert!(beside(&page, "mode-online").contains("Choose at least one way to meet."));
    assert!(!page.html.contains("id=\"timezone-error\""));
}

async fn web_profile_mentor_capacity_and_both_roles(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "dani@example.org", "mentor").await;
    let page = browser.get("/profile").await;
    assert!(page.html.contains("<h1>Your mentor profile</h1>"));
    assert!(page.html.contains("id=\"capacity\""));
    assert!(
        page.html
            .contains("id=\"accepting\" name=\"accepting\" value=\"yes\" checked"),
        "accepting by default"
    );
    assert!(!page.html.contains("id=\"goals\""));
    assert!(
        !page.html.contains("href=\"/profile?role=mentee\""),
        "one role: no switch"
    );

    let mut form = vec![
        ("role", "mentor"),
        ("bio", "Happy to help with job searches."),
        ("tag", "job-search"),
        ("vis-job-search", "public"),
        ("lang", "en"),
        ("timezone", "America/Mexico_City"),
        ("mode", "phone"),
        ("capacity", "lots"),
    ];
    let bad = browser.submit("/profile", &form).await;
    assert_eq!(bad.status, 422, "{}", bad.html);
    assert!(beside(&bad, "capacity").contains("Enter a whole number from 1 to 20."));
    assert!(summary_links_to(&bad, "capacity"));
    assert!(bad.html.contains("value=\"lots\""));
    assert!(
        !bad.html
            .contains("id=\"accepting\" name=\"accepting\" value=\"yes\" checked"),
        "unticked stays unticked"
    );

    form.retain(|(k, _)| *k != "capacity");
    form.push(("capacity", "7"));
    browser
        .submit("/profile", &form)
        .await
        .redirects_to("/profile?role=mentor&notice=saved");
    let stored = app.get("/me/mentor-profile", Some(&token)).await;
    assert_eq!(stored.status, 200, "{}", stored.text);
    assert_eq!(stored.body["capacity"], 7);
    assert_eq!(stored.body["accepting"], false);
    assert_eq!(stored.body["tags"], json!(["job-search"]));
    assert_eq!(stored.body["meeting_modes"], json!(["phone"]));
    form.push(("accepting", "yes"));
    browser.submit("/profile", &form).await;
    let stored = app.get("/me/mentor-profile", Some(&token)).await;
    assert_eq!(stored.body["accepting"], true);

    // With both roles, each profile on its own; the mentee one is the default.
    let res = app
        .post("/me/roles", Some(&token), &json!({"role": "mentee"}))
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    let mentee = browser.get("/profile").await;
    assert!(mentee.html.contains("<h1>Your mentee profile</h1>"));
    assert!(mentee
        .html
        .contains("<a href=\"/profile?role=mentor\">Mentor profile</a>"));
    assert!(!mentee.html.contains("value=\"7\""));
    let mentor = browser.get("/profile?role=mentor").await;
    assert!(mentor.html.contains("<h1>Your mentor profile</h1>"));
    assert!(mentor.html.contains("value=\"7\""));
    assert!(mentor
        .html
        .contains("<span aria-current=\"page\">Mentor profile</span>"));
    assert_eq!(
        app.get("/me/mentee-profile", Some(&token)).await.status,
        404
    );

    // A coordinator has no profile to fill in.
    app.coordinator("coord@example.org").await;
    let coordinator = WebClient::new(&app);
    coordinator
        .login("coord@example.org", "coordinator passphrase")
        .await
        .redirects_to("/home");
    let none = coordinator.get("/profile").await;
    assert_eq!(none.status, 200, "{}", none.html);
    assert!(none.html.contains("Your account has neither role"));
    assert!(!none.html.contains("action=\"/profile\""));
    let ask = coordinator.get("/request").await;
    assert_eq!(ask.status, 200, "{}", ask.html);
    assert!(ask.html.contains("Asking for a mentor is for mentees."));
}

async fn web_profile_posts_without_the_csrf_token_change_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, token, _) = signed_in(&app, "fay@example.org", "mentee").await;
    let form = full_mentee_form();
    let wrong = "0".repeat(64);
    for csrf in [None, Some(wrong.as_str())] {
        let mut fields = form.clone();
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        let res = browser.post("/profile", &fields).await;
        assert_eq!(res.status, 403, "{}", res.html);
        assert!(res.html.contains("This form has expired"));
    }
    assert_eq!(
        app.get("/me/mentee-profile", Some(&token)).await.status,
        404
    );

    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201);
    for csrf in [None, Some(wrong.as_str())] {
        let mut fields = vec![("note", "no token")];
        if let Some(csrf) = csrf {
            fields.push(("csrf", csrf));
        }
        assert_eq!(browser.post("/request", &fields).await.status, 403);
    }
    let page = browser.get("/request").await;
    assert!(
        page.html.contains("<h1>Ask for a mentor</h1>"),
        "no request made"
    );
    // A cross-site origin with the right token is refused too.
    let csrf = page.csrf();
    let cross = browser
        .client
        .post(format!("{}/request", app.base))
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("note", "cross")])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert!(browser
        .get("/request")
        .await
        .html
        .contains("<h1>Ask for a mentor</h1>"));

    // Withdraw without the token: still open.
    let res = app
        .post("/requests", Some(&token), &json!({"note": "via the API"}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        browser
            .post("/request/withdraw", &[("id", &id)])
            .await
            .status,
        403
    );
    let api = app.get(&format!("/requests/{id}"), Some(&token)).await;
    assert_eq!(api.body["state"], "open");
}

/// The forms keep the taxonomy between page views (`TaxonomyCache`); a
/// coordinator's new tag, new label or retirement shows on the very next
/// view of the profile and request forms.
async fn web_profile_forms_show_taxonomy_edits_at_once(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (browser, token, _) = signed_in(&app, "ana@example.org", "mentee").await;
    let before = browser.get("/profile").await;
    assert!(before.html.contains("id=\"tag-job-search\""));
    assert!(!before.html.contains("tag-night-shift-workers"));

    let created = app
        .post(
            "/tags",
            Some(&coordinator),
            &json!({"slug": "night-shift-workers", "label": "Night <shift> workers", "category": "experience", "sensitive": false}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let relabelled = app
        .patch(
            "/tags/job-search",
            Some(&coordinator),
            &json!({"label": "Finding work"}),
        )
        .await;
    assert_eq!(relabelled.status, 200, "{}", relabelled.body);
    let retired = app
        .patch(
            "/tags/racism",
            Some(&coordinator),
            &json!({"retired": true}),
        )
        .await;
    assert_eq!(retired.status, 200, "{}", retired.body);

    let after = browser.get("/profile").await;
    assert!(after
        .html
        .contains("<label for=\"tag-night-shift-workers\">Night &lt;shift&gt; workers</label>"));
    assert!(after
        .html
        .contains("<label for=\"tag-job-search\">Finding work</label>"));
    assert!(
        !after.html.contains("id=\"tag-racism\""),
        "retired: no longer offered"
    );

    let saved = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(saved.status, 201, "{}", saved.body);
    let request = browser.get("/request").await;
    assert_eq!(request.status, 200, "{}", request.html);
    assert!(request
        .html
        .contains("id=\"req-tag-night-shift-workers\" name=\"required_tag\""));
    assert!(request.html.contains(">Finding work</label>"));
}
