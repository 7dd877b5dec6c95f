//! Accepting an invitation and answering about the waiting tags in a real
//! headless Chromium, on both backends, once in English and once in
//! Spanish: axe-core (WCAG 2.2 AA) finds nothing on the invitation page
//! (empty, with a short password, with a wrong code), the profile with its
//! waiting tags, the consent page (and without an answer) and home after
//! the answer, at 1280 px and at 320 px (no sideways scroll there).
//! `KINDRED_WRITE_SCREENSHOTS=1` writes `docs/screenshots/invitation-errors.png`
//! and `consent.png` (SQLite run).

use kindred_testkit::Browser;
use kindred_tests::{both_backends, Db, TestApp};

use super::{code_for, PASSWORD};
use crate::imports::{file, import, row};
use crate::web_journey::steps::Journey;

both_backends!(web_invitation_in_chromium);

/// One invited person's way through the pages, in `lang`; `yes` is their
/// answer.
async fn accept_and_answer(j: &mut Journey<'_>, lang: &str, email: &str, yes: bool) {
    let code = code_for(j.app, email).await.0;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    j.browser.delete_cookie("kindred_session").await;
    j.goto("/invitation").await;
    j.use_language(lang).await;
    j.check(&format!("invitation ({lang})"), true).await;

    let b = j.browser;
    b.fill_id("email", email).await;
    b.fill_id("code", &code).await;
    b.fill_id("new_password", "short").await;
    j.submit_main_form().await;
    assert!(b.source().await.contains("id=\"new_password-error\""));
    j.check(&format!("invitation, short password ({lang})"), true)
        .await;
    if lang == "en" {
        j.shot("invitation-errors").await;
    }

    b.fill_id("code", wrong).await;
    b.fill_id("new_password", PASSWORD).await;
    j.submit_main_form().await;
    assert!(b.source().await.contains("id=\"code-error\""));
    j.check(&format!("invitation, wrong code ({lang})"), true)
        .await;

    b.fill_id("code", &code).await;
    b.fill_id("new_password", PASSWORD).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/consent");
    j.check(&format!("consent ({lang})"), true).await;
    if lang == "en" {
        j.shot("consent").await;
    }

    j.submit_main_form().await;
    assert!(b.source().await.contains("id=\"answer-error\""));
    j.check(&format!("consent without an answer ({lang})"), true)
        .await;

    j.goto("/profile").await;
    assert!(b.source().await.contains("id=\"pending-tags\""));
    j.check(&format!("profile with waiting tags ({lang})"), true)
        .await;

    j.goto("/home").await;
    j.browser.click_link(&home_link(lang)).await;
    assert_eq!(j.path().await, "/consent");
    b.click_id(if yes { "answer-yes" } else { "answer-no" })
        .await;
    j.submit_main_form().await;
    let notice = if yes {
        "consent-given"
    } else {
        "consent-declined"
    };
    assert_eq!(j.path().await, format!("/home?notice={notice}"));
    j.check(&format!("home after the answer ({lang})"), true)
        .await;
}

/// The home reminder's link text.
fn home_link(lang: &str) -> String {
    match lang {
        "es" => "Revisarlas".into(),
        _ => "Review them".into(),
    }
}

async fn web_invitation_in_chromium(db: Db) {
    let sqlite = matches!(db, Db::Sqlite);
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let csv = file(&[
        row("eli@example.org", "Eli", "mentor"),
        row("ines@example.org", "Inés", "mentee"),
    ]);
    import(&app, &coordinator, &csv, false).await;
    let browser = Browser::start().await;
    // `KINDRED_WRITE_SCREENSHOTS=1` writes the two docs/web.md shows.
    let shots = (sqlite && std::env::var_os("KINDRED_WRITE_SCREENSHOTS").is_some())
        .then(|| kindred_tests::workspace_root().join("docs/screenshots"));
    let mut j = Journey::new(&app, &browser, shots);
    accept_and_answer(&mut j, "en", "eli@example.org", true).await;
    accept_and_answer(&mut j, "es", "ines@example.org", false).await;
    assert_eq!(j.checked.len(), 14, "{:?}", j.checked);
    drop(j);
    browser.close().await;
}
