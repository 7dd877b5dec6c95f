//! Block and report, from every match and card. Blocking is
//! `matches::mine::block_partner`, which blocks the other person of the
//! caller's own match with `safety::block` (`POST /api/v1/blocks`): the
//! pair is never proposed again and an open match between them closes. Reporting is
//! `safety::report` (`POST /api/v1/reports`): the coordinators are alerted
//! and read it; the other person is not told.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::matches::mine;
use kindred_service::safety::{self, ReportInput};
use serde::Deserialize;

use super::matches::{plausible_id, show, show_failure, Top};
use super::{see_other, session_page, Area};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};

pub const AREA: Area = Area {
    templates: &[
        ("block.html", include_str!("../../templates/block.html")),
        ("report.html", include_str!("../../templates/report.html")),
        (
            "report_sent.html",
            include_str!("../../templates/report_sent.html"),
        ),
    ],
    pages: &["block.html", "report.html", "report_sent.html"],
    message_ids: &["block-submit-label"],
    routes,
};

/// Blocking has no input of its own: a refusal is shown on its button.
const BLOCK_FIELDS: &[Field] = &[field("user_id", "block-submit", "block-submit-label")];
const REPORT_FIELDS: &[Field] = &[field(
    "reason",
    "report-reason",
    "matches-field-report-reason",
)];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/matches/{id}/block")
            .route(web::get().to(block_page))
            .route(web::post().to(block)),
    )
    .service(
        web::resource("/matches/{id}/report")
            .route(web::get().to(report_page))
            .route(web::post().to(report)),
    )
    .service(web::resource("/matches/{id}/report/sent").route(web::get().to(report_sent)));
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct BlockForm {
    csrf: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    csrf: String,
    about_user_id: String,
    reason: String,
}

/// `GET /matches/{id}/block`: what blocking does, and the button.
pub async fn block_page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    show(&req, &path, "block.html", Top::Plain).await
}

/// `POST /matches/{id}/block` → the match's page, which says it is done.
pub async fn block(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<BlockForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let form = form.into_inner();
    ctx.check_session(&session, &form.csrf)?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| mine::block_partner(conn, settings, &caller, &id))
        .await;
    match done {
        Ok(_) => Ok(see_other(&format!("/matches/{path}?notice=blocked"))),
        Err(err) => {
            let shown = FormState::default();
            show_failure(
                &ctx,
                &session,
                &path,
                "block.html",
                err,
                BLOCK_FIELDS,
                shown,
            )
            .await
        }
    }
}

/// `GET /matches/{id}/report`: the report form.
pub async fn report_page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    show(&req, &path, "report.html", Top::Plain).await
}

/// `POST /matches/{id}/report` → what happens next.
pub async fn report(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ReportForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let form = form.into_inner();
    ctx.check_session(&session, &form.csrf)?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let input = ReportInput {
        about_user_id: form.about_user_id,
        match_id: Some(path.to_string()),
        reason: form.reason.clone(),
    };
    let done = ctx
        .state
        .call(move |conn, settings| safety::report(conn, settings, &caller, &input))
        .await;
    match done {
        Ok(_) => Ok(see_other(&format!("/matches/{path}/report/sent"))),
        Err(err) => {
            let shown = FormState::with_values(&[("report-reason", &form.reason)]);
            show_failure(
                &ctx,
                &session,
                &path,
                "report.html",
                err,
                REPORT_FIELDS,
                shown,
            )
            .await
        }
    }
}

/// `GET /matches/{id}/report/sent`: what happens next, and support.
pub async fn report_sent(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let values = minijinja::context! { match_id => path.as_str() };
    Ok(session_page(
        &ctx,
        &session,
        "report_sent.html",
        StatusCode::OK,
        FormState::default(),
        None,
        values,
    ))
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    match template {
        "block.html" | "report.html" => Some(super::matches::sample_match("active", "mentor")),
        "report_sent.html" => Some(minijinja::context! { match_id => "0190-abc" }),
        _ => None,
    }
}
