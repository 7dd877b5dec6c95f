//! The coordinator's part of the journey: a matching round in the console.

use super::steps::Journey;

/// The href of the first link on the page that starts with `prefix`.
async fn first_link(j: &Journey<'_>, prefix: &str) -> String {
    let script = format!(
        "var a = document.querySelector('main a[href^=\"{prefix}\"]'); return a ? a.getAttribute('href') : null;"
    );
    let href = j.browser.eval(&script).await;
    match href.as_str() {
        Some(href) => href.to_string(),
        None => panic!("no link to {prefix} on {}", j.browser.source().await),
    }
}

/// A coordinator the operator just created signs in with the one-time
/// password: every console URL leads to the forced password change
/// first; then the new password opens the console.
pub async fn new_coordinator_changes_the_password(
    j: &mut Journey<'_>,
    email: &str,
    one_time: &str,
    new_password: &str,
    lang: &'static str,
) {
    assert_eq!(j.log_in(email, one_time, lang).await, "/account/password");
    j.check("console: the forced password change", true).await;
    j.goto("/console/requests").await;
    assert_eq!(
        j.path().await,
        "/account/password",
        "no console before the change"
    );
    j.browser.fill_id("current_password", one_time).await;
    j.browser.fill_id("new_password", new_password).await;
    j.submit_main_form().await;
    assert_eq!(j.path().await, "/home?notice=password-changed");
    super::people::log_out(j).await;
}

/// The coordinator signs in; reads the queue and the request (the mentee's
/// private canary may show: coordinators see private tags); previews a run
/// (the report's charts), runs it for real; opens the proposal (both
/// profiles, the whole explanation), tries to reject it without a reason
/// (the error state); approves the run's proposals after the confirmation.
pub async fn coordinator_runs_a_round(
    j: &mut Journey<'_>,
    email: &str,
    password: &str,
    lang: &'static str,
) {
    assert_eq!(j.log_in(email, password, lang).await, "/home");
    assert!(
        j.browser.source().await.contains("href=\"/console\""),
        "the console link"
    );
    j.goto("/console").await;
    assert_eq!(j.path().await, "/console/requests");
    j.check("console: open requests", true).await;
    j.shot("console-queue").await;
    let request = first_link(j, "/console/requests/").await;
    j.goto(&request).await;
    assert!(
        j.browser.source().await.contains("name=\"mentor_id\""),
        "a suggestion"
    );
    j.check("console: a request with suggestions", true).await;
    j.shot("console-request").await;

    j.goto("/console/runs").await;
    j.check("console: matching runs", true).await;
    j.click_submit("dry-run-submit").await;
    let report = j.browser.source().await;
    assert!(
        report.contains("<svg class=\"chart\""),
        "the report's charts"
    );
    assert!(j.path().await.starts_with("/console/runs/"));
    j.check("console: a dry run's report", true).await;
    j.shot("console-dry-run").await;
    j.click_submit("real-run-submit").await;
    j.check("console: a run's report", true).await;

    j.goto("/console/matches").await;
    j.check("console: proposals", true).await;
    let proposal = first_link(j, "/console/matches/").await;
    j.goto(&proposal).await;
    assert!(
        j.browser.source().await.contains("private_overlap"),
        "the whole explanation"
    );
    j.check("console: one match", true).await;
    j.shot("console-match").await;
    j.click_submit("reject-submit").await;
    assert!(j
        .browser
        .source()
        .await
        .contains("id=\"reject-reason-error\""));
    j.check("console: reject without a reason", true).await;

    j.goto(&format!("{}/approve", run_path(j, &proposal).await))
        .await;
    j.check("console: approve the run's proposals?", true).await;
    j.click_submit("approve-all-submit").await;
    assert!(j.path().await.ends_with("?notice=approved-all"));
    j.check("console: proposals approved", true).await;
    j.goto(&request).await;
    j.check("console: the request, matched", true).await;
    coordinator_imports_a_file(j).await;
    coordinator_administers(j).await;
    j.goto("/console/health").await;
    j.check("console: programme health", true).await;
    j.shot("console-health").await;
    j.goto("/console/health?from=not-a-date").await;
    j.check("console: programme health, a bad date", true).await;
    super::people::log_out(j).await;
}

/// The run page of the proposal at `proposal` (its run is the newest).
async fn run_path(j: &Journey<'_>, proposal: &str) -> String {
    let id = proposal.trim_start_matches("/console/matches/").to_string();
    let run = j
        .app
        .with_db(move |conn| {
            kindred_db::matches::get_match(conn, &id)
                .unwrap()
                .and_then(|m| m.run_id)
                .expect("a run's proposal")
        })
        .await;
    format!("/console/runs/{run}")
}

/// After the mentee reported, blocked and left: the coordinator reads the
/// safety inbox (the report, the erased reporter shown as a deleted
/// account) and marks the report handled.
pub async fn coordinator_handles_the_inbox(
    j: &mut Journey<'_>,
    email: &str,
    password: &str,
    lang: &'static str,
) {
    assert_eq!(j.log_in(email, password, lang).await, "/home");
    j.goto("/console/safety").await;
    let inbox = j.browser.source().await;
    assert!(
        inbox.contains("action=\"/console/safety/report/"),
        "the report is in the inbox"
    );
    j.check("console: safety inbox", true).await;
    j.shot("console-safety").await;
    j.submit_main_form_at("form[action^=\"/console/safety/report/\"] button")
        .await;
    assert!(j.path().await.contains("notice=handled"));
    j.check("console: safety inbox, handled", true).await;
    j.goto("/console/safety?state=handled").await;
    j.check("console: handled items", true).await;
    super::people::log_out(j).await;
}

/// The coordinator previews a CSV file with a bad row (the report lists
/// it by number), then a file refused as a whole (the form's error state),
/// then imports it; the exports are one link away.
async fn coordinator_imports_a_file(j: &mut Journey<'_>) {
    let dir = std::env::temp_dir().join(format!("kindred-journey-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("people.csv");
    std::fs::write(
        &good,
        crate::imports::file(&[
            crate::imports::row("ines@example.org", "Inés", "mentee"),
            "joan@example.org,Joan,mentor,,ca,Mars/Base,,,online,,,2,,".to_string(),
        ]),
    )
    .unwrap();
    let bad = dir.join("colours.csv");
    std::fs::write(&bad, "favourite_colour\nblue\n").unwrap();

    j.goto("/console/data").await;
    j.check("console: import and export", true).await;
    let file = j.browser.find("#file").await;
    file.send_keys(&bad.to_string_lossy()).await.unwrap();
    j.click_submit("preview-submit").await;
    assert!(j.browser.source().await.contains("id=\"file-error\""));
    j.check("console: a file refused as a whole", true).await;

    let file = j.browser.find("#file").await;
    file.send_keys(&good.to_string_lossy()).await.unwrap();
    j.click_submit("preview-submit").await;
    wait_for_import(j).await;
    let report = j.browser.source().await;
    assert!(
        report.contains("<th scope=\"row\">3</th>"),
        "the bad row by number"
    );
    j.check("console: an import preview with a bad row", true)
        .await;
    j.shot("console-import-preview").await;

    j.goto("/console/data").await;
    let file = j.browser.find("#file").await;
    file.send_keys(&good.to_string_lossy()).await.unwrap();
    j.click_submit("import-submit").await;
    wait_for_import(j).await;
    j.check("console: an import done", true).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits until the import page says it is done (the page's own script
/// reloads it then).
async fn wait_for_import(j: &Journey<'_>) {
    for _ in 0..200 {
        if j.browser.source().await.contains("data-running=\"no\"") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import page never said it was done");
}

/// The administration page, a tag's page and the exports (fetched with the
/// browser's own session).
async fn coordinator_administers(j: &mut Journey<'_>) {
    j.goto("/console/admin").await;
    j.check("console: administration", true).await;
    j.goto("/console/admin/tags/bisexual").await;
    j.check("console: a tag", true).await;
    let session = j
        .browser
        .cookie("kindred_session")
        .await
        .expect("signed in")
        .value;
    let export =
        crate::web_client::get_with_session(j.app, "/console/exports/participants.csv", &session)
            .await;
    assert_eq!(export.status, 200);
    assert!(export.html.starts_with("email,"), "{}", export.html);
    assert!(
        export.html.contains("ines@example.org"),
        "the imported person"
    );
}
