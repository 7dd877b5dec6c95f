//! The whole journey in a real headless Chromium, on both backends: a
//! mentee signs up, verifies with the emailed code, builds a profile with a
//! private sensitive tag and asks for a mentor; a mentor does the same by
//! keyboard alone; a coordinator (API) runs matching and approves; the
//! mentor accepts; both see the active match and the other's card; the
//! mentee checks in with "I need support" and sees the resources, reports,
//! blocks, downloads their data and deletes the account. axe-core (WCAG 2.2
//! AA) checks every page, in both languages and in error states, also at
//! 320 px; a canary private tag that both people chose is on no page the
//! other can open. Also: a form without its CSRF token is refused, an
//! expired session goes back to log in, cookie flags, log out.
//!
//! The two people use different languages, swapped between the backends,
//! so every step is seen in English and in Spanish; the sweep at the end
//! opens every page in both. `KINDRED_WRITE_SCREENSHOTS=1` writes the
//! screenshots docs/web.md shows (SQLite run) into docs/screenshots/.

mod circles;
mod coordinator;
mod people;
pub(crate) mod steps;

use kindred_testkit::Browser;
use kindred_tests::{both_backends, Db, TestApp};
use serde_json::json;

use steps::{Journey, CANARY_LABEL, CANARY_SLUG};

both_backends!(web_journey_from_sign_up_to_erasure_in_chromium);

pub const PASSWORD: &str = "a long passphrase";
const LEAD_PASSWORD: &str = "the lead coordinator's passphrase";

async fn web_journey_from_sign_up_to_erasure_in_chromium(db: Db) {
    let sqlite = matches!(db, Db::Sqlite);
    let (mentee_lang, mentor_lang) = if sqlite { ("es", "en") } else { ("en", "es") };
    // The mentor answers in the browser minutes after the approval on a
    // loaded machine; the test settings' 20 s response time would expire
    // the match first (expiry has its own tests).
    let app = TestApp::spawn_with(db, |s| {
        s.matching.response_timeout = kindred_config::Duration::from_mins(30);
    })
    .await;
    let coordinator = app.coordinator("coordinator@example.org").await;
    let tag = app
        .post(
            "/tags",
            Some(&coordinator),
            &json!({"slug": CANARY_SLUG, "label": CANARY_LABEL, "category": "experience", "sensitive": true}),
        )
        .await;
    assert_eq!(tag.status, 201, "{}", tag.text);

    let shots = if sqlite && std::env::var_os("KINDRED_WRITE_SCREENSHOTS").is_some() {
        Some(kindred_tests::workspace_root().join("docs/screenshots"))
    } else {
        Some(std::env::temp_dir().join(format!("kindred-shots-{}", std::process::id())))
    };
    let browser = Browser::start().await;
    let mut j = Journey::new(&app, &browser, shots);

    let mentee = people::mentee_signs_up_and_asks(&mut j, mentee_lang, "mira@example.org").await;
    people::log_out(&mut j).await;
    let mentor =
        people::mentor_signs_up_by_keyboard(&mut j, mentor_lang, "tomas@example.org").await;
    people::log_out(&mut j).await;

    // The coordinator runs a matching round in the console: the queue, a
    // dry run and its report, the run for real, the review (a reject
    // without a reason first), and approving the run's proposals at once.
    // The round is run by a coordinator the operator creates now (as
    // `kindred admin create-coordinator` does), who must first replace the
    // one-time password in the browser.
    let pool = app.pool.clone();
    let lead = tokio::task::spawn_blocking(move || {
        kindred_service::accounts::operator::create_coordinator(&pool, "lead@example.org", "Lead")
    })
    .await
    .unwrap()
    .unwrap();
    coordinator::new_coordinator_changes_the_password(
        &mut j,
        "lead@example.org",
        &lead.one_time_password,
        LEAD_PASSWORD,
        mentor_lang,
    )
    .await;
    coordinator::coordinator_runs_a_round(&mut j, "lead@example.org", LEAD_PASSWORD, mentor_lang)
        .await;
    let waiting = app
        .get("/matches?state=awaiting_mentor", Some(&coordinator))
        .await;
    let m = waiting.body["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no approved match: {}", waiting.text))
        .to_string();
    assert_eq!(waiting.body["items"][0]["mentor_id"], mentor.id);
    assert_eq!(waiting.body["items"].as_array().unwrap().len(), 1);

    people::mentor_accepts_by_keyboard(&mut j, &mentor, &mentee, &m).await;
    people::log_out(&mut j).await;
    people::mentee_checks_in_and_sweeps(&mut j, &mentee, &mentor, &m).await;
    people::mentee_reports_blocks_exports_and_leaves(&mut j, &mentee, &m, &coordinator).await;
    coordinator::coordinator_handles_the_inbox(
        &mut j,
        "lead@example.org",
        LEAD_PASSWORD,
        mentee_lang,
    )
    .await;

    // Both backends, every step: the pages checked.
    assert!(j.checked.len() > 60, "{:?}", j.checked);
    drop(j);
    browser.close().await;
}
