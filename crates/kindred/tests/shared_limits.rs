//! Two `kindred serve` processes on one PostgreSQL database, as two API
//! instances behind a load balancer: they share nothing but the database,
//! and together grant each rate limit's burst once, not once each.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use kindred_testkit::{Backend, TestDb};

const LOGIN_BURST: usize = 3;
const REPORT_BURST: usize = 4;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A running `kindred serve`; killed on drop.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kindred"))
        .arg("serve")
        .env("KINDRED_CONFIG_DIR", root().join("config"))
        .env("KINDRED_ENV", "test")
        .env("KINDRED__DATABASE__URL", url)
        .env("KINDRED__SERVER__PORT", "0")
        .env("KINDRED__SERVER__WORKERS", "1")
        .env("KINDRED__RATE_LIMIT__PER_IP_PER_MINUTE", "1000")
        .env("KINDRED__RATE_LIMIT__PER_IP_BURST", "1000")
        .env("KINDRED__RATE_LIMIT__PER_ACCOUNT_PER_HOUR", "1")
        .env(
            "KINDRED__RATE_LIMIT__PER_ACCOUNT_BURST",
            LOGIN_BURST.to_string(),
        )
        .env("KINDRED__RATE_LIMIT__PER_ACCOUNT_CEILING_PER_HOUR", "100")
        .env("KINDRED__RATE_LIMIT__PER_USER_PER_MINUTE", "1")
        .env(
            "KINDRED__RATE_LIMIT__PER_USER_BURST",
            REPORT_BURST.to_string(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start kindred serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("kindred serve exited before listening")
            .unwrap();
        if let Some(addr) = line.strip_prefix("Kindred is listening on http://") {
            break addr.trim().to_string();
        }
    };
    // Keep reading so the pipe never fills.
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr }
}

struct Response {
    status: u16,
    retry_after: Option<u64>,
    body: serde_json::Value,
}

/// One HTTP/1.1 POST with `Connection: close` (the server's answers carry
/// a Content-Length).
fn post(server: &Server, path: &str, token: Option<&str>, body: &serde_json::Value) -> Response {
    let body = body.to_string();
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "POST /api/v1{path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{auth}Connection: close\r\n\r\n{body}",
        server.addr,
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let retry_after = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("retry-after")
            .then(|| value.trim().parse().unwrap())
    });
    Response {
        status,
        retry_after,
        body: serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    }
}

/// (allowed, refused); every refusal is a 429 with Retry-After ≥ 1.
fn tally(results: &[Response], allowed: u16) -> (usize, usize) {
    let refused: Vec<&Response> = results.iter().filter(|r| r.status != allowed).collect();
    for r in &refused {
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(
            r.retry_after.is_some_and(|s| s >= 1),
            "429 carries Retry-After"
        );
    }
    (results.len() - refused.len(), refused.len())
}

fn user(db: &TestDb, email: &str, role: kindred_core::Role) -> String {
    let hash = kindred_service::credentials::hash_password("a long passphrase").unwrap();
    let mut conn = db.conn();
    kindred_db::users::create_verified(&mut conn, email, "Test Person", &hash, role)
        .unwrap()
        .id
}

#[test]
fn two_serve_processes_on_one_postgres_share_the_limits() {
    // Migrated before either process starts, so they do not race to migrate.
    let db = TestDb::new(Backend::Postgres);
    user(&db, "owner@example.org", kindred_core::Role::Mentee);
    let reported = user(&db, "reported@example.org", kindred_core::Role::Mentor);
    let servers = [serve(db.url()), serve(db.url())];

    // Wrong logins for one account, alternating between the processes.
    let wrong = serde_json::json!({"email": "owner@example.org", "password": "a wrong guess"});
    let results: Vec<Response> = (0..2 * LOGIN_BURST + 2)
        .map(|i| post(&servers[i % 2], "/auth/login", None, &wrong))
        .collect();
    assert_eq!(tally(&results, 401), (LOGIN_BURST, LOGIN_BURST + 2));
    assert!(results[..LOGIN_BURST].iter().all(|r| r.status == 401));

    // Per-user reports, alternating too.
    user(&db, "reporter@example.org", kindred_core::Role::Mentee);
    let login =
        serde_json::json!({"email": "reporter@example.org", "password": "a long passphrase"});
    let session = post(&servers[1], "/auth/login", None, &login);
    assert_eq!(session.status, 200, "{}", session.body);
    let token = session.body["token"].as_str().unwrap().to_string();
    let report = serde_json::json!({"about_user_id": reported, "reason": "Said something unkind."});
    let results: Vec<Response> = (0..2 * REPORT_BURST + 2)
        .map(|i| post(&servers[i % 2], "/reports", Some(&token), &report))
        .collect();
    assert_eq!(tally(&results, 201), (REPORT_BURST, REPORT_BURST + 2));
    println!(
        "two processes: {LOGIN_BURST} wrong logins and {REPORT_BURST} reports allowed together, then 429"
    );
}
