//! The journey's steps, person by person.

use kindred_testkit::Browser;
use serde_json::json;

use super::steps::{emailed_code, Journey, CANARY_SLUG};
use super::PASSWORD;

pub struct Person {
    pub email: String,
    pub id: String,
    pub lang: &'static str,
}

async fn user_id(j: &Journey<'_>, email: &str) -> String {
    let email = email.to_string();
    j.app
        .with_db(move |conn| {
            kindred_db::users::find_by_email(conn, &email)
                .unwrap()
                .expect("the account exists")
                .id
        })
        .await
}

/// Sets a field's value the way a date/time picker would (typing into
/// `type=time` depends on the platform's picker; the mentor's keyboard
/// journey types into text fields instead).
async fn set_value(browser: &Browser, id: &str, value: &str) {
    browser
        .eval_with(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1]; return e.value;",
            vec![json!(id), json!(value)],
        )
        .await;
}

pub async fn log_out(j: &mut Journey<'_>) {
    let before = j.path().await;
    let button = j.browser.find("form[action=\"/logout\"] button").await;
    button
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click log out on {before}: {e}"));
    for _ in 0..100 {
        if j.path().await.starts_with("/login") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(j.path().await.starts_with("/login?notice=logged-out"));
    assert!(j.browser.cookie("kindred_session").await.is_none());
    j.check("logged out", false).await;
    // Signed out, a signed-in page sends to log in.
    j.goto("/home").await;
    assert!(j.path().await.starts_with("/login"), "{}", j.path().await);
}

/// Sign up (a wrong password first), verify, a profile with a private
/// sensitive tag (without consent first), ask for a mentor. By mouse.
pub async fn mentee_signs_up_and_asks(
    j: &mut Journey<'_>,
    lang: &'static str,
    email: &str,
) -> Person {
    j.goto("/").await;
    j.use_language(lang).await;
    j.check("landing", false).await;
    j.shot("landing").await;

    j.goto("/signup").await;
    j.check("sign up", false).await;
    let b = j.browser;
    b.fill_id("email", email).await;
    b.fill_id("password", "short").await;
    b.fill_id("display_name", "Mira").await;
    b.fill_id("pronouns", "she/her").await;
    b.click_id("role-mentee").await;
    j.submit_main_form().await;
    let page = j.browser.source().await;
    assert!(
        page.contains("aria-invalid=\"true\""),
        "{}: {page}",
        j.path().await
    );
    j.check("sign up with errors", false).await;
    j.shot("signup-errors").await;
    // The address is kept; the password is typed again.
    assert_eq!(b.value_of(&b.by_id("email").await).await, email);
    assert_eq!(b.value_of(&b.by_id("password").await).await, "");
    let before = j.app.sink.messages_to(email).len();
    b.fill_id("password", PASSWORD).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/signup/sent");
    j.check("sign up sent", false).await;

    let code = emailed_code(j.app, email, before).await;
    j.goto("/verify").await;
    j.check("verify", false).await;
    b.fill_id("email", email).await;
    b.fill_id("code", &code).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/home?notice=verified");
    j.check("home", false).await;
    let session = b.cookie("kindred_session").await.expect("a session cookie");
    assert!(session.http_only, "HttpOnly");
    assert_eq!(session.same_site.as_deref(), Some("Lax"));
    assert!(!session.secure, "plain http in the test");
    assert_eq!(session.expires, None, "a browser-session cookie");

    j.goto("/profile").await;
    j.check("profile (empty)", true).await;
    b.fill_id("bio", "I moved to Madrid last year.").await;
    b.fill_id("goals", "Feel safe being out at work.").await;
    b.click_id(&format!("tag-{CANARY_SLUG}")).await;
    b.click_id(&format!("tag-{CANARY_SLUG}-private")).await;
    b.click_id("tag-job-search").await;
    b.click_id("lang-en").await;
    b.click_id("lang-es").await;
    b.fill_id("timezone", "Europe/Madrid").await;
    set_value(b, "avail-mon-0-start", "18:00").await;
    set_value(b, "avail-mon-0-end", "20:00").await;
    b.click_id("mode-online").await;
    // A sensitive tag without consent: refused, nothing stored.
    j.submit_main_form().await;
    let page = b.source().await;
    assert!(page.contains("id=\"consent_sensitive-error\""), "{page}");
    j.check("profile with errors", true).await;
    j.shot("profile-errors").await;
    b.click_id("consent_sensitive").await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/profile?role=mentee&notice=saved");
    j.check("profile saved", true).await;
    j.shot("profile").await;

    j.goto("/request").await;
    j.check("ask for a mentor", true).await;
    b.fill_id("note", "Someone who has been through coming out at work.")
        .await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/request?notice=created");
    j.check("request open", false).await;
    j.shot("request").await;

    let id = user_id(j, email).await;
    Person {
        email: email.to_string(),
        id,
        lang,
    }
}

/// The mentor's sign-up, verification and profile with keyboard alone:
/// Tab to each field, type, Space for boxes, Enter to send.
pub async fn mentor_signs_up_by_keyboard(
    j: &mut Journey<'_>,
    lang: &'static str,
    email: &str,
) -> Person {
    j.goto("/").await;
    j.use_language(lang).await;
    j.goto("/signup").await;
    j.keyboard_from_top().await;
    // The skip link is the first stop and goes to the main content.
    j.browser.press_tab().await;
    let first = j.browser.focused_element().await;
    assert_eq!(first.href.as_deref(), Some("#main"), "{first:?}");
    j.key_type("email", email).await;
    j.key_type("password", PASSWORD).await;
    j.key_type("display_name", "Tomás").await;
    j.key_type("pronouns", "he/him").await;
    j.key_radio("role", "role-mentor").await;
    j.name_main_submit("signup-submit").await;
    let before = j.app.sink.messages_to(email).len();
    j.key_submit("signup-submit").await;
    assert_eq!(j.path().await, "/signup/sent");

    let code = emailed_code(j.app, email, before).await;
    j.goto("/verify").await;
    j.keyboard_from_top().await;
    j.key_type("email", email).await;
    j.key_type("code", &code).await;
    j.name_main_submit("verify-submit").await;
    j.key_submit("verify-submit").await;
    assert_eq!(j.path().await, "/home?notice=verified");
    j.check("home (mentor)", false).await;

    j.goto("/profile").await;
    j.keyboard_from_top().await;
    j.key_type("bio", "I came out at work ten years ago.").await;
    j.key_type("capacity", "2").await;
    j.key_toggle(&format!("tag-{CANARY_SLUG}")).await;
    // Sensitive tags start private: the radio is already on "private".
    j.key_toggle("tag-job-search").await;
    // Choosing a sensitive tag shows the consent box, reachable by Tab.
    j.key_toggle("consent_sensitive").await;
    j.key_toggle("lang-en").await;
    j.key_toggle("lang-es").await;
    j.key_type("timezone", "Europe/Madrid").await;
    j.key_toggle("mode-online").await;
    j.name_main_submit("profile-submit").await;
    j.key_submit("profile-submit").await;
    assert_eq!(
        j.path().await,
        "/profile?role=mentor&notice=saved",
        "{}",
        j.browser.source().await
    );
    j.check("mentor profile saved", true).await;
    let id = user_id(j, email).await;
    Person {
        email: email.to_string(),
        id,
        lang,
    }
}

async fn log_in(j: &mut Journey<'_>, person: &Person) {
    assert_eq!(
        j.log_in(&person.email, PASSWORD, person.lang).await,
        "/home"
    );
}

/// The mentor sees the proposal, accepts it by keyboard, and then sees the
/// mentee's card with contact details (and no private tag of theirs).
pub async fn mentor_accepts_by_keyboard(
    j: &mut Journey<'_>,
    mentor: &Person,
    mentee: &Person,
    m: &str,
) {
    j.goto("/login").await;
    j.use_language(mentor.lang).await;
    j.keyboard_from_top().await;
    j.key_type("email", &mentor.email).await;
    j.key_type("password", PASSWORD).await;
    j.name_main_submit("login-submit").await;
    j.key_submit("login-submit").await;
    assert_eq!(j.path().await, "/home");
    j.check("home with a match to answer", false).await;
    j.goto("/matches").await;
    j.check("matches (mentor, to answer)", false).await;
    j.goto(&format!("/matches/{m}")).await;
    let page = j.browser.source().await;
    assert!(!page.contains(&mentee.email), "no contact before active");
    j.check("a match to answer", false).await;
    j.shot("match-to-answer").await;
    j.keyboard_from_top().await;
    j.key_submit("accept-submit").await;
    assert_eq!(j.path().await, format!("/matches/{m}?notice=accepted"));
    let page = j.browser.source().await;
    assert!(
        page.contains(&mentee.email),
        "the mentee's contact once active"
    );
    j.check("active match (mentor)", false).await;
}

/// The mentee sees the active match and the mentor's card, checks in with
/// "I need support" (after a form error), then every page in both languages.
pub async fn mentee_checks_in_and_sweeps(
    j: &mut Journey<'_>,
    mentee: &Person,
    mentor: &Person,
    m: &str,
) {
    log_in(j, mentee).await;
    j.goto("/matches").await;
    j.check("matches (mentee)", false).await;
    j.goto(&format!("/matches/{m}")).await;
    let page = j.browser.source().await;
    assert!(
        page.contains(&mentor.email),
        "the mentor's contact once active"
    );
    assert!(page.contains("Tomás"));
    j.check("active match (mentee)", false).await;
    j.shot("match-active").await;

    j.goto(&format!("/matches/{m}/check-in")).await;
    j.check("check-in", false).await;
    // Without a rating: the error beside the field and in the summary.
    j.click_submit("checkin-submit").await;
    assert!(j.browser.source().await.contains("id=\"rating-error\""));
    j.check("check-in with errors", false).await;
    j.browser.click_id("rating-2").await;
    j.browser.fill_id("checkin-note", "A hard week.").await;
    j.browser.click_id("needs-support").await;
    j.click_submit("checkin-submit").await;
    assert!(
        j.path().await.contains("/check-in/sent?support=yes"),
        "{}",
        j.path().await
    );
    let page = j.browser.source().await;
    assert!(page.contains("id=\"get-support\""), "the resources at once");
    j.check("support resources after a check-in", false).await;
    j.shot("checkin-support").await;

    sweep(j, m).await;
}

/// Every page the mentee can open, in English and Spanish.
async fn sweep(j: &mut Journey<'_>, m: &str) {
    let pages: Vec<(String, bool)> = [
        ("/", false),
        ("/signup", false),
        ("/login", false),
        ("/verify", false),
        ("/password/forgot", false),
        ("/password/reset", false),
        ("/home", false),
        ("/profile", true),
        ("/request", true),
        ("/matches", false),
        ("/settings", false),
        ("/settings/delete", false),
        ("/account/password", false),
        ("/no-such-page", false),
    ]
    .into_iter()
    .map(|(p, c)| (p.to_string(), c))
    .chain(
        [
            format!("/matches/{m}"),
            format!("/matches/{m}/check-in"),
            format!("/matches/{m}/end"),
            format!("/matches/{m}/report"),
            format!("/matches/{m}/block"),
        ]
        .into_iter()
        .map(|p| (p, false)),
    )
    .collect();
    for lang in ["en", "es"] {
        for (path, may_show_canary) in &pages {
            j.goto(&format!("/lang/{lang}?next={path}")).await;
            let now = j
                .browser
                .eval("return document.documentElement.lang;")
                .await;
            assert_eq!(now.as_str(), Some(lang), "{path}");
            let label = format!("{path} ({lang})");
            j.browser.assert_no_axe_violations(&label).await;
            if !may_show_canary {
                let source = j.browser.source().await;
                j.assert_no_canary(&label, &source);
            }
            j.checked.push(label);
        }
    }
}

/// Report, block (the match ends), a form without its token refused, an
/// expired session, the data download, and erasure.
pub async fn mentee_reports_blocks_exports_and_leaves(
    j: &mut Journey<'_>,
    mentee: &Person,
    m: &str,
    coordinator: &str,
) {
    j.goto(&format!("/lang/{}?next=/matches/{m}/report", mentee.lang))
        .await;
    j.browser
        .fill_id("report-reason", "Pushed me to meet alone.")
        .await;
    j.click_submit("report-submit").await;
    assert_eq!(j.path().await, format!("/matches/{m}/report/sent"));
    j.check("report sent", false).await;
    let reports = j.app.get("/reports", Some(coordinator)).await;
    assert!(
        reports.text.contains("Pushed me to meet alone."),
        "{}",
        reports.text
    );

    j.goto(&format!("/matches/{m}/block")).await;
    j.click_submit("block-submit").await;
    assert_eq!(j.path().await, format!("/matches/{m}?notice=blocked"));
    j.check("blocked", false).await;
    let ended = j.app.get(&format!("/matches/{m}"), Some(coordinator)).await;
    assert_eq!(ended.body["state"], "ended", "{}", ended.text);

    // A form posted without its CSRF token is refused, and nothing changes.
    j.goto("/settings").await;
    j.check("settings", false).await;
    j.shot("settings").await;
    j.browser
        .eval("document.querySelector('form[action=\"/settings/notifications\"] input[name=csrf]').remove(); return true;")
        .await;
    j.browser.click_id("checkin_reminders").await;
    let before = j
        .browser
        .find("form[action=\"/settings/notifications\"] button")
        .await;
    before.click().await.unwrap();
    for _ in 0..100 {
        if j.path().await == "/settings/notifications" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The refusal page (403), not the settings page again.
    let refused = j.browser.source().await;
    assert_eq!(j.path().await, "/settings/notifications");
    assert!(!refused.contains("id=\"checkin_reminders\""), "{refused}");
    j.check("refused without the form's token", false).await;
    let token = login_token(j, mentee).await;
    let prefs = j.app.get("/me/notifications", Some(&token)).await;
    assert_eq!(
        prefs.body["checkin_reminders"], true,
        "unchanged: {}",
        prefs.text
    );

    // The data download: the browser's own session and the page's token.
    j.goto("/settings").await;
    let session = j.browser.cookie("kindred_session").await.unwrap().value;
    let csrf = j
        .browser
        .eval("return document.querySelector('form[action=\"/settings/export\"] input[name=csrf]').value;")
        .await;
    let res = reqwest::Client::new()
        .post(j.url("/settings/export"))
        .header("cookie", format!("kindred_session={session}"))
        .form(&[("csrf", csrf.as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let export: serde_json::Value = res.json().await.unwrap();
    assert_eq!(export["account"]["email"], mentee.email.as_str());
    assert!(
        export.to_string().contains(CANARY_SLUG),
        "their own private tag"
    );

    // An expired session goes back to log in.
    let hash = kindred_service::credentials::token_hash(&session);
    j.app
        .with_db(move |conn| {
            use diesel::prelude::*;
            use kindred_db::schema::auth_tokens;
            let past = kindred_db::now() - chrono::Duration::minutes(1);
            diesel::update(auth_tokens::table.filter(auth_tokens::token_hash.eq(hash)))
                .set(auth_tokens::expires_at.eq(past))
                .execute(conn)
                .unwrap();
        })
        .await;
    j.goto("/settings").await;
    assert_eq!(j.path().await, "/login?notice=session-ended");
    j.check("session ended", false).await;
    log_in(j, mentee).await;

    // Delete: a wrong password first, then the account is gone.
    j.goto("/settings/delete").await;
    j.check("delete my account", false).await;
    j.browser.fill_id("password", "not my password").await;
    j.submit_main_form().await;
    assert!(j.browser.source().await.contains("id=\"password-error\""));
    j.check("delete with errors", false).await;
    j.browser.fill_id("password", PASSWORD).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/deleted");
    j.check("deleted", false).await;
    assert!(j.browser.cookie("kindred_session").await.is_none());
    assert_eq!(j.app.get("/me", Some(&token)).await.status, 401);
}

async fn login_token(j: &Journey<'_>, person: &Person) -> String {
    let res = j
        .app
        .post(
            "/auth/login",
            None,
            &json!({"email": person.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["token"].as_str().unwrap().to_string()
}
