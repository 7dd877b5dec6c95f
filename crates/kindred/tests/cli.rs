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

/// `kindred import participants`: a dry run writes nothing, the real run
/// imports the good rows and lists the bad ones by row number (exit 2), a
/// second run changes nothing (exit 0 once the bad row is fixed), and a
/// file that cannot be imported is rejected (exit 1). Without a terminal,
/// progress is plain lines on stderr.
#[test]
fn import_participants_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let header =
        "email,display_name,role,languages,timezone,tags,meeting_modes,availability,capacity,goals";
    let good = [
        "ana@example.org,Ana,mentee,es; en,Europe/Madrid,job-search,online,mon 18:00-20:30,,Confidence at work",
        "bea@example.org,Bea,mentor,en,Europe/London,job-search; housing,online; phone,tue 09:00-10:00,2,",
    ];
    let bad = "cy@example.org,Cy,mentee,en,Mars/Base,job-search,online,,,";
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        format!("{header}\n{}\n{}\n{bad}\n", good[0], good[1]),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = kindred(dir.path())
            .args(["import", "participants"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let path = file.to_str().unwrap();

    let (code, stdout, stderr) = run(&[path, "--dry-run"]);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stdout.contains("(dry run"), "{stdout}");
    assert!(stdout.contains("3 rows, 2 created, 0 updated"), "{stdout}");
    assert!(
        stdout.contains("row 4: timezone: must be an IANA time zone name"),
        "{stdout}"
    );
    assert!(stderr.contains("progress: 3/3 rows"), "{stderr}");

    let (code, stdout, _) = run(&[path]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(
        stdout.contains("3 rows, 2 created, 0 updated"),
        "dry run wrote nothing: {stdout}"
    );
    assert!(stdout.contains("Invitation emails are queued"), "{stdout}");

    std::fs::write(&file, format!("{header}\n{}\n{}\n", good[0], good[1])).unwrap();
    let (code, stdout, stderr) = run(&[path]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("2 rows, 0 created, 0 updated, 2 unchanged, 0 failed"),
        "{stdout}"
    );

    let rejected = dir.path().join("rejected.csv");
    std::fs::write(&rejected, "email,colour\nana@example.org,red\n").unwrap();
    let (code, stdout, stderr) = run(&[rejected.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("the file was rejected"), "{stderr}");
    assert!(
        stderr.contains("header: unknown column(s) \"colour\""),
        "{stderr}"
    );
}

/// `kindred bench import` (feature `bench`) imports a small synthetic file
/// twice: everything created, then nothing changed.
#[test]
fn bench_import_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = kindred(dir.path())
        .args(["bench", "import", "--rows", "50", "--twice"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("run 1:") && stdout.contains("created 50  updated 0  failed 0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("created 0  updated 0  failed 0"),
        "{stdout}"
    );
}
