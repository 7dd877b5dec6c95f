//! `TestApp`: the real Kindred server on port 0 with a fresh database (SQLite
//! file or a new PostgreSQL database) and a real SMTP sink, plus helpers that
//! speak HTTP to it like a client would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Duration;

use kindred_api::launch::{launch_with, Launched};
use kindred_config::{DatabaseUrl, MailTransport, Secret, Settings};
use kindred_testkit::{ReceivedEmail, SmtpSink};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Declares a test body `async fn name(db: Db)` once and runs it against both
/// backends (defined in `kindred-testkit`, shared by every crate's tests).
pub use kindred_testkit::both_backends;
/// The backend a test runs on (the one enum of `kindred_testkit::both_backends!`).
pub use kindred_testkit::Backend as Db;

/// The running service of one test. It checks itself on drop: it stops the
/// server and the background tasks, and fails the test if any job or email
/// ended `dead`, unless the test said it expects that ([`TestApp::expect_dead`]).
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub sink: SmtpSink,
    pub launched: Option<Launched>,
    pub pool: kindred_db::Pool,
    pub db: Db,
    /// The database this instance uses ([`TestApp::spawn_sibling`] starts
    /// another instance on it).
    pub database_url: String,
    expect_dead: std::sync::atomic::AtomicBool,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(launched) = self.launched.take() {
            launched.stop_now();
        }
        if std::thread::panicking() || self.expect_dead.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let (jobs, emails) = self.dead_counts();
        assert!(
            jobs == 0 && emails == 0,
            "{jobs} job(s) and {emails} email(s) ended dead; call TestApp::expect_dead() if the test means that"
        );
    }
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The settings every test starts from: `config/default.toml` + `config/test.toml`.
pub fn test_settings() -> Settings {
    Settings::load_from_env_map(
        &workspace_root().join("config"),
        [("KINDRED_ENV".to_string(), "test".to_string())].into_iter(),
    )
    .expect("config/test.toml must load")
}

/// A JSON response: status, headers and body.
pub struct Res {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json error with this status and returns its body.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "error responses are problem+json"
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["type"].is_string());
        assert!(self.body["detail"].is_string());
        &self.body
    }

    /// Asserts a 422 whose `errors` names `field`.
    pub fn field_error(&self, field: &str) -> &Value {
        let body = self.problem(422);
        assert!(
            body["errors"][field].is_array(),
            "expected an error for {field:?}, got {}",
            body["errors"]
        );
        body
    }
}

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    /// Starts the service with the test settings, adjusted by `tweak`.
    pub async fn spawn_with(db: Db, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        // `KINDRED_TEST_LOG=warn` (an env filter) shows the services' logs
        // in a failing test's output, e.g. the cause behind a 500.
        if let Ok(filter) = std::env::var("KINDRED_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let sink = SmtpSink::start().await;
        let mut settings = test_settings();
        let (dir, url) = match db {
            Db::Sqlite => {
                let (dir, url) = kindred_testkit::sqlite_url_for_test();
                (Some(dir), url)
            }
            Db::Postgres => (
                None,
                tokio::task::spawn_blocking(kindred_testkit::postgres_url_for_test)
                    .await
                    .unwrap(),
            ),
        };
        settings.mail.transport = MailTransport::Smtp;
        settings.mail.smtp_url = Some(Secret::new(sink.url()));
        Self::start(db, sink, settings, url, dir, tweak).await
    }

    /// Another instance of the service on this app's database, as a second
    /// server behind a load balancer would be: its own HTTP server, pool,
    /// background tasks and in-memory state; the same SMTP sink. `tweak` as
    /// in [`TestApp::spawn_with`].
    pub async fn spawn_sibling(&self, tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = test_settings();
        settings.mail.transport = MailTransport::Smtp;
        settings.mail.smtp_url = Some(Secret::new(self.sink.url()));
        Self::start(
            self.db,
            self.sink.clone(),
            settings,
            self.database_url.clone(),
            None,
            tweak,
        )
        .await
    }

    async fn start(
        db: Db,
        sink: SmtpSink,
        mut settings: Settings,
        url: String,
        dir: Option<tempfile::TempDir>,
        tweak: impl FnOnce(&mut Settings),
    ) -> TestApp {
        settings.database.url = url.parse::<DatabaseUrl>().expect("test database url");
        settings.database.pool_size = 6;
        settings.server.port = 0;
        settings.server.workers = 1;
        tweak(&mut settings);
        settings.validate().expect("test settings are valid");
        let launched = launch_with(settings, kindred_web::configure)
            .await
            .expect("service starts");
        let base = format!("http://{}", launched.addr);
        TestApp {
            base,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            sink,
            pool: launched.pool.clone(),
            launched: Some(launched),
            db,
            database_url: url,
            expect_dead: std::sync::atomic::AtomicBool::new(false),
            _dir: dir,
        }
    }

    /// This test makes jobs or emails fail for good on purpose: the drop
    /// check must not fail it for that.
    pub fn expect_dead(&self) {
        self.expect_dead
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Dead jobs and dead emails in the database right now.
    pub fn dead_counts(&self) -> (i64, i64) {
        let mut conn = self.pool.get().expect("test database connection");
        let jobs = kindred_db::jobs::counts_by_state(&mut conn)
            .expect("job counts")
            .get("dead")
            .copied()
            .unwrap_or(0);
        let emails = kindred_db::outbox::count_in_state(&mut conn, kindred_db::outbox::DEAD)
            .expect("email counts");
        (jobs, emails)
    }

    pub async fn stop(mut self) {
        if let Some(l) = self.launched.take() {
            l.stop().await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/')
            && !path.starts_with("/api/")
            && !path.starts_with("/healthz")
            && !path.starts_with("/readyz")
            && !path.starts_with("/metrics")
        {
            format!("{}/api/v1{}", self.base, path)
        } else {
            format!("{}{}", self.base, path)
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Res {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    pub async fn read(res: reqwest::Response) -> Res {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Res {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        self.request(Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Res {
        self.request(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Res {
        self.request(Method::DELETE, path, token, None).await
    }

    /// Waits for the next email to `to` whose subject contains `subject`.
    pub async fn email_to(&self, to: &str, subject: &str) -> ReceivedEmail {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(m) = self
                .sink
                .messages_to(to)
                .into_iter()
                .rev()
                .find(|m| m.subject.contains(subject))
            {
                return m;
            }
            if std::time::Instant::now() > deadline {
                let seen: Vec<String> = self
                    .sink
                    .messages()
                    .iter()
                    .map(|m| format!("{:?} -> {:?}", m.subject, m.rcpt_to))
                    .collect();
                panic!("no email to {to} with subject containing {subject:?}; arrived: {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Registers, reads the code from the real email, verifies. Returns (token, user id).
    pub async fn signup(&self, email: &str, role: &str) -> (String, String) {
        self.signup_named(email, "Test Person", role).await
    }

    /// [`TestApp::signup`] with a chosen display name. The code is read from
    /// a verification email that arrives after this registration, so it also
    /// works for an address that registered before (e.g. after an erasure);
    /// `email` may be typed in any letter case.
    pub async fn signup_named(&self, email: &str, name: &str, role: &str) -> (String, String) {
        let mailbox = email.trim().to_lowercase();
        let before = self.sink.messages_to(&mailbox).len();
        let res = self
            .post(
                "/auth/register",
                None,
                &json!({"email": email, "password": "a long passphrase", "display_name": name, "role": role}),
            )
            .await;
        assert_eq!(res.status, 202, "{}", res.text);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let mail = loop {
            let arrived = self.sink.messages_to(&mailbox);
            if let Some(m) = arrived
                .iter()
                .skip(before)
                .find(|m| m.subject.contains("verification code"))
            {
                break m.clone();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no new verification code for {email}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let code = verification_code(&mail);
        let res = self
            .post("/auth/verify", None, &json!({"email": email, "code": code}))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        (
            res.body["token"].as_str().unwrap().to_string(),
            res.body["user"]["id"].as_str().unwrap().to_string(),
        )
    }

    /// Creates a coordinator the way `kindred admin create-coordinator` does and logs in.
    pub async fn coordinator(&self, email: &str) -> String {
        let pool = self.pool.clone();
        let email_owned = email.to_string();
        tokio::task::spawn_blocking(move || {
            let hash =
                kindred_service::credentials::hash_password("coordinator passphrase").unwrap();
            let mut conn = pool.get().unwrap();
            kindred_db::users::create_verified(
                &mut conn,
                &email_owned,
                "Coordinator",
                &hash,
                kindred_core::Role::Coordinator,
            )
            .unwrap();
        })
        .await
        .unwrap();
        let res = self
            .post(
                "/auth/login",
                None,
                &json!({"email": email, "password": "coordinator passphrase"}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.body["token"].as_str().unwrap().to_string()
    }

    /// Runs blocking database work against the app's database.
    pub async fn with_db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut kindred_db::DbConnection) -> T + Send + 'static,
    ) -> T {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || f(&mut pool.get().unwrap()))
            .await
            .unwrap()
    }
}

/// The code from a verification email's plain-text part.
pub fn verification_code(mail: &ReceivedEmail) -> String {
    let text = mail.text_body.as_deref().expect("plain-text part");
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Verification code: "))
        .expect("the line `Verification code: <code>`")
        .trim()
        .to_string()
}

/// A valid profile body for `kind`.
pub fn profile_body(kind: &str) -> Value {
    let mut body = json!({
        "bio": "I came out at work ten years ago and would like to help.",
        "tags": ["bisexual", "coming-out-at-work"],
        "private_tags": ["domestic-abuse-survivor"],
        "languages": ["en", "es"],
        "timezone": "Europe/Madrid",
        "availability": [{"day": "mon", "start": "18:00", "end": "20:30"}],
        "meeting_modes": ["online", "in_person"],
        "region": "Madrid",
        "consents": {"sensitive_tags": true}
    });
    if kind == "mentor" {
        body["capacity"] = json!(3);
        body["accepting"] = json!(true);
    } else {
        body["goals"] = json!("Find confidence to come out to my team.");
    }
    body
}

/// A signed-up person with a profile.
#[derive(Debug, Clone)]
pub struct Person {
    pub token: String,
    pub id: String,
    pub email: String,
}

impl TestApp {
    /// A mentor with a profile of `capacity`.
    pub async fn mentor(&self, email: &str, capacity: u8) -> Person {
        let (token, id) = self.signup(email, "mentor").await;
        let mut body = profile_body("mentor");
        body["capacity"] = json!(capacity);
        let res = self.put("/me/mentor-profile", Some(&token), &body).await;
        assert_eq!(res.status, 201, "{}", res.text);
        Person {
            token,
            id,
            email: email.to_string(),
        }
    }

    /// A mentee with a profile and an open request. Returns the person and the request id.
    pub async fn mentee_with_request(&self, email: &str) -> (Person, String) {
        let (token, id) = self.signup(email, "mentee").await;
        let res = self
            .put("/me/mentee-profile", Some(&token), &profile_body("mentee"))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let res = self
            .post(
                "/requests",
                Some(&token),
                &json!({"note": "Looking for someone who came out at work."}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let request_id = res.body["id"].as_str().unwrap().to_string();
        (
            Person {
                token,
                id,
                email: email.to_string(),
            },
            request_id,
        )
    }

    /// Approves match `m` as the coordinator and accepts it as the mentor,
    /// asserting both succeed: the match is then active.
    pub async fn activate(&self, coordinator: &str, mentor_token: &str, m: &str) {
        let res = self
            .post(
                &format!("/matches/{m}/approve"),
                Some(coordinator),
                &json!({}),
            )
            .await;
        assert_eq!(res.status, 200, "approve: {}", res.text);
        let res = self
            .post(
                &format!("/matches/{m}/accept"),
                Some(mentor_token),
                &json!({}),
            )
            .await;
        assert_eq!(res.status, 200, "accept: {}", res.text);
        assert_eq!(res.body["state"], "active");
    }

    /// A coordinator's manual pairing; returns the match id.
    pub async fn propose(&self, coordinator: &str, mentor_id: &str, request_id: &str) -> String {
        let res = self
            .post(
                "/matches",
                Some(coordinator),
                &json!({"mentor_id": mentor_id, "request_id": request_id}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.body["id"].as_str().unwrap().to_string()
    }
}

impl TestApp {
    /// Waits until every queued email is delivered (or dead).
    pub async fn wait_outbox_idle(&self) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let backlog = self
                .with_db(|conn| kindred_db::outbox::backlog(conn).unwrap())
                .await;
            if backlog == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "outbox still has {backlog} email(s)"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

#[derive(diesel::QueryableByName)]
struct TableColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

#[derive(diesel::QueryableByName)]
struct Hits {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Every `table.column` (text-like columns of every table) that contains one
/// of `needles`, ignoring the person's own id (ids are not personal data).
pub fn search_all_text(
    conn: &mut kindred_db::DbConnection,
    needles: &[&str],
    _user_id: &str,
) -> Vec<String> {
    use diesel::RunQueryDsl;
    let columns: Vec<TableColumn> = match conn {
        kindred_db::DbConnection::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND upper(p.type) = 'TEXT'",
        )
        .load(c)
        .unwrap(),
        kindred_db::DbConnection::Postgresql(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'text'",
        )
        .load(c)
        .unwrap(),
    };
    let mut found = Vec::new();
    for col in columns {
        for needle in needles {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM {} WHERE {} LIKE '%{}%'",
                col.table_name,
                col.column_name,
                needle.replace('\'', "''")
            );
            let hits: Vec<Hits> = match conn {
                kindred_db::DbConnection::Sqlite(c) => diesel::sql_query(sql).load(c).unwrap(),
                kindred_db::DbConnection::Postgresql(c) => diesel::sql_query(sql).load(c).unwrap(),
            };
            if hits.first().is_some_and(|h| h.n > 0) {
                found.push(format!(
                    "{}.{} contains {needle:?}",
                    col.table_name, col.column_name
                ));
            }
        }
    }
    found
}
