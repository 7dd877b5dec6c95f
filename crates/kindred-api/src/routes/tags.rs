//! The shared-experience taxonomy.

use actix_web::{web, HttpResponse};
use kindred_core::{NewTagInput, TagPatchInput};
use kindred_service::tags::{self, TagView};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/tags")
            .route(web::get().to(list_tags))
            .route(web::post().to(create_tag)),
    )
    .service(web::resource("/tags/{slug}").route(web::patch().to(patch_tag)));
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagsQuery {
    /// Coordinators only: include retired tags.
    pub include_retired: Option<bool>,
}

/// The taxonomy offered to profiles (retired tags are left out unless a
/// coordinator asks for them).
#[utoipa::path(get, path = "/api/v1/tags", tag = "tags", params(TagsQuery),
    responses((status = 200, body = Vec<TagView>), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_tags(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<TagsQuery>,
) -> ApiResult<HttpResponse> {
    let include_retired = query.include_retired.unwrap_or(false);
    let found = state
        .call(move |conn, _| tags::list(conn, &caller, include_retired))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Adds a tag (coordinators). `409` if the slug exists.
#[utoipa::path(post, path = "/api/v1/tags", tag = "tags", request_body = NewTagInput,
    responses((status = 201, body = TagView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_tag(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<NewTagInput>,
) -> ApiResult<HttpResponse> {
    let created = state
        .call(move |conn, _| tags::create(conn, &caller, body.0))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Relabels, recategorises, marks sensitive or retires a tag (coordinators).
/// Retired tags stay on profiles that have them but are no longer offered.
#[utoipa::path(patch, path = "/api/v1/tags/{slug}", tag = "tags", request_body = TagPatchInput,
    params(("slug" = String, Path)),
    responses((status = 200, body = TagView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn patch_tag(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<TagPatchInput>,
) -> ApiResult<HttpResponse> {
    let slug = path.into_inner();
    let updated = state
        .call(move |conn, _| tags::update(conn, &caller, &slug, body.0))
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
