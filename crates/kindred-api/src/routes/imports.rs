//! Coordinators' CSV data: import participants, export participants and matches.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use kindred_service::imports::{self, ImportStarted, ImportView};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, CsvBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/imports").route(web::post().to(start_import)))
        .service(web::resource("/admin/imports/{id}").route(web::get().to(get_import)))
        .service(
            web::resource("/admin/exports/participants.csv")
                .route(web::get().to(export_participants)),
        )
        .service(web::resource("/admin/exports/matches.csv").route(web::get().to(export_matches)));
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: check every row and report what would happen, writing nothing and sending no email.
    #[param(value_type = Option<bool>)]
    pub dry_run: Option<String>,
}

fn dry_run(raw: Option<&str>) -> ApiResult<bool> {
    match raw {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::from(kindred_service::ServiceError::field(
            "dry_run",
            "must be true or false",
        ))),
    }
}

/// Imports participants from a CSV file (coordinators): `202` with the
/// import's id; the rows are applied in the background (read the progress
/// with `GET /admin/imports/{id}`). The file is UTF-8 with a header row of
/// known columns including `email`; a file that is not, is `422` (errors
/// under `file` or `header`) and nothing is stored. New addresses get an
/// invited account and an invitation email; existing ones an updated profile.
#[utoipa::path(post, path = "/api/v1/admin/imports", tag = "data", params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "UTF-8 CSV with a header row. Columns (any order; only `email` is required): email, display_name, role (mentee|mentor), pronouns, languages (`;`-separated), timezone, tags (`;`-separated slugs), private_tags, meeting_modes, region, availability (`mon 18:00-20:30; wed 19:00-21:00`), capacity, goals, bio. At most `imports.max_bytes` (default 5 MiB).",
        example = "email,display_name,role,languages,timezone,meeting_modes\nana@example.org,Ana,mentee,es; en,Europe/Madrid,online\n"),
    responses((status = 202, body = ImportStarted, description = "Stored; the rows are applied in the background"),
        (status = 400, body = crate::error::Problem, description = "A query parameter of the wrong type"),
        (status = 403, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem, description = "Larger than imports.max_bytes"),
        (status = 415, body = crate::error::Problem, description = "Content-Type is not text/csv"),
        (status = 422, body = crate::error::Problem, description = "Not UTF-8, not CSV, unknown or repeated columns, no email column (`errors.file`, `errors.header`), or a bad dry_run")),
    security(("bearer" = [])))]
pub async fn start_import(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ImportQuery>,
    body: CsvBody,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    let dry_run = dry_run(query.dry_run.as_deref())?;
    let body = body.bytes()?;
    let started = state
        .call(move |conn, settings| imports::start(conn, settings, &caller, &body, dry_run))
        .await?;
    Ok(HttpResponse::Accepted().json(started))
}

/// An import's progress and report (coordinators): the counts so far and
/// each row not imported, by its row number (the header is row 1) with
/// messages by column.
#[utoipa::path(get, path = "/api/v1/admin/imports/{id}", tag = "data",
    params(("id" = String, Path, description = "The id `POST /admin/imports` answered")),
    responses((status = 200, body = ImportView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_import(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, _| imports::status(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

fn csv_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

/// Every participant's profile as CSV in the import's columns, without
/// private tags or tags waiting for consent (coordinators). Cells a
/// spreadsheet would run as a formula start with `'`.
#[utoipa::path(get, path = "/api/v1/admin/exports/participants.csv", tag = "data",
    responses((status = 200, description = "One row per profile: email, display_name, role, pronouns, languages, timezone, tags, meeting_modes, region, availability, capacity, goals, bio",
            content_type = "text/csv", body = String),
        (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_participants(
    state: web::Data<AppState>,
    caller: Caller,
) -> ApiResult<HttpResponse> {
    let bytes = state
        .call(move |conn, _| kindred_service::exports::participants_csv(conn, &caller))
        .await?;
    Ok(csv_response("participants.csv", bytes))
}

/// Every match as CSV: ids, state, display names, score and times, no
/// contact details or explanations (coordinators).
#[utoipa::path(get, path = "/api/v1/admin/exports/matches.csv", tag = "data",
    responses((status = 200, description = "One row per match: match_id, state, mentor_id, mentor_name, mentee_id, mentee_name, score, created_at, activated_at, ended_at, ended_reason, request_id",
            content_type = "text/csv", body = String),
        (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_matches(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let bytes = state
        .call(move |conn, _| kindred_service::exports::matches_csv(conn, &caller))
        .await?;
    Ok(csv_response("matches.csv", bytes))
}
