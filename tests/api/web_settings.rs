//! The settings pages: email preferences, download my data, delete my
//! account (password typed again; what is removed and kept is said first).

use kindred_tests::{both_backends, Db, TestApp};

use crate::web_client::WebClient;

both_backends!(
    web_settings_save_notification_preferences,
    web_settings_download_my_data,
    web_settings_delete_my_account,
);

const PASSWORD: &str = "a long passphrase";

/// A signed-in browser for a person made through the API.
async fn signed_in(app: &TestApp, email: &str, role: &str) -> (WebClient, String) {
    let (token, _) = app.signup(email, role).await;
    let browser = WebClient::new(app);
    browser.login(email, PASSWORD).await.redirects_to("/home");
    (browser, token)
}

async fn web_settings_save_notification_preferences(db: Db) {
    let app = TestApp::spawn(db).await;
    let (mentor, token) = signed_in(&app, "prefs-mentor@example.org", "mentor").await;
    let page = mentor.get("/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("id=\"checkin_reminders\""));
    assert!(page.html.contains("id=\"mentor_reminders\""));
    assert!(!page.html.contains("id=\"digest\""), "not a coordinator");
    let before = app.get("/me/notifications", Some(&token)).await;
    assert_eq!(before.body["checkin_reminders"], true);
    assert_eq!(before.body["mentor_reminders"], true);

    // Only the mentor reminders stay on.
    let csrf = mentor.get("/settings").await.csrf();
    mentor
        .post(
            "/settings/notifications",
            &[("csrf", &csrf), ("mentor_reminders", "on")],
        )
        .await
        .redirects_to("/settings?notice=saved#notifications");
    let after = app.get("/me/notifications", Some(&token)).await;
    assert_eq!(after.body["checkin_reminders"], false);
    assert_eq!(after.body["mentor_reminders"], true);
    let page = mentor.get("/settings?notice=saved").await;
    assert!(page.html.contains("Your email preferences are saved."));
    assert!(!page
        .html
        .contains("id=\"checkin_reminders\" name=\"checkin_reminders\" value=\"on\" checked"));
    assert!(page
        .html
        .contains("id=\"mentor_reminders\" name=\"mentor_reminders\" value=\"on\" checked"));

    // A mentee does not see the mentor's reminders, and saving keeps
    // what they cannot see as it was.
    let (mentee, mentee_token) = signed_in(&app, "prefs-mentee@example.org", "mentee").await;
    let page = mentee.get("/settings").await;
    assert!(!page.html.contains("id=\"mentor_reminders\""));
    assert!(page
        .html
        .contains("<input type=\"hidden\" name=\"mentor_reminders\" value=\"on\">"));
    let csrf = page.csrf();
    // What the browser sends: the token, the hidden field, no checked box.
    mentee
        .post(
            "/settings/notifications",
            &[("csrf", &csrf), ("mentor_reminders", "on")],
        )
        .await
        .redirects_to("/settings?notice=saved#notifications");
    let prefs = app.get("/me/notifications", Some(&mentee_token)).await;
    assert_eq!(prefs.body["checkin_reminders"], false);
    assert_eq!(prefs.body["mentor_reminders"], true, "kept: {}", prefs.text);

    // Without the form's token nothing changes.
    let refused = mentee
        .post("/settings/notifications", &[("checkin_reminders", "on")])
        .await;
    assert_eq!(refused.status, 403);
    let prefs = app.get("/me/notifications", Some(&mentee_token)).await;
    assert_eq!(prefs.body["checkin_reminders"], false);
}

async fn web_settings_download_my_data(db: Db) {
    let app = TestApp::spawn(db).await;
    let (browser, _) = signed_in(&app, "export@example.org", "mentee").await;
    let csrf = browser.get("/settings").await.csrf();
    let file = browser.post("/settings/export", &[("csrf", &csrf)]).await;
    assert_eq!(file.status, 200, "{}", file.html);
    assert_eq!(
        file.header("content-disposition"),
        "attachment; filename=\"kindred-export.json\""
    );
    assert_eq!(file.header("cache-control"), "no-store");
    let export: serde_json::Value = serde_json::from_str(&file.html).unwrap();
    assert_eq!(export["account"]["email"], "export@example.org");
    assert!(export["sessions"].as_array().unwrap().len() >= 2);
    // A page elsewhere cannot start the download: no token, no file.
    let refused = browser.post("/settings/export", &[]).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.html.contains("export@example.org"));
}

async fn web_settings_delete_my_account(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("delete-mentor@example.org", 2).await;
    let (mentee, request) = app.mentee_with_request("delete-me@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &request).await;
    app.activate(&coordinator, &mentor.token, &m).await;

    let browser = WebClient::new(&app);
    browser
        .login("delete-me@example.org", PASSWORD)
        .await
        .redirects_to("/home");
    let page = browser.get("/settings/delete").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("What is removed"));
    assert!(page.html.contains("What is kept, and why"));
    assert!(page.html.contains("for=\"password\""));

    // A wrong password is named beside the field, and nothing is erased.
    let wrong = browser
        .submit("/settings/delete", &[("password", "not my password")])
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.html.contains("href=\"#password\""));
    assert!(wrong.html.contains("id=\"password-error\""));
    assert_eq!(app.get("/me", Some(&mentee.token)).await.status, 200);
    // Without the token, nothing either.
    let refused = browser
        .post("/settings/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(app.get("/me", Some(&mentee.token)).await.status, 200);

    let done = browser
        .submit("/settings/delete", &[("password", PASSWORD)])
        .await;
    done.redirects_to("/deleted");
    assert!(done.set_cookie("kindred_session").contains("Max-Age=0"));
    let gone = browser.get("/deleted").await;
    assert!(gone.html.contains("Your account is deleted"));
    assert!(!gone.html.contains("action=\"/logout\""));
    // Signed out everywhere, the account erased, the match ended.
    assert_eq!(app.get("/me", Some(&mentee.token)).await.status, 401);
    assert!(browser.get("/home").await.location().starts_with("/login"));
    let email = "delete-me@example.org".to_string();
    let found = app
        .with_db(move |conn| kindred_db::users::find_by_email(conn, &email).unwrap())
        .await;
    assert!(found.is_none());
    let matched = app.get(&format!("/matches/{m}"), Some(&mentor.token)).await;
    assert_eq!(matched.body["state"], "ended", "{}", matched.text);
}
