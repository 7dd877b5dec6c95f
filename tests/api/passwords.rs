//! Who ends up with a working password: pre-registration takeover, what a
//! registrant can put into someone else's mailbox, display-name hygiene,
//! password reset and change, and the coordinator's one-time password.

use kindred_tests::{both_backends, verification_code, Db, TestApp};
use serde_json::json;

both_backends!(
    pre_registration_takeover_leaves_the_attacker_without_a_password,
    a_later_registration_cannot_take_over_either,
    emails_to_unproven_addresses_carry_no_registrant_text,
    display_names_with_bidi_or_invisible_characters_are_refused,
    password_reset_answers_the_same_and_mails_only_accounts,
    password_reset_sets_the_password_and_signs_out_everywhere,
    reset_codes_expire,
    reset_codes_die_after_too_many_wrong_tries,
    changing_the_password_revokes_the_other_sessions,
    password_change_is_rate_limited,
    a_coordinator_must_change_the_one_time_password_first,
);

async fn register(app: &TestApp, email: &str, password: &str, name: &str, role: &str) {
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": email, "password": password, "display_name": name, "role": role}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
}

/// Every verification code mailed to `email` so far, oldest first.
async fn codes_to(app: &TestApp, email: &str, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let codes: Vec<String> = app
            .sink
            .messages_to(email)
            .iter()
            .filter(|m| m.subject.contains("verification code"))
            .map(verification_code)
            .collect();
        if codes.len() >= n {
            return codes;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expected {n} code emails to {email}, got {}",
            codes.len()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The code from a reset email's plain-text line `Reset code: <code>`.
fn reset_code(mail: &kindred_testkit::ReceivedEmail) -> String {
    let text = mail.text_body.as_deref().expect("plain-text part");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Reset code: "))
        .expect("the line `Reset code: <code>`")
        .trim()
        .to_string()
}

/// Asks for a reset of `email` and returns the mailed code.
async fn reset_code_for(app: &TestApp, email: &str) -> String {
    app.sink.clear();
    let res = app
        .post("/auth/password-reset", None, &json!({"email": email}))
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    reset_code(&app.email_to(email, "password reset code").await)
}

async fn login(app: &TestApp, email: &str, password: &str) -> serde_json::Value {
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": password}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

fn other_code(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> u16 {
    app.post(
        "/auth/login",
        None,
        &json!({"email": email, "password": password}),
    )
    .await
    .status
    .as_u16()
}

/// The exact attack: the attacker registers the victim's address first with
/// their own password; the victim registers, receives two look-alike code
/// emails and uses the first one (the attacker's). The attacker's password
/// must not work afterwards; the victim is signed in and told to choose a
/// password.
async fn pre_registration_takeover_leaves_the_attacker_without_a_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "victim@example.org";
    register(&app, email, "attackers passphrase", "Victim", "mentee").await;
    register(&app, email, "victims own passphrase", "Victim", "mentee").await;
    let codes = codes_to(&app, email, 2).await;
    let res = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": email, "code": codes[0]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["password_set"], false, "{}", res.text);
    let token = res.body["token"].as_str().unwrap().to_string();
    assert_eq!(app.get("/me", Some(&token)).await.status, 200);
    assert_eq!(
        login_status(&app, email, "attackers passphrase").await,
        401,
        "the attacker's password must not work"
    );
    assert_eq!(
        login_status(&app, email, "victims own passphrase").await,
        401
    );
    // The mailbox reader chooses the password with a reset.
    let code = reset_code_for(&app, email).await;
    let res = app
        .post(
            "/auth/password-reset/confirm",
            None,
            &json!({"email": email, "code": code, "new_password": "victims own passphrase"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        login_status(&app, email, "victims own passphrase").await,
        200
    );
    assert_eq!(login_status(&app, email, "attackers passphrase").await, 401);
    // The other code is retired with the verification.
    app.post(
        "/auth/verify",
        None,
        &json!({"email": email, "code": codes[1]}),
    )
    .await
    .problem(400);
    app.stop().await;
}

/// The other order: the victim registers, the attacker registers after them,
/// and the victim uses the newest code (the attacker's).
async fn a_later_registration_cannot_take_over_either(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "early@example.org";
    register(&app, email, "victims own passphrase", "Early", "mentee").await;
    register(&app, email, "attackers passphrase", "Early", "mentor").await;
    let codes = codes_to(&app, email, 2).await;
    let res = app
        .post(
            "/auth/verify",
            None,
            &json!({"email": email, "code": codes[1]}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["password_set"], false);
    assert_eq!(login_status(&app, email, "attackers passphrase").await, 401);
    // An uncontested registration still sets its password.
    let other = "alone@example.org";
    register(&app, other, "a long passphrase", "Alone", "mentee").await;
    let code = codes_to(&app, other, 1).await.remove(0);
    let res = app
        .post("/auth/verify", None, &json!({"email": other, "code": code}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["password_set"], true);
    assert_eq!(login_status(&app, other, "a long passphrase").await, 200);
    app.stop().await;
}

/// Registering someone else's address must not mail them the registrant's
/// words: neither the code email (unverified address) nor the "already
/// registered" notice (verified address) carries the display name.
async fn emails_to_unproven_addresses_carry_no_registrant_text(db: Db) {
    let app = TestApp::spawn(db).await;
    let bait = "URGENT: account locked, verify at https://evil.example/login";
    let owner = "owner@example.org";
    app.signup(owner, "mentor").await;
    app.sink.clear();
    let target = "target@example.org";
    register(&app, target, "attackers passphrase", bait, "mentee").await;
    register(&app, owner, "attackers passphrase", bait, "mentee").await;

    let code_mail = app.email_to(target, "verification code").await;
    let notice = app.email_to(owner, "tried to register").await;
    for mail in [&code_mail, &notice] {
        for part in [
            mail.text_body.as_deref().unwrap(),
            mail.html_body.as_deref().unwrap(),
            mail.subject.as_str(),
        ] {
            assert!(!part.contains("URGENT"), "{part}");
            assert!(!part.contains("evil.example"), "{part}");
        }
    }
    // The notice names the web app's page for a new password, which exists.
    let text = notice.text_body.as_deref().unwrap();
    assert!(text.contains("/password/forgot"), "{text}");
    app.stop().await;
}

async fn display_names_with_bidi_or_invisible_characters_are_refused(db: Db) {
    let app = TestApp::spawn(db).await;
    for name in ["Ana\u{202E}nimda", "Ad\u{200B}min"] {
        app.post(
            "/auth/register",
            None,
            &json!({"email": "bidi@example.org", "password": "a long passphrase", "display_name": name, "role": "mentee"}),
        )
        .await
        .field_error("display_name");
    }
    app.wait_outbox_idle().await;
    assert!(app.sink.messages_to("bidi@example.org").is_empty());
    app.stop().await;
}

async fn password_reset_answers_the_same_and_mails_only_accounts(db: Db) {
    let app = TestApp::spawn(db).await;
    let known = "known@example.org";
    app.signup(known, "mentee").await;
    register(
        &app,
        "pending@example.org",
        "a long passphrase",
        "P",
        "mentee",
    )
    .await;
    app.wait_outbox_idle().await;
    app.sink.clear();

    let mut answers = Vec::new();
    for email in [known, "nobody@example.org", "pending@example.org"] {
        let started = std::time::Instant::now();
        let res = app
            .post("/auth/password-reset", None, &json!({"email": email}))
            .await;
        answers.push((res.status, res.text.clone(), started.elapsed()));
        assert_eq!(res.status, 202, "{}", res.text);
        assert_eq!(res.body, json!({"status": "reset_sent"}));
    }
    assert!(answers.iter().all(|a| a.1 == answers[0].1));
    // No slow path on either side (no hashing, one lookup, at most two inserts).
    assert!(answers
        .iter()
        .all(|a| a.2 < std::time::Duration::from_secs(2)));
    let mail = app.email_to(known, "password reset code").await;
    let code = reset_code(&mail);
    assert_eq!(code.len(), 6);
    assert!(!mail.subject.contains(&code));
    app.wait_outbox_idle().await;
    assert!(app.sink.messages_to("nobody@example.org").is_empty());
    assert!(
        app.sink.messages_to("pending@example.org").is_empty(),
        "an unverified registration has no password to reset"
    );
    app.stop().await;
}

async fn password_reset_sets_the_password_and_signs_out_everywhere(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "forgot@example.org";
    let (first, _) = app.signup(email, "mentee").await;
    let second = login(&app, email, "a long passphrase").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    let code = reset_code_for(&app, email).await;
    let body = |code: &str| json!({"email": email, "code": code, "new_password": "a brand new passphrase"});
    app.post(
        "/auth/password-reset/confirm",
        None,
        &body(other_code(&code)),
    )
    .await
    .problem(400);
    app.post(
        "/auth/password-reset/confirm",
        None,
        &json!({"email": "nobody@example.org", "code": code, "new_password": "a brand new passphrase"}),
    )
    .await
    .problem(400);
    app.post(
        "/auth/password-reset/confirm",
        None,
        &json!({"email": email, "code": code, "new_password": "short"}),
    )
    .await
    .field_error("new_password");
    let res = app
        .post("/auth/password-reset/confirm", None, &body(&code))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    for token in [&first, &second] {
        app.get("/me", Some(token)).await.problem(401);
    }
    assert_eq!(login_status(&app, email, "a long passphrase").await, 401);
    assert_eq!(
        login_status(&app, email, "a brand new passphrase").await,
        200
    );
    // Single use.
    app.post("/auth/password-reset/confirm", None, &body(&code))
        .await
        .problem(400);
    // A verification code is not a reset code.
    let code = reset_code_for(&app, email).await;
    app.post("/auth/verify", None, &json!({"email": email, "code": code}))
        .await
        .problem(400);
    app.stop().await;
}

async fn reset_codes_expire(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.auth.verification_ttl = kindred_config::Duration::from_secs(1)
    })
    .await;
    let email = "slow@example.org";
    app.signup(email, "mentee").await;
    let code = reset_code_for(&app, email).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.post(
        "/auth/password-reset/confirm",
        None,
        &json!({"email": email, "code": code, "new_password": "a brand new passphrase"}),
    )
    .await
    .problem(400);
    assert_eq!(login_status(&app, email, "a long passphrase").await, 200);
    app.stop().await;
}

async fn reset_codes_die_after_too_many_wrong_tries(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.auth.verification_max_attempts = 3).await;
    let email = "guessed@example.org";
    app.signup(email, "mentee").await;
    let code = reset_code_for(&app, email).await;
    for _ in 0..3 {
        app.post(
            "/auth/password-reset/confirm",
            None,
            &json!({"email": email, "code": other_code(&code), "new_password": "attackers passphrase"}),
        )
        .await
        .problem(400);
    }
    app.post(
        "/auth/password-reset/confirm",
        None,
        &json!({"email": email, "code": code, "new_password": "a brand new passphrase"}),
    )
    .await
    .problem(400);
    assert_eq!(login_status(&app, email, "a long passphrase").await, 200);
    app.stop().await;
}

async fn changing_the_password_revokes_the_other_sessions(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "changer@example.org";
    let (this, _) = app.signup(email, "mentee").await;
    let other = login(&app, email, "a long passphrase").await["token"]
        .as_str()
        .unwrap()
        .to_string();
    app.put(
        "/me/password",
        Some(&this),
        &json!({"current_password": "not my passphrase", "new_password": "a brand new passphrase"}),
    )
    .await
    .field_error("current_password");
    app.put(
        "/me/password",
        Some(&this),
        &json!({"current_password": "a long passphrase", "new_password": "short"}),
    )
    .await
    .field_error("new_password");
    app.put(
        "/me/password",
        None,
        &json!({"current_password": "a long passphrase", "new_password": "a brand new passphrase"}),
    )
    .await
    .problem(401);
    let res = app
        .put(
            "/me/password",
            Some(&this),
            &json!({"current_password": "a long passphrase", "new_password": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.get("/me", Some(&this)).await.status,
        200,
        "this session stays"
    );
    app.get("/me", Some(&other)).await.problem(401);
    assert_eq!(login_status(&app, email, "a long passphrase").await, 401);
    assert_eq!(
        login_status(&app, email, "a brand new passphrase").await,
        200
    );
    app.stop().await;
}

async fn password_change_is_rate_limited(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_ip_per_minute = 10;
        s.rate_limit.per_ip_burst = 10;
        s.rate_limit.per_account_per_hour = 2;
        s.rate_limit.per_account_burst = 2;
    })
    .await;
    let (token, _) = app.signup("limited@example.org", "mentee").await;
    let wrong =
        json!({"current_password": "not my passphrase", "new_password": "a brand new passphrase"});
    app.put("/me/password", Some(&token), &wrong)
        .await
        .field_error("current_password");
    app.put("/me/password", Some(&token), &wrong)
        .await
        .field_error("current_password");
    let res = app.put("/me/password", Some(&token), &wrong).await;
    res.problem(429);
    assert!(res.header("retry-after").is_some());
    app.stop().await;
}

async fn a_coordinator_must_change_the_one_time_password_first(db: Db) {
    let app = TestApp::spawn(db).await;
    let pool = app.pool.clone();
    let created = tokio::task::spawn_blocking(move || {
        kindred_service::accounts::operator::create_coordinator(
            &pool,
            "coord@example.org",
            "Coordinator",
        )
        .unwrap()
    })
    .await
    .unwrap();
    let email = "coord@example.org";
    let otp = created.one_time_password;
    let session = login(&app, email, &otp).await;
    assert_eq!(session["must_change_password"], true, "{session}");
    assert!(session["expires_at"].is_string());
    let token = session["token"].as_str().unwrap().to_string();

    // Only GET /me, PUT /me/password and logout work until the change.
    assert_eq!(app.get("/me", Some(&token)).await.status, 200);
    for res in [
        app.get("/admin/jobs", Some(&token)).await,
        app.get("/me/export", Some(&token)).await,
        app.post("/me/roles", Some(&token), &json!({"role": "mentor"}))
            .await,
        app.delete("/me", Some(&token)).await,
    ] {
        let body = res.problem(403);
        assert!(
            body["type"]
                .as_str()
                .unwrap()
                .ends_with("/password-change-required"),
            "{body}"
        );
    }
    let spare = login(&app, email, &otp).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.post("/auth/logout", Some(&spare), &json!({}))
            .await
            .status,
        204
    );
    app.get("/me", Some(&spare)).await.problem(401);

    app.put(
        "/me/password",
        Some(&token),
        &json!({"current_password": "not the one", "new_password": "my own coordinator passphrase"}),
    )
    .await
    .field_error("current_password");
    let res = app
        .put(
            "/me/password",
            Some(&token),
            &json!({"current_password": otp, "new_password": "my own coordinator passphrase"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(app.get("/admin/jobs", Some(&token)).await.status, 200);
    let session = login(&app, email, "my own coordinator passphrase").await;
    assert!(session.get("must_change_password").is_none(), "{session}");
    assert_eq!(login_status(&app, email, &otp).await, 401);
    app.stop().await;
}
