//! Rate limits hold across API instances: on PostgreSQL the counters live in
//! the database, so two instances behind one database grant the configured
//! burst together, not each. On SQLite (a single node) the limit holds in
//! the one instance.

use kindred_tests::{both_backends, search_all_text, Db, Res, TestApp};
use serde_json::json;

both_backends!(
    wrong_logins_share_one_allowance_across_instances,
    reports_share_one_per_user_allowance_across_instances,
);

const LOGIN_BURST: u32 = 3;
const REPORT_BURST: u32 = 4;

fn limits(s: &mut kindred_config::Settings) {
    s.rate_limit.enabled = true;
    s.rate_limit.per_ip_per_minute = 1000;
    s.rate_limit.per_ip_burst = 1000;
    s.rate_limit.per_account_per_hour = 1;
    s.rate_limit.per_account_burst = LOGIN_BURST;
    s.rate_limit.per_account_ceiling_per_hour = 100;
    s.rate_limit.per_user_per_minute = 1;
    s.rate_limit.per_user_burst = REPORT_BURST;
    s.server.trust_forwarded_for = true;
    s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

/// Two instances on one database for PostgreSQL; the one instance, twice,
/// for SQLite (single node: its limits are in memory).
async fn instances(db: Db) -> (TestApp, Option<TestApp>) {
    let a = TestApp::spawn_with(db, limits).await;
    let b = match db {
        Db::Postgres => Some(a.spawn_sibling(limits).await),
        Db::Sqlite => None,
    };
    (a, b)
}

fn pick<'a>(a: &'a TestApp, b: Option<&'a TestApp>, i: usize) -> &'a TestApp {
    match b {
        Some(b) if i % 2 == 1 => b,
        _ => a,
    }
}

async fn login_from(app: &TestApp, addr: &str, email: &str, password: &str) -> Res {
    let res = app
        .client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", addr)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("request sent");
    TestApp::read(res).await
}

fn assert_limited(res: &Res) {
    res.problem(429);
    let wait: u64 = res
        .header("retry-after")
        .expect("429 carries Retry-After")
        .parse()
        .unwrap();
    assert!(wait >= 1, "{wait}");
}

/// Counts (allowed, refused) and checks every refusal is a proper 429.
fn tally(results: &[Res], allowed_status: u16) -> (u32, u32) {
    let mut counts = (0, 0);
    for res in results {
        if res.status.as_u16() == allowed_status {
            counts.0 += 1;
        } else {
            assert_limited(res);
            counts.1 += 1;
        }
    }
    counts
}

async fn wrong_logins_share_one_allowance_across_instances(db: Db) {
    let (a, b) = instances(db).await;
    let b = b.as_ref();
    let owner = "owner@example.org";
    a.signup(owner, "mentee").await;
    let attacker = "203.0.113.9";

    // Alternate wrong guesses between the instances: together they grant
    // the burst once, not once each.
    let mut results = Vec::new();
    for i in 0..(2 * LOGIN_BURST as usize + 2) {
        results.push(login_from(pick(&a, b, i), attacker, owner, "a wrong guess").await);
    }
    assert_eq!(
        tally(&results, 401),
        (LOGIN_BURST, LOGIN_BURST + 2),
        "the allowance is shared"
    );
    assert_eq!(results[LOGIN_BURST as usize - 1].status, 401);
    assert_eq!(results[LOGIN_BURST as usize].status, 429);
    // Both instances refuse now.
    assert_limited(&login_from(&a, attacker, owner, "a wrong guess").await);
    assert_limited(&login_from(pick(&a, b, 1), attacker, owner, "a wrong guess").await);

    // Successful logins give their cells back in the shared store too: the
    // owner, from home, signs in on both instances more often than the burst,
    // with a typo in between.
    let home = "198.51.100.7";
    for i in 0..(2 * LOGIN_BURST as usize) {
        let res = login_from(pick(&a, b, i), home, owner, "a long passphrase").await;
        assert_eq!(res.status, 200, "{}", res.text);
        if i == 2 {
            login_from(pick(&a, b, i + 1), home, owner, "a typo")
                .await
                .problem(401);
        }
    }

    let owner_addrs = [owner, attacker, home];
    let found = a
        .with_db(move |conn| search_all_text(conn, &owner_addrs, ""))
        .await;
    let in_cells: Vec<&String> = found
        .iter()
        .filter(|f| f.starts_with("rate_limit_cells"))
        .collect();
    assert!(in_cells.is_empty(), "raw keys stored: {in_cells:?}");
    let rows = a
        .with_db(|conn| kindred_db::ratelimit::count(conn).unwrap())
        .await;
    match db {
        // The ip, (owner, attacker) and account cells at least.
        Db::Postgres => assert!(rows >= 3, "{rows}"),
        // SQLite keeps them in memory.
        Db::Sqlite => assert_eq!(rows, 0),
    }
    if let Some(b) = b {
        // Housekeeping-style purge keeps cells that still hold something.
        let purged = b
            .with_db(|conn| {
                kindred_db::ratelimit::purge_idle(conn, chrono::Utc::now().timestamp_millis())
                    .unwrap()
            })
            .await;
        let left = b
            .with_db(|conn| kindred_db::ratelimit::count(conn).unwrap())
            .await;
        assert!(
            left >= 1,
            "the attacker's cell is still ahead: {purged} purged"
        );
    }
    a.stop().await;
}

async fn reports_share_one_per_user_allowance_across_instances(db: Db) {
    let (a, b) = instances(db).await;
    let b = b.as_ref();
    let (token, _) = a.signup("reporter@example.org", "mentee").await;
    let (_, other) = a.signup("reported@example.org", "mentor").await;
    let report = json!({"about_user_id": other, "reason": "Said something unkind."});

    let mut results = Vec::new();
    for i in 0..(2 * REPORT_BURST as usize + 2) {
        results.push(pick(&a, b, i).post("/reports", Some(&token), &report).await);
    }
    assert_eq!(
        tally(&results, 201),
        (REPORT_BURST, REPORT_BURST + 2),
        "the per-user allowance is shared"
    );
    let stored = a
        .with_db(|conn| {
            use diesel::prelude::*;
            kindred_db::schema::reports::table
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(stored, i64::from(REPORT_BURST));
    a.stop().await;
}
