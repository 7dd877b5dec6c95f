//! Liveness, readiness, metrics and the OpenAPI document.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    #[schema(example = "ok")]
    pub status: &'static str,
    #[schema(example = "sqlite")]
    pub database: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Readiness), (status = 503, body = crate::error::Problem)))]
pub async fn readyz(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let backend = state
        .call(|conn, _| kindred_service::ops::readiness(conn))
        .await
        .map_err(|e| match e {
            ApiError::Internal(m) => ApiError::Unavailable(m),
            other => other,
        })?;
    Ok(HttpResponse::Ok().json(Readiness {
        status: "ok",
        database: backend,
    }))
}

/// Prometheus text exposition. Needs `Authorization: Bearer <metrics.token>`;
/// with no token configured it is `404` unless `metrics.public = true`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain", body = String),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let settings = &state.settings.metrics;
    if !settings.enabled {
        return Err(ApiError::NotFound);
    }
    match &settings.token {
        Some(token) => {
            let sent = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, t)| t.trim());
            if !sent.is_some_and(|t| same_secret(t, token.expose_secret())) {
                return Err(ApiError::Unauthorized);
            }
        }
        None if settings.public => {}
        None => return Err(ApiError::NotFound),
    }
    let (backlog, dead) = state
        .call(|conn, _| kindred_service::ops::outbox_gauges(conn))
        .await?;
    state.metrics.outbox_backlog.set(backlog);
    state.metrics.outbox_dead.set(dead);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render()))
}

/// Compares in time that does not depend on where the strings differ.
fn same_secret(sent: &str, expected: &str) -> bool {
    let (a, b) = (sent.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, content_type = "application/json", body = Object)))]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::ApiDoc::openapi())
}
