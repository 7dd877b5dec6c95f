//! Mentee and mentor profiles, the mentor's public card, and the coordinator list.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_core::{
    validate_profile, AvailabilityWindow, Consents, MeetingMode, ProfileInput, ProfileKind,
    TagInfo, ValidProfile,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::pagination::{Page, PageQuery};
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
    .service(web::resource("/mentors/{user_id}").route(web::get().to(mentor_card)))
    .service(web::resource("/profiles").route(web::get().to(list_profiles)));
}

/// A stored profile as returned to its owner and to coordinators.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub user_id: String,
    #[schema(example = "mentee")]
    pub kind: String,
    #[serde(flatten)]
    pub profile: ValidProfile,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("stored profile {what} unreadable: {e}"))
}

/// Rebuilds the validated profile from its row. `include_private` is false
/// for anyone but the owner and coordinators.
pub fn profile_view(
    p: &kindred_db::profiles::ProfileWithTags,
    include_private: bool,
) -> ApiResult<ProfileView> {
    let row = &p.profile;
    let languages: Vec<String> =
        serde_json::from_str(&row.languages).map_err(|e| corrupt("languages", e))?;
    let availability: Vec<AvailabilityWindow> =
        serde_json::from_str(&row.availability).map_err(|e| corrupt("availability", e))?;
    let meeting_modes: Vec<MeetingMode> =
        serde_json::from_str(&row.meeting_modes).map_err(|e| corrupt("meeting_modes", e))?;
    let timezone = chrono_tz::Tz::from_str(&row.timezone).map_err(|e| corrupt("timezone", e))?;
    let tags = p
        .tags
        .iter()
        .filter(|t| !t.private)
        .map(|t| t.tag_slug.clone())
        .collect();
    let private_tags = if include_private {
        p.tags
            .iter()
            .filter(|t| t.private)
            .map(|t| t.tag_slug.clone())
            .collect()
    } else {
        Vec::new()
    };
    Ok(ProfileView {
        user_id: row.user_id.clone(),
        kind: row.kind.clone(),
        profile: ValidProfile {
            bio: row.bio.clone(),
            tags,
            private_tags,
            languages,
            timezone,
            availability,
            meeting_modes,
            region: row.region.clone(),
            goals: row.goals.clone(),
            capacity: row.capacity.and_then(|c| u8::try_from(c).ok()),
            accepting: (row.kind == "mentor").then_some(row.accepting),
            consents: Consents {
                sensitive_tags: row.sensitive_consent_at.is_some(),
            },
            pronouns: None,
        },
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

async fn read_own(
    state: web::Data<AppState>,
    caller: Caller,
    kind: ProfileKind,
) -> ApiResult<HttpResponse> {
    let user_id = caller.id().to_string();
    let found = state
        .db(move |conn| Ok(kindred_db::profiles::get(conn, &user_id, kind.as_str())?))
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut view = profile_view(&found, true)?;
    view.profile.pronouns = caller
        .user
        .pronouns
        .as_deref()
        .and_then(|p| kindred_core::Pronouns::parse_optional(p).ok().flatten());
    Ok(HttpResponse::Ok().json(view))
}

async fn write_own(
    state: web::Data<AppState>,
    caller: Caller,
    kind: ProfileKind,
    input: ProfileInput,
) -> ApiResult<HttpResponse> {
    if !caller.has_role(kind.as_str()) {
        return Err(ApiError::Forbidden(format!(
            "add the {0} role first (POST /api/v1/me/roles {{\"role\": \"{0}\"}})",
            kind.as_str()
        )));
    }
    let user_id = caller.id().to_string();
    let stored_pronouns = caller.user.pronouns.clone();
    let (view, created) = state
        .db(move |conn| {
            let taxonomy: HashMap<String, TagInfo> = kindred_db::tags::list(conn, true)?
                .into_iter()
                .map(|t| {
                    (
                        t.slug,
                        TagInfo {
                            sensitive: t.sensitive,
                            retired: t.retired,
                        },
                    )
                })
                .collect();
            let existing = kindred_db::profiles::get(conn, &user_id, kind.as_str())?;
            let existing_tags: Vec<String> = existing
                .as_ref()
                .map(|p| p.tags.iter().map(|t| t.tag_slug.clone()).collect())
                .unwrap_or_default();
            let lookup = |slug: &str| taxonomy.get(slug).copied();
            let valid = validate_profile(&input, kind, &lookup, &existing_tags)?;
            let now = kindred_db::now();
            let has_sensitive = valid
                .all_tags()
                .any(|slug| taxonomy.get(slug).is_some_and(|t| t.sensitive));
            let to_json = |v: &dyn erased_json::Json| v.to_json();
            let row = kindred_db::models::Profile {
                user_id: user_id.clone(),
                kind: kind.as_str().to_string(),
                bio: valid.bio.clone(),
                languages: to_json(&valid.languages)?,
                timezone: valid.timezone.name().to_string(),
                availability: to_json(&valid.availability)?,
                meeting_modes: to_json(&valid.meeting_modes)?,
                region: valid.region.clone(),
                goals: valid.goals.clone(),
                capacity: valid.capacity.map(i32::from),
                accepting: valid.accepting.unwrap_or(false),
                sensitive_consent_at: (has_sensitive && valid.consents.sensitive_tags)
                    .then_some(now),
                created_at: now,
                updated_at: now,
            };
            let mut position = 0;
            let mut tags = Vec::new();
            for (slugs, private) in [(&valid.tags, false), (&valid.private_tags, true)] {
                for slug in slugs {
                    tags.push(kindred_db::models::ProfileTag {
                        user_id: user_id.clone(),
                        kind: kind.as_str().to_string(),
                        tag_slug: slug.clone(),
                        private,
                        position,
                    });
                    position += 1;
                }
            }
            let stored = kindred_db::write_tx(conn, |conn| -> kindred_db::DbResult<_> {
                if let Some(pronouns) = &valid.pronouns {
                    kindred_db::users::set_pronouns(conn, &user_id, Some(pronouns.as_str()))?;
                }
                kindred_db::profiles::put(conn, row, tags)
            })?;
            let mut view = profile_view(&stored, true)?;
            view.profile.pronouns = valid.pronouns.clone().or_else(|| {
                stored_pronouns
                    .as_deref()
                    .and_then(|p| kindred_core::Pronouns::parse_optional(p).ok().flatten())
            });
            Ok((view, existing.is_none()))
        })
        .await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// Serialises profile parts to the JSON text stored in the row.
mod erased_json {
    pub trait Json {
        fn to_json(&self) -> Result<String, crate::error::ApiError>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<String, crate::error::ApiError> {
            serde_json::to_string(self)
                .map_err(|e| crate::error::ApiError::Internal(format!("serialising profile: {e}")))
        }
    }
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

/// What a mentee with a match (or a coordinator) may see of a mentor:
/// never private tags, never contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentorCard {
    pub user_id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    pub bio: String,
    pub tags: Vec<String>,
    pub languages: Vec<String>,
    pub timezone: String,
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
    let caller_id = caller.id().to_string();
    let coordinator = caller.is_coordinator();
    let card = state
        .db(move |conn| {
            let allowed = coordinator
                || caller_id == mentor_id
                || crate::access::mentee_has_match_with(conn, &caller_id, &mentor_id)?;
            if !allowed {
                return Err(ApiError::NotFound);
            }
            let user = kindred_db::users::find(conn, &mentor_id)?.ok_or(ApiError::NotFound)?;
            let profile =
                kindred_db::profiles::get(conn, &mentor_id, "mentor")?.ok_or(ApiError::NotFound)?;
            let view = profile_view(&profile, false)?;
            Ok(MentorCard {
                user_id: user.id,
                display_name: user.display_name,
                pronouns: user.pronouns,
                bio: view.profile.bio,
                tags: view.profile.tags,
                languages: view.profile.languages,
                timezone: view.profile.timezone.name().to_string(),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(card))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ProfilesQuery {
    /// `mentor` or `mentee`.
    pub role: Option<String>,
    pub limit: Option<String>,
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
    caller.require_coordinator()?;
    let query = query.into_inner();
    let kind = match query.role.as_deref() {
        Some("mentor") => "mentor",
        Some("mentee") => "mentee",
        _ => return Err(ApiError::field("role", "must be mentor or mentee")),
    };
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let (rows, next) = state
        .db(move |conn| {
            page.load(
                conn,
                |c, after, n| kindred_db::profiles::list(c, kind, after, n),
                |p| p.profile.user_id.clone(),
            )
        })
        .await?;
    let items = rows
        .iter()
        .map(|p| profile_view(p, true))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next,
    }))
}

/// `{items, next_cursor}` of profiles (schema helper for OpenAPI).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProfilePage {
    pub items: Vec<ProfileView>,
    pub next_cursor: Option<String>,
}
