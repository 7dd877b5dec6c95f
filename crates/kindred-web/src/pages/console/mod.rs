//! The coordinators' console: the queue of open requests (each with the
//! mentee's whole profile, the suggested mentors and "propose this
//! mentor"), and the review of proposed matches (both people's profiles,
//! the whole explanation, approve or reject with a reason).
//!
//! Every page is one `kindred_service::console` or match-action call. A
//! signed-in person who is not a coordinator gets the ordinary 404 page for
//! every console URL: the console does not say it exists.

mod admin;
mod data;
mod health;
mod person;
mod review;
mod runs;
mod safety;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::console;
use kindred_service::pagination::PageQuery;
use serde::{Deserialize, Serialize};

use super::matches::plausible_id;
use super::{see_other, session_page, Area};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::forms::FormState;
use crate::i18n::Lang;

pub const AREA: Area = Area {
    templates: &[
        (
            "console_macros.html",
            include_str!("../../../templates/console_macros.html"),
        ),
        (
            "console_queue.html",
            include_str!("../../../templates/console_queue.html"),
        ),
        (
            "console_request.html",
            include_str!("../../../templates/console_request.html"),
        ),
        (
            "console_matches.html",
            include_str!("../../../templates/console_matches.html"),
        ),
        (
            "console_match.html",
            include_str!("../../../templates/console_match.html"),
        ),
        (
            "console_person.html",
            include_str!("../../../templates/console_person.html"),
        ),
        (
            "console_data.html",
            include_str!("../../../templates/console_data.html"),
        ),
        (
            "console_import.html",
            include_str!("../../../templates/console_import.html"),
        ),
        (
            "console_admin.html",
            include_str!("../../../templates/console_admin.html"),
        ),
        (
            "console_tag.html",
            include_str!("../../../templates/console_tag.html"),
        ),
        (
            "console_safety.html",
            include_str!("../../../templates/console_safety.html"),
        ),
        (
            "console_health.html",
            include_str!("../../../templates/console_health.html"),
        ),
        (
            "console_runs.html",
            include_str!("../../../templates/console_runs.html"),
        ),
        (
            "console_run.html",
            include_str!("../../../templates/console_run.html"),
        ),
        (
            "console_run_approve.html",
            include_str!("../../../templates/console_run_approve.html"),
        ),
    ],
    pages: &[
        "console_queue.html",
        "console_request.html",
        "console_matches.html",
        "console_match.html",
        "console_person.html",
        "console_data.html",
        "console_import.html",
        "console_admin.html",
        "console_tag.html",
        "console_safety.html",
        "console_health.html",
        "console_runs.html",
        "console_run.html",
        "console_run_approve.html",
    ],
    message_ids: MESSAGE_IDS,
    routes,
};

const MESSAGE_IDS: &[&str] = &[
    "console-notice-proposed",
    "console-notice-approved",
    "console-notice-rejected",
    "console-problem-changed",
    "console-state-proposed",
    "console-state-awaiting_mentor",
    "console-state-active",
    "console-state-declined",
    "console-state-rejected",
    "console-state-expired",
    "console-state-ended",
    "console-notice-approved-all",
    "console-notice-handled",
    "console-import-too-large",
    "console-person-match-mentor",
    "console-person-match-mentee",
    "console-notice-tag-added",
    "console-notice-tag-saved",
    "console-notice-retried",
    "console-tag-slug-taken",
    "console-notice-reopened",
    "console-notice-ended",
    "console-safety-reported",
    "console-safety-needs-support",
    "console-safety-erased",
    "console-safety-match",
    "console-safety-handled-by",
    "console-health-fewer",
    "console-health-not-shown",
    "console-health-other-reasons",
    "console-health-count",
    "console-health-requests",
    "console-health-started",
    "console-health-ended",
    "console-health-median",
    "console-health-acceptance",
    "console-health-reasons",
    "console-health-unmatched",
    "console-run-matched",
    "console-run-unmatched",
    "console-run-categories-title",
    "console-run-load-title",
    "console-run-scores-title",
    "console-run-totals-title",
    "console-run-total-score",
    "console-run-optimal",
    "console-run-stable",
    "console-run-greedy",
    "profile-category-identity",
    "profile-category-experience",
    "profile-category-support",
];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/console").route(web::get().to(home)))
        .service(web::resource("/console/requests").route(web::get().to(queue)))
        .service(web::resource("/console/requests/{id}").route(web::get().to(request)))
        .service(web::resource("/console/requests/{id}/propose").route(web::post().to(propose)))
        .service(web::resource("/console/matches").route(web::get().to(review::list)))
        .service(web::resource("/console/matches/{id}").route(web::get().to(review::detail)))
        .service(
            web::resource("/console/matches/{id}/approve").route(web::post().to(review::approve)),
        )
        .service(
            web::resource("/console/matches/{id}/reject").route(web::post().to(review::reject)),
        )
        .service(web::resource("/console/matches/{id}/end").route(web::post().to(review::end)))
        .service(web::resource("/console/safety").route(web::get().to(safety::list)))
        .service(web::resource("/console/admin").route(web::get().to(admin::page)))
        .service(web::resource("/console/people/{id}").route(web::get().to(person::page)))
        .service(web::resource("/console/data").route(web::get().to(data::page)))
        .service(web::resource("/console/imports").route(web::post().to(data::upload)))
        .service(web::resource("/console/imports/{id}").route(web::get().to(data::status)))
        .service(web::resource("/console/exports/{file}").route(web::get().to(data::export)))
        .service(web::resource("/static/progress.js").route(web::get().to(data::script)))
        .service(web::resource("/console/admin/tags").route(web::post().to(admin::add_tag)))
        .service(
            web::resource("/console/admin/tags/{slug}")
                .route(web::get().to(admin::edit))
                .route(web::post().to(admin::save)),
        )
        .service(
            web::resource("/console/admin/{what}/{id}/retry").route(web::post().to(admin::retry)),
        )
        .service(web::resource("/console/safety/{kind}/{id}").route(web::post().to(safety::handle)))
        .service(web::resource("/console/health").route(web::get().to(health::page)))
        .service(
            web::resource("/console/runs")
                .route(web::get().to(runs::form))
                .route(web::post().to(runs::start)),
        )
        .service(web::resource("/console/runs/{id}").route(web::get().to(runs::show)))
        .service(
            web::resource("/console/runs/{id}/approve")
                .route(web::get().to(runs::confirm))
                .route(web::post().to(runs::approve_all)),
        );
}

/// The signed-in coordinator, or the 404 page for anyone else (and the
/// way to log in for no one).
async fn coordinator(ctx: &Ctx) -> WebResult<Session> {
    let session = ctx.session(false).await?;
    if session.caller.is_coordinator() {
        Ok(session)
    } else {
        Err(ctx.fail(Failure::NotFound))
    }
}

/// A service failure on a console page: not found (or not a coordinator)
/// is the 404 page, the rest as everywhere.
fn failure(ctx: &Ctx, err: ApiError) -> crate::error::WebError {
    match err {
        ApiError::Forbidden(_) => ctx.fail(Failure::NotFound),
        other => ctx.api_failure(other),
    }
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    cursor: String,
    notice: String,
}

impl ListQuery {
    fn page(&self) -> PageQuery {
        PageQuery {
            limit: None,
            cursor: Some(self.cursor.clone()).filter(|c| !c.is_empty()),
        }
    }

    fn notice(&self) -> Option<&'static str> {
        match self.notice.as_str() {
            "proposed" => Some("console-notice-proposed"),
            "approved" => Some("console-notice-approved"),
            "rejected" => Some("console-notice-rejected"),
            "changed" => Some("console-problem-changed"),
            "ended" => Some("console-notice-ended"),
            _ => None,
        }
    }
}

/// `GET /console`: the queue is where a round starts.
pub async fn home(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    coordinator(&ctx).await?;
    Ok(see_other("/console/requests"))
}

/// A date as the console shows it (UTC, `YYYY-MM-DD`).
fn day(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// A tag's label in `lang` (the taxonomy's, translated for default tags);
/// the slug for a tag no longer offered.
fn label(lang: Lang, taxonomy: &[kindred_service::tags::TagView], slug: &str) -> String {
    let stored = taxonomy
        .iter()
        .find(|t| t.slug == slug)
        .map_or(slug, |t| t.label.as_str());
    super::profile::choices::tag_label(lang, slug, stored)
}

#[derive(Serialize)]
struct QueueRow {
    id: String,
    mentee_name: String,
    asked: String,
    waiting_days: i64,
    required: Vec<String>,
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
        form = super::form_failure(&ctx, ApiError::from(err), QUEUE_FIELDS, form)?;
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
    let filters = format!(
        "category={}&language={}&waiting_days={}",
        url_part(&query.category),
        url_part(&query.language),
        url_part(&query.waiting_days)
    );
    let values = minijinja::context! {
        rows => rows,
        filtered => !(query.category.is_empty() && query.language.is_empty() && query.waiting_days.is_empty()),
        categories => categories.iter().map(|c| minijinja::context! {
            value => c,
            label => ctx.lang.text(&format!("profile-category-{c}"), &[]).unwrap_or_else(|_| c.clone()),
            selected => *c == query.category,
        }).collect::<Vec<_>>(),
        filters => filters,
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

/// A query-string value: letters, digits and `-` kept, anything else
/// dropped (the filters are codes and numbers).
fn url_part(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect()
}

/// A profile as the console shows it: every field, the private tags apart.
#[derive(Serialize, Default, Clone)]
pub struct ProfileRows {
    pub bio: String,
    pub goals: String,
    pub tags: Vec<String>,
    pub private_tags: Vec<String>,
    pub languages: String,
    pub timezone: String,
    pub availability: Vec<String>,
    pub modes: Vec<String>,
    pub region: String,
    /// Earlier accounts with this email were reported (count).
    pub earlier_reports: i64,
}

pub fn profile_rows(
    lang: Lang,
    taxonomy: &[kindred_service::tags::TagView],
    view: &kindred_service::profiles::ProfileView,
) -> ProfileRows {
    let p = &view.profile;
    ProfileRows {
        bio: p.bio.clone(),
        goals: p.goals.clone().unwrap_or_default(),
        tags: p.tags.iter().map(|s| label(lang, taxonomy, s)).collect(),
        private_tags: p
            .private_tags
            .iter()
            .map(|s| label(lang, taxonomy, s))
            .collect(),
        languages: p.languages.join(", "),
        timezone: p.timezone.name().to_string(),
        availability: p
            .availability
            .iter()
            .map(|w| {
                let v = serde_json::to_value(w).unwrap_or_default();
                let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                let day_name = lang.t(&format!("profile-day-{}", field("day")));
                format!("{day_name} {}–{}", field("start"), field("end"))
            })
            .collect(),
        modes: p
            .meeting_modes
            .iter()
            .map(|m| {
                let v = serde_json::to_value(m).unwrap_or_default();
                lang.t(&format!("profile-mode-{}", v.as_str().unwrap_or("")))
            })
            .collect(),
        region: p.region.clone().unwrap_or_default(),
        earlier_reports: view.earlier_reports.as_ref().map_or(0, |r| r.count),
    }
}

/// An explanation's lines: each component with its points and detail;
/// `private` marks the shared private experience (coordinators only).
#[derive(Serialize)]
pub struct ExplanationRow {
    pub name: String,
    pub points: i64,
    pub detail: String,
    pub private: bool,
}

pub fn explanation_rows(explanation: &serde_json::Value) -> (i64, Vec<ExplanationRow>) {
    let total = explanation
        .get("total")
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    let rows = explanation
        .get("components")
        .and_then(|v| v.as_array())
        .map(|components| {
            components
                .iter()
                .map(|c| {
                    let name = c.get("name").and_then(|v| v.as_str()).unwrap_or("");
                    ExplanationRow {
                        name: name.to_string(),
                        points: c.get("points").and_then(|v| v.as_i64()).unwrap_or(0),
                        detail: c
                            .get("detail")
                            .and_then(|v| v.as_str())
                            .unwrap_or("")
                            .to_string(),
                        private: name == "private_overlap",
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    (total, rows)
}

#[derive(Serialize)]
struct SuggestionRow {
    mentor_id: String,
    name: String,
    pronouns: String,
    languages: String,
    timezone: String,
    score: i64,
    rows: Vec<ExplanationRow>,
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

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    let profile = ProfileRows {
        bio: "Hola <b>".into(),
        goals: "Work".into(),
        tags: vec!["Bisexual".into()],
        private_tags: vec!["Domestic abuse survivor".into()],
        languages: "es, en".into(),
        timezone: "Europe/Madrid".into(),
        availability: vec!["Monday 18:00–20:30".into()],
        modes: vec!["Online".into()],
        region: "Madrid".into(),
        earlier_reports: 2,
    };
    let rows = || {
        vec![
            ExplanationRow {
                name: "shared_experience".into(),
                points: 40,
                detail: "Bisexual".into(),
                private: false,
            },
            ExplanationRow {
                name: "private_overlap".into(),
                points: 12,
                detail: "1 shared private experience".into(),
                private: true,
            },
        ]
    };
    match template {
        "console_queue.html" => Some(minijinja::context! {
            rows => vec![QueueRow {
                id: "r1".into(),
                mentee_name: "Ana <i>".into(),
                asked: "2026-12-01".into(),
                waiting_days: 6,
                required: vec!["Bisexual".into()],
            }],
            filtered => true,
            categories => vec![minijinja::context! { value => "identity", label => "Who you are", selected => true }],
            filters => "category=identity&language=&waiting_days=",
            next_cursor => "r1",
        }),
        "console_request.html" => Some(minijinja::context! {
            id => "r1", open => true, state => "open", mentee_name => "Ana", mentee_pronouns => "she/her", mentee_id => "u2",
            asked => "2026-12-01", waiting_days => 1, required => vec!["Bisexual"],
            excluded_regions => vec!["Sevilla"], note => "Evenings",
            profile => profile,
            suggestions => vec![SuggestionRow {
                mentor_id: "m1".into(), name: "Bea".into(), pronouns: "she/her".into(),
                languages: "es".into(), timezone: "Europe/Madrid".into(), score: 52, rows: rows(),
            }],
        }),
        "console_matches.html" => Some(minijinja::context! {
            state => "proposed",
            states => review::STATES,
            rows => vec![minijinja::context! { id => "m1", mentor => "Bea", mentee => "Ana", score => 52, proposed => "2026-12-01" }],
            next_cursor => "",
        }),
        "console_match.html" => Some(minijinja::context! {
            id => "m1", state => "proposed", state_text => "Proposed", proposed => true, active => true,
            score => 52, total => 52, rows => rows(),
            mentor_name => "Bea", mentor_pronouns => "", mentee_name => "Ana", mentee_pronouns => "she/her",
            mentor_id => "u1", mentee_id => "u2",
            mentor => profile.clone(), mentee => profile, request_id => "r1", note => "", ended_reason => "",
        }),
        "console_runs.html" => Some(minijinja::Value::from(())),
        "console_health.html" => Some(health::sample()),
        "console_safety.html" => Some(safety::sample()),
        "console_data.html" => Some(minijinja::context! { max_mib => 5 }),
        "console_person.html" => Some(minijinja::context! {
            name => "Ana <i>", pronouns => "she/her", email => "ana@example.org", roles => vec!["Mentee"],
            erased => false, mentee => profile.clone(), mentor => (), matches => vec![minijinja::context! { id => "m1", text => "Mentee of Bea (Active)" }],
        }),
        "console_import.html" => Some(data::sample()),
        "console_admin.html" => Some(minijinja::context! {
            tags => vec![minijinja::context! { slug => "bisexual", label => "Bisexual <b>", category => "Who you are", sensitive => true, retired => false }],
            categories => vec![minijinja::context! { value => "identity", selected => true }],
            sensitive => true,
            jobs => vec![minijinja::context! { id => "j1", kind => "alert_summary", detail => "2026-12-07 10:00", error => "boom" }],
            emails => vec![minijinja::context! { id => "e1", kind => "introduction", detail => "ana@example.org", error => "550" }],
        }),
        "console_tag.html" => Some(minijinja::context! {
            slug => "bisexual",
            categories => vec![minijinja::context! { value => "identity", selected => true }],
            sensitive => true, retired => false,
        }),
        "console_run.html" => Some(runs::sample()),
        "console_run_approve.html" => Some(minijinja::context! { id => "run1", pending => 3 }),
        _ => None,
    }
}
