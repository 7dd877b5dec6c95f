//! Reviewing matches: the proposals (or matches in another state), one
//! match with both people's profiles and the whole explanation, approve,
//! and reject with a reason (the API's `approve` and `reject`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::MatchAction;
use kindred_service::console;
use kindred_service::matches::views::MatchView;
use serde::{Deserialize, Serialize};

use super::{coordinator, day, explanation_rows, failure, profile_rows, ListQuery};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::pages::matches::plausible_id;
use crate::pages::{form_failure, see_other, session_page};

const REJECT_FIELDS: &[Field] = &[field(
    "reason",
    "reject-reason",
    "console-field-reject-reason",
)];
const END_FIELDS: &[Field] = &[field("reason", "end-reason", "console-field-end-reason")];

/// The states a coordinator can list (`?state=`), in life-cycle order
/// (proposals first).
pub fn states() -> Vec<&'static str> {
    kindred_core::MatchState::ALL
        .iter()
        .map(|s| s.as_str())
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MatchesQuery {
    state: String,
    #[serde(flatten)]
    list: ListQuery,
}

#[derive(Serialize)]
struct MatchRow {
    id: String,
    mentor: String,
    mentee: String,
    score: i64,
    proposed: String,
}

fn row(m: &MatchView) -> MatchRow {
    MatchRow {
        id: m.id.clone(),
        mentor: m.mentor.display_name.clone(),
        mentee: m.mentee.display_name.clone(),
        score: m.score,
        proposed: day(&m.created_at),
    }
}

/// `GET /console/matches?state=`: matches in one state, oldest first
/// (`proposed` by default: the ones waiting for review).
pub async fn list(req: HttpRequest, query: web::Query<MatchesQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let states = states();
    let state = states
        .iter()
        .find(|s| **s == query.state)
        .copied()
        .unwrap_or("proposed");
    let caller = session.caller.clone();
    let page = query.list.page();
    let found = ctx
        .state
        .call(move |conn, settings| console::matches(conn, settings, &caller, Some(state), page))
        .await
        .map_err(|e| failure(&ctx, e))?;
    let values = minijinja::context! {
        state => state,
        states => states,
        rows => found.items.iter().map(row).collect::<Vec<_>>(),
        next_cursor => found.next_cursor.unwrap_or_default(),
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_matches.html",
        StatusCode::OK,
        FormState::default(),
        query.list.notice(),
        values,
    ))
}

/// The review page of match `id`, with `form` (the reject form's values
/// and errors) and a notice.
async fn review_page(
    ctx: &Ctx,
    session: &Session,
    id: String,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let (review, taxonomy) = ctx
        .state
        .call(move |conn, settings| {
            let review = console::match_review(conn, settings, &caller, &id)?;
            Ok((review, web.taxonomy.offered(conn, &caller)?))
        })
        .await
        .map_err(|e| failure(ctx, e))?;
    let lang = ctx.lang;
    let v = &review.view;
    let (total, rows) = explanation_rows(&v.explanation);
    let values = minijinja::context! {
        id => v.id,
        state => v.state,
        state_text => lang.t(&format!("console-state-{}", v.state)),
        proposed => v.state == "proposed",
        active => v.state == "active",
        score => v.score,
        total => total,
        rows => rows,
        mentor_name => v.mentor.display_name,
        mentor_id => v.mentor_id,
        mentee_id => v.mentee_id,
        mentor_pronouns => v.mentor.pronouns.clone().unwrap_or_default(),
        mentee_name => v.mentee.display_name,
        mentee_pronouns => v.mentee.pronouns.clone().unwrap_or_default(),
        mentor => review.mentor.as_ref().map(|p| profile_rows(lang, &taxonomy, p)),
        mentee => review.mentee.as_ref().map(|p| profile_rows(lang, &taxonomy, p)),
        request_id => v.request_id,
        note => v.note.clone().unwrap_or_default(),
        ended_reason => v.ended_reason.clone().unwrap_or_default(),
    };
    Ok(session_page(
        ctx,
        session,
        "console_match.html",
        status,
        form,
        notice,
        values,
    ))
}

/// `GET /console/matches/{id}`.
pub async fn detail(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    review_page(
        &ctx,
        &session,
        path.into_inner(),
        StatusCode::OK,
        FormState::default(),
        query.notice(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    csrf: String,
    reason: String,
}

/// A coordinator's decision on a match: the action, the notice after it,
/// and the form its reason belongs to.
struct Decision {
    action: MatchAction,
    notice: &'static str,
    fields: &'static [Field],
}

const APPROVE: Decision = Decision {
    action: MatchAction::Approve,
    notice: "approved",
    fields: REJECT_FIELDS,
};
const REJECT: Decision = Decision {
    action: MatchAction::Reject,
    notice: "rejected",
    fields: REJECT_FIELDS,
};
const END: Decision = Decision {
    action: MatchAction::End,
    notice: "ended",
    fields: END_FIELDS,
};

/// Applies `decision` to match `id` (the API's action routes): then the
/// matches with a notice, the match's page saying it changed meanwhile
/// (409), or the form with its errors (422).
async fn decide(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
    decision: &Decision,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let id = path.into_inner();
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let (target, reason, action) = (id.clone(), form.reason.clone(), decision.action);
    let done = ctx
        .state
        .call(move |conn, settings| {
            kindred_service::matches::actions::act(
                conn,
                settings,
                &caller,
                &target,
                action,
                Some(&reason),
            )
        })
        .await;
    match done {
        Ok(_) => Ok(see_other(&format!(
            "/console/matches?notice={}",
            decision.notice
        ))),
        Err(ApiError::Conflict { .. }) => {
            review_page(
                &ctx,
                &session,
                id,
                StatusCode::CONFLICT,
                FormState::default(),
                Some("console-problem-changed"),
            )
            .await
        }
        Err(err) => {
            let kept = FormState::with_values(&[(decision.fields[0].input, &form.reason)]);
            let kept = form_failure(&ctx, err, decision.fields, kept)?;
            review_page(
                &ctx,
                &session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                kept,
                None,
            )
            .await
        }
    }
}

/// `POST /console/matches/{id}/approve`: to the mentor (`awaiting_mentor`).
pub async fn approve(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> WebResult<HttpResponse> {
    decide(req, path, form, &APPROVE).await
}

/// `POST /console/matches/{id}/reject` with a reason (required; only
/// coordinators read it).
pub async fn reject(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> WebResult<HttpResponse> {
    decide(req, path, form, &REJECT).await
}

/// `POST /console/matches/{id}/end` with a reason (required; the
/// participants read it), e.g. from the safety inbox.
pub async fn end(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> WebResult<HttpResponse> {
    decide(req, path, form, &END).await
}
