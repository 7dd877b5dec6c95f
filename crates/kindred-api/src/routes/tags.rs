//! The shared-experience taxonomy.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_core::{NewTagInput, TagPatchInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
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

#[derive(Debug, Serialize, ToSchema)]
pub struct TagView {
    #[schema(example = "coming-out-at-work")]
    pub slug: String,
    #[schema(example = "Coming out at work")]
    pub label: String,
    #[schema(example = "experience")]
    pub category: String,
    pub sensitive: bool,
    pub retired: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<kindred_db::models::Tag> for TagView {
    fn from(t: kindred_db::models::Tag) -> Self {
        TagView {
            slug: t.slug,
            label: t.label,
            category: t.category,
            sensitive: t.sensitive,
            retired: t.retired,
            updated_at: t.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
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
    let include_retired = query.include_retired.unwrap_or(false) && caller.is_coordinator();
    let tags = state
        .db(move |conn| Ok(kindred_db::tags::list(conn, include_retired)?))
        .await?;
    Ok(HttpResponse::Ok().json(tags.into_iter().map(TagView::from).collect::<Vec<_>>()))
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
    caller.require_coordinator()?;
    let tag = body.0.validate_all()?;
    let created = state
        .db(move |conn| {
            let result = kindred_db::tags::insert(
                conn,
                &kindred_db::tags::NewTag {
                    slug: tag.slug.as_str(),
                    label: &tag.label,
                    category: tag.category.as_str(),
                    sensitive: tag.sensitive,
                },
            );
            match result {
                Ok(t) => Ok(t),
                Err(e) if e.is_unique_violation() => Err(ApiError::conflict(format!(
                    "a tag with slug {:?} already exists",
                    tag.slug.as_str()
                ))),
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    Ok(HttpResponse::Created().json(TagView::from(created)))
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
    caller.require_coordinator()?;
    let patch = body.0.validate_all()?;
    let slug = path.into_inner();
    let updated = state
        .db(move |conn| {
            let changes = kindred_db::tags::TagChanges {
                label: patch.label,
                category: patch.category.map(|c| c.as_str().to_string()),
                sensitive: patch.sensitive,
                retired: patch.retired,
            };
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                Ok(kindred_db::tags::update(conn, &slug, &changes)?)
            })?
            .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TagView::from(updated)))
}
