//! The coordinator's part of the journey: the console in the browser.

use super::steps::Journey;

/// The coordinator signs in, reads the queue, the proposals, the match
/// (both profiles, the whole explanation: the private canary may show
/// here, coordinators see private tags), the request; tries to reject
/// without a reason (the error state), then approves.
pub async fn coordinator_reviews_and_approves(
    j: &mut Journey<'_>,
    email: &str,
    password: &str,
    lang: &'static str,
    m: &str,
) {
    j.goto("/login").await;
    j.use_language(lang).await;
    j.browser.fill_id("email", email).await;
    j.browser.fill_id("password", password).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/home");
    let home = j.browser.source().await;
    assert!(home.contains("href=\"/console\""), "the console link");
    j.goto("/console").await;
    assert_eq!(j.path().await, "/console/requests");
    j.check("console: open requests", true).await;
    j.shot("console-queue").await;

    j.goto("/console/matches").await;
    j.check("console: proposals", true).await;
    j.goto(&format!("/console/matches/{m}")).await;
    let source = j.browser.source().await;
    assert!(source.contains("private_overlap"), "the whole explanation");
    j.check("console: one match", true).await;
    j.shot("console-match").await;

    j.click_submit("reject-submit").await;
    let source = j.browser.source().await;
    assert!(
        source.contains("id=\"reject-reason-error\""),
        "a reason is required"
    );
    j.check("console: reject without a reason", true).await;

    j.click_submit("approve-submit").await;
    assert_eq!(j.path().await, "/console/matches?notice=approved");
    j.check("console: approved", true).await;

    // The request behind the match (no longer open: no suggestions).
    j.goto(&format!("/console/matches/{m}")).await;
    let href = j
        .browser
        .eval("return document.querySelector('a[href^=\"/console/requests/\"]').getAttribute('href');")
        .await;
    let href = href.as_str().expect("a link to the request").to_string();
    j.goto(&href).await;
    j.check("console: the request", true).await;
    super::people::log_out(j).await;
}
