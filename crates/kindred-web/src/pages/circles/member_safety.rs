//! Block or report someone of a circle one is in:
//! `/circles/{id}/people/{user}/block|report`. The match pages' block and
//! report are per match; these take the person from the circle. Blocking
//! is `safety::block` (`POST /blocks`): the facilitator and coordinators are
//! alerted; reporting is `safety::report` (`POST /reports`), read by the
//! coordinators only. Only people of the same circle can be chosen here.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::circles::views;
use kindred_service::safety::{self, BlockInput, ReportInput};
use serde::Deserialize;

use super::{field_errors, plausible};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::pages::{see_other, session_page};

const BLOCK_FIELDS: &[Field] = &[field("user_id", "block-submit", "circles-field-block")];
const REPORT_FIELDS: &[Field] = &[field(
    "reason",
    "report-reason",
    "circles-field-report-reason",
)];

/// Who the page is about: their name in this circle.
struct Target {
    circle_id: String,
    user_id: String,
    name: String,
}

/// The person `user` of circle `id`, as the caller sees the circle (the
/// 404 page for anyone not in it, and for oneself).
async fn target(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    user: &str,
    action: &str,
) -> WebResult<Target> {
    plausible(ctx, id)?;
    plausible(ctx, user)?;
    if !matches!(action, "block" | "report") || user == session.caller.id() {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let cid = id.to_string();
    let circle = ctx
        .state
        .call(move |conn, _| views::get(conn, &caller, &cid))
        .await
        .map_err(|e| super::failure(ctx, e))?;
    let name = if circle.facilitator_id == user {
        Some(circle.facilitator_name.clone())
    } else {
        circle
            .members
            .iter()
            .find(|m| m.user_id == user)
            .map(|m| m.display_name.clone())
    };
    let Some(name) = name else {
        return Err(ctx.fail(Failure::NotFound));
    };
    Ok(Target {
        circle_id: circle.id,
        user_id: user.to_string(),
        name,
    })
}

fn render(
    ctx: &Ctx,
    session: &Session,
    t: &Target,
    action: &str,
    status: StatusCode,
    form: FormState,
) -> HttpResponse {
    let values = minijinja::context! {
        circle_id => t.circle_id,
        user_id => t.user_id,
        name => t.name,
        action => action,
    };
    session_page(
        ctx,
        session,
        "circle_safety.html",
        status,
        form,
        None,
        values,
    )
}

/// `GET /circles/{id}/people/{user}/{block|report}`.
pub async fn page(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let (id, user, action) = path.into_inner();
    let t = target(&ctx, &session, &id, &user, &action).await?;
    Ok(render(
        &ctx,
        &session,
        &t,
        &action,
        StatusCode::OK,
        FormState::default(),
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SafetyForm {
    csrf: String,
    reason: String,
}

/// `POST /circles/{id}/people/{user}/{block|report}`.
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: web::Form<SafetyForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    let (id, user, action) = path.into_inner();
    let t = target(&ctx, &session, &id, &user, &action).await?;
    let caller = session.caller.clone();
    let reason = form.reason.clone();
    let about = t.user_id.clone();
    let block = action == "block";
    let done = ctx
        .state
        .call(move |conn, settings| {
            if block {
                safety::block(conn, settings, &caller, &BlockInput { user_id: about }).map(|_| ())
            } else {
                let input = ReportInput {
                    about_user_id: about,
                    match_id: None,
                    reason,
                };
                safety::report(conn, settings, &caller, &input).map(|_| ())
            }
        })
        .await;
    let notice = if block { "blocked" } else { "reported" };
    match done {
        // After a block the circle may no longer be theirs to see.
        Ok(()) if block => Ok(see_other(&format!("/circles?notice={notice}"))),
        Ok(()) => Ok(see_other(&format!("/circles/{id}?notice={notice}"))),
        Err(err) => {
            let fields = if block { BLOCK_FIELDS } else { REPORT_FIELDS };
            let shown = FormState::with_values(&[("report-reason", &form.reason)]);
            let form = field_errors(&ctx, err, fields, shown).map_err(|e| ctx.api_failure(e))?;
            Ok(render(
                &ctx,
                &session,
                &t,
                &action,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            ))
        }
    }
}
