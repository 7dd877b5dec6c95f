//! The web app's match pages through real HTTP, like a browser without
//! JavaScript, on both backends: a mentor accepts, declines or ends; the
//! mentee sees contact details only once the match is active; check-ins
//! (and asking for support), blocks and reports; CSRF; other people's
//! matches; and a private tag that neither person may ever see of the other.
//! State is set up through the API.

use kindred_tests::{both_backends, profile_body, Db, Person, TestApp};
use serde_json::json;

use crate::web_client::{Page, WebClient};

both_backends!(
    web_mentor_accepts_and_contact_details_appear_only_once_active,
    web_mentor_declines_with_a_reason_only_coordinators_read,
    web_either_person_ends_a_match_with_a_reason,
    web_check_in_asking_for_support_shows_the_resources_at_once,
    web_block_closes_the_match,
    web_report_reaches_the_coordinators,
    web_match_posts_without_a_valid_csrf_token_change_nothing,
    web_nobody_else_can_open_a_match_page,
    web_a_private_tag_never_reaches_the_other_person,
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
    let es = mentor
        .client
        .get(format!("{}{detail}", mentor.base))
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

async fn web_check_in_asking_for_support_shows_the_resources_at_once(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    approve(&app, &p).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let check_in = format!("{detail}/check-in");

    // Not active yet: no form, and a post is refused in words.
    let page = mentee.get(&check_in).await;
    assert!(page.html.contains("Check-ins are for active matches."));
    assert!(!page.html.contains(&format!("action=\"{check_in}\"")));
    let res = post_from(&mentee, &detail, &check_in, &[("rating", "3")]).await;
    assert_eq!(res.status, 409, "{}", res.html);

    let res = app
        .post(
            &format!("/matches/{}/accept", p.m),
            Some(&p.mentor.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let page = mentee.get(&check_in).await;
    assert!(page.html.contains("<fieldset"));
    assert!(page.html.contains("<legend>How is it going?</legend>"));
    assert!(page.html.contains("id=\"rating-5\""));
    assert!(page
        .html
        .contains("<label for=\"needs-support\">I need support</label>"));

    // No rating: the form again with the note kept; nothing stored.
    let res = mentee
        .submit(&check_in, &[("note", "NOTE-SECRET hard week")])
        .await;
    assert_eq!(res.status, 422, "{}", res.html);
    assert!(res.html.contains("href=\"#rating-1\""));
    assert!(res.html.contains("Choose how it is going, from 1 to 5."));
    assert!(res.html.contains("NOTE-SECRET hard week</textarea>"));
    let mine = app
        .get(
            &format!("/matches/{}/check-ins", p.m),
            Some(&p.mentee.token),
        )
        .await;
    assert_eq!(mine.body, json!([]), "{}", mine.text);

    let res = mentee
        .submit(
            &check_in,
            &[
                ("rating", "2"),
                ("note", "NOTE-SECRET hard week"),
                ("needs_support", "yes"),
            ],
        )
        .await;
    res.redirects_to(&format!("{check_in}/sent?support=yes#get-support"));
    // The very next page opens with the support resources.
    let sent = mentee.get(&format!("{check_in}/sent?support=yes")).await;
    assert_eq!(sent.status, 200);
    let main = main_of(&sent);
    let first_h1 = &main[main.find("<h1").unwrap()..];
    assert!(
        first_h1.starts_with("<h1 id=\"get-support\" tabindex=\"-1\">You asked for support"),
        "{main}"
    );
    assert!(main.contains("findahelpline.com"), "{main}");
    assert!(main.contains("116 123"));
    assert!(main.contains("call your local emergency number now"));
    assert!(main.find("findahelpline.com") < main.find("Thank you for checking in"));

    // The coordinators have it; the mentor sees nothing of it.
    let queue = app
        .get("/check-ins?needs_support=true", Some(&p.coordinator))
        .await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let item = queue
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["match_id"] == p.m.as_str())
        .expect("the check-in is in the support queue");
    assert_eq!(item["rating"], 2);
    assert_eq!(item["needs_support"], true);
    assert_eq!(item["author_id"], p.mentee.id.as_str());
    let theirs = app
        .get(
            &format!("/matches/{}/check-ins", p.m),
            Some(&p.mentor.token),
        )
        .await;
    assert_eq!(theirs.body, json!([]));
    for path in [detail.clone(), check_in.clone(), "/home".into()] {
        assert!(
            !mentor.get(&path).await.html.contains("NOTE-SECRET"),
            "{path}"
        );
    }

    // Without asking for support: a plain thank-you.
    let res = mentor.submit(&check_in, &[("rating", "5")]).await;
    res.redirects_to(&format!("{check_in}/sent"));
    let sent = mentor.get(&format!("{check_in}/sent")).await;
    assert!(sent.html.contains("Thank you for checking in"));
    assert!(!sent.html.contains("id=\"get-support\""));
    app.stop().await;
}

async fn web_block_closes_the_match(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    app.activate(&p.coordinator, &p.mentor.token, &p.m).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let block = format!("{detail}/block");
    let page = mentor.get(&block).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("What blocking does"));
    assert!(page
        .html
        .contains("Tea Mentee is not told that you blocked them"));
    assert!(page.html.contains("id=\"block-submit\""));

    let res = mentor.submit(&block, &[]).await;
    res.redirects_to(&format!("{detail}?notice=blocked"));
    assert_eq!(state(&app, &p.mentee.token, &p.m).await["state"], "ended");
    let page = mentor.get(&format!("{detail}?notice=blocked")).await;
    assert!(page.html.contains("You have blocked this person."));
    assert!(page.html.contains("Closed for safety reasons"));
    assert!(!page.html.contains(MENTEE_EMAIL));
    // The blocked person sees only that it was closed, and no contact.
    let page = mentee.get(&detail).await;
    assert!(page.html.contains("The match was closed."), "{}", page.html);
    assert!(!page.html.contains("blocked"));
    assert!(!page.html.contains(MENTOR_EMAIL));
    assert!(
        !page.html.contains("I came out at work"),
        "no card after a block"
    );
    // Never proposed again.
    let res = app
        .post("/requests", Some(&p.mentee.token), &json!({}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let r2 = res.body["id"].as_str().unwrap();
    app.post(
        "/matches",
        Some(&p.coordinator),
        &json!({"mentor_id": p.mentor.id, "request_id": r2}),
    )
    .await
    .problem(409);
    app.stop().await;
}

async fn web_report_reaches_the_coordinators(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    app.activate(&p.coordinator, &p.mentor.token, &p.m).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let report = format!("{detail}/report");
    let page = mentee.get(&report).await;
    assert!(page.html.contains("<label for=\"report-reason\">"));
    assert!(page
        .html
        .contains("Mona Mentor is not told that you reported them"));

    let about = p.mentor.id.as_str();
    let res = mentee
        .submit(&report, &[("about_user_id", about), ("reason", " ")])
        .await;
    assert_eq!(res.status, 422, "{}", res.html);
    assert!(res.html.contains("href=\"#report-reason\""));
    assert!(res.html.contains("Describe what happened"));
    let reports = app.get("/reports", Some(&p.coordinator)).await;
    assert_eq!(reports.body["items"], json!([]), "{}", reports.text);

    let text = "REPORT-TEXT: pressured me to meet alone";
    let res = mentee
        .submit(&report, &[("about_user_id", about), ("reason", text)])
        .await;
    res.redirects_to(&format!("{report}/sent"));
    let sent = mentee.get(&format!("{report}/sent")).await;
    let main = main_of(&sent);
    assert!(main.contains("What happens next"));
    assert!(main.contains("is not told that you reported them"));
    assert!(main.contains("findahelpline.com"), "{main}");
    assert!(main.contains(&format!("href=\"{detail}/block\"")));
    let reports = app.get("/reports", Some(&p.coordinator)).await;
    let items = reports.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", reports.text);
    assert_eq!(items[0]["about_user_id"], about);
    assert_eq!(items[0]["reporter_id"], p.mentee.id.as_str());
    assert_eq!(items[0]["match_id"], p.m.as_str());
    assert_eq!(items[0]["reason"], text);
    // The match goes on, and the mentor sees nothing of the report.
    assert_eq!(state(&app, &p.mentor.token, &p.m).await["state"], "active");
    for path in [detail.clone(), "/matches".into(), "/home".into()] {
        assert!(
            !mentor.get(&path).await.html.contains("REPORT-TEXT"),
            "{path}"
        );
    }
    app.stop().await;
}

async fn web_match_posts_without_a_valid_csrf_token_change_nothing(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    approve(&app, &p).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    for action in ["accept", "decline"] {
        for csrf in [None, Some("not-the-token")] {
            let mut form = vec![("reason", "r")];
            if let Some(c) = csrf {
                form.push(("csrf", c));
            }
            let res = mentor.post(&format!("{detail}/{action}"), &form).await;
            assert_eq!(res.status, 403, "{action}: {}", res.html);
            assert!(res.html.contains("This form has expired"));
        }
    }
    assert_eq!(
        state(&app, &p.mentor.token, &p.m).await["state"],
        "awaiting_mentor"
    );
    let res = app
        .post(
            &format!("/matches/{}/accept", p.m),
            Some(&p.mentor.token),
            &json!({}),
        )
        .await;
    assert_eq!(res.status, 200);
    let about = p.mentor.id.as_str();
    let attempts: [(&str, Vec<(&str, &str)>); 4] = [
        ("end", vec![("reason", "bye")]),
        ("check-in", vec![("rating", "1"), ("needs_support", "yes")]),
        ("block", vec![]),
        ("report", vec![("about_user_id", about), ("reason", "x")]),
    ];
    for (action, fields) in attempts {
        let res = mentee.post(&format!("{detail}/{action}"), &fields).await;
        assert_eq!(res.status, 403, "{action}: {}", res.html);
        let mut forged = fields.clone();
        forged.push(("csrf", "0000"));
        let res = mentee.post(&format!("{detail}/{action}"), &forged).await;
        assert_eq!(res.status, 403, "{action}");
    }
    assert_eq!(state(&app, &p.mentee.token, &p.m).await["state"], "active");
    let mine = app
        .get(
            &format!("/matches/{}/check-ins", p.m),
            Some(&p.mentee.token),
        )
        .await;
    assert_eq!(mine.body, json!([]));
    let reports = app.get("/reports", Some(&p.coordinator)).await;
    assert_eq!(reports.body["items"], json!([]));
    let card = app
        .get(&format!("/mentors/{}", p.mentor.id), Some(&p.mentee.token))
        .await;
    assert_eq!(card.status, 200, "no block was made");
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

async fn web_a_private_tag_never_reaches_the_other_person(db: Db) {
    let app = spawn(db).await;
    let p = pair(&app).await;
    approve(&app, &p).await;
    // The canary is in play: the coordinators see a private overlap.
    let full = state(&app, &p.coordinator, &p.m).await;
    assert!(
        full["explanation"]["components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "private_overlap"),
        "{full}"
    );
    let mentee = browser(&app, MENTEE_EMAIL).await;
    let mentor = browser(&app, MENTOR_EMAIL).await;
    let detail = format!("/matches/{}", p.m);
    let pages = [
        "/home".to_string(),
        "/matches".into(),
        detail.clone(),
        format!("{detail}/check-in"),
        format!("{detail}/block"),
        format!("{detail}/report"),
        format!("{detail}/end"),
        format!("{detail}/check-in/sent?support=yes"),
        format!("{detail}/report/sent"),
    ];
    let check = |who: &'static str, page: Page, path: String| {
        assert_eq!(page.status, 200, "{who} {path}: {}", page.html);
        for secret in [
            CANARY_LABEL,
            CANARY_SLUG,
            "domestic-abuse",
            "Domestic abuse",
            "private_overlap",
            "keeps private",
        ] {
            assert!(
                !page.html.contains(secret),
                "{who} sees {secret:?} on {path}"
            );
        }
    };
    for round in ["awaiting", "active"] {
        for path in &pages {
            check("mentee", mentee.get(path).await, format!("{round} {path}"));
            check("mentor", mentor.get(path).await, format!("{round} {path}"));
        }
        if round == "awaiting" {
            let res = post_from(&mentor, &detail, &format!("{detail}/accept"), &[]).await;
            res.redirects_to(&format!("{detail}?notice=accepted"));
        }
    }
    // The public tags they share are shown, by their labels.
    let page = mentee.get(&detail).await;
    assert!(
        page.html.contains("Experiences you both list:"),
        "{}",
        page.html
    );
    app.stop().await;
}
