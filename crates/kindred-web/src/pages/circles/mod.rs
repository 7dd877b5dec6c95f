//! Peer-support circles (API.md "Peer-support circles"): the member's page
//! (`/circles`: their circles and asking to join one), the circle page
//! (`/circles/{id}`: join with the group agreement, leave, check in; for
//! its facilitator start, end and attendance), block and report a member,
//! and the coordinators' pages in the console (circles, review, circle
//! runs with their report, manual circles, facilitators).
//!
//! Like every page, each handler calls the `kindred_service::circles`
//! function the API route calls; anyone who may not see a page gets the
//! ordinary 404 page.

mod circle;
mod console;
mod facilitators;
mod member;
mod member_safety;
mod runs;
#[cfg(test)]
mod samples;
mod slot;
#[cfg(test)]
pub use samples::sample;

use actix_web::web;
use kindred_api::ApiError;
use serde::Deserialize;

use super::Area;
use crate::context::Ctx;
use crate::error::{Failure, WebError};
use crate::forms::FormState;
use crate::i18n::Lang;

pub const AREA: Area = Area {
    templates: &[
        (
            "circle_macros.html",
            include_str!("../../../templates/circle_macros.html"),
        ),
        (
            "circles.html",
            include_str!("../../../templates/circles.html"),
        ),
        (
            "circle.html",
            include_str!("../../../templates/circle.html"),
        ),
        (
            "circle_leave.html",
            include_str!("../../../templates/circle_leave.html"),
        ),
        (
            "circle_safety.html",
            include_str!("../../../templates/circle_safety.html"),
        ),
        (
            "console_circles.html",
            include_str!("../../../templates/console_circles.html"),
        ),
        (
            "console_circle.html",
            include_str!("../../../templates/console_circle.html"),
        ),
        (
            "console_circle_new.html",
            include_str!("../../../templates/console_circle_new.html"),
        ),
        (
            "console_circle_runs.html",
            include_str!("../../../templates/console_circle_runs.html"),
        ),
        (
            "console_circle_run.html",
            include_str!("../../../templates/console_circle_run.html"),
        ),
        (
            "console_facilitators.html",
            include_str!("../../../templates/console_facilitators.html"),
        ),
    ],
    pages: &[
        "circles.html",
        "circle.html",
        "circle_leave.html",
        "circle_safety.html",
        "console_circles.html",
        "console_circle.html",
        "console_circle_new.html",
        "console_circle_runs.html",
        "console_circle_run.html",
        "console_facilitators.html",
    ],
    message_ids: MESSAGE_IDS,
    routes,
};

/// The ids this area's code chooses (states, notices, labels of the error
/// summary, chart words).
const MESSAGE_IDS: &[&str] = &[
    "circles-state-proposed",
    "circles-state-approved",
    "circles-state-rejected",
    "circles-state-active",
    "circles-state-ended",
    "circles-member-proposed",
    "circles-member-invited",
    "circles-member-joined",
    "circles-member-left",
    "circles-member-declined",
    "circles-member-expired",
    "circles-member-removed",
    "circles-request-open",
    "circles-request-placed",
    "circles-request-withdrawn",
    "circles-request-closed",
    "circles-notice-asked",
    "circles-notice-withdrawn",
    "circles-notice-joined",
    "circles-notice-left",
    "circles-notice-started",
    "circles-notice-ended",
    "circles-notice-attendance",
    "circles-notice-checked-in",
    "circles-notice-support",
    "circles-notice-blocked",
    "circles-notice-reported",
    "circles-notice-approved",
    "circles-notice-rejected",
    "circles-notice-granted",
    "circles-notice-revoked",
    "circles-notice-already-asked",
    "circles-problem-changed",
    "circles-problem-not-allowed",
    "circles-field-topics",
    "circles-field-request-note",
    "circles-field-agree",
    "circles-field-meeting-details",
    "circles-field-end-reason",
    "circles-field-reject-reason",
    "circles-field-rating",
    "circles-field-checkin-note",
    "circles-field-report-reason",
    "circles-field-present",
    "circles-field-block",
    "circles-field-min-size",
    "circles-field-max-size",
    "circles-field-facilitator",
    "circles-field-requests",
    "circles-field-slot-day",
    "circles-field-slot-start",
    "circles-field-slot-end",
    "circles-field-note",
    "circles-field-user",
    "circles-field-trained-on",
    "circles-field-training",
    "circles-run-placed",
    "circles-run-unplaced",
    "circles-run-categories-title",
    "circles-run-sizes-title",
    "circles-run-reasons-title",
    "circles-run-bound-title",
    "circles-run-objective",
    "circles-run-upper-bound",
    "circles-reason-no_compatible_facilitator",
    "circles-reason-no_common_slot",
    "circles-reason-too_few_compatible_people",
    "circles-reason-lost_to_higher_scoring_circles",
    "circles-err-agree",
    "circles-err-text",
    "circles-err-rating",
    "circles-err-note",
    "circles-err-check",
    "circles-err-no-person",
    "role-facilitator",
    "circles-why-base",
    "circles-why-shared",
    "circles-why-none-shared",
    "circles-why-facilitator",
    "circles-why-waiting",
    "circles-mode-online",
    "circles-mode-in_person",
    "circles-mode-phone",
    "profile-day-mon",
    "profile-day-tue",
    "profile-day-wed",
    "profile-day-thu",
    "profile-day-fri",
    "profile-day-sat",
    "profile-day-sun",
    "profile-category-identity",
    "profile-category-experience",
    "profile-category-support",
];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/circles")
            .app_data(super::profile::form_config())
            .route(web::get().to(member::page))
            .route(web::post().to(member::ask)),
    )
    .service(web::resource("/circles/withdraw").route(web::post().to(member::withdraw)))
    .service(web::resource("/circles/{id}").route(web::get().to(circle::page)))
    .service(web::resource("/circles/{id}/join").route(web::post().to(circle::join)))
    .service(
        web::resource("/circles/{id}/leave")
            .route(web::get().to(circle::leave_page))
            .route(web::post().to(circle::leave)),
    )
    .service(web::resource("/circles/{id}/check-in").route(web::post().to(circle::check_in)))
    .service(web::resource("/circles/{id}/start").route(web::post().to(circle::start)))
    .service(web::resource("/circles/{id}/end").route(web::post().to(circle::end)))
    .service(
        web::resource("/circles/{id}/sessions/{n}/attendance")
            .app_data(super::profile::form_config())
            .route(web::post().to(circle::attendance)),
    )
    .service(
        web::resource("/circles/{id}/people/{user}/{action}")
            .route(web::get().to(member_safety::page))
            .route(web::post().to(member_safety::act)),
    )
    .service(web::resource("/console/circles").route(web::get().to(console::list)))
    .service(
        web::resource("/console/circles/new")
            .app_data(super::profile::form_config())
            .route(web::get().to(console::new_page))
            .route(web::post().to(console::create)),
    )
    .service(web::resource("/console/circles/{id}").route(web::get().to(console::review)))
    .service(web::resource("/console/circles/{id}/{action}").route(web::post().to(console::act)))
    .service(
        web::resource("/console/circle-runs")
            .route(web::get().to(runs::form))
            .route(web::post().to(runs::start)),
    )
    .service(web::resource("/console/circle-runs/{id}").route(web::get().to(runs::show)))
    .service(
        web::resource("/console/facilitators")
            .route(web::get().to(facilitators::list))
            .route(web::post().to(facilitators::grant)),
    )
    .service(
        web::resource("/console/facilitators/{id}/revoke")
            .route(web::post().to(facilitators::revoke)),
    );
}

/// `?notice=` on the circle pages: only these words are read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    pub notice: String,
    pub flagged: String,
}

impl NoticeQuery {
    pub fn message(&self) -> Option<&'static str> {
        Some(match self.notice.as_str() {
            "asked" => "circles-notice-asked",
            "withdrawn" => "circles-notice-withdrawn",
            "joined" => "circles-notice-joined",
            "left" => "circles-notice-left",
            "started" => "circles-notice-started",
            "ended" => "circles-notice-ended",
            "attendance" => "circles-notice-attendance",
            "checked-in" => "circles-notice-checked-in",
            "support" => "circles-notice-support",
            "blocked" => "circles-notice-blocked",
            "reported" => "circles-notice-reported",
            "approved" => "circles-notice-approved",
            "rejected" => "circles-notice-rejected",
            "granted" => "circles-notice-granted",
            "revoked" => "circles-notice-revoked",
            "already-asked" => "circles-notice-already-asked",
            "changed" => "circles-problem-changed",
            "not-allowed" => "circles-problem-not-allowed",
            _ => return None,
        })
    }
}

/// The circle's state in words.
pub fn state_text(state: &str) -> String {
    format!("circles-state-{state}")
}

/// A member's state in words.
pub fn member_text(state: &str) -> String {
    format!("circles-member-{state}")
}

/// A meeting mode in words (the id; an unknown mode shows as itself).
pub fn mode_label(lang: Lang, mode: &str) -> String {
    lang.text(&format!("circles-mode-{mode}"), &[])
        .unwrap_or_else(|_| mode.to_string())
}

/// A language's shown name (the profile form's), else its code.
pub fn language_label(lang: Lang, code: &str) -> String {
    crate::pages::profile::choices::language(code).map_or_else(
        || code.to_string(),
        |l| crate::pages::profile::choices::language_name(lang, l),
    )
}

/// Whether a path segment can be an id (anything else is the 404 page
/// without asking the database).
pub fn plausible(ctx: &Ctx, id: &str) -> Result<(), WebError> {
    if super::matches::plausible_id(id) {
        Ok(())
    } else {
        Err(ctx.fail(Failure::NotFound))
    }
}

/// A service failure on a circle page: a refusal is the 404 page (a circle
/// someone may not act on is not theirs to know about), the rest as
/// everywhere.
pub fn failure(ctx: &Ctx, err: ApiError) -> WebError {
    match err {
        ApiError::Forbidden(_) => ctx.fail(Failure::NotFound),
        other => ctx.api_failure(other),
    }
}

/// The circle service's own field messages, in words.
const MESSAGES: &[(&str, &str)] = &[
    ("accept the group agreement to join", "circles-err-agree"),
    ("must be 1 to 2000 characters", "circles-err-text"),
    ("must be between 1 and 5", "circles-err-rating"),
    ("at most 2000 characters", "circles-err-note"),
];

/// One of the service's field messages in `lang`: this area's own, the
/// shared shapes, else (messages naming request numbers and sizes, which
/// read well as they are) the English text, after a translated lead-in.
fn message(lang: Lang, message: &str) -> String {
    if let Some((_, id)) = MESSAGES.iter().find(|(m, _)| *m == message) {
        return lang.t(id);
    }
    let (id, arg) = crate::i18n::field_message(message);
    if id != "err-invalid" {
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> = arg
            .map(|(name, n)| vec![(name, n.into())])
            .unwrap_or_default();
        return lang
            .text(id, &args)
            .unwrap_or_else(|_| lang.t("err-invalid"));
    }
    match lang {
        Lang::En => message.to_string(),
        _ => format!("{} ({message})", lang.t("circles-err-check")),
    }
}

/// The field errors of a failed form, in words, each on the field whose
/// path starts the error's path (`request_ids[2]` on `request_ids`, `slot`
/// on the first `slot.` field), else on the first field; any other failure
/// is given back.
pub fn field_errors(
    ctx: &Ctx,
    err: ApiError,
    fields: &[crate::forms::Field],
    mut form: FormState,
) -> Result<FormState, ApiError> {
    let ApiError::Validation(errors) = err else {
        return Err(err);
    };
    let Some(first) = fields.first() else {
        return Ok(form);
    };
    let mut placed: Vec<(usize, crate::forms::Field, String)> = Vec::new();
    for (path, messages) in &errors {
        let at = fields.iter().position(|f| f.path == path).or_else(|| {
            fields
                .iter()
                .position(|f| path.starts_with(f.path) || f.path.starts_with(&format!("{path}.")))
        });
        let field = at.map_or(*first, |i| fields[i]);
        let text = messages
            .iter()
            .map(|m| message(ctx.lang, m))
            .collect::<Vec<_>>()
            .join(" ");
        placed.push((at.unwrap_or(usize::MAX), field, text));
    }
    placed.sort_by_key(|(i, _, _)| *i);
    for (_, field, text) in placed {
        form.add(ctx.lang, field, &text);
    }
    Ok(form)
}
