//! Mentorship requests: create, read, withdraw, the coordinator queue, suggestions.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/requests")
            .route(web::post().to(create_request))
            .route(web::get().to(list_requests)),
    )
    .service(
        web::resource("/requests/{id}")
            .route(web::get().to(get_request))
            .route(web::delete().to(withdraw_request)),
    )
    .service(web::resource("/requests/{id}/suggestions").route(web::get().to(suggestions)));
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// Tags the mentor must have (publicly or privately).
    #[serde(default)]
    pub required_tags: Vec<String>,
    /// Regions the mentor must not be from (e.g. the mentee's home town).
    #[serde(default)]
    pub excluded_regions: Vec<String>,
    /// A note for the coordinators (≤ 2000 characters).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    pub mentee_id: String,
    #[schema(example = "open")]
    pub state: String,
    pub required_tags: Vec<String>,
    pub excluded_regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Seconds since the request was made, while it is open.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_at: Option<DateTime<Utc>>,
}

pub fn request_view(r: &kindred_db::models::Request) -> RequestView {
    RequestView {
        id: r.id.clone(),
        mentee_id: r.mentee_id.clone(),
        state: r.state.clone(),
        required_tags: serde_json::from_str(&r.required_tags).unwrap_or_default(),
        excluded_regions: serde_json::from_str(&r.excluded_regions).unwrap_or_default(),
        note: r.note.clone(),
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
        waiting_seconds: (r.state == "open")
            .then(|| (kindred_db::now() - r.created_at).num_seconds()),
        matched_at: r.matched_at.map(|t| t.and_utc()),
    }
}

/// Validates a request body against the taxonomy; every violation at once.
fn validate(input: &RequestInput, taxonomy: &[kindred_db::models::Tag]) -> Result<(), ApiError> {
    let mut errors = kindred_core::FieldErrors::new();
    if input.required_tags.len() > 10 {
        errors.add("required_tags", "at most 10 tags");
    }
    let mut seen = std::collections::HashSet::new();
    for (i, slug) in input.required_tags.iter().enumerate() {
        match taxonomy.iter().find(|t| &t.slug == slug) {
            None => errors.add(format!("required_tags[{i}]"), "unknown tag"),
            Some(t) if t.retired => {
                errors.add(format!("required_tags[{i}]"), "this tag is retired")
            }
            Some(_) => {}
        }
        if !seen.insert(slug) {
            errors.add(format!("required_tags[{i}]"), "duplicate tag");
        }
    }
    if input.excluded_regions.len() > 20 {
        errors.add("excluded_regions", "at most 20 regions");
    }
    for (i, region) in input.excluded_regions.iter().enumerate() {
        let n = region.trim().chars().count();
        if n == 0 || n > 100 {
            errors.add(
                format!("excluded_regions[{i}]"),
                "must be 1 to 100 characters",
            );
        }
    }
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        errors.add("note", "at most 2000 characters");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedRequest {
    pub id: String,
    #[schema(example = "open")]
    pub state: String,
    pub created_at: DateTime<Utc>,
}

/// A mentee asks for a mentor. `409` if they already have a request in progress.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = RequestInput,
    responses((status = 201, body = CreatedRequest), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_request(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<RequestInput>,
) -> ApiResult<HttpResponse> {
    if !caller.has_role("mentee") {
        return Err(ApiError::Forbidden(
            "only mentees can request a mentor".into(),
        ));
    }
    let input = body.0;
    let mentee_id = caller.id().to_string();
    let created = state
        .db(move |conn| {
            let taxonomy = kindred_db::tags::list(conn, true)?;
            validate(&input, &taxonomy)?;
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                if kindred_db::profiles::get(conn, &mentee_id, "mentee")?.is_none() {
                    return Err(ApiError::conflict("create your mentee profile first"));
                }
                if let Some(live) = kindred_db::lifecycle::live_request_for(conn, &mentee_id)? {
                    return Err(ApiError::Conflict {
                        detail: format!("you already have a request in progress ({})", live.id),
                        current_state: Some(live.state),
                    });
                }
                let now = kindred_db::now();
                let regions: Vec<String> = input
                    .excluded_regions
                    .iter()
                    .map(|r| r.trim().to_string())
                    .collect();
                let request = kindred_db::models::Request {
                    id: kindred_db::new_id(),
                    mentee_id: mentee_id.clone(),
                    state: "open".into(),
                    required_tags: serde_json::to_string(&input.required_tags)
                        .unwrap_or_else(|_| "[]".into()),
                    excluded_regions: serde_json::to_string(&regions)
                        .unwrap_or_else(|_| "[]".into()),
                    note: input
                        .note
                        .as_ref()
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty()),
                    created_at: now,
                    updated_at: now,
                    matched_at: None,
                };
                match kindred_db::lifecycle::insert_request(conn, &request) {
                    Ok(()) => Ok(request),
                    Err(e) if e.is_unique_violation() => {
                        Err(ApiError::conflict("you already have a request in progress"))
                    }
                    Err(e) => Err(e.into()),
                }
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedRequest {
        id: created.id,
        state: created.state,
        created_at: created.created_at.and_utc(),
    }))
}

/// Loads a request the caller may see: its mentee and coordinators; else 404.
fn visible_request(
    conn: &mut kindred_db::DbConnection,
    caller_id: &str,
    coordinator: bool,
    id: &str,
) -> ApiResult<kindred_db::models::Request> {
    let r = kindred_db::lifecycle::get_request(conn, id)?.ok_or(ApiError::NotFound)?;
    if coordinator || r.mentee_id == caller_id {
        Ok(r)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A request: its mentee and coordinators.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (caller_id, coordinator) = (caller.id().to_string(), caller.is_coordinator());
    let r = state
        .db(move |conn| visible_request(conn, &caller_id, coordinator, &id))
        .await?;
    Ok(HttpResponse::Ok().json(request_view(&r)))
}

/// Withdraws an open request (its mentee). A pending proposal is withdrawn
/// with it; a match already sent to the mentor or active is `409`.
#[utoipa::path(delete, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let caller_id = caller.id().to_string();
    let coordinator = caller.is_coordinator();
    let settings = state.settings.clone();
    state
        .db(move |conn| {
            let r = visible_request(conn, &caller_id, coordinator, &id)?;
            if r.mentee_id != caller_id {
                return Err(ApiError::Forbidden(
                    "only the mentee can withdraw a request".into(),
                ));
            }
            kindred_db::write_tx(conn, |conn| -> ApiResult<()> {
                kindred_db::lifecycle::lock_request(conn, &id)?;
                let r = kindred_db::lifecycle::get_request(conn, &id)?.ok_or(ApiError::NotFound)?;
                if r.state != "open" {
                    return Err(ApiError::Conflict {
                        detail: format!("the request is {}", r.state),
                        current_state: Some(r.state),
                    });
                }
                if let Some(m) = kindred_db::lifecycle::open_match_for_request(conn, &r.id)? {
                    if m.state != "proposed" {
                        return Err(ApiError::Conflict {
                            detail: format!(
                                "the request has a match that is {}; end or wait for it first",
                                m.state
                            ),
                            current_state: Some(m.state),
                        });
                    }
                    let actor = crate::lifecycle::Actor {
                        user_id: Some(&caller_id),
                        role: "mentee",
                    };
                    crate::lifecycle::apply(
                        conn,
                        &settings,
                        &m.id,
                        kindred_core::MatchAction::Reject,
                        &actor,
                        Some("request withdrawn by the mentee"),
                    )?;
                }
                kindred_db::lifecycle::set_request_state(conn, &r.id, "withdrawn")?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RequestsQuery {
    /// open (default), matched, withdrawn or closed
    pub state: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    pub next_cursor: Option<String>,
}

/// The coordinators' queue: oldest first, with waiting time.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(RequestsQuery),
    responses((status = 200, body = RequestPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_requests(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<RequestsQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let query = query.into_inner();
    let wanted = query.state.unwrap_or_else(|| "open".into());
    if !["open", "matched", "withdrawn", "closed"].contains(&wanted.as_str()) {
        return Err(ApiError::field(
            "state",
            "must be open, matched, withdrawn or closed",
        ));
    }
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let (rows, next) = state
        .db(move |conn| {
            page.load(
                conn,
                |c, after, n| kindred_db::lifecycle::list_requests(c, &wanted, after, n),
                |r| r.id.clone(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.iter().map(request_view).collect(),
        next_cursor: next,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SuggestionsQuery {
    /// How many mentors (1–50, default 5).
    pub limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionView {
    pub mentor_id: String,
    pub score: i64,
    #[schema(value_type = Object)]
    pub explanation: kindred_matching::Explanation,
}

/// The best mentors for one request, each with the explanation of its score.
#[utoipa::path(get, path = "/api/v1/requests/{id}/suggestions", tag = "requests",
    params(("id" = String, Path), SuggestionsQuery),
    responses((status = 200, body = Vec<SuggestionView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suggestions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<SuggestionsQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let (caller_id, coordinator) = (caller.id().to_string(), caller.is_coordinator());
    let limit = match query.limit.as_deref() {
        None => 5,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => return Err(ApiError::field("limit", "must be an integer from 1 to 50")),
        },
    };
    let weights = crate::matchmaking::weights(&state.settings)?;
    let found = state
        .db(move |conn| {
            let r = visible_request(conn, &caller_id, coordinator, &id)?;
            if !coordinator {
                return Err(ApiError::Forbidden(
                    "only coordinators see suggestions".into(),
                ));
            }
            let problem = crate::matchmaking::snapshot(conn, weights, Some(&r))?;
            if problem.requests.is_empty() {
                return Err(ApiError::conflict("the mentee has no profile"));
            }
            kindred_matching::suggest(&problem, &r.id, limit)
                .map_err(|e| ApiError::Internal(format!("matching: {e}")))
        })
        .await?;
    let views: Vec<SuggestionView> = found
        .into_iter()
        .map(|s| SuggestionView {
            mentor_id: s.mentor_id,
            score: s.score,
            explanation: s.explanation,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}
