//! `/circles`: the circles someone is in or leads (any state they may
//! see), their circle request with its state, the form to ask to join a
//! circle (topics, a note) and withdrawing it.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono_tz::Tz;
use kindred_api::ApiError;
use kindred_core::{ProfileKind, Role};
use kindred_service::circles::requests::{self, CircleRequestInput, CircleRequestView};
use kindred_service::circles::{views, CircleView};
use kindred_service::pagination::PageQuery;
use kindred_service::tags::TagView;
use kindred_service::{profiles, Caller, DbConnection, ServiceError, ServiceResult};
use serde::{Deserialize, Serialize};

use super::slot::{self, LocalSlot};
use super::{field_errors, member_text, state_text, NoticeQuery};
use crate::context::{Ctx, Session};
use crate::error::WebResult;
use crate::forms::{field, Field, FormState};
use crate::i18n::Lang;
use crate::pages::profile::choices::{tag_label, taxonomy_label};
use crate::pages::profile::posted;
use crate::pages::{see_other, session_page};

/// The ask form's fields (the topics' errors go to their fieldset).
const FIELDS: &[Field] = &[
    field("topics", "topics", "circles-field-topics"),
    field("note", "request-note", "circles-field-request-note"),
];

/// A circle in the member's list.
#[derive(Debug, Serialize)]
pub struct CircleItem {
    pub id: String,
    pub state: String,
    pub state_text: String,
    pub my_state_text: String,
    pub facilitator: String,
    pub slot: LocalSlot,
    pub joined: usize,
}

/// Their circle request, as the page shows it.
#[derive(Debug, Serialize)]
pub struct RequestItem {
    pub id: String,
    pub state: String,
    pub state_text: String,
    pub asked: String,
    pub topics: Vec<String>,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct TopicRow {
    pub slug: String,
    pub id: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Serialize)]
pub struct TopicGroup {
    pub category: String,
    pub tags: Vec<TopicRow>,
}

/// What `/circles` reads in one trip.
pub struct Read {
    pub zone: Option<Tz>,
    pub has_profile: bool,
    pub requests: Vec<CircleRequestView>,
    pub circles: Vec<CircleView>,
    pub taxonomy: std::sync::Arc<Vec<TagView>>,
}

/// The caller's time zone: their mentee, facilitator or mentor profile's.
pub fn zone_of(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<Option<Tz>> {
    profiles::own_timezone(conn, caller)
}

fn read(
    conn: &mut DbConnection,
    caller: &Caller,
    web: &crate::context::WebState,
) -> ServiceResult<Read> {
    let has_profile = caller.has_role(Role::Mentee)
        && match profiles::read_own(conn, caller, ProfileKind::Mentee) {
            Ok(_) => true,
            Err(ServiceError::NotFound) => false,
            Err(e) => return Err(e),
        };
    let page = PageQuery {
        limit: Some("200".into()),
        cursor: None,
    };
    let me = caller.id().to_string();
    let circles = views::list(conn, caller, None, page)?
        .items
        .into_iter()
        .filter(|c| c.facilitator_id == me || c.my_state.is_some())
        .collect();
    Ok(Read {
        zone: zone_of(conn, caller)?,
        has_profile,
        requests: requests::mine(conn, caller)?,
        circles,
        taxonomy: web.taxonomy.offered(conn, caller)?,
    })
}

fn circle_item(lang: Lang, zone: Option<Tz>, c: &CircleView) -> CircleItem {
    CircleItem {
        id: c.id.clone(),
        state: c.state.clone(),
        state_text: state_text(&c.state),
        my_state_text: c.my_state.as_deref().map(member_text).unwrap_or_default(),
        facilitator: c.facilitator_name.clone(),
        slot: slot::local(lang, &c.slot, zone, chrono::Utc::now()),
        joined: c.members.iter().filter(|m| m.state == "joined").count(),
    }
}

fn topic_input(slug: &str) -> String {
    format!("topic-{slug}")
}

/// The taxonomy as topic checkboxes, by category.
pub fn topic_groups(lang: Lang, taxonomy: &[TagView], checked: &[String]) -> Vec<TopicGroup> {
    let mut categories: Vec<&str> = vec!["identity", "experience", "support"];
    for t in taxonomy {
        if !categories.contains(&t.category.as_str()) {
            categories.push(&t.category);
        }
    }
    categories
        .into_iter()
        .map(|category| TopicGroup {
            category: lang
                .text(&format!("profile-category-{category}"), &[])
                .unwrap_or_else(|_| category.to_string()),
            tags: taxonomy
                .iter()
                .filter(|t| t.category == category)
                .map(|t| TopicRow {
                    slug: t.slug.clone(),
                    id: topic_input(&t.slug),
                    label: tag_label(lang, &t.slug, &t.label),
                    checked: checked.contains(&t.slug),
                })
                .collect(),
        })
        .filter(|g| !g.tags.is_empty())
        .collect()
}

/// The page's values.
fn values(lang: Lang, session: &Session, read: &Read, checked: &[String]) -> minijinja::Value {
    let me = session.caller.id();
    let (leading, member): (Vec<&CircleView>, Vec<&CircleView>) =
        read.circles.iter().partition(|c| c.facilitator_id == me);
    let live = read
        .requests
        .iter()
        .rev()
        .find(|r| r.state == "open" || r.state == "placed");
    let request = live.map(|r| RequestItem {
        id: r.id.clone(),
        state: r.state.clone(),
        state_text: format!("circles-request-{}", r.state),
        asked: r.created_at.format("%Y-%m-%d").to_string(),
        topics: r
            .topics
            .iter()
            .map(|s| taxonomy_label(lang, &read.taxonomy, s))
            .collect(),
        note: r.note.clone().unwrap_or_default(),
    });
    let groups = topic_groups(lang, &read.taxonomy, checked);
    minijinja::context! {
        leading => leading.iter().map(|c| circle_item(lang, read.zone, c)).collect::<Vec<_>>(),
        circles => member.iter().map(|c| circle_item(lang, read.zone, c)).collect::<Vec<_>>(),
        facilitator => session.caller.has_role(Role::Facilitator),
        mentee => session.caller.has_role(Role::Mentee),
        has_profile => read.has_profile,
        request => request,
        groups => groups,
    }
}

/// `GET /circles`.
pub async fn page(req: HttpRequest, query: web::Query<NoticeQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let web = ctx.web_state();
    let (session, found) = ctx
        .session_with(move |conn, _, caller| read(conn, caller, &web))
        .await?;
    let values = values(ctx.lang, &session, &found, &[]);
    Ok(session_page(
        &ctx,
        &session,
        "circles.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
        values,
    ))
}

/// `POST /circles`: asks to join a circle (`POST /circle-requests`).
pub async fn ask(
    req: HttpRequest,
    form: web::Form<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let pairs = form.into_inner();
    ctx.check_session(&session, posted(&pairs, "csrf"))?;
    let mut topics: Vec<String> = Vec::new();
    for (name, value) in &pairs {
        if name == "topic" && !topics.contains(value) {
            topics.push(value.clone());
        }
    }
    let note = posted(&pairs, "request_note").to_string();
    let input = CircleRequestInput {
        topics: topics.clone(),
        note: Some(note.clone()).filter(|n| !n.trim().is_empty()),
    };
    let caller = session.caller.clone();
    let created = ctx
        .state
        .call(move |conn, _| requests::create(conn, &caller, &input))
        .await;
    let err = match created {
        Ok(_) => return Ok(see_other("/circles?notice=asked")),
        Err(ApiError::Conflict { .. }) => return Ok(see_other("/circles?notice=already-asked")),
        Err(ApiError::Forbidden(_)) => return Ok(see_other("/circles")),
        Err(err) => err,
    };
    let web = ctx.web_state();
    let caller = session.caller.clone();
    let found = ctx
        .state
        .call(move |conn, _| read(conn, &caller, &web))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let values = values(ctx.lang, &session, &found, &topics);
    let shown = FormState::with_values(&[("request-note", &note)]);
    let form = field_errors(&ctx, err, FIELDS, shown).map_err(|e| ctx.api_failure(e))?;
    Ok(session_page(
        &ctx,
        &session,
        "circles.html",
        StatusCode::UNPROCESSABLE_ENTITY,
        form,
        None,
        values,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WithdrawForm {
    csrf: String,
    id: String,
}

/// `POST /circles/withdraw`: withdraws the request (`DELETE
/// /circle-requests/{id}`).
pub async fn withdraw(req: HttpRequest, form: web::Form<WithdrawForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    ctx.check_session(&session, &form.csrf)?;
    super::plausible(&ctx, &form.id)?;
    let caller = session.caller.clone();
    let id = form.into_inner().id;
    let done = ctx
        .state
        .call(move |conn, _| requests::withdraw(conn, &caller, &id))
        .await;
    match done {
        Ok(()) => Ok(see_other("/circles?notice=withdrawn")),
        Err(ApiError::Conflict { .. }) => Ok(see_other("/circles?notice=changed")),
        Err(err) => Err(super::failure(&ctx, err)),
    }
}
