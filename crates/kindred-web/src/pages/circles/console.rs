//! Circles in the coordinators' console: every circle by state (flagged
//! ones marked; `?flagged=1` only those), the circle requests waiting; the
//! review of one circle (members with their requests and states, the
//! whole explanation, approve, reject with a reason, end); a manual circle.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::circles::facilitators;
use kindred_service::circles::formation::{self, ManualCircleInput, SlotInput};
use kindred_service::circles::requests;
use kindred_service::circles::transitions::{self, ReasonInput};
use kindred_service::circles::views;
use kindred_service::pagination::PageQuery;
use serde::{Deserialize, Serialize};

use super::{field_errors, member_text, mode_label, plausible, state_text, NoticeQuery};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;
use crate::pages::console::{coordinator, explanation_rows};
use crate::pages::profile::choices::taxonomy_label;
use crate::pages::profile::posted;
use crate::pages::{see_other, session_page};

const REJECT_FIELDS: &[Field] = &[field(
    "reason",
    "reject-reason",
    "circles-field-reject-reason",
)];
const END_FIELDS: &[Field] = &[field("reason", "end-reason", "circles-field-end-reason")];
const MANUAL_FIELDS: &[Field] = &[
    field("facilitator_id", "facilitator", "circles-field-facilitator"),
    field("request_ids", "request-ids", "circles-field-requests"),
    field("slot.day", "slot-day", "circles-field-slot-day"),
    field("slot.start", "slot-start", "circles-field-slot-start"),
    field("slot.end", "slot-end", "circles-field-slot-end"),
    field("note", "circle-note", "circles-field-note"),
];

/// The states in the order the list shows them.
const STATES: [&str; 5] = ["proposed", "approved", "active", "rejected", "ended"];

fn all() -> PageQuery {
    PageQuery {
        limit: Some("200".into()),
        cursor: None,
    }
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    facilitator: String,
    members: usize,
    slot: String,
    flagged: bool,
    created: String,
}

#[derive(Debug, Serialize)]
struct Group {
    state: &'static str,
    state_text: String,
    rows: Vec<Row>,
}

#[derive(Debug, Serialize)]
pub struct Waiting {
    pub id: String,
    pub user_id: String,
    pub asked: String,
    pub days: i64,
    pub topics: Vec<String>,
}

fn slot_utc(s: &kindred_service::circles::SlotView) -> String {
    format!("{} {}–{} UTC", s.day, s.start, s.end)
}

/// `GET /console/circles`.
pub async fn list(req: HttpRequest, query: web::Query<NoticeQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let (circles, waiting, taxonomy) = ctx
        .state
        .call(move |conn, _| {
            let circles = views::list(conn, &caller, None, all())?.items;
            let waiting = requests::list(conn, &caller, Some("open"), all())?.items;
            let taxonomy = web.taxonomy.offered(conn, &caller)?;
            Ok((circles, waiting, taxonomy))
        })
        .await
        .map_err(|e| super::failure(&ctx, e))?;
    let only_flagged = query.flagged == "1";
    let lang = ctx.lang;
    let groups: Vec<Group> = STATES
        .iter()
        .map(|state| Group {
            state,
            state_text: state_text(state),
            rows: circles
                .iter()
                .filter(|c| c.state == *state && (!only_flagged || c.flagged_at.is_some()))
                .map(|c| Row {
                    id: c.id.clone(),
                    facilitator: c.facilitator_name.clone(),
                    members: c.member_ids.len(),
                    slot: slot_utc(&c.slot),
                    flagged: c.flagged_at.is_some(),
                    created: c.created_at.format("%Y-%m-%d").to_string(),
                })
                .collect(),
        })
        .collect();
    let waiting: Vec<Waiting> = waiting
        .iter()
        .map(|r| Waiting {
            id: r.id.clone(),
            user_id: r.user_id.clone(),
            asked: r.created_at.format("%Y-%m-%d").to_string(),
            days: r.waiting_seconds.unwrap_or(0) / 86_400,
            topics: r
                .topics
                .iter()
                .map(|s| taxonomy_label(lang, &taxonomy, s))
                .collect(),
        })
        .collect();
    let values = minijinja::context! {
        groups => groups,
        only_flagged => only_flagged,
        flagged => circles.iter().filter(|c| c.flagged_at.is_some()).count(),
        waiting => waiting,
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_circles.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
        values,
    ))
}

/// The review page's values.
pub fn review_values(
    lang: Lang,
    c: &views::CircleView,
    taxonomy: &[kindred_service::tags::TagView],
) -> minijinja::Value {
    let explanation = serde_json::to_value(&c.explanation).unwrap_or_default();
    let (total, rows) = explanation_rows(&explanation);
    let members: Vec<minijinja::Value> = c
        .members
        .iter()
        .map(|m| {
            minijinja::context! {
                user_id => m.user_id,
                name => m.display_name,
                pronouns => m.pronouns.clone().unwrap_or_default(),
                state_text => member_text(&m.state),
                request_id => m.request_id.clone().unwrap_or_default(),
            }
        })
        .collect();
    minijinja::context! {
        id => c.id,
        state => c.state,
        state_text => state_text(&c.state),
        facilitator_id => c.facilitator_id,
        facilitator_name => c.facilitator_name,
        members => members,
        language => super::language_label(lang, &c.language),
        mode => mode_label(lang, &c.meeting_mode),
        region => c.region.clone().unwrap_or_default(),
        slot => slot_utc(&c.slot),
        topics => c.topics.iter().map(|s| taxonomy_label(lang, taxonomy, s)).collect::<Vec<_>>(),
        score => c.score,
        total => total,
        rows => rows,
        run_id => c.run_id.clone().unwrap_or_default(),
        reason => c.reason.clone().unwrap_or_default(),
        flagged => c.flagged_at.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        proposed => c.state == "proposed",
        running => matches!(c.state.as_str(), "approved" | "active"),
    }
}

async fn show_review(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    plausible(ctx, id)?;
    let caller = session.caller.clone();
    let id = id.to_string();
    let web = ctx.web_state();
    let (circle, taxonomy) = ctx
        .state
        .call(move |conn, _| {
            Ok((
                views::get(conn, &caller, &id)?,
                web.taxonomy.offered(conn, &caller)?,
            ))
        })
        .await
        .map_err(|e| super::failure(ctx, e))?;
    let values = review_values(ctx.lang, &circle, &taxonomy);
    Ok(session_page(
        ctx,
        session,
        "console_circle.html",
        status,
        form,
        notice,
        values,
    ))
}

/// `GET /console/circles/{id}`.
pub async fn review(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    show_review(
        &ctx,
        &session,
        &path,
        StatusCode::OK,
        FormState::default(),
        query.message(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
}

/// `POST /console/circles/{id}/approve|reject|end`.
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    let (id, action) = path.into_inner();
    plausible(&ctx, &id)?;
    let (notice, fields, input_id) = match action.as_str() {
        "approve" => ("approved", REJECT_FIELDS, "reject-reason"),
        "reject" => ("rejected", REJECT_FIELDS, "reject-reason"),
        "end" => ("ended", END_FIELDS, "end-reason"),
        _ => return Err(ctx.fail(Failure::NotFound)),
    };
    let caller = session.caller.clone();
    let cid = id.clone();
    let input = ReasonInput {
        reason: form.reason.clone(),
    };
    let done = ctx
        .state
        .call(move |conn, settings| {
            match action.as_str() {
                "approve" => transitions::approve(conn, settings, &caller, &cid),
                "reject" => transitions::reject(conn, &caller, &cid, &input),
                _ => transitions::end(conn, settings, &caller, &cid, &input),
            }
            .map(|_| ())
        })
        .await;
    match done {
        Ok(()) => Ok(see_other(&format!("/console/circles/{id}?notice={notice}"))),
        Err(ApiError::Conflict { .. }) => {
            Ok(see_other(&format!("/console/circles/{id}?notice=changed")))
        }
        Err(err) => {
            let shown = FormState::with_values(&[(input_id, &form.reason)]);
            let form =
                field_errors(&ctx, err, fields, shown).map_err(|e| super::failure(&ctx, e))?;
            show_review(
                &ctx,
                &session,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

/// The manual circle form as typed.
#[derive(Debug, Default, Serialize, Clone)]
pub struct Manual {
    pub facilitator_id: String,
    pub request_ids: Vec<String>,
    pub day: String,
    pub start: String,
    pub end: String,
    pub note: String,
}

async fn show_new(
    ctx: &Ctx,
    session: &Session,
    typed: &Manual,
    status: StatusCode,
    form: FormState,
) -> WebResult<HttpResponse> {
    let caller = session.caller.clone();
    let web = ctx.web_state();
    let (facilitators, waiting, taxonomy) = ctx
        .state
        .call(move |conn, _| {
            Ok((
                facilitators::list(conn, &caller, all())?.items,
                requests::list(conn, &caller, Some("open"), all())?.items,
                web.taxonomy.offered(conn, &caller)?,
            ))
        })
        .await
        .map_err(|e| super::failure(ctx, e))?;
    let lang = ctx.lang;
    let facilitators: Vec<minijinja::Value> = facilitators
        .iter()
        .map(|f| {
            minijinja::context! {
                id => f.user_id, name => f.display_name, circles => f.circles,
                max => f.max_circles.unwrap_or(0),
                selected => f.user_id == typed.facilitator_id,
            }
        })
        .collect();
    let requests: Vec<minijinja::Value> = waiting
        .iter()
        .enumerate()
        .map(|(i, r)| {
            minijinja::context! {
                id => r.id, input => format!("request-{i}"),
                asked => r.created_at.format("%Y-%m-%d").to_string(),
                topics => r.topics.iter().map(|s| taxonomy_label(lang, &taxonomy, s)).collect::<Vec<_>>(),
                checked => typed.request_ids.contains(&r.id),
            }
        })
        .collect();
    let days: Vec<minijinja::Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| {
            minijinja::context! {
                value => d, label => lang.t(&format!("profile-day-{d}")), selected => typed.day == *d,
            }
        })
        .collect();
    let values = minijinja::context! {
        facilitators => facilitators,
        requests => requests,
        days => days,
    };
    Ok(session_page(
        ctx,
        session,
        "console_circle_new.html",
        status,
        form,
        None,
        values,
    ))
}

/// `GET /console/circles/new`.
pub async fn new_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let typed = Manual {
        day: "mon".into(),
        ..Manual::default()
    };
    show_new(&ctx, &session, &typed, StatusCode::OK, FormState::default()).await
}

/// `POST /console/circles/new`: `formation::create_manual` (`POST
/// /circles`); its field messages are shown beside the inputs.
pub async fn create(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let pairs = form.into_inner();
    ctx.check_session(&session, posted(&pairs, "csrf"))?;
    let mut typed = Manual {
        facilitator_id: posted(&pairs, "facilitator_id").to_string(),
        day: posted(&pairs, "slot_day").to_string(),
        start: posted(&pairs, "slot_start").trim().to_string(),
        end: posted(&pairs, "slot_end").trim().to_string(),
        note: posted(&pairs, "circle_note").to_string(),
        ..Manual::default()
    };
    for (k, v) in &pairs {
        if k == "request_id" && !typed.request_ids.contains(v) {
            typed.request_ids.push(v.clone());
        }
    }
    let input = ManualCircleInput {
        facilitator_id: typed.facilitator_id.clone(),
        request_ids: typed.request_ids.clone(),
        slot: SlotInput {
            day: typed.day.clone(),
            start: typed.start.clone(),
            end: typed.end.clone(),
        },
        note: Some(typed.note.clone()).filter(|n| !n.trim().is_empty()),
    };
    let caller = session.caller.clone();
    let created = ctx
        .state
        .call(move |conn, settings| formation::create_manual(conn, settings, &caller, &input))
        .await;
    let err = match created {
        Ok(view) => return Ok(see_other(&format!("/console/circles/{}", view.id))),
        Err(err) => err,
    };
    let shown = FormState::with_values(&[
        ("slot-start", &typed.start),
        ("slot-end", &typed.end),
        ("circle-note", &typed.note),
    ]);
    let status = if matches!(err, ApiError::Conflict { .. }) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = match err {
        ApiError::Conflict { .. } => {
            let mut form = shown;
            form.add_message(ctx.lang, MANUAL_FIELDS[1], "circles-problem-changed");
            form
        }
        err => {
            field_errors(&ctx, err, MANUAL_FIELDS, shown).map_err(|e| super::failure(&ctx, e))?
        }
    };
    show_new(&ctx, &session, &typed, status, form).await
}
