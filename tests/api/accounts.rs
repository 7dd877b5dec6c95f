//! Register → verify → login → me; enumeration safety; tokens; export; erasure.

use kindred_tests::{both_backends, profile_body, verification_code, Db, TestApp};
use serde_json::json;

both_backends!(
    full_journey,
    registration_does_not_reveal_existing_accounts,
    login_failures_are_identical,
    verification_codes_are_single_use_and_limited,
    logout_revokes_the_token,
    roles_can_be_added,
    export_and_erasure,
    registration_validation_reports_every_field,
    rate_limits_answer_429_with_retry_after,
    verification_codes_expire,
    a_second_registration_cannot_take_over_an_unverified_account,
);

async fn full_journey(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "ana@example.org";
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "Ana@Example.org", "password": "a long passphrase", "display_name": "Ana", "role": "mentee", "pronouns": "she/her"}),
        )
        .await;
    assert_eq!(res.status, 202);
    assert_eq!(res.body, json!({"status": "verification_sent"}));

    let mail = app.email_to(email, "verification code").await;
    assert!(mail
        .html_body
        .as_deref()
        .unwrap()
        .contains("Verification code"));
    assert!(
        mail.text_body
            .as_deref()
            .unwrap()
            .contains("Peer support does not replace"),
        "support footer in the text part"
    );
    assert!(mail
        .html_body
        .as_deref()
        .unwrap()
        .contains("Peer support does not replace"));
    let code = verification_code(&mail);

    // Not verified yet: login is refused.
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": "a long passphrase"}),
        )
        .await;
    res.problem(401);

    let res = app
        .post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["user"]["email"], email);
    assert_eq!(res.body["user"]["roles"], json!(["mentee"]));
    assert_eq!(res.body["user"]["pronouns"], "she/her");
    let verify_token = res.body["token"].as_str().unwrap().to_string();

    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": "a long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = res.body["token"].as_str().unwrap().to_string();
    assert!(token.len() >= 43, "at least 256 bits, base64url");
    assert_ne!(token, verify_token);
    assert!(res.body["expires_at"].is_string());

    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["display_name"], "Ana");
    assert!(me.body["id"].is_string() && me.body["created_at"].is_string());

    let res = app.get("/me/mentee-profile", Some(&token)).await;
    res.problem(404);
    let res = app
        .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["tags"], json!(["bisexual", "coming-out-at-work"]));
    assert_eq!(res.body["private_tags"], json!(["domestic-abuse-survivor"]));
    assert_eq!(res.body["timezone"], "Europe/Madrid");
    assert_eq!(
        res.body["availability"],
        json!([{"day": "mon", "start": "18:00", "end": "20:30"}])
    );
    assert!(res.body.get("capacity").is_none());
    // Replacing answers 200 and keeps the creation time.
    let created_at = res.body["created_at"].clone();
    let mut changed = profile_body("mentee");
    changed["bio"] = json!("Updated.");
    let res = app.put("/me/mentee-profile", Some(&token), &changed).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["bio"], "Updated.");
    assert_eq!(res.body["created_at"], created_at);

    // The database holds only a hash of the token.
    let stored: Vec<String> = app
        .with_db(move |conn| {
            use diesel::prelude::*;
            use kindred_db::schema::auth_tokens::dsl::*;
            auth_tokens.select(token_hash).load(conn).unwrap()
        })
        .await;
    assert!(stored.iter().all(|h| h.len() == 64 && *h != token));
    app.stop().await;
}

async fn registration_does_not_reveal_existing_accounts(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "taken@example.org";
    app.signup(email, "mentor").await;
    app.sink.clear();

    let fresh = app
        .post("/auth/register", None, &json!({"email": "new@example.org", "password": "a long passphrase", "display_name": "New", "role": "mentee"}))
        .await;
    let again = app
        .post("/auth/register", None, &json!({"email": email, "password": "another passphrase", "display_name": "Imposter", "role": "mentee"}))
        .await;
    assert_eq!(fresh.status, again.status);
    assert_eq!(fresh.body, again.body);
    assert_eq!(fresh.text, again.text);

    // The owner gets a notice, not a code; the account is untouched.
    let notice = app.email_to(email, "tried to register").await;
    assert!(!notice
        .text_body
        .as_deref()
        .unwrap()
        .contains("Verification code:"));
    // It points to the web app's page for a new password.
    assert!(notice
        .text_body
        .as_deref()
        .unwrap()
        .contains("/password/forgot"));
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": "a long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 200, "the original password still works");
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": "another passphrase"}),
        )
        .await;
    res.problem(401);
    app.stop().await;
}

async fn login_failures_are_identical(db: Db) {
    let app = TestApp::spawn(db).await;
    app.signup("known@example.org", "mentee").await;
    app.post("/auth/register", None, &json!({"email": "pending@example.org", "password": "a long passphrase", "display_name": "P", "role": "mentee"}))
        .await;
    let wrong_password = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "known@example.org", "password": "not the passphrase"}),
        )
        .await;
    let unknown = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "nobody@example.org", "password": "a long passphrase"}),
        )
        .await;
    let unverified = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "pending@example.org", "password": "a long passphrase"}),
        )
        .await;
    let short = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "known@example.org", "password": "short"}),
        )
        .await;
    for res in [&wrong_password, &unknown, &unverified, &short] {
        res.problem(401);
        assert_eq!(
            res.text, wrong_password.text,
            "every login failure has the same body"
        );
    }
    app.stop().await;
}

async fn verification_codes_are_single_use_and_limited(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "codes@example.org";
    app.post("/auth/register", None, &json!({"email": email, "password": "a long passphrase", "display_name": "C", "role": "mentee"}))
        .await;
    let code = verification_code(&app.email_to(email, "verification code").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let res = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": email, "code": wrong}),
        )
        .await;
    res.problem(400);
    let res = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": "nobody@example.org", "code": code}),
        )
        .await;
    res.problem(400);
    let res = app
        .post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await;
    res.problem(400);

    // Too many wrong guesses burn the code even if the right one comes later.
    let email = "guess@example.org";
    app.post("/auth/register", None, &json!({"email": email, "password": "a long passphrase", "display_name": "G", "role": "mentee"}))
        .await;
    let code = verification_code(&app.email_to(email, "verification code").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        app.post(
            "/auth/verify",
            None,
            &json!({"email": email, "code": wrong}),
        )
        .await
        .problem(400);
    }
    app.post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await
        .problem(400);
    app.stop().await;
}

async fn logout_revokes_the_token(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("out@example.org", "mentee").await;
    app.get("/me", None).await.problem(401);
    app.get("/me", Some("not-a-real-token")).await.problem(401);
    assert_eq!(app.get("/me", Some(&token)).await.status, 200);
    let res = app.post("/auth/logout", Some(&token), &json!({})).await;
    assert_eq!(res.status, 204);
    app.get("/me", Some(&token)).await.problem(401);
    app.post("/auth/logout", Some(&token), &json!({}))
        .await
        .problem(401);
    app.stop().await;
}

async fn roles_can_be_added(db: Db) {
    let app = TestApp::spawn(db).await;
    let (token, _) = app.signup("both@example.org", "mentee").await;
    app.put("/me/mentor-profile", Some(&token), &profile_body("mentor"))
        .await
        .problem(403);
    let res = app
        .post("/me/roles", Some(&token), &json!({"role": "mentor"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["roles"], json!(["mentee", "mentor"]));
    let res = app
        .put("/me/mentor-profile", Some(&token), &profile_body("mentor"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["capacity"], 3);
    assert_eq!(res.body["accepting"], true);
    app.post("/me/roles", Some(&token), &json!({"role": "coordinator"}))
        .await
        .field_error("role");
    app.stop().await;
}

async fn export_and_erasure(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "erase@example.org";
    let (token, user_id) = app.signup(email, "mentee").await;
    app.put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
        .await;
    let export = app.get("/me/export", Some(&token)).await;
    assert_eq!(export.status, 200, "{}", export.text);
    assert_eq!(export.body["account"]["email"], email);
    assert_eq!(
        export.body["profiles"][0]["private_tags"],
        json!(["domestic-abuse-survivor"])
    );
    assert_eq!(export.body["emails"][0]["kind"], "verification_code");
    assert!(!export.body["sessions"].as_array().unwrap().is_empty());
    assert!(!export.text.contains("token_hash") && !export.text.contains("password"));

    let res = app.delete("/me", Some(&token)).await;
    assert_eq!(res.status, 204);
    app.get("/me", Some(&token)).await.problem(401);
    app.post(
        "/auth/login",
        None,
        &json!({"email": email, "password": "a long passphrase"}),
    )
    .await
    .problem(401);

    // Nothing personal is left: every row that named the person is gone or anonymous.
    let uid = user_id.clone();
    let (user, counts) = app
        .with_db(move |conn| {
            use diesel::prelude::*;
            use kindred_db::schema::*;
            let user: kindred_db::models::User = users::table
                .find(&uid)
                .select(kindred_db::models::User::as_select())
                .first(conn)
                .unwrap();
            let counts = [
                auth_tokens::table
                    .filter(auth_tokens::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                verification_codes::table
                    .filter(verification_codes::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                profiles::table
                    .filter(profiles::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                profile_tags::table
                    .filter(profile_tags::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                user_roles::table
                    .filter(user_roles::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                outbox::table
                    .filter(outbox::user_id.eq(&uid))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
                outbox::table
                    .filter(outbox::recipient.eq("erase@example.org"))
                    .count()
                    .get_result::<i64>(conn)
                    .unwrap(),
            ];
            (user, counts)
        })
        .await;
    assert_eq!(counts, [0; 7]);
    assert!(user.email.is_none() && user.password_hash.is_none() && user.pronouns.is_none());
    assert_eq!(user.display_name, "Deleted user");
    assert!(user.deleted_at.is_some());

    // The address can be used again from scratch.
    app.sink.clear();
    app.signup(email, "mentor").await;
    app.stop().await;
}

async fn registration_validation_reports_every_field(db: Db) {
    let app = TestApp::spawn(db).await;
    let res = app
        .post("/auth/register", None, &json!({"email": "not-an-email", "password": "short", "display_name": "", "role": "coordinator"}))
        .await;
    let body = res.problem(422);
    for field in ["email", "password", "display_name", "role"] {
        assert!(
            body["errors"][field].is_array(),
            "{field}: {}",
            body["errors"]
        );
    }
    // Eleven characters is one too few; twelve is enough.
    app.post("/auth/register", None, &json!({"email": "p@example.org", "password": "elevenchars", "display_name": "P", "role": "mentee"}))
        .await
        .field_error("password");
    let res = app
        .post("/auth/register", None, &json!({"email": "p@example.org", "password": "twelve chars", "display_name": "P", "role": "mentee"}))
        .await;
    assert_eq!(res.status, 202);
    app.post(
        "/auth/register",
        None,
        &json!({"email": "p@example.org", "password": 5, "display_name": "P", "role": "mentee"}),
    )
    .await
    .field_error("password");
    app.post("/auth/verify", None, &json!({"email": "p@example.org"}))
        .await
        .field_error("code");
    app.stop().await;
}

async fn rate_limits_answer_429_with_retry_after(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_ip_per_minute = 3;
        s.rate_limit.per_ip_burst = 3;
        s.rate_limit.per_account_per_hour = 2;
        s.rate_limit.per_account_burst = 2;
    })
    .await;
    // Per account: the third login for one email is refused.
    let body = json!({"email": "x@example.org", "password": "a long passphrase"});
    app.post("/auth/login", None, &body).await.problem(401);
    app.post("/auth/login", None, &body).await.problem(401);
    let res = app.post("/auth/login", None, &body).await;
    res.problem(429);
    let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1);
    // Per address: a fourth login from this client is refused whatever the email.
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "y@example.org", "password": "a long passphrase"}),
        )
        .await;
    res.problem(429);
    app.stop().await;
}

async fn verification_codes_expire(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.auth.verification_ttl = kindred_config::Duration::from_secs(1)
    })
    .await;
    let email = "late@example.org";
    app.post("/auth/register", None, &json!({"email": email, "password": "a long passphrase", "display_name": "L", "role": "mentee"}))
        .await;
    let code = verification_code(&app.email_to(email, "verification code").await);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await
        .problem(400);
    // Registering again sends a fresh code that works.
    app.sink.clear();
    app.post("/auth/register", None, &json!({"email": email, "password": "a long passphrase", "display_name": "L", "role": "mentee"}))
        .await;
    let code = verification_code(&app.email_to(email, "verification code").await);
    assert_eq!(
        app.post("/auth/verify", None, &json!({"email": email, "code": code}))
            .await
            .status,
        201
    );
    app.stop().await;
}

async fn a_second_registration_cannot_take_over_an_unverified_account(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "ana@example.org";
    app.post("/auth/register", None, &json!({"email": email, "password": "anas own passphrase", "display_name": "Ana", "role": "mentee"}))
        .await;
    let first = verification_code(&app.email_to(email, "verification code").await);
    app.sink.clear();
    // Someone else registers the same, still unverified, address.
    let res = app
        .post("/auth/register", None, &json!({"email": email, "password": "attackers passphrase", "display_name": "Mallory", "role": "mentor"}))
        .await;
    assert_eq!(res.status, 202);
    // The second code goes to the owner's inbox, not the attacker.
    app.email_to(email, "verification code").await;
    // Ana verifies with her own code: her name and role, not the attacker's.
    // The registration was contested, so no chosen password is set: neither
    // the attacker's nor Ana's works until Ana chooses one with a reset.
    let res = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": email, "code": first}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["user"]["display_name"], "Ana");
    assert_eq!(res.body["user"]["roles"], json!(["mentee"]));
    assert_eq!(res.body["password_set"], false);
    app.post(
        "/auth/login",
        None,
        &json!({"email": email, "password": "attackers passphrase"}),
    )
    .await
    .problem(401);
    app.stop().await;
}
