//! Hardening: erased data leaves the SQLite files, NUL bytes are 4xx on both
//! backends, forwarded addresses cannot be forged, no request value reaches
//! the logs, 413 names the real limit, private files are 0600, `/metrics`
//! needs a token.

use kindred_tests::{both_backends, search_all_text, Db, TestApp};
use serde_json::json;

both_backends!(
    erased_data_is_gone_from_the_database_files,
    nul_bytes_are_4xx_everywhere,
    a_forged_forwarded_for_does_not_escape_the_address_limit
);

#[derive(diesel::QueryableByName)]
struct DbFile {
    #[diesel(sql_type = diesel::sql_types::Text)]
    file: String,
}

/// The SQLite main file and its WAL, read raw (the WAL may be absent or empty).
async fn sqlite_bytes(app: &TestApp) -> (Vec<u8>, Vec<u8>) {
    let path = app
        .with_db(|conn| {
            use diesel::RunQueryDsl;
            let kindred_db::DbConnection::Sqlite(c) = conn else {
                panic!("not SQLite")
            };
            diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .get_result::<DbFile>(c)
                .unwrap()
                .file
        })
        .await;
    let main = std::fs::read(&path).unwrap();
    let wal = std::fs::read(format!("{path}-wal")).unwrap_or_default();
    (main, wal)
}

fn count(haystack: &[u8], needle: &str) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

async fn erased_data_is_gone_from_the_database_files(db: Db) {
    let app = TestApp::spawn(db).await;
    let email = "quillon.erasure@example.org";
    let name = "Quillon Marvaday";
    let report = "Zq81 said something that scared me";
    let (token, _id) = app.signup_named(email, name, "mentee").await;
    let (_, other) = app
        .signup_named("other.person@example.org", "Other One", "mentor")
        .await;
    let res = app
        .post(
            "/reports",
            Some(&token),
            &json!({"about_user_id": other, "reason": report}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.wait_outbox_idle().await;
    let needles = [email, name, report];
    if db == Db::Sqlite {
        // The scan sees them before the erasure (so it would see them after).
        let (main, wal) = sqlite_bytes(&app).await;
        for n in needles {
            assert!(count(&main, n) + count(&wal, n) > 0, "{n:?} is stored");
        }
    }

    let res = app.delete("/me", Some(&token)).await;
    assert_eq!(res.status, 204, "{}", res.text);

    let found = app
        .with_db(move |conn| search_all_text(conn, &needles, ""))
        .await;
    assert!(found.is_empty(), "still readable: {found:?}");
    if db == Db::Sqlite {
        let (main, wal) = sqlite_bytes(&app).await;
        for n in needles {
            assert_eq!(
                (count(&main, n), count(&wal, n)),
                (0, 0),
                "{n:?} left in the database file or its WAL (main, wal)"
            );
        }
    }
    app.stop().await;
}

/// A client error in problem+json (never a 500).
#[track_caller]
fn assert_4xx(res: &kindred_tests::Res, what: &str) {
    assert!(
        res.status.is_client_error(),
        "{what}: expected a 4xx, got {} {}",
        res.status,
        res.text
    );
    res.problem(res.status.as_u16());
}

async fn nul_bytes_are_4xx_everywhere(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 2).await;
    let (mentee, request_id) = app.mentee_with_request("mentee@example.org").await;
    let m = app.propose(&coordinator, &mentor.id, &request_id).await;
    let nul = "a\u{0}b";

    // JSON strings anywhere in a body: 422 naming the field.
    let bodies = [
        (
            "/auth/login",
            None,
            json!({"email": nul, "password": "a long passphrase"}),
            "email",
        ),
        (
            "/auth/register",
            None,
            json!({"email": "n@example.org", "password": "a long passphrase", "display_name": nul, "role": "mentee"}),
            "display_name",
        ),
        (
            "/reports",
            Some(&mentee.token),
            json!({"about_user_id": mentor.id, "reason": nul}),
            "reason",
        ),
        (
            "/reports",
            Some(&mentee.token),
            json!({"about_user_id": nul, "reason": "r"}),
            "about_user_id",
        ),
        (
            "/requests",
            Some(&mentee.token),
            json!({"note": nul}),
            "note",
        ),
        (
            "/requests",
            Some(&mentee.token),
            json!({"required_tags": ["bisexual", nul]}),
            "required_tags[1]",
        ),
        (
            "/blocks",
            Some(&mentee.token),
            json!({"user_id": nul}),
            "user_id",
        ),
        (
            "/matches",
            Some(&coordinator),
            json!({"mentor_id": nul, "request_id": request_id}),
            "mentor_id",
        ),
        (
            &*format!("/matches/{m}/decline"),
            Some(&mentor.token),
            json!({"reason": nul}),
            "reason",
        ),
        (
            &*format!("/matches/{m}/reject"),
            Some(&coordinator),
            json!({"reason": nul}),
            "reason",
        ),
    ];
    for (path, token, body, field) in &bodies {
        let res = app.post(path, token.map(String::as_str), body).await;
        res.field_error(field);
    }
    let mut profile = kindred_tests::profile_body("mentee");
    profile["availability"][0]["day"] = json!(nul);
    app.put("/me/mentee-profile", Some(&mentee.token), &profile)
        .await
        .field_error("availability[0].day");
    app.patch("/tags/bisexual", Some(&coordinator), &json!({"label": nul}))
        .await
        .field_error("label");
    // A NUL in an object key.
    app.post(
        "/blocks",
        Some(&mentee.token),
        &json!({"user_id": "x", nul: 1}),
    )
    .await
    .problem(422);

    // Path and query parameters: 400.
    for path in [
        "/matches/%00".to_string(),
        format!("/matches/{m}%00"),
        "/mentors/%00".to_string(),
        format!("/mentors/{}%00x", mentor.id),
        "/requests/%00".to_string(),
        "/matches/%00/accept".to_string(),
        "/requests?cursor=%00".to_string(),
        "/reports?cursor=a%00".to_string(),
        "/profiles?role=%00".to_string(),
        "/tags?include_retired=%00".to_string(),
        "/unsubscribe?token=%00".to_string(),
    ] {
        assert_4xx(&app.get(&path, Some(&coordinator)).await, &path);
        assert_4xx(&app.get(&path, Some(&mentee.token)).await, &path);
    }
    assert_4xx(
        &app.patch("/tags/%00", Some(&coordinator), &json!({"label": "x"}))
            .await,
        "PATCH /tags/%00",
    );
    assert_4xx(
        &app.post(
            "/matches/%00/end",
            Some(&mentee.token),
            &json!({"reason": "x"}),
        )
        .await,
        "POST /matches/%00/end",
    );

    // NUL in a URL is a 400 above; a cursor that is not an id is a 422 on
    // `cursor` (cursors are ids now, so none can decode to NUL).
    let forged = "not%20a%20cursor";
    for path in ["/reports", "/requests", "/profiles?role=mentor&"] {
        let sep = if path.ends_with('&') { "" } else { "?" };
        app.get(&format!("{path}{sep}cursor={forged}"), Some(&coordinator))
            .await
            .field_error("cursor");
    }

    // Nothing was stored, and everything still works.
    let res = app.get(&format!("/matches/{m}"), Some(&coordinator)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}

async fn a_forged_forwarded_for_does_not_escape_the_address_limit(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.server.trust_forwarded_for = true;
        // The test client is the "proxy" at 127.0.0.1.
        s.server.trusted_proxies = vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
        s.rate_limit.enabled = true;
        s.rate_limit.per_ip_per_minute = 3;
        s.rate_limit.per_ip_burst = 3;
    })
    .await;
    let login = |i: usize, forwarded: String| {
        let req = app
            .client
            .post(app.url("/auth/login"))
            .header("x-forwarded-for", forwarded)
            .header("forwarded", format!("for=192.0.2.{i}"))
            .json(&json!({"email": format!("p{i}@example.org"), "password": "a long passphrase"}));
        async move { TestApp::read(req.send().await.unwrap()).await }
    };
    // The client forges a new left-most address each time; the proxy appends
    // the real one, which is what gets limited.
    let mut limited_after = None;
    for i in 0..20 {
        let res = login(i, format!("198.51.100.{i}, 203.0.113.9")).await;
        if res.status == 429 {
            res.problem(429);
            limited_after = Some(i);
            break;
        }
        res.problem(401);
    }
    let n = limited_after.expect("the real address was rate limited");
    assert!(n <= 6, "limited only after {n} requests");
    // Another real client behind the same proxy is not affected.
    login(50, "198.51.100.1, 203.0.113.10".to_string())
        .await
        .problem(401);
    app.stop().await;
}

/// A 413 names the configured limit, also where actix reads the body itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payload_too_large_names_the_real_limit() {
    let app = TestApp::spawn_with(Db::Sqlite, |s| {
        s.server.body_limit = kindred_config::ByteSize::kib(4);
    })
    .await;
    let (token, _) = app.signup("big@example.org", "mentor").await;
    let big = json!({"reason": "x".repeat(5000)});
    for path in [
        "/matches/some-id/decline",
        "/matches/some-id/end",
        "/auth/login",
    ] {
        let res = app.post(path, Some(&token), &big).await;
        let body = res.problem(413);
        let detail = body["detail"].as_str().unwrap();
        assert!(detail.contains("limit of 4096 bytes"), "{path}: {detail}");
    }
    app.stop().await;
}

/// The SQLite file and the `.eml` files are the service user's only.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_and_email_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("mail/outbox");
    let db_path = dir.path().join("db/nested/kindred.db");
    let (outbox_cfg, db_cfg) = (outbox.clone(), db_path.clone());
    let app = TestApp::spawn_with(Db::Sqlite, move |s| {
        s.mail.transport = kindred_config::MailTransport::File;
        s.mail.file_dir = outbox_cfg;
        s.database.url = format!("sqlite://{}", db_cfg.display()).parse().unwrap();
    })
    .await;
    let res = app
        .post(
            "/auth/register",
            None,
            &json!({"email": "files@example.org", "password": "a long passphrase", "display_name": "F", "role": "mentee"}),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    app.wait_outbox_idle().await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let emails: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(emails.len(), 1, "{emails:?}");
    assert_eq!(mode(&emails[0]), 0o600, "{}", emails[0].display());
    assert_eq!(mode(&outbox), 0o700);
    assert_eq!(mode(outbox.parent().unwrap()), 0o700);
    for p in [db_path.clone(), db_path.with_extension("db-wal")] {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    assert_eq!(mode(db_path.parent().unwrap()), 0o700);
    assert_eq!(mode(&dir.path().join("db")), 0o700);
    app.stop().await;
}

/// `/metrics` counts erasures and reports: not public unless configured so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token() {
    let app = TestApp::spawn(Db::Sqlite).await;
    app.get("/metrics", None).await.problem(404);
    app.get("/metrics", Some("anything-at-all-here"))
        .await
        .problem(404);
    app.stop().await;

    let token = "metrics-token-0123456789abcdef";
    let app = TestApp::spawn_with(Db::Sqlite, |s| {
        s.metrics.token = Some(kindred_config::Secret::new(token.to_string()));
        s.metrics.public = true; // the token wins
    })
    .await;
    app.get("/metrics", None).await.problem(401);
    app.get("/metrics", Some("metrics-token-0123456789abcdeX"))
        .await
        .problem(401);
    app.get("/metrics", Some("metrics-token"))
        .await
        .problem(401);
    let res = app.get("/metrics", Some(token)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("kindred_outbox_backlog"), "{}", res.text);
    app.stop().await;

    let app = TestApp::spawn_with(Db::Sqlite, |s| s.metrics.public = true).await;
    let res = app.get("/metrics", None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}

/// Everything the process logs, from the first test that asks on. The
/// server runs on its own threads, so this is the global subscriber.
fn captured_logs() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buf);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || Capture(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
        buf
    })
    .clone()
}

/// No value a client sent ends up in the log or is echoed in an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_values_are_never_logged_or_echoed() {
    let logs = captured_logs();
    let app = TestApp::spawn(Db::Sqlite).await;
    let (token, _) = app.signup("logs@example.org", "mentee").await;
    let mut profile = kindred_tests::profile_body("mentee");
    profile["private_tags"] = json!("domestic-abuse-survivor-MARK1");
    let mut ids = Vec::new();
    let mut check = |res: kindred_tests::Res, field: Option<&str>, mark: &str| {
        match field {
            Some(f) => {
                res.field_error(f);
            }
            None => assert!(res.status.is_client_error(), "{}", res.text),
        }
        assert!(!res.text.contains(mark), "{mark} echoed: {}", res.text);
        ids.push(res.header("x-request-id").unwrap().to_string());
    };
    check(
        app.put("/me/mentee-profile", Some(&token), &profile).await,
        Some("private_tags"),
        "MARK1",
    );
    check(
        app.post(
            "/auth/login",
            None,
            &json!({"email": "logs@example.org", "password": 987_654_321_u64}),
        )
        .await,
        Some("password"),
        "987654321",
    );
    check(
        app.post("/auth/register", None, &json!({"email": "r@example.org", "password": "a long passphrase", "display_name": "R", "role": "MARK2-role"}))
            .await,
        Some("role"),
        "MARK2",
    );
    profile["private_tags"] = json!(["x"]);
    profile["timezone"] = json!(["MARK3-tz"]);
    check(
        app.put("/me/mentee-profile", Some(&token), &profile).await,
        Some("timezone"),
        "MARK3",
    );
    check(
        app.get("/tags?include_retired=MARK4", Some(&token)).await,
        None,
        "MARK4",
    );
    check(
        app.get("/unsubscribe?token=MARK5", None).await,
        None,
        "MARK5",
    );
    check(
        app.get("/requests?cursor=MARK6&limit=MARK7", Some(&token))
            .await,
        None,
        "MARK6",
    );
    app.stop().await;

    // The request log closed every one of these requests' spans...
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let text = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| !text.contains(id.as_str()))
            .collect();
        if missing.is_empty() {
            // ... and none of the values is in it.
            for mark in [
                "MARK1",
                "987654321",
                "MARK2",
                "MARK3",
                "MARK4",
                "MARK5",
                "MARK6",
                "MARK7",
            ] {
                let line = text.lines().find(|l| l.contains(mark));
                assert!(
                    line.is_none(),
                    "{mark} logged: {}",
                    line.unwrap_or_default()
                );
            }
            assert!(
                text.contains("validation: private_tags"),
                "the failure is logged by kind and field"
            );
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "requests {missing:?} not in the captured log"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
