//! Loading, layering, error messages and redaction.

use std::path::{Path, PathBuf};

use super::*;

fn repo_config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config")
}

fn env(pairs: &[(&str, &str)]) -> impl Iterator<Item = (String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect::<Vec<_>>()
        .into_iter()
}

/// A config dir holding the real default.toml plus extra files.
fn temp_config(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_config_dir().join("default.toml"),
        dir.path().join("default.toml"),
    )
    .unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn err_of(toml: &str) -> String {
    Settings::from_toml_str(toml).unwrap_err().to_string()
}

// --- defaults ---------------------------------------------------------------

#[test]
fn default_toml_parses_validates_and_equals_builtin_defaults() {
    let loaded = Settings::load_from_env_map(&repo_config_dir(), env(&[])).unwrap();
    assert_eq!(loaded, Settings::default());
    Settings::default().validate().unwrap();
    assert_eq!(Settings::from_toml_str("").unwrap(), Settings::default());

    let s = loaded;
    assert_eq!(s.server.host, "127.0.0.1");
    assert_eq!(s.server.port, 8080);
    assert_eq!(s.server.body_limit.as_u64(), 65_536);
    assert_eq!(s.server.public_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(
        s.database.url,
        DatabaseUrl::Sqlite(PathBuf::from("data/kindred.db"))
    );
    assert_eq!(s.mail.transport, MailTransport::File);
    assert!(s.mail.footer.contains("findahelpline.com"));
    assert!(s.mail.footer.contains("116 123"));
    assert_eq!(s.mail.footer_for("en"), s.mail.footer);
    assert_eq!(
        s.mail.footer_for("fr"),
        s.mail.footer,
        "no entry: mail.footer"
    );
    let es = s.mail.footer_for("es");
    assert!(es.contains("apoyo entre pares no") && es.contains("sustituye la ayuda profesional"));
    for resource in [
        "112",
        "911",
        "999",
        "988",
        "116 123",
        "thetrevorproject.org",
        "findahelpline.com",
        "024",
    ] {
        assert!(es.contains(resource), "the Spanish footer has {resource}");
    }
    assert_eq!(s.auth.token_ttl, Duration::from_days(30));
    assert_eq!(s.schedule.send_window.to_string(), "09:00-20:00");
    assert!(s.matching.weights.is_empty());
    assert_eq!(s.jobs.retention, Duration::from_days(14));
    assert_eq!(s.log.format, LogFormat::Text);
}

/// Every key has a line in default.toml (commented out for optional keys) and
/// a row in docs/configuration.md.
#[test]
fn every_key_is_in_default_toml_and_documented() {
    let default_toml = std::fs::read_to_string(repo_config_dir().join("default.toml")).unwrap();
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/configuration.md"),
    )
    .unwrap();
    let keys = Settings::known_keys();
    assert!(keys.len() > 50, "{keys:?}");
    let mut section = "";
    let mut present: Vec<String> = Vec::new();
    for line in default_toml.lines() {
        let line = line.trim_start_matches("# ").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name;
        } else if let Some((k, _)) = line.split_once(" = ") {
            if !k.contains(' ') {
                present.push(format!("{section}.{k}"));
            }
        }
    }
    for key in &keys {
        if key == "matching.weights" {
            assert!(default_toml.contains("# [matching.weights]"));
        } else if key == "mail.footers" {
            assert!(default_toml.contains("\n[mail.footers]\nes = "));
        } else {
            assert!(present.contains(key), "{key} missing from default.toml");
        }
        assert!(
            docs.contains(&format!("| `{key}` |")),
            "{key} has no row in docs/configuration.md"
        );
    }
}

#[test]
fn test_toml_layers_over_default() {
    let s =
        Settings::load_from_env_map(&repo_config_dir(), env(&[("KINDRED_ENV", "test")])).unwrap();
    assert_eq!(s.mail.transport, MailTransport::Memory);
    assert_eq!(s.auth.verification_ttl.to_string(), "10m");
    assert_eq!(s.mail.poll_interval.to_string(), "100ms");
    assert_eq!(s.matching.response_timeout.to_string(), "20s");
    assert_eq!(s.schedule.checkin_interval.to_string(), "30s");
    assert_eq!(s.schedule.tick.to_string(), "200ms");
    assert_eq!(s.jobs.poll_interval.to_string(), "100ms");
    assert_eq!(s.jobs.retry_base.to_string(), "200ms");
    assert_eq!(s.jobs.retry_max.to_string(), "2s");
    assert_eq!(s.log.level, "warn");
    // Untouched keys keep their defaults.
    assert_eq!(s.server.port, 8080);
    assert_eq!(s.auth.token_ttl.to_string(), "30d");
}

// --- layering -----------------------------------------------------------------

#[test]
fn env_file_layers_over_default_and_env_vars_win() {
    let dir = temp_config(&[(
        "staging.toml",
        "[server]\nport = 9000\nhost = \"0.0.0.0\"\n[mail]\ntransport = \"memory\"\n",
    )]);
    let s = Settings::load_from_env_map(dir.path(), env(&[("KINDRED_ENV", "staging")])).unwrap();
    assert_eq!(s.server.port, 9000);
    assert_eq!(s.server.host, "0.0.0.0");
    assert_eq!(s.mail.transport, MailTransport::Memory);

    let s = Settings::load_from_env_map(
        dir.path(),
        env(&[
            ("KINDRED_ENV", "staging"),
            ("KINDRED__SERVER__PORT", "9100"),
            ("KINDRED__SERVER__TRUST_FORWARDED_FOR", "true"),
            ("KINDRED__SERVER__TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
            ("kindred__mail__transport", "file"),
            ("KINDRED__Auth__Token_TTL", "\"12h\""),
            ("KINDRED__LOG__LEVEL", "debug,hyper=warn"),
            ("KINDRED__MATCHING__WEIGHTS__SHARED_TAGS", "3.5"),
            ("KINDRED_TEST_DATABASE_URL", "ignored"),
            ("UNRELATED", "ignored"),
        ]),
    )
    .unwrap();
    assert_eq!(s.server.port, 9100);
    assert_eq!(
        s.server.host, "0.0.0.0",
        "file value kept where env is silent"
    );
    assert!(s.server.trust_forwarded_for);
    assert_eq!(
        s.server
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["10.0.0.0/8", "127.0.0.1/32"]
    );
    assert_eq!(s.mail.transport, MailTransport::File);
    assert_eq!(s.auth.token_ttl, Duration::from_hours(12));
    assert_eq!(s.log.level, "debug,hyper=warn");
    assert_eq!(
        s.matching.weights.get("shared_tags"),
        Some(&toml::Value::Float(3.5))
    );
}

#[test]
fn env_values_fall_back_to_strings_for_string_keys() {
    let s = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[
            ("KINDRED__LOG__LEVEL", "5"),
            ("KINDRED__SERVER__HOST", "0.0.0.0"),
            ("KINDRED__SERVER__BODY_LIMIT", "1048576"),
            ("KINDRED__MAIL__FROM", "\"Team <team@example.org>\""),
        ]),
    )
    .unwrap();
    assert_eq!(s.log.level, "5");
    assert_eq!(s.server.host, "0.0.0.0");
    assert_eq!(s.server.body_limit, ByteSize::mib(1));
    assert_eq!(s.mail.from, "Team <team@example.org>");
}

#[test]
fn missing_env_file_is_an_error() {
    let e = Settings::load_from_env_map(&repo_config_dir(), env(&[("KINDRED_ENV", "nope")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("KINDRED_ENV=\"nope\""), "{e}");
    assert!(e.contains("nope.toml does not exist"), "{e}");

    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED_ENV", "../config/test")]),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("may only contain"), "{e}");

    // Empty means unset.
    Settings::load_from_env_map(&repo_config_dir(), env(&[("KINDRED_ENV", "")])).unwrap();
}

#[test]
fn missing_default_toml_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Settings::load_from_env_map(dir.path(), env(&[])).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }), "{e:?}");
    assert!(e.to_string().contains("default.toml"), "{e}");
}

#[test]
fn toml_syntax_errors_name_the_file() {
    let dir = temp_config(&[("broken.toml", "[server\nport = 1\n")]);
    let e = Settings::load_from_env_map(dir.path(), env(&[("KINDRED_ENV", "broken")]))
        .unwrap_err()
        .to_string();
    assert!(e.contains("broken.toml: invalid TOML"), "{e}");
}

// --- unknown keys -------------------------------------------------------------

#[test]
fn unknown_key_in_file_names_key_file_and_choices() {
    let dir = temp_config(&[("test.toml", "[server]\nprot = 8081\n")]);
    let e = Settings::load_from_env_map(dir.path(), env(&[("KINDRED_ENV", "test")])).unwrap_err();
    assert_eq!(e.key(), Some("server.prot"));
    let msg = e.to_string();
    assert!(
        msg.starts_with("unknown key \"server.prot\" (from "),
        "{msg}"
    );
    assert!(
        msg.contains("test.toml); expected one of host, port, body_limit"),
        "{msg}"
    );

    let e = err_of("[database]\nurl = \"sqlite://x.db\"\npoolsize = 3\n");
    assert!(e.contains("unknown key \"database.poolsize\""), "{e}");
    assert!(e.contains("pool_size"), "{e}");
}

#[test]
fn unknown_key_in_env_names_the_variable() {
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__SERVER__PROT", "8081")]),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "unknown key \"server.prot\" (from KINDRED__SERVER__PROT); expected one of host, port, \
         body_limit, workers, public_url, trust_forwarded_for, trusted_proxies"
    );
}

#[test]
fn unknown_section_in_env_or_file_is_an_error() {
    let e =
        Settings::load_from_env_map(&repo_config_dir(), env(&[("KINDRED__SERVR__PORT", "8081")]))
            .unwrap_err()
            .to_string();
    assert!(
        e.starts_with("unknown key \"servr\" (from KINDRED__SERVR__PORT); expected one of server, database, mail"),
        "{e}"
    );
    let e = err_of("[smtp]\nhost = \"x\"\n");
    assert!(e.starts_with("unknown key \"smtp\""), "{e}");
    let e = err_of("port = 1\n");
    assert!(e.starts_with("unknown key \"port\""), "{e}");
}

#[test]
fn malformed_env_names_are_errors() {
    for var in ["KINDRED__SERVER", "KINDRED__SERVER____PORT", "KINDRED__"] {
        let e = Settings::load_from_env_map(&repo_config_dir(), env(&[(var, "1")])).unwrap_err();
        assert!(matches!(e, ConfigError::EnvVar { .. }), "{var}: {e:?}");
        assert!(e.to_string().contains(var), "{e}");
    }
    // A key below a plain value.
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__SERVER__PORT__X", "1")]),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("server.port is a integer, not a section"), "{e}");
    // Two spellings of one key.
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[
            ("KINDRED__SERVER__PORT", "1"),
            ("kindred__server__port", "2"),
        ]),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("also sets"), "{e}");
}

#[test]
fn matching_weights_accepts_any_keys() {
    let s = Settings::from_toml_str(
        "[matching.weights]\nshared_tags = 3.0\nlanguage = 1\n[matching.weights.nested]\nx = true\n",
    )
    .unwrap();
    assert_eq!(s.matching.weights.len(), 3);

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(default, deny_unknown_fields)]
    struct Weights {
        shared_tags: f64,
        language: f64,
    }
    impl Default for Weights {
        fn default() -> Self {
            Weights {
                shared_tags: 1.0,
                language: 0.5,
            }
        }
    }
    let s = Settings::from_toml_str("[matching.weights]\nshared_tags = 3.0\n").unwrap();
    assert_eq!(
        s.matching.weights_as::<Weights>().unwrap(),
        Weights {
            shared_tags: 3.0,
            language: 0.5
        }
    );
    let s = Settings::from_toml_str("[matching.weights]\nshard_tags = 3.0\n").unwrap();
    let e = s.matching.weights_as::<Weights>().unwrap_err().to_string();
    assert!(
        e.starts_with(
            "unknown key \"matching.weights.shard_tags\"; expected one of shared_tags, language"
        ),
        "{e}"
    );
    let s = Settings::from_toml_str("[matching.weights]\nlanguage = \"x\"\n").unwrap();
    let e = s.matching.weights_as::<Weights>().unwrap_err().to_string();
    assert!(
        e.starts_with("matching.weights.language: invalid type"),
        "{e}"
    );
}

// --- bad values -----------------------------------------------------------------

#[test]
fn bad_transport_names_key_and_choices() {
    let e = err_of("[mail]\ntransport = \"smpt\"\n");
    assert_eq!(
        e,
        "mail.transport: expected one of smtp, file, memory, got \"smpt\" (from <string>)"
    );
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__MAIL__TRANSPORT", "smpt")]),
    )
    .unwrap_err();
    assert_eq!(e.key(), Some("mail.transport"));
    assert!(
        e.to_string().ends_with("(from KINDRED__MAIL__TRANSPORT)"),
        "{e}"
    );
}

#[test]
fn bad_durations_name_the_key() {
    let e = err_of("[auth]\ntoken_ttl = \"30 days\"\n");
    assert!(e.starts_with("auth.token_ttl: expected a duration"), "{e}");
    let e = err_of("[auth]\ntoken_ttl = 30\n");
    assert!(e.starts_with("auth.token_ttl: expected a duration"), "{e}");
    assert!(e.contains("bare number"), "{e}");
    let e = err_of("[jobs]\nlease = \"-5m\"\n");
    assert!(
        e.starts_with("jobs.lease:") && e.contains("negative"),
        "{e}"
    );
    let e = err_of("[schedule]\ntick = \"5y\"\n");
    assert!(
        e.starts_with("schedule.tick:") && e.contains("unknown unit \"y\""),
        "{e}"
    );
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__SCHEDULE__TICK", "30")]),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("schedule.tick: expected a duration"), "{e}");
    assert!(e.ends_with("(from KINDRED__SCHEDULE__TICK)"), "{e}");
}

#[test]
fn other_bad_values_name_the_key() {
    let cases = [
        (
            "[server]\nport = 70000",
            "server.port: expected a port number 0-65535",
        ),
        ("[server]\nport = -1", "server.port: expected a port number"),
        (
            "[server]\nport = \"80\"",
            "server.port: expected a port number 0-65535 (0 = any free port), got \"80\"",
        ),
        (
            "[server]\nbody_limit = \"64KB\"",
            "server.body_limit: expected a size",
        ),
        (
            "[server]\npublic_url = \"kindred.example\"",
            "server.public_url: expected an absolute URL",
        ),
        (
            "[server]\npublic_url = \"ftp://x.example\"",
            "server.public_url: expected an http",
        ),
        ("[server]\nhost = \"\"", "server.host: must not be empty"),
        ("[server]\nworkers = -2", "server.workers: invalid value"),
        (
            "[log]\nformat = \"yaml\"",
            "log.format: expected one of text, json, got \"yaml\"",
        ),
        (
            "[schedule]\nsend_window = \"9-5\"",
            "schedule.send_window: expected HH:MM-HH:MM",
        ),
        (
            "[database]\npool_size = 0",
            "database.pool_size: must be at least 1, got 0",
        ),
        (
            "[mail]\nsmtp_pool_size = 0",
            "mail.smtp_pool_size: must be at least 1",
        ),
        (
            "[mail]\nfrom = \"nobody\"",
            "mail.from: expected an address",
        ),
        (
            "[mail]\nretry_base = \"1h\"\nretry_max = \"1m\"",
            "mail.retry_max: must be at least mail.retry_base (1h)",
        ),
        (
            "[jobs]\nconcurrency = 0",
            "jobs.concurrency: must be at least 1",
        ),
        (
            "[jobs]\npoll_interval = \"0s\"",
            "jobs.poll_interval: must be longer than zero",
        ),
        (
            "[jobs]\nretention = \"0s\"",
            "jobs.retention: must be longer than zero",
        ),
        (
            "[rate_limit]\nper_ip_burst = 0",
            "rate_limit.per_ip_burst: must be at least 1",
        ),
        (
            "[rate_limit]\nper_account_burst = 5\nper_account_ceiling_per_hour = 4",
            "rate_limit.per_account_ceiling_per_hour: must be at least rate_limit.per_account_burst (5), got 4",
        ),
        (
            "[rate_limit]\nper_user_burst = 0",
            "rate_limit.per_user_burst: must be at least 1",
        ),
        (
            "[metrics]\nenabled = \"yes\"",
            "metrics.enabled: invalid type",
        ),
        (
            "server = 1",
            "server: expected a section [server], got a integer",
        ),
    ];
    for (toml, prefix) in cases {
        let e = err_of(toml);
        assert!(
            e.starts_with(prefix),
            "{toml:?}\n  got: {e}\n  want prefix: {prefix}"
        );
    }
}

#[test]
fn smtp_transport_requires_smtp_url() {
    let e = Settings::from_toml_str("[mail]\ntransport = \"smtp\"\n").unwrap_err();
    assert_eq!(e.key(), Some("mail.smtp_url"));
    assert!(
        e.to_string()
            .contains("required when mail.transport = \"smtp\""),
        "{e}"
    );

    let s = Settings::from_toml_str(
        "[mail]\ntransport = \"smtp\"\nsmtp_url = \"smtps://me:hunter2@mail.example.org\"\n",
    )
    .unwrap();
    assert_eq!(
        s.mail.smtp_url.as_ref().unwrap().expose_secret(),
        "smtps://me:hunter2@mail.example.org"
    );

    let e = err_of("[mail]\nsmtp_url = \"http://me:hunter2@mail.example.org\"\n");
    assert!(e.starts_with("mail.smtp_url: expected an smtp://"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
}

#[test]
fn bad_database_urls_are_rejected_naming_the_key() {
    for (url, needle) in [
        (
            "mysql://root:hunter2@db/kindred",
            "unsupported scheme \"mysql\"",
        ),
        ("data/hunter2.sqlite", "not a path ending in .db"),
        ("sqlite:hunter2.db", "two slashes"),
    ] {
        let e = Settings::load_from_env_map(
            &repo_config_dir(),
            env(&[("KINDRED__DATABASE__URL", url)]),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("database.url: expected sqlite://"), "{e}");
        assert!(e.contains(needle), "{e}");
        assert!(e.ends_with("(from KINDRED__DATABASE__URL)"), "{e}");
        assert!(!e.contains("hunter2"), "{e}");
    }
    let s =
        Settings::from_toml_str("[database]\nurl = \"sqlite:///var/lib/kindred.db\"\n").unwrap();
    assert_eq!(
        s.database.url,
        DatabaseUrl::Sqlite(PathBuf::from("/var/lib/kindred.db"))
    );
}

#[test]
fn validation_errors_name_their_origin() {
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__DATABASE__POOL_SIZE", "0")]),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "database.pool_size: must be at least 1, got 0 (from KINDRED__DATABASE__POOL_SIZE)"
    );
}

// --- secrets ------------------------------------------------------------------

#[test]
fn passwords_never_appear_in_debug_or_summary() {
    let s = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[
            (
                "KINDRED__DATABASE__URL",
                "postgres://kindred:hunter2@db.internal:5432/kindred",
            ),
            ("KINDRED__MAIL__TRANSPORT", "smtp"),
            (
                "KINDRED__MAIL__SMTP_URL",
                "smtps://mailer:sw0rdfish@smtp.example.org:465",
            ),
        ]),
    )
    .unwrap();
    let debug = format!("{s:?}");
    let pretty = format!("{s:#?}");
    let summary = s.redacted_summary();
    for text in [&debug, &pretty, &summary] {
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("sw0rdfish"), "{text}");
    }
    assert!(
        debug.contains("postgres://kindred:***@db.internal:5432/kindred"),
        "{debug}"
    );
    assert!(debug.contains("smtp_url: Some([redacted])"), "{debug}");
    assert!(
        summary.contains("database=postgres://kindred:***@db.internal:5432/kindred"),
        "{summary}"
    );
    assert!(
        summary.contains("mail=smtp(smtps://mailer:***@smtp.example.org:465)"),
        "{summary}"
    );
    assert!(!summary.contains('\n'));
    assert_eq!(
        s.database.url.redacted(),
        "postgres://kindred:***@db.internal:5432/kindred"
    );
    assert_eq!(
        s.database.url,
        DatabaseUrl::Postgres("postgres://kindred:hunter2@db.internal:5432/kindred".into())
    );
}

#[test]
fn summary_of_defaults() {
    let summary = Settings::default().redacted_summary();
    assert!(
        summary.starts_with("listen=127.0.0.1:8080 workers=auto"),
        "{summary}"
    );
    assert!(
        summary.contains("database=sqlite://data/kindred.db"),
        "{summary}"
    );
    assert!(summary.contains("mail=file(data/outbox)"), "{summary}");
    assert!(summary.contains("log=info/text metrics=on"), "{summary}");
}

#[test]
fn known_keys_cover_every_section() {
    let keys = Settings::known_keys();
    for k in [
        "server.public_url",
        "database.sqlite_busy_timeout",
        "mail.smtp_url",
        "mail.send_rate_per_second",
        "auth.verification_max_attempts",
        "rate_limit.per_account_burst",
        "rate_limit.per_account_ceiling_per_hour",
        "rate_limit.per_user_per_minute",
        "rate_limit.per_user_burst",
        "matching.weights",
        "schedule.stalled_after_missed",
        "jobs.concurrency",
        "jobs.retention",
        "log.format",
        "metrics.enabled",
        "metrics.token",
        "metrics.public",
        "server.trusted_proxies",
    ] {
        assert!(keys.iter().any(|x| x == k), "{k}");
    }
}

#[test]
fn validation_origin_is_only_given_for_the_key_itself() {
    // transport comes from the env, smtp_url is missing: no misleading "(from …)".
    let e = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[("KINDRED__MAIL__TRANSPORT", "smtp")]),
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("mail.smtp_url: is required"), "{e}");
    assert!(!e.contains("(from"), "{e}");
}

#[test]
fn trusted_proxies_are_ranges_checked_at_start_up() {
    let s = Settings::from_toml_str(
        "[server]\ntrust_forwarded_for = true\ntrusted_proxies = [\"10.0.0.0/8\", \"fd00::/8\", \"127.0.0.1\"]",
    )
    .unwrap();
    assert_eq!(s.server.trusted_proxies.len(), 3);
    assert!(s.server.trusted_proxies[2].contains("127.0.0.1".parse().unwrap()));

    let e = err_of("[server]\ntrusted_proxies = [\"10.0.0.0/33\"]");
    assert!(e.starts_with("server.trusted_proxies"), "{e}");
    assert!(e.contains("expected an address range"), "{e}");
    let e = err_of("[server]\ntrusted_proxies = [\"10.0.0.1/8\"]");
    assert!(
        e.starts_with("server.trusted_proxies") && e.contains("10.0.0.0/8"),
        "{e}"
    );
    let e = err_of("[server]\ntrusted_proxies = 5");
    assert!(e.starts_with("server.trusted_proxies"), "{e}");
    // Trusting the header from nobody in particular is trusting everybody.
    let e = err_of("[server]\ntrust_forwarded_for = true");
    assert!(e.starts_with("server.trusted_proxies: must list"), "{e}");
}

#[test]
fn metrics_are_private_by_default_and_tokens_are_checked() {
    let s = Settings::default();
    assert!(s.metrics.token.is_none() && !s.metrics.public);
    let s = Settings::from_toml_str("[metrics]\ntoken = \"0123456789abcdef0123\"").unwrap();
    assert_eq!(
        s.metrics.token.as_ref().map(|t| t.expose_secret().as_str()),
        Some("0123456789abcdef0123")
    );
    assert!(
        !format!("{s:?}").contains("0123456789abcdef0123"),
        "token never in Debug"
    );
    let e = err_of("[metrics]\ntoken = \"short\"");
    assert!(e.starts_with("metrics.token: must be at least 16"), "{e}");
    assert!(!e.contains("short\""), "{e}");
}

#[test]
fn footers_per_language_layer_and_are_checked() {
    let s = Settings::load_from_env_map(
        &repo_config_dir(),
        env(&[
            ("KINDRED__MAIL__FOOTERS__FR", "Appelez le 3114."),
            ("KINDRED__MAIL__FOOTER", "Call 988."),
        ]),
    )
    .unwrap();
    assert_eq!(s.mail.footer_for("fr"), "Appelez le 3114.");
    assert_eq!(s.mail.footer_for("en"), "Call 988.");
    assert!(
        s.mail.footer_for("es").contains("024"),
        "the default Spanish text stays"
    );
    let err = err_of("[mail.footers]\nES = \"x\"");
    assert!(err.contains("mail.footers.ES"), "{err}");
    let err = err_of("[mail.footers]\nes = 3");
    assert!(
        err.contains("mail.footers") && err.contains("string"),
        "{err}"
    );
}
