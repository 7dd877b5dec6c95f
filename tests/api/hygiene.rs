//! HTTP hygiene: problem+json everywhere, 413, headers, health, metrics, OpenAPI.

use kindred_tests::{both_backends, workspace_root, Db, TestApp};
use serde_json::json;

both_backends!(
    errors_are_problem_json,
    oversized_bodies_are_413,
    operations_endpoints,
    every_response_has_security_headers
);

async fn errors_are_problem_json(db: Db) {
    let app = TestApp::spawn(db).await;
    app.get("/no-such-route", None).await.problem(404);
    app.get("/api/v1/no/such/thing", None).await.problem(404);
    let res = app
        .request(reqwest::Method::DELETE, "/auth/login", None, None)
        .await;
    res.problem(405);
    // RFC 9110: a 405 says which methods the resource does support.
    assert_eq!(res.header("allow"), Some("POST"), "405 carries Allow");
    let res = app
        .request(reqwest::Method::PATCH, "/requests", None, None)
        .await;
    res.problem(405);
    let allow = res.header("allow").unwrap_or_default().to_string();
    assert!(
        allow.contains("POST") && allow.contains("GET"),
        "Allow lists every method of the resource: {allow}"
    );
    let res = app
        .client
        .post(app.url("/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.problem(400);
    let res = app
        .client
        .post(app.url("/auth/login"))
        .body("email=x")
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.problem(415);
    app.post("/auth/login", None, &json!([1, 2]))
        .await
        .problem(422);
    app.stop().await;
}

async fn oversized_bodies_are_413(db: Db) {
    let app = TestApp::spawn(db).await;
    let big = json!({"email": "a@example.org", "password": "x".repeat(70 * 1024)});
    app.post("/auth/login", None, &big).await.problem(413);
    // Chunked, without a Content-Length, is cut off at the limit too.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..80).map(|_| Ok(vec![b' '; 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let res = app
        .client
        .post(app.url("/auth/register"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.problem(413);
    // Nothing was registered by either.
    let n: i64 = app
        .with_db(|conn| {
            use diesel::prelude::*;
            kindred_db::schema::users::table
                .count()
                .get_result(conn)
                .unwrap()
        })
        .await;
    assert_eq!(n, 0);
    app.stop().await;
}

async fn operations_endpoints(db: Db) {
    let metrics_token = "scraper-token-0123456789";
    let app = TestApp::spawn_with(db, |s| {
        s.metrics.token = Some(kindred_config::Secret::new(metrics_token.to_string()));
    })
    .await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status, 200);
    let res = app.get("/readyz", None).await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.body["database"],
        if db == Db::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    app.signup("metrics@example.org", "mentee").await;
    let res = app.get("/metrics", Some(metrics_token)).await;
    assert_eq!(res.status, 200);
    assert!(res.text.contains("kindred_http_requests_total{method=\"POST\",route=\"/api/v1/auth/register\",status=\"202\"} 1"), "{}", res.text);
    assert!(res
        .text
        .contains("kindred_http_request_duration_seconds_bucket"));
    assert!(res.text.contains("kindred_outbox_backlog"));

    let res = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status, 200);
    assert!(res.body["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/register",
        "/api/v1/me/mentee-profile",
        "/api/v1/tags/{slug}",
        "/api/v1/mentors/{user_id}",
    ] {
        assert!(res.body["paths"][path].is_object(), "{path} documented");
    }
    app.stop().await;
}

async fn every_response_has_security_headers(db: Db) {
    let app = TestApp::spawn(db).await;
    for res in [
        app.get("/healthz", None).await,
        app.get("/me", None).await,
        app.get("/nope", None).await,
    ] {
        assert_eq!(res.header("cache-control"), Some("no-store"));
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(res.header("x-frame-options"), Some("DENY"));
        assert!(res.header("content-security-policy").is_some());
        assert!(res.header("x-request-id").is_some_and(|id| id.len() >= 32));
    }
    app.stop().await;
}

/// The committed `docs/openapi.json` is the generated document, byte for byte.
/// Regenerate with `KINDRED_WRITE_OPENAPI=1 cargo test -p kindred-tests openapi`.
#[test]
fn committed_openapi_matches_the_code() {
    let generated = kindred_api::openapi::openapi_json();
    let path = workspace_root().join("docs/openapi.json");
    if std::env::var_os("KINDRED_WRITE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is stale: run KINDRED_WRITE_OPENAPI=1 cargo test -p kindred-tests openapi"
    );
}

/// Every error response the document describes is `application/problem+json`,
/// as the server sends it (schemathesis ST105 otherwise).
#[test]
fn openapi_documents_every_error_as_problem_json() {
    let doc: serde_json::Value =
        serde_json::from_str(&kindred_api::openapi::openapi_json()).unwrap();
    let mut errors = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                errors += 1;
                let content = response["content"].as_object().unwrap();
                assert!(
                    content.keys().all(|k| k == "application/problem+json"),
                    "{method} {path} {status}: {:?}",
                    content.keys().collect::<Vec<_>>()
                );
            }
        }
    }
    assert!(errors > 100, "every route documents its errors ({errors})");
}

/// Every `cursor` parameter in the document states exactly the pattern the
/// server accepts, and every query parameter is declared `in: query`.
#[test]
fn openapi_cursors_and_query_parameters_are_exact() {
    let doc: serde_json::Value =
        serde_json::from_str(&kindred_api::openapi::openapi_json()).unwrap();
    let mut cursors = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                if p["in"] == "path" {
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: `{name}` is declared in the path but is not in it"
                    );
                }
                if name == "cursor" {
                    cursors += 1;
                    assert_eq!(p["in"], "query", "{method} {path}");
                    assert_eq!(
                        p["schema"]["pattern"].as_str(),
                        Some(kindred_service::pagination::CURSOR_PATTERN),
                        "{method} {path}"
                    );
                }
            }
        }
    }
    assert!(cursors >= 6, "only {cursors} cursor parameters found");
}
