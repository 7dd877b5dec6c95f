//! Mentee and mentor profiles, the mentor's public card, and the coordinator list.

use actix_web::{web, HttpResponse};
use kindred_core::{ConsentInput, ProfileInput, ProfileKind};
use kindred_service::pagination::PageQuery;
use kindred_service::profiles::{self, ConsentView, MentorCard, ProfileView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me/mentee-profile")
            .route(web::get().to(get_mentee_profile))
            .route(web::put().to(put_mentee_profile)),
    )
    .service(
        web::resource("/me/mentor-profile")
            .route(web::get().to(get_mentor_profile))
            .route(web::put().to(put_mentor_profile)),
    )
    .service(web::resource("/me/consents").route(web::post().to(answer_consent)))
    .service(web::resource("/mentors/{user_id}").route(web::get().to(mentor_card)))
    .service(web::resource("/profiles").route(web::get().to(list_profiles)));
}

async fn read_own(
    state: web::Data<AppState>,
    caller: Caller,
    kind: ProfileKind,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| profiles::read_own(conn, &caller, kind))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn write_own(
    state: web::Data<AppState>,
    caller: Caller,
    kind: ProfileKind,
    input: ProfileInput,
) -> ApiResult<HttpResponse> {
    let written = state
        .call(move |conn, _| profiles::write_own(conn, &caller, kind, &input))
        .await?;
    Ok(if written.created {
        HttpResponse::Created().json(written.view)
    } else {
        HttpResponse::Ok().json(written.view)
    })
}

/// The caller's mentee profile.
#[utoipa::path(get, path = "/api/v1/me/mentee-profile", tag = "profiles",
    responses((status = 200, body = ProfileView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_mentee_profile(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    read_own(state, caller, ProfileKind::Mentee).await
}

/// Creates (201) or replaces (200) the caller's mentee profile.
#[utoipa::path(put, path = "/api/v1/me/mentee-profile", tag = "profiles",
    request_body = ProfileInput,
    responses((status = 200, body = ProfileView), (status = 201, body = ProfileView),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_mentee_profile(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ProfileInput>,
) -> ApiResult<HttpResponse> {
    write_own(state, caller, ProfileKind::Mentee, body.0).await
}

/// The caller's mentor profile.
#[utoipa::path(get, path = "/api/v1/me/mentor-profile", tag = "profiles",
    responses((status = 200, body = ProfileView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_mentor_profile(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    read_own(state, caller, ProfileKind::Mentor).await
}

/// Creates (201) or replaces (200) the caller's mentor profile.
#[utoipa::path(put, path = "/api/v1/me/mentor-profile", tag = "profiles",
    request_body = ProfileInput,
    responses((status = 200, body = ProfileView), (status = 201, body = ProfileView),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_mentor_profile(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ProfileInput>,
) -> ApiResult<HttpResponse> {
    write_own(state, caller, ProfileKind::Mentor, body.0).await
}

/// The caller's answer about the tags a coordinator's CSV import put on
/// their profiles that wait for consent (private tags, and tags marked
/// sensitive; listed under `pending_tags` in `GET /me/*-profile`). `true`:
/// they count for matching from now on; `false`: they are removed. Until
/// then matching ignores them.
#[utoipa::path(post, path = "/api/v1/me/consents", tag = "profiles",
    request_body = ConsentInput,
    responses((status = 200, body = ConsentView), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn answer_consent(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ConsentInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| profiles::answer_consent(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A mentor's public card: coordinators, the mentor themself, and (once
/// matches exist) mentees with a match involving the mentor; otherwise `404`.
#[utoipa::path(get, path = "/api/v1/mentors/{user_id}", tag = "profiles",
    params(("user_id" = String, Path, description = "The mentor's user id")),
    responses((status = 200, body = MentorCard), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn mentor_card(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let mentor_id = path.into_inner();
    let card = state
        .call(move |conn, _| profiles::mentor_card(conn, &caller, &mentor_id))
        .await?;
    Ok(HttpResponse::Ok().json(card))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfilesQuery {
    /// `mentor` or `mentee`.
    #[param(required = true, pattern = "^(mentor|mentee)$")]
    pub role: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

/// A page of profiles of one kind, for coordinators (private tags included).
#[utoipa::path(get, path = "/api/v1/profiles", tag = "profiles",
    params(ProfilesQuery),
    responses((status = 200, body = ProfilePage), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_profiles(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ProfilesQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let found = state
        .call(move |conn, _| profiles::list(conn, &caller, q.role.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// `{items, next_cursor}` of profiles (schema helper for OpenAPI).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProfilePage {
    pub items: Vec<ProfileView>,
    pub next_cursor: Option<String>,
}
