//! The binary's operator commands, run as a real process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

fn kindred(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kindred"));
    cmd.current_dir(dir)
        .env(
            "KINDRED_CONFIG_DIR",
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config"),
        )
        .env_remove("KINDRED_ENV")
        .env("KINDRED__LOG__LEVEL", "warn");
    cmd
}

#[test]
fn migrate_and_create_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let out = kindred(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("sqlite://data/kindred.db"), "{stdout}");
    assert!(
        dir.path().join("data/kindred.db").exists(),
        "the default SQLite file is created"
    );

    let out = kindred(dir.path())
        .args([
            "admin",
            "create-coordinator",
            "--email",
            "Coord@Example.org",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Created coordinator coord@example.org"),
        "{stdout}"
    );
    let password = stdout
        .lines()
        .find_map(|l| l.split("): ").nth(1))
        .unwrap()
        .trim();
    assert!(password.len() >= 20, "a long one-time password: {password}");

    let out = kindred(dir.path())
        .args(["admin", "create-coordinator", "--email", "not-an-email"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--email"));
}

#[test]
fn configuration_errors_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = kindred(dir.path())
        .arg("migrate")
        .env("KINDRED__SERVER__PROT", "1")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("server.prot"), "{stderr}");
    let out = kindred(dir.path())
        .arg("migrate")
        .env("KINDRED__MAIL__TRANSPORT", "smpt")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mail.transport"));
    let out = kindred(dir.path())
        .arg("migrate")
        .env(
            "KINDRED__DATABASE__URL",
            "postgres://kindred:hunter2@127.0.0.1:1/nowhere",
        )
        .env("KINDRED__DATABASE__CONNECTION_TIMEOUT", "1s")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("hunter2"), "secrets never printed: {all}");
}

/// `[matching.weights]` is checked against the engine's own type before
/// anything starts: a misspelt key is a start-up error that names it, not a
/// 500 on the first matching run.
#[test]
fn bad_matching_weight_fails_at_start_up_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    let repo_config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config");
    std::fs::copy(
        repo_config.join("default.toml"),
        config.join("default.toml"),
    )
    .unwrap();
    std::fs::write(
        config.join("badweights.toml"),
        "[matching.weights]\nshard_tags = 3.0\n",
    )
    .unwrap();
    for command in ["migrate", "serve"] {
        let out = kindred(dir.path())
            .env("KINDRED_CONFIG_DIR", &config)
            .env("KINDRED_ENV", "badweights")
            .env("KINDRED__SERVER__PORT", "0")
            .arg(command)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command} must refuse to start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("matching.weights.shard_tags"),
            "{command}: {stderr}"
        );
    }
}

/// `kindred bench matching` (feature `bench`, enabled for the tests by the
/// crate's dev-dependency on itself) on a small population.
#[test]
fn bench_matching_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = kindred(dir.path())
        .args([
            "bench",
            "matching",
            "--mentees",
            "300",
            "--mentors",
            "60",
            "--suggest-samples",
            "20",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("300 mentees x 60 mentors"), "{stdout}");
    assert!(stdout.contains("held: true"), "{stdout}");
}

/// `kindred bench mail` (feature `bench`) delivers a few reminders to its
/// local SMTP sink through the outbox, none lost or duplicated.
#[test]
fn bench_mail_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = kindred(dir.path())
        .args(["bench", "mail", "--emails", "20", "--connections", "2"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("received           20"), "{stdout}");
    assert!(stdout.contains("duplicated         0"), "{stdout}");
}
