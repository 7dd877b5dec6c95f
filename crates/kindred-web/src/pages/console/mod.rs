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
mod queue;
mod review;
mod runs;
mod safety;
#[cfg(test)]
mod samples;
#[cfg(test)]
pub use samples::sample;

use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_service::pagination::PageQuery;
use serde::{Deserialize, Serialize};

use super::{see_other, Area};
use crate::context::{Ctx, Session};
use crate::error::{Failure, WebResult};
use crate::i18n::Lang;
use crate::pages::profile::choices::taxonomy_label as label;

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
        .service(web::resource("/console/requests").route(web::get().to(queue::queue)))
        .service(web::resource("/console/requests/{id}").route(web::get().to(queue::request)))
        .service(
            web::resource("/console/requests/{id}/propose").route(web::post().to(queue::propose)),
        )
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
pub(crate) async fn coordinator(ctx: &Ctx) -> WebResult<Session> {
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

/// A tag category's name in `lang` (the profile form's words); the
/// category itself for one coordinators added.
fn category_label(lang: Lang, category: &str) -> String {
    lang.text(&format!("profile-category-{category}"), &[])
        .unwrap_or_else(|_| category.to_string())
}

/// A row of the table beside a chart: what, and its figures as text.
#[derive(serde::Serialize)]
struct FigureRow {
    label: String,
    values: Vec<String>,
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
