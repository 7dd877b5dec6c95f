//! The queue of open requests (filtered, oldest first) and one request:
//! the mentee's whole profile, the suggested mentors with their
//! explanations, and "propose this mentor".

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::console;
use serde::{Deserialize, Serialize};

use super::{
    coordinator, day, explanation_rows, failure, label, profile_rows, ExplanationRow, ListQuery,
};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use crate::pages::matches::plausible_id;
use crate::pages::{see_other, session_page};

/// The queue's filters, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    category: String,
    language: String,
    waiting_days: String,
    #[serde(flatten)]
    list: ListQuery,
}

const QUEUE_FIELDS: &[crate::forms::Field] = &[
    crate::forms::field("category", "category", "console-filter-category"),
    crate::forms::field("language", "language", "console-filter-language"),
    crate::forms::field("waiting_days", "waiting_days", "console-filter-waiting"),
];

#[derive(Serialize)]
pub(super) struct QueueRow {
    pub(super) id: String,
    pub(super) mentee_name: String,
    pub(super) asked: String,
    pub(super) waiting_days: i64,
    pub(super) required: Vec<String>,
}

/// `GET /console/requests`: the open requests, oldest first, filtered by
/// kind of experience, language and waiting time.
pub async fn queue(req: HttpRequest, query: web::Query<QueueQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    let caller = session.caller.clone();
    let page = query.list.page();
    let web = ctx.web_state();
    let raw = (
        query.category.clone(),
        query.language.clone(),
        query.waiting_days.clone(),
    );
    let found = ctx
        .state
        .call(move |conn, _| {
            let taxonomy = web.taxonomy.offered(conn, &caller)?;
            let filter = console::QueueFilter::parse(conn, &raw.0, &raw.1, &raw.2);
            let found = match &filter {
                Ok(f) => Some(console::queue(conn, &caller, f, page)?),
                Err(_) => None,
            };
            Ok((found, taxonomy, filter.err()))
        })
        .await
        .map_err(|e| failure(&ctx, e))?;
    let (found, taxonomy, invalid) = found;
    let mut form = FormState::with_values(&[
        ("category", &query.category),
        ("language", &query.language),
        ("waiting_days", &query.waiting_days),
    ]);
    let mut status = StatusCode::OK;
    if let Some(err) = invalid {
        form = crate::pages::form_failure(&ctx, ApiError::from(err), QUEUE_FIELDS, form)?;
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let rows: Vec<QueueRow> = found
        .as_ref()
        .map(|f| f.items.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|item| QueueRow {
            id: item.request.id.clone(),
            mentee_name: item.mentee_name.clone(),
            asked: day(&item.request.created_at),
            waiting_days: item.request.waiting_seconds.unwrap_or(0) / 86_400,
            required: item
                .request
                .required_tags
                .iter()
                .map(|s| label(ctx.lang, &taxonomy, s))
                .collect(),
        })
        .collect();
    let mut categories: Vec<String> = Vec::new();
    for t in taxonomy.iter() {
        if !categories.contains(&t.category) {
            categories.push(t.category.clone());
        }
    }
    let values = minijinja::context! {
        rows => rows,
        filtered => !(query.category.is_empty() && query.language.is_empty() && query.waiting_days.is_empty()),
        categories => categories.iter().map(|c| minijinja::context! {
            value => c,
            label => super::category_label(ctx.lang, c),
            selected => *c == query.category,
        }).collect::<Vec<_>>(),
        next_cursor => found.and_then(|f| f.next_cursor).unwrap_or_default(),
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_queue.html",
        status,
        form,
        query.list.notice(),
        values,
    ))
}

#[derive(Serialize)]
pub(super) struct SuggestionRow {
    pub(super) mentor_id: String,
    pub(super) name: String,
    pub(super) pronouns: String,
    pub(super) languages: String,
    pub(super) timezone: String,
    pub(super) score: i64,
    pub(super) rows: Vec<ExplanationRow>,
}

/// `GET /console/requests/{id}`: the request, the mentee's profile and
/// the suggested mentors with their explanations.
pub async fn request(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let id = path.into_inner();
    let web = ctx.web_state();
    let (review, taxonomy) = ctx
        .state
        .call(move |conn, settings| {
            let review = console::request_review(conn, settings, &caller, &id)?;
            Ok((review, web.taxonomy.offered(conn, &caller)?))
        })
        .await
        .map_err(|e| failure(&ctx, e))?;
    let lang = ctx.lang;
    let r = &review.request;
    let suggestions: Vec<SuggestionRow> = review
        .suggestions
        .iter()
        .map(|s| {
            let explanation = serde_json::to_value(&s.suggestion.explanation).unwrap_or_default();
            SuggestionRow {
                mentor_id: s.card.user_id.clone(),
                name: s.card.display_name.clone(),
                pronouns: s.card.pronouns.clone().unwrap_or_default(),
                languages: s.card.languages.join(", "),
                timezone: s.card.timezone.clone(),
                score: s.suggestion.score,
                rows: explanation_rows(&explanation).1,
            }
        })
        .collect();
    let values = minijinja::context! {
        id => r.id,
        open => r.state == "open",
        state => r.state,
        mentee_name => review.mentee_name,
        mentee_id => r.mentee_id,
        mentee_pronouns => review.mentee_pronouns.clone().unwrap_or_default(),
        asked => day(&r.created_at),
        waiting_days => r.waiting_seconds.unwrap_or(0) / 86_400,
        required => r.required_tags.iter().map(|s| label(lang, &taxonomy, s)).collect::<Vec<_>>(),
        excluded_regions => r.excluded_regions,
        note => r.note.clone().unwrap_or_default(),
        profile => review.profile.as_ref().map(|p| profile_rows(lang, &taxonomy, p)),
        suggestions => suggestions,
    };
    Ok(session_page(
        &ctx,
        &session,
        "console_request.html",
        StatusCode::OK,
        FormState::default(),
        query.notice(),
        values,
    ))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ProposeForm {
    csrf: String,
    mentor_id: String,
}

/// `POST /console/requests/{id}/propose`: a manual match of this request
/// with the chosen mentor (`proposed`, reviewed like any other).
pub async fn propose(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<ProposeForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = coordinator(&ctx).await?;
    ctx.check_session(&session, &form.csrf)?;
    if !plausible_id(&path) || !plausible_id(&form.mentor_id) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let caller = session.caller.clone();
    let input = kindred_service::matches::actions::ManualMatchInput {
        mentor_id: form.mentor_id.clone(),
        request_id: path.to_string(),
        note: None,
    };
    let created = ctx
        .state
        .call(move |conn, settings| {
            kindred_service::matches::actions::create_manual(conn, settings, &caller, &input)
        })
        .await;
    match created {
        Ok(m) => Ok(see_other(&format!(
            "/console/matches/{}?notice=proposed",
            m.id
        ))),
        Err(ApiError::Conflict { .. }) => Ok(see_other(&format!(
            "/console/requests/{}?notice=changed",
            path.as_str()
        ))),
        Err(e) => Err(failure(&ctx, e)),
    }
}
