//! A mentor accepts or declines (with an optional reason, which only the
//! coordinators see); either person ends an active match (with a reason).
//! Each is `matches::actions::act`, as in the API; a match that changed
//! meanwhile, or an action this person may not take, is shown on the
//! match's page in words.

use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::MatchAction;
use kindred_service::matches::actions as service;
use serde::Deserialize;

use super::{load, match_page, plausible_id, problem, show, show_failure, Top};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::pages::see_other;

const DECLINE_FIELDS: &[Field] = &[field(
    "reason",
    "decline-reason",
    "matches-field-decline-reason",
)];
const END_FIELDS: &[Field] = &[field("reason", "end-reason", "matches-field-end-reason")];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
}

/// Applies `action` to the caller's match `id` (one service call).
async fn act(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    action: MatchAction,
    reason: &str,
) -> WebResult<Result<(), ApiError>> {
    if !plausible_id(id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let id = id.to_string();
    let reason = reason.to_string();
    Ok(ctx
        .state
        .call(move |conn, settings| {
            service::act(conn, settings, &caller, &id, action, Some(&reason)).map(|_| ())
        })
        .await)
}

/// `POST /matches/{id}/accept` (the mentor).
pub async fn accept(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    match act(&ctx, &session, &path, MatchAction::Accept, "").await? {
        Ok(()) => Ok(see_other(&format!("/matches/{path}?notice=accepted"))),
        Err(err) => {
            let (status, problem) = problem(&ctx, err)?;
            let my = load(&ctx, &session, &path).await?;
            Ok(match_page(
                &ctx,
                &session,
                "match.html",
                status,
                &my,
                FormState::default(),
                Top::Problem(problem),
            ))
        }
    }
}

/// `POST /matches/{id}/decline` (the mentor), with an optional reason.
pub async fn decline(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let form = form.into_inner();
    ctx.check_session(&session, &form.csrf)?;
    match act(&ctx, &session, &path, MatchAction::Decline, &form.reason).await? {
        Ok(()) => Ok(see_other(&format!("/matches/{path}?notice=declined"))),
        Err(err) => {
            let shown = FormState::with_values(&[("decline-reason", &form.reason)]);
            show_failure(
                &ctx,
                &session,
                &path,
                "match.html",
                err,
                DECLINE_FIELDS,
                shown,
            )
            .await
        }
    }
}

/// `GET /matches/{id}/end`: why end it, and who will read the reason.
pub async fn end_page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    show(&req, &path, "match_end.html", Top::Plain).await
}

/// `POST /matches/{id}/end` (either person), with a required reason.
pub async fn end(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let form = form.into_inner();
    ctx.check_session(&session, &form.csrf)?;
    match act(&ctx, &session, &path, MatchAction::End, &form.reason).await? {
        Ok(()) => Ok(see_other(&format!("/matches/{path}?notice=ended"))),
        Err(err) => {
            let shown = FormState::with_values(&[("end-reason", &form.reason)]);
            show_failure(
                &ctx,
                &session,
                &path,
                "match_end.html",
                err,
                END_FIELDS,
                shown,
            )
            .await
        }
    }
}
