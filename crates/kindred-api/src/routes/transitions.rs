//! Match transitions: approve, reject, accept, decline, end.

use actix_web::{web, HttpResponse};
use kindred_core::MatchAction;
use kindred_service::matches::actions::{self, ReasonInput, RequiredReasonInput};
use kindred_service::matches::views::MatchView;

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/matches/{id}/approve").route(web::post().to(approve)))
        .service(web::resource("/matches/{id}/reject").route(web::post().to(reject)))
        .service(web::resource("/matches/{id}/accept").route(web::post().to(accept)))
        .service(web::resource("/matches/{id}/decline").route(web::post().to(decline)))
        .service(web::resource("/matches/{id}/end").route(web::post().to(end)));
}

async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    action: MatchAction,
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, settings| {
            actions::act(conn, settings, &caller, &id, action, reason.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `proposed → awaiting_mentor` (coordinators). `409` if the mentor is at capacity.
#[utoipa::path(post, path = "/api/v1/matches/{id}/approve", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    transition(state, caller, path.into_inner(), MatchAction::Approve, None).await
}

/// `proposed → rejected` with a reason (coordinators). The pair is never proposed again.
#[utoipa::path(post, path = "/api/v1/matches/{id}/reject", tag = "matching", params(("id" = String, Path)),
    request_body = RequiredReasonInput,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<RequiredReasonInput>,
) -> ApiResult<HttpResponse> {
    let reason = Some(body.0.reason);
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::Reject,
        reason,
    )
    .await
}

/// `awaiting_mentor → active` (the mentor). Contact details are exchanged.
#[utoipa::path(post, path = "/api/v1/matches/{id}/accept", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn accept(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    transition(state, caller, path.into_inner(), MatchAction::Accept, None).await
}

/// `awaiting_mentor → declined`, optionally with a reason (the mentor).
#[utoipa::path(post, path = "/api/v1/matches/{id}/decline", tag = "matching", params(("id" = String, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn decline(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    // The body is optional here; when one is sent it must be valid.
    let reason = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        crate::extract::parse_json::<ReasonInput>(&body)?.reason
    };
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::Decline,
        reason,
    )
    .await
}

/// `active → ended` with a reason (either participant or a coordinator).
#[utoipa::path(post, path = "/api/v1/matches/{id}/end", tag = "matching", params(("id" = String, Path)),
    request_body = RequiredReasonInput,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn end(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<RequiredReasonInput>,
) -> ApiResult<HttpResponse> {
    let reason = Some(body.0.reason);
    transition(state, caller, path.into_inner(), MatchAction::End, reason).await
}
