//! Emails in each person's stored language, with that language's support
//! footer, through real SMTP: chosen at sign-up (the web page's language,
//! or `language` in the API's register body), changed by the web app's
//! language switcher and `PUT /me/language`, and each coordinator's own for
//! coordinator alerts. On both backends.

use diesel::prelude::*;
use kindred_testkit::ReceivedEmail;
use kindred_tests::{both_backends, Db, TestApp};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_LANGUAGE};
use serde_json::json;

use crate::web_client::{code_in_mail, WebClient};

both_backends!(
    web_sign_up_in_spanish_sends_the_code_in_spanish,
    switching_language_while_signed_in_changes_the_next_email,
    api_register_and_put_me_language,
    coordinator_alerts_go_in_each_coordinators_language,
);

const PASSWORD: &str = "a long passphrase";
/// Pieces of the default footers (`config/default.toml`).
const FOOTER_EN: &str = "Peer support does not replace";
const FOOTER_ES: &str = "El apoyo entre pares no";

/// The next email to `to` after the first `before`.
async fn next_mail(app: &TestApp, to: &str, before: usize) -> ReceivedEmail {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(m) = app.sink.messages_to(to).into_iter().nth(before) {
            return m;
        }
        assert!(std::time::Instant::now() < deadline, "no new email to {to}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Both parts are in Spanish with the Spanish footer (or English with the
/// English one).
fn assert_language(mail: &ReceivedEmail, spanish: bool) {
    let text = mail.text_body.as_deref().unwrap();
    let html = mail.html_body.as_deref().unwrap();
    let (mine, other, lang) = if spanish {
        (FOOTER_ES, FOOTER_EN, "es")
    } else {
        (FOOTER_EN, FOOTER_ES, "en")
    };
    let footer = text.split("\n-- \n").nth(1).expect("a footer");
    assert!(footer.contains(mine), "{text}");
    assert!(!text.contains(other), "{text}");
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
    assert!(
        html.contains("support-footer") && html.contains(mine),
        "{html}"
    );
    assert!(!html.contains(other));
    for resource in ["112", "116 123", "findahelpline.com"] {
        assert!(footer.contains(resource) && html.contains(resource));
    }
    assert_eq!(
        footer.contains("024"),
        spanish,
        "Spain's 024 line in Spanish"
    );
}

async fn stored_language(app: &TestApp, user_id: &str) -> String {
    let id = user_id.to_string();
    app.with_db(move |conn| {
        use kindred_db::schema::users;
        users::table
            .find(id)
            .select(users::preferred_language)
            .first::<String>(conn)
            .unwrap()
    })
    .await
}

fn browser_with(app: &TestApp, accept_language: &str) -> WebClient {
    let mut browser = WebClient::new(app);
    let mut headers = HeaderMap::new();
    headers.insert(
        ACCEPT_LANGUAGE,
        HeaderValue::from_str(accept_language).unwrap(),
    );
    browser.client = reqwest::Client::builder()
        .cookie_provider(std::sync::Arc::clone(&browser.jar))
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap();
    browser
}

async fn web_sign_up_in_spanish_sends_the_code_in_spanish(db: Db) {
    let app = TestApp::spawn(db).await;
    // From Accept-Language.
    let browser = browser_with(&app, "es-ES,es;q=0.9,en;q=0.5");
    let form = browser.get("/signup").await;
    assert!(form.html.contains("<html lang=\"es\">"));
    // The page's footer has the support resources of its language.
    assert!(
        form.html
            .contains("El apoyo entre pares no sustituye la ayuda profesional."),
        "{}",
        form.html
    );
    assert!(form
        .html
        .contains("<li>Línea 024 de atención a la conducta suicida"));
    assert!(!form.html.contains(FOOTER_EN));
    browser
        .submit(
            "/signup",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("display_name", "Ana"),
                ("role", "mentee"),
            ],
        )
        .await
        .redirects_to("/signup/sent");
    let mail = next_mail(&app, "ana@example.org", 0).await;
    assert_eq!(mail.subject, "Tu código de verificación de Kindred");
    assert_language(&mail, true);
    assert!(mail
        .text_body
        .as_deref()
        .unwrap()
        .contains("caduca en 10 minutos"));
    let code = code_in_mail(&app, "ana@example.org", 0, "Código de verificación: ").await;
    browser
        .submit("/verify", &[("email", "ana@example.org"), ("code", &code)])
        .await
        .redirects_to("/home?notice=verified");
    // The account's language, in GET /me and the export.
    let token = browser.session();
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.body["language"], "es", "{}", me.text);
    let export = app.get("/me/export", Some(&token)).await;
    assert_eq!(export.body["account"]["language"], "es");
    let id = me.body["id"].as_str().unwrap().to_string();
    assert_eq!(stored_language(&app, &id).await, "es");

    // From the switcher's cookie, over an English Accept-Language.
    let other = browser_with(&app, "en");
    other
        .get("/lang/es?next=/signup")
        .await
        .redirects_to("/signup");
    other
        .submit(
            "/signup",
            &[
                ("email", "bea@example.org"),
                ("password", PASSWORD),
                ("display_name", "Bea"),
                ("role", "mentor"),
            ],
        )
        .await
        .redirects_to("/signup/sent");
    let mail = next_mail(&app, "bea@example.org", 0).await;
    assert_eq!(mail.subject, "Tu código de verificación de Kindred");
    assert_language(&mail, true);

    // An English page gives an English code and account.
    let english = browser_with(&app, "en-GB");
    english
        .submit(
            "/signup",
            &[
                ("email", "cy@example.org"),
                ("password", PASSWORD),
                ("display_name", "Cy"),
                ("role", "mentee"),
            ],
        )
        .await
        .redirects_to("/signup/sent");
    let page = english.get("/signup").await;
    assert!(page
        .html
        .contains("Peer support does not replace professional help."));
    assert!(!page.html.contains(FOOTER_ES));
    let mail = next_mail(&app, "cy@example.org", 0).await;
    assert_eq!(mail.subject, "Your Kindred verification code");
    assert_language(&mail, false);

    // Erasure takes the preference with the account.
    assert_eq!(app.delete("/me", Some(&token)).await.status, 204);
    assert_eq!(stored_language(&app, &id).await, "en");
}

async fn switching_language_while_signed_in_changes_the_next_email(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, id) = app.signup_named("dee@example.org", "Dee", "mentee").await;
    assert_eq!(stored_language(&app, &id).await, "en", "the API's default");
    let browser = WebClient::new(&app);
    browser
        .login("dee@example.org", PASSWORD)
        .await
        .redirects_to("/home");
    let switch = |lang: &'static str, site: &'static str| {
        let client = browser.client.clone();
        let url = format!("{}/lang/{lang}?next=/home", app.base);
        async move {
            let res = client
                .get(url)
                .header("sec-fetch-site", site)
                .send()
                .await
                .unwrap();
            WebClient::read(res).await
        }
    };
    let reset = |app: &TestApp| {
        let app_base = app.base.clone();
        async move {
            let res = reqwest::Client::new()
                .post(format!("{app_base}/api/v1/auth/password-reset"))
                .json(&json!({"email": "dee@example.org"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 202);
        }
    };

    // Switching on our own pages stores the language: the next email is Spanish.
    switch("es", "same-origin").await.redirects_to("/home");
    assert_eq!(stored_language(&app, &id).await, "es");
    assert_eq!(app.get("/me", Some(&token)).await.body["language"], "es");
    let home = browser.get("/home").await;
    assert!(home.html.contains("<html lang=\"es\">"));
    let before = app.sink.messages_to("dee@example.org").len();
    reset(&app).await;
    let mail = next_mail(&app, "dee@example.org", before).await;
    assert_eq!(
        mail.subject,
        "Tu código para restablecer la contraseña de Kindred"
    );
    assert_language(&mail, true);
    code_in_mail(&app, "dee@example.org", before, "Código para restablecer: ").await;

    // A switch that a link on another site started changes the page's
    // language (the cookie) but not the emails'.
    let crossed = switch("en", "cross-site").await;
    crossed.redirects_to("/home");
    assert!(crossed.set_cookie("lang").starts_with("lang=en"));
    assert_eq!(stored_language(&app, &id).await, "es");
    // Nor does a switch with no sign of where it came from.
    browser
        .get("/lang/en?next=/home")
        .await
        .redirects_to("/home");
    assert_eq!(stored_language(&app, &id).await, "es");

    // Back to English on our pages: the next email is English.
    switch("en", "same-origin").await.redirects_to("/home");
    assert_eq!(stored_language(&app, &id).await, "en");
    let before = app.sink.messages_to("dee@example.org").len();
    reset(&app).await;
    let mail = next_mail(&app, "dee@example.org", before).await;
    assert_eq!(mail.subject, "Your Kindred password reset code");
    assert_language(&mail, false);

    // Without a session the switcher only sets the cookie.
    let anonymous = WebClient::new(&app);
    let res = anonymous
        .client
        .get(format!("{}/lang/es?next=/login", app.base))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    WebClient::read(res).await.redirects_to("/login");
    assert_eq!(stored_language(&app, &id).await, "en");
}

async fn api_register_and_put_me_language(db: Db) {
    let app = TestApp::spawn(db).await;
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "eli@example.org", "password": PASSWORD, "display_name": "Eli",
                    "role": "mentor", "language": "es"}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    let mail = next_mail(&app, "eli@example.org", 0).await;
    assert_eq!(mail.subject, "Tu código de verificación de Kindred");
    assert_language(&mail, true);
    let code = code_in_mail(&app, "eli@example.org", 0, "Código de verificación: ").await;
    let verified = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": "eli@example.org", "code": code}),
        )
        .await;
    assert_eq!(verified.status, 201, "{}", verified.text);
    assert_eq!(verified.body["user"]["language"], "es");
    let token = verified.body["token"].as_str().unwrap().to_string();
    let id = verified.body["user"]["id"].as_str().unwrap().to_string();

    // Someone registers the address again, in English: the owner is told in
    // the owner's language.
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "eli@example.org", "password": PASSWORD, "display_name": "X",
                    "role": "mentee", "language": "en"}),
        )
        .await;
    assert_eq!(res.status, 202);
    let notice = next_mail(&app, "eli@example.org", 1).await;
    assert_eq!(
        notice.subject,
        "Alguien ha intentado registrarse con tu dirección de correo"
    );
    assert_language(&notice, true);
    assert_eq!(stored_language(&app, &id).await, "es");

    // PUT /me/language.
    let bad = app
        .put("/me/language", Some(&token), &json!({"language": "de"}))
        .await;
    bad.field_error("language");
    let missing = app.put("/me/language", Some(&token), &json!({})).await;
    missing.field_error("language");
    assert_eq!(stored_language(&app, &id).await, "es", "nothing changed");
    assert_eq!(
        app.put("/me/language", None, &json!({"language": "en"}))
            .await
            .status,
        401
    );
    let ok = app
        .put("/me/language", Some(&token), &json!({"language": "en"}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["language"], "en");
    assert_eq!(ok.body["id"], id.as_str());
    assert_eq!(app.get("/me", Some(&token)).await.body["language"], "en");
    let before = app.sink.messages_to("eli@example.org").len();
    assert_eq!(
        app.post(
            "/auth/password-reset",
            None,
            &json!({"email": "eli@example.org"})
        )
        .await
        .status,
        202
    );
    let mail = next_mail(&app, "eli@example.org", before).await;
    assert_eq!(mail.subject, "Your Kindred password reset code");
    assert_language(&mail, false);

    // A language Kindred is not written in is a 422 with the other fields,
    // and nothing is registered or sent.
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "fay@example.org", "password": PASSWORD, "display_name": "Fay",
                    "role": "mentee", "language": "fr"}),
        )
        .await;
    res.field_error("language");
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "fay@example.org", "password": "short", "display_name": "Fay",
                    "role": "mentee", "language": "es-MX"}),
        )
        .await;
    res.field_error("language");
    res.field_error("password");
    let fay = app
        .with_db(|conn| {
            kindred_db::users::find_by_email(conn, "fay@example.org")
                .unwrap()
                .is_none()
        })
        .await;
    assert!(fay, "no account");
    assert!(app.sink.messages_to("fay@example.org").is_empty());
    // No language: English.
    let (_, gus) = app.signup_named("gus@example.org", "Gus", "mentee").await;
    assert_eq!(stored_language(&app, &gus).await, "en");
}

async fn coordinator_alerts_go_in_each_coordinators_language(db: Db) {
    let app = TestApp::spawn(db).await;
    app.coordinator("coord-en@example.org").await;
    let spanish = app.coordinator("coord-es@example.org").await;
    let set = app
        .put("/me/language", Some(&spanish), &json!({"language": "es"}))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let (reporter, _) = app.signup("reporter@example.org", "mentee").await;
    let (_, reported) = app.signup("reported@example.org", "mentor").await;
    let res = app
        .post(
            "/reports",
            Some(&reporter),
            &json!({"about_user_id": reported, "reason": "Said something that scared me."}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);

    let en = app
        .email_to("coord-en@example.org", "a new concern was reported")
        .await;
    assert_language(&en, false);
    let es = app
        .email_to("coord-es@example.org", "se ha recibido una denuncia nueva")
        .await;
    assert_language(&es, true);
    assert!(es
        .text_body
        .as_deref()
        .unwrap()
        .contains("Lo denunciado se queda en Kindred"));
    for mail in [&en, &es] {
        let text = mail.text_body.as_deref().unwrap();
        let html = mail.html_body.as_deref().unwrap();
        assert!(!text.contains("scared") && !html.contains("scared"));
        assert!(!text.contains("reporter@") && !text.contains("reported@"));
        assert!(text.contains("/api/v1/reports"), "{text}");
    }
    // Each got one alert, in one language only.
    app.wait_outbox_idle().await;
    let alerts = |to: &str, subject: &str| {
        app.sink
            .messages_to(to)
            .iter()
            .filter(|m| m.subject.contains(subject))
            .count()
    };
    assert_eq!(alerts("coord-es@example.org", "denuncia nueva"), 1);
    assert_eq!(alerts("coord-es@example.org", "new concern"), 0);
    assert_eq!(alerts("coord-en@example.org", "new concern"), 1);
    assert_eq!(alerts("coord-en@example.org", "denuncia nueva"), 0);
}
