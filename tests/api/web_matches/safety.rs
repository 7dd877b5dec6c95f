//! The web app's check-ins (asking for support), blocks and reports, CSRF on
//! every match form, and a private tag that neither person may ever see of
//! the other; on both backends. The helpers are the parent module's.

use kindred_tests::{both_backends, Db};
use serde_json::json;

use super::*;

both_backends!(
    web_check_in_asking_for_support_shows_the_resources_at_once,
    web_block_closes_the_match,
    web_report_reaches_the_coordinators,
    web_match_posts_without_a_valid_csrf_token_change_nothing,
    web_a_private_tag_never_reaches_the_other_person,
);

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
