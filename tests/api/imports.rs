//! Coordinators' CSV import and export: invitations whose code sets a
//! password, idempotent re-imports, bad rows reported by number and never
//! half-written, dry runs, per-file 422s, access, exports without private or
//! pending tags and with neutralised formulas, and pending tags ignored by
//! matching until the person consents.

use std::time::Duration;

use kindred_tests::{both_backends, profile_body, Db, Res, TestApp};
use serde_json::{json, Value};

both_backends!(
    imported_people_are_invited_and_their_code_sets_a_password,
    importing_the_same_file_twice_changes_nothing,
    a_thousand_rows_with_three_bad_ones_import_exactly_the_good_ones,
    a_dry_run_writes_and_sends_nothing_but_reports_the_same,
    whole_file_problems_are_422_and_only_coordinators_may_import,
    exports_leave_out_private_and_pending_tags_and_neutralise_formulas,
    pending_tags_are_ignored_by_matching_until_the_person_consents,
    an_invited_person_may_ask_for_a_new_code_or_register_instead,
);

const HEADER: &str = "email,display_name,role,pronouns,languages,timezone,tags,private_tags,meeting_modes,region,availability,capacity,goals,bio";

/// A valid row for `email` (mentors get a capacity, mentees goals).
pub(crate) fn row(email: &str, name: &str, role: &str) -> String {
    let (capacity, goals) = if role == "mentor" {
        ("3", "")
    } else {
        ("", "Find my feet at work")
    };
    format!(
        "{email},{name},{role},she/her,es; en,Europe/Madrid,bisexual; job-search,domestic-abuse-survivor,online,,mon 18:00-20:30; wed 19:00-21:00,{capacity},{goals},\"Tester in Madrid, likes cats.\""
    )
}

pub(crate) fn file(rows: &[String]) -> String {
    let mut out = String::from(HEADER);
    for r in rows {
        out.push('\n');
        out.push_str(r);
    }
    out.push('\n');
    out
}

async fn upload(app: &TestApp, token: Option<&str>, csv: &str, query: &str) -> Res {
    let mut req = app
        .client
        .post(app.url(&format!("/admin/imports{query}")))
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv.to_string());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    TestApp::read(req.send().await.unwrap()).await
}

/// Uploads `csv` and waits for the import to end; returns its report.
pub(crate) async fn import(app: &TestApp, coordinator: &str, csv: &str, dry_run: bool) -> Value {
    let res = upload(app, Some(coordinator), csv, &format!("?dry_run={dry_run}")).await;
    assert_eq!(res.status, 202, "{}", res.text);
    let id = res.body["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let res = app
            .get(&format!("/admin/imports/{id}"), Some(coordinator))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        if res.body["state"] != "running" {
            assert_eq!(res.body["state"], "done", "{}", res.text);
            assert_eq!(res.body["processed"], res.body["rows"]);
            assert_eq!(res.body["dry_run"], dry_run);
            return res.body;
        }
        assert!(std::time::Instant::now() < deadline, "import still running");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) fn invitation_code(mail: &kindred_testkit::ReceivedEmail) -> String {
    let text = mail.text_body.as_deref().expect("plain-text part");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Invitation code: "))
        .expect("the line `Invitation code: <code>`")
        .trim()
        .to_string()
}

/// Accepts the invitation to `email`: the code sets a password; returns a token.
async fn accept_invitation(app: &TestApp, email: &str) -> String {
    let mail = app.email_to(email, "invited to Kindred").await;
    let code = invitation_code(&mail);
    let res = app
        .post(
            "/auth/password-reset/confirm",
            None,
            &json!({"email": email, "code": code, "new_password": "my own long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": email, "password": "my own long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["token"].as_str().unwrap().to_string()
}

async fn user_exists(app: &TestApp, email: &str) -> bool {
    let email = email.to_string();
    app.with_db(move |conn| {
        kindred_db::users::find_by_email(conn, &email)
            .unwrap()
            .is_some()
    })
    .await
}

async fn count_users(app: &TestApp, domain: &str) -> i64 {
    let pattern = format!("%@{domain}");
    app.with_db(move |conn| {
        use diesel::prelude::*;
        kindred_db::schema::users::table
            .filter(kindred_db::schema::users::email.like(pattern))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

/// Emails queued to addresses of `domain`.
async fn count_outbox(app: &TestApp, domain: &str) -> i64 {
    let pattern = format!("%@{domain}");
    app.with_db(move |conn| {
        use diesel::prelude::*;
        kindred_db::schema::outbox::table
            .filter(kindred_db::schema::outbox::recipient.like(pattern))
            .count()
            .get_result(conn)
            .unwrap()
    })
    .await
}

async fn imported_people_are_invited_and_their_code_sets_a_password(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let csv = file(&[
        row("Ana@Example.org", "Ana", "mentee"),
        row("bea@example.org", "Bea", "mentor"),
    ]);
    let report = import(&app, &coordinator, &csv, false).await;
    assert_eq!(report["rows"], 2);
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["updated"], 0);
    assert_eq!(report["failed"], json!([]));

    // No password until the invitation is used.
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "ana@example.org", "password": "my own long passphrase"}),
        )
        .await;
    res.problem(401);
    let mail = app.email_to("ana@example.org", "invited to Kindred").await;
    let text = mail.text_body.clone().unwrap();
    assert!(text.contains("-- \n"), "the support footer: {text}");
    assert!(!text.contains("Ana"), "no cell of the file in the email");
    let token = accept_invitation(&app, "ana@example.org").await;
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.body["roles"], json!(["mentee"]));
    assert_eq!(me.body["display_name"], "Ana");
    assert_eq!(me.body["pronouns"], "she/her");
    let profile = app.get("/me/mentee-profile", Some(&token)).await;
    assert_eq!(profile.status, 200, "{}", profile.text);
    assert_eq!(profile.body["languages"], json!(["es", "en"]));
    assert_eq!(profile.body["goals"], "Find my feet at work");
    assert_eq!(profile.body["tags"], json!(["job-search"]));
    assert_eq!(profile.body["private_tags"], json!([]));
    assert_eq!(
        profile.body["pending_tags"],
        json!({"tags": ["bisexual"], "private_tags": ["domestic-abuse-survivor"]})
    );
    // The code was single-use.
    let code = invitation_code(&mail);
    app.post(
        "/auth/password-reset/confirm",
        None,
        &json!({"email": "ana@example.org", "code": code, "new_password": "another long passphrase"}),
    )
    .await
    .problem(400);
    let mentor = accept_invitation(&app, "bea@example.org").await;
    let res = app.get("/me/mentor-profile", Some(&mentor)).await;
    assert_eq!(res.body["capacity"], 3);
    assert_eq!(res.body["accepting"], true);
    app.stop().await;
}

async fn importing_the_same_file_twice_changes_nothing(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    // One person signed up on their own before the import.
    let (own, _) = app
        .signup_named("own@twice.example.org", "Own", "mentor")
        .await;
    let mut rows: Vec<String> = (0..5)
        .map(|i| {
            row(
                &format!("p{i}@twice.example.org"),
                &format!("P{i}"),
                "mentee",
            )
        })
        .collect();
    rows.push(row("own@twice.example.org", "Own Name", "mentor"));
    let csv = file(&rows);
    let first = import(&app, &coordinator, &csv, false).await;
    assert_eq!(
        (first["created"].as_u64(), first["updated"].as_u64()),
        (Some(5), Some(1)),
        "{first}"
    );
    app.wait_outbox_idle().await;
    let invitations = |app: &TestApp| {
        app.sink
            .messages()
            .iter()
            .filter(|m| m.subject.contains("invited"))
            .count()
    };
    let emails = invitations(&app);
    assert_eq!(emails, 5);
    let outbox = count_outbox(&app, "twice.example.org").await;

    let second = import(&app, &coordinator, &csv, false).await;
    assert_eq!(second["created"], 0, "{second}");
    assert_eq!(second["updated"], 0, "{second}");
    assert_eq!(second["failed"], json!([]));
    app.wait_outbox_idle().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(invitations(&app), emails, "no second invitation");
    assert_eq!(count_outbox(&app, "twice.example.org").await, outbox);

    // The signed-up mentor's profile came from the file; their password still works.
    let res = app.get("/me/mentor-profile", Some(&own)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        app.get("/me", Some(&own)).await.body["display_name"],
        "Own Name"
    );

    // One changed cell is one update.
    rows[2] = rows[2].replace("Tester in Madrid", "Tester in Sevilla");
    let third = import(&app, &coordinator, &file(&rows), false).await;
    assert_eq!(third["created"], 0, "{third}");
    assert_eq!(third["updated"], 1, "{third}");
    app.stop().await;
}

async fn a_thousand_rows_with_three_bad_ones_import_exactly_the_good_ones(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mut rows: Vec<String> = (0..1000)
        .map(|i| {
            let role = if i % 4 == 0 { "mentor" } else { "mentee" };
            row(&format!("p{i}@bulk.example.org"), &format!("P{i}"), role)
        })
        .collect();
    // Data rows 101, 501 and 1000 are spreadsheet rows 102, 502 and 1001.
    rows[100] = rows[100].replace("Europe/Madrid", "Mars/Olympus_Mons");
    rows[500] = rows[500].replace("job-search", "no-such-tag");
    rows[999] = rows[999].replace("p999@bulk.example.org", "p999-at-bulk.example.org");
    let report = import(&app, &coordinator, &file(&rows), false).await;
    assert_eq!(report["rows"], 1000);
    assert_eq!(report["created"], 997, "{}", report["failed"]);
    let failed = report["failed"].as_array().unwrap();
    let numbers: Vec<u64> = failed.iter().map(|f| f["row"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [102, 502, 1001], "{}", report["failed"]);
    assert_eq!(
        failed[0]["errors"]["timezone"],
        json!(["must be an IANA time zone name, e.g. Europe/Madrid"])
    );
    assert_eq!(failed[1]["errors"]["tags"], json!(["item 2: unknown tag"]));
    assert!(failed[2]["errors"]["email"].is_array(), "{}", failed[2]);
    assert_eq!(failed[0]["errors"].as_object().unwrap().len(), 1);
    assert_eq!(count_users(&app, "bulk.example.org").await, 997);
    assert!(!user_exists(&app, "p100@bulk.example.org").await);
    assert!(!user_exists(&app, "p500@bulk.example.org").await);
    assert!(user_exists(&app, "p501@bulk.example.org").await);
    app.stop().await;
}

async fn a_dry_run_writes_and_sends_nothing_but_reports_the_same(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mut rows: Vec<String> = (0..300)
        .map(|i| row(&format!("d{i}@dry.example.org"), &format!("D{i}"), "mentee"))
        .collect();
    rows[7] = rows[7].replace(",mentee,", ",boss,");
    rows[260] = rows[260].replace("mon 18:00-20:30", "mon 18:10-20:30");
    // The same address twice: only the first is imported.
    rows[299] = row("d0@dry.example.org", "Again", "mentee");
    let csv = file(&rows);
    let dry = import(&app, &coordinator, &csv, true).await;
    assert_eq!(dry["created"], 297, "{dry}");
    assert_eq!(count_users(&app, "dry.example.org").await, 0);
    assert_eq!(
        count_outbox(&app, "dry.example.org").await,
        0,
        "no email queued"
    );
    let numbers: Vec<u64> = dry["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["row"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [9, 262, 301], "{}", dry["failed"]);
    assert!(dry["failed"][0]["errors"]["role"].is_array());
    assert_eq!(
        dry["failed"][1]["errors"]["availability"],
        json!(["item 1 start: minutes must be a multiple of 15"])
    );
    assert!(dry["failed"][2]["errors"]["email"][0]
        .as_str()
        .unwrap()
        .contains("first on row 2"));

    let real = import(&app, &coordinator, &csv, false).await;
    assert_eq!(real["created"], dry["created"]);
    assert_eq!(real["failed"], dry["failed"]);
    assert_eq!(count_users(&app, "dry.example.org").await, 297);
    assert_eq!(count_outbox(&app, "dry.example.org").await, 297);
    app.stop().await;
}

async fn whole_file_problems_are_422_and_only_coordinators_may_import(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.imports.max_bytes = kindred_config::ByteSize::kib(4);
    })
    .await;
    let coordinator = app.coordinator("coord@example.org").await;
    let (mentee, _) = app.signup("mentee@example.org", "mentee").await;
    let good = file(&[row("a@example.org", "A", "mentee")]);

    let res = upload(&app, Some(&coordinator), "email,colour\na@b.org,red\n", "").await;
    let header = res.field_error("header")["errors"]["header"].to_string();
    assert!(header.contains("colour"), "{header}");
    let res = upload(
        &app,
        Some(&coordinator),
        "display_name,role\nA,mentee\n",
        "",
    )
    .await;
    assert!(res.field_error("header")["errors"]["header"]
        .to_string()
        .contains("email column is required"));
    let latin1 = b"email,display_name,role\nj@example.org,Jos\xe9,mentee\n".to_vec();
    let res = app
        .client
        .post(app.url("/admin/imports"))
        .bearer_auth(&coordinator)
        .header("content-type", "text/csv")
        .body(latin1)
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.field_error("file");
    upload(&app, Some(&coordinator), "email,role\na@b.org\n", "")
        .await
        .field_error("file");
    upload(&app, Some(&coordinator), "", "")
        .await
        .field_error("file");
    upload(&app, Some(&coordinator), &good, "?dry_run=maybe")
        .await
        .field_error("dry_run");
    let big = file(
        &(0..40)
            .map(|i| row(&format!("big{i}@example.org"), "B", "mentee"))
            .collect::<Vec<_>>(),
    );
    upload(&app, Some(&coordinator), &big, "")
        .await
        .problem(413);
    let res = app
        .client
        .post(app.url("/admin/imports"))
        .bearer_auth(&coordinator)
        .json(&json!({"email": "a@example.org"}))
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.problem(415);
    let imports: i64 = app
        .with_db(|conn| {
            use diesel::prelude::*;
            kindred_db::schema::imports::table
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(imports, 0, "a rejected file is not stored");

    // Who may: coordinators only (401 without a token, 403 for others).
    upload(&app, None, &good, "").await.problem(401);
    upload(&app, Some(&mentee), &good, "").await.problem(403);
    upload(&app, Some(&mentee), "not,a,csv\n", "")
        .await
        .problem(403);
    for path in [
        "/admin/exports/participants.csv",
        "/admin/exports/matches.csv",
        "/admin/imports/0190c2c7-0000-7000-8000-000000000000",
    ] {
        app.get(path, None).await.problem(401);
        app.get(path, Some(&mentee)).await.problem(403);
    }
    app.get(
        "/admin/imports/0190c2c7-0000-7000-8000-000000000000",
        Some(&coordinator),
    )
    .await
    .problem(404);
    let res = upload(&app, Some(&coordinator), &good, "").await;
    assert_eq!(res.status, 202, "{}", res.text);
    app.get(
        &format!("/admin/imports/{}", res.body["id"].as_str().unwrap()),
        Some(&mentee),
    )
    .await
    .problem(403);
    app.stop().await;
}

async fn export(app: &TestApp, token: &str, which: &str) -> String {
    let res = app
        .client
        .get(app.url(&format!("/admin/exports/{which}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let res = TestApp::read(res).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    res.text
}

async fn exports_leave_out_private_and_pending_tags_and_neutralise_formulas(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    for slug in ["canary-private-7f3a", "canary-pending-9b1c"] {
        let res = app
            .post(
                "/tags",
                Some(&coordinator),
                &json!({"slug": slug, "label": "Canary", "category": "experience", "sensitive": false}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    // A mentor who chose a private tag and a formula for a name.
    let evil = "=HYPERLINK(\"https://evil.example\",\"click\")";
    let (token, mentor_id) = app.signup_named("m@example.org", evil, "mentor").await;
    let mut body = profile_body("mentor");
    body["private_tags"] = json!(["canary-private-7f3a", "domestic-abuse-survivor"]);
    let res = app.put("/me/mentor-profile", Some(&token), &body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    // An imported person whose private tag still waits for consent.
    let csv = file(&[row("imp@example.org", "-Imp", "mentee")
        .replace("domestic-abuse-survivor", "canary-pending-9b1c")]);
    import(&app, &coordinator, &csv, false).await;
    // A match, for the matches export.
    let (_, request_id) = app.mentee_with_request("mentee@example.org").await;
    app.propose(&coordinator, &mentor_id, &request_id).await;

    let people = export(&app, &coordinator, "participants.csv").await;
    assert!(!people.contains("canary"), "{people}");
    assert!(!people.contains("domestic-abuse-survivor"), "{people}");
    assert!(!people.contains("argon2"), "no password hash");
    assert!(people.starts_with(
        "email,display_name,role,pronouns,languages,timezone,tags,meeting_modes,region,availability,capacity,goals,bio\n"
    ));
    assert!(
        people.contains("\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\""),
        "{people}"
    );
    assert!(people.contains(",'-Imp,"), "{people}");
    let imported = people
        .lines()
        .find(|l| l.starts_with("imp@example.org"))
        .unwrap();
    // Only the active public tag; the sensitive one waits for consent.
    assert!(imported.contains(",job-search,"), "{imported}");
    assert!(!imported.contains("bisexual"), "{imported}");
    assert!(
        people.lines().any(|l| l.starts_with("m@example.org,")),
        "{people}"
    );

    let matches = export(&app, &coordinator, "matches.csv").await;
    let mut lines = matches.lines();
    assert_eq!(
        lines.next(),
        Some("match_id,state,mentor_id,mentor_name,mentee_id,mentee_name,score,created_at,activated_at,ended_at,ended_reason,request_id")
    );
    let m = lines.next().unwrap();
    assert!(m.contains(",proposed,"), "{m}");
    assert!(m.contains("'=HYPERLINK"), "{m}");
    assert!(!matches.contains("canary") && !matches.contains("@example.org"));
    app.stop().await;
}

/// The coordinator's suggestion for `mentor_id` on `request_id`, if any.
pub(crate) async fn suggestion(
    app: &TestApp,
    coordinator: &str,
    request_id: &str,
    mentor_id: &str,
) -> Value {
    let res = app
        .get(
            &format!("/requests/{request_id}/suggestions"),
            Some(coordinator),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["mentor_id"] == mentor_id)
        .cloned()
        .unwrap_or(Value::Null)
}

pub(crate) fn has_private_overlap(s: &Value) -> bool {
    s["explanation"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "private_overlap")
}

async fn pending_tags_are_ignored_by_matching_until_the_person_consents(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    // A mentee who shows `bisexual` and keeps `domestic-abuse-survivor` private.
    let (_mentee, request_id) = app.mentee_with_request("mentee@example.org").await;
    // An imported mentor with the same two tags: both wait for consent.
    import(
        &app,
        &coordinator,
        &file(&[row("mentor@example.org", "Mo", "mentor")]),
        false,
    )
    .await;
    let mentor = accept_invitation(&app, "mentor@example.org").await;
    let mentor_id = app.get("/me", Some(&mentor)).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();

    let before = suggestion(&app, &coordinator, &request_id, &mentor_id).await;
    assert!(before.is_object(), "the mentor fits on everything else");
    assert!(!has_private_overlap(&before), "{before}");
    assert!(
        !before["explanation"]["shared_tags"]
            .to_string()
            .contains("bisexual"),
        "{before}"
    );
    // A required tag is not met by a tag that waits for consent.
    let (other, _) = app.signup("other@example.org", "mentee").await;
    let res = app
        .put("/me/mentee-profile", Some(&other), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post(
            "/requests",
            Some(&other),
            &json!({"required_tags": ["bisexual"]}),
        )
        .await;
    let required = res.body["id"].as_str().unwrap().to_string();
    assert!(suggestion(&app, &coordinator, &required, &mentor_id)
        .await
        .is_null());

    // The person confirms: the tags count from now on.
    app.post("/me/consents", Some(&mentor), &json!({}))
        .await
        .field_error("sensitive_tags");
    let res = app
        .post(
            "/me/consents",
            Some(&mentor),
            &json!({"sensitive_tags": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body, json!({"activated": 2, "removed": 0}));
    let profile = app.get("/me/mentor-profile", Some(&mentor)).await;
    assert!(
        profile.body.get("pending_tags").is_none(),
        "{}",
        profile.text
    );
    assert_eq!(profile.body["consents"]["sensitive_tags"], true);
    assert_eq!(
        profile.body["private_tags"],
        json!(["domestic-abuse-survivor"])
    );
    let after = suggestion(&app, &coordinator, &request_id, &mentor_id).await;
    assert!(has_private_overlap(&after), "{after}");
    assert!(after["explanation"]["shared_tags"]
        .to_string()
        .contains("bisexual"));
    assert!(suggestion(&app, &coordinator, &required, &mentor_id)
        .await
        .is_object());

    // Declining removes them instead.
    import(
        &app,
        &coordinator,
        &file(&[row("decliner@example.org", "De", "mentor")]),
        false,
    )
    .await;
    let decliner = accept_invitation(&app, "decliner@example.org").await;
    let res = app
        .post(
            "/me/consents",
            Some(&decliner),
            &json!({"sensitive_tags": false}),
        )
        .await;
    assert_eq!(res.body, json!({"activated": 0, "removed": 2}));
    let profile = app.get("/me/mentor-profile", Some(&decliner)).await;
    assert_eq!(profile.body["tags"], json!(["job-search"]));
    assert_eq!(profile.body["private_tags"], json!([]));
    app.stop().await;
}

async fn an_invited_person_may_ask_for_a_new_code_or_register_instead(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let csv = file(&[
        row("lost@example.org", "Lost", "mentor"),
        row("self@example.org", "Self", "mentor"),
    ]);
    import(&app, &coordinator, &csv, false).await;

    // The invitation got lost: a password reset sends a fresh code.
    app.email_to("lost@example.org", "invited to Kindred").await;
    let res = app
        .post(
            "/auth/password-reset",
            None,
            &json!({"email": "lost@example.org"}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    let mail = app.email_to("lost@example.org", "password reset").await;
    let code = mail
        .text_body
        .as_deref()
        .unwrap()
        .lines()
        .find_map(|l| l.trim().strip_prefix("Reset code: "))
        .unwrap()
        .trim()
        .to_string();
    let res = app
        .post(
            "/auth/password-reset/confirm",
            None,
            &json!({"email": "lost@example.org", "code": code, "new_password": "my own long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app
        .post(
            "/auth/login",
            None,
            &json!({"email": "lost@example.org", "password": "my own long passphrase"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    // Signing up instead of using the invitation keeps the imported role
    // (and the profile that goes with it) and adds the registration's.
    let (token, _) = app.signup_named("self@example.org", "Self", "mentee").await;
    let me = app.get("/me", Some(&token)).await;
    assert_eq!(me.body["roles"], json!(["mentee", "mentor"]), "{}", me.text);
    let res = app.get("/me/mentor-profile", Some(&token)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}
