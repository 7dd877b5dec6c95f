//! Rate limits that a third party cannot turn against the owner (login),
//! and per-user limits on the signed-in routes that create things.

use kindred_tests::{both_backends, Db, Res, TestApp};
use serde_json::{json, Value};

both_backends!(
    another_address_cannot_lock_the_owner_out,
    the_per_account_ceiling_holds_across_addresses,
    a_burst_of_reports_is_limited_and_alerts_only_the_allowed_ones,
    check_ins_blocks_and_requests_are_limited_per_user,
);

/// Per (account, address): 2 failures an hour; ceiling: 5 failures an hour
/// per account from everywhere. The client address is taken from
/// `X-Forwarded-For`, as behind a proxy on 127.0.0.1.
async fn spawn_login_limited(db: Db) -> TestApp {
    TestApp::spawn_with(db, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_ip_per_minute = 1000;
        s.rate_limit.per_ip_burst = 1000;
        s.rate_limit.per_account_per_hour = 2;
        s.rate_limit.per_account_burst = 2;
        s.rate_limit.per_account_ceiling_per_hour = 5;
        s.server.trust_forwarded_for = true;
        s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await
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

fn retry_after(res: &Res) -> u64 {
    res.problem(429);
    res.header("retry-after")
        .expect("429 carries Retry-After")
        .parse()
        .unwrap()
}

async fn another_address_cannot_lock_the_owner_out(db: Db) {
    let app = spawn_login_limited(db).await;
    let owner = "owner@example.org";
    app.signup(owner, "mentee").await;
    let attacker = "203.0.113.9";
    let home = "198.51.100.7";

    // The attacker uses up the (owner, attacker address) allowance …
    for _ in 0..2 {
        login_from(&app, attacker, owner, "a wrong guess")
            .await
            .problem(401);
    }
    let res = login_from(&app, attacker, owner, "a wrong guess").await;
    assert!(retry_after(&res) >= 1);
    // … and keeps trying, which changes nothing for the owner elsewhere.
    login_from(&app, attacker, owner, "a wrong guess")
        .await
        .problem(429);

    // The owner signs in from home, more often than any allowance, because
    // successful logins are not counted.
    for _ in 0..6 {
        let res = login_from(&app, home, owner, "a long passphrase").await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    // One typo at home still leaves the owner in.
    login_from(&app, home, owner, "a typo").await.problem(401);
    let res = login_from(&app, home, owner, "a long passphrase").await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The attacker's address is still refused for this account, even with
    // the right password.
    login_from(&app, attacker, owner, "a long passphrase")
        .await
        .problem(429);
    app.stop().await;
}

async fn the_per_account_ceiling_holds_across_addresses(db: Db) {
    let app = spawn_login_limited(db).await;
    let owner = "owner@example.org";
    app.signup(owner, "mentee").await;

    // Five failures from three addresses (2 + 2 + 1) reach the ceiling.
    for (addr, n) in [("203.0.113.1", 2), ("203.0.113.2", 2), ("203.0.113.3", 1)] {
        for _ in 0..n {
            login_from(&app, addr, owner, "a wrong guess")
                .await
                .problem(401);
        }
    }
    // A fresh address is refused for this account, with Retry-After.
    let res = login_from(&app, "203.0.113.4", owner, "a wrong guess").await;
    let wait = retry_after(&res);
    assert!((1..=3600).contains(&wait), "{wait}");
    // The third address, with one failure of its own left, is refused too:
    // the ceiling counts for the whole account.
    let res = login_from(&app, "203.0.113.3", owner, "a wrong guess").await;
    res.problem(429);
    // The ceiling is per account: other accounts are unaffected.
    app.signup("bystander@example.org", "mentee").await;
    let res = login_from(
        &app,
        "203.0.113.4",
        "bystander@example.org",
        "a long passphrase",
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}

fn report_alerts(app: &TestApp, coordinator: &str) -> usize {
    app.sink
        .messages_to(coordinator)
        .iter()
        .filter(|m| m.subject.contains("a new concern was reported"))
        .count()
}

async fn a_burst_of_reports_is_limited_and_alerts_only_the_allowed_ones(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_user_per_minute = 1;
        s.rate_limit.per_user_burst = 3;
    })
    .await;
    let coordinator = "coord@example.org";
    app.coordinator(coordinator).await;
    let (token, me) = app.signup("reporter@example.org", "mentee").await;
    let (other_token, other) = app.signup("reported@example.org", "mentor").await;
    let report: Value = json!({"about_user_id": other, "reason": "Said something unkind."});

    let mut created = 0;
    let mut refused = 0;
    for _ in 0..10 {
        let res = app.post("/reports", Some(&token), &report).await;
        if res.status == 201 {
            created += 1;
        } else {
            assert!(retry_after(&res) >= 1);
            refused += 1;
        }
    }
    assert_eq!((created, refused), (3, 7));
    app.wait_outbox_idle().await;
    // The first report alerts at once; the other two fall in its batching
    // window and wait for the summary (tests/api/alert_batching.rs).
    assert_eq!(report_alerts(&app, coordinator), 1);

    // The limit is per user and per route family: someone else may still
    // report, and the reporter may still block.
    let res = app
        .post(
            "/reports",
            Some(&other_token),
            &json!({"about_user_id": me, "reason": "Retaliation?"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post("/blocks", Some(&token), &json!({"user_id": other}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    app.wait_outbox_idle().await;
    assert_eq!(report_alerts(&app, coordinator), 1);
    app.stop().await;
}

async fn check_ins_blocks_and_requests_are_limited_per_user(db: Db) {
    let app = TestApp::spawn_with(db, |s| {
        s.rate_limit.enabled = true;
        s.rate_limit.per_user_per_minute = 1;
        s.rate_limit.per_user_burst = 1;
    })
    .await;
    let coordinator = app.coordinator("coord@example.org").await;
    let mentor = app.mentor("mentor@example.org", 1).await;
    // Takes the mentee's one request of the minute.
    let (mentee, request_id) = app.mentee_with_request("mentee@example.org").await;
    // A second request would be 409; the limit answers first.
    let again = json!({"note": "And another one."});
    let res = app.post("/requests", Some(&mentee.token), &again).await;
    assert!(retry_after(&res) >= 1);

    let m = app.propose(&coordinator, &mentor.id, &request_id).await;
    app.activate(&coordinator, &mentor.token, &m).await;
    let path = format!("/matches/{m}/check-ins");
    let check_in = json!({"rating": 4, "needs_support": false});
    let res = app.post(&path, Some(&mentee.token), &check_in).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app.post(&path, Some(&mentee.token), &check_in).await;
    assert!(retry_after(&res) >= 1);
    // The other participant has their own allowance.
    let res = app.post(&path, Some(&mentor.token), &check_in).await;
    assert_eq!(res.status, 201, "{}", res.text);

    let (_, stranger) = app.signup("stranger@example.org", "mentor").await;
    let (_, another) = app.signup("another@example.org", "mentor").await;
    let res = app
        .post(
            "/blocks",
            Some(&mentee.token),
            &json!({"user_id": stranger}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = app
        .post("/blocks", Some(&mentee.token), &json!({"user_id": another}))
        .await;
    assert!(retry_after(&res) >= 1);
    app.stop().await;
}
