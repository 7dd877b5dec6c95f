//! The web app's match pages through real HTTP, like a browser without
//! JavaScript, on both backends: a mentor accepts, declines or ends; the
//! mentee sees contact details only once the match is active; check-ins
//! (and asking for support), blocks and reports; CSRF; other people's
//! matches; and a private tag that neither person may ever see of the other.
//! State is set up through the API. Check-ins, blocks, reports, CSRF and
//! the private tag are in `web_matches/safety.rs`.

use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::json;

use crate::web_client::{Page, WebClient};

mod safety;

both_backends!(
    web_mentor_accepts_and_contact_details_appear_only_once_active,
    web_mentor_declines_with_a_reason_only_coordinators_read,
    web_either_person_ends_a_match_with_a_reason,
    web_nobody_else_can_open_a_match_page,
);

const PASSWORD: &str = "a long passphrase";
const CANARY_SLUG: &str = "canary-experience";
const CANARY_LABEL: &str = "Zebra canary experience";
const MENTOR_EMAIL: &str = "mona@example.org";
const MENTEE_EMAIL: &str = "tea@example.org";

/// A coordinator, a mentor and a mentee (both with the canary as a private
/// tag) and a `proposed` match between them.
struct Pair {
    coordinator: String,
    mentor: Person,
    mentee: Person,
    m: String,
}

async fn person(app: &TestApp, email: &str, name: &str, role: &str) -> Person {
    let (token, id) = app.signup_named(email, name, role).await;
    let mut body = profile_body(role);
    body["private_tags"] = json!(["domestic-abuse-survivor", CANARY_SLUG]);
    let res = app
        .put(&format!("/me/{role}-profile"), Some(&token), &body)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    Person {
        token,
        id,
        email: email.to_string(),
    }
}

async fn pair(app: &TestApp) -> Pair {
    let coordinator = app.coordinator("coord@example.org").await;
    let res = app
        .post(
            "/tags",
            Some(&coordinator),
            &json!({"slug": CANARY_SLUG, "label": CANARY_LABEL, "category": "experience", "sensitive": false}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mentor = person(app, MENTOR_EMAIL, "Mona Mentor", "mentor").await;
    let mentee = person(app, MENTEE_EMAIL, "Tea Mentee", "mentee").await;
    let res = app
        .post("/requests", Some(&mentee.token), &json!({"note": "Hi"}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let request = res.body["id"].as_str().unwrap().to_string();
    let m = app.propose(&coordinator, &mentor.id, &request).await;
    Pair {
        coordinator,
        mentor,
        mentee,
        m,
    }
}

async fn approve(app: &TestApp, p: &Pair) {
    let res = app
        .post(
            &format!("/matches/{}/approve", p.m),
            Some(&p.coordinator),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn spawn(db: Db) -> TestApp {
    // A week to answer, so no match expires while a test runs.
    TestApp::spawn_with(db, |s| {
        s.matching.response_timeout = kindred_config::Duration::from_secs(7 * 86_400);
    })
    .await
}

async fn browser(app: &TestApp, email: &str) -> WebClient {
    let b = WebClient::new(app);
    b.login(email, PASSWORD).await.redirects_to("/home");
    b
}

/// Posts `fields` to `action` with the CSRF token of the page at `from`.
async fn post_from(b: &WebClient, from: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let page = b.get(from).await;
    assert_eq!(page.status, 200, "{from}: {}", page.html);
    let csrf = page.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(action, &all).await
}

async fn state(app: &TestApp, token: &str, m: &str) -> serde_json::Value {
    let res = app.get(&format!("/matches/{m}"), Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

/// The page's `<main>` (the footer carries the support resources anyway).
fn main_of(page: &Page) -> &str {
    let start = page.html.find("<main").expect("a <main>");
    let end = page.html.find("</main>").expect("a </main>");
    &page.html[start..end]
}

async fn web_mentor_accepts_and_contact_details_appear_only_once_active(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let detail = format!("/matches/{}", p.m);

    // Proposed: only the coordinators know; the mentee's home shows the request.
    assert_eq!(mentee.get(&detail).await.status, 404);
    assert_eq!(mentor.get(&detail).await.status, 404);
    let home = mentee.get("/home").await;
    assert!(
        home.html.contains("You asked for a mentor on"),
        "{}",
        home.html
    );
    for link in ["/profile", "/request", "/matches", "/settings"] {
        assert!(home.html.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let list = mentor.get("/matches").await;
    assert!(list.html.contains("You have no current match."));

    approve(&app, &p).await;
    // The mentee: waiting for the mentor, no contact details yet.
    let page = mentee.get(&detail).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(
        page.html.contains("Waiting for the mentor"),
        "{}",
        page.html
    );
    assert!(page
        .html
        .contains("We have asked Mona Mentor to be your mentor"));
    assert!(page.html.contains("7 days left"), "{}", page.html);
    assert!(page.html.contains("Shown once the match is active."));
    assert!(
        !page.html.contains(MENTOR_EMAIL),
        "no contact before active"
    );
    assert!(
        page.html.contains("I came out at work"),
        "the mentor's card"
    );
    assert!(
        !page.html.contains("accept-submit"),
        "only the mentor answers"
    );
    assert!(page
        .html
        .contains(&format!("href=\"/matches/{}/block\"", p.m)));
    assert!(page
        .html
        .contains(&format!("href=\"/matches/{}/report\"", p.m)));
    let home = mentee.get("/home").await;
    assert!(home
        .html
        .contains("We have asked Mona Mentor to be your mentor"));
    let list = mentee.get("/matches").await;
    assert!(list.html.contains("Match with Mona Mentor"));
    assert!(!list.html.contains(MENTOR_EMAIL));

    // The mentor: asked to answer, from the home page and the list.
    let home = mentor.get("/home").await;
    assert!(
        home.html.contains("Tea Mentee is waiting for your answer"),
        "{}",
        home.html
    );
    assert!(home.html.contains(&format!("href=\"{detail}\"")));
    let page = mentor.get(&detail).await;
    assert!(page.html.contains("id=\"accept-submit\""));
    assert!(page.html.contains("id=\"decline-reason\""));
    assert!(!page.html.contains(MENTEE_EMAIL));
    // Another browser of the mentor's (the session only, no language chosen:
    // log-in gave this one the mentor's own) asks for Spanish.
    let es = reqwest::Client::new()
        .get(format!("{}{detail}", mentor.base))
        .header("cookie", format!("kindred_session={}", mentor.session()))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    let es = WebClient::read(es).await;
    assert!(es.html.contains("Tu emparejamiento con Tea Mentee"));

    // Accept: the API shows it active; now both see each other's address.
    let done = post_from(&mentor, &detail, &format!("{detail}/accept"), &[]).await;
    done.redirects_to(&format!("{detail}?notice=accepted"));
    assert_eq!(state(&app, &p.mentor.token, &p.m).await["state"], "active");
    let page = mentor.get(&format!("{detail}?notice=accepted")).await;
    assert!(page.html.contains("You accepted the match."));
    assert!(page.html.contains(MENTEE_EMAIL), "{}", page.html);
    let page = mentee.get(&detail).await;
    assert!(page.html.contains(MENTOR_EMAIL), "{}", page.html);
    assert!(page
        .html
        .contains("You and Mona Mentor are working together"));
    assert!(page.html.contains(&format!("href=\"{detail}/check-in\"")));
    let home = mentee.get("/home").await;
    assert!(home.html.contains("Mona Mentor is your mentor."));

    // Accepting again: the match changed; said on the page, not a 500.
    let again = post_from(&mentor, &detail, &format!("{detail}/accept"), &[]).await;
    assert_eq!(again.status, 409, "{}", again.html);
    assert!(again.html.contains("This match changed in the meantime"));
    assert!(again.html.contains("role=\"alert\""));
    // The mentee may not accept or decline.
    let res = post_from(&mentee, &detail, &format!("{detail}/decline"), &[]).await;
    assert_eq!(res.status, 403, "{}", res.html);
    assert!(res.html.contains("You cannot do this with this match"));
    assert_eq!(state(&app, &p.mentee.token, &p.m).await["state"], "active");
    app.stop().await;
}

async fn web_mentor_declines_with_a_reason_only_coordinators_read(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    approve(&app, &p).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let page = mentor.get(&detail).await;
    assert!(page.html.contains("Only the coordinators read this."));

    // Too long: the form again, the error beside the field and in the summary.
    let long = "x".repeat(2001);
    let res = post_from(
        &mentor,
        &detail,
        &format!("{detail}/decline"),
        &[("reason", &long)],
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.html);
    assert!(res.html.contains("href=\"#decline-reason\""));
    assert!(res.html.contains("id=\"decline-reason-error\""));
    assert!(res.html.contains("aria-invalid=\"true\""));
    assert!(res.html.contains("Use at most 2000 characters."));
    assert!(res.html.contains(&long), "the text is kept");
    assert_eq!(
        state(&app, &p.mentor.token, &p.m).await["state"],
        "awaiting_mentor"
    );

    let reason = "Too busy this term (DECLINE-SECRET)";
    let res = post_from(
        &mentor,
        &detail,
        &format!("{detail}/decline"),
        &[("reason", reason)],
    )
    .await;
    res.redirects_to(&format!("{detail}?notice=declined"));
    let seen = state(&app, &p.coordinator, &p.m).await;
    assert_eq!(seen["state"], "declined");
    assert_eq!(seen["ended_reason"], reason);
    // The mentee learns only that the mentor could not take it.
    let page = mentee.get(&detail).await;
    assert!(
        page.html.contains("Declined by the mentor"),
        "{}",
        page.html
    );
    assert!(page.html.contains("could not take this match"));
    assert!(!page.html.contains("DECLINE-SECRET"));
    assert!(!mentee.get("/matches").await.html.contains("DECLINE-SECRET"));
    assert!(!mentee.get("/home").await.html.contains("DECLINE-SECRET"));
    let page = mentor.get(&detail).await;
    assert!(page.html.contains("You declined this match."));
    assert!(!page.html.contains("id=\"accept-submit\""));
    app.stop().await;
}

async fn web_either_person_ends_a_match_with_a_reason(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    app.activate(&p.coordinator, &p.mentor.token, &p.m).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let end = format!("{detail}/end");
    let page = mentee.get(&end).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("<label for=\"end-reason\">"));
    assert!(page
        .html
        .contains("Mona Mentor and the coordinators can read this."));

    let res = mentee.submit(&end, &[("reason", "   ")]).await;
    assert_eq!(res.status, 422, "{}", res.html);
    assert!(res.html.contains("href=\"#end-reason\""));
    assert!(res.html.contains("Give a reason."), "{}", res.html);
    assert!(res.html.contains("aria-invalid=\"true\""));
    assert_eq!(state(&app, &p.mentee.token, &p.m).await["state"], "active");

    let res = mentee
        .submit(&end, &[("reason", "We reached our goals")])
        .await;
    res.redirects_to(&format!("{detail}?notice=ended"));
    let seen = state(&app, &p.coordinator, &p.m).await;
    assert_eq!(seen["state"], "ended");
    assert_eq!(seen["ended_reason"], "We reached our goals");
    let page = mentee.get(&format!("{detail}?notice=ended")).await;
    assert!(page.html.contains("The match has ended."));
    assert!(!page.html.contains(MENTOR_EMAIL), "contact hidden again");
    let page = mentor.get(&detail).await;
    assert!(page.html.contains("We reached our goals"), "{}", page.html);
    assert!(page.html.contains("This match has ended."));
    assert!(!page.html.contains(MENTEE_EMAIL));
    // Ending it again: no form, and a post is a conflict in words.
    let page = mentor.get(&end).await;
    assert!(page.html.contains("Only an active match can be ended."));
    let res = post_from(&mentor, &detail, &end, &[("reason", "again")]).await;
    assert_eq!(res.status, 409, "{}", res.html);
    assert!(res.html.contains("This match changed in the meantime"));
    let list = mentor.get("/matches").await;
    assert!(list.html.contains("Earlier"));
    app.stop().await;
}
async fn web_nobody_else_can_open_a_match_page(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    app.activate(&p.coordinator, &p.mentor.token, &p.m).await;
    let _other = person(&app, "other@example.org", "Olly Other", "mentee").await;
    let other = browser(&app, "other@example.org").await;
    let detail = format!("/matches/{}", p.m);
    for path in [
        detail.clone(),
        format!("{detail}/end"),
        format!("{detail}/check-in"),
        format!("{detail}/block"),
        format!("{detail}/report"),
        "/matches/no-such-match".into(),
        "/matches/..%2Fetc".into(),
    ] {
        let page = other.get(&path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.html);
        assert!(page.html.contains("Page not found"));
        assert!(!page.html.contains("Mona Mentor") && !page.html.contains(MENTOR_EMAIL));
    }
    let list = other.get("/matches").await;
    assert!(!list.html.contains("Mona Mentor") && !list.html.contains("Tea Mentee"));
    // Their own valid token does not let them act on it either.
    for (action, fields) in [
        ("end", vec![("reason", "bye")]),
        ("check-in", vec![("rating", "1")]),
        ("block", vec![]),
        (
            "report",
            vec![("about_user_id", p.mentor.id.as_str()), ("reason", "x")],
        ),
    ] {
        let res = post_from(&other, "/matches", &format!("{detail}/{action}"), &fields).await;
        assert_eq!(res.status, 404, "{action}: {}", res.html);
    }
    assert_eq!(state(&app, &p.mentee.token, &p.m).await["state"], "active");
    let reports = app.get("/reports", Some(&p.coordinator)).await;
    assert_eq!(reports.body["items"], json!([]));
    // A coordinator reviews matches on their own pages, not as a participant.
    let coordinator = WebClient::new(&app);
    coordinator
        .login("coord@example.org", "coordinator passphrase")
        .await
        .redirects_to("/home");
    assert_eq!(coordinator.get(&detail).await.status, 404);
    let list = coordinator.get("/matches").await;
    assert_eq!(list.status, 200);
    assert!(!list.html.contains("Mona Mentor"), "only their own matches");
    app.stop().await;
}
