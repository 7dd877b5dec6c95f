//! Throw-away PostgreSQL databases and SQLite URLs.
#![allow(clippy::unwrap_used)] // test helpers

use std::process::Command;
use std::time::{Duration, Instant};

use kindred_testkit::{postgres_url_for_test, sqlite_url_for_test, TEST_DATABASE_URL_ENV};

fn psql() -> String {
    let out = Command::new("pg_config").arg("--bindir").output();
    if let Ok(out) = out {
        let p = std::path::Path::new(String::from_utf8_lossy(&out.stdout).trim()).join("psql");
        if p.is_file() {
            return p.display().to_string();
        }
    }
    "psql".into()
}

fn query(url: &str, sql: &str) -> String {
    let out = Command::new(psql())
        .args([url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql {sql:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn using_local_cluster() -> bool {
    std::env::var(TEST_DATABASE_URL_ENV).map_or(true, |v| v.trim().is_empty())
}

#[test]
fn two_calls_give_two_distinct_connectable_empty_databases() {
    let a = postgres_url_for_test();
    let b = postgres_url_for_test();
    assert_ne!(a, b);
    for url in [&a, &b] {
        assert_eq!(query(url, "SELECT 1"), "1");
        assert_eq!(
            query(
                url,
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ),
            "0"
        );
    }
    query(&a, "CREATE TABLE only_in_a (id int)");
    assert_eq!(
        query(
            &b,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"
        ),
        "0"
    );
    assert_eq!(query(&a, "SHOW server_encoding"), "UTF8");
    if using_local_cluster() {
        assert!(a.starts_with("postgres://postgres@127.0.0.1:"), "{a}");
        assert!(!a.contains(":5432/"), "must not use the system server: {a}");
        assert_eq!(query(&a, "SHOW fsync"), "off");
        assert_eq!(query(&a, "SHOW max_connections"), "300");
    }
}

#[test]
fn concurrent_calls_are_safe() {
    let urls: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6).map(|_| s.spawn(postgres_url_for_test)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), urls.len());
    for url in &urls {
        assert_eq!(
            query(url, "SELECT current_database() LIKE 'kindred_test_%'"),
            "t"
        );
    }
}

/// Helper run as a child process by `cluster_is_stopped_when_the_process_exits`.
#[test]
#[ignore = "run as a child process by another test"]
fn child_prints_a_url() {
    if std::env::var("KINDRED_TESTKIT_CHILD").is_ok() {
        println!("CHILD_URL={}", postgres_url_for_test());
    }
}

#[test]
fn cluster_is_stopped_when_the_process_exits() {
    if !using_local_cluster() {
        return;
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_prints_a_url", "--ignored", "--nocapture"])
        .env("KINDRED_TESTKIT_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = stdout
        .lines()
        .find_map(|l| l.strip_prefix("CHILD_URL="))
        .unwrap_or_else(|| panic!("no URL in child output: {stdout}"))
        .to_string();
    let port: u16 = url
        .rsplit_once(':')
        .unwrap()
        .1
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the child's cluster on port {port} is still running"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sqlite_urls_are_fresh() {
    let (dir_a, a) = sqlite_url_for_test();
    let (_dir_b, b) = sqlite_url_for_test();
    assert_ne!(a, b);
    assert!(a.starts_with("sqlite:///"), "{a}");
    assert!(a.ends_with("/kindred.db"));
    assert_eq!(
        a,
        format!("sqlite://{}", dir_a.path().join("kindred.db").display())
    );
    assert!(dir_a.path().is_dir());
    assert!(!dir_a.path().join("kindred.db").exists());
}
