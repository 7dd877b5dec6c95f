//! Check-ins: a rating, a note and "I need support". Asking for support
//! alerts the coordinators (the service does that) and the very next page
//! opens with the support resources.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_service::safety::{self, CheckInInput};
use serde::Deserialize;

use super::matches::{plausible_id, show, show_failure, Top};
use super::{see_other, session_page, Area};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};

pub const AREA: Area = Area {
    templates: &[
        ("checkin.html", include_str!("../../templates/checkin.html")),
        (
            "checkin_sent.html",
            include_str!("../../templates/checkin_sent.html"),
        ),
    ],
    pages: &["checkin.html", "checkin_sent.html"],
    // The rating labels are chosen in a loop of the template.
    message_ids: &[
        "checkin-rating-1",
        "checkin-rating-2",
        "checkin-rating-3",
        "checkin-rating-4",
        "checkin-rating-5",
    ],
    routes,
};

const FIELDS: &[Field] = &[
    field("rating", "rating-1", "matches-field-rating"),
    field("note", "checkin-note", "matches-field-checkin-note"),
];

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/matches/{id}/check-in")
            .route(web::get().to(check_in_page))
            .route(web::post().to(check_in)),
    )
    .service(web::resource("/matches/{id}/check-in/sent").route(web::get().to(sent)));
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CheckInForm {
    csrf: String,
    rating: String,
    note: String,
    needs_support: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SentQuery {
    support: String,
}

/// `GET /matches/{id}/check-in`: the form (an active match only; otherwise
/// the page says why there is none).
pub async fn check_in_page(req: HttpRequest, path: web::Path<String>) -> WebResult<HttpResponse> {
    show(&req, &path, "checkin.html", Top::Plain).await
}

/// `POST /matches/{id}/check-in` → the "sent" page, which opens with the
/// support resources when support was asked for.
pub async fn check_in(
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<CheckInForm>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    let form = form.into_inner();
    ctx.check_session(&session, &form.csrf)?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let needs_support = !form.needs_support.is_empty();
    let input = CheckInInput {
        // Not a number (or none chosen) is out of range: the service says so.
        rating: form.rating.trim().parse().unwrap_or(0),
        note: Some(form.note.clone()),
        needs_support,
    };
    let caller = session.caller.clone();
    let id = path.to_string();
    let done = ctx
        .state
        .call(move |conn, settings| safety::create_check_in(conn, settings, &caller, &id, &input))
        .await;
    match done {
        Ok(_) if needs_support => Ok(see_other(&format!(
            "/matches/{path}/check-in/sent?support=yes#get-support"
        ))),
        Ok(_) => Ok(see_other(&format!("/matches/{path}/check-in/sent"))),
        Err(err) => {
            let shown = FormState::with_values(&[
                ("rating", &form.rating),
                ("checkin-note", &form.note),
                ("needs-support", &form.needs_support),
            ]);
            show_failure(&ctx, &session, &path, "checkin.html", err, FIELDS, shown).await
        }
    }
}

/// `GET /matches/{id}/check-in/sent`: thanks, and with `support=yes` the
/// support resources first.
pub async fn sent(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<SentQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    if !plausible_id(&path) {
        return Err(ctx.fail(Failure::NotFound));
    }
    let values = minijinja::context! {
        match_id => path.as_str(),
        support => query.support == "yes",
    };
    Ok(session_page(
        &ctx,
        &session,
        "checkin_sent.html",
        StatusCode::OK,
        FormState::default(),
        None,
        values,
    ))
}

/// Sample values for the render test of this area's pages.
#[cfg(test)]
pub fn sample(template: &str) -> Option<minijinja::Value> {
    match template {
        "checkin.html" => Some(super::matches::sample_match("active", "mentee")),
        "checkin_sent.html" => {
            Some(minijinja::context! { match_id => "0190-abc", support => true })
        }
        _ => None,
    }
}
