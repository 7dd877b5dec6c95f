//! The pages. Each handler extracts its form, calls one `kindred_service`
//! function and renders a template or redirects (Post/Redirect/Get).

pub mod account;
pub mod checkins;
pub mod circles;
pub mod console;
pub mod invitation;
pub mod matches;
pub mod passwords;
pub mod profile;
pub mod requests;
pub mod safety;
pub mod settings;

/// What an area of pages brings: its templates (name, source), which of
/// them are pages, the message ids its code (not its templates) uses, and
/// its routes.
pub struct Area {
    pub templates: &'static [(&'static str, &'static str)],
    pub pages: &'static [&'static str],
    pub message_ids: &'static [&'static str],
    pub routes: fn(&mut web::ServiceConfig),
}

/// Every area besides the accounts pages registered in `lib.rs`.
pub const AREAS: &[&Area] = &[
    &profile::AREA,
    &requests::AREA,
    &matches::AREA,
    &checkins::AREA,
    &safety::AREA,
    &settings::AREA,
    &console::AREA,
    &invitation::AREA,
    &circles::AREA,
];

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use kindred_api::ApiError;
use serde::Deserialize;

use crate::context::{Ctx, Session};
use crate::error::{Failure, WebError, WebResult};
use crate::forms::{Field, FormState};
use crate::i18n::{Lang, LANG_COOKIE};
use crate::render::Page;

const CSS: &str = include_str!("../../static/kindred.css");

/// The notices a redirect may ask for (`?notice=`), as message ids. Only
/// these fixed words are read from the URL.
const NOTICES: &[(&str, &str)] = &[
    ("logged-out", "notice-logged-out"),
    ("session-ended", "notice-session-ended"),
    ("password-reset", "notice-password-reset"),
    ("password-changed", "notice-password-changed"),
    ("choose-password", "notice-choose-password"),
    ("reset-sent", "notice-reset-sent"),
    ("verified", "notice-verified"),
    ("invitation-accepted", "invitation-notice-accepted"),
    ("consent-given", "invitation-notice-consent-given"),
    ("consent-declined", "invitation-notice-consent-declined"),
];

/// Every message id the handlers may show (the templates' ids are found in
/// the templates themselves).
pub const CODE_MESSAGE_IDS: &[&str] = &[
    "notice-logged-out",
    "notice-session-ended",
    "notice-password-reset",
    "notice-password-changed",
    "notice-choose-password",
    "notice-reset-sent",
    "notice-verified",
    "login-failed",
    "err-code",
    "role-mentee",
    "role-mentor",
    "role-coordinator",
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    notice: String,
}

impl NoticeQuery {
    pub fn message(&self) -> Option<&'static str> {
        NOTICES
            .iter()
            .find(|(key, _)| *key == self.notice)
            .map(|(_, id)| *id)
    }
}

/// Renders an anonymous page with its form token, setting the token's
/// cookie if the browser has none yet.
pub async fn anon_page(
    ctx: &Ctx,
    template: &'static str,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let (csrf, cookie) = ctx.anon_csrf().await?;
    let mut layout = ctx.layout(None, csrf);
    layout.notice = notice;
    let mut res = Page::new(template, layout)
        .status(status)
        .form(form)
        .render();
    if let Some(cookie) = cookie {
        res.add_cookie(&cookie)
            .map_err(|_| ctx.fail(Failure::Internal))?;
    }
    Ok(res)
}

/// Renders a signed-in page.
pub fn session_page(
    ctx: &Ctx,
    session: &Session,
    template: &'static str,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
    values: minijinja::Value,
) -> HttpResponse {
    let mut layout = ctx.layout(Some(session), session.csrf.clone());
    layout.notice = notice;
    Page::new(template, layout)
        .status(status)
        .form(form)
        .values(values)
        .render()
}

/// `303 See Other` to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A form's service failure: field errors and `form_errors` become the
/// form shown again (with `status`); everything else is an error page.
pub fn form_failure(
    ctx: &Ctx,
    err: ApiError,
    fields: &[Field],
    mut form: FormState,
) -> Result<FormState, WebError> {
    match err {
        ApiError::Validation(errors) => {
            form.add_field_errors(ctx.lang, fields, &errors);
            Ok(form)
        }
        other => Err(ctx.api_failure(other)),
    }
}

/// One attempt of the address and account for `route`, as the API counts it
/// (through the shared store on PostgreSQL, on the blocking pool).
pub async fn limit(ctx: &Ctx, route: &str, email: &str) -> WebResult<()> {
    let email_key = kindred_core::Email::normalize(email);
    ctx.state
        .limit_route(route, &ctx.client_ip(), Some(&email_key))
        .await
        .map_err(|e| ctx.api_failure(e))
}

// ---- public pages ------------------------------------------------------

pub async fn landing(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    Ok(Page::new("landing.html", ctx.layout(None, String::new())).render())
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(CSS)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LangQuery {
    next: String,
}

/// Whether `next` is one of our own paths (no scheme, host or query).
fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 200
        && next
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
}

/// Whether the browser says this navigation started on one of our own
/// pages (or was typed or bookmarked): `Sec-Fetch-Site`, which scripts
/// cannot forge. A link on another site says `cross-site`.
fn from_our_pages(req: &HttpRequest) -> bool {
    req.headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| matches!(v, "same-origin" | "none"))
}

/// The language switcher: remembers the choice in the `lang` cookie and
/// goes back to the page it was chosen on. For a signed-in person it also
/// becomes their preferred language (their emails'), but only when the
/// switch came from our own pages: the switcher is a link (a GET without a
/// form token), so a link on another site must not change what language
/// someone's emails arrive in.
pub async fn switch_language(
    req: HttpRequest,
    tag: web::Path<String>,
    query: web::Query<LangQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let Some(lang) = Lang::parse(&tag).filter(|l| l.tag() == tag.as_str()) else {
        return Err(ctx.fail(Failure::NotFound));
    };
    let next = if is_local_path(&query.next) {
        query.next.as_str()
    } else {
        "/"
    };
    let cookie = lang_cookie(&ctx, lang);
    if from_our_pages(&req) {
        remember_language(&ctx, lang).await;
    }
    let mut res = see_other(next);
    res.add_cookie(&cookie)
        .map_err(|_| ctx.fail(Failure::Internal))?;
    Ok(res)
}

/// The cookie that remembers the page language for a year.
pub fn lang_cookie(ctx: &Ctx, lang: Lang) -> actix_web::cookie::Cookie<'static> {
    actix_web::cookie::Cookie::build(LANG_COOKIE, lang.tag())
        .path("/")
        .http_only(true)
        .same_site(actix_web::cookie::SameSite::Lax)
        .secure(ctx.secure())
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}

/// Stores `lang` as the signed-in person's preferred language; nothing
/// without a session (or before a one-time password is changed, as in the
/// API). A failure only loses the preference (the cookie is still set), so
/// it is logged and the switch goes on.
async fn remember_language(ctx: &Ctx, lang: Lang) {
    let Ok(session) = ctx.session(false).await else {
        return;
    };
    let caller = session.caller;
    let input = kindred_core::LanguageInput {
        language: lang.tag().to_string(),
    };
    if let Err(e) = ctx
        .state
        .call(move |conn, _| kindred_service::accounts::set_language(conn, &caller, &input))
        .await
    {
        tracing::warn!(error = ?e, "could not store the preferred language");
    }
}

/// Anything the web app has no page for: HTML 404, except under `/api/`,
/// where clients expect problem+json.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        return ApiError::NotFound.error_response();
    }
    match Ctx::new(&req) {
        Ok(ctx) => ctx.fail(Failure::NotFound).error_response(),
        Err(err) => err.error_response(),
    }
}

/// The answer to a form body that cannot be read.
pub fn bad_form(req: &HttpRequest) -> actix_web::Error {
    match Ctx::new(req) {
        Ok(ctx) => ctx.fail(Failure::BadForm).into(),
        Err(err) => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/login"));
        assert!(is_local_path("/password/reset"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("/login?x=1"));
        assert!(!is_local_path(""));
    }
}
