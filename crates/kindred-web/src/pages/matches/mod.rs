//! My matches: each state in words and what happens next, the partner's
//! card (contact details only once active), accept / decline / end; and the
//! signed-in home's summary (`home`).
//!
//! Every page reads the match through `kindred_service::matches::mine`,
//! which shows a participant exactly what the API shows them; anyone else
//! gets the 404 page. Actions go through `matches::actions::act`, the same
//! call as `POST /api/v1/matches/{id}/accept|decline|end`.

pub mod actions;
pub mod home;
pub mod view;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::matches::mine::{self, MyMatch};
use kindred_service::pagination::PageQuery;
use serde::{Deserialize, Serialize};

use super::{session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::{WebError, WebResult};
use crate::forms::{Field, FormState};
use crate::i18n::Lang;

pub const AREA: Area = Area {
    templates: &[
        (
            "match_macros.html",
            include_str!("../../../templates/match_macros.html"),
        ),
        (
            "match_list.html",
            include_str!("../../../templates/match_list.html"),
        ),
        ("match.html", include_str!("../../../templates/match.html")),
        (
            "match_end.html",
            include_str!("../../../templates/match_end.html"),
        ),
    ],
    pages: &["match_list.html", "match.html", "match_end.html"],
    message_ids: MESSAGE_IDS,
    routes,
};

/// The ids this area's code chooses (states, next steps, notices, errors).
const MESSAGE_IDS: &[&str] = &[
    "matches-state-awaiting",
    "matches-state-active",
    "matches-state-declined",
    "matches-state-expired",
    "matches-state-ended",
    "matches-state-proposed",
    "matches-state-rejected",
    "matches-state-unknown",
    "matches-next-awaiting-mentee",
    "matches-next-awaiting-mentor",
    "matches-next-active-mentee",
    "matches-next-active-mentor",
    "matches-next-declined-mentee",
    "matches-next-declined-mentor",
    "matches-next-expired-mentee",
    "matches-next-expired-mentor",
    "matches-next-ended-mentee",
    "matches-next-ended-mentor",
    "matches-next-proposed",
    "matches-next-rejected",
    "matches-next-unknown",
    "matches-reason-safety",
    "matches-reason-closed",
    "matches-reason-account-deleted",
    "matches-why-base",
    "matches-why-shared",
    "matches-why-availability",
    "matches-why-timezone",
    "matches-notice-accepted",
    "matches-notice-declined",
    "matches-notice-ended",
    "matches-notice-blocked",
    "matches-problem-changed",
    "matches-problem-not-allowed",
    "matches-err-reason-required",
    "matches-err-rating",
    "matches-err-report-reason",
    "matches-field-decline-reason",
    "matches-field-end-reason",
    "matches-field-rating",
    "matches-field-checkin-note",
    "matches-field-report-reason",
];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/matches").route(web::get().to(list)))
        .service(web::resource("/matches/{id}").route(web::get().to(detail)))
        .service(web::resource("/matches/{id}/accept").route(web::post().to(actions::accept)))
        .service(web::resource("/matches/{id}/decline").route(web::post().to(actions::decline)))
        .service(
            web::resource("/matches/{id}/end")
                .route(web::get().to(actions::end_page))
                .route(web::post().to(actions::end)),
        );
}

/// The notices a redirect to a match page may ask for (`?notice=`).
const NOTICES: &[(&str, &str)] = &[
    ("accepted", "matches-notice-accepted"),
    ("declined", "matches-notice-declined"),
    ("ended", "matches-notice-ended"),
    ("blocked", "matches-notice-blocked"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MatchQuery {
    notice: String,
    cursor: String,
}

impl MatchQuery {
    fn message(&self) -> Option<&'static str> {
        NOTICES
            .iter()
            .find(|(key, _)| *key == self.notice)
            .map(|(_, id)| *id)
    }
}

/// A problem with an action that the page shows in words (a match that
/// changed meanwhile, an action this person may not take).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Problem {
    pub text: &'static str,
}

/// What went wrong with an action, as the page shows it; anything else is
/// an error page.
pub fn problem(ctx: &Ctx, err: ApiError) -> Result<(StatusCode, Problem), WebError> {
    match err {
        ApiError::Conflict { .. } => Ok((
            StatusCode::CONFLICT,
            Problem {
                text: "matches-problem-changed",
            },
        )),
        ApiError::Forbidden(_) => Ok((
            StatusCode::FORBIDDEN,
            Problem {
                text: "matches-problem-not-allowed",
            },
        )),
        other => Err(ctx.api_failure(other)),
    }
}

/// The service's own field messages for these forms, in words (the shared
/// table in `i18n` knows the core's shapes).
const FIELD_MESSAGES: &[(&str, &str)] = &[
    ("a reason is required", "matches-err-reason-required"),
    ("must be from 1 to 5", "matches-err-rating"),
    ("must be 1 to 5000 characters", "matches-err-report-reason"),
];

fn area_message(lang: Lang, message: &str) -> Option<String> {
    if let Some((_, id)) = FIELD_MESSAGES.iter().find(|(m, _)| *m == message) {
        return Some(lang.t(id));
    }
    let max = message
        .strip_prefix("at most ")
        .and_then(|rest| rest.strip_suffix(" characters"))
        .and_then(|n| n.parse::<i64>().ok())?;
    lang.text("err-too-long", &[("max", max.into())]).ok()
}

/// A form's service failure, like `pages::form_failure`, with this area's
/// messages translated: field errors become the form shown again; a
/// conflict or refusal is `Err(Ok(problem))`; anything else an error page.
pub fn form_failure(
    ctx: &Ctx,
    err: ApiError,
    fields: &[Field],
    mut form: FormState,
) -> Result<FormState, Result<(StatusCode, Problem), WebError>> {
    let errors = match err {
        ApiError::Validation(errors) => errors,
        other => return Err(problem(ctx, other)),
    };
    let mut paths: Vec<&String> = Vec::new();
    for f in fields {
        paths.extend(errors.keys().filter(|p| p.as_str() == f.path));
    }
    paths.extend(
        errors
            .keys()
            .filter(|p| !fields.iter().any(|f| f.path == p.as_str())),
    );
    paths.dedup();
    let mut rest = BTreeMap::new();
    for path in paths {
        let Some(field) = fields.iter().find(|f| f.path == path).or(fields.first()) else {
            break;
        };
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for message in &errors[path] {
            match area_message(ctx.lang, message) {
                Some(text) => known.push(text),
                None => unknown.push(message.clone()),
            }
        }
        if !known.is_empty() {
            form.add(ctx.lang, *field, &known.join(" "));
        }
        if !unknown.is_empty() {
            rest.insert(path.clone(), unknown);
        }
    }
    form.add_field_errors(ctx.lang, fields, &rest);
    Ok(form)
}

/// Whether a path segment can be a match id (UUIDs; anything else is 404
/// without asking the database).
pub fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The caller's match `id` as its participant sees it (404 page otherwise).
pub async fn load(ctx: &Ctx, session: &Session, id: &str) -> WebResult<MyMatch> {
    if !plausible_id(id) {
        return Err(ctx.fail(crate::error::Failure::NotFound));
    }
    let caller = session.caller.clone();
    let id = id.to_string();
    ctx.state
        .call(move |conn, settings| mine::detail(conn, settings, &caller, &id))
        .await
        .map_err(|e| ctx.api_failure(e))
}

/// What a page about a match says at the top, besides its content.
#[derive(Debug, Clone, Copy)]
pub enum Top {
    Plain,
    /// A notice after a redirect (a message id).
    Notice(&'static str),
    /// An action that could not be done.
    Problem(Problem),
}

/// Renders a page about one match: its values, the form, a notice or a
/// problem.
pub fn match_page(
    ctx: &Ctx,
    session: &Session,
    template: &'static str,
    status: StatusCode,
    my: &MyMatch,
    form: FormState,
    top: Top,
) -> HttpResponse {
    let (notice, problem) = match top {
        Top::Plain => (None, None),
        Top::Notice(id) => (Some(id), None),
        Top::Problem(p) => (None, Some(p)),
    };
    let values = minijinja::context! {
        problem => problem,
        ..minijinja::Value::from_serialize(view::page(my, ctx.lang))
    };
    session_page(ctx, session, template, status, form, notice, values)
}

/// A page about the caller's match `id` (the match page and the pages of its
/// forms): the match's values, an empty form, `top` above.
pub async fn show(
    req: &HttpRequest,
    id: &str,
    template: &'static str,
    top: Top,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(req)?;
    let session = ctx.session(false).await?;
    let my = load(&ctx, &session, id).await?;
    Ok(match_page(
        &ctx,
        &session,
        template,
        StatusCode::OK,
        &my,
        FormState::default(),
        top,
    ))
}

/// Shows `template` for match `id` again after a failed action: the form
/// with its errors, or the problem in words.
pub async fn show_failure(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    template: &'static str,
    err: ApiError,
    fields: &[Field],
    shown: FormState,
) -> WebResult<HttpResponse> {
    let (status, form, problem) = match form_failure(ctx, err, fields, shown) {
        Ok(form) => (StatusCode::UNPROCESSABLE_ENTITY, form, None),
        Err(Ok((status, problem))) => (status, FormState::default(), Some(problem)),
        Err(Err(page)) => return Err(page),
    };
    let my = load(ctx, session, id).await?;
    Ok(match_page(
        ctx,
        session,
        template,
        status,
        &my,
        form,
        problem.map_or(Top::Plain, Top::Problem),
    ))
}

/// `GET /matches`: the caller's matches, as mentee and as mentor.
pub async fn list(req: HttpRequest, query: web::Query<MatchQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let page = PageQuery {
        limit: None,
        cursor: Some(query.cursor.clone()).filter(|c| !c.is_empty()),
    };
    let (session, found) = ctx
        .session_with(move |conn, settings, caller| mine::list_own(conn, settings, caller, page))
        .await?;
    let me = session.caller.id();
    let items: Vec<view::MatchItem> = found
        .items
        .iter()
        .map(|m| view::item(m, view::role_in(m, me)))
        .collect();
    let (current, earlier): (Vec<_>, Vec<_>) = items.into_iter().partition(|m| m.current);
    let values = minijinja::context! {
        current => current,
        earlier => earlier,
        next_cursor => found.next_cursor.unwrap_or_default(),
    };
    Ok(session_page(
        &ctx,
        &session,
        "match_list.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
        values,
    ))
}

/// `GET /matches/{id}`: one match, its state, the other person, the actions.
pub async fn detail(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<MatchQuery>,
) -> WebResult<HttpResponse> {
    show(
        &req,
        &path,
        "match.html",
        query.message().map_or(Top::Plain, Top::Notice),
    )
    .await
}

/// A sample match item for the render tests.
#[cfg(test)]
pub fn sample_item(state: &str, role: &str) -> minijinja::Value {
    minijinja::context! {
        id => "0190-abc", role => role.to_string(), state => state.to_string(),
        state_text => "matches-state-awaiting", next_text => "matches-next-awaiting-mentor",
        partner => minijinja::context! {
            id => "u1", name => "Bea <i>", pronouns => "they/them", email => "bea@example.org",
        },
        days => 6, date => "2026-12-01", since => "2026-11-24",
        reason => "Moving abroad", reason_text => "matches-reason-closed",
        active => state == "active", current => true, can_answer => role == "mentor",
    }
}

/// Sample values of a page about one match, for the render tests.
#[cfg(test)]
pub fn sample_match(state: &str, role: &str) -> minijinja::Value {
    minijinja::context! {
        problem => minijinja::context! { text => "matches-problem-changed" },
        match => sample_item(state, role),
        card => minijinja::context! {
            bio => "I came out at work.", tags => vec!["Bisexual"],
            languages => "en, es", timezone => "Europe/Madrid",
        },
        why => vec!["matches-why-base", "matches-why-shared"],
        shared => vec!["Bisexual", "Coming out at work"],
    }
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    match template {
        "match_list.html" => Some(minijinja::context! {
            current => vec![sample_item("awaiting_mentor", "mentor"), sample_item("active", "mentee")],
            earlier => vec![sample_item("ended", "mentee")],
            next_cursor => "abc",
        }),
        "match.html" => Some(sample_match("awaiting_mentor", "mentor")),
        "match_end.html" => Some(sample_match("active", "mentee")),
        "home.html" => Some(home::sample()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_the_views_choose_is_listed() {
        for id in view::message_ids() {
            assert!(MESSAGE_IDS.contains(&id), "{id} is not in MESSAGE_IDS");
        }
    }

    #[test]
    fn the_services_messages_are_translated() {
        assert!(area_message(Lang::Es, "a reason is required").is_some());
        assert!(area_message(Lang::En, "at most 2000 characters")
            .unwrap()
            .contains("2000"));
        assert!(area_message(Lang::En, "something else").is_none());
        assert!(plausible_id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
        assert!(!plausible_id("../x"));
        assert!(!plausible_id(""));
    }
}
