//! `kindred bench web`: how fast the web app's signed-in pages render on
//! SQLite under load. Loads the demo programme into a fresh SQLite file,
//! gives one mentor a realistic set of matches (active, awaiting their
//! answer, declined), starts the real server (API + web app, in this
//! process) and runs `wrk` against each page with that mentor's session
//! cookie. Prints wrk's latency distribution and a summary line per page.

use std::process::Command;

use anyhow::Context;
use kindred_core::{LoginInput, MatchAction};
use kindred_service::accounts;
use kindred_service::matches::actions::{self, ManualMatchInput};
use kindred_service::Caller;

#[derive(clap::Args)]
pub struct WebArgs {
    /// Pages to load, as paths.
    #[arg(long, value_delimiter = ',', default_value = "/matches,/profile")]
    pub pages: Vec<String>,
    /// wrk's open connections.
    #[arg(long, default_value_t = 32)]
    pub connections: u32,
    /// wrk's threads.
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    /// Seconds per page.
    #[arg(long, default_value_t = 20)]
    pub seconds: u32,
    /// Server worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub workers: usize,
    /// Demo programme size.
    #[arg(long, default_value_t = 200)]
    pub mentors: usize,
    #[arg(long, default_value_t = 500)]
    pub mentees: usize,
    /// Matches proposed to the measured mentor.
    #[arg(long, default_value_t = 8)]
    pub matches: usize,
}

/// One page's figures from wrk's `--latency` report.
#[derive(Debug, Default)]
struct Figures {
    requests_per_sec: String,
    p50: String,
    p90: String,
    p99: String,
    non_2xx: u64,
    errors: String,
}

pub fn web(config_dir: &std::path::Path, args: WebArgs) -> anyhow::Result<()> {
    let wrk = which("wrk")
        .context("`wrk` is not installed: `apt-get install wrk` (Debian), then run this again")?;
    let dir = tempfile::tempdir()?;
    let mut settings = kindred_config::Settings::load(config_dir)
        .map_err(|e| anyhow::anyhow!("configuration error: {e}"))?;
    settings.database.url = format!("sqlite://{}/bench-web.db", dir.path().display())
        .parse()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    settings.mail.transport = kindred_config::MailTransport::Memory;
    settings.server.host = "127.0.0.1".into();
    settings.server.port = 0;
    settings.server.workers = args.workers;
    settings.jobs.in_process = false;
    // Page reads are not rate-limited; sign-in is, and happens once.
    let (pool, _) = kindred_service::runtime::open_database(&settings)?;
    println!(
        "seeding the demo programme ({} mentors, {} mentees)…",
        args.mentors, args.mentees
    );
    kindred_service::demo::seed(&pool, args.mentors, args.mentees, 1)?;
    let token = give_matches(&pool, &settings, args.matches)?;
    drop(pool);

    let runtime = actix_web::rt::System::new();
    runtime.block_on(async move {
        let launched = kindred_api::launch::launch_with(settings, kindred_web::configure)
            .await
            .context("could not start Kindred")?;
        let base = format!("http://{}", launched.addr);
        println!(
            "server on {base}; wrk -t{} -c{} -d{}s --latency per page",
            args.threads, args.connections, args.seconds
        );
        let mut rows = Vec::new();
        for page in &args.pages {
            let url = format!("{base}{page}");
            let wrk = wrk.clone();
            let cookie = format!("Cookie: kindred_session={token}");
            let (threads, connections, seconds) = (args.threads, args.connections, args.seconds);
            // wrk blocks; the server keeps serving on its own threads.
            let output = actix_web::rt::task::spawn_blocking(move || {
                Command::new(wrk)
                    .args([
                        format!("-t{threads}"),
                        format!("-c{connections}"),
                        format!("-d{seconds}s"),
                        "--latency".into(),
                        "-H".into(),
                        cookie,
                        url,
                    ])
                    .output()
            })
            .await??;
            let report = String::from_utf8_lossy(&output.stdout).to_string();
            println!("== {page}\n{report}");
            anyhow::ensure!(output.status.success(), "wrk failed on {page}");
            rows.push((page.clone(), parse(&report)));
        }
        println!("| page | requests/s | p50 | p90 | p99 | non-2xx | socket errors |");
        println!("|---|---|---|---|---|---|---|");
        for (page, f) in &rows {
            println!(
                "| `{page}` | {} | {} | {} | **{}** | {} | {} |",
                f.requests_per_sec, f.p50, f.p90, f.p99, f.non_2xx, f.errors
            );
        }
        let failed: Vec<_> = rows.iter().filter(|(_, f)| f.non_2xx > 0).collect();
        anyhow::ensure!(
            failed.is_empty(),
            "some answers were not 2xx (a wrong page or an expired session)"
        );
        launched.stop().await;
        Ok(())
    })
}

/// Proposes `count` demo mentees to `mentor001`, approves them all, and
/// lets the mentor accept while capacity lasts and decline one: a match
/// list with every common state. Returns the mentor's session token.
fn give_matches(
    pool: &kindred_db::Pool,
    settings: &kindred_config::Settings,
    count: usize,
) -> anyhow::Result<String> {
    let domain = kindred_service::demo::DEMO_DOMAIN;
    let created =
        accounts::operator::create_coordinator(pool, &format!("bench@{domain}"), "Bench")?;
    let coordinator_token = login(pool, settings, &created.email, &created.one_time_password)?;
    let mentor_token = login(
        pool,
        settings,
        &format!("mentor001@{domain}"),
        kindred_service::demo::DEMO_PASSWORD,
    )?;
    let mut conn = pool.get()?;
    let coordinator = Caller::authenticate_allowing_password_change(&mut conn, &coordinator_token)?;
    let mentor = Caller::authenticate(&mut conn, &mentor_token)?;
    let mut states = std::collections::BTreeMap::<String, usize>::new();
    for i in 1..=count {
        let mentee =
            kindred_db::users::find_by_email(&mut conn, &format!("mentee{i:03}@{domain}"))?
                .context("a demo mentee is missing")?;
        let Some(request) = kindred_db::requests::requests_for_mentee(&mut conn, &mentee.id)?
            .into_iter()
            .next()
        else {
            continue;
        };
        let input = ManualMatchInput {
            mentor_id: mentor.id().to_string(),
            request_id: request.id,
            note: None,
        };
        let Ok(m) = actions::create_manual(&mut conn, settings, &coordinator, &input) else {
            continue;
        };
        actions::act(
            &mut conn,
            settings,
            &coordinator,
            &m.id,
            MatchAction::Approve,
            None,
        )?;
        let action = if i == 1 {
            MatchAction::Decline
        } else {
            MatchAction::Accept
        };
        let state = match actions::act(&mut conn, settings, &mentor, &m.id, action, None) {
            Ok(view) => view.state.to_string(),
            // At capacity: the match waits for the mentor's answer.
            Err(_) => "awaiting_mentor".to_string(),
        };
        *states.entry(state).or_default() += 1;
    }
    println!("mentor001's matches: {states:?}");
    Ok(mentor_token)
}

fn login(
    pool: &kindred_db::Pool,
    settings: &kindred_config::Settings,
    email: &str,
    password: &str,
) -> anyhow::Result<String> {
    let input = LoginInput {
        email: email.to_string(),
        password: password.to_string(),
    };
    Ok(accounts::login(pool, settings, &input)?.token)
}

fn which(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// Reads the figures out of wrk's report.
fn parse(report: &str) -> Figures {
    let mut f = Figures::default();
    let mut in_distribution = false;
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Latency Distribution") {
            in_distribution = true;
            continue;
        }
        if in_distribution && words.len() == 2 {
            match words[0] {
                "50%" => f.p50 = words[1].into(),
                "90%" => f.p90 = words[1].into(),
                "99%" => {
                    f.p99 = words[1].into();
                    in_distribution = false;
                }
                _ => {}
            }
        }
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            f.requests_per_sec = rest.trim().into();
        }
        if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            f.non_2xx = rest.trim().parse().unwrap_or(u64::MAX);
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            f.errors = rest.trim().into();
        }
    }
    if f.errors.is_empty() {
        f.errors = "0".into();
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrks_report() {
        let report = "Running 20s test @ http://127.0.0.1:1/matches\n  2 threads and 32 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.01ms    1.20ms  30.00ms   90.00%\n  Latency Distribution\n     50%    4.80ms\n     75%    5.50ms\n     90%    6.60ms\n     99%   10.20ms\n  12000 requests in 20.00s, 90.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:   6000.00\nTransfer/sec:      4.50MB\n";
        let f = parse(report);
        assert_eq!(f.p50, "4.80ms");
        assert_eq!(f.p90, "6.60ms");
        assert_eq!(f.p99, "10.20ms");
        assert_eq!(f.requests_per_sec, "6000.00");
        assert_eq!(f.non_2xx, 3);
        assert_eq!(f.errors, "0");
    }
}
