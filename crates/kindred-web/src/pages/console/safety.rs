//! The safety inbox in the console: reports and check-ins that asked for
//! support, newest first, with the match they are about; mark one handled
//! (or open it again); the match's page ends a match.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::safety::inbox::{self, InboxItem, InboxKind, InboxPerson, INBOX_STATES};
use serde::{Deserialize, Serialize};

use super::{coordinator, failure, ListQuery};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use crate::i18n::Lang;
use crate::pages::matches::plausible_id;
use crate::pages::{see_other, session_page};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    state: String,
    #[serde(flatten)]
    list: ListQuery,
}

#[derive(Serialize)]
struct Entry {
    kind: &'static str,
    id: String,
    when: String,
    /// "Ana reported Bea" / "Ana asked for support", in words.
    heading: String,
    text: String,
    rating: Option<i32>,
    match_id: Option<String>,
    match_words: Option<String>,
    can_end: bool,
    handled: Option<String>,
    /// The people involved who still have an account, for their pages.
    people: Vec<PersonLink>,
}

#[derive(Serialize)]
struct PersonLink {
    id: String,
    name: String,
}

fn name(lang: Lang, p: &Option<InboxPerson>) -> String {
    p.as_ref().map_or_else(
        || lang.t("console-safety-erased"),
        |p| p.display_name.clone(),
    )
}

fn entry(lang: Lang, item: &InboxItem) -> Entry {
    let heading = match item.kind {
        InboxKind::Report => lang
            .text(
                "console-safety-reported",
                &[
                    ("reporter", name(lang, &item.reporter).into()),
                    ("about", name(lang, &item.about).into()),
                ],
            )
            .unwrap_or_default(),
        InboxKind::CheckIn => lang
            .text(
                "console-safety-needs-support",
                &[("name", name(lang, &item.author).into())],
            )
            .unwrap_or_default(),
    };
    let match_words = item.match_context.as_ref().map(|m| {
        lang.text(
            "console-safety-match",
            &[
                ("mentor", m.mentor.display_name.clone().into()),
                ("mentee", m.mentee.display_name.clone().into()),
                (
                    "state",
                    lang.t(&format!("console-state-{}", m.state)).into(),
                ),
            ],
        )
        .unwrap_or_default()
    });
    Entry {
        kind: match item.kind {
            InboxKind::Report => "report",
            InboxKind::CheckIn => "check-in",
        },
        id: item.id.clone(),
        when: item.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        heading,
        text: item
            .reason
            .clone()
            .or_else(|| item.note.clone())
            .unwrap_or_default(),
        rating: item.rating,
        match_id: item.match_context.as_ref().map(|m| m.id.clone()),
        match_words,
        can_end: item.match_context.as_ref().is_some_and(|m| m.can_end),
        people: [&item.reporter, &item.about, &item.author]
            .into_iter()
            .flatten()
            .filter(|p| !p.erased)
            .map(|p| PersonLink {
                id: p.id.clone(),
                name: p.display_name.clone(),
            })
            .collect(),
        handled: item.handled_at.map(|at| {
            lang.text(
                "console-safety-handled-by",
                &[
                    ("name", name(lang, &item.handled_by).into()),
                    ("date", at.format("%Y-%m-%d").to_string().into()),
                ],
            )
            .unwrap_or_default()
        }),
    }
}

/// `GET /console/safety?state=open|handled|all`: the inbox, newest first.
pub async fn list(req: HttpRequest, query: web::Query<InboxQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let state = INBOX_STATES
        .iter()
        .find(|s| **s == query.state)
        .copied()
        .unwrap_or("open");
    let caller = session.caller.clone();
    let page = query.list.page();
    let found = ctx
        .state
        .call(move |conn, _| inbox::inbox(conn, &caller, Some(state), page))
        .await
        .map_err(|e| failure(&ctx, e))?;
    let notice = match query.list.notice.as_str() {
        "handled" => Some("console-notice-handled"),
        "reopened" => Some("console-notice-reopened"),
        _ => None,
    };
    let values = minijinja::context! {
        state => state,
        states => INBOX_STATES,
        entries => found.items.iter().map(|i| entry(ctx.lang, i)).collect::<Vec<_>>(),
        next_cursor => found.next_cursor.unwrap_or_default(),
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_safety.html",
        StatusCode::OK,
        FormState::default(),
        notice,
        values,
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct HandleForm {
    csrf: String,
    /// `handled` or `open`.
    to: String,
}

/// `POST /console/safety/{kind}/{id}`: marks the item handled (`to=handled`)
/// or open again (`to=open`).
pub async fn handle(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<HandleForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let (kind, id) = path.into_inner();
    let kind = match kind.as_str() {
        "report" => InboxKind::Report,
        "check-in" => InboxKind::CheckIn,
        _ => return Err(ctx.fail(Failure::NotFound)),
    };
    if !plausible_id(&id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let handled = match form.to.as_str() {
        "handled" => true,
        "open" => false,
        _ => return Err(ctx.fail(Failure::BadForm)),
    };
    let caller = session.caller.clone();
    ctx.state
        .call(move |conn, _| {
            if handled {
                inbox::mark_handled(conn, &caller, kind, &id)
            } else {
                inbox::reopen(conn, &caller, kind, &id)
            }
        })
        .await
        .map_err(|e| failure(&ctx, e))?;
    let (state, notice) = if handled {
        ("open", "handled")
    } else {
        ("handled", "reopened")
    };
    Ok(see_other(&format!(
        "/console/safety?state={state}&notice={notice}"
    )))
}

/// The inbox page's values for the render test.
#[cfg(test)]
pub fn sample() -> minijinja::Value {
    minijinja::context! {
        state => "open",
        states => INBOX_STATES,
        entries => vec![Entry {
            kind: "check-in", id: "c1".into(), when: "2026-12-07 10:00 UTC".into(),
            heading: "Ana asked for support".into(), text: "I feel unsafe <b>".into(), rating: Some(1),
            match_id: Some("m1".into()), match_words: Some("Bea and Ana, active".into()), can_end: true,
            handled: None, people: vec![PersonLink { id: "u1".into(), name: "Ana".into() }],
        }, Entry {
            kind: "report", id: "r1".into(), when: "2026-12-06 09:00 UTC".into(),
            heading: "Ana reported Bea".into(), text: "Rude".into(), rating: None,
            match_id: None, match_words: None, can_end: false,
            handled: Some("Handled by Coordinator on 2026-12-07".into()), people: vec![],
        }],
        next_cursor => "c1",
    }
}
