//! Check-ins, blocks and reports: the safety side of a match.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::lifecycle::Actor;
use crate::pagination::{Page, PageQuery};
use crate::routes::matches::visible_match;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/matches/{id}/check-ins")
            .route(web::post().to(create_check_in))
            .route(web::get().to(list_check_ins)),
    )
    .service(web::resource("/check-ins").route(web::get().to(support_queue)))
    .service(web::resource("/blocks").route(web::post().to(create_block)))
    .service(
        web::resource("/reports")
            .route(web::post().to(create_report))
            .route(web::get().to(list_reports)),
    );
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// 1 (struggling) to 5 (going well).
    pub rating: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// Asks a coordinator to get in touch; they are alerted at once.
    #[serde(default)]
    pub needs_support: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInView {
    pub id: String,
    pub match_id: String,
    pub author_id: String,
    pub rating: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Left out of the other participant's view: a request for support, and
    /// its note, go to coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_support: Option<bool>,
    pub created_at: DateTime<Utc>,
}

pub fn check_in_view(c: kindred_db::models::CheckIn) -> CheckInView {
    CheckInView {
        id: c.id,
        match_id: c.match_id,
        author_id: c.author_id,
        rating: c.rating,
        note: c.note,
        needs_support: Some(c.needs_support),
        created_at: c.created_at.and_utc(),
    }
}

/// A check-in as the other participant sees it: rating and time only.
fn check_in_view_for_partner(c: kindred_db::models::CheckIn) -> CheckInView {
    CheckInView {
        note: None,
        needs_support: None,
        ..check_in_view(c)
    }
}

/// A participant of an active match reports how it is going.
#[utoipa::path(post, path = "/api/v1/matches/{id}/check-ins", tag = "safety", params(("id" = String, Path)),
    request_body = CheckInInput,
    responses((status = 201, body = CheckInView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<CheckInInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let mut errors = kindred_core::FieldErrors::new();
    if !(1..=5).contains(&input.rating) {
        errors.add("rating", "must be from 1 to 5");
    }
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        errors.add("note", "at most 2000 characters");
    }
    let id = path.into_inner();
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                let m = visible_match(conn, &caller, &id)?;
                if m.mentor_id != caller.id() && m.mentee_id != caller.id() {
                    return Err(ApiError::Forbidden(
                        "only the two participants check in".into(),
                    ));
                }
                if !errors.is_empty() {
                    return Err(errors.into());
                }
                if m.state != "active" {
                    return Err(ApiError::Conflict {
                        detail: "check-ins are for active matches".into(),
                        current_state: Some(m.state),
                    });
                }
                let c = kindred_db::models::CheckIn {
                    id: kindred_db::new_id(),
                    match_id: m.id.clone(),
                    author_id: caller.id().to_string(),
                    rating: i32::try_from(input.rating).unwrap_or(1),
                    note: input
                        .note
                        .as_ref()
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty()),
                    needs_support: input.needs_support,
                    created_at: kindred_db::now(),
                };
                kindred_db::safety::insert_check_in(conn, &c)?;
                if c.needs_support {
                    crate::emails::needs_support_alert(conn, &settings, &m, &c.id, c.rating)?;
                }
                Ok(check_in_view(c))
            })
        })
        .await?;
    state.mail_queued();
    Ok(HttpResponse::Created().json(view))
}

/// Check-ins of a match: its participants and coordinators. A participant
/// sees the other's rating and time, not their note or support request.
#[utoipa::path(get, path = "/api/v1/matches/{id}/check-ins", tag = "safety", params(("id" = String, Path)),
    responses((status = 200, body = Vec<CheckInView>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_check_ins(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let viewer = caller.id().to_string();
    let coordinator = caller.is_coordinator();
    let rows = state
        .db(move |conn| {
            let m = visible_match(conn, &caller, &id)?;
            Ok(kindred_db::safety::check_ins_for_match(conn, &m.id)?)
        })
        .await?;
    let views: Vec<CheckInView> = rows
        .into_iter()
        .map(|c| {
            if coordinator || c.author_id == viewer {
                check_in_view(c)
            } else {
                check_in_view_for_partner(c)
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SupportQuery {
    /// Must be `true`: the coordinators' list of check-ins asking for support.
    pub needs_support: Option<bool>,
}

/// Check-ins that asked for support, newest first (coordinators).
#[utoipa::path(get, path = "/api/v1/check-ins", tag = "safety", params(SupportQuery),
    responses((status = 200, body = Vec<CheckInView>), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn support_queue(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<SupportQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    if query.needs_support != Some(true) {
        return Err(ApiError::field(
            "needs_support",
            "only needs_support=true is supported",
        ));
    }
    let rows = state
        .db(|conn| Ok(kindred_db::safety::needs_support(conn, 200)?))
        .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(check_in_view).collect::<Vec<_>>()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    pub user_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BlockView {
    pub user_id: String,
    pub created: bool,
}

/// Blocks someone: the pair is never proposed again, in either direction,
/// and any open match between them is closed.
#[utoipa::path(post, path = "/api/v1/blocks", tag = "safety", request_body = BlockInput,
    responses((status = 201, body = BlockView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_block(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<BlockInput>,
) -> ApiResult<HttpResponse> {
    let target = body.0.user_id;
    if target == caller.id() {
        return Err(ApiError::field("user_id", "you cannot block yourself"));
    }
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                if kindred_db::users::find(conn, &target)?.is_none() {
                    return Err(ApiError::NotFound);
                }
                let created = kindred_db::safety::insert_block(conn, caller.id(), &target)?;
                let open = kindred_db::lifecycle::open_matches_between(conn, caller.id(), &target)?;
                let actor = Actor {
                    user_id: Some(caller.id()),
                    role: "participant",
                };
                crate::lifecycle::close_open_matches(
                    conn,
                    &settings,
                    open,
                    &actor,
                    "ended for safety reasons",
                )?;
                Ok(BlockView {
                    user_id: target.clone(),
                    created,
                })
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub about_user_id: String,
    #[serde(default)]
    pub match_id: Option<String>,
    /// What happened (1–5000 characters). Seen by coordinators only.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: String,
    pub reporter_id: Option<String>,
    pub about_user_id: String,
    pub match_id: Option<String>,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub fn report_view(r: kindred_db::models::Report) -> ReportView {
    ReportView {
        id: r.id,
        reporter_id: r.reporter_id,
        about_user_id: r.about_user_id,
        match_id: r.match_id,
        reason: r.reason,
        status: r.status,
        created_at: r.created_at.and_utc(),
    }
}

/// Reports a concern about someone; coordinators are alerted at once.
#[utoipa::path(post, path = "/api/v1/reports", tag = "safety", request_body = ReportInput,
    responses((status = 201, body = ReportView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_report(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ReportInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let reason = input.reason.trim().to_string();
    let mut errors = kindred_core::FieldErrors::new();
    let n = reason.chars().count();
    if n == 0 || n > 5000 {
        errors.add("reason", "must be 1 to 5000 characters");
    }
    if input.about_user_id == caller.id() {
        errors.add("about_user_id", "you cannot report yourself");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                if kindred_db::users::find(conn, &input.about_user_id)?.is_none() {
                    return Err(ApiError::NotFound);
                }
                if let Some(match_id) = &input.match_id {
                    let m = visible_match(conn, &caller, match_id)?;
                    if m.mentor_id != input.about_user_id && m.mentee_id != input.about_user_id {
                        return Err(ApiError::field(
                            "match_id",
                            "the reported person is not part of this match",
                        ));
                    }
                }
                let r = kindred_db::models::Report {
                    id: kindred_db::new_id(),
                    reporter_id: Some(caller.id().to_string()),
                    about_user_id: input.about_user_id.clone(),
                    match_id: input.match_id.clone(),
                    reason: reason.clone(),
                    status: "open".into(),
                    created_at: kindred_db::now(),
                };
                kindred_db::safety::insert_report(conn, &r)?;
                crate::emails::report_alert(
                    conn,
                    &settings,
                    &r.id,
                    "(kept in Kindred: open the report to read it)",
                )?;
                Ok(report_view(r))
            })
        })
        .await?;
    state.mail_queued();
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportsQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// Every report, oldest first (coordinators).
#[utoipa::path(get, path = "/api/v1/reports", tag = "safety", params(ReportsQuery),
    responses((status = 200, body = ReportPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_reports(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReportsQuery>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let (rows, next) = state
        .db(move |conn| page.load(conn, kindred_db::safety::list_reports, |r| r.id.clone()))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(report_view).collect(),
        next_cursor: next,
    }))
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ReportPage {
    pub items: Vec<ReportView>,
    pub next_cursor: Option<String>,
}
