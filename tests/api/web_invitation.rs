//! Invited accounts in the web app, through real HTTP like a browser
//! without JavaScript, on both backends: a coordinator imports a CSV
//! through the API, the invitation code arrives by SMTP, the person accepts
//! on `/invitation` (a wrong code or a short password shows its error
//! beside the field and changes nothing), sees the imported private and
//! sensitive tags on `/consent`, on their profile and as a reminder at home,
//! and answers: yes makes them count for matching, no removes them. Forms
//! without their token are refused and change nothing.

use kindred_tests::{both_backends, Db, TestApp};
use serde_json::{json, Value};

use crate::imports::{file, has_private_overlap, import, invitation_code, row, suggestion};
use crate::web_client::{Page, WebClient};
use crate::web_profile::{beside, full_mentee_form, summary_links_to};

both_backends!(
    web_invitation_accept_then_consent_yes_counts_the_tags,
    web_invitation_consent_no_removes_the_tags_and_saving_keeps_them_waiting,
    web_invitation_without_waiting_tags_goes_home,
);

mod browser;

const PASSWORD: &str = "my own long passphrase";
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The invitation code emailed to `email` (and the email's text).
async fn code_for(app: &TestApp, email: &str) -> (String, String) {
    let mail = app.email_to(email, "invited to Kindred").await;
    let text = mail.text_body.clone().unwrap_or_default();
    (invitation_code(&mail), text)
}

/// Whether `email` can log in through the API with `password`.
async fn can_log_in(app: &TestApp, email: &str, password: &str) -> bool {
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await;
    res.status == 200
}

/// The API's view of the signed-in person's profile of `kind`.
async fn api_profile(app: &TestApp, browser: &WebClient, kind: &str) -> Value {
    let res = app
        .get(&format!("/me/{kind}-profile"), Some(&browser.session()))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

/// Posts the invitation form with its token.
async fn accept(browser: &WebClient, email: &str, code: &str, password: &str) -> Page {
    browser
        .submit(
            "/invitation",
            &[("email", email), ("code", code), ("new_password", password)],
        )
        .await
}

async fn web_invitation_accept_then_consent_yes_counts_the_tags(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    // A mentee who shows `bisexual` and keeps `domestic-abuse-survivor` private.
    let (_mentee, request_id) = app.mentee_with_request("mentee@example.org").await;
    // An imported mentor with the same two tags: both wait for consent.
    let email = "mo@example.org";
    import(
        &app,
        &coordinator,
        &file(&[row(email, "Mo", "mentor")]),
        false,
    )
    .await;
    let (code, text) = code_for(&app, email).await;
    // The configured public URL (`server.public_url`), not the test's port.
    assert!(
        text.contains("Accept the invitation: http://127.0.0.1:8080/invitation"),
        "the email points to the page: {text}"
    );

    let browser = WebClient::new(&app);
    let page = browser.get("/invitation").await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(page.header("content-security-policy"), CSP);
    assert!(page.html.contains("<h1>Accept your invitation</h1>"));
    for id in ["email", "code", "new_password"] {
        assert!(page.html.contains(&format!("<label for=\"{id}\">")), "{id}");
    }
    assert!(page.html.contains("autocomplete=\"new-password\""));

    // Without the form token: refused, nothing changes.
    let refused = browser
        .post(
            "/invitation",
            &[
                ("email", email),
                ("code", &code),
                ("new_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.html.contains("This form has expired"));
    assert!(!can_log_in(&app, email, PASSWORD).await);

    // A wrong code: the message beside the code, the summary links to it.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let page = accept(&browser, email, wrong, PASSWORD).await;
    assert_eq!(page.status, 400, "{}", page.html);
    assert!(beside(&page, "code").contains("The invitation code is wrong"));
    assert!(summary_links_to(&page, "code"));
    assert!(page.html.contains(&format!("value=\"{email}\"")));
    assert!(!page.html.contains(PASSWORD), "passwords are never shown");
    assert!(!can_log_in(&app, email, PASSWORD).await);

    // A short password: its message beside it; the code still works after.
    let page = accept(&browser, email, &code, "short").await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(
        beside(&page, "new_password").contains("12"),
        "{}",
        page.html
    );
    assert!(summary_links_to(&page, "new_password"));
    assert!(!can_log_in(&app, email, "short").await);

    // The right code: signed in, then asked about the waiting tags.
    let page = accept(&browser, email, &code, PASSWORD).await;
    page.redirects_to("/consent");
    let session = page.set_cookie("kindred_session");
    assert!(session.contains("HttpOnly"), "{session}");
    let consent = browser.get("/consent").await;
    assert_eq!(consent.status, 200, "{}", consent.html);
    assert_eq!(consent.header("cache-control"), "no-store");
    assert!(consent
        .html
        .contains("<strong>Bisexual</strong> (public, sensitive)"));
    assert!(consent
        .html
        .contains("<strong>Domestic abuse survivor</strong> (private, sensitive)"));
    assert!(consent
        .html
        .contains("Only you and the programme&#x27;s coordinators can see it"));
    assert!(consent
        .html
        .contains("the people you are matched with can see it too"));
    assert!(consent.html.contains("<label for=\"answer-yes\">"));
    assert!(consent.html.contains("<label for=\"answer-no\">"));

    // The profile lists them as waiting, with the way to answer; so does home.
    let profile = browser.get("/profile?role=mentor").await;
    assert_eq!(profile.status, 200, "{}", profile.html);
    assert!(profile.html.contains(
        "Domestic abuse survivor</strong> (private, sensitive) — waiting for your consent"
    ));
    assert!(profile.html.contains("<a href=\"/consent\">"));
    let home = browser.get("/home").await;
    assert!(home.html.contains("<a href=\"/consent\">"), "{}", home.html);

    // Before the answer they do not count.
    let mentor_id = app.get("/me", Some(&browser.session())).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = suggestion(&app, &coordinator, &request_id, &mentor_id).await;
    assert!(before.is_object(), "the mentor fits on everything else");
    assert!(!has_private_overlap(&before), "{before}");

    // No answer: the question again with its error; without the token: 403.
    let none = browser.submit("/consent", &[]).await;
    assert_eq!(none.status, 422, "{}", none.html);
    assert!(summary_links_to(&none, "answer-yes"));
    assert!(none.html.contains("id=\"answer-error\""));
    assert!(none.html.contains("<strong>Bisexual</strong>"));
    let forged = browser.post("/consent", &[("answer", "yes")]).await;
    assert_eq!(forged.status, 403);
    assert!(api_profile(&app, &browser, "mentor").await["pending_tags"].is_object());

    // Yes: they count, as ordinary tags.
    browser
        .submit("/consent", &[("answer", "yes")])
        .await
        .redirects_to("/home?notice=consent-given");
    let stored = api_profile(&app, &browser, "mentor").await;
    assert!(stored.get("pending_tags").is_none(), "{stored}");
    assert_eq!(stored["private_tags"], json!(["domestic-abuse-survivor"]));
    assert!(stored["tags"].to_string().contains("bisexual"), "{stored}");
    assert_eq!(stored["consents"]["sensitive_tags"], true);
    let after = suggestion(&app, &coordinator, &request_id, &mentor_id).await;
    assert!(has_private_overlap(&after), "{after}");
    let home = browser.get("/home?notice=consent-given").await;
    assert!(home.html.contains("now count when we look for a match"));
    assert!(!home.html.contains("<a href=\"/consent\">"));
    browser.get("/consent").await.redirects_to("/home");
    let profile = browser.get("/profile?role=mentor").await;
    assert!(!profile.html.contains("waiting for your consent"));
}

async fn web_invitation_consent_no_removes_the_tags_and_saving_keeps_them_waiting(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let email = "ana@example.org";
    import(
        &app,
        &coordinator,
        &file(&[row(email, "Ana", "mentee")]),
        false,
    )
    .await;
    let (code, _) = code_for(&app, email).await;

    // In Spanish.
    let browser = WebClient::new(&app);
    browser.get("/lang/es?next=/invitation").await;
    let page = browser.get("/invitation").await;
    assert!(
        page.html.contains("<h1>Acepta tu invitación</h1>"),
        "{}",
        page.html
    );
    let page = accept(&browser, email, &code, PASSWORD).await;
    page.redirects_to("/consent");
    let consent = browser.get("/consent").await;
    assert!(consent
        .html
        .contains("<strong>Bisexual</strong> (pública, sensible)"));
    assert!(consent
        .html
        .contains("<strong>Superviviente de violencia doméstica</strong> (privada, sensible)"));

    // Saving the profile without them keeps them waiting (not ticked there).
    let form: Vec<(&str, &str)> = full_mentee_form()
        .into_iter()
        .filter(|(k, v)| {
            !matches!(*v, "bisexual" | "domestic-abuse-survivor" | "yes")
                && !k.starts_with("vis-bisexual")
                && !k.starts_with("vis-domestic")
        })
        .collect();
    browser
        .submit("/profile", &form)
        .await
        .redirects_to("/profile?role=mentee&notice=saved");
    let stored = api_profile(&app, &browser, "mentee").await;
    assert_eq!(
        stored["pending_tags"],
        json!({"tags": ["bisexual"], "private_tags": ["domestic-abuse-survivor"]}),
        "{stored}"
    );
    assert_eq!(stored["bio"], "I moved to Madrid last year.");
    let profile = browser.get("/profile").await;
    assert!(
        profile.html.contains("espera tu consentimiento"),
        "{}",
        profile.html
    );
    // Listed again after an error too.
    let mut bad = form.clone();
    bad.retain(|(k, _)| *k != "timezone");
    bad.push(("timezone", "Mars/Olympus"));
    let page = browser.submit("/profile", &bad).await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(
        page.html.contains("espera tu consentimiento"),
        "{}",
        page.html
    );

    // No: removed.
    browser
        .submit("/consent", &[("answer", "no")])
        .await
        .redirects_to("/home?notice=consent-declined");
    let stored = api_profile(&app, &browser, "mentee").await;
    assert!(stored.get("pending_tags").is_none(), "{stored}");
    assert_eq!(stored["private_tags"], json!([]));
    assert!(!stored["tags"].to_string().contains("bisexual"), "{stored}");
    let home = browser.get("/home?notice=consent-declined").await;
    assert!(
        home.html.contains("se han eliminado de tu perfil"),
        "{}",
        home.html
    );
    assert!(!home.html.contains("<a href=\"/consent\">"));
}

async fn web_invitation_without_waiting_tags_goes_home(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let email = "plain@example.org";
    // Only a public tag that is not sensitive: nothing waits.
    let plain = row(email, "Pat", "mentee")
        .replace("bisexual; job-search", "job-search")
        .replace(",domestic-abuse-survivor,", ",,");
    import(&app, &coordinator, &file(&[plain]), false).await;
    let (code, _) = code_for(&app, email).await;
    let browser = WebClient::new(&app);
    accept(&browser, email, &code, PASSWORD)
        .await
        .redirects_to("/home?notice=invitation-accepted");
    let home = browser.get("/home?notice=invitation-accepted").await;
    assert!(home.html.contains("Your password is set"), "{}", home.html);
    assert!(!home.html.contains("<a href=\"/consent\">"));
    browser.get("/consent").await.redirects_to("/home");
    assert!(can_log_in(&app, email, PASSWORD).await);
    // The code was used up.
    let again = WebClient::new(&app);
    let page = accept(&again, email, &code, "another long passphrase").await;
    assert_eq!(page.status, 400, "{}", page.html);
}
