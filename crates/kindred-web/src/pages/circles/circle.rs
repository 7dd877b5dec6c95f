//! `/circles/{id}`: the circle page. Members see the facilitator and each
//! other's display names and pronouns, the topics, the slot in their own
//! time zone, the meeting details once it is active and the public
//! explanation; when invited, the group agreement and Join; Leave (after a
//! confirmation); the check-in form; block and report. Its facilitator
//! also sees members' states, starts it (once enough joined), ends it, and
//! records attendance of each session that began.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use chrono_tz::Tz;
use kindred_api::ApiError;
use kindred_service::circles::sessions::{self, AttendanceInput, CircleCheckInInput, SessionView};
use kindred_service::circles::transitions::{self, JoinInput, ReasonInput, StartInput};
use kindred_service::circles::{views, CircleView};
use serde::{Deserialize, Serialize};

use super::member::zone_of;
use super::slot::{self, LocalSlot};
use super::{field_errors, member_text, mode_label, plausible, state_text, NoticeQuery};
use crate::context::{Ctx, Session};
use crate::error::WebResult;
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;
use crate::pages::profile::choices::taxonomy_label;
use crate::pages::profile::posted;
use crate::pages::{see_other, session_page};

const JOIN_FIELDS: &[Field] = &[field("agree_to_guidelines", "agree", "circles-field-agree")];
const CHECK_IN_FIELDS: &[Field] = &[
    field("rating", "rating-1", "circles-field-rating"),
    field("note", "checkin-note", "circles-field-checkin-note"),
];
const START_FIELDS: &[Field] = &[field(
    "meeting_details",
    "meeting-details",
    "circles-field-meeting-details",
)];
const END_FIELDS: &[Field] = &[field("reason", "end-reason", "circles-field-end-reason")];
const ATTENDANCE_FIELDS: &[Field] = &[field("present", "attendance", "circles-field-present")];

/// A person of the circle as the page lists them.
#[derive(Debug, Serialize)]
pub struct Person {
    pub user_id: String,
    pub name: String,
    pub pronouns: String,
    pub state_text: String,
    pub joined: bool,
    pub me: bool,
}

/// A session that began, with its attendance (facilitator).
#[derive(Debug, Serialize)]
pub struct Held {
    pub n: i64,
    pub when: String,
    pub recorded: bool,
    pub present: Vec<String>,
}

/// What the page shows, read in one trip.
pub struct Read {
    pub circle: CircleView,
    pub sessions: Vec<SessionView>,
    pub zone: Option<Tz>,
    pub taxonomy: std::sync::Arc<Vec<kindred_service::tags::TagView>>,
    pub min_size: u32,
}

async fn read(ctx: &Ctx, session: &Session, id: &str) -> WebResult<Read> {
    plausible(ctx, id)?;
    let caller = session.caller.clone();
    let id = id.to_string();
    let web = ctx.web_state();
    ctx.state
        .call(move |conn, settings| {
            let circle = views::get(conn, &caller, &id)?;
            let sessions = sessions::list(conn, settings, &caller, &id)?;
            Ok(Read {
                circle,
                sessions,
                zone: zone_of(conn, &caller)?,
                taxonomy: web.taxonomy.offered(conn, &caller)?,
                min_size: settings.circles.min_size,
            })
        })
        .await
        .map_err(|e| super::failure(ctx, e))
}

/// The public explanation in words: each component by its name (the
/// engine's own sentences are English), shared topics by their labels.
/// A private overlap is never among a member's components.
fn why(lang: Lang, r: &Read) -> Vec<String> {
    let e = &r.circle.explanation;
    let shared: Vec<String> = e
        .shared_tags
        .iter()
        .map(|s| taxonomy_label(lang, &r.taxonomy, s))
        .collect();
    e.components
        .iter()
        .filter_map(|x| match x.name.as_ref() {
            "base" => Some(lang.t("circles-why-base")),
            "shared_experience" if shared.is_empty() => Some(lang.t("circles-why-none-shared")),
            "shared_experience" => lang
                .text("circles-why-shared", &[("tags", shared.join(", ").into())])
                .ok(),
            "facilitator_fit" if x.points > 0 => Some(lang.t("circles-why-facilitator")),
            "waiting" if x.points > 0 => Some(lang.t("circles-why-waiting")),
            _ => None,
        })
        .collect()
}

/// The page's values for `me`.
pub fn values(lang: Lang, me: &str, r: &Read) -> minijinja::Value {
    let c = &r.circle;
    let facilitator = c.facilitator_id == me;
    let running = matches!(c.state.as_str(), "approved" | "active");
    let my_state = c.my_state.clone().unwrap_or_default();
    let people: Vec<Person> = c
        .members
        .iter()
        .map(|m| Person {
            user_id: m.user_id.clone(),
            name: m.display_name.clone(),
            pronouns: m.pronouns.clone().unwrap_or_default(),
            state_text: member_text(&m.state),
            joined: m.state == "joined",
            me: m.user_id == me,
        })
        .collect();
    let joined = people.iter().filter(|p| p.joined).count();
    let zone = r.zone.unwrap_or(Tz::UTC);
    let now = Utc::now();
    let begun: Vec<Held> = r
        .sessions
        .iter()
        .filter(|s| s.starts_at <= now)
        .map(|s| Held {
            n: s.n,
            when: s
                .starts_at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            recorded: s.attendance_recorded,
            present: s.present.clone().unwrap_or_default(),
        })
        .collect();
    let upcoming: Vec<String> = r
        .sessions
        .iter()
        .filter(|s| s.starts_at > now)
        .map(|s| {
            s.starts_at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect();
    let slot: LocalSlot = slot::local(lang, &c.slot, r.zone, now);
    let explanation = why(lang, r);
    minijinja::context! {
        id => c.id,
        state => c.state,
        state_text => state_text(&c.state),
        facilitator_name => c.facilitator_name,
        facilitator_id => c.facilitator_id,
        language => super::language_label(lang, &c.language),
        mode => mode_label(lang, &c.meeting_mode),
        region => c.region.clone().unwrap_or_default(),
        slot => slot,
        topics => c.topics.iter().map(|s| taxonomy_label(lang, &r.taxonomy, s)).collect::<Vec<_>>(),
        meeting_details => c.meeting_details.clone().unwrap_or_default(),
        explanation => explanation,
        people => people,
        joined => joined,
        min_size => r.min_size,
        is_facilitator => facilitator,
        my_state_text => if my_state.is_empty() { String::new() } else { member_text(&my_state) },
        invited => my_state == "invited" && running,
        member => my_state == "joined",
        can_leave => matches!(my_state.as_str(), "invited" | "joined") && running,
        can_check_in => my_state == "joined" && running,
        can_start => facilitator && c.state == "approved",
        enough => joined >= r.min_size as usize,
        can_end => facilitator && running,
        sessions => begun,
        upcoming => upcoming,
    }
}

/// Renders the circle page (`template`: the page or the leave
/// confirmation) with a form and a notice or problem.
async fn show(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    template: &'static str,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let r = read(ctx, session, id).await?;
    let values = values(ctx.lang, session.caller.id(), &r);
    Ok(session_page(
        ctx, session, template, status, form, notice, values,
    ))
}

/// `GET /circles/{id}`.
pub async fn page(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<NoticeQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    show(
        &ctx,
        &session,
        &path,
        "circle.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
    )
    .await
}

/// `GET /circles/{id}/leave`: what leaving means, and the button.
pub async fn leave_page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    show(
        &ctx,
        &session,
        &path,
        "circle_leave.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// After an action: the circle page with `notice`, or the page again with
/// the form's errors (422) or the problem in words (409).
async fn after(
    ctx: &Ctx,
    session: &Session,
    id: &str,
    done: Result<(), ApiError>,
    notice: &str,
    fields: &[Field],
    shown: FormState,
) -> WebResult<HttpResponse> {
    let err = match done {
        Ok(()) => return Ok(see_other(&format!("/circles/{id}?notice={notice}"))),
        Err(err) => err,
    };
    match err {
        ApiError::Conflict { .. } => {
            show(
                ctx,
                session,
                id,
                "circle.html",
                StatusCode::CONFLICT,
                FormState::default(),
                Some("circles-problem-changed"),
            )
            .await
        }
        err => {
            let form = field_errors(ctx, err, fields, shown).map_err(|e| super::failure(ctx, e))?;
            show(
                ctx,
                session,
                id,
                "circle.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

/// The signed-in person and the checked form of a POST on circle `id`.
async fn posting(ctx: &Ctx, id: &str, csrf: &str) -> WebResult<Session> {
    let session = ctx.session(false).await?;
    ctx.check_session(&session, csrf)?;
    plausible(ctx, id)?;
    Ok(session)
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct JoinForm {
    csrf: String,
    agree_to_guidelines: String,
}

/// `POST /circles/{id}/join`: joins with the group agreement.
pub async fn join(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<JoinForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = posting(&ctx, &path, &form.csrf).await?;
    let input = JoinInput {
        agree_to_guidelines: form.agree_to_guidelines == "yes",
    };
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| transitions::join(conn, settings, &caller, &id, &input))
        .await
        .map(|_| ());
    after(
        &ctx,
        &session,
        &path,
        done,
        "joined",
        JOIN_FIELDS,
        FormState::default(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /circles/{id}/leave`: leaves (no reason needed).
pub async fn leave(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = posting(&ctx, &path, &form.csrf).await?;
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| transitions::leave(conn, settings, &caller, &id))
        .await
        .map(|_| ());
    after(
        &ctx,
        &session,
        &path,
        done,
        "left",
        JOIN_FIELDS,
        FormState::default(),
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CheckInForm {
    csrf: String,
    rating: String,
    note: String,
    needs_support: String,
}

/// `POST /circles/{id}/check-in`; asking for support opens the next page
/// with the support resources.
pub async fn check_in(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<CheckInForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = posting(&ctx, &path, &form.csrf).await?;
    let form = form.into_inner();
    let support = !form.needs_support.is_empty();
    let input = CircleCheckInInput {
        rating: form.rating.trim().parse().unwrap_or(0),
        needs_support: support,
        note: Some(form.note.clone()),
    };
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| sessions::check_in(conn, settings, &caller, &id, &input))
        .await
        .map(|_| ());
    if done.is_ok() && support {
        return Ok(see_other(&format!(
            "/circles/{path}?notice=support#support-now"
        )));
    }
    let shown = FormState::with_values(&[
        ("rating", &form.rating),
        ("checkin-note", &form.note),
        ("needs-support", &form.needs_support),
    ]);
    after(
        &ctx,
        &session,
        &path,
        done,
        "checked-in",
        CHECK_IN_FIELDS,
        shown,
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct StartForm {
    csrf: String,
    meeting_details: String,
}

/// `POST /circles/{id}/start` (its facilitator).
pub async fn start(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<StartForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = posting(&ctx, &path, &form.csrf).await?;
    let details = form.meeting_details.clone();
    let input = StartInput {
        meeting_details: details.clone(),
    };
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| transitions::start(conn, settings, &caller, &id, &input))
        .await
        .map(|_| ());
    let shown = FormState::with_values(&[("meeting-details", &details)]);
    after(&ctx, &session, &path, done, "started", START_FIELDS, shown).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
}

/// `POST /circles/{id}/end` (its facilitator) with a reason.
pub async fn end(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ReasonForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = posting(&ctx, &path, &form.csrf).await?;
    let reason = form.reason.clone();
    let input = ReasonInput {
        reason: reason.clone(),
    };
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| transitions::end(conn, settings, &caller, &id, &input))
        .await
        .map(|_| ());
    let shown = FormState::with_values(&[("end-reason", &reason)]);
    after(&ctx, &session, &path, done, "ended", END_FIELDS, shown).await
}

/// `POST /circles/{id}/sessions/{n}/attendance` (its facilitator): one
/// checkbox `present` per joined member.
pub async fn attendance(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let (id, n) = path.into_inner();
    let pairs = form.into_inner();
    let session = posting(&ctx, &id, posted(&pairs, "csrf")).await?;
    let Some(n) = n.parse::<i64>().ok().filter(|n| (1..=100_000).contains(n)) else {
        return Err(ctx.fail(crate::error::Failure::NotFound));
    };
    let input = AttendanceInput {
        present: pairs
            .iter()
            .filter(|(k, _)| k == "present")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let caller = session.caller.clone();
    let cid = id.clone();
    let done = ctx
        .state
        .call(move |conn, settings| {
            sessions::record_attendance(conn, settings, &caller, &cid, n, &input)
        })
        .await
        .map(|_| ());
    after(
        &ctx,
        &session,
        &id,
        done,
        "attendance",
        ATTENDANCE_FIELDS,
        FormState::default(),
    )
    .await
}
