//! Notification preferences and one-click unsubscribe.

use actix_web::{web, HttpResponse};
use kindred_service::notifications::{self, NotificationPrefs};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me/notifications")
            .route(web::get().to(get_prefs))
            .route(web::put().to(put_prefs)),
    )
    .service(
        web::resource("/unsubscribe")
            .route(web::get().to(unsubscribe_link))
            .route(web::post().to(unsubscribe)),
    );
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "accounts",
    responses((status = 200, body = NotificationPrefs), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_prefs(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let prefs = state
        .call(move |conn, _| notifications::get(conn, &caller))
        .await?;
    Ok(HttpResponse::Ok().json(prefs))
}

/// Replaces the caller's notification preferences.
#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "accounts", request_body = NotificationPrefs,
    responses((status = 200, body = NotificationPrefs), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_prefs(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<NotificationPrefs>,
) -> ApiResult<HttpResponse> {
    let prefs = state
        .call(move |conn, _| notifications::put(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(prefs))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The signed token from the email's `List-Unsubscribe` link.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    /// The category switched off.
    #[schema(example = "checkin_reminders")]
    pub unsubscribed: String,
}

/// One-click unsubscribe (RFC 8058: mail clients `POST` here; a browser `GET`
/// works too). The signed token names the person and the category.
#[utoipa::path(post, path = "/api/v1/unsubscribe", tag = "accounts", params(UnsubscribeQuery),
    responses((status = 200, body = Unsubscribed), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem)))]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    query: web::Query<UnsubscribeQuery>,
) -> ApiResult<HttpResponse> {
    let token = query.into_inner().token;
    let category = state
        .call(move |conn, _| notifications::unsubscribe(conn, &token))
        .await?;
    Ok(HttpResponse::Ok().json(Unsubscribed {
        unsubscribed: category,
    }))
}

/// The same unsubscribe for a browser that opens the link (`GET`).
#[utoipa::path(get, path = "/api/v1/unsubscribe", tag = "accounts", params(UnsubscribeQuery),
    responses((status = 200, body = Unsubscribed), (status = 400, body = crate::error::Problem),
        (status = 403, body = crate::error::Problem)))]
pub async fn unsubscribe_link(
    state: web::Data<AppState>,
    query: web::Query<UnsubscribeQuery>,
) -> ApiResult<HttpResponse> {
    unsubscribe(state, query).await
}
