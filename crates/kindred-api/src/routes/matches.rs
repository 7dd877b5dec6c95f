//! Matching runs, matches and their transitions, and the audit log.

use std::time::Instant;

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_core::MatchAction;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::lifecycle::Actor;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/matching-runs").route(web::post().to(start_run)))
        .service(web::resource("/matching-runs/{id}").route(web::get().to(get_run)))
        .service(
            web::resource("/matches")
                .route(web::get().to(list_matches))
                .route(web::post().to(create_manual)),
        )
        .service(web::resource("/matches/{id}").route(web::get().to(get_match)))
        .service(web::resource("/matches/{id}/events").route(web::get().to(match_events)))
        .service(web::resource("/matches/{id}/approve").route(web::post().to(approve)))
        .service(web::resource("/matches/{id}/reject").route(web::post().to(reject)))
        .service(web::resource("/matches/{id}/accept").route(web::post().to(accept)))
        .service(web::resource("/matches/{id}/decline").route(web::post().to(decline)))
        .service(web::resource("/matches/{id}/end").route(web::post().to(end)));
}

// ---------------------------------------------------------------- runs

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunInput {
    /// `optimal` (maximum total score) or `stable` (no mentee and mentor who
    /// would both rather have each other).
    #[schema(example = "optimal")]
    pub mode: String,
    /// Compute and report without creating proposals.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RunView {
    pub id: String,
    pub mode: String,
    pub dry_run: bool,
    pub proposals: i32,
    pub unmatched: i32,
    pub total_score: i64,
    pub duration_ms: i64,
    pub created_at: DateTime<Utc>,
    /// Fairness report, optimality certificate and the unmatched requests with reasons.
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

fn run_view(r: &kindred_db::models::MatchingRun) -> RunView {
    RunView {
        id: r.id.clone(),
        mode: r.mode.clone(),
        dry_run: r.dry_run,
        proposals: r.proposals,
        unmatched: r.unmatched,
        total_score: r.total_score,
        duration_ms: r.duration_ms,
        created_at: r.created_at.and_utc(),
        report: serde_json::from_str(&r.report).unwrap_or(serde_json::Value::Null),
    }
}

/// Runs the matcher over every open request and every accepting mentor with
/// free capacity, on a consistent snapshot. Runs never overlap: a second one
/// waits for the first and then sees its proposals.
#[utoipa::path(post, path = "/api/v1/matching-runs", tag = "matching", request_body = RunInput,
    responses((status = 201, body = RunView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn start_run(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<RunInput>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let input = body.0;
    let mode = match input.mode.as_str() {
        "optimal" => kindred_matching::Mode::Optimal,
        "stable" => kindred_matching::Mode::Stable,
        _ => return Err(ApiError::field("mode", "must be optimal or stable")),
    };
    let weights = crate::matchmaking::weights(&state.settings)?;
    let settings = state.settings.clone();
    let coordinator_id = caller.id().to_string();
    let run = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                let started = Instant::now();
                kindred_db::lifecycle::lock_matching_runs(conn)?;
                let problem = crate::matchmaking::snapshot(conn, weights, None)?;
                let result = kindred_matching::run(&problem, mode)
                    .map_err(|e| ApiError::Internal(format!("matching: {e}")))?;
                let run_id = kindred_db::new_id();
                // The run row goes first: proposals point at it.
                let report = serde_json::json!({
                    "fairness": result.fairness,
                    "certificate": result.certificate,
                    "unmatched": result.unmatched,
                    "pairs_scored": result.pairs_scored,
                    "auto_approve": settings.matching.auto_approve,
                });
                let mut row = kindred_db::models::MatchingRun {
                    id: run_id.clone(),
                    mode: input.mode.clone(),
                    dry_run: input.dry_run,
                    started_by: Some(coordinator_id.clone()),
                    proposals: i32::try_from(result.pairs.len()).unwrap_or(i32::MAX),
                    unmatched: i32::try_from(result.unmatched.len()).unwrap_or(i32::MAX),
                    total_score: result.pairs.iter().map(|p| p.score).sum(),
                    duration_ms: 0,
                    report: report.to_string(),
                    created_at: kindred_db::now(),
                };
                kindred_db::lifecycle::insert_run(conn, &row)?;
                if !input.dry_run {
                    let actor = Actor {
                        user_id: Some(&coordinator_id),
                        role: "coordinator",
                    };
                    for pair in &result.pairs {
                        let request = kindred_db::lifecycle::get_request(conn, &pair.request_id)?
                            .ok_or_else(|| {
                            ApiError::Internal("request vanished during the run".into())
                        })?;
                        crate::lifecycle::create(
                            conn,
                            &settings,
                            &request,
                            &pair.mentor_id,
                            pair.score,
                            &pair.explanation,
                            Some(&run_id),
                            None,
                            &actor,
                        )?;
                    }
                }
                row.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
                kindred_db::lifecycle::set_run_duration(conn, &run_id, row.duration_ms)?;
                Ok(row)
            })
        })
        .await?;
    state.mail_queued();
    Ok(HttpResponse::Created().json(run_view(&run)))
}

/// A matching run and its report (coordinators).
#[utoipa::path(get, path = "/api/v1/matching-runs/{id}", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = RunView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_run(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let id = path.into_inner();
    let run = state
        .db(move |conn| kindred_db::lifecycle::get_run(conn, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(run_view(&run)))
}

// ---------------------------------------------------------------- matches

/// One side of a match as the viewer may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    pub user_id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// Only while the match is active, and never one's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchView {
    pub id: String,
    pub mentor_id: String,
    pub mentee_id: String,
    pub request_id: String,
    #[schema(example = "awaiting_mentor")]
    pub state: String,
    pub score: i64,
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<String>,
    pub mentor: PartyView,
    pub mentee: PartyView,
    /// The match's own note (coordinators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the mentor must answer by (awaiting_mentor only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respond_by: Option<DateTime<Utc>>,
}

/// Renders a match for `viewer`, hiding contact details unless active.
pub fn match_view(
    conn: &mut kindred_db::DbConnection,
    settings: &kindred_config::Settings,
    m: &kindred_db::models::Match,
    viewer_id: &str,
    coordinator: bool,
) -> ApiResult<MatchView> {
    let active = m.state == "active";
    let party = |conn: &mut kindred_db::DbConnection, user_id: &str| -> ApiResult<PartyView> {
        let user = kindred_db::users::find(conn, user_id)?;
        Ok(match user {
            Some(u) => PartyView {
                user_id: u.id.clone(),
                display_name: u.display_name,
                pronouns: u.pronouns,
                email: if active && u.id != viewer_id {
                    u.email
                } else {
                    None
                },
            },
            None => PartyView {
                user_id: user_id.to_string(),
                display_name: "Deleted user".into(),
                pronouns: None,
                email: None,
            },
        })
    };
    Ok(MatchView {
        id: m.id.clone(),
        mentor_id: m.mentor_id.clone(),
        mentee_id: m.mentee_id.clone(),
        request_id: m.request_id.clone(),
        state: m.state.clone(),
        score: m.score,
        explanation: serde_json::from_str(&m.explanation).unwrap_or(serde_json::Value::Null),
        created_at: m.created_at.and_utc(),
        updated_at: m.updated_at.and_utc(),
        ended_reason: m.ended_reason.clone(),
        mentor: party(conn, &m.mentor_id)?,
        mentee: party(conn, &m.mentee_id)?,
        note: if coordinator { m.note.clone() } else { None },
        respond_by: (m.state == "awaiting_mentor")
            .then(|| {
                m.awaiting_since
                    .map(|t| (t + settings.matching.response_timeout.as_chrono()).and_utc())
            })
            .flatten(),
    })
}

/// A match the caller may see: coordinators always; participants once it
/// has left coordinator review (not `proposed` or `rejected`); else 404.
pub fn visible_match(
    conn: &mut kindred_db::DbConnection,
    caller: &Caller,
    id: &str,
) -> ApiResult<kindred_db::models::Match> {
    let m = kindred_db::lifecycle::get_match(conn, id)?.ok_or(ApiError::NotFound)?;
    let participant = m.mentor_id == caller.id() || m.mentee_id == caller.id();
    let reviewed = !kindred_db::lifecycle::COORDINATOR_ONLY_STATES.contains(&m.state.as_str());
    if caller.is_coordinator() || (participant && reviewed) {
        Ok(m)
    } else {
        Err(ApiError::NotFound)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MatchesQuery {
    pub state: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MatchPage {
    pub items: Vec<MatchView>,
    pub next_cursor: Option<String>,
}

/// Coordinators see every match; mentors and mentees their own.
#[utoipa::path(get, path = "/api/v1/matches", tag = "matching", params(MatchesQuery),
    responses((status = 200, body = MatchPage), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_matches(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MatchesQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    if let Some(s) = query.state.as_deref() {
        if s.parse::<kindred_core::MatchState>().is_err() {
            return Err(ApiError::field("state", "unknown match state"));
        }
    }
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let settings = state.settings.clone();
    let page_out = state
        .db(move |conn| {
            let viewer = caller.id().to_string();
            let coordinator = caller.is_coordinator();
            let mut rows = kindred_db::lifecycle::list_matches(
                conn,
                &kindred_db::lifecycle::MatchFilter {
                    participant: if coordinator { None } else { Some(&viewer) },
                    state: query.state.as_deref(),
                    after: page.after.as_deref(),
                    limit: page.limit + 1,
                },
            )?;
            let next = page.next_cursor(&mut rows, |m| m.id.clone());
            let items = rows
                .iter()
                .map(|m| match_view(conn, &settings, m, &viewer, coordinator))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(Page {
                items,
                next_cursor: next,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page_out))
}

/// One match: participants and coordinators; anyone else 404.
#[utoipa::path(get, path = "/api/v1/matches/{id}", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = MatchView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_match(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            let m = visible_match(conn, &caller, &id)?;
            match_view(conn, &settings, &m, caller.id(), caller.is_coordinator())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// The audit log of one match: who moved it, when and why (coordinators).
#[utoipa::path(get, path = "/api/v1/matches/{id}/events", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = Vec<EventView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn match_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let events = state
        .db(move |conn| {
            let m = visible_match(conn, &caller, &id)?;
            caller.require_coordinator()?;
            Ok(kindred_db::lifecycle::events(conn, &m.id)?)
        })
        .await?;
    let views: Vec<EventView> = events
        .into_iter()
        .map(|e| EventView {
            from_state: e.from_state,
            to_state: e.to_state,
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            reason: e.reason,
            at: e.created_at.and_utc(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualMatchInput {
    pub mentor_id: String,
    pub request_id: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A coordinator pairs a request with a mentor by hand (`proposed`, or
/// `awaiting_mentor` with auto-approve). Hard rules still apply.
#[utoipa::path(post, path = "/api/v1/matches", tag = "matching", request_body = ManualMatchInput,
    responses((status = 201, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_manual(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ManualMatchInput>,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let input = body.0;
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return Err(ApiError::field("note", "at most 2000 characters"));
    }
    let weights = crate::matchmaking::weights(&state.settings)?;
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                let request = kindred_db::lifecycle::get_request(conn, &input.request_id)?
                    .ok_or_else(|| ApiError::field("request_id", "no such request"))?;
                if kindred_db::profiles::get(conn, &input.mentor_id, "mentor")?.is_none() {
                    return Err(ApiError::field("mentor_id", "no mentor with this id"));
                }
                // Score and explain the pair with the same engine a run uses;
                // the engine also tells whether the hard rules allow it.
                let problem = crate::matchmaking::snapshot(conn, weights, Some(&request))?;
                let suggestion = kindred_matching::suggest(&problem, &request.id, problem.mentors.len().max(1))
                    .map_err(|e| ApiError::Internal(format!("matching: {e}")))?
                    .into_iter()
                    .find(|s| s.mentor_id == input.mentor_id);
                let Some(s) = suggestion else {
                    return Err(ApiError::Conflict {
                        detail: "this pair breaks a hard rule (language, meeting mode, required tags, region, block, earlier outcome or capacity)".into(),
                        current_state: None,
                    });
                };
                let actor = Actor { user_id: Some(caller.id()), role: "coordinator" };
                let m = crate::lifecycle::create(
                    conn, &settings, &request, &input.mentor_id, s.score, &s.explanation, None,
                    input.note.as_deref(), &actor,
                )?;
                match_view(conn, &settings, &m, caller.id(), true)
            })
        })
        .await?;
    state.mail_queued();
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: Option<String>,
}

/// Who may apply an action to a match they can see.
fn authorise(
    caller: &Caller,
    m: &kindred_db::models::Match,
    action: MatchAction,
) -> ApiResult<&'static str> {
    let is_mentor = m.mentor_id == caller.id();
    let is_mentee = m.mentee_id == caller.id();
    match action {
        MatchAction::Approve | MatchAction::Reject if caller.is_coordinator() => Ok("coordinator"),
        MatchAction::Accept | MatchAction::Decline if is_mentor => Ok("mentor"),
        MatchAction::End if is_mentor => Ok("mentor"),
        MatchAction::End if is_mentee => Ok("mentee"),
        MatchAction::End if caller.is_coordinator() => Ok("coordinator"),
        _ => Err(ApiError::Forbidden(format!(
            "you may not {} this match",
            action.as_str()
        ))),
    }
}

async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    id: String,
    action: MatchAction,
    reason: Option<String>,
    reason_required: bool,
) -> ApiResult<HttpResponse> {
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let reason_text = reason.clone();
    // Checked after visibility and role, so strangers learn nothing but 404.
    let check_reason = move || -> ApiResult<()> {
        if reason_required && reason.is_none() {
            return Err(ApiError::field("reason", "a reason is required"));
        }
        if reason.as_deref().is_some_and(|r| r.chars().count() > 2000) {
            return Err(ApiError::field("reason", "at most 2000 characters"));
        }
        Ok(())
    };
    let settings = state.settings.clone();
    let view = state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<_> {
                let m = visible_match(conn, &caller, &id)?;
                let role = authorise(&caller, &m, action)?;
                check_reason()?;
                let actor = Actor {
                    user_id: Some(caller.id()),
                    role,
                };
                let updated = crate::lifecycle::apply(
                    conn,
                    &settings,
                    &m.id,
                    action,
                    &actor,
                    reason_text.as_deref(),
                )?;
                match_view(
                    conn,
                    &settings,
                    &updated,
                    caller.id(),
                    caller.is_coordinator(),
                )
            })
        })
        .await?;
    state.mail_queued();
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
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::Approve,
        None,
        false,
    )
    .await
}

/// `proposed → rejected` with a reason (coordinators). The pair is never proposed again.
#[utoipa::path(post, path = "/api/v1/matches/{id}/reject", tag = "matching", params(("id" = String, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<ReasonInput>,
) -> ApiResult<HttpResponse> {
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::Reject,
        body.0.reason,
        true,
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
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::Accept,
        None,
        false,
    )
    .await
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
        false,
    )
    .await
}

/// `active → ended` with a reason (either participant or a coordinator).
#[utoipa::path(post, path = "/api/v1/matches/{id}/end", tag = "matching", params(("id" = String, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn end(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<ReasonInput>,
) -> ApiResult<HttpResponse> {
    transition(
        state,
        caller,
        path.into_inner(),
        MatchAction::End,
        body.0.reason,
        true,
    )
    .await
}
