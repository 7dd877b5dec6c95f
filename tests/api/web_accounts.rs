//! The web app's account pages through real HTTP, like a browser without
//! JavaScript: forms, cookies, redirects (followed by hand so each answer
//! can be checked), on both backends.

use kindred_tests::{both_backends, Db, TestApp};

use crate::web_client::{code_in_mail, get_with_session, WebClient};
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};
use serde_json::json;

both_backends!(
    web_sign_up_verify_home_log_out_and_in,
    web_sign_up_errors_are_shown_beside_the_fields,
    web_password_reset_and_change,
    web_posts_without_a_valid_csrf_token_change_nothing,
    web_expired_session_goes_back_to_log_in,
    web_cookies_are_secure_behind_https,
    web_language_from_header_and_switcher,
    web_headers_and_the_api_unchanged,
    web_log_in_brings_the_persons_own_language,
);

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const PASSWORD: &str = "a long passphrase";

async fn user_exists(app: &TestApp, email: &str) -> bool {
    let email = email.to_string();
    app.with_db(move |conn| {
        kindred_db::users::find_by_email(conn, &email)
            .unwrap()
            .is_some()
    })
    .await
}

async fn web_sign_up_verify_home_log_out_and_in(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = WebClient::new(&app);

    let form = browser.get("/signup").await;
    assert_eq!(form.status, 200);
    assert!(form.html.contains("<label for=\"email\">"));
    assert!(form.html.contains("autocomplete=\"new-password\""));
    assert!(form.html.contains("type=\"radio\" id=\"role-mentee\""));
    let csrf_cookie = form.set_cookie("kindred_csrf");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax"));
    let sent = browser
        .submit(
            "/signup",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("display_name", "Ana Web"),
                ("pronouns", "she/her"),
                ("role", "mentee"),
            ],
        )
        .await;
    sent.redirects_to("/signup/sent");
    let check = browser.get("/signup/sent").await;
    assert!(check.html.contains("Check your email"));

    let code = code_in_mail(&app, "ana@example.org", 0, "Verification code: ").await;
    let verified = browser
        .submit("/verify", &[("email", "ana@example.org"), ("code", &code)])
        .await;
    verified.redirects_to("/home?notice=verified");
    let cookie = verified.set_cookie("kindred_session");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "http public URL: {cookie}");

    let home = browser.get("/home?notice=verified").await;
    assert_eq!(home.status, 200, "{}", home.html);
    assert!(home.html.contains("Welcome, Ana Web"), "{}", home.html);
    assert!(home.html.contains("Mentee"));
    assert!(home.html.contains("role=\"status\""), "the notice");
    assert_eq!(home.header("cache-control"), "no-store");
    assert_eq!(home.header("content-security-policy"), CSP);

    // Log out: the old cookie stops working.
    let old = browser.session();
    let logout_csrf = home.csrf();
    let out = browser.post("/logout", &[("csrf", &logout_csrf)]).await;
    out.redirects_to("/login?notice=logged-out");
    assert!(out.set_cookie("kindred_session").contains("Max-Age=0"));
    let replay = get_with_session(&app, "/home", &old).await;
    replay.redirects_to("/login?notice=session-ended");
    let bye = browser.get("/login?notice=logged-out").await;
    assert!(bye.html.contains("You have logged out."));

    // A wrong password: the error summary, the email kept, never the password.
    let wrong = browser.login("ana@example.org", "not the passphrase").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.html.contains("role=\"alert\""), "{}", wrong.html);
    assert!(wrong.html.contains("href=\"#email\""));
    assert!(wrong.html.contains("aria-invalid=\"true\""));
    assert!(wrong.html.contains("aria-describedby=\"email-error\""));
    assert!(wrong.html.contains("value=\"ana@example.org\""));
    assert!(!wrong.html.contains("not the passphrase"));
    assert!(wrong.html.contains("<title>Error:"));

    let ok = browser.login("ANA@example.org", PASSWORD).await;
    ok.redirects_to("/home");
    let home = browser.get("/home").await;
    assert!(home.html.contains("Welcome, Ana Web"));

    // Signing in again from a browser that holds a session ends that one.
    let before = browser.session();
    let again = browser.login("ana@example.org", PASSWORD).await;
    again.redirects_to("/home");
    assert_ne!(browser.session(), before);
    get_with_session(&app, "/home", &before)
        .await
        .redirects_to("/login?notice=session-ended");
    assert_eq!(browser.get("/home").await.status, 200);

    // The same account through the API: nothing about it changed.
    let api = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "ana@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(api.status, 200);
}

async fn web_sign_up_errors_are_shown_beside_the_fields(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = WebClient::new(&app);
    let page = browser
        .submit(
            "/signup",
            &[
                ("email", "not-an-address"),
                ("password", "short"),
                ("display_name", "Bo"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("role=\"alert\""));
    for id in ["#email", "#password", "#role-mentee"] {
        assert!(
            page.html.contains(&format!("href=\"{id}\"")),
            "{id}: {}",
            page.html
        );
    }
    assert!(page.html.contains("Use at least 12 characters."));
    assert!(page.html.contains("value=\"not-an-address\""));
    assert!(page.html.contains("value=\"Bo\""));
    assert!(!page.html.contains("value=\"short\""), "never the password");
    assert!(!user_exists(&app, "not-an-address").await);
}

async fn web_password_reset_and_change(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signup_named("reset@example.org", "Reset Person", "mentor")
        .await;
    let browser = WebClient::new(&app);
    browser
        .login("reset@example.org", PASSWORD)
        .await
        .redirects_to("/home");
    let old_session = browser.session();

    let before = app.sink.messages_to("reset@example.org").len();
    let asked = browser
        .submit("/password/forgot", &[("email", "reset@example.org")])
        .await;
    asked.redirects_to("/password/reset?notice=reset-sent");
    // An unknown address gets the same answer.
    let unknown = browser
        .submit("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    unknown.redirects_to("/password/reset?notice=reset-sent");
    let code = code_in_mail(&app, "reset@example.org", before, "Reset code: ").await;

    let wrong = browser
        .submit(
            "/password/reset",
            &[
                ("email", "reset@example.org"),
                ("code", "000000x"),
                ("new_password", "the new long passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.html.contains("href=\"#code\""), "{}", wrong.html);
    let done = browser
        .submit(
            "/password/reset",
            &[
                ("email", "reset@example.org"),
                ("code", &code),
                ("new_password", "the new long passphrase"),
            ],
        )
        .await;
    done.redirects_to("/login?notice=password-reset");

    get_with_session(&app, "/home", &old_session)
        .await
        .redirects_to("/login?notice=session-ended");
    assert_eq!(
        browser.login("reset@example.org", PASSWORD).await.status,
        401
    );
    browser
        .login("reset@example.org", "the new long passphrase")
        .await
        .redirects_to("/home");

    // Change it while signed in: a wrong current password is named.
    let wrong = browser
        .submit(
            "/account/password",
            &[
                ("current_password", "not it at all"),
                ("new_password", "a third long passphrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.html.contains("href=\"#current_password\""));
    assert!(wrong.html.contains("This is not your current password."));
    let changed = browser
        .submit(
            "/account/password",
            &[
                ("current_password", "the new long passphrase"),
                ("new_password", "a third long passphrase"),
            ],
        )
        .await;
    changed.redirects_to("/home?notice=password-changed");
    // This session stays; the password is the new one.
    assert_eq!(browser.get("/home").await.status, 200);
    let api = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "reset@example.org", "password": "a third long passphrase"}),
        )
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
}

async fn web_posts_without_a_valid_csrf_token_change_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = WebClient::new(&app);
    let signup = [
        ("email", "csrf@example.org"),
        ("password", PASSWORD),
        ("display_name", "Csrf"),
        ("role", "mentee"),
    ];
    // No token (and no cookie yet), then a wrong token with the cookie.
    let none = browser.post("/signup", &signup).await;
    assert_eq!(none.status, 403);
    assert!(none.header("content-type").starts_with("text/html"));
    assert!(none.html.contains("This form has expired"), "{}", none.html);
    browser.get("/signup").await;
    let mut forged = vec![("csrf", "0".repeat(64))];
    forged.extend(signup.iter().map(|(k, v)| (*k, v.to_string())));
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(browser.post("/signup", &forged).await.status, 403);
    // A token from another browser does not fit this browser's cookie.
    let other = WebClient::new(&app);
    let other_token = other.get("/signup").await.csrf();
    let mut theirs = vec![("csrf", other_token.as_str())];
    theirs.extend_from_slice(&signup);
    assert_eq!(browser.post("/signup", &theirs).await.status, 403);
    assert!(!user_exists(&app, "csrf@example.org").await);

    // A cross-site Origin is refused even with a valid token.
    let page = browser.get("/signup").await;
    let token = page.csrf();
    let mut fields = vec![("csrf", token.as_str())];
    fields.extend_from_slice(&signup);
    let cross = browser
        .client
        .post(format!("{}/signup", app.base))
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert!(!user_exists(&app, "csrf@example.org").await);
    // The same-origin post with the token works.
    let same = browser
        .client
        .post(format!("{}/signup", app.base))
        .header("origin", app.base.as_str())
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 303);

    // Signed in: a password change or a logout without the session's token.
    app.signup_named("signed@example.org", "Signed", "mentor")
        .await;
    browser
        .login("signed@example.org", PASSWORD)
        .await
        .redirects_to("/home");
    let change = browser
        .post(
            "/account/password",
            &[
                ("csrf", &token),
                ("current_password", PASSWORD),
                ("new_password", "an attacker's passphrase"),
            ],
        )
        .await;
    assert_eq!(
        change.status, 403,
        "the anonymous token is not the session's"
    );
    assert_eq!(browser.post("/logout", &[]).await.status, 403);
    assert_eq!(browser.get("/home").await.status, 200, "still signed in");
    let api = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "signed@example.org", "password": PASSWORD}),
        )
        .await;
    assert_eq!(api.status, 200, "the password did not change");
}

async fn web_expired_session_goes_back_to_log_in(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signup_named("expired@example.org", "Expired", "mentee")
        .await;
    let browser = WebClient::new(&app);
    browser
        .login("expired@example.org", PASSWORD)
        .await
        .redirects_to("/home");
    assert_eq!(browser.get("/home").await.status, 200);
    let session = browser.session();
    let hash = kindred_service::credentials::token_hash(&session);
    app.with_db(move |conn| {
        use diesel::prelude::*;
        use kindred_db::schema::auth_tokens;
        let past = kindred_db::now() - chrono::Duration::minutes(1);
        diesel::update(auth_tokens::table.filter(auth_tokens::token_hash.eq(hash)))
            .set(auth_tokens::expires_at.eq(past))
            .execute(conn)
            .unwrap();
    })
    .await;
    let home = browser.get("/home").await;
    home.redirects_to("/login?notice=session-ended");
    assert!(home.set_cookie("kindred_session").contains("Max-Age=0"));
    // The cookie is gone now: signed-in pages send to log in.
    assert_eq!(browser.get("/account/password").await.location(), "/login");
    // No cookie at all: to log in, without a notice.
    let fresh = WebClient::new(&app);
    fresh.get("/home").await.redirects_to("/login");
    let login = browser.get("/login?notice=session-ended").await;
    assert!(login.html.contains("Your session has ended."));
}

async fn web_cookies_are_secure_behind_https(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.server.public_url = "https://kindred.example/".parse().unwrap();
    })
    .await;
    app.signup_named("secure@example.org", "Secure", "mentee")
        .await;
    let browser = WebClient::new(&app);
    let form = browser.get("/login").await;
    assert!(form.set_cookie("kindred_csrf").contains("Secure"));
    // reqwest's jar keeps Secure cookies away from http://, as a browser would:
    // post the token and cookie by hand.
    let nonce = form.set_cookie("kindred_csrf");
    let nonce = nonce.split(';').next().unwrap().to_string();
    let res = browser
        .client
        .post(format!("{}/login", app.base))
        .header(COOKIE, nonce)
        .form(&[
            ("csrf", form.csrf().as_str()),
            ("email", "secure@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    let page = WebClient::read(res).await;
    page.redirects_to("/home");
    let cookie = page.set_cookie("kindred_session");
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

async fn web_language_from_header_and_switcher(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = WebClient::new(&app);
    let spanish = browser
        .client
        .get(format!("{}/login", app.base))
        .header(ACCEPT_LANGUAGE, "es-ES,es;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let spanish = WebClient::read(spanish).await;
    assert!(spanish.html.contains("<html lang=\"es\">"));
    assert!(
        spanish.html.contains("<h1>Iniciar sesión</h1>"),
        "{}",
        spanish.html
    );
    assert!(spanish
        .html
        .contains("Kindred es apoyo entre pares, no ayuda en crisis."));
    let english = browser.get("/login").await;
    assert!(english.html.contains("<html lang=\"en\">"));
    assert!(english
        .html
        .contains("Kindred is peer support, not crisis help."));

    // The switcher's cookie wins over the header.
    let switched = browser.get("/lang/en?next=/login").await;
    switched.redirects_to("/login");
    assert!(switched.set_cookie("lang").starts_with("lang=en"));
    let after = browser
        .client
        .get(format!("{}/login", app.base))
        .header(ACCEPT_LANGUAGE, "es")
        .send()
        .await
        .unwrap();
    assert!(WebClient::read(after)
        .await
        .html
        .contains("<html lang=\"en\">"));
    browser
        .get("/lang/es?next=//evil.example")
        .await
        .redirects_to("/");
    let es = browser.get("/signup").await;
    assert!(es.html.contains("<html lang=\"es\">"));
    // Errors are Spanish too.
    let errors = browser
        .submit("/signup", &[("email", "x"), ("password", "short")])
        .await;
    assert!(errors.html.contains("Hay un problema"), "{}", errors.html);
    assert!(errors.html.contains("Usa al menos 12 caracteres."));
}

async fn web_headers_and_the_api_unchanged(db: Db) {
    let app = TestApp::spawn(db).await;
    let browser = WebClient::new(&app);
    for path in [
        "/",
        "/login",
        "/signup",
        "/verify",
        "/password/forgot",
        "/password/reset",
        "/signup/sent",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.header("content-security-policy"), CSP, "{path}");
        assert_eq!(page.header("cache-control"), "no-store", "{path}");
        assert_eq!(page.header("x-frame-options"), "DENY", "{path}");
        assert!(
            page.header("content-type").starts_with("text/html"),
            "{path}"
        );
        assert!(
            !page.html.contains("<script") && !page.html.contains("style="),
            "{path}"
        );
    }
    let landing = browser.get("/").await;
    assert!(landing.html.contains("href=\"/signup\"") && landing.html.contains("href=\"/login\""));
    assert!(
        landing.html.contains("Samaritans"),
        "the configured support resources"
    );
    let css = browser.get("/static/kindred.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.html.contains(":focus-visible"));
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.html.contains("Page not found"));
    assert_eq!(missing.header("content-security-policy"), CSP);

    // The API keeps its own answers and headers.
    let me = app.get("/me", None).await;
    me.problem(401);
    assert_eq!(
        me.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    app.get("/api/v1/no-such-route", None).await.problem(404);
    app.get("/api/v2/anything", None).await.problem(404);
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, 200);
    assert_eq!(
        health.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    // A wrong method on a page is still 405.
    let put = browser
        .client
        .put(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 405);
}

/// Logging in on a browser that has chosen no language gives the pages the
/// person's stored language (the one their emails use); a browser that
/// chose one keeps it.
async fn web_log_in_brings_the_persons_own_language(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("ana@example.org", "mentee").await;
    let set = app
        .put(
            "/me/language",
            Some(&token),
            &serde_json::json!({"language": "es"}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["language"], "es");

    let fresh = WebClient::new(&app);
    let res = fresh.login("ana@example.org", PASSWORD).await;
    res.redirects_to("/home");
    assert!(
        res.set_cookie("lang").starts_with("lang=es"),
        "{:?}",
        res.set_cookies()
    );
    let home = fresh.get("/home").await;
    assert!(home.html.contains("<html lang=\"es\">"));

    let chosen = WebClient::new(&app);
    chosen.get("/lang/en?next=/login").await;
    let res = chosen.login("ana@example.org", PASSWORD).await;
    res.redirects_to("/home");
    assert!(res.set_cookies().iter().all(|c| !c.starts_with("lang=")));
    let home = chosen.get("/home").await;
    assert!(
        home.html.contains("<html lang=\"en\">"),
        "the browser's own choice stays"
    );
}
